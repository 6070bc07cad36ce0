//! 金牌管家 routes: levels, grading, enterprises and the ledger with the
//! reports (the manager); a butler's own page, their services and follow-ups.

use crate::butlers::{
    self, ButlerLevel, ButlersPage, EnterpriseInput, GradeInput, MyButlerPage, ServiceDto,
    ServiceInput,
};
use crate::permissions::{MANAGE, SELF};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
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
        .routes(routes!(butlers_page))
        .routes(routes!(set_level))
        .routes(routes!(grade))
        .routes(routes!(assign))
        .routes(routes!(my_butler))
        .routes(routes!(record_service))
        .routes(routes!(follow_up_done))
}

/// 金牌管家: levels, each butler's report, the enterprises and the ledger.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/butlers", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = ButlersPage)))]
async fn butlers_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<ButlersPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(butlers::page(&state, &hall.id).await?))
}

/// Changes a level's criteria and monthly allowance (the payroll's 管家津贴).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/performance/butler-levels", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ButlerLevel,
    responses((status = 200, body = Vec<ButlerLevel>), (status = 422, body = ErrorBody)))]
async fn set_level(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ButlerLevel>,
) -> ApiResult<Json<Vec<ButlerLevel>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(butlers::set_level(&state, &hall.id, &body).await?))
}

/// 定级: grades, regrades or removes a butler.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/butlers/grade", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = GradeInput,
    responses((status = 200, body = ButlersPage), (status = 422, body = ErrorBody)))]
async fn grade(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<GradeInput>,
) -> ApiResult<Json<ButlersPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        butlers::grade(&state, &user.actor(), &hall.id, &body).await?,
    ))
}

/// Assigns an enterprise (by 统一社会信用代码) to a butler, or moves it.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/butlers/enterprises", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = EnterpriseInput,
    responses((status = 200, body = ButlersPage), (status = 422, body = ErrorBody)))]
async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<EnterpriseInput>,
) -> ApiResult<Json<ButlersPage>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(butlers::assign(&state, &hall.id, &body).await?))
}

/// My butler page: my level, enterprises, services and follow-ups due.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-butler", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = MyButlerPage), (status = 403, body = ErrorBody)))]
async fn my_butler(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<MyButlerPage>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(butlers::mine(&state, &hall.id, me).await?))
}

/// Records a visit or service to one of my enterprises.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-butler/services", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = ServiceInput,
    responses((status = 201, body = ServiceDto), (status = 422, body = ErrorBody)))]
async fn record_service(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<ServiceInput>,
) -> ApiResult<(StatusCode, Json<ServiceDto>)> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok((
        StatusCode::CREATED,
        Json(butlers::record(&state, &user.actor(), &hall.id, me, &body).await?),
    ))
}

/// Marks one of my follow-ups done.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-butler/services/{id}/follow-up-done", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn follow_up_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    butlers::follow_up_done(&state, &hall.id, me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
