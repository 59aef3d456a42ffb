//! Front matter: any bytes are decoded, split at the fences and parsed as YAML without a
//! panic, and a split's pieces are slices of the text they came from; where syndic's own
//! reader of the common shape reads the front matter, the YAML library reads the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syndic::corpus::frontmatter;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = frontmatter::decode(bytes) else {
        return;
    };
    let Ok(split) = frontmatter::split(text) else {
        return;
    };
    assert!(text.len() >= split.yaml.len() + split.body.len());
    assert!(split.yaml_line >= 1);
    if let Some(fields) = frontmatter::parse_simple(split.yaml) {
        match frontmatter::parse_yaml(&split) {
            Ok(library) => assert_eq!(fields, library.fields, "{:?}", split.yaml),
            Err(e) => panic!("{:?}: the library says {e}", split.yaml),
        }
    }
    if let Ok(front) = frontmatter::parse(&split) {
        // Every key's text and line can be asked for.
        for key in ["title", "date", "author", "translationKey"] {
            let _ = front.text(key);
            let _ = front.line_of(key);
        }
    }
});
