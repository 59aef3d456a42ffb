//! What `/metrics` exposes, in the Prometheus text format, with the `prometheus-client` crate:
//! requests by route class and status, 304s, bytes sent, reloads and their duration, the
//! corpus's size and its load errors, WebSub notifications by outcome.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WebSubLabels {
    /// `sent`, `retried` or `failed`.
    pub outcome: &'static str,
}

/// Every metric the server keeps, and the registry that prints them.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub not_modified: Counter,
    pub bytes_sent: Counter,
    pub reloads: Counter,
    pub reload_seconds: Histogram,
    pub posts: Gauge,
    pub feeds: Gauge,
    pub corpus_errors: Gauge,
    pub websub: Family<WebSubLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("syndic");
        let requests = Family::<RequestLabels, Counter>::default();
        let not_modified = Counter::default();
        let bytes_sent = Counter::default();
        let reloads = Counter::default();
        let reload_seconds =
            Histogram::new([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0]);
        let posts = Gauge::default();
        let feeds = Gauge::default();
        let corpus_errors = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route class and status",
            requests.clone(),
        );
        registry.register(
            "http_not_modified",
            "Conditional requests answered 304 Not Modified",
            not_modified.clone(),
        );
        registry.register("http_response_bytes", "Body bytes sent", bytes_sent.clone());
        registry.register(
            "reloads",
            "Snapshots built from the corpus",
            reloads.clone(),
        );
        registry.register(
            "reload_duration_seconds",
            "Time to load the corpus and build a snapshot",
            reload_seconds.clone(),
        );
        registry.register("posts", "Posts in the served snapshot", posts.clone());
        registry.register(
            "feeds",
            "Feeds in the served snapshot (each in three formats)",
            feeds.clone(),
        );
        registry.register(
            "corpus_errors",
            "Post files left out of the served snapshot because of an error",
            corpus_errors.clone(),
        );
        let websub = Family::<WebSubLabels, Counter>::default();
        registry.register(
            "websub_notifications",
            "Publish notifications to the WebSub hub, by outcome (sent, retried, failed)",
            websub.clone(),
        );
        Metrics {
            websub,
            registry,
            requests,
            not_modified,
            bytes_sent,
            reloads,
            reload_seconds,
            posts,
            feeds,
            corpus_errors,
        }
    }

    /// The text `/metrics` answers with.
    pub fn render(&self) -> String {
        let mut out = String::new();
        match prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            Ok(()) => out,
            Err(_) => String::from("# metrics could not be encoded\n"),
        }
    }
}
