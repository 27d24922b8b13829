//! DEX files (`classes*.dex`): the classes they define and their string table.
//!
//! Layout from the Android source's `dex-format` document and ART's
//! `libdexfile` (`dex_file.h`, `standard_dex_file.h`). Versions 035–041 share
//! the 0x70-byte header; 041 adds `container_size` and `header_offset` (header
//! 0x78 bytes) and lets one file hold several DEX sections one after another,
//! each with its own header whose offsets count from the start of the file
//! (the container), so sections can share string data.
//!
//! Only what the SDK scan needs is read: `string_ids`, `type_ids` and
//! `class_defs`. Nothing is copied: a [`Dex`] borrows the bytes, and classes
//! and strings are lazy iterators of `Result`s, so one bad index costs one item,
//! not the file. Strings are MUTF-8 ("modified UTF-8": U+0000 as `C0 80`,
//! supplementary characters as two 3-byte surrogates); [`mutf8_lossy`] turns
//! them into `str`, replacing what does not decode.

use crate::bytes::{u32_at, usize_from};
use std::borrow::Cow;
use thiserror::Error;

/// `header_item` size before version 041, and with 041's two extra fields.
const HEADER_SIZE: usize = 0x70;
const HEADER_SIZE_V41: usize = 0x78;
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
const REVERSE_ENDIAN_CONSTANT: u32 = 0x7856_3412;
/// Bound on the DEX sections of one 041 container (real ones hold a few).
const MAX_SECTIONS: usize = 1024;

/// Why a DEX file (or one of its items) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DexError {
    #[error("not a DEX file (magic {0:02x?})")]
    NotDex(Vec<u8>),
    #[error("DEX version {0:?} is not one Android runs (035, 037–041)")]
    Version(String),
    #[error("big-endian DEX files are not used by Android")]
    BigEndian,
    #[error("DEX at byte {at}: {what}")]
    Malformed { at: usize, what: String },
}

fn malformed(at: usize, what: impl Into<String>) -> DexError {
    DexError::Malformed {
        at,
        what: what.into(),
    }
}

/// A table in a DEX section: `count` items of a fixed size at `offset`
/// (from the start of the container), checked to lie inside the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Table {
    offset: usize,
    count: usize,
}

/// The header of one DEX section, as far as this reader uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// 35, 37, 38, 39, 40 or 41.
    pub version: u16,
    /// Where this header starts in the file (0 except in 041 containers).
    pub offset: usize,
    /// `file_size`: the whole file before 041, this section in 041.
    pub size: usize,
    string_ids: Table,
    type_ids: Table,
    class_defs: Table,
}

impl Header {
    /// Number of `string_ids`.
    pub fn strings(&self) -> usize {
        self.string_ids.count
    }

    /// Number of `class_defs`: the classes this section defines.
    pub fn classes(&self) -> usize {
        self.class_defs.count
    }
}

/// A parsed DEX file: one section, or several in a 041 container.
#[derive(Debug, Clone)]
pub struct Dex<'a> {
    data: &'a [u8],
    sections: Vec<Header>,
}

impl<'a> Dex<'a> {
    /// Read the header(s) and check every table against the file.
    pub fn parse(data: &'a [u8]) -> Result<Dex<'a>, DexError> {
        let first = header_at(data, 0)?;
        let mut sections = vec![first];
        if first.version >= 41 {
            // container_size bounds the walk; the file may carry trailing bytes.
            let container = u32_at(data, 0x70).map(usize_from).unwrap_or(0);
            let end = container.min(data.len());
            let mut at = first.size;
            while at < end {
                if sections.len() >= MAX_SECTIONS {
                    return Err(malformed(at, "more than 1024 DEX sections in a container"));
                }
                let next = header_at(data, at)?;
                if next.version < 41 {
                    return Err(malformed(at, "a container section that is not DEX 041"));
                }
                sections.push(next);
                // header_at guarantees size >= the header, so `at` always advances.
                at = at.saturating_add(next.size);
            }
        }
        Ok(Dex { data, sections })
    }

    /// The DEX sections, in file order (one unless the file is a 041 container).
    pub fn sections(&self) -> &[Header] {
        &self.sections
    }

    /// The highest version among the sections.
    pub fn version(&self) -> u16 {
        self.sections.iter().map(|h| h.version).max().unwrap_or(0)
    }

    /// Number of classes defined, over all sections.
    pub fn class_count(&self) -> usize {
        self.sections.iter().map(Header::classes).sum()
    }

    /// The classes defined (`class_defs` → `type_ids` → descriptor), in file
    /// order, section after section.
    pub fn classes(&self) -> Classes<'a, '_> {
        Classes {
            dex: self,
            section: 0,
            index: 0,
            budget: Budget::new(self.data.len()),
        }
    }

    /// Every string in the string tables, in file order, section after section.
    pub fn strings(&self) -> Strings<'a, '_> {
        Strings {
            dex: self,
            section: 0,
            index: 0,
            budget: Budget::new(self.data.len()),
        }
    }

    /// `string_ids[index]` of `section`: the string's MUTF-8 bytes.
    fn string(&self, h: &Header, index: usize, budget: &mut Budget) -> Result<&'a [u8], DexError> {
        if index >= h.string_ids.count {
            return Err(malformed(
                h.offset,
                format!("string index {index} past {} strings", h.string_ids.count),
            ));
        }
        let at = h.string_ids.offset.saturating_add(index.saturating_mul(4));
        let off = u32_at(self.data, at)
            .map(usize_from)
            .ok_or_else(|| malformed(at, "string_ids entry past the end"))?;
        string_data(self.data, off, budget)
    }
}

/// Bound on the bytes string reads may scan. A real DEX's strings do not
/// overlap, so their bytes add up to less than the file; a hostile one can
/// point every id at one long unterminated run, which would make the scan
/// quadratic without this.
#[derive(Debug, Clone, Copy)]
struct Budget(usize);

impl Budget {
    fn new(len: usize) -> Self {
        Budget(len.saturating_mul(2).saturating_add(1 << 16))
    }
}

/// A `string_data_item` at `off`: ULEB128 UTF-16 length, then MUTF-8 up to NUL.
fn string_data<'a>(data: &'a [u8], off: usize, budget: &mut Budget) -> Result<&'a [u8], DexError> {
    let rest = data
        .get(off..)
        .ok_or_else(|| malformed(off, "string data past the end"))?;
    let (_utf16_len, used) =
        uleb128(rest).ok_or_else(|| malformed(off, "bad ULEB128 string length"))?;
    let body = rest.get(used..).unwrap_or(&[]);
    let scan = body.len().min(budget.0);
    let window = body.get(..scan).unwrap_or(&[]);
    match window.iter().position(|&b| b == 0) {
        Some(n) => {
            budget.0 = budget
                .0
                .saturating_sub(n.saturating_add(used).saturating_add(1));
            Ok(window.get(..n).unwrap_or(&[]))
        }
        None if scan < body.len() => {
            budget.0 = 0;
            Err(malformed(
                off,
                "string data overlaps itself beyond any real file (scan budget spent)",
            ))
        }
        None => {
            budget.0 = budget.0.saturating_sub(scan);
            Err(malformed(off, "string not NUL-terminated before the end"))
        }
    }
}

/// An unsigned LEB128 of at most 5 bytes (DEX uses them for 32-bit values):
/// the value and the bytes it took.
pub fn uleb128(data: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &b) in data.iter().take(5).enumerate() {
        let bits = u32::from(b & 0x7f);
        // The fifth byte may only carry the top four bits.
        if i == 4 && bits > 0x0f {
            return None;
        }
        value |= bits << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn header_at(data: &[u8], at: usize) -> Result<Header, DexError> {
    let magic = data
        .get(at..at.saturating_add(8))
        .ok_or_else(|| malformed(at, "shorter than a DEX magic"))?;
    let (Some(b"dex\n"), Some(digits), Some(0)) = (magic.get(..4), magic.get(4..7), magic.get(7))
    else {
        return Err(DexError::NotDex(magic.to_vec()));
    };
    let version = std::str::from_utf8(digits)
        .ok()
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| DexError::Version(String::from_utf8_lossy(digits).into_owned()))?;
    // 036 was skipped because of an old Dalvik bug; ART refuses it.
    if !matches!(version, 35 | 37..=41) {
        return Err(DexError::Version(
            String::from_utf8_lossy(digits).into_owned(),
        ));
    }
    let word = |o: usize| {
        u32_at(data, at.saturating_add(o))
            .map(usize_from)
            .ok_or_else(|| malformed(at.saturating_add(o), "header truncated"))
    };
    match u32_at(data, at.saturating_add(0x28)) {
        Some(ENDIAN_CONSTANT) => {}
        Some(REVERSE_ENDIAN_CONSTANT) => return Err(DexError::BigEndian),
        Some(other) => return Err(malformed(at + 0x28, format!("endian tag 0x{other:08x}"))),
        None => return Err(malformed(at, "header truncated")),
    }
    let min_header = if version >= 41 {
        HEADER_SIZE_V41
    } else {
        HEADER_SIZE
    };
    let header_size = word(0x24)?;
    if header_size < min_header {
        return Err(malformed(at + 0x24, format!("header_size {header_size}")));
    }
    let mut size = word(0x20)?;
    if version >= 41 {
        let header_offset = word(0x74)?;
        if header_offset != at {
            return Err(malformed(
                at + 0x74,
                format!("header_offset {header_offset} but the header is at {at}"),
            ));
        }
        if size < header_size {
            return Err(malformed(at + 0x20, format!("section file_size {size}")));
        }
    } else {
        // A zip member can carry bytes past file_size; one shorter than it is cut.
        size = data.len().saturating_sub(at);
    }
    let table = |count_at: usize, item: usize, name: &str| -> Result<Table, DexError> {
        let count = word(count_at)?;
        let offset = word(count_at + 4)?;
        let bytes = count
            .checked_mul(item)
            .and_then(|n| n.checked_add(offset))
            .filter(|&end| end <= data.len());
        if count > 0 && bytes.is_none() {
            return Err(malformed(
                at + count_at,
                format!("{name}: {count} items at byte {offset} run past the end"),
            ));
        }
        Ok(Table { offset, count })
    };
    Ok(Header {
        version,
        offset: at,
        size,
        string_ids: table(0x38, 4, "string_ids")?,
        type_ids: table(0x40, 4, "type_ids")?,
        class_defs: table(0x60, 32, "class_defs")?,
    })
}

/// A class defined in a DEX file, by its type descriptor (`Lcom/example/Foo;`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class<'a> {
    /// The descriptor as stored (MUTF-8), which is what `dexdump` prints.
    pub descriptor: &'a [u8],
}

impl<'a> Class<'a> {
    /// The descriptor as text.
    pub fn descriptor_lossy(&self) -> Cow<'a, str> {
        mutf8_lossy(self.descriptor)
    }

    /// The Java package, dot-separated (`com.example` for
    /// `Lcom/example/Foo$Bar;`); `None` for the default package or a
    /// descriptor that is not a class.
    pub fn package(&self) -> Option<Cow<'a, str>> {
        let inner = self.descriptor.strip_prefix(b"L")?.strip_suffix(b";")?;
        let slash = inner.iter().rposition(|&b| b == b'/')?;
        let pkg = inner.get(..slash)?;
        Some(match mutf8_lossy(pkg) {
            Cow::Borrowed(s) if !s.contains('/') => Cow::Borrowed(s),
            other => Cow::Owned(other.replace('/', ".")),
        })
    }

    /// The class name, dot-separated (`com.example.Foo$Bar`).
    pub fn java_name(&self) -> Option<String> {
        let inner = self.descriptor.strip_prefix(b"L")?.strip_suffix(b";")?;
        Some(mutf8_lossy(inner).replace('/', "."))
    }
}

/// Iterator over the classes a DEX file defines; see [`Dex::classes`].
#[derive(Debug)]
pub struct Classes<'a, 'd> {
    dex: &'d Dex<'a>,
    section: usize,
    index: usize,
    budget: Budget,
}

impl<'a> Iterator for Classes<'a, '_> {
    type Item = Result<Class<'a>, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let h = loop {
            let h = self.dex.sections.get(self.section)?;
            if self.index < h.class_defs.count {
                break h;
            }
            self.section += 1;
            self.index = 0;
        };
        let i = self.index;
        self.index += 1;
        let data = self.dex.data;
        let at = h.class_defs.offset.saturating_add(i.saturating_mul(32));
        let item = (|| {
            let class_idx = u32_at(data, at)
                .map(usize_from)
                .ok_or_else(|| malformed(at, "class_def past the end"))?;
            if class_idx >= h.type_ids.count {
                return Err(malformed(
                    at,
                    format!("class_idx {class_idx} past {} type_ids", h.type_ids.count),
                ));
            }
            let type_at = h
                .type_ids
                .offset
                .saturating_add(class_idx.saturating_mul(4));
            let descriptor_idx = u32_at(data, type_at)
                .map(usize_from)
                .ok_or_else(|| malformed(type_at, "type_id past the end"))?;
            let descriptor = self.dex.string(h, descriptor_idx, &mut self.budget)?;
            Ok(Class { descriptor })
        })();
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left: usize = self
            .dex
            .sections
            .iter()
            .skip(self.section)
            .map(Header::classes)
            .sum::<usize>()
            .saturating_sub(self.index);
        (0, Some(left))
    }
}

/// Iterator over every string of the string tables; see [`Dex::strings`].
#[derive(Debug)]
pub struct Strings<'a, 'd> {
    dex: &'d Dex<'a>,
    section: usize,
    index: usize,
    budget: Budget,
}

impl<'a> Iterator for Strings<'a, '_> {
    type Item = Result<&'a [u8], DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let h = loop {
            let h = self.dex.sections.get(self.section)?;
            if self.index < h.string_ids.count {
                break *h;
            }
            self.section += 1;
            self.index = 0;
        };
        let i = self.index;
        self.index += 1;
        Some(self.dex.string(&h, i, &mut self.budget))
    }
}

/// MUTF-8 to text, replacing what does not decode with U+FFFD. Borrows when
/// the bytes are plain ASCII (nearly every class name).
pub fn mutf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is valid UTF-8; from_utf8 cannot fail here.
        return String::from_utf8_lossy(bytes);
    }
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut it = bytes.iter().copied().peekable();
    let cont = |b: Option<u8>| b.filter(|b| b & 0xc0 == 0x80).map(|b| u16::from(b & 0x3f));
    while let Some(b) = it.next() {
        let unit = match b {
            0x00..=0x7f => Some(u16::from(b)),
            0xc0..=0xdf => {
                let c1 = cont(it.peek().copied());
                c1.map(|c1| {
                    it.next();
                    (u16::from(b & 0x1f) << 6) | c1
                })
            }
            0xe0..=0xef => {
                let c1 = cont(it.peek().copied());
                match c1 {
                    Some(c1) => {
                        it.next();
                        let c2 = cont(it.peek().copied());
                        c2.map(|c2| {
                            it.next();
                            (u16::from(b & 0x0f) << 12) | (c1 << 6) | c2
                        })
                    }
                    None => None,
                }
            }
            _ => None,
        };
        units.push(unit.unwrap_or(0xfffd));
    }
    // Surrogates stored as pairs of 3-byte sequences join here; lone ones
    // become U+FFFD.
    Cow::Owned(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests;
