//! 学习等级 and 积分排行: learning points (the statistics' rule) place every
//! staff member in the hall's levels (初级 0, 中级 100, 高级 300, 金牌 600 until
//! the manager sets others) and in a ranking the learner sees on the phone.

use crate::entity::level;
use govhall_kernel::{error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const DEFAULT: &[(i32, &str)] = &[(0, "初级"), (100, "中级"), (300, "高级"), (600, "金牌")];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Level {
    pub name: String,
    pub min_points: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedLearner {
    pub rank: usize,
    pub name: String,
    /// 工号 · 部门.
    pub detail: String,
    pub points: i64,
    pub level: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingDto {
    pub levels: Vec<Level>,
    /// The signed-in learner's place, when they are staff of the hall.
    pub me: Option<RankedLearner>,
    /// The next level and the points still needed, if any.
    pub next_level: Option<Level>,
    /// The first twenty.
    pub top: Vec<RankedLearner>,
}

/// The hall's levels, lowest first.
pub async fn levels(state: &AppState, hall_id: &str) -> AppResult<Vec<Level>> {
    let rows = level::Entity::find()
        .filter(level::Column::HallId.eq(hall_id))
        .order_by_asc(level::Column::MinPoints)
        .all(&state.db)
        .await
        .db_err()?;
    if rows.is_empty() {
        return Ok(DEFAULT
            .iter()
            .map(|(p, n)| Level {
                name: n.to_string(),
                min_points: *p,
            })
            .collect());
    }
    Ok(rows
        .into_iter()
        .map(|r| Level {
            name: r.name,
            min_points: r.min_points,
        })
        .collect())
}

/// Replaces the hall's levels: 1–10, the first at 0 points, rising, named.
pub async fn set_levels(state: &AppState, hall_id: &str, input: &[Level]) -> AppResult<Vec<Level>> {
    let mut ch = Checker::new();
    ch.check(
        (1..=10).contains(&input.len()),
        "levels",
        "学习等级须有 1 至 10 级",
    );
    ch.check(
        input.first().is_some_and(|l| l.min_points == 0),
        "levels",
        "第一级须从 0 分开始",
    );
    for (i, l) in input.iter().enumerate() {
        let field = format!("levels[{i}]");
        ch.check(
            (1..=10).contains(&l.name.trim().chars().count()),
            &field,
            format!("第 {} 级的名称须为 1 至 10 个字", i + 1),
        );
        if i > 0 && l.min_points <= input[i - 1].min_points {
            ch.fail(&field, format!("第 {} 级的积分须高于第 {} 级", i + 1, i));
        }
    }
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    level::Entity::delete_many()
        .filter(level::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    for l in input {
        level::ActiveModel {
            hall_id: Set(hall_id.to_string()),
            min_points: Set(l.min_points),
            name: Set(l.name.trim().to_string()),
        }
        .insert(&txn)
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()?;
    levels(state, hall_id).await
}

fn level_of(levels: &[Level], points: i64) -> &str {
    levels
        .iter()
        .rev()
        .find(|l| i64::from(l.min_points) <= points)
        .map(|l| l.name.as_str())
        .unwrap_or("")
}

/// The hall's ranking by learning points, and the learner's own place.
pub async fn ranking(state: &AppState, user: &CurrentUser, hall_id: &str) -> AppResult<RankingDto> {
    let levels = levels(state, hall_id).await?;
    let mut rows = crate::stats::table(state, hall_id, "learner").await?;
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| a.detail.cmp(&b.detail))
    });
    let ranked: Vec<RankedLearner> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| RankedLearner {
            // Equal points share a place.
            rank: rows.iter().position(|x| x.points == r.points).unwrap_or(i) + 1,
            name: r.name.clone(),
            detail: r.detail.clone(),
            points: r.points,
            level: level_of(&levels, r.points).to_string(),
        })
        .collect();
    // Staff are keyed by their staff id, 培训学员 by their account.
    let mine = user.staff_id.as_deref().unwrap_or(&user.id);
    let me = rows
        .iter()
        .position(|r| r.key == mine)
        .map(|i| ranked[i].clone());
    let next_level = me.as_ref().and_then(|m| {
        levels
            .iter()
            .find(|l| i64::from(l.min_points) > m.points)
            .cloned()
    });
    Ok(RankingDto {
        levels,
        me,
        next_level,
        top: ranked.into_iter().take(20).collect(),
    })
}
