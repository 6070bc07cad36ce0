//! National calendar endpoints: list, upsert, delete, import a file, compute.
//! Changing it is the 系统管理员's (every hall follows it); a hall's own days
//! are in `hall_days`.

use super::{entity::national as entity, load};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{Datelike, NaiveDate, Utc};
use govhall_kernel::{
    AppError, FieldError,
    calendar::{DayKind, parse_calendar_file},
    validate::Checker,
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    events::commit_with,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::hall_days::router())
        .routes(routes!(list_days))
        .routes(routes!(put_day, delete_day))
        .routes(routes!(import_days))
        .routes(routes!(compute))
        .routes(routes!(notice))
}

/// Whether a year's State Council holiday notice has been entered.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeStatus {
    pub year: i32,
    /// Its holidays are listed: deadlines follow the notice.
    pub entered: bool,
    /// It is November or later and next year's notice is still missing: the
    /// home page says so.
    pub warn: bool,
    /// What the screen says (Chinese), when the notice is missing.
    pub message: Option<String>,
    /// The days off the law fixes that year (全国年节及纪念日放假办法); until
    /// the notice is entered, deadlines rest on these and know no 调休.
    pub statutory: Vec<DayDto>,
}

/// The holiday notice of a year (next year when none is given).
#[utoipa::path(get, path = "/api/v1/calendar/notice", security(("govhall" = ["directory.read"])), tag = "calendar", params(YearQuery),
    responses((status = 200, body = NoticeStatus), (status = 401, body = ErrorBody)))]
async fn notice(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<NoticeStatus>> {
    user.require(crate::permissions::READ)?;
    let today = govhall_kernel::time::today();
    let year = q.year.unwrap_or(today.year() + 1);
    super::year_range(year)?;
    let entered = load(&state).await?.is_scheduled(year);
    let warn = q.year.is_none() && today.month() >= 11 && !entered;
    let message = (!entered).then(|| {
        format!(
            "尚未录入{year}年国务院节假日安排通知：该年的办理时限暂按法定节假日推算（不含调休上班日），请在“工作日历”中录入或导入"
        )
    });
    let statutory = govhall_kernel::calendar::statutory_holidays(year)
        .into_iter()
        .map(|d| DayDto {
            date: d.date,
            kind: d.kind.code().into(),
            name: d.name,
        })
        .collect();
    Ok(Json(NoticeStatus {
        year,
        entered,
        warn,
        message,
        statutory,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayDto {
    /// `YYYY-MM-DD`
    pub date: NaiveDate,
    /// `holiday` (放假) or `workday` (调休上班)
    pub kind: String,
    pub name: String,
}

impl DayDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: entity::Model) -> Self {
        DayDto {
            date: m.date,
            kind: m.kind,
            name: m.name,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// Listed dates (holidays and make-up working days), optionally for one year.
#[utoipa::path(get, path = "/api/v1/calendar/days", security(("govhall" = ["directory.read"])), tag = "calendar", params(YearQuery),
    responses((status = 200, body = Vec<DayDto>), (status = 401, body = ErrorBody)))]
async fn list_days(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<Vec<DayDto>>> {
    user.require(crate::permissions::READ)?;
    let mut find = entity::Entity::find().order_by_asc(entity::Column::Date);
    if let Some(year) = q.year {
        let (first, last) = super::year_range(year)?;
        find = find.filter(entity::Column::Date.between(first, last));
    }
    let rows = find.all(&state.db).await?;
    Ok(Json(rows.into_iter().map(DayDto::from_row).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DayInput {
    /// `holiday` or `workday`
    pub kind: String,
    pub name: String,
}

fn parse_date(s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::field("date", format!("日期“{s}”不是 YYYY-MM-DD 格式的真实日期")))
}

/// Mark a date as holiday or make-up working day (creates or replaces).
#[utoipa::path(put, path = "/api/v1/calendar/days/{date}", security(("govhall" = ["calendar.national.edit"])), tag = "calendar", request_body = DayInput,
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = DayDto), (status = 422, body = ErrorBody)))]
async fn put_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(date): Path<String>,
    ApiJson(input): ApiJson<DayInput>,
) -> ApiResult<Json<DayDto>> {
    user.require(crate::permissions::NATIONAL_CALENDAR_EDIT)?;
    let date = parse_date(&date)?;
    let mut c = Checker::new();
    let kind = DayKind::parse(&input.kind);
    c.check(
        kind.is_some(),
        "kind",
        "类型只能是 holiday（放假）或 workday（调休上班）",
    );
    let name = c.text("name", "名称", &input.name, 50);
    c.finish()?;
    let kind = kind.expect("checked above");
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    upsert(&txn, date, kind, &name).await?;
    let ev = crate::events::CALENDAR_DAY_SET.event(
        None,
        &crate::events::CalendarDaySet {
            date,
            kind: kind.code().into(),
            name: name.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(DayDto {
        date,
        kind: kind.code().into(),
        name,
    }))
}

async fn upsert(
    txn: &sea_orm::DatabaseTransaction,
    date: NaiveDate,
    kind: DayKind,
    name: &str,
) -> Result<(), sea_orm::DbErr> {
    entity::Entity::insert(entity::ActiveModel {
        date: Set(date),
        kind: Set(kind.code().into()),
        name: Set(name.to_string()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(entity::Column::Date)
            .update_columns([
                entity::Column::Kind,
                entity::Column::Name,
                entity::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(txn)
    .await?;
    Ok(())
}

/// Remove a listed date (it then follows the normal week).
#[utoipa::path(delete, path = "/api/v1/calendar/days/{date}", security(("govhall" = ["calendar.national.edit"])), tag = "calendar",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(date): Path<String>,
) -> ApiResult<StatusCode> {
    user.require(crate::permissions::NATIONAL_CALENDAR_EDIT)?;
    let date = parse_date(&date)?;
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    let res = entity::Entity::delete_by_id(date).exec(&txn).await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound(format!("日历中没有 {date} 的设置")).into());
    }
    let ev = crate::events::CALENDAR_DAY_REMOVED
        .event(None, &crate::events::CalendarDayRemoved { date });
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ImportRequest {
    /// The file's text: one `YYYY-MM-DD,holiday|workday,名称` per line.
    pub text: String,
    /// Replace every listed date of the years present in the file (the usual yearly update).
    pub replace_years: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub imported: usize,
    pub years: Vec<i32>,
}

/// Import a schedule file; any bad line rejects the whole file.
#[utoipa::path(post, path = "/api/v1/calendar/import", security(("govhall" = ["calendar.national.edit"])), tag = "calendar", request_body = ImportRequest,
    responses((status = 200, body = ImportResult), (status = 422, body = ErrorBody)))]
async fn import_days(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<Json<ImportResult>> {
    user.require(crate::permissions::NATIONAL_CALENDAR_EDIT)?;
    let days = parse_calendar_file(&req.text).map_err(|errors| {
        AppError::validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("text[{}]", e.line),
                    message: format!("第 {} 行：{}", e.line, e.message),
                })
                .collect(),
        )
    })?;
    if days.is_empty() {
        return Err(AppError::field("text", "文件中没有任何日期").into());
    }
    let mut years: Vec<i32> = days.iter().map(|d| d.date.year()).collect();
    years.sort_unstable();
    years.dedup();
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    if req.replace_years {
        for y in &years {
            let first = NaiveDate::from_ymd_opt(*y, 1, 1).expect("valid year");
            let last = NaiveDate::from_ymd_opt(*y, 12, 31).expect("valid year");
            entity::Entity::delete_many()
                .filter(entity::Column::Date.between(first, last))
                .exec(&txn)
                .await?;
        }
    }
    for d in &days {
        upsert(&txn, d.date, d.kind, &d.name).await?;
    }
    let ev = crate::events::CALENDAR_IMPORTED.event(
        None,
        &crate::events::CalendarImported {
            count: days.len(),
            years: years.to_vec(),
            replace_years: req.replace_years,
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(ImportResult {
        imported: days.len(),
        years,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComputeQuery {
    /// Start date `YYYY-MM-DD`.
    pub from: String,
    /// Working days to add.
    pub add: Option<u32>,
    /// End date, to count working days in (from, to].
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComputeResult {
    pub from: NaiveDate,
    /// `from` + `add` working days.
    pub date: Option<NaiveDate>,
    /// Working days in (from, to].
    pub working_days: Option<i64>,
}

/// Add working days to a date, or count working days between two dates.
#[utoipa::path(get, path = "/api/v1/calendar/compute", security(("govhall" = ["directory.read"])), tag = "calendar", params(ComputeQuery),
    responses((status = 200, body = ComputeResult), (status = 422, body = ErrorBody)))]
async fn compute(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ComputeQuery>,
) -> ApiResult<Json<ComputeResult>> {
    user.require(crate::permissions::READ)?;
    let from = NaiveDate::parse_from_str(&q.from, "%Y-%m-%d")
        .map_err(|_| AppError::field("from", "开始日期应为 YYYY-MM-DD 格式的真实日期"))?;
    if q.add.is_none() && q.to.is_none() {
        return Err(AppError::field("add", "请提供 add（加几个工作日）或 to（截止日期）").into());
    }
    if q.add.is_some_and(|n| n > 3660) {
        return Err(AppError::field("add", "工作日数不能超过 3660").into());
    }
    let cal = load(&state).await?;
    let to = match q.to.as_deref() {
        Some(t) => Some(
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| AppError::field("to", "截止日期应为 YYYY-MM-DD 格式的真实日期"))?,
        ),
        None => None,
    };
    Ok(Json(ComputeResult {
        from,
        date: q.add.map(|n| cal.add_working_days(from, n)),
        working_days: to.map(|t| cal.working_days_between(from, t)),
    }))
}
