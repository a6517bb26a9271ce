//! The sandbox's notion of "now": the shared injectable clock.

pub use domain::clock::{Clock, ManualClock, SystemClock};
