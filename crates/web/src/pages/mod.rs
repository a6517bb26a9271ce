//! The pages people open in a browser: the merchant's Sync Flow (`/sync-flow/...`) and the
//! support staff's Sync Health (`/health/...`). Server-
//! rendered HTML (maud) that works without JavaScript; one stylesheet of our own. Pages call
//! the same functions as the API (configuration save, record creation, connections), never
//! a second copy.

pub mod assets;
pub mod branding;
pub mod flow;
pub mod health;
pub mod layout;
pub mod secrets;
pub mod session;
pub mod support_session;
pub mod text;
pub mod text_catalog;
