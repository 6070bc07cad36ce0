//! A person's own assessments: figures with evidence, the self-assessment,
//! and the acknowledgement or appeal after the review.

use crate::assessments::{
    self, AppealInput, AssessmentDetail, AssessmentRow, LeaderReviewInput, SelfReviewInput,
};
use crate::evidence::{self, Evidence};
use crate::permissions::SELF;
use axum::{
    Json,
    extract::{Path, State},
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_assessments))
        .routes(routes!(my_assessment))
        .routes(routes!(my_evidence))
        .routes(routes!(self_review))
        .routes(routes!(acknowledge))
        .routes(routes!(appeal))
        .routes(routes!(group_assessments))
        .routes(routes!(leader_review))
}

pub(super) fn me(user: &CurrentUser) -> Result<&str, AppError> {
    user.staff_id
        .as_deref()
        .ok_or_else(|| AppError::Forbidden("当前账号未关联工作人员，没有本人的考核".into()))
}

/// 我的考核: my quarters, newest first.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-assessments", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<AssessmentRow>), (status = 403, body = ErrorBody)))]
async fn my_assessments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<AssessmentRow>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(assessments::mine(&state, &hall.id, me(&user)?).await?))
}

/// My quarter: the figures with their scores, the reviews and my appeal.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-assessments/{quarter}", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 404, body = ErrorBody)))]
async fn my_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::detail(&state, &hall.id, &quarter, me(&user)?).await?,
    ))
}

/// The records behind one of my figures.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-assessments/{quarter}/evidence/{indicator}", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("indicator" = String, Path)),
    responses((status = 200, body = Evidence), (status = 422, body = ErrorBody)))]
async fn my_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, indicator)): Path<(String, String, String)>,
) -> ApiResult<Json<Evidence>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    let staff = me(&user)?;
    assessments::detail(&state, &hall.id, &quarter, staff).await?;
    Ok(Json(
        evidence::of(&state, &hall.id, &quarter, staff, &indicator).await?,
    ))
}

/// 自评: what I did this quarter, in my words (before the review).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-assessments/{quarter}/self-review", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path)),
    request_body = SelfReviewInput,
    responses((status = 200, body = AssessmentDetail), (status = 422, body = ErrorBody)))]
async fn self_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
    ApiJson(body): ApiJson<SelfReviewInput>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::self_review(&state, &user.actor(), &hall.id, &quarter, me(&user)?, &body)
            .await?,
    ))
}

/// I confirm the reviewed result.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-assessments/{quarter}/acknowledge", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 422, body = ErrorBody)))]
async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::acknowledge(&state, &user.actor(), &hall.id, &quarter, me(&user)?).await?,
    ))
}

/// I appeal the reviewed result, saying why.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-assessments/{quarter}/appeal", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path)),
    request_body = AppealInput,
    responses((status = 200, body = AssessmentDetail), (status = 422, body = ErrorBody)))]
async fn appeal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
    ApiJson(body): ApiJson<AppealInput>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::appeal(&state, &user.actor(), &hall.id, &quarter, me(&user)?, &body).await?,
    ))
}

/// 组员考核: the quarter of the members of the group I lead.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/performance/my-group/assessments/{quarter}", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path)),
    responses((status = 200, body = Vec<AssessmentDetail>), (status = 403, body = ErrorBody)))]
async fn group_assessments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter)): Path<(String, String)>,
) -> ApiResult<Json<Vec<AssessmentDetail>>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::of_my_group(&state, &hall.id, &quarter, me(&user)?).await?,
    ))
}

/// 组长评议: my comment on a member's quarter and a suggested score, before
/// the manager's review.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/performance/my-group/assessments/{quarter}/{staff}/review", security(("govhall" = ["performance.self"])), tag = "performance",
    params(("hall" = String, Path, description = "hall id or code"), ("quarter" = String, Path), ("staff" = String, Path)),
    request_body = LeaderReviewInput,
    responses((status = 200, body = AssessmentDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn leader_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, quarter, staff)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<LeaderReviewInput>,
) -> ApiResult<Json<AssessmentDetail>> {
    let hall = hall_for(&state, &user, &key, SELF).await?;
    Ok(Json(
        assessments::leader_review(
            &state,
            &user.actor(),
            &hall.id,
            &quarter,
            me(&user)?,
            &staff,
            &body,
        )
        .await?,
    ))
}
