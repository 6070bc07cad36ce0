//! 预约: a line's slots on working days, booked from the phone after an SMS
//! code, checked in at the kiosk by code, ID number or phone. On time (within
//! the hall's tolerance) the ticket is an appointment the calling policy
//! serves in its slot; late, it is an ordinary ticket. Missed appointments
//! count against the person: too many and booking is suspended for a while.

use crate::entity::{appointment, line};
use crate::settings::QueueSettings;
use crate::tickets::{self, IssueInput, Issued, local_day};
use chrono::{NaiveDate, Utc};
use govhall_kernel::{
    AppError,
    crypto::sm3_hex,
    error::AppResult,
    identity::{IdCardNo, MobilePhone},
    mask::{mask_id_card, mask_phone},
    new_id,
    validate::Checker,
};
use govhall_notify::codes;
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, lock_hall},
    events::{Actor, commit_with},
};
use rand::{Rng, RngCore};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a booking stands. Stored and sent as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
    CheckedIn,
    NoShow,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 4] = [
        AppointmentStatus::Booked,
        AppointmentStatus::Cancelled,
        AppointmentStatus::CheckedIn,
        AppointmentStatus::NoShow,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::CheckedIn => "checked_in",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    pub fn parse(code: &str) -> Option<AppointmentStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As the hall's staff say it.
    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "待签到",
            AppointmentStatus::Cancelled => "已取消",
            AppointmentStatus::CheckedIn => "已签到",
            AppointmentStatus::NoShow => "爽约",
        }
    }

    /// As the holder's phone says it.
    pub fn holder_label(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "已预约",
            AppointmentStatus::Cancelled => "已取消",
            AppointmentStatus::CheckedIn => "已签到取号",
            AppointmentStatus::NoShow => "未按时签到（爽约）",
        }
    }
}

/// The stored codes, for queries.
pub mod status {
    use super::AppointmentStatus;
    pub const BOOKED: &str = AppointmentStatus::Booked.code();
    pub const CANCELLED: &str = AppointmentStatus::Cancelled.code();
    pub const CHECKED_IN: &str = AppointmentStatus::CheckedIn.code();
    pub const NO_SHOW: &str = AppointmentStatus::NoShow.code();
}

/// What the SMS code proves.
const PURPOSE: &str = "appointment";
/// … or take a ticket remotely with it.
pub const REMOTE_TICKET: &str = "ticket";

pub fn clock(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn minutes(hhmm: &str) -> Option<i32> {
    let (h, m) = hhmm.split_once(':')?;
    Some(h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?)
}

/// The slots `[from, to)` of a line's day, from opening to closing.
pub(crate) fn slots(l: &line::Model) -> Vec<(i32, i32)> {
    let (Some(open), Some(close)) = (minutes(&l.opens_at), minutes(&l.closes_at)) else {
        return vec![];
    };
    let len = l.slot_minutes.max(5);
    (0..)
        .map(|i| open + i * len)
        .take_while(|from| from + len <= close)
        .map(|from| (from, from + len))
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    /// `09:00`
    pub from: String,
    pub to: String,
    pub quota: i32,
    pub left: i32,
    /// Still bookable (not started, not full).
    pub open: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayView {
    /// `YYYY-MM-DD`
    pub day: String,
    pub weekday: String,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineSlots {
    pub line_id: String,
    pub line_name: String,
    pub prefix: String,
    /// Working days only (the national holidays and 调休, and the hall's own days).
    pub days: Vec<DayView>,
}

fn weekday(d: NaiveDate) -> String {
    use chrono::Datelike;
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [d.weekday().num_days_from_monday() as usize]
        .into()
}

/// The hall's working days a booking may fall on, from today (its own
/// open and closed days laid over the national calendar).
async fn bookable_days(
    state: &AppState,
    hall_id: &str,
    s: &QueueSettings,
) -> AppResult<Vec<NaiveDate>> {
    let calendar = govhall_directory::calendar::load_for_hall(state, hall_id).await?;
    let today = govhall_kernel::time::today();
    Ok((0..s.booking_days_ahead as i64)
        .map(|i| today + chrono::Duration::days(i))
        .filter(|d| calendar.is_working_day(*d))
        .collect())
}

async fn taken<C: ConnectionTrait>(db: &C, line_id: &str, day: &str, from: i32) -> AppResult<i32> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::LineId.eq(line_id))
        .filter(appointment::Column::Day.eq(day))
        .filter(appointment::Column::SlotFrom.eq(from))
        .filter(appointment::Column::Status.is_in([status::BOOKED, status::CHECKED_IN]))
        .count(db)
        .await
        .db_err()? as i32)
}

/// A line's bookable slots over the coming working days.
pub async fn line_slots(state: &AppState, hall_id: &str, key: &str) -> AppResult<LineSlots> {
    let l = tickets::find_line(state, hall_id, key).await?;
    let settings = crate::settings::load(&state.db, hall_id).await?;
    let (today, now) = local_day(Utc::now());
    let mut days = Vec::new();
    if l.active && l.slot_quota > 0 {
        for d in bookable_days(state, hall_id, &settings).await? {
            let day = d.format("%Y-%m-%d").to_string();
            let mut views = Vec::new();
            for (from, to) in slots(&l) {
                let left = (l.slot_quota - taken(&state.db, &l.id, &day, from).await?).max(0);
                views.push(SlotView {
                    from: clock(from),
                    to: clock(to),
                    quota: l.slot_quota,
                    left,
                    open: left > 0 && (day != today || from > now),
                });
            }
            days.push(DayView {
                weekday: weekday(d),
                day,
                slots: views,
            });
        }
    }
    Ok(LineSlots {
        line_id: l.id,
        line_name: l.name,
        prefix: l.prefix,
        days,
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BookInput {
    /// Line id or prefix.
    pub line: String,
    /// `YYYY-MM-DD`
    pub day: String,
    /// Slot start, `09:00`.
    pub from: String,
    pub phone: String,
    /// The SMS verification code.
    pub code: String,
    /// 身份证号 (optional; lets the kiosk's card reader check in).
    #[serde(default)]
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppointmentDto {
    pub id: String,
    pub line_id: String,
    pub line_name: String,
    pub day: String,
    pub from: String,
    pub to: String,
    /// 签到码 for the kiosk.
    pub code: String,
    /// booked / cancelled / checked_in / no_show
    pub status: String,
    /// The status as the hall's staff say it (待签到…).
    pub status_label: String,
    /// The status as the holder's phone says it (已预约…).
    pub status_notice: String,
    pub phone: String,
    pub id_number: Option<String>,
    pub ticket_id: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Booked {
    pub appointment: AppointmentDto,
    /// Shown once: lets the holder view or cancel the booking from the phone.
    pub token: String,
}

/// `reveal`: the holder's own view shows the 签到码; the hall's and the
/// kiosk's show it masked.
fn to_dto(
    state: &AppState,
    a: appointment::Model,
    line_name: &str,
    reveal: bool,
) -> AppointmentDto {
    let code = match a.code_enc.as_deref() {
        Some(enc) if reveal => state.pii.decrypt(enc).unwrap_or_default(),
        _ => govhall_notify::SECRET_MASK.into(),
    };
    AppointmentDto {
        line_name: line_name.to_string(),
        from: clock(a.slot_from),
        to: clock(a.slot_to),
        phone: state
            .pii
            .decrypt(&a.phone_enc)
            .map(|p| mask_phone(&p))
            .unwrap_or_default(),
        id_number: a
            .id_enc
            .as_deref()
            .and_then(|e| state.pii.decrypt(e).ok())
            .map(|v| mask_id_card(&v)),
        id: a.id,
        line_id: a.line_id,
        day: a.day,
        code,
        status_label: AppointmentStatus::parse(&a.status)
            .map(AppointmentStatus::label)
            .unwrap_or(a.status.as_str())
            .to_string(),
        status_notice: AppointmentStatus::parse(&a.status)
            .map(AppointmentStatus::holder_label)
            .unwrap_or(a.status.as_str())
            .to_string(),
        status: a.status,
        ticket_id: a.ticket_id,
        created_at: a.created_at,
    }
}

/// Missed: never checked in and the slot (with tolerance) is over.
fn missed(a: &appointment::Model, today: &str, now: i32, tolerance: i32) -> bool {
    a.status == status::NO_SHOW
        || (a.status == status::BOOKED
            && (a.day.as_str() < today || (a.day == today && now >= a.slot_to + tolerance)))
}

/// The day until which the person may not book, when they missed too many.
async fn banned_until<C: ConnectionTrait>(
    db: &C,
    person_idx: &str,
    s: &QueueSettings,
) -> AppResult<Option<String>> {
    let now = Utc::now();
    let (today, minute) = local_day(now);
    let (since, _) = local_day(now - chrono::Duration::days(i64::from(s.appointment_ban_days)));
    let mut missed_days: Vec<String> = appointment::Entity::find()
        .filter(appointment::Column::PersonIdx.eq(person_idx))
        .filter(appointment::Column::Day.gte(since))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .filter(|a| missed(a, &today, minute, s.policy.appointment_tolerance))
        .map(|a| a.day)
        .collect();
    if (missed_days.len() as u32) < s.appointment_no_show_limit {
        return Ok(None);
    }
    missed_days.sort();
    // Lifted when the oldest counted miss leaves the window.
    let oldest = NaiveDate::parse_from_str(
        &missed_days[missed_days.len() - s.appointment_no_show_limit as usize],
        "%Y-%m-%d",
    )
    .map_err(AppError::internal)?;
    Ok(Some(
        (oldest + chrono::Duration::days(i64::from(s.appointment_ban_days) + 1))
            .format("%Y-%m-%d")
            .to_string(),
    ))
}

/// Sends the SMS code that booking (or a remote ticket) requires.
pub async fn send_code(
    state: &AppState,
    hall_id: &str,
    hall_name: &str,
    phone: &str,
    purpose: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<Option<String>> {
    if purpose != PURPOSE && purpose != REMOTE_TICKET {
        return Err(AppError::field(
            "purpose",
            "验证码用途只能是 appointment（预约）或 ticket（远程取号）",
        ));
    }
    codes::send(state, Some(hall_id), hall_name, phone, purpose, client).await
}

/// Rewrites bookings made before 签到码 were kept encrypted: the code moves
/// to `code_enc` and `code` becomes its keyed index (once, at start-up).
pub async fn protect_legacy_codes(state: &AppState) -> AppResult<u64> {
    let legacy = appointment::Entity::find()
        .filter(appointment::Column::CodeEnc.is_null())
        .all(&state.db)
        .await
        .db_err()?;
    let mut changed = 0;
    for a in legacy {
        let code = a.code.clone();
        let mut row: appointment::ActiveModel = a.into();
        row.code = Set(state.pii.blind_index(&code));
        row.code_enc = Set(Some(state.pii.encrypt(&code)));
        row.update(&state.db).await.db_err()?;
        changed += 1;
    }
    Ok(changed)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RemoteTicketInput {
    /// Line id or prefix.
    pub line: String,
    pub phone: String,
    /// The SMS verification code (purpose `ticket`).
    pub code: String,
    /// The matter and answers the phone's 智能导办 reached: the window's intake opens on them.
    #[serde(default)]
    pub guidance: Option<crate::tickets::TicketGuidance>,
}

/// 远程取号 from the mobile H5: the phone proves who holds the ticket (and
/// gets its SMS); the one-ticket-per-person rule applies to it.
pub async fn remote_ticket(
    state: &AppState,
    hall_id: &str,
    input: &RemoteTicketInput,
) -> AppResult<Issued> {
    let phone = MobilePhone::parse(&input.phone)
        .map_err(|_| AppError::field("phone", crate::tickets::PHONE_RULE))?;
    let phone = phone.as_str();
    codes::verify(state, phone, REMOTE_TICKET, &input.code).await?;
    let citizen = Actor {
        id: None,
        name: "远程取号".into(),
    };
    let issued = tickets::issue(
        state,
        &citizen,
        hall_id,
        &IssueInput {
            line: input.line.clone(),
            channel: "mobile".into(),
            phone: Some(phone.to_string()),
            guidance: input.guidance.clone(),
            ..Default::default()
        },
        None,
    )
    .await?;
    codes::consume(&state.db, state, phone, REMOTE_TICKET).await?;
    Ok(issued)
}

struct Checked {
    day: NaiveDate,
    from: i32,
    phone: MobilePhone,
    id_number: Option<IdCardNo>,
}

fn check(input: &BookInput) -> AppResult<Checked> {
    let mut c = Checker::new();
    let day = NaiveDate::parse_from_str(input.day.trim(), "%Y-%m-%d").ok();
    c.check(day.is_some(), "day", "预约日期应为 YYYY-MM-DD");
    let from = minutes(input.from.trim());
    c.check(from.is_some(), "from", "预约时段应为 HH:MM");
    let phone = c.parsed("phone", MobilePhone::parse(&input.phone), |_| {
        crate::tickets::PHONE_RULE.into()
    });
    c.check(
        input.code.trim().len() == 6 && input.code.trim().chars().all(|ch| ch.is_ascii_digit()),
        "code",
        "短信验证码为 6 位数字",
    );
    let id_number = input
        .id_number
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|id| {
            c.parsed("id_number", IdCardNo::parse(id), |e| {
                format!("身份证号：{e}")
            })
        });
    c.finish()?;
    Ok(Checked {
        day: day.expect("checked"),
        from: from.expect("checked"),
        phone: phone.expect("checked"),
        id_number,
    })
}

fn conflict(message: String) -> AppError {
    AppError::Conflict {
        message,
        fields: vec![],
    }
}

/// Books a slot for the phone's holder.
pub async fn book(state: &AppState, hall_id: &str, input: &BookInput) -> AppResult<Booked> {
    let checked = check(input)?;
    let l = tickets::find_line(state, hall_id, &input.line).await?;
    if !l.active || l.slot_quota == 0 {
        return Err(conflict(format!("“{}”不开放预约，请现场取号", l.name)));
    }
    let settings = crate::settings::load(&state.db, hall_id).await?;
    if !bookable_days(state, hall_id, &settings)
        .await?
        .contains(&checked.day)
    {
        return Err(AppError::field(
            "day",
            format!(
                "{} 不可预约：只能预约今天起 {} 天内的工作日（节假日不开放）",
                input.day.trim(),
                settings.booking_days_ahead
            ),
        ));
    }
    let Some(&(from, to)) = slots(&l).iter().find(|(f, _)| *f == checked.from) else {
        return Err(AppError::field(
            "from",
            format!("“{}”没有 {} 开始的预约时段", l.name, input.from.trim()),
        ));
    };
    let day = checked.day.format("%Y-%m-%d").to_string();
    let (today, now) = local_day(Utc::now());
    if day == today && from <= now {
        return Err(AppError::field("from", "该时段已开始，请选择之后的时段"));
    }
    codes::verify(state, checked.phone.as_str(), PURPOSE, &input.code).await?;
    let phone_idx = state.pii.blind_index(checked.phone.as_str());
    let person_idx = checked
        .id_number
        .as_ref()
        .map(|v| state.pii.blind_index(v.as_str()))
        .unwrap_or_else(|| phone_idx.clone());

    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    if let Some(until) = banned_until(&txn, &person_idx, &settings).await? {
        return Err(conflict(format!(
            "您近 {} 天内有 {} 次预约未到，{} 前暂停预约，可现场取号办理",
            settings.appointment_ban_days, settings.appointment_no_show_limit, until
        )));
    }
    if let Some(held) = appointment::Entity::find()
        .filter(appointment::Column::PersonIdx.eq(&person_idx))
        .filter(appointment::Column::LineId.eq(&l.id))
        .filter(appointment::Column::Day.eq(&day))
        .filter(appointment::Column::Status.eq(status::BOOKED))
        .one(&txn)
        .await
        .db_err()?
    {
        return Err(conflict(format!(
            "您已预约 {} “{}” {}—{}，同一业务同一天只能预约一次",
            day,
            l.name,
            clock(held.slot_from),
            clock(held.slot_to)
        )));
    }
    if taken(&txn, &l.id, &day, from).await? >= l.slot_quota {
        return Err(conflict(format!(
            "{} {}—{} 已约满，请选择其他时段",
            day,
            clock(from),
            clock(to)
        )));
    }
    let code = loop {
        let candidate = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
        let used = appointment::Entity::find()
            .filter(appointment::Column::HallId.eq(hall_id))
            .filter(appointment::Column::Day.eq(&day))
            .filter(appointment::Column::Code.eq(state.pii.blind_index(&candidate)))
            .count(&txn)
            .await
            .db_err()?;
        if used == 0 {
            break candidate;
        }
    };
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let now_utc = Utc::now();
    let a = appointment::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        line_id: Set(l.id.clone()),
        day: Set(day.clone()),
        slot_from: Set(from),
        slot_to: Set(to),
        code: Set(state.pii.blind_index(&code)),
        code_enc: Set(Some(state.pii.encrypt(&code))),
        token_hash: Set(sm3_hex(token.as_bytes())),
        phone_enc: Set(state.pii.encrypt(checked.phone.as_str())),
        phone_idx: Set(phone_idx),
        id_enc: Set(checked
            .id_number
            .as_ref()
            .map(|v| state.pii.encrypt(v.as_str()))),
        person_idx: Set(person_idx),
        status: Set(status::BOOKED.into()),
        ticket_id: Set(None),
        created_at: Set(now_utc),
        updated_at: Set(now_utc),
    }
    .insert(&txn)
    .await
    .db_err()?;
    codes::consume(&txn, state, checked.phone.as_str(), PURPOSE).await?;
    crate::notices::to_phone(
        &txn,
        state,
        hall_id,
        checked.phone.as_str(),
        "appointment.booked",
        serde_json::json!({"line": l.name, "day": day, "from": clock(from), "to": clock(to), "code": code}),
        format!(
            "您已预约 {day} {}—{} “{}”，签到码 {code}。请在预约时段前后 {} 分钟内到大厅取号机签到，迟到将按普通号排队。",
            clock(from),
            clock(to),
            l.name,
            settings.policy.appointment_tolerance
        ),
        format!("appt-booked:{}", a.id),
        Some(&code),
    )
    .await?;
    let ev = crate::events::APPOINTMENT_BOOKED.event(
        Some(hall_id),
        &crate::events::AppointmentBooked {
            appointment_id: a.id.clone(),
            line_id: l.id.clone(),
            day: day.to_string(),
            from: clock(from),
            to: clock(to),
        },
    );
    let citizen = Actor {
        id: None,
        name: "预约人".into(),
    };
    let dto = to_dto(state, a, &l.name, true);
    commit_with(state, txn, &citizen, vec![ev]).await?;
    Ok(Booked {
        appointment: dto,
        token,
    })
}

async fn by_token(state: &AppState, id: &str, token: &str) -> AppResult<appointment::Model> {
    appointment::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .filter(|a| a.token_hash == sm3_hex(token.as_bytes()))
        .ok_or_else(|| AppError::not_found("预约"))
}

async fn line_name(state: &AppState, line_id: &str) -> AppResult<String> {
    Ok(line::Entity::find_by_id(line_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .map(|l| l.name)
        .unwrap_or_default())
}

/// The holder's view of a booking.
pub async fn get(state: &AppState, id: &str, token: &str) -> AppResult<AppointmentDto> {
    let a = by_token(state, id, token).await?;
    let name = line_name(state, &a.line_id).await?;
    Ok(to_dto(state, a, &name, true))
}

/// The holder cancels before the slot starts.
pub async fn cancel(state: &AppState, id: &str, token: &str) -> AppResult<AppointmentDto> {
    let a = by_token(state, id, token).await?;
    let name = line_name(state, &a.line_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, &a.hall_id).await.db_err()?;
    let a = appointment::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("预约"))?;
    let (today, now) = local_day(Utc::now());
    if a.status != status::BOOKED || a.day < today || (a.day == today && now >= a.slot_from) {
        return Err(conflict(
            "该预约已签到、已取消或时段已开始，不能取消".into(),
        ));
    }
    let phone = state.pii.decrypt(&a.phone_enc).unwrap_or_default();
    let mut row: appointment::ActiveModel = a.into();
    row.status = Set(status::CANCELLED.into());
    row.updated_at = Set(Utc::now());
    let a = row.update(&txn).await.db_err()?;
    crate::notices::to_phone(
        &txn,
        state,
        &a.hall_id,
        &phone,
        "appointment.cancelled",
        serde_json::json!({"line": name, "day": a.day, "from": clock(a.slot_from)}),
        format!(
            "您预约的 {} {} “{}”已取消。",
            a.day,
            clock(a.slot_from),
            name
        ),
        format!("appt-cancelled:{}", a.id),
        None,
    )
    .await?;
    let ev = crate::events::APPOINTMENT_CANCELLED.event(
        Some(&a.hall_id),
        &crate::events::AppointmentCancelled {
            appointment_id: a.id.clone(),
            line_id: a.line_id.clone(),
            day: a.day.clone(),
            from: clock(a.slot_from),
        },
    );
    let citizen = Actor {
        id: None,
        name: "预约人".into(),
    };
    let dto = to_dto(state, a, &name, true);
    commit_with(state, txn, &citizen, vec![ev]).await?;
    Ok(dto)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CheckInInput {
    /// 签到码 (six digits) …
    #[serde(default)]
    pub code: Option<String>,
    /// … or the ID number read by the card reader …
    #[serde(default)]
    pub id_number: Option<String>,
    /// … or the phone number booked with.
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckedIn {
    #[serde(flatten)]
    pub issued: Issued,
    pub appointment: AppointmentDto,
    /// Arrived after the slot and its tolerance: queued as an ordinary ticket.
    pub late: bool,
}

/// Checks a booking in at the kiosk and issues its ticket.
pub async fn check_in(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &CheckInInput,
) -> AppResult<CheckedIn> {
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_uppercase)
    };
    let (code, id_number, phone) = (
        clean(&input.code),
        clean(&input.id_number),
        clean(&input.phone),
    );
    let (today, now) = local_day(Utc::now());
    let mut find = appointment::Entity::find()
        .filter(appointment::Column::HallId.eq(hall_id))
        .filter(appointment::Column::Day.eq(&today))
        .filter(appointment::Column::Status.eq(status::BOOKED));
    find = if let Some(c) = &code {
        find.filter(appointment::Column::Code.eq(state.pii.blind_index(c)))
    } else if let Some(id) = &id_number {
        find.filter(appointment::Column::PersonIdx.eq(state.pii.blind_index(id)))
    } else if let Some(p) = &phone {
        find.filter(appointment::Column::PhoneIdx.eq(state.pii.blind_index(p)))
    } else {
        return Err(AppError::field(
            "code",
            "请输入签到码，或刷身份证、输入预约手机号",
        ));
    };
    let settings = crate::settings::load(&state.db, hall_id).await?;
    let tolerance = settings.policy.appointment_tolerance;
    // Of several bookings today, the one whose slot is nearest.
    let booked = find
        .order_by_asc(appointment::Column::SlotFrom)
        .all(&state.db)
        .await
        .db_err()?;
    let Some(a) = booked
        .iter()
        .find(|a| now < a.slot_to + tolerance)
        .or(booked.last())
        .cloned()
    else {
        return Err(AppError::NotFound(
            "没有找到今天待签到的预约，请核对签到码或到咨询台咨询".into(),
        ));
    };
    if now < a.slot_from - tolerance {
        return Err(conflict(format!(
            "您预约的是 {}—{}，请于 {} 后签到",
            clock(a.slot_from),
            clock(a.slot_to),
            clock(a.slot_from - tolerance)
        )));
    }
    let late = now >= a.slot_to + tolerance;
    let issue = IssueInput {
        line: a.line_id.clone(),
        channel: "appointment".into(),
        id_number: a.id_enc.as_deref().and_then(|e| state.pii.decrypt(e).ok()),
        phone: state.pii.decrypt(&a.phone_enc).ok(),
        ..Default::default()
    };
    let issued = tickets::issue_for_appointment(state, actor, hall_id, &issue, &a, !late).await?;
    let name = line_name(state, &a.line_id).await?;
    let mut dto = to_dto(state, a, &name, false);
    dto.status = status::CHECKED_IN.into();
    dto.ticket_id = Some(issued.ticket.id.clone());
    Ok(CheckedIn {
        issued,
        appointment: dto,
        late,
    })
}

/// A day's bookings of the hall (for the reception desk and the admin).
pub async fn list(state: &AppState, hall_id: &str, day: &str) -> AppResult<Vec<AppointmentDto>> {
    let rows = appointment::Entity::find()
        .filter(appointment::Column::HallId.eq(hall_id))
        .filter(appointment::Column::Day.eq(day))
        .order_by_asc(appointment::Column::SlotFrom)
        .order_by_asc(appointment::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut names = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        if !names.contains_key(&a.line_id) {
            names.insert(a.line_id.clone(), line_name(state, &a.line_id).await?);
        }
        let name = names[&a.line_id].clone();
        out.push(to_dto(state, a, &name, false));
    }
    Ok(out)
}

/// Marks the hall's bookings whose slot is over without a check-in as 爽约,
/// one event for them all; returns how many.
pub async fn mark_no_shows<C: ConnectionTrait>(
    txn: &C,
    hall_id: &str,
    tolerance: i32,
) -> AppResult<Vec<String>> {
    let (today, now) = local_day(Utc::now());
    let missed_ids: Vec<String> = appointment::Entity::find()
        .filter(appointment::Column::HallId.eq(hall_id))
        .filter(appointment::Column::Status.eq(status::BOOKED))
        .filter(appointment::Column::Day.lte(&today))
        .all(txn)
        .await
        .db_err()?
        .into_iter()
        .filter(|a| missed(a, &today, now, tolerance))
        .map(|a| a.id)
        .collect();
    if !missed_ids.is_empty() {
        appointment::Entity::update_many()
            .col_expr(
                appointment::Column::Status,
                sea_orm::sea_query::Expr::value(status::NO_SHOW),
            )
            .col_expr(
                appointment::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(appointment::Column::Id.is_in(missed_ids.clone()))
            .exec(txn)
            .await
            .db_err()?;
    }
    Ok(missed_ids)
}

/// Reminds holders of today's bookings an hour before their slot (once each).
pub async fn remind_due(state: &AppState) -> AppResult<usize> {
    let (today, now) = local_day(Utc::now());
    let due: Vec<appointment::Model> = appointment::Entity::find()
        .filter(appointment::Column::Day.eq(&today))
        .filter(appointment::Column::Status.eq(status::BOOKED))
        .filter(appointment::Column::SlotFrom.gt(now))
        .filter(appointment::Column::SlotFrom.lte(now + 60))
        .all(&state.db)
        .await
        .db_err()?;
    let mut sent = 0;
    for a in due {
        let name = line_name(state, &a.line_id).await?;
        let Ok(phone) = state.pii.decrypt(&a.phone_enc) else {
            continue;
        };
        let code = a
            .code_enc
            .as_deref()
            .and_then(|e| state.pii.decrypt(e).ok())
            .unwrap_or_default();
        crate::notices::to_phone(
            &state.db,
            state,
            &a.hall_id,
            &phone,
            "appointment.reminder",
            serde_json::json!({"line": name, "from": clock(a.slot_from), "code": code}),
            format!(
                "提醒：您今天 {}—{} 预约了“{}”，签到码 {code}，请按时到大厅取号机签到。",
                clock(a.slot_from),
                clock(a.slot_to),
                name,
            ),
            format!("appt-remind:{}", a.id),
            Some(&code),
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(opens: &str, closes: &str, len: i32) -> line::Model {
        line::Model {
            id: "l".into(),
            hall_id: "h".into(),
            prefix: "A".into(),
            name: "综合受理".into(),
            opens_at: opens.into(),
            closes_at: closes.into(),
            daily_cap: 0,
            active: true,
            sort_order: 0,
            slot_minutes: len,
            slot_quota: 5,
            matters: "[]".into(),
            aging_minutes: None,
        }
    }

    #[test]
    fn slots_fill_the_opening_hours_without_overrunning() {
        let s = slots(&line("09:00", "10:45", 30));
        assert_eq!(s, vec![(540, 570), (570, 600), (600, 630)]);
        assert_eq!(slots(&line("09:00", "09:20", 30)), vec![]);
    }

    #[test]
    fn a_booking_is_missed_only_after_its_slot_and_tolerance() {
        let a = appointment::Model {
            id: "a".into(),
            hall_id: "h".into(),
            line_id: "l".into(),
            day: "2026-11-27".into(),
            slot_from: 540,
            slot_to: 570,
            code: String::new(),
            code_enc: None,
            token_hash: String::new(),
            phone_enc: String::new(),
            phone_idx: String::new(),
            id_enc: None,
            person_idx: String::new(),
            status: status::BOOKED.into(),
            ticket_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        assert!(!missed(&a, "2026-11-27", 584, 15));
        assert!(missed(&a, "2026-11-27", 585, 15));
        assert!(missed(&a, "2026-11-28", 0, 15));
        let done = appointment::Model {
            status: status::CHECKED_IN.into(),
            ..a
        };
        assert!(!missed(&done, "2026-11-28", 0, 15));
    }
}
