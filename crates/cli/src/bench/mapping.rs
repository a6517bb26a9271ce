//! `bench mapping`: one merchant's busy day, and many merchants' days mapped one by one, each
//! against the same totals computed by SQL GROUP BYs in SQLite over the same rows. Before
//! timing, the baseline's totals are checked equal to the engine's documents' (so the
//! comparison is of the same work); then engine and baseline alternate, repetition by
//! repetition, and the medians are reported.

use super::{Measurement, Report, ReportArgs, median};
use anyhow::{Context, bail};
use benchdata::{Baseline, Figures, Workload, settings, time_engine};
use std::time::Instant;

#[derive(clap::Args)]
pub struct MappingArgs {
    /// Orders of the many-merchants workload.
    #[arg(long, default_value_t = 1_000_000)]
    orders: u64,
    /// Merchants the orders are spread over.
    #[arg(long, default_value_t = 10_000)]
    merchants: u32,
    /// Orders of the one-merchant day [default: 10,000, or --orders when smaller].
    #[arg(long)]
    day_orders: Option<u64>,
    /// Times each side is measured; the median is reported.
    #[arg(long, default_value_t = 3)]
    repetitions: u32,
    /// SQLite file for the baseline's rows (`sqlite://PATH`; its bench tables are replaced).
    /// Default: a scratch file, removed afterwards. Never the service's own database.
    #[arg(long)]
    database_url: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub async fn run(args: &MappingArgs) -> anyhow::Result<Report> {
    let workloads = [
        Workload::day(args.day_orders.unwrap_or(args.orders.min(10_000))),
        Workload::merchants(args.orders, args.merchants),
    ];
    let scratch = std::env::temp_dir().join(format!(
        "commerce-sync-bench-mapping-{}.db",
        std::process::id()
    ));
    let url = match &args.database_url {
        Some(u) if !u.starts_with("sqlite:") => bail!("the mapping baseline runs on SQLite only"),
        Some(u) => u.clone(),
        None => format!("sqlite://{}", scratch.display()),
    };
    let mut results = Vec::new();
    for w in &workloads {
        results.push(measure(w, &url, args.repetitions.max(1)).await?);
    }
    let _ = std::fs::remove_file(&scratch);
    Ok(Report {
        scenario: "mapping",
        results,
    })
}

async fn measure(w: &Workload, url: &str, repetitions: u32) -> anyhow::Result<Measurement> {
    let s = settings();
    eprintln!(
        "{}: loading {} orders of {} merchant(s) into the baseline…",
        w.name, w.orders, w.merchants
    );
    let mut baseline = Baseline::create(url)
        .await
        .context("opening the baseline's SQLite file")?;
    baseline.load(w.days()).await.context("loading the rows")?;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for r in 0..repetitions {
        // The first repetition also reads the figures off the documents, off the clock.
        let mut figures = (r == 0).then(Figures::default);
        ours.push(time_engine(w, &s, |day, out| {
            if let Some(f) = figures.as_mut() {
                f.add_output(day.merchant, &s, out);
            }
        }));
        let started = Instant::now();
        let rows = baseline.group_by().await.context("the GROUP BY")?;
        theirs.push(started.elapsed());
        if let Some(f) = figures
            && let Some(diff) = rows.figures(&s).differences(&f.without_zeros())
        {
            bail!("the baseline does not compute the engine's totals: {diff}");
        }
    }
    Ok(Measurement::new(
        &w.name,
        w.orders,
        median(ours),
        median(theirs),
    ))
}
