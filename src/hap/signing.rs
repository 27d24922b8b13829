//! The HarmonyOS signing block: what `hapsigner` puts between a module's
//! ZIP entries and its central directory (OpenHarmony `appverify`,
//! `hap_signing_block_utils`). Layout, all little-endian:
//!
//! ```text
//! block start = cd_offset − blockSize
//!   blockCount × { u32 type, u32 length, u32 offset }   offset from block start
//!   sub-block values
//!   tail (32 bytes, ends at cd_offset):
//!     u32 blockCount, u64 blockSize, 16-byte magic, u32 version
//! ```
//! The magic is `HAP Sig Block 42` (version 2) or `<hap sign block>`
//! (version 3). Values are borrowed from the file.

use crate::bytes::{slice_at, Reader};
use thiserror::Error;

/// Size of the tail that ends the block.
pub const TAIL_LEN: usize = 32;
/// Size of one sub-block head.
const HEAD_LEN: usize = 12;
/// More sub-blocks than any signer writes (there are six kinds).
const MAX_SUB_BLOCKS: u32 = 64;

const MAGIC_V2: &[u8; 16] = b"HAP Sig Block 42";
const MAGIC_V3: &[u8; 16] = b"<hap sign block>";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SigningBlockError {
    #[error("HAP signing block: {0}")]
    Malformed(String),
}

fn bad(what: impl Into<String>) -> SigningBlockError {
    SigningBlockError::Malformed(what.into())
}

/// Which magic the tail carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    /// `HAP Sig Block 42`.
    V2,
    /// `<hap sign block>`.
    V3,
}

impl Magic {
    /// The scheme name reports use.
    pub fn scheme(self) -> &'static str {
        match self {
            Magic::V2 => "hap-v2",
            Magic::V3 => "hap-v3",
        }
    }
}

/// Sub-block types, in `hap_signing_block_utils.h`'s words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubBlockType {
    /// 0x20000000: PKCS#7 SignedData whose content is the digest.
    Signature,
    /// 0x20000001: proof of rotation.
    ProofOfRotation,
    /// 0x20000002: the provisioning profile (signed `.p7b`, or JSON when
    /// the signer was told the profile is unsigned).
    Profile,
    /// 0x20000003: property block (code signing).
    Property,
    /// 0x20000004: enterprise re-sign signature.
    EnterpriseResignSignature,
    /// 0x20000005: enterprise re-sign profile.
    EnterpriseResignProfile,
    Unknown(u32),
}

impl SubBlockType {
    pub fn from_u32(v: u32) -> Self {
        match v {
            0x2000_0000 => SubBlockType::Signature,
            0x2000_0001 => SubBlockType::ProofOfRotation,
            0x2000_0002 => SubBlockType::Profile,
            0x2000_0003 => SubBlockType::Property,
            0x2000_0004 => SubBlockType::EnterpriseResignSignature,
            0x2000_0005 => SubBlockType::EnterpriseResignProfile,
            other => SubBlockType::Unknown(other),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SubBlockType::Signature => "signature",
            SubBlockType::ProofOfRotation => "proof-of-rotation",
            SubBlockType::Profile => "profile",
            SubBlockType::Property => "property",
            SubBlockType::EnterpriseResignSignature => "enterprise-resign-signature",
            SubBlockType::EnterpriseResignProfile => "enterprise-resign-profile",
            SubBlockType::Unknown(_) => "unknown",
        }
    }
}

/// One sub-block, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubBlock<'a> {
    pub raw_type: u32,
    pub kind: SubBlockType,
    /// Offset of the value in the file.
    pub offset: usize,
    pub value: &'a [u8],
}

/// A signing block, borrowed from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningBlock<'a> {
    /// Where the block starts in the file.
    pub offset: usize,
    /// Its size, tail included (ends at the central directory).
    pub size: usize,
    pub magic: Magic,
    pub version: u32,
    /// In the order of their heads (the order the digest takes them in).
    pub sub_blocks: Vec<SubBlock<'a>>,
}

impl<'a> SigningBlock<'a> {
    /// Find the block that ends at `cd_offset`. `Ok(None)` when the bytes
    /// before the central directory are not a signing block (unsigned).
    pub fn find(data: &'a [u8], cd_offset: usize) -> Result<Option<Self>, SigningBlockError> {
        let Some(tail_at) = cd_offset.checked_sub(TAIL_LEN) else {
            return Ok(None);
        };
        let Some(tail) = slice_at(data, tail_at, TAIL_LEN) else {
            return Ok(None);
        };
        let mut r = Reader::new(tail);
        let (count, size, magic, version) = (|| -> Result<_, crate::bytes::Truncated> {
            Ok((r.u32()?, r.u64()?, r.array::<16>()?, r.u32()?))
        })()
        .map_err(|_| bad("tail truncated"))?;
        let magic = match &magic {
            m if m == MAGIC_V2 => Magic::V2,
            m if m == MAGIC_V3 => Magic::V3,
            _ => return Ok(None),
        };
        if count == 0 || count > MAX_SUB_BLOCKS {
            return Err(bad(format!(
                "{count} sub-blocks (1 to {MAX_SUB_BLOCKS} expected)"
            )));
        }
        let size = usize::try_from(size)
            .ok()
            .filter(|&s| s <= cd_offset)
            .ok_or_else(|| bad(format!("size {size} reaches before the file's start")))?;
        let offset = cd_offset - size;
        let heads_len = (count as usize) * HEAD_LEN;
        if heads_len.saturating_add(TAIL_LEN) > size {
            return Err(bad(format!(
                "size {size} cannot hold {count} sub-block heads"
            )));
        }
        let block = slice_at(data, offset, size).ok_or_else(|| bad("outside the file"))?;
        let values_end = size - TAIL_LEN;
        let mut heads = Reader::with_base(block, offset);
        let mut sub_blocks = Vec::with_capacity(count as usize);
        for i in 0..count {
            let (t, len, off) = (|| -> Result<_, crate::bytes::Truncated> {
                Ok((heads.u32()?, heads.u32()?, heads.u32()?))
            })()
            .map_err(|_| bad("sub-block heads truncated"))?;
            let (len, off) = (len as usize, off as usize);
            if off < heads_len || off.saturating_add(len) > values_end {
                return Err(bad(format!(
                    "sub-block {i} (type {t:#010x}) at {off}+{len} lies outside the block's values ({heads_len}..{values_end})"
                )));
            }
            let value =
                slice_at(block, off, len).ok_or_else(|| bad("sub-block outside the block"))?;
            sub_blocks.push(SubBlock {
                raw_type: t,
                kind: SubBlockType::from_u32(t),
                offset: offset + off,
                value,
            });
        }
        Ok(Some(SigningBlock {
            offset,
            size,
            magic,
            version,
            sub_blocks,
        }))
    }

    /// The first sub-block of a kind.
    pub fn get(&self, kind: SubBlockType) -> Option<&SubBlock<'a>> {
        self.sub_blocks.iter().find(|b| b.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block with the given (type, value) sub-blocks, then a fake
    /// central directory byte, as hapsigner lays it out.
    pub(crate) fn build(subs: &[(u32, &[u8])], magic: &[u8; 16], version: u32) -> (Vec<u8>, usize) {
        let mut data = b"zip entries".to_vec();
        let start = data.len();
        let heads = subs.len() * HEAD_LEN;
        let mut values = Vec::new();
        let mut head_bytes = Vec::new();
        for (t, v) in subs {
            head_bytes.extend_from_slice(&t.to_le_bytes());
            head_bytes.extend_from_slice(&(v.len() as u32).to_le_bytes());
            head_bytes.extend_from_slice(&((heads + values.len()) as u32).to_le_bytes());
            values.extend_from_slice(v);
        }
        let size = heads + values.len() + TAIL_LEN;
        data.extend_from_slice(&head_bytes);
        data.extend_from_slice(&values);
        data.extend_from_slice(&(subs.len() as u32).to_le_bytes());
        data.extend_from_slice(&(size as u64).to_le_bytes());
        data.extend_from_slice(magic);
        data.extend_from_slice(&version.to_le_bytes());
        let cd = data.len();
        assert_eq!(cd - start, size);
        data.extend_from_slice(b"PK\x01\x02");
        (data, cd)
    }

    #[test]
    fn reads_sub_blocks_in_order() {
        let (data, cd) = build(
            &[
                (0x2000_0002, b"profile"),
                (0x2000_0000, b"sig"),
                (0x7, b"x"),
            ],
            MAGIC_V3,
            3,
        );
        let b = SigningBlock::find(&data, cd).unwrap().unwrap();
        assert_eq!(b.magic, Magic::V3);
        assert_eq!(b.version, 3);
        assert_eq!(b.offset, 11);
        let kinds: Vec<_> = b.sub_blocks.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SubBlockType::Profile,
                SubBlockType::Signature,
                SubBlockType::Unknown(7)
            ]
        );
        assert_eq!(b.get(SubBlockType::Signature).unwrap().value, b"sig");
        let (data, cd) = build(&[(0x2000_0000, b"sig")], MAGIC_V2, 2);
        assert_eq!(
            SigningBlock::find(&data, cd)
                .unwrap()
                .unwrap()
                .magic
                .scheme(),
            "hap-v2"
        );
    }

    #[test]
    fn unsigned_is_none_and_damage_is_an_error() {
        assert_eq!(
            SigningBlock::find(b"PK\x03\x04 no block here at all, just bytes", 20),
            Ok(None)
        );
        assert_eq!(SigningBlock::find(b"", 0), Ok(None));
        let (data, cd) = build(&[(0x2000_0000, b"sig")], MAGIC_V3, 3);
        // Every truncation and every single-byte change: no panic.
        for n in 0..data.len() {
            let _ = SigningBlock::find(data.get(..n).unwrap(), cd);
            for at in 0..cd {
                let mut d = data.clone();
                d[at] ^= 0xff;
                let _ = SigningBlock::find(&d, cd);
            }
        }
        // A count of zero and a size beyond the file's start are errors.
        let mut d = data.clone();
        d[cd - 32..cd - 28].copy_from_slice(&0u32.to_le_bytes());
        assert!(SigningBlock::find(&d, cd).is_err());
        let mut d = data.clone();
        d[cd - 28..cd - 20].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(SigningBlock::find(&d, cd).is_err());
        // A sub-block reaching into the tail is an error.
        let mut d = data;
        let start = cd - (12 + 3 + 32);
        d[start + 4..start + 8].copy_from_slice(&10u32.to_le_bytes());
        assert!(SigningBlock::find(&d, cd).is_err());
    }
}
