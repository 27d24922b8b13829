//! resources.arsc: the compiled resource table (AOSP `ResourceTypes.h`).
//!
//! [`ResourceTable::parse`] only walks chunk headers: the table, its global
//! string pool, each package with its type/key string pools and the headers
//! of its type chunks. Entries are decoded when asked for, so one lookup in
//! framework-res's 30 MB table costs a few chunk reads, not a full decode.
//!
//! Like Android's `LoadedArsc`, a broken chunk structure (a size running past
//! its parent) fails the parse, while a single bad entry offset inside a type
//! chunk only hides that configuration's value.

mod config;

pub use config::{
    density_name, Config, DENSITY_ANY, DENSITY_DEFAULT, DENSITY_MEDIUM, DENSITY_NONE,
};

use crate::apk::res::chunk::{Chunk, ChunkError, ChunkIter, ChunkType};
use crate::apk::res::string_pool::{StringPool, StringPoolError};
use crate::apk::res::value::{DataType, ResValue};
use crate::bytes::{u16_at, u32_at, usize_from, Reader};
use std::borrow::Cow;
use std::cmp::Ordering;
use thiserror::Error;

/// Most items read from one bag (style, array, plurals …).
pub const MAX_BAG_ITEMS: usize = 4096;

const TABLE_HEADER_LEN: usize = 12;
/// `ResTable_package` without `typeIdOffset`.
const PACKAGE_HEADER_MIN: usize = 284;
const PACKAGE_HEADER_FULL: usize = 288;
/// `ResTable_type` up to and including `config.size`.
const TYPE_HEADER_MIN: usize = 24;
/// Offset of `ResTable_config` in a type chunk.
const TYPE_CONFIG_AT: usize = 20;

const TYPE_FLAG_SPARSE: u8 = 0x01;
const TYPE_FLAG_OFFSET16: u8 = 0x02;

const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;

const NO_ENTRY: u32 = 0xffff_ffff;
const NO_ENTRY16: u16 = 0xffff;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ArscError {
    #[error("not a resource table: chunk type 0x{kind:04x} at byte {at}")]
    NotATable { at: usize, kind: u16 },
    #[error("resource table: {0}")]
    Chunk(#[from] ChunkError),
    #[error(
        "resource table: {what} header at byte {at} is {header_size} bytes, shorter than {min}"
    )]
    ShortHeader {
        what: &'static str,
        at: usize,
        header_size: usize,
        min: usize,
    },
    #[error("resource table: string pool at byte {at}: {source}")]
    StringPool {
        at: usize,
        #[source]
        source: StringPoolError,
    },
    #[error("resource 0x{id:08x}: entry at byte {at} {problem}")]
    BadEntry {
        id: u32,
        at: usize,
        problem: &'static str,
    },
}

/// One configuration's value of a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub config: Config,
    pub value: EntryValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EntryValue {
    Simple(ResValue),
    /// A bag (style, array, plurals, attr …): parent and (name, value) items,
    /// at most [`MAX_BAG_ITEMS`] of them.
    Complex {
        parent: u32,
        items: Vec<(u32, ResValue)>,
    },
}

/// Where one type chunk lies (absolute offsets into the table data).
#[derive(Debug, Clone, Copy)]
struct TypeChunk {
    type_id: u8,
    offset: usize,
    size: usize,
}

#[derive(Debug, Clone)]
struct Package<'a> {
    id: u32,
    name: String,
    type_id_offset: u32,
    type_strings: Option<StringPool<'a>>,
    key_strings: Option<StringPool<'a>>,
    /// Sorted by type id, table order kept within one id.
    types: Vec<TypeChunk>,
}

impl Package<'_> {
    fn chunks_of(&self, type_id: u8) -> &[TypeChunk] {
        let lo = self.types.partition_point(|t| t.type_id < type_id);
        let hi = self.types.partition_point(|t| t.type_id <= type_id);
        self.types.get(lo..hi).unwrap_or(&[])
    }
}

/// A parsed (lazily) resources.arsc.
#[derive(Debug, Clone)]
pub struct ResourceTable<'a> {
    data: &'a [u8],
    strings: Option<StringPool<'a>>,
    packages: Vec<Package<'a>>,
    warnings: Vec<String>,
}

impl<'a> ResourceTable<'a> {
    /// Walk the chunk headers of a resources.arsc with the default
    /// [`Limits`](crate::Limits). Entries are not decoded.
    pub fn parse(data: &'a [u8]) -> Result<ResourceTable<'a>, ArscError> {
        ResourceTable::parse_limited(data, crate::Limits::default().max_string_pool)
    }

    /// Walk the chunk headers, refusing a string pool over `max_string_pool` bytes.
    pub fn parse_limited(
        data: &'a [u8],
        max_string_pool: usize,
    ) -> Result<ResourceTable<'a>, ArscError> {
        let mut top = ChunkIter::new(data, 0);
        let table = match top.next() {
            Some(c) => c?,
            None => return Err(ChunkError::Truncated { at: 0 }.into()),
        };
        if table.header.kind != ChunkType::Table {
            return Err(ArscError::NotATable {
                at: 0,
                kind: table.header.raw_kind,
            });
        }
        let header_size = usize::from(table.header.header_size);
        if header_size < TABLE_HEADER_LEN {
            return Err(ArscError::ShortHeader {
                what: "table",
                at: 0,
                header_size,
                min: TABLE_HEADER_LEN,
            });
        }
        let mut out = ResourceTable {
            data,
            strings: None,
            packages: Vec::new(),
            warnings: Vec::new(),
        };
        if table.data.len() < data.len() {
            out.warnings.push(format!(
                "{} bytes after the resource table chunk ignored",
                data.len() - table.data.len()
            ));
        }
        for child in ChunkIter::new(table.body(), header_size) {
            let child = child?;
            let at = child.offset.saturating_add(header_size);
            match child.header.kind {
                ChunkType::StringPool if out.strings.is_none() => {
                    let pool = StringPool::parse_limited(child.data, max_string_pool)
                        .map_err(|source| ArscError::StringPool { at, source })?;
                    if let Some(n) = pool.clamped_from() {
                        out.warnings.push(format!(
                            "global string pool at byte {at} claims {n} strings, holds {}",
                            pool.len()
                        ));
                    }
                    out.strings = Some(pool);
                }
                ChunkType::TablePackage => {
                    let pkg = parse_package(child, at, max_string_pool, &mut out.warnings)?;
                    out.packages.push(pkg);
                }
                _ => out.warnings.push(format!(
                    "unexpected chunk type 0x{:04x} at byte {at} in the resource table, skipped",
                    child.header.raw_kind
                )),
            }
        }
        Ok(out)
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Global value string pool (TYPE_STRING values index into it).
    pub fn string(&self, index: u32) -> Option<Cow<'a, str>> {
        self.strings.as_ref()?.get_opt(index)
    }

    /// (id, name) of each package, in table order.
    pub fn packages(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.packages.iter().map(|p| (p.id, p.name.as_str()))
    }

    fn package(&self, id: u32) -> Option<&Package<'a>> {
        let pkg_id = id >> 24;
        match self.packages.iter().find(|p| p.id == pkg_id) {
            Some(p) => Some(p),
            None => match self.packages.as_slice() {
                [only] => Some(only),
                _ => None,
            },
        }
    }

    fn chunk(&self, t: &TypeChunk) -> &'a [u8] {
        let end = t.offset.saturating_add(t.size);
        self.data.get(t.offset..end).unwrap_or(&[])
    }

    /// Every configuration's value of resource `id` (0xPPTTEEEE), in table
    /// order. Empty when absent. Configurations whose entry is malformed are
    /// skipped (as Android does); the error is returned only when nothing
    /// usable was found but something malformed was.
    pub fn entries(&self, id: u32) -> Result<Vec<Entry>, ArscError> {
        let mut out = Vec::new();
        let mut first_err = None;
        let Some(pkg) = self.package(id) else {
            return Ok(out);
        };
        let type_id = ((id >> 16) & 0xff) as u8;
        let index = id & 0xffff;
        for t in pkg.chunks_of(type_id) {
            let chunk = self.chunk(t);
            let Some(view) = TypeView::new(chunk) else {
                continue;
            };
            let Some(pos) = view.entry_pos(index) else {
                continue;
            };
            match decode_entry(chunk, pos) {
                Ok(value) => out.push(Entry {
                    config: view.config(),
                    value,
                }),
                Err(problem) => {
                    first_err.get_or_insert(ArscError::BadEntry {
                        id,
                        at: t.offset.saturating_add(pos),
                        problem,
                    });
                }
            }
        }
        match first_err {
            Some(e) if out.is_empty() => Err(e),
            _ => Ok(out),
        }
    }

    /// "type/key" name of a resource (e.g. "mipmap/ic_launcher").
    pub fn name(&self, id: u32) -> Option<String> {
        let pkg = self.package(id)?;
        let type_id = ((id >> 16) & 0xff) as u8;
        let index = id & 0xffff;
        let type_index = u32::from(type_id)
            .checked_sub(1)?
            .checked_sub(pkg.type_id_offset)?;
        let type_name = pkg.type_strings.as_ref()?.get_opt(type_index)?;
        let key = pkg.chunks_of(type_id).iter().find_map(|t| {
            let chunk = self.chunk(t);
            let pos = TypeView::new(chunk)?.entry_pos(index)?;
            entry_key(chunk, pos)
        })?;
        let key_name = pkg.key_strings.as_ref()?.get_opt(key)?;
        Some(format!("{type_name}/{key_name}"))
    }

    /// Every locale present in any type chunk's config, BCP-47, sorted and
    /// deduplicated. Reads only the configs.
    pub fn locales(&self) -> Vec<String> {
        let mut set = std::collections::BTreeSet::new();
        for pkg in &self.packages {
            for t in &pkg.types {
                if let Some(l) = TypeView::new(self.chunk(t)).and_then(|v| v.config().locale()) {
                    set.insert(l);
                }
            }
        }
        set.into_iter().collect()
    }

    /// Every resource id that has an entry in at least one configuration,
    /// sorted. Reads only the type chunks' offset arrays.
    pub fn resource_ids(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        for pkg in &self.packages {
            let pkg_byte = (pkg.id & 0xff) << 24;
            for t in &pkg.types {
                let Some(view) = TypeView::new(self.chunk(t)) else {
                    continue;
                };
                let type_bits = u32::from(t.type_id) << 16;
                view.for_each_index(|i| ids.push(pkg_byte | type_bits | i));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Package chunk: header fields, string pools and the type chunk index.
fn parse_package<'a>(
    chunk: Chunk<'a>,
    at: usize,
    max_string_pool: usize,
    warnings: &mut Vec<String>,
) -> Result<Package<'a>, ArscError> {
    let header_size = usize::from(chunk.header.header_size);
    if header_size < PACKAGE_HEADER_MIN {
        return Err(ArscError::ShortHeader {
            what: "package",
            at,
            header_size,
            min: PACKAGE_HEADER_MIN,
        });
    }
    let d = chunk.data;
    let field = |off: usize| u32_at(d, off).unwrap_or(0);
    let id = field(8);
    let name_units = (0..128usize)
        .map_while(|i| u16_at(d, 12 + 2 * i))
        .take_while(|&u| u != 0);
    let name: String = char::decode_utf16(name_units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    let type_strings_at = usize_from(field(268));
    let key_strings_at = usize_from(field(276));
    let type_id_offset = if header_size >= PACKAGE_HEADER_FULL {
        field(284)
    } else {
        0
    };
    let mut pkg = Package {
        id,
        name,
        type_id_offset,
        type_strings: None,
        key_strings: None,
        types: Vec::new(),
    };
    let body_at = at.saturating_add(header_size);
    for child in ChunkIter::new(chunk.body(), body_at) {
        let child = child?;
        let rel = child.offset.saturating_add(header_size);
        let abs = at.saturating_add(rel);
        match child.header.kind {
            ChunkType::StringPool => {
                let pool = StringPool::parse_limited(child.data, max_string_pool)
                    .map_err(|source| ArscError::StringPool { at: abs, source })?;
                // Pools are told apart by the offsets in the header; files
                // with bogus offsets get the first pool as types, then keys.
                let slot = if rel == type_strings_at {
                    &mut pkg.type_strings
                } else if rel == key_strings_at {
                    &mut pkg.key_strings
                } else if pkg.type_strings.is_none() {
                    &mut pkg.type_strings
                } else {
                    &mut pkg.key_strings
                };
                if slot.is_some() {
                    warnings.push(format!(
                        "extra string pool at byte {abs} in package 0x{id:02x}, skipped"
                    ));
                } else {
                    *slot = Some(pool);
                }
            }
            ChunkType::TableType => {
                let hs = usize::from(child.header.header_size);
                let type_id = child.data.get(8).copied().unwrap_or(0);
                if hs < TYPE_HEADER_MIN {
                    warnings.push(format!(
                        "type chunk at byte {abs}: header is {hs} bytes, shorter than {TYPE_HEADER_MIN}; skipped"
                    ));
                } else if type_id == 0 {
                    warnings.push(format!("type chunk at byte {abs} has type id 0; skipped"));
                } else {
                    pkg.types.push(TypeChunk {
                        type_id,
                        offset: abs,
                        size: child.data.len(),
                    });
                }
            }
            ChunkType::TableTypeSpec
            | ChunkType::TableLibrary
            | ChunkType::TableOverlayable
            | ChunkType::TableOverlayablePolicy
            | ChunkType::TableStagedAlias => {}
            _ => warnings.push(format!(
                "unknown chunk type 0x{:04x} at byte {abs} in package 0x{id:02x}, skipped",
                child.header.raw_kind
            )),
        }
    }
    // Stable: configurations keep their table order within a type.
    pkg.types.sort_by_key(|t| t.type_id);
    Ok(pkg)
}

/// The header of one `ResTable_type` chunk, with counts clamped to its bytes.
struct TypeView<'a> {
    chunk: &'a [u8],
    flags: u8,
    /// Start of the offsets array (the header size).
    offsets_at: usize,
    /// Entries in the offsets array, clamped to what the chunk holds.
    count: usize,
    entries_start: usize,
}

impl<'a> TypeView<'a> {
    fn new(chunk: &'a [u8]) -> Option<TypeView<'a>> {
        let header_size = usize::from(u16_at(chunk, 2)?);
        if header_size < TYPE_HEADER_MIN || header_size > chunk.len() {
            return None;
        }
        let flags = *chunk.get(9)?;
        let declared = usize_from(u32_at(chunk, 12)?);
        let entries_start = usize_from(u32_at(chunk, 16)?);
        let width = if flags & TYPE_FLAG_SPARSE != 0 {
            4
        } else if flags & TYPE_FLAG_OFFSET16 != 0 {
            2
        } else {
            4
        };
        // The offsets lie between the header and the entries.
        let limit = if entries_start >= header_size && entries_start <= chunk.len() {
            entries_start
        } else {
            chunk.len()
        };
        let room = (limit - header_size) / width;
        Some(TypeView {
            chunk,
            flags,
            offsets_at: header_size,
            count: declared.min(room),
            entries_start,
        })
    }

    fn config(&self) -> Config {
        let cfg = self.chunk.get(..self.offsets_at).unwrap_or(&[]);
        Config::parse_at(cfg, TYPE_CONFIG_AT)
    }

    /// Entry offset (relative to `entries_start`) stored at slot `slot`.
    fn offset_at_slot(&self, slot: usize) -> Option<usize> {
        if self.flags & TYPE_FLAG_SPARSE != 0 {
            let v = u16_at(
                self.chunk,
                self.offsets_at
                    .checked_add(slot.checked_mul(4)?.checked_add(2)?)?,
            )?;
            Some(usize::from(v) * 4)
        } else if self.flags & TYPE_FLAG_OFFSET16 != 0 {
            let v = u16_at(
                self.chunk,
                self.offsets_at.checked_add(slot.checked_mul(2)?)?,
            )?;
            (v != NO_ENTRY16).then_some(usize::from(v) * 4)
        } else {
            let v = u32_at(
                self.chunk,
                self.offsets_at.checked_add(slot.checked_mul(4)?)?,
            )?;
            (v != NO_ENTRY).then_some(usize_from(v))
        }
    }

    fn sparse_index(&self, slot: usize) -> Option<u16> {
        u16_at(
            self.chunk,
            self.offsets_at.checked_add(slot.checked_mul(4)?)?,
        )
    }

    /// Position of entry `index` within the chunk, or `None` when the
    /// configuration has no such entry (or its offset is unusable).
    fn entry_pos(&self, index: u32) -> Option<usize> {
        let rel = if self.flags & TYPE_FLAG_SPARSE != 0 {
            let want = u16::try_from(index).ok()?;
            // Binary search over the sorted (idx, offset/4) pairs.
            let (mut lo, mut hi) = (0usize, self.count);
            let mut found = None;
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match self.sparse_index(mid)?.cmp(&want) {
                    Ordering::Less => lo = mid + 1,
                    Ordering::Greater => hi = mid,
                    Ordering::Equal => {
                        found = Some(mid);
                        break;
                    }
                }
            }
            self.offset_at_slot(found?)?
        } else {
            let slot = usize_from(index);
            if slot >= self.count {
                return None;
            }
            self.offset_at_slot(slot)?
        };
        if rel % 4 != 0 {
            return None;
        }
        let pos = self.entries_start.checked_add(rel)?;
        // Room for at least the 8-byte entry header.
        (pos.checked_add(8)? <= self.chunk.len()).then_some(pos)
    }

    /// Call `f` with every entry index present in this chunk.
    fn for_each_index(&self, mut f: impl FnMut(u32)) {
        for slot in 0..self.count {
            let index = if self.flags & TYPE_FLAG_SPARSE != 0 {
                match self.sparse_index(slot) {
                    Some(i) => u32::from(i),
                    None => break,
                }
            } else {
                if self.offset_at_slot(slot).is_none() {
                    continue;
                }
                match u32::try_from(slot) {
                    Ok(i) if i <= 0xffff => i,
                    _ => break,
                }
            };
            f(index);
        }
    }
}

/// The key-string index of the entry at `pos`.
fn entry_key(chunk: &[u8], pos: usize) -> Option<u32> {
    let flags = u16_at(chunk, pos.checked_add(2)?)?;
    if flags & ENTRY_FLAG_COMPACT != 0 {
        u16_at(chunk, pos).map(u32::from)
    } else {
        u32_at(chunk, pos.checked_add(4)?)
    }
}

/// Decode the `ResTable_entry` at `pos` (bounded by `chunk`).
fn decode_entry(chunk: &[u8], pos: usize) -> Result<EntryValue, &'static str> {
    const TRUNC: &str = "runs past the end of its type chunk";
    let size = usize::from(u16_at(chunk, pos).ok_or(TRUNC)?);
    let flags = u16_at(chunk, pos.saturating_add(2)).ok_or(TRUNC)?;
    if flags & ENTRY_FLAG_COMPACT != 0 {
        // { u16 key; u16 flags (dataType in the high byte); u32 data }
        let data = u32_at(chunk, pos.saturating_add(4)).ok_or(TRUNC)?;
        return Ok(EntryValue::Simple(ResValue {
            data_type: DataType::from((flags >> 8) as u8),
            data,
        }));
    }
    if flags & ENTRY_FLAG_COMPLEX != 0 {
        if size < 16 {
            return Err("is a bag with a header shorter than 16 bytes");
        }
        let parent = u32_at(chunk, pos.saturating_add(8)).ok_or(TRUNC)?;
        let count = usize_from(u32_at(chunk, pos.saturating_add(12)).ok_or(TRUNC)?);
        let maps_at = pos.checked_add(size).ok_or(TRUNC)?;
        let maps = chunk.get(maps_at..).ok_or(TRUNC)?;
        let n = count.min(maps.len() / 12).min(MAX_BAG_ITEMS);
        let mut items = Vec::with_capacity(n);
        let mut r = Reader::with_base(maps, maps_at);
        for _ in 0..n {
            let name = r.u32().map_err(|_| TRUNC)?;
            let value = ResValue::read(&mut r).map_err(|_| TRUNC)?;
            items.push((name, value));
        }
        return Ok(EntryValue::Complex { parent, items });
    }
    if size < 8 {
        return Err("has a header shorter than 8 bytes");
    }
    let value_at = pos.checked_add(size).ok_or(TRUNC)?;
    let mut r = Reader::with_base(chunk.get(value_at..).ok_or(TRUNC)?, value_at);
    let value = ResValue::read(&mut r).map_err(|_| TRUNC)?;
    Ok(EntryValue::Simple(value))
}

/// How well `density` serves a device of `requested` dpi, aapt's way:
/// `Less` means `a` is the better choice.
fn density_order(a: u16, b: u16, requested: u16) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let norm = |d: u16| {
        if d == DENSITY_DEFAULT {
            i64::from(DENSITY_MEDIUM)
        } else {
            i64::from(d)
        }
    };
    let (ta, tb) = (norm(a), norm(b));
    if a == DENSITY_ANY {
        return Ordering::Less;
    }
    if b == DENSITY_ANY {
        return Ordering::Greater;
    }
    let req = i64::from(requested);
    let (h, l, a_bigger) = if ta >= tb {
        (ta, tb, true)
    } else {
        (tb, ta, false)
    };
    if h == l {
        return Ordering::Equal;
    }
    // Scaling down is better than scaling up.
    let prefer_bigger = if req >= h {
        true
    } else if l >= req {
        false
    } else {
        (2 * l - req) * h <= req * req
    };
    if prefer_bigger == a_bigger {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

/// Pick the best entry for a locale (`None` = a device with no locale): an
/// exact locale match first, then the same language with no region, then a
/// configuration with no locale. Among ties: the fewest other qualifiers
/// (density and version not counted), then the density aapt would pick for
/// an mdpi device (anydpi first, then scaling down over scaling up), then the
/// highest sdkVersion. `None` when no configuration qualifies.
pub fn best_for_locale<'e>(entries: &'e [Entry], locale: Option<&str>) -> Option<&'e Entry> {
    let want = locale.map(|l| l.replace('_', "-").to_ascii_lowercase());
    let want_lang = want
        .as_deref()
        .map(|l| l.split('-').next().unwrap_or(l).to_string());
    let tier = |e: &Entry| -> Option<u8> {
        // Cheap rejections first: this runs for every locale × configuration.
        if e.config.language == [0, 0] {
            return Some(2);
        }
        let want_lang = want_lang.as_deref()?;
        // Two-letter languages are stored as two ASCII bytes: compare them
        // without building strings (packed three-letter ones have the high bit).
        let raw = e.config.language;
        if raw[0] & 0x80 == 0 {
            if !raw.iter().map(u8::to_ascii_lowercase).eq(want_lang.bytes()) {
                return None;
            }
        } else if e
            .config
            .language()
            .map(|l| l.to_ascii_lowercase())
            .as_deref()
            != Some(want_lang)
        {
            return None;
        }
        let have = e.config.locale().map(|l| l.to_ascii_lowercase());
        match (&have, &want) {
            (None, _) => Some(2),
            (Some(h), Some(w)) if h == w => Some(0),
            (Some(_), Some(_)) => {
                // The language matched above.
                let same_lang = true;
                let bare = e.config.region().is_none()
                    && e.config.script().is_none()
                    && e.config.variant().is_none();
                (same_lang && bare).then_some(1)
            }
            (Some(_), None) => None,
        }
    };
    let mut best: Option<(u8, &Entry)> = None;
    for e in entries {
        let Some(t) = tier(e) else { continue };
        let better = match best {
            None => true,
            Some((bt, b)) => {
                let ord = t
                    .cmp(&bt)
                    .then_with(|| {
                        e.config
                            .other_qualifier_count()
                            .cmp(&b.config.other_qualifier_count())
                    })
                    .then_with(|| density_order(e.config.density, b.config.density, DENSITY_MEDIUM))
                    .then_with(|| b.config.sdk_version.cmp(&e.config.sdk_version));
                ord == Ordering::Less
            }
        };
        if better {
            best = Some((t, e));
        }
    }
    best.map(|(_, e)| e)
}

#[cfg(test)]
mod tests;
