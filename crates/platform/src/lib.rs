//! The platform every govhall module stands on: configuration, storage and
//! migrations, the HTTP conventions (errors, JSON extraction, paging), sign-in
//! and roles, the append-only event log with its live feed, the hall directory
//! and the working-day calendar.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod calendar;
pub mod client_ip;
pub mod config;
pub mod db;
pub mod directory;
pub mod events;
pub mod hardening;
pub mod keys;
pub mod metrics;
pub mod notify;
pub mod state;

pub use state::AppState;
