#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = apkinfo::Limits::default();
    // With the SDK scan: every DEX, the whole manifest, frameworks and
    // load commands of whatever the bytes hold.
    let opts = apkinfo::Options {
        scan: true,
        ..apkinfo::Options::default()
    };
    let _ = apkinfo::inspect_opts("fuzz", data, None, &opts, &limits);
    let _ = apkinfo::verify(data, None, None, None, &limits);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = apkinfo::check::Expectations::from_toml(text);
    }
});
