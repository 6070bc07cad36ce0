//! Hall operations around the hot path: the queue settings, close of day,
//! the estimate's accuracy, the holder's cancel and a person's earlier visits.

use crate::board::{self, Board};
use crate::estimate::{self, Accuracy};
use crate::settings::{self, QueueSettings};
use crate::tickets::{self, DayClosedSummary, TicketDto, Visit};
use axum::{
    Json,
    extract::{Path, State},
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(close_day))
        .routes(routes!(accuracy))
        .routes(routes!(cancel_ticket))
        .routes(routes!(ticket_visits))
        .routes(routes!(screen_board))
        .routes(routes!(window_tickets))
}

/// What a window holds (the ticket called or being served, and those parked), so a
/// reloaded counter picks up where it was.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/windows/{window}/tickets", security(("govhall" = ["queue.operate"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code"), ("window" = String, Path)),
    responses((status = 200, body = Vec<TicketDto>)))]
async fn window_tickets(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, window)): Path<(String, String)>,
) -> ApiResult<Json<Vec<TicketDto>>> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        govhall_directory::permissions::WINDOW_WORK,
    )
    .await?;
    let w = govhall_directory::service::window_in_hall(&state.read, &hall.id, &window).await?;
    ensure_signed_in_at(&state, &user, &w.id).await?;
    Ok(Json(tickets::at_window(&state, &w.id).await?))
}

/// A counter sees only its own window's tickets: the caller must be signed in there.
async fn ensure_signed_in_at(
    state: &AppState,
    user: &CurrentUser,
    window_id: &str,
) -> ApiResult<()> {
    if govhall_directory::service::signed_in_at(&state.read, window_id, &user.id).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden("只能查看本人签到窗口的号票".into()).into())
    }
}

/// The screens' snapshot: windows (state, staff, current number), lines with
/// waiting counts and estimates, recent calls, and the event sequence to resume from.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/board", security(("govhall" = ["events.read"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Board)))]
async fn screen_board(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Board>> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        govhall_platform::auth::permissions::EVENTS_READ,
    )
    .await?;
    Ok(Json(board::board(&state, &hall.id).await?))
}

/// The hall's calling policy, no-show policy, estimate and rating settings.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue/settings", security(("govhall" = ["queue.configure"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = QueueSettings)))]
async fn get_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<QueueSettings>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(settings::load(&state.db, &hall.id).await?))
}

/// Change the settings; they apply to the next call without a restart.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/queue/settings", security(("govhall" = ["queue.configure"])), tag = "queue",
    request_body = QueueSettings,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = QueueSettings), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<QueueSettings>,
) -> ApiResult<Json<QueueSettings>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        settings::save(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// 批量弃号: void every ticket still open at the close of day.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/queue/close-day", security(("govhall" = ["queue.configure"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = DayClosedSummary)))]
async fn close_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<DayClosedSummary>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        tickets::close_day(&state, &user.actor(), &hall.id).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// Days back, today included (default 30).
    pub days: Option<i64>,
}

/// Quoted against actual waits: how good the estimate printed on slips is.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue/accuracy", security(("govhall" = ["queue.configure"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code"), DaysQuery),
    responses((status = 200, body = Accuracy)))]
async fn accuracy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> ApiResult<Json<Accuracy>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        estimate::accuracy(&state, &hall.id, q.days.unwrap_or(30).clamp(1, 366)).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenBody {
    /// The token printed on the slip's QR code.
    pub token: String,
}

/// The holder withdraws a waiting ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/cancel", security(()), tag = "queue", request_body = TokenBody,
    params(("id" = String, Path)),
    responses((status = 200, body = TicketDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_ticket(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<Json<TicketDto>> {
    Ok(Json(
        tickets::cancel_by_token(&state, &id, &body.token).await?,
    ))
}

/// The holder's earlier visits (last 90 days), for the window serving them now.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/visits", security(("govhall" = ["queue.operate"])), tag = "queue",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Visit>)))]
async fn ticket_visits(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Visit>>> {
    user.require(govhall_directory::permissions::WINDOW_WORK)?;
    let t = tickets::find(&state, &id).await?;
    user.ensure_hall(&t.hall_id)?;
    // Only for the holder the caller's window is serving now.
    let at_counter = ["called", "serving", "parked"].contains(&t.status.as_str());
    match t.window_id.as_deref() {
        Some(w) if at_counter => ensure_signed_in_at(&state, &user, w).await?,
        _ => {
            return Err(
                AppError::Forbidden("只能查看本窗口正在办理的群众的来访记录".into()).into(),
            );
        }
    }
    Ok(Json(tickets::visits(&state, &t).await?))
}
