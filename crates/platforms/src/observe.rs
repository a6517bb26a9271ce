//! One hook for whoever counts calls to the platforms (the engine's `/metrics`): each HTTP
//! call's platform, duration and status. The platforms crate keeps no metrics of its own;
//! connectors are built in many places, so the hook is process-wide and set once.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Told of every HTTP call a connector made.
pub trait CallObserver: Send + Sync {
    /// `status` is `None` when no answer came (connection refused, timeout).
    fn call_finished(&self, platform: &'static str, elapsed: Duration, status: Option<u16>);
}

static OBSERVER: OnceLock<&'static dyn CallObserver> = OnceLock::new();

/// Installs the observer; the first one installed stays (`false` for any later one).
pub fn set_observer(observer: &'static dyn CallObserver) -> bool {
    OBSERVER.set(observer).is_ok()
}

/// Reports a call that began at `started`.
pub(crate) fn finished(platform: &'static str, started: Instant, status: Option<u16>) {
    if let Some(observer) = OBSERVER.get() {
        observer.call_finished(platform, started.elapsed(), status);
    }
}
