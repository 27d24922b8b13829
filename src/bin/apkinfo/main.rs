#![deny(unsafe_code)]
//! `apkinfo`: the command-line front end. All the work is in the library;
//! this file parses arguments, maps files and prints.
//!
//! Exit status: 0 every file was read; 1 a check or verification failed
//! (later commands); 2 at least one file could not be read, or bad usage.

mod cli;
mod input;

use clap::Parser;
use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse_from(cli::args_with_default_command(std::env::args_os()));
    let mut limits = apkinfo::Limits::default();
    for spec in &cli.limits {
        if let Err(e) = limits.set(spec) {
            eprintln!("apkinfo: {e}");
            return ExitCode::from(2);
        }
    }
    match cli.command {
        Command::Inspect(args) => inspect(&args, &limits),
        Command::Manifest(args) => manifest(&args, &limits),
        Command::Icon(args) => icon(&args, &limits),
        Command::Check(args) => check(&args, &limits),
        Command::Verify(args) => verify(&args, &limits),
        Command::Filing(args) => filing(&args, &limits),
    }
}

fn verify(args: &cli::VerifyArgs, limits: &apkinfo::Limits) -> ExitCode {
    let Some(files) = expand(&args.files) else {
        return ExitCode::from(2);
    };
    let (mut unreadable, mut failed) = (false, false);
    let stdout = std::io::stdout();
    let work = |path: &std::path::Path| -> Result<apkinfo::report::VerificationReport, String> {
        if path.is_dir() {
            let opts = apkinfo::Options {
                min_sdk: args.min_sdk,
                max_sdk: args.max_sdk,
                ..apkinfo::Options::default()
            };
            return input::verify_folder(path, &opts, limits);
        }
        let data = input::Mapped::open(path)?;
        let idsig = input::idsig_for(path);
        let release = |bytes: &[u8]| data.release(bytes);
        let opts = apkinfo::Options {
            min_sdk: args.min_sdk,
            max_sdk: args.max_sdk,
            release: Some(&release),
            ..apkinfo::Options::default()
        };
        apkinfo::verify_opts(
            data.bytes(),
            idsig.as_ref().map(input::Mapped::bytes),
            &opts,
            limits,
        )
        .map_err(|e| e.to_string())
    };
    input::for_each_in_order(&files, work, |path, result| {
        let mut out = stdout.lock();
        let shown = path.display().to_string();
        let v = match result {
            Ok(v) => v,
            Err(e) => {
                unreadable = true;
                return unreadable_file(&mut out, args.json, &shown, &e).is_ok();
            }
        };
        failed |= !v.verified;
        let written = if args.json {
            let mut obj = serde_json::to_value(&v).unwrap_or_default();
            if let Some(map) = obj.as_object_mut() {
                map.insert("path".into(), serde_json::Value::String(shown.clone()));
            }
            writeln!(out, "{obj}")
        } else {
            let s = &v.schemes;
            let verdict = if v.verified {
                "VERIFIED"
            } else {
                "DOES NOT VERIFY"
            };
            let mut text = if let Some(scheme) = v.hap_scheme {
                format!("{shown}: {verdict} (HarmonyOS signing block {scheme})\n")
            } else {
                format!(
                    "{shown}: {} (SDK {}..{}; v1 {} v2 {} v3 {} v3.1 {} v4 {})\n",
                    if v.verified {
                        "VERIFIED"
                    } else {
                        "DOES NOT VERIFY"
                    },
                    v.min_sdk,
                    if v.max_sdk >= i32::MAX as u32 {
                        "∞".to_string()
                    } else {
                        v.max_sdk.to_string()
                    },
                    s.v1,
                    s.v2,
                    s.v3,
                    s.v31,
                    s.v4
                )
            };
            for c in &v.signers {
                text.push_str(&format!("  signer  {} {}\n", c.sha256, c.subject));
            }
            for e in &v.errors {
                text.push_str(&format!("  ERROR   {e}\n"));
            }
            for w in &v.warnings {
                text.push_str(&format!("  WARNING {w}\n"));
            }
            write!(out, "{text}")
        };
        written.is_ok()
    });
    status(unreadable, failed)
}

fn check(args: &cli::CheckArgs, limits: &apkinfo::Limits) -> ExitCode {
    use apkinfo::check::{compare, Expectations, Filed};
    let mut expect = match &args.expect {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| Expectations::from_toml(&t).map_err(|e| e.to_string()))
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!("apkinfo: {}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        None => Expectations::default(),
    };
    let flags = [&args.package, &args.md5, &args.sha1, &args.public_key];
    if flags.iter().any(|f| f.is_some()) {
        // Flags describe the Android filing unless the file already says which.
        let table = expect.android.get_or_insert_with(Filed::default);
        let set = |slot: &mut Option<String>, v: &Option<String>| {
            if v.is_some() {
                slot.clone_from(v);
            }
        };
        set(&mut table.package, &args.package);
        set(&mut table.signature_md5, &args.md5);
        set(&mut table.signature_sha1, &args.sha1);
        set(&mut table.public_key, &args.public_key);
    }
    if expect == Expectations::default() {
        eprintln!("apkinfo: check needs --expect FILING.toml or at least one of --package/--md5/--sha1/--public-key");
        return ExitCode::from(2);
    }
    let Some(files) = expand(&args.files) else {
        return ExitCode::from(2);
    };
    let (mut unreadable, mut mismatched) = (false, false);
    let stdout = std::io::stdout();
    // Filed domains are checked against the scan's own hosts.
    let opts = apkinfo::Options {
        scan: expect.needs_scan(),
        ..apkinfo::Options::default()
    };
    input::for_each_in_order(
        &files,
        |p| input::inspect_one(p, &opts, limits, files.len() == 1),
        |path, result| {
            let mut out = stdout.lock();
            let shown = path.display().to_string();
            let report = match result {
                Ok(r) => r,
                Err(e) => {
                    unreadable = true;
                    return unreadable_file(&mut out, args.json, &shown, &e).is_ok();
                }
            };
            let Some(filed) = expect.for_platform(report.platform) else {
                unreadable = true;
                eprintln!(
                    "apkinfo: {shown}: the expectations have no [{}] table",
                    report.platform
                );
                return true;
            };
            let mismatches = compare(&report, filed);
            mismatched |= !mismatches.is_empty();
            let written = if args.json {
                let obj = serde_json::json!({ "path": shown, "ok": mismatches.is_empty(), "mismatches": mismatches });
                writeln!(out, "{obj}")
            } else if mismatches.is_empty() {
                writeln!(out, "{shown}: OK")
            } else {
                let mut text = format!("{shown}: MISMATCH\n");
                for m in &mismatches {
                    text.push_str(&format!(
                        "  {}\n    filed:   {}\n    package: {}\n",
                        m.field,
                        m.expected,
                        m.actual.as_deref().unwrap_or("(none)")
                    ));
                    if let Some(n) = &m.note {
                        text.push_str(&format!("    note:    {n}\n"));
                    }
                }
                write!(out, "{text}")
            };
            written.is_ok()
        },
    );
    status(unreadable, mismatched)
}

fn inspect(args: &cli::InspectArgs, limits: &apkinfo::Limits) -> ExitCode {
    let Some(files) = expand(&args.files) else {
        return ExitCode::from(2);
    };
    let mut failed = false;
    let stdout = std::io::stdout();
    let opts = apkinfo::Options {
        verify: args.verify,
        hashes: args.hashes,
        scan: args.scan,
        ..apkinfo::Options::default()
    };
    input::for_each_in_order(
        &files,
        |p| input::inspect_one(p, &opts, limits, files.len() == 1),
        |path, result| {
            let mut out = stdout.lock();
            let shown = path.display().to_string();
            let written = match result {
                Ok(report) if args.json => serde_json::to_string(&report)
                    .map_err(std::io::Error::other)
                    .and_then(|s| writeln!(out, "{s}")),
                Ok(report) => writeln!(out, "{}", apkinfo::report::text::render(&report)),
                Err(e) => {
                    failed = true;
                    unreadable_file(&mut out, args.json, &shown, &e)
                }
            };
            // A closed pipe (`apkinfo … | head`) ends the run quietly.
            written.is_ok()
        },
    );
    ExitCode::from(if failed { 2 } else { 0 })
}

fn filing(args: &cli::FilingArgs, limits: &apkinfo::Limits) -> ExitCode {
    let Some(files) = expand(&args.files) else {
        return ExitCode::from(2);
    };
    let opts = apkinfo::Options {
        scan: true,
        own_domains: &args.own_domains,
        ..apkinfo::Options::default()
    };
    let mut reports = Vec::new();
    let mut unreadable = false;
    input::for_each_in_order(
        &files,
        |p| input::inspect_one(p, &opts, limits, files.len() == 1),
        |path, result| {
            match result {
                Ok(r) => reports.push((path.to_path_buf(), r)),
                Err(e) => {
                    unreadable = true;
                    eprintln!("apkinfo: {}: {e}", path.display());
                }
            }
            true
        },
    );
    let only: Vec<apkinfo::Report> = reports.iter().map(|(_, r)| r.clone()).collect();
    let mut form = apkinfo::filing::form(&only);
    let mut pngs: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if let Some(dir) = &args.icon_dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("apkinfo: {}: {e}", dir.display());
            return ExitCode::from(2);
        }
        for (path, r) in &reports {
            let out = dir.join(format!("icon-{}.png", r.platform));
            let written =
                input::with_package(path, limits, |p| p.icon_png().map_err(|e| e.to_string()))
                    .and_then(|(png, source)| {
                        std::fs::write(&out, &png)
                            .map_err(|e| format!("writing {}: {e}", out.display()))?;
                        let (w, h) = png_size(&png);
                        pngs.push((r.platform, png));
                        Ok(apkinfo::filing::FormIcon {
                            platform: r.platform,
                            file: out.display().to_string(),
                            source,
                            width: w,
                            height: h,
                        })
                    });
            match written {
                Ok(icon) => form.app.icons.push(icon),
                Err(e) => form
                    .warnings
                    .push(format!("{}: no icon written: {e}", path.display())),
            }
        }
    }
    if let Some(html) = &args.html {
        if let Err(e) = std::fs::write(html, apkinfo::filing::render_html(&form, &pngs)) {
            eprintln!("apkinfo: {}: {e}", html.display());
            return ExitCode::from(2);
        }
    }
    let text = if args.json {
        serde_json::to_string_pretty(&form).unwrap_or_default() + "\n"
    } else {
        apkinfo::filing::render_text(&form)
    };
    print!("{text}");
    let incomplete = form.platforms.iter().any(|p| p.signature_value.is_none());
    status(unreadable, incomplete)
}

/// Width and height from a PNG's IHDR (0×0 when it is not one).
fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| {
        png.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_be_bytes)
    };
    (be(16), be(20))
}

fn manifest(args: &cli::FileArg, limits: &apkinfo::Limits) -> ExitCode {
    let run = || -> Result<String, String> {
        input::with_package(&args.file, limits, |p| {
            p.manifest_text().map_err(|e| e.to_string())
        })
    };
    match run() {
        Ok(xml) => {
            print!("{xml}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("apkinfo: {}: {e}", args.file.display());
            ExitCode::from(2)
        }
    }
}

fn icon(args: &cli::IconArgs, limits: &apkinfo::Limits) -> ExitCode {
    let run = || -> Result<String, String> {
        let (png, source) = input::with_package(&args.file, limits, |p| {
            p.icon_png().map_err(|e| e.to_string())
        })?;
        // Written only to the path the user named; nothing from inside the package
        // decides where bytes go.
        std::fs::write(&args.output, &png)
            .map_err(|e| format!("writing {}: {e}", args.output.display()))?;
        Ok(format!(
            "{} → {} ({} bytes)",
            source,
            args.output.display(),
            png.len()
        ))
    };
    match run() {
        Ok(msg) => {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("apkinfo: {}: {e}", args.file.display());
            ExitCode::from(2)
        }
    }
}

/// The documented exit status: 2 when a file could not be read, else 1 when
/// one failed its check or verification, else 0.
fn status(unreadable: bool, failed: bool) -> ExitCode {
    ExitCode::from(if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    })
}

/// The files to read (folders walked), or `None` after saying why not.
fn expand(files: &[std::path::PathBuf]) -> Option<Vec<std::path::PathBuf>> {
    input::expand(files)
        .map_err(|e| eprintln!("apkinfo: {e}"))
        .ok()
}

/// A file that could not be read: its message on stderr and, with `--json`,
/// a `{path, error}` line in its place in the output.
fn unreadable_file(
    out: &mut impl Write,
    json: bool,
    shown: &str,
    error: &str,
) -> std::io::Result<()> {
    eprintln!("apkinfo: {shown}: {error}");
    if json {
        writeln!(
            out,
            "{}",
            serde_json::json!({ "path": shown, "error": error })
        )
    } else {
        Ok(())
    }
}
