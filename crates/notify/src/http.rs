//! The notification outbox and webhooks in the admin: see every message and
//! its outcome, send one again, register integrators' webhooks.

use super::{
    NotificationDto, OutboxPage, OutboxQuery,
    webhooks::{self, CreatedWebhook, WebhookDto, WebhookInput},
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_outbox))
        .routes(routes!(retry_notification))
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(update_webhook, delete_webhook))
}

/// Which halls' messages the user sees: their own hall's, or every hall's
/// for the 系统管理员; an account bound to no hall otherwise sees none.
fn scope_of(user: &CurrentUser) -> govhall_kernel::error::AppResult<super::Scope> {
    if user.sees_every_hall() {
        return Ok(super::Scope::EveryHall);
    }
    user.hall_id.clone().map(super::Scope::Hall).ok_or_else(|| {
        govhall_kernel::AppError::Forbidden("账号未绑定大厅，不能查看大厅的通知".into())
    })
}

/// The outbox of the user's hall: every SMS and webhook delivery with its status, attempts and last error (phones masked).
#[utoipa::path(get, path = "/api/v1/notifications", security(("govhall" = ["notifications.manage"])), tag = "notifications", params(OutboxQuery),
    responses((status = 200, body = OutboxPage)))]
async fn list_outbox(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<OutboxPage>> {
    user.require(crate::permissions::MANAGE)?;
    Ok(Json(super::list(&state, &scope_of(&user)?, &q).await?))
}

/// Send a pending or failed message again now.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/retry", security(("govhall" = ["notifications.manage"])), tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 200, body = NotificationDto), (status = 409, body = ErrorBody)))]
async fn retry_notification(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<NotificationDto>> {
    user.require(crate::permissions::MANAGE)?;
    Ok(Json(
        super::retry(&state, &scope_of(&user)?, &user.actor(), &id).await?,
    ))
}

/// The webhooks of the user's hall (every hall's for the 系统管理员).
#[utoipa::path(get, path = "/api/v1/webhooks", security(("govhall" = ["notifications.manage"])), tag = "notifications",
    responses((status = 200, body = Vec<WebhookDto>)))]
async fn list_webhooks(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<WebhookDto>>> {
    user.require(crate::permissions::MANAGE)?;
    Ok(Json(webhooks::list(&state, &scope_of(&user)?).await?))
}

/// Register a webhook for the user's hall's business events (public addresses only, unless the operator lists a private network); the response carries its signing secret once.
#[utoipa::path(post, path = "/api/v1/webhooks", security(("govhall" = ["notifications.manage"])), tag = "notifications", request_body = WebhookInput,
    responses((status = 201, body = CreatedWebhook), (status = 422, body = ErrorBody)))]
async fn create_webhook(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    user.require(crate::permissions::MANAGE)?;
    Ok((
        StatusCode::CREATED,
        Json(webhooks::create(&state, &scope_of(&user)?, &user.actor(), &input).await?),
    ))
}

/// Change a webhook's name, URL, events or switch it off.
#[utoipa::path(put, path = "/api/v1/webhooks/{id}", security(("govhall" = ["notifications.manage"])), tag = "notifications", request_body = WebhookInput,
    params(("id" = String, Path)),
    responses((status = 200, body = WebhookDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_webhook(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<Json<WebhookDto>> {
    user.require(crate::permissions::MANAGE)?;
    Ok(Json(
        webhooks::update(&state, &scope_of(&user)?, &user.actor(), &id, &input).await?,
    ))
}

/// Remove a webhook (its pending deliveries fail).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", security(("govhall" = ["notifications.manage"])), tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_webhook(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    user.require(crate::permissions::MANAGE)?;
    webhooks::delete(&state, &scope_of(&user)?, &user.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
