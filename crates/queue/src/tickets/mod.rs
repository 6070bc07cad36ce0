//! Tickets: issue (numbered per line and day), call next (select and mark in
//! one serialized step per hall), finish, and the queue as screens show it.
//! This file is the facade (issue, call, find); what a request says and its
//! checks are in `holder`, how a ticket is shown in `shown`, the window's
//! actions in `window`, and the hall's and holder's views in `views`.

mod holder;
mod shown;
mod views;
mod window;

pub use holder::*;
pub use shown::*;
pub use views::*;
pub use window::*;

use crate::entity::{appointment, line, skill, ticket};
use crate::events;
use crate::policy::{Class, Level, Skills};
use chrono::{DateTime, Timelike, Utc};
use govhall_kernel::{
    AppError,
    crypto::sm3_hex,
    error::AppResult,
    identity::{IdCardNo, MobilePhone},
};
use govhall_platform::{
    AppState,
    audit::middleware::RequestAudit,
    db::{DbResultExt, begin_write, lock_hall},
    events::{Actor, EventType, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

/// Where a ticket is in its day. Stored and sent as its code; the labels are
/// the only wording terminals show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketStatus {
    Waiting,
    Called,
    Serving,
    Parked,
    Completed,
    NoShow,
    /// Withdrawn by the holder, or voided at the close of day.
    Cancelled,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 7] = [
        TicketStatus::Waiting,
        TicketStatus::Called,
        TicketStatus::Serving,
        TicketStatus::Parked,
        TicketStatus::Completed,
        TicketStatus::NoShow,
        TicketStatus::Cancelled,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "waiting",
            TicketStatus::Called => "called",
            TicketStatus::Serving => "serving",
            TicketStatus::Parked => "parked",
            TicketStatus::Completed => "completed",
            TicketStatus::NoShow => "no_show",
            TicketStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<TicketStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As the window and the hall staff say it.
    pub fn label(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "等候中",
            TicketStatus::Called => "已叫号",
            TicketStatus::Serving => "办理中",
            TicketStatus::Parked => "已挂起",
            TicketStatus::Completed => "已办结",
            TicketStatus::NoShow => "过号",
            TicketStatus::Cancelled => "已取消",
        }
    }

    /// As the holder's phone says it: what to do now.
    pub fn holder_label(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "排队中",
            TicketStatus::Called => "请前往窗口",
            TicketStatus::Serving => "正在办理",
            TicketStatus::Parked => "暂时挂起，请在窗口附近等候",
            TicketStatus::Completed => "已办结",
            TicketStatus::NoShow => "已过号",
            TicketStatus::Cancelled => "已取消",
        }
    }
}

/// The stored codes, for queries.
pub mod status {
    use super::TicketStatus;
    pub const WAITING: &str = TicketStatus::Waiting.code();
    pub const CALLED: &str = TicketStatus::Called.code();
    pub const SERVING: &str = TicketStatus::Serving.code();
    pub const PARKED: &str = TicketStatus::Parked.code();
    pub const COMPLETED: &str = TicketStatus::Completed.code();
    pub const NO_SHOW: &str = TicketStatus::NoShow.code();
    pub const CANCELLED: &str = TicketStatus::Cancelled.code();
}

/// The window's wording of a stored status (the code itself if unknown).
pub(crate) fn status_label(code: &str) -> String {
    TicketStatus::parse(code)
        .map(TicketStatus::label)
        .unwrap_or(code)
        .to_string()
}

/// Statuses of a ticket still in the hall's hands.
pub const ACTIVE: [&str; 4] = [
    status::WAITING,
    status::CALLED,
    status::SERVING,
    status::PARKED,
];

pub const CHANNELS: &[(&str, &str)] = &[
    ("kiosk", "取号机"),
    ("mobile", "手机取号"),
    ("proxy", "导服台代取"),
    ("appointment", "预约签到"),
    ("followup", "窗口续号"),
];

/// The service day and minute of the day in the hall's time zone.
pub fn local_day(at: DateTime<Utc>) -> (String, i32) {
    let local = govhall_kernel::time::local(at);
    (
        local.format("%Y-%m-%d").to_string(),
        (local.hour() * 60 + local.minute()) as i32,
    )
}

pub(crate) async fn find_line(
    state: &AppState,
    hall_id: &str,
    key: &str,
) -> AppResult<line::Model> {
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

/// Issues the next number of the line for today (through the hall's queue
/// engine). With `audit`, the request's audit entry commits with the ticket.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &IssueInput,
    audit: Option<&RequestAudit>,
) -> AppResult<Issued> {
    crate::engine::issue(state, actor, hall_id, input, None, audit).await
}

/// Issues the ticket of a booking being checked in, and marks the booking
/// checked in in the same transaction. `due`: in its slot (an appointment
/// ticket); otherwise late, an ordinary one.
pub(crate) async fn issue_for_appointment(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &IssueInput,
    booking: &appointment::Model,
    due: bool,
) -> AppResult<Issued> {
    let booking = Some((booking.clone(), due));
    crate::engine::issue(state, actor, hall_id, input, booking, None).await
}

pub(crate) fn skills_of(rows: &[skill::Model]) -> Skills {
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
/// serialized per hall (the hall's queue engine): two windows can never call
/// the same ticket. Only the clerk signed in at the window (`actor`) may call
/// for it. With `audit`, the request's audit entry commits with the call.
pub async fn call_next(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    window_id: &str,
    staff_id: Option<String>,
    audit: Option<&RequestAudit>,
) -> AppResult<Option<Called>> {
    crate::engine::call_next(state, actor, hall_id, window_id, staff_id, audit).await
}

/// The policy's class of a ticket (an appointment carries its slot).
pub(crate) fn class_of(t: &ticket::Model) -> Class {
    match (t.class.as_str(), t.appt_from, t.appt_to) {
        ("green", ..) => Class::Green,
        ("appointment", Some(from), Some(to)) => Class::Appointment { from, to },
        _ => Class::Normal,
    }
}

pub(crate) async fn find(state: &AppState, id: &str) -> AppResult<ticket::Model> {
    ticket::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))
}
