//! 办件: unified intake at any window authorised for a matter (无差别受理), the
//! case lifecycle on the national status codes, promised-completion dates on the
//! working-day calendar with 补正 and 特别程序 pausing the clock, the department's
//! review and decision, the result back at the 出件 window, and delivery.

pub mod deadline;
pub mod documents;
mod entity;
pub mod events;
pub mod flags;
pub mod forms;
pub mod handover;
pub mod http;
pub mod intake;
pub mod joint;
pub mod lifecycle;
pub mod materials;
pub mod migrations;
pub mod moves;
pub mod notices;
pub mod numbering;
pub mod permissions;
pub mod rating;
pub mod result_file;
pub mod status;
pub mod store;
pub mod views;
pub mod words;

pub use http::router;

/// 办件.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "cases",
    label: "办件",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router,
    audited_reads: &[
        ("GET", "/api/v1/halls/{hall}/cases/{id}"),
        ("GET", "/api/v1/halls/{hall}/cases/{id}/documents/{kind}"),
        ("GET", "/api/v1/halls/{hall}/cases/{id}/result-file"),
        ("GET", "/api/v1/halls/{hall}/handovers/{id}/document"),
        ("GET", "/api/v1/halls/{hall}/case-bundles/{id}/document"),
    ],
    tags: &[(
        "cases",
        "办件：无差别受理、一次性告知、材料流转、部门办理、办结与出件",
    )],
    tasks: None,
    permissions: permissions::PERMISSIONS,
    personal_data: ENCRYPTED_TABLES,
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[
        ("case.accepted", "受理通知"),
        ("case.correction", "补正通知"),
        ("case.ready", "领取通知"),
        ("case.revoked", "撤销通知"),
        ("case.joint", "一件事联办受理通知"),
    ],
};

/// Brings the cases tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("办件数据迁移失败：{e}"))
}

/// The cases' encrypted columns and blind indexes, for `govhall rotate-key`.
const ENCRYPTED_TABLES: &[govhall_platform::keys::EncryptedTable] = &[
    govhall_platform::keys::EncryptedTable {
        label: "办件申请人",
        table: "cases",
        key: "id",
        columns: &[
            "query_code_enc",
            "applicant_cert_enc",
            "contact_phone_enc",
            "agent_cert_enc",
            "recipient_cert_enc",
            "form_data_enc",
        ],
        indexes: &[("applicant_idx", &["applicant_cert_enc"])],
    },
    govhall_platform::keys::EncryptedTable {
        label: "一件事联办件",
        table: "case_bundles",
        key: "id",
        columns: &["query_code_enc"],
        indexes: &[],
    },
    govhall_platform::keys::EncryptedTable {
        label: "办件结果文件",
        table: "case_result_files",
        key: "case_id",
        columns: &["body_enc"],
        indexes: &[],
    },
];
