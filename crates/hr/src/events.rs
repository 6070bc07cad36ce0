//! The HR module's events: a month's payroll computed and approved (the
//! totals only; no one's own figures travel in events), leave requested and
//! decided (no reasons); shifts, roster, clock marks, 补卡 and swaps.

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A month's payroll run, in totals.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayrollRun {
    /// `YYYY-MM`.
    pub month: String,
    pub staff_count: i32,
    pub gross_fen: i64,
    pub net_fen: i64,
}

pub const PAYROLL_COMPUTED: EventType<PayrollRun> =
    EventType::new("hr.payroll.computed", "核算月度工资");
pub const PAYROLL_APPROVED: EventType<PayrollRun> =
    EventType::new("hr.payroll.approved", "审核月度工资并关账");

/// A leave request was made or changed status (approved, rejected, withdrawn).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeaveChanged {
    pub request_id: String,
    pub staff_id: String,
    pub type_code: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub days: i32,
    /// `pending`, `approved`, `rejected`, `cancelled`.
    pub status: String,
}

pub const LEAVE_REQUESTED: EventType<LeaveChanged> =
    EventType::new("hr.leave.requested", "提交请假申请");
pub const LEAVE_DECIDED: EventType<LeaveChanged> =
    EventType::new("hr.leave.decided", "请假审批或销假");

/// A contract ends soon and is not renewed (given 60 and 30 days ahead, once each).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContractExpiring {
    pub contract_id: String,
    pub staff_id: String,
    pub number: String,
    pub ends_on: chrono::NaiveDate,
    pub days_ahead: i32,
}

pub const CONTRACT_EXPIRING: EventType<ContractExpiring> =
    EventType::new("hr.contract.expiring", "劳动合同即将到期");

/// A shift pattern added or changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShiftSaved {
    pub code: String,
    pub name: String,
    pub starts_at: String,
    pub ends_at: String,
    pub is_default: bool,
}

pub const SHIFT_SAVED: EventType<ShiftSaved> = EventType::new("hr.shift.saved", "保存班次");

/// Days of the roster set (by the manager, or by an approved swap).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RosterSet {
    pub days: usize,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

pub const ROSTER_SET: EventType<RosterSet> = EventType::new("hr.roster.set", "设置排班");

/// Someone clocked in or out by scanning the hall screen's code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Clocked {
    pub staff_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub const CLOCKED: EventType<Clocked> = EventType::new("hr.punch.clocked", "扫码打卡");

/// An attendance machine's export was imported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PunchesImported {
    /// The file's rows with a mark.
    pub rows: usize,
    /// Marks not already recorded.
    pub added: usize,
    pub from: chrono::DateTime<chrono::Utc>,
    pub to: chrono::DateTime<chrono::Utc>,
}

pub const PUNCHES_IMPORTED: EventType<PunchesImported> =
    EventType::new("hr.punches.imported", "导入考勤机记录");

/// A 补卡 asked for or decided.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CorrectionChanged {
    pub correction_id: String,
    pub staff_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
}

pub const CORRECTION_REQUESTED: EventType<CorrectionChanged> =
    EventType::new("hr.correction.requested", "提交补卡申请");
pub const CORRECTION_DECIDED: EventType<CorrectionChanged> =
    EventType::new("hr.correction.decided", "审批补卡申请");

/// A shift swap asked for or decided.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SwapChanged {
    pub swap_id: String,
    pub staff_id: String,
    pub day: chrono::NaiveDate,
    pub other_staff_id: String,
    pub other_day: chrono::NaiveDate,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
}

pub const SWAP_REQUESTED: EventType<SwapChanged> =
    EventType::new("hr.swap.requested", "提交换班申请");
pub const SWAP_DECIDED: EventType<SwapChanged> = EventType::new("hr.swap.decided", "审批换班申请");

/// A uniform purchase batch recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UniformsBought {
    pub batch_id: String,
    pub item: String,
    pub quantity: i32,
    pub cost_fen: i64,
}

pub const UNIFORMS_BOUGHT: EventType<UniformsBought> =
    EventType::new("hr.uniforms.bought", "登记工装采购");

/// Uniforms issued to a person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UniformIssued {
    pub batch_id: String,
    pub staff_id: String,
    pub quantity: i32,
    pub replacement: bool,
}

pub const UNIFORM_ISSUED: EventType<UniformIssued> =
    EventType::new("hr.uniform.handed_out", "发放工装");

/// A welfare item added (no recipients yet) or its recipients recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WelfareGiven {
    pub item_id: String,
    pub name: String,
    /// People recorded by this change.
    pub recipients: usize,
}

pub const WELFARE_GIVEN: EventType<WelfareGiven> =
    EventType::new("hr.welfare.given", "登记福利发放");

/// A recruitment opened for a post.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpeningCreated {
    pub opening_id: String,
    pub position: String,
    pub headcount: i32,
}

pub const OPENING_CREATED: EventType<OpeningCreated> =
    EventType::new("hr.opening.created", "发布招聘需求");

/// A candidate added or moved to another stage (no phone, no salary).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CandidateMoved {
    pub candidate_id: String,
    pub opening_id: String,
    /// `applied`, `interview`, `offer`, `hired`, `rejected`, `withdrawn`.
    pub stage: String,
    /// The staff record, once hired.
    pub staff_id: Option<String>,
}

pub const CANDIDATE_MOVED: EventType<CandidateMoved> =
    EventType::new("hr.candidate.moved", "应聘人员环节变更");

/// A scan of a signed contract kept.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContractScanned {
    pub contract_id: String,
    pub scan_id: String,
    pub size: i64,
}

pub const CONTRACT_SCANNED: EventType<ContractScanned> =
    EventType::new("hr.contract.scanned", "上传合同扫描件");

/// A 班组 added or changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupSaved {
    pub group_id: String,
    pub name: String,
    pub leader_staff_id: String,
    pub members: usize,
}

pub const GROUP_SAVED: EventType<GroupSaved> = EventType::new("hr.group.saved", "保存班组");

/// A formula pay component added or changed (a change to one already paid
/// in a closed month starts a new version from the next open month).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayComponentSaved {
    pub name: String,
    pub kind: String,
    pub from_month: String,
    pub enabled: bool,
}

pub const PAY_COMPONENT_SAVED: EventType<PayComponentSaved> =
    EventType::new("hr.pay_component.saved", "保存薪资项目");

pub static EVENTS: &[EventDef] = &[
    PAYROLL_COMPUTED.def(),
    PAYROLL_APPROVED.def(),
    LEAVE_REQUESTED.def(),
    LEAVE_DECIDED.def(),
    CONTRACT_EXPIRING.def(),
    SHIFT_SAVED.def(),
    ROSTER_SET.def(),
    CLOCKED.def(),
    PUNCHES_IMPORTED.def(),
    CORRECTION_REQUESTED.def(),
    CORRECTION_DECIDED.def(),
    SWAP_REQUESTED.def(),
    SWAP_DECIDED.def(),
    UNIFORMS_BOUGHT.def(),
    UNIFORM_ISSUED.def(),
    WELFARE_GIVEN.def(),
    OPENING_CREATED.def(),
    CANDIDATE_MOVED.def(),
    CONTRACT_SCANNED.def(),
    GROUP_SAVED.def(),
    PAY_COMPONENT_SAVED.def(),
];
