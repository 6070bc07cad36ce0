//! 考勤月报: each person's days of a month judged by the rules — from the
//! roster's plan, approved leave, and the day's marks (window sign-ins and
//! sign-outs, phone scans, machine imports, approved 补卡) — with the
//! month's figures per person and for the hall, as data and as Excel.

use super::roster::{self, PlanBook};
use super::rules::{self, DayCode, DayTime, Plan};
use crate::entity::{leave_request, punch};
use crate::month::Month;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, time};
use govhall_platform::{AppState, db::DbResultExt};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetDay {
    pub day: NaiveDate,
    pub code: DayCode,
    /// The grid's mark: √ 迟 早 旷 缺 假 休 加.
    pub mark: String,
    pub label: String,
    /// The planned shift's code, or `rest`.
    pub shift_code: String,
    /// Arrival and departure, `HH:MM`.
    pub first: Option<String>,
    pub last: Option<String>,
    pub late_minutes: i64,
    pub early_minutes: i64,
    pub overtime_minutes: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SheetFigures {
    /// 应出勤: planned working days of the month while employed.
    pub due_days: i32,
    /// 实出勤: planned working days so far with a mark (not on leave).
    pub present_days: i32,
    pub late_count: i32,
    pub late_minutes: i64,
    pub early_count: i32,
    pub early_minutes: i64,
    /// 旷工.
    pub absent_days: i32,
    /// 缺卡.
    pub missing_count: i32,
    /// Planned working days on approved leave.
    pub leave_days: i32,
    /// Of which by leave type code (`personal`, `sick` …).
    pub leave_by_type: BTreeMap<String, i32>,
    /// 加班, working days and rest days, in hours (half hours counted).
    pub overtime_hours: f64,
    /// Of which after a working day's shift (paid at 150 %).
    pub overtime_workday_hours: f64,
    /// Of which on rest days (200 % unless 补休 is given).
    pub overtime_rest_hours: f64,
    /// Of which on the statutory holidays themselves (300 %).
    pub overtime_holiday_hours: f64,
    pub rest_work_days: i32,
    /// 出勤率 in percent: present ÷ (working days so far − leave); `None` before any.
    pub attendance_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetRow {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub figures: SheetFigures,
    pub days: Vec<SheetDay>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceSheet {
    pub month: String,
    pub hall_name: String,
    pub days: Vec<NaiveDate>,
    pub rows: Vec<SheetRow>,
    /// The hall's figures (rates over everyone's days).
    pub totals: SheetFigures,
    pub generated_at: DateTime<Utc>,
}

/// The start of a local day, as an instant.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN)
        .and_local_timezone(time::HALL_TZ)
        .earliest()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

type Marks = HashMap<(String, NaiveDate), Vec<NaiveTime>>;

/// Every mark of `from..=to` by person and day: phone scans, machine
/// imports and approved 补卡, window sign-ins and same-day sign-outs.
pub async fn marks(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Marks> {
    let (start, end) = (start_of(from), start_of(to + Duration::days(1)));
    let mut out: Marks = HashMap::new();
    let mut add = |staff: String, at: DateTime<Utc>| {
        let local = time::local(at);
        out.entry((staff, local.date_naive()))
            .or_default()
            .push(local.time());
    };
    for p in punch::Entity::find()
        .filter(punch::Column::HallId.eq(hall_id))
        .filter(punch::Column::At.gte(start))
        .filter(punch::Column::At.lt(end))
        .all(&state.db)
        .await
        .db_err()?
    {
        add(p.staff_id, p.at);
    }
    let sessions = directory::sessions_between(&state.db, hall_id, start, end).await?;
    let users: Vec<String> = sessions
        .iter()
        .map(|s| s.user_id.as_str().to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let accounts = govhall_platform::auth::service::accounts(&state.db, &users).await?;
    for s in sessions {
        let Some(staff) = accounts
            .get(s.user_id.as_str())
            .and_then(|a| a.staff_id.clone())
        else {
            continue;
        };
        add(staff.clone(), s.started_at);
        // A sign-out the next day (a window left signed in overnight) says
        // nothing about when the person went home.
        if let Some(ended) = s.ended_at
            && time::local_date(ended) == time::local_date(s.started_at)
        {
            add(staff, ended);
        }
    }
    Ok(out)
}

/// One person's marks of one day, in order.
pub async fn marks_of(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    day: NaiveDate,
) -> AppResult<Vec<NaiveTime>> {
    let mut m = marks(state, hall_id, day, day)
        .await?
        .remove(&(staff_id.to_string(), day))
        .unwrap_or_default();
    m.sort();
    Ok(m)
}

/// The (person, day) pairs of approved leave within `from..=to`, with the
/// leave type's code.
pub async fn leave_days(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<LeaveDays> {
    let mut out = LeaveDays::new();
    for r in leave_request::Entity::find()
        .filter(leave_request::Column::HallId.eq(hall_id))
        .filter(leave_request::Column::Status.eq("approved"))
        .filter(leave_request::Column::StartsOn.lte(to))
        .filter(leave_request::Column::EndsOn.gte(from))
        .all(&state.db)
        .await
        .db_err()?
    {
        let mut d = r.starts_on.max(from);
        while d <= r.ends_on.min(to) {
            out.insert((r.staff_id.clone(), d), r.type_code.clone());
            d += Duration::days(1);
        }
    }
    Ok(out)
}

/// Approved leave: (person, day) → the leave type's code.
pub type LeaveDays = HashMap<(String, NaiveDate), String>;

fn hhmm(t: Option<NaiveTime>) -> Option<String> {
    t.map(|t| t.format("%H:%M").to_string())
}

/// Adds one judged day to the figures.
fn count(
    f: &mut SheetFigures,
    day: NaiveDate,
    plan: Plan,
    leave_type: Option<&String>,
    when: DayTime,
    v: &rules::Verdict,
) {
    let working = matches!(plan, Plan::Work(_));
    let on_leave = leave_type.is_some();
    if working {
        f.due_days += 1;
        if let Some(code) = leave_type {
            f.leave_days += 1;
            *f.leave_by_type.entry(code.clone()).or_default() += 1;
        }
    }
    if v.late_minutes > 0 {
        f.late_count += 1;
        f.late_minutes += v.late_minutes;
    }
    if v.early_minutes > 0 {
        f.early_count += 1;
        f.early_minutes += v.early_minutes;
    }
    match v.code {
        DayCode::Absent => f.absent_days += 1,
        DayCode::Missing => f.missing_count += 1,
        DayCode::RestWork => f.rest_work_days += 1,
        _ => {}
    }
    if working && !on_leave && when != DayTime::Future && v.first.is_some() {
        f.present_days += 1;
    }
    let hours = v.overtime_minutes as f64 / 60.0;
    f.overtime_hours += hours;
    if working {
        f.overtime_workday_hours += hours;
    } else if govhall_kernel::calendar::is_statutory_holiday(day) {
        f.overtime_holiday_hours += hours;
    } else {
        f.overtime_rest_hours += hours;
    }
}

/// The rate once the figures are complete; `judged` is the working days so
/// far not on leave.
fn with_rate(mut f: SheetFigures, judged: i32) -> SheetFigures {
    f.attendance_rate = (judged > 0)
        .then(|| (f64::from(f.present_days) * 1000.0 / f64::from(judged)).round() / 10.0);
    f
}

/// The month's sheet for the hall, or for the people of `only`.
pub async fn build(
    state: &AppState,
    hall_id: &str,
    month: &str,
    only: Option<&[String]>,
) -> AppResult<AttendanceSheet> {
    let month = Month::parse(month).map_err(|r| AppError::field("month", format!("月份{r}")))?;
    let (first, last) = (month.first_day(), month.last_day());
    let hall = directory::hall(state, hall_id).await?;
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    if let Some(ids) = only {
        staff.retain(|s| ids.iter().any(|i| i == s.id.as_str()));
    }
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let book = roster::load(state, hall_id, &staff, first, last).await?;
    let leave = leave_days(state, hall_id, first, last).await?;
    let marks = marks(state, hall_id, first, last).await?;
    let today = time::today();
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    let mut totals = SheetFigures::default();
    let mut total_judged = 0;
    let mut rows = Vec::new();
    for s in &staff {
        let id = s.id.as_str();
        if !days.iter().any(|d| book.employed(id, *d)) {
            continue;
        }
        let (row, judged) = judge_row(&book, &leave, &marks, id, &days, today);
        total_judged += judged;
        add_figures(&mut totals, &row);
        rows.push(SheetRow {
            staff_id: id.to_string(),
            employee_no: s.employee_no.clone(),
            name: s.name.clone(),
            figures: with_rate(row.0, judged),
            days: row.1,
        });
    }
    Ok(AttendanceSheet {
        month: month.to_string(),
        hall_name: hall.name,
        days,
        rows,
        totals: with_rate(totals, total_judged),
        generated_at: Utc::now(),
    })
}

fn add_figures(t: &mut SheetFigures, row: &(SheetFigures, Vec<SheetDay>)) {
    let f = &row.0;
    t.due_days += f.due_days;
    t.present_days += f.present_days;
    t.late_count += f.late_count;
    t.late_minutes += f.late_minutes;
    t.early_count += f.early_count;
    t.early_minutes += f.early_minutes;
    t.absent_days += f.absent_days;
    t.missing_count += f.missing_count;
    t.leave_days += f.leave_days;
    for (code, n) in &f.leave_by_type {
        *t.leave_by_type.entry(code.clone()).or_default() += n;
    }
    t.overtime_hours += f.overtime_hours;
    t.overtime_workday_hours += f.overtime_workday_hours;
    t.overtime_rest_hours += f.overtime_rest_hours;
    t.overtime_holiday_hours += f.overtime_holiday_hours;
    t.rest_work_days += f.rest_work_days;
}

/// One person's month: the figures (without the rate), the days, and the
/// working days judged so far not on leave.
fn judge_row(
    book: &PlanBook,
    leave: &LeaveDays,
    marks: &Marks,
    id: &str,
    days: &[NaiveDate],
    today: NaiveDate,
) -> ((SheetFigures, Vec<SheetDay>), i32) {
    let mut f = SheetFigures::default();
    let mut judged = 0;
    let mut out = Vec::with_capacity(days.len());
    let key = id.to_string();
    for d in days {
        if !book.employed(id, *d) {
            out.push(day_of(*d, String::new(), rules::not_employed()));
            continue;
        }
        let plan = book.plan(id, *d);
        let leave_type = leave.get(&(key.clone(), *d));
        let on_leave = leave_type.is_some();
        let when = match d.cmp(&today) {
            std::cmp::Ordering::Less => DayTime::Past,
            std::cmp::Ordering::Equal => DayTime::Today,
            std::cmp::Ordering::Greater => DayTime::Future,
        };
        let none = Vec::new();
        let day_marks = marks.get(&(key.clone(), *d)).unwrap_or(&none);
        let v = rules::judge(plan, on_leave, when, day_marks);
        count(&mut f, *d, plan, leave_type, when, &v);
        if matches!(plan, Plan::Work(_)) && !on_leave && when != DayTime::Future {
            judged += 1;
        }
        out.push(day_of(*d, book.code(id, *d).to_string(), v));
    }
    ((f, out), judged)
}

fn day_of(day: NaiveDate, shift_code: String, v: rules::Verdict) -> SheetDay {
    SheetDay {
        day,
        code: v.code,
        mark: v.code.mark().into(),
        label: v.code.label().into(),
        shift_code,
        first: hhmm(v.first),
        last: hhmm(v.last),
        late_minutes: v.late_minutes,
        early_minutes: v.early_minutes,
        overtime_minutes: v.overtime_minutes,
    }
}

fn rate_text(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |r| format!("{r:.1}%"))
}

/// The sheet as an Excel workbook: the figures, then one column per day.
pub fn xlsx(s: &AttendanceSheet) -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("考勤月报").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    let center = Format::new().set_align(FormatAlign::Center);
    let title = format!("{} {} 考勤月报", s.hall_name, s.month);
    ws.write_string_with_format(0, 0, &title, &bold)
        .map_err(AppError::internal)?;
    let heads = [
        "工号",
        "姓名",
        "应出勤(天)",
        "实出勤(天)",
        "迟到(次)",
        "迟到(分钟)",
        "早退(次)",
        "早退(分钟)",
        "旷工(天)",
        "缺卡(次)",
        "请假(天)",
        "加班(小时)",
        "出勤率",
    ];
    let fixed = heads.len() as u16;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(AppError::internal)?;
    }
    for (i, d) in s.days.iter().enumerate() {
        ws.write_string_with_format(2, fixed + i as u16, d.format("%d").to_string(), &bold)
            .map_err(AppError::internal)?;
        ws.set_column_width(fixed + i as u16, 4.5)
            .map_err(AppError::internal)?;
    }
    let figures = |f: &SheetFigures| -> Vec<String> {
        vec![
            f.due_days.to_string(),
            f.present_days.to_string(),
            f.late_count.to_string(),
            f.late_minutes.to_string(),
            f.early_count.to_string(),
            f.early_minutes.to_string(),
            f.absent_days.to_string(),
            f.missing_count.to_string(),
            f.leave_days.to_string(),
            format!("{:.1}", f.overtime_hours),
            rate_text(f.attendance_rate),
        ]
    };
    for (r, row) in s.rows.iter().enumerate() {
        let line = 3 + r as u32;
        let mut cells = vec![row.employee_no.clone(), row.name.clone()];
        cells.extend(figures(&row.figures));
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(line, c as u16, v)
                .map_err(AppError::internal)?;
        }
        for (i, d) in row.days.iter().enumerate() {
            ws.write_string_with_format(line, fixed + i as u16, &d.mark, &center)
                .map_err(AppError::internal)?;
        }
    }
    let end = 3 + s.rows.len() as u32;
    let mut cells = vec!["合计".to_string(), format!("{} 人", s.rows.len())];
    cells.extend(figures(&s.totals));
    for (c, v) in cells.iter().enumerate() {
        ws.write_string_with_format(end, c as u16, v, &bold)
            .map_err(AppError::internal)?;
    }
    ws.write_string(
        end + 2,
        0,
        "图例：√ 正常　迟 迟到　早 早退　旷 旷工　缺 缺卡　假 请假　休 休息　加 休息日加班　… 当日进行中",
    )
    .map_err(AppError::internal)?;
    ws.set_column_width(1, 10).map_err(AppError::internal)?;
    ws.set_freeze_panes(3, 2).map_err(AppError::internal)?;
    wb.save_to_buffer().map_err(AppError::internal)
}
