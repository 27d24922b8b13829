use super::*;
use flate2::write::DeflateEncoder;
use std::io::Write;

/// A tiny ZIP writer for tests: (name, data, deflate?) entries, optional prefix.
pub(crate) fn build(entries: &[(&str, &[u8], bool)], prefix: &[u8], fix_offsets: bool) -> Vec<u8> {
    let mut out = prefix.to_vec();
    let base = if fix_offsets { 0 } else { prefix.len() };
    let mut central = Vec::new();
    for (name, data, deflate) in entries {
        let offset = (out.len() - base) as u32;
        let stored: Vec<u8> = if *deflate {
            let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(data).unwrap();
            enc.finish().unwrap()
        } else {
            data.to_vec()
        };
        let method: u16 = if *deflate { 8 } else { 0 };
        let crc = 0u32;
        out.extend_from_slice(&raw::LOCAL_SIG.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&stored);

        central.extend_from_slice(&raw::CENTRAL_SIG.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0; 4]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = (out.len() - base) as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&raw::END_SIG.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn reads_stored_and_deflated() {
    let z = build(
        &[("a.txt", b"hello", false), ("b.txt", &[7u8; 5000], true)],
        b"",
        true,
    );
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    assert_eq!(a.len(), 2);
    assert!(a.warnings().is_empty());
    let e = a.find("a.txt").unwrap();
    assert!(matches!(a.read(&e).unwrap(), Cow::Borrowed(b"hello")));
    assert_eq!(a.read(&a.find("b.txt").unwrap()).unwrap().len(), 5000);
    assert!(a.find("c.txt").is_none());
}

#[test]
fn prepended_data_with_fixed_offsets_and_without() {
    for fix in [true, false] {
        let z = build(&[("x", b"1", false)], &[0xAA; 100], fix);
        let a = Archive::parse(&z, &Limits::default()).unwrap();
        assert_eq!(&*a.read(&a.find("x").unwrap()).unwrap(), b"1");
        assert_eq!(a.warnings().is_empty(), fix, "{:?}", a.warnings());
    }
}

#[test]
fn backslash_names_and_duplicates() {
    let z = build(
        &[
            ("res\\a.png", b"A", false),
            ("x", b"1", false),
            ("x", b"2", false),
        ],
        b"",
        true,
    );
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    assert_eq!(&*a.read(&a.find("res/a.png").unwrap()).unwrap(), b"A");
    assert_eq!(&*a.read(&a.find("x").unwrap()).unwrap(), b"1");
    assert_eq!(a.len(), 3);
    assert!(a.warnings().iter().any(|w| w.contains("more than once")));
}

#[test]
fn prefix_ranges_take_backslash_names_and_records_re_read_in_directory_order() {
    let z = build(
        &[
            ("lib/x86/b.so", b"B", false),
            ("META-INF/CERT.SF", b"s", false),
            ("lib\\arm64-v8a\\a.so", b"A", false),
            ("libfoo", b"f", false),
            ("lib/x86/b.so", b"C", false),
        ],
        b"",
        true,
    );
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    let names = |it: &mut dyn Iterator<Item = crate::zip::CentralRecord<'_>>| {
        it.map(|e| e.name_normalized().into_owned())
            .collect::<Vec<_>>()
    };
    // Name order; both records of a repeated name; `\\` read as `/` and
    // listed after the plain names; `libfoo` is not under `lib/`.
    assert_eq!(
        names(&mut a.with_prefix("lib/")),
        ["lib/x86/b.so", "lib/x86/b.so", "lib/arm64-v8a/a.so"]
    );
    assert_eq!(names(&mut a.with_prefix("META-INF/")), ["META-INF/CERT.SF"]);
    assert!(a.with_prefix("res/").next().is_none());
    assert_eq!(
        names(&mut a.entries()),
        [
            "lib/x86/b.so",
            "META-INF/CERT.SF",
            "lib/arm64-v8a/a.so",
            "libfoo",
            "lib/x86/b.so"
        ]
    );
    assert_eq!(a.len(), 5);
}

#[test]
fn caps_inflation() {
    let big = vec![0u8; 3 << 20];
    let z = build(&[("bomb", &big, true)], b"", true);
    let limits = Limits {
        max_entry_size: 1 << 20,
        ..Limits::default()
    };
    let a = Archive::parse(&z, &limits).unwrap();
    assert!(matches!(
        a.read(&a.entries().next().unwrap()),
        Err(ZipError::TooLarge { .. })
    ));
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    assert!(matches!(
        a.read(&a.entries().next().unwrap()),
        Err(ZipError::Ratio { .. })
    ));
}

#[test]
fn hostile_directory_fields() {
    let mut z = build(&[("x", b"1", false)], b"", true);
    let n = z.len();
    // Entry count far above reality: warn, read what is there.
    z[n - 12..n - 10].copy_from_slice(&0xffffu16.to_le_bytes());
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    assert_eq!(a.len(), 1);
    assert!(!a.warnings().is_empty());
    // Directory offset past the end of the file.
    z[n - 6..n - 2].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
    assert!(Archive::parse(&z, &Limits::default()).is_err());
    // Every truncation fails cleanly.
    let z = build(&[("x", b"1", false)], b"", true);
    for cut in 0..z.len() {
        let _ = Archive::parse(&z[..cut], &Limits::default())
            .map(|a| a.entries().filter(|e| a.read(e).is_ok()).count());
    }
    assert!(matches!(
        Archive::parse(b"not a zip", &Limits::default()),
        Err(ZipError::NoEndRecord)
    ));
}

#[test]
fn an_entry_larger_than_declared_is_refused() {
    let mut z = build(&[("m", &[1u8; 5000], true)], b"", true);
    // Central record: uncompressed size at +24 of the record.
    let cd = u32::from_le_bytes(z[z.len() - 6..z.len() - 2].try_into().unwrap()) as usize;
    z[cd + 24..cd + 28].copy_from_slice(&100u32.to_le_bytes());
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    assert!(matches!(
        a.read(&a.entries().next().unwrap()),
        Err(ZipError::SizeMismatch { declared: 100, .. })
    ));
}

/// A copy with the local-header offset of each central record rewritten, in
/// directory order.
fn with_offsets(z: &[u8], offsets: &[u32]) -> Vec<u8> {
    let mut z = z.to_vec();
    let sig = raw::CENTRAL_SIG.to_le_bytes();
    let at: Vec<usize> = (0..z.len() - 4).filter(|&i| z[i..i + 4] == sig).collect();
    assert_eq!(at.len(), offsets.len());
    for (i, o) in at.iter().zip(offsets) {
        z[i + 42..i + 46].copy_from_slice(&o.to_le_bytes());
    }
    z
}

#[test]
fn overlaps_are_counted_whatever_the_directory_order() {
    let entries: &[(&str, &[u8], bool)] = &[
        ("a", b"AAAA", false),
        ("b", b"BBBB", false),
        ("c", b"CCCC", false),
    ];
    let z = build(entries, b"", true);
    let overlap_warning = |z: &[u8]| {
        let a = Archive::parse(z, &Limits::default()).unwrap();
        a.warnings().iter().find(|w| w.contains("overlap")).cloned()
    };
    assert_eq!(overlap_warning(&z), None);
    // Local headers are 31 bytes apart (30 + 1-byte name) + 4 data bytes.
    let (a, b, c) = (0u32, 35, 70);
    let reversed = with_offsets(&z, &[c, b, a]);
    assert_eq!(overlap_warning(&reversed), None, "out of order, no overlap");
    let shared = with_offsets(&z, &[a, a, c]);
    assert!(overlap_warning(&shared).unwrap().starts_with("1 entries"));
    let both = with_offsets(&z, &[c, a, a]);
    assert!(
        overlap_warning(&both).unwrap().starts_with("1 entries"),
        "out of order and overlapping"
    );
}

#[test]
fn names_pointing_outside_are_warned_once_with_the_first_three() {
    let entries: &[(&str, &[u8], bool)] = &[
        ("ok/..x", b"", false),
        ("../up", b"", false),
        ("a/../../b", b"", false),
        ("/abs", b"", false),
        ("C:x", b"", false),
        ("..\\win", b"", false),
    ];
    let z = build(entries, b"", true);
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    let w: Vec<&String> = a
        .warnings()
        .iter()
        .filter(|w| w.contains("outside"))
        .collect();
    assert_eq!(w.len(), 1);
    assert!(
        w[0].ends_with(r#""../up", "a/../../b", "/abs""#),
        "{}",
        w[0]
    );
}

#[test]
fn stream_feeds_what_read_returns_without_the_entry_size_cap() {
    let text: Vec<u8> = (0..300_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let z = build(&[("s", &text, false), ("d", &text, true)], b"", true);
    // Both entries are over this per-entry cap: read refuses them, stream does not.
    let limits = Limits {
        max_entry_size: 64 << 10,
        ..Limits::default()
    };
    let a = Archive::parse(&z, &limits).unwrap();
    for e in a.entries() {
        assert!(matches!(a.read(&e), Err(ZipError::TooLarge { .. })));
        let mut got = Vec::new();
        let n = a.stream(&e, |piece| got.extend_from_slice(piece)).unwrap();
        assert_eq!(n as usize, text.len());
        assert_eq!(got, text, "{}", e.name_lossy());
    }
}

#[test]
fn stream_refuses_overruns_and_stops_at_the_archive_budget() {
    let data = vec![5u8; 200_000];
    let mut z = build(&[("d", &data, true)], b"", true);
    // Declare 1000 bytes fewer in the central directory: Android refuses the overrun.
    let cd = Archive::parse(&z, &Limits::default()).unwrap().cd_offset;
    let at = cd + 24;
    z[at..at + 4].copy_from_slice(&199_000u32.to_le_bytes());
    let a = Archive::parse(&z, &Limits::default()).unwrap();
    let e = a.entries().next().unwrap();
    assert!(matches!(
        a.stream(&e, |_| {}),
        Err(ZipError::SizeMismatch { .. })
    ));
    // Budget: max(max_total_inflated, factor × archive size) = 300 000 bytes
    // here, so the first 200 000-byte stream passes and the second does not.
    let z = build(&[("d", &data, true)], b"", true);
    let limits = Limits {
        max_total_inflated: 300_000,
        max_stream_factor: 1,
        ..Limits::default()
    };
    let a = Archive::parse(&z, &limits).unwrap();
    let e = a.entries().next().unwrap();
    assert!(a.stream(&e, |_| {}).is_ok());
    assert!(matches!(
        a.stream(&e, |_| {}),
        Err(ZipError::StreamTooLarge { limit: 300_000 })
    ));
}

#[test]
fn stream_hands_every_stored_and_compressed_byte_to_the_release_hook() {
    // Incompressible (xorshift), so the deflated copy is over 1 MiB too.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let big: Vec<u8> = (0..(3u32 << 20) + 777)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let z = build(&[("s", &big, false), ("d", &big, true)], b"", true);
    let released = std::sync::Mutex::new(Vec::<(usize, usize)>::new());
    let base = z.as_ptr() as usize;
    let hook = |b: &[u8]| {
        released
            .lock()
            .unwrap()
            .push((b.as_ptr() as usize - base, b.len()))
    };
    let mut a = Archive::parse(&z, &Limits::default()).unwrap();
    a.set_release(Some(&hook));
    for e in a.entries() {
        let raw = a.raw_data(&e).unwrap();
        let from = raw.as_ptr() as usize - base;
        released.lock().unwrap().clear();
        a.stream(&e, |_| {}).unwrap();
        let mut spans = released.lock().unwrap().clone();
        spans.sort();
        // Whole mebibytes, contiguous from the start of the stored bytes;
        // only a tail shorter than that is left to the caller.
        let mut at = from;
        for (off, len) in spans {
            assert_eq!(off, at, "{}", e.name_lossy());
            assert_eq!(len, 1 << 20, "{}", e.name_lossy());
            at += len;
        }
        assert!(from + raw.len() - at < 1 << 20, "{}", e.name_lossy());
        assert!(at > from, "{}", e.name_lossy());
    }
}
