//! 一件事 and synonym endpoints.

use crate::bundle::{BundleDoc, JointChecklist};
use crate::bundles as svc;
use crate::interchange::{SynonymGroup, read_value};
use crate::items::invalid;
use crate::scenario::Answers;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use govhall_kernel::error::AppResult;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bundles, create_bundle))
        .routes(routes!(update_bundle, delete_bundle))
        .routes(routes!(resolve_bundle))
        .routes(routes!(get_synonyms, put_synonyms))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BundleDto {
    pub id: String,
    #[schema(value_type = Object)]
    pub doc: BundleDoc,
}

fn bundle_from(value: Value) -> AppResult<BundleDoc> {
    let mut problems = Vec::new();
    match read_value::<BundleDoc>(value, "", &mut problems) {
        Some(doc) if problems.is_empty() => Ok(doc),
        _ => Err(invalid(problems)),
    }
}

/// The hall's 一件事 bundles.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/bundles", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<BundleDto>)))]
async fn list_bundles(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<BundleDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(
        svc::list(&state, &hall.id)
            .await?
            .into_iter()
            .map(|(b, doc)| BundleDto { id: b.id, doc })
            .collect(),
    ))
}

/// Create a 一件事 bundle.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/bundles", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = Object, description = "{code, name, description, members: [{task_code, note}], keywords}"),
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = BundleDto), (status = 422, body = ErrorBody)))]
async fn create_bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<(StatusCode, Json<BundleDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let doc = bundle_from(body)?;
    let b = svc::save(&state, &user.actor(), &hall.id, None, doc.clone()).await?;
    Ok((StatusCode::CREATED, Json(BundleDto { id: b.id, doc })))
}

/// Replace a 一件事 bundle.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/catalog/bundles/{id}", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    request_body(content = Object, description = "{code, name, description, members, keywords}"),
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = BundleDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<BundleDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let doc = bundle_from(body)?;
    let b = svc::save(&state, &user.actor(), &hall.id, Some(&id), doc.clone()).await?;
    Ok(Json(BundleDto { id: b.id, doc }))
}

/// Delete a 一件事 bundle.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/catalog/bundles/{id}", security(("govhall" = ["catalog.edit"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    svc::delete(&state, &user.actor(), &hall.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BundleAnswers {
    /// 实施编码 → that member's answers.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Answers>,
}

/// The joint checklist: each member resolved with its own answers, shared
/// materials listed once with the members that need them, the longest limit.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/bundles/{id}/resolve", security(("govhall" = ["catalog.read"])), tag = "catalog", request_body = BundleAnswers,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody)))]
async fn resolve_bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<BundleAnswers>,
) -> ApiResult<Json<JointChecklist>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(
        svc::resolve(&state, &hall.id, &id, &input.answers).await?,
    ))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SynonymsBody {
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<SynonymGroup>,
}

/// The synonym table used by search.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/synonyms", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = SynonymsBody)))]
async fn get_synonyms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<SynonymsBody>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(SynonymsBody {
        groups: svc::synonyms(&state, &hall.id).await?,
    }))
}

/// Replace the synonym table (takes effect in search at once).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/catalog/synonyms", security(("govhall" = ["catalog.edit"])), tag = "catalog", request_body = SynonymsBody,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = SynonymsBody), (status = 422, body = ErrorBody)))]
async fn put_synonyms(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<SynonymsBody>,
) -> ApiResult<Json<SynonymsBody>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok(Json(SynonymsBody {
        groups: svc::set_synonyms(&state, &user.actor(), &hall.id, body.groups).await?,
    }))
}
