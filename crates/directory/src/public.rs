//! What the terminals in the hall may read without signing in: the hall's
//! name, hours, areas and windows — the facts printed on the wall anyway.

use super::{
    entity::{area, hall, window},
    find_hall,
    halls::HallDto,
    model::{WINDOW_KINDS, WINDOW_STATUSES, label},
};
use axum::{
    Json,
    extract::{Path, State},
};
use govhall_platform::{
    AppState,
    api::{ApiResult, ErrorBody},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_halls))
        .routes(routes!(public_hall))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicHall {
    pub id: String,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub hours_note: String,
}

impl From<HallDto> for PublicHall {
    fn from(h: HallDto) -> Self {
        PublicHall {
            id: h.id,
            code: h.code,
            name: h.name,
            region_code: h.region_code,
            address: h.address,
            opens_at: h.opens_at,
            closes_at: h.closes_at,
            hours_note: h.hours_note,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicWindow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub area_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicArea {
    pub name: String,
    pub floor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicHallDetail {
    pub hall: PublicHall,
    pub areas: Vec<PublicArea>,
    pub windows: Vec<PublicWindow>,
}

/// Halls served by this server (public).
#[utoipa::path(get, path = "/api/v1/public/halls", security(()), tag = "public",
    responses((status = 200, body = Vec<PublicHall>)))]
async fn public_halls(State(state): State<AppState>) -> ApiResult<Json<Vec<PublicHall>>> {
    let rows = hall::Entity::find()
        .order_by_asc(hall::Column::Code)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|h| HallDto::from_row(h).into())
            .collect(),
    ))
}

/// A hall with its areas and windows (public; for terminals and screens).
#[utoipa::path(get, path = "/api/v1/public/halls/{hall}", security(()), tag = "public",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = PublicHallDetail), (status = 404, body = ErrorBody)))]
async fn public_hall(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<Json<PublicHallDetail>> {
    let h = find_hall(&state, &key).await?;
    let areas = area::Entity::find()
        .filter(area::Column::HallId.eq(&h.id))
        .order_by_asc(area::Column::SortOrder)
        .all(&state.db)
        .await?;
    let area_names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let windows = window::Entity::find()
        .filter(window::Column::HallId.eq(&h.id))
        .order_by_asc(window::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|w| PublicWindow {
            kind_label: label(WINDOW_KINDS, &w.kind).into(),
            status_label: label(WINDOW_STATUSES, &w.status).into(),
            area_name: w
                .area_id
                .as_deref()
                .and_then(|id| area_names.get(id))
                .map(|s| s.to_string()),
            code: w.code,
            name: w.name,
            kind: w.kind,
            status: w.status,
        })
        .collect();
    let areas = areas
        .into_iter()
        .map(|a| PublicArea {
            name: a.name,
            floor: a.floor,
        })
        .collect();
    Ok(Json(PublicHallDetail {
        hall: HallDto::from_row(h).into(),
        areas,
        windows,
    }))
}
