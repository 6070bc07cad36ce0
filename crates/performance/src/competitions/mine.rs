//! 业务竞赛 as an entrant or a judge sees it on the phone: my own results
//! (the others' only once ranked), the exams to sit while it is open, and
//! the practical rounds' sheets to score.

use super::{PRACTICAL, RoundDto, StandingRow, detail, ids, scores_of};
use chrono::NaiveDate;
use govhall_kernel::{error::AppResult, time};
use govhall_platform::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// An exam round the entrant sits on the phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamToSit {
    pub round_id: String,
    pub title: String,
    pub exam_id: String,
}

/// A judge's sheet of a practical round: each entrant with my score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JudgeSheet {
    pub round_id: String,
    pub title: String,
    pub max_score: f64,
    pub entrants: Vec<JudgedEntrant>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JudgedEntrant {
    pub staff_id: String,
    pub name: String,
    pub my_score: Option<f64>,
}

/// A competition as an entrant or a judge sees it: my own results (others'
/// only once ranked), the exams to sit while it is open, the sheets to score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCompetition {
    pub id: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub status: String,
    /// Today is within the competition's days.
    pub open_now: bool,
    pub rounds: Vec<RoundDto>,
    /// My row when I compete.
    pub mine: Option<StandingRow>,
    pub exams: Vec<ExamToSit>,
    pub judging: Vec<JudgeSheet>,
    /// The places awarded, once ranked.
    pub winners: Vec<StandingRow>,
}

pub async fn mine(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
) -> AppResult<Vec<MyCompetition>> {
    let all = super::of_hall(state, hall_id).await?;
    let today = time::today();
    let mut out = Vec::new();
    for c in all {
        let entrant = ids(&c.entrants).iter().any(|e| e == staff_id);
        let judge = ids(&c.judges).iter().any(|j| j == staff_id);
        if !entrant && !judge {
            continue;
        }
        let d = detail(state, hall_id, &c.id).await?;
        let open_now = c.status == "open" && today >= c.opens_on && today <= c.closes_on;
        let exams = if entrant && open_now {
            d.rounds
                .iter()
                .filter_map(|r| {
                    Some(ExamToSit {
                        round_id: r.id.clone(),
                        title: r.title.clone(),
                        exam_id: r.exam_id.clone()?,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let judging = if judge {
            let scores = scores_of(state, &c.id).await?;
            d.rounds
                .iter()
                .filter(|r| r.kind == PRACTICAL)
                .map(|r| JudgeSheet {
                    round_id: r.id.clone(),
                    title: r.title.clone(),
                    max_score: r.max_score,
                    entrants: d
                        .entrants
                        .iter()
                        .map(|e| JudgedEntrant {
                            staff_id: e.staff_id.clone(),
                            name: e.name.clone(),
                            my_score: scores
                                .iter()
                                .find(|s| {
                                    s.round_id == r.id
                                        && s.staff_id == e.staff_id
                                        && s.judge_staff_id == staff_id
                                })
                                .map(|s| s.score),
                        })
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let winners = if d.status == "final" {
            d.standings
                .iter()
                .filter(|r| !r.award.is_empty())
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        out.push(MyCompetition {
            mine: d.standings.iter().find(|r| r.staff_id == staff_id).cloned(),
            id: d.id,
            title: d.title,
            opens_on: d.opens_on,
            closes_on: d.closes_on,
            status: d.status,
            open_now,
            rounds: d.rounds,
            exams,
            judging,
            winners,
        });
    }
    Ok(out)
}
