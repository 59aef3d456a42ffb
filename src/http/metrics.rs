//! What `/metrics` exposes, in the Prometheus text format 0.0.4 (what [`CONTENT_TYPE`] says),
//! with the `prometheus` crate: requests by route class and status, 304s, bytes sent, reloads
//! and their duration, the corpus's size and its load errors, WebSub notifications by outcome.
//! Must not: hold anything but counts; the request path only increments them.

use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// The type `/metrics` answers with: the format [`Metrics::render`] writes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every metric the server keeps, and the registry that prints them.
pub struct Metrics {
    registry: Registry,
    /// Labels `route` and `status`.
    pub requests: IntCounterVec,
    pub not_modified: IntCounter,
    pub bytes_sent: IntCounter,
    pub reloads: IntCounter,
    pub reload_seconds: Histogram,
    pub posts: IntGauge,
    pub feeds: IntGauge,
    pub corpus_errors: IntGauge,
    /// Label `outcome`: `sent`, `retried` or `failed`.
    pub websub: IntCounterVec,
}

impl Metrics {
    /// Every metric, registered. An error is a name or label the `prometheus` crate refuses:
    /// they are all written here.
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new_custom(Some("syndic".to_string()), None)?;
        let counter = |name: &str, help: &str| -> Result<IntCounter, prometheus::Error> {
            let counter = IntCounter::new(name, help)?;
            registry.register(Box::new(counter.clone()))?;
            Ok(counter)
        };
        let gauge = |name: &str, help: &str| -> Result<IntGauge, prometheus::Error> {
            let gauge = IntGauge::new(name, help)?;
            registry.register(Box::new(gauge.clone()))?;
            Ok(gauge)
        };
        let counters = |name: &str, help: &str, labels: &[&str]| {
            let family = IntCounterVec::new(Opts::new(name, help), labels)?;
            registry.register(Box::new(family.clone()))?;
            Ok::<_, prometheus::Error>(family)
        };
        let requests = counters(
            "http_requests_total",
            "HTTP requests answered, by route class and status",
            &["route", "status"],
        )?;
        let not_modified = counter(
            "http_not_modified_total",
            "Conditional requests answered 304 Not Modified",
        )?;
        let bytes_sent = counter("http_response_bytes_total", "Body bytes sent")?;
        let reloads = counter("reloads_total", "Snapshots built from the corpus")?;
        let reload_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "reload_duration_seconds",
                "Time to load the corpus and build a snapshot",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0,
            ]),
        )?;
        registry.register(Box::new(reload_seconds.clone()))?;
        let posts = gauge("posts", "Posts in the served snapshot")?;
        let feeds = gauge(
            "feeds",
            "Feeds in the served snapshot (each in three formats)",
        )?;
        let corpus_errors = gauge(
            "corpus_errors",
            "Post files left out of the served snapshot because of an error",
        )?;
        let websub = counters(
            "websub_notifications_total",
            "Publish notifications to the WebSub hub, by outcome (sent, retried, failed)",
            &["outcome"],
        )?;
        Ok(Metrics {
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
        })
    }

    /// Counts a request answered.
    pub fn request(&self, route: &str, status: u16) {
        self.requests
            .with_label_values(&[route, status.to_string().as_str()])
            .inc();
    }

    /// The text `/metrics` answers with, of type [`CONTENT_TYPE`].
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        match TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            Ok(()) => String::from_utf8_lossy(&out).into_owned(),
            Err(e) => format!("# metrics could not be encoded: {e}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_is_the_encoders_format() -> Result<(), prometheus::Error> {
        assert!(CONTENT_TYPE.starts_with(TextEncoder::new().format_type()));
        let metrics = Metrics::new()?;
        metrics.request("feed", 200);
        metrics.websub.with_label_values(&["sent"]).inc();
        let text = metrics.render();
        assert!(
            text.contains("# TYPE syndic_http_requests_total counter\n"),
            "{text}"
        );
        assert!(
            text.contains("syndic_http_requests_total{route=\"feed\",status=\"200\"} 1\n"),
            "{text}"
        );
        assert!(!text.contains("# EOF"), "{text}");
        Ok(())
    }
}
