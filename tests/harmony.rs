//! HarmonyOS packages (.hap, .hsp, .app) against facts apkinfo did not write:
//! `fixtures/harmony/expect.toml` (written by make-harmony.sh from the
//! sources, hap-sign's verdicts and openssl's fingerprints) and
//! `tests/data/harmony_corpus.toml` (three real packages of the shared
//! corpus, read with openssl, unzip and resdump.py). The goldens
//! (`fixtures/harmony/*.json`) are apkinfo's own output and are not used here.
//!
//! Fact checks collect every difference and fail once with the list, so one
//! run shows all that disagrees.

mod common;
use common::corpus;

use apkinfo::report::Report;
use apkinfo::{Limits, Options, Package};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::process::Command;
use toml::{Table, Value};

// The OpenHarmony test "Application Release" certificate every signed fixture
// but swapped-cert.hap is signed with, as openssl reads it from
// entry-v1.hap's signature sub-block (independent of apkinfo):
//   python3 fixtures/tools/harmony/tamper.py extract fixtures/harmony/entry-v1.hap 0x20000000 s.der
//   openssl pkcs7 -inform DER -in s.der -print_certs | awk '/BEGIN CERT/{i++} i==1' > leaf.pem
//   openssl x509 -in leaf.pem -noout -pubkey | openssl ec -pubin -text -noout   (pub:)
//   openssl x509 -in leaf.pem -noout -fingerprint -sha256
const OH_RELEASE_SHA256: &str = "8e93863fc32ee238060bf69a9b37e2608fffb21f93c862dd511cbac9f30024b5";
const OH_RELEASE_EC_POINT: &str = "04db60e0904295b97dd9181cde39bf45f70076b1d768cf05d103a2c151219d5e5e6c4e63348627031fb0785453dd04f252344d76199cd9a0335b28bee6de42a013";
// The P-384 test key's point (entry-p384.hap, our own key, so it may be filed):
//   openssl x509 -in fixtures/keys/harmony/p384-app.cert.pem -noout -pubkey \
//     | openssl ec -pubin -outform DER | tail -c 97 | xxd -p
const P384_EC_POINT: &str = "041f36d6f7b1b56b19371cd97d3c3ea679cf529b5bef238107a4b649d760fff2274d3d0872295e4e199129cde7e61c8757abef978edf005e4f99d9ba3e596b184d114375d597651dba74a5edc036545be8d95d13d6a07b1ba5b64414792897c95c";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/harmony")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn limits() -> Limits {
    Limits::default()
}

fn inspect(name: &str) -> Report {
    apkinfo::inspect(name, &read(name), &limits()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn verify(data: &[u8]) -> apkinfo::report::VerificationReport {
    apkinfo::verify_opts(data, None, &Options::default(), &limits()).unwrap()
}

fn toml_file(path: &Path) -> Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse::<Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// expect.toml: file name → its facts.
fn expect() -> BTreeMap<String, Table> {
    toml_file(&dir().join("expect.toml"))
        .into_iter()
        .map(|(k, v)| match v {
            Value::Table(t) => (k, t),
            _ => panic!("expect.toml: {k} is not a table"),
        })
        .collect()
}

/// One package's facts, read by key.
struct Facts<'a>(&'a Table);

impl<'a> Facts<'a> {
    fn str(&self, k: &str) -> Option<&'a str> {
        self.0.get(k).and_then(Value::as_str)
    }
    fn string(&self, k: &str) -> Option<String> {
        self.str(k).map(str::to_string)
    }
    fn int(&self, k: &str) -> Option<u64> {
        self.0
            .get(k)
            .and_then(Value::as_integer)
            .map(|i| u64::try_from(i).unwrap())
    }
    fn bool(&self, k: &str) -> Option<bool> {
        self.0.get(k).and_then(Value::as_bool)
    }
    fn strs(&self, k: &str) -> Option<Vec<String>> {
        self.0
            .get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
    }
    fn size(&self, k: &str) -> Option<(u32, u32)> {
        let a = self.0.get(k)?.as_array()?;
        let n = |i: usize| u32::try_from(a[i].as_integer().unwrap()).unwrap();
        Some((n(0), n(1)))
    }
    fn map(&self, k: &str) -> Option<BTreeMap<String, String>> {
        self.0.get(k).and_then(Value::as_table).map(|t| {
            t.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
    }
}

/// Differences found, reported all at once.
#[derive(Default)]
struct Diffs {
    found: Vec<String>,
    checks: usize,
}

impl Diffs {
    fn eq<T: PartialEq + Debug>(&mut self, file: &str, field: &str, expected: T, actual: T) {
        self.checks += 1;
        if expected != actual {
            self.found.push(format!(
                "{file}: {field}: expected {expected:?}, got {actual:?}"
            ));
        }
    }
    fn truth(&mut self, file: &str, what: &str, ok: bool, detail: impl Debug) {
        self.checks += 1;
        if !ok {
            self.found.push(format!("{file}: {what} ({detail:?})"));
        }
    }
    fn done(self, what: &str, at_least: usize) {
        assert!(
            self.found.is_empty(),
            "{what}: {} of {} checks differ:\n{}",
            self.found.len(),
            self.checks,
            self.found.join("\n")
        );
        assert!(
            self.checks >= at_least,
            "{what}: only {} checks made (expected at least {at_least})",
            self.checks
        );
        eprintln!("{what}: {} checks", self.checks);
    }
}

/// HarmonyOS encodes an API version as major*10^7 + minor*10^5 +
/// patch*10^3 + level (50000012 = 5.0.0(12)); a bare OpenHarmony level
/// (FA's 7) is below 1000 and names no OS version.
fn api(v: u64) -> (u32, Option<String>) {
    if v < 1000 {
        return (u32::try_from(v).unwrap(), None);
    }
    let level = u32::try_from(v % 1000).unwrap();
    let os = format!(
        "{}.{}.{}({level})",
        v / 10_000_000,
        v / 100_000 % 100,
        v / 1000 % 100
    );
    (level, Some(os))
}

/// A DN as openssl's `-nameopt RFC2253` prints it: the report joins RDNs
/// with ", " (as keytool), RFC 2253 with ",".
fn rfc2253(dn: &str) -> String {
    dn.replace(", ", ",")
}

/// Compare a label and its per-locale values with an expect table where
/// "base" is the base directory's value and every other key a locale.
fn labels(
    d: &mut Diffs,
    name: &str,
    r: &Report,
    label: Option<&str>,
    all: Option<BTreeMap<String, String>>,
) {
    d.eq(name, "label", label, r.label.as_deref());
    if let Some(mut all) = all {
        let base = all.remove("base");
        d.eq(
            name,
            "labels[base] (label)",
            base.as_deref(),
            r.label.as_deref(),
        );
        d.eq(name, "labels (per locale)", &all, &r.labels);
    }
}

// ------------------------------------------------------------------ facts

/// Every expect.toml fact that the report has a field for.
/// The filing's package and fingerprints against the facts' `bundle_name`
/// and `{prefix}md5`, `{prefix}sha1`, `{prefix}sha256`.
fn filing_matches(
    d: &mut Diffs,
    name: &str,
    f: &Facts<'_>,
    prefix: &str,
    fl: &apkinfo::report::Filing,
) {
    d.eq(
        name,
        "filing.package",
        f.str("bundle_name"),
        fl.package.as_deref(),
    );
    for (field, actual) in [
        ("md5", &fl.signature_md5),
        ("sha1", &fl.signature_sha1),
        ("sha256", &fl.certificate_sha256),
    ] {
        let key = format!("{prefix}{field}");
        d.eq(
            name,
            &format!("filing {field}"),
            f.str(&key),
            Some(actual.as_str()),
        );
    }
}

fn check_fixture(d: &mut Diffs, name: &str, f: &Facts<'_>, r: &Report, release_sha256: &str) {
    let kind = f.str("kind").unwrap();
    let app = kind == "app";
    // an .app's module facts are its entry module's: `entry_*` keys
    let k = |key: &str| {
        if app {
            format!("entry_{key}")
        } else {
            key.to_string()
        }
    };
    d.eq(name, "platform", "harmonyos", r.platform);
    d.eq(name, "format", kind, r.format);
    if let Some(mt) = f.str("module_type") {
        // a module's type shows in the report only as its format
        let format = if mt == "shared" { "hsp" } else { "hap" };
        d.eq(name, "format (from module_type)", format, r.format);
    }
    d.eq(name, "package", f.str("bundle_name"), r.package.as_deref());
    d.eq(name, "version_code", f.int("version_code"), r.version_code);
    d.eq(
        name,
        "version_name",
        f.str("version_name"),
        r.version_name.as_deref(),
    );
    if let Some(v) = f.int(&k("min_api_version")) {
        let (level, os) = api(v);
        d.eq(name, "min_api", Some(level), r.min_api);
        d.eq(name, "min_os", os, r.min_os.clone());
    }
    if let Some(v) = f.int(&k("target_api_version")) {
        d.eq(name, "target_api", Some(api(v).0), r.target_api);
    }
    if let Some(t) = f.str("api_release_type") {
        d.eq(
            name,
            "api_release_type",
            Some(t),
            r.api_release_type.as_deref(),
        );
    }
    if let Some(dt) = f.strs(&k("device_types")) {
        d.eq(name, "device_types", Some(dt), r.device_types.clone());
    }
    if let Some(p) = f.strs(&k("permissions")) {
        d.eq(name, "permissions", p, r.permissions.clone());
    }
    if let Some(a) = f.strs(&k("abis")) {
        d.eq(name, "abis", a, r.abis.clone());
    }

    // The launcher's ability, its label and icon; without one, the app's.
    let launcher = f.str(&k("launcher_ability")).filter(|l| !l.is_empty());
    d.eq(name, "main_ability", launcher, r.main_ability.as_deref());
    let prefix = f
        .str("entry_file")
        .map(|e| format!("{e}!"))
        .unwrap_or_default();
    if launcher.is_some() {
        labels(d, name, r, f.str(&k("label")), f.map(&k("labels")));
    } else {
        labels(d, name, r, f.str(&k("app_label")), f.map(&k("app_labels")));
    }
    let (icon, kind_key, size_key) = if launcher.is_some() {
        (k("icon"), k("icon_kind"), k("icon_size"))
    } else {
        ("app_icon".into(), String::new(), "app_icon_size".into())
    };
    let icon_kind = f.str(&kind_key).unwrap_or("png");
    let icon_path = f.str(&icon).map(|p| format!("{prefix}{p}"));
    match (&r.icon, icon_kind) {
        (None, _) => d.truth(name, "icon present", false, &icon_path),
        (Some(i), "layered") => {
            let l = i.layered.as_ref();
            d.eq(
                name,
                "icon.layered.path",
                icon_path.as_deref(),
                l.map(|l| l.path.as_str()),
            );
            let bg = f.str("icon_background").map(|p| format!("{prefix}{p}"));
            let fg = f.str("icon_foreground").map(|p| format!("{prefix}{p}"));
            d.eq(
                name,
                "icon.layered.background",
                bg,
                l.and_then(|l| l.background.clone()),
            );
            d.eq(
                name,
                "icon.layered.foreground",
                fg,
                l.and_then(|l| l.foreground.clone()),
            );
            let (w, h) = f.size("icon_background_size").unwrap();
            d.eq(
                name,
                "icon size (background's)",
                (Some(w), Some(h)),
                (i.width, i.height),
            );
            d.eq(name, "icon.format", Some("png"), i.format);
        }
        (Some(i), _) => {
            d.eq(name, "icon.path", icon_path, i.path.clone());
            d.eq(name, "icon.layered", true, i.layered.is_none());
            let (w, h) = f.size(&size_key).unwrap();
            d.eq(name, "icon size", (Some(w), Some(h)), (i.width, i.height));
            d.eq(name, "icon.format", Some(icon_kind), i.format);
        }
    }

    if app {
        let modules = r.modules.clone().unwrap_or_default();
        let names: Vec<String> = modules.iter().map(|m| m.name.clone()).collect();
        let kinds: Vec<String> = modules.iter().map(|m| m.kind.to_string()).collect();
        let paths: Vec<Option<String>> = modules.iter().map(|m| m.path.clone()).collect();
        d.eq(name, "modules[].name", f.strs("packages").unwrap(), names);
        d.eq(
            name,
            "modules[].type",
            f.strs("package_types").unwrap(),
            kinds,
        );
        let files: Vec<Option<String>> = f
            .strs("inner_files")
            .unwrap()
            .into_iter()
            .map(Some)
            .collect();
        d.eq(name, "modules[].path", files, paths);
    } else {
        d.eq(
            name,
            "modules (only for an .app)",
            true,
            r.modules.is_none(),
        );
    }

    // Signing.
    if f.bool("signed") != Some(true) {
        d.eq(name, "signers (unsigned)", 0, r.signers.len());
        d.eq(
            name,
            "signing_block (unsigned)",
            true,
            r.signing_block.is_none(),
        );
        d.eq(
            name,
            "provisioning (unsigned)",
            true,
            r.harmony_profile.is_none(),
        );
        d.eq(name, "filing (unsigned)", true, r.filing.is_none());
        d.eq(
            name,
            "filing_withheld (unsigned)",
            true,
            r.filing_withheld.is_none(),
        );
        return;
    }
    let version = f.int("block_version").unwrap();
    match &r.signing_block {
        None => d.truth(name, "signing_block present", false, version),
        Some(b) => {
            d.eq(
                name,
                "signing_block.version",
                u32::try_from(version).ok(),
                b.version,
            );
            let ids: Vec<String> = b.blocks.iter().map(|s| s.id.clone()).collect();
            d.eq(
                name,
                "signing_block.blocks[].id",
                f.strs("sub_blocks").unwrap(),
                ids,
            );
        }
    }
    let scheme = if version == 2 { "hap-v2" } else { "hap-v3" };
    d.eq(name, "signers (count)", 1, r.signers.len());
    let Some(signer) = r.signers.first() else {
        return;
    };
    let c = &signer.certificate;
    d.eq(name, "signer schemes", vec![scheme], signer.schemes.clone());
    d.eq(
        name,
        "leaf sha256",
        f.str("cert_sha256").unwrap(),
        c.sha256.as_str(),
    );
    d.eq(
        name,
        "leaf sha1",
        f.str("cert_sha1").unwrap(),
        c.sha1.as_str(),
    );
    d.eq(name, "leaf md5", f.str("cert_md5").unwrap(), c.md5.as_str());
    d.eq(
        name,
        "leaf subject",
        f.string("signer_subject").unwrap(),
        rfc2253(&c.subject),
    );
    d.eq(
        name,
        "leaf issuer",
        f.string("signer_issuer").unwrap(),
        rfc2253(&c.issuer),
    );
    d.eq(
        name,
        "leaf serial",
        f.str("signer_serial_hex").unwrap(),
        c.serial.as_str(),
    );
    if f.str("signer_key_algorithm") == Some("id-ecPublicKey") {
        d.eq(
            name,
            "leaf key algorithm",
            "EC",
            c.public_key.algorithm.as_str(),
        );
    }
    let certs = f.int("cert_count").unwrap();
    d.eq(
        name,
        "chain (certificates but the leaf)",
        certs - 1,
        signer.chain.len() as u64,
    );
    if c.sha256 == OH_RELEASE_SHA256 {
        let k = &c.public_key;
        d.eq(
            name,
            "leaf ec_point_hex (openssl)",
            Some(OH_RELEASE_EC_POINT),
            k.ec_point_hex.as_deref(),
        );
        d.truth(
            name,
            "leaf spki_hex ends with the EC point",
            k.spki_hex.ends_with(OH_RELEASE_EC_POINT),
            &k.spki_hex,
        );
    }

    // The profile: its type and bundle; every fixture's profile names the
    // release certificate (make-harmony.sh: mkhap.py profile --cert leaf.pem).
    let ptype = f.str("profile_type").unwrap();
    match &r.harmony_profile {
        None => d.truth(name, "provisioning present", false, ptype),
        Some(p) => {
            d.eq(name, "provisioning.type", Some(ptype), p.kind.as_deref());
            d.eq(
                name,
                "provisioning.bundle_name",
                f.str("profile_bundle_name"),
                p.bundle_name.as_deref(),
            );
            d.eq(name, "provisioning.signed", true, p.signed);
            d.eq(
                name,
                "provisioning.certificate.sha256",
                f.str("profile_cert_sha256").or(Some(release_sha256)),
                p.certificate.as_ref().map(|c| c.sha256.as_str()),
            );
        }
    }

    // The filing: the leaf's, unless the profile is a debug one or the leaf
    // was issued by OpenHarmony's public test CA (keys anyone has).
    let test_ca = f.str("signer_issuer").is_some_and(|i| {
        i.starts_with("CN=OpenHarmony Application CA,") && i.contains("O=OpenHarmony")
    });
    let withheld = match ptype {
        "debug" => Some("development-certificate"),
        _ if test_ca => Some("test-certificate"),
        _ => None,
    };
    if let Some(cause) = withheld {
        d.eq(name, "filing (withheld)", true, r.filing.is_none());
        let w = r.filing_withheld.as_ref();
        d.eq(
            name,
            "filing_withheld.cause",
            Some(cause),
            w.map(|w| w.cause),
        );
        d.eq(
            name,
            "filing_withheld.certificate_sha256",
            f.str("cert_sha256"),
            w.map(|w| w.certificate_sha256.as_str()),
        );
    } else {
        d.eq(
            name,
            "filing_withheld (release profile)",
            true,
            r.filing_withheld.is_none(),
        );
        match &r.filing {
            None => d.truth(name, "filing present (release profile)", false, ptype),
            Some(fl) => {
                d.eq(name, "filing.platform", "harmonyos", fl.platform);
                filing_matches(d, name, f, "cert_", fl);
                d.eq(
                    name,
                    "filing.public_key (the leaf's SPKI)",
                    c.public_key.spki_hex.as_str(),
                    fl.public_key.as_str(),
                );
            }
        }
    }
}

#[test]
fn expect_toml_describes_exactly_these_files() {
    use sha2::{Digest, Sha256};
    let facts = expect();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".hap") || n.ends_with(".hsp") || n.ends_with(".app"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = facts.keys().cloned().collect();
    assert_eq!(
        listed, on_disk,
        "expect.toml's tables vs the packages in fixtures/harmony"
    );
    // Signed fixtures change bytes on every run: the facts must be of these bytes.
    for (name, t) in &facts {
        let sha = apkinfo::cert::hex(&Sha256::digest(read(name)));
        assert_eq!(
            Some(sha.as_str()),
            Facts(t).str("sha256_file"),
            "{name}: regenerated without expect.toml?"
        );
    }
}

#[test]
fn fixtures_report_what_expect_toml_says() {
    let facts = expect();
    let release_sha256 = Facts(&facts["entry-v1.hap"]).string("cert_sha256").unwrap();
    assert_eq!(
        release_sha256, OH_RELEASE_SHA256,
        "entry-v1.hap is signed with the release certificate"
    );
    let mut d = Diffs::default();
    for (name, t) in &facts {
        let r = inspect(name);
        check_fixture(&mut d, name, &Facts(t), &r, &release_sha256);
    }
    d.done("fixture facts", 13 * 25);
}

// ------------------------------------------------------------------ verify

fn has_code(errors: &[String], code: &str) -> bool {
    errors.iter().any(|e| e.starts_with(code))
}

#[test]
fn verify_verdicts_match_hap_sign() {
    let mut d = Diffs::default();
    for (name, t) in &expect() {
        let f = Facts(t);
        let v = verify(&read(name));
        let valid = f.bool("signature_valid").unwrap();
        // expect.toml's own consistency: hap-sign passed exactly the valid ones
        // (profile-mismatch.hap included: hap-sign does not compare bundles).
        d.eq(
            name,
            "expect: signature_valid vs hapsign_verify",
            valid,
            f.str("hapsign_verify") == Some("pass"),
        );
        d.eq(name, "verified", valid, v.verified);
        d.eq(name, "schemes.hap", valid, v.schemes.hap);
        let scheme = match (f.bool("signed"), f.int("block_version")) {
            (Some(true), Some(2)) => "hap-v2",
            (Some(true), _) => "hap-v3",
            _ => "none",
        };
        d.eq(name, "hap_scheme", Some(scheme), v.hap_scheme);
        if valid {
            d.eq(name, "errors", Vec::<String>::new(), v.errors.clone());
            let leaf: Vec<&str> = v.signers.iter().map(|c| c.sha256.as_str()).collect();
            d.eq(
                name,
                "verified signer",
                vec![f.str("cert_sha256").unwrap()],
                leaf,
            );
        } else {
            d.truth(
                name,
                "errors non-empty when not verified",
                !v.errors.is_empty(),
                &v.errors,
            );
        }
    }
    d.done("verify verdicts", 13 * 5);
}

#[test]
fn tampered_and_unsigned_fail_with_the_right_codes() {
    let facts = expect();
    let mut d = Diffs::default();
    let errors = |name: &str| verify(&read(name)).errors;

    // The profile sub-block is covered by the content digest, so a changed
    // profile breaks the digest too.
    for (file, code) in [
        ("tampered-entry.hap", "HAP_DIGEST_MISMATCH"),
        ("swapped-cert.hap", "HAP_SIGNATURE_DID_NOT_VERIFY"),
        ("unsigned.hap", "HAP_NO_SIGNATURE"),
        ("tampered-profile.hap", "HAP_DIGEST_MISMATCH"),
    ] {
        let e = errors(file);
        d.truth(file, code, has_code(&e, code), &e);
    }

    // Per expect.toml, for every fixture: openssl's verdict on the signature
    // PKCS#7 and on the profile's decides whether those codes appear.
    for (name, t) in &facts {
        let f = Facts(t);
        if f.bool("signed") != Some(true) {
            continue;
        }
        let e = errors(name);
        if let Some(cms) = f.bool("signature_cms_valid") {
            d.eq(
                name,
                "HAP_SIGNATURE_DID_NOT_VERIFY (openssl cms -verify fails)",
                !cms,
                has_code(&e, "HAP_SIGNATURE_DID_NOT_VERIFY"),
            );
        }
        if let Some(p) = f.bool("profile_signature_valid") {
            d.eq(
                name,
                "HAP_PROFILE_DID_NOT_VERIFY (profile signature broken)",
                !p,
                has_code(&e, "HAP_PROFILE_DID_NOT_VERIFY"),
            );
        }
    }
    d.done("error codes", 4 + 12 * 2);
}

// ------------------------------------------------------------------ warnings

#[test]
fn profile_for_another_bundle_and_swapped_certificate_warn() {
    let facts = expect();
    let mut d = Diffs::default();
    let release_sha256 = Facts(&facts["entry-v1.hap"]).string("cert_sha256").unwrap();
    for (name, t) in &facts {
        let f = Facts(t);
        if f.bool("signed") != Some(true) {
            continue;
        }
        let r = inspect(name);
        let note = r.filing_withheld.as_ref().map(|w| w.note.as_str());
        let own: Vec<&String> = r
            .warnings
            .iter()
            .filter(|w| Some(w.as_str()) != note)
            .collect();

        // A profile for another bundle: named in the report and by verify.
        let other = f.str("profile_bundle_name").unwrap();
        let mismatch = f.bool("profile_bundle_matches") == Some(false);
        let names_other = |ws: &[&String]| {
            ws.iter()
                .any(|w| w.contains(other) && w.contains("profile"))
        };
        let bundle_warnings: Vec<&String> = own
            .iter()
            .copied()
            .filter(|w| w.contains("profile") && w.contains("bundle"))
            .collect();
        if mismatch {
            d.truth(
                name,
                "inspect warns the profile is for another bundle",
                names_other(&own),
                &r.warnings,
            );
            let v = verify(&read(name));
            let vw: Vec<&String> = v.warnings.iter().collect();
            d.truth(
                name,
                "verify warns the profile is for another bundle",
                names_other(&vw),
                &v.warnings,
            );
        } else {
            d.eq(
                name,
                "no bundle-mismatch warning",
                Vec::<&String>::new(),
                bundle_warnings,
            );
        }

        // A leaf that is not the certificate the profile names
        // (swapped-cert.hap) is warned about.
        let named = f
            .str("profile_cert_sha256")
            .unwrap_or(release_sha256.as_str());
        let swapped = f.str("cert_sha256") != Some(named);
        let cert_warnings: Vec<&String> = own
            .iter()
            .copied()
            .filter(|w| w.contains("profile") && w.contains("certificate") && w.contains("not"))
            .collect();
        if swapped {
            d.truth(
                name,
                "warns the profile's certificate is not the signer's",
                !cert_warnings.is_empty(),
                &r.warnings,
            );
        } else {
            d.eq(
                name,
                "no certificate-mismatch warning",
                Vec::<&String>::new(),
                cert_warnings,
            );
        }
    }
    d.done("warnings", 12 * 2);
}

// ------------------------------------------------------------------ icons

/// The fill colour `fixtures/src/harmony/<src>/assets.txt` gives a
/// generated PNG (`png|rgba PATH W H RRGGBB`).
fn asset_colour(src: &str, path: &str) -> [u8; 3] {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/src/harmony")
        .join(src)
        .join("assets.txt");
    let text = std::fs::read_to_string(&spec).unwrap();
    let line = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() == 5 && (f[0] == "png" || f[0] == "rgba") && f[1] == path)
        .unwrap_or_else(|| panic!("{}: no PNG {path}", spec.display()));
    let hex = line[4];
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

fn decode(png: &[u8]) -> image::RgbaImage {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .unwrap()
        .to_rgba8()
}

fn icon_png(name: &str) -> (image::RgbaImage, String) {
    let data = read(name);
    let pkg = Package::open(&data, &limits()).unwrap();
    let (png, path) = pkg
        .icon_png()
        .unwrap_or_else(|e| panic!("{name}: icon: {e}"));
    (decode(&png), path)
}

/// A file of a package, read with apkinfo's ZIP reader and decoded.
fn layer(data: &[u8], path: &str) -> image::RgbaImage {
    let zip = apkinfo::zip::Archive::parse(data, &limits()).unwrap();
    let e = zip
        .find(path)
        .unwrap_or_else(|| panic!("{path} not in the package"));
    decode(&zip.read(&e).unwrap())
}

#[test]
fn raster_icons_are_the_launcher_png_of_the_stated_size_and_colour() {
    let facts = expect();
    for (name, src) in [("entry-v1.hap", "entry-v1"), ("fa-model.hap", "fa-model")] {
        let f = Facts(&facts[name]);
        let (img, path) = icon_png(name);
        let icon = f.str("icon").unwrap();
        assert_eq!(path, icon, "{name}: icon path");
        assert_eq!(
            Some(img.dimensions()),
            f.size("icon_size"),
            "{name}: icon size"
        );
        let (w, h) = img.dimensions();
        let [r, g, b] = asset_colour(src, icon);
        assert_eq!(
            img.get_pixel(w / 2, h / 2).0,
            [r, g, b, 255],
            "{name}: centre pixel"
        );
    }
}

#[test]
fn app_icon_comes_from_its_entry_module() {
    let f = expect();
    let f = Facts(&f["demo.app"]);
    let (img, path) = icon_png("demo.app");
    let want = format!(
        "{}!{}",
        f.str("entry_file").unwrap(),
        f.str("entry_icon").unwrap()
    );
    assert_eq!(path, want, "the entry module's icon, named inside the .app");
    assert_eq!(Some(img.dimensions()), f.size("entry_icon_size"));
    // demo.app's entry-default.hap is entry-v1 staged again (make-harmony.sh)
    let [r, g, b] = asset_colour("entry-v1", f.str("entry_icon").unwrap());
    let (w, h) = img.dimensions();
    assert_eq!(img.get_pixel(w / 2, h / 2).0, [r, g, b, 255]);
}

#[test]
fn layered_icon_is_the_foreground_over_the_background() {
    let name = "entry-layered.hap";
    let f = expect();
    let f = Facts(&f[name]);
    let data = read(name);
    let bg = layer(&data, f.str("icon_background").unwrap());
    let fg = layer(&data, f.str("icon_foreground").unwrap());
    assert_eq!(Some(bg.dimensions()), f.size("icon_background_size"));
    assert_eq!(Some(fg.dimensions()), f.size("icon_foreground_size"));
    // the layers are what assets.txt says they are made of
    let (w, h) = bg.dimensions();
    let [r, g, b] = asset_colour("entry-layered", f.str("icon_background").unwrap());
    assert_eq!(bg.get_pixel(w / 2, h / 2).0, [r, g, b, 255], "background");
    let [r, g, b] = asset_colour("entry-layered", f.str("icon_foreground").unwrap());
    assert_eq!(
        fg.get_pixel(w / 2, h / 2).0,
        [r, g, b, 255],
        "foreground disc"
    );

    let (out, path) = icon_png(name);
    assert_eq!(
        path,
        f.str("icon").unwrap(),
        "named by its layered-image JSON"
    );
    assert_eq!(
        out.dimensions(),
        bg.dimensions(),
        "composed at the background's size"
    );
    let clear = fg.enumerate_pixels().find(|(_, _, p)| p.0[3] == 0);
    let solid = fg.enumerate_pixels().find(|(_, _, p)| p.0[3] == 255);
    let ((cx, cy, _), (sx, sy, sp)) = (
        clear.expect("a transparent foreground pixel"),
        solid.expect("an opaque foreground pixel"),
    );
    assert_eq!(
        out.get_pixel(cx, cy),
        bg.get_pixel(cx, cy),
        "background shows through at ({cx},{cy})"
    );
    assert_eq!(
        out.get_pixel(sx, sy),
        sp,
        "foreground covers at ({sx},{sy})"
    );
    assert_eq!(
        out.get_pixel(w / 2, h / 2),
        fg.get_pixel(w / 2, h / 2),
        "centre is the foreground's"
    );
    // every pixel is one or the other where the foreground is all or nothing
    for (x, y, p) in fg.enumerate_pixels() {
        match p.0[3] {
            0 => assert_eq!(out.get_pixel(x, y), bg.get_pixel(x, y), "({x},{y})"),
            255 => assert_eq!(out.get_pixel(x, y), p, "({x},{y})"),
            _ => {}
        }
    }
}

// ------------------------------------------------------------------ manifest

#[test]
fn manifest_text_is_the_module_description_as_json() {
    let facts = expect();
    for name in ["entry-v1.hap", "shared.hsp", "fa-model.hap", "demo.app"] {
        let data = read(name);
        let text = Package::open(&data, &limits())
            .unwrap()
            .manifest_text()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let json: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {text}"));
        let want = Facts(&facts[name]).string("bundle_name").unwrap();
        assert_eq!(json["app"]["bundleName"], want.as_str(), "{name}: {text}");
        if name == "fa-model.hap" {
            // config.json: the FA model's shape (version object, module.distro)
            assert_eq!(
                json["app"]["version"]["code"], 3,
                "{name}: config.json's app.version"
            );
            assert!(
                json["module"]["distro"].is_object(),
                "{name}: config.json's module.distro"
            );
        } else {
            // module.json (an .app: its entry module's)
            let module_type = Facts(&facts[name]).str("module_type").unwrap_or("entry");
            assert_eq!(json["module"]["type"], module_type, "{name}: {text}");
        }
    }
}

// ------------------------------------------------------------------ CLI

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_apkinfo"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apkinfo-harmony-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `apkinfo check --expect F FILE` with a `[harmonyos]` table.
fn check(file: &str, package: &str, md5: &str, public_key: &str) -> (Option<i32>, String) {
    let toml = tmp(&format!("{file}-{md5}.toml"));
    std::fs::write(
        &toml,
        format!("[harmonyos]\npackage = \"{package}\"\nsignature_md5 = \"{md5}\"\npublic_key = \"{public_key}\"\n"),
    )
    .unwrap();
    let out = bin()
        .arg("check")
        .arg("--expect")
        .arg(&toml)
        .arg(dir().join(file))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn cli_check_passes_on_the_filed_values_and_fails_otherwise() {
    let facts = expect();
    let f = Facts(&facts["entry-p384.hap"]);
    let (pkg, md5) = (f.str("bundle_name").unwrap(), f.str("cert_md5").unwrap());
    let (code, text) = check("entry-p384.hap", pkg, md5, P384_EC_POINT);
    assert_eq!(code, Some(0), "{text}");
    // keytool-style upper case with colons is the same MD5
    let colons: Vec<String> = md5
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let (code, text) = check("entry-p384.hap", pkg, &colons.join(":"), P384_EC_POINT);
    assert_eq!(code, Some(0), "{text}");

    let mut wrong = md5.to_string();
    wrong.replace_range(31..32, if md5.ends_with('0') { "1" } else { "0" });
    let (code, text) = check("entry-p384.hap", pkg, &wrong, P384_EC_POINT);
    assert_eq!(code, Some(1), "a wrong MD5: {text}");
    assert!(text.contains("signature_md5"), "names the field: {text}");

    // OpenHarmony's public test certificate is not to be filed either, even
    // when the filed values are exactly its own.
    let v1 = Facts(&facts["entry-v1.hap"]);
    let (code, text) = check(
        "entry-v1.hap",
        v1.str("bundle_name").unwrap(),
        v1.str("cert_md5").unwrap(),
        OH_RELEASE_EC_POINT,
    );
    assert_eq!(code, Some(1), "test certificate: {text}");

    // A debug profile's certificate is not to be filed: nothing matches.
    let layered = Facts(&facts["entry-layered.hap"]);
    let (code, text) = check(
        "entry-layered.hap",
        layered.str("bundle_name").unwrap(),
        layered.str("cert_md5").unwrap(),
        OH_RELEASE_EC_POINT,
    );
    assert_eq!(code, Some(1), "debug profile: {text}");
}

#[test]
fn cli_verify_and_inspect_exit_codes() {
    let out = bin()
        .arg("verify")
        .arg(dir().join("tampered-entry.hap"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin()
        .arg("verify")
        .arg(dir().join("entry-v1.hap"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin()
        .args(["inspect", "--json"])
        .arg(dir().join("entry-v1.hap"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\"platform\":\"harmonyos\""), "{stdout}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["package"], "com.example.harmony");
    assert_eq!(v["format"], "hap");
}

// ------------------------------------------------------------------ corpus

#[test]
fn corpus_packages_match_openssl_and_their_module_json() {
    use sha2::{Digest, Sha256};
    let Some(root) = corpus() else { return };
    let facts =
        toml_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/harmony_corpus.toml"));
    let mut d = Diffs::default();
    for (name, t) in &facts {
        let f = Facts(t.as_table().unwrap());
        let listed = f.str("path").unwrap();
        let path = listed
            .strip_prefix("/work/shared/corpus/")
            .map(|rel| root.join(rel))
            .unwrap_or_else(|| PathBuf::from(listed));
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let sha = apkinfo::cert::hex(&Sha256::digest(&data));
        assert_eq!(
            Some(sha.as_str()),
            f.str("sha256"),
            "{name}: not the bytes the facts were taken from"
        );
        let r = apkinfo::inspect(name, &data, &limits()).unwrap_or_else(|e| panic!("{name}: {e}"));

        d.eq(name, "platform", "harmonyos", r.platform);
        d.eq(name, "format", f.str("kind").unwrap(), r.format);
        d.eq(name, "package", f.str("bundle_name"), r.package.as_deref());
        d.eq(name, "version_code", f.int("version_code"), r.version_code);
        d.eq(
            name,
            "version_name",
            f.str("version_name"),
            r.version_name.as_deref(),
        );
        let (level, os) = api(f.int("min_api_version").unwrap());
        d.eq(name, "min_api", Some(level), r.min_api);
        d.eq(name, "min_os", os, r.min_os.clone());
        d.eq(
            name,
            "target_api",
            Some(api(f.int("target_api_version").unwrap()).0),
            r.target_api,
        );
        if let Some(t) = f.str("api_release_type") {
            d.eq(
                name,
                "api_release_type",
                Some(t),
                r.api_release_type.as_deref(),
            );
        }
        d.eq(
            name,
            "device_types",
            f.strs("device_types"),
            r.device_types.clone(),
        );
        d.eq(
            name,
            "main_ability",
            f.str("launcher_ability"),
            r.main_ability.as_deref(),
        );
        // the launcher's label; every locale says the same (resdump.py)
        let label = f.str("label");
        d.eq(name, "label", label, r.label.as_deref());
        for (locale, text) in &r.labels {
            d.eq(
                name,
                &format!("labels[{locale}]"),
                label,
                Some(text.as_str()),
            );
        }
        let prefix = f
            .strs("inner_files")
            .map(|i| format!("{}!", i[0]))
            .unwrap_or_default();
        let icon = f.str("icon").map(|i| format!("{prefix}{i}"));
        let reported = r.icon.as_ref().and_then(|i| {
            i.layered
                .as_ref()
                .map(|l| l.path.clone())
                .or_else(|| i.path.clone())
        });
        d.eq(name, "icon (path or layered path)", icon, reported);
        if let Some(names) = f.strs("packages") {
            let got: Vec<String> = r.modules.iter().flatten().map(|m| m.name.clone()).collect();
            d.eq(name, "modules[].name", names, got);
            let got: Vec<String> = r
                .modules
                .iter()
                .flatten()
                .map(|m| m.kind.to_string())
                .collect();
            d.eq(
                name,
                "modules[].type",
                f.strs("package_types").unwrap(),
                got,
            );
        }

        match &r.signing_block {
            None => d.truth(name, "signing block present", false, ()),
            Some(b) => {
                d.eq(
                    name,
                    "signing_block.version",
                    f.int("block_version").map(|v| v as u32),
                    b.version,
                );
                let ids: Vec<String> = b.blocks.iter().map(|s| s.id.clone()).collect();
                d.eq(
                    name,
                    "signing_block.blocks[].id",
                    f.strs("sub_blocks").unwrap(),
                    ids,
                );
            }
        }
        d.eq(name, "signers (count)", 1, r.signers.len());
        let Some(signer) = r.signers.first() else {
            continue;
        };
        let c = &signer.certificate;
        d.eq(
            name,
            "signer schemes",
            vec!["hap-v3"],
            signer.schemes.clone(),
        );
        d.eq(name, "leaf md5", f.str("leaf_md5").unwrap(), c.md5.as_str());
        d.eq(
            name,
            "leaf sha1",
            f.str("leaf_sha1").unwrap(),
            c.sha1.as_str(),
        );
        d.eq(
            name,
            "leaf sha256",
            f.str("leaf_sha256").unwrap(),
            c.sha256.as_str(),
        );
        d.eq(
            name,
            "leaf subject",
            f.string("leaf_subject").unwrap(),
            rfc2253(&c.subject),
        );
        d.eq(
            name,
            "leaf issuer",
            f.string("leaf_issuer").unwrap(),
            rfc2253(&c.issuer),
        );
        d.eq(
            name,
            "leaf serial",
            f.str("leaf_serial_hex").unwrap(),
            c.serial.as_str(),
        );
        d.eq(
            name,
            "leaf not_before",
            f.str("leaf_not_before"),
            c.not_before.as_deref(),
        );
        d.eq(
            name,
            "leaf not_after",
            f.str("leaf_not_after"),
            c.not_after.as_deref(),
        );
        d.eq(
            name,
            "leaf key algorithm",
            "EC",
            c.public_key.algorithm.as_str(),
        );
        d.eq(
            name,
            "leaf curve (prime256v1)",
            Some("P-256"),
            c.public_key.curve.as_deref(),
        );
        d.eq(
            name,
            "chain",
            f.int("cert_count").unwrap() - 1,
            signer.chain.len() as u64,
        );

        let ptype = f.str("profile_type").unwrap();
        let p = r.harmony_profile.as_ref();
        d.eq(
            name,
            "provisioning.type",
            Some(ptype),
            p.and_then(|p| p.kind.as_deref()),
        );
        d.eq(
            name,
            "provisioning.bundle_name",
            f.str("profile_bundle_name"),
            p.and_then(|p| p.bundle_name.as_deref()),
        );
        let dist = f.str("profile_distribution_type").filter(|s| !s.is_empty());
        d.eq(
            name,
            "provisioning.app_distribution_type",
            dist,
            p.and_then(|p| p.app_distribution_type.as_deref()),
        );

        // Withheld exactly for a debug profile, else the leaf is filed.
        let debug = ptype == "debug";
        d.eq(
            name,
            "filing withheld (debug profile)",
            debug,
            r.filing_withheld.is_some(),
        );
        d.eq(
            name,
            "filing present (release profile)",
            !debug,
            r.filing.is_some(),
        );
        if let Some(w) = &r.filing_withheld {
            d.eq(
                name,
                "filing_withheld.cause",
                "development-certificate",
                w.cause,
            );
            d.eq(
                name,
                "filing_withheld.certificate_sha256",
                f.str("leaf_sha256").unwrap(),
                w.certificate_sha256.as_str(),
            );
        }
        if let Some(fl) = &r.filing {
            filing_matches(&mut d, name, &f, "leaf_", fl);
        }

        // hap-sign verify-app passed: so must verify.
        let v = verify(&data);
        d.eq(
            name,
            "expect: hapsign_verify",
            Some("pass"),
            f.str("hapsign_verify"),
        );
        d.eq(name, "verified", true, v.verified);
        d.eq(name, "schemes.hap", true, v.schemes.hap);
        d.eq(
            name,
            "verify errors",
            Vec::<String>::new(),
            v.errors.clone(),
        );
        d.eq(name, "hap_scheme", Some("hap-v3"), v.hap_scheme);
    }
    d.done("corpus HarmonyOS packages", 3 * 40);
}
