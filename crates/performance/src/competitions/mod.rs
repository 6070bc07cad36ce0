//! 业务竞赛: a competition with rounds — an exam from the training module's
//! bank, sat on the phone while the competition is open (the first sitting
//! handed in counts), or a practical task every judge scores — a live
//! scoreboard, and the final ranking: places awarded, points booked in the
//! ledger with the competition as evidence, and certificates (PDF).

pub mod certificate;
pub mod editing;
pub mod judging;
pub mod mine;
pub mod ranking;
pub mod standings;

use crate::entity::{competition, competition_result, competition_round, competition_score};
use crate::events::{COMPETITION_CREATED, CompetitionChanged};
use chrono::{NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use govhall_training::results as exams;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use standings::Outcome;
use std::collections::HashMap;
use utoipa::ToSchema;

pub const EXAM: &str = "exam";
pub const PRACTICAL: &str = "practical";

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RoundInput {
    /// `exam` (from the training bank) or `practical` (judged).
    pub kind: String,
    /// Default: the exam's title.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub exam_id: Option<String>,
    /// A practical round's full marks (1–1000).
    #[serde(default)]
    pub max_score: Option<f64>,
    /// The round's share of the total, in percent; the rounds sum to 100.
    pub weight_pct: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CompetitionInput {
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// The entrants' staff ids (at least two).
    pub entrants: Vec<String>,
    /// The judges' staff ids (needed for a practical round; not entrants).
    #[serde(default)]
    pub judges: Vec<String>,
    pub rounds: Vec<RoundInput>,
    /// How many places are awarded (default 3, 1–10).
    #[serde(default)]
    pub award_places: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub exam_id: Option<String>,
    pub max_score: f64,
    pub weight_pct: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub staff_id: String,
    /// `CA0001 王静`.
    pub name: String,
}

/// An entrant's result in a round: the share of its full marks, or why
/// there is none yet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundResult {
    pub round_id: String,
    pub percent: Option<f64>,
    /// 考试 86/100 分, 评委 3 人：85、88、90, 缺考, 待阅卷, 评委已评 1/2.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandingRow {
    pub staff_id: String,
    pub name: String,
    pub rounds: Vec<RoundResult>,
    /// The weighted total once every round is scored.
    pub total: Option<f64>,
    pub rank: Option<usize>,
    /// 第一名 … 优胜奖 within the awarded places.
    pub award: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionDto {
    pub id: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// `open` or `final`.
    pub status: String,
    pub award_places: i32,
    pub rounds: Vec<RoundDto>,
    pub entrants: Vec<PersonRef>,
    pub judges: Vec<PersonRef>,
    /// Best first; the final ranking once finalized.
    pub standings: Vec<StandingRow>,
    /// What still stands between the competition and its ranking.
    pub missing: Vec<String>,
    pub finalized_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionRow {
    pub id: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub status: String,
    pub entrants: usize,
    pub rounds: usize,
}

pub(crate) fn ids(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn people(list: &[String], names: &HashMap<String, String>) -> Vec<PersonRef> {
    list.iter()
        .map(|id| PersonRef {
            staff_id: id.clone(),
            name: names
                .get(id)
                .cloned()
                .unwrap_or_else(|| "（已离开本厅）".into()),
        })
        .collect()
}

pub(crate) async fn find(
    state: &AppState,
    hall_id: &str,
    id: &str,
) -> AppResult<competition::Model> {
    competition::Entity::find_by_id(id.to_string())
        .filter(competition::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("业务竞赛"))
}

pub(crate) async fn rounds_of(
    state: &AppState,
    id: &str,
) -> AppResult<Vec<competition_round::Model>> {
    competition_round::Entity::find()
        .filter(competition_round::Column::CompetitionId.eq(id))
        .order_by_asc(competition_round::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()
}

pub(crate) async fn scores_of(
    state: &AppState,
    id: &str,
) -> AppResult<Vec<competition_score::Model>> {
    competition_score::Entity::find()
        .filter(competition_score::Column::CompetitionId.eq(id))
        .all(&state.db)
        .await
        .db_err()
}

/// The hall's competitions, newest first.
pub(crate) async fn of_hall(state: &AppState, hall_id: &str) -> AppResult<Vec<competition::Model>> {
    competition::Entity::find()
        .filter(competition::Column::HallId.eq(hall_id))
        .order_by_desc(competition::Column::OpensOn)
        .all(&state.db)
        .await
        .db_err()
}

pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<CompetitionRow>> {
    let all = of_hall(state, hall_id).await?;
    let mut out = Vec::with_capacity(all.len());
    for c in all {
        out.push(CompetitionRow {
            rounds: rounds_of(state, &c.id).await?.len(),
            entrants: ids(&c.entrants).len(),
            id: c.id,
            title: c.title,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
            status: c.status,
        });
    }
    Ok(out)
}

/// Three places unless the hall says otherwise (fewer with fewer entrants).
pub(crate) fn award_places(input: &CompetitionInput) -> i32 {
    input
        .award_places
        .unwrap_or_else(|| i32::try_from(input.entrants.len().min(3)).unwrap_or(3))
}

/// Checks a competition as entered; the rounds' exams must be the hall's own.
pub(crate) async fn check(
    state: &AppState,
    hall_id: &str,
    input: &CompetitionInput,
) -> AppResult<String> {
    let names = crate::staff::labels(state, hall_id).await?;
    let exam_titles: HashMap<String, String> = exams::exam_titles(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let mut ch = Checker::new();
    let title = ch.text("title", "竞赛名称", &input.title, 60);
    ch.check(
        input.opens_on <= input.closes_on,
        "closes_on",
        "结束日期不能早于开始日期",
    );
    ch.check(
        input.closes_on >= time::today(),
        "closes_on",
        "结束日期不能早于今天",
    );
    ch.check(input.entrants.len() >= 2, "entrants", "参赛选手至少 2 人");
    ch.check(
        input.entrants.len() <= 500,
        "entrants",
        "参赛选手不超过 500 人",
    );
    let mut seen = std::collections::HashSet::new();
    for (i, e) in input.entrants.iter().enumerate() {
        ch.check(
            names.contains_key(e),
            &format!("entrants[{i}]"),
            "本大厅没有这名工作人员",
        );
        ch.check(seen.insert(e), &format!("entrants[{i}]"), "参赛选手重复");
    }
    let mut judges = std::collections::HashSet::new();
    for (i, j) in input.judges.iter().enumerate() {
        ch.check(
            names.contains_key(j),
            &format!("judges[{i}]"),
            "本大厅没有这名工作人员",
        );
        ch.check(
            !input.entrants.contains(j),
            &format!("judges[{i}]"),
            "评委不能同时是参赛选手",
        );
        ch.check(judges.insert(j), &format!("judges[{i}]"), "评委重复");
    }
    ch.check(input.judges.len() <= 15, "judges", "评委不超过 15 人");
    ch.check(
        (1..=10).contains(&input.rounds.len()),
        "rounds",
        "竞赛须有 1–10 个环节",
    );
    let places = award_places(input);
    ch.check(
        (1..=10).contains(&places),
        "award_places",
        "获奖名额须为 1–10 名",
    );
    ch.check(
        usize::try_from(places).is_ok_and(|p| p <= input.entrants.len()),
        "award_places",
        "获奖名额不能多于参赛人数",
    );
    let mut exams_used = std::collections::HashSet::new();
    for (i, r) in input.rounds.iter().enumerate() {
        let f = |name: &str| format!("rounds[{i}].{name}");
        ch.check(
            (1..=100).contains(&r.weight_pct),
            &f("weight_pct"),
            "环节权重须为 1–100",
        );
        match r.kind.as_str() {
            EXAM => {
                let known = r
                    .exam_id
                    .as_ref()
                    .is_some_and(|e| exam_titles.contains_key(e));
                ch.check(known, &f("exam_id"), "请从培训题库的考试中选择本环节的试卷");
                if let Some(e) = &r.exam_id {
                    ch.check(
                        exams_used.insert(e),
                        &f("exam_id"),
                        "同一场考试只能用于一个环节",
                    );
                }
            }
            PRACTICAL => {
                ch.text(&f("title"), "实操环节名称", &r.title, 40);
                let max = r.max_score.unwrap_or(0.0);
                ch.check(
                    max.is_finite() && (1.0..=1000.0).contains(&max),
                    &f("max_score"),
                    "实操满分须为 1–1000 分",
                );
                ch.check(!input.judges.is_empty(), "judges", "有实操环节时须指定评委");
            }
            _ => ch.fail(&f("kind"), "环节类型须为考试（exam）或实操（practical）"),
        }
    }
    let sum: i32 = input.rounds.iter().map(|r| r.weight_pct).sum();
    if !input.rounds.is_empty() {
        ch.check(
            sum == 100,
            "rounds",
            format!("各环节权重合计须为 100%（当前 {sum}%）"),
        );
    }
    ch.finish()?;
    Ok(title)
}

/// 创建业务竞赛.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &CompetitionInput,
) -> AppResult<CompetitionDto> {
    let title = check(state, hall_id, input).await?;
    let exam_titles: HashMap<String, String> = exams::exam_titles(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let id = new_id().to_string();
    let txn = begin_write(&state.db).await.db_err()?;
    competition::ActiveModel {
        id: Set(id.clone()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title),
        opens_on: Set(input.opens_on),
        closes_on: Set(input.closes_on),
        entrants: Set(serde_json::to_string(&input.entrants).map_err(AppError::internal)?),
        judges: Set(serde_json::to_string(&input.judges).map_err(AppError::internal)?),
        award_places: Set(award_places(input)),
        status: Set("open".into()),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
        finalized_at: Set(None),
    }
    .insert(&txn)
    .await
    .db_err()?;
    for row in round_rows(&id, input, &exam_titles) {
        row.insert(&txn).await.db_err()?;
    }
    let ev = COMPETITION_CREATED.event(
        Some(hall_id),
        &CompetitionChanged {
            competition_id: id.clone(),
            entrants: input.entrants.len(),
            rounds: input.rounds.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, &id).await
}

/// The rows of a competition's rounds as entered: an exam round named after
/// its exam unless given a title, marked out of 100 (its percent).
pub(crate) fn round_rows(
    competition_id: &str,
    input: &CompetitionInput,
    exam_titles: &HashMap<String, String>,
) -> Vec<competition_round::ActiveModel> {
    input
        .rounds
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let exam = r.exam_id.clone().filter(|_| r.kind == EXAM);
            let title = match (&exam, r.title.trim()) {
                (Some(e), "") => exam_titles.get(e).cloned().unwrap_or_default(),
                (_, t) => t.to_string(),
            };
            competition_round::ActiveModel {
                id: Set(new_id().to_string()),
                competition_id: Set(competition_id.to_string()),
                sort_order: Set(i as i32),
                kind: Set(r.kind.clone()),
                title: Set(title),
                max_score: Set(if exam.is_some() {
                    100.0
                } else {
                    r.max_score.unwrap_or(100.0)
                }),
                exam_id: Set(exam),
                weight_pct: Set(r.weight_pct),
            }
        })
        .collect()
}

/// Each entrant's outcome in each round. `closed`: the competition has
/// ended (or is being ranked), so an exam not sat counts as 缺考.
pub(crate) async fn outcomes(
    state: &AppState,
    c: &competition::Model,
    rounds: &[competition_round::Model],
    closed: bool,
) -> AppResult<HashMap<(String, String), Outcome>> {
    let entrants = ids(&c.entrants);
    let judges = ids(&c.judges);
    let scores = scores_of(state, &c.id).await?;
    let from = time::day_start(c.opens_on);
    let to = time::day_start(c.closes_on + chrono::Days::new(1));
    let mut out = HashMap::new();
    for r in rounds {
        if let Some(exam_id) = &r.exam_id {
            let mut first: HashMap<String, exams::Sitting> = HashMap::new();
            for s in exams::sittings(&state.db, &c.hall_id, exam_id, from, to).await? {
                first.entry(s.staff_id.clone()).or_insert(s);
            }
            for e in &entrants {
                let o = match first.get(e) {
                    Some(s) if s.awaiting_marks() => Outcome::Pending("试卷待阅卷".into()),
                    Some(s) => Outcome::Scored {
                        percent: s.percent(),
                        detail: format!("考试 {}/{} 分", fmt(s.score), fmt(s.max_score)),
                    },
                    None if closed => Outcome::Scored {
                        percent: 0.0,
                        detail: "缺考".into(),
                    },
                    None => Outcome::Pending("尚未参加考试".into()),
                };
                out.insert((r.id.clone(), e.clone()), o);
            }
            continue;
        }
        for e in &entrants {
            let given: Vec<f64> = scores
                .iter()
                .filter(|s| {
                    s.round_id == r.id && &s.staff_id == e && judges.contains(&s.judge_staff_id)
                })
                .map(|s| s.score)
                .collect();
            let o = if given.len() < judges.len() || given.is_empty() {
                Outcome::Pending(format!("评委已评 {}/{}", given.len(), judges.len()))
            } else {
                let mean = standings::judged(&given).unwrap_or(0.0);
                let list: Vec<String> = given.iter().map(|x| fmt(*x)).collect();
                let trimmed = if given.len() >= standings::TRIM_FROM {
                    "，去掉一个最高分和一个最低分"
                } else {
                    ""
                };
                Outcome::Scored {
                    percent: mean / r.max_score * 100.0,
                    detail: format!(
                        "评委 {} 人：{}{trimmed}，得 {}/{} 分",
                        given.len(),
                        list.join("、"),
                        fmt((mean * 100.0).round() / 100.0),
                        fmt(r.max_score)
                    ),
                }
            };
            out.insert((r.id.clone(), e.clone()), o);
        }
    }
    Ok(out)
}

pub(crate) fn fmt(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The scoreboard: each entrant's rounds, total and rank (ties share a
/// rank), and what still blocks the ranking.
pub(crate) fn board(
    c: &competition::Model,
    rounds: &[competition_round::Model],
    outcomes: &HashMap<(String, String), Outcome>,
    names: &HashMap<String, String>,
) -> (Vec<StandingRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    for e in ids(&c.entrants) {
        let name = names.get(&e).cloned().unwrap_or_default();
        let mut results = Vec::new();
        let mut weighted = Vec::new();
        for r in rounds {
            let o = outcomes
                .get(&(r.id.clone(), e.clone()))
                .cloned()
                .unwrap_or(Outcome::Pending(String::new()));
            if let Outcome::Pending(why) = &o {
                missing.push(format!("{name}：{}（{why}）", r.title));
            }
            results.push(RoundResult {
                round_id: r.id.clone(),
                percent: o.percent().map(|p| (p * 100.0).round() / 100.0),
                detail: o.detail().to_string(),
            });
            weighted.push((r.weight_pct, o));
        }
        let pairs: Vec<(i32, &Outcome)> = weighted.iter().map(|(w, o)| (*w, o)).collect();
        rows.push(StandingRow {
            staff_id: e,
            name,
            rounds: results,
            total: standings::total(&pairs),
            rank: None,
            award: String::new(),
        });
    }
    let mut scored: Vec<(String, String, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.staff_id.clone(), r.name.clone(), r.total?)))
        .collect();
    let ranks = crate::honors::rank(&mut scored);
    let places = usize::try_from(c.award_places).unwrap_or(0);
    let rank_of: HashMap<String, usize> = scored
        .iter()
        .zip(ranks)
        .map(|(s, r)| (s.0.clone(), r))
        .collect();
    for row in &mut rows {
        row.rank = rank_of.get(&row.staff_id).copied();
        row.award = row
            .rank
            .map_or("", |r| standings::award(r, places))
            .to_string();
    }
    rows.sort_by_key(|r| (r.rank.unwrap_or(usize::MAX), r.name.clone()));
    (rows, missing)
}

/// The final ranking as stored when the competition was ranked.
async fn stored_results(
    state: &AppState,
    id: &str,
) -> AppResult<HashMap<String, competition_result::Model>> {
    Ok(competition_result::Entity::find()
        .filter(competition_result::Column::CompetitionId.eq(id))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| (r.staff_id.clone(), r))
        .collect())
}

pub async fn detail(state: &AppState, hall_id: &str, id: &str) -> AppResult<CompetitionDto> {
    let c = find(state, hall_id, id).await?;
    let rounds = rounds_of(state, id).await?;
    let names = crate::staff::labels(state, hall_id).await?;
    let closed = c.status == "final" || time::today() > c.closes_on;
    let outs = outcomes(state, &c, &rounds, closed).await?;
    let (mut standings, mut missing) = board(&c, &rounds, &outs, &names);
    if c.status == "final" {
        // The ranking stands as it was fixed, whatever was marked since.
        let fixed = stored_results(state, id).await?;
        for row in &mut standings {
            if let Some(r) = fixed.get(&row.staff_id) {
                row.total = Some(r.total);
                row.rank = usize::try_from(r.rank).ok();
                row.award = r.award.clone();
            }
        }
        standings.sort_by_key(|r| (r.rank.unwrap_or(usize::MAX), r.name.clone()));
        missing.clear();
    }
    Ok(CompetitionDto {
        entrants: people(&ids(&c.entrants), &names),
        judges: people(&ids(&c.judges), &names),
        rounds: rounds
            .into_iter()
            .map(|r| RoundDto {
                id: r.id,
                kind: r.kind,
                title: r.title,
                exam_id: r.exam_id,
                max_score: r.max_score,
                weight_pct: r.weight_pct,
            })
            .collect(),
        id: c.id,
        title: c.title,
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        status: c.status,
        award_places: c.award_places,
        standings,
        missing,
        finalized_at: c.finalized_at,
    })
}
