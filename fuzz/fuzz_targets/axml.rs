#![no_main]
use apkinfo::apk::axml::{XmlDocument, XmlTree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = XmlDocument::parse(data) {
        for _ in doc.events() {}
        if let Ok(tree) = XmlTree::build(&doc, 256) {
            let _ = tree.to_xml(&|a| a.value.display());
        }
    }
});
