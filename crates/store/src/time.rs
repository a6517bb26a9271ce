//! Timestamps are stored as microseconds since the Unix epoch on both databases.

use crate::StoreError;
use jiff::Timestamp;

pub(crate) fn to_db(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}

pub(crate) fn from_db(table: &'static str, micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::corrupt(table, e))
}

pub(crate) fn opt_from_db(
    table: &'static str,
    micros: Option<i64>,
) -> Result<Option<Timestamp>, StoreError> {
    micros.map(|m| from_db(table, m)).transpose()
}

/// Now, truncated to what the database keeps, so a value read back equals the one written.
pub fn now() -> Timestamp {
    domain::clock::Clock::now(&domain::clock::SystemClock)
}
