use super::SqliteStore;
use crate::StoreError;
use crate::datasets::{
    Dataset, DatasetCounts, DatasetId, DatasetOutcome, DatasetStatus, DatasetStore, NewDataset,
};
use crate::push_rows::{DatasetColumns, count_to_db};
use crate::rows::uuid_from_text;
use crate::time::{now, to_db};
use async_trait::async_trait;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

const COLUMNS: &str = "d.id, d.company_id, d.connection_id, d.data_type, d.status, \
    d.error_message, d.received, d.inserted, d.modified, d.unchanged, d.deleted, d.rejected, \
    d.rejections, d.requested, d.completed";

fn dataset(row: SqliteRow) -> Result<Dataset, StoreError> {
    const T: &str = "datasets";
    let connection_id: Option<String> = row.get("connection_id");
    DatasetColumns {
        id: uuid_from_text(T, row.get("id"))?,
        company_id: uuid_from_text(T, row.get("company_id"))?,
        connection_id: connection_id.map(|c| uuid_from_text(T, &c)).transpose()?,
        data_type: row.get("data_type"),
        status: row.get("status"),
        error_message: row.get("error_message"),
        received: row.get("received"),
        inserted: row.get("inserted"),
        modified: row.get("modified"),
        unchanged: row.get("unchanged"),
        deleted: row.get("deleted"),
        rejected: row.get("rejected"),
        rejections: row.get("rejections"),
        requested: row.get("requested"),
        completed: row.get("completed"),
    }
    .into_dataset()
}

impl SqliteStore {
    /// Records a push as `Queued`, and its raw body when given, in one transaction.
    async fn insert_dataset(
        &self,
        client: ClientId,
        company: CompanyId,
        new: NewDataset,
        body: Option<&[u8]>,
    ) -> Result<Option<Dataset>, StoreError> {
        let dataset = Dataset {
            id: DatasetId::new(),
            company_id: company,
            connection_id: new.connection_id,
            kind: new.kind,
            status: DatasetStatus::Queued,
            error_message: None,
            counts: DatasetCounts {
                received: new.received,
                ..DatasetCounts::default()
            },
            rejections: Vec::new(),
            requested: now(),
            completed: None,
        };
        let mut tx = self.write().await?;
        // Inserting through a SELECT of the client's company makes ownership and the insert
        // one statement: another client's company, or another company's connection,
        // inserts nothing.
        let inserted = sqlx::query(
            "INSERT INTO datasets (id, company_id, connection_id, data_type, status, received,
                                   requested)
             SELECT ?1, id, ?2, ?3, ?4, ?5, ?6 FROM companies WHERE id = ?7 AND client_id = ?8
               AND (?2 IS NULL
                    OR EXISTS (SELECT 1 FROM connections WHERE id = ?2 AND company_id = ?7))",
        )
        .bind(dataset.id.to_string())
        .bind(dataset.connection_id.map(|c| c.to_string()))
        .bind(dataset.kind.data_type())
        .bind(dataset.status.as_str())
        .bind(count_to_db(new.received))
        .bind(to_db(dataset.requested))
        .bind(company.to_string())
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if let (1, Some(body)) = (inserted, body) {
            sqlx::query("INSERT INTO dataset_bodies (dataset_id, body) VALUES (?, ?)")
                .bind(dataset.id.to_string())
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok((inserted == 1).then_some(dataset))
    }
}

#[async_trait]
impl DatasetStore for SqliteStore {
    async fn create_dataset(
        &self,
        client: ClientId,
        company: CompanyId,
        new: NewDataset,
    ) -> Result<Option<Dataset>, StoreError> {
        self.insert_dataset(client, company, new, None).await
    }

    async fn create_dataset_with_body(
        &self,
        client: ClientId,
        company: CompanyId,
        new: NewDataset,
        body: &[u8],
    ) -> Result<Option<Dataset>, StoreError> {
        self.insert_dataset(client, company, new, Some(body)).await
    }

    async fn queued_datasets(
        &self,
        requested_before: Timestamp,
        limit: u64,
    ) -> Result<Vec<Dataset>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM datasets d JOIN dataset_bodies b ON b.dataset_id = d.id
             WHERE d.status = ? AND d.requested < ? ORDER BY d.requested, d.id LIMIT ?"
        ))
        .bind(DatasetStatus::Queued.as_str())
        .bind(to_db(requested_before))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(dataset)
        .collect()
    }

    async fn dataset_body(&self, id: DatasetId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT body FROM dataset_bodies WHERE dataset_id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    async fn recent_datasets(
        &self,
        client: ClientId,
        company: CompanyId,
        max: u64,
    ) -> Result<Vec<Dataset>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM datasets d JOIN companies c ON c.id = d.company_id
             WHERE d.company_id = ? AND c.client_id = ?
             ORDER BY d.requested DESC, d.id DESC LIMIT ?"
        ))
        .bind(company.to_string())
        .bind(client.to_string())
        .bind(i64::try_from(max).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(dataset)
        .collect()
    }

    async fn dataset(
        &self,
        client: ClientId,
        company: CompanyId,
        id: DatasetId,
    ) -> Result<Option<Dataset>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM datasets d JOIN companies c ON c.id = d.company_id
             WHERE d.id = ? AND d.company_id = ? AND c.client_id = ?"
        ))
        .bind(id.to_string())
        .bind(company.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        .map(dataset)
        .transpose()
    }

    async fn claim_dataset(&self, id: DatasetId) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let claimed = claim(&mut tx, id).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    async fn finish_dataset(
        &self,
        id: DatasetId,
        outcome: DatasetOutcome,
    ) -> Result<bool, StoreError> {
        outcome.check()?;
        let mut tx = self.write().await?;
        let finished = finish(&mut tx, id, &outcome).await?;
        tx.commit().await?;
        Ok(finished)
    }
}

/// `Queued` → `Processing`, within the caller's write transaction.
pub(super) async fn claim(conn: &mut SqliteConnection, id: DatasetId) -> Result<bool, StoreError> {
    let claimed = sqlx::query("UPDATE datasets SET status = ? WHERE id = ? AND status = ?")
        .bind(DatasetStatus::Processing.as_str())
        .bind(id.to_string())
        .bind(DatasetStatus::Queued.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(claimed == 1)
}

/// Finishes a `Queued` or `Processing` dataset, within the caller's write transaction.
pub(super) async fn finish(
    conn: &mut SqliteConnection,
    id: DatasetId,
    outcome: &DatasetOutcome,
) -> Result<bool, StoreError> {
    let c = outcome.counts;
    let finished = sqlx::query(
        "UPDATE datasets SET status = ?, error_message = ?, inserted = ?, modified = ?,
             unchanged = ?, deleted = ?, rejected = ?, rejections = ?, completed = ?
         WHERE id = ? AND status IN (?, ?)",
    )
    .bind(outcome.status.as_str())
    .bind(&outcome.error_message)
    .bind(count_to_db(c.inserted))
    .bind(count_to_db(c.modified))
    .bind(count_to_db(c.unchanged))
    .bind(count_to_db(c.deleted))
    .bind(count_to_db(c.rejected))
    .bind(outcome.rejections_json())
    .bind(to_db(now()))
    .bind(id.to_string())
    .bind(DatasetStatus::Queued.as_str())
    .bind(DatasetStatus::Processing.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if finished == 1 {
        // Stored or given up: the raw body has served its purpose.
        sqlx::query("DELETE FROM dataset_bodies WHERE dataset_id = ?")
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(finished == 1)
}
