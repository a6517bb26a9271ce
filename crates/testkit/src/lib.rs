//! Test support shared by several crates' tests, used only as a dev-dependency.
//!
//! - [`hledger`]: a real `hledger-web --serve-api` over a fresh journal, and `hledger`'s own
//!   reading of it (`bal`, `print`, `check`).

pub mod hledger;
