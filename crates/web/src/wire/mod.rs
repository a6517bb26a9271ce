//! The JSON the API answers with, field for field as Codat's published schemas name them.

pub mod company;
pub mod connection;
pub mod integration;
pub mod paging;

pub use company::CompanyBody;
pub use connection::ConnectionBody;
pub use integration::{BrandingBody, IntegrationBody};
pub use paging::{PageQuery, Paged};

/// Codat's date-time format: RFC 3339 in UTC.
pub fn datetime(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}
