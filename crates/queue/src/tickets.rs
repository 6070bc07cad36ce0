//! Tickets: issue (numbered per line and day), call next (select and mark in
//! one serialized step per hall), finish, and the queue as screens show it.

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

pub mod status {
    pub const WAITING: &str = "waiting";
    pub const CALLED: &str = "called";
    pub const SERVING: &str = "serving";
    pub const PARKED: &str = "parked";
    pub const COMPLETED: &str = "completed";
    pub const NO_SHOW: &str = "no_show";
    /// Withdrawn by the holder, or voided at the close of day.
    pub const CANCELLED: &str = "cancelled";
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

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct IssueInput {
    /// Line id or prefix (e.g. `A`).
    pub line: String,
    /// kiosk / mobile / proxy / appointment / followup
    #[serde(default = "kiosk")]
    pub channel: String,
    /// 绿色通道 (set by the reception desk or a window; the elderly are recognised from the ID number).
    #[serde(default)]
    pub green: bool,
    /// elderly / disabled / pregnant / military / other
    #[serde(default)]
    pub green_reason: Option<String>,
    /// 身份证号 (optional; read by the kiosk's card reader). Stored encrypted.
    #[serde(default)]
    pub id_number: Option<String>,
    /// 手机号 (optional; for call reminders). Stored encrypted.
    #[serde(default)]
    pub phone: Option<String>,
    /// What 智能导办 found (the matter and the answers), so the window starts from it.
    #[serde(default)]
    pub guidance: Option<TicketGuidance>,
}

/// The matter and scenario answers a citizen reached with 智能导办.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TicketGuidance {
    /// 实施编码.
    pub item: String,
    /// Question id → answer, as the resolver takes them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
}

impl TicketGuidance {
    /// As stored on the ticket (JSON).
    pub fn stored(g: Option<&TicketGuidance>) -> Option<String> {
        g.and_then(|g| serde_json::to_string(g).ok())
    }
}

/// 绿色通道 classes.
pub const GREEN_REASONS: &[(&str, &str)] = &[
    ("elderly", "70岁以上老人"),
    ("disabled", "残疾人"),
    ("pregnant", "孕妇"),
    ("military", "现役军人与退役军人"),
    ("other", "其他特殊群体"),
];

/// The Chinese name of a green-channel class (the code itself when unknown).
pub fn green_label(code: &str) -> String {
    GREEN_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
        .to_string()
}

/// Age from which the ID number alone puts a ticket in the green channel.
pub const ELDERLY_AGE: i32 = 70;

/// Age in whole years on `today`.
fn age_on(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// What a holder's phone must be, in every message that refuses one.
pub(crate) const PHONE_RULE: &str = "手机号须为 11 位中国大陆手机号";

/// An optional text field: `None` when absent or blank.
fn blank_to_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The checked holder details of an issue request.
pub(crate) struct Holder {
    pub id_number: Option<IdCardNo>,
    pub phone: Option<MobilePhone>,
    pub green_reason: Option<String>,
}

pub(crate) fn check_holder(input: &IssueInput, today: chrono::NaiveDate) -> AppResult<Holder> {
    let mut c = govhall_kernel::validate::Checker::new();
    c.one_of("channel", "取号渠道", &input.channel, CHANNELS);
    let id_number = blank_to_none(&input.id_number).and_then(|id| {
        c.parsed("id_number", IdCardNo::parse(id), |e| {
            format!("身份证号：{e}")
        })
    });
    let phone = blank_to_none(&input.phone)
        .and_then(|p| c.parsed("phone", MobilePhone::parse(p), |_| PHONE_RULE.into()));
    let mut green_reason = input.green_reason.clone().filter(|r| !r.is_empty());
    if let Some(r) = &green_reason {
        c.one_of("green_reason", "绿色通道类别", r, GREEN_REASONS);
    }
    if let Some(g) = &input.guidance {
        c.check(
            !g.item.trim().is_empty() && g.item.len() <= 40,
            "guidance.item",
            "导办结果的事项编码须为 1 到 40 个字符",
        );
        c.check(
            g.answers.is_object() && g.answers.to_string().len() <= 4096,
            "guidance.answers",
            "导办回答须为不超过 4 KB 的对象",
        );
    }
    c.finish()?;
    let birth = id_number.as_ref().map(IdCardNo::birth_date);
    if green_reason.is_none() && birth.is_some_and(|b| age_on(b, today) >= ELDERLY_AGE) {
        green_reason = Some("elderly".into());
    }
    if green_reason.is_none() && input.green {
        green_reason = Some("other".into());
    }
    Ok(Holder {
        id_number,
        phone,
        green_reason,
    })
}

/// Who issues fixes the channel: a kiosk's token issues `kiosk` tickets and
/// cannot put one in the green channel by itself (a person must check the
/// reason; the ID card of someone over 70 does it without asking); staff
/// issue on the citizen's behalf (`proxy`) or as a window's follow-up.
/// Appointments and phones take their tickets through their own flows.
pub fn check_issuer(input: &IssueInput, device: bool) -> AppResult<()> {
    let mut c = govhall_kernel::validate::Checker::new();
    if device {
        c.check(
            input.channel == "kiosk",
            "channel",
            "取号机只能以“取号机”渠道取号（kiosk）",
        );
        c.check(
            !input.green && input.green_reason.as_deref().is_none_or(str::is_empty),
            "green",
            "取号机不能自行设置绿色通道：请到导服台由工作人员核实；70 岁以上老人刷身份证即自动进入绿色通道",
        );
    } else {
        c.check(
            matches!(input.channel.as_str(), "proxy" | "followup"),
            "channel",
            "工作人员取号的渠道须为导服台代取（proxy）或窗口续号（followup）",
        );
    }
    c.finish()
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
    /// The window's name, for the holder's phone (filled when read by token).
    pub window_name: Option<String>,
    pub called_at: Option<DateTime<Utc>>,
    pub called_count: i32,
    /// The previous window's note after a transfer.
    pub note: Option<String>,
    /// Waiting tickets of the same line ahead of this one.
    pub ahead: u64,
    /// 绿色通道类别 when green.
    pub green_reason: Option<String>,
    /// The class in Chinese (terminals show it as sent, never from a copy of their own).
    pub green_label: Option<String>,
    /// Minutes quoted when the ticket was issued.
    pub quoted_wait: Option<i32>,
    /// Masked ID number / phone of the holder (for the window; never in events).
    pub holder_id: Option<String>,
    pub holder_phone: Option<String>,
    pub no_show_count: i32,
    /// The booked slot, `09:00—09:30`, while the appointment is due.
    pub appointment_slot: Option<String>,
    pub appointment_id: Option<String>,
    /// Transferred to this window: only it calls the ticket.
    pub target_window_id: Option<String>,
    /// What 智能导办 found before the ticket was taken (the counter starts from it).
    pub guidance: Option<TicketGuidance>,
    /// The holder turned on WeChat reminders (the openid itself is never shown).
    pub wechat_bound: bool,
    /// The holder may turn them on: the hall's 公众号 is configured (filled when read by token).
    pub wechat_available: bool,
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
    pii: &dyn govhall_kernel::crypto::PiiCipher,
    t: ticket::Model,
    line_name: &str,
) -> AppResult<TicketDto> {
    let ahead = if t.status == status::WAITING {
        ahead(db, &t).await?
    } else {
        0
    };
    Ok(to_dto(pii, t, line_name, ahead))
}

pub(crate) fn to_dto(
    pii: &dyn govhall_kernel::crypto::PiiCipher,
    t: ticket::Model,
    line_name: &str,
    ahead: u64,
) -> TicketDto {
    use govhall_kernel::mask::{mask_id_card, mask_phone};
    let reveal = |enc: &Option<String>, mask: fn(&str) -> String| {
        enc.as_deref()
            .and_then(|e| pii.decrypt(e).ok())
            .map(|v| mask(&v))
    };
    let holder_id = reveal(&t.id_enc, mask_id_card);
    let holder_phone = reveal(&t.phone_enc, mask_phone);
    TicketDto {
        id: t.id,
        number: t.number,
        line_id: t.line_id,
        line_name: line_name.to_string(),
        class: t.class,
        channel: t.channel,
        status: t.status,
        issued_at: t.issued_at,
        window_id: t.window_id,
        window_name: None,
        called_at: t.called_at,
        called_count: t.called_count,
        note: t.note,
        ahead,
        green_label: t.green_reason.as_deref().map(green_label),
        green_reason: t.green_reason,
        quoted_wait: t.quoted_wait,
        holder_id,
        holder_phone,
        no_show_count: t.no_show_count,
        appointment_slot: t.appt_from.zip(t.appt_to).map(|(f, to)| {
            format!(
                "{}—{}",
                crate::appointments::clock(f),
                crate::appointments::clock(to)
            )
        }),
        appointment_id: t.appointment_id,
        target_window_id: t.target_window_id,
        wechat_bound: t.wechat_openid_enc.is_some(),
        wechat_available: false,
        guidance: t
            .guidance
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok()),
    }
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
    /// 转号 to another line, at its front (keeping the original time) or back;
    /// with `window`, only that window may call it.
    Transfer {
        line: String,
        #[serde(default)]
        window: Option<String>,
        #[serde(default)]
        front: bool,
        #[serde(default)]
        note: Option<String>,
    },
}

impl WindowAction {
    /// The event it records.
    fn event(&self) -> &'static EventType<events::TicketAtWindow> {
        match self {
            WindowAction::Recall => &events::TICKET_RECALLED,
            WindowAction::Start => &events::TICKET_STARTED,
            WindowAction::Finish => &events::TICKET_FINISHED,
            WindowAction::NoShow => &events::TICKET_NO_SHOW,
            WindowAction::Park => &events::TICKET_PARKED,
            WindowAction::Resume => &events::TICKET_RESUMED,
            WindowAction::Transfer { .. } => &events::TICKET_TRANSFERRED,
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
    let (target, target_window) = match action {
        WindowAction::Transfer {
            line, note, window, ..
        } => {
            if note.as_ref().is_some_and(|n| n.chars().count() > 200) {
                return Err(AppError::field("note", "转号备注不能超过 200 字"));
            }
            let target_window = match window.as_deref().filter(|w| !w.is_empty()) {
                Some(w) => Some(transfer_window(state, &hall_id, w, window_id).await?),
                None => None,
            };
            (Some(find_line(state, &hall_id, line).await?), target_window)
        }
        _ => (None, None),
    };
    let settings = crate::settings::load(&state.db, &hall_id).await?;
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
            let places = settings.no_show_requeue_places;
            if places > 0 && (t.no_show_count as u32) < settings.no_show_max_requeues {
                // 过号顺延: back in line `places` behind the head, called again later.
                row.status = Set(status::WAITING.into());
                row.window_id = Set(None);
                row.called_count = Set(0);
                row.since = Set(requeue_time(&txn, &t, places, now).await?);
            } else {
                row.status = Set(status::NO_SHOW.into());
                row.finished_at = Set(Some(now));
            }
            row.no_show_count = Set(t.no_show_count + 1);
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
            row.target_window_id = Set(target_window.as_ref().map(|w| w.id.clone()));
            if !front {
                row.since = Set(now);
            }
        }
    }
    let t = row.update(&txn).await.db_err()?;
    crate::engine::touch(&txn, &hall_id).await?;
    let transfer = match action {
        WindowAction::Transfer { front, .. } => Some(*front),
        _ => None,
    };
    let ev = action.event().event(
        Some(&hall_id),
        &events::TicketAtWindow {
            ticket_id: t.id.clone(),
            number: t.number.clone(),
            window_id: window_id.to_string(),
            called_count: t.called_count,
            requeued: (*action == WindowAction::NoShow).then_some(t.status == status::WAITING),
            from_line: transfer.map(|_| from_line.clone()),
            to_line: transfer.map(|_| t.line_id.clone()),
            front: transfer,
            to_window: transfer.and(target_window.as_ref()).map(|w| w.id.clone()),
        },
    );
    let line_name = line::Entity::find_by_id(t.line_id.clone())
        .one(&txn)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default();
    let notice = match action {
        WindowAction::Recall => Some((
            "ticket.called",
            format!("请 {} 号到窗口办理（再次呼叫）。", t.number),
        )),
        WindowAction::Transfer { .. } => Some((
            "ticket.transferred",
            format!("您的 {} 号已转至“{line_name}”，请留意叫号。", t.number),
        )),
        WindowAction::Finish => Some((
            "ticket.finished",
            format!(
                "您的 {} 号业务已办结。欢迎扫描号票二维码对本次服务作出评价。",
                t.number
            ),
        )),
        _ => None,
    };
    if let Some((kind, text)) = notice {
        crate::notices::to_holder(
            &txn,
            state,
            &t,
            kind,
            serde_json::json!({"number": t.number, "line": line_name}),
            text,
            format!("{kind}:{}:{}", t.id, now.timestamp_millis()),
        )
        .await?;
    }
    let out = dto(&txn, state.pii.as_ref(), t, &line_name).await?;
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(out)
}

/// The window a ticket is transferred to: in the hall, not the sender.
async fn transfer_window(
    state: &AppState,
    hall_id: &str,
    key: &str,
    from_window: &str,
) -> AppResult<govhall_directory::Window> {
    let w = govhall_directory::service::window(&state.db, hall_id, key)
        .await?
        .ok_or_else(|| AppError::field("window", format!("窗口“{key}”不存在")))?;
    if w.id == from_window {
        return Err(AppError::field("window", "不能转给本窗口"));
    }
    Ok(w)
}

/// The queue time that puts a ticket `places` behind the head of its line
/// (at the back when fewer wait).
async fn requeue_time<C: ConnectionTrait>(
    db: &C,
    t: &ticket::Model,
    places: u32,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    use sea_orm::QuerySelect;
    let nth = ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(&t.line_id))
        .filter(ticket::Column::Day.eq(&t.day))
        .filter(ticket::Column::Status.eq(status::WAITING))
        .order_by_asc(ticket::Column::Since)
        .order_by_asc(ticket::Column::Seq)
        .offset(u64::from(places - 1))
        .limit(1)
        .one(db)
        .await
        .db_err()?;
    Ok(nth.map_or(now, |n| n.since + chrono::Duration::milliseconds(1)))
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

pub(crate) async fn find(state: &AppState, id: &str) -> AppResult<ticket::Model> {
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
    let window = match &t.window_id {
        Some(id) => govhall_directory::service::window(&state.db, &t.hall_id, id)
            .await?
            .map(|w| w.name),
        None => None,
    };
    let mut out = dto(&state.db, state.pii.as_ref(), t, &name).await?;
    out.window_name = window;
    out.wechat_available = state.config.wechat_enabled();
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineQueue {
    pub line_id: String,
    pub prefix: String,
    pub name: String,
    pub waiting: usize,
    /// The next numbers, at most 20.
    pub next: Vec<String>,
    /// Minutes a ticket taken now would be quoted.
    pub wait_minutes: i32,
    /// Windows serving the line with a clerk signed in now. 0 (before the hall
    /// opens): terminals show that the line is not yet served rather than a
    /// wait estimated from nobody working.
    pub open_windows: u32,
    /// The matters it serves (their guides are public).
    pub matters: Vec<LineMatter>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineMatter {
    /// 实施编码
    pub code: String,
    pub name: String,
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
    let settings = crate::settings::load(&state.db, hall_id).await?;
    let staffed: HashSet<String> = govhall_directory::service::open_sessions(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|s| s.window_id)
        .collect();
    let skills = skill::Entity::find()
        .filter(skill::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let open_windows = |line_id: &str| -> u32 {
        let serving: Vec<&str> = skills
            .iter()
            .filter(|s| s.line_id == line_id)
            .map(|s| s.window_id.as_str())
            .collect();
        if serving.is_empty() {
            // No skills configured: every window of the hall may call the line.
            staffed.len() as u32
        } else {
            serving.iter().filter(|w| staffed.contains(**w)).count() as u32
        }
    };
    let estimator = crate::estimate::Estimator::of(state);
    let names = govhall_catalog::items::published_names(state, hall_id).await?;
    let mut views = Vec::with_capacity(lines.len());
    for l in lines {
        let waiting: Vec<&ticket::Model> = tickets
            .iter()
            .filter(|t| t.line_id == l.id && t.status == status::WAITING)
            .collect();
        let rate = estimator
            .rate(state, &l.id, settings.default_service_minutes)
            .await?;
        views.push(LineQueue {
            waiting: waiting.len(),
            next: waiting.iter().take(20).map(|t| t.number.clone()).collect(),
            wait_minutes: rate.quote(waiting.len() as u64),
            open_windows: open_windows(&l.id),
            matters: serde_json::from_str::<Vec<String>>(&l.matters)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|code| {
                    let name = names.get(&code)?.clone();
                    Some(LineMatter { code, name })
                })
                .collect(),
            line_id: l.id,
            prefix: l.prefix,
            name: l.name,
        });
    }
    Ok(QueueView {
        lines: views,
        serving: tickets
            .iter()
            .filter(|t| t.status == status::CALLED || t.status == status::SERVING)
            .map(|t| (t.number.clone(), t.window_id.clone().unwrap_or_default()))
            .collect(),
        day,
    })
}

/// The holder withdraws a waiting ticket (from the phone, with the slip's token).
pub async fn cancel_by_token(state: &AppState, id: &str, token: &str) -> AppResult<TicketDto> {
    let t = find(state, id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, &t.hall_id).await.db_err()?;
    let t = ticket::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))?;
    if t.status != status::WAITING {
        return Err(AppError::Conflict {
            message: format!("{} 已被叫号或已结束，不能取消", t.number),
            fields: vec![],
        });
    }
    let mut row: ticket::ActiveModel = t.into();
    row.status = Set(status::CANCELLED.into());
    row.finished_at = Set(Some(Utc::now()));
    let t = row.update(&txn).await.db_err()?;
    crate::engine::touch(&txn, &t.hall_id).await?;
    let ev = events::TICKET_CANCELLED.event(
        Some(&t.hall_id),
        &events::TicketCancelled {
            ticket_id: t.id.clone(),
            number: t.number.clone(),
            by: "holder".into(),
        },
    );
    let name = line_name(&txn, &t.line_id).await?;
    let out = dto(&txn, state.pii.as_ref(), t, &name).await?;
    let citizen = Actor {
        id: None,
        name: "取号人".into(),
    };
    commit_with(state, txn, &citizen, vec![ev]).await?;
    Ok(out)
}

async fn line_name<C: ConnectionTrait>(db: &C, line_id: &str) -> AppResult<String> {
    Ok(line::Entity::find_by_id(line_id.to_string())
        .one(db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayClosed {
    /// Tickets still open that were voided (批量弃号).
    pub voided: usize,
    /// Bookings never checked in, now counted as missed (爽约).
    pub missed_appointments: usize,
    /// Personal data past the hall's retention, erased.
    pub personal_data_erased: crate::retention::Erased,
}

/// 批量弃号 at closing: every ticket of today and before still in the hall's hands is voided.
pub async fn close_day(state: &AppState, actor: &Actor, hall_id: &str) -> AppResult<DayClosed> {
    let now = Utc::now();
    let (day, _) = local_day(now);
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let open = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.lte(&day))
        .filter(ticket::Column::Status.is_in(ACTIVE))
        .all(&txn)
        .await
        .db_err()?;
    let numbers: Vec<String> = open.iter().map(|t| t.number.clone()).collect();
    let ids: Vec<String> = open.iter().map(|t| t.id.clone()).collect();
    ticket::Entity::update_many()
        .col_expr(
            ticket::Column::Status,
            sea_orm::sea_query::Expr::value(status::CANCELLED),
        )
        .col_expr(
            ticket::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(ticket::Column::Id.is_in(ids.clone()))
        .exec(&txn)
        .await
        .db_err()?;
    crate::engine::touch(&txn, hall_id).await?;
    let settings = crate::settings::load(&txn, hall_id).await?;
    let missed =
        crate::appointments::mark_no_shows(&txn, hall_id, settings.policy.appointment_tolerance)
            .await?;
    let cutoff = now - chrono::Duration::days(i64::from(settings.personal_data_days));
    let erased =
        crate::retention::erase_before(&txn, hall_id, &local_day(cutoff).0, cutoff).await?;
    let ev = events::DAY_CLOSED.event(
        Some(hall_id),
        &events::DayClosed {
            day: day.clone(),
            voided: ids.len(),
            ticket_ids: ids.clone(),
            numbers: numbers.clone(),
            missed_appointments: missed.clone(),
            personal_data_erased: erased.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(DayClosed {
        voided: numbers.len(),
        missed_appointments: missed.len(),
        personal_data_erased: erased,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Visit {
    pub day: String,
    pub number: String,
    pub line_name: String,
    pub status: String,
    pub window_id: Option<String>,
}

/// The same person's earlier visits (last 90 days), for the window serving them.
pub(crate) async fn visits(state: &AppState, t: &ticket::Model) -> AppResult<Vec<Visit>> {
    let Some(idx) = &t.person_idx else {
        return Ok(vec![]);
    };
    let (since, _) = local_day(Utc::now() - chrono::Duration::days(90));
    let rows = ticket::Entity::find()
        .filter(ticket::Column::PersonIdx.eq(idx))
        .filter(ticket::Column::Id.ne(&t.id))
        .filter(ticket::Column::Day.gte(since))
        .order_by_desc(ticket::Column::IssuedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(50) {
        out.push(Visit {
            line_name: line_name(&state.db, &r.line_id).await?,
            day: r.day,
            number: r.number,
            status: r.status,
            window_id: r.window_id,
        });
    }
    Ok(out)
}

/// The tickets a window holds: the one called or being served, and those parked there.
pub async fn at_window(state: &AppState, window_id: &str) -> AppResult<Vec<TicketDto>> {
    let rows = ticket::Entity::find()
        .filter(ticket::Column::WindowId.eq(window_id))
        .filter(ticket::Column::Status.is_in([status::CALLED, status::SERVING, status::PARKED]))
        .order_by_asc(ticket::Column::CalledAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        let name = line_name(&state.db, &t.line_id).await?;
        out.push(dto(&state.db, state.pii.as_ref(), t, &name).await?);
    }
    Ok(out)
}
