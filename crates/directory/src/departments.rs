//! 部门: the agencies stationed in the hall, identified by 统一社会信用代码.

use super::{
    contains,
    entity::{department, staff, window},
    fetch_page, hall_for,
    records::{self, Record, write_routes},
    refuse_if_referenced,
};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, identity::CreditCode, validate::Checker};
use govhall_platform::{
    AppState,
    api::{ApiQuery, ApiResult, ErrorBody, Page, PageQuery},
    auth::CurrentUser,
    db::DbResultExt,
    events::{Actor, EventType},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
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

/// 部门 as a directory record.
pub(crate) struct Department;

impl Record for Department {
    type Entity = department::Entity;
    type Input = DepartmentInput;
    type Checked = DepartmentInput;
    type Dto = DepartmentDto;
    type Removed = events::Removed;
    const WHAT: &'static str = "部门";
    const CREATED: EventType<DepartmentDto> = events::DEPARTMENT_CREATED;
    const UPDATED: EventType<DepartmentDto> = events::DEPARTMENT_UPDATED;
    const DELETED: EventType<events::Removed> = events::DEPARTMENT_DELETED;

    fn hall_column() -> department::Column {
        department::Column::HallId
    }

    async fn check(
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
        if !credit_code.is_empty() {
            c.parsed("credit_code", CreditCode::parse(&credit_code), |reason| {
                reason
            });
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

    fn new_row(id: String, hall_id: &str, now: DateTime<Utc>) -> department::ActiveModel {
        department::ActiveModel {
            id: Set(id),
            hall_id: Set(hall_id.to_string()),
            created_at: Set(now),
            ..Default::default()
        }
    }

    fn write(_: &AppState, row: &mut department::ActiveModel, v: &DepartmentInput) {
        row.name = Set(v.name.clone());
        row.credit_code = Set(v.credit_code.clone());
        row.sort_order = Set(v.sort_order);
        row.updated_at = Set(Utc::now());
    }

    fn dto(_: &AppState, row: department::Model, _: &DepartmentInput) -> DepartmentDto {
        DepartmentDto::from_row(row)
    }

    fn removed(row: &department::Model) -> events::Removed {
        events::Removed {
            id: row.id.clone(),
            name: row.name.clone(),
        }
    }

    async fn before_delete(txn: &DatabaseTransaction, row: &department::Model) -> AppResult<()> {
        let windows = window::Entity::find()
            .filter(window::Column::DepartmentId.eq(&row.id))
            .count(txn)
            .await
            .db_err()?;
        let people = staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(&row.id))
            .count(txn)
            .await
            .db_err()?;
        refuse_if_referenced(windows + people, || {
            format!(
                "部门“{}”仍有 {windows} 个窗口、{people} 名人员，请先调整后再删除",
                row.name
            )
        })
    }
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &DepartmentInput,
) -> AppResult<DepartmentDto> {
    records::create::<Department>(state, actor, hall_id, input).await
}

/// Departments of a hall, searchable and paged.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/departments", security(("govhall" = ["directory.read"])), tag = "directory",
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

write_routes!(
    Department,
    DepartmentInput,
    DepartmentDto,
    "/api/v1/halls/{hall}/departments",
    "/api/v1/halls/{hall}/departments/{id}",
    create_department,
    update_department,
    delete_department,
    "Add a department.",
    "Update a department.",
    "Delete a department that no window or staff member belongs to."
);
