//! Every APK of the shared corpus against `aapt dump badging` (the oracle files).
//!
//! The corpus lives outside the repo (`../shared/corpus`, or `$APKINFO_CORPUS`);
//! when it is absent the tests print a note and pass, as a developer without it
//! cannot run them. CI has it.

mod common;
use common::corpus;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// (relpath, sha256, kind) of each MANIFEST.tsv row.
fn rows(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.to_string(), f.next()?.to_string(), {
                f.next();
                f.next()?.to_string()
            }))
        })
        .collect()
}

/// The facts aapt printed, by field name; absent when aapt printed none.
fn aapt_facts(text: &str) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    let quoted = |line: &str, key: &str| -> Option<String> {
        let start = line.find(&format!("{key}='"))? + key.len() + 2;
        let end = line[start..].find('\'')? + start;
        Some(line[start..end].to_string())
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("package: ") {
            for (k, name) in [
                ("name", "package"),
                ("versionCode", "versionCode"),
                ("versionName", "versionName"),
            ] {
                if let Some(v) = quoted(rest, k) {
                    out.insert(name, v);
                }
            }
        } else if let Some(v) = line.strip_prefix("sdkVersion:'") {
            out.insert("sdkVersion", v.trim_end_matches('\'').to_string());
        } else if let Some(v) = line.strip_prefix("targetSdkVersion:'") {
            out.insert("targetSdkVersion", v.trim_end_matches('\'').to_string());
        } else if let Some(v) = line.strip_prefix("application-label:'") {
            out.insert(
                "application-label",
                v.strip_suffix('\'').unwrap_or(v).to_string(),
            );
        }
    }
    out
}

/// Differences from aapt that are understood. Each: relpath, field, why.
/// Keep this short, and say why aapt (or we) differ.
const ALLOWED: &[(&str, &str, &str)] = &[(
    "apksig/original-with-versionCodeMajor.apk",
    "versionCode",
    // aapt 10 prints the 32-bit versionCode (25) and ignores versionCodeMajor=1;
    // Android's longVersionCode, which we report, is 1 << 32 | 25 = 4294967321.
    "aapt predates versionCodeMajor",
)];

#[test]
fn corpus_matches_aapt_and_never_panics() {
    let Some(dir) = corpus() else { return };
    let limits = apkinfo::Limits::default();
    let (mut compared, mut differ) = (0usize, Vec::new());
    let mut files = 0;
    let mut unreadable = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (rel, sha, kind) in rows(&dir) {
        if kind != "apk" {
            continue;
        }
        let path = dir.join(&rel);
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        files += 1;
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| apkinfo::inspect(&rel, &data, &limits));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, rel.clone());
        }
        let result = result.unwrap_or_else(|_| panic!("{rel}: apkinfo panicked"));
        if let Err(e) = &result {
            unreadable.push(format!("{rel}: {e}"));
        }
        let Ok(oracle) = std::fs::read_to_string(dir.join("oracle").join(format!("{sha}.aapt")))
        else {
            continue;
        };
        let want = aapt_facts(&oracle);
        if !want.contains_key("package") {
            continue; // aapt could not read it either
        }
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                differ.push(format!("{rel}\t*\taapt reads it, apkinfo fails: {e}"));
                continue;
            }
        };
        let ours: BTreeMap<&str, Option<String>> = [
            ("package", report.package.clone()),
            ("versionCode", report.version_code.map(|v| v.to_string())),
            ("versionName", report.version_name.clone()),
            (
                "sdkVersion",
                report
                    .min_sdk_codename
                    .clone()
                    .or(report.min_sdk.map(|v| v.to_string())),
            ),
            ("targetSdkVersion", report.target_sdk.map(|v| v.to_string())),
            ("application-label", report.label.clone()),
        ]
        .into_iter()
        .collect();
        for (field, theirs) in &want {
            let mine = ours.get(field).cloned().flatten().unwrap_or_default();
            compared += 1;
            if &mine != theirs {
                differ.push(format!("{rel}\t{field}\taapt {theirs:?}, apkinfo {mine:?}"));
            }
        }
    }
    let unexplained: Vec<&String> = differ
        .iter()
        .filter(|d| {
            !ALLOWED
                .iter()
                .any(|(r, f, _)| d.starts_with(&format!("{r}\t{f}\t")))
        })
        .collect();
    eprintln!(
        "corpus: {files} APKs, {compared} fields compared with aapt, {} differ ({} explained); slowest {:?} ({})",
        differ.len(),
        differ.len() - unexplained.len(),
        slowest.0,
        slowest.1
    );
    eprintln!(
        "{} APKs apkinfo cannot read (each also fails aapt, else it is counted above):",
        unreadable.len()
    );
    for u in &unreadable {
        eprintln!("  {u}");
    }
    for d in &unexplained {
        eprintln!("  {d}");
    }
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences from aapt",
        unexplained.len()
    );
    assert!(
        differ.len() * 100 <= compared,
        "more than 1% of fields differ from aapt"
    );
    assert!(
        slowest.0 < Duration::from_secs(10),
        "{} took {:?}",
        slowest.1,
        slowest.0
    );
}

/// Certificate SHA-256 digests apksigner printed for a verified APK.
fn apksigner_signers(text: &str) -> Option<Vec<String>> {
    if text.lines().next() != Some("Verifies") {
        return None;
    }
    Some(
        text.lines()
            .filter(|l| l.starts_with("Signer #") && l.contains(" certificate SHA-256 digest: "))
            .filter_map(|l| l.rsplit(": ").next().map(str::to_string))
            .collect(),
    )
}

/// (certificate SHA-256, certificate MD5) of each signer apksigner printed.
fn apksigner_md5s(text: &str) -> Vec<(String, String)> {
    let mut sha256: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for l in text.lines().filter(|l| l.starts_with("Signer #")) {
        if let Some((who, d)) = l.split_once(" certificate SHA-256 digest: ") {
            sha256.push((who, d));
        } else if let Some((who, d)) = l.split_once(" certificate MD5 digest: ") {
            if let Some((_, s)) = sha256.iter().find(|(w, _)| *w == who) {
                out.push((s.to_string(), d.to_string()));
            }
        }
    }
    out
}

/// Every `sha256=<64 hex>` the source project asserts about an APK.
fn expected_sha256(expected: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = expected;
    while let Some(i) = rest.find("sha256=") {
        // `file.sha256=` (fdroid's index) is the APK's own digest, not a certificate's.
        let is_file_digest = rest[..i].ends_with("file.") || rest[..i].ends_with("file ");
        rest = &rest[i + 7..];
        if is_file_digest {
            continue;
        }
        let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        if hex.len() == 64 {
            out.push(hex.to_ascii_lowercase());
        }
    }
    out
}

/// Certificates apkinfo reports we don't expect to match, with the reason.
const SIGNER_ALLOWED: &[(&str, &str)] = &[(
    "androguard/tests/data/APK/com.example.android.wearable.wear.weardrawers.apk",
    // androguard asserts a "v2/v3 public key fingerprint" 98917c…; it is neither the
    // certificate's SHA-256 (78e6fa…, which apksigner prints and we report) nor the
    // SPKI's SHA-256 (4b9e51…, which `openssl pkey -pubin -outform DER | sha256sum`
    // gives and we report): it hashes androguard's own re-encoding of the key.
    "androguard hashes its own key encoding",
)];

#[test]
fn corpus_signers_match_apksigner() {
    let Some(dir) = corpus() else { return };
    let limits = apkinfo::Limits::default();
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let (mut checked, mut digests, mut md5s, mut missing) = (0, 0, 0, Vec::new());
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (rel, sha, kind, expected) = (f[0], f[1], f[3], f.get(6).copied().unwrap_or(""));
        if kind != "apk" {
            continue;
        }
        let Ok(data) = std::fs::read(dir.join(rel)) else {
            continue;
        };
        let Ok(report) = apkinfo::inspect(rel, &data, &limits) else {
            continue;
        };
        let certs: Vec<_> = report
            .signers
            .iter()
            .flat_map(|s| {
                std::iter::once(&s.certificate)
                    .chain(&s.lineage)
                    .chain(&s.chain)
            })
            .collect();
        let ours: Vec<&str> = certs
            .iter()
            // androguard asserts some public-key fingerprints; those are SPKI digests.
            .flat_map(|c| [c.sha256.as_str(), c.public_key.spki_sha256.as_str()])
            .collect();
        let mut want = expected_sha256(expected);
        if let Ok(text) =
            std::fs::read_to_string(dir.join("oracle").join(format!("{sha}.apksigner")))
        {
            if let Some(signers) = apksigner_signers(&text) {
                checked += 1;
                want.extend(signers);
                // The filing's 签名MD5值: our MD5 of each certificate apksigner names.
                for (sha256, md5) in apksigner_md5s(&text) {
                    for c in certs.iter().filter(|c| c.sha256 == sha256) {
                        assert_eq!(c.md5, md5, "{rel}: MD5 of certificate {sha256}");
                        md5s += 1;
                    }
                }
            }
        }
        for d in want {
            digests += 1;
            if !ours.contains(&d.as_str()) && !SIGNER_ALLOWED.iter().any(|(r, _)| *r == rel) {
                missing.push(format!(
                    "{rel}: certificate {d} not among apkinfo's signers {ours:?}"
                ));
            }
        }
        // The filing certificate is one of the signers'.
        if let Some(filing) = &report.filing {
            assert!(
                ours.contains(&filing.certificate_sha256.as_str()),
                "{rel}: filing cert not a signer"
            );
        }
    }
    eprintln!("signers: {checked} APKs verified by apksigner, {digests} expected certificate digests, {} missing, {md5s} certificate MD5s equal to apksigner's", missing.len());
    for m in &missing {
        eprintln!("  {m}");
    }
    assert!(missing.is_empty());
}

/// `key == ('value')` (app-info's spec style) from an expectation text.
fn quoted_after<'a>(expected: &'a str, key: &str) -> Option<&'a str> {
    let i = expected.find(&format!("]: {key} == ('"))?;
    let rest = &expected[i + key.len() + 9..];
    rest.find("')").map(|j| &rest[..j])
}

/// `key=value` (fastlane / fdroidserver style), up to `;`, space or end.
fn kv<'a>(expected: &'a str, key: &str) -> Option<&'a str> {
    let i = expected.find(&format!("{key}="))?;
    let rest = &expected[i + key.len() + 1..];
    Some(rest.split([';', ' ', '|']).next().unwrap_or(rest))
}

#[test]
fn corpus_ipas_match_their_projects() {
    let Some(dir) = corpus() else { return };
    let limits = apkinfo::Limits::default();
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let (mut files, mut checks) = (0, 0);
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (rel, kind, expected) = (f[0], f[3], f.get(6).copied().unwrap_or(""));
        if kind != "ipa" {
            continue;
        }
        let Ok(data) = std::fs::read(dir.join(rel)) else {
            continue;
        };
        files += 1;
        let result = std::panic::catch_unwind(|| apkinfo::inspect(rel, &data, &limits))
            .unwrap_or_else(|_| panic!("{rel}: apkinfo panicked"));
        // The "not an app" cases must be refused with an error, not reported.
        let refused = expected.contains("Unable to unzip")
            || expected.contains("Unable to find app file")
            || expected.contains("not an app");
        let report = match (result, refused) {
            (Err(_), true) => {
                checks += 1;
                continue;
            }
            (Ok(_), true) => {
                failures.push(format!(
                    "{rel}: should be refused (not an app), was reported"
                ));
                continue;
            }
            // fastlane's xcodebuild fixtures hold only an empty Frameworks/ folder and
            // assert nothing; refusing them is right.
            (Err(_), false) if expected.is_empty() => continue,
            (Err(e), false) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
            (Ok(r), false) => r,
        };
        let mut check = |what: &str, want: Option<&str>, got: Option<String>| {
            if let Some(want) = want {
                checks += 1;
                if got.as_deref() != Some(want) {
                    failures.push(format!("{rel}: {what}: expected {want:?}, got {got:?}"));
                }
            }
        };
        let id = quoted_after(expected, "identifier")
            .or(kv(expected, "fetch_app_identifier"))
            .or(kv(expected, "bundle_identifier"))
            .or(kv(expected, "packageName"));
        check("bundle id", id, report.package.clone());
        check(
            "version",
            quoted_after(expected, "release_version").or(kv(expected, "versionName")),
            report.version_name.clone(),
        );
        check(
            "build",
            quoted_after(expected, "build_version").or(kv(expected, "fetch_app_build")),
            report.build.clone(),
        );
        check(
            "min OS",
            quoted_after(expected, "min_sdk_version").or(kv(expected, "MinimumOSVersion")),
            report.min_os.clone(),
        );
        check("name", quoted_after(expected, "name"), report.label.clone());
        if let Some(i) = expected.find("]: archs == (%i[") {
            let rest = &expected[i + 16..];
            let archs = &rest[..rest.find(']').unwrap()];
            check(
                "archs",
                Some(&archs.replace(' ', ",")),
                report.architectures.as_ref().map(|a| a.join(",")),
            );
        }
        if let Some(i) = expected.find("]: device == (:") {
            let rest = &expected[i + 15..];
            let device = &rest[..rest.find(')').unwrap()];
            // app-info says "appletv" for what we call "tv".
            let ours =
                report
                    .device_family
                    .clone()
                    .map(|d| if d == "tv" { "appletv".to_string() } else { d });
            check("device", Some(device), ours);
        }
        if let Some(i) = expected.find("plugins[0].bundle_id == ('") {
            let rest = &expected[i + 26..];
            let want = &rest[..rest.find("')").unwrap()];
            let got = report
                .extensions
                .iter()
                .flatten()
                .find(|e| e.kind == "appex")
                .and_then(|e| e.bundle_id.clone());
            check("extension", Some(want), got);
        }
        if let Some(i) = expected.find("permissions={") {
            let rest = &expected[i + 13..];
            for p in rest[..rest.find('}').unwrap()].split(", ") {
                check(
                    "privacy key",
                    Some(p),
                    report.permissions.iter().find(|x| *x == p).cloned(),
                );
            }
        }
        if expected.contains("team_name == ('") {
            let want = quoted_after(expected, "team_name");
            check(
                "team",
                want,
                report
                    .provisioning
                    .as_ref()
                    .and_then(|p| p.team_name.clone()),
            );
        }
    }
    eprintln!(
        "corpus IPAs: {files} files, {checks} facts checked, {} failures",
        failures.len()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty());
}

#[test]
fn corpus_profiles_match_their_projects() {
    let Some(dir) = corpus() else { return };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (rel, kind, expected) = (f[0], f[3], f.get(6).copied().unwrap_or(""));
        if kind != "provisioning-profile" {
            continue;
        }
        let data = std::fs::read(dir.join(rel)).unwrap();
        let result =
            std::panic::catch_unwind(|| apkinfo::ipa::profile::read(&data, &mut Vec::new()))
                .unwrap_or_else(|_| panic!("{rel}: panicked"));
        if expected.contains("empty? == true") {
            assert!(
                result.is_err(),
                "{rel}: an unparseable profile must be an error"
            );
            checked += 1;
            continue;
        }
        let want = [
            ("[Adhoc]", "ad-hoc"),
            ("[AppStore]", "app-store"),
            ("[Development]", "development"),
        ]
        .into_iter()
        .find(|(tag, _)| expected.contains(&format!("mobile_provision {tag}: type eq")))
        .map(|(_, t)| t);
        match (result, want) {
            (Ok(p), Some(want)) => {
                assert_eq!(p.kind, want, "{rel}");
                assert!(!p.certificates.is_empty(), "{rel}: developer certificates");
                checked += 1;
            }
            (Ok(_), None) => checked += 1,
            // No expectation (e.g. plist.mobileprovision, whose certificate data is
            // truncated base64 that plistlib refuses too): an error is an answer.
            (Err(_), None) => checked += 1,
            (Err(e), Some(_)) => panic!("{rel}: {e}"),
        }
    }
    eprintln!("corpus profiles: {checked} checked");
    assert!(checked >= 10);
}

/// (relpath, kind, expected) of each MANIFEST.tsv row.
fn described(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let at = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            (at(0), at(3), at(6))
        })
        .collect()
}

/// The package name a protobuf file names in field `n` of its top-level
/// message (or of its first `sub` message), read with the library's wire
/// reader: an oracle independent of the manifest the report reads.
fn proto_string(data: &[u8], path: &[u32]) -> Option<String> {
    let mut m = apkinfo::proto::Message::new(data);
    let (last, inner) = path.split_last()?;
    for n in inner {
        m = m.message(*n)?;
    }
    m.string(*last).map(|s| s.into_owned())
}

#[test]
fn corpus_bundles_and_sets_read_right_and_never_file_an_upload_key() {
    let Some(dir) = corpus() else { return };
    let limits = apkinfo::Limits::default();
    let (mut files, mut checks) = (0, 0);
    let mut failures = Vec::new();
    for (rel, kind, expected) in described(&dir) {
        let (rel, kind, expected) = (rel.as_str(), kind.as_str(), expected.as_str());
        if kind != "aab" && kind != "apks" {
            continue;
        }
        let data = std::fs::read(dir.join(rel)).unwrap();
        let r = match apkinfo::inspect(rel, &data, &limits) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        files += 1;
        let zip = apkinfo::zip::Archive::parse(&data, &limits).unwrap();
        let entry = |name: &str| zip.find(name).map(|e| zip.read(&e).unwrap().into_owned());
        let mut check = |what: &str, ok: bool, detail: String| {
            checks += 1;
            if !ok {
                failures.push(format!("{rel}: {what}: {detail}"));
            }
        };
        check("format", r.format == kind, r.format.to_string());
        if kind == "aab" {
            // Never a filing value from an upload key; the key is there, marked.
            check("filing", r.filing.is_none(), format!("{:?}", r.filing));
            check(
                "signers are upload keys",
                r.signers.iter().all(|s| s.role == Some("upload")),
                format!("{:?}", r.signers.iter().map(|s| s.role).collect::<Vec<_>>()),
            );
            // resources.pb: ResourceTable.package(2).package_name(2).
            let table_pkg = entry("base/resources.pb").and_then(|d| proto_string(&d, &[2, 2]));
            check(
                "package = resources.pb's package",
                table_pkg.is_some() && r.package == table_pkg,
                format!("{:?} vs {table_pkg:?}", r.package),
            );
        } else {
            // toc.pb: BuildApksResult.package_name(4).
            let toc_pkg = entry("toc.pb").and_then(|d| proto_string(&d, &[4]));
            check(
                "package = toc.pb's package",
                toc_pkg.is_some() && r.package == toc_pkg,
                format!("{:?} vs {toc_pkg:?}", r.package),
            );
            check("filing", r.filing.is_some(), "none".into());
        }
        // What the source project asserts (app-info's spec).
        let asserted: [(&str, Option<String>); 7] = [
            ("bundle_id", r.package.clone()),
            ("name", r.label.clone()),
            ("release_version", r.version_name.clone()),
            ("build_version", r.version_code.map(|v| v.to_string())),
            (
                "manifest.label(locale: 'zh-CN')",
                r.labels.get("zh-CN").cloned(),
            ),
            (
                "fingerprint(:md5)",
                r.signers.first().map(|s| s.certificate.md5.clone()),
            ),
            (
                "use_permissions",
                Some(format!("(%w[{}])", r.permissions.join(" "))),
            ),
        ];
        for (key, ours) in asserted {
            let want = if key == "use_permissions" {
                expected
                    .find("use_permissions == ")
                    .map(|i| &expected[i + 19..])
                    .and_then(|s| s.split(" ||").next())
            } else {
                quoted_after(expected, key)
            };
            if let Some(want) = want {
                check(
                    key,
                    ours.as_deref() == Some(want),
                    format!("{ours:?} vs {want:?}"),
                );
            }
        }
        for (key, ours) in [
            ("min_sdk_version eq ", r.min_sdk),
            ("target_sdk_version eq ", r.target_sdk),
        ] {
            if let Some(i) = expected.find(key) {
                let want: u32 = expected[i + key.len()..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap();
                check(key, ours == Some(want), format!("{ours:?} vs {want}"));
            }
        }
    }
    eprintln!("bundles and sets: {files} files, {checks} checks");
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
    assert!(
        files >= 4,
        "expected the corpus's 3 .aab and 1 .apks, read {files}"
    );
}

/// No filing block ever shows a certificate that is not the one to file:
/// Android's debug certificate (many corpus APKs are debug builds) and
/// Apple development certificates (many corpus IPAs are developers' builds)
/// are named in `filing_withheld` instead, and the text view shows none of
/// their digests.
#[test]
fn corpus_never_files_a_debug_or_development_certificate() {
    let Some(dir) = corpus() else { return };
    let limits = apkinfo::Limits::default();
    let mut withheld: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut filed = 0;
    for (rel, kind, _) in described(&dir) {
        let rel = rel.as_str();
        if !["apk", "ipa", "aab", "apks"].contains(&kind.as_str()) {
            continue;
        }
        let Ok(data) = std::fs::read(dir.join(rel)) else {
            continue;
        };
        let Ok(r) = apkinfo::inspect(rel, &data, &limits) else {
            continue;
        };
        let certs: Vec<&apkinfo::report::Cert> = r
            .signers
            .iter()
            .flat_map(|s| std::iter::once(&s.certificate).chain(&s.lineage))
            .chain(r.provisioning.iter().flat_map(|p| p.certificates.iter()))
            .collect();
        if let Some(filing) = &r.filing {
            filed += 1;
            let c = certs
                .iter()
                .find(|c| c.sha256 == filing.certificate_sha256)
                .unwrap_or_else(|| panic!("{rel}: filing certificate not in the package"));
            assert!(
                !apkinfo::cert::is_android_debug(c) && !apkinfo::cert::is_apple_development(c),
                "{rel}: files {}",
                c.subject
            );
        }
        if let Some(w) = &r.filing_withheld {
            assert!(r.filing.is_none(), "{rel}");
            *withheld.entry(w.cause).or_default() += 1;
            let c = certs
                .iter()
                .find(|c| c.sha256 == w.certificate_sha256)
                .unwrap_or_else(|| panic!("{rel}: withheld certificate not in the package"));
            let text = apkinfo::report::text::render(&r);
            assert!(
                !text.contains(&apkinfo::cert::colon_hex(&c.md5)) && !text.contains(&c.sha1),
                "{rel}: the text view shows a withheld certificate's digest"
            );
        }
    }
    eprintln!("filing: {filed} packages with a filing block; withheld {withheld:?}");
    // MANIFEST.tsv lists 14 debug-signed APKs, 2 development-signed IPAs
    // (app-info's iphone.ipa and apple-tv.ipa) and 3 .aab.
    assert!(
        withheld.get("debug-certificate").copied().unwrap_or(0) >= 10,
        "{withheld:?}"
    );
    assert!(
        withheld
            .get("development-certificate")
            .copied()
            .unwrap_or(0)
            >= 2,
        "{withheld:?}"
    );
    assert_eq!(withheld.get("upload-key").copied(), Some(3), "{withheld:?}");
}
