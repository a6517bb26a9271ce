//! A company's configuration document, written with an optimistic version.
//!
//! The document is stored whole, in the current shape, and read back through the domain's
//! parser; the fields the scheduler needs are copied into columns on every write.
//!
//! Decisions:
//! - The store does not validate: it keeps what it is given (validation is the domain's, and the
//!   API's caller decides when `configured` becomes true).
//! - Every write names the version it replaces (`None`: no document yet). Another write in
//!   between answers [`StoreError::Conflict`], which the API turns into 409; the caller reads
//!   again, re-applies its change and retries.

use crate::StoreError;
use async_trait::async_trait;
use domain::config::{ConfigDocument, OutputFormat};
use domain::period::{Frequency, Schedule};
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use jiff::civil::Date;

/// A stored configuration document.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConfig {
    pub company_id: CompanyId,
    pub document: ConfigDocument,
    /// 1 after the first write, one more after each.
    pub version: u64,
    pub updated: Timestamp,
}

/// One company the scheduler should consider: its document is enabled and configured.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledCompany {
    pub company_id: CompanyId,
    pub client_id: ClientId,
    /// As written; absent means 0.
    pub sync_hour: Option<i64>,
    /// IANA name as written; absent means `Etc/UTC`.
    pub time_zone: Option<String>,
    /// The calendar day of `startDate`; `None` when absent or unreadable.
    pub start_date: Option<Date>,
    /// `selectedFrequency` as written.
    pub frequency: Option<String>,
    pub output_format: OutputFormat,
    /// The document's version, so the scheduler can tell a changed schedule.
    pub version: u64,
}

impl ScheduledCompany {
    /// The typed schedule; `None` when the stored fields do not make one (possible only for a
    /// document stored without passing validation).
    pub fn schedule(&self) -> Option<Schedule> {
        let frequency = Frequency::parse(self.frequency.as_deref()?)?;
        Schedule::new(
            self.start_date?,
            self.sync_hour.unwrap_or(0),
            self.time_zone.as_deref(),
            frequency,
        )
        .ok()
    }
}

/// Every method but [`ConfigStore::scheduled_companies`] takes the owning client: another
/// client's company answers `None`, like one that does not exist.
#[async_trait]
pub trait ConfigStore {
    /// The company's document; `None` when there is none or the company is not the client's.
    async fn config(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredConfig>, StoreError>;

    /// Writes `document` if the stored version is still `expected` (`None`: nothing stored
    /// yet). `Ok(None)` when the company is not the client's; [`StoreError::Conflict`] when
    /// someone else wrote meanwhile.
    async fn put_config(
        &self,
        client: ClientId,
        company: CompanyId,
        document: ConfigDocument,
        expected: Option<u64>,
    ) -> Result<Option<StoredConfig>, StoreError>;

    /// Every enabled and configured company of every client, by company id. Not scoped by
    /// client: for the scheduler only, never for an API answer.
    async fn scheduled_companies(&self) -> Result<Vec<ScheduledCompany>, StoreError>;
}

/// The error for a write that lost the race.
pub(crate) fn version_conflict(
    company: CompanyId,
    expected: Option<u64>,
    current: Option<u64>,
) -> StoreError {
    let show = |v: Option<u64>| v.map_or("none".to_owned(), |v| v.to_string());
    StoreError::Conflict(format!(
        "the configuration of company {company} was changed meanwhile \
         (expected version {}, now {}): read it again and retry",
        show(expected),
        show(current)
    ))
}
