//! The HR module's events: a month's payroll computed and approved (the
//! totals only; no one's own figures travel in events), leave requested and
//! decided (no reasons).

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

pub static EVENTS: &[EventDef] = &[
    PAYROLL_COMPUTED.def(),
    PAYROLL_APPROVED.def(),
    LEAVE_REQUESTED.def(),
    LEAVE_DECIDED.def(),
    CONTRACT_EXPIRING.def(),
];
