//! 好差评: one rating per visit (GB/T 39734 一次一评) or per case (一事一评),
//! from the window's rating pad or the person's phone, never changed once
//! recorded. The rated subject comes from the module that knows it (the queue
//! for a visit, the cases for a case); a 差评 opens a rectification ticket.

use crate::entity::{rating, rectification};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, mask::mask_id_card, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 评价等级, 5 → 1.
pub const LEVELS: [&str; 5] = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"];

/// Xi'an counts the two lowest levels as 差评.
pub fn is_bad(level: i32) -> bool {
    level <= 2
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RatingInput {
    /// 整体满意度, 1 (非常不满意) … 5 (非常满意).
    pub overall: i32,
    /// 服务效率 / 服务水平 / 服务态度, 1 … 5; default to `overall`.
    #[serde(default)]
    pub efficiency: Option<i32>,
    #[serde(default)]
    pub skill: Option<i32>,
    #[serde(default)]
    pub attitude: Option<i32>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingDto {
    pub id: String,
    /// The rated ticket's id, or the case's (`subject` = `case`).
    pub ticket_id: String,
    /// `visit` (一次一评) or `case` (一事一评).
    pub subject: String,
    /// 号票号, or 办件编号 for a case.
    pub number: String,
    /// A case's 实施编码 and 事项名称.
    pub task_code: Option<String>,
    pub item_name: Option<String>,
    pub line_name: String,
    pub hall_code: String,
    pub dept_code: String,
    pub dept_name: String,
    pub window_code: String,
    pub window_name: String,
    pub employee_no: String,
    pub staff_name: String,
    pub overall: i32,
    /// 非常满意 … 非常不满意
    pub level: String,
    pub efficiency: i32,
    pub skill: i32,
    pub attitude: i32,
    pub tags: Vec<String>,
    pub comment: String,
    /// pad (评价器) / mobile (手机)
    pub channel: String,
    pub rated_at: DateTime<Utc>,
    pub served_at: Option<DateTime<Utc>>,
    /// 申请人证件 (masked).
    pub applicant_id: Option<String>,
    pub bad: bool,
    pub rectification_id: Option<String>,
}

fn level_label(level: i32) -> String {
    LEVELS
        .get((level - 1).clamp(0, 4) as usize)
        .copied()
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn to_dto(
    state: &AppState,
    r: rating::Model,
    rectification_id: Option<String>,
) -> RatingDto {
    let applicant_id = r
        .applicant_id_enc
        .as_deref()
        .and_then(|e| state.pii.decrypt(e).ok())
        .map(|v| mask_id_card(&v));
    RatingDto {
        level: level_label(r.overall),
        bad: is_bad(r.overall),
        tags: serde_json::from_str(&r.tags).unwrap_or_default(),
        id: r.id,
        ticket_id: r.ticket_id,
        subject: r.subject,
        task_code: r.task_code,
        item_name: r.item_name,
        number: r.number,
        line_name: r.line_name,
        hall_code: r.hall_code,
        dept_code: r.dept_code,
        dept_name: r.dept_name,
        window_code: r.window_code,
        window_name: r.window_name,
        employee_no: r.employee_no,
        staff_name: r.staff_name,
        overall: r.overall,
        efficiency: r.efficiency,
        skill: r.skill,
        attitude: r.attitude,
        comment: r.comment,
        channel: r.channel,
        rated_at: r.rated_at,
        served_at: r.served_at,
        applicant_id,
        rectification_id,
    }
}

/// Checks a rating before anything else is looked up (bad input changes nothing).
pub fn check(input: &RatingInput) -> AppResult<()> {
    let mut c = Checker::new();
    let score = |c: &mut Checker, field: &str, label: &str, v: Option<i32>| {
        if let Some(v) = v {
            c.check(
                (1..=5).contains(&v),
                field,
                format!("{label}须为 1（非常不满意）到 5（非常满意）"),
            );
        }
    };
    score(&mut c, "overall", "整体满意度", Some(input.overall));
    score(&mut c, "efficiency", "服务效率", input.efficiency);
    score(&mut c, "skill", "服务水平", input.skill);
    score(&mut c, "attitude", "服务态度", input.attitude);
    c.check(input.tags.len() <= 10, "tags", "评价标签最多 10 个");
    c.check(
        input.tags.iter().all(|t| t.chars().count() <= 20),
        "tags",
        "每个评价标签不超过 20 字",
    );
    c.check(
        input.comment.chars().count() <= 500,
        "comment",
        "评价内容不超过 500 字",
    );
    if is_bad(input.overall) {
        // A 差评 must say what went wrong, or rectification has nothing to verify.
        c.check(
            !input.comment.trim().is_empty() || !input.tags.is_empty(),
            "comment",
            "差评请选择标签或填写原因",
        );
    }
    c.finish()
}

/// What a rating is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// 一次一评: a visit to a window (a ticket).
    Visit,
    /// 一事一评: a case, rated once it is closed.
    Case,
}

impl SubjectKind {
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Visit => "visit",
            SubjectKind::Case => "case",
        }
    }
}

/// The rated visit or case, with what the provincial 好差评 system asks about it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub hall_id: String,
    pub kind: SubjectKind,
    /// The ticket's id, or the case's: one rating each.
    pub id: String,
    /// 号票号 or 办件编号.
    pub number: String,
    /// The line, or the case's matter.
    pub line_name: String,
    pub window_id: Option<String>,
    pub staff_id: Option<String>,
    /// The department rated; unset: the window's.
    pub department_id: Option<String>,
    pub served_at: Option<DateTime<Utc>>,
    pub applicant_id_enc: Option<String>,
    /// 实施编码 and 事项名称 (cases).
    pub task_code: Option<String>,
    pub item_name: Option<String>,
    /// Working days the hall gives a 差评's rectification (the queue's settings).
    pub rectification_days: u32,
}

/// Records a rating of `subject` once (a second one is refused), opening a
/// rectification ticket for a 差评, due `subject.rectification_days` working
/// days later.
pub async fn record(
    state: &AppState,
    subject: Subject,
    channel: &str,
    input: &RatingInput,
) -> AppResult<RatingDto> {
    check(input)?;
    let calendar = govhall_directory::calendar::load(state).await?;
    use govhall_directory::service as directory;
    let h = govhall_platform::halls::find_hall(state, &subject.hall_id)
        .await
        .ok();
    let w = match &subject.window_id {
        Some(id) => directory::window(&state.db, &subject.hall_id, id).await?,
        None => None,
    };
    let department_id = subject.department_id.clone().or_else(|| {
        w.as_ref()
            .and_then(|w| w.department_id.clone().map(String::from))
    });
    let d = match department_id {
        Some(id) => directory::department(&state.db, &subject.hall_id, &id).await?,
        None => None,
    };
    let s = match &subject.staff_id {
        Some(id) => directory::staff_member(&state.db, id).await?,
        None => None,
    };
    let t = &subject;
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    if rating::Entity::find()
        .filter(rating::Column::TicketId.eq(&t.id))
        .one(&txn)
        .await
        .db_err()?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: format!("{} 已评价，评价提交后不能修改", t.number),
            fields: vec![],
        });
    }
    let r = rating::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(t.hall_id.clone()),
        ticket_id: Set(t.id.clone()),
        number: Set(t.number.clone()),
        line_name: Set(t.line_name.clone()),
        window_id: Set(t.window_id.clone()),
        window_name: Set(w.as_ref().map(|w| w.name.clone()).unwrap_or_default()),
        staff_id: Set(t.staff_id.clone()),
        staff_name: Set(s.as_ref().map(|s| s.name.clone()).unwrap_or_default()),
        overall: Set(input.overall),
        efficiency: Set(input.efficiency.unwrap_or(input.overall)),
        skill: Set(input.skill.unwrap_or(input.overall)),
        attitude: Set(input.attitude.unwrap_or(input.overall)),
        tags: Set(serde_json::to_string(&input.tags).map_err(AppError::internal)?),
        comment: Set(input.comment.trim().to_string()),
        channel: Set(channel.to_string()),
        rated_at: Set(now),
        served_at: Set(t.served_at),
        hall_code: Set(h.map(|h| h.code).unwrap_or_default()),
        dept_code: Set(d
            .as_ref()
            .map(|d| d.credit_code.clone())
            .unwrap_or_default()),
        dept_name: Set(d.map(|d| d.name).unwrap_or_default()),
        window_code: Set(w.map(|w| w.code).unwrap_or_default()),
        employee_no: Set(s.map(|s| s.employee_no).unwrap_or_default()),
        applicant_id_enc: Set(t.applicant_id_enc.clone()),
        subject: Set(t.kind.code().into()),
        task_code: Set(t.task_code.clone()),
        item_name: Set(t.item_name.clone()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let mut events = vec![crate::events::RATING_RECORDED.event(
        Some(&t.hall_id),
        &crate::events::RatingRecorded {
            rating_id: r.id.clone(),
            subject: t.kind.code().into(),
            ticket_id: (t.kind == SubjectKind::Visit).then(|| t.id.clone()),
            case_id: (t.kind == SubjectKind::Case).then(|| t.id.clone()),
            number: t.number.clone(),
            window_id: t.window_id.clone(),
            staff_id: t.staff_id.clone(),
            overall: r.overall,
            efficiency: r.efficiency,
            skill: r.skill,
            attitude: r.attitude,
            channel: channel.to_string(),
        },
    )];
    let mut rectification_id = None;
    if is_bad(r.overall) {
        let today = govhall_kernel::time::local_date(now);
        let due = calendar.add_working_days(today, t.rectification_days);
        let rect = rectification::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(t.hall_id.clone()),
            rating_id: Set(r.id.clone()),
            status: Set(crate::rectification::RectStatus::Pending.code().into()),
            due_day: Set(due.format("%Y-%m-%d").to_string()),
            handler: Set(None),
            history: Set("[]".into()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .db_err()?;
        events.push(crate::events::RECTIFICATION_OPENED.event(
            Some(&t.hall_id),
            &crate::events::RectificationOpened {
                rectification_id: rect.id.clone(),
                rating_id: r.id.clone(),
                due_day: rect.due_day.clone(),
            },
        ));
        rectification_id = Some(rect.id);
    }
    let system = Actor {
        id: None,
        name: match (channel, t.kind) {
            ("pad", _) => "评价器",
            (_, SubjectKind::Visit) => "取号人",
            (_, SubjectKind::Case) => "申请人",
        }
        .into(),
    };
    commit_with(state, txn, &system, events).await?;
    Ok(to_dto(state, r, rectification_id))
}

/// Ratings of a hall, newest first, with the fields the provincial system needs.
pub async fn list(state: &AppState, hall_id: &str, only_bad: bool) -> AppResult<Vec<RatingDto>> {
    let mut q = rating::Entity::find().filter(rating::Column::HallId.eq(hall_id));
    if only_bad {
        q = q.filter(rating::Column::Overall.lte(2));
    }
    let rows = q
        .order_by_desc(rating::Column::RatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let rects: std::collections::HashMap<String, String> = rectification::Entity::find()
        .filter(rectification::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| (r.rating_id, r.id))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let rect = rects.get(&r.id).cloned();
            to_dto(state, r, rect)
        })
        .collect())
}

/// Whether the visit or case `subject_id` has been rated already.
pub async fn is_rated(state: &AppState, subject_id: &str) -> AppResult<bool> {
    Ok(rating::Entity::find()
        .filter(rating::Column::TicketId.eq(subject_id))
        .one(&state.db)
        .await
        .db_err()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_lowest_levels_are_bad() {
        assert!(is_bad(1) && is_bad(2) && !is_bad(3));
        assert_eq!(level_label(5), "非常满意");
        assert_eq!(level_label(1), "非常不满意");
    }
}
