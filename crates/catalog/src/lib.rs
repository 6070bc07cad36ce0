//! 事项梳理: the service-item catalog — 实施清单 items with their handling
//! items, materials, fees, steps and FAQs; the scenario model (情形化) and its
//! resolver; versions with a publish workflow and readable diffs; 一件事
//! bundles with a deduplicated joint checklist; JSON and Excel interchange;
//! and a Chinese full-text search index derived from the published catalog.

pub mod bundle;
pub mod bundles;
pub mod choices;
pub mod diff;
mod entity;
pub mod events;
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
pub mod permissions;
pub mod scenario;
pub mod search;
pub mod semantic;
pub mod service;
pub mod transfer;
pub mod understand;
pub mod words;

pub use http::router;
pub use indexing::{migrate, open};

/// 事项梳理.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "catalog",
    label: "事项库",
    migrate: govhall_platform::migrate_fn!(indexing::migrate),
    // The search index under the data directory, rebuilt when out of step.
    open: Some(govhall_platform::hook_fn!(indexing::open)),
    router,
    audited_reads: &[("GET", "/api/v1/halls/{hall}/catalog/export")],
    tags: &[(
        "catalog",
        "事项库：实施清单、情形、版本、一件事、导入导出、检索",
    )],
    // Follows other instances' catalog changes into this one's index.
    tasks: Some(|state| follow::spawn(state.clone())),
    permissions: permissions::PERMISSIONS,
    // Not personal data but a secret: the embeddings endpoint's key rotates with the others.
    personal_data: &[govhall_platform::keys::EncryptedTable {
        label: "语义检索服务密钥",
        table: "catalog_embedding_settings",
        key: "hall_id",
        columns: &["api_key_enc"],
        indexes: &[],
    }],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[("guide_link", "办事指南链接")],
};
