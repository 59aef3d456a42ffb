//! The few words feeds say about themselves, in the feed's language (English otherwise).

/// "Posts by Jane Doe" in `lang`.
pub fn posts_by(lang: &str, name: &str) -> String {
    match lang {
        "fr" => format!("Billets de {name}"),
        _ => format!("Posts by {name}"),
    }
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

/// Several languages' versions of one text, side by side: "Title / Titre".
pub fn joined<S: AsRef<str>>(parts: impl Iterator<Item = S>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for part in parts {
        let part = part.as_ref();
        if !seen.iter().any(|s| s == part) {
            seen.push(part.to_string());
        }
    }
    seen.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_each_language() {
        assert_eq!(posts_by("en", "Ann Lee"), "Posts by Ann Lee");
        assert_eq!(posts_by("fr", "Ann Lee"), "Billets de Ann Lee");
        assert_eq!(posts_by("de", "Ann Lee"), "Posts by Ann Lee");
        assert_eq!(joined(["A", "B", "A"].into_iter()), "A / B");
    }

    #[test]
    fn names_in_running_text() {
        let none: [&str; 0] = [];
        assert_eq!(names("en", &none), "");
        assert_eq!(names("en", &["Ann Lee"]), "Ann Lee");
        assert_eq!(names("en", &["Ann Lee", "Bob Roe"]), "Ann Lee and Bob Roe");
        assert_eq!(
            names("en", &["Ann Lee", "Bob Roe", "Cy Doe"]),
            "Ann Lee, Bob Roe and Cy Doe"
        );
        assert_eq!(
            names("fr", &["Ann Lee", "Bob Roe", "Cy Doe"]),
            "Ann Lee, Bob Roe et Cy Doe"
        );
        assert_eq!(names("de", &["Ann Lee", "Bob Roe"]), "Ann Lee and Bob Roe");
    }
}
