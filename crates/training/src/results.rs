//! Exam results other modules read through this service API: the
//! performance module's 业务竞赛 takes its exam round from the bank's exams,
//! and names an exam by its title.

use crate::entity::{attempt, exam};
use chrono::{DateTime, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::db::DbResultExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// An exam of the hall, by its title.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamTitle {
    pub id: String,
    pub title: String,
}

/// The hall's exams, by title.
pub async fn exam_titles(db: &impl ConnectionTrait, hall_id: &str) -> AppResult<Vec<ExamTitle>> {
    Ok(exam::Entity::find()
        .filter(exam::Column::HallId.eq(hall_id))
        .order_by_asc(exam::Column::Title)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(|e| ExamTitle {
            id: e.id,
            title: e.title,
        })
        .collect())
}

/// A sitting handed in: marked (`passed`, `failed`) or awaiting an
/// instructor's marks (`marking`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sitting {
    pub attempt_id: String,
    pub exam_id: String,
    pub staff_id: String,
    pub score: f64,
    pub max_score: f64,
    pub status: String,
    pub submitted_at: DateTime<Utc>,
}

impl Sitting {
    /// Still waiting for an instructor to mark its 简答 questions.
    pub fn awaiting_marks(&self) -> bool {
        self.status == "marking"
    }

    /// The score as a share of the paper's points, 0–100.
    pub fn percent(&self) -> f64 {
        if self.max_score > 0.0 {
            self.score / self.max_score * 100.0
        } else {
            0.0
        }
    }
}

/// The sittings of an exam by staff members handed in within `[from, to)`,
/// oldest first.
pub async fn sittings(
    db: &impl ConnectionTrait,
    hall_id: &str,
    exam_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<Sitting>> {
    handed_in(db, hall_id, Some(exam_id), from, to).await
}

/// The sittings of every exam of the hall handed in within `[from, to)`,
/// oldest first (a quarter's 培训考试成绩).
pub async fn hall_sittings(
    db: &impl ConnectionTrait,
    hall_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<Sitting>> {
    handed_in(db, hall_id, None, from, to).await
}

async fn handed_in(
    db: &impl ConnectionTrait,
    hall_id: &str,
    exam_id: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<Sitting>> {
    let mut q = attempt::Entity::find().filter(attempt::Column::HallId.eq(hall_id));
    if let Some(e) = exam_id {
        q = q.filter(attempt::Column::ExamId.eq(e));
    }
    Ok(q.filter(attempt::Column::SubmittedAt.gte(from))
        .filter(attempt::Column::SubmittedAt.lt(to))
        .filter(attempt::Column::Status.is_in(["passed", "failed", "marking"]))
        .order_by_asc(attempt::Column::SubmittedAt)
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .filter_map(|a| {
            Some(Sitting {
                staff_id: a.staff_id?,
                submitted_at: a.submitted_at?,
                attempt_id: a.id,
                exam_id: a.exam_id,
                score: a.score,
                max_score: a.max_score,
                status: a.status,
            })
        })
        .collect())
}
