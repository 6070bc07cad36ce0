//! Exams: a paper is drawn afresh for every sitting by the exam's rules
//! (N questions of a category, optionally of one difficulty and kind, each
//! worth P points), with a time limit, a number of attempts and a pass mark.
//! An exam is sat through an exam lesson of a course; passing completes it.

use crate::bank;
use crate::entity::exam;
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One rule of a paper: how many questions to draw from where.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DrawRule {
    /// 题库分类.
    pub category: String,
    /// 1 易, 2 中, 3 难; absent: any.
    #[serde(default)]
    pub difficulty: Option<i32>,
    /// single, multiple, judge, fill, essay; absent: any.
    #[serde(default)]
    pub kind: Option<String>,
    pub count: i32,
    /// Points per question.
    pub points: f64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExamInput {
    pub title: String,
    pub rules: Vec<DrawRule>,
    /// Minutes (default 30, 1–300).
    #[serde(default)]
    pub time_limit_min: Option<i32>,
    /// Sittings allowed (default 3; 0: unlimited).
    #[serde(default)]
    pub attempts_limit: Option<i32>,
    /// The share of the points that passes (default 60, 1–100).
    #[serde(default)]
    pub pass_pct: Option<i32>,
    /// Random question and option order (default true).
    #[serde(default)]
    pub shuffle: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamDto {
    pub id: String,
    pub title: String,
    pub rules: Vec<DrawRule>,
    pub time_limit_min: i32,
    pub attempts_limit: i32,
    pub pass_pct: i32,
    pub shuffle: bool,
    pub question_count: i32,
    pub total_points: f64,
    pub created_at: DateTime<Utc>,
}

pub fn rules_of(e: &exam::Model) -> Vec<DrawRule> {
    serde_json::from_str(&e.rules).unwrap_or_default()
}

fn dto(e: exam::Model) -> ExamDto {
    let rules = rules_of(&e);
    ExamDto {
        question_count: rules.iter().map(|r| r.count).sum(),
        total_points: rules.iter().map(|r| f64::from(r.count) * r.points).sum(),
        rules,
        id: e.id,
        title: e.title,
        time_limit_min: e.time_limit_min,
        attempts_limit: e.attempts_limit,
        pass_pct: e.pass_pct,
        shuffle: e.shuffle,
        created_at: e.created_at,
    }
}

fn level(d: Option<i32>) -> &'static str {
    match d {
        Some(d) => bank::DIFFICULTIES
            .get((d - 1).max(0) as usize)
            .copied()
            .unwrap_or("?"),
        None => "不限难度",
    }
}

pub async fn create(state: &AppState, hall_id: &str, input: &ExamInput) -> AppResult<ExamDto> {
    let mut ch = Checker::new();
    let title = input.title.trim();
    ch.check(
        (1..=60).contains(&title.chars().count()),
        "title",
        "考试名称须为 1 至 60 个字",
    );
    let time = input.time_limit_min.unwrap_or(30);
    ch.check(
        (1..=300).contains(&time),
        "time_limit_min",
        "考试时长须为 1 至 300 分钟",
    );
    let attempts = input.attempts_limit.unwrap_or(3);
    ch.check(
        (0..=20).contains(&attempts),
        "attempts_limit",
        "考试次数须为 0（不限）至 20 次",
    );
    let pass = input.pass_pct.unwrap_or(60);
    ch.check(
        (1..=100).contains(&pass),
        "pass_pct",
        "及格线须为总分的 1% 至 100%",
    );
    ch.check(
        (1..=20).contains(&input.rules.len()),
        "rules",
        "组卷规则须有 1 至 20 条",
    );
    let mut total = 0;
    for (i, r) in input.rules.iter().enumerate() {
        let field = format!("rules[{i}]");
        if !((1..=200).contains(&r.count) && r.points > 0.0 && r.points <= 100.0) {
            ch.fail(
                &field,
                format!(
                    "第 {} 条规则：题数须为 1 至 200，每题分值须大于 0 且不超过 100",
                    i + 1
                ),
            );
            continue;
        }
        if let Some(k) = r
            .kind
            .as_deref()
            .filter(|k| crate::marking::kind_of(k).is_none())
        {
            ch.fail(&field, format!("第 {} 条规则：题型“{k}”不存在", i + 1));
            continue;
        }
        total += r.count;
        let kind = r.kind.as_deref().and_then(crate::marking::kind_of);
        let have = bank::pool(&state.db, hall_id, r.category.trim(), r.difficulty, kind)
            .await?
            .len() as i32;
        // Two rules over the same questions could draw one twice: count both against the pool.
        let overlapping: i32 = input.rules[..i]
            .iter()
            .filter(|o| {
                o.category.trim() == r.category.trim()
                    && (o.difficulty.is_none()
                        || r.difficulty.is_none()
                        || o.difficulty == r.difficulty)
                    && (o.kind.is_none() || r.kind.is_none() || o.kind == r.kind)
            })
            .map(|o| o.count)
            .sum();
        if have < r.count + overlapping {
            let kind = kind.map(crate::marking::kind_label).unwrap_or("题目");
            ch.fail(
                &field,
                format!(
                    "第 {} 条规则：题库分类“{}”{}的{}只有 {have} 道，规则要抽 {} 道{}",
                    i + 1,
                    r.category.trim(),
                    level(r.difficulty),
                    kind,
                    r.count,
                    if overlapping > 0 {
                        format!("（与前面的规则合计 {} 道）", r.count + overlapping)
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }
    ch.check(total <= 200, "rules", "一张试卷最多 200 道题");
    ch.finish()?;
    let rules: Vec<DrawRule> = input
        .rules
        .iter()
        .map(|r| DrawRule {
            category: r.category.trim().to_string(),
            kind: r
                .kind
                .as_deref()
                .and_then(crate::marking::kind_of)
                .map(String::from),
            ..r.clone()
        })
        .collect();
    let row = exam::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title.to_string()),
        rules: Set(serde_json::to_string(&rules).unwrap_or_else(|_| "[]".into())),
        time_limit_min: Set(time),
        attempts_limit: Set(attempts),
        pass_pct: Set(pass),
        shuffle: Set(input.shuffle.unwrap_or(true)),
        created_at: Set(Utc::now()),
    };
    Ok(dto(row.insert(&state.db).await.db_err()?))
}

pub async fn get(state: &AppState, hall_id: &str, id: &str) -> AppResult<exam::Model> {
    exam::Entity::find_by_id(id.to_string())
        .filter(exam::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("考试"))
}

pub async fn detail(state: &AppState, hall_id: &str, id: &str) -> AppResult<ExamDto> {
    Ok(dto(get(state, hall_id, id).await?))
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ExamDto>> {
    let rows = exam::Entity::find()
        .filter(exam::Column::HallId.eq(hall_id))
        .order_by_desc(exam::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().map(dto).collect())
}
