use super::PostgresStore;
use super::records::{COLUMNS, record};
use crate::record_changes::RecordChanges;
use crate::time::to_db;
use crate::{StoreError, StoredRecord};
use async_trait::async_trait;
use domain::CompanyId;
use domain::commerce::DatasetKind;
use jiff::Timestamp;

#[async_trait]
impl RecordChanges for PostgresStore {
    async fn records_written_since(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        since: Timestamp,
        created_before: Timestamp,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM records
             WHERE company_id = $1 AND data_type = $2 AND written >= $3
               AND (created_date IS NULL OR created_date < $4)
             ORDER BY id"
        ))
        .bind(company.0)
        .bind(kind.data_type())
        .bind(to_db(since))
        .bind(to_db(created_before))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(record)
        .collect()
    }
}
