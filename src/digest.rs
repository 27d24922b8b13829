//! Content digests of the APK v2/v3/v3.1 schemes and HarmonyOS signing
//! blocks (the same chunked digest), and whole-file digests.
//!
//! The signed content is three sections — the entries before the APK Signing
//! Block, the central directory, and the end record with its directory offset
//! replaced by the block's offset. Chunked digests hash each 1 MiB chunk as
//! `H(0xa5 ‖ len ‖ chunk)` and then `H(0x5a ‖ count ‖ chunk digests)`; the
//! chunks are independent, so they are hashed on every core. Verity digests
//! are the root of a 4 KiB SHA-256 Merkle tree (8-byte zero salt) plus the length.

use crate::crypto::Hash;
use sha2::{Digest, Sha256};

const CHUNK: usize = 1 << 20;
const PAGE: usize = 4096;

/// Content digest algorithms (apksig `ContentDigestAlgorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentDigest {
    ChunkedSha256,
    ChunkedSha512,
    VerityChunkedSha256,
}

/// The three signed sections, borrowed from the file (the end record copied
/// because one field is rewritten).
pub struct Sections<'a> {
    pub before_block: &'a [u8],
    pub central_directory: &'a [u8],
    pub end_record: Vec<u8>,
    /// Told about each stretch of the file once every digest has hashed it.
    release: Option<crate::Release<'a>>,
}

impl<'a> Sections<'a> {
    pub fn new(
        data: &'a [u8],
        block_offset: usize,
        cd_offset: usize,
        eocd_offset: usize,
    ) -> Option<Sections<'a>> {
        let before_block = data.get(..block_offset)?;
        let central_directory = data.get(cd_offset..eocd_offset)?;
        let mut end_record = data.get(eocd_offset..)?.to_vec();
        let field = end_record.get_mut(16..20)?;
        field.copy_from_slice(&u32::try_from(block_offset).ok()?.to_le_bytes());
        Some(Sections {
            before_block,
            central_directory,
            end_record,
            release: None,
        })
    }

    /// Pass each stretch of the file to `release` once it has been hashed.
    pub fn with_release(mut self, release: Option<crate::Release<'a>>) -> Sections<'a> {
        self.release = release;
        self
    }

    fn parts(&self) -> [&[u8]; 3] {
        [self.before_block, self.central_directory, &self.end_record]
    }

    fn release(&self, bytes: &[u8]) {
        if let Some(r) = self.release {
            r(bytes);
        }
    }

    pub fn compute(&self, alg: ContentDigest) -> Vec<u8> {
        self.compute_all(&[alg]).pop().unwrap_or_default()
    }

    /// Every digest in `algs`, in that order. The chunked ones share one pass
    /// over the file: each 1 MiB chunk is hashed by all of them while it is in
    /// cache, then released; verity makes a second pass, if it is asked for.
    pub fn compute_all(&self, algs: &[ContentDigest]) -> Vec<Vec<u8>> {
        let chunked_hashes: Vec<Hash> = algs
            .iter()
            .filter_map(|a| match a {
                ContentDigest::ChunkedSha256 => Some(Hash::Sha256),
                ContentDigest::ChunkedSha512 => Some(Hash::Sha512),
                ContentDigest::VerityChunkedSha256 => None,
            })
            .collect();
        let mut chunked_out = if chunked_hashes.is_empty() {
            Vec::new()
        } else {
            chunked(self, &chunked_hashes)
        }
        .into_iter();
        let mut verity_out = algs
            .contains(&ContentDigest::VerityChunkedSha256)
            .then(|| verity(self));
        algs.iter()
            .map(|a| match a {
                ContentDigest::VerityChunkedSha256 => verity_out.take().unwrap_or_default(),
                _ => chunked_out.next().unwrap_or_default(),
            })
            .collect()
    }
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16)
}

/// Run `f` over `items` on all cores, results in order. Items are handed out
/// one at a time, so one large item does not leave a core idle.
pub(crate) fn par_map<T: Sync, R: Send + Default + Clone>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let workers = threads().min(items.len()).max(1);
    if workers == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let out = Mutex::new(vec![R::default(); items.len()]);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let (f, next, out) = (&f, &next, &out);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                if let Ok(mut o) = out.lock() {
                    if let Some(slot) = o.get_mut(i) {
                        *slot = r;
                    }
                }
            });
        }
    });
    out.into_inner().unwrap_or_default()
}

/// The chunked digests for each of `hashes`, from one pass over the chunks.
fn chunked(s: &Sections<'_>, hashes: &[Hash]) -> Vec<Vec<u8>> {
    chunked_then(s, hashes, &[])
}

impl Sections<'_> {
    /// HarmonyOS's content digest: the chunked digest's last hash taken
    /// over `0x5a ‖ count ‖ chunk digests ‖ trailing…` (the signing block's
    /// other sub-blocks, in block order).
    pub fn chunked_with(&self, hash: Hash, trailing: &[&[u8]]) -> Vec<u8> {
        chunked_then(self, &[hash], trailing)
            .into_iter()
            .next()
            .unwrap_or_default()
    }
}

/// [`chunked`], with `trailing` hashed after the chunk digests.
fn chunked_then(s: &Sections<'_>, hashes: &[Hash], trailing: &[&[u8]]) -> Vec<Vec<u8>> {
    let chunks: Vec<&[u8]> = s
        .parts()
        .into_iter()
        .flat_map(|p| p.chunks(CHUNK))
        .collect();
    // Per chunk, one digest per hash function, in `hashes` order.
    let digests: Vec<Vec<Vec<u8>>> = par_map(&chunks, |c| {
        let len = u32::try_from(c.len()).unwrap_or(u32::MAX).to_le_bytes();
        let out = hashes
            .iter()
            .map(|&hash| {
                let mut h = crate::crypto::hasher(hash);
                h.update(&[0xa5]);
                h.update(&len);
                h.update(c);
                h.finalize().to_vec()
            })
            .collect();
        s.release(c);
        out
    });
    let count = u32::try_from(chunks.len())
        .unwrap_or(u32::MAX)
        .to_le_bytes();
    hashes
        .iter()
        .enumerate()
        .map(|(i, &hash)| {
            let mut top: Vec<u8> = vec![0x5a];
            top.extend_from_slice(&count);
            for d in &digests {
                top.extend_from_slice(d.get(i).map_or(&[][..], |v| v.as_slice()));
            }
            for t in trailing {
                top.extend_from_slice(t);
            }
            crate::crypto::digest(hash, &top)
        })
        .collect()
}

/// SHA-256 of `salt ‖ page`, the page zero-padded to 4 KiB.
fn page_hash(page: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0u8; 8]);
    h.update(page);
    if page.len() < PAGE {
        h.update(vec![0u8; PAGE - page.len()]);
    }
    h.finalize().into()
}

/// Bytes `[from, from + len)` of the sections laid end to end: borrowed when
/// they lie in one section, copied when they straddle two (at most a few
/// windows per file).
fn window<'p>(parts: &[&'p [u8]; 3], from: usize, len: usize) -> std::borrow::Cow<'p, [u8]> {
    let mut start = 0usize;
    let mut copy: Vec<u8> = Vec::new();
    let end = from.saturating_add(len);
    for p in parts {
        let (lo, hi) = (start, start.saturating_add(p.len()));
        start = hi;
        if hi <= from || lo >= end {
            continue;
        }
        let a = from.max(lo) - lo;
        let b = end.min(hi) - lo;
        let piece = p.get(a..b).unwrap_or_default();
        if lo <= from && end <= hi {
            return std::borrow::Cow::Borrowed(piece);
        }
        copy.extend_from_slice(piece);
    }
    std::borrow::Cow::Owned(copy)
}

/// The verity digest: the 4 KiB-page Merkle tree's root over the sections
/// laid end to end, then the total length. The pages are hashed 1 MiB at a
/// time (a whole number of pages), each mebibyte released once hashed.
fn verity(s: &Sections<'_>) -> Vec<u8> {
    let parts = s.parts();
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let windows: Vec<usize> = (0..total.div_ceil(CHUNK)).collect();
    let level0: Vec<Vec<u8>> = par_map(&windows, |&w| {
        let bytes = window(&parts, w.saturating_mul(CHUNK), CHUNK);
        let hashes = bytes.chunks(PAGE).flat_map(page_hash).collect();
        s.release(&bytes);
        hashes
    });
    let mut level: Vec<u8> = level0.concat();
    while level.len() > PAGE {
        let next: Vec<&[u8]> = level.chunks(PAGE).collect();
        level = par_map(&next, |p| page_hash(p)).concat();
    }
    let mut out = page_hash(&level).to_vec();
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out
}

/// MD5, SHA-1 and SHA-256 of a whole file in one pass over the mapped bytes.
/// MD5 (no hardware help) gets a core to itself; SHA-1 and SHA-256 (SHA-NI)
/// share the other, block by block while the block is in cache. The two sides
/// take about the same CPU time (~1.3 s per GiB each here), so on two cores
/// the wall time is about that of MD5 alone.
pub fn file_digests(data: &[u8]) -> (String, String, String) {
    use crate::cert::hex;
    std::thread::scope(|s| {
        let md5 = s.spawn(|| hex(&crate::md5::Md5::digest(data)));
        let mut sha1 = sha1::Sha1::new();
        let mut sha256 = Sha256::new();
        for block in data.chunks(CHUNK) {
            sha1.update(block);
            sha256.update(block);
        }
        (
            md5.join().unwrap_or_default(),
            hex(&sha1.finalize()),
            hex(&sha256.finalize()),
        )
    })
}

/// The same three digests streamed from a reader, for files too large to map
/// comfortably: memory stays at a few blocks however large the file. The
/// reading thread hashes SHA-1 and SHA-256 and hands each block to an MD5 thread.
pub fn file_digests_reader<R: std::io::Read>(
    mut reader: R,
) -> std::io::Result<(u64, String, String, String)> {
    use crate::cert::hex;
    use std::sync::{mpsc, Arc};
    let (tx, rx) = mpsc::sync_channel::<Arc<Vec<u8>>>(4);
    std::thread::scope(|s| {
        let md5 = s.spawn(move || {
            let mut h = crate::md5::Md5::new();
            for block in rx {
                h.update(&block[..]);
            }
            hex(&h.finalize())
        });
        let mut sha1 = sha1::Sha1::new();
        let mut sha256 = Sha256::new();
        let mut total = 0u64;
        let result = loop {
            let mut buf = vec![0u8; CHUNK];
            let mut filled = 0;
            while filled < buf.len() {
                match reader.read(buf.get_mut(filled..).unwrap_or(&mut [])) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            if filled == 0 {
                break Ok(());
            }
            buf.truncate(filled);
            total += filled as u64;
            sha1.update(&buf);
            sha256.update(&buf);
            if tx.send(Arc::new(buf)).is_err() {
                break Ok(());
            }
        };
        drop(tx);
        let md5 = md5.join().unwrap_or_default();
        result.map(|()| (total, md5, hex(&sha1.finalize()), hex(&sha256.finalize())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        let streamed = file_digests_reader(&b"abc"[..]).unwrap();
        let (md5, sha1, sha256) = file_digests(b"abc");
        assert_eq!(streamed, (3, md5.clone(), sha1.clone(), sha256.clone()));
        assert_eq!(md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn chunked_digest_matches_a_serial_computation() {
        // Three sections, 2.5 MiB total: chunks of 1 MiB never span sections.
        let data: Vec<u8> = (0..(5usize << 19) + 22).map(|i| i as u8).collect();
        let n = data.len();
        let mut data = data;
        data[n - 22..n - 18].copy_from_slice(b"PK\x05\x06");
        let s = Sections::new(&data, 3 << 19, 3 << 19, n - 22).unwrap();
        let mut chunk_digests = Vec::new();
        let mut count = 0u32;
        for part in [s.before_block, s.central_directory, &s.end_record[..]] {
            for c in part.chunks(CHUNK) {
                let mut h = Sha256::new();
                h.update([0xa5]);
                h.update((c.len() as u32).to_le_bytes());
                h.update(c);
                chunk_digests.extend_from_slice(&h.finalize());
                count += 1;
            }
        }
        let mut top = Sha256::new();
        top.update([0x5a]);
        top.update(count.to_le_bytes());
        top.update(&chunk_digests);
        assert_eq!(
            s.compute(ContentDigest::ChunkedSha256),
            top.finalize().to_vec()
        );
        assert_eq!(count, 4);
    }

    /// The verity tree the plain way: the sections joined, cut in pages.
    fn verity_serial(parts: [&[u8]; 3]) -> Vec<u8> {
        let joined: Vec<u8> = parts.concat();
        let mut level: Vec<u8> = joined.chunks(PAGE).flat_map(page_hash).collect();
        while level.len() > PAGE {
            level = level.chunks(PAGE).flat_map(page_hash).collect();
        }
        let mut out = page_hash(&level).to_vec();
        out.extend_from_slice(&(joined.len() as u64).to_le_bytes());
        out
    }

    #[test]
    fn verity_by_mebibyte_windows_matches_the_joined_tree() {
        // Section sizes that put boundaries inside pages and inside windows,
        // and a tree with three levels (over 128 pages of level-0 hashes).
        for (block, cd_len) in [(0usize, 100usize), (5000, 4096), ((9 << 20) + 123, 70_001)] {
            let n = block + cd_len + 22;
            let mut data: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
            data[n - 22..n - 18].copy_from_slice(b"PK\x05\x06");
            let released = std::sync::Mutex::new(0usize);
            let hook = |b: &[u8]| *released.lock().unwrap() += b.len();
            let s = Sections::new(&data, block, block, n - 22)
                .unwrap()
                .with_release(Some(&hook));
            let want = verity_serial(s.parts());
            assert_eq!(
                s.compute(ContentDigest::VerityChunkedSha256),
                want,
                "{block}"
            );
            // Windows that lie in one section are released once hashed.
            assert!(
                *released.lock().unwrap() >= block.saturating_sub(2 * CHUNK),
                "{block}"
            );
            // One pass for several algorithms gives what separate passes give.
            let all = s.compute_all(&[
                ContentDigest::ChunkedSha256,
                ContentDigest::ChunkedSha512,
                ContentDigest::VerityChunkedSha256,
            ]);
            assert_eq!(all[2], want);
            assert_eq!(all[0], s.compute(ContentDigest::ChunkedSha256));
            assert_eq!(all[1], s.compute(ContentDigest::ChunkedSha512));
        }
    }
}
