//! iOS packages (.ipa): the main app under `Payload/*.app/`, its Info.plist,
//! localized names, icon, provisioning profile and code signature.

pub mod cgbi;
pub mod macho;
pub mod profile;

use crate::cert::{self, pkcs7};
use crate::limits::Limits;
use crate::report::{BundleReport, Cert, CodeSignatureReport, Filing, IconReport, Report, Signer};
use crate::zip::{Archive, CentralRecord, Method, ZipError};
use plist::{Dictionary, Value};
use std::collections::BTreeMap;
use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IpaError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("not an iOS package: no Payload/ folder")]
    NotIpa,
    #[error("no app bundle: Payload/ holds no *.app with an Info.plist")]
    NoAppBundle,
    #[error("{path}: {msg}")]
    Plist { path: String, msg: String },
    #[error("the app has no icon file")]
    NoIcon,
    #[error("icon {path}: {msg}")]
    Icon { path: String, msg: String },
}

/// Bound on nested bundles listed.
const MAX_BUNDLES: usize = 64;
/// Largest plist read (Info.plist, InfoPlist.strings, profile).
const MAX_PLIST: u64 = 8 << 20;

/// Parse a plist (XML or binary) from bytes, after checking that it does not
/// nest deeper than [`Limits::max_plist_depth`]: the `plist` crate parses
/// recursively, and a plist nested 100 000 deep would overflow the stack.
pub fn plist_value(data: &[u8]) -> Result<Value, String> {
    plist_value_limited(data, Limits::default().max_plist_depth)
}

/// [`plist_value`] with an explicit nesting limit.
pub fn plist_value_limited(data: &[u8], max: usize) -> Result<Value, String> {
    let depth = if data.starts_with(b"bplist") {
        binary_plist_depth(data, max)
    } else {
        Ok(xml_plist_depth(data))
    };
    match depth {
        Ok(d) if d <= max => {}
        Ok(d) => {
            return Err(format!(
                "plist nests {d} levels deep, over {max} (the max-plist-depth limit)"
            ))
        }
        Err(e) => return Err(e),
    }
    Value::from_reader(std::io::Cursor::new(data)).map_err(|e| e.to_string())
}

/// Deepest `<array>`/`<dict>` nesting of an XML plist (a tag scan, no parse).
fn xml_plist_depth(data: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = data;
    while let Some(i) = rest.iter().position(|&b| b == b'<') {
        rest = rest.get(i + 1..).unwrap_or(&[]);
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = rest.get(..end).unwrap_or(&[]);
        let self_closing = tag.last() == Some(&b'/');
        if !self_closing && (tag.starts_with(b"array") || tag.starts_with(b"dict")) {
            depth += 1;
            max = max.max(depth);
        } else if tag.starts_with(b"/array") || tag.starts_with(b"/dict") {
            depth = depth.saturating_sub(1);
        }
        rest = rest.get(end..).unwrap_or(&[]);
    }
    max
}

/// Deepest container nesting of a binary plist, walked with an explicit
/// stack (never recursion) and a bound on the work done.
fn binary_plist_depth(data: &[u8], max: usize) -> Result<usize, String> {
    let bad = |w: &str| format!("binary plist: {w}");
    let trailer = data
        .len()
        .checked_sub(32)
        .and_then(|at| data.get(at..))
        .ok_or_else(|| bad("too short"))?;
    let (Some(&off_size), Some(&ref_size)) = (trailer.get(6), trailer.get(7)) else {
        return Err(bad("trailer"));
    };
    let be = |b: &[u8]| b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x));
    let num = be(trailer.get(8..16).unwrap_or(&[]));
    let top = be(trailer.get(16..24).unwrap_or(&[]));
    let table = be(trailer.get(24..32).unwrap_or(&[]));
    let (off_size, ref_size) = (usize::from(off_size), usize::from(ref_size));
    if !(1..=8).contains(&off_size) || !(1..=8).contains(&ref_size) || num > data.len() as u64 {
        return Err(bad("trailer out of range"));
    }
    let offset_of = |obj: u64| -> Option<usize> {
        let at = usize::try_from(table)
            .ok()?
            .checked_add(usize::try_from(obj).ok()?.checked_mul(off_size)?)?;
        usize::try_from(be(data.get(at..at.checked_add(off_size)?)?)).ok()
    };
    // (object, depth); each object is expanded at most once.
    let mut seen = vec![false; usize::try_from(num).unwrap_or(0)];
    let mut stack = vec![(top, 1usize)];
    let mut deepest = 0;
    while let Some((obj, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth > max {
            return Ok(depth);
        }
        let Some(slot) = usize::try_from(obj).ok().and_then(|o| seen.get_mut(o)) else {
            continue;
        };
        if std::mem::replace(slot, true) {
            continue;
        }
        let Some(at) = offset_of(obj) else { continue };
        let Some(&marker) = data.get(at) else {
            continue;
        };
        let kind = marker >> 4;
        // Arrays (0xA), sets (0xC) and dictionaries (0xD) hold references.
        if !matches!(kind, 0xA | 0xC | 0xD) {
            continue;
        }
        let (mut count, mut start) = (u64::from(marker & 0x0f), at + 1);
        if count == 0x0f {
            let Some(&int_marker) = data.get(start) else {
                continue;
            };
            let len = 1usize << (int_marker & 0x0f).min(3);
            count = be(data.get(start + 1..start + 1 + len).unwrap_or(&[]));
            start += 1 + len;
        }
        let refs = if kind == 0xD {
            count.saturating_mul(2)
        } else {
            count
        };
        let refs = usize::try_from(refs).unwrap_or(usize::MAX).min(data.len());
        for k in 0..refs {
            let Some(r) = start
                .checked_add(k * ref_size)
                .and_then(|p| data.get(p..p + ref_size))
            else {
                break;
            };
            stack.push((be(r), depth + 1));
        }
    }
    Ok(deepest)
}

/// An opened IPA: the archive and where its main app lives.
pub struct Ipa<'a> {
    pub zip: Archive<'a>,
    /// The main app's folder inside the archive, with a trailing `/`.
    pub app: String,
    pub info: Dictionary,
    limits: Limits,
    warnings: Vec<String>,
}

/// Is this path (normalized) junk that unzip tools leave behind?
fn is_junk(name: &str) -> bool {
    name.starts_with("__MACOSX/") || name.contains("/__MACOSX/") || name.contains("/._")
}

impl<'a> Ipa<'a> {
    /// Does this archive look like an IPA (a `Payload/` folder anywhere)?
    pub fn is_ipa(zip: &Archive<'_>) -> bool {
        zip.entries().any(|e| {
            // Cheap byte checks first: an APK has thousands of entries.
            let maybe = e.name.starts_with(b"Payload")
                || e.name
                    .windows(8)
                    .any(|w| w == b"/Payload" || w == b"\\Payload");
            maybe && {
                let n = e.name_normalized();
                !is_junk(&n) && (n.starts_with("Payload/") || n.contains("/Payload/"))
            }
        })
    }

    pub fn open(data: &'a [u8], limits: &Limits) -> Result<Ipa<'a>, IpaError> {
        let zip = Archive::parse(data, limits)?;
        Ipa::from_archive(zip, limits)
    }

    pub fn from_archive(zip: Archive<'a>, limits: &Limits) -> Result<Ipa<'a>, IpaError> {
        if !Ipa::is_ipa(&zip) {
            return Err(IpaError::NotIpa);
        }
        let mut warnings: Vec<String> = zip.warnings().to_vec();
        // Main app: `[prefix/]Payload/<X>.app/Info.plist`, the shallowest one.
        let mut apps: Vec<String> = zip
            .entries()
            .map(|e| e.name_normalized())
            .filter(|n| !is_junk(n))
            .filter_map(|n| {
                let dir = n.strip_suffix("/Info.plist")?;
                let (parent, app) = dir.rsplit_once('/')?;
                let payload_ok = parent == "Payload" || parent.ends_with("/Payload");
                (payload_ok && app.ends_with(".app")).then(|| format!("{dir}/"))
            })
            .collect();
        apps.sort_by_key(|a| (a.matches('/').count(), a.clone()));
        apps.dedup();
        let app = apps.first().cloned().ok_or(IpaError::NoAppBundle)?;
        if apps.len() > 1 {
            warnings.push(format!(
                "several app bundles in Payload/; reporting {app} (others: {})",
                apps.get(1..).unwrap_or(&[]).join(", ")
            ));
        }
        let info_path = format!("{app}Info.plist");
        let entry = zip.find(&info_path).ok_or(IpaError::NoAppBundle)?;
        let bytes = zip.read_capped(&entry, MAX_PLIST)?;
        let info = plist_value_limited(&bytes, limits.max_plist_depth)
            .map_err(|msg| IpaError::Plist {
                path: info_path.clone(),
                msg,
            })?
            .into_dictionary()
            .ok_or_else(|| IpaError::Plist {
                path: info_path,
                msg: "top level is not a dictionary".into(),
            })?;
        Ok(Ipa {
            zip,
            app,
            info,
            limits: *limits,
            warnings,
        })
    }

    fn string(&self, key: &str) -> Option<String> {
        self.info
            .get(key)
            .and_then(Value::as_string)
            .map(str::to_string)
    }

    fn read(&self, path: &str, cap: u64) -> Option<std::borrow::Cow<'a, [u8]>> {
        self.zip
            .find(path)
            .and_then(|e| self.zip.read_capped(&e, cap).ok())
    }

    pub fn report(&self, path: &str) -> Report {
        let mut warnings = self.warnings.clone();
        let package = self.string("CFBundleIdentifier");
        let label = self
            .string("CFBundleDisplayName")
            .or_else(|| self.string("CFBundleName"));
        let provisioning = self
            .read(&format!("{}embedded.mobileprovision", self.app), MAX_PLIST)
            .and_then(
                |d| match profile::read_limited(&d, &self.limits, &mut warnings) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        warnings.push(e.to_string());
                        None
                    }
                },
            );
        let (architectures, signers, code_signature) = self.executable(&mut warnings);
        let icon = self.icon(&mut warnings).map(|(path, info)| IconReport {
            path: Some(path),
            crushed: Some(info.crushed),
            width: Some(info.width),
            height: Some(info.height),
            format: Some("png"),
            density: None,
            adaptive: None,
            layered: None,
        });

        // The filing certificate: the code signature's leaf, unless Apple re-signed
        // the app (App Store download); then the developer's, from the profile.
        let mut filing_cert: Option<&Cert> = signers.first().map(|s| &s.certificate);
        let mut basis = "code-signature";
        if let Some(c) = filing_cert {
            if is_apple_resigning(c) {
                let dev = provisioning.as_ref().and_then(|p| p.certificates.first());
                warnings.push(format!(
                    "signed by Apple's own re-signing certificate ({}); the filing uses the profile's developer certificate{}",
                    c.subject,
                    if dev.is_some() { "" } else { ", but the profile has none" }
                ));
                filing_cert = dev;
                basis = "profile-developer-certificate";
            }
        } else if let Some(dev) = provisioning.as_ref().and_then(|p| p.certificates.first()) {
            warnings.push("the executable has no code signature; the filing uses the profile's developer certificate".into());
            filing_cert = Some(dev);
            basis = "profile-developer-certificate";
        }
        let filing = filing_cert.map(|c| Filing::from_cert("ios", package.clone(), c, basis));
        let development = filing_cert
            .filter(|c| {
                crate::cert::is_apple_development(c)
                    || provisioning
                        .as_ref()
                        .is_some_and(|p| p.kind == "development")
            })
            .map(|c| c.sha256.clone());
        // A code-signing certificate that is none of the profile's: the
        // binary was re-signed (or tampered with) after the profile was made.
        let resigned = match (signers.first(), provisioning.as_ref()) {
            (Some(s), Some(p))
                if !is_apple_resigning(&s.certificate)
                    && !p.certificates.is_empty()
                    && !p
                        .certificates
                        .iter()
                        .any(|c| c.sha256 == s.certificate.sha256) =>
            {
                let same_key = p
                    .certificates
                    .iter()
                    .any(|c| c.public_key.spki_hex == s.certificate.public_key.spki_hex);
                Some((s.certificate.sha256.clone(), same_key))
            }
            _ => None,
        };
        let mut report = Report {
            path: path.to_string(),
            platform: "ios",
            format: "ipa",
            package,
            version_name: self.string("CFBundleShortVersionString"),
            label,
            labels: self.labels(),
            permissions: self.usage_descriptions(),
            icon,
            signers,
            filing,
            build: self.string("CFBundleVersion"),
            min_os: self
                .string("MinimumOSVersion")
                .or_else(|| self.string("LSMinimumSystemVersion")),
            device_family: Some(self.device_family()),
            architectures: Some(architectures),
            url_schemes: Some(self.url_schemes()),
            ats_exception_domains: Some(self.ats_domains()),
            provisioning,
            code_signature,
            extensions: Some(self.bundles(&mut warnings)),
            warnings,
            ..Report::default()
        };
        if let Some(sha256) = development {
            report.withhold_filing("development-certificate", sha256, DEVELOPMENT_NOTE.into());
        } else if let Some((sha256, same_key)) = resigned {
            let note = if same_key {
                "the code-signing certificate is not byte-identical to the provisioning profile's, though it has the same public key (a renewed or re-issued certificate): its MD5/SHA-1 are not the profile's; file the certificate of the build you submit, after checking which one Apple holds for the app"
            } else {
                "the code-signing certificate is none of the provisioning profile's: the binary was re-signed (or altered) after the profile was made, so this certificate is not the developer's distribution certificate to file; inspect the build as exported for the App Store"
            };
            report.withhold_filing("re-signed", sha256, note.into());
        }
        report
    }

    fn device_family(&self) -> String {
        let platforms: Vec<&str> = self
            .info
            .get("CFBundleSupportedPlatforms")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_string).collect())
            .unwrap_or_default();
        let fam: Vec<u64> = match self.info.get("UIDeviceFamily") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| {
                    v.as_unsigned_integer()
                        .or_else(|| v.as_string().and_then(|s| s.parse().ok()))
                })
                .collect(),
            Some(v) => v.as_unsigned_integer().into_iter().collect(),
            None => Vec::new(),
        };
        if platforms.iter().any(|p| p.starts_with("AppleTV")) || fam.contains(&3) {
            "tv".into()
        } else if platforms.iter().any(|p| p.starts_with("Watch")) || fam.contains(&4) {
            "watch".into()
        } else if platforms.contains(&"MacOSX") {
            "mac".into()
        } else {
            match (fam.contains(&1), fam.contains(&2)) {
                (true, true) => "universal".into(),
                (false, true) => "ipad".into(),
                // No UIDeviceFamily: iOS treats the app as iPhone-only.
                _ => "iphone".into(),
            }
        }
    }

    fn url_schemes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in self
            .info
            .get("CFBundleURLTypes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let schemes = t
                .as_dictionary()
                .and_then(|d| d.get("CFBundleURLSchemes"))
                .and_then(Value::as_array);
            for s in schemes.into_iter().flatten().filter_map(Value::as_string) {
                if !out.iter().any(|x| x == s) {
                    out.push(s.to_string());
                }
            }
        }
        out
    }

    pub(crate) fn ats_domains(&self) -> Vec<String> {
        self.info
            .get("NSAppTransportSecurity")
            .and_then(Value::as_dictionary)
            .and_then(|d| d.get("NSExceptionDomains"))
            .and_then(Value::as_dictionary)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The privacy keys the app declares (`NS…UsageDescription`): iOS's permissions.
    fn usage_descriptions(&self) -> Vec<String> {
        self.info
            .keys()
            .filter(|k| k.ends_with("UsageDescription"))
            .cloned()
            .collect()
    }

    /// Localized display names from `<lang>.lproj/InfoPlist.strings`.
    fn labels(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for e in self.zip.entries() {
            let name = e.name_normalized();
            let Some(rest) = name.strip_prefix(&self.app) else {
                continue;
            };
            let Some(lang) = rest.strip_suffix(".lproj/InfoPlist.strings") else {
                continue;
            };
            if lang.contains('/') || out.len() >= 512 {
                continue;
            }
            let Ok(data) = self.zip.read_capped(&e, MAX_PLIST) else {
                continue;
            };
            let Some(dict) = strings_file(&data, self.limits.max_plist_depth) else {
                continue;
            };
            let value = dict
                .get("CFBundleDisplayName")
                .or_else(|| dict.get("CFBundleName"));
            if let Some(v) = value {
                out.insert(lang.to_string(), v.clone());
            }
        }
        out
    }

    /// The main executable's architectures and code-signature signers.
    fn executable(
        &self,
        warnings: &mut Vec<String>,
    ) -> (Vec<String>, Vec<Signer>, Option<CodeSignatureReport>) {
        let (path, slices) = match self.main_executable(&macho::ReadOptions::default()) {
            Ok(found) => found,
            Err(e) => {
                warnings.push(e);
                return (Vec::new(), Vec::new(), None);
            }
        };
        let archs = slices.iter().map(|s| s.arch.clone()).collect();
        // Every slice is signed with the same identity; the first signed one speaks for all.
        let Some(sig) = slices.iter().find_map(|s| s.signature.as_ref()) else {
            warnings.push(format!("{path} has no code signature"));
            return (archs, Vec::new(), None);
        };
        let cd = sig.code_directory.as_ref();
        let code_signature = Some(CodeSignatureReport {
            identifier: cd.and_then(|c| c.identifier.clone()),
            team_id: cd.and_then(|c| c.team_id.clone()),
            hash_type: cd.map(|c| c.hash_type.clone()),
            entitlements: sig
                .entitlements
                .as_ref()
                .and_then(|e| plist_value_limited(e, self.limits.max_plist_depth).ok())
                .and_then(|v| serde_json::to_value(v).ok())
                .unwrap_or(serde_json::Value::Null),
        });
        if let (Some(cd), Some(id)) = (&sig.code_directory, self.string("CFBundleIdentifier")) {
            if cd.identifier.as_deref().is_some_and(|i| i != id) {
                warnings.push(format!(
                    "code signature identifier {:?} differs from the bundle id {id:?}",
                    cd.identifier.as_deref().unwrap_or_default()
                ));
            }
        }
        let Some(cms) = &sig.cms else {
            warnings.push(format!("{path}: ad-hoc signature (no certificate)"));
            return (archs, Vec::new(), code_signature);
        };
        let sd = match pkcs7::parse_limited(cms, self.limits.max_certificates) {
            Ok(sd) => sd,
            Err(e) => {
                warnings.push(format!("{path}: code signature: {e}"));
                return (archs, Vec::new(), code_signature);
            }
        };
        let leaf = sd
            .signers
            .first()
            .and_then(|si| sd.certificate_of(si))
            .or_else(|| sd.certificates.first().copied());
        let Some(leaf) = leaf else {
            warnings.push(format!("{path}: code signature carries no certificate"));
            return (archs, Vec::new(), code_signature);
        };
        let signer = cert::signer_with_chain("ios-codesign", leaf, &sd.certificates, warnings);
        (archs, vec![signer], code_signature)
    }

    fn macho_with(
        &self,
        entry: &CentralRecord<'a>,
        opts: &macho::ReadOptions,
    ) -> Result<Vec<macho::SliceInfo>, String> {
        // Stored executables are read in place; deflated ones are streamed, so
        // a 200 MB binary costs no more memory than its code signature (and
        // its Objective-C class names, when asked for).
        let raw = self.zip.raw_data(entry).map_err(|e| e.to_string())?;
        match entry.method {
            Method::Stored => macho::read_with(&mut &raw[..], opts).map_err(|e| e.to_string()),
            _ => {
                let cap = self.limits.max_total_inflated.max(4 << 30);
                let dec = std::io::Read::take(flate2::bufread::DeflateDecoder::new(raw), cap);
                macho::read_with(&mut macho::Stream::new(dec), opts).map_err(|e| e.to_string())
            }
        }
    }

    /// The Mach-O at `path` in the archive, read with `opts`.
    pub(crate) fn executable_at(
        &self,
        path: &str,
        opts: &macho::ReadOptions,
    ) -> Result<Vec<macho::SliceInfo>, String> {
        let entry = self
            .zip
            .find(path)
            .ok_or_else(|| format!("{path} is missing"))?;
        self.macho_with(&entry, opts)
            .map_err(|e| format!("{path}: {e}"))
    }

    /// The main executable (CFBundleExecutable) read with `opts`: its path
    /// and slices. The error names the executable.
    pub fn main_executable(
        &self,
        opts: &macho::ReadOptions,
    ) -> Result<(String, Vec<macho::SliceInfo>), String> {
        let exe = self
            .string("CFBundleExecutable")
            .ok_or("Info.plist names no CFBundleExecutable")?;
        let path = format!("{}{exe}", self.app);
        let entry = self
            .zip
            .find(&path)
            .ok_or_else(|| format!("executable {path} is missing"))?;
        let slices = self
            .macho_with(&entry, opts)
            .map_err(|e| format!("{path}: {e}"))?;
        Ok((path, slices))
    }

    /// Icon names from Info.plist, in the order iOS consults them.
    fn icon_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        let mut add = |v: Option<&Value>| {
            for n in v
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_string)
            {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            }
        };
        for key in ["CFBundleIcons", "CFBundleIcons~ipad"] {
            let primary = self
                .info
                .get(key)
                .and_then(Value::as_dictionary)
                .and_then(|d| d.get("CFBundlePrimaryIcon"))
                .and_then(Value::as_dictionary);
            add(primary.and_then(|p| p.get("CFBundleIconFiles")));
        }
        add(self.info.get("CFBundleIconFiles"));
        if let Some(n) = self.string("CFBundleIconFile") {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// The largest icon file: (path, PNG facts).
    fn icon(&self, warnings: &mut Vec<String>) -> Option<(String, cgbi::PngInfo)> {
        let names = self.icon_names();
        let mut best: Option<(String, cgbi::PngInfo)> = None;
        for e in self.zip.entries() {
            let path = e.name_normalized();
            let Some(file) = path.strip_prefix(&self.app) else {
                continue;
            };
            if file.contains('/') || !file.to_ascii_lowercase().ends_with(".png") {
                continue;
            }
            let stem = file.get(..file.len() - 4).unwrap_or(file);
            // `name`, `name@2x`, `name@3x~ipad`, `name~ipad`; also names given with `.png`.
            let matches = names.iter().any(|n| {
                let n = n.strip_suffix(".png").unwrap_or(n);
                stem == n
                    || stem
                        .strip_prefix(n)
                        .is_some_and(|r| r.starts_with('@') || r.starts_with('~'))
            });
            if !matches {
                continue;
            }
            let Ok(data) = self.zip.read_capped(&e, 16 << 20) else {
                continue;
            };
            match cgbi::info(&data) {
                Ok(i) => {
                    let area = u64::from(i.width) * u64::from(i.height);
                    if best
                        .as_ref()
                        .is_none_or(|(_, b)| area > u64::from(b.width) * u64::from(b.height))
                    {
                        best = Some((path.clone().into_owned(), i));
                    }
                }
                Err(err) => warnings.push(format!("icon {path}: {err}")),
            }
        }
        if best.is_none() {
            let has_car = self.zip.find(&format!("{}Assets.car", self.app)).is_some();
            if has_car {
                warnings.push("the app's icons are only in Assets.car (a compiled asset catalog); no icon file to report".into());
            } else if !names.is_empty() {
                warnings.push(format!("no icon file found for {}", names.join(", ")));
            }
        }
        best
    }

    /// The icon as a standard PNG (crushed PNGs decoded).
    /// The main app's Info.plist as XML text (`apkinfo manifest`).
    pub fn info_plist_xml(&self) -> Result<String, IpaError> {
        let mut xml = Vec::new();
        Value::Dictionary(self.info.clone())
            .to_writer_xml(&mut xml)
            .map_err(|e| IpaError::Plist {
                path: "Info.plist".into(),
                msg: e.to_string(),
            })?;
        Ok(String::from_utf8_lossy(&xml).into_owned() + "\n")
    }

    pub fn icon_png(&self) -> Result<(Vec<u8>, String), IpaError> {
        let mut w = Vec::new();
        let (path, _) = self.icon(&mut w).ok_or(IpaError::NoIcon)?;
        let data = self.read(&path, 16 << 20).ok_or(IpaError::NoIcon)?;
        let png = cgbi::to_standard_png(&data).map_err(|e| IpaError::Icon {
            path: path.clone(),
            msg: e.to_string(),
        })?;
        Ok((png, path))
    }

    /// Bundles inside the main app: extensions, watch apps, frameworks.
    fn bundles(&self, warnings: &mut Vec<String>) -> Vec<BundleReport> {
        let mut out = Vec::new();
        for e in self.zip.entries() {
            let name = e.name_normalized();
            let Some(rest) = name.strip_prefix(&self.app) else {
                continue;
            };
            let Some(dir) = rest.strip_suffix("/Info.plist") else {
                continue;
            };
            let kind = match dir.rsplit_once('.').map(|(_, ext)| ext) {
                Some("appex") => "appex",
                Some("app") => "app",
                Some("framework") => "framework",
                _ => continue,
            };
            if out.len() >= MAX_BUNDLES {
                warnings.push(format!(
                    "more than {MAX_BUNDLES} nested bundles; the rest are not listed"
                ));
                break;
            }
            let bundle_id = self
                .zip
                .read_capped(&e, MAX_PLIST)
                .ok()
                .and_then(|d| plist_value_limited(&d, self.limits.max_plist_depth).ok())
                .and_then(|v| v.into_dictionary())
                .and_then(|d| {
                    d.get("CFBundleIdentifier")
                        .and_then(Value::as_string)
                        .map(str::to_string)
                });
            out.push(BundleReport {
                path: format!("{}{dir}", self.app),
                bundle_id,
                kind: kind.to_string(),
            });
        }
        out
    }
}

/// Apple's App Store re-signing identity.
/// Why a development-signed app's certificate is not filed.
const DEVELOPMENT_NOTE: &str = "signed with an Apple development certificate: a developer's own build; the filing asks for the distribution certificate (Apple Distribution / iPhone Distribution) of the build submitted to the App Store (inspect that build, or export its certificate from Keychain)";

fn is_apple_resigning(c: &Cert) -> bool {
    c.subject.contains("Apple iPhone OS Application Signing")
        || c.subject
            .contains("Apple iPhone OS Provisioning Profile Signing")
}

/// An `InfoPlist.strings`: a binary plist, or the text form (UTF-8 or UTF-16
/// with BOM), `"key" = "value";` lines, which is an OpenStep plist without braces;
/// nothing nested deeper than `max_depth` is parsed.
pub fn strings_file(data: &[u8], max_depth: usize) -> Option<BTreeMap<String, String>> {
    let value = if data.starts_with(b"bplist") || data.starts_with(b"<?xml") {
        plist_value_limited(data, max_depth).ok()?
    } else {
        let text = decode_text(data)?;
        // The ASCII parser recurses too: refuse deep nesting before it sees it.
        if ascii_plist_depth(&text) > max_depth {
            return None;
        }
        let wrapped = format!("{{{text}\n}}");
        Value::from_reader_ascii(std::io::Cursor::new(wrapped.as_bytes())).ok()?
    };
    let dict = value.into_dictionary()?;
    Some(
        dict.into_iter()
            .filter_map(|(k, v)| v.as_string().map(|s| (k.clone(), s.to_string())))
            .collect(),
    )
}

/// Deepest `(`/`{` nesting of an OpenStep (ASCII) plist, quoted strings skipped.
fn ascii_plist_depth(text: &str) -> usize {
    let (mut depth, mut max, mut quoted, mut escaped) = (0usize, 0usize, false, false);
    for c in text.chars() {
        if quoted {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn decode_text(data: &[u8]) -> Option<String> {
    let utf16 = |le: bool, body: &[u8]| -> String {
        let units = body.chunks_exact(2).map(|c| match c {
            [a, b] if le => u16::from_le_bytes([*a, *b]),
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => 0,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    match data {
        [0xff, 0xfe, body @ ..] => Some(utf16(true, body)),
        [0xfe, 0xff, body @ ..] => Some(utf16(false, body)),
        [0xef, 0xbb, 0xbf, body @ ..] => std::str::from_utf8(body).ok().map(str::to_string),
        _ => std::str::from_utf8(data).ok().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_depth() -> usize {
        Limits::default().max_plist_depth
    }

    /// A binary plist of `n` arrays, each holding the next.
    fn nested_bplist(n: usize) -> Vec<u8> {
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for i in 0..n {
            offsets.push(out.len() as u32);
            if i + 1 < n {
                out.push(0xA1);
                out.extend_from_slice(&((i + 1) as u32).to_be_bytes());
            } else {
                out.push(0xA0);
            }
        }
        let table = out.len() as u64;
        for o in offsets {
            out.extend_from_slice(&o.to_be_bytes());
        }
        out.extend_from_slice(&[0; 6]);
        out.push(4); // offset size
        out.push(4); // ref size
        out.extend_from_slice(&(n as u64).to_be_bytes());
        out.extend_from_slice(&0u64.to_be_bytes());
        out.extend_from_slice(&table.to_be_bytes());
        out
    }

    #[test]
    fn deep_plists_are_refused_without_recursion() {
        // On a 256 KiB stack: the check itself must not recurse.
        let h = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let xml = format!(
                    "<plist>{}{}</plist>",
                    "<array>".repeat(100_000),
                    "</array>".repeat(100_000)
                );
                let e1 = plist_value(xml.as_bytes()).unwrap_err();
                let e2 = plist_value(&nested_bplist(100_000)).unwrap_err();
                (e1, e2)
            })
            .unwrap();
        let (e1, e2) = h.join().unwrap();
        assert!(e1.contains("100000 levels"), "{e1}");
        assert!(e2.contains("levels deep"), "{e2}");
        assert!(strings_file(b"\"a\" = ", max_depth()).is_none());
        let deep = format!("\"a\" = {}{};", "(".repeat(100_000), ")".repeat(100_000));
        assert!(strings_file(deep.as_bytes(), max_depth()).is_none());
        // Shallow ones still parse.
        assert!(plist_value(&nested_bplist(10)).is_ok());
        assert!(plist_value(b"<plist><array><array/></array></plist>").is_ok());
    }

    #[test]
    fn strings_files_obey_the_given_depth() {
        let nested = b"\"a\" = ((\"x\"));";
        assert!(strings_file(nested, max_depth()).is_some());
        assert!(strings_file(nested, 1).is_none());
        let xml = b"<?xml version=\"1.0\"?><plist><dict><key>a</key><array><array><string>x</string></array></array></dict></plist>";
        assert!(strings_file(xml, max_depth()).is_some());
        assert!(strings_file(xml, 2).is_none());
    }

    #[test]
    fn strings_in_every_encoding() {
        let text = "/* comment */\n\"CFBundleDisplayName\" = \"示例\";\n\"CFBundleName\" = \"x\";";
        let mut utf16 = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        for data in [text.as_bytes().to_vec(), utf16] {
            let d = strings_file(&data, max_depth()).unwrap();
            assert_eq!(d["CFBundleDisplayName"], "示例");
        }
    }
}
