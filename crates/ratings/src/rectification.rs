//! 差评整改: a 差评 opens a ticket that moves 待核实 → 核实中 → 整改中 → 已反馈
//! → 回访 → 结案, with 申诉复核 → 认定无效 for malicious or mistaken ratings,
//! due within the hall's number of working days.

use crate::entity::{rating, rectification};
use crate::record::{RatingDto, to_dto};
use chrono::{DateTime, NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 差评整改 states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectStatus {
    Pending,
    Verifying,
    Rectifying,
    Replied,
    Callback,
    Closed,
    Appeal,
    Invalid,
}

impl RectStatus {
    pub const ALL: [RectStatus; 8] = [
        RectStatus::Pending,
        RectStatus::Verifying,
        RectStatus::Rectifying,
        RectStatus::Replied,
        RectStatus::Callback,
        RectStatus::Closed,
        RectStatus::Appeal,
        RectStatus::Invalid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RectStatus::Pending => "pending",
            RectStatus::Verifying => "verifying",
            RectStatus::Rectifying => "rectifying",
            RectStatus::Replied => "replied",
            RectStatus::Callback => "callback",
            RectStatus::Closed => "closed",
            RectStatus::Appeal => "appeal",
            RectStatus::Invalid => "invalid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RectStatus::Pending => "待核实",
            RectStatus::Verifying => "核实中",
            RectStatus::Rectifying => "整改中",
            RectStatus::Replied => "已反馈",
            RectStatus::Callback => "回访",
            RectStatus::Closed => "结案",
            RectStatus::Appeal => "申诉复核",
            RectStatus::Invalid => "认定无效",
        }
    }

    pub fn parse(code: &str) -> Option<RectStatus> {
        RectStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The button that moves a ticket into this status: what the person does.
    pub fn action(self) -> &'static str {
        match self {
            RectStatus::Pending => "退回待核实",
            RectStatus::Verifying => "开始核实",
            RectStatus::Rectifying => "转入整改",
            RectStatus::Replied => "反馈群众",
            RectStatus::Callback => "回访群众",
            RectStatus::Closed => "结案",
            RectStatus::Appeal => "提出申诉",
            RectStatus::Invalid => "认定差评无效",
        }
    }

    /// Where a ticket may go from here.
    pub fn next(self) -> &'static [RectStatus] {
        use RectStatus::*;
        match self {
            Pending => &[Verifying],
            Verifying => &[Rectifying, Appeal],
            Appeal => &[Invalid, Rectifying],
            Rectifying => &[Replied],
            Replied => &[Callback],
            Callback => &[Closed],
            Closed | Invalid => &[],
        }
    }

    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectStep {
    pub from: String,
    pub to: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// A history step as screens show it: the statuses with their words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RectStepShown {
    #[serde(flatten)]
    pub step: RectStep,
    pub from_label: String,
    pub to_label: String,
}

/// The words of a stored status code (the code itself if unknown).
fn status_words(code: &str) -> String {
    RectStatus::parse(code)
        .map(RectStatus::label)
        .unwrap_or(code)
        .to_string()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RectificationDto {
    pub id: String,
    pub rating: RatingDto,
    pub status: String,
    pub status_label: String,
    pub due_day: String,
    /// Past its due day and not finished.
    pub overdue: bool,
    /// Due today or on the next working day (the reminder list).
    pub due_soon: bool,
    pub handler: Option<String>,
    pub history: Vec<RectStepShown>,
    /// Statuses it may move to next, as (code, the action that moves it there).
    pub next: Vec<(String, String)>,
    /// The words of those statuses, in the same order.
    pub next_labels: Vec<String>,
}

fn rect_dto(
    state: &AppState,
    r: rectification::Model,
    rating: rating::Model,
    today: NaiveDate,
    next_working: NaiveDate,
) -> RectificationDto {
    let st = RectStatus::parse(&r.status).unwrap_or(RectStatus::Pending);
    let due = NaiveDate::parse_from_str(&r.due_day, "%Y-%m-%d").unwrap_or(today);
    RectificationDto {
        rating: to_dto(state, rating, Some(r.id.clone())),
        status_label: st.label().into(),
        overdue: !st.is_final() && today > due,
        due_soon: !st.is_final() && today <= due && due <= next_working,
        next: st
            .next()
            .iter()
            .map(|s| (s.code().to_string(), s.action().to_string()))
            .collect(),
        next_labels: st.next().iter().map(|s| s.label().to_string()).collect(),
        history: serde_json::from_str::<Vec<RectStep>>(&r.history)
            .unwrap_or_default()
            .into_iter()
            .map(|step| RectStepShown {
                from_label: status_words(&step.from),
                to_label: status_words(&step.to),
                step,
            })
            .collect(),
        id: r.id,
        status: r.status,
        due_day: r.due_day,
        handler: r.handler,
    }
}

pub(crate) async fn today_and_next(state: &AppState) -> AppResult<(NaiveDate, NaiveDate)> {
    let calendar = govhall_directory::calendar::load(state).await?;
    let today = govhall_kernel::time::today();
    Ok((today, calendar.add_working_days(today, 1)))
}

/// A hall's rectification tickets, open ones first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<RectificationDto>> {
    let (today, next) = today_and_next(state).await?;
    let rects = rectification::Entity::find()
        .filter(rectification::Column::HallId.eq(hall_id))
        .order_by_asc(rectification::Column::DueDay)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rects.len());
    for r in rects {
        let Some(rating) = rating::Entity::find_by_id(r.rating_id.clone())
            .one(&state.db)
            .await
            .db_err()?
        else {
            continue;
        };
        out.push(rect_dto(state, r, rating, today, next));
    }
    out.sort_by_key(|r| RectStatus::parse(&r.status).is_some_and(RectStatus::is_final));
    Ok(out)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RectMove {
    /// The next status code (see `next` on the ticket).
    pub to: String,
    /// What was verified, done or answered.
    pub note: String,
}

/// Moves a rectification ticket one step, with a note; the step is kept in its history.
pub async fn advance(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    mv: &RectMove,
) -> AppResult<RectificationDto> {
    let mut c = Checker::new();
    let note = c.text("note", "处理说明", &mv.note, 500);
    let to = RectStatus::parse(&mv.to);
    c.check(to.is_some(), "to", "整改状态不存在");
    c.finish()?;
    let to = to.expect("checked");
    let (today, next) = today_and_next(state).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let r = rectification::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .filter(|r| r.hall_id == hall_id)
        .ok_or_else(|| AppError::not_found("整改单"))?;
    let from = RectStatus::parse(&r.status).unwrap_or(RectStatus::Pending);
    if !from.next().contains(&to) {
        return Err(AppError::Conflict {
            message: format!("整改单处于“{}”，不能转为“{}”", from.label(), to.label()),
            fields: vec![],
        });
    }
    let mut history: Vec<RectStep> = serde_json::from_str(&r.history).unwrap_or_default();
    history.push(RectStep {
        from: from.code().into(),
        to: to.code().into(),
        actor: actor.name.clone(),
        at: Utc::now(),
        note: note.clone(),
    });
    let rating_id = r.rating_id.clone();
    let mut row: rectification::ActiveModel = r.into();
    row.status = Set(to.code().into());
    row.handler = Set(Some(actor.name.clone()));
    row.history = Set(serde_json::to_string(&history).map_err(AppError::internal)?);
    row.updated_at = Set(Utc::now());
    let r = row.update(&txn).await.db_err()?;
    let rating = rating_of(&txn, &rating_id).await?;
    let ev = crate::events::RECTIFICATION_ADVANCED.event(
        Some(hall_id),
        &crate::events::RectificationAdvanced {
            rectification_id: r.id.clone(),
            from: from.code().into(),
            to: to.code().into(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(rect_dto(state, r, rating, today, next))
}

async fn rating_of<C: ConnectionTrait>(db: &C, id: &str) -> AppResult<rating::Model> {
    rating::Entity::find_by_id(id.to_string())
        .one(db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("评价"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_ends_closed_or_invalid() {
        // Walk every route through the state machine: no cycles, every end final.
        fn walk(s: RectStatus, depth: usize) {
            assert!(depth < 10, "cycle through {s:?}");
            if s.next().is_empty() {
                assert!(matches!(s, RectStatus::Closed | RectStatus::Invalid));
            }
            for n in s.next() {
                walk(*n, depth + 1);
            }
        }
        walk(RectStatus::Pending, 0);
        assert_eq!(RectStatus::parse("callback"), Some(RectStatus::Callback));
    }
}
