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
//! | 0    | version, 128 bytes, NUL padded                                    |
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
//! | 0    | version, 128 bytes                                                |
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
/// V1 `IDSS` + count.
const IDSS_V1_LEN: usize = 8;
const ID_PARAM_LEN: usize = 8;
const IDSS_V2_LEN: usize = 16;
const TYPE_INFO_LEN: usize = 12;
const RES_ITEM_LEN: usize = 12;
const DATA_LEN: usize = 12;
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
    #[error("resources.index: the IDSS tables claim {claimed} bytes, more than the {len}-byte file holds")]
    IdTables { claimed: usize, len: usize },
    #[error("resources.index: more than {limit} values, more than the file could hold (tables share their bytes)")]
    TooManyValues { limit: usize },
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
        let limit = self.max_values();
        let mut out = Vec::new();
        let mut push = |e: Entry<'a>| {
            if out.len() >= limit {
                return Err(ResIndexError::TooManyValues { limit });
            }
            out.push(e);
            Ok(())
        };
        match &self.body {
            Body::V1(sets) => {
                for (config, set) in sets.iter().enumerate() {
                    for i in 0..set.count {
                        let at = id_param_at(set, i);
                        if u32_at(self.data, at) == Some(id) {
                            push(self.v1_record(at, config)?)?;
                        }
                    }
                }
            }
            Body::V2 { items, config_ids } => {
                for item in items.iter().filter(|it| it.id == id) {
                    let (at, count) = self.v2_info(item)?;
                    for i in 0..count {
                        push(self.v2_value(config_ids, item, at, i)?)?;
                    }
                }
                out.sort_by_key(|e| e.config);
            }
        }
        Ok(out)
    }

    /// Each value takes 8 bytes of its own in a well-formed file (a V1 id
    /// pair, a V2 config item); tables that share bytes could otherwise
    /// claim a number of values quadratic in the file's size.
    fn max_values(&self) -> usize {
        self.data.len() / ID_PARAM_LEN
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
            left: self.max_values(),
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
        Ok((r.abs_pos(), count))
    }

    /// The `i`th value of a V2 item whose ConfigItems start at `at`.
    fn v2_value(
        &self,
        config_ids: &[(u32, usize)],
        item: &Item<'a>,
        at: usize,
        i: usize,
    ) -> Result<Entry<'a>, ResIndexError> {
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
    /// Values still allowed (see `ResIndex::max_values`).
    left: usize,
}

impl<'a> Iterator for Entries<'_, 'a> {
    type Item = Result<Entry<'a>, ResIndexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.step()?;
        if self.left == 0 {
            // Stop the walk for good after saying why.
            self.outer = usize::MAX;
            return Some(Err(ResIndexError::TooManyValues {
                limit: self.index.max_values(),
            }));
        }
        self.left -= 1;
        Some(item)
    }
}

impl<'a> Entries<'_, 'a> {
    fn step(&mut self) -> Option<Result<Entry<'a>, ResIndexError>> {
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
            Body::V2 { items, config_ids } => loop {
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
                    return Some(self.index.v2_value(config_ids, item, at, i));
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
    // restool gives each config its own IDSS; tables pointing into each
    // other would make every walk over them quadratic.
    let mut claimed = 0usize;
    for (offset, at) in idss {
        let mut s = reader_at(data, offset, at, "IDSS")?;
        tag(&mut s, "IDSS")?;
        let count = count(&mut s, ID_PARAM_LEN, "id")?;
        claimed = claimed.saturating_add(IDSS_V1_LEN + count * ID_PARAM_LEN);
        if claimed > data.len() {
            return Err(ResIndexError::IdTables {
                claimed,
                len: data.len(),
            });
        }
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
    // Where each config id was read, for the message about a repeated one.
    let mut id_at = Vec::with_capacity(n);
    for index in 0..n {
        tag(&mut r, "KEYS")?;
        id_at.push(r.abs_pos());
        config_ids.push((r.u32()?, index));
        configs.push(Config {
            params: key_params(&mut r)?,
        });
    }
    config_ids.sort_unstable();
    if let Some(&[_, (config_id, index)]) = config_ids
        .windows(2)
        .find(|w| matches!(w, [(a, _), (b, _)] if a == b))
    {
        return Err(ResIndexError::DuplicateConfig {
            at: id_at.get(index).copied().unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const EN: u32 = 0x656E;
    const US: u32 = 0x5553;
    const ZH: u32 = 0x7A68;
    const CN: u32 = 0x434E;
    const HANS: u32 = 0x4861_6E73;
    const STRING: u32 = 9;
    const MEDIA: u32 = 19;

    /// (id, resource type, name, value) of one config.
    type Res<'s> = (u32, u32, &'s str, &'s [u8]);
    /// A config: its key params and its resources (ids ascending).
    type Cfg<'s> = (Vec<(u32, u32)>, Vec<Res<'s>>);
    /// A V2 id's type, name and (config id, pool offset) of each value.
    type IdValues<'s> = (u32, &'s str, Vec<(u32, usize)>);
    /// (id, type, name, value, locale) of one entry.
    type Row = (u32, u32, String, Vec<u8>, Option<String>);

    fn put(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }

    fn version(out: &mut Vec<u8>, v: &str) {
        out.extend_from_slice(v.as_bytes());
        out.resize(VERSION_LEN, 0);
    }

    /// Lays a V1 file out as restool's SaveToResouorceIndex does.
    fn v1(configs: &[Cfg<'_>]) -> Vec<u8> {
        let keys_len: usize = configs.iter().map(|(p, _)| 12 + 8 * p.len()).sum();
        let mut pos = V1_HEADER_LEN + keys_len;
        let mut idss_at = Vec::new();
        for (_, res) in configs {
            idss_at.push(pos);
            pos += 8 + 8 * res.len();
        }
        let (mut keys, mut idss, mut records) = (Vec::new(), Vec::new(), Vec::new());
        for ((params, res), at) in configs.iter().zip(idss_at) {
            keys.extend_from_slice(b"KEYS");
            put(&mut keys, at as u32);
            put(&mut keys, params.len() as u32);
            for &(k, v) in params {
                put(&mut keys, k);
                put(&mut keys, v);
            }
            idss.extend_from_slice(b"IDSS");
            put(&mut idss, res.len() as u32);
            for &(id, ty, name, value) in res {
                put(&mut idss, id);
                put(&mut idss, pos as u32);
                let mut rec = Vec::new();
                put(&mut rec, ty);
                put(&mut rec, id);
                for s in [value, name.as_bytes()] {
                    rec.extend_from_slice(&(s.len() as u16 + 1).to_le_bytes());
                    rec.extend_from_slice(s);
                    rec.push(0);
                }
                put(&mut records, rec.len() as u32);
                records.extend_from_slice(&rec);
                pos += 4 + rec.len();
            }
        }
        let mut out = Vec::new();
        version(&mut out, "Restool 5.008");
        put(&mut out, pos as u32);
        put(&mut out, configs.len() as u32);
        out.extend(keys);
        out.extend(idss);
        out.extend(records);
        assert_eq!(out.len(), pos);
        out
    }

    /// Lays a V2 file out as restool's SaveToNewResouorceIndex does (types,
    /// ids and ResInfos ascending instead of in hash-map order).
    fn v2(configs: &[Cfg<'_>]) -> Vec<u8> {
        use std::collections::BTreeMap;
        let mut keys = Vec::new();
        // id -> (type, name, [(config id, pool offset)])
        let mut ids: BTreeMap<u32, IdValues<'_>> = BTreeMap::new();
        let mut pool = Vec::new();
        for (cid, (params, res)) in configs.iter().enumerate() {
            keys.extend_from_slice(b"KEYS");
            put(&mut keys, cid as u32);
            put(&mut keys, params.len() as u32);
            for &(k, v) in params {
                put(&mut keys, k);
                put(&mut keys, v);
            }
            for &(id, ty, name, value) in res {
                let e = ids.entry(id).or_insert((ty, name, Vec::new()));
                e.2.push((cid as u32, pool.len()));
                pool.extend_from_slice(&(value.len() as u16).to_le_bytes());
                pool.extend_from_slice(value);
            }
        }
        let mut by_type: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (&id, &(ty, _, _)) in &ids {
            by_type.entry(ty).or_default().push(id);
        }
        let idss_len = 16
            + by_type
                .values()
                .map(|v| 12 + v.iter().map(|id| 12 + ids[id].1.len()).sum::<usize>())
                .sum::<usize>();
        let data_at = V2_HEADER_LEN + keys.len() + idss_len;
        let data_len = 12 + ids.values().map(|v| 12 + 8 * v.2.len()).sum::<usize>();
        let pool_at = data_at + data_len;
        let mut info_at = BTreeMap::new();
        let mut at = data_at + 12;
        for (&id, v) in &ids {
            info_at.insert(id, at);
            at += 12 + 8 * v.2.len();
        }
        let mut idss = b"IDSS".to_vec();
        put(&mut idss, idss_len as u32);
        put(&mut idss, by_type.len() as u32);
        put(&mut idss, ids.len() as u32);
        for (&ty, list) in &by_type {
            put(&mut idss, ty);
            put(
                &mut idss,
                (12 + list.iter().map(|id| 12 + ids[id].1.len()).sum::<usize>()) as u32,
            );
            put(&mut idss, list.len() as u32);
            for id in list {
                put(&mut idss, *id);
                put(&mut idss, info_at[id] as u32);
                put(&mut idss, ids[id].1.len() as u32);
                idss.extend_from_slice(ids[id].1.as_bytes());
            }
        }
        let mut data = b"DATA".to_vec();
        put(&mut data, data_len as u32);
        put(&mut data, ids.len() as u32);
        for (&id, (_, _, values)) in &ids {
            put(&mut data, id);
            put(&mut data, (12 + 8 * values.len()) as u32);
            put(&mut data, values.len() as u32);
            for &(cid, off) in values {
                put(&mut data, cid);
                put(&mut data, (pool_at + off) as u32);
            }
        }
        let mut out = Vec::new();
        version(&mut out, "RestoolV2 6.0.0.003");
        put(&mut out, (pool_at + pool.len()) as u32);
        put(&mut out, configs.len() as u32);
        put(&mut out, data_at as u32);
        out.extend(keys);
        out.extend(idss);
        out.extend(data);
        let total = pool_at + pool.len();
        out.extend(pool);
        assert_eq!(out.len(), total);
        out
    }

    fn sample() -> Vec<Cfg<'static>> {
        vec![
            (
                vec![],
                vec![
                    (0x0100_0000, STRING, "app_name", b"MyApp".as_slice()),
                    (
                        0x0100_0001,
                        MEDIA,
                        "app_icon",
                        b"entry/resources/base/media/app_icon.png",
                    ),
                ],
            ),
            (
                vec![(0, EN), (1, US)],
                vec![(0x0100_0000, STRING, "app_name", b"My App".as_slice())],
            ),
            (
                vec![(0, ZH), (5, HANS), (1, CN)],
                vec![(0x0100_0000, STRING, "app_name", "我的应用".as_bytes())],
            ),
            (
                vec![(0, ZH)],
                vec![(0x0100_0000, STRING, "app_name", "应用".as_bytes())],
            ),
        ]
    }

    /// (id, type, name, value, locale) of every entry, sorted.
    fn summary(ix: &ResIndex<'_>) -> Vec<Row> {
        let mut out: Vec<_> = ix
            .entries()
            .map(|e| {
                let e = e.unwrap();
                let locale = ix.config_of(&e).unwrap().locale();
                (
                    e.id,
                    e.res_type.to_u32(),
                    e.name.into_owned(),
                    e.value.to_vec(),
                    locale,
                )
            })
            .collect();
        out.sort();
        out
    }

    fn check_sample(ix: &ResIndex<'_>) {
        let locales: Vec<_> = ix.configs().iter().map(Config::locale).collect();
        assert_eq!(
            locales,
            [
                None,
                Some("en-US".to_owned()),
                Some("zh-Hans-CN".to_owned()),
                Some("zh".to_owned())
            ]
        );
        assert!(ix.configs()[0].is_base());
        assert_eq!(ix.configs()[2].script().as_deref(), Some("Hans"));
        assert_eq!(ix.configs()[1].region().as_deref(), Some("US"));
        let names = ix.lookup(0x0100_0000).unwrap();
        let texts: Vec<_> = names.iter().map(|e| (e.config, e.text())).collect();
        assert_eq!(
            texts,
            [
                (0, "MyApp".into()),
                (1, "My App".into()),
                (2, "我的应用".into()),
                (3, "应用".into())
            ]
        );
        assert!(names
            .iter()
            .all(|e| e.name == "app_name" && e.res_type == ResType::String));
        let icon = ix.lookup(0x0100_0001).unwrap();
        assert_eq!(icon.len(), 1);
        assert_eq!(icon[0].res_type, ResType::Media);
        assert_eq!(icon[0].value, b"entry/resources/base/media/app_icon.png");
        assert!(ix.lookup(0x0100_0002).unwrap().is_empty());
        assert_eq!(ix.entries().count(), 5);
    }

    #[test]
    fn reads_v1() {
        let file = v1(&sample());
        let ix = ResIndex::parse(&file).unwrap();
        assert_eq!(ix.layout(), Layout::V1);
        assert_eq!(ix.version(), "Restool 5.008");
        check_sample(&ix);
    }

    #[test]
    fn reads_v2() {
        let file = v2(&sample());
        let ix = ResIndex::parse(&file).unwrap();
        assert_eq!(ix.layout(), Layout::V2);
        assert_eq!(ix.version(), "RestoolV2 6.0.0.003");
        check_sample(&ix);
    }

    #[test]
    fn both_layouts_say_the_same() {
        let a = v1(&sample());
        let b = v2(&sample());
        assert_eq!(
            summary(&ResIndex::parse(&a).unwrap()),
            summary(&ResIndex::parse(&b).unwrap())
        );
    }

    #[test]
    fn hsp_ids_and_trailing_bytes() {
        // An HSP's ids start at 0x07800000; bytes past the declared size
        // are not part of the table.
        let cfgs = vec![(
            vec![],
            vec![
                (0x0780_0000, STRING, "lib_name", b"Lib".as_slice()),
                (0x0780_0001, 14, "accent", b"#FF0000"),
            ],
        )];
        for mut file in [v1(&cfgs), v2(&cfgs)] {
            file.extend_from_slice(b"junk");
            let ix = ResIndex::parse(&file).unwrap();
            let e = ix.lookup(0x0780_0001).unwrap();
            assert_eq!(
                (e[0].res_type, e[0].text()),
                (ResType::Color, "#FF0000".into())
            );
            assert_eq!(ix.lookup(0x0780_0000).unwrap()[0].name, "lib_name");
            assert!(ix.lookup(0x0100_0000).unwrap().is_empty());
        }
    }

    /// Every prefix fails to parse; and with the declared size patched to the
    /// prefix, either the parse or some entry fails. Never a panic.
    fn cut_everywhere(file: &[u8]) {
        for n in 0..file.len() {
            let cut = &file[..n];
            assert!(ResIndex::parse(cut).is_err(), "prefix {n} parsed");
            if n >= 132 {
                let mut patched = cut.to_vec();
                patched[128..132].copy_from_slice(&(n as u32).to_le_bytes());
                if let Ok(ix) = ResIndex::parse(&patched) {
                    let bad = ix.entries().filter(Result::is_err).count();
                    let lookups = [0x0100_0000, 0x0100_0001]
                        .iter()
                        .filter(|&&id| ix.lookup(id).is_err())
                        .count();
                    assert!(bad + lookups > 0, "prefix {n} read whole");
                }
            }
        }
    }

    #[test]
    fn truncated_anywhere_is_an_error() {
        cut_everywhere(&v1(&sample()));
        cut_everywhere(&v2(&sample()));
    }

    #[test]
    fn every_byte_flipped_never_panics() {
        for file in [v1(&sample()), v2(&sample())] {
            for i in 0..file.len() {
                for x in [0x01, 0x80, 0xff] {
                    let mut f = file.clone();
                    f[i] ^= x;
                    if let Ok(ix) = ResIndex::parse(&f) {
                        for e in ix.entries().flatten() {
                            let _ = (e.text(), e.items().count());
                            let c = ix.config_of(&e).unwrap();
                            let _ = (c.locale(), c.dir_name());
                        }
                        let _ = ix.lookup(0x0100_0000);
                    }
                }
            }
        }
    }

    fn set_u32(file: &mut [u8], at: usize, v: u32) {
        file[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    #[test]
    fn bogus_counts_are_refused() {
        let good = v1(&sample());
        // Config count.
        let mut f = good.clone();
        set_u32(&mut f, 132, u32::MAX);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count {
                at: 132,
                what: "config",
                ..
            })
        ));
        // Key param count of the second config (KEYS at 148).
        let mut f = good.clone();
        set_u32(&mut f, 148 + 8, 0x4000_0000);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count {
                what: "key param",
                ..
            })
        ));
        // IDSS count of the base config.
        let mut f = good.clone();
        let idss = u32_at(&good, 140).unwrap() as usize;
        set_u32(&mut f, idss + 4, 1 << 24);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count { what: "id", .. })
        ));

        let good = v2(&sample());
        let mut f = good.clone();
        set_u32(&mut f, 132, 1 << 30);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count { at: 132, .. })
        ));
        let ids_at = u32_at(&good, 136).unwrap() as usize
            - (16 + 2 * 12 + 12 * 2 + "app_name".len() + "app_icon".len());
        assert_eq!(&good[ids_at..ids_at + 4], b"IDSS");
        let mut f = good.clone();
        set_u32(&mut f, ids_at + 8, u32::MAX);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count {
                what: "resource type",
                ..
            })
        ));
        let mut f = good.clone();
        set_u32(&mut f, ids_at + 16 + 8, 1000);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Count {
                what: "resource id",
                ..
            })
        ));
        // A ResInfo's value count.
        let data_at = u32_at(&good, 136).unwrap() as usize;
        let mut f = good.clone();
        set_u32(&mut f, data_at + 12 + 8, u32::MAX);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::Count {
                what: "config item",
                ..
            })
        ));
        assert_eq!(ix.entries().filter(Result::is_err).count(), 1);
        assert_eq!(ix.entries().filter(Result::is_ok).count(), 1);
    }

    #[test]
    fn bogus_offsets_are_refused() {
        let good = v1(&sample());
        let mut f = good.clone();
        set_u32(&mut f, 140, 0xFFFF_0000);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Offset {
                at: 140,
                what: "IDSS",
                ..
            })
        ));
        // The base IDSS's first record offset, then an offset to the wrong record.
        let idss = u32_at(&good, 140).unwrap() as usize;
        let mut f = good.clone();
        set_u32(&mut f, idss + 12, 0xFFFF_FFF0);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::Offset { what: "record", .. })
        ));
        let mut f = good.clone();
        let second = u32_at(&good, idss + 20).unwrap();
        set_u32(&mut f, idss + 12, second);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::IdMismatch {
                expected: 0x0100_0000,
                found: 0x0100_0001,
                ..
            })
        ));
        // A record size past the end.
        let mut f = good.clone();
        let rec = u32_at(&good, idss + 12).unwrap() as usize;
        set_u32(&mut f, rec, 0x7FFF_FFFF);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::Length { what: "record", .. })
        ));
        // A value length past its record.
        let mut f = good.clone();
        f[rec + 12..rec + 14].copy_from_slice(&200u16.to_le_bytes());
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::Truncated(_))
        ));
        // Declared size larger than the file.
        let mut f = good.clone();
        set_u32(&mut f, 128, good.len() as u32 + 1);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::FileSize { .. })
        ));

        let good = v2(&sample());
        let data_at = u32_at(&good, 136).unwrap() as usize;
        let mut f = good.clone();
        set_u32(&mut f, 136, data_at as u32 + 4);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::DataBlock { .. })
        ));
        let mut f = good.clone();
        f[data_at] = b'X';
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::Tag {
                expected: "DATA",
                ..
            })
        ));
        // app_name's ResInfo: its first value's offset, then its config id.
        let first = data_at + 12 + 12;
        let mut f = good.clone();
        set_u32(&mut f, first + 4, u32::MAX);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::Offset { what: "value", .. })
        ));
        let mut f = good.clone();
        set_u32(&mut f, first, 77);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::UnknownConfig { config_id: 77, .. })
        ));
        // Two KEYS with one config id (the second KEYS starts at 152).
        let mut f = good.clone();
        set_u32(&mut f, 152 + 4, 0);
        assert_eq!(
            ResIndex::parse(&f).unwrap_err(),
            ResIndexError::DuplicateConfig {
                at: 156,
                config_id: 0
            }
        );
        // A ResInfo for another id.
        let mut f = good.clone();
        set_u32(&mut f, data_at + 12, 0x0100_0005);
        let ix = ResIndex::parse(&f).unwrap();
        assert!(matches!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::IdMismatch { .. })
        ));
    }

    #[test]
    fn shared_tables_stay_linear() {
        // V1: 100 configs all pointing at one IDSS of 50 ids.
        let mut f = Vec::new();
        version(&mut f, "Restool 5.008");
        put(&mut f, 0);
        put(&mut f, 100);
        let idss = V1_HEADER_LEN + 100 * 12;
        for _ in 0..100 {
            f.extend_from_slice(b"KEYS");
            put(&mut f, idss as u32);
            put(&mut f, 0);
        }
        f.extend_from_slice(b"IDSS");
        put(&mut f, 50);
        f.resize(f.len() + 50 * 8, 0);
        let len = f.len() as u32;
        set_u32(&mut f, 128, len);
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::IdTables { .. })
        ));

        // V2: 200 items for one id sharing one ResInfo of 200 values.
        let (n, c) = (200usize, 200usize);
        let mut f = Vec::new();
        version(&mut f, "RestoolV2 6.0.0.003");
        put(&mut f, 0);
        put(&mut f, 1);
        let data_at = V2_HEADER_LEN + 12 + 16 + 12 + 12 * n;
        put(&mut f, data_at as u32);
        f.extend_from_slice(b"KEYS");
        put(&mut f, 0);
        put(&mut f, 0);
        f.extend_from_slice(b"IDSS");
        put(&mut f, (16 + 12 + 12 * n) as u32);
        put(&mut f, 1);
        put(&mut f, n as u32);
        put(&mut f, STRING);
        put(&mut f, (12 + 12 * n) as u32);
        put(&mut f, n as u32);
        for _ in 0..n {
            put(&mut f, 0x0100_0000);
            put(&mut f, (data_at + 12) as u32);
            put(&mut f, 0);
        }
        assert_eq!(f.len(), data_at);
        f.extend_from_slice(b"DATA");
        put(&mut f, (12 + 12 + 8 * c) as u32);
        put(&mut f, 1);
        put(&mut f, 0x0100_0000);
        put(&mut f, (12 + 8 * c) as u32);
        put(&mut f, c as u32);
        let value_at = (f.len() + 8 * c) as u32;
        for _ in 0..c {
            put(&mut f, 0);
            put(&mut f, value_at);
        }
        f.extend_from_slice(&[2, 0, b'h', b'i']);
        let len = f.len() as u32;
        set_u32(&mut f, 128, len);
        let ix = ResIndex::parse(&f).unwrap();
        let limit = f.len() / 8;
        assert_eq!(
            ix.lookup(0x0100_0000),
            Err(ResIndexError::TooManyValues { limit })
        );
        let all: Vec<_> = ix.entries().collect();
        assert_eq!(all.len(), limit + 1);
        assert!(all[..limit]
            .iter()
            .all(|e| e.as_ref().unwrap().text() == "hi"));
        assert!(all[limit].is_err());
    }

    #[test]
    fn not_an_index() {
        assert!(matches!(
            ResIndex::parse(&[0; 200]),
            Err(ResIndexError::NotResIndex { .. })
        ));
        let mut f = v1(&sample());
        f[..7].copy_from_slice(b"Resto0l");
        assert!(matches!(
            ResIndex::parse(&f),
            Err(ResIndexError::NotResIndex { .. })
        ));
        let mut f = v1(&sample());
        f[136..140].copy_from_slice(b"KEYZ");
        let e = ResIndex::parse(&f).unwrap_err();
        assert_eq!(
            e.to_string(),
            "resources.index: expected \"KEYS\" at byte 136, found \"KEYZ\""
        );
        assert!(ResIndex::parse(&[]).is_err());
    }

    #[test]
    fn empty_tables() {
        let ix_bytes = v1(&[]);
        let ix = ResIndex::parse(&ix_bytes).unwrap();
        assert!(ix.configs().is_empty());
        assert_eq!(ix.entries().count(), 0);
        let ix_bytes = v2(&[]);
        let ix = ResIndex::parse(&ix_bytes).unwrap();
        assert_eq!(ix.entries().count(), 0);
    }

    #[test]
    fn config_names() {
        let c = |params: &[(u32, u32)]| Config {
            params: params
                .iter()
                .map(|&(k, value)| KeyParam {
                    key: KeyType::from_u32(k),
                    value,
                })
                .collect(),
        };
        assert_eq!(Config::default().dir_name(), "base");
        assert_eq!(c(&[(0, ZH), (5, HANS), (1, CN)]).dir_name(), "zh_Hans_CN");
        assert_eq!(
            c(&[(7, 460), (8, 1), (0, ZH), (1, CN), (4, 0), (6, 0), (2, 320)]).dir_name(),
            "mcc460_mnc1-zh_CN-phone-dark-xldpi"
        );
        assert_eq!(
            c(&[(3, 1), (10, 0), (99, 5)]).dir_name(),
            "horizontal-pointingdevice-k99=5"
        );
        assert_eq!(
            c(&[(0, 0x0066_696C), (1, 0x0034_3139)]).locale().as_deref(),
            Some("fil-419")
        );
        // No language, or a value that is not letters: no locale.
        assert_eq!(c(&[(1, US)]).locale(), None);
        assert_eq!(c(&[(0, 0xFF41)]).locale(), None);
        assert_eq!(c(&[(0, 0)]).language(), None);
        for v in [0, 5, 9, 10, 11, 77] {
            assert_eq!(KeyType::from_u32(v).to_u32(), v);
        }
        for v in 0..40 {
            assert_eq!(ResType::from_u32(v).to_u32(), v);
        }
        assert_eq!(ResType::from_u32(9), ResType::String);
        assert_eq!(ResType::from_u32(19), ResType::Media);
        assert_eq!(ResType::from_u32(20), ResType::Profile);
        assert_eq!(ResType::from_u32(14), ResType::Color);
        assert_eq!(ResType::from_u32(99), ResType::Unknown(99));
        assert_eq!(KeyType::from_u32(9), KeyType::Unknown(9));
    }

    #[test]
    fn array_items() {
        // strarray as restool composes it: u16 len, bytes, NUL per item.
        let value = b"\x07\x00Mercury\x00\x05\x00Venus\x00";
        let cfgs = vec![(vec![], vec![(0x0100_0003, 10, "planets", value.as_slice())])];
        for file in [v1(&cfgs), v2(&cfgs)] {
            let ix = ResIndex::parse(&file).unwrap();
            let e = &ix.lookup(0x0100_0003).unwrap()[0];
            assert!(e.res_type.is_array());
            assert_eq!(e.value, value);
            assert_eq!(
                e.items().collect::<Vec<_>>(),
                [b"Mercury".as_slice(), b"Venus"]
            );
        }
        let broken = Entry {
            id: 1,
            res_type: ResType::StrArray,
            name: "x".into(),
            value: b"\x03\x00ab",
            config: 0,
        };
        assert_eq!(broken.items().count(), 0);
    }

    /// The fixtures fixtures/make-resindex.sh writes with mkindex.py: both
    /// layouts of one spec read the same.
    #[test]
    fn python_writer_fixtures() {
        let a = include_bytes!("../../fixtures/resindex/locales-v1.index");
        let b = include_bytes!("../../fixtures/resindex/locales-v2.index");
        let (a, b) = (ResIndex::parse(a).unwrap(), ResIndex::parse(b).unwrap());
        assert_eq!(summary(&a), summary(&b));
        assert_eq!(a.configs(), b.configs());
        let dirs: Vec<_> = a.configs().iter().map(Config::dir_name).collect();
        assert_eq!(
            dirs,
            [
                "base",
                "dark",
                "en_US",
                "es_419",
                "fil",
                "horizontal-phone",
                "mcc460_mnc1-zh_CN",
                "pointingdevice",
                "tablet-xldpi",
                "zh_CN",
                "zh_Hans",
                "zh_Hant_TW"
            ]
        );
        for ix in [&a, &b] {
            let names = ix.lookup(0x0100_0000).unwrap();
            let by_locale: Vec<_> = names
                .iter()
                .map(|e| (ix.config_of(e).unwrap().locale(), e.text().into_owned()))
                .collect();
            assert!(by_locale.contains(&(Some("zh-Hant-TW".into()), "多語言".into())));
            assert!(by_locale.contains(&(Some("es-419".into()), "Idiomas".into())));
            assert!(by_locale.contains(&(None, "Locales".into())));
            assert_eq!(names.len(), 8);
            let icon = ix.lookup(0x0100_0001).unwrap();
            assert_eq!(icon[0].name, "app_icon");
            assert_eq!(icon.len(), 3);
            let plural = &ix.lookup(0x0100_0004).unwrap()[0];
            assert_eq!(plural.items().count(), 4);
            // restool leaves "id" resources out.
            assert!(ix.lookup(0x0100_0009).unwrap().is_empty());
            assert_eq!(ix.entries().count(), 22);
        }
    }

    fn corpus_index(rel: &str) -> Option<Vec<u8>> {
        let root = std::env::var_os("APKINFO_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
            });
        let path = root.join(rel);
        let Ok(hap) = std::fs::read(&path) else {
            eprintln!("note: {} not found — corpus test skipped", path.display());
            return None;
        };
        let zip = crate::zip::Archive::parse(&hap, &crate::Limits::default()).unwrap();
        let e = zip.find("resources.index").unwrap();
        Some(zip.read(&e).unwrap().into_owned())
    }

    #[test]
    fn corpus_harmony_hap() {
        let Some(data) = corpus_index("app-info/apps/harmony.hap") else {
            return;
        };
        let ix = ResIndex::parse(&data).unwrap();
        assert_eq!((ix.layout(), ix.version()), (Layout::V1, "Restool 5.008"));
        let dirs: Vec<_> = ix.configs().iter().map(Config::dir_name).collect();
        assert_eq!(dirs, ["base", "en_US", "zh_CN"]);
        let name = ix.lookup(16_777_216).unwrap();
        assert_eq!(name[0].text(), "MyApplication");
        assert_eq!(
            (name[0].name.as_ref(), name[0].res_type),
            ("app_name", ResType::String)
        );
        assert!(ix.configs()[name[0].config].is_base());
        let icon = ix.lookup(16_777_217).unwrap();
        assert_eq!(icon.len(), 1);
        assert_eq!(icon[0].res_type, ResType::Media);
        assert_eq!(icon[0].text(), "entry/resources/base/media/app_icon.png");
        let all: Vec<_> = ix.entries().collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 18);
        assert!(all
            .iter()
            .any(|e| ix.configs()[e.config].locale().as_deref() == Some("zh-CN")));
    }

    #[test]
    fn corpus_solopi_hap() {
        let Some(data) = corpus_index("harmony/solopi/entry-default-signed.hap") else {
            return;
        };
        let ix = ResIndex::parse(&data).unwrap();
        assert_eq!((ix.layout(), ix.version()), (Layout::V1, "Restool 4.103"));
        let locales: Vec<_> = ix.configs().iter().map(Config::locale).collect();
        assert_eq!(locales, [None, Some("en-US".into()), Some("zh-CN".into())]);
        let all: Vec<_> = ix.entries().collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 92);
        assert_eq!(ix.lookup(16_777_216).unwrap()[0].text(), "SoloPi");
    }
}
