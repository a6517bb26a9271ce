//! Progress of a long bench step on stderr, so a run of minutes shows it is moving while
//! stdout keeps only the report. At a terminal one line is redrawn in place; in a file or
//! CI log, where redraws pile up as noise, a plain line every tenth of the way.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Shared by the tasks doing the work; each reports what it finished.
pub struct Progress {
    label: String,
    total: u64,
    done: AtomicU64,
    terminal: bool,
    /// The last step drawn (percent at a terminal, tenths otherwise): draw only on a change,
    /// so thousands of small reports stay cheap.
    shown: Mutex<Option<u64>>,
}

impl Progress {
    /// Progress of `total` units of work, named `label`.
    pub fn new(label: impl Into<String>, total: u64) -> Self {
        Self::with_terminal(label, total, std::io::stderr().is_terminal())
    }

    fn with_terminal(label: impl Into<String>, total: u64, terminal: bool) -> Self {
        Progress {
            label: label.into(),
            total,
            done: AtomicU64::new(0),
            terminal,
            shown: Mutex::new(None),
        }
    }

    /// `n` more units done.
    pub fn inc(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(line) = self.line(done) {
            let mut err = std::io::stderr().lock();
            // A failed write to stderr only loses a progress line.
            let _ = write!(err, "{line}");
            let _ = err.flush();
        }
    }

    /// The text to print when `done` units are finished, if the step changed.
    fn line(&self, done: u64) -> Option<String> {
        let percent = (done.min(self.total) * 100)
            .checked_div(self.total)
            .unwrap_or(100);
        let step = if self.terminal { percent } else { percent / 10 };
        let mut shown = self.shown.lock().expect("not poisoned");
        if *shown >= Some(step) {
            return None;
        }
        *shown = Some(step);
        let text = format!("{}: {done}/{} ({percent}%)", self.label, self.total);
        Some(match (self.terminal, percent == 100) {
            (true, false) => format!("\r{text}\x1b[K"),
            (true, true) => format!("\r{text}\x1b[K\n"),
            (false, _) => format!("{text}\n"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_gets_a_plain_line_per_tenth() {
        let p = Progress::with_terminal("push", 1000, false);
        let lines: Vec<String> = (1..=100).filter_map(|i| p.line(i * 10)).collect();
        assert_eq!(lines.len(), 11, "{lines:?}");
        assert_eq!(lines[1], "push: 100/1000 (10%)\n");
        assert_eq!(lines[10], "push: 1000/1000 (100%)\n");
    }

    #[test]
    fn a_terminal_redraws_one_line_and_ends_it() {
        let p = Progress::with_terminal("push", 200, true);
        assert_eq!(p.line(1).as_deref(), Some("\rpush: 1/200 (0%)\x1b[K"));
        assert_eq!(p.line(1), None);
        assert_eq!(
            p.line(200).as_deref(),
            Some("\rpush: 200/200 (100%)\x1b[K\n")
        );
    }

    #[test]
    fn nothing_to_do_is_done() {
        let p = Progress::with_terminal("push", 0, false);
        assert_eq!(p.line(0).as_deref(), Some("push: 0/0 (100%)\n"));
    }
}
