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

/// A 成效报告 was published (its figures and text are frozen from now on).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportPublished {
    pub report_id: String,
    /// `2026-11` or `2026-Q4`.
    pub period: String,
    pub title: String,
}

pub const REPORT_PUBLISHED: EventType<ReportPublished> =
    EventType::new("analytics.report.published", "发布成效报告");

pub static EVENTS: &[EventDef] = &[FACTS_REBUILT.def(), REPORT_PUBLISHED.def()];
