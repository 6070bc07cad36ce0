//! Demo marks: what a machine export of the hall's last weeks looks like —
//! most people on time, a few late or gone early, the odd forgotten mark or
//! absence, some staying on — so the 考勤月报 of a fresh demo has something
//! to judge. The benchmark uses the same generator for its 10,000 people.

use super::{roster, rules::Plan, sheet};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{error::AppResult, time};
use govhall_platform::{AppState, db::DbResultExt, events::Actor};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A number in `0..1000` fixed by the person and the day.
fn dice(i: usize, day: NaiveDate, salt: u64) -> u64 {
    let x = (i as u64 + 1)
        .wrapping_mul(2_654_435_761)
        .wrapping_add(u64::from(day.num_days_from_ce().unsigned_abs()).wrapping_mul(40_503))
        .wrapping_add(salt.wrapping_mul(97_531));
    (x ^ (x >> 13)).wrapping_mul(0x5bd1_e995) % 1000
}

fn at(day: NaiveDate, t: NaiveTime, minutes: i64) -> Option<DateTime<Utc>> {
    (day.and_time(t) + Duration::minutes(minutes))
        .and_local_timezone(time::HALL_TZ)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The marks of person `i` on a planned working day from `starts` to `ends`.
fn day_marks(i: usize, day: NaiveDate, starts: NaiveTime, ends: NaiveTime) -> Vec<DateTime<Utc>> {
    let roll = dice(i, day, 1);
    let spread = dice(i, day, 2) as i64;
    let arrive = match roll {
        0..=9 => return vec![],     // 1 %: absent
        10..=59 => 6 + spread % 40, // 5 %: late
        _ => -25 + spread % 29,     // on time (up to 3 minutes in the grace)
    };
    let leave = match roll {
        60..=79 => -(5 + spread % 50), // 2 %: gone early
        80..=89 => return at(day, starts, arrive).into_iter().collect(), // 1 %: forgot the second mark
        90..=189 => 30 + spread % 90,                                    // 10 %: stayed on
        _ => spread % 20,
    };
    at(day, starts, arrive)
        .into_iter()
        .chain(at(day, ends, leave))
        .collect()
}

/// The hall's marks for `from..=to` as the generator makes them (not on
/// leave, only planned working days, only while employed).
pub async fn marks_for(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, DateTime<Utc>)>> {
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let book = roster::load(state, hall_id, &staff, from, to).await?;
    let leave = sheet::leave_days(state, hall_id, from, to).await?;
    let mut out = Vec::new();
    for (i, s) in staff.iter().enumerate() {
        let id = s.id.as_str();
        let mut d = from;
        while d <= to {
            if let Plan::Work(shift) = book.plan(id, d)
                && book.employed(id, d)
                && !leave.contains_key(&(id.to_string(), d))
            {
                for m in day_marks(i, d, shift.starts, shift.ends) {
                    out.push((id.to_string(), m));
                }
            }
            d += Duration::days(1);
        }
    }
    Ok(out)
}

/// Seeds last month and this month up to yesterday as an imported machine
/// file, once (when the hall has no marks yet); answers how many.
pub async fn seed_if_empty(state: &AppState, hall_id: &str, today: NaiveDate) -> AppResult<u64> {
    let have = crate::entity::punch::Entity::find()
        .filter(crate::entity::punch::Column::HallId.eq(hall_id))
        .count(&state.db)
        .await
        .db_err()?;
    let Some(from) = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .and_then(|d| d.with_day(1))
    else {
        return Ok(0);
    };
    if have > 0 {
        return Ok(0);
    }
    let marks = marks_for(state, hall_id, from, today - Duration::days(1)).await?;
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let n = super::punches::insert(
        &txn,
        &Actor::system(),
        hall_id,
        &marks,
        "machine",
        "演示数据",
    )
    .await?;
    txn.commit().await.db_err()?;
    Ok(n)
}
