//! The few words feeds say about themselves, in the feed's language (English otherwise).

use crate::corpus::Taxonomy;

/// "Posts by Jane Doe" in `lang`. French elides `de` before a vowel: "Billets d’Aisha Mohamed"
/// (see [`elides_de`]).
pub fn posts_by(lang: &str, name: &str) -> String {
    match lang {
        "fr" if elides_de(name) => format!("Billets d’{name}"),
        "fr" => format!("Billets de {name}"),
        _ => format!("Posts by {name}"),
    }
}

pub use crate::text::names;

/// What a tag's or a category's feed holds, in `lang`: "Posts tagged Accessibility",
/// "Billets étiquetés Accessibilité"; "Posts in the category News", "Billets de la catégorie
/// Nouvelles".
pub fn posts_in(taxonomy: Taxonomy, lang: &str, name: &str) -> String {
    match (taxonomy, lang) {
        (Taxonomy::Tag, "fr") => format!("Billets étiquetés {name}"),
        (Taxonomy::Tag, _) => format!("Posts tagged {name}"),
        (Taxonomy::Category, "fr") => format!("Billets de la catégorie {name}"),
        (Taxonomy::Category, _) => format!("Posts in the category {name}"),
    }
}

/// Whether French writes `d’` rather than `de` before `name`: when it starts with a vowel,
/// accented or not (`Aisha`, `Élise`, `Œdipe`), or with a `y` sounded as a vowel, that is
/// followed by a consonant (`Yves`, but `de Yasmine`). An `h` is left alone: whether it is
/// mute (`d’Hélène`) or aspirated (`de Hubert`) depends on the name, which no rule of
/// spelling tells, and `de` before a name is never wrong.
fn elides_de(name: &str) -> bool {
    const VOWELS: &str = "aeiouàâäáéèêëíîïìóôöòúûüùæœ";
    let mut letters = name.chars().flat_map(char::to_lowercase);
    match letters.next() {
        Some('y' | 'ÿ') => letters
            .next()
            .is_some_and(|c| c.is_alphabetic() && !VOWELS.contains(c)),
        Some(c) => VOWELS.contains(c),
        None => false,
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
        assert_eq!(posts_by("fr", "Ann Lee"), "Billets d’Ann Lee");
        assert_eq!(posts_by("fr", "Bob Roe"), "Billets de Bob Roe");
        assert_eq!(posts_by("de", "Ann Lee"), "Posts by Ann Lee");
        assert_eq!(joined(["A", "B", "A"].into_iter()), "A / B");
        let (tag, category) = (Taxonomy::Tag, Taxonomy::Category);
        assert_eq!(posts_in(tag, "en", "Forms"), "Posts tagged Forms");
        assert_eq!(
            posts_in(tag, "fr", "Accessibilité"),
            "Billets étiquetés Accessibilité"
        );
        assert_eq!(
            posts_in(category, "en", "News"),
            "Posts in the category News"
        );
        assert_eq!(
            posts_in(category, "fr", "Nouvelles"),
            "Billets de la catégorie Nouvelles"
        );
        assert_eq!(posts_in(tag, "de", "Forms"), "Posts tagged Forms");
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

    #[test]
    fn french_elides_de_before_a_vowel() {
        for (name, title) in [
            ("Aisha Mohamed", "Billets d’Aisha Mohamed"),
            ("Élise Côté", "Billets d’Élise Côté"),
            ("émile Roy", "Billets d’émile Roy"),
            ("Ines Roy", "Billets d’Ines Roy"),
            ("Oumar Diallo", "Billets d’Oumar Diallo"),
            ("Ursula Roy", "Billets d’Ursula Roy"),
            ("Œlle Roy", "Billets d’Œlle Roy"),
            ("Yves Roy", "Billets d’Yves Roy"),
            ("Yasmine Roy", "Billets de Yasmine Roy"),
            ("Yannick Roy", "Billets de Yannick Roy"),
            ("Henri Roy", "Billets de Henri Roy"),
            ("Hélène Roy", "Billets de Hélène Roy"),
            ("Sam Chen", "Billets de Sam Chen"),
            ("李 Wei", "Billets de 李 Wei"),
            ("", "Billets de "),
        ] {
            assert_eq!(posts_by("fr", name), title, "{name:?}");
        }
        assert_eq!(posts_by("en", "Aisha Mohamed"), "Posts by Aisha Mohamed");
    }
}
