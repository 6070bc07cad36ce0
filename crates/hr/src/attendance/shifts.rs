//! 班次: the hall's shift patterns. The defaults are written the first time
//! they are asked for: the hall's opening hours as the working day's shift,
//! an early and a late shift half an hour either side (for the doors and the
//! 延时 service), and the weekend 预约 duty morning.

use super::rules::ShiftTimes;
use crate::entity::shift;
use crate::events;
use chrono::NaiveTime;
use govhall_directory::service as directory;
use govhall_kernel::{
    AppError,
    error::AppResult,
    new_id,
    validate::{Checker, is_clock_time},
};
use govhall_platform::{
    AppState,
    db::{DbResultExt, is_unique_violation},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The roster's word for a day off.
pub const REST: &str = "rest";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShiftDto {
    pub code: String,
    pub name: String,
    /// `HH:MM`.
    pub starts_at: String,
    pub ends_at: String,
    pub grace_minutes: i32,
    /// The shift of a working day nobody rostered otherwise.
    pub is_default: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ShiftInput {
    /// Letters, digits, `-` or `_` (fixed once made; `rest` is taken).
    pub code: String,
    pub name: String,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub grace_minutes: i32,
    #[serde(default)]
    pub is_default: bool,
}

fn dto(s: shift::Model) -> ShiftDto {
    ShiftDto {
        code: s.code,
        name: s.name,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        grace_minutes: s.grace_minutes,
        is_default: s.is_default,
    }
}

/// The rules' view of a stored shift.
pub(crate) fn times(s: &shift::Model) -> ShiftTimes {
    let at = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(NaiveTime::MIN);
    ShiftTimes {
        starts: at(&s.starts_at),
        ends: at(&s.ends_at),
        grace_minutes: i64::from(s.grace_minutes),
    }
}

fn shifted(t: &str, minutes: i64) -> String {
    NaiveTime::parse_from_str(t, "%H:%M")
        .map(|t| {
            (t + chrono::Duration::minutes(minutes))
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

/// The hall's shifts; the defaults are written the first time they are asked for.
pub(crate) async fn rows(state: &AppState, hall_id: &str) -> AppResult<Vec<shift::Model>> {
    let find = || {
        shift::Entity::find()
            .filter(shift::Column::HallId.eq(hall_id))
            .order_by_asc(shift::Column::SortOrder)
            .all(&state.db)
    };
    let have = find().await.db_err()?;
    if !have.is_empty() {
        return Ok(have);
    }
    let hall = directory::hall(state, hall_id).await?;
    let (opens, closes) = if is_clock_time(&hall.opens_at) && is_clock_time(&hall.closes_at) {
        (hall.opens_at.clone(), hall.closes_at.clone())
    } else {
        ("09:00".to_string(), "17:00".to_string())
    };
    let defaults = [
        ("day", "正常班", opens.clone(), closes.clone(), true),
        (
            "early",
            "早班",
            shifted(&opens, -30),
            shifted(&closes, -30),
            false,
        ),
        (
            "late",
            "晚班（延时服务）",
            shifted(&opens, 30),
            shifted(&closes, 30),
            false,
        ),
        (
            "weekend",
            "周末预约值班",
            opens.clone(),
            "12:00".to_string(),
            false,
        ),
    ];
    for (i, (code, name, starts, ends, is_default)) in defaults.into_iter().enumerate() {
        let row = shift::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            code: Set(code.into()),
            name: Set(name.into()),
            starts_at: Set(starts),
            ends_at: Set(ends),
            grace_minutes: Set(5),
            is_default: Set(is_default),
            sort_order: Set(i as i32),
        };
        // Two first readers at once: the second's rows collide and are dropped.
        if let Err(e) = row.insert(&state.db).await
            && !is_unique_violation(&e)
        {
            return Err(AppError::internal(e));
        }
    }
    find().await.db_err()
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ShiftDto>> {
    Ok(rows(state, hall_id).await?.into_iter().map(dto).collect())
}

fn check(input: &ShiftInput) -> AppResult<String> {
    let mut ch = Checker::new();
    let name = ch.text("name", "班次名称", &input.name, 20);
    ch.check(
        is_clock_time(&input.starts_at),
        "starts_at",
        "上班时间须为“时:分”，如 09:00",
    );
    ch.check(
        is_clock_time(&input.ends_at),
        "ends_at",
        "下班时间须为“时:分”，如 17:00",
    );
    if is_clock_time(&input.starts_at) && is_clock_time(&input.ends_at) {
        ch.check(
            input.ends_at > input.starts_at,
            "ends_at",
            "下班时间须晚于上班时间（大厅班次不跨日）",
        );
    }
    ch.check(
        (0..=60).contains(&input.grace_minutes),
        "grace_minutes",
        "迟到宽限须为 0 至 60 分钟",
    );
    ch.finish()?;
    Ok(name)
}

/// Adds a shift (or replaces the one with its code); a new default takes the
/// mark from the old one.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &ShiftInput,
) -> AppResult<ShiftDto> {
    let name = check(input)?;
    let code = input.code.trim();
    let existing = rows(state, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(
        !code.is_empty()
            && code.len() <= 20
            && code != REST
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "code",
        "班次代码须为 1 至 20 位字母、数字、- 或 _（rest 表示休息，不能使用）",
    );
    let found = existing.iter().find(|s| s.code == code).cloned();
    ch.check(
        input.is_default || found.as_ref().is_none_or(|s| !s.is_default),
        "is_default",
        "须保留一个默认班次：请将另一个班次设为默认，而不是取消此班次的默认",
    );
    ch.finish()?;
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    if input.is_default {
        for s in existing.iter().filter(|s| s.is_default && s.code != code) {
            let mut a = s.clone().into_active_model();
            a.is_default = Set(false);
            a.update(&txn).await.db_err()?;
        }
    }
    let saved = match found {
        Some(s) => {
            let mut a = s.into_active_model();
            a.name = Set(name);
            a.starts_at = Set(input.starts_at.clone());
            a.ends_at = Set(input.ends_at.clone());
            a.grace_minutes = Set(input.grace_minutes);
            a.is_default = Set(input.is_default);
            a.update(&txn).await.db_err()?
        }
        None => shift::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            code: Set(code.to_string()),
            name: Set(name),
            starts_at: Set(input.starts_at.clone()),
            ends_at: Set(input.ends_at.clone()),
            grace_minutes: Set(input.grace_minutes),
            is_default: Set(input.is_default),
            sort_order: Set(existing.len() as i32),
        }
        .insert(&txn)
        .await
        .db_err()?,
    };
    let saved = dto(saved);
    let ev = events::SHIFT_SAVED.event(
        Some(hall_id),
        &events::ShiftSaved {
            code: saved.code.clone(),
            name: saved.name.clone(),
            starts_at: saved.starts_at.clone(),
            ends_at: saved.ends_at.clone(),
            is_default: saved.is_default,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(saved)
}
