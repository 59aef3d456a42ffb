//! Writing the feed tree to disk (being written).
