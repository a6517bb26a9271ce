//! Turning a caught panic into words for the log and the sync's status, so a panic in one
//! company's work is recorded and the loop that ran it goes on.

use futures::FutureExt;
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// The panic's message when it carried one (`panic!("...")` or `expect`), else a fixed text.
pub fn reason(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Runs `work`, answering the panic's reason instead of unwinding through the caller.
pub async fn caught<T>(work: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|panic| reason(panic.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_its_message() {
        assert_eq!(caught(async { 7 }).await, Ok(7));
        let r: Result<(), String> = caught(async { panic!("boom {}", 1) }).await;
        assert_eq!(r, Err("boom 1".to_owned()));
        let nothing: Option<()> = std::hint::black_box(None);
        let r: Result<(), String> = caught(async { nothing.expect("nothing there") }).await;
        assert_eq!(r, Err("nothing there".to_owned()));
    }
}
