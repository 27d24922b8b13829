//! Command-line arguments.

use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "apkinfo",
    version,
    about = "Read app packages (APK, .aab, .apks/.xapk/.apkm split sets, IPA, HarmonyOS .hap/.hsp/.app) and report package name, version, label, icon, permissions and who signed them.",
    after_help = "`apkinfo FILE...` is short for `apkinfo inspect FILE...`.\n\n\
Exit status: 0 all files read (and, for check, all match); 1 check found a mismatch;\n2 a file could not be read (the others are still reported) or bad usage."
)]
pub struct Cli {
    /// Override a safety limit, e.g. `--limit max-entry-size=134217728` (repeatable).
    /// Names: max-entries, max-entry-size, max-total-inflated, max-stream-factor,
    /// max-ratio, max-reference-depth, max-xml-depth, max-plist-depth, max-string-pool,
    /// max-certificates.
    #[arg(long = "limit", value_name = "NAME=VALUE", global = true)]
    pub limits: Vec<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Report what each package says about itself (the default command).
    Inspect(InspectArgs),
    /// Print the decoded AndroidManifest.xml as XML text (an .aab's or a set's base);
    /// an IPA's Info.plist; a HarmonyOS module's module.json / config.json.
    Manifest(FileArg),
    /// Write the package's icon as a PNG file.
    Icon(IconArgs),
    /// Compare packages with what was filed (APP备案); exit 1 on any mismatch.
    Check(CheckArgs),
    /// The APP备案 form for one app built for several platforms: 服务名称, 服务语言,
    /// 使用外部SDK, APP图标, then one 特征信息 row per platform (包名, 公钥, 签名MD5值, 域名),
    /// 服务器IP candidates and what to check before pasting.
    Filing(FilingArgs),
    /// Verify APK signatures as Android would (every APK of a split set; an .aab's
    /// JAR signature) and HarmonyOS signing blocks; exit 1 when one does not verify.
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
#[command(
    after_help = "The SDK range defaults to the manifest's minSdkVersion..∞, as apksigner's (Android only).\nExit status: 0 all verified; 1 a package does not verify; 2 a file could not be read."
)]
pub struct VerifyArgs {
    /// One JSON object per file: {path, verified, schemes, errors, warnings, signers, min_sdk, max_sdk}.
    #[arg(long)]
    pub json: bool,
    /// Lowest Android API level to verify for.
    #[arg(long)]
    pub min_sdk: Option<u32>,
    /// Highest Android API level to verify for.
    #[arg(long)]
    pub max_sdk: Option<u32>,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
#[command(
    after_help = "FILING.toml has one table per platform:\n\n  [android]\n  package = \"com.example.app\"\n  signature_md5 = \"AA:BB:…\"\n  signature_sha1 = \"…\"\n  public_key = \"MIIBIjAN…\"   # SPKI base64/hex, or RSA modulus hex/decimal\n  domains = [\"example.com\"]   # filed 域名: an own host under none of them fails\n\nAny subset of fields; hex ignores case, ':' and spaces.\nExit status: 0 all match; 1 a field differs; 2 a file could not be read."
)]
pub struct CheckArgs {
    /// The filed values (TOML with [android] / [ios] / [harmonyos] tables).
    #[arg(long, value_name = "FILING.toml")]
    pub expect: Option<PathBuf>,
    /// Expected package name (overrides the file).
    #[arg(long)]
    pub package: Option<String>,
    /// Expected MD5 of the signing certificate (overrides the file).
    #[arg(long)]
    pub md5: Option<String>,
    /// Expected SHA-1 of the signing certificate (overrides the file).
    #[arg(long)]
    pub sha1: Option<String>,
    /// Expected public key, in any accepted form (overrides the file).
    #[arg(long = "public-key")]
    pub public_key: Option<String>,
    /// One JSON object per file: {path, ok, mismatches}.
    #[arg(long)]
    pub json: bool,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Give the app's package for each platform it runs on, e.g. `apkinfo filing app.apk app.ipa app.hap`.\n\
Each is scanned as `inspect --scan` does (SDKs, domains, languages).\n\
Exit status: 0 the form is complete; 1 a platform has no value to file (unsigned, or a debug /\n\
development / upload / re-signed certificate); 2 a file could not be read."
)]
pub struct FilingArgs {
    /// The form as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write each platform's icon into DIR as icon-<platform>.png (APP图标).
    #[arg(long, value_name = "DIR")]
    pub icon_dir: Option<PathBuf>,
    /// A domain suffix the filer owns (repeatable): hosts under none of them
    /// are listed as third-party instead of the app's own.
    #[arg(long = "own-domain", value_name = "SUFFIX")]
    pub own_domains: Vec<String>,
    /// Also write the form as one self-contained HTML page (icon inlined, a
    /// copy button beside every value).
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// One package per platform.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// One JSON object per file, one per line, in input order.
    #[arg(long)]
    pub json: bool,
    /// Also verify signatures (adds `verification`).
    #[arg(long)]
    pub verify: bool,
    /// Also digest the whole file: MD5, SHA-1, SHA-256 (adds `file`).
    #[arg(long)]
    pub hashes: bool,
    /// Also look for third-party SDKs (使用外部SDK) and packers: reads every
    /// DEX file, native library and manifest component (iOS: frameworks,
    /// load commands, Objective-C classes); adds `sdks`, `libraries`,
    /// `packer` and `scan`.
    #[arg(long)]
    pub scan: bool,
    /// Packages, or folders to search for .apk/.aab/.apks/.xapk/.apkm/.ipa/.hap/.hsp/.app files
    /// (a folder holding base.apk and split_*.apk is read as one split set).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct FileArg {
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct IconArgs {
    pub file: PathBuf,
    /// Where to write the PNG.
    #[arg(short, long)]
    pub output: PathBuf,
}

const COMMANDS: [&str; 7] = [
    "inspect", "manifest", "icon", "check", "verify", "filing", "help",
];

/// `apkinfo FILE...` means `apkinfo inspect FILE...`: insert the subcommand
/// when the first argument after the global options (`--limit`) is neither a
/// command nor a top-level flag, so `apkinfo --limit N=V inspect F` keeps its
/// command and `apkinfo --limit N=V F` gets one.
pub fn args_with_default_command(args: impl Iterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.collect();
    let mut i = 1;
    loop {
        match args.get(i).and_then(|a| a.to_str()) {
            Some("--limit") => i += 2,
            Some(a) if a.starts_with("--limit=") => i += 1,
            _ => break,
        }
    }
    let first = args.get(i).and_then(|a| a.to_str());
    let top_flag = matches!(first, Some("-h" | "--help" | "-V" | "--version"));
    let is_command = first.is_some_and(|f| COMMANDS.contains(&f));
    if args.len() > 1 && !top_flag && !is_command {
        args.insert(1, OsString::from("inspect"));
    }
    args
}

#[cfg(test)]
mod tests {
    use super::args_with_default_command;

    fn with_default(args: &[&str]) -> Vec<String> {
        let args = std::iter::once("apkinfo").chain(args.iter().copied());
        args_with_default_command(args.map(Into::into))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn inspect_is_inserted_only_when_no_command_is_named() {
        let cases: [(&[&str], &[&str]); 9] = [
            (&["a.apk"], &["inspect", "a.apk"]),
            (&["--json", "a.apk"], &["inspect", "--json", "a.apk"]),
            (&["verify", "a.apk"], &["verify", "a.apk"]),
            (&["--help"], &["--help"]),
            (&[], &[]),
            (
                &["--limit", "max-entries=3", "verify", "a.apk"],
                &["--limit", "max-entries=3", "verify", "a.apk"],
            ),
            (
                &["--limit=max-entries=3", "icon", "a.apk"],
                &["--limit=max-entries=3", "icon", "a.apk"],
            ),
            (
                &["--limit", "max-entries=3", "a.apk"],
                &["inspect", "--limit", "max-entries=3", "a.apk"],
            ),
            (
                &["--limit", "max-entries=3", "--limit"],
                &["inspect", "--limit", "max-entries=3", "--limit"],
            ),
        ];
        for (args, want) in cases {
            let mut expected = vec!["apkinfo".to_string()];
            expected.extend(want.iter().map(|s| s.to_string()));
            assert_eq!(with_default(args), expected, "{args:?}");
        }
    }
}
