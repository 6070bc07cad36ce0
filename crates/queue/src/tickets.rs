//! Tickets: issue (numbered per line and day), call next (select and mark in
//! one serialized step per hall), finish, and the queue as screens show it.

use crate::entity::{day_counter, line, skill, ticket, window_counter};
use crate::policy::{self, Class, Counters, Level, Skills, Waiting};
use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Asia::Shanghai;
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, lock_hall},
    events::{Actor, NewEvent, commit_with},
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod status {
    pub const WAITING: &str = "waiting";
    pub const CALLED: &str = "called";
    pub const SERVING: &str = "serving";
    pub const PARKED: &str = "parked";
    pub const COMPLETED: &str = "completed";
    pub const NO_SHOW: &str = "no_show";
}

pub const CHANNELS: &[(&str, &str)] = &[
    ("kiosk", "取号机"),
    ("mobile", "手机取号"),
    ("proxy", "导服台代取"),
    ("appointment", "预约签到"),
    ("followup", "窗口续号"),
];

/// The service day and minute of the day in the hall's time zone.
pub fn local_day(at: DateTime<Utc>) -> (String, i32) {
    let local = at.with_timezone(&Shanghai);
    (
        local.format("%Y-%m-%d").to_string(),
        (local.hour() * 60 + local.minute()) as i32,
    )
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IssueInput {
    /// Line id or prefix (e.g. `A`).
    pub line: String,
    /// kiosk / mobile / proxy / appointment / followup
    #[serde(default = "kiosk")]
    pub channel: String,
    /// 绿色通道 (elderly, disabled, pregnant, military).
    #[serde(default)]
    pub green: bool,
}

fn kiosk() -> String {
    "kiosk".into()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketDto {
    pub id: String,
    pub number: String,
    pub line_id: String,
    pub line_name: String,
    pub class: String,
    pub channel: String,
    pub status: String,
    pub issued_at: DateTime<Utc>,
    pub window_id: Option<String>,
    pub called_count: i32,
    /// The previous window's note after a transfer.
    pub note: Option<String>,
    /// Waiting tickets of the same line ahead of this one.
    pub ahead: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Issued {
    pub ticket: TicketDto,
    /// Shown once (printed as the slip's QR code); lets the citizen follow the ticket.
    pub token: String,
}

async fn ahead<C: ConnectionTrait>(db: &C, t: &ticket::Model) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(&t.line_id))
        .filter(ticket::Column::Day.eq(&t.day))
        .filter(ticket::Column::Status.eq(status::WAITING))
        .filter(
            sea_orm::Condition::any()
                .add(ticket::Column::Since.lt(t.since))
                .add(
                    sea_orm::Condition::all()
                        .add(ticket::Column::Since.eq(t.since))
                        .add(ticket::Column::Seq.lt(t.seq)),
                ),
        )
        .count(db)
        .await
        .db_err()
}

async fn dto<C: ConnectionTrait>(
    db: &C,
    t: ticket::Model,
    line_name: &str,
) -> AppResult<TicketDto> {
    let ahead = if t.status == status::WAITING {
        ahead(db, &t).await?
    } else {
        0
    };
    Ok(TicketDto {
        id: t.id,
        number: t.number,
        line_id: t.line_id,
        line_name: line_name.to_string(),
        class: t.class,
        channel: t.channel,
        status: t.status,
        issued_at: t.issued_at,
        window_id: t.window_id,
        called_count: t.called_count,
        note: t.note,
        ahead,
    })
}

pub async fn find_line(state: &AppState, hall_id: &str, key: &str) -> AppResult<line::Model> {
    line::Entity::find()
        .filter(line::Column::HallId.eq(hall_id))
        .filter(
            sea_orm::Condition::any()
                .add(line::Column::Id.eq(key))
                .add(line::Column::Prefix.eq(key)),
        )
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::NotFound(format!("业务队列“{key}”不存在")))
}

/// Issues the next number of the line for today.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &IssueInput,
) -> AppResult<Issued> {
    if !CHANNELS.iter().any(|(c, _)| *c == input.channel) {
        return Err(AppError::field(
            "channel",
            "取号渠道只能是 kiosk、mobile、proxy、appointment 或 followup",
        ));
    }
    let l = find_line(state, hall_id, &input.line).await?;
    if !l.active {
        return Err(AppError::Conflict {
            message: format!("“{}”暂停取号", l.name),
            fields: vec![],
        });
    }
    let now = Utc::now();
    let (day, minute) = local_day(now);
    let hhmm = format!("{:02}:{:02}", minute / 60, minute % 60);
    if hhmm < l.opens_at || hhmm >= l.closes_at {
        return Err(AppError::Conflict {
            message: format!(
                "“{}”的取号时间为 {}—{}，现在不能取号",
                l.name, l.opens_at, l.closes_at
            ),
            fields: vec![],
        });
    }
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let counter = day_counter::Entity::find_by_id((l.id.clone(), day.clone()))
        .one(&txn)
        .await
        .db_err()?;
    let seq = counter.as_ref().map_or(0, |c| c.last_seq) + 1;
    if l.daily_cap > 0 && seq > l.daily_cap {
        return Err(AppError::Conflict {
            message: format!(
                "“{}”今日 {} 个号已全部取完，请明天再来或预约",
                l.name, l.daily_cap
            ),
            fields: vec![],
        });
    }
    match counter {
        Some(c) => {
            let mut c: day_counter::ActiveModel = c.into();
            c.last_seq = Set(seq);
            c.update(&txn).await.db_err()?;
        }
        None => {
            day_counter::ActiveModel {
                line_id: Set(l.id.clone()),
                day: Set(day.clone()),
                last_seq: Set(seq),
            }
            .insert(&txn)
            .await
            .db_err()?;
        }
    }
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let t = ticket::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        line_id: Set(l.id.clone()),
        day: Set(day),
        seq: Set(seq),
        number: Set(format!("{}{seq:03}", l.prefix)),
        class: Set(if input.green { "green" } else { "normal" }.into()),
        channel: Set(input.channel.clone()),
        status: Set(status::WAITING.into()),
        issued_at: Set(now),
        since: Set(now),
        window_id: Set(None),
        called_at: Set(None),
        called_count: Set(0),
        finished_at: Set(None),
        token_hash: Set(sm3_hex(token.as_bytes())),
        note: Set(None),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ticket = dto(&txn, t, &l.name).await?;
    let ev = NewEvent::new(
        Some(hall_id),
        "queue.ticket.issued",
        serde_json::json!({"ticket_id": ticket.id, "number": ticket.number, "line_id": l.id,
            "class": ticket.class, "channel": ticket.channel, "ahead": ticket.ahead}),
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(Issued { ticket, token })
}

fn skills_of(rows: &[skill::Model]) -> Skills {
    Skills {
        lines: rows
            .iter()
            .map(|s| {
                let level = if s.level == "secondary" {
                    Level::Secondary
                } else {
                    Level::Primary
                };
                (s.line_id.clone(), level)
            })
            .collect(),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Called {
    pub ticket: TicketDto,
    /// Which calling rule chose it (explicit, green_channel, appointment, aging, primary, secondary, longest_waiting).
    pub reason: String,
}

/// Selects the next ticket for the window and marks it called, as one step
/// serialized per hall: two windows can never call the same ticket.
pub async fn call_next(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    window_id: &str,
    policy: &policy::Policy,
) -> AppResult<Option<Called>> {
    let now = Utc::now();
    let (day, minute) = local_day(now);
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let skills = skill::Entity::find()
        .filter(skill::Column::WindowId.eq(window_id))
        .all(&txn)
        .await
        .db_err()?;
    let waiting = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.eq(&day))
        .filter(ticket::Column::Status.eq(status::WAITING))
        .order_by_asc(ticket::Column::Since)
        .all(&txn)
        .await
        .db_err()?;
    let queue: Vec<Waiting> = waiting
        .iter()
        .map(|t| Waiting {
            id: t.id.clone(),
            line: t.line_id.clone(),
            class: if t.class == "green" {
                Class::Green
            } else {
                Class::Normal
            },
            since: local_day(t.since).1,
            seq: t.seq as u64,
        })
        .collect();
    let stored = window_counter::Entity::find_by_id((window_id.to_string(), day.clone()))
        .one(&txn)
        .await
        .db_err()?;
    let mut counters = stored
        .as_ref()
        .map_or_else(Counters::default, |c| Counters {
            others_since_green: c.others_since_green as u32,
            greens_in_row: c.greens_in_row as u32,
            calls: c.calls as u32,
            appointment_calls: c.appointment_calls as u32,
        });
    let Some(choice) =
        policy::select_next(&skills_of(&skills), &queue, policy, &counters, minute, None)
    else {
        return Ok(None);
    };
    let chosen = waiting
        .into_iter()
        .find(|t| t.id == choice.id)
        .expect("chosen from the queue");
    let class = if chosen.class == "green" {
        Class::Green
    } else {
        Class::Normal
    };
    policy::record(&mut counters, class, choice.reason);
    let row = window_counter::ActiveModel {
        window_id: Set(window_id.to_string()),
        day: Set(day),
        others_since_green: Set(counters.others_since_green as i32),
        greens_in_row: Set(counters.greens_in_row as i32),
        calls: Set(counters.calls as i32),
        appointment_calls: Set(counters.appointment_calls as i32),
    };
    if stored.is_some() {
        row.update(&txn).await.db_err()?;
    } else {
        row.insert(&txn).await.db_err()?;
    }
    let mut t: ticket::ActiveModel = chosen.into();
    t.status = Set(status::CALLED.into());
    t.window_id = Set(Some(window_id.to_string()));
    t.called_at = Set(Some(now));
    t.called_count = Set(1);
    let t = t.update(&txn).await.db_err()?;
    let line_name = line::Entity::find_by_id(t.line_id.clone())
        .one(&txn)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let reason = serde_json::to_value(choice.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let ticket = dto(&txn, t, &line_name).await?;
    let ev = NewEvent::new(
        Some(hall_id),
        "queue.ticket.called",
        serde_json::json!({"ticket_id": ticket.id, "number": ticket.number, "line_id": ticket.line_id,
            "window_id": window_id, "reason": reason}),
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(Some(Called { ticket, reason }))
}

/// What a window does with the ticket it called.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WindowAction {
    /// 重呼: announce again.
    Recall,
    /// 开始办理.
    Start,
    /// 办结.
    Finish,
    /// 过号: the citizen did not come (this policy voids the ticket).
    NoShow,
    /// 挂起: set aside, to resume later at this window.
    Park,
    /// 回呼 a parked ticket.
    Resume,
    /// 转号 to another line, at its front (keeping the original time) or back.
    Transfer {
        line: String,
        #[serde(default)]
        front: bool,
        #[serde(default)]
        note: Option<String>,
    },
}

impl WindowAction {
    fn name(&self) -> &'static str {
        match self {
            WindowAction::Recall => "recalled",
            WindowAction::Start => "started",
            WindowAction::Finish => "finished",
            WindowAction::NoShow => "no_show",
            WindowAction::Park => "parked",
            WindowAction::Resume => "resumed",
            WindowAction::Transfer { .. } => "transferred",
        }
    }

    /// The statuses the ticket may be in for this action.
    fn from(&self) -> &'static [&'static str] {
        match self {
            WindowAction::Recall | WindowAction::NoShow => &[status::CALLED],
            WindowAction::Start => &[status::CALLED],
            WindowAction::Finish | WindowAction::Park | WindowAction::Transfer { .. } => {
                &[status::CALLED, status::SERVING]
            }
            WindowAction::Resume => &[status::PARKED],
        }
    }
}

/// Applies a window action to a ticket held by that window, serialized per hall.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    ticket_id: &str,
    window_id: &str,
    action: &WindowAction,
) -> AppResult<TicketDto> {
    let hall_id = find(state, ticket_id).await?.hall_id;
    let target = match action {
        WindowAction::Transfer { line, note, .. } => {
            if note.as_ref().is_some_and(|n| n.chars().count() > 200) {
                return Err(AppError::field("note", "转号备注不能超过 200 字"));
            }
            Some(find_line(state, &hall_id, line).await?)
        }
        _ => None,
    };
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, &hall_id).await.db_err()?;
    let t = ticket::Entity::find_by_id(ticket_id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))?;
    if t.window_id.as_deref() != Some(window_id) || !action.from().contains(&t.status.as_str()) {
        return Err(AppError::Conflict {
            message: format!("{} 当前不能在本窗口{}", t.number, action_label(action)),
            fields: vec![],
        });
    }
    let now = Utc::now();
    let from_line = t.line_id.clone();
    let mut row: ticket::ActiveModel = t.clone().into();
    match action {
        WindowAction::Recall => row.called_count = Set(t.called_count + 1),
        WindowAction::Start => row.status = Set(status::SERVING.into()),
        WindowAction::Finish => {
            row.status = Set(status::COMPLETED.into());
            row.finished_at = Set(Some(now));
        }
        WindowAction::NoShow => {
            row.status = Set(status::NO_SHOW.into());
            row.finished_at = Set(Some(now));
        }
        WindowAction::Park => row.status = Set(status::PARKED.into()),
        WindowAction::Resume => {
            row.status = Set(status::CALLED.into());
            row.called_count = Set(t.called_count + 1);
        }
        WindowAction::Transfer { front, note, .. } => {
            let line = target.as_ref().expect("transfer has a line");
            row.status = Set(status::WAITING.into());
            row.line_id = Set(line.id.clone());
            row.window_id = Set(None);
            row.called_count = Set(0);
            row.note = Set(note.clone());
            if !front {
                row.since = Set(now);
            }
        }
    }
    let t = row.update(&txn).await.db_err()?;
    let mut payload = serde_json::json!({"ticket_id": t.id, "number": t.number, "window_id": window_id,
        "called_count": t.called_count});
    if let WindowAction::Transfer { front, .. } = action {
        payload["from_line"] = from_line.into();
        payload["to_line"] = t.line_id.clone().into();
        payload["front"] = (*front).into();
    }
    let ev = NewEvent::new(
        Some(&hall_id),
        &format!("queue.ticket.{}", action.name()),
        payload,
    );
    let line_name = line::Entity::find_by_id(t.line_id.clone())
        .one(&txn)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let out = dto(&txn, t, &line_name).await?;
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(out)
}

fn action_label(a: &WindowAction) -> &'static str {
    match a {
        WindowAction::Recall => "重呼",
        WindowAction::Start => "开始办理",
        WindowAction::Finish => "办结",
        WindowAction::NoShow => "按过号处理",
        WindowAction::Park => "挂起",
        WindowAction::Resume => "回呼",
        WindowAction::Transfer { .. } => "转号",
    }
}

pub async fn find(state: &AppState, id: &str) -> AppResult<ticket::Model> {
    ticket::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))
}

/// A ticket as its holder sees it, given the token from the slip.
pub async fn by_token(state: &AppState, id: &str, token: &str) -> AppResult<TicketDto> {
    let t = find(state, id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    let name = line::Entity::find_by_id(t.line_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    dto(&state.db, t, &name).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineQueue {
    pub line_id: String,
    pub prefix: String,
    pub name: String,
    pub waiting: usize,
    /// The next numbers, at most 20.
    pub next: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueView {
    pub day: String,
    pub lines: Vec<LineQueue>,
    /// Numbers being served, with their window.
    pub serving: Vec<(String, String)>,
}

/// Today's queue of the hall: numbers only, no personal data.
pub async fn queue(state: &AppState, hall_id: &str) -> AppResult<QueueView> {
    let (day, _) = local_day(Utc::now());
    let lines = line::Entity::find()
        .filter(line::Column::HallId.eq(hall_id))
        .order_by_asc(line::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.eq(&day))
        .filter(ticket::Column::Status.is_in([status::WAITING, status::CALLED, status::SERVING]))
        .order_by_asc(ticket::Column::Seq)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(QueueView {
        lines: lines
            .into_iter()
            .map(|l| {
                let waiting: Vec<&ticket::Model> = tickets
                    .iter()
                    .filter(|t| t.line_id == l.id && t.status == status::WAITING)
                    .collect();
                LineQueue {
                    waiting: waiting.len(),
                    next: waiting.iter().take(20).map(|t| t.number.clone()).collect(),
                    line_id: l.id,
                    prefix: l.prefix,
                    name: l.name,
                }
            })
            .collect(),
        serving: tickets
            .iter()
            .filter(|t| t.status == status::CALLED || t.status == status::SERVING)
            .map(|t| (t.number.clone(), t.window_id.clone().unwrap_or_default()))
            .collect(),
        day,
    })
}
