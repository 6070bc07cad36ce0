//! 积分 routes: the rules, a month's ranking with 服务之星 and 流动红旗,
//! settling, awards by hand, the evidence of an entry; my points; and the
//! hall screen's 光荣榜.

use crate::evidence::{self, Evidence};
use crate::honors::{self, MyPoints, PointsBoard, RankRow, RedFlag};
use crate::permissions::{BOARD, MANAGE, SELF};
use crate::points::{self, AwardInput, PointEntry, PointRule, PointRuleInput};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(month_board))
        .routes(routes!(settle))
        .routes(routes!(staff_entries))
        .routes(routes!(award))
        .routes(routes!(entry_evidence))
        .routes(routes!(my_points))
        .routes(routes!(my_entry_evidence))
        .routes(routes!(honor_board))
}

/// 积分规则: points per unit of each figure (the defaults until changed).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/point-rules", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<PointRule>)))]
async fn get_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<PointRule>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(points::rules(&state, &hall.id).await?))
}

/// Changes the rules (they apply to months settled from now on).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/performance/point-rules", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = Vec<PointRuleInput>,
    responses((status = 200, body = Vec<PointRule>), (status = 422, body = ErrorBody)))]
async fn put_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Vec<PointRuleInput>>,
) -> ApiResult<Json<Vec<PointRule>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(points::set_rules(&state, &hall.id, &body).await?))
}

/// A month's ranking by points, 服务之星 and 流动红旗.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/points/{month}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "`YYYY-MM`")),
    responses((status = 200, body = PointsBoard), (status = 422, body = ErrorBody)))]
async fn month_board(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<PointsBoard>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let m = points::parse_month(&month)?;
    Ok(Json(honors::board(&state, &hall.id, &m).await?))
}

/// 结算: books an ended month's rule points from the figures (again: only
/// the corrections since).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/points/{month}/settle", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path, description = "`YYYY-MM`")),
    responses((status = 200, body = Vec<PointEntry>), (status = 422, body = ErrorBody)))]
async fn settle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month)): Path<(String, String)>,
) -> ApiResult<Json<Vec<PointEntry>>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(
        points::settle(&state, &user.actor(), &hall.id, &month).await?,
    ))
}

/// One person's ledger entries of a month.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/points/{month}/staff/{staff}", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("month" = String, Path), ("staff" = String, Path)),
    responses((status = 200, body = MyPoints), (status = 422, body = ErrorBody)))]
async fn staff_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, month, staff)): Path<(String, String, String)>,
) -> ApiResult<Json<MyPoints>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    let m = points::parse_month(&month)?;
    Ok(Json(honors::mine(&state, &hall.id, &staff, &m).await?))
}

/// 奖励与扣分 by hand: a reason always, evidence for a deduction.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/points", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    request_body = AwardInput,
    responses((status = 201, body = PointEntry), (status = 422, body = ErrorBody)))]
async fn award(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<AwardInput>,
) -> ApiResult<(StatusCode, Json<PointEntry>)> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok((
        StatusCode::CREATED,
        Json(points::award(&state, &user.actor(), &hall.id, &body).await?),
    ))
}

/// The records behind a ledger entry settled by rule.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/points/entries/{entry}/evidence", security(("govhall" = ["performance.manage"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("entry" = String, Path)),
    responses((status = 200, body = Evidence), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn entry_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, entry)): Path<(String, String)>,
) -> ApiResult<Json<Evidence>> {
    let hall = hall_for(&state, &user, &key, MANAGE).await?;
    Ok(Json(evidence_of(&state, &hall.id, &entry, None).await?))
}

async fn evidence_of(
    state: &AppState,
    hall_id: &str,
    id: &str,
    only_of: Option<&str>,
) -> Result<Evidence, AppError> {
    let e = points::find(state, hall_id, id).await?;
    if only_of.is_some_and(|s| s != e.staff_id) {
        return Err(AppError::not_found("积分明细"));
    }
    match (&e.evidence.indicator, e.evidence.from, e.evidence.to) {
        (Some(ind), Some(from), Some(to)) => {
            evidence::records(state, hall_id, &e.staff_id, ind, from, to).await
        }
        _ => Err(AppError::field(
            "entry",
            format!("这条积分是人工奖惩，依据为：{}", e.evidence.text),
        )),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParam {
    /// `YYYY-MM`; default: last month.
    #[serde(default)]
    pub month: Option<String>,
}

/// 我的积分: my month's entries with their evidence, total and rank, and
/// the month's 服务之星 and 流动红旗.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-points", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), MonthParam),
    responses((status = 200, body = MyPoints), (status = 403, body = ErrorBody)))]
async fn my_points(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<MonthParam>,
) -> ApiResult<Json<MyPoints>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    let m = match q.month {
        Some(m) => points::parse_month(&m)?,
        None => honors::last_month(),
    };
    Ok(Json(honors::mine(&state, &hall.id, me, &m).await?))
}

/// The records behind one of my entries.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-points/entries/{entry}/evidence", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("entry" = String, Path)),
    responses((status = 200, body = Evidence), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn my_entry_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, entry)): Path<(String, String)>,
) -> ApiResult<Json<Evidence>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let me = super::mine::me(&user)?;
    Ok(Json(evidence_of(&state, &hall.id, &entry, Some(me)).await?))
}

/// The hall screen's 光荣榜: last month's 服务之星 and 流动红旗.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HonorBoard {
    pub month_label: String,
    pub stars: Vec<RankRow>,
    pub red_flag: Option<RedFlag>,
    pub star_rule: String,
}

/// 光荣榜 for the hall screen: last month's 服务之星 and 流动红旗.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/honor-board", security(("govhall" = ["performance.board"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = HonorBoard)))]
async fn honor_board(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<HonorBoard>> {
    let hall = hall_for(&state, &user, &key, BOARD).await?;
    let b = honors::board(&state, &hall.id, &honors::last_month()).await?;
    Ok(Json(HonorBoard {
        month_label: b.month_label,
        stars: b.stars,
        red_flag: b.red_flag,
        star_rule: b.star_rule,
    }))
}
