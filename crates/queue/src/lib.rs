//! 预约取叫号. So far: the calling policy (pure, ordered rules), service lines
//! and window skills, and the hot path — issue a ticket, call next (select and
//! mark as one serialized step per hall), finish, the queue and a citizen's
//! ticket. Appointments, transfers, screens, voice, notifications and ratings
//! arrive with the rest of issue 5.

pub mod board;
pub mod entity;
pub mod estimate;
pub mod http;
pub mod lines;
pub mod migrations;
pub mod policy;
pub mod ratings;
pub mod settings;
pub mod tickets;

pub use http::{ACCESS, router};

/// Migrates the queue tables and registers the queue's services on the state.
pub async fn open(state: &govhall_platform::AppState) -> anyhow::Result<()> {
    migrate(&state.db).await?;
    state.insert_extension(std::sync::Arc::new(estimate::Estimator::default()));
    Ok(())
}

/// Brings the queue tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("叫号数据迁移失败：{e}"))
}
