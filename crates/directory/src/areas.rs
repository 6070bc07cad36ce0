//! 区域/楼层: the parts of a hall (企业服务区, 社会事务区 …).

use super::{
    commit_with,
    entity::{area, window},
    find_in_hall, hall_for, refuse_if_referenced,
};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::DbResultExt,
    events::Actor,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_areas, create_area))
        .routes(routes!(update_area, delete_area))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AreaInput {
    pub name: String,
    /// e.g. `1F`
    pub floor: Option<String>,
    pub sort_order: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaDto {
    pub id: String,
    pub hall_id: String,
    pub name: String,
    pub floor: Option<String>,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AreaDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: area::Model) -> Self {
        AreaDto {
            id: m.id,
            hall_id: m.hall_id,
            name: m.name,
            floor: m.floor,
            sort_order: m.sort_order,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

async fn validate(
    state: &AppState,
    hall_id: &str,
    input: &AreaInput,
    except: Option<&str>,
) -> AppResult<AreaInput> {
    let mut c = Checker::new();
    let name = c.text("name", "区域名称", &input.name, 50);
    let floor = c.optional_text("floor", "楼层", input.floor.as_deref(), 20);
    c.check(
        (0..=9999).contains(&input.sort_order),
        "sort_order",
        "排序号应在 0 到 9999 之间",
    );
    c.finish()?;
    let clash = area::Entity::find()
        .filter(area::Column::HallId.eq(hall_id))
        .filter(area::Column::Name.eq(&name))
        .one(&state.db)
        .await
        .db_err()?;
    if clash.is_some_and(|a| Some(a.id.as_str()) != except) {
        return Err(AppError::duplicate(
            "name",
            format!("本大厅已有名为“{name}”的区域"),
        ));
    }
    Ok(AreaInput {
        name,
        floor,
        sort_order: input.sort_order,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &AreaInput,
) -> AppResult<AreaDto> {
    let v = validate(state, hall_id, input, None).await?;
    let now = Utc::now();
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let row = area::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(v.name),
        floor: Set(v.floor),
        sort_order: Set(v.sort_order),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let dto = AreaDto::from_row(row);
    commit_with(
        state,
        txn,
        actor,
        vec![events::AREA_CREATED.event(Some(hall_id), &dto)],
    )
    .await?;
    Ok(dto)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<area::Model> {
    find_in_hall::<area::Entity>(state, area::Column::HallId, hall_id, id, "区域").await
}

/// All areas of a hall, in display order.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/areas", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = Vec<AreaDto>), (status = 404, body = ErrorBody)))]
async fn list_areas(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<AreaDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let rows = area::Entity::find()
        .filter(area::Column::HallId.eq(&hall.id))
        .order_by_asc(area::Column::SortOrder)
        .order_by_asc(area::Column::Name)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(AreaDto::from_row).collect()))
}

/// Add an area.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/areas", tag = "directory", request_body = AreaInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = AreaDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_area(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<(StatusCode, Json<AreaDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &user.actor(), &hall.id, &input).await?),
    ))
}

/// Update an area.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/areas/{id}", tag = "directory", request_body = AreaInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = AreaDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_area(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<Json<AreaDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let v = validate(&state, &hall.id, &input, Some(&id)).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let mut row: area::ActiveModel = existing.into();
    row.name = Set(v.name);
    row.floor = Set(v.floor);
    row.sort_order = Set(v.sort_order);
    row.updated_at = Set(Utc::now());
    let dto = AreaDto::from_row(row.update(&txn).await?);
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::AREA_UPDATED.event(Some(&hall.id), &dto)],
    )
    .await?;
    Ok(Json(dto))
}

/// Delete an area that no window uses.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/areas/{id}", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete_area(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let used = window::Entity::find()
        .filter(window::Column::AreaId.eq(&id))
        .count(&txn)
        .await?;
    refuse_if_referenced(used, || {
        format!(
            "区域“{}”下还有 {used} 个窗口，请先调整这些窗口的区域",
            existing.name
        )
    })?;
    area::Entity::delete_by_id(id.clone()).exec(&txn).await?;
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::AREA_DELETED.event(
            Some(&hall.id),
            &events::Removed {
                id: id.clone(),
                name: existing.name.clone(),
            },
        )],
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
