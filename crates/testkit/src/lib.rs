//! Test support shared by several crates' tests, used only as a dev-dependency.
//!
//! - [`hledger`]: a real `hledger-web --serve-api` over a fresh journal, and `hledger`'s own
//!   reading of it (`bal`, `print`, `check`).
//! - [`shared`]: the project's `shared/` folder (reference specs), found from the repository.
//! - [`codat_sdk`]: Codat's Python client in a virtualenv, for compatibility tests.
//! - [`browser`]: a headless Chromium under chromedriver (desktop or phone window, screenshots).
//! - [`axe`]: the accessibility check (axe-core) run in that browser.

pub mod axe;
pub mod browser;
pub mod codat_sdk;
pub mod hledger;
pub mod shared;
