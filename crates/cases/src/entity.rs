//! Case tables: the case record (fields used in upstream exchange, `cases.md`),
//! its materials with their handover state, its history, and the per-hall daily
//! numbering.

pub mod case {
    use sea_orm::entity::prelude::*;

    /// 办件.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// 办件编号 (实施编码 + date + daily sequence).
        pub number: String,
        /// 查询密码, encrypted (printed on the receipt; the progress page asks for it).
        pub query_code_enc: String,
        pub item_id: String,
        /// 实施编码 and the item version the case was received under.
        pub task_code: String,
        pub item_version: i32,
        pub item_name: String,
        /// 办理项 chosen by the scenario.
        pub handling_item: String,
        /// 即办件 / 承诺件
        pub project_type: String,
        /// 一件事 bundle code, when received as part of one.
        pub bundle_code: Option<String>,
        /// The joint intake (`case_bundles`) it was received in.
        pub bundle_id: Option<String>,
        pub ticket_id: Option<String>,
        pub ticket_number: Option<String>,
        /// 申报来源: 一窗综合受理 / 窗口 / 网上 / 移动端 / 自助终端
        pub source: String,
        /// The window that received it.
        pub window_id: String,
        /// The competent department (directory id) and its name and code from the item.
        pub department_id: Option<String>,
        pub department_name: String,
        pub department_code: String,
        /// person / organization
        pub applicant_type: String,
        pub applicant_name: String,
        /// 身份证 / 统一社会信用代码
        pub applicant_cert_type: String,
        pub applicant_cert_enc: String,
        /// Blind index of the certificate number (find a person's cases).
        pub applicant_idx: String,
        pub legal_rep: Option<String>,
        pub contact_name: String,
        pub contact_phone_enc: String,
        pub agent_name: Option<String>,
        pub agent_cert_enc: Option<String>,
        /// National status code 1–15.
        pub status: i32,
        /// `status::Stage` code.
        pub stage: String,
        /// In 补正 asked by the department (returns to review, not to acceptance).
        pub correcting_after_acceptance: bool,
        /// Scenario answers (JSON), so the checklist can be shown again.
        #[sea_orm(column_type = "Text")]
        pub answers: String,
        /// What the last 一次性告知书 listed (JSON array of text).
        #[sea_orm(column_type = "Text")]
        pub correction_items: String,
        /// 不予受理 / 不受理 reason and the competent agency to turn to.
        pub refuse_reason: Option<String>,
        pub competent_agency: Option<String>,
        /// Promised limit and its unit (工作日 / 自然日).
        pub limit_days: i32,
        pub limit_unit: String,
        pub received_at: DateTimeUtc,
        pub received_by: Option<String>,
        pub received_by_name: String,
        pub accepted_at: Option<DateTimeUtc>,
        pub accepted_on: Option<Date>,
        /// Promised completion date, moved by every pause.
        pub due_on: Option<Date>,
        /// The clock stopped on this day (补正 after acceptance or 特别程序).
        pub paused_on: Option<Date>,
        /// Days the clock has been stopped so far, in the limit's unit.
        pub paused_days: i32,
        pub decided_at: Option<DateTimeUtc>,
        /// 准予 / 容缺通过 / 不予
        pub result: Option<String>,
        pub result_reason: Option<String>,
        pub certificate_name: Option<String>,
        pub certificate_no: Option<String>,
        pub valid_until: Option<Date>,
        /// 窗口领取 / 邮寄 / 电子送达
        pub delivery_method: Option<String>,
        pub tracking_no: Option<String>,
        pub recipient_name: Option<String>,
        pub recipient_cert_enc: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
        /// The materials' digitized form fields (JSON name → value), encrypted:
        /// they repeat names, phones and addresses.
        #[sea_orm(column_type = "Text", nullable)]
        pub form_data_enc: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod material {
    use sea_orm::entity::prelude::*;

    /// One line of a case's checklist and how it was received.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_materials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub case_id: String,
        /// The item version's material id.
        pub material_id: String,
        pub name: String,
        /// 必要 / 非必要 / 容缺
        pub necessity: String,
        pub copies: i32,
        /// `intake::Way` code.
        pub way: String,
        /// 容缺: the day the applicant promised to bring it.
        pub promised_on: Option<Date>,
        /// `intake::Handover` code: 前台已收 → 已交接 → 后台已签收 → 已归还.
        pub handover: String,
        pub note: Option<String>,
        pub sort_order: i32,
        /// When the paper last moved (补交, 送交, 签收, 归还): how long a step waits.
        pub moved_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod step {
    use sea_orm::entity::prelude::*;

    /// One entry of a case's history (the progress page and the upstream steps).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub case_id: String,
        pub seq: i32,
        pub at: DateTimeUtc,
        /// `status::Action` code, or `receive`.
        pub action: String,
        pub stage: String,
        pub status: i32,
        pub actor_id: Option<String>,
        pub actor_name: String,
        /// 审查意见, 补正 items, special procedure reason, …
        #[sea_orm(column_type = "Text")]
        pub opinion: String,
        /// 特别程序 kind, when it starts one.
        pub special_kind: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod counter {
    use sea_orm::entity::prelude::*;

    /// The last case number issued in a hall on a day.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_day_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        /// `YYYYMMDD`
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: String,
        pub last_seq: i32,
    }
    govhall_platform::no_relations!();
}

pub mod handover {
    use sea_orm::entity::prelude::*;

    /// 材料交接单: the front desk hands several cases' materials to one department.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_handovers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// 交接单号: `JJ` + `YYYYMMDD` + three-digit daily sequence.
        pub number: String,
        pub department_id: Option<String>,
        pub department_name: String,
        pub created_at: DateTimeUtc,
        pub created_by_name: String,
        pub signed_at: Option<DateTimeUtc>,
        pub signed_by_name: Option<String>,
        /// Every case on it went back to the front desk (nothing left to sign).
        pub returned_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod handover_case {
    use sea_orm::entity::prelude::*;

    /// A case on a handover sheet.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_handover_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub handover_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        /// The department sent this case back instead of signing.
        pub returned_at: Option<DateTimeUtc>,
        pub returned_by_name: Option<String>,
        pub return_reason: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod template {
    use sea_orm::entity::prelude::*;

    /// A hall's own wording for one printed document (absent: the default).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_document_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        /// `documents::Kind` code.
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        #[sea_orm(column_type = "Text")]
        pub footer: String,
        pub updated_at: DateTimeUtc,
        pub updated_by_name: String,
    }
    govhall_platform::no_relations!();
}

pub mod settings {
    use sea_orm::entity::prelude::*;

    /// A hall's case settings (only the number pattern so far).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        pub number_pattern: String,
        pub updated_at: DateTimeUtc,
        pub updated_by_name: String,
    }
    govhall_platform::no_relations!();
}

pub mod result_file {
    use sea_orm::entity::prelude::*;

    /// A case's result document (证照 / 批文 scan), one per case.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_result_files")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        pub hall_id: String,
        pub name: String,
        pub content_type: String,
        pub size: i64,
        /// SM3 of the plain bytes (the audit trail names the exact file).
        pub sm3: String,
        /// The bytes, base64 then encrypted with the personal-data key.
        #[sea_orm(column_type = "Text")]
        pub body_enc: String,
        pub uploaded_at: DateTimeUtc,
        pub uploaded_by_name: String,
    }
    govhall_platform::no_relations!();
}

pub mod case_bundle {
    use sea_orm::entity::prelude::*;

    /// 一件事 received as one joint intake: one number and 查询密码 over the
    /// member cases (which point back with `bundle_id`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_bundles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// 一件事编号: `YJS` + `YYYYMMDD` + four-digit daily sequence.
        pub number: String,
        pub bundle_code: String,
        pub bundle_name: String,
        pub applicant_name: String,
        pub query_code_enc: String,
        pub window_id: String,
        pub received_at: DateTimeUtc,
        pub received_by_name: String,
        /// JSON `[{task_code, task_name, reason}]`: members the answers made unnecessary.
        #[sea_orm(column_type = "Text")]
        pub not_needed: String,
    }
    govhall_platform::no_relations!();
}
