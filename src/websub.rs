//! WEBSUB: feeds whose bytes changed -> publish notifications to the configured hub.
//!
//! Owns telling a WebSub hub which topics (feed URLs) changed after a rebuild, once per topic
//! and change, in the background: a rebuild or a response never waits for the hub. A failed
//! notification is tried again after 1, 2, 4… seconds, up to `[websub] max_attempts` tries;
//! a topic that changes again while it waits is sent once. Outcomes are logged and counted in
//! `/metrics`. The request is the de facto publish ping hubs accept:
//! `POST <hub>` with `hub.mode=publish&hub.url=<topic>`, form-encoded.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use prometheus::IntCounterVec;
use url::Url;

use crate::config::WebSub;

/// A batch of topics to announce to a hub.
#[derive(Debug)]
struct Batch {
    hub: Url,
    max_attempts: u32,
    topics: Vec<String>,
}

/// Hands batches of changed topics to the background sender.
#[derive(Debug, Clone)]
pub struct Notifier {
    sender: Sender<Batch>,
}

impl Notifier {
    /// Starts the background sender; `outcomes` counts notifications by outcome.
    pub fn start(outcomes: IntCounterVec) -> std::io::Result<Notifier> {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("syndic-websub".to_string())
            .spawn(move || run(&receiver, &outcomes))?;
        Ok(Notifier { sender })
    }

    /// Queues `topics` for `websub`'s hub; returns at once.
    pub fn notify(&self, websub: &WebSub, topics: Vec<String>) {
        if topics.is_empty() {
            return;
        }
        let batch = Batch {
            hub: websub.hub.clone(),
            max_attempts: websub.max_attempts,
            topics,
        };
        if self.sender.send(batch).is_err() {
            tracing::error!("the WebSub sender has stopped; hub not notified");
        }
    }
}

/// One topic waiting to be sent.
#[derive(Debug)]
struct Pending {
    hub: Url,
    max_attempts: u32,
    attempt: u32,
    due: Instant,
}

/// The background loop: takes batches, sends what is due, schedules retries.
fn run(receiver: &Receiver<Batch>, outcomes: &IntCounterVec) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let agent = Arc::new(agent);
    // Topic -> its pending notification; a topic queued again while waiting is sent once.
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    loop {
        let wait = pending
            .values()
            .map(|p| p.due.saturating_duration_since(Instant::now()))
            .min()
            .unwrap_or(Duration::from_secs(3600));
        match receiver.recv_timeout(wait) {
            Ok(batch) => {
                for topic in batch.topics {
                    pending.entry(topic).or_insert_with(|| Pending {
                        hub: batch.hub.clone(),
                        max_attempts: batch.max_attempts,
                        attempt: 0,
                        due: Instant::now(),
                    });
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) if pending.is_empty() => return,
            Err(RecvTimeoutError::Disconnected) => {}
        }
        let now = Instant::now();
        let due: Vec<String> = pending
            .iter()
            .filter(|(_, p)| p.due <= now)
            .map(|(topic, _)| topic.clone())
            .collect();
        for topic in due {
            let Some(mut job) = pending.remove(&topic) else {
                continue;
            };
            job.attempt += 1;
            match publish(&agent, &job.hub, &topic) {
                Ok(()) => {
                    tracing::info!(hub = %job.hub, topic, "hub notified");
                    count(outcomes, "sent");
                }
                Err(e) if job.attempt < job.max_attempts => {
                    let delay = Duration::from_secs(1u64 << (job.attempt - 1).min(10));
                    tracing::warn!(
                        hub = %job.hub,
                        topic,
                        attempt = job.attempt,
                        "notifying the hub failed: {e}; trying again in {} s",
                        delay.as_secs()
                    );
                    count(outcomes, "retried");
                    job.due = Instant::now() + delay;
                    pending.insert(topic, job);
                }
                Err(e) => {
                    tracing::error!(
                        hub = %job.hub,
                        topic,
                        attempts = job.attempt,
                        "notifying the hub failed, giving up: {e}"
                    );
                    count(outcomes, "failed");
                }
            }
        }
    }
}

fn count(outcomes: &IntCounterVec, outcome: &'static str) {
    outcomes.with_label_values(&[outcome]).inc();
}

/// The publish ping: `hub.mode=publish&hub.url=<topic>`; any 2xx is success.
fn publish(agent: &ureq::Agent, hub: &Url, topic: &str) -> Result<(), String> {
    let body = form(topic);
    agent
        .post(hub.as_str())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body.as_bytes())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The form body announcing `topic`.
fn form(topic: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "publish")
        .append_pair("hub.url", topic)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ping_names_the_topic_form_encoded() {
        assert_eq!(
            form("https://digital.example.ca/feeds/en.atom?since=a&b"),
            "hub.mode=publish&hub.url=https%3A%2F%2Fdigital.example.ca%2Ffeeds%2Fen.atom%3Fsince%3Da%26b"
        );
    }
}
