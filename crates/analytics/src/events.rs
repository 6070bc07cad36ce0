//! The analytics' own events.

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The facts were thrown away and projected again from the whole log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FactsRebuilt {
    /// Events applied.
    pub events: usize,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

pub const FACTS_REBUILT: EventType<FactsRebuilt> =
    EventType::new("analytics.facts.rebuilt", "重建统计数据");

pub static EVENTS: &[EventDef] = &[FACTS_REBUILT.def()];
