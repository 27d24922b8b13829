//! resources.index: the compiled resource table restool writes into every
//! HarmonyOS / OpenHarmony package (.hap, .hsp).
//!
//! Two layouts, told apart by the version string at byte 0. All numbers are
//! little-endian; "offset" always means from the start of the file.
//!
//! V1, "Restool x.y" (restool `SaveToResouorceIndex`, read by
//! global_resource_management `HapParserV1`):
//!
//! | at   | what                                                              |
//! |------|-------------------------------------------------------------------|
//! | 0    | char[128] version, NUL padded                                     |
//! | 128  | u32 file size                                                     |
//! | 132  | u32 config count                                                  |
//! | 136  | per config: `KEYS`, u32 offset of its IDSS, u32 n, n × {u32 key type, u32 value} |
//! | …    | per config: `IDSS`, u32 n, n × {u32 resource id, u32 offset of its record} |
//! | …    | records: u32 size (not counting itself), u32 resource type, u32 id, u16 len + value + NUL, u16 len + name + NUL (each len counts its NUL) |
//!
//! V2, "RestoolV2 x.y" (restool `SaveToNewResouorceIndex`, read by
//! `HapParserV2` / `HapResourceV2`):
//!
//! | at   | what                                                              |
//! |------|-------------------------------------------------------------------|
//! | 0    | char[128] version                                                 |
//! | 128  | u32 file size                                                     |
//! | 132  | u32 config count                                                  |
//! | 136  | u32 offset of the DATA block                                      |
//! | 140  | per config: `KEYS`, u32 config id, u32 n, n × {u32 key type, u32 value} |
//! | …    | `IDSS`, u32 block length, u32 type count, u32 id count; per type: u32 resource type, u32 length (with this header), u32 n, n × {u32 id, u32 offset of its ResInfo, u32 name length, name (no NUL)} |
//! | DATA | `DATA`, u32 block length, u32 id count; per id a ResInfo: u32 id, u32 length, u32 n, n × {u32 config id, u32 offset of the value} |
//! | …    | values: u16 length + bytes (no NUL)                               |
//!
//! A key param's value for language, script and region is the tag's ASCII
//! bytes folded big-endian into the u32 ("en" = 0x656E, stored `6e 65 00
//! 00`); for the other keys it is a number (density in dpi, device type,
//! colour mode …). Array values (string arrays, plurals, themes, patterns)
//! are u16 length + bytes + NUL per item, the length not counting the NUL.
//!
//! [`ResIndex::parse`] checks the header, every config and the id tables;
//! records and values are read when asked for, each read bounds-checked, so
//! one broken record fails only its own [`Entry`].

use crate::bytes::{slice_at, u32_at, usize_from, Reader, Truncated};
use std::borrow::Cow;
use thiserror::Error;

/// Most configs, key params, ids or values one count may claim; far more
/// than restool writes for any app, and each is also bounded by the bytes
/// that would have to hold it.
pub const MAX_COUNT: usize = 1 << 20;

const VERSION_LEN: usize = 128;
/// V1 `ResHeader`: version, file size, config count.
const V1_HEADER_LEN: usize = 136;
/// V2 `ResIndexHeader`: version, file size, config count, DATA offset.
const V2_HEADER_LEN: usize = 140;
const KEY_PARAM_LEN: usize = 8;
/// V1 `KEYS` + offset + count, V2 `KEYS` + config id + count.
const KEYS_LEN: usize = 12;
const ID_PARAM_LEN: usize = 8;
const IDSS_V2_LEN: usize = 16;
const TYPE_INFO_LEN: usize = 12;
const RES_ITEM_LEN: usize = 12;
const DATA_LEN: usize = 12;
/// ResInfo: id, length, value count.
const RES_INFO_LEN: usize = 12;
const CONFIG_ITEM_LEN: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ResIndexError {
    #[error("resources.index: {0}")]
    Truncated(#[from] Truncated),
    #[error("not a resources.index: version {version:?} at byte 0 is neither \"Restool …\" nor \"RestoolV2 …\"")]
    NotResIndex { version: String },
    #[error("resources.index: file size {declared} at byte 128 is not between {min} and the {len} bytes there are")]
    FileSize {
        declared: u32,
        min: usize,
        len: usize,
    },
    #[error("resources.index: expected {expected:?} at byte {at}, found {found:?}")]
    Tag {
        at: usize,
        expected: &'static str,
        found: String,
    },
    #[error("resources.index: {what} count {count} at byte {at} is more than the {room} bytes after it can hold (or over {MAX_COUNT})")]
    Count {
        at: usize,
        what: &'static str,
        count: u32,
        room: usize,
    },
    #[error("resources.index: {what} offset {offset} at byte {at} is outside the {len}-byte file")]
    Offset {
        at: usize,
        what: &'static str,
        offset: u32,
        len: usize,
    },
    #[error("resources.index: {what} length {length} at byte {at} {problem}")]
    Length {
        at: usize,
        what: &'static str,
        length: u32,
        problem: &'static str,
    },
    #[error("resources.index: {what} at byte {at} is for resource 0x{found:08x}, but it was reached from resource 0x{expected:08x}")]
    IdMismatch {
        at: usize,
        what: &'static str,
        expected: u32,
        found: u32,
    },
    #[error("resources.index: config id {config_id} at byte {at} names no KEYS block")]
    UnknownConfig { at: usize, config_id: u32 },
    #[error("resources.index: config id {config_id} at byte {at} is given to two KEYS blocks")]
    DuplicateConfig { at: usize, config_id: u32 },
    #[error("resources.index: the IDSS block ends at byte {ids_end}, but byte 136 puts the DATA block at {data_at}")]
    DataBlock { ids_end: usize, data_at: u32 },
}

/// Which of restool's two file layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// "Restool x.y": KEYS, one IDSS per config, one record per value.
    V1,
    /// "RestoolV2 x.y": KEYS with config ids, one IDSS, a DATA block.
    V2,
}

/// What a key param qualifies (global_resource_management `KeyType`;
/// restool's names in brackets where they differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// 0 (LANGUAGE): "en", "zh".
    Language,
    /// 1: "US", "CN", "419".
    Region,
    /// 2 (RESOLUTION): dpi, see [`density_name`].
    ScreenDensity,
    /// 3 (ORIENTATION): 0 vertical, 1 horizontal.
    Direction,
    /// 4: see [`device_type_name`].
    DeviceType,
    /// 5: "Hans", "Latn".
    Script,
    /// 6 (NIGHTMODE): 0 dark, 1 light.
    ColorMode,
    /// 7: mobile country code.
    Mcc,
    /// 8: mobile network code.
    Mnc,
    /// 10: 0 pointing device.
    InputDevice,
    Unknown(u32),
}

impl KeyType {
    pub fn from_u32(v: u32) -> KeyType {
        match v {
            0 => KeyType::Language,
            1 => KeyType::Region,
            2 => KeyType::ScreenDensity,
            3 => KeyType::Direction,
            4 => KeyType::DeviceType,
            5 => KeyType::Script,
            6 => KeyType::ColorMode,
            7 => KeyType::Mcc,
            8 => KeyType::Mnc,
            10 => KeyType::InputDevice,
            other => KeyType::Unknown(other),
        }
    }

    pub fn to_u32(self) -> u32 {
        match self {
            KeyType::Language => 0,
            KeyType::Region => 1,
            KeyType::ScreenDensity => 2,
            KeyType::Direction => 3,
            KeyType::DeviceType => 4,
            KeyType::Script => 5,
            KeyType::ColorMode => 6,
            KeyType::Mcc => 7,
            KeyType::Mnc => 8,
            KeyType::InputDevice => 10,
            KeyType::Unknown(v) => v,
        }
    }
}

/// A resource's type (global_resource_management `ResType`, restool's
/// `ResType` for 0 and 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResType {
    /// 0 (restool ELEMENT, runtime VALUES).
    Element,
    Animation,
    Drawable,
    Layout,
    Menu,
    Mipmap,
    /// 6: rawfile.
    Raw,
    Xml,
    Integer,
    /// 9.
    String,
    /// 10: string array.
    StrArray,
    IntArray,
    Boolean,
    Dimen,
    /// 14.
    Color,
    Id,
    Theme,
    /// 17.
    Plural,
    Float,
    /// 19: a path inside the package.
    Media,
    /// 20: profile, a path to a JSON file.
    Profile,
    Svg,
    Pattern,
    Symbol,
    /// 24: resfile (restool only).
    Res,
    Unknown(u32),
}

impl ResType {
    pub fn from_u32(v: u32) -> ResType {
        match v {
            0 => ResType::Element,
            1 => ResType::Animation,
            2 => ResType::Drawable,
            3 => ResType::Layout,
            4 => ResType::Menu,
            5 => ResType::Mipmap,
            6 => ResType::Raw,
            7 => ResType::Xml,
            8 => ResType::Integer,
            9 => ResType::String,
            10 => ResType::StrArray,
            11 => ResType::IntArray,
            12 => ResType::Boolean,
            13 => ResType::Dimen,
            14 => ResType::Color,
            15 => ResType::Id,
            16 => ResType::Theme,
            17 => ResType::Plural,
            18 => ResType::Float,
            19 => ResType::Media,
            20 => ResType::Profile,
            21 => ResType::Svg,
            22 => ResType::Pattern,
            23 => ResType::Symbol,
            24 => ResType::Res,
            other => ResType::Unknown(other),
        }
    }

    pub fn to_u32(self) -> u32 {
        match self {
            ResType::Element => 0,
            ResType::Animation => 1,
            ResType::Drawable => 2,
            ResType::Layout => 3,
            ResType::Menu => 4,
            ResType::Mipmap => 5,
            ResType::Raw => 6,
            ResType::Xml => 7,
            ResType::Integer => 8,
            ResType::String => 9,
            ResType::StrArray => 10,
            ResType::IntArray => 11,
            ResType::Boolean => 12,
            ResType::Dimen => 13,
            ResType::Color => 14,
            ResType::Id => 15,
            ResType::Theme => 16,
            ResType::Plural => 17,
            ResType::Float => 18,
            ResType::Media => 19,
            ResType::Profile => 20,
            ResType::Svg => 21,
            ResType::Pattern => 22,
            ResType::Symbol => 23,
            ResType::Res => 24,
            ResType::Unknown(v) => v,
        }
    }

    /// The name used in `$type:name` references and resource directories.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            ResType::Element => "element",
            ResType::Raw => "rawfile",
            ResType::Integer => "integer",
            ResType::String => "string",
            ResType::StrArray => "strarray",
            ResType::IntArray => "intarray",
            ResType::Boolean => "boolean",
            ResType::Color => "color",
            ResType::Id => "id",
            ResType::Theme => "theme",
            ResType::Plural => "plural",
            ResType::Float => "float",
            ResType::Media => "media",
            ResType::Profile => "profile",
            ResType::Pattern => "pattern",
            ResType::Symbol => "symbol",
            ResType::Res => "resfile",
            _ => return None,
        })
    }

    /// Whether the value is a list of items (`IdItem::IsArrayOfType`);
    /// read them with [`Entry::items`].
    pub fn is_array(self) -> bool {
        matches!(
            self,
            ResType::StrArray
                | ResType::IntArray
                | ResType::Theme
                | ResType::Plural
                | ResType::Pattern
        )
    }
}

/// One qualifier of a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyParam {
    pub key: KeyType,
    pub value: u32,
}

/// One configuration (a qualifier directory such as `zh_Hant_TW-dark`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// In file order (restool writes them in directory-name order).
    pub params: Vec<KeyParam>,
}

impl Config {
    /// No qualifiers: resources/base.
    pub fn is_base(&self) -> bool {
        self.params.is_empty()
    }

    /// The first value given for `key`.
    pub fn param(&self, key: KeyType) -> Option<u32> {
        self.params.iter().find(|p| p.key == key).map(|p| p.value)
    }

    pub fn language(&self) -> Option<String> {
        self.param(KeyType::Language).and_then(unfold_tag)
    }

    pub fn script(&self) -> Option<String> {
        self.param(KeyType::Script).and_then(unfold_tag)
    }

    pub fn region(&self) -> Option<String> {
        self.param(KeyType::Region).and_then(unfold_tag)
    }

    /// "en-US", "zh-Hans-CN", "zh": language, script and region joined as
    /// the resource manager joins them (`GetKeyParamsLocales`). `None`
    /// without a language.
    pub fn locale(&self) -> Option<String> {
        let mut out = self.language()?;
        for part in [self.script(), self.region()].into_iter().flatten() {
            out.push('-');
            out.push_str(&part);
        }
        Some(out)
    }

    pub fn mcc(&self) -> Option<u32> {
        self.param(KeyType::Mcc)
    }

    pub fn mnc(&self) -> Option<u32> {
        self.param(KeyType::Mnc)
    }

    /// Screen density in dpi (120 sdpi … 640 xxxldpi).
    pub fn density(&self) -> Option<u32> {
        self.param(KeyType::ScreenDensity)
    }

    pub fn device_type(&self) -> Option<u32> {
        self.param(KeyType::DeviceType)
    }

    /// 0 dark, 1 light.
    pub fn color_mode(&self) -> Option<u32> {
        self.param(KeyType::ColorMode)
    }

    /// 0 vertical, 1 horizontal.
    pub fn direction(&self) -> Option<u32> {
        self.param(KeyType::Direction)
    }

    /// The resource directory name restool took this config from: "base",
    /// "en_US", "zh_Hant_TW-dark", "mcc460_mnc0-zh_CN-phone-xldpi". Values
    /// with no name are written as numbers, an unknown key as `kN=V`.
    pub fn dir_name(&self) -> String {
        if self.params.is_empty() {
            return "base".to_owned();
        }
        let mut groups: Vec<String> = Vec::new();
        let mut last_group = None;
        for p in &self.params {
            let (group, sep, text) = match p.key {
                KeyType::Mcc => (0, '_', format!("mcc{}", p.value)),
                KeyType::Mnc => (0, '_', format!("mnc{}", p.value)),
                KeyType::Language | KeyType::Script | KeyType::Region => (
                    1,
                    '_',
                    unfold_tag(p.value).unwrap_or_else(|| format!("{:#x}", p.value)),
                ),
                KeyType::Direction => (2, '-', named(p.value, direction_name)),
                KeyType::DeviceType => (3, '-', named(p.value, device_type_name)),
                KeyType::ColorMode => (4, '-', named(p.value, color_mode_name)),
                KeyType::InputDevice => (5, '-', named(p.value, input_device_name)),
                KeyType::ScreenDensity => (6, '-', named(p.value, density_name)),
                KeyType::Unknown(k) => (7, '-', format!("k{k}={}", p.value)),
            };
            match groups.last_mut() {
                Some(g) if last_group == Some(group) && sep == '_' => {
                    g.push('_');
                    g.push_str(&text);
                }
                _ => groups.push(text),
            }
            last_group = Some(group);
        }
        groups.join("-")
    }
}

fn named(v: u32, f: fn(u32) -> Option<&'static str>) -> String {
    f(v).map_or_else(|| v.to_string(), str::to_owned)
}

/// A language, script or region value back to its letters: the u32's bytes
/// high to low, zero bytes skipped (`KeyParam::ConvertToStr`). `None` when
/// empty or when a byte is not an ASCII letter or digit.
pub fn unfold_tag(value: u32) -> Option<String> {
    let mut out = String::new();
    for b in value.to_be_bytes() {
        if b == 0 {
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            return None;
        }
        out.push(char::from(b));
    }
    (!out.is_empty()).then_some(out)
}

/// "phone", "tablet", "car", "pad", "tv", "wearable", "2in1".
pub fn device_type_name(v: u32) -> Option<&'static str> {
    Some(match v {
        0 => "phone",
        1 => "tablet",
        2 => "car",
        3 => "pad",
        4 => "tv",
        6 => "wearable",
        7 => "2in1",
        _ => return None,
    })
}

/// "sdpi" (120) … "xxxldpi" (640).
pub fn density_name(v: u32) -> Option<&'static str> {
    Some(match v {
        120 => "sdpi",
        160 => "mdpi",
        240 => "ldpi",
        320 => "xldpi",
        480 => "xxldpi",
        640 => "xxxldpi",
        _ => return None,
    })
}

pub fn color_mode_name(v: u32) -> Option<&'static str> {
    Some(match v {
        0 => "dark",
        1 => "light",
        _ => return None,
    })
}

pub fn direction_name(v: u32) -> Option<&'static str> {
    Some(match v {
        0 => "vertical",
        1 => "horizontal",
        _ => return None,
    })
}

pub fn input_device_name(v: u32) -> Option<&'static str> {
    (v == 0).then_some("pointingdevice")
}

/// One configuration's value of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub id: u32,
    pub res_type: ResType,
    /// The resource's name (media and profile without their extension).
    pub name: Cow<'a, str>,
    /// As stored, without V1's NUL terminator: a string's UTF-8, a media or
    /// profile path, or for array types the items (see [`Entry::items`]).
    pub value: &'a [u8],
    /// Index into [`ResIndex::configs`].
    pub config: usize,
}

impl<'a> Entry<'a> {
    /// The value as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.value)
    }

    /// An array value's items (string array, plural as quantity/text pairs,
    /// theme and pattern as an optional parent then name/value pairs). Stops
    /// at the first malformed item.
    pub fn items(&self) -> Items<'a> {
        Items { rest: self.value }
    }
}

/// The items of an array value: u16 length, bytes, NUL.
#[derive(Debug, Clone)]
pub struct Items<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Items<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let mut r = Reader::new(self.rest);
        let item = r
            .u16()
            .and_then(|n| r.bytes(usize::from(n)))
            .ok()
            .filter(|_| r.u8() == Ok(0));
        self.rest = if item.is_some() { r.rest() } else { &[] };
        item
    }
}

/// A V1 config's id table: `count` {id, record offset} pairs from `at`.
#[derive(Debug, Clone, Copy)]
struct IdSet {
    at: usize,
    count: usize,
}

/// One V2 IDSS entry.
#[derive(Debug, Clone, Copy)]
struct Item<'a> {
    id: u32,
    res_type: ResType,
    name: &'a [u8],
    /// Offset of its ResInfo.
    info: u32,
    /// Where the entry itself is (for messages).
    at: usize,
}

#[derive(Debug, Clone)]
enum Body<'a> {
    V1(Vec<IdSet>),
    V2 {
        items: Vec<Item<'a>>,
        /// (config id, index into configs), sorted.
        config_ids: Vec<(u32, usize)>,
    },
}

/// A parsed resources.index, borrowing the file's bytes.
#[derive(Debug, Clone)]
pub struct ResIndex<'a> {
    /// The file cut to its declared size.
    data: &'a [u8],
    layout: Layout,
    version: &'a str,
    configs: Vec<Config>,
    body: Body<'a>,
}

impl<'a> ResIndex<'a> {
    /// Read the header, the configs and the id tables.
    pub fn parse(data: &'a [u8]) -> Result<ResIndex<'a>, ResIndexError> {
        let mut r = Reader::new(data);
        let version_field = r.bytes(VERSION_LEN)?;
        let text = version_field.split(|&b| b == 0).next().unwrap_or_default();
        let version = std::str::from_utf8(text).map_err(|_| ResIndexError::NotResIndex {
            version: String::from_utf8_lossy(text).into_owned(),
        })?;
        let layout = if version.starts_with("RestoolV2") {
            Layout::V2
        } else if version.split(' ').next() == Some("Restool") {
            Layout::V1
        } else {
            return Err(ResIndexError::NotResIndex {
                version: version.to_owned(),
            });
        };
        let declared = r.u32()?;
        let min = match layout {
            Layout::V1 => V1_HEADER_LEN,
            Layout::V2 => V2_HEADER_LEN,
        };
        // Past the declared size is not part of the table; short of it is a
        // cut file.
        let data = data
            .get(..usize_from(declared))
            .filter(|d| d.len() >= min)
            .ok_or(ResIndexError::FileSize {
                declared,
                min,
                len: data.len(),
            })?;
        let mut r = Reader::with_base(data.get(VERSION_LEN + 4..).unwrap_or_default(), 132);
        match layout {
            Layout::V1 => parse_v1(data, version, r),
            Layout::V2 => {
                let config_count = r.u32()?;
                let data_at = r.u32()?;
                parse_v2(data, version, r, config_count, data_at)
            }
        }
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// "Restool 5.008", "RestoolV2 6.0.0.003".
    pub fn version(&self) -> &'a str {
        self.version
    }

    /// Every configuration, in file order; [`Entry::config`] indexes it.
    pub fn configs(&self) -> &[Config] {
        &self.configs
    }

    /// The configuration of `entry`.
    pub fn config_of(&self, entry: &Entry<'_>) -> Option<&Config> {
        self.configs.get(entry.config)
    }

    /// Every value of resource `id`, one per configuration that has it, in
    /// config order. Empty when no config has it; an error when one of its
    /// values cannot be read.
    pub fn lookup(&self, id: u32) -> Result<Vec<Entry<'a>>, ResIndexError> {
        let mut out = Vec::new();
        match &self.body {
            Body::V1(sets) => {
                for (config, set) in sets.iter().enumerate() {
                    for i in 0..set.count {
                        let at = id_param_at(set, i);
                        if u32_at(self.data, at) == Some(id) {
                            out.push(self.v1_record(at, config)?);
                        }
                    }
                }
            }
            Body::V2 { items, .. } => {
                for item in items.iter().filter(|it| it.id == id) {
                    let (at, count) = self.v2_info(item)?;
                    for i in 0..count {
                        out.push(self.v2_value(item, at, i)?);
                    }
                }
                out.sort_by_key(|e| e.config);
            }
        }
        Ok(out)
    }

    /// Every value in the table (V1: config by config; V2: resource by
    /// resource). A value that cannot be read is an `Err` item and the walk
    /// goes on with the next.
    pub fn entries(&self) -> Entries<'_, 'a> {
        Entries {
            index: self,
            outer: 0,
            inner: 0,
            info: None,
        }
    }

    /// The V1 record an IdSet's pair at `at` points to.
    fn v1_record(&self, at: usize, config: usize) -> Result<Entry<'a>, ResIndexError> {
        let mut pair = Reader::with_base(
            slice_at(self.data, at, ID_PARAM_LEN).unwrap_or_default(),
            at,
        );
        let id = pair.u32()?;
        let offset = pair.u32()?;
        let start = usize_from(offset);
        let size_at = start;
        let size = u32_at(self.data, start).ok_or(ResIndexError::Offset {
            at: at.saturating_add(4),
            what: "record",
            offset,
            len: self.data.len(),
        })?;
        let body_at = start.saturating_add(4);
        let body = slice_at(self.data, body_at, usize_from(size)).ok_or(ResIndexError::Length {
            at: size_at,
            what: "record",
            length: size,
            problem: "runs past the end of the file",
        })?;
        let mut r = Reader::with_base(body, body_at);
        let res_type = ResType::from_u32(r.u32()?);
        let found = r.u32()?;
        if found != id {
            return Err(ResIndexError::IdMismatch {
                at: size_at,
                what: "record",
                expected: id,
                found,
            });
        }
        let n = r.u16()?;
        let value = strip_nul(r.bytes(usize::from(n))?);
        let n = r.u16()?;
        let name = strip_nul(r.bytes(usize::from(n))?);
        Ok(Entry {
            id,
            res_type,
            name: String::from_utf8_lossy(name),
            value,
            config,
        })
    }

    /// Where a V2 item's ConfigItems start and how many there are.
    fn v2_info(&self, item: &Item<'a>) -> Result<(usize, usize), ResIndexError> {
        let mut r = reader_at(self.data, item.info, item.at.saturating_add(4), "ResInfo")?;
        let info_at = r.abs_pos();
        let found = r.u32()?;
        if found != item.id {
            return Err(ResIndexError::IdMismatch {
                at: info_at,
                what: "ResInfo",
                expected: item.id,
                found,
            });
        }
        r.skip(4)?; // length: the count below says the same
        let count = count(&mut r, CONFIG_ITEM_LEN, "config item")?;
        debug_assert_eq!(r.abs_pos(), info_at.saturating_add(RES_INFO_LEN));
        Ok((r.abs_pos(), count))
    }

    /// The `i`th value of a V2 item whose ConfigItems start at `at`.
    fn v2_value(&self, item: &Item<'a>, at: usize, i: usize) -> Result<Entry<'a>, ResIndexError> {
        let Body::V2 { config_ids, .. } = &self.body else {
            return Err(ResIndexError::NotResIndex {
                version: self.version.to_owned(),
            });
        };
        let item_at = i
            .checked_mul(CONFIG_ITEM_LEN)
            .and_then(|o| o.checked_add(at))
            .unwrap_or(usize::MAX);
        let mut r = Reader::with_base(
            slice_at(self.data, item_at, CONFIG_ITEM_LEN).unwrap_or_default(),
            item_at,
        );
        let config_id = r.u32()?;
        let offset = r.u32()?;
        let config = config_ids
            .binary_search_by_key(&config_id, |&(id, _)| id)
            .ok()
            .and_then(|k| config_ids.get(k))
            .map(|&(_, index)| index)
            .ok_or(ResIndexError::UnknownConfig {
                at: item_at,
                config_id,
            })?;
        let mut v = reader_at(self.data, offset, item_at.saturating_add(4), "value")?;
        let n = v.u16()?;
        let value = v.bytes(usize::from(n))?;
        Ok(Entry {
            id: item.id,
            res_type: item.res_type,
            name: String::from_utf8_lossy(item.name),
            value,
            config,
        })
    }
}

/// Lazy walk over every value of a [`ResIndex`].
#[derive(Debug, Clone)]
pub struct Entries<'r, 'a> {
    index: &'r ResIndex<'a>,
    /// V1: config; V2: item.
    outer: usize,
    /// V1: pair within the config's IdSet; V2: value within the item.
    inner: usize,
    /// V2: the current item's ConfigItems (start, count).
    info: Option<(usize, usize)>,
}

impl<'a> Iterator for Entries<'_, 'a> {
    type Item = Result<Entry<'a>, ResIndexError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &self.index.body {
            Body::V1(sets) => loop {
                let set = sets.get(self.outer)?;
                if self.inner < set.count {
                    let at = id_param_at(set, self.inner);
                    self.inner += 1;
                    return Some(self.index.v1_record(at, self.outer));
                }
                self.outer += 1;
                self.inner = 0;
            },
            Body::V2 { items, .. } => loop {
                let item = items.get(self.outer)?;
                let (at, count) = match self.info {
                    Some(info) => info,
                    None => match self.index.v2_info(item) {
                        Ok(info) => {
                            self.info = Some(info);
                            info
                        }
                        Err(e) => {
                            self.outer += 1;
                            return Some(Err(e));
                        }
                    },
                };
                if self.inner < count {
                    let i = self.inner;
                    self.inner += 1;
                    return Some(self.index.v2_value(item, at, i));
                }
                self.outer += 1;
                self.inner = 0;
                self.info = None;
            },
        }
    }
}

fn id_param_at(set: &IdSet, i: usize) -> usize {
    // In range: parse checked count * 8 bytes from `at`.
    set.at.saturating_add(i.saturating_mul(ID_PARAM_LEN))
}

fn strip_nul(b: &[u8]) -> &[u8] {
    b.strip_suffix(&[0]).unwrap_or(b)
}

/// A reader from `offset` (read at byte `at`) to the end of `data`.
fn reader_at<'a>(
    data: &'a [u8],
    offset: u32,
    at: usize,
    what: &'static str,
) -> Result<Reader<'a>, ResIndexError> {
    let start = usize_from(offset);
    data.get(start..)
        .map(|d| Reader::with_base(d, start))
        .ok_or(ResIndexError::Offset {
            at,
            what,
            offset,
            len: data.len(),
        })
}

/// Read a u32 count of `each`-byte things that must follow it in `r`.
fn count(r: &mut Reader<'_>, each: usize, what: &'static str) -> Result<usize, ResIndexError> {
    let at = r.abs_pos();
    let n = r.u32()?;
    let room = r.remaining();
    let len = usize_from(n);
    if len > MAX_COUNT || len.saturating_mul(each) > room {
        return Err(ResIndexError::Count {
            at,
            what,
            count: n,
            room,
        });
    }
    Ok(len)
}

fn tag(r: &mut Reader<'_>, expected: &'static str) -> Result<(), ResIndexError> {
    let at = r.abs_pos();
    let found = r.bytes(4)?;
    if found != expected.as_bytes() {
        return Err(ResIndexError::Tag {
            at,
            expected,
            found: found.escape_ascii().to_string(),
        });
    }
    Ok(())
}

fn key_params(r: &mut Reader<'_>) -> Result<Vec<KeyParam>, ResIndexError> {
    let n = count(r, KEY_PARAM_LEN, "key param")?;
    let mut params = Vec::with_capacity(n);
    for _ in 0..n {
        let key = KeyType::from_u32(r.u32()?);
        let value = r.u32()?;
        params.push(KeyParam { key, value });
    }
    Ok(params)
}

fn parse_v1<'a>(
    data: &'a [u8],
    version: &'a str,
    mut r: Reader<'a>,
) -> Result<ResIndex<'a>, ResIndexError> {
    let n = count(&mut r, KEYS_LEN, "config")?;
    let mut configs = Vec::with_capacity(n);
    let mut idss = Vec::with_capacity(n);
    for _ in 0..n {
        tag(&mut r, "KEYS")?;
        let at = r.abs_pos();
        idss.push((r.u32()?, at));
        configs.push(Config {
            params: key_params(&mut r)?,
        });
    }
    let mut sets = Vec::with_capacity(n);
    for (offset, at) in idss {
        let mut s = reader_at(data, offset, at, "IDSS")?;
        tag(&mut s, "IDSS")?;
        let count = count(&mut s, ID_PARAM_LEN, "id")?;
        sets.push(IdSet {
            at: s.abs_pos(),
            count,
        });
    }
    Ok(ResIndex {
        data,
        layout: Layout::V1,
        version,
        configs,
        body: Body::V1(sets),
    })
}

fn parse_v2<'a>(
    data: &'a [u8],
    version: &'a str,
    mut r: Reader<'a>,
    config_count: u32,
    data_at: u32,
) -> Result<ResIndex<'a>, ResIndexError> {
    let n = usize_from(config_count);
    if n > MAX_COUNT || n.saturating_mul(KEYS_LEN) > r.remaining() {
        return Err(ResIndexError::Count {
            at: 132,
            what: "config",
            count: config_count,
            room: r.remaining(),
        });
    }
    let mut configs = Vec::with_capacity(n);
    let mut config_ids = Vec::with_capacity(n);
    for index in 0..n {
        tag(&mut r, "KEYS")?;
        config_ids.push((r.u32()?, index));
        configs.push(Config {
            params: key_params(&mut r)?,
        });
    }
    config_ids.sort_unstable();
    if let Some(&[(config_id, _), _]) = config_ids
        .windows(2)
        .find(|w| matches!(w, [(a, _), (b, _)] if a == b))
    {
        return Err(ResIndexError::DuplicateConfig {
            at: V2_HEADER_LEN,
            config_id,
        });
    }

    // IDSS: right after the KEYS, up to the DATA block.
    let ids_at = r.abs_pos();
    tag(&mut r, "IDSS")?;
    let len_at = r.abs_pos();
    let ids_len = r.u32()?;
    let ids_end = ids_at.checked_add(usize_from(ids_len));
    let block = ids_end
        .filter(|&end| end >= ids_at.saturating_add(IDSS_V2_LEN))
        .and_then(|end| data.get(ids_at..end))
        .ok_or(ResIndexError::Length {
            at: len_at,
            what: "IDSS block",
            length: ids_len,
            problem: "does not fit the file",
        })?;
    let ids_end = ids_at.saturating_add(block.len());
    if usize_from(data_at) != ids_end {
        return Err(ResIndexError::DataBlock { ids_end, data_at });
    }
    let mut b = Reader::with_base(block, ids_at);
    b.skip(8)?; // tag, length
    let types = count(&mut b, TYPE_INFO_LEN, "resource type")?;
    b.skip(4)?; // id count: the types' counts say the same
    let mut items = Vec::new();
    for _ in 0..types {
        let type_at = b.abs_pos();
        let res_type = ResType::from_u32(b.u32()?);
        let type_len = b.u32()?;
        let count_at = b.abs_pos();
        let n = b.u32()?;
        let body_at = b.abs_pos();
        let body_len = usize_from(type_len)
            .checked_sub(TYPE_INFO_LEN)
            .filter(|&l| l <= b.remaining())
            .ok_or(ResIndexError::Length {
                at: type_at.saturating_add(4),
                what: "resource type",
                length: type_len,
                problem: "does not fit the IDSS block",
            })?;
        let mut t = Reader::with_base(b.bytes(body_len)?, body_at);
        if usize_from(n) > MAX_COUNT || usize_from(n).saturating_mul(RES_ITEM_LEN) > body_len {
            return Err(ResIndexError::Count {
                at: count_at,
                what: "resource id",
                count: n,
                room: body_len,
            });
        }
        items.reserve(usize_from(n));
        for _ in 0..n {
            let at = t.abs_pos();
            let id = t.u32()?;
            let info = t.u32()?;
            let name_len = t.u32()?;
            let name = t.bytes(usize_from(name_len))?;
            items.push(Item {
                id,
                res_type,
                name,
                info,
                at,
            });
        }
    }
    let mut d = reader_at(data, data_at, 136, "DATA")?;
    tag(&mut d, "DATA")?;
    d.skip(DATA_LEN - 4)?;
    Ok(ResIndex {
        data,
        layout: Layout::V2,
        version,
        configs,
        body: Body::V2 { items, config_ids },
    })
}
