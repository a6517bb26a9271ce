//! `bench history`: the Sync Health history and dashboard queries over a client with 100,000
//! syncs (and another client's beside them), through the store as the pages call it. Each
//! query's median time is set against reading the client's syncs once without an index
//! (`NOT INDEXED`, every row fetched): what paging in memory would cost at the least. The
//! ratio says how many times faster the server-side page is.
//!
//! SQLite only: the rows are seeded with plain multi-row INSERTs, which take seconds where
//! 200,000 store writes would take minutes.

use super::{Measurement, Report, ReportArgs, median};
use anyhow::{Context, bail};
use domain::{CompanyName, NewCompany};
use jiff::{SignedDuration, Timestamp};
use sqlx::sqlite::SqlitePoolOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::{Store, SyncSearch, SyncSort};

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// Syncs of the measured client.
    #[arg(long, default_value_t = 100_000)]
    syncs: u64,
    /// Companies the syncs are spread over.
    #[arg(long, default_value_t = 1_000)]
    companies: u64,
    /// Times each query runs; the median is reported.
    #[arg(long, default_value_t = 5)]
    repetitions: u32,
    /// SQLite file to fill (`sqlite://PATH`; it must be new or a previous run's). Default: a
    /// scratch file, removed afterwards. Never the service's own database.
    #[arg(long)]
    database_url: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// A status code, spread as a service sees them: mostly success, some failures.
fn status_of(n: u64) -> (i64, &'static str) {
    match n % 100 {
        0..=84 => (2000, "Complete"),
        85..=89 => (2040, "Complete"),
        90..=94 => (5130, "PushError"),
        95..=97 => (4000, "ConfigurationError"),
        _ => (1000, "Pushing"),
    }
}

/// A scrambled but repeatable number for row `n` (no generator needed for a spread).
fn mix(n: u64) -> u64 {
    n.wrapping_mul(6364136223846793005).rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15
}

async fn seed(
    store: &Arc<dyn Store>,
    url: &str,
    syncs: u64,
    companies: u64,
    now: Timestamp,
) -> anyhow::Result<(domain::ClientId, Vec<domain::CompanyId>)> {
    let client = store.ensure_client("bench-history").await?.id;
    let other = store.ensure_client("bench-history-other").await?.id;
    let mut ids = Vec::new();
    let mut other_ids = Vec::new();
    for (owner, n, list) in [
        (client, companies, &mut ids),
        (other, (companies / 10).max(1), &mut other_ids),
    ] {
        for i in 0..n {
            let company = store
                .create_company(
                    owner,
                    NewCompany {
                        name: CompanyName::parse(&format!("Shop {i}"))?,
                        description: None,
                        tags: Default::default(),
                    },
                )
                .await?;
            list.push(company.id);
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let year = SignedDuration::from_hours(24 * 365).as_micros() as u64;
    let total = syncs + syncs / 10;
    const BATCH: u64 = 500;
    let mut n = 0;
    while n < total {
        let mut tx = pool.begin().await?;
        let end = (n + BATCH).min(total);
        let mut sql = String::from(
            "INSERT INTO syncs (id, company_id, kind, period_start, period_end, status_code, \
             status, error_message, data_pushed, requested, started, completed, planned) VALUES ",
        );
        let rows: Vec<String> = (n..end)
            .map(|i| {
                let company = if i < syncs {
                    ids[(mix(i) % ids.len() as u64) as usize]
                } else {
                    other_ids[(mix(i) % other_ids.len() as u64) as usize]
                };
                let requested = now.as_microsecond() - (mix(i + 7) % year) as i64;
                let (code, word) = status_of(mix(i + 3));
                let error = if code >= 4000 { "'a document was refused'" } else { "NULL" };
                let completed = if code == 1000 { "NULL".to_owned() } else { (requested + 60_000_000).to_string() };
                format!(
                    "('{}', '{company}', 'scheduled', {}, {requested}, {code}, '{word}', {error}, 1, \
                     {requested}, {requested}, {completed}, 1)",
                    uuid::Uuid::new_v4(),
                    requested - 86_400_000_000,
                )
            })
            .collect();
        sql.push_str(&rows.join(", "));
        sqlx::query(&sql).execute(&mut *tx).await?;
        tx.commit().await?;
        n = end;
    }
    sqlx::query("ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok((client, ids))
}

async fn time<F, Fut>(repetitions: u32, mut f: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::new();
    for _ in 0..repetitions {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed());
    }
    Ok(median(times))
}

pub async fn run(args: &HistoryArgs) -> anyhow::Result<Report> {
    let scratch = std::env::temp_dir().join(format!(
        "commerce-sync-bench-history-{}.db",
        std::process::id()
    ));
    let url = match &args.database_url {
        Some(u) if !u.starts_with("sqlite:") => bail!("the history bench seeds SQLite only"),
        Some(u) => u.clone(),
        None => format!("sqlite://{}", scratch.display()),
    };
    let store = store::open(&url)
        .await
        .context("opening the bench database")?;
    let now = store::now();
    eprintln!(
        "history: seeding {} syncs over {} companies (and a tenth more of another client)…",
        args.syncs, args.companies
    );
    let (client, companies) = seed(&store, &url, args.syncs, args.companies.max(1), now).await?;
    let reps = args.repetitions.max(1);

    // The baseline: every one of the client's syncs read once, no index to help.
    let raw = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    let client_text = client.to_string();
    let baseline = time(reps, || {
        let (raw, client) = (raw.clone(), client_text.clone());
        async move {
            let rows = sqlx::query(
                "SELECT s.id, s.status_code, s.requested FROM syncs AS s NOT INDEXED
                 JOIN companies c ON c.id = s.company_id WHERE c.client_id = ?",
            )
            .bind(client)
            .fetch_all(&raw)
            .await?;
            anyhow::ensure!(!rows.is_empty(), "the baseline read nothing");
            Ok(())
        }
    })
    .await?;

    let page = |f: &dyn Fn(&mut SyncSearch)| {
        let mut s = SyncSearch {
            limit: 50,
            ..SyncSearch::default()
        };
        f(&mut s);
        s
    };
    let two_weeks = now - SignedDuration::from_hours(24 * 14);
    let searches = [
        ("newest-page-1", page(&|_| {})),
        ("newest-page-1000", page(&|s| s.offset = 49_950)),
        ("oldest-page-1", page(&|s| s.sort = SyncSort::OldestFirst)),
        ("worst-status-page-1", page(&|s| s.sort = SyncSort::Status)),
        ("status-5130", page(&|s| s.status_code = Some(5130))),
        ("one-company", page(&|s| s.company = Some(companies[0]))),
        (
            "last-14-days",
            page(&|s| {
                s.from = Some(two_weeks);
                s.to = Some(now);
            }),
        ),
    ];
    let mut results = Vec::new();
    for (name, search) in searches {
        let store = store.clone();
        let ours = time(reps, || {
            let (store, search) = (store.clone(), search.clone());
            async move {
                let found = store.search_syncs(client, &search).await?;
                anyhow::ensure!(found.total > 0, "{name} found nothing");
                Ok(())
            }
        })
        .await?;
        results.push(Measurement::new(name, args.syncs, ours, baseline));
    }
    let dashboard = time(reps, || {
        let store = store.clone();
        async move {
            store.sync_counts(client, two_weeks, now).await?;
            store.failing_companies(client, 50).await?;
            store.disabled_companies(client, 50).await?;
            store.relink_needed(client, 50).await?;
            Ok(())
        }
    })
    .await?;
    results.push(Measurement::new(
        "dashboard",
        args.syncs,
        dashboard,
        baseline,
    ));
    // The table's "orders" column holds the syncs stored; here each query's own time, in ms.
    println!("{:<28} {:>10} {:>12}", "query", "median ms", "baseline ms");
    for m in &results {
        println!(
            "{:<28} {:>10.2} {:>12.2}",
            format!("history/{}", m.name),
            m.seconds * 1000.0,
            m.baseline_seconds * 1000.0
        );
    }
    println!();
    raw.close().await;
    drop(store);
    if args.database_url.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
        }
    }
    Ok(Report {
        scenario: "history",
        results,
    })
}
