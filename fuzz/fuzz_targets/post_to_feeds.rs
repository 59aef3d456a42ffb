//! A whole post file to feed documents: any bytes either are refused with an error or give a
//! post whose every RSS, Atom and OPML document is well-formed XML and whose JSON Feeds parse.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use syndic::config::Config;
use syndic::corpus;
use syndic::corpus::post::{Location, parse_post};
use syndic::feeds::{self, RenderOptions};

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
    // Every document built from the post (its language's, its people's, the site's, the
    // OPML list and the index page) must parse: XML strictly, JSON Feed as JSON.
    let corpus = corpus::join(config, vec![Ok((post, Vec::new()))], &Default::default());
    let feeds = feeds::prepare(config, &corpus);
    let options = RenderOptions {
        archives: true,
        link_archives: true,
    };
    // The body is held in memory: rendering it cannot fail for want of the file.
    let documents = match feeds::render(config, &feeds, options) {
        Ok(documents) => documents,
        Err(e) => panic!("the post's body could not be rendered: {e}"),
    };
    for doc in documents {
        let Ok(text) = std::str::from_utf8(&doc.bytes) else {
            panic!("{} is not UTF-8", doc.path);
        };
        if doc.path.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("{} is not valid JSON: {e}\n{text}", doc.path);
            }
        } else if !doc.path.ends_with(".html") {
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{} is not well-formed XML: {e}\n{text}", doc.path);
            }
        }
    }
});
