//! The configuration document: how a merchant's sales land in its books.
//!
//! [`shapes`] reads any of its three historical shapes into the typed [`ConfigDocument`] and
//! emits the current one; [`options`] builds the choices offered from the accounting platform's
//! reference data and merges a posted document's selections into them; [`validation`] names
//! every problem with a pointer, a code and a message; [`runtime`] re-checks the choices against
//! the accounting platform at the start of each run; [`merchant_world`] decides which slots a
//! merchant is offered; [`books_fit`] refuses what the linked books would refuse later.

pub mod books_fit;
pub mod changes;
pub mod connections;
pub mod document;
pub mod error;
mod fee_tax_rate;
mod keyed_map;
pub mod merchant_world;
mod merge;
pub mod offered_reference;
pub mod options;
pub mod resolve;
pub mod runtime;
pub mod shapes;
pub mod validation;

pub use books_fit::check_books_fit;
pub use changes::validate_change;
pub use connections::validate_connections;
pub use document::*;
pub use error::{ConfigError, codes};
pub use merchant_world::{PushedFacts, percentage_key};
pub use offered_reference::reference_from_options;
pub use options::{OfferSpec, apply_selections, offer};
pub use runtime::{
    Selection, SelectionKind, check_against_reference, check_payment_types, payment_account_key,
    selections,
};
pub use shapes::{Parsed, Shape, parse_document, parse_str, to_current_json};
pub use validation::{parse_start_date, typed_schedule, validate};
