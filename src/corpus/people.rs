//! Bylines -> people. Owns turning a free-text `author` field into a list of persons
//! (`name`, optional `role`, stable `slug`). Pure functions only: no config, no I/O.
//!
//! It must not decide what a post displays as its author (the raw byline stays with the post),
//! nor apply config aliases or an explicit `authors:` list: callers do that on top of this.
//!
//! How a byline is read, in four steps:
//!
//! 1. **Normalise**: zero-width and other invisible characters vanish; every run of whitespace
//!    (newlines of a folded YAML string, non-breaking spaces, tabs) becomes one space; the ends are
//!    trimmed.
//! 2. **Lex** into words, parenthesised groups and separators: `,`, `;` (a new group), `and` /
//!    `et` / `&`, and a dash standing apart from a word (` - `, ` – `, ` — `). Parentheses nest;
//!    one left open runs to the end of the byline.
//! 3. **Classify** each chunk between separators as a *person* or a *role*. Honorifics before
//!    a name are dropped first, in English and French (`The Honourable`, `The Right Hon.`,
//!    `L’honorable`, `Le très honorable`, `Dr.`, `Prof.`, `Mr.`, `Mme`, `M.`, `Me`, ...: see
//!    `HONORIFICS`). A person is 2 to 4 capitalised words (particles such as `de`, `van`, `la`
//!    may sit between them; initials, hyphens, apostrophes and accents are fine) with no role
//!    or organisation word in it (`team`, `Service`, `Canada`, `conseillère`, `Storyteller`,
//!    ...) and no all-caps acronym. Anything else is a role: a lower-case word, a single word, an acronym, a team. A chunk
//!    right after a dash is always a role, and so is anything in parentheses. `Bob Roe de Santé
//!    Canada` (also `of`, `from`, `at`, `chez`) is a person followed by a role. A name where a
//!    role may stand, after a comma (`Ann Lee, Harbour Works`), is a role unless the caller's
//!    `known` names it, the byline names it elsewhere, or it is surely a name (see
//!    [`read_byline`]): the corpus, which knows who other posts name, settles the rest.
//! 4. **Assign** roles: consecutive role chunks form one role, kept verbatim (`manager, Pension
//!    Service, Employment and Social Development Canada` is one role, not four). A role goes to every person named since
//!    the previous role in the same `;` group, so `Ann Lee and Bob Roe, Developers` gives both the
//!    role. A role with nobody waiting is added to the last people who got one (`Ann Lee (Policy),
//!    CDS`), or dropped when it leads the group (a team-only byline names nobody).
//!
//! Finally the same person (same slug) named twice is kept once.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use crate::text::{normalize_space, person_slug};
use serde::Serialize;

/// One person named in a byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub slug: String,
    pub role: Option<String>,
    /// Their own page (absolute, http or https), where the site's file of people gives one
    /// (`[posts] people`); a byline gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A byline read: the people it names, and the names it holds where a role may stand that
/// were read as roles (see [`read_byline`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    pub people: Vec<Person>,
    /// Names written right after a person's, where a role may stand
    /// (`Philippe Tardif, Visual Storyteller`), read as that person's role because `known`
    /// did not know them. In their order.
    pub undecided: Vec<String>,
}

/// Splits a byline into the people it names, on its own: a name where a role may stand is a
/// role unless it is surely a name (see [`read_byline`]). Teams and organisations are not
/// people: a byline naming only a team gives an empty list.
pub fn parse_byline(byline: &str) -> Vec<Person> {
    read_byline(byline, &|_| false).people
}

/// Splits a byline into the people it names. What looks like a name where a role may stand,
/// after a comma (`Philippe Tardif, Visual Storyteller`, `Ann Lee, Bob Roe, CDS`, `Ann Lee,
/// Producer, Harbour Works`: see `ambiguous`), may be a name or the role of the person
/// before it: it is a person
/// when `known` says another post names them (given the name as written), when the byline
/// names them elsewhere, when an honorific comes before it (`Ann Lee, Dr. Bob Roe`), or when it is surely a name (a particle, an initial or abbreviation,
/// a hyphen or apostrophe inside a word, a capital inside a word: `de la`, `Q.`, `St.`,
/// `Jean-Luc`, `O'Neil`, `MacLeod`); otherwise a role, and listed in [`Reading::undecided`]. In a list of three
/// names or more, or two joined by `and`/`et`, every name is a person.
pub fn read_byline(byline: &str, known: &dyn Fn(&str) -> bool) -> Reading {
    let text = normalize_space(byline);
    let mut items = itemize(&text);
    let mut undecided = Vec::new();
    let ambiguous = ambiguous(&items);
    let named = if ambiguous.is_empty() {
        HashMap::new()
    } else {
        named_counts(&items)
    };
    for at in ambiguous {
        let Some(Item {
            kind: Kind::Person { name, titled, .. },
            ..
        }) = items.get(at)
        else {
            continue;
        };
        let named_elsewhere = named.get(&person_slug(name)).is_some_and(|&n| n > 1);
        if *titled || named_elsewhere || is_surely_a_name(name) || known(name) {
            continue;
        }
        undecided.push(name.clone());
        if let Some(item) = items.get_mut(at) {
            item.kind = Kind::Role {
                display: item.display.clone(),
            };
        }
    }
    let mut assembler = Assembler::new(&text);
    let mut group = 0;
    for item in items {
        if item.group != group {
            assembler.end_group();
            group = item.group;
        }
        assembler.take(item.span, item.kind);
    }
    Reading {
        people: assembler.finish(),
        undecided,
    }
}

// ---------------------------------------------------------------------------------------------
// Step 2: lex

/// A parenthesised group: `outer` includes the parentheses, `inner` does not.
#[derive(Debug, Clone)]
struct Paren {
    outer: Range<usize>,
    inner: Range<usize>,
}

#[derive(Debug, Clone)]
enum Token {
    Word(Range<usize>),
    Paren(Paren),
    Comma,
    Semicolon,
    Dash,
    And,
}

const DASHES: &[char] = &['-', '‐', '‑', '‒', '–', '—', '―', '−'];

/// Where each `(` closes (byte offsets). An unclosed `(` runs to the end of the text.
fn match_parens(text: &str) -> HashMap<usize, usize> {
    let mut closes = HashMap::new();
    let mut open = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                if let Some(start) = open.pop() {
                    closes.insert(start, i);
                }
            }
            _ => {}
        }
    }
    for start in open {
        closes.insert(start, text.len());
    }
    closes
}

/// Splits normalised text into tokens. Byte ranges always fall on char boundaries.
fn lex(text: &str) -> Vec<Token> {
    let closes = match_parens(text);
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) {
        match c {
            // A `)` seen here closes nothing (matched ones are skipped with their group).
            ' ' | ')' => pos += c.len_utf8(),
            ',' => {
                tokens.push(Token::Comma);
                pos += 1;
            }
            ';' => {
                tokens.push(Token::Semicolon);
                pos += 1;
            }
            '(' => {
                let close = closes.get(&pos).copied().unwrap_or(text.len());
                let end = if close < text.len() { close + 1 } else { close };
                tokens.push(Token::Paren(Paren {
                    outer: pos..end,
                    inner: pos + 1..close,
                }));
                pos = end;
            }
            _ => {
                let end = word_end(text, pos);
                push_word(text, pos..end, &mut tokens);
                pos = end;
            }
        }
    }
    tokens
}

fn word_end(text: &str, start: usize) -> usize {
    text.get(start..)
        .and_then(|rest| rest.find([' ', ',', ';', '(', ')']))
        .map_or(text.len(), |offset| start + offset)
}

/// Pushes one space-delimited word: a joiner, a dash, or a word with dashes stuck to its ends
/// split off (`Lee–` + ` CDS` reads as a dash; `Lee-Smith` stays one word).
fn push_word(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let Some(word) = text.get(range.clone()) else {
        return;
    };
    let core = word.trim_start_matches(DASHES);
    if core.len() < word.len() {
        tokens.push(Token::Dash);
    }
    let trimmed = core.trim_end_matches(DASHES);
    if !trimmed.is_empty() {
        if is_joiner(trimmed) {
            tokens.push(Token::And);
        } else {
            let start = range.start + (word.len() - core.len());
            tokens.push(Token::Word(start..start + trimmed.len()));
        }
    }
    if trimmed.len() < core.len() && !trimmed.is_empty() {
        tokens.push(Token::Dash);
    }
}

fn is_joiner(word: &str) -> bool {
    word == "&" || word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("et")
}

// ---------------------------------------------------------------------------------------------
// Step 3: classify

/// The words and parenthesised groups between two separators.
#[derive(Debug, Default)]
struct Chunk {
    words: Vec<Range<usize>>,
    parens: Vec<Paren>,
    /// How many words come before the first parenthesised group.
    words_before_paren: Option<usize>,
    span: Option<Range<usize>>,
}

impl Chunk {
    fn push_word(&mut self, word: Range<usize>) {
        self.extend_span(&word);
        self.words.push(word);
    }

    fn push_paren(&mut self, paren: Paren) {
        self.extend_span(&paren.outer);
        self.words_before_paren.get_or_insert(self.words.len());
        self.parens.push(paren);
    }

    fn extend_span(&mut self, range: &Range<usize>) {
        match &mut self.span {
            Some(span) => span.end = range.end,
            None => self.span = Some(range.clone()),
        }
    }

    /// The words that may name a person: those before any parenthesis.
    fn name_words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let n = self.words_before_paren.unwrap_or(self.words.len());
        self.words
            .iter()
            .take(n)
            .filter_map(|word| text.get(word.clone()))
            .collect()
    }

    /// The role written in parentheses after a name, e.g. `Ann Lee (Policy Advisor)`.
    fn paren_role(&self, text: &str, span: &Range<usize>) -> Option<String> {
        let first = self.parens.first()?;
        let role = if self.words_before_paren == Some(self.words.len()) {
            let inner: Vec<&str> = self
                .parens
                .iter()
                .filter_map(|paren| text.get(paren.inner.clone()).map(str::trim))
                .filter(|inner| !inner.is_empty())
                .collect();
            inner.join(", ")
        } else {
            // Words after the parenthesis too: keep the whole tail as written.
            text.get(first.outer.start..span.end)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        (!role.is_empty()).then_some(role)
    }

    /// How this chunk reads when it is a role on its own: a lone `(…)` loses its parentheses.
    fn role_display(&self, span: &Range<usize>) -> Range<usize> {
        match self.parens.as_slice() {
            [paren] if self.words.is_empty() => paren.inner.clone(),
            _ => span.clone(),
        }
    }
}

/// A chunk classified, with where it stands.
struct Item {
    span: Range<usize>,
    kind: Kind,
    /// What the chunk reads as when it is a role after all.
    display: Range<usize>,
    /// Which `;` group it is in.
    group: usize,
    /// Whether `and`, `et` or `&` stands between it and the chunk before.
    joined: bool,
}

/// Splits the byline into classified chunks, each with its group and what joins it to the
/// one before.
fn itemize(text: &str) -> Vec<Item> {
    let mut itemizer = Itemizer {
        text,
        items: Vec::new(),
        group: 0,
        joined: false,
        after_dash: false,
        group_started: false,
    };
    let mut chunk = Chunk::default();
    for token in lex(text) {
        match token {
            Token::Word(word) => chunk.push_word(word),
            Token::Paren(paren) => chunk.push_paren(paren),
            Token::Comma => itemizer.take(std::mem::take(&mut chunk)),
            Token::And => {
                itemizer.take(std::mem::take(&mut chunk));
                itemizer.joined = true;
            }
            Token::Dash => {
                itemizer.take(std::mem::take(&mut chunk));
                // What follows a dash after something is a role (`Ann Lee – Health Canada`).
                if itemizer.group_started {
                    itemizer.after_dash = true;
                }
            }
            Token::Semicolon => {
                itemizer.take(std::mem::take(&mut chunk));
                itemizer.group += 1;
                itemizer.joined = false;
                itemizer.after_dash = false;
                itemizer.group_started = false;
            }
        }
    }
    itemizer.take(chunk);
    itemizer.items
}

struct Itemizer<'t> {
    text: &'t str,
    items: Vec<Item>,
    group: usize,
    joined: bool,
    after_dash: bool,
    group_started: bool,
}

impl Itemizer<'_> {
    fn take(&mut self, chunk: Chunk) {
        let Some(span) = chunk.span.clone() else {
            return; // `, and`, `et et`: nothing between two separators.
        };
        let forced_role = std::mem::take(&mut self.after_dash);
        self.group_started = true;
        self.items.push(Item {
            kind: classify(self.text, &chunk, &span, forced_role),
            display: chunk.role_display(&span),
            span,
            group: self.group,
            joined: std::mem::take(&mut self.joined),
        });
    }
}

/// What a chunk turned out to be.
enum Kind {
    Role {
        display: Range<usize>,
    },
    Person {
        name: String,
        role: Option<String>,
        /// Written after an honorific (`Dr. Ann Lee`): surely a person.
        titled: bool,
    },
    /// `Bob Roe de Santé Canada`: a person, then their organisation.
    PersonThenRole {
        name: String,
        role: Range<usize>,
    },
}

impl Kind {
    fn is_person(&self) -> bool {
        matches!(self, Kind::Person { .. } | Kind::PersonThenRole { .. })
    }

    fn name(&self) -> Option<&str> {
        match self {
            Kind::Person { name, .. } | Kind::PersonThenRole { name, .. } => Some(name),
            Kind::Role { .. } => None,
        }
    }
}

fn classify(text: &str, chunk: &Chunk, span: &Range<usize>, forced_role: bool) -> Kind {
    let role = Kind::Role {
        display: chunk.role_display(span),
    };
    let all = chunk.name_words(text);
    if forced_role || all.is_empty() {
        return role;
    }
    // `The Honourable Scott Brison`, `L’honorable Scott Brison`: the name is what follows.
    let skip = honorific_words(&all);
    let words = all.get(skip..).unwrap_or_default();
    if is_person_name(words) {
        return Kind::Person {
            name: words.join(" "),
            role: chunk.paren_role(text, span),
            titled: skip > 0,
        };
    }
    if let Some(at) = affiliation_split(words)
        && let Some(role_start) = chunk.words.get(skip + at + 1)
    {
        return Kind::PersonThenRole {
            name: words.get(..at).unwrap_or_default().join(" "),
            role: role_start.start..span.end,
        };
    }
    role
}

/// Honorifics and courtesy titles, English and French, that may stand before a name: Canada's
/// styles (the Right Honourable, the Honourable, His/Her Excellency, His/Her Honour, His/Her
/// Worship, and their French forms), then courtesy, academic and parliamentary titles.
/// Compared without case or accents; a word written with a period needs it, any other may
/// have one or not (`Dr` and `Dr.`, `Hon.` but not `Hon`, a name too).
const HONORIFICS: &[&str] = &[
    "the right honourable",
    "the right honorable",
    "right honourable",
    "right honorable",
    "the right hon",
    "right hon",
    "the rt hon",
    "rt hon",
    "the honourable",
    "the honorable",
    "honourable",
    "honorable",
    "the hon",
    "hon.",
    "his excellency",
    "her excellency",
    "son excellence",
    "his honour",
    "her honour",
    "his honor",
    "her honor",
    "son honneur",
    "his worship",
    "her worship",
    "le tres honorable",
    "la tres honorable",
    "tres honorable",
    "l'honorable",
    "l'hon",
    "mr",
    "mrs",
    "ms",
    "mx",
    "miss",
    "sir",
    "dame",
    "dr",
    "dre",
    "prof",
    "professor",
    "professeur",
    "professeure",
    "pr",
    "m.",
    "mme",
    "mlle",
    "me",
    "monsieur",
    "madame",
    "mademoiselle",
    "maitre",
    "docteur",
    "docteure",
    "senator",
    "senateur",
    "senatrice",
];

/// How many of `words` are honorifics before a name: `The Honourable Dr. Ann Lee` -> 3. At
/// least one word is left for the name; what is left must still be a name to name a person.
fn honorific_words(words: &[&str]) -> usize {
    let keys: Vec<String> = words
        .iter()
        .map(|w| deunicode::deunicode(w).to_lowercase())
        .collect();
    let mut at = 0;
    'strip: loop {
        for phrase in HONORIFICS {
            let len = phrase.split(' ').count();
            let fits = keys.get(at..at + len).is_some_and(|keys| {
                phrase
                    .split(' ')
                    .zip(keys)
                    .all(|(want, key)| honorific_word_matches(want, key))
            });
            if fits && at + len < words.len() {
                at += len;
                continue 'strip;
            }
        }
        return at;
    }
}

fn honorific_word_matches(want: &str, key: &str) -> bool {
    key == want || (!want.ends_with('.') && key.strip_suffix('.') == Some(want))
}

/// Whether a name (as [`Kind::Person`] holds it) is surely one, not a role written in
/// capitals: a particle between its words (`Sofía de la Cruz`), an initial or abbreviation
/// (`Jane Q. Public`, `Mathéo St. Pierre`), a hyphen or apostrophe inside a word (`Jean-Luc`, `O'Neil`, `d’Arcy`), or a
/// capital after a small letter (`MacLeod`).
fn is_surely_a_name(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    let last = words.len().saturating_sub(1);
    words.iter().enumerate().any(|(i, word)| {
        let particle = i != 0 && i != last && is_one_of(word, PARTICLES);
        // Initials and abbreviations: `Q.`, `J.P.`, `St.`, `Jr.`.
        let initials = word.contains('.');
        let joined = word.contains(['-', '\'', '’']);
        let inner_capital = word
            .chars()
            .zip(word.chars().skip(1))
            .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
        particle || initials || joined || inner_capital
    })
}

/// The items that may name a person or be the role of the person before them: a bare name
/// (no role in parentheses) after a comma, and either right after another bare name with no
/// other name just before or after the two in the same `;` group (`Ann Lee, Harbour Works`;
/// three names or more are a list), or last in its group right after a role that follows a
/// person (`Ann Lee, Producer, Harbour Works`; one followed by a role is the next person:
/// `Ann Lee, Head of Design, Bob Roe, Head of Policy`).
fn ambiguous(items: &[Item]) -> Vec<usize> {
    let bare = |item: &Item| matches!(item.kind, Kind::Person { role: None, .. });
    let in_group = |at: Option<usize>, group: usize| {
        at.and_then(|at| items.get(at))
            .filter(|item| item.group == group)
    };
    let person_at =
        |at: Option<usize>, group: usize| in_group(at, group).is_some_and(|i| i.kind.is_person());
    let mut found = Vec::new();
    // Whether a person comes earlier in the current group.
    let mut after_someone = false;
    for (at, item) in items.iter().enumerate() {
        let before = at.checked_sub(1).and_then(|b| items.get(b));
        if before.is_none_or(|b| b.group != item.group) {
            after_someone = false;
        }
        if let Some(before) = before
            && bare(item)
            && !item.joined
            && before.group == item.group
        {
            let next = in_group(Some(at + 1), item.group);
            let undecided = if bare(before) {
                !person_at(at.checked_sub(2), item.group)
                    && !next.is_some_and(|n| n.kind.is_person())
            } else {
                let after_role =
                    matches!(before.kind, Kind::Role { .. } | Kind::PersonThenRole { .. });
                after_role && after_someone && next.is_none()
            };
            if undecided {
                found.push(at);
            }
        }
        after_someone |= item.kind.is_person();
    }
    found
}

/// How many items of the byline name each person, by slug.
fn named_counts(items: &[Item]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for name in items.iter().filter_map(|item| item.kind.name()) {
        *counts.entry(person_slug(name)).or_default() += 1;
    }
    counts
}

/// Words that may introduce a person's organisation: `Bob Roe de Santé Canada`.
const AFFILIATION_WORDS: &str = "de du des of from at chez";

/// The index of the first affiliation word that has a person's name before it and a role after.
fn affiliation_split(words: &[&str]) -> Option<usize> {
    let last = words.len().saturating_sub(1).min(MAX_NAME_WORDS);
    (2..=last).find(|&at| {
        words
            .get(at)
            .is_some_and(|word| is_one_of(word, AFFILIATION_WORDS))
            && words.get(..at).is_some_and(is_person_name)
    })
}

/// At most this many words (particles included) in a name.
const MAX_NAME_WORDS: usize = 7;

/// Lower-case words that may sit inside a name: `Marie de la Tour`, `Anna van der Berg`.
const PARTICLES: &str = "\
    al ap av ben bin bint da das de del della der des di do dos du e el ibn la le st st. ste ste. \
    ten ter van von y zu";

/// 2 to 4 capitalised words, optionally joined by particles, with at least one word longer than an
/// initial, no acronym and no role or organisation word.
fn is_person_name(words: &[&str]) -> bool {
    if words.len() > MAX_NAME_WORDS {
        return false;
    }
    let last = words.len().saturating_sub(1);
    let mut capitalised = 0;
    let mut beyond_initials = false;
    for (i, word) in words.iter().enumerate() {
        if i != 0 && i != last && is_one_of(word, PARTICLES) {
            continue;
        }
        if !is_name_word(word) {
            return false;
        }
        capitalised += 1;
        beyond_initials |= word.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    }
    (2..=4).contains(&capitalised) && beyond_initials
}

fn is_name_word(word: &str) -> bool {
    let letters_only = word
        .chars()
        .all(|c| c.is_alphabetic() || is_combining(c) || matches!(c, '-' | '\'' | '’' | '.'));
    letters_only && starts_like_name(word) && !is_acronym(word) && !has_role_part(word)
}

/// Upper-case (or caseless) first letter; `d'Arcy` and `l’Heureux` too.
fn starts_like_name(word: &str) -> bool {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() && !c.is_lowercase() => true,
        Some('d' | 'l') => {
            matches!(chars.next(), Some('\'' | '’')) && chars.next().is_some_and(char::is_uppercase)
        }
        _ => false,
    }
}

/// `CDS`, `SNC`, `RCMP`: two or more letters, all capitals, no dots (`J.P.` is initials).
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() >= 2 && letters.clone().all(char::is_uppercase) && !word.contains('.')
}

/// Combining diacritics, as left by decomposed (NFD) accents.
fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether any hyphen- or apostrophe-separated part of a word is a role word (`Co-Lead`,
/// `l’Équipe`).
fn has_role_part(word: &str) -> bool {
    word.split(['-', '\'', '’']).any(|part| {
        let key = deunicode::deunicode(part).to_ascii_lowercase();
        is_role_word(key.trim_matches('.'))
    })
}

/// A lower-case ASCII word that names a role, a team or an organisation.
fn is_role_word(key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let singular = key.strip_suffix('s').unwrap_or(key);
    let lists = lists();
    lists.role_words.contains(key)
        || lists.role_words.contains(singular)
        || lists.role_stems.iter().any(|stem| key.starts_with(stem))
}

/// The word lists as sets, built once.
struct Lists {
    role_words: HashSet<&'static str>,
    role_stems: Vec<&'static str>,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| Lists {
        role_words: ROLE_WORDS
            .iter()
            .flat_map(|words| words.split_whitespace())
            .collect(),
        role_stems: ROLE_STEMS.split_whitespace().collect(),
    })
}

/// Whether `word` is one of the space-separated `words`.
fn is_one_of(word: &str, words: &str) -> bool {
    words.split_whitespace().any(|w| w == word)
}

/// Whole role/organisation words (ASCII, lower case; a plural `s` is also accepted), by kind.
/// Deliberately leaves out words that are also common names (`Head`, `Guest`, `Junior`, `Dev`,
/// `Public`).
const ROLE_WORDS: &[&str] = &[DETERMINERS, BODIES, THINGS, ACRONYMS, ROLES, PORTFOLIOS];

/// Determiners a name never starts with.
const DETERMINERS: &str = "the our your notre nos votre vos les une un";

/// Teams and bodies.
const BODIES: &str = "\
    team equipe bureau bureaux unit unite branch branche division group groupe lab hub council \
    board committee comite centre center network reseau reseaux collective collectif community \
    initiative association foundation fondation corporation company compagnie entreprise startup \
    inc ltd llc school ecole faculty faculte library bibliotheque archive museum musee cabinet \
    privy parliament parlement senate senat city ville province territoire";

/// Products and things.
const THINGS: &str = "\
    app alert alerte notify form formulaire site web website blog blogue portal portail data \
    donnee tech ops devop software logiciel platform plateforme infrastructure";

/// Acronyms written in lower or mixed case.
const ACRONYMS: &str = "\
    ux ui qa sre hr rh it ti gc cds snc spc ssc rcmp grc esdc edsc cra arc tbs sct ircc ised isde \
    pspc spac ceo cto cio cdo coo cfo vp pm";

/// Roles.
const ROLES: &str = "\
    chief chef cheffe lead leader senior principal principale principaux deputy sous adjoint \
    adjointe vice general generale staff personnel talent content contenu outreach user usager \
    utilisateur utilisatrice client clientele customer support delivery livraison author auteur \
    auteure autrice expert experte mentor agent agente member membre intern stagiaire student \
    etudiant etudiante volunteer benevole writer editor editeur editrice translator traducteur \
    traductrice cadre pigiste storyteller conteur conteuse narrator narrateur narratrice \
    illustrator illustrateur illustratrice photographer photographe videographer videaste \
    animator animateur animatrice producer producteur productrice fellow recruiter recruteur \
    recruteuse trainer formateur formatrice facilitator facilitateur facilitatrice advocate \
    ambassador ambassadeur ambassadrice owner proprietaire designer";

/// Subjects and portfolios.
const PORTFOLIOS: &str = "\
    design research recherche science health sante revenue revenu employment emploi social sociale \
    benefit prestation pension finance budget security securite privacy confidentialite legal \
    juridique human humain humaine affair affaire relation environment environnement climate \
    climat energy energie transport agriculture fisherie peche ocean heritage patrimoine veteran \
    combattant custom douane border frontaliere safety emergency urgence shared partage partagee \
    visual visuel visuelle creative creatif creatrice creation \
    improvement publique federal federale national nationale regional regionale provincial \
    provinciale municipal municipale";

/// Prefixes of role/organisation words, long enough not to start a common name.
const ROLE_STEMS: &str = "\
    accessib administ advis agenc analy approvision architect assistan associat canad chercheu \
    citizen citoyen collabor commission communaut communic communit concept conseil consult \
    contribut coordin coordon counsel depart design develop developp direct dirige digital editori \
    employ engineer environ execut experien financ fondat founder gestion gouvern govern immigra \
    infrastruct ingenie innovat institut intelligen internation laborator manag minist moderni \
    numeri offic operation organis organiz partenar partner plateform platform polic politi presid \
    procure produit product profess program projet project redact research recherch ressource \
    resource respons scienti secretar sensibilis servic specialis statisti strateg superv technic \
    technolog traduct transform translat treasur tresor";

// ---------------------------------------------------------------------------------------------
// Step 4: assign roles

/// A person as parsed, before slugging and de-duplication.
struct Draft {
    name: String,
    role: Option<String>,
}

/// Consecutive role chunks, read as one role.
struct RoleRun {
    span: Range<usize>,
    /// What to show when the run is a single chunk (a lone `(…)` without its parentheses).
    display: Range<usize>,
    chunks: usize,
}

/// Walks the chunks in order and hands each role to the people it belongs to.
struct Assembler<'t> {
    text: &'t str,
    people: Vec<Draft>,
    /// People named since the last role in this group, still without one.
    pending: Vec<usize>,
    /// The people who got the most recent role in this group.
    last_batch: Vec<usize>,
    run: Option<RoleRun>,
}

impl<'t> Assembler<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            people: Vec::new(),
            pending: Vec::new(),
            last_batch: Vec::new(),
            run: None,
        }
    }

    fn take(&mut self, span: Range<usize>, kind: Kind) {
        match kind {
            Kind::Role { display } => self.extend_run(span, display),
            Kind::Person { name, role, .. } => {
                self.flush_run();
                self.add_person(name);
                if let Some(role) = role {
                    self.give_role(&role);
                }
            }
            Kind::PersonThenRole { name, role } => {
                self.flush_run();
                self.add_person(name);
                self.extend_run(role.clone(), role);
            }
        }
    }

    fn end_group(&mut self) {
        self.flush_run();
        self.pending.clear();
        self.last_batch.clear();
    }

    fn add_person(&mut self, name: String) {
        self.pending.push(self.people.len());
        self.people.push(Draft { name, role: None });
    }

    fn extend_run(&mut self, span: Range<usize>, display: Range<usize>) {
        match &mut self.run {
            Some(run) => {
                run.span.end = span.end;
                run.chunks += 1;
            }
            None => {
                self.run = Some(RoleRun {
                    span,
                    display,
                    chunks: 1,
                })
            }
        }
    }

    fn flush_run(&mut self) {
        let Some(run) = self.run.take() else {
            return;
        };
        let range = if run.chunks == 1 {
            run.display
        } else {
            run.span
        };
        let role = self.text.get(range).unwrap_or_default().trim();
        if !role.is_empty() {
            self.give_role(role);
        }
    }

    /// Gives `role` to everyone waiting for one, or else adds it to the last role given.
    fn give_role(&mut self, role: &str) {
        if self.pending.is_empty() {
            for &i in &self.last_batch {
                if let Some(person) = self.people.get_mut(i) {
                    match &mut person.role {
                        Some(existing) => {
                            existing.push_str(", ");
                            existing.push_str(role);
                        }
                        None => person.role = Some(role.to_owned()),
                    }
                }
            }
            return;
        }
        for &i in &self.pending {
            if let Some(person) = self.people.get_mut(i) {
                person.role = Some(role.to_owned());
            }
        }
        self.last_batch = std::mem::take(&mut self.pending);
    }

    /// Slugs everyone, drops empty slugs and keeps the first mention of each slug (taking a
    /// later mention's role if the first had none).
    fn finish(mut self) -> Vec<Person> {
        self.end_group();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut people: Vec<Person> = Vec::new();
        for Draft { name, role } in self.people {
            let slug = person_slug(&name);
            if slug.is_empty() {
                continue;
            }
            if let Some(&i) = seen.get(&slug) {
                if let Some(first) = people.get_mut(i)
                    && first.role.is_none()
                {
                    first.role = role;
                }
                continue;
            }
            seen.insert(slug.clone(), people.len());
            people.push(Person {
                name,
                slug,
                role,
                url: None,
            });
        }
        people
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(name: &str, role: Option<&str>, slug: &str) -> Person {
        Person {
            name: name.to_owned(),
            slug: slug.to_owned(),
            role: role.map(str::to_owned),
            url: None,
        }
    }

    /// `^[a-z0-9]+(-[a-z0-9]+)*$`
    fn is_slug(s: &str) -> bool {
        !s.is_empty()
            && s.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    }

    type Row = (
        &'static str,
        &'static [(&'static str, Option<&'static str>, &'static str)],
    );

    /// Every byline form in CORPUS.md, in its order, then the front matter example.
    const CORPUS_FORMS: &[Row] = &[
        (
            "Jane Public, Design Research",
            &[("Jane Public", Some("Design Research"), "jane-public")],
        ),
        (
            "Ann Lee and Bob Roe",
            &[("Ann Lee", None, "ann-lee"), ("Bob Roe", None, "bob-roe")],
        ),
        (
            "Ann Lee and Bob Roe, Developers",
            &[
                ("Ann Lee", Some("Developers"), "ann-lee"),
                ("Bob Roe", Some("Developers"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, Outreach and Bob Roe, Content Design",
            &[
                ("Ann Lee", Some("Outreach"), "ann-lee"),
                ("Bob Roe", Some("Content Design"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, Bob Roe, Cy Doe, and Di Poe, CDS",
            &[
                ("Ann Lee", Some("CDS"), "ann-lee"),
                ("Bob Roe", Some("CDS"), "bob-roe"),
                ("Cy Doe", Some("CDS"), "cy-doe"),
                ("Di Poe", Some("CDS"), "di-poe"),
            ],
        ),
        (
            " Ann Lee (Policy Advisor), Bob Roe (SRE Lead) ",
            &[
                ("Ann Lee", Some("Policy Advisor"), "ann-lee"),
                ("Bob Roe", Some("SRE Lead"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee (Revenue Agency) and Bob Roe (Digital Service)",
            &[
                ("Ann Lee", Some("Revenue Agency"), "ann-lee"),
                ("Bob Roe", Some("Digital Service"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, CDS; Bob Roe and Cy Doe, Office of the Chief HR Officer",
            &[
                ("Ann Lee", Some("CDS"), "ann-lee"),
                ("Bob Roe", Some("Office of the Chief HR Officer"), "bob-roe"),
                ("Cy Doe", Some("Office of the Chief HR Officer"), "cy-doe"),
            ],
        ),
        (
            "Ann Lee, manager, Pension Service Improvement Strategy,\n  Employment and Social Development Canada",
            &[(
                "Ann Lee",
                Some(
                    "manager, Pension Service Improvement Strategy, Employment and Social Development Canada",
                ),
                "ann-lee",
            )],
        ),
        (
            "Ann Lee et Bob Roe",
            &[("Ann Lee", None, "ann-lee"), ("Bob Roe", None, "bob-roe")],
        ),
        (
            "Ann Lee, Bob Roe et Cy Doe",
            &[
                ("Ann Lee", None, "ann-lee"),
                ("Bob Roe", None, "bob-roe"),
                ("Cy Doe", None, "cy-doe"),
            ],
        ),
        (
            "Ann Lee – Services partagés Canada (SPC)",
            &[("Ann Lee", Some("Services partagés Canada (SPC)"), "ann-lee")],
        ),
        (
            "Ann Lee et Bob Roe de Santé Canada",
            &[
                ("Ann Lee", Some("Santé Canada"), "ann-lee"),
                ("Bob Roe", Some("Santé Canada"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, conception de contenu et et Bob Roe, recherche",
            &[
                ("Ann Lee", Some("conception de contenu"), "ann-lee"),
                ("Bob Roe", Some("recherche"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, Bob Roe, and Cy Doe(Conseillères principales) ",
            &[
                ("Ann Lee", Some("Conseillères principales"), "ann-lee"),
                ("Bob Roe", Some("Conseillères principales"), "bob-roe"),
                ("Cy Doe", Some("Conseillères principales"), "cy-doe"),
            ],
        ),
        (
            "Élise Côté, Outreach",
            &[("Élise Côté", Some("Outreach"), "elise-cote")],
        ),
        (
            "Ann  Lee, Talent",
            &[("Ann Lee", Some("Talent"), "ann-lee")],
        ),
        (
            "Ann Lee, Head of Design, Bob Roe, Head of Policy",
            &[
                ("Ann Lee", Some("Head of Design"), "ann-lee"),
                ("Bob Roe", Some("Head of Policy"), "bob-roe"),
            ],
        ),
        (
            "Ann Lee, Bob Roe (Designers, CDS), Cy Doe (Director, RCMP)",
            &[
                ("Ann Lee", Some("Designers, CDS"), "ann-lee"),
                ("Bob Roe", Some("Designers, CDS"), "bob-roe"),
                ("Cy Doe", Some("Director, RCMP"), "cy-doe"),
            ],
        ),
        (
            "Ann Lee, Director - Alert App; Bob Roe - Advisory Council",
            &[
                ("Ann Lee", Some("Director - Alert App"), "ann-lee"),
                ("Bob Roe", Some("Advisory Council"), "bob-roe"),
            ],
        ),
        ("The Forms product team", &[]),
        ("Équipe des politiques du Service numérique (SNC)", &[]),
        ("", &[]),
        (
            "Jane Q. Public, Design Research",
            &[("Jane Q. Public", Some("Design Research"), "jane-q-public")],
        ),
    ];

    /// Further shapes and traps, with invented names.
    const EDGE_CASES: &[Row] = &[
        // Whitespace and invisible characters.
        (
            "\u{a0}Mira\u{a0}Okafor\u{200b}, Data\u{202f}Science\u{feff}  ",
            &[("Mira Okafor", Some("Data Science"), "mira-okafor")],
        ),
        ("Tomás\tRuiz\r\n", &[("Tomás Ruiz", None, "tomas-ruiz")]),
        (" \u{200b} \u{a0}\n", &[]),
        // Duplicates, including through spacing and a later role.
        (
            "Mira Okafor and Mira  Okafor",
            &[("Mira Okafor", None, "mira-okafor")],
        ),
        (
            "Mira Okafor; Mira Okafor, Research",
            &[("Mira Okafor", Some("Research"), "mira-okafor")],
        ),
        // Particles, hyphens, apostrophes, initials, other scripts' letters.
        (
            "Sofía de la Cruz, analyste",
            &[("Sofía de la Cruz", Some("analyste"), "sofia-de-la-cruz")],
        ),
        (
            "Pieter van der Berg & Liam O'Neil",
            &[
                ("Pieter van der Berg", None, "pieter-van-der-berg"),
                ("Liam O'Neil", None, "liam-o-neil"),
            ],
        ),
        (
            "Jean-Luc Picard-Roy et Noémie d’Arcy",
            &[
                ("Jean-Luc Picard-Roy", None, "jean-luc-picard-roy"),
                ("Noémie d’Arcy", None, "noemie-d-arcy"),
            ],
        ),
        (
            "J.P. Moreau, Mathéo St. Pierre",
            &[
                ("J.P. Moreau", None, "j-p-moreau"),
                ("Mathéo St. Pierre", None, "matheo-st-pierre"),
            ],
        ),
        (
            "Ahmet Yılmaz and Jürgen Groß",
            &[
                ("Ahmet Yılmaz", None, "ahmet-yilmaz"),
                ("Jürgen Groß", None, "jurgen-gross"),
            ],
        ),
        // Decomposed accents are the same person as precomposed ones.
        (
            "Ele\u{301}na Ruiz, Élena Ruiz",
            &[("Ele\u{301}na Ruiz", None, "elena-ruiz")],
        ),
        // Not people: single words, acronyms, teams, lower case, determiners.
        ("Madonna", &[]),
        ("CDS", &[]),
        ("CDS SNC", &[]),
        ("Digital Service", &[]),
        ("The Notify Team", &[]),
        ("L’équipe de Notification GC", &[]),
        ("Q. R.", &[]),
        ("mira okafor", &[]),
        // Roles in many places.
        (
            "Mira Okafor, conseillère principale en politiques",
            &[(
                "Mira Okafor",
                Some("conseillère principale en politiques"),
                "mira-okafor",
            )],
        ),
        (
            "Mira Okafor — Bureau du dirigeant principal de l’information",
            &[(
                "Mira Okafor",
                Some("Bureau du dirigeant principal de l’information"),
                "mira-okafor",
            )],
        ),
        (
            "Mira Okafor – Harbour Works",
            &[("Mira Okafor", Some("Harbour Works"), "mira-okafor")],
        ),
        (
            "Mira Okafor– Data",
            &[("Mira Okafor", Some("Data"), "mira-okafor")],
        ),
        (
            "Mira Okafor-Lind, Tech Lead",
            &[("Mira Okafor-Lind", Some("Tech Lead"), "mira-okafor-lind")],
        ),
        (
            "Mira Okafor of Treasury Board",
            &[("Mira Okafor", Some("Treasury Board"), "mira-okafor")],
        ),
        (
            "Marie de la Tour de Santé Canada",
            &[("Marie de la Tour", Some("Santé Canada"), "marie-de-la-tour")],
        ),
        (
            "Mira Okafor, (Product Design)",
            &[("Mira Okafor", Some("Product Design"), "mira-okafor")],
        ),
        (
            "Mira Okafor (Policy Advisor), CDS",
            &[("Mira Okafor", Some("Policy Advisor, CDS"), "mira-okafor")],
        ),
        (
            "Mira Okafor (Policy Advisor) (CDS)",
            &[("Mira Okafor", Some("Policy Advisor, CDS"), "mira-okafor")],
        ),
        (
            "Mira Okafor (Designer (UX)), Tomás Ruiz",
            &[
                ("Mira Okafor", Some("Designer (UX)"), "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
            ],
        ),
        (
            "Mira Okafor and Tomás Ruiz, Developers, and Aiko Brandt",
            &[
                ("Mira Okafor", Some("Developers"), "mira-okafor"),
                ("Tomás Ruiz", Some("Developers"), "tomas-ruiz"),
                ("Aiko Brandt", None, "aiko-brandt"),
            ],
        ),
        (
            "Mira Okafor AND Tomás Ruiz",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
            ],
        ),
        // Broken punctuation.
        (
            "Mira Okafor (Policy Advisor",
            &[("Mira Okafor", Some("Policy Advisor"), "mira-okafor")],
        ),
        (
            "Mira Okafor) and Tomás Ruiz ()",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
            ],
        ),
        (
            ",, ;; Mira Okafor ,, ; ,",
            &[("Mira Okafor", None, "mira-okafor")],
        ),
        ("- Mira Okafor", &[("Mira Okafor", None, "mira-okafor")]),
        // A role never crosses a `;`.
        (
            "Mira Okafor; Tomás Ruiz, CDS",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", Some("CDS"), "tomas-ruiz"),
            ],
        ),
        // A leading role has nobody to go to.
        ("CDS, Mira Okafor", &[("Mira Okafor", None, "mira-okafor")]),
    ];

    /// Honorifics before names, in English and French, and roles that look like names.
    const TITLES_AND_ROLES: &[Row] = &[
        (
            "The Honourable Scott Brison, President of the Treasury Board",
            &[(
                "Scott Brison",
                Some("President of the Treasury Board"),
                "scott-brison",
            )],
        ),
        (
            "L'honorable Scott Brison, président du Conseil du Trésor",
            &[(
                "Scott Brison",
                Some("président du Conseil du Trésor"),
                "scott-brison",
            )],
        ),
        (
            "L’Honorable Scott Brison",
            &[("Scott Brison", None, "scott-brison")],
        ),
        (
            "The Right Honourable Mira Okafor, Prime Minister",
            &[("Mira Okafor", Some("Prime Minister"), "mira-okafor")],
        ),
        (
            "the Rt. Hon. Mira Okafor and Right Hon. Tomás Ruiz",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
            ],
        ),
        (
            "Le très honorable Mira Okafor et la très honorable Aiko Brandt",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Aiko Brandt", None, "aiko-brandt"),
            ],
        ),
        (
            "His Excellency the Right Honourable Tomás Ruiz",
            &[("Tomás Ruiz", None, "tomas-ruiz")],
        ),
        (
            "Hon. Mira Okafor; l'hon. Tomás Ruiz, ministre",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", Some("ministre"), "tomas-ruiz"),
            ],
        ),
        (
            "Dr. Aisha Mohamed, Dr Tomás Ruiz and Prof. Aiko Brandt",
            &[
                ("Aisha Mohamed", None, "aisha-mohamed"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
                ("Aiko Brandt", None, "aiko-brandt"),
            ],
        ),
        (
            "Professor Aiko Brandt (Research)",
            &[("Aiko Brandt", Some("Research"), "aiko-brandt")],
        ),
        (
            "mr. Tomás Ruiz and DR. Aiko Brandt",
            &[
                ("Tomás Ruiz", None, "tomas-ruiz"),
                ("Aiko Brandt", None, "aiko-brandt"),
            ],
        ),
        (
            "Mme Élise Côté et M. Tomás Ruiz de Santé Canada",
            &[
                ("Élise Côté", Some("Santé Canada"), "elise-cote"),
                ("Tomás Ruiz", Some("Santé Canada"), "tomas-ruiz"),
            ],
        ),
        (
            "Mrs. Aiko Brandt, Ms Mira Okafor, Mx. Sam Lee, Mlle Aisha Mohamed",
            &[
                ("Aiko Brandt", None, "aiko-brandt"),
                ("Mira Okafor", None, "mira-okafor"),
                ("Sam Lee", None, "sam-lee"),
                ("Aisha Mohamed", None, "aisha-mohamed"),
            ],
        ),
        (
            "Me Sofía de la Cruz, avocate",
            &[("Sofía de la Cruz", Some("avocate"), "sofia-de-la-cruz")],
        ),
        (
            "Dre Élise Côté, Sénatrice Aisha Mohamed",
            &[
                ("Élise Côté", None, "elise-cote"),
                ("Aisha Mohamed", None, "aisha-mohamed"),
            ],
        ),
        // An honorific and a surname alone name nobody, as a surname alone does.
        ("Dr. Okafor", &[]),
        ("The Honourable", &[]),
        // `Hon` without a period, and `Me`, `Pr` as names, are names.
        ("Hon Lam, Design", &[("Hon Lam", Some("Design"), "hon-lam")]),
        // Roles that look like names.
        (
            "Philippe Tardif, Visual Storyteller",
            &[(
                "Philippe Tardif",
                Some("Visual Storyteller"),
                "philippe-tardif",
            )],
        ),
        (
            "Aiko Brandt, conteuse visuelle",
            &[("Aiko Brandt", Some("conteuse visuelle"), "aiko-brandt")],
        ),
        (
            "Aiko Brandt, Illustrator; Tomás Ruiz, Photographer",
            &[
                ("Aiko Brandt", Some("Illustrator"), "aiko-brandt"),
                ("Tomás Ruiz", Some("Photographer"), "tomas-ruiz"),
            ],
        ),
        (
            "Aiko Brandt, Creative Producer, Harbour Works",
            &[(
                "Aiko Brandt",
                Some("Creative Producer, Harbour Works"),
                "aiko-brandt",
            )],
        ),
        // A name where a role may stand, on its own: a role (the corpus may say otherwise).
        (
            "Mira Okafor, Harbour Works",
            &[("Mira Okafor", Some("Harbour Works"), "mira-okafor")],
        ),
        (
            "Mira Okafor, Tomás Ruiz, CDS",
            &[("Mira Okafor", Some("Tomás Ruiz, CDS"), "mira-okafor")],
        ),
        // ...unless it is surely a name.
        (
            "Mira Okafor, Jean-Luc Roy",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Jean-Luc Roy", None, "jean-luc-roy"),
            ],
        ),
        (
            "Mira Okafor, Kevin MacLeod",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Kevin MacLeod", None, "kevin-macleod"),
            ],
        ),
        (
            "Mira Okafor, Liam O'Neil",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Liam O'Neil", None, "liam-o-neil"),
            ],
        ),
        // Or named elsewhere in the byline.
        (
            "Mira Okafor, Tomás Ruiz; Tomás Ruiz, CDS",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", Some("CDS"), "tomas-ruiz"),
            ],
        ),
        // In a list, or joined by `and`, every name is a person.
        (
            "Mira Okafor, Tomás Ruiz, Aiko Brandt",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
                ("Aiko Brandt", None, "aiko-brandt"),
            ],
        ),
        (
            "Mira Okafor, Tomás Ruiz et Aiko Brandt, CDS",
            &[
                ("Mira Okafor", Some("CDS"), "mira-okafor"),
                ("Tomás Ruiz", Some("CDS"), "tomas-ruiz"),
                ("Aiko Brandt", Some("CDS"), "aiko-brandt"),
            ],
        ),
        (
            "Mira Okafor, and Tomás Ruiz",
            &[
                ("Mira Okafor", None, "mira-okafor"),
                ("Tomás Ruiz", None, "tomas-ruiz"),
            ],
        ),
    ];

    fn check_rows(rows: &[Row]) {
        for (byline, expected) in rows {
            let expected: Vec<Person> = expected
                .iter()
                .map(|(name, role, slug)| person(name, *role, slug))
                .collect();
            assert_eq!(parse_byline(byline), expected, "byline: {byline:?}");
        }
    }

    #[test]
    fn every_corpus_form() {
        check_rows(CORPUS_FORMS);
    }

    #[test]
    fn edge_cases() {
        check_rows(EDGE_CASES);
    }

    #[test]
    fn titles_and_roles() {
        check_rows(TITLES_AND_ROLES);
    }

    #[test]
    fn a_name_where_a_role_may_stand_is_a_person_when_known() {
        let knows = |names: &'static [&'static str]| move |name: &str| names.contains(&name);
        for (byline, known, people, undecided) in [
            (
                "Mira Okafor, Tomás Ruiz",
                &["Tomás Ruiz"][..],
                &[("Mira Okafor", None), ("Tomás Ruiz", None)][..],
                &[][..],
            ),
            (
                "Mira Okafor, Tomás Ruiz",
                &["Mira Okafor"],
                &[("Mira Okafor", Some("Tomás Ruiz"))],
                &["Tomás Ruiz"],
            ),
            (
                "Mira Okafor, Tomás Ruiz, CDS",
                &["Tomás Ruiz"],
                &[("Mira Okafor", Some("CDS")), ("Tomás Ruiz", Some("CDS"))],
                &[],
            ),
            (
                "Mira Okafor, Visual Lead; Aiko Brandt, Harbour Works",
                &["Harbour Works"],
                &[
                    ("Mira Okafor", Some("Visual Lead")),
                    ("Aiko Brandt", None),
                    ("Harbour Works", None),
                ],
                &[],
            ),
            (
                "Mira Okafor, Harbour Works; Aiko Brandt, Tide Mill",
                &[],
                &[
                    ("Mira Okafor", Some("Harbour Works")),
                    ("Aiko Brandt", Some("Tide Mill")),
                ],
                &["Harbour Works", "Tide Mill"],
            ),
            (
                "Mira Okafor, Tomás Ruiz et Aiko Brandt",
                &[],
                &[
                    ("Mira Okafor", None),
                    ("Tomás Ruiz", None),
                    ("Aiko Brandt", None),
                ],
                &[],
            ),
        ] {
            let reading = read_byline(byline, &knows(known));
            let got: Vec<(&str, Option<&str>)> = reading
                .people
                .iter()
                .map(|p| (p.name.as_str(), p.role.as_deref()))
                .collect();
            assert_eq!(got, people, "{byline:?} knowing {known:?}");
            assert_eq!(reading.undecided, undecided, "{byline:?} knowing {known:?}");
        }
    }

    #[test]
    fn acronyms_and_name_words() {
        for word in ["CDS", "SNC", "RCMP", "ÉTS"] {
            assert!(is_acronym(word), "{word}");
        }
        for word in ["Q.", "J.P.", "McDonald", "DeShawn", "A", "Lee", "李"] {
            assert!(!is_acronym(word), "{word}");
        }
        for word in [
            "Lee",
            "O'Neil",
            "d’Arcy",
            "Lee-Smith",
            "Q.",
            "Côté",
            "Ele\u{301}na",
        ] {
            assert!(is_name_word(word), "{word}");
        }
        for word in [
            "lee",
            "Team",
            "Co-Lead",
            "l’Équipe",
            "R2D2",
            "CDS",
            "(Lee",
            "Développeuse",
        ] {
            assert!(!is_name_word(word), "{word}");
        }
    }

    #[test]
    fn same_person_same_slug_whatever_the_role_or_language() {
        let en = parse_byline("Élise Côté, Outreach");
        let fr = parse_byline("Élise  Côté et Tomás Ruiz de Santé Canada");
        assert_eq!(en.first().map(|p| &p.slug), fr.first().map(|p| &p.slug));
    }

    /// A distinct two-word name for every `i`, from letters only.
    fn nth_name(i: usize) -> String {
        let word = |mut n: usize, first: char| {
            let mut w = String::from(first);
            loop {
                w.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
                if n == 0 {
                    break;
                }
            }
            w.push('o');
            w
        };
        format!("{} {}", word(i, 'K'), word(i / 7, 'Z'))
    }

    #[test]
    fn ten_thousand_names() {
        let names: Vec<String> = (0..10_000).map(nth_name).collect();
        let byline = format!("{}, and Mira Okafor, CDS", names.join(", "));
        let people = parse_byline(&byline);
        assert_eq!(people.len(), 10_001);
        assert!(people.iter().all(|p| p.role.as_deref() == Some("CDS")));

        let with_roles: Vec<String> = names.iter().map(|n| format!("{n} (Design)")).collect();
        assert_eq!(parse_byline(&with_roles.join(" et ")).len(), 10_000);
    }

    #[test]
    fn pathological_inputs_finish() {
        for byline in [
            "(".repeat(20_000),
            ")".repeat(20_000),
            "((a) ".repeat(5_000),
            "Ann Lee de ".repeat(5_000),
            "and et & ".repeat(5_000),
            "– - — ".repeat(5_000),
            "Ann Lee, CDS, ".repeat(5_000),
            "Ann Lee (Policy) , CDS ; ".repeat(5_000),
        ] {
            let people = parse_byline(&byline);
            assert!(people.len() <= 1, "{}", people.len());
        }
        // Thousands of names where a role may stand, each named elsewhere in the byline.
        for byline in ["Ann Lee, Bob Roe; ", "Ann Lee, CDS, Bob Roe; "] {
            let people = parse_byline(&byline.repeat(10_000));
            assert_eq!(people.len(), 2, "{byline:?}");
        }
    }

    /// Pieces bylines are made of, so that generated inputs hit the interesting paths.
    fn byline_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "Ann", "Lee", "Élise", "Côté", "O'Neil", "Q.", "de", "la", "van", "CDS", "team",
                "Équipe", "manager", "Canada", "Bob", "Roe", "d’Arcy", "Jean-Luc",
            ])
            .prop_map(str::to_owned),
            prop::sample::select(vec![
                " ", ", ", " and ", " et ", " & ", "; ", " – ", " - ", "(", ")", "\u{a0}",
                "\u{200b}", "\n", "  ",
            ])
            .prop_map(str::to_owned),
            "\\PC{0,4}",
            any::<char>().prop_map(String::from),
        ]
    }

    fn byline_like() -> impl Strategy<Value = String> {
        prop::collection::vec(byline_piece(), 0..40).prop_map(|pieces| pieces.concat())
    }

    fn check_output(people: &[Person]) -> Result<(), TestCaseError> {
        let mut slugs = std::collections::HashSet::new();
        for p in people {
            prop_assert!(is_slug(&p.slug), "bad slug {:?}", p.slug);
            prop_assert!(slugs.insert(p.slug.clone()), "duplicate {:?}", p.slug);
            prop_assert_eq!(p.name.trim(), p.name.as_str());
            prop_assert!(!p.name.contains("  "));
            if let Some(role) = &p.role {
                prop_assert!(!role.is_empty());
                prop_assert_eq!(role.trim(), role.as_str());
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            check_output(&parse_byline(&s))?;
        }

        #[test]
        fn byline_like_inputs_give_valid_people(s in byline_like()) {
            check_output(&parse_byline(&s))?;
        }

        #[test]
        fn spacing_does_not_matter(s in byline_like()) {
            let spaced = s.replace(' ', " \u{a0}\u{200b} ");
            prop_assert_eq!(parse_byline(&s), parse_byline(&spaced));
        }

        #[test]
        fn person_slug_is_clean(s in any::<String>()) {
            let slug = person_slug(&s);
            prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            prop_assert!(slug.is_empty() || is_slug(&slug));
        }
    }
}
