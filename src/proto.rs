//! Protocol Buffers wire format: a borrowed, lazy reader.
//!
//! Android App Bundles and bundletool's split sets store their metadata as
//! protobuf (aapt2's `Resources.proto`, bundletool's `config.proto` and
//! `commands.proto`). apkinfo needs a handful of fields from a few messages,
//! so instead of generated code it reads the wire format in place: a
//! [`Message`] is a byte range, [`Message::fields`] walks it one field at a
//! time, and nothing is decoded or allocated until asked for. Why our own
//! rather than a protobuf crate: README, "Decisions".
//!
//! Hostile-input rules: every length is checked against the bytes that
//! remain before it is used, varints are at most 10 bytes, groups (wire types
//! 3 and 4, deprecated and never written by aapt2 or bundletool) are refused,
//! and nesting is never followed recursively by this module: callers descend
//! one message at a time, so their own loops bound the depth.

use std::borrow::Cow;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProtoError {
    #[error("protobuf: truncated field at byte {at}")]
    Truncated { at: usize },
    #[error("protobuf: varint longer than 10 bytes at byte {at}")]
    LongVarint { at: usize },
    #[error("protobuf: wire type {wire} at byte {at} is not supported")]
    WireType { at: usize, wire: u8 },
    #[error("protobuf: field number 0 at byte {at}")]
    FieldZero { at: usize },
}

/// A field's value as the wire stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    /// Length-delimited: a string, bytes, a packed array or a sub-message.
    Bytes(&'a [u8]),
    Fixed32(u32),
}

/// One field: its number, its value, and where its value starts (an
/// absolute offset in the file the message came from, for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    pub number: u32,
    pub value: Value<'a>,
    /// Offset of the value's first byte (after the tag and, for
    /// length-delimited values, after the length).
    pub at: usize,
    /// Offset of the field's tag: [`field_at`] reads the field again from it.
    pub tag_at: usize,
}

impl<'a> Field<'a> {
    pub fn varint(&self) -> Option<u64> {
        match self.value {
            Value::Varint(v) => Some(v),
            _ => None,
        }
    }

    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self.value {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// A sub-message, when the field is length-delimited.
    pub fn message(&self) -> Option<Message<'a>> {
        self.bytes().map(|data| Message { data, at: self.at })
    }

    /// A string field, invalid UTF-8 replaced (protobuf requires UTF-8; a
    /// hostile file may not comply, and a replaced character is better than
    /// a lost value).
    pub fn string(&self) -> Option<Cow<'a, str>> {
        self.bytes().map(String::from_utf8_lossy)
    }
}

/// A message: a range of bytes holding fields. Borrowed; `at` is where it
/// starts in the file, so errors and offsets name the file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Message<'a> {
    pub data: &'a [u8],
    pub at: usize,
}

impl<'a> Message<'a> {
    /// A whole buffer as a top-level message.
    pub fn new(data: &'a [u8]) -> Message<'a> {
        Message { data, at: 0 }
    }

    /// The fields in stored order. After an error the iterator ends.
    pub fn fields(&self) -> Fields<'a> {
        Fields {
            data: self.data,
            pos: 0,
            base: self.at,
            done: false,
        }
    }

    /// Check the whole message is well-formed at the top level.
    pub fn validate(&self) -> Result<(), ProtoError> {
        self.fields().try_for_each(|f| f.map(|_| ()))
    }

    /// The last occurrence of field `n` (protobuf: the last value of a
    /// singular field wins). Errors end the search with what was found.
    pub fn last(&self, n: u32) -> Option<Field<'a>> {
        self.fields()
            .map_while(Result::ok)
            .filter(|f| f.number == n)
            .last()
    }

    /// Field `n` as an unsigned integer (0, the proto3 default, when absent).
    pub fn uint(&self, n: u32) -> u64 {
        self.last(n).and_then(|f| f.varint()).unwrap_or(0)
    }

    /// Field `n` as a bool (false when absent).
    pub fn bool(&self, n: u32) -> bool {
        self.uint(n) != 0
    }

    /// Field `n` as a string, when present.
    pub fn string(&self, n: u32) -> Option<Cow<'a, str>> {
        self.last(n).and_then(|f| f.string())
    }

    /// Field `n` as a sub-message, when present. Several occurrences of a
    /// singular message field are merged by protobuf; aapt2 and bundletool
    /// never write more than one, so the last is taken.
    pub fn message(&self, n: u32) -> Option<Message<'a>> {
        self.last(n).and_then(|f| f.message())
    }

    /// Every occurrence of the repeated message field `n`.
    pub fn messages(&self, n: u32) -> impl Iterator<Item = Message<'a>> + 'a {
        self.fields()
            .map_while(Result::ok)
            .filter(move |f| f.number == n)
            .filter_map(|f| f.message())
    }

    /// Every occurrence of the repeated string field `n`.
    pub fn strings(&self, n: u32) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.fields()
            .map_while(Result::ok)
            .filter(move |f| f.number == n)
            .filter_map(|f| f.string())
    }
}

/// Iterator over a message's fields.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    done: bool,
}

impl<'a> Fields<'a> {
    /// `N` bytes at `pos`, or the field at `at` is truncated.
    fn fixed<const N: usize>(&self, pos: usize, at: usize) -> Result<[u8; N], ProtoError> {
        pos.checked_add(N)
            .and_then(|end| self.data.get(pos..end))
            .and_then(|b| <[u8; N]>::try_from(b).ok())
            .ok_or(ProtoError::Truncated { at })
    }

    fn read(&mut self) -> Result<Field<'a>, ProtoError> {
        let at = self.base.saturating_add(self.pos);
        let (tag, pos) = varint(self.data, self.pos).map_err(|e| e.shift(self.base))?;
        let number = u32::try_from(tag >> 3).map_err(|_| ProtoError::Truncated { at })?;
        if number == 0 {
            return Err(ProtoError::FieldZero { at });
        }
        let wire = (tag & 7) as u8;
        let value_at = self.base.saturating_add(pos);
        let (value, next, value_at) = match wire {
            0 => {
                let (v, next) = varint(self.data, pos).map_err(|e| e.shift(self.base))?;
                (Value::Varint(v), next, value_at)
            }
            1 => {
                let b: [u8; 8] = self.fixed(pos, at)?;
                (Value::Fixed64(u64::from_le_bytes(b)), pos + 8, value_at)
            }
            2 => {
                let (len, start) = varint(self.data, pos).map_err(|e| e.shift(self.base))?;
                // A length is checked against what remains before it is used.
                let len = usize::try_from(len).map_err(|_| ProtoError::Truncated { at })?;
                let end = start.checked_add(len).ok_or(ProtoError::Truncated { at })?;
                let b = self
                    .data
                    .get(start..end)
                    .ok_or(ProtoError::Truncated { at })?;
                (Value::Bytes(b), end, self.base.saturating_add(start))
            }
            5 => {
                let b: [u8; 4] = self.fixed(pos, at)?;
                (Value::Fixed32(u32::from_le_bytes(b)), pos + 4, value_at)
            }
            wire => return Err(ProtoError::WireType { at, wire }),
        };
        self.pos = next;
        Ok(Field {
            number,
            value,
            at: value_at,
            tag_at: at,
        })
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<Field<'a>, ProtoError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let r = self.read();
        self.done = r.is_err();
        Some(r)
    }
}

impl ProtoError {
    fn shift(self, base: usize) -> ProtoError {
        match self {
            ProtoError::Truncated { at } => ProtoError::Truncated {
                at: at.saturating_add(base),
            },
            ProtoError::LongVarint { at } => ProtoError::LongVarint {
                at: at.saturating_add(base),
            },
            other => other,
        }
    }
}

/// The field whose tag starts at `tag_at` in `data` (a [`Field::tag_at`]
/// of a message read from `data`), read again; `None` when it does not parse.
pub fn field_at(data: &[u8], tag_at: usize) -> Option<Field<'_>> {
    let rest = data.get(tag_at..)?;
    let mut fields = Message {
        data: rest,
        at: tag_at,
    }
    .fields();
    fields.next()?.ok()
}

/// A varint at `pos`: its value and the position after it.
pub fn varint(data: &[u8], pos: usize) -> Result<(u64, usize), ProtoError> {
    let mut value: u64 = 0;
    for i in 0..10 {
        let p = pos
            .checked_add(i)
            .ok_or(ProtoError::Truncated { at: pos })?;
        let b = *data.get(p).ok_or(ProtoError::Truncated { at: pos })?;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((value, p + 1));
        }
    }
    Err(ProtoError::LongVarint { at: pos })
}

/// A protobuf encoder for the unit tests that build messages.
#[cfg(test)]
pub(crate) mod test_encode {
    pub fn varint(mut n: u64, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    /// A length-delimited field.
    pub fn ld(field: u32, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        varint(u64::from(field << 3 | 2), &mut out);
        varint(body.len() as u64, &mut out);
        out.extend_from_slice(body);
        out
    }

    /// A varint field.
    pub fn vf(field: u32, v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        varint(u64::from(field << 3), &mut out);
        varint(v, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_encode::varint as enc_varint;

    #[test]
    fn reads_each_wire_type() {
        let mut m = Vec::new();
        enc_varint(1 << 3, &mut m);
        enc_varint(300, &mut m);
        enc_varint(2 << 3 | 2, &mut m);
        enc_varint(3, &mut m);
        m.extend_from_slice(b"abc");
        enc_varint(3 << 3 | 5, &mut m);
        m.extend_from_slice(&7u32.to_le_bytes());
        enc_varint(4 << 3 | 1, &mut m);
        m.extend_from_slice(&9u64.to_le_bytes());
        let msg = Message::new(&m);
        let f: Vec<_> = msg.fields().map(Result::unwrap).collect();
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].value, Value::Varint(300));
        assert_eq!(f[1].value, Value::Bytes(b"abc"));
        assert_eq!(f[1].at, 5);
        assert_eq!(f[2].value, Value::Fixed32(7));
        assert_eq!(f[3].value, Value::Fixed64(9));
        assert_eq!(msg.uint(1), 300);
        assert_eq!(msg.string(2).as_deref(), Some("abc"));
        assert!(msg.validate().is_ok());
    }

    #[test]
    fn distrusts_lengths_and_varints() {
        // Length 100 with 3 bytes left.
        let m = [0x12, 100, b'a', b'b', b'c'];
        let e = Message::new(&m).fields().next().unwrap().unwrap_err();
        assert_eq!(e, ProtoError::Truncated { at: 0 });
        // A length near u64::MAX must not overflow.
        let mut m = vec![0x12];
        enc_varint(u64::MAX, &mut m);
        assert!(Message::new(&m).validate().is_err());
        // Eleven continuation bytes.
        let m = [
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert_eq!(
            Message::new(&m).validate(),
            Err(ProtoError::LongVarint { at: 1 })
        );
        // Groups and field 0 are refused; the iterator stops after an error.
        let m = [0x0b, 0x0c];
        assert!(matches!(
            Message::new(&m).validate(),
            Err(ProtoError::WireType { wire: 3, .. })
        ));
        let mut it = Message::new(&[0x00, 0x08, 0x01]).fields();
        assert!(matches!(
            it.next(),
            Some(Err(ProtoError::FieldZero { at: 0 }))
        ));
        assert!(it.next().is_none());
    }

    #[test]
    fn nested_offsets_are_absolute() {
        // field 1 = message { field 2 = "x" }
        let m = [0x0a, 0x03, 0x12, 0x01, b'x'];
        let inner = Message::new(&m).message(1).unwrap();
        assert_eq!(inner.at, 2);
        let f = inner.last(2).unwrap();
        assert_eq!(f.at, 4);
        assert_eq!(f.string().as_deref(), Some("x"));
    }
}
