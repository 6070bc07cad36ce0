//! 讲师管理: the hall's instructors — a member of staff (内部) or an outside
//! teacher (外部) — with a title, a biography and the courses they teach;
//! a 线下培训 class names one.

use crate::entity::{class, instructor};
use chrono::{DateTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const KINDS: &[(&str, &str)] = &[("内部", "本中心工作人员"), ("外部", "外聘讲师")];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InstructorInput {
    pub name: String,
    /// `内部` (needs `staff_id`) or `外部`.
    pub kind: String,
    /// The member of staff, for an internal instructor.
    #[serde(default)]
    pub staff_id: Option<String>,
    /// 职称 or unit, e.g. 高级讲师、市税务局.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub bio: String,
    /// The hall's courses they teach.
    #[serde(default)]
    pub course_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructorCourse {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructorDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub staff_id: Option<String>,
    /// The staff member's 工号, for an internal instructor.
    pub employee_no: Option<String>,
    pub title: String,
    pub bio: String,
    pub courses: Vec<InstructorCourse>,
    /// 线下培训 classes they lead (past and planned).
    pub classes: usize,
    pub created_at: DateTime<Utc>,
}

async fn check(state: &AppState, hall_id: &str, input: &InstructorInput) -> AppResult<String> {
    let mut ch = Checker::new();
    let name = ch.text("name", "讲师姓名", &input.name, 30);
    ch.one_of("kind", "讲师类型", &input.kind, KINDS);
    ch.optional_text("title", "职称或单位", Some(&input.title), 60);
    ch.optional_text("bio", "讲师简介", Some(&input.bio), 2000);
    match (input.kind.as_str(), input.staff_id.as_deref()) {
        ("内部", None) => ch.fail("staff_id", "内部讲师须选择本中心的工作人员"),
        ("内部", Some(id)) => {
            let found = directory::staff_member(&state.db, id)
                .await?
                .is_some_and(|s| s.hall_id.as_str() == hall_id);
            ch.check(found, "staff_id", "工作人员不存在或不属于本大厅");
        }
        ("外部", Some(_)) => ch.fail("staff_id", "外部讲师不关联本中心工作人员"),
        _ => {}
    }
    ch.check(
        input.course_ids.len() <= 50,
        "course_ids",
        "讲授课程不超过 50 门",
    );
    crate::courses::check_ids(&mut ch, state, hall_id, "course_ids", &input.course_ids).await?;
    ch.finish()?;
    Ok(name)
}

pub async fn create(
    state: &AppState,
    hall_id: &str,
    input: &InstructorInput,
) -> AppResult<InstructorDto> {
    let name = check(state, hall_id, input).await?;
    instructor::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(name),
        kind: Set(input.kind.clone()),
        staff_id: Set(input.staff_id.clone()),
        title: Set(input.title.trim().to_string()),
        bio: Set(input.bio.trim().to_string()),
        course_ids: Set(serde_json::to_string(&input.course_ids).unwrap_or_else(|_| "[]".into())),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    let mut all = list(state, hall_id).await?;
    Ok(all.remove(0))
}

pub async fn update(
    state: &AppState,
    hall_id: &str,
    id: &str,
    input: &InstructorInput,
) -> AppResult<InstructorDto> {
    let row = find(state, hall_id, id).await?;
    let name = check(state, hall_id, input).await?;
    let mut a = row.into_active_model();
    a.name = Set(name);
    a.kind = Set(input.kind.clone());
    a.staff_id = Set(input.staff_id.clone());
    a.title = Set(input.title.trim().to_string());
    a.bio = Set(input.bio.trim().to_string());
    a.course_ids = Set(serde_json::to_string(&input.course_ids).unwrap_or_else(|_| "[]".into()));
    a.update(&state.db).await.db_err()?;
    list(state, hall_id)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| AppError::not_found("讲师"))
}

pub async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<instructor::Model> {
    instructor::Entity::find_by_id(id.to_string())
        .filter(instructor::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("讲师"))
}

/// The hall's instructors, newest first, with their courses and classes.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<InstructorDto>> {
    let rows = instructor::Entity::find()
        .filter(instructor::Column::HallId.eq(hall_id))
        .order_by_desc(instructor::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let classes = class::Entity::find()
        .filter(class::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let ids: Vec<String> = serde_json::from_str(&r.course_ids).unwrap_or_default();
            InstructorDto {
                courses: ids
                    .iter()
                    .filter_map(|id| courses.iter().find(|c| &c.id == id))
                    .map(|c| InstructorCourse {
                        id: c.id.clone(),
                        title: c.title.clone(),
                    })
                    .collect(),
                classes: classes
                    .iter()
                    .filter(|s| s.instructor_id.as_deref() == Some(r.id.as_str()))
                    .count(),
                employee_no: r.staff_id.as_deref().and_then(|sid| {
                    staff
                        .iter()
                        .find(|s| s.id.as_str() == sid)
                        .map(|s| s.employee_no.clone())
                }),
                id: r.id,
                name: r.name,
                kind: r.kind,
                staff_id: r.staff_id,
                title: r.title,
                bio: r.bio,
                created_at: r.created_at,
            }
        })
        .collect())
}
