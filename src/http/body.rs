//! The body of a response: one buffer, or the chunks a document is joined from (its pieces,
//! or their deflate streams between a gzip header and trailer), sent one after another as
//! they are held, never copied together.
//!
//! A document shows items that other documents show too; holding each document's bytes
//! joined as well would hold every item once per document showing it. Sending the shared
//! chunks instead costs a request a list of reference counts, and the client receives the
//! same bytes.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// A response body of known length, in chunks.
#[derive(Debug, Default)]
pub struct Body {
    chunks: std::vec::IntoIter<Bytes>,
    remaining: u64,
}

impl Body {
    /// No bytes at all.
    pub fn empty() -> Body {
        Body::default()
    }

    /// `bytes`, in one chunk.
    pub fn whole(bytes: Bytes) -> Body {
        Body::chunks(vec![bytes])
    }

    /// The concatenation of `chunks`, sent one after another.
    pub fn chunks(chunks: Vec<Bytes>) -> Body {
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Body {
            chunks: chunks.into_iter(),
            remaining,
        }
    }

    /// How many bytes are left to send.
    pub fn len(&self) -> u64 {
        self.remaining
    }

    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    /// The bytes left to send, in one buffer: for tests and for callers that want them whole.
    pub fn concat(self) -> Bytes {
        let mut chunks = self.chunks;
        match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.next().unwrap_or_default(),
            _ => {
                let mut out = Vec::with_capacity(usize::try_from(self.remaining).unwrap_or(0));
                for chunk in chunks {
                    out.extend_from_slice(&chunk);
                }
                Bytes::from(out)
            }
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body::whole(bytes)
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::whole(Bytes::from(text))
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        // Empty chunks are skipped: an empty data frame would say nothing.
        for chunk in this.chunks.by_ref() {
            if !chunk.is_empty() {
                this.remaining -= chunk.len() as u64;
                return Poll::Ready(Some(Ok(Frame::data(chunk))));
            }
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn collect(body: Body) -> (Vec<Bytes>, Bytes) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("no runtime: {e}"));
        runtime.block_on(async {
            let mut body = body;
            let mut frames = Vec::new();
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame;
                if let Ok(data) = frame.into_data() {
                    frames.push(data);
                }
            }
            let joined: Vec<u8> = frames.iter().flat_map(|f| f.iter().copied()).collect();
            (frames, Bytes::from(joined))
        })
    }

    #[test]
    fn sends_the_chunks_in_order_and_says_its_length() {
        let body = Body::chunks(vec![
            Bytes::from_static(b"<feed>"),
            Bytes::new(),
            Bytes::from_static(b"<entry/>"),
            Bytes::from_static(b"</feed>"),
        ]);
        assert_eq!(body.len(), 21);
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(21));
        assert!(!http_body::Body::is_end_stream(&body));
        let (frames, joined) = collect(body);
        assert_eq!(joined, &b"<feed><entry/></feed>"[..]);
        assert_eq!(frames.len(), 3, "the empty chunk is not a frame");
    }

    #[test]
    fn an_empty_body_ends_at_once() {
        let body = Body::empty();
        assert!(http_body::Body::is_end_stream(&body));
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(0));
        let (frames, _) = collect(body);
        assert!(frames.is_empty());
    }

    #[test]
    fn concat_gives_the_same_bytes_as_the_frames() {
        let chunks = vec![Bytes::from_static(b"a"), Bytes::from_static(b"bc")];
        assert_eq!(Body::chunks(chunks.clone()).concat(), &b"abc"[..]);
        assert_eq!(
            Body::whole(Bytes::from_static(b"abc")).concat(),
            &b"abc"[..]
        );
        assert_eq!(collect(Body::chunks(chunks)).1, &b"abc"[..]);
    }
}
