//! Certification gates the counter (上岗认证): a matter may require a course,
//! and the intake refuses the matter to a clerk who has not completed it.
//! Matters without a requirement are open to every authorised window; a
//! course that issues certificates certifies only while the certificate is valid.

use crate::entity::{completion, requirement};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementDto {
    /// The matter's 实施编码.
    pub task_code: String,
    pub course_id: String,
    pub course_title: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RequirementInput {
    /// The course a clerk must complete before accepting the matter.
    pub course_id: String,
    /// Days certified clerks keep the matter after it changes, before they
    /// must pass the change's refresher (default 14, 0–90).
    #[serde(default)]
    pub grace_days: Option<i32>,
}

/// The hall's requirements, by matter.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<RequirementDto>> {
    let rows = requirement::Entity::find()
        .filter(requirement::Column::HallId.eq(hall_id))
        .order_by_asc(requirement::Column::TaskCode)
        .all(&state.db)
        .await
        .db_err()?;
    let courses = crate::courses::list(state, hall_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| RequirementDto {
            course_title: courses
                .iter()
                .find(|c| c.id == r.course_id)
                .map(|c| c.title.clone())
                .unwrap_or_default(),
            task_code: r.task_code,
            course_id: r.course_id,
        })
        .collect())
}

/// Sets (or replaces) the course a matter requires.
pub async fn set(
    state: &AppState,
    hall_id: &str,
    task_code: &str,
    input: &RequirementInput,
) -> AppResult<RequirementDto> {
    let task_code = task_code.trim();
    if !(0..=90).contains(&input.grace_days.unwrap_or(14)) {
        return Err(AppError::field("grace_days", "更新宽限期须为 0 至 90 天"));
    }
    if task_code.is_empty() || task_code.len() > 64 {
        return Err(AppError::field(
            "task_code",
            "事项实施编码须为 1 至 64 个字符",
        ));
    }
    let course = crate::courses::detail(state, hall_id, &input.course_id)
        .await
        .map_err(|_| AppError::field("course_id", "课程不存在或不属于本大厅"))?;
    // The version certification is for: the one published now (a later
    // change to it sends the refresher).
    let version = govhall_catalog::service::item(state, hall_id, task_code)
        .await
        .ok()
        .and_then(|i| i.published_version);
    requirement::Entity::insert(requirement::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        task_code: Set(task_code.to_string()),
        course_id: Set(course.id.clone()),
        version: Set(version),
        grace_days: Set(input.grace_days.unwrap_or(14)),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([requirement::Column::HallId, requirement::Column::TaskCode])
            .update_columns([
                requirement::Column::CourseId,
                requirement::Column::Version,
                requirement::Column::GraceDays,
                requirement::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(&state.db)
    .await
    .db_err()?;
    Ok(RequirementDto {
        task_code: task_code.to_string(),
        course_id: course.id,
        course_title: course.title,
    })
}

/// Lifts a matter's requirement.
pub async fn remove(state: &AppState, hall_id: &str, task_code: &str) -> AppResult<()> {
    let gone = requirement::Entity::delete_many()
        .filter(requirement::Column::HallId.eq(hall_id))
        .filter(requirement::Column::TaskCode.eq(task_code))
        .exec(&state.db)
        .await
        .db_err()?;
    if gone.rows_affected == 0 {
        return Err(AppError::not_found("该事项的培训要求"));
    }
    Ok(())
}

/// Whether an account may accept the matter now: the refusal of
/// [`ensure_certified`] as `false` (the rotation plan asks this before
/// putting someone at a window).
pub async fn certified_for(
    state: &AppState,
    hall_id: &str,
    account_id: &str,
    task_code: &str,
) -> AppResult<bool> {
    match ensure_certified(state, hall_id, account_id, task_code, task_code).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Where an account stands with a course.
enum Standing {
    /// Completed (with a valid certificate where the course issues them),
    /// certified since this moment.
    Certified(DateTime<Utc>),
    NotCompleted,
    CertificateExpired,
}

async fn standing(
    state: &AppState,
    course: &crate::entity::course::Model,
    account_id: &str,
) -> AppResult<Standing> {
    let Some(done) = completion::Entity::find_by_id((course.id.clone(), account_id.to_string()))
        .one(&state.db)
        .await
        .db_err()?
    else {
        return Ok(Standing::NotCompleted);
    };
    if course.certificate_months == 0 {
        return Ok(Standing::Certified(done.completed_at));
    }
    Ok(
        match crate::certificates::valid_one(&state.db, &course.id, account_id, Utc::now()).await? {
            Some(c) => Standing::Certified(done.completed_at.max(c.issued_at)),
            None => Standing::CertificateExpired,
        },
    )
}

/// The title of a course of the hall, `None` when there is no such course.
pub async fn course_title(
    state: &AppState,
    hall_id: &str,
    course_id: &str,
) -> AppResult<Option<String>> {
    match crate::courses::get(state, hall_id, course_id).await {
        Ok((c, _)) => Ok(Some(c.title)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Why an account does not hold the course now (not completed, or its
/// certificate expired), or `None` when it does — 导师结对's 出师 asks this.
pub async fn course_missing(
    state: &AppState,
    hall_id: &str,
    account_id: &str,
    course_id: &str,
) -> AppResult<Option<String>> {
    let (course, _) = crate::courses::get(state, hall_id, course_id).await?;
    Ok(match standing(state, &course, account_id).await? {
        Standing::Certified(_) => None,
        Standing::NotCompleted => Some(format!("尚未完成培训课程《{}》", course.title)),
        Standing::CertificateExpired => Some(format!("《{}》培训证书已过期", course.title)),
    })
}

/// Refuses the matter to an account that has not completed the course the
/// matter requires (the counter's intake calls this).
pub async fn ensure_certified(
    state: &AppState,
    hall_id: &str,
    account_id: &str,
    task_code: &str,
    task_name: &str,
) -> AppResult<()> {
    let Some(req) = requirement::Entity::find_by_id((hall_id.to_string(), task_code.to_string()))
        .one(&state.db)
        .await
        .db_err()?
    else {
        return Ok(());
    };
    let (course, _) = crate::courses::get(state, hall_id, &req.course_id)
        .await
        .map_err(|_| {
            AppError::Forbidden(format!(
                "“{task_name}”要求的培训课程已不存在，请培训管理员重新设置"
            ))
        })?;
    let title = course.title.clone();
    let certified_at = match standing(state, &course, account_id).await? {
        Standing::Certified(at) => at,
        Standing::NotCompleted => {
            return Err(AppError::Forbidden(format!(
                "您尚未完成“{task_name}”要求的培训课程《{title}》，暂不能受理该事项；请在“培训学习”中完成课程后再受理，或请已认证的同事受理"
            )));
        }
        Standing::CertificateExpired => {
            return Err(AppError::Forbidden(format!(
                "您的《{title}》培训证书已过期，暂不能受理“{task_name}”；请在“培训学习”中重新参加考试取得新证书"
            )));
        }
    };
    // A change to the matter since: its refresher, once the grace period is over.
    if let Some(r) = crate::refresh::current(state, &req).await?
        && crate::refresh::blocks(state, &r, account_id, certified_at).await?
    {
        return Err(AppError::Forbidden(format!(
            "“{task_name}”已更新为第 {} 版（受理条件或申请材料有变化），宽限期已过；请在“培训学习”的学习任务中完成更新提示后再受理",
            r.to_version
        )));
    }
    Ok(())
}
