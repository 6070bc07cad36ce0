//! 导师结对: a mentor and a mentee with a 带训清单 (the matters and skills to
//! learn), and optionally a training course the mentee must hold (上岗培训).
//! The mentor signs each item off on the phone; when all are signed and the
//! course is completed (its certificate valid), the manager certifies the
//! mentee (出师), which books the mentoring points for the mentor with the
//! pairing as evidence.

use crate::entity::{mentor_item, mentorship};
use crate::events::{MENTEE_CERTIFIED, MentorshipChanged};
use crate::points;
use chrono::{Datelike, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A new pair's checklist when none is given.
pub const DEFAULT_ITEMS: &[&str] = &[
    "窗口服务礼仪与文明用语",
    "叫号、暂停、转移等窗口系统操作",
    "一次性告知与补正材料的写法",
    "常办事项的受理要点与材料审核",
    "好差评与群众诉求的处置",
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorItemDto {
    pub id: String,
    pub title: String,
    pub signed_off_at: Option<chrono::DateTime<Utc>>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorshipDto {
    pub id: String,
    pub mentor_staff_id: String,
    pub mentor_name: String,
    pub mentee_staff_id: String,
    pub mentee_name: String,
    pub started_on: chrono::NaiveDate,
    pub status: String,
    pub certified_on: Option<chrono::NaiveDate>,
    pub items: Vec<MentorItemDto>,
    pub signed: usize,
    /// The course the mentee must hold before 出师, if any.
    pub course_id: Option<String>,
    pub course_title: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MentorshipInput {
    pub mentor_staff_id: String,
    pub mentee_staff_id: String,
    /// The 带训清单; the default list when empty.
    #[serde(default)]
    pub items: Vec<String>,
    /// A training course of the hall the mentee must complete before 出师.
    #[serde(default)]
    pub course_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SignOffInput {
    #[serde(default)]
    pub note: String,
}

async fn dtos(
    state: &AppState,
    hall_id: &str,
    pairs: Vec<mentorship::Model>,
) -> AppResult<Vec<MentorshipDto>> {
    let names = crate::staff::labels(state, hall_id).await?;
    let mut courses: HashMap<String, String> = HashMap::new();
    for c in pairs.iter().filter_map(|p| p.course_id.as_ref()) {
        if !courses.contains_key(c) {
            let title = govhall_training::gate::course_title(state, hall_id, c)
                .await?
                .unwrap_or_else(|| "（课程已删除）".to_string());
            courses.insert(c.clone(), title);
        }
    }
    let ids: Vec<String> = pairs.iter().map(|p| p.id.clone()).collect();
    let items = mentor_item::Entity::find()
        .filter(mentor_item::Column::MentorshipId.is_in(ids))
        .order_by_asc(mentor_item::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(pairs
        .into_iter()
        .map(|p| {
            let mine: Vec<MentorItemDto> = items
                .iter()
                .filter(|i| i.mentorship_id == p.id)
                .map(|i| MentorItemDto {
                    id: i.id.clone(),
                    title: i.title.clone(),
                    signed_off_at: i.signed_off_at,
                    note: i.note.clone(),
                })
                .collect();
            MentorshipDto {
                signed: mine.iter().filter(|i| i.signed_off_at.is_some()).count(),
                mentor_name: names.get(&p.mentor_staff_id).cloned().unwrap_or_default(),
                mentee_name: names.get(&p.mentee_staff_id).cloned().unwrap_or_default(),
                id: p.id,
                mentor_staff_id: p.mentor_staff_id,
                mentee_staff_id: p.mentee_staff_id,
                started_on: p.started_on,
                status: p.status,
                certified_on: p.certified_on,
                items: mine,
                course_title: p.course_id.as_ref().and_then(|c| courses.get(c).cloned()),
                course_id: p.course_id,
            }
        })
        .collect())
}

async fn pairs(state: &AppState, hall_id: &str) -> AppResult<Vec<mentorship::Model>> {
    mentorship::Entity::find()
        .filter(mentorship::Column::HallId.eq(hall_id))
        .order_by_desc(mentorship::Column::StartedOn)
        .all(&state.db)
        .await
        .db_err()
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<MentorshipDto>> {
    let all = pairs(state, hall_id).await?;
    dtos(state, hall_id, all).await
}

/// Pairs a mentor and a mentee with their checklist.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &MentorshipInput,
) -> AppResult<MentorshipDto> {
    let names = crate::staff::labels(state, hall_id).await?;
    let existing = pairs(state, hall_id).await?;
    let items: Vec<String> = if input.items.iter().all(|i| i.trim().is_empty()) {
        DEFAULT_ITEMS.iter().map(|s| s.to_string()).collect()
    } else {
        input
            .items
            .iter()
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect()
    };
    let mut ch = Checker::new();
    ch.check(
        names.contains_key(&input.mentor_staff_id),
        "mentor_staff_id",
        "本大厅没有这名导师",
    );
    ch.check(
        names.contains_key(&input.mentee_staff_id),
        "mentee_staff_id",
        "本大厅没有这名学员",
    );
    ch.check(
        input.mentor_staff_id != input.mentee_staff_id,
        "mentee_staff_id",
        "导师和学员不能是同一人",
    );
    ch.check(
        !existing
            .iter()
            .any(|p| p.mentee_staff_id == input.mentee_staff_id && p.status == "active"),
        "mentee_staff_id",
        "该学员已有在带的导师",
    );
    let course_id = input.course_id.clone().filter(|c| !c.trim().is_empty());
    if let Some(c) = &course_id {
        ch.check(
            govhall_training::gate::course_title(state, hall_id, c)
                .await?
                .is_some(),
            "course_id",
            "本大厅没有这门培训课程",
        );
    }
    ch.check(items.len() <= 30, "items", "带训清单不超过 30 项");
    for (i, t) in items.iter().enumerate() {
        ch.check(
            t.chars().count() <= 60,
            &format!("items[{i}]"),
            "每项不超过 60 字",
        );
    }
    ch.finish()?;
    let id = new_id().to_string();
    let txn = begin_write(&state.db).await.db_err()?;
    let row = mentorship::ActiveModel {
        id: Set(id.clone()),
        hall_id: Set(hall_id.to_string()),
        mentor_staff_id: Set(input.mentor_staff_id.clone()),
        mentee_staff_id: Set(input.mentee_staff_id.clone()),
        started_on: Set(time::today()),
        status: Set("active".into()),
        certified_on: Set(None),
        created_by: Set(actor.name.clone()),
        course_id: Set(course_id),
    }
    .insert(&txn)
    .await
    .db_err()?;
    for (i, t) in items.iter().enumerate() {
        mentor_item::ActiveModel {
            id: Set(new_id().to_string()),
            mentorship_id: Set(id.clone()),
            title: Set(t.clone()),
            sort_order: Set(i as i32),
            signed_off_at: Set(None),
            note: Set(String::new()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()?;
    dtos(state, hall_id, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("pair"))
}

/// The mentor signs an item of their mentee's checklist off.
pub async fn sign_off(
    state: &AppState,
    hall_id: &str,
    mentor_staff_id: &str,
    item_id: &str,
    input: &SignOffInput,
) -> AppResult<MentorshipDto> {
    let item = mentor_item::Entity::find_by_id(item_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("带训项目"))?;
    let pair = mentorship::Entity::find_by_id(item.mentorship_id.clone())
        .filter(mentorship::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .filter(|p| p.mentor_staff_id == mentor_staff_id)
        .ok_or_else(|| AppError::not_found("带训项目"))?;
    let mut ch = Checker::new();
    ch.check(
        pair.status == "active",
        "status",
        "该学员已出师，清单不能再改",
    );
    ch.check(item.signed_off_at.is_none(), "status", "这一项已签认");
    let note = ch.optional_text("note", "签认说明", Some(&input.note), 200);
    ch.finish()?;
    let mut a = item.into_active_model();
    a.signed_off_at = Set(Some(Utc::now()));
    a.note = Set(note.unwrap_or_default());
    a.update(&state.db).await.db_err()?;
    dtos(state, hall_id, vec![pair])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("pair"))
}

/// 出师: every item signed off; the mentor's points are booked.
pub async fn certify(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
) -> AppResult<MentorshipDto> {
    let pair = mentorship::Entity::find_by_id(id.to_string())
        .filter(mentorship::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("导师结对"))?;
    let dto = dtos(state, hall_id, vec![pair.clone()])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("pair"))?;
    let mut ch = Checker::new();
    ch.check(pair.status == "active", "status", "该学员已出师");
    ch.check(
        dto.signed == dto.items.len(),
        "items",
        format!(
            "带训清单还有 {} 项未签认，不能出师",
            dto.items.len() - dto.signed
        ),
    );
    if let Some(course) = &pair.course_id {
        let account =
            govhall_platform::auth::service::account_of_staff(&state.db, &pair.mentee_staff_id)
                .await?;
        let missing = match account {
            Some(a) => govhall_training::gate::course_missing(state, hall_id, &a.id, course)
                .await
                .unwrap_or_else(|_| Some("要求的培训课程已删除".into())),
            None => Some("没有登录账号，无法核对培训课程".into()),
        };
        if let Some(why) = missing {
            ch.fail("course_id", format!("学员{why}，不能出师"));
        }
    }
    ch.finish()?;
    let per = points::event_points(state, hall_id, points::MENTORING).await?;
    let today = time::today();
    let month = format!("{}-{:02}", today.year(), today.month());
    let mut a = pair.into_active_model();
    a.status = Set("certified".into());
    a.certified_on = Set(Some(today));
    let txn = begin_write(&state.db).await.db_err()?;
    let row = a.update(&txn).await.db_err()?;
    if per != 0.0 {
        let b = points::Booked {
            rule: points::MENTORING,
            staff_id: &row.mentor_staff_id,
            month: &month,
            points: per,
            reason: format!("带教 {} 出师", dto.mentee_name),
            evidence: format!(
                "导师结对 {}（带训清单 {} 项全部签认{}）",
                row.id,
                dto.items.len(),
                dto.course_title
                    .as_ref()
                    .map(|t| format!("，完成培训课程《{t}》"))
                    .unwrap_or_default()
            ),
        };
        points::book(&txn, actor, hall_id, b).await?;
    }
    let ev = MENTEE_CERTIFIED.event(
        Some(hall_id),
        &MentorshipChanged {
            mentorship_id: row.id.clone(),
            mentor_staff_id: row.mentor_staff_id.clone(),
            mentee_staff_id: row.mentee_staff_id.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    dtos(state, hall_id, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("pair"))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyMentoring {
    pub as_mentor: Vec<MentorshipDto>,
    pub as_mentee: Vec<MentorshipDto>,
}

pub async fn mine(state: &AppState, hall_id: &str, staff_id: &str) -> AppResult<MyMentoring> {
    let all = list(state, hall_id).await?;
    let (as_mentor, rest): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|p| p.mentor_staff_id == staff_id);
    Ok(MyMentoring {
        as_mentor,
        as_mentee: rest
            .into_iter()
            .filter(|p| p.mentee_staff_id == staff_id)
            .collect(),
    })
}
