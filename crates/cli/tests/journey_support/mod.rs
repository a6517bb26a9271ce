//! What the journey tests share: the binary as a server, the merchant's week, the journey's steps.

#![allow(dead_code)]

pub mod books;
pub mod browser;
pub mod flow;
pub mod server;
pub mod week;
