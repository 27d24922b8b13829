//! ZIP archives as Android reads them: end record, central directory, entries.
//!
//! Why not the `zip` crate: it keys entries by name (a repeated name — the
//! "master key" case — disappears), reads through `Read + Seek` instead of
//! borrowing from a mapped file, and refuses some archives Android installs.
//! This reader borrows everything from one `&[u8]`, keeps every record, and
//! trusts no count or offset it has not checked.

mod raw;

use crate::bytes::{slice_at, Reader};
use crate::limits::Limits;
// The `bufread` decoder reads the mapped slice in place; the `read` one would copy
// it through a zeroed 32 KiB buffer first.
use flate2::bufread::DeflateDecoder;
use std::borrow::Cow;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use thiserror::Error;

pub use raw::{CentralRecord, Method};

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ZipError {
    #[error("not a ZIP archive: no end-of-central-directory record in the last 64 KiB")]
    NoEndRecord,
    #[error(
        "central directory ({size} bytes at byte {offset}) lies outside the {file_len}-byte file"
    )]
    CentralDirectoryOutOfBounds {
        offset: u64,
        size: u64,
        file_len: usize,
    },
    #[error("bad central directory record at byte {at}: {what}")]
    BadCentralRecord { at: usize, what: &'static str },
    #[error("more than {limit} entries in the central directory (the max-entries limit)")]
    TooManyEntries { limit: usize },
    #[error("entry {name:?}: {what} at byte {at}")]
    BadLocalHeader {
        name: String,
        at: u64,
        what: &'static str,
    },
    #[error("entry {name:?}: compression method {method} is not supported")]
    UnsupportedMethod { name: String, method: u16 },
    #[error("entry {name:?} is encrypted")]
    Encrypted { name: String },
    /// `by` says which bound: the `max-entry-size` limit, or a tighter fixed
    /// cap for what the entry is read as (a plist, an icon).
    #[error("entry {name:?} inflates past {limit} bytes ({by})")]
    TooLarge {
        name: String,
        limit: u64,
        by: &'static str,
    },
    #[error("entry {name:?}: inflating {compressed} bytes to {inflated} exceeds {limit}:1 (the max-ratio limit)")]
    Ratio {
        name: String,
        compressed: u64,
        inflated: u64,
        limit: u64,
    },
    #[error(
        "entry {name:?} inflates past its declared size of {declared} bytes (Android refuses it)"
    )]
    SizeMismatch { name: String, declared: u64 },
    #[error("archive inflates past {limit} bytes in total (the max-total-inflated limit)")]
    TotalTooLarge { limit: u64 },
    #[error("entry {name:?}: corrupt deflate data: {msg}")]
    Inflate { name: String, msg: String },
    #[error("entries hashed from this archive pass {limit} bytes in total (the max-stream-factor limit × the archive's size, or max-total-inflated if more)")]
    StreamTooLarge { limit: u64 },
}

/// What the directory needs to know about each stored name.
struct NameScan {
    backslash: bool,
    suspicious: bool,
}

impl NameScan {
    fn of(n: &[u8]) -> NameScan {
        // Branch-free folds the compiler vectorises: most names are short
        // plain paths and this runs once per entry.
        let has = |c: u8| n.iter().fold(false, |acc, &b| acc | (b == c));
        let dotdot = n
            .iter()
            .zip(n.iter().skip(1))
            .fold(false, |acc, (&a, &b)| acc | ((a == b'.') & (b == b'.')));
        let backslash = has(b'\\');
        let suspicious = n.first() == Some(&b'/')
            || has(0)
            || n.get(1) == Some(&b':')
            || (dotdot
                && (n.starts_with(b"../")
                    || n.starts_with(b"..\\")
                    || n.windows(4).any(|w| w == b"/../" || w == b"\\..\\")));
        NameScan {
            backslash,
            suspicious,
        }
    }
}

/// Where an entry's stored bytes lie: from its local header to the end of its
/// data, the local name and extra field not counted (the 30-byte fixed part is).
fn stored_span(e: &CentralRecord<'_>) -> (u64, u64) {
    let at = e.local_header_offset;
    (at, at.saturating_add(30).saturating_add(e.compressed_size))
}

/// One name of the sorted index: where its record starts in the central
/// directory and how long the name is (the name follows the record's 46 fixed
/// bytes). Eight bytes, not a slice and an offset (24): a big APK has thousands
/// of entries, and a smaller index faults in fewer pages and sorts faster.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u32,
    len: u16,
}

impl Slot {
    /// The name in `cd`; the scan checked it lies there.
    fn name(self, cd: &[u8]) -> &[u8] {
        let from = (self.at as usize).saturating_add(raw::CENTRAL_LEN);
        cd.get(from..from.saturating_add(usize::from(self.len)))
            .unwrap_or_default()
    }
}

/// The run of a name-sorted list whose names start with a prefix; `order`
/// places an item's name against it ([`against_prefix`]).
fn prefix_run<T>(list: &[T], order: impl Fn(&T) -> std::cmp::Ordering) -> &[T] {
    let from = list.partition_point(|t| order(t).is_lt());
    let to = list.partition_point(|t| order(t).is_le());
    list.get(from..to).unwrap_or_default()
}

/// Equal for names that start with `prefix`, else how they sort against it.
fn against_prefix(name: &[u8], prefix: &[u8]) -> std::cmp::Ordering {
    if name.starts_with(prefix) {
        std::cmp::Ordering::Equal
    } else {
        name.cmp(prefix)
    }
}

/// A parsed archive: the central directory, borrowed from the file's bytes.
///
/// Records are not kept: the directory was checked whole when the archive
/// was parsed, and a record is re-read from it (46 bytes and a name) when
/// asked for. A big APK has thousands of entries and a lookup reads a few.
#[derive(Debug)]
pub struct Archive<'a> {
    data: &'a [u8],
    /// The central directory's bytes and where they start in the file.
    cd: &'a [u8],
    /// The names, sorted; equal names in directory order.
    index: Vec<Slot>,
    /// Names that appear more than once (the "master key" shape).
    duplicates: Vec<String>,
    /// (`/`-spelled name, record offset) for names written with `\`, sorted.
    slashed: Vec<(String, usize)>,
    /// Where the central directory starts and where the end record is.
    pub cd_offset: usize,
    pub eocd_offset: usize,
    /// How far local-header offsets are shifted (data prepended without fixing offsets).
    shift: u64,
    limits: Limits,
    inflated_total: AtomicU64,
    /// Bytes [`stream`](Archive::stream) has fed to its sinks.
    streamed_total: AtomicU64,
    release: ReleaseHook<'a>,
    warnings: Vec<String>,
}

/// The caller's [`Release`](crate::Release) hook, if any (a newtype so that
/// `Archive` can still derive `Debug`).
#[derive(Clone, Copy, Default)]
struct ReleaseHook<'a>(Option<crate::Release<'a>>);

impl std::fmt::Debug for ReleaseHook<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReleaseHook({})", self.0.is_some())
    }
}

/// Pieces a stored entry is streamed in: each is released once hashed.
const STREAM_PIECE: usize = 1 << 20;

/// The compressed bytes of an entry as a `BufRead` for the inflater, telling
/// the archive's release hook about each whole mebibyte once the inflater is
/// past it (a shorter tail is left to the caller, who can release many small
/// entries in one call).
struct ReleasingInput<'s, 'a> {
    data: &'a [u8],
    pos: usize,
    released: usize,
    archive: &'s Archive<'a>,
}

impl std::io::Read for ReleasingInput<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::io::Read::read(&mut self.data.get(self.pos..).unwrap_or_default(), buf)?;
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl std::io::BufRead for ReleasingInput<'_, '_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let end = self.pos.saturating_add(64 << 10).min(self.data.len());
        Ok(self.data.get(self.pos..end).unwrap_or_default())
    }
    fn consume(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.data.len());
        if self.pos - self.released >= STREAM_PIECE {
            self.archive
                .release(self.data.get(self.released..self.pos).unwrap_or_default());
            self.released = self.pos;
        }
    }
}

/// The directory's records in directory order, re-read from the file.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    r: Reader<'a>,
}

impl<'a> Records<'a> {
    /// Walk the directory `cd`, which starts at byte `start` of the file.
    fn over(cd: &'a [u8], start: usize) -> Records<'a> {
        Records {
            r: Reader::with_base(cd, start),
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = CentralRecord<'a>;

    fn next(&mut self) -> Option<CentralRecord<'a>> {
        if self.r.remaining() < 4 {
            return None;
        }
        // Every record read once already when the archive was parsed; an
        // error here cannot happen, and would end the walk.
        match CentralRecord::read(&mut self.r) {
            Ok(rec) => Some(rec),
            Err(_) => {
                self.r = Reader::new(&[]);
                None
            }
        }
    }
}

impl<'a> Archive<'a> {
    pub fn parse(data: &'a [u8], limits: &Limits) -> Result<Archive<'a>, ZipError> {
        let mut warnings = Vec::new();
        let eocd = raw::EndRecord::find(data).ok_or(ZipError::NoEndRecord)?;
        let (cd_offset, cd_size, declared) = match raw::Zip64End::find(data, &eocd) {
            Some(z) => (z.cd_offset, z.cd_size, z.entries),
            None => (
                u64::from(eocd.cd_offset),
                u64::from(eocd.cd_size),
                u64::from(eocd.entries),
            ),
        };
        let out_of_bounds = || ZipError::CentralDirectoryOutOfBounds {
            offset: cd_offset,
            size: cd_size,
            file_len: data.len(),
        };
        let eocd_at = eocd.offset as u64;
        if cd_size > eocd_at {
            return Err(out_of_bounds());
        }
        // Self-extractors and some re-packers prepend data without fixing the
        // offsets: the directory is then found right before the end record.
        let mut shift = 0u64;
        let mut start = cd_offset;
        let signature_at = |at: u64| {
            usize::try_from(at)
                .ok()
                .and_then(|at| crate::bytes::u32_at(data, at))
                == Some(raw::CENTRAL_SIG)
        };
        if cd_size > 0 && !signature_at(cd_offset) {
            let guess = eocd_at - cd_size;
            if guess > cd_offset && signature_at(guess) {
                shift = guess - cd_offset;
                start = guess;
                warnings.push(format!(
                    "central directory found at byte {guess}, not at the {cd_offset} the end record names: {shift} bytes were prepended"
                ));
            }
        }
        if start.checked_add(cd_size).is_none_or(|end| end > eocd_at) {
            return Err(out_of_bounds());
        }
        let start = usize::try_from(start).map_err(|_| out_of_bounds())?;
        let cd_len = usize::try_from(cd_size).map_err(|_| out_of_bounds())?;
        let cd = slice_at(data, start, cd_len).ok_or_else(out_of_bounds)?;

        // Every record takes at least 46 bytes, so the directory's own size
        // bounds the count (the end record's count is not trusted for this).
        // Slots hold directory offsets as u32: a directory past 4 GiB is refused.
        if u32::try_from(cd_len).is_err() {
            return Err(out_of_bounds());
        }
        let mut index: Vec<Slot> = Vec::with_capacity(
            (cd_len / raw::CENTRAL_LEN)
                .min(limits.max_entries)
                .min(usize::try_from(declared).unwrap_or(usize::MAX)),
        );
        let mut r = Reader::with_base(cd, start);
        // Each name is scanned once, as its record is read, for `\` separators
        // and for pointing outside the archive (absolute, `..` or NUL): a big
        // APK has thousands of names.
        let mut slashed: Vec<(String, usize)> = Vec::new();
        let mut suspicious: Vec<String> = Vec::new();
        // Entries whose stored bytes overlap: the overlapping-files zip bomb and
        // some tampering share local data between records. Android does not
        // check; we say so. Writers put the directory in file order, so that is
        // checked as the records go by, and a sort is only paid for archives
        // that are not in file order.
        let mut in_file_order = true;
        let mut overlaps = 0usize;
        let mut previous: Option<(u64, u64)> = None;
        while r.remaining() >= 4 {
            if index.len() >= limits.max_entries {
                return Err(ZipError::TooManyEntries {
                    limit: limits.max_entries,
                });
            }
            let rec = CentralRecord::read(&mut r)?;
            let scan = NameScan::of(rec.name);
            if scan.backslash {
                slashed.push((rec.name_normalized().into_owned(), rec.record_offset));
            }
            if scan.suspicious && suspicious.len() < 3 {
                suspicious.push(format!("{:?}", rec.name_lossy()));
            }
            let span = stored_span(&rec);
            if let Some((at, end)) = previous {
                in_file_order &= at <= span.0;
                overlaps += usize::from(end > span.0);
            }
            previous = Some(span);
            index.push(Slot {
                at: u32::try_from(rec.record_offset.saturating_sub(start)).unwrap_or(u32::MAX),
                len: u16::try_from(rec.name.len()).unwrap_or(u16::MAX),
            });
        }
        if index.len() as u64 != declared {
            warnings.push(format!(
                "end record declares {declared} entries, the central directory holds {}",
                index.len()
            ));
        }
        if !in_file_order {
            let mut spans: Vec<(u64, usize, u64)> = Records::over(cd, start)
                .map(|rec| {
                    let (at, end) = stored_span(&rec);
                    (at, rec.record_offset, end)
                })
                .collect();
            spans.sort_unstable();
            overlaps = spans
                .windows(2)
                .filter(|w| matches!(w, [a, b] if a.2 > b.0))
                .count();
        }
        // (name, record) pairs sorted by name for binary-search lookups; the sort is
        // stable, so the first of equal names comes first, and it finds the
        // long sorted runs writers leave. A sort cannot be flooded the way a
        // hash map can by names crafted to collide.
        index.sort_by(|a, b| a.name(cd).cmp(b.name(cd)));
        let mut duplicates = Vec::new();
        for pair in index.windows(2) {
            if let [a, b] = *pair {
                let (a, b) = (a.name(cd), b.name(cd));
                if a == b {
                    duplicates.push(String::from_utf8_lossy(b).into_owned());
                    warnings.push(format!(
                        "entry {:?} appears more than once (Android rejects such an APK); the first one is used",
                        String::from_utf8_lossy(b)
                    ));
                }
            }
        }
        if overlaps > 0 {
            warnings.push(format!(
                "{overlaps} entries overlap the data of another entry (overlapping-files zip bomb or tampering)"
            ));
        }
        if !suspicious.is_empty() {
            warnings.push(format!(
                "entry names that point outside the archive (absolute, `..` or NUL): {}",
                suspicious.join(", ")
            ));
        }
        slashed.sort();
        Ok(Archive {
            data,
            cd,
            index,
            duplicates,
            slashed,
            cd_offset: start,
            eocd_offset: eocd.offset,
            shift,
            limits: *limits,
            inflated_total: AtomicU64::new(0),
            streamed_total: AtomicU64::new(0),
            release: ReleaseHook::default(),
            warnings,
        })
    }

    /// Give the archive the caller's [`Release`](crate::Release) hook: passes
    /// over many entries ([`stream`](Self::stream), the content digests) tell it
    /// which bytes of the file they are done with.
    pub fn set_release(&mut self, hook: Option<crate::Release<'a>>) {
        self.release = ReleaseHook(hook);
    }

    /// The caller's release hook, for passes that read the file outside
    /// the archive's own methods (the content digests).
    pub fn release_hook(&self) -> Option<crate::Release<'a>> {
        self.release.0
    }

    /// Where an entry's local header and data lie in the file, from the
    /// central directory alone (the local header is not read, so its extra
    /// field is not counted): for releasing the bytes of many entries at once
    /// without touching each one's page first.
    pub fn extent(&self, e: &CentralRecord<'a>) -> Option<(usize, usize)> {
        let (at, end) = stored_span(e);
        let from = at.checked_add(self.shift)?;
        let to = end
            .checked_add(self.shift)?
            .checked_add(e.name.len() as u64)?;
        let len = self.data.len() as u64;
        Some((
            usize::try_from(from.min(len)).ok()?,
            usize::try_from(to.min(len)).ok()?,
        ))
    }

    /// Tell the caller's hook, if any, that a pass is done with `bytes`.
    pub fn release(&self, bytes: &[u8]) {
        if let Some(hook) = self.release.0 {
            hook(bytes);
        }
    }

    /// The limits this archive is read under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What was odd but tolerated.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Entry names that appear more than once.
    pub fn duplicates(&self) -> &[String] {
        &self.duplicates
    }

    /// The file's bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Every central-directory record, in directory order (duplicates included).
    pub fn entries(&self) -> Records<'a> {
        Records::over(self.cd, self.cd_offset)
    }

    /// How many records the central directory holds.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The record at a file offset the directory scan found.
    fn record_at(&self, at: usize) -> Option<CentralRecord<'a>> {
        let mut records = Records::over(self.cd, self.cd_offset);
        records.r.skip(at.checked_sub(self.cd_offset)?).ok()?;
        records.next()
    }

    /// The first entry whose name is `name`. Names written with `\` by Windows
    /// tools are matched as if they used `/`.
    pub fn find(&self, name: &str) -> Option<CentralRecord<'a>> {
        let key = name.as_bytes();
        // The first of equal names: partition_point finds the leftmost.
        let cd = self.cd;
        let at = self.index.partition_point(|s| s.name(cd) < key);
        let exact = self
            .index
            .get(at)
            .filter(|s| s.name(cd) == key)
            .map(|s| self.cd_offset.saturating_add(s.at as usize));
        let off = exact.or_else(|| {
            let at = self.slashed.partition_point(|(n, _)| n.as_str() < name);
            self.slashed
                .get(at)
                .filter(|(n, _)| n == name)
                .map(|&(_, off)| off)
        })?;
        self.record_at(off)
    }

    /// Entries whose name (with `\` read as `/`) starts with `prefix`, in
    /// name order: a range of the sorted index, not a walk of the directory.
    pub fn with_prefix<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = CentralRecord<'a>> + 's {
        let (cd, prefix) = (self.cd, prefix.as_bytes());
        let plain = prefix_run(&self.index, |s| against_prefix(s.name(cd), prefix))
            .iter()
            .map(|s| self.cd_offset.saturating_add(s.at as usize));
        let slashed = prefix_run(&self.slashed, |(n, _)| against_prefix(n.as_bytes(), prefix))
            .iter()
            .map(|&(_, off)| off);
        plain.chain(slashed).filter_map(|off| self.record_at(off))
    }

    /// The stored (possibly compressed) bytes of an entry, located through its
    /// local header. The central directory's sizes win over the local header's.
    pub fn raw_data(&self, e: &CentralRecord<'a>) -> Result<&'a [u8], ZipError> {
        let bad = |what| ZipError::BadLocalHeader {
            name: e.name_lossy().into_owned(),
            at: e.local_header_offset,
            what,
        };
        let at = e
            .local_header_offset
            .checked_add(self.shift)
            .and_then(|v| usize::try_from(v).ok())
            .ok_or_else(|| bad("offset out of range"))?;
        let header = slice_at(self.data, at, raw::LOCAL_HEADER_LEN)
            .ok_or_else(|| bad("local header past end of file"))?;
        let mut r = Reader::new(header);
        if r.u32().ok() != Some(raw::LOCAL_SIG) {
            return Err(bad("no local header signature"));
        }
        r.skip(22).map_err(|_| bad("local header truncated"))?;
        let name_len = usize::from(r.u16().map_err(|_| bad("local header truncated"))?);
        let extra_len = usize::from(r.u16().map_err(|_| bad("local header truncated"))?);
        let len = usize::try_from(e.compressed_size).map_err(|_| bad("size out of range"))?;
        let start = at
            .checked_add(raw::LOCAL_HEADER_LEN)
            .and_then(|v| v.checked_add(name_len))
            .and_then(|v| v.checked_add(extra_len))
            .ok_or_else(|| bad("data offset overflows"))?;
        slice_at(self.data, start, len).ok_or_else(|| bad("entry data runs past end of file"))
    }

    /// The entry's content: borrowed when stored, inflated (within limits) when deflated.
    pub fn read(&self, e: &CentralRecord<'a>) -> Result<Cow<'a, [u8]>, ZipError> {
        self.read_capped(e, self.limits.max_entry_size)
    }

    /// Like [`read`](Self::read) with a tighter cap for this call.
    pub fn read_capped(&self, e: &CentralRecord<'a>, cap: u64) -> Result<Cow<'a, [u8]>, ZipError> {
        let name = || e.name_lossy().into_owned();
        if e.flags & 1 != 0 {
            return Err(ZipError::Encrypted { name: name() });
        }
        let raw = self.raw_data(e)?;
        let cap = cap.min(self.limits.max_entry_size);
        match e.method {
            Method::Stored => {
                if raw.len() as u64 > cap {
                    return Err(self.too_large(e, cap));
                }
                Ok(Cow::Borrowed(raw))
            }
            Method::Deflated => {
                let out = self.inflate(e, raw, cap)?;
                Ok(Cow::Owned(out))
            }
            // Android (libziparchive, apksig) inflates any method that is not
            // "stored"; packers use odd method numbers to trip other tools.
            Method::Unknown(method) => {
                self.inflate(e, raw, cap)
                    .map(Cow::Owned)
                    .map_err(|err| match err {
                        ZipError::Inflate { .. } => ZipError::UnsupportedMethod {
                            name: name(),
                            method,
                        },
                        other => other,
                    })
            }
        }
    }

    fn too_large(&self, e: &CentralRecord<'a>, cap: u64) -> ZipError {
        ZipError::TooLarge {
            name: e.name_lossy().into_owned(),
            limit: cap,
            by: if cap < self.limits.max_entry_size {
                "the cap for what this entry is read as"
            } else {
                "the max-entry-size limit"
            },
        }
    }

    /// A declared ratio past the limit is refused before any work: with
    /// inflating stopping at the declared size, the work one entry can cause
    /// is bounded by max_ratio × its compressed size.
    fn check_ratio(
        &self,
        e: &CentralRecord<'a>,
        raw: &[u8],
        declared: u64,
    ) -> Result<(), ZipError> {
        let compressed = raw.len().max(1) as u64;
        if declared > (1 << 20) && declared / compressed > self.limits.max_ratio {
            return Err(ZipError::Ratio {
                name: e.name_lossy().into_owned(),
                compressed,
                inflated: declared,
                limit: self.limits.max_ratio,
            });
        }
        Ok(())
    }

    fn inflate(&self, e: &CentralRecord<'a>, raw: &[u8], cap: u64) -> Result<Vec<u8>, ZipError> {
        let name = || e.name_lossy().into_owned();
        let declared = e.uncompressed_size;
        if declared > cap {
            return Err(self.too_large(e, cap));
        }
        self.check_ratio(e, raw, declared)?;
        // The running total is charged before inflating, so failed entries count too.
        let before = self.inflated_total.fetch_add(declared, Ordering::Relaxed);
        if before.saturating_add(declared) > self.limits.max_total_inflated {
            return Err(ZipError::TotalTooLarge {
                limit: self.limits.max_total_inflated,
            });
        }
        // Android inflates to exactly the declared size and refuses more; so
        // do we. The buffer is allocated once at that size (no doubling), so
        // memory is the declared size, never a multiple of it.
        let mut out = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        let mut dec = DeflateDecoder::new(raw).take(declared.saturating_add(1));
        dec.read_to_end(&mut out).map_err(|err| ZipError::Inflate {
            name: name(),
            msg: err.to_string(),
        })?;
        if out.len() as u64 > declared {
            return Err(ZipError::SizeMismatch {
                name: name(),
                declared,
            });
        }
        Ok(out)
    }

    /// Feed an entry's bytes, inflated if need be, to `sink` piece by piece,
    /// without holding the entry: for hashing. No entry size is capped here,
    /// since memory stays at one 64 KiB buffer; an entry may not inflate past
    /// its declared size (Android refuses that), the ratio limit applies, and
    /// all streamed bytes of the archive together may not pass
    /// `max_stream_factor` × its size (at least `max_total_inflated`). The
    /// stored bytes are handed to the release hook a whole mebibyte at a time
    /// as the stream passes them; a shorter tail (all of a small entry) is
    /// left for the caller to release, with its neighbours, in one call.
    /// Returns how many bytes were fed.
    pub fn stream(
        &self,
        e: &CentralRecord<'a>,
        mut sink: impl FnMut(&[u8]),
    ) -> Result<u64, ZipError> {
        let name = || e.name_lossy().into_owned();
        if e.flags & 1 != 0 {
            return Err(ZipError::Encrypted { name: name() });
        }
        let raw = self.raw_data(e)?;
        let budget = self
            .limits
            .max_stream_factor
            .saturating_mul(self.data.len() as u64)
            .max(self.limits.max_total_inflated);
        let size = match e.method {
            Method::Stored => raw.len() as u64,
            _ => e.uncompressed_size,
        };
        let before = self.streamed_total.fetch_add(size, Ordering::Relaxed);
        if before.saturating_add(size) > budget {
            return Err(ZipError::StreamTooLarge { limit: budget });
        }
        if e.method == Method::Stored {
            for piece in raw.chunks(STREAM_PIECE) {
                sink(piece);
                if piece.len() == STREAM_PIECE {
                    self.release(piece);
                }
            }
            return Ok(size);
        }
        self.check_ratio(e, raw, size)?;
        let input = ReleasingInput {
            data: raw,
            pos: 0,
            released: 0,
            archive: self,
        };
        let mut dec = DeflateDecoder::new(input);
        // Most entries are small: the buffer is their size (+1 to see an
        // overrun), up to 64 KiB.
        let len =
            usize::try_from(size.saturating_add(1)).map_or(64 << 10, |n| n.clamp(1, 64 << 10));
        let mut buf = vec![0u8; len];
        let mut fed = 0u64;
        loop {
            let n = match dec.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => {
                    let msg = err.to_string();
                    return Err(match e.method {
                        Method::Unknown(method) => ZipError::UnsupportedMethod {
                            name: name(),
                            method,
                        },
                        _ => ZipError::Inflate { name: name(), msg },
                    });
                }
            };
            fed = fed.saturating_add(n as u64);
            if fed > size {
                return Err(ZipError::SizeMismatch {
                    name: name(),
                    declared: size,
                });
            }
            sink(buf.get(..n).unwrap_or_default());
        }
        Ok(fed)
    }
}

#[cfg(test)]
mod tests;
