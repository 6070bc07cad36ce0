//! 人员管理 (HR and payroll). Built so far: the 个人所得税 calculator of the
//! 累计预扣法 (`iit`), which payroll will use and which finance uses to check a
//! case by hand (`POST /api/v1/payroll/iit/preview`). Staff records,
//! contracts, attendance, leave and the monthly payroll follow (ADR 0010).

pub mod http;
pub mod iit;
pub mod permissions;
pub mod words;

/// 人员管理.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "hr",
    label: "人员管理",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    audited_reads: &[],
    tags: &[("payroll", "薪酬：个人所得税累计预扣法试算")],
    tasks: None,
    permissions: permissions::PERMISSIONS,
    personal_data: &[],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: &[],
    notices: &[],
};

/// No tables yet: the calculator keeps nothing.
pub async fn migrate(_db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    Ok(())
}
