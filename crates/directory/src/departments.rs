//! 部门: the agencies stationed in the hall, identified by 统一社会信用代码.

use super::{
    commit_with, contains,
    entity::{department, staff, window},
    fetch_page, find_in_hall, hall_for, refuse_if_referenced,
};
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
    validate::{Checker, credit_code_problem},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, Page, PageQuery},
    auth::CurrentUser,
    db::DbResultExt,
    events::Actor,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments, create_department))
        .routes(routes!(update_department, delete_department))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DepartmentInput {
    pub name: String,
    /// 统一社会信用代码 (GB 32100-2015, check character verified).
    pub credit_code: String,
    pub sort_order: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentDto {
    pub id: String,
    pub hall_id: String,
    pub name: String,
    pub credit_code: String,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DepartmentDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: department::Model) -> Self {
        DepartmentDto {
            id: m.id,
            hall_id: m.hall_id,
            name: m.name,
            credit_code: m.credit_code,
            sort_order: m.sort_order,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartmentFilter {
    /// Matches name or credit code.
    pub q: Option<String>,
}

async fn validate(
    state: &AppState,
    hall_id: &str,
    input: &DepartmentInput,
    except: Option<&str>,
) -> AppResult<DepartmentInput> {
    let mut c = Checker::new();
    let name = c.text("name", "部门名称", &input.name, 100);
    let credit_code = c.text(
        "credit_code",
        "统一社会信用代码",
        &input.credit_code.to_uppercase(),
        18,
    );
    if let Some(problem) = Some(&credit_code)
        .filter(|c| !c.is_empty())
        .and_then(|c| credit_code_problem(c))
    {
        c.fail("credit_code", problem);
    }
    c.check(
        (0..=9999).contains(&input.sort_order),
        "sort_order",
        "排序号应在 0 到 9999 之间",
    );
    c.finish()?;
    let clash = department::Entity::find()
        .filter(department::Column::HallId.eq(hall_id))
        .filter(
            Condition::any()
                .add(department::Column::CreditCode.eq(&credit_code))
                .add(department::Column::Name.eq(&name)),
        )
        .all(&state.db)
        .await
        .db_err()?;
    if let Some(other) = clash.iter().find(|d| Some(d.id.as_str()) != except) {
        if other.credit_code == credit_code {
            return Err(AppError::duplicate(
                "credit_code",
                format!("统一社会信用代码 {credit_code} 已登记为“{}”", other.name),
            ));
        }
        return Err(AppError::duplicate(
            "name",
            format!("本大厅已有名为“{name}”的部门"),
        ));
    }
    Ok(DepartmentInput {
        name,
        credit_code,
        sort_order: input.sort_order,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &DepartmentInput,
) -> AppResult<DepartmentDto> {
    let v = validate(state, hall_id, input, None).await?;
    let now = Utc::now();
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let row = department::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(v.name),
        credit_code: Set(v.credit_code),
        sort_order: Set(v.sort_order),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let dto = DepartmentDto::from_row(row);
    commit_with(
        state,
        txn,
        actor,
        vec![events::DEPARTMENT_CREATED.event(Some(hall_id), &dto)],
    )
    .await?;
    Ok(dto)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<department::Model> {
    find_in_hall::<department::Entity>(state, department::Column::HallId, hall_id, id, "部门").await
}

/// Departments of a hall, searchable and paged.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/departments", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), DepartmentFilter, PageQuery),
    responses((status = 200, body = Page<DepartmentDto>), (status = 404, body = ErrorBody)))]
async fn list_departments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(filter): ApiQuery<DepartmentFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<DepartmentDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let mut q = department::Entity::find().filter(department::Column::HallId.eq(&hall.id));
    if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q = q.filter(
            Condition::any()
                .add(department::Column::Name.like(contains(text)))
                .add(department::Column::CreditCode.like(contains(&text.to_uppercase()))),
        );
    }
    let q = q
        .order_by_asc(department::Column::SortOrder)
        .order_by_asc(department::Column::Name);
    Ok(Json(
        fetch_page(&state, q, &paging)
            .await?
            .map(DepartmentDto::from_row),
    ))
}

/// Add a department.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/departments", tag = "directory", request_body = DepartmentInput,
    params(("hall" = String, Path, description = "hall id or code")),
    responses((status = 201, body = DepartmentDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_department(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> ApiResult<(StatusCode, Json<DepartmentDto>)> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    Ok((
        StatusCode::CREATED,
        Json(create(&state, &user.actor(), &hall.id, &input).await?),
    ))
}

/// Update a department.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/departments/{id}", tag = "directory", request_body = DepartmentInput,
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 200, body = DepartmentDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_department(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> ApiResult<Json<DepartmentDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let v = validate(&state, &hall.id, &input, Some(&id)).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let mut row: department::ActiveModel = existing.into();
    row.name = Set(v.name);
    row.credit_code = Set(v.credit_code);
    row.sort_order = Set(v.sort_order);
    row.updated_at = Set(Utc::now());
    let dto = DepartmentDto::from_row(row.update(&txn).await?);
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::DEPARTMENT_UPDATED.event(Some(&hall.id), &dto)],
    )
    .await?;
    Ok(Json(dto))
}

/// Delete a department that no window or staff member belongs to.
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/departments/{id}", tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), ("id" = String, Path)),
    responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete_department(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::EDIT).await?;
    let existing = find(&state, &hall.id, &id).await?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let windows = window::Entity::find()
        .filter(window::Column::DepartmentId.eq(&id))
        .count(&txn)
        .await?;
    let people = staff::Entity::find()
        .filter(staff::Column::DepartmentId.eq(&id))
        .count(&txn)
        .await?;
    refuse_if_referenced(windows + people, || {
        format!(
            "部门“{}”仍有 {windows} 个窗口、{people} 名人员，请先调整后再删除",
            existing.name
        )
    })?;
    department::Entity::delete_by_id(id.clone())
        .exec(&txn)
        .await?;
    commit_with(
        &state,
        txn,
        &user.actor(),
        vec![events::DEPARTMENT_DELETED.event(
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
