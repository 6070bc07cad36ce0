//! 排班: who works which shift on which day. A working day of the hall's
//! calendar (the national one with its 调休 and the hall's own days) is the
//! default shift for everyone; a rest day is rest. The roster records only
//! where a day differs — an early or late shift, a weekend duty, a weekday
//! off — set by the manager week by week, or by an approved swap.

use super::rules::Plan;
use super::shifts::{self, REST};
use crate::entity::{change, profile, roster_day, shift};
use crate::events;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{calendar::WorkCalendar, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Everything needed to say what a day was meant to be, for a span of days.
pub struct PlanBook {
    shifts: Vec<shift::Model>,
    calendar: WorkCalendar,
    entries: HashMap<(String, NaiveDate), String>,
    /// First and last day employed, by staff id.
    employed: HashMap<String, (NaiveDate, Option<NaiveDate>)>,
}

impl PlanBook {
    /// The day's shift code (`rest` for a day off).
    pub fn code(&self, staff_id: &str, day: NaiveDate) -> &str {
        if let Some(code) = self.entries.get(&(staff_id.to_string(), day)) {
            return code;
        }
        if self.calendar.is_working_day(day) {
            self.shifts
                .iter()
                .find(|s| s.is_default)
                .or(self.shifts.first())
                .map_or(REST, |s| s.code.as_str())
        } else {
            REST
        }
    }

    /// Whether the day was set on the roster (rather than by the calendar).
    pub fn rostered(&self, staff_id: &str, day: NaiveDate) -> bool {
        self.entries.contains_key(&(staff_id.to_string(), day))
    }

    pub(crate) fn shift(&self, code: &str) -> Option<&shift::Model> {
        self.shifts.iter().find(|s| s.code == code)
    }

    pub fn plan(&self, staff_id: &str, day: NaiveDate) -> Plan {
        match self.shift(self.code(staff_id, day)) {
            Some(s) => Plan::Work(shifts::times(s)),
            None => Plan::Rest,
        }
    }

    pub fn employed(&self, staff_id: &str, day: NaiveDate) -> bool {
        self.employed
            .get(staff_id)
            .is_some_and(|(from, to)| *from <= day && to.is_none_or(|t| day <= t))
    }
}

/// Loads the plan of `from..=to` for the hall's staff.
pub async fn load(
    state: &AppState,
    hall_id: &str,
    staff: &[directory::Staff],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<PlanBook> {
    let shifts = shifts::rows(state, hall_id).await?;
    let calendar = govhall_directory::calendar::load_for_hall(state, hall_id).await?;
    let entries = roster_day::Entity::find()
        .filter(roster_day::Column::HallId.eq(hall_id))
        .filter(roster_day::Column::Day.between(from, to))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| ((r.staff_id, r.day), r.shift_code))
        .collect();
    let hired: HashMap<String, NaiveDate> = profile::Entity::find()
        .filter(profile::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .filter_map(|p| p.hired_on.map(|d| (p.staff_id, d)))
        .collect();
    let last_days: HashMap<String, NaiveDate> = change::Entity::find()
        .filter(change::Column::HallId.eq(hall_id))
        .filter(change::Column::Kind.eq("leave"))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|c| (c.staff_id, c.effective_on))
        .collect();
    let employed = staff
        .iter()
        .map(|s| {
            let id = s.id.as_str().to_string();
            let first = hired
                .get(&id)
                .copied()
                .unwrap_or_else(|| govhall_kernel::time::local_date(s.created_at));
            let last = last_days.get(&id).copied();
            (id, (first, last))
        })
        .collect();
    Ok(PlanBook {
        shifts,
        calendar,
        entries,
        employed,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterCell {
    pub day: NaiveDate,
    /// A shift's code, `rest`, or empty when not employed that day.
    pub shift_code: String,
    /// Set on the roster (not the calendar's default).
    pub rostered: bool,
    /// On approved leave that day.
    pub on_leave: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterRow {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub days: Vec<RosterCell>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterWeek {
    /// The Monday.
    pub week_of: NaiveDate,
    pub shifts: Vec<shifts::ShiftDto>,
    /// Whether each day is a working day of the hall's calendar.
    pub working: Vec<bool>,
    pub rows: Vec<RosterRow>,
}

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The week holding `day`, for everyone on staff in it.
pub async fn week(state: &AppState, hall_id: &str, day: NaiveDate) -> AppResult<RosterWeek> {
    let monday = monday_of(day);
    let sunday = monday + Duration::days(6);
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let book = load(state, hall_id, &staff, monday, sunday).await?;
    let leave = super::sheet::leave_days(state, hall_id, monday, sunday).await?;
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let rows = staff
        .iter()
        .filter(|s| days.iter().any(|d| book.employed(s.id.as_str(), *d)))
        .map(|s| {
            let id = s.id.as_str();
            RosterRow {
                staff_id: id.to_string(),
                employee_no: s.employee_no.clone(),
                name: s.name.clone(),
                days: days
                    .iter()
                    .map(|d| RosterCell {
                        day: *d,
                        shift_code: if book.employed(id, *d) {
                            book.code(id, *d).to_string()
                        } else {
                            String::new()
                        },
                        rostered: book.rostered(id, *d),
                        on_leave: leave.contains_key(&(id.to_string(), *d)),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(RosterWeek {
        week_of: monday,
        shifts: shifts::list(state, hall_id).await?,
        working: days
            .iter()
            .map(|d| book.calendar.is_working_day(*d))
            .collect(),
        rows,
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RosterEntry {
    pub staff_id: String,
    pub day: NaiveDate,
    /// A shift's code, or `rest`.
    pub shift_code: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RosterInput {
    pub entries: Vec<RosterEntry>,
}

/// Writes roster days in `txn` (replacing what was there).
pub(crate) async fn write<C: ConnectionTrait>(
    db: &C,
    set_by: &str,
    hall_id: &str,
    entries: &[RosterEntry],
) -> AppResult<()> {
    let now = Utc::now();
    for chunk in entries.chunks(500) {
        let rows: Vec<roster_day::ActiveModel> = chunk
            .iter()
            .map(|e| roster_day::ActiveModel {
                staff_id: Set(e.staff_id.clone()),
                day: Set(e.day),
                hall_id: Set(hall_id.to_string()),
                shift_code: Set(e.shift_code.clone()),
                set_by: Set(set_by.to_string()),
                set_at: Set(now),
            })
            .collect();
        roster_day::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([roster_day::Column::StaffId, roster_day::Column::Day])
                    .update_columns([
                        roster_day::Column::ShiftCode,
                        roster_day::Column::SetBy,
                        roster_day::Column::SetAt,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await
            .db_err()?;
    }
    Ok(())
}

/// Sets days of the roster. A day already past is not changed (the sheet
/// has judged it; a mistake there is a 补卡, not a new plan).
pub async fn set(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &RosterInput,
) -> AppResult<RosterWeek> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let shifts = shifts::rows(state, hall_id).await?;
    let today = govhall_kernel::time::today();
    let mut ch = Checker::new();
    ch.check(!input.entries.is_empty(), "entries", "没有要设置的排班");
    ch.check(
        input.entries.len() <= 5000,
        "entries",
        "一次最多设置 5000 个班",
    );
    for (i, e) in input.entries.iter().enumerate() {
        let field = format!("entries[{i}]");
        ch.check(
            staff.iter().any(|s| s.id.as_str() == e.staff_id),
            &format!("{field}.staff_id"),
            "人员不存在或不属于本大厅",
        );
        ch.check(
            e.shift_code == REST || shifts.iter().any(|s| s.code == e.shift_code),
            &format!("{field}.shift_code"),
            format!("班次“{}”不存在（rest 表示休息）", e.shift_code),
        );
        ch.check(
            e.day >= today,
            &format!("{field}.day"),
            format!("{} 已经过去，不能再改排班（漏打卡请走补卡）", e.day),
        );
        ch.check(
            e.day <= today + Duration::days(366),
            &format!("{field}.day"),
            "排班最多排到一年之后",
        );
    }
    ch.finish()?;
    let from = input.entries.iter().map(|e| e.day).min().unwrap_or(today);
    let to = input.entries.iter().map(|e| e.day).max().unwrap_or(today);
    let txn = begin_write(&state.db).await.db_err()?;
    let by = actor.id.clone().unwrap_or_else(|| "system".into());
    write(&txn, &by, hall_id, &input.entries).await?;
    let ev = events::ROSTER_SET.event(
        Some(hall_id),
        &events::RosterSet {
            days: input.entries.len(),
            from,
            to,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    week(state, hall_id, from).await
}
