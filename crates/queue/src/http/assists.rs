//! The reception desk's 帮办代办 ledger: record, bring up to date, read,
//! export to Excel, and the citizen's phone in full for a call back (audited).

use crate::assists::{self, AssistDto, AssistInput, AssistQuery, AssistUpdate};
use crate::permissions::{ASSIST, ASSIST_LEDGER};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, file_response},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assists, record_assist))
        .routes(routes!(update_assist))
        .routes(routes!(assist_phone))
        .routes(routes!(export_assists))
        .routes(routes!(reception_choices))
}

/// A code and its words.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionChoice {
    pub code: String,
    pub label: String,
}

/// The reception desk's lists in the server's words.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionChoices {
    /// 绿色通道 classes.
    pub green_reasons: Vec<ReceptionChoice>,
    /// 帮办 / 代办.
    pub assist_kinds: Vec<ReceptionChoice>,
    /// How an assist ended.
    pub assist_results: Vec<ReceptionChoice>,
}

fn choices(list: &[(&str, &str)]) -> Vec<ReceptionChoice> {
    list.iter()
        .map(|(code, label)| ReceptionChoice {
            code: (*code).into(),
            label: (*label).into(),
        })
        .collect()
}

/// The green-channel classes and the ledger's kinds and results, for the desk's forms.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/reception/choices", security(("govhall" = ["tickets.issue"])), tag = "reception",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = ReceptionChoices)))]
async fn reception_choices(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<ReceptionChoices>> {
    hall_for(&state, &user, &key, crate::permissions::ISSUE).await?;
    Ok(Json(ReceptionChoices {
        green_reasons: choices(crate::tickets::GREEN_REASONS),
        assist_kinds: choices(assists::KINDS),
        assist_results: choices(assists::RESULTS),
    }))
}

/// The 帮办代办 ledger over a period (default today), newest first; phones masked.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/assists", security(("govhall" = ["assists.read"])), tag = "reception",
    params(("hall" = String, Path, description = "hall id or code"), AssistQuery),
    responses((status = 200, body = Vec<AssistDto>), (status = 422, body = ErrorBody)))]
async fn list_assists(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<AssistQuery>,
) -> ApiResult<Json<Vec<AssistDto>>> {
    let hall = hall_for(&state, &user, &key, ASSIST_LEDGER).await?;
    Ok(Json(assists::list(&state, &hall.id, &q).await?))
}

/// Record that the signed-in member of staff helped a citizen (帮办) or acted for them (代办).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/assists", security(("govhall" = ["assists.record"])), tag = "reception",
    request_body = AssistInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = AssistDto), (status = 422, body = ErrorBody)))]
async fn record_assist(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<AssistInput>,
) -> ApiResult<(StatusCode, Json<AssistDto>)> {
    let hall = hall_for(&state, &user, &key, ASSIST).await?;
    let saved = assists::record(&state, &user, &hall.id, input).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Record how an entry ended.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/assists/{id}", security(("govhall" = ["assists.record"])), tag = "reception",
    request_body = AssistUpdate,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = AssistDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_assist(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<AssistUpdate>,
) -> ApiResult<Json<AssistDto>> {
    let hall = hall_for(&state, &user, &key, ASSIST).await?;
    Ok(Json(
        assists::update(&state, &user, &hall.id, &id, input).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FullPhone {
    pub phone: Option<String>,
}

/// The citizen's phone in full, to tell them how a 代办 went (audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/assists/{id}/phone", security(("govhall" = ["assists.record"])), tag = "reception",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = FullPhone), (status = 404, body = ErrorBody)))]
async fn assist_phone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<FullPhone>> {
    let hall = hall_for(&state, &user, &key, ASSIST).await?;
    Ok(Json(FullPhone {
        phone: assists::phone(&state, &hall.id, &id).await?,
    }))
}

/// The ledger over a period as an Excel workbook (phones masked).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/assists/export", security(("govhall" = ["assists.read"])), tag = "reception",
    params(("hall" = String, Path, description = "hall id or code"), AssistQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String), (status = 422, body = ErrorBody)))]
async fn export_assists(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<AssistQuery>,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, ASSIST_LEDGER).await?;
    let (from, to) = q.days()?;
    let rows = assists::list(&state, &hall.id, &q).await?;
    let bytes = assists::workbook(&hall.name, from, to, &rows).map_err(AppError::internal)?;
    let name = format!("帮办代办台账-{}-{from}至{to}.xlsx", hall.code);
    Ok(file_response(&name, XLSX, bytes, true))
}
