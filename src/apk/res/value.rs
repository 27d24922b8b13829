//! `Res_value`: a typed value in binary XML attributes and resource entries.

use crate::bytes::Reader;

/// `Res_value::dataType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    Null,
    Reference,
    Attribute,
    String,
    Float,
    Dimension,
    Fraction,
    DynamicReference,
    DynamicAttribute,
    IntDec,
    IntHex,
    IntBoolean,
    ColorArgb8,
    ColorRgb8,
    ColorArgb4,
    ColorRgb4,
    Unknown(u8),
}

impl From<u8> for DataType {
    fn from(v: u8) -> Self {
        match v {
            0x00 => DataType::Null,
            0x01 => DataType::Reference,
            0x02 => DataType::Attribute,
            0x03 => DataType::String,
            0x04 => DataType::Float,
            0x05 => DataType::Dimension,
            0x06 => DataType::Fraction,
            0x07 => DataType::DynamicReference,
            0x08 => DataType::DynamicAttribute,
            0x10 => DataType::IntDec,
            0x11 => DataType::IntHex,
            0x12 => DataType::IntBoolean,
            0x1c => DataType::ColorArgb8,
            0x1d => DataType::ColorRgb8,
            0x1e => DataType::ColorArgb4,
            0x1f => DataType::ColorRgb4,
            other => DataType::Unknown(other),
        }
    }
}

/// A typed value as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResValue {
    pub data_type: DataType,
    pub data: u32,
}

impl ResValue {
    /// Read the 8-byte `Res_value` (size u16, res0 u8, dataType u8, data u32).
    /// The size field is not trusted: some packers write 0 there, and Android
    /// reads the fields at their fixed places regardless.
    pub fn read(r: &mut Reader<'_>) -> Result<ResValue, crate::bytes::Truncated> {
        let _size = r.u16()?;
        let _res0 = r.u8()?;
        let data_type = DataType::from(r.u8()?);
        let data = r.u32()?;
        Ok(ResValue { data_type, data })
    }

    /// A resource id this value points at, for references (dynamic ones too).
    pub fn reference(&self) -> Option<u32> {
        match self.data_type {
            DataType::Reference | DataType::DynamicReference if self.data != 0 => Some(self.data),
            _ => None,
        }
    }

    /// The value as an integer, for the integer-like types.
    pub fn as_int(&self) -> Option<i64> {
        match self.data_type {
            // Stored as u32 bits; Android reads versionCode etc. as signed int.
            DataType::IntDec | DataType::IntHex => Some(i64::from(self.data as i32)),
            DataType::IntBoolean => Some(i64::from(self.data != 0)),
            _ => None,
        }
    }

    /// Plain-text rendering of non-string, non-reference values, in aapt's style.
    pub fn display(&self) -> String {
        let d = self.data;
        match self.data_type {
            DataType::Null => String::new(),
            DataType::Reference | DataType::DynamicReference => format!("@0x{d:08x}"),
            DataType::Attribute | DataType::DynamicAttribute => format!("?0x{d:08x}"),
            DataType::String => format!("(string #{d})"),
            DataType::Float => format!("{}", f32::from_bits(d)),
            DataType::Dimension => format!(
                "{}{}",
                complex_value(d),
                DIMENSION_UNITS
                    .get((d & 0xf) as usize)
                    .copied()
                    .unwrap_or("?")
            ),
            DataType::Fraction => format!(
                "{}{}",
                complex_value(d) * 100.0,
                if d & 0xf == 1 { "%p" } else { "%" }
            ),
            DataType::IntDec => format!("{}", d as i32),
            DataType::IntHex => format!("0x{d:x}"),
            DataType::IntBoolean => (if d != 0 { "true" } else { "false" }).to_string(),
            DataType::ColorArgb8
            | DataType::ColorRgb8
            | DataType::ColorArgb4
            | DataType::ColorRgb4 => {
                format!("#{d:08x}")
            }
            DataType::Unknown(t) => format!("(type 0x{t:02x})0x{d:x}"),
        }
    }
}

const DIMENSION_UNITS: [&str; 6] = ["px", "dip", "sp", "pt", "in", "mm"];
const RADIX_MULTS: [f32; 4] = [
    1.0 / (1u32 << 8) as f32,
    1.0 / (1u32 << 15) as f32,
    1.0 / (1u32 << 23) as f32,
    1.0 / (1u32 << 31) as f32,
];

/// Decode the mantissa/radix of a complex (dimension/fraction) value.
fn complex_value(d: u32) -> f32 {
    let mantissa = (d & 0xffff_ff00) as i32 as f32;
    let radix = ((d >> 4) & 0x3) as usize;
    mantissa * RADIX_MULTS.get(radix).copied().unwrap_or(1.0)
}
