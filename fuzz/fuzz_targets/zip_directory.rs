#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(a) = apkinfo::zip::Archive::parse(data, &apkinfo::Limits::default()) {
        // Every record the directory walk yields is one the index knows.
        let mut n = 0usize;
        for e in a.entries() {
            let _ = a.read(&e);
            n += 1;
        }
        assert_eq!(n, a.len());
        let _ = a.find("AndroidManifest.xml");
        for e in a.with_prefix("META-INF/") {
            assert!(e.name_normalized().starts_with("META-INF/"));
        }
    }
});
