//! The HR module's events: a month's payroll computed and approved (the
//! totals only; no one's own figures travel in events).

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

pub static EVENTS: &[EventDef] = &[PAYROLL_COMPUTED.def(), PAYROLL_APPROVED.def()];
