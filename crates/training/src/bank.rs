//! The question bank (题库): questions by category and difficulty, of five
//! kinds, each with its key in the written form of `marking`. Papers are
//! drawn from the active questions; retiring a question keeps the papers
//! already sat readable.

use crate::entity::question;
use crate::marking::{self, KINDS};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The difficulties, 1 to 3.
pub const DIFFICULTIES: &[&str] = &["易", "中", "难"];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuestionInput {
    /// 题库分类, e.g. 营业执照, 服务礼仪 (1–30 characters).
    pub category: String,
    /// 1 易, 2 中, 3 难.
    pub difficulty: i32,
    /// single 单选, multiple 多选, judge 判断, fill 填空, essay 简答.
    pub kind: String,
    pub stem: String,
    /// The options of a choice question (2–8), shown as A, B, C …
    #[serde(default)]
    pub options: Vec<String>,
    /// 单选 `B`; 多选 `ACD`; 判断 `对`/`错`; 填空 blanks separated by `；`,
    /// accepted answers of one blank by `|`; 简答 the reference answer.
    pub answer: String,
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionDto {
    pub id: String,
    pub category: String,
    pub difficulty: i32,
    pub kind: String,
    /// 单选题, 多选题 …
    pub kind_label: String,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionQuery {
    pub category: Option<String>,
    pub kind: Option<String>,
    /// Include retired questions.
    #[serde(default)]
    pub all: bool,
}

pub fn options_of(q: &question::Model) -> Vec<String> {
    serde_json::from_str(&q.options).unwrap_or_default()
}

pub(crate) fn dto(q: question::Model) -> QuestionDto {
    QuestionDto {
        options: options_of(&q),
        kind_label: marking::kind_label(&q.kind).to_string(),
        id: q.id,
        category: q.category,
        difficulty: q.difficulty,
        kind: q.kind,
        stem: q.stem,
        answer: q.answer,
        explanation: q.explanation,
        active: q.active,
        created_at: q.created_at,
    }
}

/// What is wrong with a question, field by field, and its cleaned form.
pub fn check(input: &QuestionInput) -> Result<QuestionInput, Vec<(&'static str, String)>> {
    let mut bad: Vec<(&'static str, String)> = Vec::new();
    let category = input.category.trim();
    if !(1..=30).contains(&category.chars().count()) {
        bad.push(("category", "题库分类须为 1 至 30 个字".into()));
    }
    if !(1..=3).contains(&input.difficulty) {
        bad.push(("difficulty", "难度须为 1（易）、2（中）或 3（难）".into()));
    }
    let stem = input.stem.trim();
    if !(2..=2000).contains(&stem.chars().count()) {
        bad.push(("stem", "题干须为 2 至 2000 个字".into()));
    }
    let options: Vec<String> = input
        .options
        .iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    let Some(kind) = marking::kind_of(&input.kind) else {
        let kinds: Vec<String> = KINDS.iter().map(|(k, l)| format!("{k}（{l}）")).collect();
        bad.push(("kind", format!("题型须为：{}", kinds.join("、"))));
        return Err(bad);
    };
    let choice = matches!(kind, "single" | "multiple");
    if choice && !(2..=8).contains(&options.len()) {
        bad.push(("options", "选择题须有 2 至 8 个选项".into()));
    } else if choice && options.iter().any(|o| o.chars().count() > 500) {
        bad.push(("options", "每个选项不超过 500 字".into()));
    }
    let answer = match marking::normalize_key(kind, &input.answer, options.len()) {
        Ok(a) => a,
        Err(why) => {
            bad.push(("answer", why));
            String::new()
        }
    };
    if input.explanation.chars().count() > 2000 {
        bad.push(("explanation", "解析不超过 2000 字".into()));
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(QuestionInput {
        category: category.to_string(),
        difficulty: input.difficulty,
        kind: kind.to_string(),
        stem: stem.to_string(),
        options: if choice { options } else { vec![] },
        answer,
        explanation: input.explanation.trim().to_string(),
    })
}

fn invalid(bad: Vec<(&'static str, String)>) -> AppError {
    let mut ch = govhall_kernel::validate::Checker::new();
    for (field, message) in bad {
        ch.fail(field, message);
    }
    ch.finish()
        .err()
        .unwrap_or_else(|| AppError::internal("no problem"))
}

fn row(hall_id: &str, q: QuestionInput) -> question::ActiveModel {
    question::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        category: Set(q.category),
        difficulty: Set(q.difficulty),
        kind: Set(q.kind),
        stem: Set(q.stem),
        options: Set(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into())),
        answer: Set(q.answer),
        explanation: Set(q.explanation),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
}

pub async fn create(
    state: &AppState,
    hall_id: &str,
    input: &QuestionInput,
) -> AppResult<QuestionDto> {
    let clean = check(input).map_err(invalid)?;
    Ok(dto(row(hall_id, clean).insert(&state.db).await.db_err()?))
}

/// Stores checked questions in one transaction.
pub async fn insert_all(
    state: &AppState,
    hall_id: &str,
    questions: Vec<QuestionInput>,
) -> AppResult<usize> {
    let n = questions.len();
    let txn = begin_write(&state.db).await.db_err()?;
    for q in questions {
        row(hall_id, q).insert(&txn).await.db_err()?;
    }
    txn.commit().await.db_err()?;
    Ok(n)
}

pub async fn list(
    state: &AppState,
    hall_id: &str,
    q: &QuestionQuery,
) -> AppResult<Vec<QuestionDto>> {
    let mut find = question::Entity::find().filter(question::Column::HallId.eq(hall_id));
    if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
        find = find.filter(question::Column::Category.eq(c));
    }
    if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        find = find.filter(question::Column::Kind.eq(k));
    }
    if !q.all {
        find = find.filter(question::Column::Active.eq(true));
    }
    let rows = find
        .order_by_asc(question::Column::Category)
        .order_by_asc(question::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows.into_iter().map(dto).collect())
}

/// Retires a question: later papers do not draw it.
pub async fn retire(state: &AppState, hall_id: &str, id: &str) -> AppResult<QuestionDto> {
    let q = question::Entity::find_by_id(id.to_string())
        .filter(question::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("题目"))?;
    let mut a = q.into_active_model();
    a.active = Set(false);
    Ok(dto(a.update(&state.db).await.db_err()?))
}

/// The active questions of a hall matching a paper rule.
pub async fn pool(
    db: &impl ConnectionTrait,
    hall_id: &str,
    category: &str,
    difficulty: Option<i32>,
    kind: Option<&str>,
) -> AppResult<Vec<question::Model>> {
    let mut find = question::Entity::find()
        .filter(question::Column::HallId.eq(hall_id))
        .filter(question::Column::Category.eq(category))
        .filter(question::Column::Active.eq(true));
    if let Some(d) = difficulty {
        find = find.filter(question::Column::Difficulty.eq(d));
    }
    if let Some(k) = kind {
        find = find.filter(question::Column::Kind.eq(k));
    }
    find.order_by_asc(question::Column::Id)
        .all(db)
        .await
        .db_err()
}
