//! The ratings' events. Their names keep the `queue.` prefix they were
//! published under before 好差评 had its own module: stored events and
//! webhook subscriptions refer to them.

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 好差评: a visit (一次一评) or a case (一事一评) was rated, 1 (非常不满意) to 5 (非常满意).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RatingRecorded {
    pub rating_id: String,
    /// visit / case
    pub subject: String,
    pub ticket_id: Option<String>,
    pub case_id: Option<String>,
    /// 号票号 or 办件编号.
    pub number: String,
    pub window_id: Option<String>,
    /// The clerk who served (工号 is in the directory).
    pub staff_id: Option<String>,
    pub overall: i32,
    pub efficiency: i32,
    pub skill: i32,
    pub attitude: i32,
    /// pad / phone
    pub channel: String,
}

/// A 差评 opened a rectification ticket, due on `due_day`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectificationOpened {
    pub rectification_id: String,
    pub rating_id: String,
    pub due_day: String,
}

/// A rectification ticket moved one step (核实, 整改, 反馈, 回访, 结案, 申诉 …).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectificationAdvanced {
    pub rectification_id: String,
    pub from: String,
    pub to: String,
}

pub const RATING_RECORDED: EventType<RatingRecorded> =
    EventType::new("queue.rating.recorded", "好差评");
pub const RECTIFICATION_OPENED: EventType<RectificationOpened> =
    EventType::new("queue.rectification.opened", "差评整改立案");
pub const RECTIFICATION_ADVANCED: EventType<RectificationAdvanced> =
    EventType::new("queue.rectification.advanced", "差评整改推进");

/// The ratings' typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    RATING_RECORDED.def(),
    RECTIFICATION_OPENED.def(),
    RECTIFICATION_ADVANCED.def(),
];
