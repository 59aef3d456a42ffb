//! The body of a response: one buffer, or the chunks a document is joined from (its pieces,
//! or their deflate streams between a gzip header and trailer), sent as they are held, never
//! copied together.
//!
//! A document shows items that other documents show too; holding each document's bytes
//! joined as well would hold every item once per document showing it. Sending the shared
//! chunks instead costs a request a list of reference counts, and the client receives the
//! same bytes. The chunks go to hyper as one frame whose data is all of them ([`Chunks`]), so
//! that hyper writes the response head and up to 63 chunks in one vectored write, as it would
//! one buffer.

use std::convert::Infallible;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use http_body::{Frame, SizeHint};

/// A list of shared chunks, made once and then sent by any number of responses: each takes a
/// reference to the list, not one to every chunk in it.
pub type ChunkList = Arc<[Bytes]>;

/// Chunks shorter than this are copied together with the short ones beside them: a chunk is
/// one slice of a vectored write (hyper writes at most 64 at once), and a feed's small pieces
/// (an item's tail, a separator, the gzip header and end) would otherwise make a 20-item
/// document need two writes instead of one.
const SMALL: usize = 128;

/// Makes a [`ChunkList`] of `chunks`, leaving out empty ones and joining runs of small ones
/// ([`SMALL`]).
pub fn chunk_list(chunks: impl IntoIterator<Item = Bytes>) -> ChunkList {
    let mut list = Vec::new();
    let mut small: Vec<u8> = Vec::new();
    for chunk in chunks {
        if chunk.len() < SMALL {
            small.extend_from_slice(&chunk);
            continue;
        }
        if !small.is_empty() {
            list.push(Bytes::from(std::mem::take(&mut small)));
        }
        list.push(chunk);
    }
    if !small.is_empty() {
        list.push(Bytes::from(small));
    }
    list.into()
}

/// Bytes held as a run of shared chunks, read as one buffer.
#[derive(Debug, Clone)]
pub struct Chunks {
    /// Never an empty chunk: [`Buf::chunk`] must not be empty while bytes remain.
    list: ChunkList,
    /// The chunk being read, and how far into it.
    at: usize,
    offset: usize,
    remaining: usize,
}

impl Chunks {
    /// The bytes of `list`.
    pub fn of(list: ChunkList) -> Chunks {
        let remaining = list.iter().map(Bytes::len).sum();
        Chunks {
            list,
            at: 0,
            offset: 0,
            remaining,
        }
    }
}

impl Buf for Chunks {
    fn remaining(&self) -> usize {
        self.remaining
    }

    fn chunk(&self) -> &[u8] {
        self.list
            .get(self.at)
            .and_then(|c| c.get(self.offset..))
            .unwrap_or_default()
    }

    fn advance(&mut self, mut count: usize) {
        while count > 0 {
            let Some(current) = self.list.get(self.at) else {
                break;
            };
            let step = count.min(current.len() - self.offset);
            self.offset += step;
            if self.offset == current.len() {
                self.at += 1;
                self.offset = 0;
            }
            self.remaining -= step;
            count -= step;
        }
    }

    fn chunks_vectored<'a>(&'a self, slices: &mut [IoSlice<'a>]) -> usize {
        let Some(rest) = self.list.get(self.at..) else {
            return 0;
        };
        let mut filled = 0;
        for (n, (slot, chunk)) in slices.iter_mut().zip(rest).enumerate() {
            let skip = if n == 0 { self.offset } else { 0 };
            *slot = IoSlice::new(chunk.get(skip..).unwrap_or_default());
            filled += 1;
        }
        filled
    }
}

/// A response body of known length: nothing, or one frame of [`Chunks`].
#[derive(Debug, Default)]
pub struct Body {
    data: Option<Chunks>,
}

impl Body {
    /// No bytes at all.
    pub fn empty() -> Body {
        Body::default()
    }

    /// `bytes`, in one chunk.
    pub fn whole(bytes: Bytes) -> Body {
        Body::chunks([bytes])
    }

    /// The concatenation of `chunks`.
    pub fn chunks(chunks: impl IntoIterator<Item = Bytes>) -> Body {
        Body::list(chunk_list(chunks))
    }

    /// The concatenation of the chunks in `list`.
    pub fn list(list: ChunkList) -> Body {
        let data = Chunks::of(list);
        Body {
            data: (data.remaining > 0).then_some(data),
        }
    }

    /// How many bytes are left to send.
    pub fn len(&self) -> u64 {
        self.data.as_ref().map_or(0, |d| d.remaining as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_none()
    }

    /// The bytes left to send, in one buffer: for tests and for callers that want them whole.
    pub fn concat(self) -> Bytes {
        match self.data {
            None => Bytes::new(),
            Some(data) if data.list.len() == 1 => data.list.first().cloned().unwrap_or_default(),
            Some(mut data) => data.copy_to_bytes(data.remaining),
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
    type Data = Chunks;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Chunks>, Infallible>>> {
        Poll::Ready(self.get_mut().data.take().map(|d| Ok(Frame::data(d))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use proptest::prelude::*;

    fn collect(body: Body) -> Vec<Chunks> {
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
            frames
        })
    }

    fn of(parts: &[&'static [u8]]) -> Body {
        Body::chunks(parts.iter().map(|p| Bytes::from_static(p)))
    }

    #[test]
    fn sends_the_chunks_as_one_frame_and_says_its_length() {
        let body = of(&[b"<feed>", b"", b"<entry/>", b"</feed>"]);
        assert_eq!(body.len(), 21);
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(21));
        assert!(!http_body::Body::is_end_stream(&body));
        let mut frames = collect(body);
        assert_eq!(frames.len(), 1);
        let mut data = frames.remove(0);
        let mut slices = [IoSlice::new(&[]); 8];
        assert_eq!(
            data.chunks_vectored(&mut slices),
            1,
            "small chunks are joined"
        );
        assert_eq!(data.copy_to_bytes(21), &b"<feed><entry/></feed>"[..]);
    }

    #[test]
    fn small_chunks_are_joined_and_large_ones_shared() {
        let large = Bytes::from(vec![b'x'; SMALL]);
        let list = chunk_list([
            Bytes::from_static(b"a"),
            Bytes::from_static(b"b"),
            large.clone(),
            Bytes::new(),
            Bytes::from_static(b"c"),
        ]);
        assert_eq!(list.len(), 3);
        assert_eq!(&list[0][..], b"ab");
        assert_eq!(
            list[1].as_ptr(),
            large.as_ptr(),
            "a large chunk is not copied"
        );
        assert_eq!(&list[2][..], b"c");
    }

    #[test]
    fn an_empty_body_ends_at_once() {
        for body in [Body::empty(), of(&[]), of(&[b""])] {
            assert!(http_body::Body::is_end_stream(&body));
            assert_eq!(http_body::Body::size_hint(&body).exact(), Some(0));
            assert!(collect(body).is_empty());
        }
    }

    #[test]
    fn concat_gives_the_bytes() {
        assert_eq!(of(&[b"a", b"bc"]).concat(), &b"abc"[..]);
        assert_eq!(of(&[b"abc"]).concat(), &b"abc"[..]);
        assert_eq!(Body::empty().concat(), &b""[..]);
    }

    proptest! {
        /// However a writer takes it (slices of any count, partial writes of any length), the
        /// bytes come out in order, each once.
        #[test]
        fn reading_in_any_steps_gives_the_concatenation(
            parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 0..20),
            steps in proptest::collection::vec((1usize..8, 1usize..100), 1..200),
        ) {
            let expected: Vec<u8> = parts.concat();
            // Every part a chunk of its own (not joined as `chunk_list` would), so that writes
            // cross chunk boundaries and stop inside chunks.
            let mut data = Chunks::of(parts.into_iter().map(Bytes::from).collect());
            prop_assert_eq!(data.remaining(), expected.len());
            let mut out = Vec::new();
            for (slots, most) in steps.iter().cycle() {
                if !data.has_remaining() {
                    break;
                }
                // A vectored write of at most `most` bytes from at most `slots` slices.
                let mut slices = vec![IoSlice::new(&[]); *slots];
                let filled = data.chunks_vectored(&mut slices);
                prop_assert!(filled > 0);
                let mut written = 0;
                for slice in &slices[..filled] {
                    let take = slice.len().min(most - written);
                    out.extend_from_slice(&slice[..take]);
                    written += take;
                    if written == *most {
                        break;
                    }
                }
                prop_assert_eq!(data.chunk(), &slices[0][..]);
                data.advance(written);
            }
            prop_assert_eq!(out, expected);
            prop_assert_eq!(data.remaining(), 0);
            prop_assert!(data.chunk().is_empty());
        }

        /// A list keeps the bytes and their order, holds no empty chunk, and never has two
        /// small chunks side by side.
        #[test]
        fn a_chunk_list_is_the_same_bytes(
            parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..30),
        ) {
            let expected: Vec<u8> = parts.concat();
            let list = chunk_list(parts.into_iter().map(Bytes::from));
            prop_assert_eq!(list.concat(), expected);
            prop_assert!(list.iter().all(|c| !c.is_empty()));
            prop_assert!(list.windows(2).all(|w| w[0].len() >= SMALL || w[1].len() >= SMALL));
        }
    }
}
