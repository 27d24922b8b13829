use super::*;

/// A DEX section as the tests need it: strings (already sorted by the
/// caller), every string a type, and class_defs naming `classes` (indices
/// into `strings`). `base` is where the section starts in its container;
/// offsets count from the container's start, as in 041.
fn section(
    version: &str,
    base: usize,
    strings: &[&[u8]],
    classes: &[u32],
    container: usize,
) -> Vec<u8> {
    let header = if version == "041" { 0x78 } else { 0x70 };
    let n = strings.len();
    let string_ids = header;
    let type_ids = string_ids + 4 * n;
    let class_defs = type_ids + 4 * n;
    let data = class_defs + 32 * classes.len();
    let mut body = Vec::new();
    let mut offs = Vec::new();
    for s in strings {
        offs.push(base + data + body.len());
        body.push(s.len() as u8); // utf16 length (ASCII in these tests)
        body.extend_from_slice(s);
        body.push(0);
    }
    let size = data + body.len();
    let mut d = vec![0u8; header];
    d[..8].copy_from_slice(format!("dex\n{version}\0").as_bytes());
    let put = |d: &mut Vec<u8>, at: usize, v: usize| {
        d[at..at + 4].copy_from_slice(&(v as u32).to_le_bytes())
    };
    put(&mut d, 0x20, size);
    put(&mut d, 0x24, header);
    put(&mut d, 0x28, 0x1234_5678);
    put(&mut d, 0x38, n);
    put(&mut d, 0x3c, base + string_ids);
    put(&mut d, 0x40, n);
    put(&mut d, 0x44, base + type_ids);
    put(&mut d, 0x60, classes.len());
    put(&mut d, 0x64, base + class_defs);
    if header == 0x78 {
        put(&mut d, 0x70, container);
        put(&mut d, 0x74, base);
    }
    for o in &offs {
        d.extend_from_slice(&(*o as u32).to_le_bytes());
    }
    for i in 0..n {
        d.extend_from_slice(&(i as u32).to_le_bytes());
    }
    for c in classes {
        let mut def = [0u8; 32];
        def[..4].copy_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&def);
    }
    d.extend_from_slice(&body);
    d
}

fn names(dex: &Dex<'_>) -> Vec<String> {
    dex.classes()
        .map(|c| c.unwrap().descriptor_lossy().into_owned())
        .collect()
}

#[test]
fn classes_and_strings_of_a_plain_dex() {
    let d = section(
        "035",
        0,
        &[b"La/b/C;", b"Lcom/x/Y$Z;", b"https://api.example.com/"],
        &[1, 0],
        0,
    );
    let dex = Dex::parse(&d).unwrap();
    assert_eq!(dex.version(), 35);
    assert_eq!(dex.class_count(), 2);
    assert_eq!(names(&dex), ["Lcom/x/Y$Z;", "La/b/C;"]);
    let classes: Vec<_> = dex.classes().map(Result::unwrap).collect();
    assert_eq!(classes[0].package().as_deref(), Some("com.x"));
    assert_eq!(classes[0].java_name().as_deref(), Some("com.x.Y$Z"));
    let strings: Vec<_> = dex.strings().map(Result::unwrap).collect();
    assert_eq!(strings[2], b"https://api.example.com/");
}

#[test]
fn a_041_container_holds_sections_one_after_another() {
    let first = section("041", 0, &[b"La/A;"], &[0], 0);
    let second = section("041", first.len(), &[b"Lb/B;", b"Lb/C;"], &[1, 0], 0);
    let total = first.len() + second.len();
    let mut d = section("041", 0, &[b"La/A;"], &[0], total);
    d.extend(section(
        "041",
        first.len(),
        &[b"Lb/B;", b"Lb/C;"],
        &[1, 0],
        total,
    ));
    let dex = Dex::parse(&d).unwrap();
    assert_eq!(dex.sections().len(), 2);
    assert_eq!(dex.sections()[1].offset, first.len());
    assert_eq!(names(&dex), ["La/A;", "Lb/C;", "Lb/B;"]);
    assert_eq!(dex.strings().count(), 3);
}

#[test]
fn a_041_header_must_say_where_it_is() {
    let mut d = section("041", 0, &[b"La/A;"], &[0], 0);
    let len = d.len() as u32;
    d[0x70..0x74].copy_from_slice(&len.to_le_bytes());
    d[0x74..0x78].copy_from_slice(&4u32.to_le_bytes());
    assert!(matches!(
        Dex::parse(&d),
        Err(DexError::Malformed { at: 0x74, .. })
    ));
}

#[test]
fn bad_indices_cost_one_item_not_the_file() {
    let d = section("039", 0, &[b"La/A;", b"Lb/B;"], &[0, 7, 1], 0);
    let dex = Dex::parse(&d).unwrap();
    let got: Vec<_> = dex.classes().collect();
    assert!(got[0].is_ok() && got[2].is_ok());
    assert!(got[1]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("class_idx 7"));
}

#[test]
fn counts_that_run_past_the_end_are_refused() {
    let mut d = section("035", 0, &[b"La/A;"], &[0], 0);
    d[0x60..0x64].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = Dex::parse(&d).unwrap_err().to_string();
    assert!(err.contains("class_defs"), "{err}");
    let mut d = section("035", 0, &[b"La/A;"], &[0], 0);
    d[0x3c..0x40].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(Dex::parse(&d).is_err());
}

#[test]
fn versions_magic_and_endianness() {
    let d = section("036", 0, &[b"La/A;"], &[0], 0);
    assert!(matches!(Dex::parse(&d), Err(DexError::Version(v)) if v == "036"));
    let d = section("042", 0, &[b"La/A;"], &[0], 0);
    assert!(matches!(Dex::parse(&d), Err(DexError::Version(_))));
    assert!(matches!(
        Dex::parse(b"PK\x03\x04xxxxxxxx"),
        Err(DexError::NotDex(_))
    ));
    let mut d = section("038", 0, &[b"La/A;"], &[0], 0);
    d[0x28..0x2c].copy_from_slice(&0x7856_3412u32.to_le_bytes());
    assert_eq!(Dex::parse(&d).unwrap_err(), DexError::BigEndian);
    assert!(Dex::parse(b"dex\n035\0").is_err());
}

#[test]
fn unterminated_and_overlapping_strings_stay_bounded() {
    // One long run with no NUL, and a million ids pointing at it.
    let n = 1usize << 20;
    let run = 4096;
    let mut d = section("035", 0, &[b"La/A;"], &[0], 0);
    let ids = d.len();
    d[0x38..0x3c].copy_from_slice(&(n as u32).to_le_bytes());
    d[0x3c..0x40].copy_from_slice(&(ids as u32).to_le_bytes());
    let target = (ids + 4 * n) as u32;
    for _ in 0..n {
        d.extend_from_slice(&target.to_le_bytes());
    }
    d.push(0x7f);
    d.extend(std::iter::repeat_n(b'a', run));
    let dex = Dex::parse(&d).unwrap();
    let errors = dex.strings().filter(Result::is_err).count();
    assert_eq!(errors, n);
}

#[test]
fn uleb128_is_capped_at_five_bytes() {
    assert_eq!(uleb128(&[0x00]), Some((0, 1)));
    assert_eq!(uleb128(&[0x7f]), Some((127, 1)));
    assert_eq!(uleb128(&[0x80, 0x7f]), Some((16256, 2)));
    assert_eq!(
        uleb128(&[0xff, 0xff, 0xff, 0xff, 0x0f]),
        Some((u32::MAX, 5))
    );
    assert_eq!(uleb128(&[0xff, 0xff, 0xff, 0xff, 0x1f]), None);
    assert_eq!(uleb128(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), None);
    assert_eq!(uleb128(&[0x80]), None);
}

#[test]
fn mutf8_decodes_what_java_writes() {
    assert_eq!(mutf8_lossy(b"Lcom/a;"), "Lcom/a;");
    // U+4E2D U+6587, and U+0000 as C0 80.
    assert_eq!(mutf8_lossy("中文".as_bytes()), "中文");
    assert_eq!(mutf8_lossy(&[0x61, 0xc0, 0x80, 0x62]), "a\u{0}b");
    // U+1F600 as a surrogate pair, each half three bytes.
    assert_eq!(
        mutf8_lossy(&[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]),
        "\u{1F600}"
    );
    // Broken sequences become U+FFFD and decoding goes on.
    assert_eq!(mutf8_lossy(&[0xe4, 0x61, 0xff]), "\u{FFFD}a\u{FFFD}");
}
