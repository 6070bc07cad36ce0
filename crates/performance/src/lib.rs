//! 绩效与积分 (performance). Built so far: the quarterly assessment — the
//! KPI scheme per quarter and post with weights and scoring formulas
//! (`schemes`, `scoring`), figures gathered from the analytics indicators,
//! the HR attendance sheet and the training exams (`figures`,
//! `training_scores`) with the records behind each (`evidence`),
//! self-assessment, review, acknowledgement or appeal, and the grades with
//! the 优秀 quota (`assessments`, `grading`), passed to the payroll through
//! the HR service API; the 积分制 ledger settled from each month's figures
//! and awards by hand (`points`), the ranking, 服务之星 and 流动红旗
//! (`honors`); 异常服务行为 findings by the hall's rules and the weekly
//! bulletin (`findings`, `finding_rules`); 金牌管家 (`butlers`); 能力画像
//! and the 交叉轮岗 plan (`capability`, `rotation`); 导师结对 (`mentors`);
//! 业务竞赛 with exam rounds from the training bank and judged practical
//! rounds (`competitions`) (ADR 0011).

pub mod assessments;
pub mod butlers;
pub mod capability;
pub mod catalog;
pub mod competitions;
pub mod demo;
mod entity;
pub mod events;
pub mod evidence;
pub mod figures;
pub mod finding_rules;
pub mod findings;
pub mod grading;
pub mod honors;
pub mod http;
pub mod idle;
pub mod mentors;
mod migrations;
pub mod permissions;
pub mod points;
pub mod quarter;
pub mod rotation;
pub mod rotation_plans;
pub mod schemes;
pub mod scoring;
mod staff;
pub mod training_scores;
pub mod words;

/// The service API other modules and the benchmarks call.
pub mod service {
    pub use crate::assessments::{compute as compute_quarter, detail as assessment_of};
    pub use crate::evidence::of as evidence_of;
    pub use crate::points::settle as settle_month;
    pub use crate::schemes::save as save_scheme;
}

/// 绩效与积分.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "performance",
    label: "绩效与积分",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    audited_reads: &[],
    tags: &[(
        "performance",
        "绩效考核：季度考核方案、依据证据的指标、自评评定申诉与等次",
    )],
    tasks: Some(rotation_plans::spawn),
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
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("绩效考核数据迁移失败：{e}"))
}
