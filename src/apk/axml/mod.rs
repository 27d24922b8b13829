//! Android binary XML (AXML), as compiled `AndroidManifest.xml` and `res/*.xml`.
//!
//! Two layers: [`XmlDocument`] is a borrowed view with a lazy [`Events`]
//! iterator over the node chunks; [`tree::XmlTree`] is a small owned tree built
//! from those events for queries. Packers and malware bend this format in ways
//! Android tolerates; each tolerance is noted where it is applied.

pub mod tree;

use crate::apk::res::{ChunkHeader, ChunkIter, ChunkType, ResValue, StringPool, StringPoolError};
use crate::bytes::{slice_at, u32_at, usize_from, Reader};
use std::borrow::Cow;
use thiserror::Error;

pub use tree::{Attribute, Element, XmlTree};

/// Sentinel for "no string" in index fields.
pub const NO_INDEX: u32 = 0xffff_ffff;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AxmlError {
    #[error("binary XML is {0} bytes, too short for a header")]
    TooShort(usize),
    #[error("binary XML has no string pool")]
    NoStringPool,
    #[error("binary XML string pool: {0}")]
    StringPool(#[from] StringPoolError),
    #[error("binary XML node at byte {at}: {what}")]
    BadNode { at: usize, what: String },
    #[error("binary XML nests deeper than {0} elements (the max-xml-depth limit)")]
    TooDeep(usize),
    #[error("binary XML has no root element")]
    NoRoot,
}

/// A parsed binary XML file: its string pool, resource map and node chunks.
#[derive(Debug, Clone)]
pub struct XmlDocument<'a> {
    pub strings: StringPool<'a>,
    /// `u32` resource ids; entry `i` belongs to string `i`.
    resource_map: &'a [u8],
    /// The bytes holding node chunks, and the offset of each in the file.
    nodes: Vec<(usize, &'a [u8])>,
    warnings: Vec<String>,
}

impl<'a> XmlDocument<'a> {
    /// Parse with the default [`Limits`](crate::Limits).
    pub fn parse(data: &'a [u8]) -> Result<XmlDocument<'a>, AxmlError> {
        XmlDocument::parse_limited(data, crate::Limits::default().max_string_pool)
    }

    /// Parse, refusing a string pool over `max_string_pool` bytes.
    pub fn parse_limited(
        data: &'a [u8],
        max_string_pool: usize,
    ) -> Result<XmlDocument<'a>, AxmlError> {
        let mut warnings = Vec::new();
        let header = ChunkHeader::parse(data, 0).ok_or(AxmlError::TooShort(data.len()))?;
        // Android's ResXMLTree checks sizes, not the type; packers exploit both.
        if header.kind != ChunkType::Xml {
            warnings.push(format!(
                "binary XML header has chunk type 0x{:04x}, not 0x0003",
                header.raw_kind
            ));
        }
        let size = usize_from(header.size);
        let body_end = if size < ChunkHeader::LEN || size > data.len() {
            warnings.push(format!(
                "binary XML header claims {} bytes, the file has {}",
                header.size,
                data.len()
            ));
            data.len()
        } else {
            size
        };
        let mut start = usize::from(header.header_size);
        if start < ChunkHeader::LEN || start > body_end {
            warnings.push(format!(
                "binary XML header size {start} is not plausible; using 8"
            ));
            start = ChunkHeader::LEN;
        }
        let body = data.get(start..body_end).unwrap_or(&[]);

        let mut strings = None;
        let mut resource_map: &[u8] = &[];
        let mut nodes = Vec::new();
        for chunk in ChunkIter::new(body, start) {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    warnings.push(format!("binary XML: {e}; the rest is ignored"));
                    break;
                }
            };
            let at = start.saturating_add(chunk.offset);
            match chunk.header.kind {
                ChunkType::StringPool if strings.is_none() => {
                    let pool = StringPool::parse_limited(chunk.data, max_string_pool)?;
                    if let Some(claimed) = pool.clamped_from() {
                        warnings.push(format!(
                            "string pool at byte {at} claims {claimed} strings, has room for {}",
                            pool.len()
                        ));
                    }
                    strings = Some(pool);
                }
                ChunkType::XmlResourceMap if resource_map.is_empty() => {
                    resource_map = chunk.body();
                }
                ChunkType::XmlStartNamespace
                | ChunkType::XmlEndNamespace
                | ChunkType::XmlStartElement
                | ChunkType::XmlEndElement
                | ChunkType::XmlCdata => nodes.push((at, chunk.data)),
                _ => warnings.push(format!(
                    "binary XML: skipped chunk of type 0x{:04x} at byte {at}",
                    chunk.header.raw_kind
                )),
            }
        }
        let strings = strings.ok_or(AxmlError::NoStringPool)?;
        Ok(XmlDocument {
            strings,
            resource_map,
            nodes,
            warnings,
        })
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The string at `index`, or `None` for [`NO_INDEX`] and bad indices.
    pub fn string(&self, index: u32) -> Option<Cow<'a, str>> {
        if index == NO_INDEX {
            return None;
        }
        self.strings.get_opt(index)
    }

    /// The resource id the map assigns to string `index` (attribute names).
    pub fn resource_id(&self, index: u32) -> Option<u32> {
        let at = usize_from(index).checked_mul(4)?;
        u32_at(self.resource_map, at).filter(|&id| id != 0)
    }

    /// The node chunks, in order, decoded one at a time.
    pub fn events(&self) -> Events<'_, 'a> {
        Events { doc: self, next: 0 }
    }
}

/// One node of the document.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    StartNamespace { prefix: u32, uri: u32 },
    EndNamespace { prefix: u32, uri: u32 },
    StartElement(StartElement<'a>),
    EndElement { ns: u32, name: u32 },
    Cdata { data: u32 },
}

/// A start tag: namespace and name indices, and its attributes as stored.
#[derive(Debug, Clone)]
pub struct StartElement<'a> {
    pub line: u32,
    pub ns: u32,
    pub name: u32,
    /// Bytes from the first attribute to the end of the chunk.
    attrs: &'a [u8],
    attr_count: usize,
    attr_stride: usize,
}

/// An attribute as stored: namespace, name, raw string and typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttribute {
    pub ns: u32,
    pub name: u32,
    pub raw_value: u32,
    pub value: ResValue,
}

/// Size of `ResXMLTree_attribute`.
const ATTRIBUTE_LEN: usize = 20;

impl<'a> StartElement<'a> {
    /// Attributes, read at `attributeStart + i * attributeSize` as Android does
    /// (not at the standard 20-byte stride: packers change both fields).
    pub fn attributes(&self) -> impl Iterator<Item = RawAttribute> + '_ {
        (0..self.attr_count).map_while(move |i| {
            let at = i.checked_mul(self.attr_stride)?;
            let mut r = Reader::new(slice_at(self.attrs, at, ATTRIBUTE_LEN)?);
            Some(RawAttribute {
                ns: r.u32().ok()?,
                name: r.u32().ok()?,
                raw_value: r.u32().ok()?,
                value: ResValue::read(&mut r).ok()?,
            })
        })
    }

    pub fn attribute_count(&self) -> usize {
        self.attr_count
    }
}

/// Lazy iterator over the node chunks.
pub struct Events<'d, 'a> {
    doc: &'d XmlDocument<'a>,
    next: usize,
}

impl<'a> Iterator for Events<'_, 'a> {
    type Item = Result<Event<'a>, AxmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        let &(at, chunk) = self.doc.nodes.get(self.next)?;
        self.next += 1;
        Some(decode_node(at, chunk))
    }
}

fn decode_node(at: usize, chunk: &[u8]) -> Result<Event<'_>, AxmlError> {
    let bad = |what: &str| AxmlError::BadNode {
        at,
        what: what.to_string(),
    };
    let header = ChunkHeader::parse(chunk, 0).ok_or_else(|| bad("truncated header"))?;
    // The extension starts after headerSize bytes, whatever that is.
    let ext_at = usize::from(header.header_size);
    let line = u32_at(chunk, 8).unwrap_or(0);
    let ext = chunk
        .get(ext_at..)
        .ok_or_else(|| bad("header size past chunk end"))?;
    let mut r = Reader::new(ext);
    let trunc = |_| bad("extension truncated");
    Ok(match header.kind {
        ChunkType::XmlStartNamespace | ChunkType::XmlEndNamespace => {
            let prefix = r.u32().map_err(trunc)?;
            let uri = r.u32().map_err(trunc)?;
            if header.kind == ChunkType::XmlStartNamespace {
                Event::StartNamespace { prefix, uri }
            } else {
                Event::EndNamespace { prefix, uri }
            }
        }
        ChunkType::XmlEndElement => Event::EndElement {
            ns: r.u32().map_err(trunc)?,
            name: r.u32().map_err(trunc)?,
        },
        ChunkType::XmlCdata => Event::Cdata {
            data: r.u32().map_err(trunc)?,
        },
        _ => {
            let ns = r.u32().map_err(trunc)?;
            let name = r.u32().map_err(trunc)?;
            let attr_start = usize::from(r.u16().map_err(trunc)?);
            let attr_size = usize::from(r.u16().map_err(trunc)?);
            let declared = usize::from(r.u16().map_err(trunc)?);
            let attrs = ext.get(attr_start..).unwrap_or(&[]);
            // Count only attributes that fit in the chunk.
            let stride = attr_size.max(1);
            let fit = if attrs.len() >= ATTRIBUTE_LEN {
                (attrs.len() - ATTRIBUTE_LEN) / stride + 1
            } else {
                0
            };
            Event::StartElement(StartElement {
                line,
                ns,
                name,
                attrs,
                attr_count: declared.min(fit),
                attr_stride: attr_size,
            })
        }
    })
}

#[cfg(test)]
pub(crate) mod tests;
