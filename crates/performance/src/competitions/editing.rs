//! Changing a competition after it was set up, as far as fairness allows.
//! Before it opens, everything may change. Once open, what the entrants
//! already compete on stays: the start day, the rounds (exams, full marks,
//! weights) and the entrants (more may join); the name, the end day and
//! the places may change, and a judge may be added, or dropped only before
//! giving a score. Once ranked, nothing changes.

use super::{
    CompetitionDto, CompetitionInput, award_places, check, detail, find, ids, round_rows,
    rounds_of, scores_of,
};
use crate::entity::competition_round;
use crate::events::{COMPETITION_UPDATED, CompetitionChanged};
use govhall_kernel::{AppError, error::AppResult, time};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use govhall_training::results as exams;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::HashMap;

/// A round as the entrants see it: kind, exam, title, full marks, weight.
type RoundShape = (String, Option<String>, String, String, i32);

fn shape_of_stored(r: &competition_round::Model) -> RoundShape {
    (
        r.kind.clone(),
        r.exam_id.clone(),
        r.title.clone(),
        format!("{:.2}", r.max_score),
        r.weight_pct,
    )
}

fn shape_of_new(r: &competition_round::ActiveModel) -> RoundShape {
    (
        r.kind.clone().unwrap(),
        r.exam_id.clone().unwrap(),
        r.title.clone().unwrap(),
        format!("{:.2}", r.max_score.clone().unwrap()),
        r.weight_pct.clone().unwrap(),
    )
}

/// 修改业务竞赛: checked whole like a new one, then against what has begun.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &CompetitionInput,
) -> AppResult<CompetitionDto> {
    let c = find(state, hall_id, id).await?;
    if c.status != "open" {
        return Err(AppError::field("status", "竞赛已确定名次，不能再修改"));
    }
    let title = check(state, hall_id, input).await?;
    let exam_titles: HashMap<String, String> = exams::exam_titles(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let rows = round_rows(id, input, &exam_titles);
    let started = c.opens_on <= time::today();
    if started {
        let mut problems = Vec::new();
        if input.opens_on != c.opens_on {
            problems.push(("opens_on", "竞赛已开始，开始日期不能再改".to_string()));
        }
        let stored = rounds_of(state, id).await?;
        let same = stored.len() == rows.len()
            && stored
                .iter()
                .zip(&rows)
                .all(|(a, b)| shape_of_stored(a) == shape_of_new(b));
        if !same {
            problems.push((
                "rounds",
                "竞赛已开始，环节（试卷、满分、权重）不能再改".to_string(),
            ));
        }
        let names = crate::staff::labels(state, hall_id).await?;
        let name = |s: &String| names.get(s).cloned().unwrap_or_else(|| s.clone());
        let dropped: Vec<String> = ids(&c.entrants)
            .iter()
            .filter(|e| !input.entrants.contains(e))
            .map(name)
            .collect();
        if !dropped.is_empty() {
            problems.push((
                "entrants",
                format!("竞赛已开始，不能移除参赛选手：{}", dropped.join("、")),
            ));
        }
        let scores = scores_of(state, id).await?;
        let judged: Vec<String> = ids(&c.judges)
            .iter()
            .filter(|j| !input.judges.contains(j))
            .filter(|j| scores.iter().any(|s| &s.judge_staff_id == *j))
            .map(name)
            .collect();
        if !judged.is_empty() {
            problems.push((
                "judges",
                format!("评委已经评分，不能移除：{}", judged.join("、")),
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::validation(
                problems
                    .into_iter()
                    .map(|(f, m)| govhall_kernel::error::FieldError {
                        field: f.to_string(),
                        message: m,
                    })
                    .collect(),
            ));
        }
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let mut m = c.into_active_model();
    m.title = Set(title);
    m.opens_on = Set(input.opens_on);
    m.closes_on = Set(input.closes_on);
    m.entrants = Set(serde_json::to_string(&input.entrants).map_err(AppError::internal)?);
    m.judges = Set(serde_json::to_string(&input.judges).map_err(AppError::internal)?);
    m.award_places = Set(award_places(input));
    m.update(&txn).await.db_err()?;
    if !started {
        competition_round::Entity::delete_many()
            .filter(competition_round::Column::CompetitionId.eq(id))
            .exec(&txn)
            .await
            .db_err()?;
        for row in rows {
            row.insert(&txn).await.db_err()?;
        }
    }
    let ev = COMPETITION_UPDATED.event(
        Some(hall_id),
        &CompetitionChanged {
            competition_id: id.to_string(),
            entrants: input.entrants.len(),
            rounds: input.rounds.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, id).await
}
