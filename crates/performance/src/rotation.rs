//! 交叉轮岗: a plan of who works at which window next, moving as many people
//! as possible away from their current window while every window keeps a
//! person certified for all its lines and every line the hall covers today
//! stays covered. Pure: the service gathers who is certified for what.
//!
//! The plan starts from today's assignment (the windows people work at and
//! are certified for), so the set of staffed windows never shrinks — and
//! with it no line loses its cover — then improves by moves that keep every
//! staffed window staffed: two people trade windows, someone takes a free
//! window and an unassigned colleague takes theirs, a free window gets a
//! free person. It stops when no move adds a person moved.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub id: String,
    /// The lines it serves.
    pub lines: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    /// The window they work at today, if any.
    pub current: Option<String>,
    /// The lines they are certified for.
    pub certified: BTreeSet<String>,
}

/// window id → person id.
pub type Plan = BTreeMap<String, String>;

pub fn eligible(p: &Person, w: &Window) -> bool {
    !w.lines.is_empty() && w.lines.is_subset(&p.certified)
}

/// The lines the staffed windows of `plan` serve.
pub fn covered(windows: &[Window], plan: &Plan) -> BTreeSet<String> {
    windows
        .iter()
        .filter(|w| plan.contains_key(&w.id))
        .flat_map(|w| w.lines.iter().cloned())
        .collect()
}

/// Today's assignment, keeping only people certified for their window.
pub fn today(windows: &[Window], people: &[Person]) -> Plan {
    let mut plan = Plan::new();
    for p in people {
        if let Some(w) = p
            .current
            .as_ref()
            .and_then(|c| windows.iter().find(|w| &w.id == c))
            && eligible(p, w)
            && !plan.contains_key(&w.id)
        {
            plan.insert(w.id.clone(), p.id.clone());
        }
    }
    plan
}

fn moved(people: &[Person], plan: &Plan) -> usize {
    plan.iter()
        .filter(|(w, p)| {
            people
                .iter()
                .find(|x| &x.id == *p)
                .is_some_and(|x| x.current.as_deref() != Some(w.as_str()))
        })
        .count()
}

/// How good a plan is: people moved first, then windows staffed.
fn score(people: &[Person], plan: &Plan) -> (usize, usize) {
    (moved(people, plan), plan.len())
}

/// The next plan a single move makes better, if any.
fn improve(windows: &[Window], people: &[Person], plan: &Plan) -> Option<Plan> {
    let now = score(people, plan);
    let person = |id: &str| people.iter().find(|p| p.id == id);
    let assigned: BTreeSet<&String> = plan.values().collect();
    let free_people: Vec<&Person> = people
        .iter()
        .filter(|p| !assigned.contains(&p.id))
        .collect();
    let free_windows: Vec<&Window> = windows
        .iter()
        .filter(|w| !plan.contains_key(&w.id))
        .collect();
    let staffed: Vec<(&Window, &Person)> = windows
        .iter()
        .filter_map(|w| plan.get(&w.id).and_then(|p| person(p)).map(|p| (w, p)))
        .collect();
    let better = |candidate: Plan| (score(people, &candidate) > now).then_some(candidate);
    // Two people trade windows.
    for (i, (w1, p1)) in staffed.iter().enumerate() {
        for (w2, p2) in &staffed[i + 1..] {
            if eligible(p1, w2) && eligible(p2, w1) {
                let mut c = plan.clone();
                c.insert(w1.id.clone(), p2.id.clone());
                c.insert(w2.id.clone(), p1.id.clone());
                if let Some(c) = better(c) {
                    return Some(c);
                }
            }
        }
    }
    // Someone takes a free window and a free colleague takes theirs.
    for (w1, p1) in &staffed {
        for w2 in free_windows.iter().filter(|w| eligible(p1, w)) {
            for b in free_people.iter().filter(|b| eligible(b, w1)) {
                let mut c = plan.clone();
                c.insert(w2.id.clone(), p1.id.clone());
                c.insert(w1.id.clone(), b.id.clone());
                if let Some(c) = better(c) {
                    return Some(c);
                }
            }
        }
    }
    // A free window gets a free person.
    for w in &free_windows {
        for p in free_people.iter().filter(|p| eligible(p, w)) {
            let mut c = plan.clone();
            c.insert(w.id.clone(), p.id.clone());
            if let Some(c) = better(c) {
                return Some(c);
            }
        }
    }
    None
}

/// The rotation plan. Each step makes (people moved, windows staffed)
/// strictly better and never unstaffs a window, so it ends, and every line
/// covered today stays covered.
pub fn propose(windows: &[Window], people: &[Person]) -> Plan {
    let mut plan = today(windows, people);
    while let Some(next) = improve(windows, people, &plan) {
        plan = next;
    }
    plan
}

/// What is wrong with a plan: a person not certified for their window, a
/// person at two windows, or a line covered today that the plan leaves
/// without cover. Empty when it may be applied.
pub fn problems(windows: &[Window], people: &[Person], plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (w, p) in plan {
        let (Some(win), Some(person)) = (
            windows.iter().find(|x| &x.id == w),
            people.iter().find(|x| &x.id == p),
        ) else {
            out.push(format!("方案中的窗口或人员不存在：{w} / {p}"));
            continue;
        };
        if !eligible(person, win) {
            out.push(format!("{p} 未取得 {w} 全部业务的资格"));
        }
        if !seen.insert(p.clone()) {
            out.push(format!("{p} 被安排到多个窗口"));
        }
    }
    let before = covered(windows, &today(windows, people));
    let after = covered(windows, plan);
    for line in before.difference(&after) {
        out.push(format!("业务 {line} 现有人员能办，方案后无人能办"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(lines: &[&str]) -> BTreeSet<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn two_certified_people_trade_windows() {
        let windows = vec![
            Window {
                id: "w1".into(),
                lines: set(&["A"]),
            },
            Window {
                id: "w2".into(),
                lines: set(&["B"]),
            },
        ];
        let people = vec![
            Person {
                id: "p1".into(),
                current: Some("w1".into()),
                certified: set(&["A", "B"]),
            },
            Person {
                id: "p2".into(),
                current: Some("w2".into()),
                certified: set(&["A", "B"]),
            },
        ];
        let plan = propose(&windows, &people);
        assert_eq!(plan.get("w1").map(String::as_str), Some("p2"));
        assert_eq!(plan.get("w2").map(String::as_str), Some("p1"));
        assert!(problems(&windows, &people, &plan).is_empty());
    }

    #[test]
    fn nobody_moves_where_only_one_is_certified() {
        let windows = vec![
            Window {
                id: "w1".into(),
                lines: set(&["A"]),
            },
            Window {
                id: "w2".into(),
                lines: set(&["B"]),
            },
        ];
        let people = vec![
            Person {
                id: "p1".into(),
                current: Some("w1".into()),
                certified: set(&["A"]),
            },
            Person {
                id: "p2".into(),
                current: Some("w2".into()),
                certified: set(&["B"]),
            },
        ];
        let plan = propose(&windows, &people);
        assert_eq!(plan, today(&windows, &people));
    }

    fn case() -> impl Strategy<Value = (Vec<Window>, Vec<Person>)> {
        let lines = ["A", "B", "C", "D", "E"];
        (2usize..8, 2usize..12).prop_flat_map(move |(nw, np)| {
            let windows =
                prop::collection::vec(prop::sample::subsequence(lines.to_vec(), 1..3), nw);
            let people = prop::collection::vec(
                (
                    prop::option::of(0..nw),
                    prop::sample::subsequence(lines.to_vec(), 0..5),
                ),
                np,
            );
            (windows, people).prop_map(|(ws, ps)| {
                let windows: Vec<Window> = ws
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| Window {
                        id: format!("w{i}"),
                        lines: set(&l),
                    })
                    .collect();
                let people = ps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (cur, cert))| Person {
                        id: format!("p{i}"),
                        current: cur.map(|c| format!("w{c}")),
                        certified: set(&cert),
                    })
                    .collect();
                (windows, people)
            })
        })
    }

    proptest! {
        #[test]
        fn a_plan_keeps_every_line_covered_by_certified_staff((windows, people) in case()) {
            let plan = propose(&windows, &people);
            prop_assert!(problems(&windows, &people, &plan).is_empty(), "{:?}", problems(&windows, &people, &plan));
            // Every window staffed today stays staffed.
            for w in today(&windows, &people).keys() {
                prop_assert!(plan.contains_key(w));
            }
            prop_assert!(moved(&people, &plan) >= moved(&people, &today(&windows, &people)));
        }
    }
}
