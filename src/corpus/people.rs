//! Bylines -> people. Owns turning a free-text `author` field into a list of persons
//! (`name`, optional `role`, stable `slug`). Pure functions only: no config, no I/O.

use serde::Serialize;

/// One person named in a byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub slug: String,
    pub role: Option<String>,
}

/// Splits a byline into the people it names. Teams and organisations are not people:
/// a byline naming only a team gives an empty list.
pub fn parse_byline(_byline: &str) -> Vec<Person> {
    Vec::new()
}

/// A person's slug: ASCII transliteration, lower-cased, runs of other characters -> one `-`.
pub fn person_slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
