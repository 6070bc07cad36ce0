//! Service lines (业务队列) and window skills: what a hall manager configures.
//! Changes apply at once (the calling step reads them) and are events.

use crate::entity::{line, skill};
use govhall_kernel::{
    AppError,
    error::AppResult,
    new_id,
    validate::{Checker, is_clock_time},
};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, is_unique_violation},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LineInput {
    /// One or two capital letters, e.g. `A`.
    pub prefix: String,
    pub name: String,
    #[serde(default = "opens")]
    pub opens_at: String,
    #[serde(default = "closes")]
    pub closes_at: String,
    /// 0 = no cap.
    #[serde(default)]
    pub daily_cap: i32,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub sort_order: i32,
    /// Length of an appointment slot in minutes.
    #[serde(default = "slot_minutes")]
    pub slot_minutes: i32,
    /// Appointments per slot; 0 = no appointments.
    #[serde(default)]
    pub slot_quota: i32,
    /// 实施编码 of the published matters the line serves.
    #[serde(default)]
    pub matters: Vec<String>,
    /// This line's own 超时优先 threshold in minutes (its head is called first
    /// once it has waited longer); empty: the hall's calling policy.
    #[serde(default)]
    pub aging_minutes: Option<i32>,
}

fn slot_minutes() -> i32 {
    30
}

fn opens() -> String {
    "09:00".into()
}
fn closes() -> String {
    "17:00".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineDto {
    pub id: String,
    pub prefix: String,
    pub name: String,
    pub opens_at: String,
    pub closes_at: String,
    pub daily_cap: i32,
    pub active: bool,
    pub sort_order: i32,
    pub slot_minutes: i32,
    pub slot_quota: i32,
    pub matters: Vec<String>,
    pub aging_minutes: Option<i32>,
}

impl LineDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(l: line::Model) -> Self {
        LineDto {
            id: l.id,
            prefix: l.prefix,
            name: l.name,
            opens_at: l.opens_at,
            closes_at: l.closes_at,
            daily_cap: l.daily_cap,
            active: l.active,
            sort_order: l.sort_order,
            slot_minutes: l.slot_minutes,
            slot_quota: l.slot_quota,
            matters: serde_json::from_str(&l.matters).unwrap_or_default(),
            aging_minutes: l.aging_minutes,
        }
    }
}

fn check(input: &LineInput) -> AppResult<()> {
    let mut c = Checker::new();
    c.check(
        (1..=2).contains(&input.prefix.len())
            && input.prefix.chars().all(|ch| ch.is_ascii_uppercase()),
        "prefix",
        "号码前缀应为 1 至 2 个大写字母",
    );
    c.text("name", "队列名称", &input.name, 50);
    c.check(
        is_clock_time(&input.opens_at),
        "opens_at",
        "开始取号时间应为 HH:MM",
    );
    c.check(
        is_clock_time(&input.closes_at),
        "closes_at",
        "停止取号时间应为 HH:MM",
    );
    c.check(
        input.opens_at < input.closes_at,
        "closes_at",
        "停止取号时间应晚于开始时间",
    );
    c.check(
        (0..=9999).contains(&input.daily_cap),
        "daily_cap",
        "每日限号应在 0 到 9999 之间（0 表示不限）",
    );
    c.check(
        (5..=240).contains(&input.slot_minutes),
        "slot_minutes",
        "预约时段长度应在 5 到 240 分钟之间",
    );
    c.check(
        (0..=999).contains(&input.slot_quota),
        "slot_quota",
        "每时段预约名额应在 0 到 999 之间（0 表示不开放预约）",
    );
    c.check(
        input.aging_minutes.is_none_or(|m| (5..=240).contains(&m)),
        "aging_minutes",
        "本队列超时优先时间应在 5 到 240 分钟之间（留空则按大厅叫号策略）",
    );
    c.finish()
}

/// Every matter must be a published item of the hall's catalog.
async fn check_matters(state: &AppState, hall_id: &str, codes: &[String]) -> AppResult<()> {
    if codes.len() > 100 {
        return Err(AppError::field("matters", "一个队列最多关联 100 个事项"));
    }
    if codes.is_empty() {
        return Ok(());
    }
    let published = govhall_catalog::items::published_names(state, hall_id).await?;
    let unknown: Vec<&str> = codes
        .iter()
        .filter(|c| !published.contains_key(*c))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(AppError::field(
            "matters",
            format!("以下实施编码不是本厅已发布的事项：{}", unknown.join("、")),
        ))
    }
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<LineDto>> {
    Ok(line::Entity::find()
        .filter(line::Column::HallId.eq(hall_id))
        .order_by_asc(line::Column::SortOrder)
        .order_by_asc(line::Column::Prefix)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(LineDto::from_row)
        .collect())
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &LineInput,
) -> AppResult<LineDto> {
    check(input)?;
    check_matters(state, hall_id, &input.matters).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = line::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        prefix: Set(input.prefix.clone()),
        name: Set(input.name.trim().to_string()),
        opens_at: Set(input.opens_at.clone()),
        closes_at: Set(input.closes_at.clone()),
        daily_cap: Set(input.daily_cap),
        active: Set(input.active),
        sort_order: Set(input.sort_order),
        slot_minutes: Set(input.slot_minutes),
        slot_quota: Set(input.slot_quota),
        matters: Set(serde_json::to_string(&input.matters).unwrap_or_else(|_| "[]".into())),
        aging_minutes: Set(input.aging_minutes),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::duplicate(
                "prefix",
                format!("号码前缀 {} 已被其他队列使用", input.prefix),
            )
        } else {
            AppError::internal(e)
        }
    })?;
    let dto = LineDto::from_row(row);
    let ev = crate::events::LINE_CREATED.event(Some(hall_id), &dto);
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &LineInput,
) -> AppResult<LineDto> {
    check(input)?;
    check_matters(state, hall_id, &input.matters).await?;
    let existing = find(state, hall_id, id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let mut row: line::ActiveModel = existing.into();
    row.prefix = Set(input.prefix.clone());
    row.name = Set(input.name.trim().to_string());
    row.opens_at = Set(input.opens_at.clone());
    row.closes_at = Set(input.closes_at.clone());
    row.daily_cap = Set(input.daily_cap);
    row.active = Set(input.active);
    row.sort_order = Set(input.sort_order);
    row.slot_minutes = Set(input.slot_minutes);
    row.slot_quota = Set(input.slot_quota);
    row.matters = Set(serde_json::to_string(&input.matters).unwrap_or_else(|_| "[]".into()));
    row.aging_minutes = Set(input.aging_minutes);
    let dto = LineDto::from_row(row.update(&txn).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::duplicate(
                "prefix",
                format!("号码前缀 {} 已被其他队列使用", input.prefix),
            )
        } else {
            AppError::internal(e)
        }
    })?);
    let ev = crate::events::LINE_UPDATED.event(Some(hall_id), &dto);
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<line::Model> {
    line::Entity::find_by_id(id.to_string())
        .filter(line::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("业务队列"))
}

/// Deletes a line that has never issued a ticket (otherwise stop it instead:
/// its tickets are the hall's records).
pub async fn delete(state: &AppState, actor: &Actor, hall_id: &str, id: &str) -> AppResult<()> {
    use sea_orm::PaginatorTrait;
    let existing = find(state, hall_id, id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let used = crate::entity::ticket::Entity::find()
        .filter(crate::entity::ticket::Column::LineId.eq(id))
        .count(&txn)
        .await
        .db_err()?;
    if used > 0 {
        return Err(AppError::Conflict {
            message: format!(
                "“{}”已发出 {used} 张号票，不能删除；如不再使用请停用",
                existing.name
            ),
            fields: vec![],
        });
    }
    line::Entity::delete_by_id(id.to_string())
        .exec(&txn)
        .await
        .db_err()?;
    let ev = crate::events::LINE_DELETED.event(
        Some(hall_id),
        &crate::events::LineRemoved {
            id: id.to_string(),
            prefix: existing.prefix.clone(),
            name: existing.name.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SkillInput {
    pub line_id: String,
    /// primary / secondary
    pub level: String,
}

/// Replaces a window's skills; an empty list means it serves every line.
pub async fn set_skills(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    window_id: &str,
    skills: Vec<SkillInput>,
) -> AppResult<Vec<SkillInput>> {
    let window = govhall_directory::service::window_in_hall(&state.db, hall_id, window_id).await?;
    let window_id = window.id.as_str();
    let lines = list(state, hall_id).await?;
    for (i, s) in skills.iter().enumerate() {
        if !lines.iter().any(|l| l.id == s.line_id) {
            return Err(AppError::field(
                &format!("skills[{i}].line_id"),
                "队列不存在或不属于本大厅",
            ));
        }
        if s.level != "primary" && s.level != "secondary" {
            return Err(AppError::field(
                &format!("skills[{i}].level"),
                "级别只能是 primary（主办）或 secondary（兼办）",
            ));
        }
    }
    let txn = begin_write(&state.db).await.db_err()?;
    skill::Entity::delete_many()
        .filter(skill::Column::WindowId.eq(window_id))
        .exec(&txn)
        .await
        .db_err()?;
    for s in &skills {
        skill::ActiveModel {
            window_id: Set(window_id.to_string()),
            line_id: Set(s.line_id.clone()),
            hall_id: Set(hall_id.to_string()),
            level: Set(s.level.clone()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    let ev = crate::events::WINDOW_SKILLS_SET.event(
        Some(hall_id),
        &crate::events::SkillsSet {
            window_id: window_id.to_string(),
            skills: skills.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(skills)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WindowSkill {
    pub window_id: String,
    pub line_id: String,
    /// primary / secondary
    pub level: String,
}

/// Every window's skills in the hall (a window without any serves every line).
pub async fn all_skills(state: &AppState, hall_id: &str) -> AppResult<Vec<WindowSkill>> {
    Ok(skill::Entity::find()
        .filter(skill::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|s| WindowSkill {
            window_id: s.window_id,
            line_id: s.line_id,
            level: s.level,
        })
        .collect())
}
