//! A judge's scores of the practical rounds.

use super::{CompetitionDto, PRACTICAL, detail, find, fmt, ids, rounds_of};
use crate::entity::competition_score;
use crate::events::{COMPETITION_SCORED, CompetitionScored};
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JudgeScoreInput {
    pub round_id: String,
    pub staff_id: String,
    pub score: f64,
}

/// A judge scores an entrant in a practical round (again: a correction),
/// from the day it opens until it is ranked.
pub async fn score(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    judge_staff_id: &str,
    id: &str,
    input: &JudgeScoreInput,
) -> AppResult<CompetitionDto> {
    let c = find(state, hall_id, id).await?;
    if !ids(&c.judges).iter().any(|j| j == judge_staff_id) {
        return Err(AppError::not_found("业务竞赛"));
    }
    let round = rounds_of(state, id)
        .await?
        .into_iter()
        .find(|r| r.id == input.round_id);
    let mut ch = Checker::new();
    ch.check(c.status == "open", "status", "竞赛已确定名次，评分不能再改");
    ch.check(
        time::today() >= c.opens_on,
        "round_id",
        format!("竞赛 {} 开始，届时才能评分", c.opens_on),
    );
    ch.check(
        round.as_ref().is_some_and(|r| r.kind == PRACTICAL),
        "round_id",
        "只有实操环节由评委评分",
    );
    ch.check(
        ids(&c.entrants).contains(&input.staff_id),
        "staff_id",
        "这名工作人员不是本竞赛的参赛选手",
    );
    let max = round.as_ref().map_or(0.0, |r| r.max_score);
    ch.check(
        input.score.is_finite() && input.score >= 0.0 && input.score <= max,
        "score",
        format!("评分须在 0–{} 分之间", fmt(max)),
    );
    ch.finish()?;
    // One row per judge, entrant and round: a second score (or the same
    // judge on two phones at once) replaces the first.
    let txn = begin_write(&state.db).await.db_err()?;
    competition_score::Entity::insert(competition_score::ActiveModel {
        id: Set(new_id().to_string()),
        competition_id: Set(c.id.clone()),
        round_id: Set(input.round_id.clone()),
        staff_id: Set(input.staff_id.clone()),
        judge_staff_id: Set(judge_staff_id.to_string()),
        score: Set(input.score),
        scored_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            competition_score::Column::RoundId,
            competition_score::Column::StaffId,
            competition_score::Column::JudgeStaffId,
        ])
        .update_columns([
            competition_score::Column::Score,
            competition_score::Column::ScoredAt,
        ])
        .to_owned(),
    )
    .exec(&txn)
    .await
    .db_err()?;
    let ev = COMPETITION_SCORED.event(
        Some(hall_id),
        &CompetitionScored {
            competition_id: c.id.clone(),
            round_id: input.round_id.clone(),
            staff_id: input.staff_id.clone(),
            judge_staff_id: judge_staff_id.to_string(),
            score: input.score,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, id).await
}
