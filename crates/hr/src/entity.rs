//! The HR tables (private to the module; other modules use the service API).

pub mod profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_profiles")]
    pub struct Model {
        /// The directory's staff id.
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        /// 居民身份证号, SM4-encrypted.
        pub id_card_enc: Option<String>,
        /// Its blind index: one person is not filed twice in a hall.
        pub id_card_idx: Option<String>,
        /// 工资卡号, SM4-encrypted.
        pub bank_card_enc: Option<String>,
        /// 开户银行.
        pub bank_name: String,
        /// The city whose 五险一金 rates apply (参保地).
        pub city: String,
        /// 入职日期 with this employer.
        pub hired_on: Option<Date>,
        /// 参加工作日期: 年休假 counts every year worked, anywhere.
        pub work_started_on: Option<Date>,
        /// The year's first wages are ours (公告2020年第13号): the basic
        /// deduction counts from January.
        pub deduction_from_january: bool,
        /// The salary structure and the 专项附加扣除 (JSON), SM4-encrypted.
        pub pay_enc: Option<String>,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod rate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_contribution_rates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub city: String,
        /// `pension`, `medical`, `unemployment`, `injury`, `maternity`, `housing_fund`.
        pub item: String,
        pub effective_from: Date,
        pub effective_to: Option<Date>,
        pub base_floor_fen: i64,
        pub base_ceiling_fen: i64,
        /// Rates in hundredths of a percent (16 % = 1600).
        pub employer_rate_bp: i32,
        pub employee_rate_bp: i32,
        /// `fen` or `yuan`: how the agency rounds each amount.
        pub rounding: String,
        /// The document the figures come from.
        #[sea_orm(column_type = "Text")]
        pub source: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod pay_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_pay_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// The month it is paid in, `YYYY-MM`.
        pub month: String,
        pub kind: String,
        /// Amount and reason (JSON), SM4-encrypted.
        #[sea_orm(column_type = "Text")]
        pub detail_enc: String,
        /// The closed month it corrects, if any.
        pub refers_month: Option<String>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod run {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_payroll_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub month: String,
        /// `draft` (recomputable) or `approved` (closed).
        pub status: String,
        pub staff_count: i32,
        /// The totals by cost item (JSON, no one's own figures).
        #[sea_orm(column_type = "Text")]
        pub totals: String,
        pub computed_at: DateTimeUtc,
        pub computed_by: String,
        pub approved_at: Option<DateTimeUtc>,
        pub approved_by: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod payslip {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_payslips")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub run_id: String,
        pub hall_id: String,
        pub staff_id: String,
        pub month: String,
        /// The whole payslip (JSON), SM4-encrypted.
        #[sea_orm(column_type = "Text")]
        pub detail_enc: String,
    }
    govhall_platform::no_relations!();
}

pub mod settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        /// The bank file's columns (JSON).
        #[sea_orm(column_type = "Text")]
        pub bank_layout: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod leave_type {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_leave_types")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// `annual`, `sick`, `personal`, `marriage`, `maternity`, `paternity`, `parental`, `compensatory`.
        pub code: String,
        pub name: String,
        /// `seniority` (年休假 by years worked), `per_year`, `per_event`, `unlimited`.
        pub rule: String,
        /// Days a year (`per_year`) or per occasion (`per_event`).
        pub days: i32,
        /// Counted in working days (rest days and holidays left out), else calendar days.
        pub working_days: bool,
        pub paid: bool,
        /// The rule's source, shown to whoever asks.
        #[sea_orm(column_type = "Text")]
        pub source: String,
        pub sort_order: i32,
    }
    govhall_platform::no_relations!();
}

pub mod leave_request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_leave_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        pub type_code: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub days: i32,
        /// The reason (a sick leave's may be about health), SM4-encrypted.
        #[sea_orm(column_type = "Text")]
        pub reason_enc: String,
        /// `pending`, `approved`, `rejected`, `cancelled`.
        pub status: String,
        pub decided_by: Option<String>,
        pub decided_at: Option<DateTimeUtc>,
        pub opinion: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_changes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// `onboard`, `regularize`, `transfer`, `leave`.
        pub kind: String,
        /// The hire date, the 转正 date, the transfer's date, the last working day.
        pub effective_on: Date,
        /// `open` or `done`.
        pub status: String,
        /// What the change is (JSON): a transfer's new department and post, a reason.
        #[sea_orm(column_type = "Text")]
        pub detail: String,
        /// The hand-ticked checklist items (JSON).
        #[sea_orm(column_type = "Text")]
        pub checklist: String,
        /// A transfer was put into the directory; a leaver's accounts were disabled.
        pub applied: bool,
        pub created_by: String,
        pub created_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod window_grant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_window_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub window_id: String,
        pub hall_id: String,
        pub granted_by: String,
        pub granted_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod contract {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_contracts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// 合同编号.
        pub number: String,
        /// `fixed` (固定期限), `open_ended` (无固定期限), `task` (以完成一定工作任务为期限), `service` (劳务协议).
        pub kind: String,
        pub signed_on: Date,
        pub starts_on: Date,
        /// Absent for an open-ended contract.
        pub ends_on: Option<Date>,
        pub probation_months: i32,
        /// The contract this one renews.
        pub renews_id: Option<String>,
        pub terminated_on: Option<Date>,
        pub termination_reason: String,
        pub note: String,
        /// The expiry reminders given: 60 then 30 (days ahead).
        pub reminded: i32,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod establishment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_establishment")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        /// `window_staff`, `dept_reviewer`, `center_admin`, `guide`.
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: String,
        /// 编制: the approved headcount.
        pub headcount: i32,
    }
    govhall_platform::no_relations!();
}

pub mod shift {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_shifts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub code: String,
        pub name: String,
        /// `HH:MM`, the hall's time.
        pub starts_at: String,
        pub ends_at: String,
        /// 迟到宽限: a first mark this many minutes after the start is not late.
        pub grace_minutes: i32,
        /// The shift of a working day nobody rostered otherwise.
        pub is_default: bool,
        pub sort_order: i32,
    }
    govhall_platform::no_relations!();
}

pub mod roster_day {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_roster")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        pub hall_id: String,
        /// A shift's code, or `rest`.
        pub shift_code: String,
        pub set_by: String,
        pub set_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod punch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_punches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        pub at: DateTimeUtc,
        /// `qr` (phone scan of the hall screen's code), `machine` (an
        /// attendance machine's export), `correction` (补卡, approved).
        pub source: String,
        pub note: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod correction {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_corrections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// The mark asked for.
        pub at: DateTimeUtc,
        pub reason: String,
        /// `pending`, `approved`, `rejected`.
        pub status: String,
        pub decided_by: Option<String>,
        pub decided_at: Option<DateTimeUtc>,
        pub opinion: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod swap {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_swaps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// Who asks: their `day` goes to the other, the other's `other_day` to them.
        pub staff_id: String,
        pub day: Date,
        pub other_staff_id: String,
        pub other_day: Date,
        pub reason: String,
        /// `pending`, `approved`, `rejected`.
        pub status: String,
        pub decided_by: Option<String>,
        pub decided_at: Option<DateTimeUtc>,
        pub opinion: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod uniform_size {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_uniform_sizes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        /// 上装号型, e.g. `170/92A` (GB/T 1335) or `L`.
        pub top: String,
        /// 下装号型, e.g. `170/76A`.
        pub bottom: String,
        /// 鞋码 (35–48).
        pub shoes: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod uniform_batch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_uniform_batches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub year: i32,
        /// `spring_autumn`, `summer`, `winter`.
        pub season: String,
        /// What was bought (衬衫, 西装套装, 马甲, 皮鞋 …).
        pub item: String,
        pub supplier: String,
        pub unit_price_fen: i64,
        pub quantity: i32,
        pub purchased_on: Date,
        pub note: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod uniform_issue {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_uniform_issues")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub batch_id: String,
        pub staff_id: String,
        pub size: String,
        pub quantity: i32,
        /// A replacement (worn out, damaged, wrong size) rather than the season's issue.
        pub replacement: bool,
        pub reason: String,
        pub issued_on: Date,
        pub issued_by: String,
    }
    govhall_platform::no_relations!();
}

pub mod welfare_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_welfare_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        /// `holiday` (节日福利), `checkup` (体检), `other`.
        pub kind: String,
        pub day: Date,
        pub unit_cost_fen: i64,
        pub note: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod welfare_receipt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_welfare_receipts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        pub received_on: Date,
        pub recorded_by: String,
    }
    govhall_platform::no_relations!();
}

pub mod opening {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_openings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// The directory's post code (`window_staff` …).
        pub position: String,
        pub title: String,
        pub headcount: i32,
        /// Why (a leaver replaced, the 编制 grown …).
        pub reason: String,
        /// `open` or `closed`.
        pub status: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod candidate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_candidates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub opening_id: String,
        pub name: String,
        /// 手机号, SM4-encrypted.
        #[sea_orm(column_type = "Text")]
        pub phone_enc: String,
        /// Its blind index: one application per person and opening.
        pub phone_idx: String,
        pub source: String,
        /// `applied`, `interview`, `offer`, `hired`, `rejected`, `withdrawn`.
        pub stage: String,
        pub interview_at: Option<DateTimeUtc>,
        pub interviewer: String,
        /// 面试成绩, 0–100.
        pub score: Option<i32>,
        #[sea_orm(column_type = "Text")]
        pub notes: String,
        pub offer_start: Option<Date>,
        /// The offered monthly salary (fen, as JSON), SM4-encrypted.
        #[sea_orm(column_type = "Text", nullable)]
        pub offer_enc: Option<String>,
        /// The staff record made at hire.
        pub staff_id: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod contract_scan {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_contract_scans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub contract_id: String,
        pub file_name: String,
        pub content_type: String,
        pub size: i64,
        /// The file, base64 then SM4-encrypted.
        #[sea_orm(column_type = "Text")]
        pub content_enc: String,
        pub uploaded_by: String,
        pub uploaded_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_groups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        /// 组长.
        pub leader_staff_id: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod group_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_group_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub group_id: String,
        pub hall_id: String,
    }
    govhall_platform::no_relations!();
}

pub mod pay_component {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_pay_components")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// The payslip line's name, unique in the hall.
        pub name: String,
        /// A pay item kind: how the amount enters the payslip.
        pub kind: String,
        #[sea_orm(column_type = "Text")]
        pub formula: String,
        /// `YYYY-MM`, the first month it applies to.
        pub from_month: String,
        /// `YYYY-MM`, the last month, if it ends.
        pub until_month: Option<String>,
        pub enabled: bool,
        pub note: String,
        pub updated_by: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod assessment_result {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_assessment_results")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// `2026-Q3`.
        pub quarter: String,
        /// The quarter's last day: a month's payroll reads the latest
        /// quarter ended before the month begins.
        pub ends_on: Date,
        /// 优秀, 合格, 基本合格, 不合格.
        pub grade: String,
        /// 4, 3, 2, 1.
        pub level: i32,
        pub score: f64,
        pub recorded_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod butler_allowance {
    use sea_orm::entity::prelude::*;

    /// A graded 金牌管家's level and monthly allowance (the pay gradient).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "hr_butler_allowances")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        pub level: String,
        pub allowance: f64,
        pub recorded_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}
