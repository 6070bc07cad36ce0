//! 区域/楼层: the parts of a hall (企业服务区, 社会事务区 …).

use super::{
    entity::{area, window},
    hall_for,
    records::{self, Record, write_routes},
    refuse_if_referenced,
};
use crate::events;
use axum::{
    Json,
    extract::{Path, State},
};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    api::{ApiResult, ErrorBody},
    auth::CurrentUser,
    db::DbResultExt,
    events::{Actor, EventType},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
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

/// 区域 as a directory record.
pub(crate) struct Area;

impl Record for Area {
    type Entity = area::Entity;
    type Input = AreaInput;
    type Checked = AreaInput;
    type Dto = AreaDto;
    type Removed = events::Removed;
    const WHAT: &'static str = "区域";
    const CREATED: EventType<AreaDto> = events::AREA_CREATED;
    const UPDATED: EventType<AreaDto> = events::AREA_UPDATED;
    const DELETED: EventType<events::Removed> = events::AREA_DELETED;

    fn hall_column() -> area::Column {
        area::Column::HallId
    }

    async fn check(
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

    fn new_row(id: String, hall_id: &str, now: DateTime<Utc>) -> area::ActiveModel {
        area::ActiveModel {
            id: Set(id),
            hall_id: Set(hall_id.to_string()),
            created_at: Set(now),
            ..Default::default()
        }
    }

    fn write(_: &AppState, row: &mut area::ActiveModel, v: &AreaInput) {
        row.name = Set(v.name.clone());
        row.floor = Set(v.floor.clone());
        row.sort_order = Set(v.sort_order);
        row.updated_at = Set(Utc::now());
    }

    fn dto(_: &AppState, row: area::Model, _: &AreaInput) -> AreaDto {
        AreaDto::from_row(row)
    }

    fn removed(row: &area::Model) -> events::Removed {
        events::Removed {
            id: row.id.clone(),
            name: row.name.clone(),
        }
    }

    async fn before_delete(txn: &DatabaseTransaction, row: &area::Model) -> AppResult<()> {
        let used = window::Entity::find()
            .filter(window::Column::AreaId.eq(&row.id))
            .count(txn)
            .await
            .db_err()?;
        refuse_if_referenced(used, || {
            format!(
                "区域“{}”下还有 {used} 个窗口，请先调整这些窗口的区域",
                row.name
            )
        })
    }
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &AreaInput,
) -> AppResult<AreaDto> {
    records::create::<Area>(state, actor, hall_id, input).await
}

/// All areas of a hall, in display order.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/areas", security(("govhall" = ["directory.read"])), tag = "directory",
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

write_routes!(
    Area,
    AreaInput,
    AreaDto,
    "/api/v1/halls/{hall}/areas",
    "/api/v1/halls/{hall}/areas/{id}",
    create_area,
    update_area,
    delete_area,
    "Add an area.",
    "Update an area.",
    "Delete an area that no window uses."
);
