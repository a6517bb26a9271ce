//! Companies: one per merchant, always seen through the client that owns them.

use crate::StoreError;
use async_trait::async_trait;
use domain::{
    ClientId, Company, CompanyId, CompanyName, CompanyTags, NewCompany, Page, PageRequest,
};

/// A partial update: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompanyUpdate {
    pub name: Option<CompanyName>,
    pub description: Option<Option<String>>,
    pub tags: Option<CompanyTags>,
}

impl CompanyUpdate {
    /// A full replacement by `new`.
    pub fn replace_with(new: NewCompany) -> Self {
        Self {
            name: Some(new.name),
            description: Some(new.description),
            tags: Some(new.tags),
        }
    }

    /// `company` with this update applied.
    pub fn apply(self, mut company: Company) -> Company {
        if let Some(name) = self.name {
            company.name = name;
        }
        if let Some(description) = self.description {
            company.description = description;
        }
        if let Some(tags) = self.tags {
            company.tags = tags;
        }
        company
    }
}

/// Every method takes the owning client: another client's company is indistinguishable
/// from one that does not exist.
#[async_trait]
pub trait CompanyStore {
    async fn create_company(
        &self,
        client: ClientId,
        new: NewCompany,
    ) -> Result<Company, StoreError>;

    async fn company(&self, client: ClientId, id: CompanyId)
    -> Result<Option<Company>, StoreError>;

    /// The client's companies, oldest first.
    async fn list_companies(
        &self,
        client: ClientId,
        page: PageRequest,
    ) -> Result<Page<Company>, StoreError>;

    /// Applies `update`; `None` when the company is not the client's.
    async fn update_company(
        &self,
        client: ClientId,
        id: CompanyId,
        update: CompanyUpdate,
    ) -> Result<Option<Company>, StoreError>;

    /// The client owning a company, for the few unauthenticated paths (a merchant's link
    /// URL) that must find their way back to it. Everything else is client-scoped.
    async fn company_owner(&self, id: CompanyId) -> Result<Option<ClientId>, StoreError>;

    /// Deletes the company and everything it owns; `false` when it is not the client's.
    async fn delete_company(&self, client: ClientId, id: CompanyId) -> Result<bool, StoreError>;
}
