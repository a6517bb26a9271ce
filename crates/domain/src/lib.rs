//! The pure core of commerce-sync: the words of the trade as plain data and functions.
//!
//! No I/O, no async, no database types live here, so everything in this crate is tested
//! exhaustively and fast. Companies, connections and the integration catalogue are the
//! tenancy model every other crate speaks; commerce records, the configuration document,
//! accounting documents and the mapping engine follow.

pub mod clock;
pub mod commerce;
pub mod company;
pub mod config;
pub mod connection;
pub mod documents;
pub mod ids;
pub mod integration;
pub mod json_strict;
pub mod mapping;
pub mod money;
pub mod paging;
pub mod period;
pub mod preview;
pub mod reference_data;

pub use company::{Company, CompanyName, CompanyTags, NewCompany};
pub use connection::{Connection, ConnectionStatus};
pub use ids::{ClientId, CompanyId, ConnectionId};
pub use integration::{Integration, PlatformKey, SourceType};
pub use money::{Currency, MoneyError, Rounding};
pub use paging::{Page, PageRequest};
