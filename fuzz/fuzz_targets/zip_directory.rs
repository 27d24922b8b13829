#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut a) = apkinfo::zip::Archive::parse(data, &apkinfo::Limits::default()) {
        // The release hook only ever sees bytes of the input.
        let (lo, hi) = (data.as_ptr() as usize, data.as_ptr() as usize + data.len());
        let hook = move |b: &[u8]| {
            let p = b.as_ptr() as usize;
            assert!(b.is_empty() || (p >= lo && p + b.len() <= hi));
        };
        a.set_release(Some(&hook));
        // Every record the directory walk yields is one the index knows.
        let mut n = 0usize;
        for e in a.entries() {
            let read = a.read(&e);
            // Streaming feeds what a whole read returns, when both succeed.
            let mut streamed = Vec::new();
            let s = a.stream(&e, |piece| streamed.extend_from_slice(piece));
            if let (Ok(r), Ok(len)) = (&read, &s) {
                assert_eq!(&streamed[..], &r[..]);
                assert_eq!(*len as usize, r.len());
            }
            n += 1;
        }
        assert_eq!(n, a.len());
        let _ = a.find("AndroidManifest.xml");
        for e in a.with_prefix("META-INF/") {
            assert!(e.name_normalized().starts_with("META-INF/"));
        }
    }
});
