//! The platform every govhall module stands on: configuration, storage and
//! migrations, the HTTP conventions (errors, JSON extraction, paging), sign-in
//! and roles, the append-only event log with its live feed, key rotation,
//! metrics, caches and the module descriptor every module gives of itself.

pub mod access;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod client_ip;
pub mod config;
pub mod db;
pub mod events;
pub mod halls;
pub mod hardening;
pub mod keys;
pub mod metrics;
pub mod module;
pub mod periodic;
pub mod state;
pub mod vocabulary;
pub mod words;

pub use state::AppState;

// For the module macros (`migrate_fn!`, `hook_fn!`) used in other crates.
pub use futures;
pub use sea_orm;

use module::Module;
use utoipa_axum::router::OpenApiRouter;

/// The platform's own part: sign-in, accounts and roles, devices, the audit
/// log and the event log with its live feed.
pub static MODULE: Module = Module {
    name: "platform",
    label: "平台",
    migrate: migrate_fn!(db::migrate),
    open: None,
    router: || {
        OpenApiRouter::new()
            .merge(auth::http::router())
            .merge(auth::accounts::router())
            .merge(auth::devices::router())
            .merge(auth::roles::router())
            .merge(audit::http::router())
            .merge(events::http::router())
    },
    audited_reads: &[
        ("GET", "/api/v1/halls/{hall}/events"),
        ("GET", "/api/v1/halls/{hall}/events/recent"),
        ("GET", "/api/v1/security/users"),
    ],
    tags: &[
        ("auth", "登录与会话"),
        ("security", "安全管理：账号、角色、会话"),
        ("audit", "审计日志（仅审计管理员）"),
        ("devices", "终端设备与设备令牌"),
        ("events", "事件日志与实时推送"),
    ],
    // On PostgreSQL, events committed by other instances reach this one's feed.
    tasks: Some(|state| events::bridge::spawn(state.clone())),
    permissions: auth::permissions::PLATFORM,
    personal_data: &[keys::EncryptedTable {
        label: "动态口令密钥",
        table: "users",
        key: "id",
        columns: &["totp_secret_enc"],
        indexes: &[],
    }],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: auth::event_types::EVENTS,
    notices: &[],
};
