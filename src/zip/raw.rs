//! On-disk ZIP records (APPNOTE.TXT 4.3), kept apart from the archive reader.

use super::ZipError;
use crate::bytes::{slice_at, u32_at, Reader};
use std::borrow::Cow;

pub const LOCAL_SIG: u32 = 0x0403_4b50;
pub const CENTRAL_SIG: u32 = 0x0201_4b50;
pub const END_SIG: u32 = 0x0605_4b50;
pub const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
pub const ZIP64_END_SIG: u32 = 0x0606_4b50;
pub const LOCAL_HEADER_LEN: usize = 30;
const END_LEN: usize = 22;
pub(super) const CENTRAL_LEN: usize = 46;

/// The end-of-central-directory record.
#[derive(Debug, Clone, Copy)]
pub struct EndRecord {
    pub offset: usize,
    pub entries: u16,
    pub cd_size: u32,
    pub cd_offset: u32,
}

impl EndRecord {
    /// Scan back from the end (the comment is at most 64 KiB) for the last
    /// signature whose comment length fits the bytes after it, as Android does.
    pub fn find(data: &[u8]) -> Option<EndRecord> {
        let last = data.len().checked_sub(END_LEN)?;
        let first = last.saturating_sub(0xffff);
        (first..=last).rev().find_map(|at| {
            if u32_at(data, at)? != END_SIG {
                return None;
            }
            let mut r = Reader::new(slice_at(data, at, END_LEN)?);
            r.skip(10).ok()?;
            let entries = r.u16().ok()?;
            let cd_size = r.u32().ok()?;
            let cd_offset = r.u32().ok()?;
            let comment_len = usize::from(r.u16().ok()?);
            (comment_len <= data.len() - at - END_LEN).then_some(EndRecord {
                offset: at,
                entries,
                cd_size,
                cd_offset,
            })
        })
    }
}

/// The ZIP64 end record, used when the classic one's fields are saturated.
#[derive(Debug, Clone, Copy)]
pub struct Zip64End {
    pub entries: u64,
    pub cd_size: u64,
    pub cd_offset: u64,
}

impl Zip64End {
    pub fn find(data: &[u8], end: &EndRecord) -> Option<Zip64End> {
        let saturated =
            end.entries == 0xffff || end.cd_size == 0xffff_ffff || end.cd_offset == 0xffff_ffff;
        if !saturated {
            return None;
        }
        let loc_at = end.offset.checked_sub(20)?;
        if u32_at(data, loc_at)? != ZIP64_LOCATOR_SIG {
            return None;
        }
        let mut r = Reader::new(slice_at(data, loc_at, 20)?);
        r.skip(8).ok()?;
        let at = usize::try_from(r.u64().ok()?).ok()?;
        let mut r = Reader::new(slice_at(data, at, 56)?);
        if r.u32().ok()? != ZIP64_END_SIG {
            return None;
        }
        r.skip(28).ok()?;
        Some(Zip64End {
            entries: r.u64().ok()?,
            cd_size: r.u64().ok()?,
            cd_offset: r.u64().ok()?,
        })
    }
}

/// Compression method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
    Unknown(u16),
}

impl From<u16> for Method {
    fn from(v: u16) -> Self {
        match v {
            0 => Method::Stored,
            8 => Method::Deflated,
            other => Method::Unknown(other),
        }
    }
}

/// One central-directory record, name borrowed.
#[derive(Debug, Clone, Copy)]
pub struct CentralRecord<'a> {
    /// The name bytes as stored (not necessarily UTF-8, may hold `\`, `..` or NUL).
    pub name: &'a [u8],
    pub flags: u16,
    pub method: Method,
    pub crc32: u32,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub local_header_offset: u64,
    /// Where this record sits in the file.
    pub record_offset: usize,
}

impl<'a> CentralRecord<'a> {
    #[inline]
    pub(super) fn read(r: &mut Reader<'a>) -> Result<CentralRecord<'a>, ZipError> {
        let at = r.abs_pos();
        let bad = |what| ZipError::BadCentralRecord { at, what };
        let trunc = |_| bad("record truncated");
        // The fixed part read as one array, fields at their APPNOTE offsets:
        // thousands of records per APK, so no per-field bounds checks.
        let f: [u8; CENTRAL_LEN] = r.array().map_err(trunc)?;
        let u16_le = |a: u8, b: u8| u16::from_le_bytes([a, b]);
        let u32_le = |a: u8, b: u8, c: u8, d: u8| u32::from_le_bytes([a, b, c, d]);
        if u32_le(f[0], f[1], f[2], f[3]) != CENTRAL_SIG {
            return Err(bad("no central directory signature"));
        }
        // 4: version made by, 6: version needed
        let flags = u16_le(f[8], f[9]);
        let method = Method::from(u16_le(f[10], f[11]));
        // 12: time, 14: date
        let crc32 = u32_le(f[16], f[17], f[18], f[19]);
        let mut compressed_size = u64::from(u32_le(f[20], f[21], f[22], f[23]));
        let mut uncompressed_size = u64::from(u32_le(f[24], f[25], f[26], f[27]));
        let name_len = usize::from(u16_le(f[28], f[29]));
        let extra_len = usize::from(u16_le(f[30], f[31]));
        let comment_len = usize::from(u16_le(f[32], f[33]));
        // 34: disk, 36: internal attributes, 38: external attributes
        let mut local_header_offset = u64::from(u32_le(f[42], f[43], f[44], f[45]));
        let name = r
            .bytes(name_len)
            .map_err(|_| bad("name runs past the directory"))?;
        let extra = r
            .bytes(extra_len)
            .map_err(|_| bad("extra field runs past the directory"))?;
        r.skip(comment_len)
            .map_err(|_| bad("comment runs past the directory"))?;

        // ZIP64 extended information: present values replace saturated ones, in order.
        let mut x = Reader::new(extra);
        while x.remaining() >= 4 {
            let (Ok(id), Ok(len)) = (x.u16(), x.u16()) else {
                break;
            };
            let Ok(body) = x.bytes(usize::from(len)) else {
                break;
            };
            if id != 0x0001 {
                continue;
            }
            let mut b = Reader::new(body);
            for field in [
                &mut uncompressed_size,
                &mut compressed_size,
                &mut local_header_offset,
            ] {
                if *field == 0xffff_ffff {
                    if let Ok(v) = b.u64() {
                        *field = v;
                    }
                }
            }
        }
        Ok(CentralRecord {
            name,
            flags,
            method,
            crc32,
            compressed_size,
            uncompressed_size,
            local_header_offset,
            record_offset: at,
        })
    }

    pub fn name_lossy(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.name)
    }

    /// The name with `\` read as `/` (borrowed when there is nothing to change).
    pub fn name_normalized(&self) -> Cow<'a, str> {
        let name = self.name_lossy();
        if name.contains('\\') {
            Cow::Owned(name.replace('\\', "/"))
        } else {
            name
        }
    }

    pub fn is_dir(&self) -> bool {
        self.name.last() == Some(&b'/')
    }
}
