//! Refused requests without an account (401), recorded one row per address
//! and minute: the first refusal is written as it happens, the rest of that
//! minute are counted and written as one summary row when the minute is over.
//! A scanner or a kiosk stuck in a retry loop cannot flood the log (or the
//! disk), and the log still says who tried what, from where, and how often.
//! Refusals of signed-in users are always written one by one.

use super::AuditEntry;
use crate::AppState;
use std::{collections::HashMap, sync::Mutex, time::Duration};

/// Addresses counted at once; past this, new addresses share one bucket
/// (a flood from many addresses still costs one row per minute more).
const MAX_ADDRESSES: usize = 10_000;
const OTHER_ADDRESSES: &str = "（其他地址）";

struct Minute {
    minute: i64,
    further: u64,
    last_action: String,
}

#[derive(Default)]
pub struct AnonymousRefusals {
    by_address: Mutex<HashMap<String, Minute>>,
}

fn summary(address: &str, m: &Minute) -> AuditEntry {
    let at = chrono::DateTime::from_timestamp(m.minute * 60, 0)
        .unwrap_or_default()
        .with_timezone(&govhall_kernel::time::HALL_TZ)
        .format("%Y-%m-%d %H:%M");
    AuditEntry {
        actor_id: None,
        actor_name: "（未登录）".into(),
        actor_roles: String::new(),
        action: "未登录请求被拒绝（汇总）".into(),
        target: format!(
            "{at} 这一分钟内另有 {} 次，最后一次：{}",
            m.further, m.last_action
        ),
        ip: (address != OTHER_ADDRESSES).then(|| address.to_string()),
        status: 401,
    }
}

impl AnonymousRefusals {
    /// Counts a refusal from `address` in `minute`; whether it is the first
    /// of that minute (to be written now), and the summaries of minutes
    /// that are over (to be written too).
    pub fn count(&self, address: &str, minute: i64, action: &str) -> (bool, Vec<AuditEntry>) {
        let mut map = self.by_address.lock().expect("refusals");
        let over = drain_before(&mut map, minute);
        let key = if map.contains_key(address) || map.len() < MAX_ADDRESSES {
            address
        } else {
            OTHER_ADDRESSES
        };
        match map.get_mut(key) {
            Some(m) => {
                m.further += 1;
                m.last_action = action.to_string();
                (false, over)
            }
            None => {
                map.insert(
                    key.to_string(),
                    Minute {
                        minute,
                        further: 0,
                        last_action: action.to_string(),
                    },
                );
                (true, over)
            }
        }
    }

    /// The summaries of minutes before `minute`, taken out.
    pub fn finished(&self, minute: i64) -> Vec<AuditEntry> {
        drain_before(&mut self.by_address.lock().expect("refusals"), minute)
    }
}

fn drain_before(map: &mut HashMap<String, Minute>, minute: i64) -> Vec<AuditEntry> {
    let done: Vec<String> = map
        .iter()
        .filter(|(_, m)| m.minute < minute)
        .map(|(a, _)| a.clone())
        .collect();
    done.into_iter()
        .filter_map(|a| {
            let m = map.remove(&a)?;
            (m.further > 0).then(|| summary(&a, &m))
        })
        .collect()
}

pub fn current_minute() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(60)
}

/// Writes the summaries of finished minutes every few seconds, until shutdown.
pub fn spawn_flusher(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = state.shutdown.cancelled() => break,
            }
            for e in state.anonymous_refusals.finished(current_minute()) {
                if let Err(err) = super::append(&state, e).await {
                    tracing::error!(error = %err, "could not write the audit log");
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_address_and_minute_with_a_count() {
        let r = AnonymousRefusals::default();
        assert!(r.count("10.0.0.1", 100, "GET /a").0);
        for _ in 0..999 {
            assert!(!r.count("10.0.0.1", 100, "GET /b").0);
        }
        assert!(r.count("10.0.0.2", 100, "GET /a").0);
        assert!(r.finished(100).is_empty(), "the minute is not over");
        let (first, over) = r.count("10.0.0.1", 101, "GET /c");
        assert!(first);
        assert_eq!(over.len(), 1, "10.0.0.2 had no further refusals");
        assert_eq!(over[0].ip.as_deref(), Some("10.0.0.1"));
        assert!(over[0].target.contains("另有 999 次"), "{}", over[0].target);
        assert!(over[0].target.contains("GET /b"));
        assert!(r.finished(102).is_empty());
    }
}
