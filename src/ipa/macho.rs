//! Mach-O executables, thin or fat, and their embedded code signature
//! (`LC_CODE_SIGNATURE` → SuperBlob → CodeDirectory, entitlements, CMS); also
//! the dylibs each slice loads, its `LC_ENCRYPTION_INFO` and, when asked, the
//! Objective-C class names of `__TEXT,__objc_classname` and the string
//! literals of `__TEXT,__cstring` and `__TEXT,__ustring`.
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
const LC_SEGMENT: u32 = 0x1;
const LC_SEGMENT_64: u32 = 0x19;
const LC_LOAD_DYLIB: u32 = 0xc;
const LC_LOAD_WEAK_DYLIB: u32 = 0x8000_0018;
const LC_REEXPORT_DYLIB: u32 = 0x8000_001f;
const LC_LAZY_LOAD_DYLIB: u32 = 0x20;
const LC_LOAD_UPWARD_DYLIB: u32 = 0x8000_0023;
const LC_ENCRYPTION_INFO: u32 = 0x21;
const LC_ENCRYPTION_INFO_64: u32 = 0x2c;
const OBJC_CLASSNAME: &[u8] = b"__objc_classname";
/// Largest `__objc_classname` section read (a big app's is a few hundred KiB).
pub const MAX_OBJC_SECTION: usize = 16 << 20;
/// Most class names [`objc_classnames`] yields.
pub const MAX_OBJC_CLASSES: usize = 1 << 20;
const CSTRING: &[u8] = b"__cstring";
const USTRING: &[u8] = b"__ustring";
const TEXT: &[u8] = b"__TEXT";
/// Largest `__TEXT,__cstring` or `__TEXT,__ustring` section read (a big
/// app's C strings run to about 20 MB).
pub const MAX_CSTRING_SECTION: usize = 64 << 20;
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

/// One architecture: its name, code signature, dylibs, encryption, class
/// names and string literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceInfo {
    pub arch: String,
    pub signature: Option<OwnedSignature>,
    /// Install names from `LC_LOAD_DYLIB`, `LC_LOAD_WEAK_DYLIB`, `LC_REEXPORT_DYLIB`,
    /// `LC_LAZY_LOAD_DYLIB` and `LC_LOAD_UPWARD_DYLIB`, in load-command order, e.g.
    /// `@rpath/AlipaySDK.framework/AlipaySDK`, `/usr/lib/libz.1.dylib`. A command
    /// whose name offset lies outside it, or whose name is empty, is left out.
    pub dylibs: Vec<Dylib>,
    /// The first `LC_ENCRYPTION_INFO` / `LC_ENCRYPTION_INFO_64`, when present.
    pub encryption: Option<EncryptionInfo>,
    /// The class names, when asked for and readable; see `objc`.
    pub objc_classnames: Option<Vec<String>>,
    /// Whether the class names were read, and why not.
    pub objc: ObjcState,
    /// The raw bytes of `__TEXT,__cstring` (NUL-separated C string literals,
    /// as stored; split them with [`cstrings`]), when asked for
    /// ([`ReadOptions::cstrings`]) and readable; see `cstrings_state`.
    pub cstrings: Option<Vec<u8>>,
    /// Whether `__TEXT,__cstring` was read, and why not.
    pub cstrings_state: SectionState,
    /// The raw bytes of `__TEXT,__ustring` (UTF-16LE string literals, each
    /// ended by a zero unit; decode them with [`ustrings`]), asked for with
    /// the C strings ([`ReadOptions::cstrings`]) but located and read on its
    /// own: see `ustrings_state`. Most binaries have none (`Absent`).
    pub ustrings: Option<Vec<u8>>,
    /// Whether `__TEXT,__ustring` was read, and why not.
    pub ustrings_state: SectionState,
}

/// A dynamic library a slice loads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dylib {
    /// The install name, lossy UTF-8.
    pub name: String,
    pub kind: DylibKind,
}

/// Which load command named a [`Dylib`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DylibKind {
    /// `LC_LOAD_DYLIB`
    Load,
    /// `LC_LOAD_WEAK_DYLIB`
    Weak,
    /// `LC_REEXPORT_DYLIB`
    Reexport,
    /// `LC_LAZY_LOAD_DYLIB`
    Lazy,
    /// `LC_LOAD_UPWARD_DYLIB`
    Upward,
}

/// `LC_ENCRYPTION_INFO(_64)`: offsets are relative to the slice. `cryptid != 0`
/// means the range is still FairPlay-encrypted (an App Store download).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncryptionInfo {
    pub cryptoff: u32,
    pub cryptsize: u32,
    pub cryptid: u32,
}

impl EncryptionInfo {
    /// Whether `[offset, offset + size)` (slice-relative) lies in the encrypted range.
    pub fn encrypts(&self, offset: u64, size: u64) -> bool {
        let start = u64::from(self.cryptoff);
        let end = start + u64::from(self.cryptsize);
        self.cryptid != 0 && size != 0 && offset < end && start < offset.saturating_add(size)
    }
}

/// Whether a slice's optional section (`__objc_classname`, `__TEXT,__cstring`,
/// `__TEXT,__ustring`) was read: [`SliceInfo::objc`],
/// [`SliceInfo::cstrings_state`], [`SliceInfo::ustrings_state`].
///
/// Each section is read from the first slice of a fat file (in file order)
/// whose own copy could be read; every slice before it says why its copy
/// could not (`Absent`, `Encrypted`, `Unreadable`), every slice after it says
/// `NotAsked`. So the C strings are
/// `slices.iter().find_map(|s| s.cstrings.as_ref())` (likewise for the other
/// two), and when that is `None` the first state other than `NotAsked` says
/// why. The three sections are followed independently: the C strings may come
/// from one slice and the class names from another.
///
/// A slice's wanted sections are read in one forward pass, in offset order,
/// before its code signature; a section that overlaps one read before it
/// (which would need a backward read) is `Unreadable`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SectionState {
    /// Not asked for (its [`ReadOptions`] flag off), or already read from an
    /// earlier slice of the same fat file.
    #[default]
    NotAsked,
    /// Read: the section's field is `Some` (possibly empty).
    Read,
    /// The slice has no such section (e.g. no `__objc_classname` in a
    /// Swift-only or stripped binary, no `__ustring` in most).
    Absent,
    /// `cryptid != 0` and the section lies in the encrypted range.
    Encrypted,
    /// The section is there but could not be read: over its size cap, outside
    /// the file or slice, overlapping the load commands, the code signature or
    /// a section read before it, a malformed segment command, or a read that
    /// the stream cannot serve.
    Unreadable(String),
}

/// The state of `__objc_classname`, by its first name.
pub type ObjcState = SectionState;

/// What [`read_with`] collects besides the code signature, dylibs and encryption.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Read `__objc_classname` (in any segment) of the first slice that has
    /// a readable one (every slice of a fat binary carries the same classes);
    /// at most [`MAX_OBJC_SECTION`] bytes.
    pub objc_classnames: bool,
    /// Read `__TEXT,__cstring` into [`SliceInfo::cstrings`] and
    /// `__TEXT,__ustring` into [`SliceInfo::ustrings`], each from the first
    /// slice that has a readable one; at most [`MAX_CSTRING_SECTION`] bytes each.
    pub cstrings: bool,
}

/// The NUL-separated C strings of an `__objc_classname` section, lossy UTF-8,
/// empty ones skipped, at most [`MAX_OBJC_CLASSES`]. A last string without
/// its NUL is yielded too.
pub fn objc_classnames(section: &[u8]) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    section
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .take(MAX_OBJC_CLASSES)
        .map(String::from_utf8_lossy)
}

/// The NUL-separated C strings of a `__TEXT,__cstring` section, lossy UTF-8,
/// empty ones skipped. A last string without its NUL is yielded too.
pub fn cstrings(section: &[u8]) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    section
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(String::from_utf8_lossy)
}

/// The strings of a `__TEXT,__ustring` section: UTF-16LE, each ended by a
/// zero unit, lossy, empty ones skipped. A last string without its zero unit
/// is yielded too; an odd last byte is ignored.
pub fn ustrings(section: &[u8]) -> impl Iterator<Item = String> + '_ {
    let mut units = section
        .chunks_exact(2)
        .filter_map(|c| <[u8; 2]>::try_from(c).ok())
        .map(u16::from_le_bytes)
        .peekable();
    std::iter::from_fn(move || {
        while units.peek().is_some() {
            let s: Vec<u16> = units.by_ref().take_while(|&u| u != 0).collect();
            if !s.is_empty() {
                return Some(String::from_utf16_lossy(&s));
            }
        }
        None
    })
}

/// Largest code signature read (they are tens of KiB; CMS with chain included).
const MAX_SIGNATURE: usize = 16 << 20;

/// Every slice of a thin or fat Mach-O with its code signature, dylibs and
/// encryption info, in file order. Same as [`read_with`] with default options.
pub fn read(src: &mut dyn Source) -> Result<Vec<SliceInfo>, MachOError> {
    read_with(src, &ReadOptions::default())
}

/// Every slice of a thin or fat Mach-O, in file order, with what `opts` asks for.
///
/// Errors are those of [`read`]: a bad header, load commands or code signature.
/// Trouble with an optional section is never an error, it is recorded in its
/// [`SectionState`].
pub fn read_with(src: &mut dyn Source, opts: &ReadOptions) -> Result<Vec<SliceInfo>, MachOError> {
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
    let reached = head.len() as u64;
    let mut src = HeadFirst { head, src, reached };
    let mut out = Vec::new();
    let mut want = PerSection {
        objc: opts.objc_classnames,
        cstring: opts.cstrings,
        ustring: opts.cstrings,
    };
    for (offset, size) in slices {
        let s = slice(&mut src, offset, size, &want)?;
        want.objc &= s.objc != SectionState::Read;
        want.cstring &= s.cstrings_state != SectionState::Read;
        want.ustring &= s.ustrings_state != SectionState::Read;
        out.push(s);
    }
    Ok(out)
}

/// Serves reads from the already-read head of the file before the stream.
struct HeadFirst<'s> {
    head: Vec<u8>,
    src: &'s mut dyn Source,
    /// End of the furthest read passed on to `src` (at least where a
    /// [`Stream`] stands), so an optional read can be skipped instead of
    /// failing when it would go backwards, whatever the source.
    reached: u64,
}

impl HeadFirst<'_> {
    /// Where `read(offset, len)` would ask `src` to start, if it asks at all.
    fn passes_on(&self, offset: u64, len: usize) -> Option<u64> {
        let head_len = self.head.len() as u64;
        if offset >= head_len {
            return Some(offset);
        }
        let full = self.head.len() == HEAD_LEN;
        (full && offset.saturating_add(len as u64) > head_len).then_some(head_len)
    }

    /// Whether `read(offset, len)` is served without a backward read of `src`.
    fn forward(&self, offset: u64, len: usize) -> bool {
        self.passes_on(offset, len)
            .is_none_or(|from| from >= self.reached)
    }

    fn pass_on(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        let out = self.src.read(offset, len)?;
        self.reached = self.reached.max(offset.saturating_add(out.len() as u64));
        Ok(out)
    }
}

impl Source for HeadFirst<'_> {
    fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        let head_len = self.head.len() as u64;
        if offset >= head_len {
            return self.pass_on(offset, len);
        }
        let start = offset as usize;
        let end = start.saturating_add(len).min(self.head.len());
        let mut out = self.head.get(start..end).unwrap_or(&[]).to_vec();
        // A short head means the file ended there; a full one may continue.
        if out.len() < len && self.head.len() == HEAD_LEN {
            out.extend(self.pass_on(head_len, len - out.len())?);
        }
        Ok(out)
    }
}

const HEAD_LEN: usize = 4096;

/// The optional sections [`read_with`] reads; the order breaks ties between
/// sections at the same offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    ObjcClassname,
    Cstring,
    Ustring,
}

impl Section {
    const ALL: [Section; 3] = [Section::ObjcClassname, Section::Cstring, Section::Ustring];

    /// The section name, and the segment it must lie in (`None`: any).
    fn names(self) -> (&'static [u8], Option<&'static [u8]>) {
        match self {
            Section::ObjcClassname => (OBJC_CLASSNAME, None),
            Section::Cstring => (CSTRING, Some(TEXT)),
            Section::Ustring => (USTRING, Some(TEXT)),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Section::ObjcClassname => "__objc_classname",
            Section::Cstring => "__TEXT,__cstring",
            Section::Ustring => "__TEXT,__ustring",
        }
    }

    fn cap(self) -> usize {
        match self {
            Section::ObjcClassname => MAX_OBJC_SECTION,
            Section::Cstring | Section::Ustring => MAX_CSTRING_SECTION,
        }
    }
}

/// One value per [`Section`], without indexing.
#[derive(Debug, Clone, Default)]
struct PerSection<T> {
    objc: T,
    cstring: T,
    ustring: T,
}

impl<T> PerSection<T> {
    fn get(&self, s: Section) -> &T {
        match s {
            Section::ObjcClassname => &self.objc,
            Section::Cstring => &self.cstring,
            Section::Ustring => &self.ustring,
        }
    }

    fn get_mut(&mut self, s: Section) -> &mut T {
        match s {
            Section::ObjcClassname => &mut self.objc,
            Section::Cstring => &mut self.cstring,
            Section::Ustring => &mut self.ustring,
        }
    }
}

/// Where a slice's section lies, or why it cannot be located.
#[derive(Debug, Default)]
enum Place {
    /// Not asked for in this slice.
    #[default]
    NotWanted,
    /// Slice-relative offset and size.
    At(u64, u64),
    Absent,
    Malformed(String),
}

/// A section's bytes and state.
type Got = (Option<Vec<u8>>, SectionState);

fn slice(
    src: &mut HeadFirst<'_>,
    base: u64,
    size: u64,
    want: &PerSection<bool>,
) -> Result<SliceInfo, MachOError> {
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
    let mut dylibs = Vec::new();
    let mut encryption = None;
    let mut places: PerSection<Place> = PerSection::default();
    for s in Section::ALL {
        if *want.get(s) {
            *places.get_mut(s) = Place::Absent;
        }
    }
    for _ in 0..ncmds {
        let (Some(cmd), Some(len)) = (le32(&cmds, at_cmd), le32(&cmds, at_cmd + 4)) else {
            return Err(bad("load command truncated".into()));
        };
        if len < 8 {
            return Err(bad(format!("load command of {len} bytes")));
        }
        // The whole command, when it lies within sizeofcmds.
        let body = cmds.get(at_cmd..at_cmd.saturating_add(len as usize));
        match cmd {
            LC_CODE_SIGNATURE => {
                let off = u64::from(le32(&cmds, at_cmd + 8).unwrap_or(0));
                let len = le32(&cmds, at_cmd + 12).unwrap_or(0) as usize;
                if off.saturating_add(len as u64) > size || len > MAX_SIGNATURE {
                    return Err(bad(format!(
                        "code signature ({len} bytes at {off}) lies outside the image"
                    )));
                }
                sig_range = Some((off, len));
            }
            LC_LOAD_DYLIB | LC_LOAD_WEAK_DYLIB | LC_REEXPORT_DYLIB | LC_LAZY_LOAD_DYLIB
            | LC_LOAD_UPWARD_DYLIB => {
                let kind = match cmd {
                    LC_LOAD_WEAK_DYLIB => DylibKind::Weak,
                    LC_REEXPORT_DYLIB => DylibKind::Reexport,
                    LC_LAZY_LOAD_DYLIB => DylibKind::Lazy,
                    LC_LOAD_UPWARD_DYLIB => DylibKind::Upward,
                    _ => DylibKind::Load,
                };
                if let Some(name) = body.and_then(dylib_name) {
                    dylibs.push(Dylib { name, kind });
                }
            }
            LC_ENCRYPTION_INFO | LC_ENCRYPTION_INFO_64 if encryption.is_none() => {
                if let Some(b) = body {
                    if let (Some(cryptoff), Some(cryptsize), Some(cryptid)) =
                        (le32(b, 8), le32(b, 12), le32(b, 16))
                    {
                        encryption = Some(EncryptionInfo {
                            cryptoff,
                            cryptsize,
                            cryptid,
                        });
                    }
                }
            }
            // For each wanted section the first one found wins; else the
            // first malformed segment speaks.
            LC_SEGMENT | LC_SEGMENT_64 => {
                for s in Section::ALL {
                    let place = places.get_mut(s);
                    if matches!(place, Place::NotWanted | Place::At(..)) {
                        continue;
                    }
                    match find_section(body, cmd == LC_SEGMENT_64, s) {
                        Ok(Some((off, len))) => *place = Place::At(off, len),
                        Ok(None) => {}
                        Err(what) if matches!(place, Place::Absent) => {
                            *place = Place::Malformed(what)
                        }
                        Err(_) => {}
                    }
                }
            }
            _ => {}
        }
        at_cmd += len as usize;
    }
    let bounds = Bounds {
        base,
        size,
        cmds_end: (header_len + sizeofcmds) as u64,
        sig: sig_range.map(|(off, _)| off),
        encryption,
    };
    let got = read_sections(src, &bounds, places);
    let (objc_bytes, objc) = got.objc;
    let objc_classnames = objc_bytes.map(|d| objc_classnames(&d).map(|c| c.into_owned()).collect());
    let (cstrings, cstrings_state) = got.cstring;
    let (ustrings, ustrings_state) = got.ustring;
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
        dylibs,
        encryption,
        objc_classnames,
        objc,
        cstrings,
        cstrings_state,
        ustrings,
        ustrings_state,
    })
}

/// The install name of a `dylib_command` (`cmd, cmdsize, name.offset,
/// timestamp, current_version, compatibility_version`, then the name): the
/// bytes from `name.offset` to the first NUL or the end of the command.
fn dylib_name(cmd: &[u8]) -> Option<String> {
    let off = le32(cmd, 8)? as usize;
    let rest = cmd.get(off..)?;
    let name = rest.split(|&b| b == 0).next().unwrap_or_default();
    (!name.is_empty()).then(|| String::from_utf8_lossy(name).into_owned())
}

/// The slice-relative offset and size of section `want` of one
/// `LC_SEGMENT(_64)` command, `Ok(None)` when it has none, `Err` when the
/// command (`None`: it runs past sizeofcmds) cannot hold the sections it lists.
fn find_section(
    cmd: Option<&[u8]>,
    wide: bool,
    want: Section,
) -> Result<Option<(u64, u64)>, String> {
    let Some(cmd) = cmd else {
        return Err("segment command runs past the load commands".into());
    };
    // segment_command(_64) and section(_64) sizes, where nsects sits, and
    // where size and offset sit in a section.
    let (head, sect, nsects_at, size_at, off_at) = if wide {
        (72usize, 80usize, 64usize, 40usize, 48usize)
    } else {
        (56, 68, 48, 36, 40)
    };
    let Some(nsects) = le32(cmd, nsects_at) else {
        return Err(format!("segment command of {} bytes", cmd.len()));
    };
    let fits = (nsects as usize)
        .checked_mul(sect)
        .and_then(|n| n.checked_add(head))
        .is_some_and(|n| n <= cmd.len());
    if !fits {
        return Err(format!(
            "segment command of {} bytes lists {nsects} sections",
            cmd.len()
        ));
    }
    let (want_name, want_seg) = want.names();
    for i in 0..nsects as usize {
        let at = head + i * sect;
        let Some(s) = cmd.get(at..at + sect) else {
            break;
        };
        if name16_at(s, 0) != want_name || want_seg.is_some_and(|seg| name16_at(s, 16) != seg) {
            continue;
        }
        let size = if wide {
            let lo = le32(s, size_at).map(u64::from);
            let hi = le32(s, size_at + 4).map(u64::from);
            lo.zip(hi).map(|(lo, hi)| hi << 32 | lo)
        } else {
            le32(s, size_at).map(u64::from)
        };
        let off = le32(s, off_at).map(u64::from);
        return Ok(size.zip(off).map(|(size, off)| (off, size)));
    }
    Ok(None)
}

/// The NUL-padded 16-byte name (sectname, segname) at `at`, up to its NUL.
fn name16_at(d: &[u8], at: usize) -> &[u8] {
    let f = d.get(at..at.saturating_add(16)).unwrap_or_default();
    f.split(|&b| b == 0).next().unwrap_or_default()
}

/// Where a slice's sections may lie: slice-relative, after the load commands
/// (`cmds_end`), before the code signature (`sig`), outside the encrypted range.
struct Bounds {
    /// The slice's offset in the file, and its size.
    base: u64,
    size: u64,
    cmds_end: u64,
    sig: Option<u64>,
    encryption: Option<EncryptionInfo>,
}

/// A located section: what is left to read, or how it ended.
enum Located {
    /// File offset, slice-relative offset, length.
    Read(u64, u64, usize),
    Done(Got),
}

fn unreadable(what: String) -> Got {
    (None, SectionState::Unreadable(what))
}

/// Check section `s` at `place` against the slice's bounds and its cap.
fn locate(s: Section, place: Place, b: &Bounds) -> Located {
    let (off, size) = match place {
        Place::NotWanted => return Located::Done((None, SectionState::NotAsked)),
        Place::Absent => return Located::Done((None, SectionState::Absent)),
        Place::Malformed(what) => return Located::Done(unreadable(what)),
        Place::At(off, size) => (off, size),
    };
    if size == 0 {
        return Located::Done((Some(Vec::new()), SectionState::Read));
    }
    if b.encryption.is_some_and(|e| e.encrypts(off, size)) {
        return Located::Done((None, SectionState::Encrypted));
    }
    let cap = s.cap();
    let what = format!("{} ({size} bytes at {off})", s.label());
    let Some(len) = usize::try_from(size).ok().filter(|&n| n <= cap) else {
        return Located::Done(unreadable(format!(
            "{what} is {} MiB, over the {} MiB cap",
            size.div_ceil(1 << 20),
            cap >> 20
        )));
    };
    let end = off.saturating_add(size);
    if off < b.cmds_end {
        return Located::Done(unreadable(format!("{what} overlaps the load commands")));
    }
    if end > b.size {
        return Located::Done(unreadable(format!("{what} runs past the slice")));
    }
    if b.sig.is_some_and(|sig| end > sig) {
        return Located::Done(unreadable(format!(
            "{what} overlaps or follows the code signature"
        )));
    }
    match b.base.checked_add(off) {
        Some(abs) => Located::Read(abs, off, len),
        None => Located::Done(unreadable(format!("{what} lies outside the file"))),
    }
}

/// Read the wanted sections at `places` in one pass, in offset order (ties in
/// [`Section`] order), so a stream never goes back: a section overlapping one
/// read before it is unreadable.
fn read_sections(
    src: &mut HeadFirst<'_>,
    b: &Bounds,
    mut places: PerSection<Place>,
) -> PerSection<Got> {
    let mut got: PerSection<Got> = PerSection::default();
    let mut todo = Vec::new();
    for s in Section::ALL {
        match locate(s, std::mem::take(places.get_mut(s)), b) {
            Located::Read(abs, off, len) => todo.push((abs, s, off, len)),
            Located::Done(g) => *got.get_mut(s) = g,
        }
    }
    todo.sort_unstable();
    // The furthest end of a section read so far, and which one.
    let mut furthest: Option<(u64, Section)> = None;
    for (abs, s, off, len) in todo {
        let what = format!("{} ({len} bytes at {off})", s.label());
        *got.get_mut(s) = match furthest.filter(|&(end, _)| abs < end) {
            Some((_, by)) => unreadable(format!("{what} overlaps {}", by.label())),
            None if !src.forward(abs, len) => {
                unreadable(format!("{what} lies before data already read"))
            }
            None => {
                let end = abs.saturating_add(len as u64);
                if furthest.is_none_or(|(e, _)| end > e) {
                    furthest = Some((end, s));
                }
                match src.read(abs, len) {
                    Ok(data) if data.len() == len => (Some(data), SectionState::Read),
                    Ok(_) => unreadable(format!("{what} runs past the end of the file")),
                    Err(e) => unreadable(format!("{what}: {e}")),
                }
            }
        };
    }
    got
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

    const CLASSES: &[u8] = b"AlipaySDK\0WXApi\0\0TencentOAuth\0";

    fn le(words: &[u32]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn name16(s: &str) -> [u8; 16] {
        let mut n = [0u8; 16];
        n[..s.len()].copy_from_slice(s.as_bytes());
        n
    }

    /// A dylib_command with its name at `name_off` (24 when `None`).
    fn lc_dylib(cmd: u32, name: &str, name_off: Option<u32>) -> Vec<u8> {
        let mut n = name.as_bytes().to_vec();
        n.push(0);
        n.resize((24 + n.len()).next_multiple_of(8) - 24, 0);
        let size = 24 + n.len() as u32;
        let mut c = le(&[cmd, size, name_off.unwrap_or(24), 2, 0x1_0000, 0x1_0000]);
        c.extend(n);
        c
    }

    fn lc_encryption64(cryptoff: u32, cryptsize: u32, cryptid: u32) -> Vec<u8> {
        le(&[LC_ENCRYPTION_INFO_64, 24, cryptoff, cryptsize, cryptid, 0])
    }

    /// LC_SEGMENT_64 `segname` with sections (sectname, offset, size).
    fn lc_segment64(segname: &str, sects: &[(&str, u32, u64)]) -> Vec<u8> {
        let mut c = le(&[LC_SEGMENT_64, 72 + 80 * sects.len() as u32]);
        c.extend(name16(segname));
        c.extend([0u8; 32]); // vmaddr vmsize fileoff filesize
        c.extend(le(&[5, 5, sects.len() as u32, 0]));
        for &(name, off, size) in sects {
            c.extend(name16(name));
            c.extend(name16(segname));
            c.extend(0u64.to_le_bytes());
            c.extend(size.to_le_bytes());
            c.extend(le(&[off, 0, 0, 0, 2, 0, 0, 0]));
        }
        c
    }

    /// LC_SEGMENT (32-bit) `segname` with sections (sectname, offset, size).
    fn lc_segment32(segname: &str, sects: &[(&str, u32, u32)]) -> Vec<u8> {
        let mut c = le(&[LC_SEGMENT, 56 + 68 * sects.len() as u32]);
        c.extend(name16(segname));
        c.extend(le(&[0, 0, 0, 0, 5, 5, sects.len() as u32, 0]));
        for &(name, off, size) in sects {
            c.extend(name16(name));
            c.extend(name16(segname));
            c.extend(le(&[0, size, off, 0, 0, 0, 2, 0, 0]));
        }
        c
    }

    /// A thin image: header (64-bit unless `cputype` is 12), `cmds`, each
    /// `data` blob at its offset, then the code signature `sig` (if any),
    /// 16-aligned at the end with its LC_CODE_SIGNATURE last.
    fn image(
        cputype: u32,
        cmds: &[Vec<u8>],
        data: &[(usize, &[u8])],
        sig: Option<&[u8]>,
    ) -> Vec<u8> {
        let wide = cputype != 12;
        let mut all: Vec<Vec<u8>> = cmds.to_vec();
        if sig.is_some() {
            all.push(le(&[LC_CODE_SIGNATURE, 16, 0, 0]));
        }
        let sizeofcmds: usize = all.iter().map(Vec::len).sum();
        let mut d = if wide {
            le(&[
                MH_MAGIC_64,
                cputype,
                0,
                2,
                all.len() as u32,
                sizeofcmds as u32,
                0,
                0,
            ])
        } else {
            le(&[
                MH_MAGIC,
                cputype,
                9,
                2,
                all.len() as u32,
                sizeofcmds as u32,
                0,
            ])
        };
        let sig_cmd = d.len() + sizeofcmds - 16;
        d.extend(all.concat());
        for &(at, bytes) in data {
            assert!(at >= d.len(), "data at {at} overlaps what precedes it");
            d.resize(at, 0);
            d.extend_from_slice(bytes);
        }
        if let Some(sig) = sig {
            d.resize(d.len().next_multiple_of(16), 0);
            let off = d.len() as u32;
            d[sig_cmd + 8..sig_cmd + 12].copy_from_slice(&off.to_le_bytes());
            d[sig_cmd + 12..sig_cmd + 16].copy_from_slice(&(sig.len() as u32).to_le_bytes());
            d.extend_from_slice(sig);
        }
        d
    }

    /// A fat file (FAT_MAGIC) of `slices`, each 4 KiB-aligned.
    fn fat(slices: &[(u32, &[u8])]) -> Vec<u8> {
        let mut off = 0x1000usize;
        let mut head = le(&[]);
        head.extend(FAT_MAGIC.to_be_bytes());
        head.extend((slices.len() as u32).to_be_bytes());
        let mut body = Vec::new();
        for &(cputype, data) in slices {
            for w in [cputype, 0, off as u32, data.len() as u32, 12] {
                head.extend(w.to_be_bytes());
            }
            body.resize(off - 0x1000, 0);
            body.extend_from_slice(data);
            off = (0x1000 + body.len()).next_multiple_of(0x1000);
        }
        head.resize(0x1000, 0);
        head.extend(body);
        head
    }

    const OBJC: ReadOptions = ReadOptions {
        objc_classnames: true,
        cstrings: false,
    };
    const STRINGS: ReadOptions = ReadOptions {
        objc_classnames: false,
        cstrings: true,
    };
    const ALL: ReadOptions = ReadOptions {
        objc_classnames: true,
        cstrings: true,
    };
    const ARM64: u32 = 0x0100_000c;
    const CSTRS: &[u8] = b"https://api.example.com/v1\0\0%s.alipay.com\0";

    /// UTF-16LE strings, each with its zero unit, as in `__ustring`.
    fn utf16z(strs: &[&str]) -> Vec<u8> {
        strs.iter()
            .flat_map(|s| s.encode_utf16().chain([0]))
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    /// A source that records the reads it is asked for.
    struct Recorder<S> {
        inner: S,
        reads: Vec<(u64, usize)>,
    }

    impl<S: Source> Source for Recorder<S> {
        fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
            self.reads.push((offset, len));
            self.inner.read(offset, len)
        }
    }

    /// The reads `read_with` asks of a stream over `d`.
    fn reads(d: &[u8], opts: &ReadOptions) -> Vec<(u64, usize)> {
        let mut rec = Recorder {
            inner: Stream::new(d),
            reads: Vec::new(),
        };
        let _ = read_with(&mut rec, opts);
        rec.reads
    }

    /// `read_with` over `&[u8]` and over a `Stream`, which must agree.
    fn both(d: &[u8], opts: &ReadOptions) -> Result<Vec<SliceInfo>, MachOError> {
        let in_place = read_with(&mut &d[..], opts);
        let streamed = read_with(&mut Stream::new(d), opts);
        assert_eq!(in_place, streamed);
        in_place
    }

    /// dylibs + `__TEXT` with `__text` and `__objc_classname` at 0x2000 + `enc`.
    fn rich(enc: Option<Vec<u8>>, sig: Option<&[u8]>) -> Vec<u8> {
        let mut cmds = vec![
            lc_segment64("__PAGEZERO", &[]),
            lc_segment64(
                "__TEXT",
                &[
                    ("__text", 0x1000, 8),
                    ("__objc_classname", 0x2000, CLASSES.len() as u64),
                    ("__cstring", 0x3000, CSTRS.len() as u64),
                    ("__ustring", 0x3800, 10),
                ],
            ),
            lc_dylib(LC_LOAD_DYLIB, "/usr/lib/libz.1.dylib", None),
            lc_dylib(
                LC_LOAD_WEAK_DYLIB,
                "@rpath/AlipaySDK.framework/AlipaySDK",
                None,
            ),
            lc_dylib(LC_REEXPORT_DYLIB, "/usr/lib/libc++.1.dylib", None),
            lc_dylib(LC_LAZY_LOAD_DYLIB, "/usr/lib/libsqlite3.dylib", None),
            lc_dylib(LC_LOAD_UPWARD_DYLIB, "@rpath/Up.framework/Up", None),
        ];
        cmds.extend(enc);
        image(
            0x0100_000c,
            &cmds,
            &[
                (0x1000, &[0xc0, 0x03, 0x5f, 0xd6, 0, 0, 0, 0]),
                (0x2000, CLASSES),
                (0x3000, CSTRS),
                (0x3800, b"W\0X\0\0\0Y\0\0\0"),
            ],
            sig,
        )
    }

    fn names(s: &SliceInfo) -> Vec<&str> {
        s.objc_classnames
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn dylibs_encryption_and_classnames_thin64() {
        let sb = superblob();
        let d = rich(Some(lc_encryption64(0x1000, 0x2000, 0)), Some(&sb));
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(s.len(), 1);
        let s = &s[0];
        let dylibs: Vec<(&str, DylibKind)> =
            s.dylibs.iter().map(|d| (d.name.as_str(), d.kind)).collect();
        assert_eq!(
            dylibs,
            [
                ("/usr/lib/libz.1.dylib", DylibKind::Load),
                ("@rpath/AlipaySDK.framework/AlipaySDK", DylibKind::Weak),
                ("/usr/lib/libc++.1.dylib", DylibKind::Reexport),
                ("/usr/lib/libsqlite3.dylib", DylibKind::Lazy),
                ("@rpath/Up.framework/Up", DylibKind::Upward),
            ]
        );
        assert_eq!(
            s.encryption,
            Some(EncryptionInfo {
                cryptoff: 0x1000,
                cryptsize: 0x2000,
                cryptid: 0
            })
        );
        assert_eq!(s.objc, ObjcState::Read);
        assert_eq!(names(s), ["AlipaySDK", "WXApi", "TencentOAuth"]);
        let cd = s
            .signature
            .as_ref()
            .unwrap()
            .code_directory
            .as_ref()
            .unwrap();
        assert_eq!(cd.identifier.as_deref(), Some("com.example"));

        // Not asked: everything else the same.
        let plain = both(&d, &ReadOptions::default()).unwrap();
        assert_eq!(plain, read(&mut d.as_slice()).unwrap());
        assert_eq!(plain[0].objc, ObjcState::NotAsked);
        assert_eq!(plain[0].objc_classnames, None);
        assert_eq!(plain[0].dylibs, s.dylibs);
        assert_eq!(plain[0].signature, s.signature);

        // No section at all; no encryption command.
        let bare = image(
            0x0100_000c,
            &[lc_segment64("__TEXT", &[("__text", 0x100, 4)])],
            &[],
            None,
        );
        let s = both(&bare, &OBJC).unwrap();
        assert_eq!(
            (s[0].objc.clone(), s[0].encryption),
            (ObjcState::Absent, None)
        );
        // An empty section reads as no names.
        let empty = image(
            0x0100_000c,
            &[lc_segment64("__TEXT", &[("__objc_classname", 0, 0)])],
            &[],
            None,
        );
        let s = both(&empty, &OBJC).unwrap();
        assert_eq!(s[0].objc, ObjcState::Read);
        assert_eq!(s[0].objc_classnames, Some(Vec::new()));
    }

    #[test]
    fn encrypted_section_is_not_read() {
        let sb = superblob();
        let d = rich(Some(lc_encryption64(0x1000, 0x2000, 1)), Some(&sb));
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(s[0].objc, ObjcState::Encrypted);
        assert_eq!(s[0].objc_classnames, None);
        assert_eq!(s[0].encryption.unwrap().cryptid, 1);
        assert!(s[0].signature.is_some());
        // Encrypted, but the range ends where the section starts.
        let d = rich(Some(lc_encryption64(0x1000, 0x1000, 1)), Some(&sb));
        assert_eq!(both(&d, &OBJC).unwrap()[0].objc, ObjcState::Read);
        // 32-bit LC_ENCRYPTION_INFO.
        let d = rich(Some(le(&[LC_ENCRYPTION_INFO, 20, 0x2000, 4, 1])), None);
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(s[0].objc, ObjcState::Encrypted);
        assert_eq!(
            s[0].encryption,
            Some(EncryptionInfo {
                cryptoff: 0x2000,
                cryptsize: 4,
                cryptid: 1
            })
        );
    }

    #[test]
    fn fat_reads_classnames_from_first_readable_slice() {
        let armv7 = image(
            12,
            &[
                lc_segment32(
                    "__TEXT",
                    &[("__objc_classname", 0x1000, CLASSES.len() as u32)],
                ),
                lc_dylib(LC_LOAD_DYLIB, "/usr/lib/libSystem.B.dylib", None),
            ],
            &[(0x1000, CLASSES)],
            None,
        );
        let sb = superblob();
        let arm64 = rich(None, Some(&sb));
        let d = fat(&[(12, &armv7), (0x0100_000c, &arm64)]);
        let s = both(&d, &OBJC).unwrap();
        assert_eq!((s[0].arch.as_str(), s[1].arch.as_str()), ("armv7", "arm64"));
        assert_eq!(s[0].objc, ObjcState::Read);
        assert_eq!(names(&s[0]), ["AlipaySDK", "WXApi", "TencentOAuth"]);
        assert_eq!(s[0].dylibs[0].name, "/usr/lib/libSystem.B.dylib");
        assert_eq!(
            (s[1].objc.clone(), s[1].objc_classnames.clone()),
            (ObjcState::NotAsked, None)
        );
        assert_eq!(s[1].dylibs.len(), 5);
        assert!(s[1].signature.is_some());

        // The first slice's section is encrypted: the second one's is read.
        let enc = rich(Some(lc_encryption64(0, 0x3000, 1)), None);
        let d = fat(&[(0x0100_000c, &enc), (12, &armv7)]);
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(s[0].objc, ObjcState::Encrypted);
        assert_eq!(s[1].objc, ObjcState::Read);

        // The first slice has none: Absent, then Read.
        let bare = image(0x0100_0007, &[lc_segment64("__TEXT", &[])], &[], None);
        let d = fat(&[(0x0100_0007, &bare), (0x0100_000c, &arm64)]);
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(
            (s[0].objc.clone(), s[1].objc.clone()),
            (ObjcState::Absent, ObjcState::Read)
        );
    }

    fn unreadable(s: &SliceInfo) -> bool {
        matches!(s.objc, ObjcState::Unreadable(_)) && s.objc_classnames.is_none()
    }

    #[test]
    fn hostile_section_tables_keep_the_signature() {
        let sb = superblob();
        // nsects far beyond cmdsize, in a 64- and a 32-bit segment.
        let mut seg = lc_segment64("__TEXT", &[("__objc_classname", 0x2000, 4)]);
        seg[64..68].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
        let d = image(0x0100_000c, &[seg], &[(0x2000, b"Foo\0")], Some(&sb));
        let s = both(&d, &OBJC).unwrap();
        assert!(unreadable(&s[0]), "{:?}", s[0].objc);
        assert!(s[0].signature.is_some());
        let s = both(&d, &ALL).unwrap();
        assert!(unreadable(&s[0]) && s[0].signature.is_some());
        assert!(matches!(s[0].cstrings_state, SectionState::Unreadable(_)));
        assert!(matches!(s[0].ustrings_state, SectionState::Unreadable(_)));
        let mut seg = lc_segment32("__TEXT", &[]);
        seg[48..52].copy_from_slice(&1u32.to_le_bytes());
        let d = image(12, &[seg], &[], Some(&sb));
        let s = both(&d, &OBJC).unwrap();
        assert!(unreadable(&s[0]) && s[0].signature.is_some());
        // A segment command too short to hold its own header.
        let d = image(
            0x0100_000c,
            &[le(&[LC_SEGMENT_64, 16, 0, 0])],
            &[],
            Some(&sb),
        );
        let s = both(&d, &OBJC).unwrap();
        assert!(unreadable(&s[0]) && s[0].signature.is_some());
        // A malformed segment before a good one: the good one wins.
        let mut bad = lc_segment64("__BAD", &[]);
        bad[64..68].copy_from_slice(&9u32.to_le_bytes());
        let good = lc_segment64("__TEXT", &[("__objc_classname", 0x1000, 4)]);
        let d = image(0x0100_000c, &[bad, good], &[(0x1000, b"Foo\0")], Some(&sb));
        assert_eq!(names(&both(&d, &OBJC).unwrap()[0]), ["Foo"]);

        let at = |off: u32, size: u64, sig: bool| {
            let seg = lc_segment64("__DATA_CONST", &[("__objc_classname", off, size)]);
            image(
                0x0100_000c,
                &[seg],
                &[(0x1000, b"Foo\0")],
                sig.then_some(&sb[..]),
            )
        };
        // Past EOF, without and with a signature (then it follows the signature).
        for sig in [false, true] {
            let s = both(&at(0x10_0000, 8, sig), &OBJC).unwrap();
            assert!(unreadable(&s[0]), "{:?}", s[0].objc);
            assert_eq!(s[0].signature.is_some(), sig);
        }
        // Runs past EOF by one byte.
        let d = at(0x1000, 4, false);
        let s = both(&at(0x1000, d.len() as u64 - 0x1000 + 1, false), &OBJC).unwrap();
        assert!(unreadable(&s[0]), "{:?}", s[0].objc);
        // Inside the header / load commands.
        assert!(unreadable(&both(&at(0, 8, true), &OBJC).unwrap()[0]));
        // Overlapping the signature.
        let d = at(0x1000, 0x1000, true);
        let s = both(&d, &OBJC).unwrap();
        assert!(unreadable(&s[0]) && s[0].signature.is_some());
        // Too large, and a 64-bit size beyond u32.
        for size in [MAX_OBJC_SECTION as u64 + 1, 1 << 40, u64::MAX] {
            let s = both(&at(0x1000, size, false), &OBJC).unwrap();
            assert!(unreadable(&s[0]), "{:?}", s[0].objc);
        }
        // The section in range in any segment, here __DATA_CONST.
        assert_eq!(
            names(&both(&at(0x1000, 4, true), &OBJC).unwrap()[0]),
            ["Foo"]
        );

        // Name offsets outside their command, or past its end: dylib left out.
        let mut outside = lc_dylib(LC_LOAD_DYLIB, "/usr/lib/libz.1.dylib", Some(0xffff));
        let mut cmds = vec![outside.clone()];
        let end = outside.len() as u32;
        outside[8..12].copy_from_slice(&end.to_le_bytes());
        cmds.push(outside);
        cmds.push(le(&[LC_LOAD_DYLIB, 8])); // no room for name.offset
        cmds.push(lc_dylib(
            LC_LOAD_WEAK_DYLIB,
            "/usr/lib/libc++.1.dylib",
            None,
        ));
        let d = image(0x0100_000c, &cmds, &[], Some(&sb));
        let s = both(&d, &OBJC).unwrap();
        assert_eq!(s[0].dylibs.len(), 1);
        assert_eq!(s[0].dylibs[0].name, "/usr/lib/libc++.1.dylib");
        // A name without its NUL ends with the command.
        let mut c = le(&[LC_LOAD_DYLIB, 32, 24, 0, 0, 0]);
        c.extend(b"/a/bcdefg");
        c.truncate(32);
        let d = image(0x0100_000c, &[c], &[], None);
        assert_eq!(both(&d, &OBJC).unwrap()[0].dylibs[0].name, "/a/bcdef");
    }

    #[test]
    fn mangled_rich_images_never_panic() {
        let sb = superblob();
        let d = rich(Some(lc_encryption64(0x1000, 0x800, 0)), Some(&sb));
        let fat = fat(&[(0x0100_000c, &d), (0x0100_000c, &d)]);
        for good in [d, fat] {
            for cut in (0..good.len()).step_by(7) {
                let _ = both(&good[..cut], &OBJC);
                let _ = both(&good[..cut], &ALL);
            }
            // Every byte of the header and load commands (and fat header).
            for i in 0..0x1000.min(good.len()) {
                let mut m = good.clone();
                m[i] ^= 0xff;
                let _ = both(&m, &OBJC);
                let _ = both(&m, &ALL);
            }
        }
    }

    fn state(s: &SliceInfo) -> [SectionState; 3] {
        [
            s.objc.clone(),
            s.cstrings_state.clone(),
            s.ustrings_state.clone(),
        ]
    }

    #[test]
    fn sections_read_in_one_streamed_pass() {
        use SectionState::{NotAsked, Read};
        let sb = superblob();
        let ustr = utf16z(&["支付宝", "", "Hello"]);
        // Listed out of offset order: read in offset order all the same.
        let d = image(
            ARM64,
            &[
                lc_segment64("__PAGEZERO", &[]),
                lc_segment64(
                    "__TEXT",
                    &[
                        ("__text", 0x1000, 8),
                        ("__ustring", 0x4000, ustr.len() as u64),
                        ("__cstring", 0x3000, CSTRS.len() as u64),
                        ("__objc_classname", 0x2000, CLASSES.len() as u64),
                    ],
                ),
                lc_dylib(LC_LOAD_DYLIB, "/usr/lib/libz.1.dylib", None),
            ],
            &[
                (0x1000, &[0; 8]),
                (0x2000, CLASSES),
                (0x3000, CSTRS),
                (0x4000, &ustr),
            ],
            Some(&sb),
        );
        let sig_at = (d.len() - sb.len()) as u64;
        let s = both(&d, &ALL).unwrap();
        let s = &s[0];
        assert_eq!(state(s), [Read, Read, Read]);
        assert_eq!(names(s), ["AlipaySDK", "WXApi", "TencentOAuth"]);
        assert_eq!(s.cstrings.as_deref(), Some(CSTRS));
        assert_eq!(s.ustrings.as_deref(), Some(&ustr[..]));
        let c: Vec<_> = cstrings(s.cstrings.as_deref().unwrap()).collect();
        assert_eq!(c, ["https://api.example.com/v1", "%s.alipay.com"]);
        let u: Vec<_> = ustrings(s.ustrings.as_deref().unwrap()).collect();
        assert_eq!(u, ["支付宝", "Hello"]);
        assert!(s.signature.is_some() && s.dylibs.len() == 1);
        // One forward pass: head, each section once in offset order, signature.
        assert_eq!(
            reads(&d, &ALL),
            [
                (0, HEAD_LEN),
                (0x2000, CLASSES.len()),
                (0x3000, CSTRS.len()),
                (0x4000, ustr.len()),
                (sig_at, sb.len()),
            ]
        );

        // Only the strings: the class names are not asked for, nor read.
        let only = both(&d, &STRINGS).unwrap();
        assert_eq!(state(&only[0]), [NotAsked, Read, Read]);
        assert_eq!(only[0].objc_classnames, None);
        assert_eq!(only[0].cstrings, s.cstrings);
        assert_eq!(
            reads(&d, &STRINGS),
            [
                (0, HEAD_LEN),
                (0x3000, CSTRS.len()),
                (0x4000, ustr.len()),
                (sig_at, sb.len())
            ]
        );
        // Only the class names: the strings say NotAsked.
        let objc = both(&d, &OBJC).unwrap();
        assert_eq!(state(&objc[0]), [Read, NotAsked, NotAsked]);
        assert_eq!(
            (objc[0].cstrings.clone(), objc[0].ustrings.clone()),
            (None, None)
        );
        // Neither: what `read` gives.
        let plain = both(&d, &ReadOptions::default()).unwrap();
        assert_eq!(plain, read(&mut d.as_slice()).unwrap());
        assert_eq!(state(&plain[0]), [NotAsked, NotAsked, NotAsked]);
        assert_eq!(
            reads(&d, &ReadOptions::default()),
            [(0, HEAD_LEN), (sig_at, sb.len())]
        );

        // Empty sections read as empty; a `__cstring` outside `__TEXT` is not it.
        let d = image(
            ARM64,
            &[
                lc_segment64(
                    "__DATA",
                    &[("__cstring", 0x1000, 4), ("__ustring", 0x1000, 4)],
                ),
                lc_segment64("__TEXT", &[("__cstring", 0, 0)]),
            ],
            &[(0x1000, b"abc\0")],
            None,
        );
        let s = both(&d, &ALL).unwrap();
        assert_eq!(
            state(&s[0]),
            [SectionState::Absent, Read, SectionState::Absent]
        );
        assert_eq!(s[0].cstrings, Some(Vec::new()));
    }

    #[test]
    fn nothing_asked_reads_only_the_load_commands() {
        // Sections well past the head; no signature.
        let small = rich(Some(lc_encryption64(0x1000, 0x800, 0)), None);
        assert_eq!(reads(&small, &ReadOptions::default()), [(0, HEAD_LEN)]);
        let mut rec = Recorder {
            inner: &small[..],
            reads: Vec::new(),
        };
        read_with(&mut rec, &ReadOptions::default()).unwrap();
        assert_eq!(rec.reads, [(0, HEAD_LEN)]);
        // Load commands running past the head: read up to their end, no further.
        let mut cmds = vec![lc_segment64(
            "__TEXT",
            &[("__cstring", 0x8000, 4), ("__objc_classname", 0x8004, 4)],
        )];
        for i in 0..100 {
            cmds.push(lc_dylib(
                LC_LOAD_DYLIB,
                &format!("@rpath/Framework{i:03}.framework/Framework{i:03}"),
                None,
            ));
        }
        let d = image(ARM64, &cmds, &[(0x8000, b"abc\0Foo\0")], None);
        let cmds_end = 32 + le32(&d, 20).unwrap() as usize;
        assert!(cmds_end > HEAD_LEN && cmds_end < 0x8000);
        assert_eq!(
            reads(&d, &ReadOptions::default()),
            [(0, HEAD_LEN), (HEAD_LEN as u64, cmds_end - HEAD_LEN)]
        );
        let s = both(&d, &ALL).unwrap();
        assert_eq!(s[0].dylibs.len(), 100);
        assert_eq!(s[0].cstrings.as_deref(), Some(&b"abc\0"[..]));
        assert_eq!(names(&s[0]), ["Foo"]);
    }

    #[test]
    fn encrypted_strings_are_not_read() {
        use SectionState::{Encrypted, Read};
        // FairPlay range [0x3000, 0x3800): __cstring only.
        let d = rich(Some(lc_encryption64(0x3000, 0x800, 1)), None);
        let s = both(&d, &ALL).unwrap();
        assert_eq!(state(&s[0]), [Read, Encrypted, Read]);
        assert_eq!(s[0].cstrings, None);
        assert_eq!(s[0].ustrings.as_deref(), Some(&b"W\0X\0\0\0Y\0\0\0"[..]));
        assert!(!reads(&d, &ALL).iter().any(|&(o, _)| o == 0x3000));
        // cryptid 0: decrypted, read.
        let d = rich(Some(lc_encryption64(0x3000, 0x800, 0)), None);
        assert_eq!(state(&both(&d, &ALL).unwrap()[0]), [Read, Read, Read]);
        // All of __TEXT encrypted, the App Store way.
        let d = rich(Some(lc_encryption64(0x1000, 0x3000, 1)), None);
        assert_eq!(
            state(&both(&d, &ALL).unwrap()[0]),
            [Encrypted, Encrypted, Encrypted]
        );
    }

    #[test]
    fn oversize_strings_are_unreadable() {
        let at = |size: u64| {
            image(
                ARM64,
                &[lc_segment64(
                    "__TEXT",
                    &[
                        ("__objc_classname", 0x1000, 4),
                        ("__cstring", 0x1004, size),
                        ("__ustring", 0x1004, size),
                    ],
                )],
                &[(0x1000, b"Foo\0abc\0")],
                None,
            )
        };
        for size in [MAX_CSTRING_SECTION as u64 + 1, 1 << 40, u64::MAX] {
            let s = both(&at(size), &ALL).unwrap();
            assert_eq!(names(&s[0]), ["Foo"]);
            for st in [&s[0].cstrings_state, &s[0].ustrings_state] {
                let SectionState::Unreadable(why) = st else {
                    panic!("{st:?}")
                };
                assert!(why.ends_with("MiB, over the 64 MiB cap"), "{why}");
            }
            assert_eq!((s[0].cstrings.clone(), s[0].ustrings.clone()), (None, None));
        }
        let s = both(&at(MAX_CSTRING_SECTION as u64 + 1), &ALL).unwrap();
        assert_eq!(
            s[0].cstrings_state,
            SectionState::Unreadable(format!(
                "__TEXT,__cstring ({} bytes at 4100) is 65 MiB, over the 64 MiB cap",
                MAX_CSTRING_SECTION + 1
            ))
        );
        // Exactly at the cap: read.
        let big = vec![b'a'; MAX_CSTRING_SECTION];
        let d = image(
            ARM64,
            &[lc_segment64(
                "__TEXT",
                &[("__cstring", 0x1000, big.len() as u64)],
            )],
            &[(0x1000, &big)],
            None,
        );
        let s = read_with(&mut Stream::new(&d[..]), &STRINGS).unwrap();
        assert_eq!(s[0].cstrings_state, SectionState::Read);
        assert_eq!(
            s[0].cstrings.as_ref().map(Vec::len),
            Some(MAX_CSTRING_SECTION)
        );
    }

    #[test]
    fn overlapping_sections_leave_the_later_unreadable() {
        use SectionState::{NotAsked, Read};
        let blob = [b'x'; 0x200];
        let with = |sects: &[(&str, u32, u64)]| {
            image(
                ARM64,
                &[lc_segment64("__TEXT", sects)],
                &[(0x2000, &blob)],
                Some(&superblob()),
            )
        };
        let overlaps = |st: &SectionState, by: &str| matches!(st, SectionState::Unreadable(w) if w.ends_with(&format!("overlaps {by}")));
        // __cstring starts inside __objc_classname; __ustring starts where the
        // class names end (it overlaps __cstring, which was not read: fine).
        let d = with(&[
            ("__objc_classname", 0x2000, 0x20),
            ("__cstring", 0x2010, 0x20),
            ("__ustring", 0x2020, 0x10),
        ]);
        let s = both(&d, &ALL).unwrap();
        assert_eq!((&s[0].objc, &s[0].ustrings_state), (&Read, &Read));
        assert!(
            overlaps(&s[0].cstrings_state, "__objc_classname"),
            "{:?}",
            s[0].cstrings_state
        );
        assert_eq!(s[0].cstrings, None);
        assert!(s[0].signature.is_some());
        // The class names not asked for: the strings do not overlap anything read.
        let s = both(&d, &STRINGS).unwrap();
        assert_eq!(
            state(&s[0]),
            [
                NotAsked,
                Read,
                SectionState::Unreadable(
                    "__TEXT,__ustring (16 bytes at 8224) overlaps __TEXT,__cstring".into()
                )
            ]
        );
        // Same range: the tie goes to the earlier kind (__cstring before __ustring).
        let d = with(&[("__ustring", 0x2000, 0x40), ("__cstring", 0x2000, 0x40)]);
        let s = both(&d, &STRINGS).unwrap();
        assert_eq!(s[0].cstrings_state, Read);
        assert!(overlaps(&s[0].ustrings_state, "__TEXT,__cstring"));
        // Nested: the outer one starts first and is read.
        let d = with(&[
            ("__cstring", 0x2010, 0x10),
            ("__ustring", 0x2000, 0x100),
            ("__objc_classname", 0x2100, 0x10),
        ]);
        let s = both(&d, &ALL).unwrap();
        assert_eq!((&s[0].ustrings_state, &s[0].objc), (&Read, &Read));
        assert!(overlaps(&s[0].cstrings_state, "__TEXT,__ustring"));
        // Each read forward, none twice.
        let r = reads(&d, &ALL);
        assert!(
            r.windows(2).all(|w| w[0].0 + w[0].1 as u64 <= w[1].0),
            "{r:?}"
        );
    }

    #[test]
    fn fat_reads_each_section_from_its_first_readable_slice() {
        use SectionState::{Absent, Encrypted, NotAsked, Read};
        // armv7: everything readable.
        let ustr = utf16z(&["armv7"]);
        let armv7 = image(
            12,
            &[lc_segment32(
                "__TEXT",
                &[
                    ("__objc_classname", 0x1000, CLASSES.len() as u32),
                    ("__cstring", 0x1100, CSTRS.len() as u32),
                    ("__ustring", 0x1200, ustr.len() as u32),
                ],
            )],
            &[(0x1000, CLASSES), (0x1100, CSTRS), (0x1200, &ustr)],
            None,
        );
        // arm64: class names readable, __cstring encrypted, no __ustring.
        let arm64 = image(
            ARM64,
            &[
                lc_segment64(
                    "__TEXT",
                    &[("__objc_classname", 0x1000, 4), ("__cstring", 0x2000, 4)],
                ),
                lc_encryption64(0x2000, 0x1000, 1),
            ],
            &[(0x1000, b"Foo\0"), (0x2000, b"abc\0")],
            None,
        );
        let d = fat(&[(ARM64, &arm64), (12, &armv7)]);
        let s = both(&d, &ALL).unwrap();
        assert_eq!(state(&s[0]), [Read, Encrypted, Absent]);
        assert_eq!(state(&s[1]), [NotAsked, Read, Read]);
        assert_eq!(names(&s[0]), ["Foo"]);
        assert_eq!(s[1].objc_classnames, None);
        assert_eq!(s[1].cstrings.as_deref(), Some(CSTRS));
        assert_eq!(s[1].ustrings.as_deref(), Some(&ustr[..]));
        // The finding rule of SectionState's docs.
        let found = s.iter().find_map(|sl| sl.cstrings.as_ref());
        assert_eq!(found.map(Vec::as_slice), Some(CSTRS));

        // Reversed: armv7 serves all three, arm64 is not asked.
        let d = fat(&[(12, &armv7), (ARM64, &arm64)]);
        let s = both(&d, &ALL).unwrap();
        assert_eq!(state(&s[0]), [Read, Read, Read]);
        assert_eq!(state(&s[1]), [NotAsked, NotAsked, NotAsked]);

        // An overlap in the first slice: the second slice's copy is read.
        let bad = image(
            ARM64,
            &[lc_segment64(
                "__TEXT",
                &[("__objc_classname", 0x1000, 8), ("__cstring", 0x1004, 8)],
            )],
            &[(0x1000, b"Foo\0abc\0\0\0\0\0")],
            None,
        );
        let d = fat(&[(ARM64, &bad), (12, &armv7)]);
        let s = both(&d, &ALL).unwrap();
        assert!(matches!(s[0].cstrings_state, SectionState::Unreadable(_)));
        assert_eq!(state(&s[1]), [NotAsked, Read, Read]);
        assert_eq!(s[1].cstrings.as_deref(), Some(CSTRS));
        // Only the strings asked for: the first slice's __cstring is read.
        let s = both(&d, &STRINGS).unwrap();
        assert_eq!(state(&s[0]), [NotAsked, Read, Absent]);
        assert_eq!(state(&s[1]), [NotAsked, NotAsked, Read]);
    }

    #[test]
    fn string_literals() {
        let all: Vec<_> = cstrings(b"\0\0a.com\0b\xffc\0\0tail").collect();
        assert_eq!(all, ["a.com", "b\u{fffd}c", "tail"]);
        assert_eq!(cstrings(b"").count(), 0);
        let mut u = utf16z(&["", "微信", "x"]);
        u.extend([0x3d, 0xd8, 0, 0]); // a lone surrogate
        u.extend([b'z', 0, b'!']); // no terminator, odd byte
        let all: Vec<_> = ustrings(&u).collect();
        assert_eq!(all, ["微信", "x", "\u{fffd}", "z"]);
        assert_eq!(ustrings(b"\0\0\0").count(), 0);
        assert_eq!(ustrings(b"").count(), 0);
    }

    #[test]
    fn classname_strings() {
        let all: Vec<_> = objc_classnames(b"\0\0A\0B\xffC\0\0D").collect();
        assert_eq!(all, ["A", "B\u{fffd}C", "D"]);
        assert_eq!(objc_classnames(b"").count(), 0);
        assert_eq!(objc_classnames(b"\0\0\0").count(), 0);
        let many = b"x\0".repeat(MAX_OBJC_CLASSES + 3);
        assert_eq!(objc_classnames(&many).count(), MAX_OBJC_CLASSES);
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
