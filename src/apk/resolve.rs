//! Following attribute values through resources.arsc: references, locales,
//! densities. Every chain is bounded by `Limits::max_reference_depth`.

use crate::apk::aapt2::table::ProtoTable;
use crate::apk::arsc::{best_for_locale, Config, Entry, EntryValue, ResourceTable};
use crate::apk::axml::Attribute;
use crate::apk::res::{DataType, ResValue};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// A resource table in either of its forms: `resources.arsc` in an APK,
/// aapt2's protobuf `resources.pb` in an App Bundle module.
#[derive(Debug, Clone)]
pub enum Table<'a> {
    Arsc(ResourceTable<'a>),
    Proto(ProtoTable<'a>),
}

impl<'a> Table<'a> {
    pub fn warnings(&self) -> &[String] {
        match self {
            Table::Arsc(t) => t.warnings(),
            Table::Proto(t) => t.warnings(),
        }
    }

    /// Every configuration's value of `id`; empty when absent or broken.
    pub fn entries(&self, id: u32) -> Vec<Entry> {
        match self {
            Table::Arsc(t) => t.entries(id).unwrap_or_default(),
            Table::Proto(t) => t.entries(id),
        }
    }

    /// The text of a `TYPE_STRING` value found in this table.
    pub fn string(&self, data: u32) -> Option<Cow<'a, str>> {
        match self {
            Table::Arsc(t) => t.string(data),
            Table::Proto(t) => t.string(data),
        }
    }

    /// "type/name" of a resource.
    pub fn name(&self, id: u32) -> Option<String> {
        match self {
            Table::Arsc(t) => t.name(id),
            Table::Proto(t) => t.name(id),
        }
    }
}

/// What a value finally is, after references are followed.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Str(String),
    Int(i64),
    Other(ResValue),
}

impl Resolved {
    pub fn into_string(self) -> Option<String> {
        match self {
            Resolved::Str(s) => Some(s),
            Resolved::Int(i) => Some(i.to_string()),
            Resolved::Other(_) => None,
        }
    }
}

/// Resolves values against an optional resource table (an APK may have none).
pub struct Resolver<'t, 'a> {
    table: Option<&'t Table<'a>>,
    max_depth: usize,
    /// Entries already decoded: a label asked for in 100 locales decodes its
    /// configurations once, not 100 times.
    cache: RefCell<Vec<(u32, Rc<Vec<Entry>>)>>,
}

/// Resource ids whose entries are kept decoded.
const CACHE_IDS: usize = 64;

impl<'t, 'a> Resolver<'t, 'a> {
    pub fn new(table: Option<&'t Table<'a>>, max_depth: usize) -> Self {
        Resolver {
            table,
            max_depth,
            cache: RefCell::new(Vec::new()),
        }
    }

    pub fn table(&self) -> Option<&'t Table<'a>> {
        self.table
    }

    /// Entries of `id`, or empty (errors become empty: a broken table must not
    /// hide the manifest's own facts; the caller reports the table's warnings).
    pub fn entries(&self, id: u32) -> Rc<Vec<Entry>> {
        if let Some((_, e)) = self.cache.borrow().iter().find(|(i, _)| *i == id) {
            return Rc::clone(e);
        }
        let entries = Rc::new(self.table.map(|t| t.entries(id)).unwrap_or_default());
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= CACHE_IDS {
            cache.remove(0);
        }
        cache.push((id, Rc::clone(&entries)));
        entries
    }

    /// Follow `value` for a device set to `locale` (None: no locale).
    pub fn resolve(
        &self,
        value: ResValue,
        locale: Option<&str>,
    ) -> Result<Option<Resolved>, String> {
        let mut value = value;
        for _ in 0..=self.max_depth {
            if let Some(id) = value.reference() {
                let entries = self.entries(id);
                let Some(entry) = best_for_locale(&entries, locale) else {
                    return Ok(None);
                };
                match &entry.value {
                    EntryValue::Simple(v) => value = *v,
                    EntryValue::Complex { .. } => return Ok(None),
                }
                continue;
            }
            return Ok(Some(match value.data_type {
                DataType::String => match self.table.and_then(|t| t.string(value.data)) {
                    Some(s) => Resolved::Str(s.into_owned()),
                    None => return Ok(None),
                },
                _ => match value.as_int() {
                    Some(i) => Resolved::Int(i),
                    None => Resolved::Other(value),
                },
            }));
        }
        Err(format!(
            "reference chain longer than {} (the max-reference-depth limit; a cycle?) starting at 0x{:08x}",
            self.max_depth, value.data
        ))
    }

    /// An attribute's value: its inline string, or what its reference resolves to.
    pub fn attr(&self, attr: &Attribute, locale: Option<&str>) -> Result<Option<Resolved>, String> {
        if attr.value.data_type == DataType::String || attr.value.data_type == DataType::Null {
            return Ok(attr.as_str().map(|s| Resolved::Str(s.to_string())));
        }
        if attr.value.reference().is_none() {
            if let Some(i) = attr.value.as_int() {
                return Ok(Some(Resolved::Int(i)));
            }
        }
        self.resolve(attr.value, locale)
    }

    /// Every locale with its own value somewhere along `value`'s reference chain.
    pub fn locales_of(&self, value: ResValue) -> Vec<String> {
        let mut out = Vec::new();
        let mut ids = Vec::new();
        let mut next = value.reference();
        while let Some(id) = next {
            if ids.contains(&id) || ids.len() > self.max_depth {
                break;
            }
            ids.push(id);
            let entries = self.entries(id);
            for e in entries.iter() {
                if let Some(l) = e.config.locale() {
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
            next = best_for_locale(&entries, None).and_then(|e| match &e.value {
                EntryValue::Simple(v) => v.reference(),
                EntryValue::Complex { .. } => None,
            });
        }
        out.sort();
        out
    }

    /// Every (configuration, file path) a file resource such as an icon has,
    /// following references (an alias like `@mipmap/a` → `@drawable/b`) in
    /// each configuration.
    pub fn files(&self, id: u32) -> Vec<(Config, String)> {
        let mut out = Vec::new();
        self.collect_files(id, 0, &mut out);
        out
    }

    fn collect_files(&self, id: u32, depth: usize, out: &mut Vec<(Config, String)>) {
        if depth > self.max_depth || out.len() > 512 {
            return;
        }
        for e in self.entries(id).iter() {
            let EntryValue::Simple(v) = e.value else {
                continue;
            };
            if let Some(next) = v.reference() {
                self.collect_files(next, depth + 1, out);
            } else if v.data_type == DataType::String {
                if let Some(s) = self.table.and_then(|t| t.string(v.data)) {
                    out.push((e.config.clone(), s.into_owned()));
                }
            }
        }
    }
}
