//! The DEX reader against Debian's `dexdump`: for every DEX in the shared
//! corpus, the classes we read must be the ones `dexdump` prints as `Class
//! descriptor`, in order, byte for byte. `tests/data/dexdump.tsv` holds what
//! dexdump printed (count and SHA-256 of the list), written by
//! `fixtures/tools/dex/dexdump-oracle.py`, so the test needs no dexdump.
//! Without the corpus it prints a note and passes; CI has it.

mod common;

use apkinfo::dex::Dex;
use apkinfo::zip::Archive;
use apkinfo::Limits;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The bytes of `member` in the ZIP at `path` (`outer!inner` for nested ZIPs;
/// member `-` is the file itself).
fn member<'a>(data: &'a [u8], nested: &[&str], member: &str) -> Cow<'a, [u8]> {
    let limits = Limits {
        max_entry_size: 1 << 30,
        max_total_inflated: 1 << 32,
        max_ratio: u64::MAX,
        ..Limits::default()
    };
    let mut bytes: Cow<'a, [u8]> = Cow::Borrowed(data);
    for inner in nested {
        let zip = Archive::parse(&bytes, &limits).unwrap();
        let e = zip.find(inner).unwrap_or_else(|| panic!("no {inner}"));
        let owned = zip.read(&e).unwrap().into_owned();
        bytes = Cow::Owned(owned);
    }
    if member == "-" {
        return bytes;
    }
    let zip = Archive::parse(&bytes, &limits).unwrap();
    let e = zip.find(member).unwrap_or_else(|| panic!("no {member}"));
    Cow::Owned(zip.read(&e).unwrap().into_owned())
}

#[test]
fn class_lists_equal_dexdump_on_every_corpus_dex() {
    let Some(dir) = common::corpus() else {
        eprintln!("no ../shared/corpus: DEX oracle test skipped");
        return;
    };
    let oracle = std::fs::read_to_string("tests/data/dexdump.tsv").unwrap();
    let mut checked = 0;
    let mut classes = 0;
    let mut failures = Vec::new();
    for line in oracle
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let (path, name, dex_sha, status, count, list_sha) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let mut parts = path.split('!');
        let outer = parts.next().unwrap();
        let nested: Vec<&str> = parts.collect();
        let data = std::fs::read(dir.join(outer)).unwrap();
        let bytes = member(&data, &nested, name);
        assert_eq!(
            hex(&Sha256::digest(&bytes)),
            dex_sha,
            "{path} {name}: not the DEX the oracle read"
        );
        let ours = Dex::parse(&bytes).map(|dex| {
            let mut h = Sha256::new();
            let mut n = 0usize;
            for c in dex.classes() {
                h.update(c.unwrap().descriptor);
                h.update(b"\n");
                n += 1;
            }
            (n, hex(&h.finalize()))
        });
        match (status, ours) {
            ("ok", Ok((n, sha))) if n.to_string() == count && sha == list_sha => {}
            ("ok", got) => failures.push(format!(
                "{path} {name}: dexdump {count} classes {list_sha}, we {got:?}"
            )),
            // dexdump refused it: we must refuse it too, or read it without panicking.
            (_, _) => {}
        }
        checked += 1;
        classes += count.parse::<usize>().unwrap_or(0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 470, "only {checked} DEX files in the oracle");
    eprintln!("{checked} DEX files, {classes} classes: equal to dexdump's");
}
