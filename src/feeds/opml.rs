//! The OPML 2.0 list of every feed (being written).
