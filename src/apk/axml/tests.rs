//! A binary XML writer for tests, and tests of the reader's tolerances.

use super::*;
use crate::apk::res::string_pool::tests::build as build_pool;

pub(crate) struct Attr<'s> {
    pub ns: bool,
    pub name: &'s str,
    pub res_id: Option<u32>,
    pub value: AttrValue<'s>,
}

pub(crate) enum AttrValue<'s> {
    Str(&'s str),
    Int(u32),
    Ref(u32),
}

pub(crate) enum Node<'s> {
    Start(&'s str, Vec<Attr<'s>>),
    End(&'s str),
}

/// Options to bend the output the way packers do.
#[derive(Default, Clone, Copy)]
pub(crate) struct Quirks {
    pub attr_size: Option<u16>,
    pub attr_start: Option<u16>,
    pub utf16: bool,
    pub header_type: Option<u16>,
    pub header_size_field: Option<u32>,
    pub unknown_chunk: bool,
}

fn chunk(kind: u16, header_size: u16, body_after_header8: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&header_size.to_le_bytes());
    out.extend_from_slice(&((8 + body_after_header8.len()) as u32).to_le_bytes());
    out.extend_from_slice(body_after_header8);
    out
}

pub(crate) fn build(nodes: &[Node<'_>], q: Quirks) -> Vec<u8> {
    const NS: &str = "http://schemas.android.com/apk/res/android";
    // Attribute names with ids first, as aapt does, so the map lines up.
    let mut strings: Vec<String> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();
    for n in nodes {
        if let Node::Start(_, attrs) = n {
            for a in attrs {
                if let Some(id) = a.res_id {
                    if !strings.iter().any(|s| s == a.name) {
                        strings.push(a.name.to_string());
                        ids.push(id);
                    }
                }
            }
        }
    }
    let intern = |s: &str, strings: &mut Vec<String>| -> u32 {
        if let Some(i) = strings.iter().position(|x| x == s) {
            return i as u32;
        }
        strings.push(s.to_string());
        (strings.len() - 1) as u32
    };
    let ns_uri = intern(NS, &mut strings);
    let ns_prefix = intern("android", &mut strings);
    let mut body = Vec::new();
    let node = |kind: u16, ext: &[u8], body: &mut Vec<u8>| {
        let mut b = Vec::new();
        b.extend_from_slice(&1u32.to_le_bytes()); // line
        b.extend_from_slice(&0xffff_ffffu32.to_le_bytes()); // comment
        b.extend_from_slice(ext);
        body.extend(chunk(kind, 16, &b));
    };
    let mut ext = Vec::new();
    ext.extend_from_slice(&ns_prefix.to_le_bytes());
    ext.extend_from_slice(&ns_uri.to_le_bytes());
    node(0x0100, &ext, &mut body);
    if q.unknown_chunk {
        body.extend(chunk(0x0666, 8, &[0; 8]));
    }
    for n in nodes {
        match n {
            Node::Start(name, attrs) => {
                let name_i = intern(name, &mut strings);
                let attr_size = q.attr_size.unwrap_or(20);
                let attr_start = q.attr_start.unwrap_or(20);
                let mut e = Vec::new();
                e.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
                e.extend_from_slice(&name_i.to_le_bytes());
                e.extend_from_slice(&attr_start.to_le_bytes());
                e.extend_from_slice(&attr_size.to_le_bytes());
                e.extend_from_slice(&(attrs.len() as u16).to_le_bytes());
                e.extend_from_slice(&[0; 6]);
                e.resize(attr_start as usize, 0);
                for a in attrs {
                    let start = e.len();
                    let ns = if a.ns { ns_uri } else { 0xffff_ffff };
                    let an = intern(a.name, &mut strings);
                    let (raw, ty, data) = match a.value {
                        AttrValue::Str(s) => {
                            let i = intern(s, &mut strings);
                            (i, 3u8, i)
                        }
                        AttrValue::Int(v) => (0xffff_ffff, 0x10, v),
                        AttrValue::Ref(v) => (0xffff_ffff, 0x01, v),
                    };
                    e.extend_from_slice(&ns.to_le_bytes());
                    e.extend_from_slice(&an.to_le_bytes());
                    e.extend_from_slice(&raw.to_le_bytes());
                    e.extend_from_slice(&8u16.to_le_bytes());
                    e.push(0);
                    e.push(ty);
                    e.extend_from_slice(&data.to_le_bytes());
                    e.resize(start + attr_size as usize, 0);
                }
                node(0x0102, &e, &mut body);
                if q.unknown_chunk {
                    body.extend(chunk(0x0777, 8, &[1; 4]));
                }
            }
            Node::End(name) => {
                let name_i = intern(name, &mut strings);
                let mut e = Vec::new();
                e.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
                e.extend_from_slice(&name_i.to_le_bytes());
                node(0x0103, &e, &mut body);
            }
        }
    }
    let refs: Vec<&str> = strings.iter().map(|s| s.as_str()).collect();
    let pool = build_pool(&refs, !q.utf16);
    let mut map = Vec::new();
    for id in &ids {
        map.extend_from_slice(&id.to_le_bytes());
    }
    let mut inner = pool;
    inner.extend(chunk(0x0180, 8, &map));
    inner.extend(body);
    let mut out = chunk(q.header_type.unwrap_or(3), 8, &inner);
    if let Some(size) = q.header_size_field {
        out[4..8].copy_from_slice(&size.to_le_bytes());
    }
    out
}

pub(crate) fn sample(names: [&str; 3]) -> Vec<Node<'static>> {
    // Leaked so the nodes can borrow: test-only.
    let [code, vname, label] = names.map(|s| &*Box::leak(s.to_string().into_boxed_str()));
    vec![
        Node::Start(
            "manifest",
            vec![
                Attr {
                    ns: true,
                    name: code,
                    res_id: Some(0x0101021b),
                    value: AttrValue::Int(42),
                },
                Attr {
                    ns: true,
                    name: vname,
                    res_id: Some(0x0101021c),
                    value: AttrValue::Str("4.2"),
                },
                Attr {
                    ns: false,
                    name: "package",
                    res_id: None,
                    value: AttrValue::Str("com.example.t"),
                },
            ],
        ),
        Node::Start(
            "application",
            vec![Attr {
                ns: true,
                name: label,
                res_id: Some(0x01010001),
                value: AttrValue::Ref(0x7f010000),
            }],
        ),
        Node::End("application"),
        Node::End("manifest"),
    ]
}

fn check(data: &[u8]) -> XmlTree {
    let doc = XmlDocument::parse(data).unwrap();
    let tree = XmlTree::build(&doc, 64).unwrap();
    let root = tree.root().unwrap();
    assert_eq!(&*root.name, "manifest");
    assert_eq!(
        root.attr(0x0101021b, "versionCode").unwrap().value.as_int(),
        Some(42)
    );
    assert_eq!(
        root.attr(0x0101021c, "versionName").unwrap().as_str(),
        Some("4.2")
    );
    assert_eq!(
        root.plain_attr("package").unwrap().as_str(),
        Some("com.example.t")
    );
    let app = tree.children(root, "application").next().unwrap();
    assert_eq!(
        app.attr(0x01010001, "label").unwrap().value.reference(),
        Some(0x7f010000)
    );
    tree
}

#[test]
fn plain_manifest_in_both_encodings() {
    for utf16 in [false, true] {
        let data = build(
            &sample(["versionCode", "versionName", "label"]),
            Quirks {
                utf16,
                ..Quirks::default()
            },
        );
        let tree = check(&data);
        assert!(tree.warnings.is_empty(), "{:?}", tree.warnings);
        let xml = tree.to_xml(&|a| {
            a.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| a.value.display())
        });
        assert!(xml.contains("android:versionCode=\"42\""), "{xml}");
        assert!(xml.contains("package=\"com.example.t\""), "{xml}");
    }
}

#[test]
fn obfuscated_attribute_names_are_found_by_resource_id() {
    let data = build(&sample(["", "\u{1}x", "zz"]), Quirks::default());
    check(&data);
}

#[test]
fn nonstandard_attribute_size_and_start() {
    check(&build(
        &sample(["versionCode", "versionName", "label"]),
        Quirks {
            attr_size: Some(24),
            ..Quirks::default()
        },
    ));
    check(&build(
        &sample(["versionCode", "versionName", "label"]),
        Quirks {
            attr_start: Some(28),
            ..Quirks::default()
        },
    ));
}

#[test]
fn wrong_header_and_unknown_chunks_are_tolerated() {
    let names = ["versionCode", "versionName", "label"];
    let t = check(&build(
        &sample(names),
        Quirks {
            header_type: Some(0),
            header_size_field: Some(0xffff_ff00),
            ..Quirks::default()
        },
    ));
    assert_eq!(t.warnings.len(), 2, "{:?}", t.warnings);
    let t = check(&build(
        &sample(names),
        Quirks {
            unknown_chunk: true,
            ..Quirks::default()
        },
    ));
    assert!(t.warnings.iter().any(|w| w.contains("0x0666")));
}

#[test]
fn truncation_anywhere_never_panics() {
    let data = build(
        &sample(["versionCode", "versionName", "label"]),
        Quirks::default(),
    );
    for cut in 0..data.len() {
        if let Ok(doc) = XmlDocument::parse(&data[..cut]) {
            let _ = XmlTree::build(&doc, 64);
        }
    }
    for i in 0..data.len() {
        let mut d = data.clone();
        d[i] ^= 0xff;
        if let Ok(doc) = XmlDocument::parse(&d) {
            let _ = XmlTree::build(&doc, 64);
        }
    }
}

#[test]
fn depth_is_bounded() {
    let mut nodes = Vec::new();
    for _ in 0..100 {
        nodes.push(Node::Start("a", vec![]));
    }
    let data = build(&nodes, Quirks::default());
    let doc = XmlDocument::parse(&data).unwrap();
    assert_eq!(XmlTree::build(&doc, 50), Err(AxmlError::TooDeep(50)));
}

#[test]
fn build_only_keeps_wanted_elements_and_their_order() {
    let name = |v| Attr {
        ns: true,
        name: "name",
        res_id: Some(0x0101_0003),
        value: AttrValue::Str(v),
    };
    let nodes = vec![
        Node::Start("manifest", vec![]),
        Node::Start("permission", vec![name("p.DECLARED")]),
        // A wanted name under a skipped element stays skipped.
        Node::Start("uses-permission", vec![name("p.HIDDEN")]),
        Node::End("uses-permission"),
        Node::End("permission"),
        Node::Start("uses-permission", vec![name("p.USED")]),
        Node::End("uses-permission"),
        Node::Start("application", vec![]),
        Node::Start("service", vec![]),
        Node::End("service"),
        Node::Start("activity", vec![name(".Main")]),
        Node::End("activity"),
        Node::End("application"),
        Node::End("manifest"),
    ];
    let data = build(&nodes, Quirks::default());
    let doc = XmlDocument::parse(&data).unwrap();
    let tree = XmlTree::build_only(&doc, 64, &crate::apk::manifest::wanted).unwrap();
    let names: Vec<&str> = tree.elements.iter().map(|e| &*e.name).collect();
    assert_eq!(
        names,
        ["manifest", "uses-permission", "application", "activity"]
    );
    let root = tree.root().unwrap();
    assert_eq!(root.children, [1, 2]);
    assert_eq!(tree.elements[2].children, [3]);
    assert_eq!(
        tree.elements[1]
            .attr(0x0101_0003, "name")
            .and_then(|a| a.as_str()),
        Some("p.USED")
    );
    // The whole tree has all seven.
    assert_eq!(XmlTree::build(&doc, 64).unwrap().elements.len(), 7);
}

#[test]
fn build_only_checks_depth_inside_skipped_elements() {
    let mut nodes = vec![Node::Start("manifest", vec![])];
    for _ in 0..100 {
        nodes.push(Node::Start("skipped", vec![]));
    }
    let data = build(&nodes, Quirks::default());
    let doc = XmlDocument::parse(&data).unwrap();
    assert_eq!(
        XmlTree::build_only(&doc, 50, &crate::apk::manifest::wanted),
        Err(AxmlError::TooDeep(50))
    );
}

#[test]
fn verify_walks_the_table_only_for_sdk_references() {
    let sdk = |min: AttrValue<'static>| {
        let nodes = vec![
            Node::Start("manifest", vec![]),
            Node::Start(
                "uses-sdk",
                vec![
                    Attr {
                        ns: true,
                        name: "minSdkVersion",
                        res_id: Some(crate::apk::manifest::attr::MIN_SDK_VERSION),
                        value: min,
                    },
                    Attr {
                        ns: true,
                        name: "targetSdkVersion",
                        res_id: Some(crate::apk::manifest::attr::TARGET_SDK_VERSION),
                        value: AttrValue::Int(33),
                    },
                ],
            ),
            Node::End("uses-sdk"),
            Node::End("manifest"),
        ];
        let data = build(&nodes, Quirks::default());
        let doc = XmlDocument::parse(&data).unwrap();
        XmlTree::build(&doc, 64).unwrap()
    };
    use crate::apk::manifest::sdk_needs_table;
    assert!(!sdk_needs_table(&sdk(AttrValue::Int(21))));
    assert!(!sdk_needs_table(&sdk(AttrValue::Str("Tiramisu"))));
    assert!(sdk_needs_table(&sdk(AttrValue::Ref(0x7f05_0001))));
}
