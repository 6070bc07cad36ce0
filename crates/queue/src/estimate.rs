//! Estimated wait: per line, minutes per person ahead = mean service time ÷
//! windows serving the line, with the service time taken from today's recent
//! services (else the same hour on the last 28 days, else the hall default),
//! corrected by how recent quotes compared with the waits that followed.
//! Re-estimated at most once a minute per line, so issuing stays cheap.

use crate::entity::{skill, ticket};
use crate::tickets::{local_day, status};
use chrono::{Duration, Timelike, Utc};
use govhall_kernel::error::AppResult;
use govhall_kernel::time::local;
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration as StdDuration, Instant},
};
use utoipa::ToSchema;

const FRESH_FOR: StdDuration = StdDuration::from_secs(60);
const RECENT: u64 = 20;

/// How fast a line moves right now.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct LineRate {
    /// Mean minutes from call to finish.
    pub service_minutes: f64,
    /// Windows that serve the line and are not closed.
    pub windows: u32,
    /// Actual ÷ quoted over recent calls (1 when unknown), clamped to 0.7–2.
    pub correction: f64,
}

impl LineRate {
    /// Minutes to quote for someone with `ahead` people before them: rounded up
    /// to five minutes, so the quote errs on the pessimistic side.
    pub fn quote(&self, ahead: u64) -> i32 {
        let per_person = self.service_minutes / f64::from(self.windows.max(1)) * self.correction;
        let minutes = (ahead as f64 + 0.5) * per_person;
        ((minutes / 5.0).ceil() * 5.0) as i32
    }
}

/// The per-line cache (registered on `AppState` as an extension).
#[derive(Default)]
pub struct Estimator {
    cache: Mutex<HashMap<String, (Instant, LineRate)>>,
    /// Lines being re-estimated beside the requests.
    refreshing: Mutex<HashSet<String>>,
}

impl Estimator {
    pub fn of(state: &AppState) -> Arc<Estimator> {
        state
            .extension::<Arc<Estimator>>()
            .expect("queue estimator registered at start-up")
    }

    /// The line's rate. A stale one is answered at once and re-estimated by a
    /// task of its own: the estimate reads the day's tickets, and the queue
    /// engine, which asks for it inside a batch, must not wait for that.
    pub async fn rate(
        self: &Arc<Self>,
        state: &AppState,
        line_id: &str,
        default_minutes: u32,
    ) -> AppResult<LineRate> {
        let cached = self
            .cache
            .lock()
            .expect("estimator lock")
            .get(line_id)
            .copied();
        match cached {
            Some((at, rate)) if at.elapsed() < FRESH_FOR => Ok(rate),
            Some((_, rate)) => {
                let first = self
                    .refreshing
                    .lock()
                    .expect("estimator lock")
                    .insert(line_id.to_string());
                if first {
                    let (me, state, line) = (self.clone(), state.clone(), line_id.to_string());
                    tokio::spawn(async move {
                        match compute(&state, &line, default_minutes).await {
                            Ok(rate) => me.store(&line, rate),
                            Err(e) => tracing::warn!(error = %e, "等候时间估算失败"),
                        }
                        me.refreshing.lock().expect("estimator lock").remove(&line);
                    });
                }
                Ok(rate)
            }
            None => {
                let rate = compute(state, line_id, default_minutes).await?;
                self.store(line_id, rate);
                Ok(rate)
            }
        }
    }

    fn store(&self, line_id: &str, rate: LineRate) {
        self.cache
            .lock()
            .expect("estimator lock")
            .insert(line_id.to_string(), (Instant::now(), rate));
    }
}

fn minutes(from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 60.0
}

async fn compute(state: &AppState, line_id: &str, default_minutes: u32) -> AppResult<LineRate> {
    let now = Utc::now();
    let (today, _) = local_day(now);
    let served = |t: &ticket::Model| match (t.called_at, t.finished_at) {
        (Some(c), Some(f)) => Some(minutes(c, f)),
        _ => None,
    };
    let recent: Vec<f64> = ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(line_id))
        .filter(ticket::Column::Day.eq(&today))
        .filter(ticket::Column::Status.eq(status::COMPLETED))
        .order_by_desc(ticket::Column::FinishedAt)
        .limit(RECENT)
        .all(&state.read)
        .await
        .db_err()?
        .iter()
        .filter_map(served)
        .collect();
    let samples = if recent.len() >= 3 {
        recent
    } else {
        // The same hour of day over the last four weeks.
        let hour = local(now).hour();
        let (since, _) = local_day(now - Duration::days(28));
        ticket::Entity::find()
            .filter(ticket::Column::LineId.eq(line_id))
            .filter(ticket::Column::Day.gte(since))
            .filter(ticket::Column::Day.lt(&today))
            .filter(ticket::Column::Status.eq(status::COMPLETED))
            .order_by_desc(ticket::Column::FinishedAt)
            .limit(500)
            .all(&state.read)
            .await
            .db_err()?
            .iter()
            .filter(|t| t.called_at.is_some_and(|c| local(c).hour() == hour))
            .filter_map(served)
            .collect()
    };
    let service_minutes = if samples.len() >= 3 {
        samples.iter().sum::<f64>() / samples.len() as f64
    } else {
        f64::from(default_minutes)
    };
    let window_ids: Vec<String> = skill::Entity::find()
        .filter(skill::Column::LineId.eq(line_id))
        .all(&state.read)
        .await
        .db_err()?
        .into_iter()
        .map(|s| s.window_id)
        .collect();
    let windows = if window_ids.is_empty() {
        // No skills configured: every window of the hall may call the line.
        1
    } else {
        govhall_directory::service::windows_by_ids(&state.read, &window_ids)
            .await?
            .iter()
            .filter(|w| w.status != "closed")
            .count() as u32
    };
    let quoted: Vec<(f64, f64)> = ticket::Entity::find()
        .filter(ticket::Column::LineId.eq(line_id))
        .filter(ticket::Column::Day.eq(&today))
        .filter(ticket::Column::CalledAt.is_not_null())
        .filter(ticket::Column::QuotedWait.gt(0))
        .order_by_desc(ticket::Column::CalledAt)
        .limit(RECENT)
        .all(&state.read)
        .await
        .db_err()?
        .iter()
        .filter_map(|t| {
            let actual = minutes(t.issued_at, t.called_at?);
            Some((actual, f64::from(t.quoted_wait?)))
        })
        .collect();
    let correction = if quoted.len() >= 5 {
        let (a, q) = quoted
            .iter()
            .fold((0.0, 0.0), |(a, q), (x, y)| (a + x, q + y));
        (a / q).clamp(0.7, 2.0)
    } else {
        1.0
    };
    Ok(LineRate {
        service_minutes,
        windows: windows.max(1),
        correction,
    })
}

/// How well the quotes matched the waits that followed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Accuracy {
    /// First service day included.
    pub since: String,
    /// Called tickets that had a quote.
    pub tickets: usize,
    pub mean_quoted_minutes: f64,
    pub mean_actual_minutes: f64,
    /// Mean |actual − quoted|.
    pub mean_abs_error_minutes: f64,
    /// Share of tickets called no later than quoted.
    pub on_or_before_quote: f64,
    /// Share within ±10 minutes of the quote.
    pub within_10_minutes: f64,
}

/// Quoted against actual waits over the last `days` days (actual = issue to first call).
pub async fn accuracy(state: &AppState, hall_id: &str, days: i64) -> AppResult<Accuracy> {
    let (since, _) = local_day(Utc::now() - Duration::days(days.max(1) - 1));
    let pairs: Vec<(f64, f64)> = ticket::Entity::find()
        .filter(ticket::Column::HallId.eq(hall_id))
        .filter(ticket::Column::Day.gte(&since))
        .filter(ticket::Column::CalledAt.is_not_null())
        .filter(ticket::Column::QuotedWait.is_not_null())
        .all(&state.read)
        .await
        .db_err()?
        .iter()
        .filter_map(|t| {
            Some((
                f64::from(t.quoted_wait?),
                minutes(t.issued_at, t.called_at?),
            ))
        })
        .collect();
    let n = pairs.len();
    let mean = |f: &dyn Fn(&(f64, f64)) -> f64| {
        if n == 0 {
            0.0
        } else {
            pairs.iter().map(f).sum::<f64>() / n as f64
        }
    };
    let share = |f: &dyn Fn(&(f64, f64)) -> bool| {
        if n == 0 {
            0.0
        } else {
            pairs.iter().filter(|p| f(p)).count() as f64 / n as f64
        }
    };
    Ok(Accuracy {
        since,
        tickets: n,
        mean_quoted_minutes: mean(&|p| p.0),
        mean_actual_minutes: mean(&|p| p.1),
        mean_abs_error_minutes: mean(&|p| (p.1 - p.0).abs()),
        on_or_before_quote: share(&|p| p.1 <= p.0),
        within_10_minutes: share(&|p| (p.1 - p.0).abs() <= 10.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_round_up_to_five_minutes_and_scale_with_windows() {
        let r = LineRate {
            service_minutes: 8.0,
            windows: 2,
            correction: 1.0,
        };
        assert_eq!(r.quote(0), 5);
        assert_eq!(r.quote(3), 15); // 3.5 × 4 = 14 → 15
        assert_eq!(r.quote(10), 45); // 10.5 × 4 = 42 → 45
        let slow = LineRate {
            correction: 1.5,
            ..r
        };
        assert!(slow.quote(10) > r.quote(10));
        let one = LineRate { windows: 1, ..r };
        assert!(one.quote(10) > r.quote(10));
    }
}
