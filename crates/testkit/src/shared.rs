//! The project's `shared/` folder (design, reference specs), found from the repository: it
//! sits beside the repository root (CI puts a copy beside its clone). `COMMERCE_SYNC_SHARED`
//! names it when it lives elsewhere.

use std::path::{Path, PathBuf};

/// `shared/<relative>`; panics naming where it looked when `shared/` is not found.
pub fn shared(relative: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("COMMERCE_SYNC_SHARED") {
        return PathBuf::from(dir).join(relative);
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|d| d.join("shared"))
        .find(|d| d.is_dir())
        .map(|d| d.join(relative))
        .unwrap_or_else(|| {
            panic!(
                "no shared/ folder beside the repository above {}: set COMMERCE_SYNC_SHARED",
                here.display()
            )
        })
}
