//! Mach-O executables, thin or fat, and their embedded code signature
//! (`LC_CODE_SIGNATURE` → SuperBlob → CodeDirectory, entitlements, CMS).
//!
//! Layouts from `<mach-o/loader.h>`, `<mach-o/fat.h>` and `cs_blobs.h`. Mach-O
//! headers are little-endian on every Apple target we read; the fat header and
//! every code-signing structure are big-endian.

use crate::bytes::slice_at;
use thiserror::Error;

const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
const MH_MAGIC: u32 = 0xfeed_face;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const LC_CODE_SIGNATURE: u32 = 0x1d;
/// Bound on fat slices and load commands looked at.
const MAX_SLICES: usize = 16;
const MAX_LOAD_COMMANDS: usize = 4096;
/// Bound on blobs in a SuperBlob.
const MAX_BLOBS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MachOError {
    #[error("not a Mach-O file (magic 0x{0:08x})")]
    NotMachO(u32),
    #[error("Mach-O at byte {at}: {what}")]
    Malformed { at: usize, what: String },
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = slice_at(d, at, 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}
fn le32(d: &[u8], at: usize) -> Option<u32> {
    crate::bytes::u32_at(d, at)
}

/// Code-signing magic numbers, typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobMagic {
    Requirements,
    CodeDirectory,
    EmbeddedSignature,
    Entitlements,
    EntitlementsDer,
    BlobWrapper,
    Unknown(u32),
}

impl From<u32> for BlobMagic {
    fn from(v: u32) -> Self {
        match v {
            0xfade_0c01 => BlobMagic::Requirements,
            0xfade_0c02 => BlobMagic::CodeDirectory,
            0xfade_0cc0 => BlobMagic::EmbeddedSignature,
            0xfade_7171 => BlobMagic::Entitlements,
            0xfade_7172 => BlobMagic::EntitlementsDer,
            0xfade_0b01 => BlobMagic::BlobWrapper,
            other => BlobMagic::Unknown(other),
        }
    }
}

/// SuperBlob index slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    CodeDirectory,
    Requirements,
    Entitlements,
    EntitlementsDer,
    AlternateCodeDirectory(u32),
    Signature,
    Other(u32),
}

impl From<u32> for Slot {
    fn from(v: u32) -> Self {
        match v {
            0 => Slot::CodeDirectory,
            2 => Slot::Requirements,
            5 => Slot::Entitlements,
            7 => Slot::EntitlementsDer,
            0x1000..=0x1004 => Slot::AlternateCodeDirectory(v - 0x1000),
            0x10000 => Slot::Signature,
            other => Slot::Other(other),
        }
    }
}

/// The CodeDirectory's identifying fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeDirectory {
    pub version: u32,
    pub flags: u32,
    pub identifier: Option<String>,
    pub team_id: Option<String>,
    /// "sha1", "sha256", "sha256-truncated", "sha384" or the number.
    pub hash_type: String,
}

/// What a slice's code signature holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeSignature<'a> {
    pub code_directory: Option<CodeDirectory>,
    /// The entitlements plist (XML), as stored.
    pub entitlements: Option<&'a [u8]>,
    /// The CMS SignedData (BlobWrapper payload), as stored.
    pub cms: Option<&'a [u8]>,
}

pub fn arch_name(cputype: u32, subtype: u32) -> String {
    let sub = subtype & 0x00ff_ffff;
    match (cputype, sub) {
        (0x0100_000c, 2) => "arm64e".into(),
        (0x0100_000c, _) => "arm64".into(),
        (0x0200_000c, _) => "arm64_32".into(),
        (12, 9) => "armv7".into(),
        (12, 11) => "armv7s".into(),
        (12, 12) => "armv7k".into(),
        (12, _) => "arm".into(),
        (0x0100_0007, _) => "x86_64".into(),
        (7, _) => "i386".into(),
        _ => format!("cpu{cputype}/{sub}"),
    }
}

/// Random access to an executable's bytes. Reads come in increasing offset
/// order, so a compressed entry can be streamed instead of inflated whole.
pub trait Source {
    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String>;
}

impl Source for &[u8] {
    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        let at = usize::try_from(offset).map_err(|_| "offset out of range".to_string())?;
        let avail = self.len().saturating_sub(at);
        Ok(self.get(at..at + len.min(avail)).unwrap_or(&[]).to_vec())
    }
}

/// A forward-only reader: skips what is not asked for, never seeks back.
pub struct Stream<R: std::io::Read> {
    inner: R,
    pos: u64,
}

impl<R: std::io::Read> Stream<R> {
    pub fn new(inner: R) -> Self {
        Stream { inner, pos: 0 }
    }
}

impl<R: std::io::Read> Source for Stream<R> {
    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        use std::io::Read;
        if offset < self.pos {
            return Err(format!(
                "read at {offset} after {}: ranges overlap",
                self.pos
            ));
        }
        let skip = offset - self.pos;
        let skipped = std::io::copy(&mut (&mut self.inner).take(skip), &mut std::io::sink())
            .map_err(|e| e.to_string())?;
        self.pos += skipped;
        let mut out = Vec::new();
        (&mut self.inner)
            .take(len as u64)
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())?;
        self.pos += out.len() as u64;
        Ok(out)
    }
}

/// A slice's code signature, owned (it may come from a streamed entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedSignature {
    pub code_directory: Option<CodeDirectory>,
    pub entitlements: Option<Vec<u8>>,
    pub cms: Option<Vec<u8>>,
}

/// One architecture: its name and code signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceInfo {
    pub arch: String,
    pub signature: Option<OwnedSignature>,
}

/// Largest code signature read (they are tens of KiB; CMS with chain included).
const MAX_SIGNATURE: usize = 16 << 20;

/// Every slice of a thin or fat Mach-O with its code signature, in file order.
pub fn read(src: &mut dyn Source) -> Result<Vec<SliceInfo>, MachOError> {
    let head = src
        .read(0, 4096)
        .map_err(|w| MachOError::Malformed { at: 0, what: w })?;
    let magic = be32(&head, 0).ok_or(MachOError::NotMachO(0))?;
    let mut slices: Vec<(u64, u64)> = Vec::new();
    if magic == FAT_MAGIC || magic == FAT_MAGIC_64 {
        let wide = magic == FAT_MAGIC_64;
        let n = be32(&head, 4).unwrap_or(0) as usize;
        let entry = if wide { 32 } else { 20 };
        if n > MAX_SLICES || 8 + n * entry > head.len() {
            return Err(MachOError::Malformed {
                at: 4,
                what: format!("fat header lists {n} architectures"),
            });
        }
        for i in 0..n {
            let at = 8 + i * entry;
            let word = |o: usize| be32(&head, at + o).map(u64::from).unwrap_or(0);
            let (offset, size) = if wide {
                (word(8) << 32 | word(12), word(16) << 32 | word(20))
            } else {
                (word(8), word(12))
            };
            slices.push((offset, size));
        }
        slices.sort_unstable();
        // Overlapping slices cannot be streamed, and no linker writes them.
        if slices
            .windows(2)
            .any(|w| matches!(w, [(a, la), (b, _)] if a.saturating_add(*la) > *b))
        {
            return Err(MachOError::Malformed {
                at: 8,
                what: "fat slices overlap".into(),
            });
        }
    } else {
        slices.push((0, u64::MAX));
    }
    let mut src = HeadFirst { head, src };
    let mut out = Vec::new();
    for (offset, size) in slices {
        out.push(slice(&mut src, offset, size)?);
    }
    Ok(out)
}

/// Serves reads from the already-read head of the file before the stream.
struct HeadFirst<'s> {
    head: Vec<u8>,
    src: &'s mut dyn Source,
}

impl Source for HeadFirst<'_> {
    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        let head_len = self.head.len() as u64;
        if offset >= head_len {
            return self.src.read(offset, len);
        }
        let start = offset as usize;
        let end = start.saturating_add(len).min(self.head.len());
        let mut out = self.head.get(start..end).unwrap_or(&[]).to_vec();
        // A short head means the file ended there; a full one may continue.
        if out.len() < len && self.head.len() == HEAD_LEN {
            out.extend(self.src.read(head_len, len - out.len())?);
        }
        Ok(out)
    }
}

const HEAD_LEN: usize = 4096;

fn slice(src: &mut dyn Source, base: u64, size: u64) -> Result<SliceInfo, MachOError> {
    let at = usize::try_from(base).unwrap_or(usize::MAX);
    let bad = |what: String| MachOError::Malformed { at, what };
    // 28 bytes for a 32-bit header, 32 for 64-bit; read 28, then the rest.
    let mut header = src.read(base, 28).map_err(bad)?;
    let magic = le32(&header, 0).ok_or(MachOError::NotMachO(0))?;
    let header_len: usize = match magic {
        MH_MAGIC => 28,
        MH_MAGIC_64 => 32,
        other => return Err(MachOError::NotMachO(other)),
    };
    if header_len == 32 {
        header.extend(src.read(base + 28, 4).map_err(bad)?);
    }
    let cputype = le32(&header, 4).unwrap_or(0);
    let subtype = le32(&header, 8).unwrap_or(0);
    let ncmds = le32(&header, 16).unwrap_or(0) as usize;
    let sizeofcmds = le32(&header, 20).unwrap_or(0) as usize;
    if ncmds > MAX_LOAD_COMMANDS || sizeofcmds > (1 << 22) {
        return Err(bad(format!("{ncmds} load commands in {sizeofcmds} bytes")));
    }
    let cmds = src
        .read(base + header_len as u64, sizeofcmds)
        .map_err(bad)?;
    if cmds.len() < sizeofcmds {
        return Err(bad(format!(
            "load commands ({sizeofcmds} bytes) run past the file"
        )));
    }
    let mut at_cmd = 0usize;
    let mut sig_range = None;
    for _ in 0..ncmds {
        let (Some(cmd), Some(len)) = (le32(&cmds, at_cmd), le32(&cmds, at_cmd + 4)) else {
            return Err(bad("load command truncated".into()));
        };
        if len < 8 {
            return Err(bad(format!("load command of {len} bytes")));
        }
        if cmd == LC_CODE_SIGNATURE {
            let off = u64::from(le32(&cmds, at_cmd + 8).unwrap_or(0));
            let len = le32(&cmds, at_cmd + 12).unwrap_or(0) as usize;
            if off.saturating_add(len as u64) > size || len > MAX_SIGNATURE {
                return Err(bad(format!(
                    "code signature ({len} bytes at {off}) lies outside the image"
                )));
            }
            sig_range = Some((off, len));
        }
        at_cmd += len as usize;
    }
    let signature = match sig_range {
        Some((off, len)) => {
            let blob = src.read(base + off, len).map_err(bad)?;
            if blob.len() < len {
                return Err(bad(format!(
                    "code signature ({len} bytes at {off}) lies outside the image"
                )));
            }
            let sig = super_blob(&blob, usize::try_from(base + off).unwrap_or(usize::MAX))?;
            Some(OwnedSignature {
                code_directory: sig.code_directory,
                entitlements: sig.entitlements.map(<[u8]>::to_vec),
                cms: sig.cms.map(<[u8]>::to_vec),
            })
        }
        None => None,
    };
    Ok(SliceInfo {
        arch: arch_name(cputype, subtype),
        signature,
    })
}

/// Parse an embedded-signature SuperBlob. `base` is its offset, for messages.
pub fn super_blob(blob: &[u8], base: usize) -> Result<CodeSignature<'_>, MachOError> {
    let bad = |at: usize, what: String| MachOError::Malformed {
        at: base.saturating_add(at),
        what,
    };
    let magic = be32(blob, 0).ok_or_else(|| bad(0, "signature truncated".into()))?;
    if BlobMagic::from(magic) != BlobMagic::EmbeddedSignature {
        return Err(bad(0, format!("code signature magic 0x{magic:08x}")));
    }
    let length = (be32(blob, 4).unwrap_or(0) as usize).min(blob.len());
    let blob = blob.get(..length).unwrap_or(blob);
    let count = be32(blob, 8).unwrap_or(0) as usize;
    if count > MAX_BLOBS {
        return Err(bad(8, format!("SuperBlob lists {count} blobs")));
    }
    let mut sig = CodeSignature::default();
    for i in 0..count {
        let at = 12 + i * 8;
        let (Some(slot), Some(offset)) = (be32(blob, at), be32(blob, at + 4)) else {
            return Err(bad(at, "SuperBlob index truncated".into()));
        };
        let offset = offset as usize;
        let Some(len) = be32(blob, offset + 4) else {
            return Err(bad(offset, "blob header outside the signature".into()));
        };
        let Some(inner) = slice_at(blob, offset, len as usize) else {
            return Err(bad(
                offset,
                format!("blob of {len} bytes runs past the signature"),
            ));
        };
        let payload = inner.get(8..).unwrap_or(&[]);
        match (
            Slot::from(slot),
            BlobMagic::from(be32(inner, 0).unwrap_or(0)),
        ) {
            (Slot::CodeDirectory, BlobMagic::CodeDirectory) => {
                sig.code_directory = Some(code_directory(inner).map_err(|w| bad(offset, w))?);
            }
            (Slot::AlternateCodeDirectory(_), BlobMagic::CodeDirectory)
                if sig.code_directory.is_none() =>
            {
                sig.code_directory = Some(code_directory(inner).map_err(|w| bad(offset, w))?);
            }
            (Slot::Entitlements, BlobMagic::Entitlements) => sig.entitlements = Some(payload),
            (Slot::Signature, BlobMagic::BlobWrapper) if !payload.is_empty() => {
                sig.cms = Some(payload)
            }
            _ => {}
        }
    }
    Ok(sig)
}

fn c_string(d: &[u8], at: usize) -> Option<String> {
    let rest = d.get(at..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
}

fn code_directory(cd: &[u8]) -> Result<CodeDirectory, String> {
    let version = be32(cd, 8).ok_or("CodeDirectory truncated")?;
    let flags = be32(cd, 12).unwrap_or(0);
    let ident = be32(cd, 20).unwrap_or(0) as usize;
    let hash_type = cd.get(37).copied().unwrap_or(0);
    let team = if version >= 0x20200 {
        be32(cd, 48)
            .filter(|&o| o != 0)
            .and_then(|o| c_string(cd, o as usize))
    } else {
        None
    };
    Ok(CodeDirectory {
        version,
        flags,
        identifier: c_string(cd, ident),
        team_id: team,
        hash_type: match hash_type {
            1 => "sha1".into(),
            2 => "sha256".into(),
            3 => "sha256-truncated".into(),
            4 => "sha384".into(),
            other => other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thin64(with_sig: Option<&[u8]>) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&MH_MAGIC_64.to_le_bytes());
        d.extend_from_slice(&0x0100_000cu32.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&2u32.to_le_bytes()); // filetype
        d.extend_from_slice(&(with_sig.is_some() as u32).to_le_bytes());
        d.extend_from_slice(&(if with_sig.is_some() { 16u32 } else { 0 }).to_le_bytes());
        d.extend_from_slice(&[0; 8]);
        if let Some(sig) = with_sig {
            let off = 32 + 16;
            d.extend_from_slice(&LC_CODE_SIGNATURE.to_le_bytes());
            d.extend_from_slice(&16u32.to_le_bytes());
            d.extend_from_slice(&(off as u32).to_le_bytes());
            d.extend_from_slice(&(sig.len() as u32).to_le_bytes());
            d.extend_from_slice(sig);
        }
        d
    }

    fn superblob() -> Vec<u8> {
        // CodeDirectory v0x20200 with identifier and team id.
        let mut cd = vec![0u8; 52];
        cd[0..4].copy_from_slice(&0xfade_0c02u32.to_be_bytes());
        cd[8..12].copy_from_slice(&0x20200u32.to_be_bytes());
        cd[20..24].copy_from_slice(&52u32.to_be_bytes());
        cd[37] = 2;
        cd[48..52].copy_from_slice(&(52 + 12u32).to_be_bytes());
        cd.extend_from_slice(b"com.example\0");
        cd.extend_from_slice(b"TEAM123456\0");
        let len = cd.len() as u32;
        cd[4..8].copy_from_slice(&len.to_be_bytes());
        let mut sb = Vec::new();
        sb.extend_from_slice(&0xfade_0cc0u32.to_be_bytes());
        sb.extend_from_slice(&(20 + cd.len() as u32).to_be_bytes());
        sb.extend_from_slice(&1u32.to_be_bytes());
        sb.extend_from_slice(&0u32.to_be_bytes());
        sb.extend_from_slice(&20u32.to_be_bytes());
        sb.extend_from_slice(&cd);
        sb
    }

    #[test]
    fn thin_and_fat_with_signature() {
        let sb = superblob();
        let thin = thin64(Some(&sb));
        let s = read(&mut thin.as_slice()).unwrap();
        assert_eq!(s[0].arch, "arm64");
        let cd = s[0]
            .signature
            .as_ref()
            .unwrap()
            .code_directory
            .as_ref()
            .unwrap();
        assert_eq!(cd.identifier.as_deref(), Some("com.example"));
        assert_eq!(cd.team_id.as_deref(), Some("TEAM123456"));
        assert_eq!(cd.hash_type, "sha256");

        let unsigned = thin64(None);
        let mut fat = Vec::new();
        fat.extend_from_slice(&FAT_MAGIC.to_be_bytes());
        fat.extend_from_slice(&2u32.to_be_bytes());
        let off1 = 64u32;
        let off2 = off1 + thin.len() as u32;
        for (off, len) in [(off1, thin.len() as u32), (off2, unsigned.len() as u32)] {
            fat.extend_from_slice(&0x0100_000cu32.to_be_bytes());
            fat.extend_from_slice(&0u32.to_be_bytes());
            fat.extend_from_slice(&off.to_be_bytes());
            fat.extend_from_slice(&len.to_be_bytes());
            fat.extend_from_slice(&0u32.to_be_bytes());
        }
        fat.resize(64, 0);
        fat.extend_from_slice(&thin);
        fat.extend_from_slice(&unsigned);
        let s = read(&mut fat.as_slice()).unwrap();
        let streamed = read(&mut Stream::new(fat.as_slice())).unwrap();
        assert_eq!(s, streamed);
        assert_eq!(s.len(), 2);
        assert!(s[0].signature.is_some() && s[1].signature.is_none());
    }

    #[test]
    fn hostile_offsets_fail_cleanly() {
        let sb = superblob();
        let good = thin64(Some(&sb));
        for cut in 0..good.len() {
            let _ = read(&mut &good[..cut]);
        }
        for i in 0..good.len() {
            let mut d = good.clone();
            d[i] ^= 0xff;
            let _ = read(&mut d.as_slice());
        }
        let mut d = good;
        d[32 + 8..32 + 12].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        assert!(read(&mut d.as_slice()).is_err());
    }
}
