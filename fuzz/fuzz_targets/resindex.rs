#![no_main]
//! HarmonyOS resources.index (both restool layouts): parse, walk every
//! value, look up the first ids seen and a few fixed ones, and name every
//! config.
use apkinfo::hap::resindex::ResIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(ix) = ResIndex::parse(data) else {
        return;
    };
    let _ = (ix.layout(), ix.version());
    for c in ix.configs() {
        let _ = (c.locale(), c.dir_name(), c.is_base(), c.density());
    }
    let mut ids = vec![0x0100_0000, 0x0100_0001, 0x0780_0000];
    for e in ix.entries().take(10_000) {
        let Ok(e) = e else { continue };
        let _ = e.text();
        if e.res_type.is_array() {
            let _ = e.items().count();
        }
        if let Some(c) = ix.config_of(&e) {
            let _ = c.locale();
        }
        if ids.len() < 8 && !ids.contains(&e.id) {
            ids.push(e.id);
        }
    }
    for id in ids {
        if let Ok(values) = ix.lookup(id) {
            for v in &values {
                assert_eq!(v.id, id);
                assert!(ix.config_of(v).is_some());
            }
        }
    }
});
