//! `bench ingest`: orders pushed over real HTTP to the real server (in this process, on a
//! loopback port, over a fresh database) in datasets of 1,000, each order with its payment and
//! fee transaction, by a few concurrent clients that wait for every dataset to be `Complete`.
//! Measured: orders/s, push latency and time to `Complete` (p50/p99), and resident memory.
//! Baseline, in the same run: the same rows inserted straight into a fresh database of the
//! same kind with multi-row INSERTs ([`store::baseline::RawInserter`]), no HTTP, no
//! validation; only the inserts are on its clock. ratio = our orders/s ÷ raw orders/s.

use super::orders::{Batch, KINDS};
use super::progress::Progress;
use super::{Measurement, Report, ReportArgs, percentile, rss};
use anyhow::{Context, bail, ensure};
use base64::Engine;
use domain::{CompanyId, CompanyName, CompanyTags, NewCompany};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::Store;
use store::baseline::RawInserter;
use store::testing::TestDatabase;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backends {
    Sqlite,
    Postgres,
    Both,
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Orders to push (each with one payment and one fee transaction).
    #[arg(long, default_value_t = 1_000_000)]
    orders: u64,
    /// Records per pushed dataset.
    #[arg(long, default_value_t = 1_000)]
    batch: u64,
    /// Push into this database instead of a fresh one (the baseline still gets a fresh one
    /// of the same kind). Overrides --backend.
    #[arg(long)]
    database_url: Option<String>,
    /// Fresh databases to measure: a SQLite file, a new database on the PostgreSQL server at
    /// `COMMERCE_SYNC_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432), or both.
    #[arg(long, value_enum, default_value = "both")]
    backend: Backends,
    /// Clients pushing at once.
    #[arg(long, default_value_t = 4)]
    concurrency: u64,
    #[command(flatten)]
    pub report: ReportArgs,
}

const API_KEY: &str = "bench-ingest-api-key-0000000000";

pub async fn run(args: &IngestArgs) -> anyhow::Result<Report> {
    ensure!(args.orders > 0, "--orders must be at least 1");
    ensure!(
        (1..=engine::MAX_RECORDS_PER_DATASET as u64).contains(&args.batch),
        "--batch must be 1 to {}",
        engine::MAX_RECORDS_PER_DATASET
    );
    let mut results = Vec::new();
    if let Some(url) = &args.database_url {
        let postgres = !url.starts_with("sqlite:");
        results.push(measure(args, url, postgres).await?);
        return Ok(Report {
            scenario: "ingest",
            results,
        });
    }
    if args.backend != Backends::Postgres {
        let db = TestDatabase::sqlite();
        results.push(measure(args, &db.url, false).await?);
    }
    if args.backend != Backends::Sqlite {
        let Some(db) = TestDatabase::postgres().await else {
            bail!("no PostgreSQL server answers for --backend postgres|both");
        };
        results.push(measure(args, &db.url, true).await?);
    }
    Ok(Report {
        scenario: "ingest",
        results,
    })
}

/// Ours on `url`, then the baseline on a fresh database of the same kind.
async fn measure(args: &IngestArgs, url: &str, postgres: bool) -> anyhow::Result<Measurement> {
    let name = if postgres { "postgres" } else { "sqlite" };
    eprintln!("{name}: pushing {} orders over HTTP…", args.orders);
    let ours = push_over_http(args, url).await?;
    eprintln!(
        "{name}: {:.1} s; inserting the same rows raw…",
        ours.took.as_secs_f64()
    );
    let baseline_db = if postgres {
        TestDatabase::postgres()
            .await
            .context("no PostgreSQL server for the baseline")?
    } else {
        TestDatabase::sqlite()
    };
    let raw = insert_raw(args, &baseline_db.url).await?;
    eprintln!("{name}: raw {:.1} s", raw.as_secs_f64());
    let mut m = Measurement::new(name, args.orders, ours.took, raw);
    let sorted = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs
    };
    let (posts, completes) = (sorted(ours.post_ms), sorted(ours.complete_ms));
    m.p50_ms = percentile(&posts, 0.5);
    m.p99_ms = percentile(&posts, 0.99);
    m.complete_p50_ms = percentile(&completes, 0.5);
    m.complete_p99_ms = percentile(&completes, 0.99);
    m.peak_rss_mb = ours.peak_mib;
    [m.rss_mb_at10, m.rss_mb_at50, m.rss_mb_at100] = ours.rss_at;
    Ok(m)
}

/// What one HTTP run measured.
struct HttpRun {
    took: Duration,
    post_ms: Vec<f64>,
    complete_ms: Vec<f64>,
    peak_mib: Option<f64>,
    rss_at: [Option<f64>; 3],
}

/// Shared by the clients of one run.
struct Run {
    http: reqwest::Client,
    base: String,
    company: CompanyId,
    args_orders: u64,
    batch: u64,
    next: AtomicU64,
    stored: AtomicU64,
    post_ms: Mutex<Vec<f64>>,
    complete_ms: Mutex<Vec<f64>>,
    rss_at: Mutex<[Option<f64>; 3]>,
    progress: Progress,
}

/// Starts the server over `url` and pushes every order through it.
async fn push_over_http(args: &IngestArgs, url: &str) -> anyhow::Result<HttpRun> {
    let store = store::open(url).await?;
    let company = prepare(&store).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let key = platforms::SecretKey::generate();
    let state = web::AppState::new(store, platforms::TokenCipher::new(&key), &base);
    let server = tokio::spawn(async move { axum::serve(listener, web::router(state)).await });
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(API_KEY)
    );
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, auth.parse()?);
    let http = reqwest::Client::builder()
        .no_proxy()
        .default_headers(headers)
        .build()?;
    let run = Arc::new(Run {
        http,
        base,
        company,
        args_orders: args.orders,
        batch: args.batch,
        next: AtomicU64::new(0),
        stored: AtomicU64::new(0),
        post_ms: Mutex::default(),
        complete_ms: Mutex::default(),
        rss_at: Mutex::default(),
        progress: Progress::new("orders stored", args.orders),
    });
    let peak_resettable = rss::reset_peak();
    let sampled_peak = Arc::new(Mutex::new(0f64));
    let sampler = {
        let peak = sampled_peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(now) = rss::current_mib() {
                    let mut p = peak.lock().expect("not poisoned");
                    *p = p.max(now);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let started = Instant::now();
    let clients: Vec<_> = (0..args.concurrency.max(1))
        .map(|_| tokio::spawn(client(run.clone())))
        .collect();
    for c in clients {
        c.await??;
    }
    let took = started.elapsed();
    sampler.abort();
    server.abort();
    let sampled = *sampled_peak.lock().expect("not poisoned");
    let peak_mib = if peak_resettable {
        rss::peak_mib()
    } else {
        (sampled > 0.0).then_some(sampled)
    };
    let run = Arc::into_inner(run).context("the clients are done")?;
    Ok(HttpRun {
        took,
        post_ms: run.post_ms.into_inner().expect("not poisoned"),
        complete_ms: run.complete_ms.into_inner().expect("not poisoned"),
        peak_mib,
        rss_at: run.rss_at.into_inner().expect("not poisoned"),
    })
}

/// A client holding the bench API key, and its company.
async fn prepare(store: &Arc<dyn Store>) -> anyhow::Result<CompanyId> {
    let client = store.ensure_client("bench").await?;
    store
        .add_api_key(client.id, &web::auth::hash_key(API_KEY))
        .await?;
    let new = NewCompany {
        name: CompanyName::parse("Bench Shop").context("a company name")?,
        description: None,
        tags: CompanyTags::default(),
    };
    Ok(store.create_company(client.id, new).await?.id)
}

/// Takes the next dataset's orders until none are left: pushes the orders, payments and
/// transactions, then waits for the three to be `Complete`.
async fn client(run: Arc<Run>) -> anyhow::Result<()> {
    loop {
        let first = run.next.fetch_add(run.batch, Ordering::Relaxed);
        if first >= run.args_orders {
            return Ok(());
        }
        let count = run.batch.min(run.args_orders - first);
        let batch = Batch::generate(first, count);
        let mut pending = Vec::with_capacity(KINDS.len());
        for kind in KINDS {
            let path = format!(
                "{}/data/companies/{}/sync/{}",
                run.base,
                run.company,
                kind.data_type()
            );
            let body = batch.body(kind);
            let sent = Instant::now();
            let response = run
                .http
                .post(path)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let answer: Value = response.json().await?;
            ensure!(status.is_success(), "push answered {status}: {answer}");
            run.post_ms
                .lock()
                .expect("not poisoned")
                .push(sent.elapsed().as_secs_f64() * 1e3);
            let id = answer["datasetId"].as_str().context("a datasetId")?;
            pending.push((id.to_owned(), sent));
        }
        for (id, sent) in pending {
            wait_complete(&run, &id, count).await?;
            run.complete_ms
                .lock()
                .expect("not poisoned")
                .push(sent.elapsed().as_secs_f64() * 1e3);
        }
        let stored = run.stored.fetch_add(count, Ordering::Relaxed) + count;
        note_memory(&run, stored);
        run.progress.inc(count);
    }
}

/// Polls the dataset's status until finished; it must be `Complete` with every record inserted.
async fn wait_complete(run: &Run, id: &str, count: u64) -> anyhow::Result<()> {
    let url = format!(
        "{}/meta/companies/{}/pull/history/{id}",
        run.base, run.company
    );
    let mut pause = Duration::from_millis(5);
    loop {
        let dataset: Value = run
            .http
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if dataset["progress"] == 100 {
            ensure!(
                dataset["status"] == "Complete" && dataset["counts"]["inserted"] == count,
                "dataset {id} did not store every record: {dataset}"
            );
            return Ok(());
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// Reads resident memory as the stored volume passes 10%, 50% and 100%.
fn note_memory(run: &Run, stored: u64) {
    let mut at = run.rss_at.lock().expect("not poisoned");
    for (slot, percent) in at.iter_mut().zip([10, 50, 100]) {
        if slot.is_none() && stored * 100 >= run.args_orders * percent {
            *slot = rss::current_mib();
        }
    }
}

/// The baseline: the same rows, dataset by dataset, straight into a fresh database.
async fn insert_raw(args: &IngestArgs, url: &str) -> anyhow::Result<Duration> {
    let store = store::open(url).await?;
    let company = prepare(&store).await?;
    let mut raw = RawInserter::connect(url).await?;
    let mut took = Duration::ZERO;
    let mut first = 0;
    while first < args.orders {
        let count = args.batch.min(args.orders - first);
        let batch = Batch::generate(first, count);
        for kind in KINDS {
            let rows = batch.changes(kind);
            let started = Instant::now();
            raw.insert(company, kind, &rows).await?;
            took += started.elapsed();
        }
        first += count;
    }
    Ok(took)
}
