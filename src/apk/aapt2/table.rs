//! aapt2's protobuf `ResourceTable` (an App Bundle module's `resources.pb`).
//!
//! Like [`ResourceTable`](crate::apk::arsc::ResourceTable), parsing only
//! indexes packages and types; an id's entries are decoded when asked for.
//! Values come back as the binary table's [`Entry`]/[`ResValue`]: strings
//! and file paths have no global pool here, so a string value's `data` is
//! the offset of its field in the file, and [`ProtoTable::string`] reads it
//! from there (file paths marked by the top bit and given the module's
//! folder, so they name the bundle's ZIP entry).

use super::{item, ItemValue};
use crate::apk::arsc::{Config, Entry, EntryValue};
use crate::apk::res::{DataType, ResValue};
use crate::proto::{self, Message, ProtoError, Value};
use std::borrow::Cow;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProtoTableError {
    #[error("resource table (protobuf): {0}")]
    Proto(#[from] ProtoError),
    #[error("resource table (protobuf) is {0} bytes; over 2 GiB is not read")]
    TooLarge(usize),
}

/// Marks a string value's `data` as a file path (the offsets below it fit
/// in 31 bits: larger tables are refused).
const FILE_PATH: u32 = 0x8000_0000;

#[derive(Debug, Clone)]
struct Package<'a> {
    id: Option<u32>,
    types: Vec<TypeRef<'a>>,
}

#[derive(Debug, Clone)]
struct TypeRef<'a> {
    id: Option<u32>,
    name: Cow<'a, str>,
    msg: Message<'a>,
}

/// A protobuf resource table, indexed by package and type.
#[derive(Debug, Clone)]
pub struct ProtoTable<'a> {
    data: &'a [u8],
    /// The module folder file paths are relative to ("base/").
    prefix: String,
    packages: Vec<Package<'a>>,
    warnings: Vec<String>,
}

/// An id field: proto3's `PackageId`/`TypeId`/`EntryId` message, or the
/// plain varint of aapt2's first (proto2) layout.
fn id_of(m: Message<'_>, n: u32) -> Option<u32> {
    let f = m.last(n)?;
    let v = match f.value {
        Value::Varint(v) => v,
        Value::Bytes(_) => f.message()?.uint(1),
        _ => return None,
    };
    u32::try_from(v).ok()
}

impl<'a> ProtoTable<'a> {
    /// Index `data`; file paths in it are relative to `prefix` (a module's
    /// folder, with its trailing slash).
    pub fn parse(data: &'a [u8], prefix: &str) -> Result<ProtoTable<'a>, ProtoTableError> {
        if data.len() > (FILE_PATH - 1) as usize {
            return Err(ProtoTableError::TooLarge(data.len()));
        }
        let top = Message::new(data);
        top.validate()?;
        let mut warnings = Vec::new();
        let mut packages = Vec::new();
        for p in top.messages(2) {
            let mut types = Vec::new();
            for f in p.fields() {
                let f = match f {
                    Ok(f) => f,
                    Err(e) => {
                        warnings.push(format!(
                            "resources.pb: package: {e}; its other types are ignored"
                        ));
                        break;
                    }
                };
                let Some(t) = f.message().filter(|_| f.number == 3) else {
                    continue;
                };
                if let Err(e) = t.validate() {
                    warnings.push(format!("resources.pb: type: {e}; read up to there"));
                }
                types.push(TypeRef {
                    id: id_of(t, 1),
                    name: t.string(2).unwrap_or_default(),
                    msg: t,
                });
            }
            packages.push(Package {
                id: id_of(p, 1),
                types,
            });
        }
        Ok(ProtoTable {
            data,
            prefix: prefix.to_string(),
            packages,
            warnings,
        })
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The types that can hold `id`: its package's (or the only package's)
    /// types with its type id.
    fn types_of(&self, id: u32) -> impl Iterator<Item = &TypeRef<'a>> + '_ {
        let pkg_id = id >> 24;
        let pkg = self.packages.iter().find(|p| p.id == Some(pkg_id)).or(
            match self.packages.as_slice() {
                [only] => Some(only),
                _ => None,
            },
        );
        let type_id = (id >> 16) & 0xff;
        pkg.into_iter()
            .flat_map(|p| p.types.iter())
            .filter(move |t| t.id == Some(type_id))
    }

    /// The `Entry` message of `id`.
    fn entry(&self, id: u32) -> Option<(&TypeRef<'a>, Message<'a>)> {
        let index = id & 0xffff;
        self.types_of(id).find_map(|t| {
            t.msg
                .messages(3)
                .find(|e| id_of(*e, 1) == Some(index))
                .map(|e| (t, e))
        })
    }

    /// Every configuration's value of `id`, in stored order.
    pub fn entries(&self, id: u32) -> Vec<Entry> {
        let Some((_, e)) = self.entry(id) else {
            return Vec::new();
        };
        e.messages(6)
            .filter_map(|cv| {
                let value = cv.message(2)?;
                Some(Entry {
                    config: cv.message(1).map(config).unwrap_or_default(),
                    value: entry_value(value)?,
                })
            })
            .collect()
    }

    /// The text a string value's `data` points at (see the module's doc).
    pub fn string(&self, data: u32) -> Option<Cow<'a, str>> {
        let at = (data & !FILE_PATH) as usize;
        let s = proto::field_at(self.data, at)?.string()?;
        if data & FILE_PATH != 0 {
            Some(Cow::Owned(format!("{}{s}", self.prefix)))
        } else {
            Some(s)
        }
    }

    /// Every resource id the table assigns, in stored order (at most
    /// `max`): entries without an id, or in a package or type without one,
    /// have none.
    pub fn resource_ids(&self, max: usize) -> Vec<u32> {
        let mut out = Vec::new();
        for p in &self.packages {
            let Some(pkg) = p.id.filter(|&i| i <= 0xff) else {
                continue;
            };
            for t in &p.types {
                let Some(ty) = t.id.filter(|&i| i <= 0xff) else {
                    continue;
                };
                for e in t.msg.messages(3) {
                    if out.len() >= max {
                        return out;
                    }
                    if let Some(entry) = id_of(e, 1).filter(|&i| i <= 0xffff) {
                        out.push(pkg << 24 | ty << 16 | entry);
                    }
                }
            }
        }
        out
    }

    /// "type/name" of a resource (e.g. "mipmap/ic_launcher").
    pub fn name(&self, id: u32) -> Option<String> {
        let (t, e) = self.entry(id)?;
        Some(format!("{}/{}", t.name, e.string(2)?))
    }
}

/// A `Value`: an `Item` (field 4) or a `CompoundValue` (field 5, a bag whose
/// items apkinfo does not need).
fn entry_value(value: Message<'_>) -> Option<EntryValue> {
    if let Some(i) = value.message(4) {
        let v = match item(i)? {
            ItemValue::Typed(v) => v,
            ItemValue::Text(f) => ResValue {
                data_type: DataType::String,
                data: u32::try_from(f.tag_at).ok()?,
            },
            ItemValue::File(f) => ResValue {
                data_type: DataType::String,
                data: u32::try_from(f.tag_at).ok()? | FILE_PATH,
            },
        };
        return Some(EntryValue::Simple(v));
    }
    value.message(5).map(|_| EntryValue::Complex {
        parent: 0,
        items: Vec::new(),
    })
}

/// aapt2's `Configuration` as the binary `ResTable_config` it stands for.
/// The enums map onto the binary fields' values (Configuration.proto and
/// ResourceTypes.h); where the orders differ (long, night, round, wide
/// colour gamut, HDR: proto lists "yes" first) they are swapped here.
pub fn config(m: Message<'_>) -> Config {
    let mut c = Config::default();
    let u8v = |n: u32| u8::try_from(m.uint(n)).unwrap_or(0);
    let u16v = |n: u32| u16::try_from(m.uint(n)).unwrap_or(u16::MAX);
    let yes_no = |v: u8| match v {
        1 => 2,
        2 => 1,
        _ => 0,
    };
    c.mcc = u16v(1);
    c.mnc = u16v(2);
    if let Some(l) = m.string(3) {
        c.set_locale(&l);
    }
    c.screen_width = u16v(5);
    c.screen_height = u16v(6);
    c.screen_width_dp = u16v(7);
    c.screen_height_dp = u16v(8);
    c.smallest_screen_width_dp = u16v(9);
    c.screen_layout = (u8v(10) & 0x0f) | (yes_no(u8v(11)) & 3) << 4 | (u8v(4) & 3) << 6;
    c.screen_layout2 = yes_no(u8v(12)) & 3;
    c.color_mode = (yes_no(u8v(13)) & 3) | (yes_no(u8v(14)) & 3) << 2;
    c.orientation = u8v(15);
    c.ui_mode = (u8v(16) & 0x0f) | (yes_no(u8v(17)) & 3) << 4;
    c.density = u16v(18);
    c.touchscreen = u8v(19);
    c.input_flags = (u8v(20) & 3) | (u8v(22) & 3) << 2;
    c.keyboard = u8v(21);
    c.navigation = u8v(23);
    c.sdk_version = u16v(24);
    // Give the struct a size that covers every field set, as aapt2 does.
    c.size = 64;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::proto::test_encode::{ld, vf};

    fn config_value(config: Vec<u8>, item: Vec<u8>) -> Vec<u8> {
        let mut cv = ld(1, &config);
        cv.extend(ld(2, &ld(4, &item)));
        ld(6, &cv)
    }

    /// package 0x7f: string/app_name (default "App", zh-CN "应用"),
    /// mipmap/icon (xxhdpi file), string/alias → @string/app_name.
    fn table() -> Vec<u8> {
        let mut name = ld(1, &vf(1, 0));
        name.extend(ld(2, b"app_name"));
        name.extend(config_value(vec![], ld(2, &ld(1, b"App"))));
        name.extend(config_value(
            ld(3, "zh-CN".as_bytes()),
            ld(2, &ld(1, "应用".as_bytes())),
        ));
        let mut alias = ld(1, &vf(1, 1));
        alias.extend(ld(2, b"alias"));
        alias.extend(config_value(vec![], ld(1, &vf(2, 0x7f02_0000))));
        let mut strings = ld(1, &vf(1, 2));
        strings.extend(ld(2, b"string"));
        strings.extend(ld(3, &name));
        strings.extend(ld(3, &alias));
        let mut icon = ld(1, &vf(1, 0));
        icon.extend(ld(2, b"icon"));
        icon.extend(config_value(
            vf(18, 480),
            ld(5, &ld(1, b"res/mipmap-xxhdpi-v4/icon.png")),
        ));
        let mut mipmap = ld(1, &vf(1, 3));
        mipmap.extend(ld(2, b"mipmap"));
        mipmap.extend(ld(3, &icon));
        let mut pkg = ld(1, &vf(1, 0x7f));
        pkg.extend(ld(2, b"com.example"));
        pkg.extend(ld(3, &strings));
        pkg.extend(ld(3, &mipmap));
        ld(2, &pkg)
    }

    #[test]
    fn strings_files_references_and_configs() {
        let data = table();
        let t = ProtoTable::parse(&data, "base/").unwrap();
        let e = t.entries(0x7f02_0000);
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].config.locale().as_deref(), Some("zh-CN"));
        let EntryValue::Simple(v) = e[1].value else {
            panic!()
        };
        assert_eq!(v.data_type, DataType::String);
        assert_eq!(t.string(v.data).as_deref(), Some("应用"));
        let EntryValue::Simple(r) = t.entries(0x7f02_0001)[0].value else {
            panic!()
        };
        assert_eq!(r.reference(), Some(0x7f02_0000));
        let icon = t.entries(0x7f03_0000);
        assert_eq!(icon[0].config.density(), 480);
        let EntryValue::Simple(f) = icon[0].value else {
            panic!()
        };
        assert_eq!(
            t.string(f.data).as_deref(),
            Some("base/res/mipmap-xxhdpi-v4/icon.png")
        );
        assert_eq!(t.name(0x7f03_0000).as_deref(), Some("mipmap/icon"));
        assert_eq!(
            t.resource_ids(10),
            vec![0x7f02_0000, 0x7f02_0001, 0x7f03_0000]
        );
        assert_eq!(t.resource_ids(1), vec![0x7f02_0000]);
        assert!(t.entries(0x7f03_0001).is_empty());
        assert!(t.entries(0x7f09_0000).is_empty());
    }

    #[test]
    fn locales_and_qualifiers_map_to_binary_fields() {
        let mut m = ld(3, b"sr-Latn-RS");
        m.extend(vf(17, 1)); // night
        m.extend(vf(24, 26));
        let c = config(Message::new(&m));
        assert_eq!(c.locale().as_deref(), Some("sr-Latn-RS"));
        assert_eq!(c.ui_mode, 0x20);
        assert_eq!(c.sdk_version(), 26);
        let c = config(Message::new(&ld(3, b"es-419")));
        assert_eq!(c.locale().as_deref(), Some("es-419"));
        let c = config(Message::new(&ld(3, b"fil")));
        assert_eq!(c.locale().as_deref(), Some("fil"));
    }

    #[test]
    fn hostile_tables_fail_or_yield_nothing() {
        assert!(ProtoTable::parse(&[0x12, 0x50], "").is_err());
        let t = ProtoTable::parse(&[], "").unwrap();
        assert!(t.entries(0x7f01_0000).is_empty());
        // A string offset that points nowhere.
        assert_eq!(t.string(12345), None);
    }
}
