//! The configuration document: how a merchant's sales land in its books.
//!
//! [`shapes`] reads any of its three historical shapes into the typed [`ConfigDocument`] and
//! emits the current one.

pub mod document;
pub mod error;
mod keyed_map;
pub mod shapes;

pub use document::*;
pub use error::{ConfigError, codes};
pub use shapes::{Parsed, Shape, parse_document, parse_str, to_current_json};
