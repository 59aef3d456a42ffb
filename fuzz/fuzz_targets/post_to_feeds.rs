//! A whole post file to feed items: any bytes either are refused with an error or give a post
//! whose RSS and Atom items are well-formed XML and whose JSON Feed item is valid JSON.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use syndic::config::Config;
use syndic::corpus::post::{Location, parse_post};
use syndic::feeds::item;

static CONFIG: LazyLock<Option<Config>> = LazyLock::new(|| {
    Config::from_toml(
        Path::new("/fuzz/config.toml"),
        "content_dir = \"content\"\ntimezone = \"America/Toronto\"\nsections = [\"blog\"]\n\
         permalink = \"/:year/:month/:day/:slug/\"\n\
         [languages.en]\nbase_url = \"https://digital.example.ca/\"\ntitle = \"Example\"\n\
         [languages.fr]\nbase_url = \"https://numerique.example.ca/\"\ntitle = \"Exemple\"\n",
    )
    .ok()
});

fuzz_target!(|bytes: &[u8]| {
    let Some(config) = CONFIG.as_ref() else {
        return;
    };
    let Some(lang) = config.language("en") else {
        return;
    };
    let location = Location {
        path: "en/blog/posts/2024-03-05-fuzzed.md",
        lang,
        section: "blog",
    };
    let Ok((post, _warnings)) = parse_post(config, &location, bytes.to_vec()) else {
        return;
    };
    let items = item::render(config, &post);
    for (name, xml) in [("rss", items.rss.as_str()), ("atom", items.atom.as_str())] {
        let wrapped = format!(
            "<root xmlns:atom=\"http://www.w3.org/2005/Atom\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:media=\"http://search.yahoo.com/mrss/\">{xml}</root>"
        );
        if let Err(e) = roxmltree::Document::parse(&wrapped) {
            panic!("{name} item is not well-formed: {e}\n{xml}");
        }
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(items.json.as_str()) {
        panic!("json item is not valid: {e}\n{}", items.json.as_str());
    }
});
