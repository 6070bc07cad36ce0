//! 一事一评: the applicant rates a case once it is closed — from the progress
//! page opened with the case number and 查询密码 — into the same 好差评 record as
//! visits, so a 差评 opens the same rectification ticket and the provincial
//! report carries 办件编号, 实施编码 and 事项名称.

use crate::entity::case;
use crate::status::Stage;
use crate::store;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use govhall_queue::entity::rating;
use govhall_queue::ratings::{RatingDto, RatingInput, Subject, SubjectKind, record_subject};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Stages after which a case may be rated.
pub fn rateable(stage: Stage) -> bool {
    matches!(stage, Stage::Delivered | Stage::Refused)
}

/// Whether the case has been rated already.
pub async fn rated(state: &AppState, case_id: &str) -> AppResult<bool> {
    Ok(rating::Entity::find()
        .filter(rating::Column::TicketId.eq(case_id))
        .one(&state.db)
        .await
        .db_err()?
        .is_some())
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
    record_subject(state, subject_of(c, staff_id), "mobile", input).await
}

fn subject_of(c: case::Model, staff_id: Option<String>) -> Subject {
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
    }
}
