//! 有人等候时窗口空闲: a window signed in, neither paused nor busy with a
//! ticket, while a ticket of its lines waited — for longer at a stretch
//! than the hall allows.
//!
//! Fair by construction, since a deduction may follow: the window's lines
//! are those it is authorised for now (every line, without skills) *and*
//! called tickets of that week (a rotation since then does not count against
//! it), and only waits any window of the line could have ended are counted
//! (see `facts::waits`).

use crate::findings::{EvidenceItem, Found};
use chrono::{DateTime, NaiveDate};
use govhall_analytics::facts::{self, TicketFact};
use govhall_kernel::{error::AppResult, time};
use govhall_platform::AppState;
use rangemap::RangeSet;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// Evidence names at most this many of the tickets that waited.
const MAX_TICKETS: usize = 5;

/// The stretches in which a window was signed in, neither paused nor busy,
/// while some ticket waited; touching stretches are one.
pub fn idle_while_waiting(
    signed: &[Range<i64>],
    paused: &[Range<i64>],
    busy: &[Range<i64>],
    waiting: &[Range<i64>],
) -> Vec<Range<i64>> {
    let real = |r: &&Range<i64>| r.start < r.end;
    let mut idle: RangeSet<i64> = signed.iter().filter(real).cloned().collect();
    for r in paused.iter().chain(busy).filter(real) {
        idle.remove(r.clone());
    }
    let mut out = RangeSet::new();
    for w in waiting.iter().filter(real) {
        for r in idle.overlapping(w) {
            let (a, b) = (r.start.max(w.start), r.end.min(w.end));
            if a < b {
                out.insert(a..b);
            }
        }
    }
    out.into_iter().collect()
}

fn clock(at: i64) -> String {
    time::local(DateTime::from_timestamp(at, 0).unwrap_or_default())
        .format("%H:%M")
        .to_string()
}

#[derive(Default)]
struct Day {
    signed: Vec<Range<i64>>,
    paused: Vec<Range<i64>>,
    busy: Vec<Range<i64>>,
}

/// The findings of `from..=to`: one per clerk, window and day with a
/// stretch of at least `limit_minutes`.
pub(crate) async fn find(
    state: &AppState,
    hall_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    limit_minutes: i64,
    called: &[TicketFact],
    window_label: &(dyn Fn(&str) -> String + Sync),
) -> AppResult<Vec<Found>> {
    let mut authorised: HashMap<String, HashSet<String>> = HashMap::new();
    for s in govhall_queue::lines::all_skills(state, hall_id).await? {
        authorised.entry(s.window_id).or_default().insert(s.line_id);
    }
    let mut lines_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for t in called {
        let Some(w) = t.window_id.as_deref() else {
            continue;
        };
        // A window without skills serves every line (the queue's rule).
        if authorised.get(w).is_none_or(|l| l.contains(&t.line_id)) {
            lines_of.entry(w).or_default().insert(t.line_id.as_str());
        }
    }
    let mut days: BTreeMap<(String, String, String), Day> = BTreeMap::new();
    for s in facts::window_spans(state, hall_id, from, to).await? {
        let d = days.entry((s.day, s.window_id, s.staff_id)).or_default();
        let r = s.from_at..s.to_at;
        match s.kind.as_str() {
            "signed" => d.signed.push(r),
            "paused" => d.paused.push(r),
            _ => d.busy.push(r),
        }
    }
    let mut waits: HashMap<(&str, &str), Vec<facts::Wait>> = HashMap::new();
    let all_waits = facts::waits(state, hall_id, from, to).await?;
    for w in &all_waits {
        waits
            .entry((w.day.as_str(), w.line_id.as_str()))
            .or_default()
            .push(w.clone());
    }
    let mut out = Vec::new();
    for ((day, window, staff), d) in days {
        let Some(lines) = lines_of.get(window.as_str()) else {
            continue;
        };
        let waiting: Vec<&facts::Wait> = lines
            .iter()
            .filter_map(|l| waits.get(&(day.as_str(), *l)))
            .flatten()
            .collect();
        let ranges: Vec<Range<i64>> = waiting.iter().map(|w| w.from_at..w.to_at).collect();
        let long: Vec<Range<i64>> = idle_while_waiting(&d.signed, &d.paused, &d.busy, &ranges)
            .into_iter()
            .filter(|r| r.end - r.start >= limit_minutes * 60)
            .collect();
        if long.is_empty() {
            continue;
        }
        let total = long.iter().map(|r| r.end - r.start).sum::<i64>() / 60;
        let stretches: Vec<String> = long
            .iter()
            .map(|r| {
                format!(
                    "{}—{}（{} 分钟）",
                    clock(r.start),
                    clock(r.end),
                    (r.end - r.start) / 60
                )
            })
            .collect();
        let w = window_label(&window);
        let mut evidence = vec![EvidenceItem {
            kind: "window_day".into(),
            id: format!("{window}:{day}"),
            label: format!("{day} {w}"),
        }];
        evidence.extend(
            waiting
                .iter()
                .filter(|t| long.iter().any(|r| t.from_at < r.end && r.start < t.to_at))
                .take(MAX_TICKETS)
                .map(|t| EvidenceItem {
                    kind: "ticket".into(),
                    id: t.ticket_id.clone(),
                    label: format!(
                        "{day} {} 等候 {}—{}",
                        t.number,
                        clock(t.from_at),
                        clock(t.to_at)
                    ),
                }),
        );
        out.push(Found {
            staff_id: staff.clone(),
            rule_key: "idle_waiting",
            subject: format!("{window}:{staff}:{day}"),
            day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or(from),
            title: format!("{w}有人等候时空闲 {total} 分钟"),
            detail: format!(
                "{day} {w}签到期间，本窗口可办的业务有群众等候，窗口却既未暂停也未叫号：{}，每次都达到 {limit_minutes} 分钟的限度。",
                stretches.join("、")
            ),
            evidence,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one span each, as meant
    fn a_pause_or_a_ticket_in_hand_is_not_idle() {
        // Signed in 0–100; paused 20–30; serving 50–60; tickets wait 10–70.
        let got = idle_while_waiting(&[0..100], &[20..30], &[50..60], &[10..40, 35..70]);
        assert_eq!(got, vec![10..20, 30..50, 60..70]);
        // Nobody waiting: never idle in the rule's sense.
        assert!(idle_while_waiting(&[0..100], &[], &[], &[]).is_empty());
        // A wait outside the sign-in does not count; an empty range is ignored.
        assert!(idle_while_waiting(&[0..100], &[], &[], &[100..200, 5..5]).is_empty());
    }

    fn spans() -> impl Strategy<Value = Vec<Range<i64>>> {
        prop::collection::vec((0i64..200, 0i64..40).prop_map(|(a, l)| a..a + l), 0..6)
    }

    fn inside(rs: &[Range<i64>], t: i64) -> bool {
        rs.iter().any(|r| r.contains(&t))
    }

    proptest! {
        /// A moment is reported exactly when the window was signed in, not
        /// paused, not busy, and someone waited; stretches are disjoint and
        /// ordered.
        #[test]
        fn reports_exactly_the_idle_moments_with_someone_waiting(
            signed in spans(), paused in spans(), busy in spans(), waiting in spans()
        ) {
            let got = idle_while_waiting(&signed, &paused, &busy, &waiting);
            for pair in got.windows(2) {
                prop_assert!(pair[0].end < pair[1].start, "{got:?}");
            }
            for t in 0..250 {
                let expected = inside(&signed, t)
                    && !inside(&paused, t)
                    && !inside(&busy, t)
                    && inside(&waiting, t);
                prop_assert_eq!(inside(&got, t), expected, "at {}", t);
            }
        }
    }
}
