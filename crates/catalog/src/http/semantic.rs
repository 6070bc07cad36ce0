//! The hall's semantic-retrieval settings: an OpenAI-compatible embeddings
//! endpoint (its key written, never read back) and the rebuild of the
//! catalog's vectors.

use crate::semantic::{self, EmbeddingSettings, EmbeddingSettingsInput, RebuildReport};
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
        .routes(routes!(get_embeddings, save_embeddings))
        .routes(routes!(rebuild_vectors))
}

/// The hall's semantic-retrieval settings and how many vectors are built.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/catalog/embeddings", security(("govhall" = ["catalog.read"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = EmbeddingSettings)))]
async fn get_embeddings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<EmbeddingSettings>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(semantic::get(&state, &hall.id).await?))
}

/// Save the hall's OpenAI-compatible embeddings endpoint (the key is stored encrypted).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/catalog/embeddings", security(("govhall" = ["catalog.publish"])), tag = "catalog",
    request_body = EmbeddingSettingsInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = EmbeddingSettings), (status = 422, body = ErrorBody)))]
async fn save_embeddings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<EmbeddingSettingsInput>,
) -> ApiResult<Json<EmbeddingSettings>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::PUBLISH).await?;
    Ok(Json(semantic::save(&state, &user, &hall.id, input).await?))
}

/// Embed every published matter and 一件事 of the hall again (after changing
/// the model, or when many matters changed); the old vectors stay on failure.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/catalog/embeddings/rebuild", security(("govhall" = ["catalog.publish"])), tag = "catalog",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = RebuildReport), (status = 409, body = ErrorBody)))]
async fn rebuild_vectors(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<RebuildReport>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::PUBLISH).await?;
    Ok(Json(semantic::rebuild(&state, &user, &hall.id).await?))
}
