//! 数据可视化: the indicator dictionary (指标口径), facts projected from the
//! event log, the query API with row-level scope and drill-down, Excel export,
//! and 科学测算 window planning (Erlang C and a simulation). It reads only
//! the other modules' typed events — never their tables.

mod corrections;
mod cube;
pub mod dimensions;
pub mod drill;
pub mod events;
pub mod export;
pub mod facts;
pub mod follower;
pub mod http;
pub mod indicators;
mod labels;
mod measure;
pub mod migrations;
pub mod permissions;
pub mod planning;
mod project;
mod project_cases;
pub mod query;
pub mod report;
pub mod scope;
pub mod screen;
mod sql;
pub mod words;

pub use project::when;

/// 数据可视化.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "analytics",
    label: "数据可视化",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    audited_reads: &[("POST", "/api/v1/analytics/export")],
    tags: &[(
        "analytics",
        "数据可视化：指标口径、统计查询、下钻明细、导出与窗口测算",
    )],
    // Follows the event log into the facts.
    tasks: Some(follower::spawn),
    permissions: permissions::PERMISSIONS,
    personal_data: &[],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[],
};

pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None).await?;
    Ok(())
}
