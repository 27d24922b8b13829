#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = apkinfo::Limits::default();
    let _ = apkinfo::inspect("fuzz", data, &limits);
    let _ = apkinfo::verify(data, None, None, None, &limits);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = apkinfo::check::Expectations::from_toml(text);
    }
});
