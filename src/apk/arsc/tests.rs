//! Hand-built tables for every layout the reader has to handle.

use super::config::pack;
use super::*;
use crate::apk::res::string_pool::tests::build as pool;

const T_STRING: u8 = 0x03;
const T_REF: u8 = 0x01;
const T_INT: u8 = 0x10;

#[derive(Clone, Copy)]
enum Mode {
    U32,
    Off16,
    Sparse,
}

fn u16le(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn u32le(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// A 64-byte `ResTable_config`, edited by `f`.
fn config(f: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut c = vec![0u8; 64];
    c[0] = 64;
    f(&mut c);
    c
}
fn locale_config(lang: &str, region: &str) -> Vec<u8> {
    config(|c| {
        c[8..10].copy_from_slice(&pack(lang, b'a'));
        c[10..12].copy_from_slice(&pack(region, b'0'));
    })
}
fn density_config(density: u16, sdk: u16) -> Vec<u8> {
    config(|c| {
        c[14..16].copy_from_slice(&density.to_le_bytes());
        c[24..26].copy_from_slice(&sdk.to_le_bytes());
    })
}

fn simple(key: u32, data_type: u8, data: u32) -> Vec<u8> {
    let mut e = Vec::new();
    u16le(&mut e, 8);
    u16le(&mut e, 0);
    u32le(&mut e, key);
    u16le(&mut e, 8);
    e.push(0);
    e.push(data_type);
    u32le(&mut e, data);
    e
}
fn compact(key: u16, data_type: u8, data: u32) -> Vec<u8> {
    let mut e = Vec::new();
    u16le(&mut e, key);
    u16le(&mut e, (u16::from(data_type) << 8) | ENTRY_FLAG_COMPACT);
    u32le(&mut e, data);
    e
}
fn bag(key: u32, parent: u32, count: Option<u32>, items: &[(u32, u8, u32)]) -> Vec<u8> {
    let mut e = Vec::new();
    u16le(&mut e, 16);
    u16le(&mut e, ENTRY_FLAG_COMPLEX);
    u32le(&mut e, key);
    u32le(&mut e, parent);
    u32le(&mut e, count.unwrap_or(items.len() as u32));
    for &(name, t, data) in items {
        u32le(&mut e, name);
        u16le(&mut e, 8);
        e.push(0);
        e.push(t);
        u32le(&mut e, data);
    }
    e
}

fn chunk(kind: u16, header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut c = Vec::new();
    u16le(&mut c, kind);
    u16le(&mut c, (8 + header.len()) as u16);
    u32le(&mut c, (8 + header.len() + body.len()) as u32);
    c.extend_from_slice(header);
    c.extend_from_slice(body);
    c
}

fn type_chunk(id: u8, mode: Mode, config: &[u8], entries: &[Option<Vec<u8>>]) -> Vec<u8> {
    let mut offs = Vec::new();
    let mut body = Vec::new();
    let mut count = 0u32;
    for (i, e) in entries.iter().enumerate() {
        match (mode, e) {
            (Mode::U32, Some(_)) => u32le(&mut offs, body.len() as u32),
            (Mode::U32, None) => u32le(&mut offs, NO_ENTRY),
            (Mode::Off16, Some(_)) => u16le(&mut offs, (body.len() / 4) as u16),
            (Mode::Off16, None) => u16le(&mut offs, NO_ENTRY16),
            (Mode::Sparse, Some(_)) => {
                u16le(&mut offs, i as u16);
                u16le(&mut offs, (body.len() / 4) as u16);
            }
            (Mode::Sparse, None) => {}
        }
        if let Some(b) = e {
            body.extend_from_slice(b);
            while body.len() % 4 != 0 {
                body.push(0);
            }
            count += 1;
        } else if !matches!(mode, Mode::Sparse) {
            count += 1;
        }
    }
    while offs.len() % 4 != 0 {
        offs.push(0);
    }
    let flags = match mode {
        Mode::U32 => 0,
        Mode::Off16 => TYPE_FLAG_OFFSET16,
        Mode::Sparse => TYPE_FLAG_SPARSE,
    };
    let header_size = 20 + config.len();
    let mut h = vec![id, flags, 0, 0];
    u32le(&mut h, count);
    u32le(&mut h, (header_size + offs.len()) as u32);
    h.extend_from_slice(config);
    let mut rest = offs;
    rest.extend_from_slice(&body);
    chunk(0x0201, &h, &rest)
}

fn type_spec(id: u8, n: u32) -> Vec<u8> {
    let mut h = vec![id, 0, 0, 0];
    u32le(&mut h, n);
    chunk(0x0202, &h, &vec![0u8; 4 * n as usize])
}

fn package(id: u32, name: &str, types: &[&str], keys: &[&str], children: &[Vec<u8>]) -> Vec<u8> {
    let tpool = pool(types, false);
    let kpool = pool(keys, true);
    let mut h = Vec::new();
    u32le(&mut h, id);
    let mut units: Vec<u16> = name.encode_utf16().collect();
    units.resize(128, 0);
    for u in units {
        u16le(&mut h, u);
    }
    u32le(&mut h, 288); // typeStrings
    u32le(&mut h, types.len() as u32);
    u32le(&mut h, (288 + tpool.len()) as u32); // keyStrings
    u32le(&mut h, keys.len() as u32);
    u32le(&mut h, 0); // typeIdOffset
    assert_eq!(h.len() + 8, 288);
    let mut body = tpool;
    body.extend_from_slice(&kpool);
    for c in children {
        body.extend_from_slice(c);
    }
    chunk(0x0200, &h, &body)
}

fn table(strings: &[&str], packages: &[Vec<u8>]) -> Vec<u8> {
    let mut h = Vec::new();
    u32le(&mut h, packages.len() as u32);
    let mut body = pool(strings, true);
    for p in packages {
        body.extend_from_slice(p);
    }
    chunk(0x0002, &h, &body)
}

const KEYS: &[&str] = &["app_name", "ic_launcher", "Theme", "count"];

fn sample_package() -> Vec<u8> {
    let mut sr = locale_config("sr", "");
    sr[36..40].copy_from_slice(b"Latn");
    package(
        0x7f,
        "com.example.app",
        &["string", "mipmap", "style"],
        KEYS,
        &[
            type_spec(1, 2),
            type_chunk(
                1,
                Mode::U32,
                &config(|_| {}),
                &[Some(simple(0, T_STRING, 0)), Some(simple(3, T_INT, 42))],
            ),
            type_chunk(
                1,
                Mode::Off16,
                &locale_config("zh", "CN"),
                &[Some(simple(0, T_STRING, 1)), None],
            ),
            type_chunk(
                1,
                Mode::Sparse,
                &locale_config("fil", ""),
                &[None, Some(simple(3, T_INT, 7))],
            ),
            // An unknown chunk in the middle of the package.
            chunk(0x0299, &[1, 2, 3, 4], &[9; 12]),
            type_chunk(1, Mode::U32, &sr, &[Some(compact(0, T_STRING, 2))]),
            type_spec(2, 1),
            type_chunk(
                2,
                Mode::U32,
                &density_config(160, 4),
                &[Some(simple(1, T_REF, 0x7f02_0001))],
            ),
            type_chunk(
                2,
                Mode::Off16,
                &density_config(640, 4),
                &[Some(simple(1, T_REF, 0x7f02_0002))],
            ),
            type_chunk(
                2,
                Mode::Sparse,
                &density_config(DENSITY_ANY, 26),
                &[Some(simple(1, T_REF, 0x7f02_0003))],
            ),
            type_spec(3, 1),
            type_chunk(
                3,
                Mode::U32,
                &config(|_| {}),
                &[Some(bag(
                    2,
                    0x0103_0005,
                    None,
                    &[(0x0101_0001, T_INT, 5), (0x0101_0002, T_REF, 0x7f01_0000)],
                ))],
            ),
        ],
    )
}

fn sample() -> Vec<u8> {
    table(
        &["My App", "我的应用", "Moja aplikacija"],
        &[sample_package()],
    )
}

fn values(t: &ResourceTable<'_>, id: u32) -> Vec<(Option<String>, u32)> {
    t.entries(id)
        .unwrap()
        .into_iter()
        .map(|e| match e.value {
            EntryValue::Simple(v) => (e.config.locale(), v.data),
            EntryValue::Complex { .. } => panic!("bag"),
        })
        .collect()
}

#[test]
fn lookups_across_offset_layouts_and_configs() {
    let data = sample();
    let t = ResourceTable::parse(&data).unwrap();
    assert_eq!(
        t.packages().collect::<Vec<_>>(),
        vec![(0x7f, "com.example.app")]
    );
    // u32, OFFSET16 and compact entries; the sparse chunk has no index 0.
    assert_eq!(
        values(&t, 0x7f01_0000),
        vec![
            (None, 0),
            (Some("zh-CN".into()), 1),
            (Some("sr-Latn".into()), 2)
        ]
    );
    // u32 and SPARSE; OFFSET16 has 0xffff there.
    assert_eq!(
        values(&t, 0x7f01_0001),
        vec![(None, 42), (Some("fil".into()), 7)]
    );
    let e = t.entries(0x7f01_0000).unwrap();
    assert_eq!(
        e[2].value,
        EntryValue::Simple(ResValue {
            data_type: DataType::String,
            data: 2
        })
    );
    assert_eq!(t.string(1).as_deref(), Some("我的应用"));
    assert_eq!(t.string(99), None);
    assert_eq!(t.name(0x7f01_0000).as_deref(), Some("string/app_name"));
    assert_eq!(t.name(0x7f01_0001).as_deref(), Some("string/count"));
    assert_eq!(t.name(0x7f02_0000).as_deref(), Some("mipmap/ic_launcher"));
    assert_eq!(t.name(0x7f03_0000).as_deref(), Some("style/Theme"));
    assert_eq!(t.name(0x7f04_0000), None);
    assert_eq!(t.locales(), vec!["fil", "sr-Latn", "zh-CN"]);
    assert_eq!(
        t.resource_ids(),
        vec![0x7f01_0000, 0x7f01_0001, 0x7f02_0000, 0x7f03_0000]
    );
    // Absent things are empty, not errors.
    for id in [
        0x7f01_0002,
        0x7f01_ffff,
        0x7f04_0000,
        0x7f00_0000,
        0x7fff_0000,
    ] {
        assert!(t.entries(id).unwrap().is_empty(), "{id:08x}");
    }
    // A lone package answers for any package byte (dynamic reference table).
    assert_eq!(
        values(&t, 0x0001_0001),
        vec![(None, 42), (Some("fil".into()), 7)]
    );
    assert!(
        t.warnings().iter().any(|w| w.contains("0x0299")),
        "{:?}",
        t.warnings()
    );
}

#[test]
fn configs_and_qualifiers() {
    let data = sample();
    let t = ResourceTable::parse(&data).unwrap();
    let q: Vec<String> = t
        .entries(0x7f01_0000)
        .unwrap()
        .iter()
        .map(|e| e.config.qualifiers())
        .collect();
    assert_eq!(q, vec!["", "zh-rCN", "b+sr+Latn"]);
    let m = t.entries(0x7f02_0000).unwrap();
    let q: Vec<String> = m.iter().map(|e| e.config.qualifiers()).collect();
    assert_eq!(q, vec!["mdpi-v4", "xxxhdpi-v4", "anydpi-v26"]);
    assert!(m.iter().all(|e| e.config.is_default_locale()));
    assert_eq!(m[1].config.density(), 640);
    assert_eq!(m[2].config.sdk_version(), 26);
}

#[test]
fn bags() {
    let data = sample();
    let t = ResourceTable::parse(&data).unwrap();
    let e = t.entries(0x7f03_0000).unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].value,
        EntryValue::Complex {
            parent: 0x0103_0005,
            items: vec![
                (
                    0x0101_0001,
                    ResValue {
                        data_type: DataType::IntDec,
                        data: 5
                    }
                ),
                (
                    0x0101_0002,
                    ResValue {
                        data_type: DataType::Reference,
                        data: 0x7f01_0000
                    }
                ),
            ]
        }
    );
}

#[test]
fn bag_count_is_bounded_by_the_bytes() {
    let pkg = package(
        0x7f,
        "p",
        &["style"],
        &["s"],
        &[type_chunk(
            1,
            Mode::U32,
            &config(|_| {}),
            &[Some(bag(0, 0, Some(u32::MAX), &[(1, T_INT, 1)]))],
        )],
    );
    let data = table(&[], &[pkg]);
    let t = ResourceTable::parse(&data).unwrap();
    match &t.entries(0x7f01_0000).unwrap()[0].value {
        EntryValue::Complex { items, .. } => assert_eq!(items.len(), 1),
        v => panic!("{v:?}"),
    }
}

#[test]
fn best_entry_for_a_locale() {
    let data = sample();
    let t = ResourceTable::parse(&data).unwrap();
    let e = t.entries(0x7f01_0000).unwrap();
    let pick = |l: Option<&str>| best_for_locale(&e, l).map(|e| e.config.qualifiers());
    assert_eq!(pick(None).as_deref(), Some(""));
    assert_eq!(pick(Some("zh-CN")).as_deref(), Some("zh-rCN"));
    assert_eq!(pick(Some("zh_CN")).as_deref(), Some("zh-rCN"));
    assert_eq!(pick(Some("zh-TW")).as_deref(), Some(""));
    assert_eq!(pick(Some("sr-Latn")).as_deref(), Some("b+sr+Latn"));
    let e = t.entries(0x7f01_0001).unwrap();
    assert_eq!(
        best_for_locale(&e, Some("fil-PH"))
            .map(|e| e.config.qualifiers())
            .as_deref(),
        Some("fil")
    );
    // Densities: anydpi wins as on a device; without it, the one scaled down.
    let m = t.entries(0x7f02_0000).unwrap();
    assert_eq!(
        best_for_locale(&m, None)
            .map(|e| e.config.qualifiers())
            .as_deref(),
        Some("anydpi-v26")
    );
    assert_eq!(
        best_for_locale(&m[..2], None)
            .map(|e| e.config.qualifiers())
            .as_deref(),
        Some("mdpi-v4")
    );
    assert_eq!(
        best_for_locale(&m[1..2], None).map(|e| e.config.density()),
        Some(640)
    );
    assert!(best_for_locale(&[], None).is_none());
    // No locale-less configuration: nothing for a locale-less device.
    let only_zh = t.entries(0x7f01_0000).unwrap()[1..2].to_vec();
    assert!(best_for_locale(&only_zh, None).is_none());
    // Fewer qualifiers first, then the higher sdk.
    let mk = |f: fn(&mut Config)| {
        let mut c = Config {
            size: 64,
            ..Config::default()
        };
        f(&mut c);
        Entry {
            config: c,
            value: EntryValue::Simple(ResValue {
                data_type: DataType::IntDec,
                data: 0,
            }),
        }
    };
    let v = [
        mk(|c| c.orientation = 2),
        mk(|c| c.sdk_version = 21),
        mk(|c| c.sdk_version = 26),
        mk(|_| {}),
    ];
    assert_eq!(
        best_for_locale(&v, None).map(|e| e.config.sdk_version()),
        Some(26)
    );
}

#[test]
fn several_packages() {
    let lib = package(
        0x00,
        "com.example.lib",
        &["string"],
        &["lib_name"],
        &[type_chunk(
            1,
            Mode::U32,
            &config(|_| {}),
            &[Some(simple(0, T_STRING, 2))],
        )],
    );
    let data = table(&["My App", "x", "Lib"], &[sample_package(), lib]);
    let t = ResourceTable::parse(&data).unwrap();
    assert_eq!(t.packages().count(), 2);
    assert_eq!(values(&t, 0x0001_0000), vec![(None, 2)]);
    assert_eq!(t.name(0x0001_0000).as_deref(), Some("string/lib_name"));
    assert_eq!(values(&t, 0x7f01_0001)[0], (None, 42));
    // Neither package: nothing.
    assert!(t.entries(0x0201_0000).unwrap().is_empty());
}

#[test]
fn huge_counts_do_not_allocate_or_panic() {
    for mode in [Mode::U32, Mode::Off16, Mode::Sparse] {
        let mut tc = type_chunk(1, mode, &config(|_| {}), &[Some(simple(0, T_INT, 5))]);
        tc[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        let pkg = package(0x7f, "p", &["integer"], &["a"], &[type_spec(1, 1), tc]);
        let data = table(&[], &[pkg]);
        let t = ResourceTable::parse(&data).unwrap();
        let e = t.entries(0x7f01_0000).unwrap();
        assert_eq!(e.len(), 1);
        for id in [0x7f01_0001, 0x7f01_1000, 0x7f01_ffff] {
            let _ = t.entries(id);
            let _ = t.name(id);
        }
        let _ = t.resource_ids();
    }
    // entriesStart past the end: every offset lands outside the chunk.
    let mut tc = type_chunk(1, Mode::U32, &config(|_| {}), &[Some(simple(0, T_INT, 5))]);
    tc[16..20].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    let data = table(&[], &[package(0x7f, "p", &["integer"], &["a"], &[tc])]);
    let t = ResourceTable::parse(&data).unwrap();
    assert!(t.entries(0x7f01_0000).unwrap().is_empty());
}

#[test]
fn bad_entry_offsets_skip_that_config() {
    // Entry offset beyond the chunk in one config; fine in another.
    let mut bad = type_chunk(
        1,
        Mode::U32,
        &locale_config("de", ""),
        &[Some(simple(0, T_INT, 5))],
    );
    let offs_at = 20 + 64;
    bad[offs_at..offs_at + 4].copy_from_slice(&0x1000u32.to_le_bytes());
    let good = type_chunk(1, Mode::U32, &config(|_| {}), &[Some(simple(0, T_INT, 6))]);
    let data = table(
        &[],
        &[package(
            0x7f,
            "p",
            &["integer"],
            &["a"],
            &[bad.clone(), good],
        )],
    );
    let t = ResourceTable::parse(&data).unwrap();
    assert_eq!(values(&t, 0x7f01_0000), vec![(None, 6)]);
    // Value cut off by the chunk end: an error when it is the only config.
    let mut cut = type_chunk(1, Mode::U32, &config(|_| {}), &[Some(simple(0, T_INT, 5))]);
    let len = cut.len();
    cut.truncate(len - 4);
    cut[4..8].copy_from_slice(&((len - 4) as u32).to_le_bytes());
    let data = table(&[], &[package(0x7f, "p", &["integer"], &["a"], &[cut])]);
    let t = ResourceTable::parse(&data).unwrap();
    let err = t.entries(0x7f01_0000).unwrap_err();
    assert!(
        matches!(
            err,
            ArscError::BadEntry {
                id: 0x7f01_0000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("at byte"), "{err}");
}

#[test]
fn chunks_running_past_the_end_are_errors() {
    let data = sample();
    // The table claims more than there is.
    let short = &data[..data.len() - 10];
    let err = ResourceTable::parse(short).unwrap_err();
    assert!(err.to_string().contains("at byte 0"), "{err}");
    // A chunk inside the package claims more than its parent holds.
    let mut d = data.clone();
    let pkg_at = 12 + pool(&["My App", "我的应用", "Moja aplikacija"], true).len();
    let first_child =
        pkg_at + 288 + pool(&["string", "mipmap", "style"], false).len() + pool(KEYS, true).len();
    assert_eq!(&d[first_child..first_child + 2], &[0x02, 0x02]);
    d[first_child + 4..first_child + 8].copy_from_slice(&0x0100_0000u32.to_le_bytes());
    let err = ResourceTable::parse(&d).unwrap_err();
    assert!(
        matches!(err, ArscError::Chunk(ChunkError::PastEnd { .. })),
        "{err}"
    );
    assert!(
        err.to_string().contains(&format!("at byte {first_child}")),
        "{err}"
    );
    // Not a table at all.
    assert!(matches!(
        ResourceTable::parse(&d[pkg_at..]),
        Err(ArscError::NotATable { .. })
    ));
    assert!(ResourceTable::parse(&[]).is_err());
    assert!(ResourceTable::parse(&[2, 0, 12]).is_err());
}

#[test]
fn mangled_tables_never_panic() {
    let data = sample();
    let probe = |d: &[u8]| {
        if let Ok(t) = ResourceTable::parse(d) {
            for id in t
                .resource_ids()
                .into_iter()
                .chain([0x7f01_0000, 0x7f02_0000, 0x7f03_0000])
            {
                let _ = t.entries(id);
                let _ = t.name(id);
            }
            let _ = t.locales();
            let _ = t.string(0);
        }
    };
    for len in 0..data.len() {
        let mut d = data[..len].to_vec();
        if len >= 8 {
            d[4..8].copy_from_slice(&(len as u32).to_le_bytes());
        }
        probe(&d);
    }
    for i in 0..data.len() {
        for v in [0x00, 0x7f, 0xff] {
            let mut d = data.clone();
            d[i] = v;
            probe(&d);
        }
    }
}

/// By hand: `unzip -p some.apk resources.arsc > /tmp/x.arsc;
/// ARSC=/tmp/x.arsc cargo test --release --lib arsc::tests::real_file -- --ignored --nocapture`
#[test]
#[ignore]
fn real_file() {
    let Ok(path) = std::env::var("ARSC") else {
        return;
    };
    let Ok(data) = std::fs::read(&path) else {
        return;
    };
    let id = std::env::var("ARSC_ID")
        .ok()
        .and_then(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0x0104_0000);
    let t0 = std::time::Instant::now();
    let t = ResourceTable::parse(&data).unwrap();
    let t1 = std::time::Instant::now();
    let e = t.entries(id).unwrap();
    let want = std::env::var("ARSC_LOCALE").ok();
    let best = best_for_locale(&e, want.as_deref()).cloned();
    let shown = best.as_ref().and_then(|b| match b.value {
        EntryValue::Simple(v) if v.data_type == DataType::String => {
            t.string(v.data).map(|s| s.into_owned())
        }
        _ => None,
    });
    let t2 = std::time::Instant::now();
    println!(
        "{path}: {} bytes, parse {:?}, lookup {:?} ({} configs of {:?}: {:?})",
        data.len(),
        t1 - t0,
        t2 - t1,
        e.len(),
        t.name(id),
        shown
    );
    let t3 = std::time::Instant::now();
    let locales = t.locales();
    println!(
        "locales: {} in {:?}: {}",
        locales.len(),
        t3.elapsed(),
        locales.join(" ")
    );
    if std::env::var("ARSC_ALL").is_ok() {
        let t4 = std::time::Instant::now();
        let ids = t.resource_ids();
        let (mut n, mut bad) = (0usize, 0usize);
        let mut quals = std::collections::BTreeSet::new();
        for &id in &ids {
            match t.entries(id) {
                Ok(v) => {
                    n += v.len();
                    quals.extend(v.iter().map(|e| e.config.qualifiers()));
                }
                Err(_) => bad += 1,
            }
            let _ = t.name(id);
        }
        if std::env::var("ARSC_QUALS").is_ok() {
            for q in &quals {
                println!("qual ({q})");
            }
            for &id in &ids {
                println!("id 0x{id:08x} {}", t.entries(id).map_or(0, |v| v.len()));
            }
        }
        println!(
            "{} ids, {n} entries, {bad} errors, in {:?}; warnings {:?}",
            ids.len(),
            t4.elapsed(),
            t.warnings()
        );
    }
}
