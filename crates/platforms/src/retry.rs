//! Retrying calls the safe way: back off with jitter on transient failures only, sleep what
//! `Retry-After` says, never retry a validation error, and before writing again after an
//! unknown outcome, look the document up by its key.

use crate::error::PlatformError;
use crate::limits::Timer;
use rand::Rng;
use std::future::Future;
use std::time::Duration;

/// How many times and how patiently to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First backoff; doubles each retry, capped at `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is handed back to the caller instead of slept.
    pub max_retry_after: Duration,
    /// Full jitter (a random delay up to the backoff) so retries of many tasks spread out.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Fast and deterministic, for tests.
    pub fn quick() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
            jitter: false,
        }
    }

    /// The backoff before retry number `retry` (1-based).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let cap = exp.min(self.max_delay);
        if self.jitter && !cap.is_zero() {
            let millis = rand::rng().random_range(0..=cap.as_millis() as u64);
            Duration::from_millis(millis)
        } else {
            cap
        }
    }

    /// How long to wait before trying again after `error`, or `None` to give up with it.
    fn wait_for(&self, error: &PlatformError, retry: u32) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        match error {
            PlatformError::RateLimited { retry_after } => {
                (*retry_after <= self.max_retry_after).then_some(*retry_after)
            }
            PlatformError::Transient(_) | PlatformError::OutcomeUnknown(_) => {
                Some(self.backoff(retry))
            }
            _ => None,
        }
    }

    /// Runs a call that changes nothing (a read), retrying what may succeed later.
    pub async fn run<T, F, Fut>(&self, timer: &dyn Timer, mut call: F) -> Result<T, PlatformError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, PlatformError>>,
    {
        let mut attempt = 1;
        loop {
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) => match self.wait_for(&e, attempt) {
                    Some(wait) => {
                        tracing::debug!(attempt, ?wait, error = %e, "retrying read");
                        timer.sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    /// Runs a write. After an attempt whose outcome is unknown, `lookup` runs first: if the
    /// document is there, that is the answer; only if it is not is the write sent again (with
    /// the same idempotency key, which the caller's `write` carries).
    pub async fn run_write<T, W, WF, L, LF>(
        &self,
        timer: &dyn Timer,
        mut write: W,
        mut lookup: L,
    ) -> Result<T, PlatformError>
    where
        W: FnMut() -> WF,
        WF: Future<Output = Result<T, PlatformError>>,
        L: FnMut() -> LF,
        LF: Future<Output = Result<Option<T>, PlatformError>>,
    {
        let mut attempt = 1;
        let mut unknown = false;
        loop {
            let outcome = if unknown {
                match lookup().await {
                    Ok(Some(found)) => return Ok(found),
                    Ok(None) => {
                        unknown = false;
                        write().await
                    }
                    // The write may still be there: keep the outcome unknown.
                    Err(e) => Err(match e {
                        PlatformError::Transient(m) => PlatformError::OutcomeUnknown(m),
                        other => other,
                    }),
                }
            } else {
                write().await
            };
            match outcome {
                Ok(v) => return Ok(v),
                Err(e) => {
                    if matches!(e, PlatformError::OutcomeUnknown(_)) {
                        unknown = true;
                    }
                    match self.wait_for(&e, attempt) {
                        Some(wait) => {
                            tracing::debug!(attempt, ?wait, error = %e, "retrying write");
                            timer.sleep(wait).await;
                            attempt += 1;
                        }
                        // Still unknown after the last attempt: say so, whatever the last error.
                        None if unknown && e.is_retryable() => {
                            return Err(PlatformError::OutcomeUnknown(e.to_string()));
                        }
                        None => return Err(e),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::ManualTimer;
    use std::sync::Mutex;

    fn timer() -> ManualTimer {
        ManualTimer::new("2026-11-26T10:00:00Z".parse().unwrap())
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below_it() {
        let p = RetryPolicy {
            jitter: false,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        let waits: Vec<_> = (1..=4).map(|r| p.backoff(r).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        let j = RetryPolicy { jitter: true, ..p };
        assert!((1..50).all(|r| j.backoff(r) <= Duration::from_millis(350)));
    }

    #[tokio::test]
    async fn transient_errors_are_retried_and_validation_never() {
        let t = timer();
        let calls = Mutex::new(0);
        let out: Result<u32, _> = RetryPolicy::quick()
            .run(&t, || async {
                let mut n = calls.lock().unwrap();
                *n += 1;
                if *n < 3 {
                    Err(PlatformError::Transient("503".into()))
                } else {
                    Ok(*n)
                }
            })
            .await;
        assert_eq!(out.unwrap(), 3);
        assert_eq!(t.sleeps().len(), 2);

        let calls = Mutex::new(0);
        let out: Result<(), _> = RetryPolicy::quick()
            .run(&t, || async {
                *calls.lock().unwrap() += 1;
                Err(PlatformError::validation(
                    "Xero",
                    "Invoice # must be unique.",
                ))
            })
            .await;
        assert!(matches!(out, Err(PlatformError::Validation { .. })));
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn retry_after_is_slept_exactly_and_a_long_one_is_handed_back() {
        let t = timer();
        let calls = Mutex::new(0);
        let out = RetryPolicy::quick()
            .run(&t, || async {
                let mut n = calls.lock().unwrap();
                *n += 1;
                if *n == 1 {
                    Err(PlatformError::RateLimited {
                        retry_after: Duration::from_secs(2),
                    })
                } else {
                    Ok(())
                }
            })
            .await;
        assert!(out.is_ok());
        assert_eq!(t.sleeps(), vec![Duration::from_secs(2)]);

        let long = Duration::from_secs(66_975);
        let out: Result<(), _> = RetryPolicy::quick()
            .run(&t, || async {
                Err(PlatformError::RateLimited { retry_after: long })
            })
            .await;
        assert_eq!(out, Err(PlatformError::RateLimited { retry_after: long }));
    }

    #[tokio::test]
    async fn an_unknown_outcome_is_looked_up_before_writing_again() {
        let t = timer();
        let log = Mutex::new(Vec::new());
        let out = RetryPolicy::quick()
            .run_write(
                &t,
                || async {
                    log.lock().unwrap().push("write");
                    Err::<&str, _>(PlatformError::OutcomeUnknown("500".into()))
                },
                || async {
                    log.lock().unwrap().push("lookup");
                    Ok(Some("found"))
                },
            )
            .await;
        assert_eq!(out.unwrap(), "found");
        assert_eq!(*log.lock().unwrap(), ["write", "lookup"]);
    }

    #[tokio::test]
    async fn not_found_after_an_unknown_outcome_writes_again_and_giving_up_stays_unknown() {
        let t = timer();
        let log = Mutex::new(Vec::new());
        let out = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::quick()
        }
        .run_write(
            &t,
            || async {
                log.lock().unwrap().push("write");
                Err::<(), _>(PlatformError::OutcomeUnknown("timeout".into()))
            },
            || async {
                log.lock().unwrap().push("lookup");
                Ok(None)
            },
        )
        .await;
        assert!(matches!(out, Err(PlatformError::OutcomeUnknown(_))));
        assert_eq!(
            *log.lock().unwrap(),
            ["write", "lookup", "write", "lookup", "write"]
        );
    }
}
