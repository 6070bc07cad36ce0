//! What kiosks and phones read without signing in: search over published
//! items and bundles, a published item, and its attachments.

use super::items::{SearchQuery, run_search};
use super::transfer::read_attachment;
use crate::entity::item;
use crate::guide_links::{self, GuideLink, SendInput};
use crate::items::published_doc_of;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use govhall_kernel::AppError;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, public_base_url},
    auth::CurrentUser,
    db::DbResultExt,
    halls::{find_hall, hall_for},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_search))
        .routes(routes!(public_item))
        .routes(routes!(public_resolve))
        .routes(routes!(public_bundle))
        .routes(routes!(public_resolve_bundle))
        .routes(routes!(public_attachment))
        .routes(routes!(open_guide_link))
        .routes(routes!(send_guide_link))
}

/// 发送到手机: text a guidance result (matter + answers) to a citizen's phone as
/// a short link. Kiosks and staff who issue tickets.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/guidance/sms", security(("govhall" = ["guidance.send"])), tag = "catalog",
    request_body = SendInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = Object), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn send_guide_link(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<SendInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::GUIDANCE_SEND).await?;
    let base = public_base_url(&state, &headers);
    let link = guide_links::send(&state, &user.actor(), &hall, input, &base).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "link": link })),
    ))
}

/// The guidance result behind a texted link.
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/guide-links/{token}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("token" = String, Path)),
    responses((status = 200, body = GuideLink), (status = 404, body = ErrorBody)))]
async fn open_guide_link(
    State(state): State<AppState>,
    Path((key, token)): Path<(String, String)>,
) -> ApiResult<Json<GuideLink>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(guide_links::open(&state, &hall.id, &token).await?))
}

/// Search the hall's published items and 一件事 (for kiosks and phones): only
/// the hits guidance is confident of; none means "not understood", and the
/// screen offers browsing and the 咨询台. A search that finds nothing is
/// counted for the center (see `catalog/search-misses`).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/catalog/search", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), SearchQuery),
    responses((status = 200, body = Vec<crate::search::Hit>)))]
async fn public_search(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<crate::search::Hit>>> {
    let hall = find_hall(&state, &key).await?;
    let hits = run_search(&state, &hall.id, &q, true).await?;
    if hits.is_empty() && !q.browse {
        crate::misses::record(&state, &hall.id, &q.q).await?;
    }
    Ok(Json(hits))
}

/// A 一件事 of the hall with its published members (for kiosks and phones).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/catalog/bundles/{id}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = crate::bundles::PublicBundle), (status = 404, body = ErrorBody)))]
async fn public_bundle(
    State(state): State<AppState>,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<Json<crate::bundles::PublicBundle>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(
        crate::bundles::public_view(&state, &hall.id, &id).await?,
    ))
}

/// The joint checklist of a 一件事 for the answers given to each member:
/// shared materials once, the longest time limit, every member's outcome (a
/// member not needed under the answers says so).
#[utoipa::path(post, path = "/api/v1/public/halls/{hall}/catalog/bundles/{id}/resolve", security(()), tag = "public",
    request_body = crate::http::bundles::BundleAnswers,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn public_resolve_bundle(
    State(state): State<AppState>,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<crate::http::bundles::BundleAnswers>,
) -> ApiResult<Json<crate::bundle::JointChecklist>> {
    let hall = find_hall(&state, &key).await?;
    Ok(Json(
        crate::bundles::resolve(&state, &hall.id, &id, &input.answers).await?,
    ))
}

/// The hall's published item with this 实施编码.
async fn published(state: &AppState, hall_id: &str, code: &str) -> ApiResult<item::Model> {
    Ok(item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .filter(item::Column::TaskCode.eq(code))
        .one(&state.db)
        .await
        .db_err()?
        .filter(|i| i.published_version.is_some())
        .ok_or_else(|| AppError::not_found("事项"))?)
}

/// A published item by 实施编码 (the version guides and cases use).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}/catalog/items/{code}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code"), ("code" = String, Path, description = "实施编码")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn public_item(
    State(state): State<AppState>,
    Path((key, code)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let hall = find_hall(&state, &key).await?;
    let it = published(&state, &hall.id, &code).await?;
    let (version, doc) = published_doc_of(&state, &it).await?;
    Ok(Json(
        serde_json::json!({"id": it.id, "version": version, "doc": doc}),
    ))
}

/// Download a blank form or sample.
#[utoipa::path(get, path = "/api/v1/public/catalog/attachments/{id}", security(()), tag = "public",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = ErrorBody)))]
async fn public_attachment(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (row, bytes) = read_attachment(&state, &id).await?;
    let encoded: String = row
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Guidance for citizens (kiosk, phone): the questions to ask for these answers
/// and, once all are answered, the exact checklist with why each line is there
/// (the answers that led to it are counted for the center).
#[utoipa::path(post, path = "/api/v1/public/halls/{hall}/catalog/items/{code}/resolve", security(()), tag = "public",
    request_body = super::items::ResolveInput,
    params(("hall" = String, Path, description = "hall id or code"), ("code" = String, Path, description = "实施编码")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn public_resolve(
    State(state): State<AppState>,
    Path((key, code)): Path<(String, String)>,
    ApiJson(input): ApiJson<super::items::ResolveInput>,
) -> ApiResult<Json<Value>> {
    let hall = find_hall(&state, &key).await?;
    let it = published(&state, &hall.id, &code).await?;
    // Citizens see the published version only, whatever the body asks.
    let (version, doc) = published_doc_of(&state, &it).await?;
    crate::choices::record(&state, &hall.id, &doc, &input.answers).await?;
    Ok(Json(super::items::resolution_view(
        version,
        &doc,
        &input.answers,
    )))
}
