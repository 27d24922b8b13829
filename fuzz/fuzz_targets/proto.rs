#![no_main]
//! The protobuf readers: the wire reader on nested messages, aapt2's XML
//! and resource table, bundletool's BundleConfig and toc.pb, all on the
//! same bytes.
use apkinfo::apk::aapt2::{table::ProtoTable, xml};
use apkinfo::apk::arsc::{best_for_locale, EntryValue};
use apkinfo::apk::manifest;
use apkinfo::apk::res::DataType;
use apkinfo::proto::Message;
use libfuzzer_sys::fuzz_target;

/// Every length-delimited field read as a message, a few levels down.
fn walk(m: Message<'_>, depth: usize) {
    for f in m.fields().take(10_000) {
        let Ok(f) = f else { return };
        let _ = f.string();
        if depth < 4 {
            if let Some(sub) = f.message() {
                walk(sub, depth + 1);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    walk(Message::new(data), 0);
    let full = xml::tree(data, 256);
    if let Ok(tree) = &full {
        let _ = tree.to_xml(&|a| a.value.display());
    }
    // Skipping elements may not skip a depth check (as for binary XML).
    let facts = xml::tree_only(data, 256, &manifest::wanted);
    assert_eq!(full.is_ok(), facts.is_ok());
    if let Ok(t) = ProtoTable::parse(data, "base/") {
        for id in t.resource_ids(200) {
            let _ = t.name(id);
            let entries = t.entries(id);
            for e in &entries {
                if let EntryValue::Simple(v) = e.value {
                    if v.data_type == DataType::String {
                        let _ = t.string(v.data);
                    }
                }
            }
            let _ = best_for_locale(&entries, Some("zh-CN"));
        }
    }
    let mut config = apkinfo::report::AppBundleReport::default();
    apkinfo::aab::read_bundle_config(Message::new(data), &mut config);
    let _ = apkinfo::apkset::toc_base(Message::new(data));
});
