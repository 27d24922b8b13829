#![no_main]
use apkinfo::apk::axml::{XmlDocument, XmlTree};
use apkinfo::apk::manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = XmlDocument::parse(data) {
        for _ in doc.events() {}
        let full = XmlTree::build(&doc, 256);
        if let Ok(tree) = &full {
            let _ = tree.to_xml(&|a| a.value.display());
        }
        // The facts tree (what inspect builds) must fail exactly when the
        // whole tree does: skipping elements may not skip a depth check.
        let facts = XmlTree::build_only(&doc, 256, &manifest::wanted);
        assert_eq!(full.is_ok(), facts.is_ok());
    }
});
