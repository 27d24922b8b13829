//! A small owned element tree built from [`Events`](super::Events), for queries
//! and for printing the manifest as text.

use super::{AxmlError, Event, XmlDocument};
use crate::apk::res::{DataType, ResValue};
use std::sync::Arc;

/// The Android attribute namespace.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// Strings are shared (`Arc<str>`): a manifest repeats the same few names and
/// values thousands of times (framework-res: 5000 permissions), and a shared
/// string costs a counter bump where a `String` costs an allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub ns: Option<Arc<str>>,
    /// The name string; may be junk when an obfuscator rewrote it.
    pub name: Arc<str>,
    /// The resource id from the resource map (how Android itself finds android: attributes).
    pub res_id: Option<u32>,
    /// The raw string value, when the compiler kept one.
    pub raw: Option<Arc<str>>,
    pub value: ResValue,
    /// The string a `TYPE_STRING` value points at.
    pub string: Option<Arc<str>>,
}

impl Attribute {
    /// The value as a string when it is one (typed string, else raw string).
    pub fn as_str(&self) -> Option<&str> {
        match self.value.data_type {
            DataType::String => self.string.as_deref().or(self.raw.as_deref()),
            _ => self.raw.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub ns: Option<Arc<str>>,
    pub name: Arc<str>,
    pub line: u32,
    pub attributes: Vec<Attribute>,
    /// Indices into [`XmlTree::elements`].
    pub children: Vec<usize>,
}

impl Element {
    /// An attribute found by resource id first (immune to renamed strings), then
    /// by name among attributes that carry no resource id.
    pub fn attr(&self, res_id: u32, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.res_id == Some(res_id))
            .or_else(|| {
                self.attributes
                    .iter()
                    .find(|a| a.res_id.is_none() && &*a.name == name)
            })
    }

    /// A plain attribute (no namespace) by name, like `package` on `<manifest>`.
    pub fn plain_attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| &*a.name == name && a.ns.is_none())
            .or_else(|| self.attributes.iter().find(|a| &*a.name == name))
    }
}

/// The document as a tree. `elements[0]` is the root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct XmlTree {
    pub elements: Vec<Element>,
    /// Namespace declarations in document order: (prefix, uri).
    pub namespaces: Vec<(Arc<str>, Arc<str>)>,
    pub warnings: Vec<String>,
}

impl XmlTree {
    pub fn build(doc: &XmlDocument<'_>, max_depth: usize) -> Result<XmlTree, AxmlError> {
        XmlTree::build_only(doc, max_depth, &|_| true)
    }

    /// Like [`build`](Self::build), but keeps only the root and the elements
    /// `keep` accepts by name, each only under a kept parent. Facts need a
    /// dozen element kinds; a platform manifest declares thousands of others
    /// (framework-res: 5000 `<permission>`s and broadcasts), and skipping them
    /// skips their attributes. Depth limits and warnings are those of the
    /// whole document.
    pub fn build_only(
        doc: &XmlDocument<'_>,
        max_depth: usize,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<XmlTree, AxmlError> {
        let mut tree = XmlTree {
            warnings: doc.warnings().to_vec(),
            ..XmlTree::default()
        };
        // Tree index of each open element; None for one that is skipped.
        let mut stack: Vec<Option<usize>> = Vec::new();
        let mut closed_root = false;
        // Each pool string decoded once and then shared.
        let mut memo: Vec<Option<Option<Arc<str>>>> = Vec::new();
        let mut string = |i: u32| -> Option<Arc<str>> {
            let k = i as usize;
            if i == super::NO_INDEX || k >= doc.strings.len() {
                return None;
            }
            if memo.len() <= k {
                memo.resize(k + 1, None);
            }
            match memo.get_mut(k) {
                Some(Some(s)) => s.clone(),
                Some(slot) => {
                    let v: Option<Arc<str>> = doc.string(i).map(|c| Arc::from(c.as_ref()));
                    *slot = Some(v.clone());
                    v
                }
                None => None,
            }
        };
        for event in doc.events() {
            let event = match event {
                Ok(e) => e,
                Err(e) => {
                    tree.warnings.push(format!("{e}; the rest is ignored"));
                    break;
                }
            };
            match event {
                Event::StartNamespace { prefix, uri } => {
                    let prefix = string(prefix).unwrap_or_default();
                    let uri = string(uri).unwrap_or_default();
                    if !tree
                        .namespaces
                        .iter()
                        .any(|(p, u)| *p == prefix && *u == uri)
                    {
                        tree.namespaces.push((prefix, uri));
                    }
                }
                Event::StartElement(start) => {
                    if closed_root {
                        // Android stops at the end of the first root element.
                        tree.warnings
                            .push("binary XML has content after its root element; ignored".into());
                        break;
                    }
                    if stack.len() >= max_depth {
                        return Err(AxmlError::TooDeep(max_depth));
                    }
                    let name = string(start.name).unwrap_or_default();
                    let parent = match stack.last() {
                        None => None,
                        Some(None) => {
                            stack.push(None);
                            continue;
                        }
                        Some(Some(p)) => Some(*p),
                    };
                    if parent.is_some() && !keep(&name) {
                        stack.push(None);
                        continue;
                    }
                    let attributes = start
                        .attributes()
                        .map(|a| Attribute {
                            ns: string(a.ns),
                            name: string(a.name).unwrap_or_default(),
                            res_id: doc.resource_id(a.name),
                            raw: string(a.raw_value),
                            value: a.value,
                            string: (a.value.data_type == DataType::String)
                                .then(|| string(a.value.data))
                                .flatten(),
                        })
                        .collect();
                    let index = tree.elements.len();
                    tree.elements.push(Element {
                        ns: string(start.ns),
                        name,
                        line: start.line,
                        attributes,
                        children: Vec::new(),
                    });
                    if let Some(parent) = parent.and_then(|p| tree.elements.get_mut(p)) {
                        parent.children.push(index);
                    }
                    stack.push(Some(index));
                }
                Event::EndElement { .. } => {
                    // Names are not matched: Android pops regardless.
                    stack.pop();
                    if stack.is_empty() && !tree.elements.is_empty() {
                        closed_root = true;
                    }
                }
                Event::EndNamespace { .. } | Event::Cdata { .. } => {}
            }
        }
        if tree.elements.is_empty() {
            return Err(AxmlError::NoRoot);
        }
        Ok(tree)
    }

    pub fn root(&self) -> Option<&Element> {
        self.elements.first()
    }

    /// Children of `parent` named `name`.
    pub fn children<'t>(
        &'t self,
        parent: &'t Element,
        name: &'t str,
    ) -> impl Iterator<Item = &'t Element> + 't {
        parent
            .children
            .iter()
            .filter_map(|&i| self.elements.get(i))
            .filter(move |e| &*e.name == name)
    }

    /// Render as indented XML text. `describe` turns a typed value into text
    /// (it may resolve references to names); strings are escaped here.
    pub fn to_xml(&self, describe: &dyn Fn(&Attribute) -> String) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        if !self.elements.is_empty() {
            self.write_element(0, 0, describe, &mut out);
        }
        out
    }

    fn prefix_for(&self, uri: &str) -> Option<&str> {
        self.namespaces
            .iter()
            .find(|(_, u)| &**u == uri)
            .map(|(p, _)| &**p)
            .or((uri == ANDROID_NS).then_some("android"))
    }

    fn qualified(&self, ns: Option<&str>, name: &str) -> String {
        match ns.and_then(|u| self.prefix_for(u)) {
            Some(p) if !p.is_empty() => format!("{p}:{name}"),
            _ => name.to_string(),
        }
    }

    fn write_element(
        &self,
        index: usize,
        depth: usize,
        describe: &dyn Fn(&Attribute) -> String,
        out: &mut String,
    ) {
        let Some(e) = self.elements.get(index) else {
            return;
        };
        let indent = "  ".repeat(depth);
        out.push_str(&indent);
        out.push('<');
        out.push_str(&self.qualified(e.ns.as_deref(), &e.name));
        if index == 0 {
            for (p, u) in &self.namespaces {
                out.push_str(&format!(" xmlns:{p}=\"{}\"", escape(u)));
            }
        }
        for a in &e.attributes {
            let name = self.qualified(a.ns.as_deref(), &a.name);
            let name = if name.is_empty() {
                a.res_id
                    .map(|id| format!("_0x{id:08x}"))
                    .unwrap_or_default()
            } else {
                name
            };
            out.push_str(&format!(" {name}=\"{}\"", escape(&describe(a))));
        }
        if e.children.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        for &c in &e.children {
            // Children always come after their parent, so this recursion ends;
            // its depth is bounded by `max_depth` at build time.
            if c > index {
                self.write_element(c, depth + 1, describe, out);
            }
        }
        out.push_str(&indent);
        out.push_str("</");
        out.push_str(&self.qualified(e.ns.as_deref(), &e.name));
        out.push_str(">\n");
    }
}

fn escape(s: &str) -> String {
    let mut out = quick_xml::escape::escape(s).into_owned();
    // Control characters are not allowed in XML 1.0 text.
    out.retain(|c| !c.is_control() || c == '\t' || c == '\n');
    out
}
