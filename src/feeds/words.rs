//! The few words feeds say about themselves, in the feed's language (English otherwise).

/// "Posts by Jane Doe" in `lang`.
pub fn posts_by(lang: &str, name: &str) -> String {
    match lang {
        "fr" => format!("Billets de {name}"),
        _ => format!("Posts by {name}"),
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
}
