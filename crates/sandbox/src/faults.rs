//! Switchable faults, drawn from a seeded generator so a test run is reproducible.
//!
//! One uniform draw per API call picks at most one fault, in bands:
//! `[0, rate429)` → 429, then `rate500` (500 before the write commits: nothing written),
//! then `rate500AfterCommit` (the write commits, the answer is a 500 — what idempotency keys
//! and look-up-before-retry exist for), then `rateTimeout` (the request is held `timeoutMs`;
//! with `timeoutAfterCommit` the write commits first and the normal answer arrives late,
//! otherwise nothing is written and a 504 arrives late; a client that gives up first simply
//! drops the connection). `latencyMs` delays every call. `expireTokens` is one-shot: every
//! access token in scope expires now.

use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// The body of `POST /{platform}/_control/faults` (all fields optional; posting replaces the
/// previous settings of the same scope, so `{}` clears them).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct FaultSettings {
    /// Only this tenant (Xero tenantId / QuickBooks realmId); absent: every tenant without its
    /// own settings.
    #[serde(skip_serializing_if = "Option::is_none", alias = "realmId")]
    pub tenant_id: Option<String>,
    /// Seed of the draw sequence; absent: the sandbox's seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    pub rate429: f64,
    pub rate500: f64,
    pub rate500_after_commit: f64,
    pub rate_timeout: f64,
    /// How long a timed-out request is held (default 30,000 ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    pub timeout_after_commit: bool,
    pub latency_ms: u64,
    pub expire_tokens: bool,
}

impl FaultSettings {
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            ("rate429", self.rate429),
            ("rate500", self.rate500),
            ("rate500AfterCommit", self.rate500_after_commit),
            ("rateTimeout", self.rate_timeout),
        ];
        for (name, r) in rates {
            if !(0.0..=1.0).contains(&r) {
                return Err(format!("{name} must be between 0 and 1"));
            }
        }
        if rates.iter().map(|(_, r)| r).sum::<f64>() > 1.0 + 1e-9 {
            return Err("the rates must add up to at most 1".into());
        }
        Ok(())
    }

    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.timeout_ms.unwrap_or(30_000))
    }
}

/// The fault picked for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    TooManyRequests,
    ServerErrorBeforeCommit,
    ServerErrorAfterCommit,
    TimeoutBeforeCommit,
    TimeoutAfterCommit,
}

/// How many faults of each kind one platform's sandbox has injected since it started (never
/// reset by new settings), so a fault test can prove its faults fired before it concludes
/// anything from their absence of effect. `GET /{platform}/_control/faults` answers them.
#[derive(Debug, Default)]
pub struct FaultCounts {
    too_many_requests: AtomicU64,
    server_error_before_commit: AtomicU64,
    server_error_after_commit: AtomicU64,
    timeout_before_commit: AtomicU64,
    timeout_after_commit: AtomicU64,
}

/// The counts at one moment, as the control route answers them.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FaultCountsSnapshot {
    pub too_many_requests: u64,
    pub server_error_before_commit: u64,
    pub server_error_after_commit: u64,
    pub timeout_before_commit: u64,
    pub timeout_after_commit: u64,
}

impl FaultCounts {
    pub fn record(&self, fault: Fault) {
        let counter = match fault {
            Fault::None => return,
            Fault::TooManyRequests => &self.too_many_requests,
            Fault::ServerErrorBeforeCommit => &self.server_error_before_commit,
            Fault::ServerErrorAfterCommit => &self.server_error_after_commit,
            Fault::TimeoutBeforeCommit => &self.timeout_before_commit,
            Fault::TimeoutAfterCommit => &self.timeout_after_commit,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> FaultCountsSnapshot {
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        FaultCountsSnapshot {
            too_many_requests: read(&self.too_many_requests),
            server_error_before_commit: read(&self.server_error_before_commit),
            server_error_after_commit: read(&self.server_error_after_commit),
            timeout_before_commit: read(&self.timeout_before_commit),
            timeout_after_commit: read(&self.timeout_after_commit),
        }
    }
}

/// Settings plus their draw sequence.
#[derive(Debug)]
pub struct Faults {
    pub settings: FaultSettings,
    rng: StdRng,
}

impl Faults {
    pub fn new(settings: FaultSettings, default_seed: u64) -> Self {
        let seed = settings.seed.unwrap_or(default_seed);
        Self {
            settings,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn draw(&mut self) -> Fault {
        let s = &self.settings;
        if s.rate429 + s.rate500 + s.rate500_after_commit + s.rate_timeout <= 0.0 {
            return Fault::None;
        }
        let u: f64 = self.rng.random();
        let mut edge = s.rate429;
        if u < edge {
            return Fault::TooManyRequests;
        }
        edge += s.rate500;
        if u < edge {
            return Fault::ServerErrorBeforeCommit;
        }
        edge += s.rate500_after_commit;
        if u < edge {
            return Fault::ServerErrorAfterCommit;
        }
        edge += s.rate_timeout;
        if u < edge {
            return if s.timeout_after_commit {
                Fault::TimeoutAfterCommit
            } else {
                Fault::TimeoutBeforeCommit
            };
        }
        Fault::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults() {
        let s = FaultSettings {
            rate429: 0.3,
            rate500: 0.3,
            seed: Some(7),
            ..Default::default()
        };
        let a: Vec<_> = {
            let mut f = Faults::new(s.clone(), 0);
            (0..50).map(|_| f.draw()).collect()
        };
        let mut f = Faults::new(s, 0);
        let b: Vec<_> = (0..50).map(|_| f.draw()).collect();
        assert_eq!(a, b);
        assert!(a.contains(&Fault::TooManyRequests) && a.contains(&Fault::None));
    }

    #[test]
    fn rates_are_checked() {
        let s: FaultSettings = serde_json::from_str(r#"{"rate429":0.7,"rate500":0.7}"#).unwrap();
        assert!(s.check().is_err());
        assert!(serde_json::from_str::<FaultSettings>(r#"{"rate42":1}"#).is_err());
    }
}
