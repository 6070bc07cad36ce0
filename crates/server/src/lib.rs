//! The govhall server: wires every module's router, the operational
//! endpoints, the OpenAPI document and the embedded web terminals.

pub mod app;
pub mod bench;
pub mod bench_analytics;
pub mod bench_cases;
pub mod bench_hr;
pub mod bench_performance;
pub mod bench_pg;
pub mod bench_queue;
pub mod bench_soak;
pub mod bench_training;
pub mod catalog_cli;
pub mod demo;
pub mod event_catalogue;
pub mod guidance_eval;
pub mod history;
pub mod ops;
pub mod report_cli;
pub mod web;

pub use app::{MODULES, build_router, migrate, open_state, serve};
