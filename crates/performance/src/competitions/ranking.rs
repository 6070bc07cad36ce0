//! 确定名次: the final ranking, the places' points and the stored results.

use super::{CompetitionDto, board, detail, find, fmt, ids, outcomes, rounds_of};
use crate::entity::competition_result;
use crate::events::{COMPETITION_RANKED, CompetitionChanged};
use crate::points;
use chrono::{Datelike, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
use std::collections::HashMap;

/// The points rule of an award, if it earns points.
fn award_rule(award: &str) -> Option<&'static str> {
    match award {
        "第一名" => Some(points::COMPETITION_FIRST),
        "第二名" => Some(points::COMPETITION_SECOND),
        "第三名" => Some(points::COMPETITION_THIRD),
        "优胜奖" => Some(points::COMPETITION_MERIT),
        _ => None,
    }
}

/// 确定名次: once the competition has ended and every round of every
/// entrant is scored (an exam not sat counts 0), the ranking is fixed and
/// the places' points booked with the competition as evidence.
pub async fn finalize(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
) -> AppResult<CompetitionDto> {
    let c = find(state, hall_id, id).await?;
    let rounds = rounds_of(state, id).await?;
    let names = crate::staff::labels(state, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(c.status == "open", "status", "竞赛已确定名次");
    ch.check(
        time::today() >= c.closes_on,
        "closes_on",
        format!("竞赛 {} 结束，届时才能确定名次", c.closes_on),
    );
    ch.finish()?;
    let outs = outcomes(state, &c, &rounds, true).await?;
    let (rows, missing) = board(&c, &rounds, &outs, &names);
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(5).map(String::as_str).collect();
        let more = if missing.len() > 5 {
            format!(" 等 {} 项", missing.len())
        } else {
            String::new()
        };
        return Err(AppError::field(
            "standings",
            format!("还有成绩未出，不能确定名次：{}{more}", shown.join("；")),
        ));
    }
    let today = time::today();
    let month = format!("{}-{:02}", today.year(), today.month());
    let mut rule_points = HashMap::new();
    for rule in [
        points::COMPETITION_FIRST,
        points::COMPETITION_SECOND,
        points::COMPETITION_THIRD,
        points::COMPETITION_MERIT,
    ] {
        rule_points.insert(rule, points::event_points(state, hall_id, rule).await?);
    }
    let txn = begin_write(&state.db).await.db_err()?;
    for row in &rows {
        let (Some(total), Some(rank)) = (row.total, row.rank) else {
            continue;
        };
        competition_result::ActiveModel {
            id: Set(new_id().to_string()),
            competition_id: Set(c.id.clone()),
            staff_id: Set(row.staff_id.clone()),
            total: Set(total),
            rank: Set(i32::try_from(rank).unwrap_or(i32::MAX)),
            award: Set(row.award.clone()),
        }
        .insert(&txn)
        .await
        .db_err()?;
        let Some(rule) = award_rule(&row.award) else {
            continue;
        };
        let per = rule_points.get(rule).copied().unwrap_or(0.0);
        if per != 0.0 {
            let b = points::Booked {
                rule,
                staff_id: &row.staff_id,
                month: &month,
                points: per,
                reason: format!("业务竞赛《{}》{}", c.title, row.award),
                evidence: format!(
                    "业务竞赛 {}：第 {rank} 名，总分 {}（共 {} 人参赛）",
                    c.id,
                    fmt(total),
                    rows.len()
                ),
            };
            points::book(&txn, actor, hall_id, b).await?;
        }
    }
    let entrants = ids(&c.entrants).len();
    let mut a = c.into_active_model();
    a.status = Set("final".into());
    a.finalized_at = Set(Some(Utc::now()));
    a.update(&txn).await.db_err()?;
    let ev = COMPETITION_RANKED.event(
        Some(hall_id),
        &CompetitionChanged {
            competition_id: id.to_string(),
            entrants,
            rounds: rounds.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, id).await
}
