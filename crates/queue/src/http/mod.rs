//! The queue's hot-path API: issue a ticket, call next, finish, the queue, and
//! a citizen's ticket by token; plus service-line configuration.

use crate::lines::{self, LineDto, LineInput, SkillInput, WindowSkill};
use crate::tickets::{self, Called, IssueInput, Issued, QueueView, TicketDto, WindowAction};
use axum::{
    Extension, Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use govhall_directory::window_sessions::ensure_signed_in_at;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    audit::middleware::RequestAudit,
    auth::CurrentUser,
    halls::{find_hall, hall_for},
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub mod appointments;
pub mod assists;
pub mod operations;
pub mod ratings;
pub mod voice;
pub mod wechat;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(operations::router())
        .merge(appointments::router())
        .merge(assists::router())
        .merge(voice::router())
        .merge(ratings::router())
        .merge(wechat::router())
        .routes(routes!(issue_ticket))
        .routes(routes!(call_next))
        .routes(routes!(finish_ticket))
        .routes(routes!(ticket_action))
        .routes(routes!(hall_queue))
        .routes(routes!(get_ticket))
        .routes(routes!(list_lines, create_line))
        .routes(routes!(update_line, delete_line))
        .routes(routes!(set_skills))
        .routes(routes!(list_skills))
}

/// Issue a ticket (kiosk, phone, reception proxy, appointment check-in or a window's follow-up).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/tickets", security(("govhall" = ["tickets.issue"])), tag = "queue", request_body = IssueInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = Issued), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue_ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Extension(audit): Extension<RequestAudit>,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<IssueInput>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::ISSUE).await?;
    tickets::check_issuer(&input, user.is_device())?;
    crate::kiosk_limit::check(&state, &user)?;
    let issued = tickets::issue(&state, &user.actor(), &hall.id, &input, Some(&audit)).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Call the next ticket at a window the caller is signed in at; 204 when nobody waits.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/windows/{window}/call-next", security(("govhall" = ["queue.operate"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code"), ("window" = String, Path)),
    responses((status = 200, body = Called), (status = 204), (status = 403, body = ErrorBody)))]
async fn call_next(
    State(state): State<AppState>,
    user: CurrentUser,
    Extension(audit): Extension<RequestAudit>,
    Path((key, window)): Path<(String, String)>,
) -> ApiResult<Response> {
    let hall = hall_for(
        &state,
        &user,
        &key,
        govhall_directory::permissions::WINDOW_WORK,
    )
    .await?;
    // The engine checks the caller is signed in at the window, in its batch.
    Ok(
        match tickets::call_next(
            &state,
            &user.actor(),
            &hall.id,
            &window,
            user.staff_id.clone(),
            Some(&audit),
        )
        .await?
        {
            Some(called) => Json(called).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        },
    )
}

/// Finish the ticket being served at the caller's window.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/finish", security(("govhall" = ["queue.operate"])), tag = "queue",
    params(("id" = String, Path)),
    responses((status = 200, body = TicketDto), (status = 409, body = ErrorBody)))]
async fn finish_ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<TicketDto>> {
    Ok(Json(
        at_own_window(&state, &user, &id, &WindowAction::Finish).await?,
    ))
}

/// Recall, start, no-show, park, resume or transfer a ticket held by the caller's window.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/actions", security(("govhall" = ["queue.operate"])), tag = "queue",
    request_body(content = Object, description = r#"{"action": "recall" | "start" | "finish" | "no_show" | "park" | "resume"} or {"action": "transfer", "line": "B", "front": true, "note": "…"}"#),
    params(("id" = String, Path)),
    responses((status = 200, body = TicketDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ticket_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(action): ApiJson<WindowAction>,
) -> ApiResult<Json<TicketDto>> {
    Ok(Json(at_own_window(&state, &user, &id, &action).await?))
}

/// Applies an action to a ticket held by the window the caller is signed in at.
async fn at_own_window(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: &WindowAction,
) -> govhall_kernel::error::AppResult<TicketDto> {
    user.require(govhall_directory::permissions::WINDOW_WORK)?;
    let t = tickets::find(state, id).await?;
    user.ensure_hall(&t.hall_id)?;
    let window = t.window_id.clone().unwrap_or_default();
    ensure_signed_in_at(state, user, &window).await?;
    tickets::act(state, &user.actor(), id, &window, action).await
}

/// Today's queue: waiting numbers per line and who is being served (numbers only).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue", security(()), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = QueueView)))]
async fn hall_queue(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<Json<QueueView>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(tickets::queue(&state, &hall.id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The token printed on the slip's QR code.
    pub token: String,
}

/// A ticket as its holder follows it: status, people ahead, window.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", security(()), tag = "queue",
    params(("id" = String, Path), TokenQuery),
    responses((status = 200, body = TicketDto), (status = 404, body = ErrorBody)))]
async fn get_ticket(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<Json<TicketDto>> {
    Ok(Json(tickets::by_token(&state, &id, &q.token).await?))
}

/// The hall's service lines.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue/lines", security(("govhall" = ["directory.read"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<LineDto>)))]
async fn list_lines(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<LineDto>>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::READ).await?;
    Ok(Json(lines::list(&state, &hall.id).await?))
}

/// Add a service line.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/queue/lines", security(("govhall" = ["queue.configure"])), tag = "queue", request_body = LineInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = LineDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<LineInput>,
) -> ApiResult<(StatusCode, Json<LineDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok((
        StatusCode::CREATED,
        Json(lines::create(&state, &user.actor(), &hall.id, &input).await?),
    ))
}

/// Update a service line (applies at once).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/queue/lines/{id}", security(("govhall" = ["queue.configure"])), tag = "queue", request_body = LineInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = LineDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<LineInput>,
) -> ApiResult<Json<LineDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        lines::update(&state, &user.actor(), &hall.id, &id, &input).await?,
    ))
}

/// Delete a service line that has never issued a ticket.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/queue/lines/{id}", security(("govhall" = ["queue.configure"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    lines::delete(&state, &user.actor(), &hall.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set which lines a window serves, as primary or secondary (empty: every line).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/windows/{window}/skills", security(("govhall" = ["queue.configure"])), tag = "queue", request_body = Vec<SkillInput>,
    params(("hall" = String, Path, description = "hall id or code"), ("window" = String, Path)),
    responses((status = 200, body = Vec<SkillInput>), (status = 422, body = ErrorBody)))]
async fn set_skills(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, window)): Path<(String, String)>,
    ApiJson(skills): ApiJson<Vec<SkillInput>>,
) -> ApiResult<Json<Vec<SkillInput>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CONFIGURE).await?;
    Ok(Json(
        lines::set_skills(&state, &user.actor(), &hall.id, &window, skills).await?,
    ))
}

/// Every window's lines, primary or secondary (a window without any serves every line).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue/skills", security(("govhall" = ["directory.read"])), tag = "queue",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<WindowSkill>)))]
async fn list_skills(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<WindowSkill>>> {
    let hall = hall_for(&state, &user, &key, govhall_directory::permissions::READ).await?;
    Ok(Json(lines::all_skills(&state, &hall.id).await?))
}
