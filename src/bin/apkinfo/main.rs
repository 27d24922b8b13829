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
    let limits = apkinfo::Limits::default();
    match cli.command {
        Command::Inspect(args) => inspect(&args, &limits),
        Command::Manifest(args) => manifest(&args, &limits),
        Command::Icon(args) => icon(&args, &limits),
    }
}

fn inspect(args: &cli::InspectArgs, limits: &apkinfo::Limits) -> ExitCode {
    let files = match input::expand(&args.files) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("apkinfo: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    let stdout = std::io::stdout();
    input::for_each_in_order(&files, limits, |path, result| {
        let mut out = stdout.lock();
        let shown = path.display().to_string();
        let written = match result {
            Ok(report) if args.json => serde_json::to_string(&report)
                .map_err(std::io::Error::other)
                .and_then(|s| writeln!(out, "{s}")),
            Ok(report) => writeln!(out, "{}", apkinfo::report::text::render(&report)),
            Err(e) => {
                failed = true;
                eprintln!("apkinfo: {shown}: {e}");
                if args.json {
                    let obj = serde_json::json!({ "path": shown, "error": e.to_string() });
                    writeln!(out, "{obj}")
                } else {
                    Ok(())
                }
            }
        };
        // A closed pipe (`apkinfo … | head`) ends the run quietly.
        written.is_ok()
    });
    ExitCode::from(if failed { 2 } else { 0 })
}

fn manifest(args: &cli::FileArg, limits: &apkinfo::Limits) -> ExitCode {
    let run = || -> Result<String, String> {
        let data = input::Mapped::open(&args.file)?;
        let apk = apkinfo::apk::Apk::open(data.bytes(), limits).map_err(|e| e.to_string())?;
        Ok(apk.manifest_xml())
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
        let data = input::Mapped::open(&args.file)?;
        let apk = apkinfo::apk::Apk::open(data.bytes(), limits).map_err(|e| e.to_string())?;
        let (png, report) = apk.icon_png().map_err(|e| e.to_string())?;
        // Written only to the path the user named; nothing from inside the package
        // decides where bytes go.
        std::fs::write(&args.output, &png)
            .map_err(|e| format!("writing {}: {e}", args.output.display()))?;
        Ok(format!(
            "{} → {} ({} bytes)",
            report.path.unwrap_or_default(),
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
