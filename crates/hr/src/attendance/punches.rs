//! Clock marks beside the window sign-ins: the phone's scan of the hall
//! screen's code, and the attendance machine's exports.
//!
//! The code on the screen changes every 30 seconds: it is a keyed hash of
//! the hall and the 30-second slot, so it cannot be worked out ahead, and a
//! scan is accepted for the current slot and the one before (the time to
//! aim a phone) — a photo sent home is useless a minute later.

use crate::entity::punch;
use crate::events;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use serde::Serialize;
use utoipa::ToSchema;

/// How long one code is shown.
pub const CODE_PERIOD_SECONDS: i64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClockCode {
    /// Eight characters; the phone sends them back.
    pub code: String,
    /// When the screen must show the next one.
    pub valid_until: DateTime<Utc>,
    pub period_seconds: i64,
    /// The page the QR code opens on a phone (the staff H5, which clocks in).
    pub path: String,
}

fn slot_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(CODE_PERIOD_SECONDS)
}

fn code_for(state: &AppState, hall_id: &str, slot: i64) -> String {
    state.pii.blind_index(&format!("hr-clock|{hall_id}|{slot}"))[..8].to_uppercase()
}

/// The code the hall screen shows now.
pub fn current_code(state: &AppState, hall_id: &str, now: DateTime<Utc>) -> ClockCode {
    let slot = slot_of(now);
    let code = code_for(state, hall_id, slot);
    ClockCode {
        path: format!("/learn/#/clock/{code}"),
        code,
        valid_until: DateTime::from_timestamp((slot + 1) * CODE_PERIOD_SECONDS, 0).unwrap_or(now),
        period_seconds: CODE_PERIOD_SECONDS,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClockedIn {
    pub at: DateTime<Utc>,
    /// The day's marks so far (the hall's time, `HH:MM`), window sign-ins included.
    pub marks_today: Vec<String>,
}

/// Records a mark for `staff_id` when `code` is the screen's code now (or
/// half a minute ago).
pub async fn clock_in(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    code: &str,
) -> AppResult<ClockedIn> {
    let now = Utc::now();
    let slot = slot_of(now);
    let given = code.trim().to_uppercase();
    if given.is_empty() {
        return Err(AppError::field("code", "请扫描大厅屏幕上的考勤码"));
    }
    if given != code_for(state, hall_id, slot) && given != code_for(state, hall_id, slot - 1) {
        return Err(AppError::field(
            "code",
            "考勤码已过期或不是本大厅的：请在大厅现场扫描屏幕上正在显示的考勤码（每 30 秒更换）",
        ));
    }
    // One mark a second per person: a double tap is the same mark.
    let at = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let txn = begin_write(&state.db).await.db_err()?;
    insert(
        &txn,
        actor,
        hall_id,
        &[(staff_id.to_string(), at)],
        "qr",
        "",
    )
    .await?;
    let ev = events::CLOCKED.event(
        Some(hall_id),
        &events::Clocked {
            staff_id: staff_id.to_string(),
            at,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    let day = time::local_date(at);
    let marks = super::sheet::marks_of(state, hall_id, staff_id, day).await?;
    Ok(ClockedIn {
        at,
        marks_today: marks
            .iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect(),
    })
}

/// Writes marks, skipping any already recorded; answers how many were new.
pub(crate) async fn insert<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &Actor,
    hall_id: &str,
    marks: &[(String, DateTime<Utc>)],
    source: &str,
    note: &str,
) -> AppResult<u64> {
    let by = actor.id.clone().unwrap_or_else(|| "system".into());
    let now = Utc::now();
    let mut added = 0;
    for chunk in marks.chunks(500) {
        let rows: Vec<punch::ActiveModel> = chunk
            .iter()
            .map(|(staff_id, at)| punch::ActiveModel {
                id: Set(new_id().to_string()),
                hall_id: Set(hall_id.to_string()),
                staff_id: Set(staff_id.clone()),
                at: Set(*at),
                source: Set(source.to_string()),
                note: Set(note.to_string()),
                created_by: Set(by.clone()),
                created_at: Set(now),
            })
            .collect();
        added += punch::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([punch::Column::StaffId, punch::Column::At])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .db_err()?;
    }
    Ok(added)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PunchImportOutcome {
    /// Rows of the file with a mark.
    pub rows: usize,
    /// Marks not recorded before (a file imported twice adds nothing).
    pub added: u64,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
}

/// The column names attendance machines use, by what they hold.
const NO_HEADERS: &[&str] = &["工号", "员工号", "人员编号", "考勤号码", "考勤号", "编号"];
const NAME_HEADERS: &[&str] = &["姓名", "名字"];
const AT_HEADERS: &[&str] = &["打卡时间", "签到时间", "考勤时间", "日期时间", "时间"];
const DATE_HEADERS: &[&str] = &["日期", "打卡日期"];

/// A file's rows as text, the first being the header.
fn table_of(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    if bytes.starts_with(b"PK") {
        return xlsx_rows(bytes);
    }
    // Machines write CSV in GBK more often than in UTF-8.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|_| AppError::field("file", format!("第 {} 行不是有效的 CSV", i + 1)))?;
        out.push(r.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(out)
}

fn xlsx_rows(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|_| AppError::field("file", "文件不是有效的 Excel（.xlsx）工作簿"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::field("file", "工作簿没有工作表"))?
        .map_err(|_| AppError::field("file", "第一个工作表无法读取"))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.trim().to_string(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::Int(i) => i.to_string(),
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// A machine's time: `2026-11-03 08:52:10`, `2026/11/3 8:52`, or a date and a
/// time in two columns.
fn parse_at(date: Option<&str>, at: &str) -> Option<NaiveDateTime> {
    let joined;
    let text = match date {
        Some(d) if !at.contains(['-', '/']) => {
            joined = format!("{d} {at}");
            joined.as_str()
        }
        _ => at,
    };
    let text = text.replace('/', "-");
    let (d, t) = text.trim().split_once(char::is_whitespace)?;
    let day = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()?;
    let t = t.trim();
    let time = NaiveTime::parse_from_str(t, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
        .ok()?;
    Some(day.and_time(time))
}

/// Imports an attendance machine's export (CSV in UTF-8 or GBK, or .xlsx):
/// a 工号 column and a time column (or a date and a time column), a 姓名
/// column optional but checked when present. Every bad row is listed; with
/// any, nothing is recorded.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    bytes: &[u8],
) -> AppResult<PunchImportOutcome> {
    if bytes.is_empty() {
        return Err(AppError::field("file", "文件是空的"));
    }
    let table = table_of(bytes)?;
    let header = table.first().cloned().unwrap_or_default();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (no_col, name_col, at_col, date_col) = (
        find(NO_HEADERS),
        find(NAME_HEADERS),
        find(AT_HEADERS),
        find(DATE_HEADERS),
    );
    let mut missing = Checker::new();
    if no_col.is_none() {
        missing.fail("file", "第 1 行缺少“工号”列（也可写作 人员编号、考勤号码）");
    }
    if at_col.is_none() {
        missing.fail("file", "第 1 行缺少“打卡时间”列（或“日期”与“时间”两列）");
    }
    missing.finish()?;
    let (no_col, at_col) = (no_col.unwrap_or(0), at_col.unwrap_or(0));
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let closed = crate::payroll::closed_through(state, hall_id).await?;
    let now = Utc::now();
    let mut ch = Checker::new();
    let mut marks = Vec::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |c: usize| row.get(c).map_or("", |s| s.as_str());
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let no = cell(no_col);
        let Some(who) = staff.iter().find(|s| s.employee_no == no) else {
            ch.fail(
                "file",
                format!("第 {line} 行「工号」：本大厅没有工号“{no}”的人员"),
            );
            continue;
        };
        if let Some(c) = name_col
            && !cell(c).is_empty()
            && cell(c) != who.name
        {
            ch.fail(
                "file",
                format!(
                    "第 {line} 行「姓名」：工号 {no} 是{}，不是“{}”",
                    who.name,
                    cell(c)
                ),
            );
            continue;
        }
        let raw = cell(at_col);
        let Some(local) = parse_at(date_col.map(cell), raw) else {
            ch.fail(
                "file",
                format!("第 {line} 行「打卡时间」：“{raw}”不是“年-月-日 时:分[:秒]”"),
            );
            continue;
        };
        let Some(at) = local
            .and_local_timezone(time::HALL_TZ)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
        else {
            ch.fail(
                "file",
                format!("第 {line} 行「打卡时间」：“{raw}”不是有效的时间"),
            );
            continue;
        };
        if at > now + Duration::minutes(5) {
            ch.fail(
                "file",
                format!("第 {line} 行「打卡时间」：{raw} 在将来（请检查考勤机的时钟）"),
            );
            continue;
        }
        if let Some(c) = closed.filter(|c| local.date() <= c.last_day()) {
            ch.fail(
                "file",
                format!("第 {line} 行「打卡时间」：{c} 及以前的工资已审核关账，考勤不能再导入"),
            );
            continue;
        }
        if at < now - Duration::days(366) {
            ch.fail(
                "file",
                format!("第 {line} 行「打卡时间」：{raw} 早于一年之前"),
            );
            continue;
        }
        marks.push((who.id.as_str().to_string(), at));
    }
    if marks.is_empty() && ch.is_empty() {
        ch.fail("file", "文件中没有打卡记录（第 2 行起每行一次打卡）");
    }
    ch.finish()?;
    record_machine_marks(state, actor, hall_id, &marks, "考勤机导入").await
}

/// Records machine marks (skipping those already there) with their event.
pub async fn record_machine_marks(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    marks: &[(String, DateTime<Utc>)],
    note: &str,
) -> AppResult<PunchImportOutcome> {
    let now = Utc::now();
    let first = marks.iter().map(|m| m.1).min();
    let last = marks.iter().map(|m| m.1).max();
    let txn = begin_write(&state.db).await.db_err()?;
    let added = insert(&txn, actor, hall_id, marks, "machine", note).await?;
    let ev = events::PUNCHES_IMPORTED.event(
        Some(hall_id),
        &events::PunchesImported {
            rows: marks.len(),
            added: added as usize,
            from: first.unwrap_or(now),
            to: last.unwrap_or(now),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(PunchImportOutcome {
        rows: marks.len(),
        added,
        first,
        last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_times() {
        let at = |d: Option<&str>, t: &str| parse_at(d, t).map(|x| x.to_string());
        assert_eq!(
            at(None, "2026-11-03 08:52:10").as_deref(),
            Some("2026-11-03 08:52:10")
        );
        assert_eq!(
            at(None, "2026/11/3 8:52").as_deref(),
            Some("2026-11-03 08:52:00")
        );
        assert_eq!(
            at(Some("2026-11-03"), "17:01").as_deref(),
            Some("2026-11-03 17:01:00")
        );
        assert_eq!(at(None, "2026-13-03 08:52"), None);
        assert_eq!(at(None, "08:52"), None);
    }

    #[test]
    fn gbk_csv_reads() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("工号,姓名,打卡时间\nCA0001,张三,2026-11-03 08:52\n");
        let t = table_of(&bytes).unwrap();
        assert_eq!(t[0][0], "工号");
        assert_eq!(t[1][1], "张三");
    }
}
