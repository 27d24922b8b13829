//! `inspect` throughput on a small generated APK and on framework-res.apk
//! (46 MB, 31 MB resources.arsc; from Debian's android-framework-res, skipped
//! when absent), and on the file `APKINFO_BENCH_APK` names if set (README's
//! Performance section uses the re-signed framework-res that benches/compare.sh
//! makes). Throughput is the package size over the time to report it.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

fn bench_inspect(c: &mut Criterion) {
    let limits = apkinfo::Limits::default();
    let mut group = c.benchmark_group("inspect");
    let small =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/android/string-label-locales.apk");
    let named = std::env::var_os("APKINFO_BENCH_APK").map(std::path::PathBuf::from);
    let mut cases = vec![
        ("generated-small", small.as_path()),
        ("framework-res", Path::new(FRAMEWORK_RES)),
    ];
    if let Some(p) = named.as_deref() {
        cases.push(("APKINFO_BENCH_APK", p));
    }
    for (name, path) in cases {
        let Ok(data) = std::fs::read(path) else {
            eprintln!("skipping {name}: {} not found", path.display());
            continue;
        };
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| apkinfo::inspect(name, &data, &limits).map(|r| r.package))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_inspect);
criterion_main!(benches);
