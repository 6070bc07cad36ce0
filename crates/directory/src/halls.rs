//! 大厅: code, name, 行政区划代码, address, opening hours.

use super::{commit_with, entity::hall, find_hall, hall_for};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use govhall_kernel::{
    AppError,
    error::AppResult,
    new_id,
    validate::{Checker, is_clock_time, is_region_code},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::DbResultExt,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_halls, create_hall))
        .routes(routes!(get_hall, update_hall))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HallInput {
    /// 大厅编码, unique, e.g. `CA-ZWFW`.
    pub code: String,
    pub name: String,
    /// 行政区划代码 (6 digits), e.g. `610116`.
    pub region_code: String,
    pub address: String,
    /// `HH:MM`
    pub opens_at: String,
    /// `HH:MM`
    pub closes_at: String,
    /// e.g. 周一至周五（法定节假日除外）
    pub hours_note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HallDto {
    pub id: String,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub address: String,
    pub opens_at: String,
    pub closes_at: String,
    pub hours_note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl HallDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: hall::Model) -> Self {
        HallDto {
            id: m.id,
            code: m.code,
            name: m.name,
            region_code: m.region_code,
            address: m.address,
            opens_at: m.opens_at,
            closes_at: m.closes_at,
            hours_note: m.hours_note,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Validates and normalizes the input; every problem is reported at once.
fn validate(input: &HallInput) -> AppResult<HallInput> {
    let mut c = Checker::new();
    let code = c.text("code", "大厅编码", &input.code, 32);
    c.check(
        code.is_empty()
            || code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'),
        "code",
        "大厅编码只能包含字母、数字、短横线和下划线",
    );
    let name = c.text("name", "大厅名称", &input.name, 100);
    let region_code = c.text("region_code", "行政区划代码", &input.region_code, 6);
    c.check(
        region_code.is_empty() || is_region_code(&region_code),
        "region_code",
        "行政区划代码应为 6 位数字，例如 610116",
    );
    let address = c.text("address", "地址", &input.address, 200);
    let opens_at = c.text("opens_at", "开始办公时间", &input.opens_at, 5);
    let closes_at = c.text("closes_at", "结束办公时间", &input.closes_at, 5);
    let opens_ok = is_clock_time(&opens_at);
    let closes_ok = is_clock_time(&closes_at);
    c.check(
        opens_at.is_empty() || opens_ok,
        "opens_at",
        "开始办公时间应为 HH:MM 格式，例如 09:00",
    );
    c.check(
        closes_at.is_empty() || closes_ok,
        "closes_at",
        "结束办公时间应为 HH:MM 格式，例如 17:00",
    );
    c.check(
        !(opens_ok && closes_ok) || opens_at < closes_at,
        "closes_at",
        "结束办公时间必须晚于开始办公时间",
    );
    let hours_note = c.optional_text("hours_note", "办公时间说明", Some(&input.hours_note), 200);
    c.finish()?;
    Ok(HallInput {
        code,
        name,
        region_code,
        address,
        opens_at,
        closes_at,
        hours_note: hours_note.unwrap_or_default(),
    })
}

async fn ensure_code_free(state: &AppState, code: &str, except: Option<&str>) -> AppResult<()> {
    let clash = hall::Entity::find()
        .filter(hall::Column::Code.eq(code))
        .one(&state.db)
        .await
        .db_err()?;
    match clash {
        Some(h) if Some(h.id.as_str()) != except => Err(AppError::duplicate(
            "code",
            format!("大厅编码“{code}”已被“{}”使用", h.name),
        )),
        _ => Ok(()),
    }
}

pub async fn create(
    state: &AppState,
    actor: &govhall_platform::events::Actor,
    input: &HallInput,
) -> AppResult<HallDto> {
    let v = validate(input)?;
    ensure_code_free(state, &v.code, None).await?;
    let now = Utc::now();
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let row = hall::ActiveModel {
        id: Set(new_id().to_string()),
        code: Set(v.code),
        name: Set(v.name),
        region_code: Set(v.region_code),
        address: Set(v.address),
        opens_at: Set(v.opens_at),
        closes_at: Set(v.closes_at),
        hours_note: Set(v.hours_note),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let dto = HallDto::from_row(row);
    commit_with(
        state,
        txn,
        actor,
        vec![events::HALL_CREATED.event(Some(&dto.id), &dto)],
    )
    .await?;
    Ok(dto)
}

/// Halls the user may see.
#[utoipa::path(get, path = "/api/v1/halls", security(("govhall" = ["directory.read"])), tag = "directory",
    responses((status = 200, body = Vec<HallDto>), (status = 401, body = ErrorBody)))]
async fn list_halls(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<HallDto>>> {
    user.require(crate::permissions::READ)?;
    let mut q = hall::Entity::find().order_by_asc(hall::Column::Code);
    if !user.sees_every_hall() {
        // A hall-less account that is not 系统管理员 matches no hall.
        q = q.filter(hall::Column::Id.eq(user.hall_id.clone().unwrap_or_default()));
    }
    let rows = q.all(&state.db).await?;
    Ok(Json(rows.into_iter().map(HallDto::from_row).collect()))
}

/// Create a hall (系统管理员).
#[utoipa::path(post, path = "/api/v1/halls", security(("govhall" = ["halls.edit"])), tag = "directory", request_body = HallInput,
    responses((status = 201, body = HallDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_hall(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<HallInput>,
) -> ApiResult<(StatusCode, Json<HallDto>)> {
    user.require(crate::permissions::HALLS_EDIT)?;
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &user.actor(), &input).await?),
    ))
}

/// One hall, by id or code.
#[utoipa::path(get, path = "/api/v1/halls/{hall}", security(("govhall" = ["directory.read"])), tag = "directory",
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = HallDto), (status = 404, body = ErrorBody)))]
async fn get_hall(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> ApiResult<Json<HallDto>> {
    Ok(Json(HallDto::from_row(
        hall_for(&state, &user, &key, crate::permissions::READ).await?,
    )))
}

/// Update a hall's details.
#[utoipa::path(put, path = "/api/v1/halls/{hall}", security(("govhall" = ["directory.edit"])), tag = "directory", request_body = HallInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 200, body = HallDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_hall(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<HallInput>,
) -> ApiResult<Json<HallDto>> {
    let existing = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let v = validate(&input)?;
    ensure_code_free(&state, &v.code, Some(&existing.id)).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let mut row: hall::ActiveModel = existing.into();
    row.code = Set(v.code);
    row.name = Set(v.name);
    row.region_code = Set(v.region_code);
    row.address = Set(v.address);
    row.opens_at = Set(v.opens_at);
    row.closes_at = Set(v.closes_at);
    row.hours_note = Set(v.hours_note);
    row.updated_at = Set(Utc::now());
    let dto = HallDto::from_row(row.update(&txn).await?);
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::HALL_UPDATED.event(Some(&dto.id), &dto)],
    )
    .await?;
    Ok(Json(dto))
}

/// For callers that hold a hall key but not a user (terminals, CLI).
pub async fn get(state: &AppState, key: &str) -> AppResult<HallDto> {
    Ok(HallDto::from_row(find_hall(state, key).await?))
}
