//! 考核结果 for payroll: the quarterly grades the performance module
//! finalized, recorded here through the service API (the performance
//! module depends on this one, not the other way round). A month's
//! formulas read the latest quarter that ended before the month began, so
//! the third quarter's grade is paid from October.

use crate::entity::{assessment_result, butler_allowance};
use crate::month::Month;
use chrono::{NaiveDate, Utc};
use govhall_kernel::{error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// One person's final grade of a quarter.
#[derive(Debug, Clone)]
pub struct AssessmentResult {
    pub staff_id: String,
    /// 优秀, 合格, 基本合格, 不合格.
    pub grade: String,
    /// 4, 3, 2, 1.
    pub level: i32,
    pub score: f64,
}

/// Records (or replaces) a quarter's grades.
pub async fn record(
    state: &AppState,
    hall_id: &str,
    quarter: &str,
    ends_on: NaiveDate,
    results: &[AssessmentResult],
) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    assessment_result::Entity::delete_many()
        .filter(assessment_result::Column::HallId.eq(hall_id))
        .filter(assessment_result::Column::Quarter.eq(quarter))
        .exec(&txn)
        .await
        .db_err()?;
    for r in results {
        assessment_result::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            staff_id: Set(r.staff_id.clone()),
            quarter: Set(quarter.to_string()),
            ends_on: Set(ends_on),
            grade: Set(r.grade.clone()),
            level: Set(r.level),
            score: Set(r.score),
            recorded_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()
}

/// Each person's latest (level, score) of a quarter ended before `month`.
pub(crate) async fn before_month(
    state: &AppState,
    hall_id: &str,
    month: &Month,
) -> AppResult<HashMap<String, (i32, f64)>> {
    let mut out = HashMap::new();
    for r in assessment_result::Entity::find()
        .filter(assessment_result::Column::HallId.eq(hall_id))
        .filter(assessment_result::Column::EndsOn.lt(month.first_day()))
        .order_by_asc(assessment_result::Column::EndsOn)
        .all(&state.db)
        .await
        .db_err()?
    {
        // Later quarters overwrite earlier ones.
        out.insert(r.staff_id, (r.level, r.score));
    }
    Ok(out)
}

/// Records a 金牌管家's level and monthly allowance (0 and an empty level
/// remove it: no longer a butler).
pub async fn record_butler(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    level: &str,
    allowance: f64,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    butler_allowance::Entity::delete_by_id(staff_id.to_string())
        .exec(&txn)
        .await
        .db_err()?;
    if !level.is_empty() {
        butler_allowance::ActiveModel {
            staff_id: Set(staff_id.to_string()),
            hall_id: Set(hall_id.to_string()),
            level: Set(level.to_string()),
            allowance: Set(allowance),
            recorded_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()
}

/// Each butler's monthly allowance.
pub(crate) async fn butler_allowances(
    state: &AppState,
    hall_id: &str,
) -> AppResult<HashMap<String, f64>> {
    Ok(butler_allowance::Entity::find()
        .filter(butler_allowance::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|b| (b.staff_id, b.allowance))
        .collect())
}
