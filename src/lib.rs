//! syndic: a blog's Markdown corpus in, syndication feeds out.
//!
//! The modules follow the data: [`config`] feeds every step, [`corpus`] turns files into
//! posts (their ids kept stable by the lock [`identity`] reads and writes, their
//! `Last-Modified` dates by the records [`modified`] keeps), [`feeds`] posts
//! into documents, [`compress`] makes their gzip and brotli forms,
//! [`http`] turns documents into a snapshot of ready responses ([`http::snapshot`]) and
//! serves it, [`export`] writes documents to disk; [`report`] prints what the inspection
//! commands show, [`cli`] parses the command line; [`watch`] rebuilds snapshots as the
//! corpus changes and [`websub`] tells a hub which feeds did; [`text`] holds the text clean-ups
//! the configuration, the corpus and the feeds share.
#![forbid(unsafe_code)]

pub mod cli;
pub mod compress;
pub mod config;
pub mod corpus;
pub mod export;
pub mod feeds;
pub mod http;
pub mod identity;
pub mod modified;
pub mod report;
pub mod text;
pub mod watch;
pub mod websub;
