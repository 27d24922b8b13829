//! The APK Signing Block: the ID-value pairs stored between the last ZIP entry
//! and the central directory (source.android.com/docs/security/features/apksigning/v2).
//!
//! ```text
//! u64 size (excluding this field) | pairs: u64 len, u32 id, value[len-4] … | u64 size | "APK Sig Block 42"
//! ```

use crate::bytes::{slice_at, Reader};
use thiserror::Error;

pub const MAGIC: &[u8; 16] = b"APK Sig Block 42";
const FOOTER_LEN: usize = 24;

/// Block ids, typed, with an arm for the ones nobody told us about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockId {
    V2,
    V3,
    V31,
    SourceStampV1,
    SourceStampV2,
    VerityPadding,
    DependencyInfo,
    PlayFrosting,
    /// Meituan Walle channel (JSON).
    WalleChannel,
    /// Tencent VasDolly channel (plain text).
    VasDollyChannel,
    /// packer-ng-plugin channel (key-value text).
    PackerNgChannel,
    Unknown(u32),
}

impl From<u32> for BlockId {
    fn from(v: u32) -> Self {
        match v {
            0x7109_871a => BlockId::V2,
            0xf053_68c0 => BlockId::V3,
            0x1b93_ad61 => BlockId::V31,
            0x2b09_189e => BlockId::SourceStampV1,
            0x6dff_800d => BlockId::SourceStampV2,
            0x4272_6577 => BlockId::VerityPadding,
            0x504b_4453 => BlockId::DependencyInfo,
            0x2146_444e => BlockId::PlayFrosting,
            0x7177_7777 => BlockId::WalleChannel,
            0x8811_55ff => BlockId::VasDollyChannel,
            0x7a78_6b21 => BlockId::PackerNgChannel,
            other => BlockId::Unknown(other),
        }
    }
}

impl BlockId {
    /// A short name for reports ("v2", "padding", "walle-channel", …).
    pub fn name(self) -> &'static str {
        match self {
            BlockId::V2 => "v2",
            BlockId::V3 => "v3",
            BlockId::V31 => "v3.1",
            BlockId::SourceStampV1 => "source-stamp-v1",
            BlockId::SourceStampV2 => "source-stamp",
            BlockId::VerityPadding => "padding",
            BlockId::DependencyInfo => "dependency-info",
            BlockId::PlayFrosting => "play-frosting",
            BlockId::WalleChannel => "walle-channel",
            BlockId::VasDollyChannel => "vasdolly-channel",
            BlockId::PackerNgChannel => "packer-ng-channel",
            BlockId::Unknown(_) => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BlockError {
    #[error("APK Signing Block at byte {at}: {what}")]
    Malformed { at: usize, what: String },
}

/// One ID-value pair, value borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub id: BlockId,
    pub raw_id: u32,
    pub value: &'a [u8],
    /// Offset of the value in the file.
    pub offset: usize,
}

/// The signing block, borrowed from the file.
#[derive(Debug, Clone)]
pub struct SigningBlock<'a> {
    /// Offset of the block's first size field.
    pub offset: usize,
    /// Whole block length in the file, both size fields and magic included.
    pub len: usize,
    pub pairs: Vec<Pair<'a>>,
}

impl<'a> SigningBlock<'a> {
    /// Find the block before the central directory at `cd_offset`. `Ok(None)`
    /// when there is none (no magic): an unsigned or v1-only APK.
    pub fn find(data: &'a [u8], cd_offset: usize) -> Result<Option<SigningBlock<'a>>, BlockError> {
        let Some(footer_at) = cd_offset.checked_sub(FOOTER_LEN) else {
            return Ok(None);
        };
        let Some(footer) = slice_at(data, footer_at, FOOTER_LEN) else {
            return Ok(None);
        };
        if footer.get(8..) != Some(&MAGIC[..]) {
            return Ok(None);
        }
        let bad = |at: usize, what: String| BlockError::Malformed { at, what };
        let mut r = Reader::new(footer);
        let size = r.u64().map_err(|e| bad(footer_at, e.to_string()))?;
        // The size excludes the leading u64 only.
        let start = usize::try_from(size)
            .ok()
            .and_then(|s| s.checked_add(8))
            .and_then(|total| cd_offset.checked_sub(total))
            .ok_or_else(|| {
                bad(
                    footer_at,
                    format!("size {size} reaches before the start of the file"),
                )
            })?;
        let len = cd_offset - start;
        if len < 32 {
            return Err(bad(start, format!("size {size} is too small")));
        }
        let head = slice_at(data, start, 8).ok_or_else(|| bad(start, "truncated".into()))?;
        let mut h = Reader::new(head);
        let size_again = h.u64().map_err(|e| bad(start, e.to_string()))?;
        if size_again != size {
            return Err(bad(
                start,
                format!("the two size fields disagree ({size_again} and {size})"),
            ));
        }
        let body_at = start + 8;
        let body = slice_at(data, body_at, len - 8 - FOOTER_LEN)
            .ok_or_else(|| bad(start, "truncated".into()))?;
        let mut r = Reader::with_base(body, body_at);
        let mut pairs = Vec::new();
        while r.remaining() > 0 {
            let at = r.abs_pos();
            let pair_len = r.u64().map_err(|e| bad(at, e.to_string()))?;
            let pair_len = usize::try_from(pair_len)
                .ok()
                .filter(|&l| l >= 4 && l <= r.remaining())
                .ok_or_else(|| bad(at, format!("pair length {pair_len} does not fit the block")))?;
            let raw_id = r.u32().map_err(|e| bad(at, e.to_string()))?;
            let offset = r.abs_pos();
            let value = r.bytes(pair_len - 4).map_err(|e| bad(at, e.to_string()))?;
            pairs.push(Pair {
                id: BlockId::from(raw_id),
                raw_id,
                value,
                offset,
            });
        }
        Ok(Some(SigningBlock {
            offset: start,
            len,
            pairs,
        }))
    }

    pub fn get(&self, id: BlockId) -> Option<&Pair<'a>> {
        self.pairs.iter().find(|p| p.id == id)
    }
}

/// Splits `u32`-length-prefixed items, the framing of every v2/v3/v4 structure.
pub struct LengthPrefixed<'a> {
    r: Reader<'a>,
}

impl<'a> LengthPrefixed<'a> {
    pub fn new(data: &'a [u8], base: usize) -> Self {
        LengthPrefixed {
            r: Reader::with_base(data, base),
        }
    }
    pub fn reader(&mut self) -> &mut Reader<'a> {
        &mut self.r
    }
    /// The next item: (its offset in the file, its bytes).
    pub fn item(&mut self) -> Result<(usize, &'a [u8]), String> {
        let at = self.r.abs_pos();
        let len = self.r.u32().map_err(|e| e.to_string())?;
        let bytes = self
            .r
            .bytes(crate::bytes::usize_from(len))
            .map_err(|_| format!("length {len} at byte {at} runs past its container"))?;
        Ok((at + 4, bytes))
    }
    /// The next item, re-framed as a sequence of items.
    pub fn seq(&mut self) -> Result<LengthPrefixed<'a>, String> {
        let (at, bytes) = self.item()?;
        Ok(LengthPrefixed::new(bytes, at))
    }
    pub fn u32(&mut self) -> Result<u32, String> {
        self.r.u32().map_err(|e| e.to_string())
    }
    pub fn is_empty(&self) -> bool {
        self.r.remaining() == 0
    }
    pub fn at(&self) -> usize {
        self.r.abs_pos()
    }
}
