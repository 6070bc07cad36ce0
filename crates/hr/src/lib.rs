//! 人员管理 (HR and payroll). Built so far: 人事档案 with the ID and salary
//! card encrypted (`profiles`), the 专项附加扣除 declared (`deductions`),
//! 五险一金 rates by city and period (`contributions`), the month's pay
//! items (`pay_items`), the monthly payroll run with approval and closing
//! (`payroll`, `payslip`), the 个人所得税 by the 累计预扣法 (`iit`), payslips
//! for each person (`my_pay`, `payslip_pdf`) and the bank's 代发 file
//! (`bank_file`); leave with its types, balances and approval, which the
//! counter's sign-in respects (`leave`, `leave_types`); 入职 (`onboarding`),
//! 转正/调岗/离职 with checklists (`changes`), applied by the clock
//! (`sweep`), and 窗口授权 (`grants`); 劳动合同 (`contracts`), the monthly
//! staff report (`status_report`); shifts, roster, clock marks and the
//! monthly attendance sheet (`attendance`); 工装 (`uniforms`) and 福利
//! (`welfare`); 招聘 from opening to hire (`recruitment`); the hall's own
//! pay components by formula (`pay_components`) (ADR 0010).

// Amounts are written yuan_fen throughout (`36_000_00` is 36,000.00 yuan).
#![allow(clippy::inconsistent_digit_grouping)]

pub mod assessment_results;
pub mod attendance;
pub mod bank_file;
pub mod changes;
pub mod contract_scans;
pub mod contracts;
pub mod contributions;
pub mod deductions;
pub mod demo;
mod entity;
pub mod events;
pub mod grants;
pub mod groups;
pub mod http;
pub mod iit;
pub mod leave;
pub mod leave_types;
mod migrations;
pub mod money;
pub mod month;
pub mod my_pay;
pub mod onboarding;
pub mod pay_components;
pub mod pay_items;
pub mod payroll;
pub mod payroll_exports;
pub mod payslip;
mod payslip_pdf;
pub mod permissions;
pub mod profiles;
pub mod recruitment;
pub mod status_report;
pub mod sweep;
pub mod uniforms;
pub mod welfare;
pub mod words;

/// The service API other modules and the benchmarks call.
pub mod service {
    pub use crate::assessment_results::{
        AssessmentResult, record as record_assessment, record_butler,
    };
    pub use crate::contributions::create as create_rate;
    pub use crate::pay_items::create as create_pay_item;
    pub use crate::payroll::{approve as approve_month, compute as compute_month};
    pub use crate::profiles::save as save_profile;
}

/// 人员管理.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "hr",
    label: "人员管理",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: Some(govhall_platform::hook_fn!(open)),
    router: http::router,
    // Salaries, full numbers and leave reasons (health) are read only
    // through these, each logged.
    audited_reads: &[
        ("GET", "/api/v1/halls/{hall}/hr/profiles/{staff}"),
        ("GET", "/api/v1/halls/{hall}/payroll/runs/{month}"),
        (
            "GET",
            "/api/v1/halls/{hall}/payroll/runs/{month}/payslips/{staff}",
        ),
        ("GET", "/api/v1/halls/{hall}/payroll/runs/{month}/bank-file"),
        ("GET", "/api/v1/halls/{hall}/payroll/runs/{month}/register"),
        (
            "GET",
            "/api/v1/halls/{hall}/payroll/runs/{month}/declarations",
        ),
        ("GET", "/api/v1/halls/{hall}/hr/leave-requests"),
        ("GET", "/api/v1/halls/{hall}/hr/my-group/leave-requests"),
        ("GET", "/api/v1/halls/{hall}/hr/status-report/printable"),
        ("GET", "/api/v1/halls/{hall}/hr/status-report/spreadsheet"),
        ("GET", "/api/v1/halls/{hall}/hr/contracts/{id}/scans/{scan}"),
    ],
    tags: &[
        ("hr", "人事档案：身份证号、工资卡号（加密）与薪资结构"),
        (
            "payroll",
            "薪酬：五险一金、月度工资核算与关账、工资条、代发文件、个税试算",
        ),
    ],
    tasks: Some(sweep::spawn),
    permissions: permissions::PERMISSIONS,
    personal_data: &[
        govhall_platform::keys::EncryptedTable {
            label: "人事档案",
            table: "hr_profiles",
            key: "staff_id",
            columns: &["id_card_enc", "bank_card_enc", "pay_enc"],
            indexes: &[("id_card_idx", &["id_card_enc"])],
        },
        govhall_platform::keys::EncryptedTable {
            label: "工资条",
            table: "hr_payslips",
            key: "id",
            columns: &["detail_enc"],
            indexes: &[],
        },
        govhall_platform::keys::EncryptedTable {
            label: "请假事由",
            table: "hr_leave_requests",
            key: "id",
            columns: &["reason_enc"],
            indexes: &[],
        },
        govhall_platform::keys::EncryptedTable {
            label: "应聘人员手机号与录用薪资",
            table: "hr_candidates",
            key: "id",
            columns: &["phone_enc", "offer_enc"],
            indexes: &[("phone_idx", &["phone_enc"])],
        },
        govhall_platform::keys::EncryptedTable {
            label: "劳动合同扫描件",
            table: "hr_contract_scans",
            key: "id",
            columns: &["content_enc"],
            indexes: &[],
        },
        govhall_platform::keys::EncryptedTable {
            label: "工资调整项",
            table: "hr_pay_items",
            key: "id",
            columns: &["detail_enc"],
            indexes: &[],
        },
    ],
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
        .map_err(|e| anyhow::anyhow!("人员管理数据迁移失败：{e}"))
}

/// Registers the counter's sign-in checks: no sign-in on a day of approved
/// leave, nor at a window one is not authorised for.
async fn open(state: &govhall_platform::AppState) -> anyhow::Result<()> {
    govhall_directory::window_sessions::add_sign_in_check(state, leave::sign_in_check);
    govhall_directory::window_sessions::add_sign_in_check(state, grants::sign_in_check);
    Ok(())
}
