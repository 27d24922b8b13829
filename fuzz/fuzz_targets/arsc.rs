#![no_main]
use apkinfo::apk::arsc::{best_for_locale, ResourceTable};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = ResourceTable::parse(data) {
        let _ = t.locales();
        for id in t.resource_ids().into_iter().take(200) {
            let _ = t.name(id);
            if let Ok(entries) = t.entries(id) {
                let _ = best_for_locale(&entries, Some("zh-CN"));
                let _ = best_for_locale(&entries, None);
            }
        }
    }
});
