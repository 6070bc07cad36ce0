//! 一事一评: the applicant rates a case once it is closed — from the progress
//! page opened with the case number and 查询密码 — into the same 好差评 record as
//! visits, so a 差评 opens the same rectification ticket and the provincial
//! report carries 办件编号, 实施编码 and 事项名称.

use crate::entity::case;
use crate::status::Stage;
use crate::store;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::AppState;
use govhall_ratings::{RatingDto, RatingInput, Subject, SubjectKind};

/// Stages after which a case may be rated.
pub fn rateable(stage: Stage) -> bool {
    matches!(stage, Stage::Delivered | Stage::Refused | Stage::Revoked)
}

/// Whether the case has been rated already.
pub async fn rated(state: &AppState, case_id: &str) -> AppResult<bool> {
    govhall_ratings::is_rated(state, case_id).await
}

/// Records the applicant's rating of the case `number` (with its 查询密码).
pub async fn rate(
    state: &AppState,
    hall_id: &str,
    number: &str,
    code: &str,
    ip: Option<&str>,
    input: &RatingInput,
) -> AppResult<RatingDto> {
    let c = crate::views::by_number_and_code(state, hall_id, number, code, ip).await?;
    if !rateable(store::stage_of(&c)) {
        return Err(AppError::Conflict {
            message: "办件办结出件（或不予受理）后才能评价".into(),
            fields: vec![],
        });
    }
    // The clerk who received it is the one rated (their account names their staff record).
    let staff_id = match &c.received_by {
        Some(account) => {
            govhall_platform::auth::service::accounts(&state.db, std::slice::from_ref(account))
                .await?
                .into_values()
                .next()
                .and_then(|a| a.staff_id)
        }
        None => None,
    };
    // The hall's rectification deadline is one of its queue settings.
    let rectification_days = govhall_queue::settings::load(&state.db, hall_id)
        .await?
        .rectification_days;
    let subject = subject_of(c, staff_id, rectification_days);
    govhall_ratings::record(state, subject, "mobile", input).await
}

fn subject_of(c: case::Model, staff_id: Option<String>, rectification_days: u32) -> Subject {
    let person = c.applicant_type == "person";
    Subject {
        hall_id: c.hall_id,
        kind: SubjectKind::Case,
        id: c.id,
        number: c.number,
        line_name: c.item_name.clone(),
        window_id: Some(c.window_id),
        staff_id,
        department_id: c.department_id,
        served_at: c.delivered_at.or(c.decided_at).or(Some(c.received_at)),
        applicant_id_enc: person.then_some(c.applicant_cert_enc),
        task_code: Some(c.task_code),
        item_name: Some(c.item_name),
        rectification_days,
    }
}
