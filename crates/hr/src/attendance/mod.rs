//! 考勤: shifts (`shifts`), the weekly roster and its swaps (`roster`,
//! `swaps`), the day's marks — window sign-ins read from the directory,
//! phone scans of the hall screen's rotating code and attendance-machine
//! imports (`punches`), 补卡 (`corrections`) — judged by the rules
//! (`rules`) into the monthly sheet (`sheet`).

pub mod corrections;
pub mod demo;
pub mod overtime_pay;
pub mod punches;
pub mod roster;
pub mod rules;
pub mod sheet;
pub mod shifts;
pub mod swaps;

use govhall_kernel::{error::AppResult, validate::Checker};
use govhall_platform::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// The opinion of a decision on a 补卡 or 换班: optional when approving,
/// required when not.
pub(crate) fn decision_opinion(approve: bool, opinion: &str) -> AppResult<String> {
    let mut ch = Checker::new();
    let opinion = ch
        .optional_text("opinion", "审批意见", Some(opinion), 200)
        .unwrap_or_default();
    ch.check(
        approve || !opinion.is_empty(),
        "opinion",
        "不批准时请写明理由",
    );
    ch.finish()?;
    Ok(opinion)
}

/// A colleague to swap a shift with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Colleague {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
}

/// A person's own month on the phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyAttendance {
    pub month: String,
    /// `None` when the person is not on the hall's staff that month.
    pub row: Option<sheet::SheetRow>,
    pub shifts: Vec<shifts::ShiftDto>,
    pub corrections: Vec<corrections::CorrectionDto>,
    pub swaps: Vec<swaps::SwapDto>,
    /// The hall's other staff (工号 and name), to choose whom to swap with.
    pub colleagues: Vec<Colleague>,
}

pub async fn mine(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    month: &str,
) -> AppResult<MyAttendance> {
    let only = [staff_id.to_string()];
    let sheet = sheet::build(state, hall_id, month, Some(&only)).await?;
    Ok(MyAttendance {
        month: sheet.month,
        row: sheet.rows.into_iter().next(),
        shifts: shifts::list(state, hall_id).await?,
        corrections: corrections::list(state, hall_id, None, Some(staff_id)).await?,
        swaps: swaps::list(state, hall_id, None, Some(staff_id)).await?,
        colleagues: colleagues(state, hall_id, staff_id).await?,
    })
}

async fn colleagues(state: &AppState, hall_id: &str, me: &str) -> AppResult<Vec<Colleague>> {
    let mut staff = govhall_directory::service::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok(staff
        .into_iter()
        .filter(|s| s.id.as_str() != me)
        .map(|s| Colleague {
            staff_id: s.id.as_str().to_string(),
            employee_no: s.employee_no,
            name: s.name,
        })
        .collect())
}
