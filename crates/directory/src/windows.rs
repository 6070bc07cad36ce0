//! 服务窗口: 综合窗口 / 专业窗口 / 出件窗口 / 咨询台, each in an area and
//! optionally belonging to a department.

use super::{
    contains,
    entity::{area, department, window, window_session},
    events, fetch_page, hall_for,
    model::{WINDOW_KINDS, WINDOW_STATUSES, label},
    records::{self, Record, write_routes},
};
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    api::{ApiQuery, ApiResult, ErrorBody, Page, PageQuery, refuse_if_referenced},
    auth::CurrentUser,
    db::DbResultExt,
    events::{Actor, EventType},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_windows, create_window))
        .routes(routes!(update_window, delete_window))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct WindowInput {
    /// 窗口编号, unique in the hall, e.g. `01` or `A01`.
    pub code: String,
    /// e.g. 1号综合窗口
    pub name: String,
    /// comprehensive | professional | delivery | consult
    pub kind: String,
    /// open | paused | closed
    pub status: String,
    pub area_id: Option<String>,
    pub department_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WindowDto {
    pub id: String,
    pub hall_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub pause_reason: Option<String>,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowFilter {
    /// Matches code or name.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub area_id: Option<String>,
}

/// Names of a hall's areas and departments, for labelling rows.
pub(crate) struct Names {
    areas: HashMap<String, String>,
    departments: HashMap<String, String>,
}

pub(crate) async fn names(state: &AppState, hall_id: &str) -> AppResult<Names> {
    let areas = area::Entity::find()
        .filter(area::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let departments = department::Entity::find()
        .filter(department::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    Ok(Names { areas, departments })
}

pub(crate) fn to_dto(m: window::Model, names: &Names) -> WindowDto {
    WindowDto {
        kind_label: label(WINDOW_KINDS, &m.kind).into(),
        status_label: label(WINDOW_STATUSES, &m.status).into(),
        area_name: m
            .area_id
            .as_ref()
            .and_then(|id| names.areas.get(id).cloned()),
        department_name: m
            .department_id
            .as_ref()
            .and_then(|id| names.departments.get(id).cloned()),
        id: m.id,
        hall_id: m.hall_id,
        code: m.code,
        name: m.name,
        kind: m.kind,
        status: m.status,
        pause_reason: m.pause_reason,
        area_id: m.area_id,
        department_id: m.department_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// 窗口 as a directory record.
pub(crate) struct Window;

impl Record for Window {
    type Entity = window::Entity;
    type Input = WindowInput;
    type Checked = (WindowInput, Names);
    type Dto = WindowDto;
    type Removed = events::WindowDeleted;
    const WHAT: &'static str = "窗口";
    const CREATED: EventType<WindowDto> = events::WINDOW_CREATED;
    const UPDATED: EventType<WindowDto> = events::WINDOW_UPDATED;
    const DELETED: EventType<events::WindowDeleted> = events::WINDOW_DELETED;

    fn hall_column() -> window::Column {
        window::Column::HallId
    }

    async fn check(
        state: &AppState,
        hall_id: &str,
        input: &WindowInput,
        except: Option<&str>,
    ) -> AppResult<(WindowInput, Names)> {
        let names = names(state, hall_id).await?;
        let mut c = Checker::new();
        let code = c.text("code", "窗口编号", &input.code, 20);
        c.check(
            code.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-'),
            "code",
            "窗口编号只能包含字母、数字和短横线",
        );
        let name = c.text("name", "窗口名称", &input.name, 50);
        let kind = if input.kind.trim().is_empty() {
            "comprehensive".to_string()
        } else {
            input.kind.trim().to_string()
        };
        c.one_of("kind", "窗口类型", &kind, WINDOW_KINDS);
        let status = if input.status.trim().is_empty() {
            "open".to_string()
        } else {
            input.status.trim().to_string()
        };
        c.one_of("status", "窗口状态", &status, WINDOW_STATUSES);
        let area_id = blank_to_none(&input.area_id);
        if let Some(id) = &area_id {
            c.check(
                names.areas.contains_key(id),
                "area_id",
                "所选区域不属于本大厅或已被删除",
            );
        }
        let department_id = blank_to_none(&input.department_id);
        if let Some(id) = &department_id {
            c.check(
                names.departments.contains_key(id),
                "department_id",
                "所选部门不属于本大厅或已被删除",
            );
        }
        c.check(
            kind != "professional" || department_id.is_some(),
            "department_id",
            "专业窗口必须指定所属部门",
        );
        c.finish()?;
        let clash = window::Entity::find()
            .filter(window::Column::HallId.eq(hall_id))
            .filter(window::Column::Code.eq(&code))
            .one(&state.db)
            .await
            .db_err()?;
        if let Some(other) = clash.filter(|w| Some(w.id.as_str()) != except) {
            return Err(AppError::duplicate(
                "code",
                format!("窗口编号“{code}”已被“{}”使用", other.name),
            ));
        }
        Ok((
            WindowInput {
                code,
                name,
                kind,
                status,
                area_id,
                department_id,
            },
            names,
        ))
    }

    fn new_row(id: String, hall_id: &str, now: DateTime<Utc>) -> window::ActiveModel {
        window::ActiveModel {
            id: Set(id),
            hall_id: Set(hall_id.to_string()),
            pause_reason: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
    }

    fn write(_: &AppState, row: &mut window::ActiveModel, (v, _): &(WindowInput, Names)) {
        row.code = Set(v.code.clone());
        row.name = Set(v.name.clone());
        row.kind = Set(v.kind.clone());
        if v.status != "paused" {
            row.pause_reason = Set(None);
        }
        row.status = Set(v.status.clone());
        row.area_id = Set(v.area_id.clone());
        row.department_id = Set(v.department_id.clone());
        row.updated_at = Set(Utc::now());
    }

    fn dto(_: &AppState, row: window::Model, (_, names): &(WindowInput, Names)) -> WindowDto {
        to_dto(row, names)
    }

    fn removed(row: &window::Model) -> events::WindowDeleted {
        events::WindowDeleted {
            id: row.id.clone(),
            code: row.code.clone(),
            name: row.name.clone(),
        }
    }

    /// A window someone is signed in at stays: they would be serving at a
    /// window that no longer exists.
    async fn before_delete(txn: &DatabaseTransaction, row: &window::Model) -> AppResult<()> {
        let open = window_session::Entity::find()
            .filter(window_session::Column::WindowId.eq(&row.id))
            .filter(window_session::Column::EndedAt.is_null())
            .count(txn)
            .await
            .db_err()?;
        refuse_if_referenced(open, || {
            format!("窗口“{}”有工作人员正在签到使用，请其签退后再删除", row.name)
        })
    }
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &WindowInput,
) -> AppResult<WindowDto> {
    records::create::<Window>(state, actor, hall_id, input).await
}

/// Windows of a hall with search, filters and paging.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/windows", security(("govhall" = ["directory.read"])), tag = "directory",
    params(("hall" = String, Path, description = "hall id or code"), WindowFilter, PageQuery),
    responses((status = 200, body = Page<WindowDto>), (status = 404, body = ErrorBody)))]
async fn list_windows(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(filter): ApiQuery<WindowFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<WindowDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    let mut q = window::Entity::find().filter(window::Column::HallId.eq(&hall.id));
    if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q = q.filter(
            Condition::any()
                .add(window::Column::Code.like(contains(text)))
                .add(window::Column::Name.like(contains(text))),
        );
    }
    if let Some(kind) = filter.kind.filter(|s| !s.is_empty()) {
        q = q.filter(window::Column::Kind.eq(kind));
    }
    if let Some(status) = filter.status.filter(|s| !s.is_empty()) {
        q = q.filter(window::Column::Status.eq(status));
    }
    if let Some(area_id) = filter.area_id.filter(|s| !s.is_empty()) {
        q = q.filter(window::Column::AreaId.eq(area_id));
    }
    let rows = fetch_page(&state, q.order_by_asc(window::Column::Code), &paging).await?;
    let names = names(&state, &hall.id).await?;
    Ok(Json(rows.map(|m| to_dto(m, &names))))
}

write_routes!(
    Window,
    WindowInput,
    WindowDto,
    "/api/v1/halls/{hall}/windows",
    "/api/v1/halls/{hall}/windows/{id}",
    create_window,
    update_window,
    delete_window,
    "Add a window.",
    "Update a window.",
    "Delete a window."
);
