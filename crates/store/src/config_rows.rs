//! Columns of the configuration and reference-data tables, the same for both databases.

use crate::StoreError;
use crate::configuration::{ScheduledCompany, StoredConfig};
use crate::reference_data::StoredReferenceData;
use crate::time::from_db;
use domain::config::{ConfigDocument, OutputFormat, parse_start_date, parse_str, to_current_json};
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId, ConnectionId};
use uuid::Uuid;

const CONFIGS: &str = "configurations";
const REFERENCE: &str = "reference_data";

/// What a document write puts in its row, besides ids, version and time.
pub(crate) struct ConfigColumns {
    pub document: String,
    pub enabled: bool,
    pub configured: bool,
    pub sync_hour: Option<i64>,
    pub time_zone: Option<String>,
    pub start_date: Option<String>,
    pub frequency: Option<String>,
    pub output_format: &'static str,
}

impl ConfigColumns {
    pub fn of(document: &ConfigDocument) -> Self {
        let schedule = document.schedule.as_ref();
        Self {
            document: to_current_json(document).to_string(),
            enabled: document.enable == Some(true),
            configured: document.configured == Some(true),
            sync_hour: schedule.and_then(|s| s.sync_hour),
            time_zone: schedule.and_then(|s| s.time_zone.clone()),
            start_date: schedule
                .and_then(|s| s.start_date.as_deref())
                .and_then(parse_start_date)
                .map(|d| d.to_string()),
            frequency: schedule.and_then(|s| s.selected_frequency.clone()),
            output_format: output_format_to_db(document.configuration.output_format()),
        }
    }
}

fn output_format_to_db(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Documents => "Documents",
        OutputFormat::JournalEntry => OutputFormat::JOURNAL_ENTRY,
    }
}

fn output_format_from_db(text: &str) -> Result<OutputFormat, StoreError> {
    match text {
        "Documents" => Ok(OutputFormat::Documents),
        OutputFormat::JOURNAL_ENTRY => Ok(OutputFormat::JournalEntry),
        other => Err(StoreError::corrupt(
            CONFIGS,
            format!("output format {other:?}"),
        )),
    }
}

fn version_from_db(table: &'static str, version: i64) -> Result<u64, StoreError> {
    u64::try_from(version).map_err(|e| StoreError::corrupt(table, e))
}

/// Versions are counted from 1, so they always fit the database's signed integer.
pub(crate) fn version_to_db(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(i64::MAX)
}

/// A document row as read from either database.
pub(crate) struct StoredConfigColumns {
    pub company_id: Uuid,
    pub document: String,
    pub version: i64,
    pub updated: i64,
}

impl StoredConfigColumns {
    pub fn into_stored(self) -> Result<StoredConfig, StoreError> {
        let parsed = parse_str(&self.document).map_err(|errors| {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            StoreError::corrupt(CONFIGS, format!("document does not parse: {first}"))
        })?;
        Ok(StoredConfig {
            company_id: CompanyId(self.company_id),
            document: parsed.document,
            version: version_from_db(CONFIGS, self.version)?,
            updated: from_db(CONFIGS, self.updated)?,
        })
    }
}

/// A scheduler row as read from either database.
pub(crate) struct ScheduledColumns {
    pub company_id: Uuid,
    pub client_id: Uuid,
    pub sync_hour: Option<i64>,
    pub time_zone: Option<String>,
    pub start_date: Option<String>,
    pub frequency: Option<String>,
    pub output_format: String,
    pub version: i64,
}

impl ScheduledColumns {
    pub fn into_scheduled(self) -> Result<ScheduledCompany, StoreError> {
        Ok(ScheduledCompany {
            company_id: CompanyId(self.company_id),
            client_id: ClientId(self.client_id),
            sync_hour: self.sync_hour,
            time_zone: self.time_zone,
            start_date: self
                .start_date
                .map(|d| d.parse().map_err(|e| StoreError::corrupt(CONFIGS, e)))
                .transpose()?,
            frequency: self.frequency,
            output_format: output_format_from_db(&self.output_format)?,
            version: version_from_db(CONFIGS, self.version)?,
        })
    }
}

pub(crate) fn reference_to_db(data: &ReferenceData) -> String {
    serde_json::to_string(data).expect("reference data always serializes")
}

/// A reference-data row as read from either database.
pub(crate) struct ReferenceColumns {
    pub company_id: Uuid,
    pub connection_id: Option<Uuid>,
    pub data: String,
    pub fetched: i64,
}

impl ReferenceColumns {
    pub fn into_stored(self) -> Result<StoredReferenceData, StoreError> {
        Ok(StoredReferenceData {
            company_id: CompanyId(self.company_id),
            connection_id: self.connection_id.map(ConnectionId),
            data: serde_json::from_str(&self.data)
                .map_err(|e| StoreError::corrupt(REFERENCE, e))?,
            fetched: from_db(REFERENCE, self.fetched)?,
        })
    }
}
