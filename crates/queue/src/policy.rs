//! The calling policy: a pure function of the window's skills, the waiting
//! tickets, the window's counters and the clock. Rules apply in order:
//!
//! 1. an explicit action (call this ticket);
//! 2. 绿色通道 with a weighted share (e.g. 1 green : 2 others), never strict priority;
//! 3. appointments due in their slot (within a tolerance), capped to a share of calls;
//! 4. aging: a line whose head has waited longer than the threshold (the
//!    line's own, or the policy's);
//! 5. the window's primary lines, then its secondary lines, oldest first;
//! 6. a window without configured skills serves the longest-waiting head of any line.
//!
//! Times are minutes of the day; ties break on the issue sequence, so the
//! result is deterministic.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Normal,
    /// 绿色通道: elderly (≥ 70 by ID number), disabled, pregnant, military …
    Green,
    /// Booked for a slot `[from, to)` (minutes of the day).
    Appointment {
        from: i32,
        to: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub id: String,
    pub line: String,
    pub class: Class,
    /// When the ticket joined this line (minutes of the day; a transfer keeps the original time).
    pub since: i32,
    /// Issue order, the tie-break for equal times.
    pub seq: u64,
    /// The line's own aging threshold in minutes, instead of the policy's.
    pub aging_minutes: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Primary,
    Secondary,
}

/// What a window serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skills {
    pub lines: Vec<(String, Level)>,
}

impl Skills {
    fn level(&self, line: &str) -> Option<Level> {
        self.lines
            .iter()
            .find(|(l, _)| l == line)
            .map(|(_, lv)| *lv)
    }

    fn serves(&self, line: &str) -> bool {
        self.lines.is_empty() || self.level(line).is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Green tickets called per round …
    pub green_share: u32,
    /// … against this many other tickets (1 : 2 means a third of calls at most).
    pub other_share: u32,
    /// A line whose head has waited this many minutes is called next.
    pub aging_minutes: i32,
    /// Appointments are due from `from - tolerance` until `to + tolerance`; later they queue as normal tickets.
    pub appointment_tolerance: i32,
    /// At most this share (percent) of calls go to appointments while walk-ins wait.
    pub appointment_cap_percent: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            green_share: 1,
            other_share: 2,
            aging_minutes: 45,
            appointment_tolerance: 15,
            appointment_cap_percent: 60,
        }
    }
}

/// Per-window memory the weighted rules need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Non-green calls since the last green call.
    pub others_since_green: u32,
    /// Green calls since the last other call.
    pub greens_in_row: u32,
    pub calls: u32,
    pub appointment_calls: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Explicit,
    GreenChannel,
    Appointment,
    Aging,
    Primary,
    Secondary,
    LongestWaiting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub reason: Reason,
}

fn older(a: &Waiting, b: &Waiting) -> bool {
    (a.since, a.seq) < (b.since, b.seq)
}

fn oldest<'a>(it: impl Iterator<Item = &'a Waiting>) -> Option<&'a Waiting> {
    it.fold(None, |best, t| match best {
        Some(b) if !older(t, b) => Some(b),
        _ => Some(t),
    })
}

impl Policy {
    fn due(&self, t: &Waiting, now: i32) -> bool {
        matches!(t.class, Class::Appointment { from, to }
            if now >= from - self.appointment_tolerance && now < to + self.appointment_tolerance)
    }

    /// An appointment before its window may not be called yet.
    fn early(&self, t: &Waiting, now: i32) -> bool {
        matches!(t.class, Class::Appointment { from, .. } if now < from - self.appointment_tolerance)
    }
}

/// The ticket the window calls next, or `None` when nobody it serves waits.
pub fn select_next(
    skills: &Skills,
    queue: &[Waiting],
    policy: &Policy,
    counters: &Counters,
    now: i32,
    explicit: Option<&str>,
) -> Option<Choice> {
    let pick = |t: &Waiting, reason| {
        Some(Choice {
            id: t.id.clone(),
            reason,
        })
    };
    if let Some(id) = explicit {
        return queue
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| pick(t, Reason::Explicit));
    }
    let eligible: Vec<&Waiting> = queue
        .iter()
        .filter(|t| skills.serves(&t.line) && !policy.early(t, now))
        .collect();
    if eligible.is_empty() {
        return None;
    }
    let others_waiting = eligible.iter().any(|t| t.class != Class::Green);

    // 2. Green channel: runs of `green_share` green calls after `other_share`
    // others (a green may open the day), and every call when nobody else waits.
    let green_turn = if counters.greens_in_row > 0 {
        counters.greens_in_row < policy.green_share
    } else {
        counters.others_since_green >= policy.other_share || counters.calls == 0
    };
    let green = oldest(eligible.iter().copied().filter(|t| t.class == Class::Green));
    if let Some(g) = green
        && (green_turn || !others_waiting)
    {
        return pick(g, Reason::GreenChannel);
    }

    // 3. Appointments due now, within the cap while walk-ins wait.
    let walk_ins = eligible.iter().any(|t| {
        t.class == Class::Normal
            || (matches!(t.class, Class::Appointment { .. }) && !policy.due(t, now))
    });
    let under_cap =
        counters.appointment_calls * 100 < policy.appointment_cap_percent * counters.calls.max(1);
    if let Some(a) = oldest(eligible.iter().copied().filter(|t| policy.due(t, now)))
        && (under_cap || !walk_ins)
    {
        return pick(a, Reason::Appointment);
    }

    // 4. Aging: of the tickets past their line's threshold (or the policy's),
    // the one that has waited longest.
    let aged = oldest(
        eligible
            .iter()
            .copied()
            .filter(|t| now - t.since > t.aging_minutes.unwrap_or(policy.aging_minutes)),
    );
    if let Some(h) = aged {
        return pick(h, Reason::Aging);
    }
    let head = oldest(eligible.iter().copied());

    // 5. Primary lines, then secondary, oldest first.
    for (level, reason) in [
        (Level::Primary, Reason::Primary),
        (Level::Secondary, Reason::Secondary),
    ] {
        if let Some(t) = oldest(
            eligible
                .iter()
                .copied()
                .filter(|t| skills.level(&t.line) == Some(level)),
        ) {
            return pick(t, reason);
        }
    }

    // 6. No configured skills: the longest-waiting head of any line.
    head.and_then(|h| pick(h, Reason::LongestWaiting))
}

/// Updates the window's counters after it called `class` for `reason`.
pub fn record(counters: &mut Counters, class: Class, reason: Reason) {
    counters.calls += 1;
    if reason == Reason::GreenChannel || class == Class::Green {
        counters.others_since_green = 0;
        counters.greens_in_row += 1;
    } else {
        counters.others_since_green += 1;
        counters.greens_in_row = 0;
    }
    if reason == Reason::Appointment {
        counters.appointment_calls += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(id: &str, line: &str, class: Class, since: i32, seq: u64) -> Waiting {
        Waiting {
            id: id.into(),
            line: line.into(),
            class,
            since,
            seq,
            aging_minutes: None,
        }
    }

    fn skills(primary: &[&str], secondary: &[&str]) -> Skills {
        Skills {
            lines: primary
                .iter()
                .map(|l| (l.to_string(), Level::Primary))
                .chain(secondary.iter().map(|l| (l.to_string(), Level::Secondary)))
                .collect(),
        }
    }

    fn next(s: &Skills, q: &[Waiting], c: &Counters, now: i32) -> Option<Choice> {
        select_next(s, q, &Policy::default(), c, now, None)
    }

    #[test]
    fn the_rules_apply_in_order() {
        let s = skills(&["A"], &["B"]);
        let c = Counters::default();
        let mut q = vec![
            t("B1", "B", Class::Normal, 500, 1),
            t("A1", "A", Class::Normal, 510, 2),
            t("X1", "X", Class::Normal, 400, 3),
        ];
        // Primary before an older secondary; a line the window does not serve is ignored.
        assert_eq!(
            next(&s, &q, &c, 520).unwrap(),
            Choice {
                id: "A1".into(),
                reason: Reason::Primary
            }
        );
        // Aging: B's head past 45 minutes goes first.
        assert_eq!(next(&s, &q, &c, 546).unwrap().reason, Reason::Aging);
        assert_eq!(next(&s, &q, &c, 546).unwrap().id, "B1");
        // An appointment due in its slot beats both; an early one waits.
        q.push(t(
            "P1",
            "B",
            Class::Appointment { from: 540, to: 570 },
            515,
            4,
        ));
        assert_eq!(
            next(&s, &q, &c, 520).unwrap().id,
            "A1",
            "15 minutes early is not yet due"
        );
        assert_eq!(
            next(&s, &q, &c, 530).unwrap(),
            Choice {
                id: "P1".into(),
                reason: Reason::Appointment
            }
        );
        // Green channel after two other calls.
        q.push(t("G1", "B", Class::Green, 525, 5));
        let c2 = Counters {
            others_since_green: 2,
            greens_in_row: 0,
            calls: 2,
            appointment_calls: 0,
        };
        assert_eq!(
            next(&s, &q, &c2, 530).unwrap(),
            Choice {
                id: "G1".into(),
                reason: Reason::GreenChannel
            }
        );
        // Explicit wins over everything, even a line the window does not serve.
        assert_eq!(
            select_next(&s, &q, &Policy::default(), &c2, 530, Some("X1")).unwrap(),
            Choice {
                id: "X1".into(),
                reason: Reason::Explicit
            }
        );
        assert_eq!(
            select_next(&s, &q, &Policy::default(), &c2, 530, Some("nobody")),
            None
        );
        assert_eq!(next(&s, &[], &c, 530), None);
    }

    #[test]
    fn late_appointments_queue_as_walk_ins_and_the_cap_leaves_room_for_them() {
        let s = skills(&["A"], &[]);
        // Arrived after its slot and the tolerance: an ordinary ticket, first by its time.
        let late = t("P1", "A", Class::Appointment { from: 540, to: 570 }, 590, 1);
        let walk_in = t("N1", "A", Class::Normal, 592, 2);
        let q = vec![late, walk_in.clone()];
        assert_eq!(
            next(&s, &q, &Counters::default(), 595).unwrap(),
            Choice {
                id: "P1".into(),
                reason: Reason::Primary
            }
        );
        // Within the slot but over the 60 % share: the walk-in is called.
        let c = Counters {
            others_since_green: 0,
            greens_in_row: 0,
            calls: 4,
            appointment_calls: 3,
        };
        let q = vec![
            t("P2", "A", Class::Appointment { from: 540, to: 570 }, 530, 3),
            t("N2", "A", Class::Normal, 536, 4),
        ];
        assert_eq!(
            next(&s, &q, &c, 545).unwrap().id,
            "P2",
            "older anyway: FIFO"
        );
        let q = vec![
            q[1].clone(),
            t("P3", "A", Class::Appointment { from: 540, to: 570 }, 538, 5),
        ];
        assert_eq!(next(&s, &q, &c, 545).unwrap().id, "N2");
        let under = Counters { calls: 6, ..c };
        assert_eq!(
            next(&s, &q, &under, 545).unwrap().reason,
            Reason::Appointment
        );
        // With no walk-in waiting the cap does not hold it back.
        assert_eq!(
            next(&s, &q[1..], &c, 545).unwrap().reason,
            Reason::Appointment
        );
    }

    #[test]
    fn a_window_without_skills_serves_the_longest_waiting_head() {
        let q = vec![
            t("A1", "A", Class::Normal, 520, 2),
            t("B1", "B", Class::Normal, 510, 1),
        ];
        assert_eq!(
            next(&Skills::default(), &q, &Counters::default(), 530).unwrap(),
            Choice {
                id: "B1".into(),
                reason: Reason::LongestWaiting
            }
        );
    }

    /// Runs `windows` calling in turn, one call per minute each, with arrivals
    /// from `arrive(minute)`; returns (ticket, class, waited minutes) per call.
    fn simulate(
        policy: &Policy,
        windows: &[Skills],
        mut queue: Vec<Waiting>,
        minutes: i32,
        arrive: impl Fn(i32, u64) -> Vec<Waiting>,
    ) -> (Vec<(String, Class, i32)>, Vec<Waiting>) {
        let mut counters = vec![Counters::default(); windows.len()];
        let mut calls = Vec::new();
        let mut seq = 10_000;
        for minute in 0..minutes {
            for a in arrive(minute, seq) {
                seq += 1;
                queue.push(a);
            }
            for (w, s) in windows.iter().enumerate() {
                if let Some(choice) = select_next(s, &queue, policy, &counters[w], minute, None) {
                    let at = queue
                        .iter()
                        .position(|t| t.id == choice.id)
                        .expect("chosen from the queue");
                    let ticket = queue.remove(at);
                    record(&mut counters[w], ticket.class, choice.reason);
                    calls.push((ticket.id, ticket.class, minute - ticket.since));
                }
            }
        }
        (calls, queue)
    }

    fn arb_queue() -> impl Strategy<Value = Vec<Waiting>> {
        prop::collection::vec((0..3usize, 0..6u8, 0..120i32), 0..40).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (line, kind, since))| {
                    let class = match kind {
                        0 => Class::Green,
                        1 => Class::Appointment {
                            from: since + 30,
                            to: since + 60,
                        },
                        _ => Class::Normal,
                    };
                    t(
                        &format!("T{i}"),
                        ["A", "B", "C"][line],
                        class,
                        since,
                        i as u64,
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_choice_is_a_waiting_ticket_the_window_serves_and_is_deterministic(
            q in arb_queue(), now in 0..300i32, since_green in 0..4u32, calls in 0..10u32,
        ) {
            let s = skills(&["A"], &["B"]);
            let c = Counters { others_since_green: since_green, greens_in_row: 0, calls, appointment_calls: calls / 2 };
            let choice = next(&s, &q, &c, now);
            prop_assert_eq!(&choice, &next(&s, &q, &c, now));
            let serviceable = q.iter().any(|t| t.line != "C" && !Policy::default().early(t, now));
            prop_assert_eq!(choice.is_some(), serviceable, "nobody waits iff none is called");
            if let Some(ch) = choice {
                let t = q.iter().find(|t| t.id == ch.id).unwrap();
                prop_assert!(t.line != "C");
                // FIFO within a class and line when chosen by line order.
                if matches!(ch.reason, Reason::Primary | Reason::Secondary) {
                    prop_assert!(!q.iter().any(|o| o.line == t.line && o.class == t.class
                        && !Policy::default().early(o, now) && older(o, t)));
                }
            }
        }

        #[test]
        fn several_windows_never_call_a_ticket_twice_nor_lose_one(q in arb_queue()) {
            let windows = vec![skills(&["A"], &["B"]), skills(&["B"], &["A", "C"]), Skills::default()];
            let (calls, left) = simulate(&Policy::default(), &windows, q.clone(), 400, |_, _| vec![]);
            let mut ids: Vec<&String> = calls.iter().map(|(id, _, _)| id).collect();
            let n = ids.len();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), n, "no ticket called twice");
            prop_assert_eq!(n + left.len(), q.len(), "no ticket lost");
            prop_assert!(left.is_empty(), "everyone is served by the end of the day");
        }

        #[test]
        fn a_secondary_line_never_starves_beyond_the_aging_threshold(aging in 5..60i32, gap in 0..5i32) {
            // The window's primary line never empties; one ticket waits in its secondary line.
            let policy = Policy { aging_minutes: aging, ..Policy::default() };
            let q = vec![t("B1", "B", Class::Normal, gap, 1)];
            let (calls, _) = simulate(&policy, &[skills(&["A"], &["B"])], q, 200, |m, seq| {
                vec![t(&format!("A{m}"), "A", Class::Normal, m, seq), t(&format!("A{m}b"), "A", Class::Normal, m, seq + 1)]
            });
            let waited = calls.iter().find(|(id, _, _)| id == "B1").map(|(_, _, w)| *w);
            prop_assert!(waited.is_some_and(|w| w <= aging + 1), "B1 waited {:?} with aging {}", waited, aging);
        }

        #[test]
        fn a_line_with_its_own_aging_threshold_is_served_by_it(own in 5..60i32, gap in 0..5i32) {
            // The hall waits four hours before aging; line B's own rule says `own` minutes.
            let policy = Policy { aging_minutes: 240, ..Policy::default() };
            let mut b1 = t("B1", "B", Class::Normal, gap, 1);
            b1.aging_minutes = Some(own);
            let (calls, _) = simulate(&policy, &[skills(&["A"], &["B"])], vec![b1], 200, |m, seq| {
                vec![t(&format!("A{m}"), "A", Class::Normal, m, seq), t(&format!("A{m}b"), "A", Class::Normal, m, seq + 1)]
            });
            let b = calls.iter().find(|(id, _, _)| id == "B1");
            prop_assert!(b.is_some_and(|(_, _, w)| *w <= own + 1), "B1 waited {:?} with its own aging {}", b, own);
            // Line A keeps the hall's threshold: its tickets never age past four hours in 200 minutes.
            let mut a_old = t("A0", "A", Class::Normal, 0, 0);
            a_old.aging_minutes = None;
            let q = vec![a_old, t("C1", "C", Class::Normal, 1, 1)];
            let choice = select_next(&skills(&["C"], &["A"]), &q, &policy, &Counters::default(), 100, None);
            prop_assert_eq!(choice.map(|c| c.id), Some("C1".to_string()), "A0 is not past the hall's threshold");
        }

        #[test]
        fn the_green_channel_gets_its_share_and_no_more(green in 1..3u32, other in 1..4u32) {
            let policy = Policy { green_share: green, other_share: other, ..Policy::default() };
            // Green tickets arrive after the others, so only their share brings them forward.
            let many = |prefix: &str, class: Class, since: i32| (0..300).map(move |i| t(&format!("{prefix}{i}"), "A", class, since, i)).collect::<Vec<_>>();
            let mut q = many("G", Class::Green, 5);
            q.extend(many("N", Class::Normal, 0));
            let (calls, _) = simulate(&policy, &[skills(&["A"], &[])], q, 120, |_, _| vec![]);
            let greens = calls.iter().filter(|(_, c, _)| *c == Class::Green).count() as f64;
            // Runs of `green` greens after `other` others: share green / (green + other), within one run.
            let expected = calls.len() as f64 * f64::from(green) / f64::from(green + other);
            prop_assert!((greens - expected).abs() <= f64::from(green), "{} green of {} (expected {})", greens, calls.len(), expected);
        }
    }
}
