//! Training statistics (培训统计): per learner, per course and per
//! department — courses completed, hours watched and in class, exams passed and their
//! average score, valid certificates — and the same table as an Excel sheet.
//! Learners are the hall's staff (by the account bound to each) and its
//! 培训学员 (accounts not bound to staff: new hires before their 工号); a
//! department's row sums its staff, the trainees have a row of their own.

use crate::entity::{attempt, certificate, completion, progress};
use chrono::Utc;
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// `learner` (default), `course` or `department`.
    pub by: Option<String>,
    /// `xlsx` for an Excel file instead of JSON.
    pub format: Option<String>,
}

/// One row of the statistics: a learner, a course or a department.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsRow {
    /// The staff member's, course's or department's id (empty for staff of no department).
    pub key: String,
    pub name: String,
    /// 工号 and department for a learner; category for a course; staff count for a department.
    pub detail: String,
    /// Learners counted (1 for a learner).
    pub learners: usize,
    pub courses_completed: usize,
    /// Hours of video watched.
    pub hours: f64,
    /// Hours of 线下培训 classes attended.
    pub class_hours: f64,
    pub exams_passed: usize,
    pub exams_sat: usize,
    /// Average exam score as a share of the points (0–100), when any was sat.
    pub average_score: Option<f64>,
    pub valid_certificates: usize,
    /// 学习积分: 10 a course completed, 5 an exam passed, 20 a valid
    /// certificate, 5 an hour watched or spent in class.
    pub points: i64,
}

#[derive(Default)]
struct Tally {
    courses: usize,
    seconds: f64,
    passed: usize,
    sat: usize,
    score_pct: f64,
    certificates: usize,
    class_hours: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.courses += o.courses;
        self.seconds += o.seconds;
        self.passed += o.passed;
        self.sat += o.sat;
        self.score_pct += o.score_pct;
        self.certificates += o.certificates;
        self.class_hours += o.class_hours;
    }

    fn row(&self, key: String, name: String, detail: String, learners: usize) -> StatsRow {
        let points = 10 * self.courses as i64
            + 5 * self.passed as i64
            + 20 * self.certificates as i64
            + (self.seconds / 720.0 + self.class_hours * 5.0).round() as i64;
        StatsRow {
            key,
            points,
            name,
            detail,
            learners,
            courses_completed: self.courses,
            hours: (self.seconds / 36.0).round() / 100.0,
            class_hours: self.class_hours,
            exams_passed: self.passed,
            exams_sat: self.sat,
            average_score: (self.sat > 0)
                .then(|| (self.score_pct / self.sat as f64 * 10.0).round() / 10.0),
            valid_certificates: self.certificates,
        }
    }
}

/// The statistics of the hall, grouped as asked.
pub async fn table(state: &AppState, hall_id: &str, by: &str) -> AppResult<Vec<StatsRow>> {
    if !matches!(by, "learner" | "course" | "department") {
        return Err(AppError::field(
            "by",
            "统计维度须为 learner（学员）、course（课程）或 department（部门）",
        ));
    }
    let now = Utc::now();
    let progress = progress::Entity::find()
        .filter(progress::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let done = completion::Entity::find()
        .filter(completion::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let sittings = attempt::Entity::find()
        .filter(attempt::Column::HallId.eq(hall_id))
        .filter(attempt::Column::Status.is_in(["passed", "failed"]))
        .all(&state.db)
        .await
        .db_err()?;
    let certs = certificate::Entity::find()
        .filter(certificate::Column::HallId.eq(hall_id))
        .filter(certificate::Column::ExpiresAt.gt(now))
        .all(&state.db)
        .await
        .db_err()?;
    // Per (learner, course): what each contributed. Exams are not tied to a course row here.
    let mut by_learner: HashMap<&str, Tally> = HashMap::new();
    let mut by_course: HashMap<&str, (Tally, std::collections::HashSet<&str>)> = HashMap::new();
    for p in &progress {
        by_learner.entry(&p.learner_id).or_default().seconds += p.watched_s;
        let c = by_course.entry(&p.course_id).or_default();
        c.0.seconds += p.watched_s;
        c.1.insert(&p.learner_id);
    }
    for d in &done {
        by_learner.entry(&d.learner_id).or_default().courses += 1;
        by_course.entry(&d.course_id).or_default().0.courses += 1;
    }
    for a in &sittings {
        let t = by_learner.entry(&a.learner_id).or_default();
        t.sat += 1;
        t.passed += usize::from(a.status == "passed");
        t.score_pct += if a.max_score > 0.0 {
            a.score / a.max_score * 100.0
        } else {
            0.0
        };
    }
    for c in &certs {
        by_learner.entry(&c.learner_id).or_default().certificates += 1;
        by_course.entry(&c.course_id).or_default().0.certificates += 1;
    }
    if by == "course" {
        let courses = crate::courses::of_hall(state, hall_id).await?;
        return Ok(courses
            .iter()
            .map(|c| {
                let mut row = Tally::default();
                let learners = match by_course.get(c.id.as_str()) {
                    Some((t, l)) => {
                        row.add(t);
                        l.len()
                    }
                    None => 0,
                };
                row.row(c.id.clone(), c.title.clone(), c.category.clone(), learners)
            })
            .collect());
    }
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let departments = directory::departments(&state.db, hall_id).await?;
    let dept_name = |s: &directory::Staff| {
        s.department_id
            .as_ref()
            .and_then(|d| departments.iter().find(|x| x.id == *d))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "中心（未分部门）".into())
    };
    let mut rows = Vec::new();
    let mut per_dept: Vec<(String, Tally, usize)> = Vec::new();
    let accounts = crate::plans::accounts_of(state, &staff).await?;
    let class_hours = crate::classes::hours_by_staff(state, hall_id).await?;
    for s in &staff {
        let mut t = Tally::default();
        if let Some(learned) = accounts
            .get(s.id.as_str())
            .and_then(|a| by_learner.get(a.as_str()))
        {
            t.add(learned);
        }
        t.class_hours = class_hours.get(s.id.as_str()).copied().unwrap_or(0.0);
        let t = &t;
        let dept = dept_name(s);
        if by == "learner" {
            rows.push(t.row(
                s.id.as_str().to_string(),
                s.name.clone(),
                format!("{} · {dept}", s.employee_no),
                1,
            ));
        } else {
            match per_dept.iter_mut().find(|(n, _, _)| *n == dept) {
                Some((_, sum, n)) => {
                    sum.add(t);
                    *n += 1;
                }
                None => {
                    let mut sum = Tally::default();
                    sum.add(t);
                    per_dept.push((dept, sum, 1));
                }
            }
        }
    }
    // 培训学员: accounts that are not staff yet, counted beside them.
    let trainees = govhall_platform::auth::service::accounts_with_role(
        &state.db,
        hall_id,
        govhall_platform::auth::Role::Trainee,
    )
    .await?;
    let mut outside = (Tally::default(), 0);
    for a in trainees.iter().filter(|a| a.staff_id.is_none()) {
        let empty = Tally::default();
        let t = by_learner.get(a.id.as_str()).unwrap_or(&empty);
        if by == "learner" {
            rows.push(t.row(a.id.clone(), a.display_name.clone(), "外部学员".into(), 1));
        } else {
            outside.0.add(t);
            outside.1 += 1;
        }
    }
    if by == "department" {
        if outside.1 > 0 {
            per_dept.push(("外部学员".into(), outside.0, outside.1));
        }
        rows = per_dept
            .into_iter()
            .map(|(name, t, n)| t.row(String::new(), name, format!("{n} 人"), n))
            .collect();
    }
    Ok(rows)
}

/// The table as an Excel workbook.
pub fn xlsx(by: &str, rows: &[StatsRow]) -> AppResult<Vec<u8>> {
    let first = match by {
        "course" => ["课程", "分类"],
        "department" => ["部门", "人数"],
        _ => ["姓名", "工号 · 部门"],
    };
    let headers = [
        first[0],
        first[1],
        "学员数",
        "完成课程",
        "学习时长（小时）",
        "线下学时",
        "考试通过",
        "参加考试",
        "平均得分率（%）",
        "有效证书",
        "学习积分",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("培训统计").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(AppError::internal)?;
        ws.set_column_width(i as u16, if i < 2 { 22 } else { 12 })
            .map_err(AppError::internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let e = AppError::internal;
        ws.write_string(r, 0, &row.name).map_err(e)?;
        ws.write_string(r, 1, &row.detail).map_err(e)?;
        ws.write_number(r, 2, row.learners as f64).map_err(e)?;
        ws.write_number(r, 3, row.courses_completed as f64)
            .map_err(e)?;
        ws.write_number(r, 4, row.hours).map_err(e)?;
        ws.write_number(r, 5, row.class_hours).map_err(e)?;
        ws.write_number(r, 6, row.exams_passed as f64).map_err(e)?;
        ws.write_number(r, 7, row.exams_sat as f64).map_err(e)?;
        if let Some(s) = row.average_score {
            ws.write_number(r, 8, s).map_err(e)?;
        }
        ws.write_number(r, 9, row.valid_certificates as f64)
            .map_err(e)?;
        ws.write_number(r, 10, row.points as f64).map_err(e)?;
    }
    wb.save_to_buffer().map_err(AppError::internal)
}
