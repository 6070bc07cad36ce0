//! The queue's events: what happens to a ticket and to the hall's day. Hall
//! screens, kiosks, webhooks and the analytics read these payloads; they never
//! carry the holder's ID number or phone.

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A ticket was taken (kiosk, phone, window or an appointment's check-in).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketIssued {
    pub ticket_id: String,
    pub number: String,
    pub line_id: String,
    /// normal / green / appointment
    pub class: String,
    pub green_reason: Option<String>,
    /// kiosk / remote / window / wechat …
    pub channel: String,
    /// People ahead when it was taken.
    pub ahead: u64,
    /// Minutes quoted to the holder.
    pub quoted_wait: Option<i32>,
    pub appointment_id: Option<String>,
}

/// A window called a ticket (叫号).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketCalled {
    pub ticket_id: String,
    pub number: String,
    pub line_id: String,
    pub window_id: String,
    /// Why the calling policy chose it (green channel, appointment, the line's turn …).
    pub reason: String,
}

/// A window acted on the ticket it called: recalled, started, finished, did
/// not come, set aside, resumed or transferred it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketAtWindow {
    pub ticket_id: String,
    pub number: String,
    pub window_id: String,
    /// Times announced so far (0 once it is back in a line).
    pub called_count: i32,
    /// 过号: it went back in line to be called again (else it is voided).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requeued: Option<bool>,
    /// 转号: the line it left and the one it joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_line: Option<String>,
    /// 转号 to the front of the line (keeping its original time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front: Option<bool>,
    /// 转号 to one window only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_window: Option<String>,
}

/// The holder cancelled a waiting ticket.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketCancelled {
    pub ticket_id: String,
    pub number: String,
    /// Who cancelled: `holder`.
    pub by: String,
}

/// The hall's day was closed: tickets still open voided, missed appointments
/// marked, personal data past its keeping time erased.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DayClosed {
    pub day: String,
    pub voided: usize,
    pub ticket_ids: Vec<String>,
    pub numbers: Vec<String>,
    pub missed_appointments: Vec<String>,
    pub personal_data_erased: crate::retention::Erased,
}

/// The holder turned on WeChat reminders for a ticket (the openid is not in it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketWechatBound {
    pub ticket_id: String,
    pub number: String,
}

/// A slot was booked (预约).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentBooked {
    pub appointment_id: String,
    pub line_id: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub from: String,
    pub to: String,
}

/// A booking was cancelled by its holder.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentCancelled {
    pub appointment_id: String,
    pub line_id: String,
    pub day: String,
    pub from: String,
}

/// A line removed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineRemoved {
    pub id: String,
    pub prefix: String,
    pub name: String,
}

/// A window's skills replaced (empty: it serves every line).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkillsSet {
    pub window_id: String,
    pub skills: Vec<crate::lines::SkillInput>,
}

/// The calling policy and queue settings changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SettingsChanged {
    pub before: crate::settings::QueueSettings,
    pub after: crate::settings::QueueSettings,
}

/// The hall's own voice pack uploaded (clips and total size).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VoicePackUploaded {
    pub clips: usize,
    pub bytes: usize,
}

/// An event that needs no more than its type, hall and actor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Nothing {}

/// A 帮办代办 entry recorded or brought up to date (no citizen name or phone).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssistEvent {
    pub assist_id: String,
    /// `help` 帮办 / `proxy` 代办.
    pub kind: String,
    pub item_code: Option<String>,
    pub item_name: String,
    /// `in_progress` / `accepted` / `done` / `referred` / `failed`.
    pub result: String,
}

pub const ASSIST_RECORDED: EventType<AssistEvent> =
    EventType::new("queue.assist.recorded", "登记帮办代办");
pub const ASSIST_UPDATED: EventType<AssistEvent> =
    EventType::new("queue.assist.updated", "更新帮办代办结果");
pub const TICKET_ISSUED: EventType<TicketIssued> = EventType::new("queue.ticket.issued", "取号");
pub const TICKET_CALLED: EventType<TicketCalled> = EventType::new("queue.ticket.called", "叫号");
pub const TICKET_RECALLED: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.recalled", "重呼");
pub const TICKET_STARTED: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.started", "开始办理");
pub const TICKET_FINISHED: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.finished", "办结");
pub const TICKET_NO_SHOW: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.no_show", "过号");
pub const TICKET_PARKED: EventType<TicketAtWindow> = EventType::new("queue.ticket.parked", "挂起");
pub const TICKET_RESUMED: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.resumed", "回呼");
pub const TICKET_TRANSFERRED: EventType<TicketAtWindow> =
    EventType::new("queue.ticket.transferred", "转号");
pub const TICKET_CANCELLED: EventType<TicketCancelled> =
    EventType::new("queue.ticket.cancelled", "取消排队");
pub const DAY_CLOSED: EventType<DayClosed> = EventType::new("queue.day.closed", "日终结算");
pub const TICKET_WECHAT_BOUND: EventType<TicketWechatBound> =
    EventType::new("queue.ticket.wechat_bound", "开启微信提醒");
pub const APPOINTMENT_BOOKED: EventType<AppointmentBooked> =
    EventType::new("queue.appointment.booked", "预约");
pub const APPOINTMENT_CANCELLED: EventType<AppointmentCancelled> =
    EventType::new("queue.appointment.cancelled", "取消预约");
pub const LINE_CREATED: EventType<crate::lines::LineDto> =
    EventType::new("queue.line.created", "新增业务队列");
pub const LINE_UPDATED: EventType<crate::lines::LineDto> =
    EventType::new("queue.line.updated", "修改业务队列");
pub const LINE_DELETED: EventType<LineRemoved> =
    EventType::new("queue.line.deleted", "删除业务队列");
pub const WINDOW_SKILLS_SET: EventType<SkillsSet> =
    EventType::new("queue.window.skills_set", "设置窗口技能");
pub const SETTINGS_UPDATED: EventType<SettingsChanged> =
    EventType::new("queue.settings.updated", "修改叫号策略");
pub const VOICE_PACK_UPLOADED: EventType<VoicePackUploaded> =
    EventType::new("queue.voice_pack.uploaded", "上传语音包");
pub const VOICE_PACK_REMOVED: EventType<Nothing> =
    EventType::new("queue.voice_pack.removed", "删除语音包");

/// The queue's typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    ASSIST_RECORDED.def(),
    ASSIST_UPDATED.def(),
    TICKET_ISSUED.def(),
    TICKET_CALLED.def(),
    TICKET_RECALLED.def(),
    TICKET_STARTED.def(),
    TICKET_FINISHED.def(),
    TICKET_NO_SHOW.def(),
    TICKET_PARKED.def(),
    TICKET_RESUMED.def(),
    TICKET_TRANSFERRED.def(),
    TICKET_CANCELLED.def(),
    DAY_CLOSED.def(),
    TICKET_WECHAT_BOUND.def(),
    APPOINTMENT_BOOKED.def(),
    APPOINTMENT_CANCELLED.def(),
    LINE_CREATED.def(),
    LINE_UPDATED.def(),
    LINE_DELETED.def(),
    WINDOW_SKILLS_SET.def(),
    SETTINGS_UPDATED.def(),
    VOICE_PACK_UPLOADED.def(),
    VOICE_PACK_REMOVED.def(),
];
