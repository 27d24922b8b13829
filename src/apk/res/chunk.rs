//! `ResChunk_header` and a lazy iterator over sibling chunks.

use crate::bytes::{u16_at, u32_at, usize_from};
use thiserror::Error;

/// Chunk types from `ResourceTypes.h`, with an arm for the ones we do not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkType {
    Null,
    StringPool,
    Table,
    Xml,
    XmlStartNamespace,
    XmlEndNamespace,
    XmlStartElement,
    XmlEndElement,
    XmlCdata,
    XmlResourceMap,
    TablePackage,
    TableType,
    TableTypeSpec,
    TableLibrary,
    TableOverlayable,
    TableOverlayablePolicy,
    TableStagedAlias,
    Unknown(u16),
}

impl From<u16> for ChunkType {
    fn from(v: u16) -> Self {
        match v {
            0x0000 => ChunkType::Null,
            0x0001 => ChunkType::StringPool,
            0x0002 => ChunkType::Table,
            0x0003 => ChunkType::Xml,
            0x0100 => ChunkType::XmlStartNamespace,
            0x0101 => ChunkType::XmlEndNamespace,
            0x0102 => ChunkType::XmlStartElement,
            0x0103 => ChunkType::XmlEndElement,
            0x0104 => ChunkType::XmlCdata,
            0x0180 => ChunkType::XmlResourceMap,
            0x0200 => ChunkType::TablePackage,
            0x0201 => ChunkType::TableType,
            0x0202 => ChunkType::TableTypeSpec,
            0x0203 => ChunkType::TableLibrary,
            0x0204 => ChunkType::TableOverlayable,
            0x0205 => ChunkType::TableOverlayablePolicy,
            0x0206 => ChunkType::TableStagedAlias,
            other => ChunkType::Unknown(other),
        }
    }
}

/// The 8-byte header every chunk starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkHeader {
    pub kind: ChunkType,
    pub raw_kind: u16,
    pub header_size: u16,
    pub size: u32,
}

impl ChunkHeader {
    pub const LEN: usize = 8;

    pub fn parse(data: &[u8], at: usize) -> Option<ChunkHeader> {
        let raw_kind = u16_at(data, at)?;
        Some(ChunkHeader {
            kind: ChunkType::from(raw_kind),
            raw_kind,
            header_size: u16_at(data, at.checked_add(2)?)?,
            size: u32_at(data, at.checked_add(4)?)?,
        })
    }
}

/// A chunk: its header and its bytes (header included), borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub header: ChunkHeader,
    /// Offset of the chunk within the slice the iterator walked.
    pub offset: usize,
    /// The whole chunk, header included.
    pub data: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// The chunk's header bytes (`header_size` of them, clamped to the chunk).
    pub fn header_bytes(&self) -> &'a [u8] {
        let n = usize::from(self.header.header_size).min(self.data.len());
        self.data.get(..n).unwrap_or(&[])
    }
    /// What follows the header.
    pub fn body(&self) -> &'a [u8] {
        let n = usize::from(self.header.header_size).min(self.data.len());
        self.data.get(n..).unwrap_or(&[])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ChunkError {
    #[error("chunk header truncated at byte {at}")]
    Truncated { at: usize },
    #[error("chunk at byte {at} has size {size}, smaller than its {header_size}-byte header")]
    TooSmall {
        at: usize,
        size: u32,
        header_size: u16,
    },
    #[error("chunk at byte {at} claims {size} bytes but only {left} remain")]
    PastEnd { at: usize, size: u32, left: usize },
}

/// Walks sibling chunks in `data`. Yields an error once, then stops: after a
/// bad size there is no trustworthy place to continue from.
#[derive(Debug, Clone)]
pub struct ChunkIter<'a> {
    data: &'a [u8],
    pos: usize,
    /// Absolute offset of `data[0]`, for messages.
    base: usize,
    done: bool,
}

impl<'a> ChunkIter<'a> {
    pub fn new(data: &'a [u8], base: usize) -> Self {
        ChunkIter {
            data,
            pos: 0,
            base,
            done: false,
        }
    }
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Result<Chunk<'a>, ChunkError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let at = self.base.saturating_add(self.pos);
        let left = self.data.len() - self.pos;
        let fail = |s: &mut Self, e| {
            s.done = true;
            Some(Err(e))
        };
        let Some(header) = ChunkHeader::parse(self.data, self.pos) else {
            return fail(self, ChunkError::Truncated { at });
        };
        let size = usize_from(header.size);
        if size < ChunkHeader::LEN || size < usize::from(header.header_size) {
            return fail(
                self,
                ChunkError::TooSmall {
                    at,
                    size: header.size,
                    header_size: header.header_size,
                },
            );
        }
        if size > left {
            return fail(
                self,
                ChunkError::PastEnd {
                    at,
                    size: header.size,
                    left,
                },
            );
        }
        let start = self.pos;
        self.pos += size;
        let data = self.data.get(start..self.pos).unwrap_or(&[]);
        Some(Ok(Chunk {
            header,
            offset: start,
            data,
        }))
    }
}
