//! SERVE: feed documents -> HTTP responses.
//!
//! One concern a file: [`snapshot`] holds every response ready (bytes, compressed forms,
//! ETags), swapped whole on each rebuild; [`handler`] answers a request from it (routing, encoding,
//! conditional requests, headers), [`conditional`], [`encoding`] and [`cache_control`] hold the
//! RFC 9110/9111 rules, [`navigation`] tells a browser tab from a feed reader, [`body`] sends
//! a document's shared pieces as they are held, [`intermediary`] tells a shared cache from a
//! client (no delta for a cache), [`metrics`] what `/metrics` shows, [`state`] what requests and reloads share,
//! [`server`] the listener and its bounds.

pub mod body;
pub mod cache_control;
pub mod conditional;
pub mod encoding;
pub mod handler;
pub mod intermediary;
pub mod metrics;
pub mod navigation;
pub mod server;
pub mod snapshot;
pub mod state;
