//! 事项梳理: the service-item catalog — 实施清单 items with their handling
//! items, materials, fees, steps and FAQs; the scenario model (情形化) and its
//! resolver; versions with a publish workflow and readable diffs; 一件事
//! bundles with a deduplicated joint checklist; JSON and Excel interchange;
//! and a Chinese full-text search index derived from the published catalog.

pub mod bundle;
pub mod bundles;
pub mod choices;
pub mod diff;
pub mod entity;
pub mod excel;
pub mod follow;
pub mod guide_links;
pub mod http;
pub mod indexing;
pub mod interchange;
pub mod items;
pub mod migrations;
pub mod misses;
pub mod model;
pub mod scenario;
pub mod search;
pub mod transfer;

pub use http::{ACCESS, router};
pub use indexing::{migrate, open};
