//! 人事档案 routes: masked lists and details, saving, and the audited read
//! of the full ID and card numbers.

use crate::permissions::PAYROLL;
use crate::profiles::{
    self, ProfileDetail, ProfileInput, ProfileSummary, RevealInput, RevealedNumbers,
};
use axum::{
    Json,
    extract::{Path, State},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_profiles))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(reveal_profile))
}

/// 人事档案: every member of the hall's staff, ID and card masked, with what
/// payroll still lacks for each; no salary.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/profiles", security(("govhall" = ["hr.payroll"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<ProfileSummary>)))]
async fn list_profiles(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<ProfileSummary>>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(profiles::list(&state, &hall.id).await?))
}

/// One profile with the salary structure and the 专项附加扣除 (numbers masked; audited).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/hr/profiles/{staff}", security(("govhall" = ["hr.payroll"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path, description = "staff id")),
    responses((status = 200, body = ProfileDetail), (status = 404, body = ErrorBody)))]
async fn get_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
) -> ApiResult<Json<ProfileDetail>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(profiles::detail(&state, &hall.id, &staff).await?))
}

/// Saves a profile. ID (GB 11643 check character) and card (Luhn) are
/// checked; an absent number keeps the stored one, an empty one clears it.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/hr/profiles/{staff}", security(("govhall" = ["hr.payroll"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path, description = "staff id")),
    request_body = ProfileInput,
    responses((status = 200, body = ProfileDetail), (status = 422, body = ErrorBody)))]
async fn put_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
    ApiJson(body): ApiJson<ProfileInput>,
) -> ApiResult<Json<ProfileDetail>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(profiles::save(&state, &hall.id, &staff, &body).await?))
}

/// The full ID and salary card numbers, with the reason kept in the audit log.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/hr/profiles/{staff}/reveal", security(("govhall" = ["hr.payroll"])), tag = "hr",
    params(("hall" = String, Path, description = "hall id or code"), ("staff" = String, Path, description = "staff id")),
    request_body = RevealInput,
    responses((status = 200, body = RevealedNumbers), (status = 422, body = ErrorBody)))]
async fn reveal_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, staff)): Path<(String, String)>,
    ApiJson(body): ApiJson<RevealInput>,
) -> ApiResult<Json<RevealedNumbers>> {
    let hall = hall_for(&state, &user, &key, PAYROLL).await?;
    Ok(Json(
        profiles::reveal(&state, &user, &hall.id, &staff, &body).await?,
    ))
}
