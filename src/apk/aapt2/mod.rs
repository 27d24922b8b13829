//! aapt2's protobuf formats (`frameworks/base/tools/aapt2/Resources.proto`,
//! `Configuration.proto`), the form an Android App Bundle stores its
//! manifest, XML resources and resource table in.
//!
//! Both are read into the same shapes as their binary counterparts, so the
//! rest of the APK code (facts, labels, icons) works on either:
//! [`xml::tree`] builds an [`XmlTree`](crate::apk::axml::XmlTree) from an
//! `XmlNode`, and [`table::ProtoTable`] answers resource lookups with the
//! same [`Entry`](crate::apk::arsc::Entry) values `resources.arsc` gives.

pub mod table;
pub mod xml;

use crate::apk::res::{DataType, ResValue};
use crate::proto::{Message, Value};

/// `Item` field numbers.
mod item {
    pub const REF: u32 = 1;
    pub const STR: u32 = 2;
    pub const RAW_STR: u32 = 3;
    pub const STYLED_STR: u32 = 4;
    pub const FILE: u32 = 5;
    pub const ID: u32 = 6;
    pub const PRIM: u32 = 7;
}

/// What an `Item` is, with its text borrowed where it has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ItemValue<'a> {
    /// A typed value that needs no text (reference, primitive, id).
    Typed(ResValue),
    /// `String`, `RawString`, `StyledString`: the text field, as read (the
    /// field's tag offset lets a table find it again).
    Text(crate::proto::Field<'a>),
    /// `FileReference`: the path field, as read.
    File(crate::proto::Field<'a>),
}

/// Decode an `Item` (the last of its `oneof` fields wins, as protobuf says).
pub(crate) fn item(m: Message<'_>) -> Option<ItemValue<'_>> {
    let mut out = None;
    for f in m.fields().map_while(Result::ok) {
        let Some(sub) = f.message() else { continue };
        out = match f.number {
            item::REF => Some(ItemValue::Typed(reference(sub))),
            item::STR | item::RAW_STR | item::STYLED_STR => sub.last(1).map(ItemValue::Text),
            item::FILE => sub.last(1).map(ItemValue::File),
            item::ID => Some(ItemValue::Typed(ResValue {
                data_type: DataType::Null,
                data: 0,
            })),
            item::PRIM => primitive(sub).map(ItemValue::Typed),
            _ => continue,
        };
    }
    out
}

/// A `Reference`: `@type/name` (type 0) or `?attr` (type 1) by id. A
/// reference by name only (id 0) resolves to nothing, as in a binary table.
fn reference(m: Message<'_>) -> ResValue {
    let data_type = if m.uint(1) == 1 {
        DataType::Attribute
    } else {
        DataType::Reference
    };
    ResValue {
        data_type,
        data: m.uint(2) as u32,
    }
}

/// A `Primitive`: the `Res_value` type and data it stands for.
fn primitive(m: Message<'_>) -> Option<ResValue> {
    let mut out = None;
    for f in m.fields().map_while(Result::ok) {
        let (data_type, data) = match (f.number, f.value) {
            // NullType: DATA_NULL_UNDEFINED; EmptyType: DATA_NULL_EMPTY.
            (1, _) => (DataType::Null, 0),
            (2, _) => (DataType::Null, 1),
            (3, Value::Fixed32(v)) => (DataType::Float, v),
            // The deprecated float forms of dimension and fraction have no
            // Res_value encoding; nothing apkinfo reports uses them.
            (4 | 5, _) => continue,
            (6, Value::Varint(v)) => (DataType::IntDec, v as u32),
            (7, Value::Varint(v)) => (DataType::IntHex, v as u32),
            (8, Value::Varint(v)) => (DataType::IntBoolean, if v != 0 { u32::MAX } else { 0 }),
            (9, Value::Varint(v)) => (DataType::ColorArgb8, v as u32),
            (10, Value::Varint(v)) => (DataType::ColorRgb8, v as u32),
            (11, Value::Varint(v)) => (DataType::ColorArgb4, v as u32),
            (12, Value::Varint(v)) => (DataType::ColorRgb4, v as u32),
            (13, Value::Varint(v)) => (DataType::Dimension, v as u32),
            (14, Value::Varint(v)) => (DataType::Fraction, v as u32),
            _ => continue,
        };
        out = Some(ResValue { data_type, data });
    }
    out
}
