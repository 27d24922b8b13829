//! `ResStringPool`: the string table of binary XML and of resources.arsc.
//!
//! Strings are decoded lazily, one at a time, when asked for: a table may hold
//! hundreds of thousands of strings and a lookup needs a handful. The count in
//! the header is clamped to what the chunk can hold, as Android's own checks
//! would refuse anything larger.

use crate::bytes::{u32_at, usize_from};
use std::borrow::Cow;
use thiserror::Error;

const FLAG_UTF8: u32 = 0x100;
/// `ResStringPool_header` is 28 bytes: chunk header + 5 u32.
const HEADER_LEN: usize = 28;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StringPoolError {
    #[error("string pool header is {0} bytes, shorter than 28")]
    ShortHeader(usize),
    #[error("string #{index} is out of range (pool has {count})")]
    OutOfRange { index: u32, count: usize },
    #[error("string #{index} lies outside the pool (offset {offset})")]
    BadOffset { index: u32, offset: usize },
    #[error("string pool of {size} bytes is over {limit} (the max-string-pool limit)")]
    TooLarge { size: usize, limit: usize },
}

/// A borrowed view of one string-pool chunk.
#[derive(Debug, Clone, Copy)]
pub struct StringPool<'a> {
    /// The whole chunk, header included.
    chunk: &'a [u8],
    count: usize,
    declared_count: u32,
    utf8: bool,
    offsets_start: usize,
    strings_start: usize,
    /// End of the string data: the styles start when there are any, else the chunk end.
    strings_end: usize,
}

impl<'a> StringPool<'a> {
    /// Parse a string pool chunk no bigger than `limit` bytes
    /// ([`Limits::max_string_pool`](crate::Limits)).
    pub fn parse_limited(chunk: &'a [u8], limit: usize) -> Result<StringPool<'a>, StringPoolError> {
        if chunk.len() > limit {
            return Err(StringPoolError::TooLarge {
                size: chunk.len(),
                limit,
            });
        }
        StringPool::parse(chunk)
    }

    /// Parse a string pool chunk (`chunk` starts at its `ResChunk_header`).
    pub fn parse(chunk: &'a [u8]) -> Result<StringPool<'a>, StringPoolError> {
        let header_size = crate::bytes::u16_at(chunk, 2).map_or(0, usize::from);
        if header_size < HEADER_LEN || chunk.len() < HEADER_LEN {
            return Err(StringPoolError::ShortHeader(header_size.min(chunk.len())));
        }
        let field = |at| u32_at(chunk, at).unwrap_or(0);
        let declared_count = field(8);
        let style_count = field(12);
        let flags = field(16);
        let strings_start = usize_from(field(20));
        let styles_start = usize_from(field(24));
        let offsets_start = header_size;
        // The offsets array cannot extend past the strings (or the chunk).
        let offsets_limit = if strings_start > offsets_start && strings_start <= chunk.len() {
            strings_start
        } else {
            chunk.len()
        };
        let room = offsets_limit.saturating_sub(offsets_start) / 4;
        let count = usize_from(declared_count).min(room);
        let strings_end =
            if style_count > 0 && styles_start > strings_start && styles_start <= chunk.len() {
                styles_start
            } else {
                chunk.len()
            };
        Ok(StringPool {
            chunk,
            count,
            declared_count,
            utf8: flags & FLAG_UTF8 != 0,
            offsets_start,
            strings_start,
            strings_end,
        })
    }

    /// Number of strings that can be addressed (the header's count, clamped).
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The count the header claimed, when it was more than the chunk can hold.
    pub fn clamped_from(&self) -> Option<u32> {
        (usize_from(self.declared_count) != self.count).then_some(self.declared_count)
    }

    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// String `index`. Invalid UTF-8/UTF-16 is replaced, not refused: Android
    /// shows such strings too.
    pub fn get(&self, index: u32) -> Result<Cow<'a, str>, StringPoolError> {
        let i = usize_from(index);
        if i >= self.count {
            return Err(StringPoolError::OutOfRange {
                index,
                count: self.count,
            });
        }
        let bad = |offset| StringPoolError::BadOffset { index, offset };
        let off_at = self.offsets_start.saturating_add(i.saturating_mul(4));
        let rel = usize_from(u32_at(self.chunk, off_at).ok_or(bad(off_at))?);
        let start = self.strings_start.saturating_add(rel);
        let data = self.chunk.get(start..self.strings_end).ok_or(bad(start))?;
        if self.utf8 {
            decode_utf8(data).ok_or(bad(start))
        } else {
            decode_utf16(data).ok_or(bad(start))
        }
    }

    /// Like [`get`](Self::get) but an invalid index yields `None`.
    pub fn get_opt(&self, index: u32) -> Option<Cow<'a, str>> {
        self.get(index).ok()
    }
}

/// UTF-8 pool entry: utf16 length (1-2 bytes), utf8 length (1-2 bytes), bytes.
fn decode_utf8(data: &[u8]) -> Option<Cow<'_, str>> {
    let (_, n1) = utf8_len(data)?;
    let rest = data.get(n1..)?;
    let (len, n2) = utf8_len(rest)?;
    let bytes = rest.get(n2..)?;
    // A length past the data: take what is there up to the terminator, as a
    // lenient reader would, rather than failing the whole manifest.
    let bytes = match bytes.get(..len) {
        Some(b) => b,
        None => bytes.split(|&b| b == 0).next().unwrap_or(&[]),
    };
    Some(String::from_utf8_lossy(bytes))
}

fn utf8_len(data: &[u8]) -> Option<(usize, usize)> {
    let b0 = *data.first()?;
    if b0 & 0x80 != 0 {
        let b1 = *data.get(1)?;
        Some(((usize::from(b0 & 0x7f) << 8) | usize::from(b1), 2))
    } else {
        Some((usize::from(b0), 1))
    }
}

/// UTF-16 pool entry: length in units (1-2 u16), then the units.
fn decode_utf16(data: &[u8]) -> Option<Cow<'_, str>> {
    let u = |i: usize| -> Option<u16> { crate::bytes::u16_at(data, i.checked_mul(2)?) };
    let first = u(0)?;
    let (len, skip) = if first & 0x8000 != 0 {
        let second = u(1)?;
        ((usize::from(first & 0x7fff) << 16) | usize::from(second), 2)
    } else {
        (usize::from(first), 1)
    };
    let avail = (data.len() / 2).saturating_sub(skip);
    let bytes = data
        .get(skip * 2..(skip + len.min(avail)) * 2)
        .unwrap_or(&[]);
    let units = bytes.chunks_exact(2).map(|c| match c {
        [lo, hi] => u16::from_le_bytes([*lo, *hi]),
        _ => 0,
    });
    // Most manifest strings are ASCII: copy those without the UTF-16 decoder.
    if bytes
        .chunks_exact(2)
        .all(|c| c.get(1) == Some(&0) && c.first().is_some_and(|b| *b < 0x80))
    {
        let ascii: Vec<u8> = bytes.iter().step_by(2).copied().collect();
        return Some(Cow::Owned(String::from_utf8(ascii).unwrap_or_default()));
    }
    let mut out = String::with_capacity(bytes.len() / 2);
    out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    Some(Cow::Owned(out))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Build a pool chunk from strings (test helper, also used by AXML tests).
    pub(crate) fn build(strings: &[&str], utf8: bool) -> Vec<u8> {
        let mut data = Vec::new();
        let mut offsets = Vec::new();
        for s in strings {
            offsets.push(data.len() as u32);
            if utf8 {
                let n16 = s.encode_utf16().count();
                assert!(n16 < 0x80 && s.len() < 0x80);
                data.push(n16 as u8);
                data.push(s.len() as u8);
                data.extend_from_slice(s.as_bytes());
                data.push(0);
            } else {
                let units: Vec<u16> = s.encode_utf16().collect();
                data.extend_from_slice(&(units.len() as u16).to_le_bytes());
                for u in units {
                    data.extend_from_slice(&u.to_le_bytes());
                }
                data.extend_from_slice(&[0, 0]);
            }
        }
        while data.len() % 4 != 0 {
            data.push(0);
        }
        let strings_start = 28 + 4 * strings.len();
        let size = strings_start + data.len();
        let mut out = Vec::new();
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&28u16.to_le_bytes());
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(if utf8 { FLAG_UTF8 } else { 0 }).to_le_bytes());
        out.extend_from_slice(&(strings_start as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for o in offsets {
            out.extend_from_slice(&o.to_le_bytes());
        }
        out.extend_from_slice(&data);
        out
    }

    #[test]
    fn both_encodings() {
        for utf8 in [true, false] {
            let chunk = build(&["package", "名字", ""], utf8);
            let pool = StringPool::parse(&chunk).unwrap();
            assert_eq!(pool.len(), 3);
            assert_eq!(pool.get(0).unwrap(), "package");
            assert_eq!(pool.get(1).unwrap(), "名字");
            assert_eq!(pool.get(2).unwrap(), "");
            assert!(pool.get(3).is_err());
        }
    }

    #[test]
    fn bogus_count_is_clamped() {
        let mut chunk = build(&["a", "b"], true);
        chunk[8..12].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        let pool = StringPool::parse(&chunk).unwrap();
        assert_eq!(pool.len(), 2);
        assert_eq!(pool.clamped_from(), Some(0x8000_0000));
        assert_eq!(pool.get(1).unwrap(), "b");
        assert!(pool.get(0x7fff_ffff).is_err());
    }

    #[test]
    fn offsets_past_the_end_fail_one_string_only() {
        let mut chunk = build(&["a", "b"], false);
        chunk[28..32].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        let pool = StringPool::parse(&chunk).unwrap();
        assert!(pool.get(0).is_err());
        assert_eq!(pool.get(1).unwrap(), "b");
    }
}
