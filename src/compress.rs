//! COMPRESS: bytes -> their gzip and brotli forms, and documents spliced from shared pieces.
//!
//! A feed document is a head, the items it shows and a tail, and one item sits in many
//! documents: the site's feed, its language's, each of its people's. Compressing every document
//! whole would compress each item once per document that holds it. Instead each [`Piece`] is
//! compressed once, on its own, the first time a document needs it, and a document's compressed
//! form is its pieces' forms joined:
//!
//! - gzip: each piece is raw deflate ending in a sync flush (so on a byte boundary, not final);
//!   the document is a gzip header, the pieces, an empty final block, and the CRC-32 of the
//!   whole, combined from the pieces' CRCs, with the total length.
//! - brotli: each piece is a stream in the encoder's concatenable mode (no reference before its
//!   own start, no static dictionary), and the streams are joined by the crate's `BroCatli`,
//!   which rewrites the headers and last bits between them.
//!
//! Either decodes to exactly the document's bytes. The price is that a piece finds no matches
//! in the pieces before it: a few percent of size, measured in docs/speed.md, for compressing
//! each item once instead of once per feed. Output is deterministic: the same pieces give the same
//! bytes on every machine.

use std::io::Write;
use std::sync::OnceLock;

use brotli::concat::{BroCatli, BroCatliResult};
use bytes::Bytes;
use flate2::{Compress, Compression, FlushCompress, GzBuilder};
use sha2::{Digest, Sha256};

// Compression settings, measured with `examples/compress-levels.rs` on the pieces syndic
// compresses (each item's head and tail in every format, and the HTML body the three formats
// share; 2.2 KB on average) of a generated 10,000-post corpus, one core of this project's
// 2-core machine; size is compressed / original:
//
//   gzip (zlib-rs)                brotli (concatenable, no dictionary)
//   level  µs/piece  size         quality  µs/piece  size
//   1       19       57.0%        0         43       49.9%
//   2       43       44.0%        1         72       47.4%
//   4       51       42.9%        2         74       45.1%
//   6       50       42.7%        3         75       44.1%
//                                 4        145       43.9%
//                                 5        207       42.8%
//
// A piece compressed apart gives brotli little to work with (no static dictionary in the
// concatenable mode, no earlier items to match): at quality 5 it is gzip 6's size for four
// times its time. Quality 2 costs about what gzip does (quality 3 measured the same to 30%
// slower from one run to the next), for 5% more bytes than quality 5; gzip is what the server
// sends when a client takes both (`http::encoding`).

/// gzip level: 6; lower levels save little time for more bytes (see the figures above).
const GZIP_LEVEL: u32 = 6;

/// brotli quality: 2, as fast as gzip 6 (see the figures above).
const BROTLI_QUALITY: i32 = 2;

/// The largest brotli window, log2 of its size: 4 MiB, more than most documents, so the
/// longest archive pages still find matches from their start. Smaller inputs get the smallest
/// window that holds them (what a decoder allocates), but never less than
/// [`BROTLI_MIN_WINDOW`].
const BROTLI_MAX_WINDOW: i32 = 22;

/// The smallest brotli window: 256 KiB. `BroCatli` joins window-16 streams wrong (see
/// [`brotli_pieces`]), and at quality 5 a window of 64 KiB or less switched the encoder to
/// another match finder, measured 30 to 50 times slower on feed items here (a 12.6 KB item:
/// 20.9 ms at window 16, 0.43 ms at window 18, for 2% fewer bytes).
const BROTLI_MIN_WINDOW: i32 = 18;

/// The gzip header: deflate, no flags, mtime 0, no extra flags, OS unknown.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// An empty final deflate block (fixed Huffman codes, end of block at once).
const DEFLATE_END: [u8; 2] = [0x03, 0x00];

/// A part of one or more documents, with its compressed forms made once, when first needed.
#[derive(Debug, Default)]
pub struct Piece {
    /// Shared, so that a response can send the piece as it is ([`Piece::shared`]).
    bytes: Bytes,
    deflate: OnceLock<Deflated>,
    /// Shared, so that a document's brotli form can send slices of it ([`brotli_shared`]).
    brotli: OnceLock<Bytes>,
    digest: OnceLock<[u8; 32]>,
}

impl PartialEq for Piece {
    fn eq(&self, other: &Piece) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for Piece {}

#[derive(Debug)]
struct Deflated {
    /// Raw deflate, ending in a sync flush.
    data: Bytes,
    crc: u32,
}

impl Piece {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Piece {
        Piece {
            bytes: Bytes::from(bytes.into()),
            ..Piece::default()
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The piece's bytes, shared rather than copied.
    pub fn shared(&self) -> Bytes {
        self.bytes.clone()
    }

    /// The piece as text; pieces are made from text, so this fails only for a piece made
    /// from other bytes.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Makes both compressed forms now, if they are not made yet.
    pub fn precompress(&self) {
        self.deflated();
        self.brotli_stream();
    }

    /// Bytes held by the compressed forms made so far.
    pub fn compressed_size(&self) -> usize {
        self.deflate.get().map_or(0, |d| d.data.len()) + self.brotli.get().map_or(0, Bytes::len)
    }

    /// SHA-256 of the piece's bytes, computed once.
    pub fn digest(&self) -> &[u8; 32] {
        self.digest
            .get_or_init(|| Sha256::digest(&self.bytes).into())
    }

    fn deflated(&self) -> &Deflated {
        self.deflate.get_or_init(|| Deflated {
            data: Bytes::from(deflate_sync(&self.bytes)),
            crc: crc32fast::hash(&self.bytes),
        })
    }

    fn brotli_stream(&self) -> &Bytes {
        self.brotli
            .get_or_init(|| Bytes::from(brotli_stream_at(&self.bytes, BROTLI_QUALITY)))
    }
}

/// The gzip form of `bytes`, compressed whole: level 6, no file name, mtime 0, so the same
/// bytes give the same output everywhere.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzBuilder::new().mtime(0).write(
        Vec::with_capacity(bytes.len() / 4 + 32),
        Compression::new(GZIP_LEVEL),
    );
    let done = encoder.write_all(bytes).and_then(|()| encoder.finish());
    match done {
        Ok(compressed) => compressed,
        // A Vec takes every write, and the level is valid: there is nothing that can fail.
        Err(e) => unreachable!("gzip into memory failed: {e}"),
    }
}

/// The brotli form of `bytes`, compressed whole at [`BROTLI_QUALITY`], with the smallest
/// window that holds it.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: window_for(bytes.len()),
        size_hint: bytes.len(),
        ..Default::default()
    };
    compress_brotli(bytes, &params)
}

/// Makes the compressed forms of every piece that `parts` lists (each once, however often it
/// is listed), on every core. Run before joining many documents: documents sharing items
/// would otherwise wait on each other for the same piece.
pub fn precompress<'a>(parts: impl Iterator<Item = &'a std::sync::Arc<Piece>>) {
    precompress_with(parts, Piece::precompress);
}

/// Like [`precompress`], making the gzip forms only.
pub fn precompress_gzip<'a>(parts: impl Iterator<Item = &'a std::sync::Arc<Piece>>) {
    precompress_with(parts, |piece| {
        piece.deflated();
    });
}

fn precompress_with<'a>(
    parts: impl Iterator<Item = &'a std::sync::Arc<Piece>>,
    make: impl Fn(&Piece) + Sync,
) {
    use rayon::prelude::*;
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<&std::sync::Arc<Piece>> = parts
        .filter(|p| seen.insert(std::sync::Arc::as_ptr(p)))
        .collect();
    // Largest first, so that no core is left with one long piece at the end.
    let mut unique = unique;
    unique.sort_by_key(|p| std::cmp::Reverse(p.len()));
    unique.par_iter().with_max_len(1).for_each(|p| make(p));
}

/// The gzip form of the concatenation of `pieces`, from each piece's own compressed form.
pub fn gzip_pieces<P: AsRef<Piece>>(pieces: &[P]) -> Vec<u8> {
    let end = Bytes::copy_from_slice(&gzip_end(pieces));
    gzip_shared(pieces, &end).concat()
}

/// What [`gzip_pieces`] is the concatenation of, each shared rather than copied: the gzip
/// header, each piece's deflate stream, and `end` (see [`gzip_end`]).
pub fn gzip_shared<P: AsRef<Piece>>(pieces: &[P], end: &Bytes) -> Vec<Bytes> {
    let mut chunks = Vec::with_capacity(pieces.len() + 2);
    chunks.push(Bytes::from_static(&GZIP_HEADER));
    chunks.extend(pieces.iter().map(|p| p.as_ref().deflated().data.clone()));
    chunks.push(end.clone());
    chunks
}

/// The end of the gzip form of the concatenation of `pieces`: an empty final deflate block,
/// then the CRC-32 of the whole, combined from the pieces' own, and the length.
pub fn gzip_end<P: AsRef<Piece>>(pieces: &[P]) -> [u8; 10] {
    let mut crc = crc32fast::Hasher::new();
    let mut len: u64 = 0;
    for piece in pieces {
        let piece = piece.as_ref();
        let size = piece.bytes.len() as u64;
        crc.combine(&crc32fast::Hasher::new_with_initial_len(
            piece.deflated().crc,
            size,
        ));
        len += size;
    }
    let mut end = [0u8; 10];
    end[..2].copy_from_slice(&DEFLATE_END);
    end[2..6].copy_from_slice(&crc.finalize().to_le_bytes());
    // ISIZE is the length modulo 2^32.
    end[6..].copy_from_slice(&(len as u32).to_le_bytes());
    end
}

/// The brotli form of the concatenation of `pieces`, from each piece's own compressed form.
pub fn brotli_pieces<P: AsRef<Piece>>(pieces: &[P]) -> Vec<u8> {
    brotli_join(pieces).0
}

/// What [`brotli_pieces`] is the concatenation of, sharing rather than copying what it can.
///
/// `BroCatli` rewrites only the first few bytes of each stream (its header, realigned to the
/// bits the stream before left) and the last two (its end-of-stream bits, cleared); the rest of
/// each stream it copies as it is. So the joined form is kept as the bytes it rewrote, copied,
/// and between them, each stream's middle as a slice of the piece's own stream: the document
/// then holds a few bytes per piece instead of all its compressed bytes. Each slice is checked
/// equal to the joined bytes it stands for; whatever is not is copied.
pub fn brotli_shared<P: AsRef<Piece>>(pieces: &[P]) -> Vec<Bytes> {
    let (joined, spans) = brotli_join(pieces);
    let mut chunks = Vec::with_capacity(spans.len() * 2 + 1);
    // The joined bytes up to here are in `chunks`.
    let mut done = 0usize;
    for span in spans {
        let (Some(region), Some(own)) = (joined.get(done..span.end), span.stream.get(..span.kept))
        else {
            continue;
        };
        let shared = same_suffix(region, own);
        // A short match is not worth a chunk of its own.
        if shared < SHARED_BROTLI_MIN {
            continue;
        }
        let start = span.end - shared;
        if start > done {
            chunks.push(Bytes::copy_from_slice(&joined[done..start]));
        }
        chunks.push(span.stream.slice(span.kept - shared..span.kept));
        done = span.end;
    }
    if done < joined.len() {
        chunks.push(Bytes::copy_from_slice(&joined[done..]));
    }
    chunks
}

/// The fewest bytes of a stream worth sending as a slice of it rather than copied.
const SHARED_BROTLI_MIN: usize = 64;

/// Where one stream ended in the joined bytes: the joined bytes up to `end` close with the
/// stream's own bytes up to `kept` (all but the last two, which the next stream or the end
/// rewrites).
struct Span {
    stream: Bytes,
    end: usize,
    kept: usize,
}

/// How many bytes `joined` and `stream` end with alike: the header `BroCatli` rewrote is at
/// most a few bytes, so the stream's whole tail is tried first, one header length at a time.
fn same_suffix(joined: &[u8], stream: &[u8]) -> usize {
    let longest = joined.len().min(stream.len());
    for skipped in 0..=8 {
        let Some(n) = longest.checked_sub(skipped) else {
            break;
        };
        if joined[joined.len() - n..] == stream[stream.len() - n..] {
            return n;
        }
    }
    joined
        .iter()
        .rev()
        .zip(stream.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// Joins the pieces' brotli streams with `BroCatli`, noting where each stream's copied bytes
/// end in the result.
fn brotli_join<P: AsRef<Piece>>(pieces: &[P]) -> (Vec<u8>, Vec<Span>) {
    let total: usize = pieces.iter().map(|p| p.as_ref().len()).sum();
    let streams: Vec<Bytes> = pieces
        .iter()
        .map(|p| p.as_ref())
        .filter(|p| !p.is_empty())
        .map(|p| p.brotli_stream().clone())
        .collect();
    // Joining adds at most a few bytes per stream to what the streams hold.
    let capacity = streams.iter().map(|s| s.len() + 8).sum::<usize>() + 16;
    let mut out = vec![0u8; capacity];
    let mut at = 0usize;
    let mut spans = Vec::with_capacity(streams.len());
    // (Windows are 18 and up: window 16, whose header is one bit, `BroCatli` writes wrong.)
    let window = u8::try_from(window_for(total)).unwrap_or(22);
    let mut cat = match BroCatli::try_new_with_window_size(window) {
        Ok(cat) => cat,
        Err(e) => unreachable!("brotli window {window} refused: {e:?}"),
    };
    for stream in streams {
        cat.new_brotli_file();
        let mut read = 0usize;
        while read < stream.len() {
            match cat.stream(&stream, &mut read, &mut out, &mut at) {
                BroCatliResult::Success | BroCatliResult::NeedsMoreInput => {}
                BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2 + 16, 0),
                // Every stream was made here, concatenable, with a window no larger than the
                // document's: joining them cannot be refused.
                e => unreachable!("joining brotli streams failed: {e:?}"),
            }
        }
        let kept = stream.len().saturating_sub(2);
        spans.push(Span {
            stream,
            end: at,
            kept,
        });
    }
    loop {
        match cat.finish(&mut out, &mut at) {
            BroCatliResult::Success => break,
            BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2 + 16, 0),
            e => unreachable!("ending joined brotli streams failed: {e:?}"),
        }
    }
    out.truncate(at);
    (out, spans)
}

/// SHA-256 over `pieces`, from each piece's own digest: the same pieces give the same value,
/// and a change in any piece's bytes changes it.
pub fn digest_pieces<P: AsRef<Piece>>(pieces: &[P]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for piece in pieces {
        let piece = piece.as_ref();
        hasher.update((piece.len() as u64).to_le_bytes());
        hasher.update(piece.digest());
    }
    hasher.finalize().into()
}

/// The smallest brotli window (log2, 18 to 22) that holds `len` bytes; brotli's window is
/// 16 bytes short of its power of two.
fn window_for(len: usize) -> i32 {
    let mut lgwin = BROTLI_MIN_WINDOW;
    while lgwin < BROTLI_MAX_WINDOW && (1usize << lgwin) - 16 < len {
        lgwin += 1;
    }
    lgwin
}

/// [`Piece`]'s brotli stream (concatenable) at another quality (0 to 11), for weighing settings
/// (`examples/compress-levels.rs`).
pub fn brotli_stream_at(bytes: &[u8], quality: i32) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: quality.clamp(0, 11),
        lgwin: window_for(bytes.len()),
        size_hint: bytes.len(),
        catable: true,
        appendable: true,
        use_dictionary: false,
        magic_number: false,
        ..Default::default()
    };
    compress_brotli(bytes, &params)
}

fn compress_brotli(bytes: &[u8], params: &brotli::enc::BrotliEncoderParams) -> Vec<u8> {
    let mut compressed = Vec::with_capacity(bytes.len() / 4 + 32);
    let mut input_buffer = [0u8; 4096];
    let mut output_buffer = [0u8; 4096];
    let done = brotli::enc::BrotliCompressCustomAlloc(
        &mut &bytes[..],
        &mut compressed,
        &mut input_buffer,
        &mut output_buffer,
        params,
        pool::Reusing,
    );
    match done {
        Ok(_) => compressed,
        // Reading a slice and writing a Vec cannot fail, and the parameters are valid.
        Err(e) => unreachable!("brotli into memory failed: {e}"),
    }
}

/// Raw deflate of `bytes` ending in a sync flush: byte-aligned and not final, so that another
/// piece's deflate can follow it.
fn deflate_sync(bytes: &[u8]) -> Vec<u8> {
    deflate_sync_at(bytes, GZIP_LEVEL)
}

/// [`Piece`]'s deflate form at another level (1 to 9), for weighing settings
/// (`examples/compress-levels.rs`).
pub fn deflate_sync_at(bytes: &[u8], level: u32) -> Vec<u8> {
    thread_local! {
        /// This thread's deflate state and its level, reset for each piece rather than made
        /// anew: its window and tables (about 300 KB) are then allocated once per thread.
        static DEFLATE: std::cell::RefCell<Option<(u32, Compress)>> =
            const { std::cell::RefCell::new(None) };
    }
    let level = level.min(9);
    DEFLATE.with(|cell| {
        let mut state = cell.borrow_mut();
        match state.as_mut() {
            Some((at, compress)) if *at == level => compress.reset(),
            _ => *state = Some((level, Compress::new(Compression::new(level), false))),
        }
        match state.as_mut() {
            Some((_, compress)) => deflate_sync_with(compress, bytes),
            None => unreachable!("the deflate state was set just above"),
        }
    })
}

/// Deflates `bytes` with `compress`, fresh or reset, ending in a sync flush.
fn deflate_sync_with(compress: &mut Compress, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    loop {
        let read = usize::try_from(compress.total_in()).unwrap_or(bytes.len());
        let rest = bytes.get(read..).unwrap_or_default();
        if let Err(e) = compress.compress_vec(rest, &mut out, FlushCompress::Sync) {
            // In-memory deflate with a valid level has no way to fail.
            unreachable!("deflate into memory failed: {e}");
        }
        let done = usize::try_from(compress.total_in()).is_ok_and(|n| n >= bytes.len());
        // With room left over, the flush is complete.
        if done && out.len() < out.capacity() {
            return out;
        }
        out.reserve(out.capacity().max(64));
    }
}

/// The brotli encoder's memory, reused from one piece to the next on each thread.
///
/// The encoder allocates its ring buffer and hash tables (a few hundred KB) for every stream
/// and frees them at the end; pieces are a few KB, so making those anew each time, zeroed
/// pages from the system once the allocator has handed them back, cost more than compressing.
/// [`Reusing`] keeps a thread's freed buffers by type and length and hands them back reset
/// to their default value, exactly what a fresh allocation holds, so the output is the same
/// bytes.
mod pool {
    use std::any::{Any, TypeId};
    use std::cell::RefCell;
    use std::collections::HashMap;

    use brotli::enc::BrotliAlloc;
    use brotli::{Allocator, SliceWrapper, SliceWrapperMut};

    /// Most bytes of free buffers a thread keeps: more than one stream at the largest window
    /// needs (a 4 MiB ring buffer and its tables).
    const MOST_KEPT: usize = 16 << 20;

    #[derive(Default)]
    struct Free {
        /// Free buffers by element type and size class: the length rounded up to a power of
        /// two. The encoder asks for lengths that follow the piece's size; buffers kept at
        /// their exact lengths would seldom be asked for again, and would fill the list.
        buffers: HashMap<(TypeId, usize), Vec<Box<dyn Any>>>,
        bytes: usize,
    }

    thread_local! {
        static FREE: RefCell<Free> = RefCell::new(Free::default());
        /// Buffers this thread allocated anew, for tests.
        static FRESH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// An allocator for the brotli encoder that takes buffers from, and gives them back to,
    /// this thread's free list.
    pub struct Reusing;

    /// A buffer of the encoder's: the first `len` elements of a buffer of its size class.
    pub struct Buffer<T> {
        data: Box<[T]>,
        len: usize,
    }

    impl<T> Default for Buffer<T> {
        fn default() -> Self {
            Buffer {
                data: Box::new([]),
                len: 0,
            }
        }
    }

    impl<T> SliceWrapper<T> for Buffer<T> {
        fn slice(&self) -> &[T] {
            &self.data[..self.len]
        }
    }

    impl<T> SliceWrapperMut<T> for Buffer<T> {
        fn slice_mut(&mut self) -> &mut [T] {
            &mut self.data[..self.len]
        }
    }

    impl<T: Clone + Default + 'static> Allocator<T> for Reusing {
        type AllocatedMemory = Buffer<T>;

        fn alloc_cell(&mut self, len: usize) -> Buffer<T> {
            if len == 0 {
                return Buffer::default();
            }
            let class = len.next_power_of_two();
            let reused = FREE.with(|free| {
                let mut free = free.borrow_mut();
                let found = free
                    .buffers
                    .get_mut(&(TypeId::of::<T>(), class))
                    .and_then(Vec::pop)?;
                free.bytes -= class * size_of::<T>();
                found.downcast::<Box<[T]>>().ok()
            });
            let data = match reused {
                Some(mut data) => {
                    // What the encoder sees is as a new buffer's: every element a default.
                    data[..len].fill(T::default());
                    *data
                }
                None => {
                    FRESH.with(|fresh| fresh.set(fresh.get() + 1));
                    vec![T::default(); class].into_boxed_slice()
                }
            };
            Buffer { data, len }
        }

        fn free_cell(&mut self, buffer: Buffer<T>) {
            let class = buffer.data.len();
            let bytes = class * size_of::<T>();
            if class == 0 {
                return;
            }
            FREE.with(|free| {
                let mut free = free.borrow_mut();
                if free.bytes + bytes <= MOST_KEPT {
                    free.bytes += bytes;
                    free.buffers
                        .entry((TypeId::of::<T>(), class))
                        .or_default()
                        .push(Box::new(buffer.data));
                }
            });
        }
    }

    impl BrotliAlloc for Reusing {}

    /// Buffers this thread allocated anew so far, for tests.
    #[cfg(test)]
    pub fn fresh() -> usize {
        FRESH.with(std::cell::Cell::get)
    }

    /// Bytes of free buffers this thread keeps, for tests.
    #[cfg(test)]
    pub fn kept() -> usize {
        FREE.with(|free| free.borrow().bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;
    use std::sync::Arc;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        if let Err(e) = flate2::read::GzDecoder::new(bytes).read_to_end(&mut out) {
            panic!("not gzip: {e}");
        }
        out
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        if let Err(e) = brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out) {
            panic!("not brotli: {e}");
        }
        out
    }

    fn pieces(texts: &[&[u8]]) -> Vec<Arc<Piece>> {
        texts
            .iter()
            .map(|t| Arc::new(Piece::new(t.to_vec())))
            .collect()
    }

    #[test]
    fn spliced_forms_decode_to_the_joined_pieces() {
        let item = "<item><title>Un billet</title><description>&lt;p&gt;Bonjour&lt;/p&gt;</description></item>".repeat(40);
        let parts = pieces(&[
            b"<rss><channel>",
            item.as_bytes(),
            b"",
            item.as_bytes(),
            b"</channel></rss>\n",
        ]);
        let whole: Vec<u8> = parts.iter().flat_map(|p| p.bytes().to_vec()).collect();
        assert_eq!(gunzip(&gzip_pieces(&parts)), whole);
        assert_eq!(unbrotli(&brotli_pieces(&parts)), whole);
        // A piece shared by two documents is compressed once and serves both.
        let again = [parts[1].clone(), parts[4].clone()];
        let second: Vec<u8> = again.iter().flat_map(|p| p.bytes().to_vec()).collect();
        assert_eq!(gunzip(&gzip_pieces(&again)), second);
        assert_eq!(unbrotli(&brotli_pieces(&again)), second);
    }

    #[test]
    fn documents_of_every_window_size_join() {
        // Pieces of pseudo-random bytes with repeats, so that brotli finds both literals and
        // matches, adding up to sizes from 1 KiB to past the largest window (4 MiB).
        let mut state: u64 = 7;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    b"<>&abcdefgh "[(state >> 60) as usize % 12]
                })
                .collect()
        };
        for lgwin in 10..=23 {
            let total = (1usize << lgwin) - 100;
            let piece = noise(total / 4).repeat(2);
            let parts = vec![
                Arc::new(Piece::new(noise(100))),
                Arc::new(Piece::new(piece.clone())),
                Arc::new(Piece::new(piece)),
            ];
            let whole: Vec<u8> = parts.iter().flat_map(|p| p.bytes().to_vec()).collect();
            assert_eq!(unbrotli(&brotli_pieces(&parts)), whole, "window {lgwin}");
            assert_eq!(brotli_shared(&parts).concat(), brotli_pieces(&parts));
            assert_eq!(gunzip(&gzip_pieces(&parts)), whole, "window {lgwin}");
        }
    }

    /// Bytes of `chunks` that are not slices of the pieces' own brotli streams.
    fn copied(chunks: &[Bytes], parts: &[Arc<Piece>]) -> usize {
        let streams: Vec<&Bytes> = parts.iter().filter_map(|p| p.brotli.get()).collect();
        let inside = |chunk: &Bytes| {
            streams.iter().any(|s| {
                let range = s.as_ptr_range();
                range.contains(&chunk.as_ptr()) && chunk.len() <= s.len()
            })
        };
        chunks.iter().filter(|c| !inside(c)).map(Bytes::len).sum()
    }

    #[test]
    fn the_brotli_form_shares_the_pieces_streams_and_copies_a_few_bytes_each() {
        let item = "<entry><title>Un billet</title><content>&lt;p&gt;Bonjour, voici les nouvelles du service.&lt;/p&gt;</content></entry>\n".repeat(30);
        let other = item.replace("Bonjour", "Salut");
        let parts = pieces(&[
            b"<feed>",
            item.as_bytes(),
            b"",
            other.as_bytes(),
            item.as_bytes(),
            b"</feed>\n",
        ]);
        let whole: Vec<u8> = parts.iter().flat_map(|p| p.bytes().to_vec()).collect();
        let chunks = brotli_shared(&parts);
        assert_eq!(unbrotli(&chunks.concat()), whole);
        assert_eq!(chunks.concat(), brotli_pieces(&parts));
        let compressed: usize = chunks.iter().map(Bytes::len).sum();
        let copied = copied(&chunks, &parts);
        // Each stream's header and end are rewritten; all the rest is the pieces' own bytes.
        assert!(
            copied <= 8 * parts.len(),
            "{copied} of {compressed} bytes copied"
        );
        assert!(compressed > 200, "{compressed}");
    }

    #[test]
    fn no_pieces_is_the_empty_document() {
        let none: Vec<Arc<Piece>> = Vec::new();
        assert_eq!(gunzip(&gzip_pieces(&none)), b"");
        assert_eq!(unbrotli(&brotli_pieces(&none)), b"");
    }

    #[test]
    fn whole_forms_decode_and_are_deterministic() {
        let text = b"<feed>caf\xc3\xa9</feed>".repeat(100);
        assert_eq!(gunzip(&gzip(&text)), text);
        assert_eq!(unbrotli(&brotli(&text)), text);
        assert_eq!(gzip(&text), gzip(&text));
        assert_eq!(brotli(&text), brotli(&text));
    }

    #[test]
    fn the_digest_follows_every_piece() {
        let a = pieces(&[b"head", b"item one", b"tail"]);
        let b = pieces(&[b"head", b"item two", b"tail"]);
        let c = pieces(&[b"head", b"item one", b"tail"]);
        assert_ne!(digest_pieces(&a), digest_pieces(&b));
        assert_eq!(digest_pieces(&a), digest_pieces(&c));
        // Where the bytes are cut between pieces counts too.
        let d = pieces(&[b"headitem", b" one", b"tail"]);
        assert_ne!(digest_pieces(&a), digest_pieces(&d));
    }

    #[test]
    fn windows_hold_their_input() {
        assert_eq!(window_for(0), 18);
        assert_eq!(window_for((1 << 18) - 16), 18);
        assert_eq!(window_for((1 << 18) - 15), 19);
        assert_eq!(window_for(usize::MAX), 22);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_pieces_splice_to_their_concatenation(
            texts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..3000), 0..8),
            repeat in 1usize..4,
        ) {
            let texts: Vec<Vec<u8>> = texts.into_iter().map(|t| t.repeat(repeat)).collect();
            let parts: Vec<Arc<Piece>> = texts.iter().map(|t| Arc::new(Piece::new(t.clone()))).collect();
            let whole: Vec<u8> = texts.concat();
            prop_assert_eq!(gunzip(&gzip_pieces(&parts)), whole.clone());
            let joined = brotli_pieces(&parts);
            prop_assert_eq!(brotli_shared(&parts).concat(), joined.clone());
            prop_assert_eq!(unbrotli(&joined), whole);
        }
    }

    #[test]
    fn pieces_of_every_length_reuse_the_buffers_of_those_before() {
        // Pieces as a build compresses them: each of its own length, from a few hundred
        // bytes to a few KB.
        let texts: Vec<Vec<u8>> = (0..400u32)
            .map(|n| {
                format!(
                    "<p>Item {n}: {}</p>",
                    "words, more words ".repeat(n as usize % 190)
                )
                .into_bytes()
            })
            .collect();
        // The first 190 have every length there is; those after, the same lengths again.
        let (warm, rest) = texts.split_at(190);
        for text in warm {
            assert!(!brotli_stream_at(text, BROTLI_QUALITY).is_empty());
        }
        let before = pool::fresh();
        for text in rest {
            assert!(!brotli_stream_at(text, BROTLI_QUALITY).is_empty());
        }
        assert_eq!(pool::fresh(), before, "buffers allocated anew");
        assert!(pool::kept() <= 16 << 20);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn reused_compressor_memory_gives_the_bytes_of_fresh_memory(
            texts in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..6000),
                1..6,
            ),
            levels in proptest::collection::vec(1u32..=9, 1..6),
        ) {
            // Pieces of every size one after another on this thread, so that each reuses the
            // buffers and deflate state the one before left, at changing settings.
            for (text, level) in texts.iter().zip(levels.iter().cycle()) {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: i32::try_from(*level).unwrap_or(2) % 6,
                    lgwin: window_for(text.len()),
                    catable: true,
                    appendable: true,
                    use_dictionary: false,
                    magic_number: false,
                    ..Default::default()
                };
                let mut fresh = Vec::new();
                prop_assert!(brotli::BrotliCompress(&mut &text[..], &mut fresh, &params).is_ok());
                prop_assert_eq!(compress_brotli(text, &params), fresh);

                let mut compress = Compress::new(Compression::new(*level), false);
                prop_assert_eq!(deflate_sync_at(text, *level), deflate_sync_with(&mut compress, text));
            }
            prop_assert!(pool::kept() <= 16 << 20);
        }
    }
}
