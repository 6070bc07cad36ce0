//! 预约取叫号: the calling policy (pure, ordered rules), service lines and
//! window skills, tickets (issue, call next as one serialized step per hall,
//! window actions), appointments, screens' board, estimates, the holder's SMS
//! and rating a visit (the ratings themselves are `govhall-ratings`).

pub mod appointments;
pub mod assists;
pub mod board;
pub mod engine;
mod entity;
pub mod estimate;
pub mod events;
pub mod http;
pub mod kiosk_limit;
pub mod lines;
pub mod migrations;
pub mod notices;
pub mod permissions;
pub mod policy;
pub mod ratings;
pub mod reminders;
pub mod retention;
pub mod service;
pub mod settings;
pub mod tickets;
pub mod voice;
pub mod wechat;
pub mod words;

pub use http::router;

/// 预约取叫号.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "queue",
    label: "预约取叫号",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: Some(govhall_platform::hook_fn!(open)),
    router,
    audited_reads: &[
        ("GET", "/api/v1/halls/{hall}/appointments"),
        ("GET", "/api/v1/tickets/{id}/visits"),
        ("GET", "/api/v1/halls/{hall}/assists/{id}/phone"),
    ],
    tags: &[
        ("queue", "取叫号：业务队列、取号、叫号、办结"),
        ("appointments", "预约：时段、短信验证、预约与签到"),
        ("reception", "导服台：代取号、绿色通道、帮办代办台账"),
    ],
    // Booking reminders, once a minute.
    tasks: Some(reminders::spawn),
    permissions: permissions::PERMISSIONS,
    personal_data: ENCRYPTED_TABLES,
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[
        ("ticket.issued", "取号成功"),
        ("ticket.soon", "即将叫到"),
        ("ticket.called", "叫号"),
        ("ticket.transferred", "转号"),
        ("ticket.finished", "办结评价"),
        ("appointment.booked", "预约成功"),
        ("appointment.cancelled", "预约取消"),
        ("appointment.reminder", "预约提醒"),
    ],
};

/// Registers the queue's services on the state: the per-hall engines and the estimator.
pub async fn open(state: &govhall_platform::AppState) -> anyhow::Result<()> {
    state.insert_extension(std::sync::Arc::new(estimate::Estimator::default()));
    state.insert_extension(std::sync::Arc::new(engine::Engines::new(&state.bus)));
    state.insert_extension(kiosk_limit::KioskLimit::from_config(
        state.config.kiosk_tickets_per_minute,
    ));
    appointments::protect_legacy_codes(state).await?;
    Ok(())
}

/// Brings the queue tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("叫号数据迁移失败：{e}"))
}

/// The queue's encrypted columns and blind indexes, for `govhall rotate-key`.
const ENCRYPTED_TABLES: &[govhall_platform::keys::EncryptedTable] = &[
    govhall_platform::keys::EncryptedTable {
        label: "号票持有人",
        table: "queue_tickets",
        key: "id",
        columns: &["id_enc", "phone_enc", "wechat_openid_enc"],
        indexes: &[("person_idx", &["id_enc", "phone_enc"])],
    },
    govhall_platform::keys::EncryptedTable {
        label: "预约人",
        table: "queue_appointments",
        key: "id",
        columns: &["phone_enc", "id_enc", "code_enc"],
        indexes: &[
            ("phone_idx", &["phone_enc"]),
            ("code", &["code_enc"]),
            ("person_idx", &["id_enc", "phone_enc"]),
        ],
    },
    govhall_platform::keys::EncryptedTable {
        label: "帮办代办群众",
        table: "queue_assists",
        key: "id",
        columns: &["citizen_phone_enc"],
        indexes: &[],
    },
];
