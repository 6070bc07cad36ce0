//! The queue's side of 好差评: a visit (a finished ticket) is rated from the
//! holder's phone or from the window's rating pad; the rating itself is the
//! ratings module's.

use crate::entity::{line, ticket};
use crate::tickets::{find, status};
use chrono::Utc;
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use govhall_ratings::{RatingDto, RatingInput, Subject, SubjectKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// A window pad may rate a visit finished at it within this many minutes.
const PAD_WINDOW_MINUTES: i64 = 15;

/// The holder rates their visit from the phone (token from the slip).
pub async fn rate_by_token(
    state: &AppState,
    ticket_id: &str,
    token: &str,
    input: &RatingInput,
) -> AppResult<RatingDto> {
    let t = find(state, ticket_id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    record(state, t, "mobile", input).await
}

/// The window's rating pad rates the visit it last finished.
pub async fn rate_at_window(
    state: &AppState,
    hall_id: &str,
    window_id: &str,
    input: &RatingInput,
) -> AppResult<RatingDto> {
    let since = Utc::now() - chrono::Duration::minutes(PAD_WINDOW_MINUTES);
    let last = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::WindowId.eq(window_id))
        .filter(ticket::Column::Status.eq(status::COMPLETED))
        .filter(ticket::Column::FinishedAt.gte(since))
        .order_by_desc(ticket::Column::FinishedAt)
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::Conflict {
            message: "本窗口最近没有办结的业务可评价".into(),
            fields: vec![],
        })?;
    record(state, last, "pad", input).await
}

async fn record(
    state: &AppState,
    t: ticket::Model,
    channel: &str,
    input: &RatingInput,
) -> AppResult<RatingDto> {
    govhall_ratings::check(input)?;
    if t.status != status::COMPLETED {
        return Err(AppError::Conflict {
            message: format!("{} 尚未办结，办结后才能评价", t.number),
            fields: vec![],
        });
    }
    let line_name = line::Entity::find_by_id(t.line_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let rectification_days = crate::settings::load(&state.db, &t.hall_id)
        .await?
        .rectification_days;
    let subject = Subject {
        hall_id: t.hall_id,
        kind: SubjectKind::Visit,
        id: t.id,
        number: t.number,
        line_name,
        window_id: t.window_id,
        staff_id: t.staff_id,
        department_id: None,
        served_at: t.finished_at,
        applicant_id_enc: t.id_enc,
        task_code: None,
        item_name: None,
        rectification_days,
    };
    govhall_ratings::record(state, subject, channel, input).await
}
