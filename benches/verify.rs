//! Hashing throughput (bytes/s): the v2/v3 chunked content digest and the
//! verity digest over 64 MiB, the whole-file triple digest (MD5 + SHA-1 +
//! SHA-256), and `verify` of a v1-signed fixture (v1 entry digests) and of
//! framework-res.apk when a signed copy is given in $APKINFO_BENCH_APK.

use apkinfo::apk::verify::digest::{file_digests, ContentDigest, Sections};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn synthetic(len: usize) -> Vec<u8> {
    // A fake "APK": entries, then a central directory and an end record.
    let mut v: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(2654435761) as u8)
        .collect();
    let eocd = len - 22;
    v[eocd..eocd + 4].copy_from_slice(b"PK\x05\x06");
    v
}

fn bench_digests(c: &mut Criterion) {
    let len = 64 << 20;
    let data = synthetic(len);
    let sections = Sections::new(&data, len - 4096, len - 4096, len - 22).unwrap();
    let mut g = c.benchmark_group("digest");
    g.throughput(Throughput::Bytes(len as u64));
    g.sample_size(10);
    g.bench_function("chunked-sha256", |b| {
        b.iter(|| sections.compute(ContentDigest::ChunkedSha256))
    });
    g.bench_function("chunked-sha512", |b| {
        b.iter(|| sections.compute(ContentDigest::ChunkedSha512))
    });
    g.bench_function("verity-sha256", |b| {
        b.iter(|| sections.compute(ContentDigest::VerityChunkedSha256))
    });
    g.bench_function("file-md5-sha1-sha256", |b| b.iter(|| file_digests(&data)));
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let limits = apkinfo::Limits::default();
    let mut g = c.benchmark_group("verify");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/signing/v1v2v3.apk");
    let mut inputs = vec![("v1v2v3-fixture", fixture)];
    if let Some(p) = std::env::var_os("APKINFO_BENCH_APK") {
        inputs.push(("bench-apk", p.into()));
    }
    for (name, path) in inputs {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.sample_size(10);
        g.bench_function(name, |b| {
            b.iter(|| apkinfo::verify(&data, None, Some(14), None, &limits).map(|v| v.verified))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_digests, bench_verify);
criterion_main!(benches);
