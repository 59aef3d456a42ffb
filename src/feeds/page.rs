//! The index page for people (being written).
