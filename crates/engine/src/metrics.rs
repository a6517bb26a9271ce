//! `/metrics` in Prometheus' text format (version 0.0.4), served by the API and by workers.
//!
//! Two sources. Events of this process (platform calls and their latency, 429s, datasets and
//! records stored, syncs finished, webhook attempts) are counted here, in memory, since the
//! process started: Prometheus sums them across processes and handles restarts. The state of
//! the database (syncs by status code, push items by status and platform, the job queue,
//! datasets and webhook deliveries by status) is counted by the store at scrape time, so
//! every process reports the same numbers and none has to keep them.

use jiff::Timestamp;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;
use store::{Gauges, Store, StoreError};

/// Upper bounds (seconds) of the platform latency histogram: Xero and QuickBooks answer in
/// tenths of a second when well, in seconds when slow; 30 s is where connectors time out.
const LATENCY_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

#[derive(Default)]
struct Histogram {
    /// Observations at or under each bound of [`LATENCY_BUCKETS`] (not cumulative yet).
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = LATENCY_BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Default)]
struct Counters {
    /// (platform, status class) → calls.
    platform_requests: BTreeMap<(&'static str, String), u64>,
    platform_latency: BTreeMap<&'static str, Histogram>,
    platform_rate_limited: BTreeMap<&'static str, u64>,
    /// data type → datasets stored.
    datasets: BTreeMap<String, u64>,
    /// (data type, accepted | rejected) → records.
    records: BTreeMap<(String, &'static str), u64>,
    /// status code → syncs finished by this process.
    syncs_finished: BTreeMap<u16, u64>,
    /// delivered | retry | failed → webhook attempts.
    webhook_attempts: BTreeMap<&'static str, u64>,
}

/// This process's counters.
pub struct Metrics {
    counters: Mutex<Counters>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics {
    counters: Mutex::new(Counters::default()),
});

/// The process's registry; also installed as the platforms' call observer, so calls made by
/// any connector are counted.
pub fn global() -> &'static Metrics {
    let metrics: &'static Metrics = &METRICS;
    platforms::observe::set_observer(metrics);
    metrics
}

impl Metrics {
    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        // A panic while counting leaves numbers that are still numbers: keep serving them.
        self.counters.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A dataset of `data_type` stored: `accepted` records written, `rejected` refused.
    pub fn dataset_stored(&self, data_type: &str, accepted: u64, rejected: u64) {
        let mut c = self.counters();
        *c.datasets.entry(data_type.to_owned()).or_default() += 1;
        *c.records
            .entry((data_type.to_owned(), "accepted"))
            .or_default() += accepted;
        *c.records
            .entry((data_type.to_owned(), "rejected"))
            .or_default() += rejected;
    }

    /// A sync finished with `status_code`.
    pub fn sync_finished(&self, status_code: u16) {
        *self
            .counters()
            .syncs_finished
            .entry(status_code)
            .or_default() += 1;
    }

    /// A webhook attempt ended: `delivered`, `retry` (failed, tried again later) or `failed`.
    pub fn webhook_attempt(&self, outcome: &'static str) {
        *self.counters().webhook_attempts.entry(outcome).or_default() += 1;
    }

    /// Appends this process's counters to `out`.
    pub fn encode(&self, out: &mut String) {
        let c = self.counters();
        family(
            out,
            "commerce_sync_platform_requests_total",
            "counter",
            "HTTP calls to accounting platforms by this process, by status class (2xx, 4xx, 429, 5xx, or none when no answer came).",
        );
        for ((platform, status), n) in &c.platform_requests {
            sample(
                out,
                "commerce_sync_platform_requests_total",
                &[("platform", platform), ("status", status)],
                *n as f64,
            );
        }
        family(
            out,
            "commerce_sync_platform_rate_limited_total",
            "counter",
            "Accounting platform answers of 429 (rate limited) to this process.",
        );
        for (platform, n) in &c.platform_rate_limited {
            sample(
                out,
                "commerce_sync_platform_rate_limited_total",
                &[("platform", platform)],
                *n as f64,
            );
        }
        let name = "commerce_sync_platform_request_duration_seconds";
        family(
            out,
            name,
            "histogram",
            "Time from sending a call to an accounting platform to its answer's headers.",
        );
        for (platform, h) in &c.platform_latency {
            let mut cumulative = 0;
            for (bound, n) in LATENCY_BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let le = bound.to_string();
                sample(
                    out,
                    &format!("{name}_bucket"),
                    &[("platform", platform), ("le", &le)],
                    cumulative as f64,
                );
            }
            let labels = [("platform", *platform)];
            sample(
                out,
                &format!("{name}_bucket"),
                &[("platform", platform), ("le", "+Inf")],
                h.count as f64,
            );
            sample(out, &format!("{name}_sum"), &labels, h.sum);
            sample(out, &format!("{name}_count"), &labels, h.count as f64);
        }
        family(
            out,
            "commerce_sync_datasets_ingested_total",
            "counter",
            "Pushed datasets stored by this process, by data type.",
        );
        for (data_type, n) in &c.datasets {
            sample(
                out,
                "commerce_sync_datasets_ingested_total",
                &[("data_type", data_type)],
                *n as f64,
            );
        }
        family(
            out,
            "commerce_sync_records_ingested_total",
            "counter",
            "Records of pushed datasets stored (accepted) or refused by validation (rejected) by this process.",
        );
        for ((data_type, outcome), n) in &c.records {
            sample(
                out,
                "commerce_sync_records_ingested_total",
                &[("data_type", data_type), ("outcome", outcome)],
                *n as f64,
            );
        }
        family(
            out,
            "commerce_sync_syncs_finished_total",
            "counter",
            "Syncs finished by this process, by status code (DOMAIN.md).",
        );
        for (code, n) in &c.syncs_finished {
            let code = code.to_string();
            sample(
                out,
                "commerce_sync_syncs_finished_total",
                &[("status_code", &code)],
                *n as f64,
            );
        }
        family(
            out,
            "commerce_sync_webhook_attempts_total",
            "counter",
            "Webhook delivery attempts by this process: delivered, retry (failed, tried again later) or failed (given up).",
        );
        for (outcome, n) in &c.webhook_attempts {
            sample(
                out,
                "commerce_sync_webhook_attempts_total",
                &[("outcome", outcome)],
                *n as f64,
            );
        }
    }
}

impl platforms::observe::CallObserver for Metrics {
    fn call_finished(&self, platform: &'static str, elapsed: Duration, status: Option<u16>) {
        let class = match status {
            None => "none".to_owned(),
            Some(429) => "429".to_owned(),
            Some(s) => format!("{}xx", s / 100),
        };
        let mut c = self.counters();
        *c.platform_requests.entry((platform, class)).or_default() += 1;
        c.platform_latency
            .entry(platform)
            .or_default()
            .observe(elapsed.as_secs_f64());
        if status == Some(429) {
            *c.platform_rate_limited.entry(platform).or_default() += 1;
        }
    }
}

/// The whole `/metrics` page: the database's state now, then this process's counters.
pub async fn render(store: &dyn Store, now: Timestamp) -> Result<String, StoreError> {
    let gauges = store.gauges(now).await?;
    let mut out = String::with_capacity(8 * 1024);
    family(
        &mut out,
        "commerce_sync_build_info",
        "gauge",
        "The running version (always 1).",
    );
    sample(
        &mut out,
        "commerce_sync_build_info",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1.0,
    );
    encode_gauges(&gauges, now, &mut out);
    global().encode(&mut out);
    Ok(out)
}

/// The platform's name in metrics, from its key in the database.
fn platform_name(key: &str) -> &str {
    match key.parse::<domain::PlatformKey>() {
        Ok(domain::PlatformKey::Xero) => "xero",
        Ok(domain::PlatformKey::QuickBooksOnline) => "quickbooks",
        Ok(domain::PlatformKey::Hledger) => "hledger",
        _ => key,
    }
}

fn encode_gauges(g: &Gauges, now: Timestamp, out: &mut String) {
    family(
        out,
        "commerce_sync_syncs",
        "gauge",
        "Syncs in the database by status code (DOMAIN.md: 1000 running, 2000/2040 success, 4000+ failed).",
    );
    for (code, n) in &g.syncs_by_status {
        let code = code.to_string();
        sample(
            out,
            "commerce_sync_syncs",
            &[("status_code", &code)],
            *n as f64,
        );
    }
    family(
        out,
        "commerce_sync_push_items",
        "gauge",
        "Push items (documents for the books) in the database by status and accounting platform.",
    );
    for (platform, status, n) in &g.push_items {
        sample(
            out,
            "commerce_sync_push_items",
            &[("platform", platform_name(platform)), ("status", status)],
            *n as f64,
        );
    }
    family(
        out,
        "commerce_sync_jobs",
        "gauge",
        "Jobs in the queue table by status.",
    );
    for (status, n) in &g.jobs_by_status {
        sample(out, "commerce_sync_jobs", &[("status", status)], *n as f64);
    }
    family(
        out,
        "commerce_sync_job_queue_depth",
        "gauge",
        "Queued jobs whose time has come and that no worker has claimed yet.",
    );
    sample(out, "commerce_sync_job_queue_depth", &[], g.due_jobs as f64);
    family(
        out,
        "commerce_sync_job_queue_oldest_age_seconds",
        "gauge",
        "How long the longest-waiting due job has waited (0 when none waits).",
    );
    let age = g
        .oldest_due_job
        .map(|t| now.duration_since(t).as_secs_f64().max(0.0))
        .unwrap_or(0.0);
    sample(out, "commerce_sync_job_queue_oldest_age_seconds", &[], age);
    family(
        out,
        "commerce_sync_datasets",
        "gauge",
        "Pushed datasets in the database by status.",
    );
    for (status, n) in &g.datasets_by_status {
        sample(
            out,
            "commerce_sync_datasets",
            &[("status", status)],
            *n as f64,
        );
    }
    family(
        out,
        "commerce_sync_webhook_deliveries",
        "gauge",
        "Webhook deliveries in the database by outcome (pending, delivered, failed).",
    );
    for (status, n) in &g.webhook_deliveries_by_status {
        sample(
            out,
            "commerce_sync_webhook_deliveries",
            &[("outcome", status)],
            *n as f64,
        );
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// Label values escape backslash, double quote and newline (the text format's rules).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_in_inf() {
        let metrics = Metrics {
            counters: Mutex::new(Counters::default()),
        };
        use platforms::observe::CallObserver;
        metrics.call_finished("xero", Duration::from_millis(30), Some(200));
        metrics.call_finished("xero", Duration::from_millis(700), Some(429));
        metrics.call_finished("xero", Duration::from_secs(100), None);
        let mut out = String::new();
        metrics.encode(&mut out);
        let line = |prefix: &str| {
            out.lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("no {prefix} in\n{out}"))
                .to_owned()
        };
        let name = "commerce_sync_platform_request_duration_seconds";
        assert!(line(&format!("{name}_bucket{{platform=\"xero\",le=\"0.05\"}}")).ends_with(" 1"));
        assert!(line(&format!("{name}_bucket{{platform=\"xero\",le=\"1\"}}")).ends_with(" 2"));
        assert!(line(&format!("{name}_bucket{{platform=\"xero\",le=\"60\"}}")).ends_with(" 2"));
        assert!(line(&format!("{name}_bucket{{platform=\"xero\",le=\"+Inf\"}}")).ends_with(" 3"));
        assert!(line(&format!("{name}_count")).ends_with(" 3"));
        assert!(
            line("commerce_sync_platform_rate_limited_total{platform=\"xero\"}").ends_with(" 1")
        );
        assert!(
            line("commerce_sync_platform_requests_total{platform=\"xero\",status=\"none\"}")
                .ends_with(" 1")
        );
    }

    #[test]
    fn label_values_are_escaped() {
        let mut out = String::new();
        sample(&mut out, "m", &[("a", "x\"y\\z\nw")], 1.5);
        assert_eq!(out, "m{a=\"x\\\"y\\\\z\\nw\"} 1.5\n");
    }
}
