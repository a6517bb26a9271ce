//! This process's resident memory, read from `/proc/self/status` (Linux; `None` elsewhere).

/// A `kB` line of `/proc/self/status` in MiB.
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// Resident memory now.
pub fn current_mib() -> Option<f64> {
    status_mib("VmRSS:")
}

/// The highest resident memory since start or since [`reset_peak`].
pub fn peak_mib() -> Option<f64> {
    status_mib("VmHWM:")
}

/// Resets the peak to the current resident memory (writing 5 to `clear_refs`, Linux ≥ 4.0),
/// so each measurement reports its own peak. False when the kernel refused.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
