//! Training plans (岗前培训方案, 日常培训方案): courses assigned to a group of
//! staff — a department, a position, or the whole hall — with a due date.
//! Who is in the group is read from the directory when asked, so a new hire
//! joins the plans of their department and post; each learner's standing is
//! their completions of the plan's courses, by the account bound to them.

use crate::entity::{completion, plan};
use chrono::{DateTime, NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time::today, validate::Checker};
use govhall_platform::{AppState, auth::CurrentUser, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The posts a plan may address (the directory's positions).
pub const POSITIONS: &[(&str, &str)] = &[
    ("window_staff", "窗口人员"),
    ("dept_reviewer", "部门审核人员"),
    ("center_admin", "中心管理人员"),
    ("guide", "导服人员"),
];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanInput {
    pub title: String,
    /// `岗前` or `日常`.
    pub kind: String,
    /// The courses to complete (1–20).
    pub course_ids: Vec<String>,
    /// Only this department's staff (absent: every department).
    #[serde(default)]
    pub department_id: Option<String>,
    /// Only this post: window_staff, dept_reviewer, center_admin, guide (absent: every post).
    #[serde(default)]
    pub position: Option<String>,
    /// Only new hires: staff who joined within this many days (1–365; absent:
    /// everyone). The group moves with time — a hire joins it on arrival.
    #[serde(default)]
    pub joined_within_days: Option<i32>,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanCourse {
    pub id: String,
    pub title: String,
    /// The learner completed it (in a learner's own view).
    pub completed: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub courses: Vec<PlanCourse>,
    pub department_id: Option<String>,
    /// 全部部门 when absent.
    pub department_name: String,
    pub position: Option<String>,
    /// 全部岗位 when absent.
    pub position_label: String,
    /// Only staff who joined within this many days.
    pub joined_within_days: Option<i32>,
    pub due_on: NaiveDate,
    pub overdue: bool,
    /// Staff in the group, and those who completed every course.
    pub learners: usize,
    pub finished: usize,
    pub created_at: DateTime<Utc>,
}

/// One learner's standing in a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanLearner {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub department_name: String,
    /// No account is bound to the staff member: they cannot learn yet.
    pub has_account: bool,
    pub completed_courses: usize,
    pub finished: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDetail {
    pub plan: PlanDto,
    pub learners: Vec<PlanLearner>,
}

fn course_ids(p: &plan::Model) -> Vec<String> {
    serde_json::from_str(&p.course_ids).unwrap_or_default()
}

pub(crate) fn position_label(p: Option<&str>) -> String {
    match p {
        Some(code) => POSITIONS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| l.to_string())
            .unwrap_or_else(|| code.to_string()),
        None => "全部岗位".into(),
    }
}

pub async fn create(state: &AppState, hall_id: &str, input: &PlanInput) -> AppResult<PlanDto> {
    let mut ch = Checker::new();
    let title = input.title.trim();
    ch.check(
        (1..=60).contains(&title.chars().count()),
        "title",
        "培训方案名称须为 1 至 60 个字",
    );
    ch.check(
        matches!(input.kind.as_str(), "岗前" | "日常"),
        "kind",
        "方案类型须为 岗前 或 日常",
    );
    ch.check(
        (1..=20).contains(&input.course_ids.len()),
        "course_ids",
        "须选择 1 至 20 门课程",
    );
    crate::courses::check_ids(&mut ch, state, hall_id, "course_ids", &input.course_ids).await?;
    check_audience(
        &mut ch,
        state,
        hall_id,
        input.department_id.as_deref(),
        input.position.as_deref(),
    )
    .await?;
    ch.check(input.due_on >= today(), "due_on", "完成期限不能早于今天");
    if let Some(d) = input.joined_within_days {
        ch.check(
            (1..=365).contains(&d),
            "joined_within_days",
            "新入职人员的范围须为入职 1 至 365 天内",
        );
    }
    ch.finish()?;
    let row = plan::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title.to_string()),
        kind: Set(input.kind.clone()),
        course_ids: Set(serde_json::to_string(&input.course_ids).unwrap_or_else(|_| "[]".into())),
        department_id: Set(input.department_id.clone()),
        position: Set(input.position.clone()),
        due_on: Set(input.due_on),
        created_at: Set(Utc::now()),
        joined_within_days: Set(input.joined_within_days),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    let mut out = standing(state, hall_id, vec![row]).await?;
    Ok(out.remove(0).0)
}

/// Checks a group of staff (a department and/or a post) named by a plan or
/// a session.
pub(crate) async fn check_audience(
    ch: &mut Checker,
    state: &AppState,
    hall_id: &str,
    department_id: Option<&str>,
    position: Option<&str>,
) -> AppResult<()> {
    if let Some(d) = department_id {
        let found = directory::department(&state.db, hall_id, d).await?;
        ch.check(found.is_some(), "department_id", "部门不存在或不属于本大厅");
    }
    if let Some(p) = position {
        let labels: Vec<String> = POSITIONS
            .iter()
            .map(|(c, l)| format!("{c}（{l}）"))
            .collect();
        ch.check(
            POSITIONS.iter().any(|(c, _)| *c == p),
            "position",
            format!("岗位须为：{}", labels.join("、")),
        );
    }
    Ok(())
}

/// Whether a member of staff is in the group of a department (absent: every
/// department) and a post (absent: every post).
pub(crate) fn in_audience(
    department_id: Option<&str>,
    position: Option<&str>,
    s: &directory::Staff,
) -> bool {
    department_id.is_none_or(|d| s.department_id.as_ref().is_some_and(|x| x.as_str() == d))
        && position.is_none_or(|pos| s.position == pos)
}

/// The staff a plan addresses (new hires: by how long ago their record was made).
fn in_group(p: &plan::Model, s: &directory::Staff) -> bool {
    in_audience(p.department_id.as_deref(), p.position.as_deref(), s)
        && p.joined_within_days
            .is_none_or(|d| Utc::now() - s.created_at <= chrono::Duration::days(i64::from(d)))
}

/// The account bound to each staff member who has one (staff id → account
/// id): learning is counted by account.
pub async fn accounts_of(
    state: &AppState,
    staff: &[directory::Staff],
) -> AppResult<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    for s in staff {
        if let Some(a) =
            govhall_platform::auth::service::account_of_staff(&state.db, s.id.as_str()).await?
        {
            out.insert(s.id.as_str().to_string(), a.id);
        }
    }
    Ok(out)
}

/// Each plan with its figures and its learners' standing.
async fn standing(
    state: &AppState,
    hall_id: &str,
    plans: Vec<plan::Model>,
) -> AppResult<Vec<(PlanDto, Vec<PlanLearner>)>> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let departments = directory::departments(&state.db, hall_id).await?;
    let dept_name = |id: Option<&str>| {
        id.and_then(|d| departments.iter().find(|x| x.id.as_str() == d))
            .map(|d| d.name.clone())
    };
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let done = completion::Entity::find()
        .filter(completion::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let accounts = accounts_of(state, &staff).await?;
    let today = today();
    let mut out = Vec::new();
    for p in plans {
        let ids = course_ids(&p);
        let learners: Vec<PlanLearner> = staff
            .iter()
            .filter(|s| in_group(&p, s))
            .map(|s| {
                let account = accounts.get(s.id.as_str());
                let completed = account.map_or(0, |a| {
                    ids.iter()
                        .filter(|c| {
                            done.iter()
                                .any(|d| &d.course_id == *c && &d.learner_id == a)
                        })
                        .count()
                });
                PlanLearner {
                    staff_id: s.id.as_str().to_string(),
                    employee_no: s.employee_no.clone(),
                    name: s.name.clone(),
                    department_name: dept_name(s.department_id.as_ref().map(|d| d.as_str()))
                        .unwrap_or_default(),
                    has_account: account.is_some(),
                    completed_courses: completed,
                    finished: completed == ids.len(),
                }
            })
            .collect();
        let dto = PlanDto {
            courses: ids
                .iter()
                .filter_map(|id| courses.iter().find(|c| &c.id == id))
                .map(|c| PlanCourse {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    completed: false,
                })
                .collect(),
            department_name: dept_name(p.department_id.as_deref())
                .unwrap_or_else(|| "全部部门".into()),
            position_label: position_label(p.position.as_deref()),
            joined_within_days: p.joined_within_days,
            overdue: p.due_on < today,
            learners: learners.len(),
            finished: learners.iter().filter(|l| l.finished).count(),
            id: p.id,
            title: p.title,
            kind: p.kind,
            department_id: p.department_id,
            position: p.position,
            due_on: p.due_on,
            created_at: p.created_at,
        };
        out.push((dto, learners));
    }
    Ok(out)
}

async fn rows(state: &AppState, hall_id: &str) -> AppResult<Vec<plan::Model>> {
    plan::Entity::find()
        .filter(plan::Column::HallId.eq(hall_id))
        .order_by_asc(plan::Column::DueOn)
        .all(&state.db)
        .await
        .db_err()
}

/// Plans due between `from` and `to` (inclusive) in every hall, with each
/// learner's standing: what the reminders read.
pub(crate) async fn due_between(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, PlanDto, Vec<PlanLearner>)>> {
    let due = plan::Entity::find()
        .filter(plan::Column::DueOn.between(from, to))
        .all(&state.db)
        .await
        .db_err()?;
    let mut halls: Vec<String> = due.iter().map(|p| p.hall_id.clone()).collect();
    halls.sort();
    halls.dedup();
    let mut out = Vec::new();
    for hall in halls {
        let mine: Vec<plan::Model> = due.iter().filter(|p| p.hall_id == hall).cloned().collect();
        for (p, learners) in standing(state, &hall, mine).await? {
            out.push((hall.clone(), p, learners));
        }
    }
    Ok(out)
}

/// The hall's plans with their figures, soonest due first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<PlanDto>> {
    let plans = rows(state, hall_id).await?;
    Ok(standing(state, hall_id, plans)
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

/// One plan and every learner's standing in it.
pub async fn detail(state: &AppState, hall_id: &str, id: &str) -> AppResult<PlanDetail> {
    let p = plan::Entity::find_by_id(id.to_string())
        .filter(plan::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("培训方案"))?;
    let (plan, learners) = standing(state, hall_id, vec![p]).await?.remove(0);
    Ok(PlanDetail { plan, learners })
}

/// A plan someone is in, as another module sees it.
#[derive(Debug, Clone)]
pub struct AssignedPlan {
    pub id: String,
    pub title: String,
    pub due_on: NaiveDate,
}

/// The plans a member of staff is in (their department, post and join date
/// match): HR's onboarding checklist shows the 岗前 training assigned.
pub async fn plans_for(
    state: &AppState,
    hall_id: &str,
    staff: &directory::Staff,
) -> AppResult<Vec<AssignedPlan>> {
    Ok(rows(state, hall_id)
        .await?
        .into_iter()
        .filter(|p| in_group(p, staff))
        .map(|p| AssignedPlan {
            id: p.id,
            title: p.title,
            due_on: p.due_on,
        })
        .collect())
}

/// The staff member behind the signed-in account (none for a 培训学员).
pub(crate) async fn signed_in_staff(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Option<directory::Staff>> {
    match user.staff_id.as_deref() {
        Some(id) => directory::staff_member(&state.db, id).await,
        None => Ok(None),
    }
}

/// The plans the signed-in learner is in, with their own courses marked.
pub async fn mine(state: &AppState, user: &CurrentUser, hall_id: &str) -> AppResult<Vec<PlanDto>> {
    let Some(me) = crate::plans::signed_in_staff(state, user).await? else {
        return Ok(vec![]);
    };
    let done = completion::Entity::find()
        .filter(completion::Column::LearnerId.eq(&user.id))
        .all(&state.db)
        .await
        .db_err()?;
    let plans: Vec<plan::Model> = rows(state, hall_id)
        .await?
        .into_iter()
        .filter(|p| in_group(p, &me))
        .collect();
    let courses = crate::courses::of_hall(state, hall_id).await?;
    let today = today();
    Ok(plans
        .into_iter()
        .map(|p| {
            let ids = course_ids(&p);
            let mine: Vec<PlanCourse> = ids
                .iter()
                .filter_map(|id| courses.iter().find(|c| &c.id == id))
                .map(|c| PlanCourse {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    completed: done.iter().any(|d| d.course_id == c.id),
                })
                .collect();
            let finished = mine.iter().all(|c| c.completed);
            PlanDto {
                department_name: String::new(),
                position_label: position_label(p.position.as_deref()),
                joined_within_days: p.joined_within_days,
                overdue: p.due_on < today && !finished,
                learners: 1,
                finished: usize::from(finished),
                courses: mine,
                id: p.id,
                title: p.title,
                kind: p.kind,
                department_id: p.department_id,
                position: p.position,
                due_on: p.due_on,
                created_at: p.created_at,
            }
        })
        .collect())
}
