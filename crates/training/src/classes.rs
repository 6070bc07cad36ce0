//! 线下培训: instructor-led classes at a place and time for a group of staff
//! (a department and/or a post). Attendance is taken by a QR code shown on
//! the room's screen that changes every 30 seconds — the code is a keyed
//! hash of the class and the current half-minute, so a photo of it sent to
//! someone at home stops working within a minute. A manager may enter a
//! sign-in by hand (补签) with a reason.

use crate::entity::{attendance, class, course, instructor};
use crate::events::{CLASS_ATTENDED, ClassAttended};
use crate::plans::{check_audience, in_audience, position_label};
use chrono::{DateTime, Duration, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::commit_with,
};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long one sign-in code is shown; the one before it is still taken
/// (a scan made just as the code changed).
pub const CODE_PERIOD_S: i64 = 30;
/// Sign-in opens this long before the start.
const OPENS_BEFORE_MIN: i64 = 30;
/// A sign-in this long after the start is late (迟到).
const LATE_AFTER_MIN: i64 = 10;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ClassInput {
    pub title: String,
    #[serde(default)]
    pub instructor_id: Option<String>,
    /// The course the class teaches, if any.
    #[serde(default)]
    pub course_id: Option<String>,
    /// Where, e.g. 三楼培训室.
    pub place: String,
    pub starts_at: DateTime<Utc>,
    /// After the start, the same day, at most 12 hours.
    pub ends_at: DateTime<Utc>,
    /// Only this department's staff (absent: every department).
    #[serde(default)]
    pub department_id: Option<String>,
    /// Only this post (absent: every post).
    #[serde(default)]
    pub position: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassDto {
    pub id: String,
    pub title: String,
    pub instructor_id: Option<String>,
    pub instructor_name: String,
    pub course_id: Option<String>,
    pub course_title: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub department_id: Option<String>,
    /// 全部部门 when absent.
    pub department_name: String,
    pub position: Option<String>,
    pub position_label: String,
    /// Class hours (学时) credited to those who attend.
    pub hours: f64,
    /// 未开始, 签到中 (from half an hour before the start), 已结束.
    pub status: String,
    /// Staff in the group, and how many of everyone signed in.
    pub expected: usize,
    pub attended: usize,
    pub created_at: DateTime<Utc>,
}

/// One person's attendance at a class.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceRow {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub department_name: String,
    /// In the class's group (false: came though not asked).
    pub expected: bool,
    pub signed_at: Option<DateTime<Utc>>,
    /// `qr` (scanned) or `manual` (补签 by a manager).
    pub method: Option<String>,
    /// The reason given for a 补签.
    pub note: String,
    /// 已签到, 迟到, 补签, 缺勤 (the class ended without them) or 未签到.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassDetail {
    pub class: ClassDto,
    pub attendance: Vec<AttendanceRow>,
}

/// The code to show as a QR: the learner's page path with the current token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassCode {
    pub token: String,
    /// The learner's page to open (prefix the server's address).
    pub path: String,
    /// When the next code replaces it.
    pub changes_at: DateTime<Utc>,
    pub period_s: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PresenceInput {
    /// The token from the scanned QR code.
    pub token: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ManualAttendanceInput {
    pub staff_id: String,
    /// Why it is entered by hand (e.g. 手机没电，现场核实).
    pub note: String,
}

/// A learner's own sign-in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PresenceDto {
    pub class_id: String,
    pub title: String,
    pub place: String,
    pub signed_at: DateTime<Utc>,
    pub late: bool,
    /// They had signed in before (the earlier time stands).
    pub already: bool,
}

/// A class in a learner's list, with their own sign-in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyClass {
    pub id: String,
    pub title: String,
    pub place: String,
    pub instructor_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: String,
    pub signed_at: Option<DateTime<Utc>>,
}

type HmacSha256 = Hmac<sha2::Sha256>;

/// The token of a class for the half-minute `slot`.
fn token(c: &class::Model, slot: i64) -> String {
    let mut mac = HmacSha256::new_from_slice(c.secret.as_bytes()).expect("any key length");
    mac.update(format!("{}:{slot}", c.id).as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..6])
}

fn slot_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(CODE_PERIOD_S)
}

/// A token is good for its half-minute and the next one.
fn token_is_current(c: &class::Model, given: &str, now: DateTime<Utc>) -> bool {
    let given = given.trim().to_ascii_lowercase();
    let slot = slot_of(now);
    [slot, slot - 1].iter().any(|s| token(c, *s) == given)
}

fn status_of(c: &class::Model, now: DateTime<Utc>) -> &'static str {
    if now > c.ends_at {
        "已结束"
    } else if now >= c.starts_at - Duration::minutes(OPENS_BEFORE_MIN) {
        "签到中"
    } else {
        "未开始"
    }
}

fn hours_of(c: &class::Model) -> f64 {
    // Whole half-hours, as a timetable counts 学时.
    let minutes = (c.ends_at - c.starts_at).num_minutes();
    (minutes / 30) as f64 / 2.0
}

fn local_time(t: DateTime<Utc>) -> String {
    time::local(t).format("%m-%d %H:%M").to_string()
}

pub async fn create(state: &AppState, hall_id: &str, input: &ClassInput) -> AppResult<ClassDto> {
    let mut ch = Checker::new();
    let title = ch.text("title", "培训名称", &input.title, 60);
    let place = ch.text("place", "培训地点", &input.place, 60);
    let length = input.ends_at - input.starts_at;
    ch.check(
        length > Duration::zero(),
        "ends_at",
        "结束时间须晚于开始时间",
    );
    ch.check(
        length <= Duration::hours(12),
        "ends_at",
        "一次线下培训不超过 12 小时",
    );
    ch.check(
        input.ends_at > Utc::now() - Duration::days(30),
        "starts_at",
        "只能登记 30 天内及以后的线下培训",
    );
    if let Some(id) = input.instructor_id.as_deref() {
        let found = instructor::Entity::find_by_id(id.to_string())
            .filter(instructor::Column::HallId.eq(hall_id))
            .one(&state.db)
            .await
            .db_err()?;
        ch.check(found.is_some(), "instructor_id", "讲师不存在或不属于本大厅");
    }
    if let Some(id) = input.course_id.as_deref() {
        let found = course::Entity::find_by_id(id.to_string())
            .filter(course::Column::HallId.eq(hall_id))
            .one(&state.db)
            .await
            .db_err()?;
        ch.check(found.is_some(), "course_id", "课程不存在或不属于本大厅");
    }
    check_audience(
        &mut ch,
        state,
        hall_id,
        input.department_id.as_deref(),
        input.position.as_deref(),
    )
    .await?;
    ch.finish()?;
    let secret: [u8; 16] = rand::random();
    let row = class::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title),
        instructor_id: Set(input.instructor_id.clone()),
        course_id: Set(input.course_id.clone()),
        place: Set(place),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        department_id: Set(input.department_id.clone()),
        position: Set(input.position.clone()),
        secret: Set(hex::encode(secret)),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    Ok(dtos(state, hall_id, vec![row]).await?.remove(0).0)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<class::Model> {
    class::Entity::find_by_id(id.to_string())
        .filter(class::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("线下培训"))
}

/// The classes with their figures and their attendance lists.
async fn dtos(
    state: &AppState,
    hall_id: &str,
    rows: Vec<class::Model>,
) -> AppResult<Vec<(ClassDto, Vec<AttendanceRow>)>> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let departments = directory::departments(&state.db, hall_id).await?;
    let dept_name = |id: Option<&str>| {
        id.and_then(|d| departments.iter().find(|x| x.id.as_str() == d))
            .map(|d| d.name.clone())
    };
    let instructors = instructor::Entity::find()
        .filter(instructor::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let signed = attendance::Entity::find()
        .filter(attendance::Column::ClassId.is_in(ids))
        .all(&state.db)
        .await
        .db_err()?;
    let now = Utc::now();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let mine: Vec<&attendance::Model> = signed.iter().filter(|a| a.class_id == c.id).collect();
        let status = status_of(&c, now);
        let late_from = c.starts_at + Duration::minutes(LATE_AFTER_MIN);
        let mut list: Vec<AttendanceRow> = staff
            .iter()
            .filter_map(|s| {
                let expected = in_audience(c.department_id.as_deref(), c.position.as_deref(), s);
                let a = mine.iter().find(|a| a.staff_id == s.id.as_str());
                if !expected && a.is_none() {
                    return None;
                }
                let row_status = match a {
                    Some(a) if a.method == "manual" => "补签",
                    Some(a) if a.signed_at > late_from => "迟到",
                    Some(_) => "已签到",
                    None if status == "已结束" => "缺勤",
                    None => "未签到",
                };
                Some(AttendanceRow {
                    staff_id: s.id.as_str().to_string(),
                    employee_no: s.employee_no.clone(),
                    name: s.name.clone(),
                    department_name: dept_name(s.department_id.as_ref().map(|d| d.as_str()))
                        .unwrap_or_default(),
                    expected,
                    signed_at: a.map(|a| a.signed_at),
                    method: a.map(|a| a.method.clone()),
                    note: a.map(|a| a.note.clone()).unwrap_or_default(),
                    status: row_status.to_string(),
                })
            })
            .collect();
        list.sort_by(|a, b| {
            a.signed_at
                .is_none()
                .cmp(&b.signed_at.is_none())
                .then_with(|| a.employee_no.cmp(&b.employee_no))
        });
        let dto = ClassDto {
            instructor_name: c
                .instructor_id
                .as_deref()
                .and_then(|i| instructors.iter().find(|x| x.id == i))
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            course_title: c
                .course_id
                .as_deref()
                .and_then(|i| courses.iter().find(|x| x.id == i))
                .map(|x| x.title.clone())
                .unwrap_or_default(),
            department_name: dept_name(c.department_id.as_deref())
                .unwrap_or_else(|| "全部部门".into()),
            position_label: position_label(c.position.as_deref()),
            hours: hours_of(&c),
            status: status.to_string(),
            expected: list.iter().filter(|r| r.expected).count(),
            attended: mine.len(),
            id: c.id,
            title: c.title,
            instructor_id: c.instructor_id,
            course_id: c.course_id,
            place: c.place,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            department_id: c.department_id,
            position: c.position,
            created_at: c.created_at,
        };
        out.push((dto, list));
    }
    Ok(out)
}

/// The hall's classes, latest start first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ClassDto>> {
    let rows = class::Entity::find()
        .filter(class::Column::HallId.eq(hall_id))
        .order_by_desc(class::Column::StartsAt)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(dtos(state, hall_id, rows)
        .await?
        .into_iter()
        .map(|(d, _)| d)
        .collect())
}

/// One class and who came.
pub async fn detail(state: &AppState, hall_id: &str, id: &str) -> AppResult<ClassDetail> {
    let c = find(state, hall_id, id).await?;
    let (class, attendance) = dtos(state, hall_id, vec![c]).await?.remove(0);
    Ok(ClassDetail { class, attendance })
}

/// The code to show now; refused outside the sign-in time, so an old
/// screen cannot be left showing it.
pub async fn code(state: &AppState, hall_id: &str, id: &str) -> AppResult<ClassCode> {
    let c = find(state, hall_id, id).await?;
    let now = Utc::now();
    match status_of(&c, now) {
        "未开始" => Err(AppError::BadRequest(format!(
            "签到尚未开始：开课前 {OPENS_BEFORE_MIN} 分钟（{}）起可显示签到二维码",
            local_time(c.starts_at - Duration::minutes(OPENS_BEFORE_MIN))
        ))),
        "已结束" => Err(AppError::BadRequest(
            "培训已结束，签到二维码已停用；缺席人员可由管理员补签".into(),
        )),
        _ => {
            let slot = slot_of(now);
            let token = token(&c, slot);
            Ok(ClassCode {
                path: format!("/learn/#/presence/{}/{token}", c.id),
                token,
                changes_at: DateTime::from_timestamp((slot + 1) * CODE_PERIOD_S, 0).unwrap_or(now),
                period_s: CODE_PERIOD_S,
            })
        }
    }
}

/// Records an attendance row and its event; a second sign-in of the same
/// person (two scans racing, or a 补签 after a scan) keeps the first.
async fn record(
    state: &AppState,
    user: &CurrentUser,
    c: &class::Model,
    staff_id: &str,
    method: &str,
    note: &str,
) -> AppResult<(attendance::Model, bool)> {
    if let Some(existing) = attendance::Entity::find_by_id((c.id.clone(), staff_id.to_string()))
        .one(&state.db)
        .await
        .db_err()?
    {
        return Ok((existing, true));
    }
    let now = Utc::now();
    let row = attendance::ActiveModel {
        class_id: Set(c.id.clone()),
        staff_id: Set(staff_id.to_string()),
        hall_id: Set(c.hall_id.clone()),
        signed_at: Set(now),
        method: Set(method.to_string()),
        note: Set(note.to_string()),
        recorded_by: Set(user.id.clone()),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    match row.insert(&txn).await {
        Ok(row) => {
            let ev = CLASS_ATTENDED.event(
                Some(&c.hall_id),
                &ClassAttended {
                    class_id: c.id.clone(),
                    title: c.title.clone(),
                    staff_id: staff_id.to_string(),
                    method: method.to_string(),
                    late: method == "qr" && now > c.starts_at + Duration::minutes(LATE_AFTER_MIN),
                    hours: hours_of(c),
                },
            );
            commit_with(state, txn, &user.actor(), vec![ev]).await?;
            Ok((row, false))
        }
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            let existing = attendance::Entity::find_by_id((c.id.clone(), staff_id.to_string()))
                .one(&state.db)
                .await
                .db_err()?
                .ok_or_else(|| AppError::internal("签到记录冲突后未找到"))?;
            Ok((existing, true))
        }
        Err(e) => Err(AppError::internal(e)),
    }
}

/// A learner signs in with the token from the scanned code.
pub async fn sign_in(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &PresenceInput,
) -> AppResult<PresenceDto> {
    let staff_id = user.staff_id.clone().ok_or_else(|| {
        AppError::Forbidden("只有登记在人员档案中的工作人员可以签到，请使用本人账号登录".into())
    })?;
    let c = find(state, hall_id, id).await?;
    let now = Utc::now();
    match status_of(&c, now) {
        "未开始" => {
            return Err(AppError::field(
                "token",
                format!(
                    "签到尚未开始：{} 起可签到",
                    local_time(c.starts_at - Duration::minutes(OPENS_BEFORE_MIN))
                ),
            ));
        }
        "已结束" => {
            return Err(AppError::field(
                "token",
                "培训已结束，不能再扫码签到；如确实到场，请联系培训管理员补签",
            ));
        }
        _ => {}
    }
    if !token_is_current(&c, &input.token, now) {
        return Err(AppError::field(
            "token",
            "签到码已失效（每 30 秒更换一次），请扫描现场屏幕上的最新二维码",
        ));
    }
    let (row, already) = record(state, user, &c, &staff_id, "qr", "").await?;
    Ok(PresenceDto {
        late: row.signed_at > c.starts_at + Duration::minutes(LATE_AFTER_MIN),
        class_id: c.id,
        title: c.title,
        place: c.place,
        signed_at: row.signed_at,
        already,
    })
}

/// A manager enters a sign-in by hand (补签) with the reason.
pub async fn sign_in_by_hand(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &ManualAttendanceInput,
) -> AppResult<ClassDetail> {
    let c = find(state, hall_id, id).await?;
    let mut ch = Checker::new();
    let note = ch.text("note", "补签原因", &input.note, 100);
    let member = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(member.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    ch.check(
        Utc::now() >= c.starts_at,
        "staff_id",
        format!("培训 {} 才开始，开始后才能补签", local_time(c.starts_at)),
    );
    ch.finish()?;
    let (_, already) = record(state, user, &c, &input.staff_id, "manual", &note).await?;
    if already {
        return Err(AppError::Conflict {
            message: "此人已签到，无需补签".into(),
            fields: vec![],
        });
    }
    detail(state, hall_id, id).await
}

/// The classes of the signed-in learner's group from a week ago on, soonest first.
pub async fn mine(state: &AppState, user: &CurrentUser, hall_id: &str) -> AppResult<Vec<MyClass>> {
    let Some(me) = (match user.staff_id.as_deref() {
        Some(id) => directory::staff_member(&state.db, id).await?,
        None => None,
    }) else {
        return Ok(vec![]);
    };
    let rows = class::Entity::find()
        .filter(class::Column::HallId.eq(hall_id))
        .filter(class::Column::EndsAt.gt(Utc::now() - Duration::days(7)))
        .order_by_asc(class::Column::StartsAt)
        .all(&state.db)
        .await
        .db_err()?;
    let signed = attendance::Entity::find()
        .filter(attendance::Column::StaffId.eq(me.id.as_str()))
        .all(&state.db)
        .await
        .db_err()?;
    let instructors = instructor::Entity::find()
        .filter(instructor::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let signed_at = signed
                .iter()
                .find(|a| a.class_id == c.id)
                .map(|a| a.signed_at);
            let asked = in_audience(c.department_id.as_deref(), c.position.as_deref(), &me);
            (asked || signed_at.is_some()).then(|| MyClass {
                status: status_of(&c, now).to_string(),
                instructor_name: c
                    .instructor_id
                    .as_deref()
                    .and_then(|i| instructors.iter().find(|x| x.id == i))
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                id: c.id,
                title: c.title,
                place: c.place,
                starts_at: c.starts_at,
                ends_at: c.ends_at,
                signed_at,
            })
        })
        .collect())
}

/// Classes starting between `from` and `to` in every hall, each with the
/// staff it addresses: what the reminders read.
pub(crate) async fn starting_between(
    state: &AppState,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(class::Model, Vec<directory::Staff>)>> {
    let rows = class::Entity::find()
        .filter(class::Column::StartsAt.between(from, to))
        .all(&state.db)
        .await
        .db_err()?;
    let mut staff_by_hall: std::collections::HashMap<String, Vec<directory::Staff>> =
        Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        if !staff_by_hall.contains_key(&c.hall_id) {
            let staff = directory::hall_staff(&state.db, &c.hall_id).await?;
            staff_by_hall.insert(c.hall_id.clone(), staff);
        }
        let audience = staff_by_hall[&c.hall_id]
            .iter()
            .filter(|s| in_audience(c.department_id.as_deref(), c.position.as_deref(), s))
            .cloned()
            .collect();
        out.push((c, audience));
    }
    Ok(out)
}

/// When and where, as a text message says it.
pub(crate) fn when_and_where(c: &class::Model) -> String {
    format!(
        "{}在{}",
        time::local(c.starts_at).format("%m月%d日 %H:%M"),
        c.place
    )
}

/// Class hours attended per staff member (for the statistics).
pub async fn hours_by_staff(
    state: &AppState,
    hall_id: &str,
) -> AppResult<std::collections::HashMap<String, f64>> {
    let classes = class::Entity::find()
        .filter(class::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let rows = attendance::Entity::find()
        .filter(attendance::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = std::collections::HashMap::new();
    for a in rows {
        if let Some(c) = classes.iter().find(|c| c.id == a.class_id) {
            *out.entry(a.staff_id).or_insert(0.0) += hours_of(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_at(start: DateTime<Utc>) -> class::Model {
        class::Model {
            id: "c1".into(),
            hall_id: "h".into(),
            title: "t".into(),
            instructor_id: None,
            course_id: None,
            place: "p".into(),
            starts_at: start,
            ends_at: start + Duration::minutes(95),
            department_id: None,
            position: None,
            secret: "s3cret".into(),
            created_at: start,
        }
    }

    #[test]
    fn a_code_lasts_its_half_minute_and_the_next_only() {
        let now = Utc::now();
        let c = class_at(now);
        let t = token(&c, slot_of(now));
        assert!(token_is_current(&c, &t, now));
        assert!(token_is_current(&c, &t.to_uppercase(), now));
        assert!(token_is_current(
            &c,
            &t,
            now + Duration::seconds(CODE_PERIOD_S)
        ));
        assert!(!token_is_current(
            &c,
            &t,
            now + Duration::seconds(2 * CODE_PERIOD_S)
        ));
        let mut other = c.clone();
        other.secret = "another".into();
        assert!(!token_is_current(&other, &t, now));
    }

    #[test]
    fn hours_count_whole_half_hours() {
        assert_eq!(hours_of(&class_at(Utc::now())), 1.5);
    }
}
