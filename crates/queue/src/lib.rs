//! 预约取叫号: the calling policy (pure, ordered rules), service lines and
//! window skills, tickets (issue, call next as one serialized step per hall,
//! window actions), appointments, screens' board, estimates, the holder's SMS
//! and 好差评.

pub mod appointments;
pub mod board;
pub mod engine;
pub mod entity;
pub mod estimate;
pub mod http;
pub mod lines;
pub mod migrations;
pub mod notices;
pub mod policy;
pub mod ratings;
pub mod reminders;
pub mod retention;
pub mod settings;
pub mod tickets;
pub mod voice;
pub mod wechat;

pub use http::{ACCESS, router};

/// Migrates the queue tables and registers the queue's services on the state.
pub async fn open(state: &govhall_platform::AppState) -> anyhow::Result<()> {
    migrate(&state.db).await?;
    state.insert_extension(std::sync::Arc::new(estimate::Estimator::default()));
    state.insert_extension(std::sync::Arc::new(engine::Engines::new(&state.bus)));
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
pub const ENCRYPTED_TABLES: &[govhall_platform::keys::EncryptedTable] = &[
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
        columns: &["phone_enc", "id_enc"],
        indexes: &[
            ("phone_idx", &["phone_enc"]),
            ("person_idx", &["id_enc", "phone_enc"]),
        ],
    },
    govhall_platform::keys::EncryptedTable {
        label: "评价人证件",
        table: "queue_ratings",
        key: "id",
        columns: &["applicant_id_enc"],
        indexes: &[],
    },
];
