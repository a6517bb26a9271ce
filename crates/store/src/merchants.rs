//! Which company a client's own merchant identifier names, so that the same merchant always
//! reaches the same company through the Sync Flow's start URL.

use crate::StoreError;
use async_trait::async_trait;
use domain::{ClientId, CompanyId};

#[async_trait]
pub trait MerchantStore {
    /// The company bound to `identifier`, if any.
    async fn merchant_company(
        &self,
        client: ClientId,
        identifier: &str,
    ) -> Result<Option<CompanyId>, StoreError>;

    /// Binds `identifier` to `company` unless it is bound already; answers the company it is
    /// bound to afterwards (the earlier one when two requests raced).
    async fn bind_merchant(
        &self,
        client: ClientId,
        identifier: &str,
        company: CompanyId,
    ) -> Result<CompanyId, StoreError>;
}
