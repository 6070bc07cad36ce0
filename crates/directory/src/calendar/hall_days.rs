//! A hall's own days beside the national calendar: `open` (the hall works on
//! a rest day, e.g. 周六延时服务) or `closed` (it closes on a working day, e.g.
//! 闭厅检修). They change the hall's appointment days, never a legal deadline.
//! The hall's 中心管理员 keeps them.

use super::entity::hall_day as entity;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{NaiveDate, Utc};
use govhall_kernel::{
    AppError,
    calendar::{DayKind, SpecialDay},
    error::AppResult,
    validate::Checker,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    db::DbResultExt,
    events::commit_with,
    halls::hall_for,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_hall_days))
        .routes(routes!(put_hall_day, delete_hall_day))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HallDayDto {
    pub date: NaiveDate,
    /// `open` (本厅开放) or `closed` (本厅闭厅)
    pub kind: String,
    pub name: String,
}

impl HallDayDto {
    /// As the calendar counts it.
    pub fn as_special_day(&self) -> SpecialDay {
        SpecialDay {
            date: self.date,
            kind: if self.kind == "open" {
                DayKind::Workday
            } else {
                DayKind::Holiday
            },
            name: self.name.clone(),
        }
    }
}

impl HallDayDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: entity::Model) -> Self {
        HallDayDto {
            date: m.date,
            kind: m.kind,
            name: m.name,
        }
    }
}

/// The hall's own days, optionally of one year.
pub async fn of_hall(
    state: &AppState,
    hall_id: &str,
    year: Option<i32>,
) -> AppResult<Vec<HallDayDto>> {
    let mut find = entity::Entity::find()
        .filter(entity::Column::HallId.eq(hall_id))
        .order_by_asc(entity::Column::Date);
    if let Some(year) = year {
        let (first, last) = super::year_range(year)?;
        find = find.filter(entity::Column::Date.between(first, last));
    }
    Ok(find
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(HallDayDto::from_row)
        .collect())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The hall's own open and closed days (the national schedule is at /api/v1/calendar/days).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/calendar/days", security(("govhall" = ["directory.read"])), tag = "calendar", params(("hall" = String, Path), YearQuery),
    responses((status = 200, body = Vec<HallDayDto>), (status = 403, body = ErrorBody)))]
async fn list_hall_days(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<Vec<HallDayDto>>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::READ).await?;
    Ok(Json(of_hall(&state, &hall.id, q.year).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HallDayInput {
    /// `open` or `closed`
    pub kind: String,
    pub name: String,
}

fn parse_date(s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::field("date", format!("日期“{s}”不是 YYYY-MM-DD 格式的真实日期")))
}

/// Open the hall on a rest day or close it on a working day (creates or replaces).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/calendar/days/{date}", security(("govhall" = ["calendar.edit"])), tag = "calendar", request_body = HallDayInput,
    params(("hall" = String, Path), ("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = HallDayDto), (status = 422, body = ErrorBody)))]
async fn put_hall_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, date)): Path<(String, String)>,
    ApiJson(input): ApiJson<HallDayInput>,
) -> ApiResult<Json<HallDayDto>> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CALENDAR_EDIT).await?;
    let date = parse_date(&date)?;
    let mut c = Checker::new();
    c.check(
        input.kind == "open" || input.kind == "closed",
        "kind",
        "类型只能是 open（本厅开放）或 closed（本厅闭厅）",
    );
    let name = c.text("name", "名称", &input.name, 50);
    c.finish()?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    entity::Entity::insert(entity::ActiveModel {
        hall_id: Set(hall.id.clone()),
        date: Set(date),
        kind: Set(input.kind.clone()),
        name: Set(name.clone()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([entity::Column::HallId, entity::Column::Date])
            .update_columns([
                entity::Column::Kind,
                entity::Column::Name,
                entity::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    let ev = crate::events::HALL_DAY_SET.event(
        Some(&hall.id),
        &crate::events::CalendarDaySet {
            date,
            kind: input.kind.clone(),
            name: name.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(HallDayDto {
        date,
        kind: input.kind,
        name,
    }))
}

/// Remove one of the hall's own days (the national calendar applies again).
#[utoipa::path(delete, path = "/api/v1/halls/{hall}/calendar/days/{date}", security(("govhall" = ["calendar.edit"])), tag = "calendar",
    params(("hall" = String, Path), ("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_hall_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, date)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let hall = hall_for(&state, &user, &key, crate::permissions::CALENDAR_EDIT).await?;
    let date = parse_date(&date)?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let res = entity::Entity::delete_by_id((hall.id.clone(), date))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound(format!("本厅日历中没有 {date} 的设置")).into());
    }
    let ev = crate::events::HALL_DAY_REMOVED
        .event(Some(&hall.id), &crate::events::CalendarDayRemoved { date });
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(StatusCode::NO_CONTENT)
}
