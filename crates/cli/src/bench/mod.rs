//! `commerce-sync bench SCENARIO`: speed measured against a baseline in the same run, so a
//! noisy machine slows both alike and the ratio stays meaningful. Each scenario is a module;
//! they share the report printed as a table and, with `--json`, written as a file.

mod mapping;

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Subcommand)]
pub enum Scenario {
    /// Mapping a day of orders into documents, against the same sums as SQL GROUP BYs.
    Mapping(mapping::MappingArgs),
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

/// One workload: our time and the baseline's, both medians of the repetitions.
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
        }
    }
}

pub async fn run(scenario: Scenario) -> anyhow::Result<()> {
    let (report, args) = match scenario {
        Scenario::Mapping(args) => (mapping::run(&args).await?, args.report),
    };
    print!("{}", table(&report));
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
