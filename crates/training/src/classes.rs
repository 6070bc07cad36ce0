//! 线下培训: instructor-led classes at a place and time for a group of staff
//! (a department and/or a post), their attendance lists (已签到, 迟到, 补签,
//! 缺勤), the learner's own classes, and the hours attended. Signing in is
//! `presence`.

use crate::entity::{attendance, class, course, instructor};
use crate::plans::{check_audience, in_audience, position_label};
use chrono::{DateTime, Duration, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{AppState, auth::CurrentUser, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Sign-in opens this long before the start.
pub(crate) const OPENS_BEFORE_MIN: i64 = 30;
/// A sign-in this long after the start is late (迟到).
pub(crate) const LATE_AFTER_MIN: i64 = 10;

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

pub(crate) fn status_of(c: &class::Model, now: DateTime<Utc>) -> &'static str {
    if now > c.ends_at {
        "已结束"
    } else if now >= c.starts_at - Duration::minutes(OPENS_BEFORE_MIN) {
        "签到中"
    } else {
        "未开始"
    }
}

pub(crate) fn hours_of(c: &class::Model) -> f64 {
    // Whole half-hours, as a timetable counts 学时.
    let minutes = (c.ends_at - c.starts_at).num_minutes();
    (minutes / 30) as f64 / 2.0
}

pub(crate) fn local_time(t: DateTime<Utc>) -> String {
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

pub(crate) async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<class::Model> {
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

/// The classes of the signed-in learner's group from a week ago on, soonest first.
pub async fn mine(state: &AppState, user: &CurrentUser, hall_id: &str) -> AppResult<Vec<MyClass>> {
    let Some(me) = crate::plans::signed_in_staff(state, user).await? else {
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

/// 线下培训 hours and sign-ins of the hall's classes that started in
/// [`from`, `to`): for HR's monthly staff report.
pub async fn hours_between(
    state: &AppState,
    hall_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<(f64, usize)> {
    let classes = class::Entity::find()
        .filter(class::Column::HallId.eq(hall_id))
        .filter(class::Column::StartsAt.gte(from))
        .filter(class::Column::StartsAt.lt(to))
        .all(&state.db)
        .await
        .db_err()?;
    let ids: Vec<String> = classes.iter().map(|c| c.id.clone()).collect();
    let rows = attendance::Entity::find()
        .filter(attendance::Column::ClassId.is_in(ids))
        .all(&state.db)
        .await
        .db_err()?;
    let hours = rows
        .iter()
        .filter_map(|a| classes.iter().find(|c| c.id == a.class_id))
        .map(hours_of)
        .sum();
    Ok((hours, rows.len()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn class_at(start: DateTime<Utc>) -> class::Model {
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
    fn hours_count_whole_half_hours() {
        assert_eq!(hours_of(&class_at(Utc::now())), 1.5);
    }
}
