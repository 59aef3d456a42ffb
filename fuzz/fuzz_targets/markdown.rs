//! Markdown to safe HTML: whatever the body, the HTML has no script, no event handler, no
//! `javascript:`, `vbscript:` or `data:` link, and no character XML forbids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syndic::corpus::markdown;

fuzz_target!(|body: &str| {
    let Ok(base) = url::Url::parse("https://digital.example.ca/2024/03/05/a-post/") else {
        return;
    };
    let html = markdown::render(body, &base);
    check(&html, body);
    // A summary is plain text (escaped where it is written), so `<` may be in it; what must
    // not be is a character XML forbids, or a line break.
    let summary = markdown::first_paragraph(body, &base);
    assert!(
        summary.chars().all(|c| c == ' ' || !c.is_control()) && xml_chars(&summary),
        "bad character in summary {summary:?} from {body:?}"
    );
    let _ = markdown::images_without_alt(body);
});

fn check(html: &str, body: &str) {
    let lower = html.to_ascii_lowercase();
    // Text is escaped, so a `<` in the output starts a real tag.
    for banned in [
        "<script", "<iframe", "<object", "<embed", "<style", "<svg", "<math",
    ] {
        assert!(
            !lower.contains(banned),
            "{banned} in {html:?} from {body:?}"
        );
    }
    for (at, _) in lower.match_indices('=') {
        // The attribute name before each `=` inside a tag.
        let before = &lower[..at];
        let name_start = before
            .rfind(|c: char| c.is_whitespace() || c == '<')
            .map_or(0, |i| i + 1);
        let name = &before[name_start..];
        let in_tag = before.rfind('<') > before.rfind('>');
        if in_tag {
            assert!(
                !name.starts_with("on"),
                "handler {name} in {html:?} from {body:?}"
            );
            assert_ne!(name, "srcdoc", "srcdoc in {html:?} from {body:?}");
            if matches!(
                name,
                "href" | "src" | "poster" | "srcset" | "action" | "cite"
            ) {
                let value = lower[at + 1..].trim_start_matches(['"', '\'']);
                let plain: String = value
                    .chars()
                    .take(40)
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !plain.starts_with(scheme),
                        "{name}={value:.40} from {body:?}"
                    );
                }
            }
        }
    }
    assert!(xml_chars(html), "XML-forbidden character in {html:?}");
}

fn xml_chars(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    })
}
