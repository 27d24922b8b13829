//! aapt2's protobuf XML (`XmlNode`): an App Bundle's manifests and XML
//! resources. Read into the same [`XmlTree`] binary XML gives, walking the
//! nesting with an explicit stack (bounded by `max_depth`), never recursion.

use super::{item, ItemValue};
use crate::apk::axml::{Attribute, Element, XmlTree};
use crate::apk::res::{DataType, ResValue};
use crate::proto::{Fields, Message, ProtoError};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProtoXmlError {
    #[error("protobuf XML: {0}")]
    Proto(#[from] ProtoError),
    #[error("protobuf XML nests deeper than {0} elements (the max-xml-depth limit)")]
    TooDeep(usize),
    #[error("protobuf XML has no root element")]
    NoRoot,
}

/// `XmlNode` and `XmlElement` field numbers.
mod node {
    pub const ELEMENT: u32 = 1;
    pub const SOURCE: u32 = 3;
}
mod element {
    pub const NAMESPACE_DECLARATION: u32 = 1;
    pub const NAMESPACE_URI: u32 = 2;
    pub const NAME: u32 = 3;
    pub const ATTRIBUTE: u32 = 4;
    pub const CHILD: u32 = 5;
}

/// Does `data` look like a protobuf `XmlNode` rather than binary XML? Binary
/// XML starts with its chunk type (0x0003, or 0x0000 from some packers);
/// an `XmlNode` starts with field 1 (element, tag 0x0a) or 2 (text, 0x12).
pub fn is_proto_xml(data: &[u8]) -> bool {
    matches!(data.first(), Some(0x0a | 0x12))
}

/// Build the tree of a whole document.
pub fn tree(data: &[u8], max_depth: usize) -> Result<XmlTree, ProtoXmlError> {
    tree_only(data, max_depth, &|_| true)
}

/// Like [`tree`], keeping only the root and the elements `keep` accepts by
/// name, each only under a kept parent (as
/// [`XmlTree::build_only`] does for binary XML). The depth limit holds for
/// the whole document.
pub fn tree_only(
    data: &[u8],
    max_depth: usize,
    keep: &dyn Fn(&str) -> bool,
) -> Result<XmlTree, ProtoXmlError> {
    let top = Message::new(data);
    top.validate()?;
    let root = top.message(node::ELEMENT).ok_or(ProtoXmlError::NoRoot)?;
    let mut b = Builder::default();
    let line = line_of(top);
    b.element(root, line, None);
    // Each open element: its remaining fields, and its index in the tree
    // (None for one that is skipped, with everything under it).
    let mut stack: Vec<(Fields<'_>, Option<usize>)> = vec![(root.fields(), Some(0))];
    while let Some((fields, index)) = stack.last_mut() {
        let parent = *index;
        let field = match fields.next() {
            None => {
                stack.pop();
                continue;
            }
            Some(Err(e)) => {
                b.tree
                    .warnings
                    .push(format!("protobuf XML: {e}; the rest is ignored"));
                break;
            }
            Some(Ok(f)) => f,
        };
        if field.number != element::CHILD {
            continue;
        }
        // Text nodes carry nothing apkinfo reports.
        let Some(child) = field.message() else {
            continue;
        };
        let Some(el) = child.message(node::ELEMENT) else {
            continue;
        };
        if stack.len() >= max_depth {
            return Err(ProtoXmlError::TooDeep(max_depth));
        }
        let kept = match parent {
            Some(p) if el.string(element::NAME).is_some_and(|n| keep(&n)) => {
                Some(b.element(el, line_of(child), Some(p)))
            }
            _ => None,
        };
        stack.push((el.fields(), kept));
    }
    Ok(b.tree)
}

fn line_of(node: Message<'_>) -> u32 {
    node.message(node::SOURCE)
        .map_or(0, |s| u32::try_from(s.uint(1)).unwrap_or(u32::MAX))
}

#[derive(Default)]
struct Builder<'a> {
    tree: XmlTree,
    /// Each distinct string once (a manifest repeats the same names).
    strings: HashMap<&'a [u8], Arc<str>>,
}

impl<'a> Builder<'a> {
    fn intern(&mut self, bytes: &'a [u8]) -> Arc<str> {
        self.strings
            .entry(bytes)
            .or_insert_with(|| Arc::from(String::from_utf8_lossy(bytes).as_ref()))
            .clone()
    }

    /// A string field, `None` when absent or empty (proto3's default).
    fn field(&mut self, m: Message<'a>, n: u32) -> Option<Arc<str>> {
        let bytes = m.last(n)?.bytes()?;
        (!bytes.is_empty()).then(|| self.intern(bytes))
    }

    /// Add an element (its namespaces and attributes; children come later)
    /// and return its index.
    fn element(&mut self, el: Message<'a>, line: u32, parent: Option<usize>) -> usize {
        for ns in el.messages(element::NAMESPACE_DECLARATION) {
            let prefix = self.field(ns, 1).unwrap_or_else(|| Arc::from(""));
            let uri = self.field(ns, 2).unwrap_or_else(|| Arc::from(""));
            if !self
                .tree
                .namespaces
                .iter()
                .any(|(p, u)| *p == prefix && *u == uri)
            {
                self.tree.namespaces.push((prefix, uri));
            }
        }
        let attributes = el
            .messages(element::ATTRIBUTE)
            .map(|a| self.attribute(a))
            .collect();
        let index = self.tree.elements.len();
        let e = Element {
            ns: self.field(el, element::NAMESPACE_URI),
            name: self
                .field(el, element::NAME)
                .unwrap_or_else(|| Arc::from("")),
            line,
            attributes,
            children: Vec::new(),
        };
        self.tree.elements.push(e);
        if let Some(p) = parent.and_then(|p| self.tree.elements.get_mut(p)) {
            p.children.push(index);
        }
        index
    }

    /// `XmlAttribute`: namespace_uri 1, name 2, value 3, resource_id 5,
    /// compiled_item 6. Without a compiled item the value is a plain string.
    fn attribute(&mut self, a: Message<'a>) -> Attribute {
        let raw = a.last(3).and_then(|f| f.bytes()).map(|b| self.intern(b));
        let res_id = u32::try_from(a.uint(5)).ok().filter(|&id| id != 0);
        let string_value = |v| ResValue {
            data_type: DataType::String,
            data: v,
        };
        let (value, string) = match a.message(6).and_then(item) {
            None => (string_value(0), raw.clone()),
            Some(ItemValue::Typed(v)) => (v, None),
            Some(ItemValue::Text(f) | ItemValue::File(f)) => {
                (string_value(0), f.bytes().map(|b| self.intern(b)))
            }
        };
        Attribute {
            ns: self.field(a, 1),
            name: self.field(a, 2).unwrap_or_else(|| Arc::from("")),
            res_id,
            raw,
            value,
            string,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::proto::test_encode::{ld, vf};

    fn el(name: &str, attrs: &[Vec<u8>], children: &[Vec<u8>]) -> Vec<u8> {
        let mut e = ld(3, name.as_bytes());
        for a in attrs {
            e.extend(ld(4, a));
        }
        for c in children {
            e.extend(ld(5, c));
        }
        ld(1, &e)
    }

    #[test]
    fn builds_elements_attributes_and_typed_values() {
        let ns = b"http://schemas.android.com/apk/res/android";
        // android:versionCode="7" compiled as int_decimal 7.
        let mut code = ld(1, ns);
        code.extend(ld(2, b"versionCode"));
        code.extend(ld(3, b"7"));
        code.extend([5 << 3, 0x9b, 0x84, 0x84, 0x08]); // resource_id 0x0101021b
        code.extend(ld(6, &ld(7, &vf(6, 7))));
        let mut package = ld(2, b"package");
        package.extend(ld(3, b"com.example"));
        let uses = el("uses-permission", &[], &[]);
        let skipped = el("meta-data", &[], &[]);
        let root = el("manifest", &[code, package], &[uses, skipped]);
        let t = tree_only(&root, 16, &|n| n == "uses-permission").unwrap();
        assert_eq!(t.elements.len(), 2);
        let m = t.root().unwrap();
        assert_eq!(&*m.name, "manifest");
        assert_eq!(m.children, vec![1]);
        let a = m.attr(0x0101_021b, "versionCode").unwrap();
        assert_eq!(a.value.data_type, DataType::IntDec);
        assert_eq!(a.value.data, 7);
        assert_eq!(
            m.plain_attr("package").unwrap().as_str(),
            Some("com.example")
        );
        assert!(is_proto_xml(&root));
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let mut node = el("x", &[], &[]);
        for _ in 0..5000 {
            node = el("x", &[], &[node]);
        }
        assert_eq!(tree(&node, 256), Err(ProtoXmlError::TooDeep(256)));
        assert!(tree(&node, 10_000).is_ok());
    }

    #[test]
    fn broken_input_is_an_error_or_a_warning() {
        assert_eq!(tree(&[], 8), Err(ProtoXmlError::NoRoot));
        assert!(tree(&[0x0a, 0x05, 0x1a], 8).is_err());
        // A well-formed root whose child list breaks off: kept, with a warning.
        let mut body = ld(3, b"manifest");
        body.extend([5 << 3 | 2, 0x7f]); // a child claiming 127 bytes, none there
        let t = tree(&ld(1, &body), 8).unwrap();
        assert_eq!(t.elements.len(), 1);
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    }
}
