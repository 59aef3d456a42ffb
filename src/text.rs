//! Small text clean-ups shared by the configuration, the loader and the feeds: whitespace as
//! hand-written front matter has it (non-breaking, zero-width, doubled), characters XML 1.0
//! forbids, a person's slug and names as a list in running text.

/// Trims and collapses every run of whitespace and control characters (including non-breaking
/// spaces) into one ASCII space, and removes zero-width characters and the byte-order mark.
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

/// Zero-width, soft-hyphen, byte-order and bidi control characters: present in hand-edited
/// text, never seen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// True for characters an XML 1.0 document may contain.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Whether `s` has a character XML 1.0 forbids: a byte scan, since every such character is
/// an ASCII control or U+FFFE/U+FFFF (`EF BF BE`, `EF BF BF`).
pub fn has_xml_forbidden(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// Removes every character XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
pub fn xml_safe(s: &str) -> String {
    if !has_xml_forbidden(s) {
        return s.to_string();
    }
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// Names as a list in running text, in `lang`: "Ann Lee", "Ann Lee and Bob Roe", "Ann Lee, Bob Roe
/// and Cy Doe" ("et" in French). For the clients that show one author per item: RSS readers
/// that take the first `dc:creator` only, JSON Feed 1.0's `author`.
pub fn names<S: AsRef<str>>(lang: &str, names: &[S]) -> String {
    let and = match lang {
        "fr" => " et ",
        _ => " and ",
    };
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{}{and}{}", init.join(", "), last.as_ref())
        }
    }
}

/// A person's slug: ASCII transliteration, lower-cased, runs of other characters -> one `-`.
pub fn person_slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_collapsed_and_invisible_characters_dropped() {
        let cases = [
            ("  Ann  Lee ", "Ann Lee"),
            ("Ann\u{00A0}Lee", "Ann Lee"),
            ("Ann\u{200B} Lee\u{200B}", "Ann Lee"),
            ("\u{FEFF}title\n  folded\tline ", "title folded line"),
            ("", ""),
            ("   ", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_space(input), expected, "{input:?}");
        }
    }

    #[test]
    fn xml_forbidden_characters_are_removed() {
        assert_eq!(xml_safe("a\u{0}b\u{1B}c\u{FFFE}d\te\n"), "abcd\te\n");
        assert_eq!(xml_safe("déjà vu « ok »"), "déjà vu « ok »");
        assert!(!has_xml_forbidden("\u{FFFD}\u{FFFC}\u{EFBF} ok"));
        assert!(has_xml_forbidden("x\u{FFFF}"));
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_character_rule(s in "\\PC{0,40}|[\\x00-\\x20\\u{FFFE}\\u{FFFF}a]{0,10}") {
            proptest::prop_assert_eq!(has_xml_forbidden(&s), !s.chars().all(is_xml_char));
            proptest::prop_assert!(xml_safe(&s).chars().all(is_xml_char));
        }
    }

    #[test]
    fn slugs() {
        for (name, slug) in [
            ("Élise Côté", "elise-cote"),
            ("Ahmet Yılmaz", "ahmet-yilmaz"),
            ("Jürgen Groß", "jurgen-gross"),
            ("  --Ann   Lee--  ", "ann-lee"),
            ("Liam O’Neil", "liam-o-neil"),
            ("ANN LEE 2", "ann-lee-2"),
            ("Ele\u{301}na", "elena"),
            ("", ""),
            ("---", ""),
            ("…", ""),
        ] {
            assert_eq!(person_slug(name), slug, "name: {name:?}");
        }
    }
}
