//! One bounds-checked little-endian cursor for every parser.
//!
//! Every read is checked against the end of the slice and reports the absolute
//! byte offset where it failed, so errors can say "at byte N".

use thiserror::Error;

/// A read ran past the end of the data it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("truncated: needed {need} bytes at byte {at}, only {have} left")]
pub struct Truncated {
    /// Absolute offset of the failed read.
    pub at: usize,
    /// Bytes the read needed.
    pub need: usize,
    /// Bytes that were left.
    pub have: usize,
}

/// A cursor over a borrowed slice. `base` is the absolute offset of `data[0]`
/// in the enclosing file, used only for error messages.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            base: 0,
        }
    }

    /// A reader whose error offsets are reported relative to `base`.
    pub fn with_base(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Absolute offset of the cursor (for messages).
    pub fn abs_pos(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    fn truncated(&self, need: usize) -> Truncated {
        Truncated {
            at: self.abs_pos(),
            need,
            have: self.remaining(),
        }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Truncated> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.truncated(n))?;
        let out = self
            .data
            .get(self.pos..end)
            .ok_or_else(|| self.truncated(n))?;
        self.pos = end;
        Ok(out)
    }

    pub fn skip(&mut self, n: usize) -> Result<(), Truncated> {
        self.bytes(n).map(|_| ())
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Truncated> {
        let b = self.bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, Truncated> {
        Ok(u8::from_le_bytes(self.array()?))
    }
    pub fn u16(&mut self) -> Result<u16, Truncated> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> Result<u32, Truncated> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Result<u64, Truncated> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

/// `data[start..start+len]`, or `None` when any part lies outside `data`.
pub fn slice_at(data: &[u8], start: usize, len: usize) -> Option<&[u8]> {
    data.get(start..start.checked_add(len)?)
}

pub fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = slice_at(data, at, 2)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

pub fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = slice_at(data, at, 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Widen a u32 read from a file to usize (lossless on every target we build for).
pub fn usize_from(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reports_where_it_ran_out() {
        let mut r = Reader::with_base(&[1, 0, 2, 0, 0], 100);
        assert_eq!(r.u16(), Ok(1));
        assert_eq!(r.u16(), Ok(2));
        assert_eq!(
            r.u32(),
            Err(Truncated {
                at: 104,
                need: 4,
                have: 1
            })
        );
        // A failed read does not move the cursor.
        assert_eq!(r.u8(), Ok(0));
    }

    #[test]
    fn huge_lengths_do_not_overflow() {
        let mut r = Reader::new(&[0; 4]);
        r.skip(2).ok();
        assert!(r.bytes(usize::MAX).is_err());
        assert_eq!(slice_at(&[0; 4], usize::MAX, 2), None);
        assert_eq!(u32_at(&[1, 0, 0, 0], 0), Some(1));
        assert_eq!(u32_at(&[1, 0, 0], 0), None);
    }
}
