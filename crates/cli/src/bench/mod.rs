//! `commerce-sync bench SCENARIO`: speed measured against a baseline in the same run, so a
//! noisy machine slows both alike and the ratio stays meaningful. Each scenario is a module;
//! they share the report printed as a table and, with `--json`, written as a file.

mod history;
mod ingest;
mod mapping;
mod orders;
mod progress;
mod rss;

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Subcommand)]
pub enum Scenario {
    /// Mapping a day of orders into documents, against the same sums as SQL GROUP BYs.
    Mapping(mapping::MappingArgs),
    /// Pushing orders over HTTP until stored, against raw multi-row INSERTs of the same rows.
    Ingest(ingest::IngestArgs),
    /// The Sync Health history and dashboard queries over 100,000 syncs, against reading them all.
    History(history::HistoryArgs),
}

/// Options every scenario takes.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Also write the figures as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// A scenario's figures, as written with `--json`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub scenario: &'static str,
    pub results: Vec<Measurement>,
}

/// One workload: our time and the baseline's. Scenarios that measure more (latency,
/// memory) fill the optional fields; absent ones are left out of the JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    pub name: String,
    pub orders: u64,
    pub seconds: f64,
    pub orders_per_second: f64,
    pub baseline_seconds: f64,
    pub baseline_orders_per_second: f64,
    /// Our orders/s ÷ the baseline's: above 1 we are faster.
    pub ratio: f64,
    /// Request latency of the push (POST until answered), median and 99th percentile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p99_ms: Option<f64>,
    /// From the POST until the dataset is `Complete`, median and 99th percentile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete_p50_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete_p99_ms: Option<f64>,
    /// The process's peak resident memory during our run (VmHWM), in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
    /// Resident memory (VmRSS, MiB) when 10%, 50% and 100% of the volume was stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rss_mb_at10: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rss_mb_at50: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rss_mb_at100: Option<f64>,
}

impl Measurement {
    pub fn new(name: &str, orders: u64, ours: Duration, baseline: Duration) -> Self {
        let per_second = |d: Duration| orders as f64 / d.as_secs_f64().max(1e-9);
        Measurement {
            name: name.to_owned(),
            orders,
            seconds: ours.as_secs_f64(),
            orders_per_second: per_second(ours),
            baseline_seconds: baseline.as_secs_f64(),
            baseline_orders_per_second: per_second(baseline),
            ratio: per_second(ours) / per_second(baseline),
            p50_ms: None,
            p99_ms: None,
            complete_p50_ms: None,
            complete_p99_ms: None,
            peak_rss_mb: None,
            rss_mb_at10: None,
            rss_mb_at50: None,
            rss_mb_at100: None,
        }
    }
}

pub async fn run(scenario: Scenario) -> anyhow::Result<()> {
    let (report, args) = match scenario {
        Scenario::Mapping(args) => (mapping::run(&args).await?, args.report),
        Scenario::Ingest(args) => (ingest::run(&args).await?, args.report),
        Scenario::History(args) => (history::run(&args).await?, args.report),
    };
    print!("{}", table(&report));
    print!("{}", extras(&report));
    if let Some(file) = &args.json {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(file, text + "\n").with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

fn table(r: &Report) -> String {
    let mut out = format!(
        "{:<20} {:>10} {:>10} {:>14} {:>18} {:>7}\n",
        "scenario", "orders", "seconds", "orders/s", "baseline orders/s", "ratio"
    );
    for m in &r.results {
        out += &format!(
            "{:<20} {:>10} {:>10.3} {:>14.0} {:>18.0} {:>7.2}\n",
            format!("{}/{}", r.scenario, m.name),
            m.orders,
            m.seconds,
            m.orders_per_second,
            m.baseline_orders_per_second,
            m.ratio
        );
    }
    out
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    let n = xs.len();
    match n {
        0 => Duration::ZERO,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2,
    }
}

/// Latency and memory, for the measurements that have them.
fn extras(r: &Report) -> String {
    let f = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{x:.1}"));
    let measured: Vec<&Measurement> = r.results.iter().filter(|m| m.p50_ms.is_some()).collect();
    if measured.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n{:<20} {:>9} {:>9} {:>12} {:>12} {:>9} {:>8} {:>8} {:>8}\n",
        "scenario",
        "p50 ms",
        "p99 ms",
        "done p50 ms",
        "done p99 ms",
        "peak MiB",
        "10% MiB",
        "50% MiB",
        "100% MiB"
    );
    for m in measured {
        out += &format!(
            "{:<20} {:>9} {:>9} {:>12} {:>12} {:>9} {:>8} {:>8} {:>8}\n",
            format!("{}/{}", r.scenario, m.name),
            f(m.p50_ms),
            f(m.p99_ms),
            f(m.complete_p50_ms),
            f(m.complete_p99_ms),
            f(m.peak_rss_mb),
            f(m.rss_mb_at10),
            f(m.rss_mb_at50),
            f(m.rss_mb_at100)
        );
    }
    out
}

/// The value below which `q` (0 to 1) of the samples fall (nearest rank).
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}
