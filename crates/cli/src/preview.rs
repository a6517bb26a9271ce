//! `commerce-sync preview`: a dry run printing, as JSON, the documents the sync would write.
//!
//! The configuration file is a configuration document in any of its three shapes. Reference
//! data: by default the document's own options stand for it (a saved GET answer always
//! carries them, so it works as is); `--reference FILE` gives the accounting platform's
//! reference data instead. The logic is the API's ([`domain::preview::preview`]); this module
//! only reads files and reports. Every problem is printed on its own line naming the file (or
//! flag) and the JSON pointer, and the exit code is 2, as for a bad command line.

use clap::Args;
use domain::config::{parse_document, parse_start_date, reference_from_options};
use domain::preview::{Part, Platform, PreviewInput, preview};
use domain::reference_data::parse_reference_data;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct PreviewArgs {
    /// A configuration document (beta, interim or current shape), e.g. a saved GET answer.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Commerce data: `{"orders": [...], "payments": [...], "transactions": [...]}`.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// First day of the preview (its syncHour in the merchant's time zone opens it).
    #[arg(long, value_name = "DATE")]
    from: String,
    /// Day after the last (its syncHour closes the preview).
    #[arg(long, value_name = "DATE")]
    to: String,
    /// xero, quickbooks or hledger (hledger takes journal entries only).
    #[arg(long, value_parser = ["xero", "quickbooks", "hledger"])]
    platform: Option<String>,
    /// IANA time zone overriding the document's `schedule.timeZone`.
    #[arg(long, value_name = "TZ")]
    time_zone: Option<String>,
    /// Reference data (accounts, tax rates, customers, suppliers) instead of the options.
    #[arg(long, value_name = "FILE")]
    reference: Option<PathBuf>,
}

/// Runs the preview; problems go to stderr, one per line, and exit with 2.
pub fn run(args: PreviewArgs) -> ExitCode {
    match build_and_run(&args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            ExitCode::from(2)
        }
    }
}

fn build_and_run(args: &PreviewArgs) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let config = read_json(&args.config, &mut problems);
    let data = read_json(&args.data, &mut problems);
    let reference = args
        .reference
        .as_ref()
        .and_then(|path| Some((path, read_json(path, &mut problems)?)));
    let from = date("--from", &args.from, &mut problems);
    let to = date("--to", &args.to, &mut problems);
    let file = |path: &Path| path.display().to_string();
    let document = config.and_then(|value| match parse_document(&value) {
        Ok(parsed) => Some(parsed.document),
        Err(errors) => {
            let at = file(&args.config);
            problems.extend(errors.iter().map(|e| located(&at, &e.pointer, &e.message)));
            None
        }
    });
    let reference = match (reference, &document) {
        (Some((path, value)), _) => match parse_reference_data(&value) {
            Ok(data) => Some(data),
            Err(errors) => {
                let at = file(path);
                problems.extend(errors.iter().map(|(p, m)| located(&at, p, m)));
                None
            }
        },
        (None, Some(document)) => Some(reference_from_options(document)),
        (None, None) => None,
    };
    let (Some(document), Some(reference), Some(data), Some(from), Some(to)) =
        (document, reference, data, from, to)
    else {
        return Err(problems);
    };
    let input = PreviewInput {
        document: &document,
        reference: &reference,
        from,
        to,
        time_zone: args.time_zone.as_deref(),
        platform: args.platform.as_deref().and_then(Platform::parse),
        data: &data,
    };
    match preview(&input) {
        Ok(output) => Ok(serde_json::to_string_pretty(&output).expect("documents serialize")),
        Err(errors) => Err(errors
            .iter()
            .map(|e| {
                let source = match e.part {
                    Part::Config => file(&args.config),
                    Part::Data => file(&args.data),
                    Part::Request => flag(&e.pointer).to_owned(),
                };
                let pointer = if e.part == Part::Request {
                    ""
                } else {
                    &e.pointer
                };
                // Without --reference the "books" are the document's own options.
                let hint = if args.reference.is_none() && e.code.starts_with("reference.") {
                    " (without --reference, the document's own options stand for the books)"
                } else {
                    ""
                };
                let problem = located(&source, pointer, &e.message);
                format!("{problem}{hint} ({})", e.code)
            })
            .collect()),
    }
}

/// `file: /pointer: message` (the pointer `""` is the whole file).
fn located(source: &str, pointer: &str, message: &str) -> String {
    let pointer = if pointer.is_empty() {
        "(whole document)"
    } else {
        pointer
    };
    format!("{source}: {pointer}: {message}")
}

/// The command-line flag a request pointer stands for.
fn flag(pointer: &str) -> &'static str {
    match pointer {
        "/from" => "--from",
        "/to" => "--to",
        "/timeZone" => "--time-zone",
        _ => "--platform",
    }
}

fn read_json(path: &Path, problems: &mut Vec<String>) -> Option<Value> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("{}: cannot be read: {e}", path.display()));
            return None;
        }
    };
    serde_json::from_str(&text)
        .map_err(|e| problems.push(format!("{}: not valid JSON: {e}", path.display())))
        .ok()
}

fn date(flag: &str, text: &str, problems: &mut Vec<String>) -> Option<jiff::civil::Date> {
    let parsed = parse_start_date(text);
    if parsed.is_none() {
        problems.push(format!("{flag}: {text:?} is not a date such as 2024-05-01"));
    }
    parsed
}
