//! Signing fixtures against independent oracles: `fixtures/signing/certs.tsv`
//! (what openssl says of each test certificate) and `apks.tsv` (what
//! `apksigner verify --print-certs` and `apksigner lineage` say of each APK).
//! Both were written by fixtures/make-signing.sh, not by apkinfo.

use std::collections::BTreeSet;
use std::path::Path;

fn tsv(name: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/signing")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn inspect(name: &str) -> apkinfo::Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/signing");
    let data = std::fs::read(dir.join(name)).unwrap();
    let idsig = std::fs::read(dir.join(format!("{name}.idsig"))).ok();
    apkinfo::inspect_with(name, &data, idsig.as_deref(), &apkinfo::Limits::default()).unwrap()
}

#[test]
fn certificates_match_openssl() {
    let certs = tsv("certs.tsv");
    let apks = tsv("apks.tsv");
    let mut seen = BTreeSet::new();
    for row in &apks {
        let report = inspect(&row["apk"]);
        for signer in &report.signers {
            for c in std::iter::once(&signer.certificate).chain(&signer.lineage) {
                let Some(o) = certs.iter().find(|o| o["sha256"] == c.sha256) else {
                    panic!(
                        "{}: certificate {} not made by the fixture script",
                        row["apk"], c.sha256
                    )
                };
                assert_eq!(c.md5, o["md5"], "{}", o["key"]);
                assert_eq!(c.sha1, o["sha1"], "{}", o["key"]);
                assert_eq!(c.subject.replace(", ", ","), o["subject"], "{}", o["key"]);
                assert_eq!(c.public_key.spki_sha256, o["spki_sha256"], "{}", o["key"]);
                assert_eq!(c.public_key.spki_base64, o["spki_base64"], "{}", o["key"]);
                assert_eq!(
                    c.public_key.bits.map(|b| b.to_string()).unwrap_or_default(),
                    o["bits"],
                    "{}",
                    o["key"]
                );
                assert_eq!(
                    c.public_key.rsa_modulus_hex.clone().unwrap_or_default(),
                    o["rsa_modulus_hex"],
                    "{}",
                    o["key"]
                );
                seen.insert(o["key"].clone());
            }
        }
    }
    // Every key the script made was checked at least once.
    assert_eq!(seen.len(), certs.len(), "keys checked: {seen:?}");
}

#[test]
fn signers_schemes_lineage_and_filing_match_apksigner() {
    for row in tsv("apks.tsv") {
        let name = &row["apk"];
        let report = inspect(name);
        let schemes: BTreeSet<&str> = report
            .signers
            .iter()
            .flat_map(|s| s.schemes.iter().copied())
            .collect();
        let want: BTreeSet<&str> = row["schemes"]
            .split(',')
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(schemes, want, "{name}: schemes");
        let ours: Vec<&str> = report
            .signers
            .iter()
            .map(|s| s.certificate.sha256.as_str())
            .collect();
        for d in list(&row["signer_sha256"])
            .iter()
            .chain(&list(&row["pre_p_signer_sha256"]))
        {
            assert!(
                ours.contains(&d.as_str()),
                "{name}: signer {d} missing from {ours:?}"
            );
        }
        let lineage: Vec<String> = report
            .signers
            .iter()
            .flat_map(|s| s.lineage.iter().map(|c| c.sha256.clone()))
            .collect();
        assert_eq!(
            lineage,
            list(&row["lineage_sha256"]),
            "{name}: lineage, oldest first"
        );
        // Filing: the original certificate with rotation, else the first signer.
        let expected_filing = list(&row["lineage_sha256"])
            .first()
            .cloned()
            .or_else(|| list(&row["signer_sha256"]).first().cloned());
        assert_eq!(
            report.filing.as_ref().map(|f| f.certificate_sha256.clone()),
            expected_filing,
            "{name}: filing certificate"
        );
        if list(&row["signer_sha256"]).len() > 1 {
            assert!(
                report
                    .warnings
                    .iter()
                    .any(|w| w.contains("signed by 2 certificates")),
                "{name}: {:?}",
                report.warnings
            );
        }
    }
}

#[test]
fn channel_and_unknown_blocks_are_reported() {
    let walle = inspect("channel-block-walle.apk");
    let block = walle.signing_block.unwrap();
    assert!(block
        .blocks
        .iter()
        .any(|b| b.name == "walle-channel" && b.id == "0x71777777"));
    assert_eq!(block.channel.as_deref(), Some("{\"channel\":\"huawei\"}"));
    let vas = inspect("channel-block-vasdolly.apk");
    assert_eq!(
        vas.signing_block.unwrap().channel.as_deref(),
        Some("xiaomi")
    );
    let unknown = inspect("unknown-block-id.apk");
    assert!(unknown
        .signing_block
        .unwrap()
        .blocks
        .iter()
        .any(|b| b.name == "unknown" && b.id == "0x12345678"));
    assert!(unknown.warnings.iter().any(|w| w.contains("0x12345678")));
    let unsigned = inspect("unsigned.apk");
    assert!(
        unsigned.signers.is_empty()
            && unsigned.filing.is_none()
            && unsigned.signing_block.is_none()
    );
}
