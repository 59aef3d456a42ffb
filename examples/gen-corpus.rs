//! Deterministic generator of a synthetic bilingual (English/French) blog corpus, shaped and
//! messed up like the real one described in `shared/CORPUS.md`, for load tests and benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- OUT_DIR N
//! ```
//!
//! Writes into `OUT_DIR`:
//!
//! - `config.toml`: two languages (`en`, `fr`), `America/Toronto`, section `blog`, one alias;
//! - `content/{en,fr}/blog/_index.md`: the section pages (not posts);
//! - `content/{en,fr}/blog/posts/*.md`: `N` posts, about half in each language, nearly all in
//!   translation pairs sharing a `translationKey` (about 1% have no partner);
//! - a handful of pages in other sections (`content/en/products/`, `content/en/guides/`,
//!   `content/fr/products/`) that are not posts.
//!
//! Posts average about 11 KB (2 KB to 20 KB), so `N = 100000` is about 1.1 GB. Their front
//! matter uses all four date forms, dates from 2012 to mid-2026, bylines in every shape the
//! corpus shows (drawn from a pool of about 2,000 invented people), folded strings, stray
//! spaces, non-breaking and zero-width spaces, and rare extra keys. File names are messy
//! (capitals, accents, typographic quotes, `:`, `?`, `&`, brackets, a leading dash, spaces, a
//! date prefix now and then), but each one holds the post's index number as its only run of
//! digits outside a date prefix, so every post's slug, and so its permalink, is unique within its
//! language, and file names are unique even ignoring case. Bodies mix Markdown (headings, lists,
//! block quotes, tables, footnotes, code) with raw HTML (`<p>`, `<a>`, `<img>`, `<details>`,
//! `<br>`, `<span>`, now and then a `<script>` or `<iframe>`), with site-relative links and
//! images.
//!
//! The output depends only on `N`: the same `N` gives byte-identical files on any machine, and
//! the posts of a smaller `N` are (but for the last one or two) the first posts of a larger one.
//! `OUT_DIR` may exist, but must not already hold posts (stale posts from an earlier run would
//! silently change the corpus). Work is spread over the available cores.
//!
//! Exit status: 0 on success, 1 on an I/O error, 2 on bad arguments.

#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Seed of every random choice; changing it changes the whole corpus.
const SEED: u64 = 0x5359_4E44_4943_0001;
/// Largest `N` accepted (about 110 GB of posts).
const MAX_POSTS: usize = 10_000_000;
/// Size of the pool of invented people, unless `--people` says otherwise.
const PEOPLE: usize = 2_000;

const USAGE: &str = "usage: gen-corpus OUT_DIR N [--people P]

Writes a deterministic synthetic corpus of N blog posts (about 11 KB each, half English, half
French) into OUT_DIR: config.toml and content/{en,fr}/blog/... OUT_DIR must not already hold
posts. Bylines name people from a pool of P (default 2,000, at least 40) invented people.

example: cargo run --release --example gen-corpus -- /tmp/corpus 100000";

const CONFIG: &str = r#"content_dir = "content"
timezone = "America/Toronto"
sections = ["blog"]
permalink = "/:year/:month/:day/:slug/"

[languages.en]
base_url = "https://digital.example.ca/"
title = "Example Digital Service"
description = "News from the Example Digital Service"

[languages.fr]
base_url = "https://numerique.example.ca/"
title = "Service numérique exemple"
description = "Nouvelles du Service numérique exemple"

[authors.aliases]
"Dan Roe" = "Daniel Roe"
"#;

/// Pages that are not posts: section indexes and other sections.
const OTHER_PAGES: &[(&str, &str)] = &[
    (
        "content/en/blog/_index.md",
        "---\ntitle: Blog\ndescription: News from the Example Digital Service\nlayout: blog-index\n---\n",
    ),
    (
        "content/fr/blog/_index.md",
        "---\ntitle: Blogue\ndescription: 'Nouvelles du Service numérique exemple'\nlayout: blog-index\n---\n",
    ),
    (
        "content/en/products/_index.md",
        "---\ntitle: Products\nlayout: products\n---\n\nThe products we build and run.\n",
    ),
    (
        "content/en/products/notify.md",
        "---\ntitle: Notify\ndescription: Send emails and text messages\ndate: 2019-05-01T12:00:00.000Z\nlayout: product\n---\n\nNotify sends emails and text messages. See [the blog](/blog/).\n",
    ),
    (
        "content/en/guides/getting-started.md",
        "---\ntitle: 'Getting started: a guide'\ndate: '2020-02-03 10:00:00 -0500'\n---\n\n## Step one\n\nRead the [guide](/guides/).\n",
    ),
    (
        "content/fr/products/_index.md",
        "---\ntitle: Produits\nlayout: products\n---\n\nLes produits que nous construisons.\n",
    ),
    (
        "content/fr/products/notification.md",
        "---\ntitle: Notification\ndescription: 'Envoyer des courriels et des messages texte'\ndate: 2019-05-01T12:00:00.000Z\nlayout: product\n---\n\nNotification envoie des courriels.\n",
    ),
];

// ---------------------------------------------------------------------------------------------
// Randomness

/// SplitMix64: tiny, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(stream: u64, index: u64) -> Self {
        let mut r = Rng(SEED ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.0 ^= r.next_u64() ^ index.wrapping_mul(0xE703_7ED1_A0B4_28DB);
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Index into `weights`, drawn in proportion to the weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// Streams: independent random sequences for independent decisions.
const STREAM_PEOPLE: u64 = 1;
const STREAM_GROUP: u64 = 2;
const STREAM_POST: u64 = 3;

// ---------------------------------------------------------------------------------------------
// Languages and words

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Fr,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn and(self) -> &'static str {
        match self {
            Lang::En => "and",
            Lang::Fr => "et",
        }
    }

    fn vocab(self) -> &'static Vocab {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// A French text puts a non-breaking space before `: ; ? !`.
    fn before_punct(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Fr => "\u{a0}",
        }
    }
}

/// A pair of strings, one per language.
type Both = (&'static str, &'static str);

fn tr(lang: Lang, both: &Both) -> &'static str {
    match lang {
        Lang::En => both.0,
        Lang::Fr => both.1,
    }
}

struct Vocab {
    common: &'static [&'static str],
    onset: &'static [&'static str],
    vowel: &'static [&'static str],
    coda: &'static [&'static str],
}

#[rustfmt::skip]
const EN: Vocab = Vocab {
    common: &[
        "the", "the", "the", "the", "a", "a", "of", "of", "of", "to", "to", "to", "and", "and",
        "in", "in", "is", "is", "we", "we", "our", "for", "for", "that", "with", "on", "it", "this",
        "as", "are", "be", "by", "from", "you", "your", "can", "have", "more", "how", "what",
        "when", "users", "people", "service", "services", "team", "teams", "government", "digital",
        "design", "data", "product", "products", "policy", "research", "forms", "benefits",
        "delivery", "work", "working", "open", "source", "public", "process", "build", "built",
        "learn", "learned", "test", "testing", "content", "language", "access", "accessible",
        "plain", "partners", "department", "departments", "platform", "cloud", "security",
        "privacy", "feedback", "prototype", "help", "helps", "better", "new", "first", "each",
        "every", "also", "about", "using", "user", "needs", "apply", "application", "online",
        "website", "pages", "we’re", "it’s", "don’t", "that’s", "can’t", "there", "they", "them",
        "their", "which", "will", "would", "could", "should", "not", "all", "one", "two", "three",
        "many", "some", "time", "year", "years", "week", "weeks", "month", "way", "ways", "support",
        "staff", "hiring", "talent", "agile", "iterate", "experiment", "launch", "launched",
        "pilot", "survey", "interviews", "findings", "insights", "lessons", "Canada", "Canadians",
        "Ottawa", "federal", "CEO", "API", "CDS", "GC", "guide", "advice", "percentage", "next",
        "lead", "partnership", "approach", "journey", "outcomes", "legacy", "modern", "systems",
        "procurement", "contract", "budget", "metrics",
    ],
    onset: &[
        "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "st", "pl", "gr",
        "th", "ch", "br", "tr", "sh", "cl", "sp",
    ],
    vowel: &["a", "e", "i", "o", "u", "ea", "ou", "ai", "ee", "oa"],
    coda: &[
        "", "", "", "n", "r", "st", "nd", "ng", "t", "ck", "ll", "rs", "ts", "ble", "ment", "tion",
        "ing", "er", "ly",
    ],
};

#[rustfmt::skip]
const FR: Vocab = Vocab {
    common: &[
        "le", "le", "la", "la", "les", "les", "des", "des", "de", "de", "de", "du", "un", "une",
        "et", "et", "et", "à", "à", "en", "en", "pour", "avec", "sur", "dans", "par", "nous",
        "notre", "nos", "vous", "votre", "est", "sont", "qui", "que", "plus", "aussi", "comme",
        "ce", "cette", "ces", "service", "services", "équipe", "équipes", "gouvernement",
        "numérique", "conception", "données", "produit", "produits", "politique", "politiques",
        "recherche", "formulaires", "prestations", "travail", "ouvert", "source", "public",
        "publique", "processus", "construire", "apprendre", "tester", "contenu", "langage", "clair",
        "accessibilité", "partenaires", "ministère", "ministères", "plateforme", "nuage",
        "sécurité", "confidentialité", "rétroaction", "prototype", "aider", "meilleur", "nouveau",
        "nouvelle", "premier", "première", "chaque", "utilisateurs", "utilisatrices", "besoins",
        "demande", "en ligne", "site", "pages", "l’équipe", "d’abord", "qu’il", "c’est", "n’est",
        "aujourd’hui", "l’accessibilité", "d’une", "l’expérience", "s’il", "où", "été", "être",
        "fait", "faire", "très", "déjà", "après", "année", "années", "semaine", "mois", "façon",
        "soutien", "personnel", "embauche", "talents", "agile", "itérer", "expérience", "lancement",
        "projet", "pilote", "sondage", "entrevues", "résultats", "leçons", "Canada", "Canadiens",
        "Canadiennes", "Ottawa", "fédéral", "conseils", "réussir", "l’écart", "genres", "entrevue",
        "partenariat", "démarche", "systèmes", "approvisionnement", "contrat", "budget", "mesures",
        "SNC", "GC",
    ],
    onset: &[
        "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "pr", "tr",
        "gr", "bl", "qu",
    ],
    vowel: &[
        "a", "e", "i", "o", "u", "é", "é", "è", "ê", "ou", "ai", "au", "eu", "oi", "â", "ô", "î",
    ],
    coda: &[
        "", "", "", "n", "r", "s", "t", "l", "nt", "x", "que", "tion", "ment", "ette", "elle",
        "ière", "age",
    ],
};

/// Pushes one word, common or invented.
fn push_word(out: &mut String, lang: Lang, rng: &mut Rng) {
    let v = lang.vocab();
    if rng.chance(780) {
        out.push_str(rng.pick(v.common));
    } else {
        for _ in 0..rng.range(1, 3) {
            out.push_str(rng.pick(v.onset));
            out.push_str(rng.pick(v.vowel));
        }
        out.push_str(rng.pick(v.coda));
    }
}

fn word(lang: Lang, rng: &mut Rng) -> String {
    let mut w = String::new();
    push_word(&mut w, lang, rng);
    w
}

/// An ASCII word for URLs and file names of images.
fn push_ascii_word(out: &mut String, rng: &mut Rng) {
    for _ in 0..rng.range(1, 3) {
        out.push_str(rng.pick(EN.onset));
        out.push_str(rng.pick(EN.vowel));
    }
    out.push_str(rng.pick(EN.coda));
}

/// Upper-cases the first character of `out[from..]`.
fn capitalize_from(out: &mut String, from: usize) {
    if let Some(c) = out[from..].chars().next() {
        if c.is_lowercase() {
            let upper: String = c.to_uppercase().collect();
            out.replace_range(from..from + c.len_utf8(), &upper);
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut out = s.to_owned();
    capitalize_from(&mut out, 0);
    out
}

/// ASCII folding of the accented letters this generator uses, lower-cased, with every run of
/// other characters turned into one `-` (the person-slug rule of CORPUS.md).
fn fold_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let folded: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => "e",
            'î' | 'ï' | 'í' | 'ı' | 'Î' | 'Ï' => "i",
            'ô' | 'ö' | 'ó' | 'Ô' => "o",
            'ù' | 'û' | 'ü' | 'ú' | 'Û' => "u",
            'ç' | 'Ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            'œ' => "oe",
            _ => "",
        };
        if !folded.is_empty() || c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if folded.is_empty() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push_str(folded);
            }
        } else {
            dash = true;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// People, roles, organisations

struct Person {
    name: String,
    /// The role this person usually signs with (index into `ROLES`).
    role: usize,
}

#[rustfmt::skip]
const FIRST_A: &[&str] = &[
    "Ma", "Jo", "Li", "Ca", "Ro", "An", "Fran", "Na", "Sa", "Ju", "Mi", "Da", "El", "Al", "Be",
    "Cé", "É", "Hé", "Ré", "Zo", "Ka", "Ta", "Lu", "Pa", "Gi", "No", "Chri", "Ai", "Ya", "Se", "Ol",
    "Vi", "Au", "Ge", "Ra", "Amé", "Jé", "Gaë", "Ste", "Ni",
];
#[rustfmt::skip]
const FIRST_B: &[&str] = &[
    "rie", "lise", "ne", "ra", "dré", "na", "ël", "an", "ette", "çois", "is", "ien", "ine", "a",
    "o", "el", "ssa", "ïs", "leen", "mon", "vin", "dia", "ika", "than", "uel", "ny", "rah", "ilie",
    "lle", "rôme",
];
#[rustfmt::skip]
const LAST_A: &[&str] = &[
    "Tre", "Côt", "Bou", "Gag", "Lam", "Mac", "Far", "Ost", "Nak", "Pel", "Bé", "Lév", "Ro", "Du",
    "Fon", "Gau", "Her", "Kow", "Lin", "Mor", "Ng", "Pat", "Qui", "Sin", "Tan", "Va", "Wil", "Yıl",
    "Zh", "Wei", "Ben", "Car", "Ar", "Ol", "O'Br", "St-Ar", "Fi", "Gré", "Ló", "Mü",
];
#[rustfmt::skip]
const LAST_B: &[&str] = &[
    "é", "blay", "non", "bert", "ley", "rand", "ier", "son", "ard", "ault", "chard", "ova", "ski",
    "ura", "dız", "auß", "eiß", "mann", "gé", "tin", "ette", "rault", "ell", "oux", "ien", "ani",
    "ez", "ow", "iak", "am", "naud", "pez", "ller",
];

/// Words a name must not contain: they would read as connectors or teams.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "and", "et", "de", "du", "des", "la", "le", "of", "the", "team", "van", "von", "none",
    "null", "true", "false", "yes", "no", "on", "off",
];

fn invent_name(rng: &mut Rng) -> String {
    let mut name = String::new();
    name.push_str(rng.pick(FIRST_A));
    name.push_str(rng.pick(FIRST_B));
    if rng.chance(50) {
        name.push('-');
        name.push_str(rng.pick(FIRST_A));
        name.push_str(rng.pick(FIRST_B));
    }
    if rng.chance(50) {
        name.push(' ');
        name.push(char::from(b'A' + rng.below(26) as u8));
        name.push('.');
    }
    name.push(' ');
    name.push_str(rng.pick(LAST_A));
    name.push_str(rng.pick(LAST_B));
    if rng.chance(50) {
        name.push('-');
        name.push_str(rng.pick(LAST_A));
        name.push_str(rng.pick(LAST_B));
    }
    name
}

/// The pool of invented people, every one with a distinct slug. "Daniel Roe" is among them
/// (config aliases "Dan Roe" to him).
fn build_people(size: usize) -> Vec<Person> {
    let mut rng = Rng::new(STREAM_PEOPLE, 0);
    let mut seen = HashSet::new();
    let mut people = Vec::with_capacity(size);
    seen.insert(fold_slug("Daniel Roe"));
    while people.len() < size {
        if people.len() == 37 {
            people.push(Person {
                name: "Daniel Roe".to_owned(),
                role: 1,
            });
            continue;
        }
        let name = invent_name(&mut rng);
        let bad = name
            .split([' ', '-'])
            .any(|t| NOT_NAMES.contains(&t.to_lowercase().as_str()));
        if bad || !seen.insert(fold_slug(&name)) {
            continue;
        }
        let role = rng.below(ROLES.len());
        people.push(Person { name, role });
    }
    people
}

const ROLES: &[Both] = &[
    ("Design Research", "Recherche en conception"),
    ("Developer", "Développeur"),
    ("Product Manager", "Gestionnaire de produit"),
    ("Policy Advisor", "Conseillère en politiques"),
    ("SRE Lead", "Responsable de la fiabilité"),
    ("Content Design", "conception de contenu"),
    ("Outreach", "Sensibilisation"),
    ("Talent", "Talents"),
    ("Director", "Directrice"),
    ("Head of Design", "Cheffe de la conception"),
    ("Head of Policy", "Chef des politiques"),
    ("Research", "recherche"),
    ("Engineering Manager", "Gestionnaire de l’ingénierie"),
    ("Data Scientist", "Scientifique des données"),
    ("Senior Advisor", "Conseiller principal"),
    ("Chief Executive Officer", "Directeur général"),
    ("Service Designer", "Concepteur de services"),
    ("Accessibility Specialist", "Spécialiste de l’accessibilité"),
];
const PLURAL_ROLES: &[Both] = &[
    ("Developers", "Développeurs"),
    ("Designers", "Designers"),
    ("Senior Advisors", "Conseillères principales"),
    ("Policy Advisors", "Conseillers en politiques"),
    ("Researchers", "Chercheuses"),
];
const SHORT_ORGS: &[Both] = &[
    ("CDS", "SNC"),
    ("RCMP", "GRC"),
    ("ESDC", "EDSC"),
    ("TBS", "SCT"),
    ("IRCC", "IRCC"),
];
const ORGS: &[Both] = &[
    ("Canadian Digital Service", "Service numérique canadien"),
    (
        "Office of the Chief HR Officer",
        "Bureau de la dirigeante principale des ressources humaines",
    ),
    ("Revenue Agency", "Agence du revenu"),
    ("Digital Service", "Service numérique"),
    ("Health Canada", "Santé Canada"),
    (
        "Shared Services Canada (SSC)",
        "Services partagés Canada (SPC)",
    ),
    (
        "Treasury Board Secretariat",
        "Secrétariat du Conseil du Trésor",
    ),
    ("Veterans Affairs Canada", "Anciens Combattants Canada"),
];
const TEAMS: &[Both] = &[
    ("The Forms product team", "L’équipe du produit Formulaires"),
    (
        "Digital Service Policy Team",
        "Équipe des politiques du Service numérique (SNC)",
    ),
    ("The Notify team", "L’équipe de Notification"),
    ("CDS Design Team", "Équipe de conception du SNC"),
    ("Example Digital Service", "Service numérique exemple"),
    ("The Talent team", "L’équipe des talents"),
];

/// Byline shapes of CORPUS.md, with their weights (per mille).
#[derive(Clone, Copy)]
enum Shape {
    OneRole,
    One,
    Two,
    TwoShared,
    TwoRoles,
    Oxford,
    Parens,
    ParenOrg,
    Groups,
    Folded,
    EnDash,
    FrDe,
    DoubledEt,
    NoSpaceParen,
    DoubleSpace,
    CommaRoles,
    ParenCommas,
    DashRoles,
    Team,
    Empty,
}

const SHAPES: &[(Shape, usize)] = &[
    (Shape::OneRole, 260),
    (Shape::One, 115),
    (Shape::Two, 80),
    (Shape::TwoShared, 50),
    (Shape::TwoRoles, 60),
    (Shape::Oxford, 50),
    (Shape::Parens, 40),
    (Shape::ParenOrg, 30),
    (Shape::Groups, 30),
    (Shape::Folded, 20),
    (Shape::EnDash, 30),
    (Shape::FrDe, 25),
    (Shape::DoubledEt, 10),
    (Shape::NoSpaceParen, 15),
    (Shape::DoubleSpace, 30),
    (Shape::CommaRoles, 25),
    (Shape::ParenCommas, 20),
    (Shape::DashRoles, 20),
    (Shape::Team, 80),
    (Shape::Empty, 10),
];

impl Shape {
    fn people(self, rng: &mut Rng) -> usize {
        match self {
            Shape::Team | Shape::Empty => 0,
            Shape::OneRole | Shape::One | Shape::Folded | Shape::EnDash | Shape::DoubleSpace => 1,
            Shape::Groups | Shape::NoSpaceParen | Shape::ParenCommas => 3,
            Shape::Oxford => rng.range(3, 4),
            _ => 2,
        }
    }
}

/// What a translation pair shares: who wrote it, in which shape, with which roles.
struct Byline {
    shape: Shape,
    people: Vec<usize>,
    roles: Vec<usize>,
    org: [usize; 2],
    short_org: usize,
    plural: usize,
    team: usize,
    explicit_list: bool,
}

fn plan_byline(rng: &mut Rng, pool: usize) -> Byline {
    let weights: Vec<usize> = SHAPES.iter().map(|s| s.1).collect();
    let shape = SHAPES[rng.weighted(&weights)].0;
    let count = shape.people(rng);
    let mut people: Vec<usize> = Vec::with_capacity(count);
    while people.len() < count {
        // Skewed: a few people write a lot, most write a little.
        let a = rng.below(pool);
        let b = rng.below(pool);
        let p = a * b / pool;
        if !people.contains(&p) {
            people.push(p);
        }
    }
    let roles = (0..count)
        .map(|_| {
            if rng.chance(250) {
                rng.below(ROLES.len())
            } else {
                usize::MAX
            }
        })
        .collect();
    Byline {
        shape,
        people,
        roles,
        org: [rng.below(ORGS.len()), rng.below(ORGS.len())],
        short_org: rng.below(SHORT_ORGS.len()),
        plural: rng.below(PLURAL_ROLES.len()),
        team: rng.below(TEAMS.len()),
        explicit_list: count > 0 && rng.chance(8),
    }
}

/// How a scalar is written in the front matter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Folded,
}

fn render_byline(
    b: &Byline,
    lang: Lang,
    pool: &[Person],
    rng: &mut Rng,
) -> (String, Style, Vec<String>) {
    let names: Vec<String> = b
        .people
        .iter()
        .map(|&p| {
            let name = &pool[p].name;
            if name == "Daniel Roe" && rng.chance(400) {
                "Dan Roe".to_owned()
            } else {
                name.clone()
            }
        })
        .collect();
    let role = |i: usize| {
        let r = if b.roles[i] == usize::MAX {
            pool[b.people[i]].role
        } else {
            b.roles[i]
        };
        tr(lang, &ROLES[r])
    };
    let and = lang.and();
    let org = |i: usize| tr(lang, &ORGS[b.org[i]]);
    let short = tr(lang, &SHORT_ORGS[b.short_org]);
    let plural = tr(lang, &PLURAL_ROLES[b.plural]);
    let n = |i: usize| names[i].as_str();
    let mut style = Style::Single;
    let text = match b.shape {
        Shape::OneRole => format!("{}, {}", n(0), role(0)),
        Shape::One => n(0).to_owned(),
        Shape::Two => format!("{} {and} {}", n(0), n(1)),
        Shape::TwoShared => format!("{} {and} {}, {plural}", n(0), n(1)),
        Shape::TwoRoles => format!("{}, {} {and} {}, {}", n(0), role(0), n(1), role(1)),
        Shape::Oxford => {
            let last = names.len() - 1;
            let head = names[..last].join(", ");
            match lang {
                Lang::En => format!("{head}, and {}, {short}", n(last)),
                Lang::Fr => format!("{head} et {}, {short}", n(last)),
            }
        }
        Shape::Parens => {
            style = Style::Single;
            format!(" {} ({}), {} ({}) ", n(0), role(0), n(1), role(1))
        }
        Shape::ParenOrg => format!("{} ({}) {and} {} ({})", n(0), org(0), n(1), org(1)),
        Shape::Groups => format!("{}, {short}; {} {and} {}, {}", n(0), n(1), n(2), org(1)),
        Shape::Folded => {
            style = Style::Folded;
            match lang {
                Lang::En => format!(
                    "{}, manager, Pension Service Improvement Strategy,\nEmployment and Social Development Canada",
                    n(0)
                ),
                Lang::Fr => format!(
                    "{}, gestionnaire, Stratégie d’amélioration des services de pension,\nEmploi et Développement social Canada",
                    n(0)
                ),
            }
        }
        Shape::EnDash => format!("{} – {}", n(0), org(0)),
        Shape::FrDe => match lang {
            Lang::En => format!("{} and {}, {}", n(0), n(1), org(0)),
            Lang::Fr => format!("{} et {} de {}", n(0), n(1), org(0)),
        },
        Shape::DoubledEt => match lang {
            Lang::En => format!("{}, {} and {}, {}", n(0), role(0), n(1), role(1)),
            Lang::Fr => format!("{}, {} et et {}, {}", n(0), role(0), n(1), role(1)),
        },
        Shape::NoSpaceParen => {
            style = Style::Single;
            match lang {
                Lang::En => format!("{}, {}, and {}({plural}) ", n(0), n(1), n(2)),
                Lang::Fr => format!("{}, {} et {}({plural}) ", n(0), n(1), n(2)),
            }
        }
        Shape::DoubleSpace => format!("{}, {}", n(0).replacen(' ', "  ", 1), role(0)),
        Shape::CommaRoles => format!("{}, {}, {}, {}", n(0), role(0), n(1), role(1)),
        Shape::ParenCommas => format!(
            "{}, {} ({plural}, {short}), {} ({}, {})",
            n(0),
            n(1),
            n(2),
            role(2),
            tr(lang, &SHORT_ORGS[(b.short_org + 1) % SHORT_ORGS.len()])
        ),
        Shape::DashRoles => {
            let (app, council) = match lang {
                Lang::En => ("Alert App", "Advisory Council"),
                Lang::Fr => ("Appli d’alerte", "Conseil consultatif"),
            };
            format!("{}, {} - {app}; {} - {council}", n(0), role(0), n(1))
        }
        Shape::Team => tr(lang, &TEAMS[b.team]).to_owned(),
        Shape::Empty => String::new(),
    };
    let keeps_quotes = matches!(b.shape, Shape::Parens | Shape::NoSpaceParen | Shape::Empty);
    if style == Style::Single && !keeps_quotes {
        let r = rng.below(100);
        if r < 25 {
            style = Style::Plain;
        } else if r < 30 {
            style = Style::Double;
        }
    }
    let list = if b.explicit_list {
        b.people.iter().map(|&p| pool[p].name.clone()).collect()
    } else {
        Vec::new()
    };
    (text, style, list)
}

// ---------------------------------------------------------------------------------------------
// Dates

/// 2012-01-01T00:00:00Z and 2026-07-01T00:00:00Z.
const FIRST_SECOND: i64 = 1_325_376_000;
const LAST_SECOND: i64 = 1_782_864_000;

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Day number of the `nth` Sunday of a month (0 = Sunday for `(days + 4) % 7`).
fn nth_sunday(y: i64, m: i64, nth: i64) -> i64 {
    let first = days_from_civil(y, m, 1);
    let weekday = (first + 4).rem_euclid(7);
    first + (7 - weekday) % 7 + 7 * (nth - 1)
}

/// UTC offset of America/Toronto in seconds (the post-2007 daylight saving rule).
fn toronto_offset(t: i64) -> i64 {
    let (y, _, _) = civil_from_days(t.div_euclid(86_400));
    let start = nth_sunday(y, 3, 2) * 86_400 + 7 * 3600;
    let end = nth_sunday(y, 11, 1) * 86_400 + 6 * 3600;
    if (start..end).contains(&t) {
        -4 * 3600
    } else {
        -5 * 3600
    }
}

#[derive(Clone, Copy)]
enum DateForm {
    /// `2021-01-11T23:27:37.170Z`
    Bare,
    /// `'2022-10-06T12:00:00.000Z'`
    QuotedZ,
    /// `'2018-03-09 09:00:00 -0400'`
    Offset,
    /// `'2023-10-03T10:53:35'`, Toronto local time.
    Local,
}

/// A written date: its text and the y/m/d it shows (the permalink's date).
fn render_date(t: i64, millis: i64, form: DateForm) -> (String, (i64, i64, i64)) {
    let mut t = t;
    let offset = match form {
        DateForm::Bare | DateForm::QuotedZ => 0,
        DateForm::Offset | DateForm::Local => {
            let mut off = toronto_offset(t);
            if let DateForm::Local = form {
                // Keep clear of the hours that daylight saving makes ambiguous.
                if (t + off).rem_euclid(86_400) < 3 * 3600 {
                    t += 6 * 3600;
                    off = toronto_offset(t);
                }
            }
            off
        }
    };
    let local = t + offset;
    let (y, mo, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let text = match form {
        DateForm::Bare => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}Z"),
        DateForm::QuotedZ => {
            format!("'{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}Z'")
        }
        DateForm::Offset => format!(
            "'{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} -{:02}00'",
            -offset / 3600
        ),
        DateForm::Local => format!("'{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}'"),
    };
    (text, (y, mo, d))
}

fn pick_date_form(rng: &mut Rng) -> DateForm {
    match rng.weighted(&[40, 25, 15, 20]) {
        0 => DateForm::Bare,
        1 => DateForm::QuotedZ,
        2 => DateForm::Offset,
        _ => DateForm::Local,
    }
}

// ---------------------------------------------------------------------------------------------
// Titles and file names

struct Title {
    words: Vec<String>,
    colon_after: Option<usize>,
    question: bool,
    amp_before: Option<usize>,
    quoted: Option<(usize, usize)>,
    dash_before: Option<usize>,
}

fn plan_title(lang: Lang, rng: &mut Rng) -> Title {
    let count = rng.range(3, 8);
    let mut words: Vec<String> = (0..count).map(|_| word(lang, rng)).collect();
    words[0] = capitalized(&words[0]);
    if lang == Lang::En && rng.chance(150) {
        for w in &mut words {
            *w = capitalized(w);
        }
    }
    let colon_after = rng.chance(150).then(|| rng.below(count - 1));
    let amp_before = rng.chance(40).then(|| rng.range(1, count - 1));
    let quoted = rng.chance(40).then(|| {
        let a = rng.below(count - 1);
        (a, rng.range(a, (a + 2).min(count - 1)))
    });
    let dash_before = rng.chance(25).then(|| rng.range(1, count - 1));
    Title {
        words,
        colon_after,
        question: rng.chance(90),
        amp_before,
        quoted,
        dash_before,
    }
}

fn render_title(t: &Title, lang: Lang, rng: &mut Rng) -> String {
    let mut s = String::new();
    for (i, w) in t.words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if t.amp_before == Some(i) {
            s.push_str("& ");
        }
        if t.dash_before == Some(i) {
            s.push_str("— ");
        }
        if t.quoted.is_some_and(|q| q.0 == i) {
            s.push_str(if lang == Lang::Fr { "«\u{a0}" } else { "‘" });
        }
        s.push_str(w);
        if t.quoted.is_some_and(|q| q.1 == i) {
            s.push_str(if lang == Lang::Fr { "\u{a0}»" } else { "’" });
        }
        if t.colon_after == Some(i) {
            s.push_str(lang.before_punct());
            s.push(':');
        }
    }
    if t.question {
        s.push_str(lang.before_punct());
        s.push('?');
    }
    match rng.below(100) {
        0..=4 => s.push(' '),
        5..=6 => s.push('\u{a0}'),
        7 => {
            let middle = s.chars().count() / 2;
            if let Some((at, _)) = s.char_indices().nth(middle) {
                s.insert(at, '\u{200b}');
            }
        }
        _ => {}
    }
    s
}

/// The file name of a post (with `.md`): the title's words, messed up, with `index` as the
/// only run of digits (but for an optional date prefix).
fn file_name(
    t: &Title,
    index: usize,
    date_prefix: Option<(i64, i64, i64)>,
    rng: &mut Rng,
) -> String {
    #[derive(PartialEq)]
    enum Case {
        Lower,
        AsTitle,
        Capitals,
    }
    let case = match rng.below(100) {
        0..=74 => Case::Lower,
        75..=89 => Case::AsTitle,
        _ => Case::Capitals,
    };
    let sep = match rng.below(100) {
        0..=89 => "-",
        90..=97 => " ",
        _ => "- ",
    };
    let mut tokens: Vec<String> = Vec::with_capacity(t.words.len() + 3);
    let bracket = rng.chance(20).then(|| rng.below(t.words.len()));
    for (i, w) in t.words.iter().enumerate() {
        if t.amp_before == Some(i) {
            tokens.push("&".to_owned());
        }
        if t.dash_before == Some(i) {
            tokens.push("—".to_owned());
        }
        let mut tok = String::new();
        if t.quoted.is_some_and(|q| q.0 == i) {
            tok.push('‘');
        }
        if bracket == Some(i) {
            tok.push('[');
        }
        let body = match case {
            Case::Lower => w.to_lowercase(),
            Case::AsTitle => w.clone(),
            Case::Capitals => capitalized(w),
        };
        tok.push_str(&body.replace(' ', sep));
        if bracket == Some(i) {
            tok.push(']');
        }
        if t.quoted.is_some_and(|q| q.1 == i) {
            tok.push('’');
        }
        tokens.push(tok);
        if t.colon_after == Some(i) {
            if rng.chance(300) {
                tokens.push(":".to_owned());
            } else if let Some(last) = tokens.last_mut() {
                last.push(':');
            }
        }
    }
    let at = if rng.chance(750) {
        tokens.len()
    } else {
        rng.below(tokens.len() + 1)
    };
    tokens.insert(at, index.to_string());
    let mut name = String::with_capacity(96);
    if let Some((y, m, d)) = date_prefix {
        let _ = write!(name, "{y:04}-{m:02}-{d:02}-");
    } else if rng.chance(30) {
        name.push('-');
    }
    name.push_str(&tokens.join(sep));
    if t.question {
        name.push('?');
    }
    if rng.chance(20) {
        name.push(' ');
    }
    name.push_str(".md");
    name
}

fn translation_key(t: &Title, group: usize) -> String {
    let mut key = String::new();
    for w in t.words.iter().take(4) {
        let f = fold_slug(w);
        if !f.is_empty() {
            key.push_str(&f);
            key.push('-');
        }
    }
    let _ = write!(key, "{group}");
    key
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// True if `s` can be written as a plain YAML scalar and read back as the same string.
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@` ".contains(first)
        || s.ends_with([' ', ':'])
        || s.contains(": ")
        || s.contains(" #")
        || s.chars()
            .any(|c| c.is_control() || !c.is_ascii() && c.is_whitespace())
        || s.contains('\u{200b}')
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let reserved = [
        "true", "false", "yes", "no", "null", "on", "off", "y", "n", "~",
    ];
    !reserved.contains(&lower.as_str())
        && !s
            .chars()
            .all(|c| c.is_ascii_digit() || ".+-eE_:".contains(c))
}

/// Writes `key: value` in the given style (falling back to quotes where plain is unsafe).
fn push_scalar(out: &mut String, key: &str, value: &str, style: Style) {
    out.push_str(key);
    out.push(':');
    match style {
        Style::Plain if plain_safe(value) => {
            out.push(' ');
            out.push_str(value);
        }
        Style::Double => {
            out.push_str(" \"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    _ => out.push(c),
                }
            }
            out.push('"');
        }
        Style::Folded if !value.trim().is_empty() => {
            out.push_str(" >-");
            for line in value.lines() {
                out.push_str("\n  ");
                out.push_str(line.trim());
            }
        }
        _ => {
            out.push_str(" '");
            out.push_str(&value.replace('\'', "''"));
            out.push('\'');
        }
    }
    out.push('\n');
}

/// Wraps `text` into lines of about `width` characters (for folded scalars).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line = 0;
    for w in text.split(' ') {
        if line > 0 && line + w.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.len();
    }
    out
}

fn pick_style(rng: &mut Rng) -> Style {
    match rng.below(100) {
        0..=54 => Style::Single,
        55..=89 => Style::Plain,
        _ => Style::Double,
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies

struct Body<'a> {
    out: &'a mut String,
    lang: Lang,
    rng: &'a mut Rng,
    footnotes: usize,
    uses_footnotes: bool,
    /// No inline Markdown or HTML (for front matter text).
    plain: bool,
}

impl Body<'_> {
    fn post_path(&mut self) {
        let y = self.rng.range(2012, 2026);
        let m = self.rng.range(1, 12);
        let d = self.rng.range(1, 28);
        let _ = write!(self.out, "/{y}/{m:02}/{d:02}/");
        for i in 0..self.rng.range(2, 4) {
            if i > 0 {
                self.out.push('-');
            }
            push_ascii_word(self.out, self.rng);
        }
        self.out.push('/');
    }

    fn words(&mut self, n: usize) {
        for i in 0..n {
            if i > 0 {
                self.out.push(' ');
            }
            push_word(self.out, self.lang, self.rng);
        }
    }

    /// One word, or now and then an inline element around a few words.
    fn inline(&mut self) {
        if self.plain || !self.rng.chance(40) {
            push_word(self.out, self.lang, self.rng);
            return;
        }
        let n = self.rng.range(1, 3);
        match self.rng.below(11) {
            0 | 1 => {
                self.out.push_str("**");
                self.words(n);
                self.out.push_str("**");
            }
            2 => {
                self.out.push('*');
                self.words(n);
                self.out.push('*');
            }
            3 => {
                self.out.push('`');
                push_ascii_word(self.out, self.rng);
                self.out.push('`');
            }
            4 | 5 => {
                self.out.push('[');
                self.words(n);
                self.out.push_str("](");
                self.post_path();
                self.out.push(')');
            }
            6 => {
                self.out.push('[');
                self.words(n);
                let lang = self.lang.code();
                self.out.push_str("](https://www.canada.ca/");
                self.out.push_str(lang);
                self.out.push('/');
                push_ascii_word(self.out, self.rng);
                self.out.push_str(".html)");
            }
            7 => {
                self.out.push_str("<a href=\"");
                self.post_path();
                self.out.push_str("\">");
                self.words(n);
                self.out.push_str("</a>");
            }
            8 => {
                let other = if self.lang == Lang::En { "fr" } else { "en" };
                let _ = write!(self.out, "<span lang=\"{other}\">");
                self.words(n);
                self.out.push_str("</span>");
            }
            9 => {
                self.out.push_str(if self.lang == Lang::Fr {
                    "«\u{a0}"
                } else {
                    "“"
                });
                self.words(n);
                self.out.push_str(if self.lang == Lang::Fr {
                    "\u{a0}»"
                } else {
                    "”"
                });
            }
            _ => {
                push_word(self.out, self.lang, self.rng);
                self.out.push('\u{200b}');
            }
        }
    }

    fn sentence(&mut self) {
        let start = self.out.len();
        let n = self.rng.range(5, 18);
        for i in 0..n {
            if i > 0 {
                self.out.push(' ');
            }
            self.inline();
            if i + 1 < n && self.rng.chance(70) {
                self.out.push(',');
            }
        }
        capitalize_from(self.out, start);
        match self.rng.below(100) {
            0..=86 => self.out.push('.'),
            87..=92 => {
                self.out.push_str(self.lang.before_punct());
                self.out.push('?');
            }
            93..=95 => {
                self.out.push_str(self.lang.before_punct());
                self.out.push('!');
            }
            _ => self.out.push('…'),
        }
        if self.uses_footnotes && self.rng.chance(40) {
            self.footnotes += 1;
            let _ = write!(self.out, "[^{}]", self.footnotes);
        }
    }

    fn sentences(&mut self, lo: usize, hi: usize) {
        for i in 0..self.rng.range(lo, hi) {
            if i > 0 {
                self.out.push(' ');
            }
            self.sentence();
        }
    }

    fn heading(&mut self) {
        let level = self.rng.pick(&["## ", "## ", "### ", "### ", "#### "]);
        self.out.push_str(level);
        let start = self.out.len();
        let n = self.rng.range(2, 7);
        self.words(n);
        capitalize_from(self.out, start);
        if self.rng.chance(100) {
            self.out.push_str(self.lang.before_punct());
            self.out.push('?');
        }
    }

    fn list(&mut self) {
        let ordered = self.rng.chance(300);
        let bullet = self.rng.pick(&["- ", "- ", "* "]);
        for i in 1..=self.rng.range(3, 6) {
            if i > 1 {
                self.out.push('\n');
            }
            if ordered {
                let _ = write!(self.out, "{i}. ");
            } else {
                self.out.push_str(bullet);
            }
            if self.rng.chance(300) {
                self.sentence();
            } else {
                let start = self.out.len();
                let n = self.rng.range(2, 9);
                for j in 0..n {
                    if j > 0 {
                        self.out.push(' ');
                    }
                    self.inline();
                }
                capitalize_from(self.out, start);
            }
            if self.rng.chance(80) {
                self.out.push_str("\n    - ");
                let n = self.rng.range(2, 6);
                self.words(n);
            }
        }
    }

    fn quote(&mut self) {
        for i in 0..self.rng.range(1, 3) {
            if i > 0 {
                self.out.push_str("\n>\n");
            }
            self.out.push_str("> ");
            self.sentences(1, 3);
        }
        if self.rng.chance(300) {
            self.out.push_str("\n>\n> — ");
            let n = self.rng.range(2, 4);
            self.words(n);
        }
    }

    fn cell(&mut self) {
        let n = self.rng.range(1, 4);
        self.words(n);
    }

    fn table(&mut self) {
        let cols = self.rng.range(2, 5);
        let rows = self.rng.range(2, 8);
        if self.rng.chance(200) {
            self.out.push_str("<table>\n  <thead>\n    <tr>");
            for _ in 0..cols {
                self.out.push_str("<th>");
                self.cell();
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr>\n  </thead>\n  <tbody>");
            for _ in 0..rows {
                self.out.push_str("\n    <tr>");
                for _ in 0..cols {
                    self.out.push_str("<td>");
                    self.cell();
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>");
            }
            self.out.push_str("\n  </tbody>\n</table>");
            return;
        }
        for row in 0..rows + 2 {
            if row > 0 {
                self.out.push('\n');
            }
            self.out.push('|');
            for _ in 0..cols {
                self.out.push(' ');
                if row == 1 {
                    self.out
                        .push_str(self.rng.pick(&["---", "---", ":---", "---:"]));
                } else if row > 1 && self.rng.chance(150) {
                    let v = self.rng.below(10_000);
                    let _ = write!(self.out, "{v}");
                } else {
                    self.cell();
                }
                self.out.push_str(" |");
            }
        }
    }

    fn image(&mut self) {
        if self.rng.chance(500) {
            self.out.push_str("![");
            let n = self.rng.range(2, 6);
            self.words(n);
            self.out.push_str("](/img/");
            push_ascii_word(self.out, self.rng);
            let _ = write!(self.out, "-{}.png)", self.rng.below(100));
        } else {
            self.out.push_str("<img src=\"/img/");
            push_ascii_word(self.out, self.rng);
            self.out.push_str(".svg\" alt=\"");
            let n = self.rng.range(2, 8);
            self.words(n);
            self.out.push_str("\">");
        }
    }

    fn html_paragraph(&mut self) {
        self.out
            .push_str(self.rng.pick(&["<p>", "<p>", "<p class=\"lead\">"]));
        self.sentences(1, 3);
        self.out.push_str(" <a href=\"");
        self.post_path();
        self.out.push_str("\">");
        let n = self.rng.range(2, 5);
        self.words(n);
        self.out.push_str("</a>.");
        if self.rng.chance(500) {
            self.out.push_str("<br>\n");
            self.sentences(1, 2);
        }
        self.out.push_str("</p>");
    }

    fn details(&mut self) {
        self.out.push_str("<details>\n<summary>");
        let n = self.rng.range(2, 6);
        self.words(n);
        self.out.push_str("</summary>\n\n");
        self.sentences(2, 5);
        self.out.push_str("\n\n</details>");
    }

    fn code(&mut self) {
        self.out.push_str("```json\n{\n  \"");
        push_ascii_word(self.out, self.rng);
        self.out.push_str("\": \"");
        push_ascii_word(self.out, self.rng);
        let _ = write!(
            self.out,
            "\",\n  \"count\": {}\n}}\n```",
            self.rng.below(1000)
        );
    }

    fn embed(&mut self) {
        match self.rng.below(3) {
            0 => {
                let _ = write!(
                    self.out,
                    "<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/{:011x}\" title=\"YouTube video player\" frameborder=\"0\" allow=\"accelerometer; autoplay; encrypted-media\" allowfullscreen></iframe>",
                    self.rng.next_u64() >> 20
                );
            }
            1 => self.out.push_str(
                "<blockquote class=\"twitter-tweet\"><p>Embedded post</p></blockquote>\n<script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>",
            ),
            _ => self.out.push_str(
                "<script>\n  window.dataLayer = window.dataLayer || [];\n  dataLayer.push({\"event\": \"post-view\"});\n</script>",
            ),
        }
    }

    fn paragraph(&mut self) {
        self.sentences(2, 7);
        if self.rng.chance(40) {
            self.out.push_str("<br>\n");
            self.sentences(1, 2);
        }
    }
}

/// Writes a body of about `target` bytes.
fn write_body(out: &mut String, lang: Lang, rng: &mut Rng, target: usize) {
    let start = out.len();
    let has_table = rng.chance(300);
    let has_embed = rng.chance(30);
    let uses_footnotes = rng.chance(250);
    let mut b = Body {
        out,
        lang,
        rng,
        footnotes: 0,
        uses_footnotes,
        plain: false,
    };
    b.paragraph();
    let mut table_done = !has_table;
    let mut embed_done = !has_embed;
    while b.out.len() - start < target {
        b.out.push_str("\n\n");
        let written = b.out.len() - start;
        if !table_done && written > target / 3 {
            b.table();
            table_done = true;
            continue;
        }
        if !embed_done && written > target / 2 {
            b.embed();
            embed_done = true;
            continue;
        }
        // paragraph, heading, list, quote, image, html, details, code, rule
        match b.rng.weighted(&[52, 11, 11, 5, 5, 6, 3, 2, 1]) {
            0 => b.paragraph(),
            1 => b.heading(),
            2 => b.list(),
            3 => b.quote(),
            4 => b.image(),
            5 => b.html_paragraph(),
            6 => b.details(),
            7 => b.code(),
            _ => b.out.push_str("---"),
        }
    }
    if b.footnotes > 0 {
        b.out.push('\n');
        for i in 1..=b.footnotes {
            let _ = write!(b.out, "\n[^{i}]: ");
            b.sentence();
        }
    }
    b.out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// Posts

/// What a translation pair shares.
struct Group {
    id: usize,
    /// Index of its first post.
    first: usize,
    /// `None` for a pair (English then French), or the language of an unpaired post.
    single: Option<Lang>,
}

fn plan_groups(n: usize) -> Vec<Group> {
    let mut groups = Vec::with_capacity(n / 2 + 1);
    let mut first = 0;
    while first < n {
        let id = groups.len();
        let mut rng = Rng::new(STREAM_GROUP, id as u64);
        let single = if first + 1 == n || rng.chance(20) {
            Some(if rng.chance(500) { Lang::En } else { Lang::Fr })
        } else {
            None
        };
        groups.push(Group { id, first, single });
        first += if single.is_some() { 1 } else { 2 };
    }
    groups
}

struct Shared {
    title: [Title; 2],
    key: String,
    time: i64,
    millis: i64,
    form: DateForm,
    byline: Byline,
    image: String,
    layout: bool,
    has_image: bool,
}

fn plan_shared(g: &Group, pool: usize) -> Shared {
    let mut rng = Rng::new(STREAM_GROUP, g.id as u64);
    rng.next_u64();
    let title = [
        plan_title(Lang::En, &mut rng),
        plan_title(Lang::Fr, &mut rng),
    ];
    let key = translation_key(&title[0], g.id);
    let span = (LAST_SECOND - FIRST_SECOND) as usize;
    let time = FIRST_SECOND + rng.below(span) as i64;
    let millis = if rng.chance(500) {
        0
    } else {
        rng.below(1000) as i64
    };
    let mut image = String::new();
    if rng.chance(50) {
        image.push_str("/img/blog/");
    } else {
        image.push_str("https://cdn.example.ca/banner_");
    }
    push_ascii_word(&mut image, &mut rng);
    let _ = write!(image, "_{}", rng.below(10_000));
    Shared {
        title,
        key,
        time,
        millis,
        form: pick_date_form(&mut rng),
        byline: plan_byline(&mut rng, pool),
        image,
        layout: rng.chance(900),
        has_image: rng.chance(950),
    }
}

/// Writes post `index` (in `lang`) into `out`; returns its file name.
fn write_post(out: &mut String, index: usize, lang: Lang, s: &Shared, pool: &[Person]) -> String {
    let mut rng = Rng::new(STREAM_POST, index as u64);
    let title = &s.title[lang as usize];
    let form = if rng.chance(700) {
        s.form
    } else {
        pick_date_form(&mut rng)
    };
    let time = if lang == Lang::Fr && rng.chance(100) {
        s.time + rng.below(3 * 86_400) as i64
    } else {
        s.time
    };
    let (date, ymd) = render_date(time, s.millis, form);
    let name = file_name(title, index, rng.chance(20).then_some(ymd), &mut rng);

    out.push_str("---\n");
    if s.layout {
        out.push_str("layout: blog\n");
    }
    let title_text = render_title(title, lang, &mut rng);
    push_scalar(out, "title", &title_text, pick_style(&mut rng));
    let mut description = String::new();
    {
        let mut b = Body {
            out: &mut description,
            lang,
            rng: &mut rng,
            footnotes: 0,
            uses_footnotes: false,
            plain: true,
        };
        b.sentences(1, 3);
    }
    if rng.chance(350) {
        push_scalar(out, "description", &wrap(&description, 72), Style::Folded);
    } else {
        if rng.chance(50) {
            description.push(' ');
        }
        push_scalar(out, "description", &description, pick_style(&mut rng));
    }
    let (author, style, list) = render_byline(&s.byline, lang, pool, &mut rng);
    push_scalar(out, "author", &author, style);
    if !list.is_empty() {
        out.push_str("authors:");
        for p in &list {
            out.push_str("\n  - ");
            out.push_str(p);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "date: {date}");
    let key_early = rng.chance(800);
    if s.has_image {
        let _ = writeln!(out, "image: {}.jpg", s.image);
        let alt_len = rng.range(3, 14);
        let mut alt = String::new();
        {
            let mut b = Body {
                out: &mut alt,
                lang,
                rng: &mut rng,
                footnotes: 0,
                uses_footnotes: false,
                plain: true,
            };
            b.words(alt_len);
        }
        capitalize_from(&mut alt, 0);
        alt.push('.');
        let style = if rng.chance(300) {
            Style::Folded
        } else {
            pick_style(&mut rng)
        };
        push_scalar(out, "image-alt", &wrap(&alt, 60), style);
    }
    if key_early {
        let _ = writeln!(out, "translationKey: {}", s.key);
    }
    if s.has_image {
        let thumb = s.image.replacen("banner_", "small_banner_", 1);
        let _ = writeln!(out, "thumb: {thumb}.jpg");
    }
    if rng.chance(20) {
        let mut text = String::from(match lang {
            Lang::En => "Text in the image: ",
            Lang::Fr => "Texte de l’image\u{a0}: ",
        });
        let n = rng.range(5, 20);
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            push_word(&mut text, lang, &mut rng);
        }
        push_scalar(out, "image-translation", &wrap(&text, 70), Style::Folded);
    }
    if rng.chance(10) {
        out.push_str("Sources:\n  - https://www.statcan.gc.ca/\n  - 'Statistics Canada, 2019'\n");
    }
    if rng.chance(10) {
        push_scalar(out, "_PS", "P.S. We’re hiring!", Style::Single);
    }
    if !key_early {
        let _ = writeln!(out, "translationKey: {}", s.key);
    }
    out.push_str("---\n\n");

    // Body size: 1.4 KB to 18.5 KB, so posts run from about 2 KB to 20 KB.
    let target = rng.range(1_400, 18_500);
    write_body(out, lang, &mut rng, target);
    name
}

#[derive(Default)]
struct Totals {
    posts: [usize; 2],
    unpaired: usize,
    bytes: u64,
    smallest: usize,
    largest: usize,
}

fn write_groups(groups: &[Group], dirs: &[PathBuf; 2], pool: &[Person]) -> io::Result<Totals> {
    let mut totals = Totals {
        smallest: usize::MAX,
        ..Totals::default()
    };
    let mut buf = String::with_capacity(64 * 1024);
    for g in groups {
        let shared = plan_shared(g, pool.len());
        let posts: &[(usize, Lang)] = match g.single {
            None => &[(g.first, Lang::En), (g.first + 1, Lang::Fr)],
            Some(lang) => {
                totals.unpaired += 1;
                &[(g.first, lang)]
            }
        };
        for &(index, lang) in posts {
            buf.clear();
            let name = write_post(&mut buf, index, lang, &shared, pool);
            fs::write(dirs[lang as usize].join(&name), buf.as_bytes())?;
            totals.posts[lang as usize] += 1;
            totals.bytes += buf.len() as u64;
            totals.smallest = totals.smallest.min(buf.len());
            totals.largest = totals.largest.max(buf.len());
        }
    }
    Ok(totals)
}

// ---------------------------------------------------------------------------------------------
// Driver

pub struct Args {
    pub out: PathBuf,
    pub posts: usize,
    /// The size of the pool of people bylines name.
    pub people: usize,
}

enum ArgError {
    Help,
    Bad(String),
}

fn parse_args(args: &[OsString]) -> Result<Args, ArgError> {
    if args
        .iter()
        .any(|a| a == "-h" || a == "--help" || a == "help")
    {
        return Err(ArgError::Help);
    }
    let (out, n, people) = match args {
        [out, n] => (out, n, PEOPLE),
        [out, n, flag, p] if flag == "--people" => {
            let p: usize = p
                .to_str()
                .and_then(|p| p.replace('_', "").parse().ok())
                .ok_or_else(|| ArgError::Bad(format!("P must be a whole number, got {p:?}")))?;
            if p < 40 {
                return Err(ArgError::Bad(format!("P must be at least 40, got {p}")));
            }
            (out, n, p)
        }
        _ => {
            return Err(ArgError::Bad(format!(
                "expected OUT_DIR N [--people P], got {} arguments",
                args.len()
            )));
        }
    };
    let text = n
        .to_str()
        .ok_or_else(|| ArgError::Bad("N is not valid text".to_owned()))?;
    let posts: usize = text
        .replace('_', "")
        .parse()
        .map_err(|_| ArgError::Bad(format!("N must be a whole number, got {text:?}")))?;
    if posts > MAX_POSTS {
        return Err(ArgError::Bad(format!(
            "N must be at most {MAX_POSTS}, got {posts}"
        )));
    }
    if out.is_empty() {
        return Err(ArgError::Bad("OUT_DIR is empty".to_owned()));
    }
    Ok(Args {
        out: PathBuf::from(out),
        posts,
        people,
    })
}

fn is_non_empty_dir(dir: &Path) -> io::Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn run(args: &Args) -> io::Result<()> {
    let started = Instant::now();
    let dirs = [Lang::En, Lang::Fr].map(|l| {
        args.out
            .join("content")
            .join(l.code())
            .join("blog")
            .join("posts")
    });
    for dir in &dirs {
        if is_non_empty_dir(dir)? {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} already holds posts: remove it or choose another OUT_DIR",
                    dir.display()
                ),
            ));
        }
        fs::create_dir_all(dir)?;
    }
    let mut other_bytes = CONFIG.len() as u64;
    fs::write(args.out.join("config.toml"), CONFIG)?;
    for (path, text) in OTHER_PAGES {
        let path = args.out.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        other_bytes += text.len() as u64;
    }

    let pool = build_people(args.people);
    let groups = plan_groups(args.posts);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = groups.len().div_ceil(threads).max(1);
    let results: Vec<io::Result<Totals>> = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .chunks(chunk)
            .map(|part| {
                let (dirs, pool) = (&dirs, &pool);
                scope.spawn(move || write_groups(part, dirs, pool))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a writer thread panicked")))
            })
            .collect()
    });
    let mut totals = Totals {
        smallest: usize::MAX,
        ..Totals::default()
    };
    for r in results {
        let t = r?;
        totals.posts[0] += t.posts[0];
        totals.posts[1] += t.posts[1];
        totals.unpaired += t.unpaired;
        totals.bytes += t.bytes;
        totals.smallest = totals.smallest.min(t.smallest);
        totals.largest = totals.largest.max(t.largest);
    }
    let count = totals.posts[0] + totals.posts[1];
    let average = if count == 0 {
        0
    } else {
        totals.bytes / count as u64
    };
    println!(
        "wrote {count} posts ({} en, {} fr, {} unpaired) to {}: {} bytes of posts \
         (average {average}, smallest {}, largest {}), {} bytes in all, in {:.1} s",
        totals.posts[0],
        totals.posts[1],
        totals.unpaired,
        args.out.display(),
        totals.bytes,
        if count == 0 { 0 } else { totals.smallest },
        totals.largest,
        totals.bytes + other_bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(args) => args,
        Err(ArgError::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(ArgError::Bad(why)) => {
            eprintln!("gen-corpus: {why}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: error: {e}");
            ExitCode::FAILURE
        }
    }
}
