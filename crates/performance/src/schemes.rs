//! 考核方案: a quarter's KPI scheme, for every post or for one post — the
//! indicators with their weights (summing to 100 %) and scoring formulas,
//! and the grade lines with the 优秀 quota. Each save is a new version;
//! once the quarter has started the scheme is locked (a scheme first made
//! after the start — a hall beginning mid-quarter — may be made, not
//! changed), so nobody's rules change while they are being measured.

use crate::catalog;
use crate::entity::scheme;
use crate::events::{SCHEME_SAVED, SchemeSaved};
use crate::grading::GradeRules;
use crate::quarter::Quarter;
use crate::scoring;
use chrono::Utc;
use govhall_directory::model::STAFF_POSITIONS;
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
use utoipa::ToSchema;

/// One weighted indicator of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SchemeIndicator {
    /// A key of the 考核指标库.
    pub key: String,
    /// Percent; the scheme's weights sum to 100.
    pub weight: f64,
    /// The score (0–100) from the figure `值`; default `值`.
    #[serde(default = "value_formula")]
    pub formula: String,
}

fn value_formula() -> String {
    scoring::VALUE.into()
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SchemeInput {
    /// A position code (`window_staff` …); empty or absent for every post.
    #[serde(default)]
    pub post: String,
    pub indicators: Vec<SchemeIndicator>,
    #[serde(default)]
    pub grades: Option<GradeRules>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeIndicatorDto {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub definition: String,
    pub weight: f64,
    pub formula: String,
    pub has_evidence: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeDto {
    pub id: String,
    pub quarter: String,
    pub post: String,
    pub post_label: String,
    pub version: i32,
    pub indicators: Vec<SchemeIndicatorDto>,
    pub grades: GradeRules,
    /// The quarter has started: the scheme can no longer change.
    pub locked: bool,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<Utc>,
}

pub(crate) fn post_label(post: &str) -> String {
    if post.is_empty() {
        "全部岗位".into()
    } else {
        govhall_directory::model::label(STAFF_POSITIONS, post).into()
    }
}

/// A stored scheme, decoded.
pub(crate) struct Stored {
    pub row: scheme::Model,
    pub indicators: Vec<SchemeIndicator>,
    pub grades: GradeRules,
}

fn decode(row: scheme::Model) -> AppResult<Stored> {
    Ok(Stored {
        indicators: serde_json::from_str(&row.indicators).map_err(AppError::internal)?,
        grades: serde_json::from_str(&row.grades).map_err(AppError::internal)?,
        row,
    })
}

pub(crate) fn dto(s: &Stored, today: chrono::NaiveDate) -> SchemeDto {
    let quarter = Quarter::parse(&s.row.quarter).ok();
    SchemeDto {
        id: s.row.id.clone(),
        quarter: s.row.quarter.clone(),
        post: s.row.post.clone(),
        post_label: post_label(&s.row.post),
        version: s.row.version,
        indicators: s
            .indicators
            .iter()
            .map(|i| {
                let def = catalog::find(&i.key);
                SchemeIndicatorDto {
                    key: i.key.clone(),
                    name: def
                        .as_ref()
                        .map_or_else(|| i.key.clone(), |d| d.name.clone()),
                    unit: def.as_ref().map_or_else(String::new, |d| d.unit.clone()),
                    definition: def
                        .as_ref()
                        .map_or_else(String::new, |d| d.definition.clone()),
                    weight: i.weight,
                    formula: i.formula.clone(),
                    has_evidence: def.is_some_and(|d| d.has_evidence),
                }
            })
            .collect(),
        grades: s.grades.clone(),
        locked: quarter.is_some_and(|q| q.first_day() <= today),
        updated_by: s.row.updated_by.clone(),
        updated_at: s.row.updated_at,
    }
}

pub(crate) async fn of_quarter(
    state: &AppState,
    hall_id: &str,
    quarter: &Quarter,
) -> AppResult<Vec<Stored>> {
    scheme::Entity::find()
        .filter(scheme::Column::HallId.eq(hall_id))
        .filter(scheme::Column::Quarter.eq(quarter.to_string()))
        .order_by_asc(scheme::Column::Post)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(decode)
        .collect()
}

pub(crate) fn parse_quarter(raw: &str) -> AppResult<Quarter> {
    Quarter::parse(raw).map_err(|r| AppError::field("quarter", format!("季度{r}")))
}

pub async fn list(state: &AppState, hall_id: &str, quarter: &str) -> AppResult<Vec<SchemeDto>> {
    let q = parse_quarter(quarter)?;
    let today = time::today();
    Ok(of_quarter(state, hall_id, &q)
        .await?
        .iter()
        .map(|s| dto(s, today))
        .collect())
}

fn check(input: &SchemeInput) -> AppResult<GradeRules> {
    let mut ch = Checker::new();
    if !input.post.is_empty() {
        ch.one_of("post", "岗位", &input.post, STAFF_POSITIONS);
    }
    ch.check(
        !input.indicators.is_empty() && input.indicators.len() <= 20,
        "indicators",
        "考核方案须有 1 至 20 项指标",
    );
    let mut seen = std::collections::HashSet::new();
    for (i, ind) in input.indicators.iter().enumerate() {
        let at = |f: &str| format!("indicators[{i}].{f}");
        match catalog::find(&ind.key) {
            None => ch.fail(&at("key"), format!("指标“{}”不在考核指标库中", ind.key)),
            Some(def) => {
                ch.check(
                    seen.insert(ind.key.clone()),
                    &at("key"),
                    format!("指标“{}”重复", def.name),
                );
                if let Err(m) = scoring::check(&ind.formula) {
                    ch.fail(&at("formula"), format!("“{}”的{m}", def.name));
                }
            }
        }
        ch.check(
            ind.weight > 0.0 && ind.weight <= 100.0,
            &at("weight"),
            "权重须大于 0%、不超过 100%",
        );
    }
    let sum: f64 = input.indicators.iter().map(|i| i.weight).sum();
    ch.check(
        (sum - 100.0).abs() < 0.001,
        "indicators",
        format!(
            "各项权重之和须为 100%（现为 {}%）",
            (sum * 100.0).round() / 100.0
        ),
    );
    let grades = input.grades.clone().unwrap_or_default();
    for (field, message) in grades.problems() {
        ch.fail(field, message);
    }
    ch.finish()?;
    Ok(grades)
}

/// Saves the quarter's scheme for a post (a new version); refused once
/// the quarter has started, unless it is the first.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    input: &SchemeInput,
) -> AppResult<SchemeDto> {
    let q = parse_quarter(quarter)?;
    let grades = check(input)?;
    let today = time::today();
    let existing = of_quarter(state, hall_id, &q)
        .await?
        .into_iter()
        .find(|s| s.row.post == input.post);
    if existing.is_some() && q.first_day() <= today {
        return Err(AppError::field(
            "quarter",
            format!(
                "{} 已开始（{} 起），考核方案已锁定，不能再修改；请制定以后季度的方案",
                q.label(),
                q.first_day()
            ),
        ));
    }
    let indicators = serde_json::to_string(&input.indicators).map_err(AppError::internal)?;
    let grades_json = serde_json::to_string(&grades).map_err(AppError::internal)?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = match existing {
        Some(s) => {
            let version = s.row.version + 1;
            let mut a = s.row.into_active_model();
            a.version = Set(version);
            a.indicators = Set(indicators);
            a.grades = Set(grades_json);
            a.updated_by = Set(actor.name.clone());
            a.updated_at = Set(Utc::now());
            a.update(&txn).await.db_err()?
        }
        None => scheme::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            quarter: Set(q.to_string()),
            post: Set(input.post.clone()),
            version: Set(1),
            indicators: Set(indicators),
            grades: Set(grades_json),
            updated_by: Set(actor.name.clone()),
            updated_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .db_err()?,
    };
    let stored = decode(row)?;
    let ev = SCHEME_SAVED.event(
        Some(hall_id),
        &SchemeSaved {
            quarter: q.to_string(),
            post: input.post.clone(),
            version: stored.row.version,
            indicators: stored.indicators.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(&stored, today))
}
