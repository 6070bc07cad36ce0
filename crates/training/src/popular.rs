//! 热门课程: the courses most learners took up in the last 30 days.

use crate::entity::{completion, progress};
use chrono::{Duration, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// The window that makes a course "hot".
const DAYS: i64 = 30;
const SHOWN: usize = 6;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PopularCourse {
    pub id: String,
    pub title: String,
    pub category: String,
    pub public: bool,
    /// Learners who studied it in the last 30 days.
    pub learners: usize,
    /// Learners who completed it in the last 30 days.
    pub completed: usize,
}

/// Up to six courses by learners in the last 30 days (ties: completions,
/// then title); a course nobody opened is not listed.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<PopularCourse>> {
    let since = Utc::now() - Duration::days(DAYS);
    // Only the pairs: the watched stretches are not needed here.
    let active: Vec<(String, String)> = progress::Entity::find()
        .select_only()
        .column(progress::Column::CourseId)
        .column(progress::Column::LearnerId)
        .distinct()
        .filter(progress::Column::HallId.eq(hall_id))
        .filter(progress::Column::UpdatedAt.gt(since))
        .into_tuple()
        .all(&state.db)
        .await
        .db_err()?;
    let done = completion::Entity::find()
        .filter(completion::Column::HallId.eq(hall_id))
        .filter(completion::Column::CompletedAt.gt(since))
        .all(&state.db)
        .await
        .db_err()?;
    let mut learners: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (course_id, learner_id) in &active {
        learners
            .entry(course_id.as_str())
            .or_default()
            .insert(learner_id.as_str());
    }
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let mut out: Vec<PopularCourse> = courses
        .into_iter()
        .filter_map(|c| {
            let n = learners.get(c.id.as_str()).map_or(0, HashSet::len);
            (n > 0).then(|| PopularCourse {
                completed: done.iter().filter(|d| d.course_id == c.id).count(),
                learners: n,
                id: c.id,
                title: c.title,
                category: c.category,
                public: c.public,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.learners
            .cmp(&a.learners)
            .then(b.completed.cmp(&a.completed))
            .then_with(|| a.title.cmp(&b.title))
    });
    out.truncate(SHOWN);
    Ok(out)
}
