//! 考核等次: 优秀 / 合格 / 基本合格 / 不合格 from the totals, with the
//! quota for 优秀 (a share of the people assessed, rounded down, at least
//! one when anyone reaches the line). Ties at the quota's edge go to the
//! one ranked first by total, then by 工号, so the result never depends on
//! the order rows were read in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const GRADES: &[(&str, &str, i32)] = &[
    ("excellent", "优秀", 4),
    ("pass", "合格", 3),
    ("basic", "基本合格", 2),
    ("fail", "不合格", 1),
];

pub fn label(code: &str) -> &'static str {
    GRADES.iter().find(|g| g.0 == code).map_or("", |g| g.1)
}

/// The level the payroll's formulas read (优秀 4 … 不合格 1).
pub fn level(code: &str) -> i32 {
    GRADES.iter().find(|g| g.0 == code).map_or(0, |g| g.2)
}

/// The lines and the quota, part of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeRules {
    /// 优秀 needs at least this total (and a place within the quota).
    pub excellent_min: f64,
    pub pass_min: f64,
    pub basic_min: f64,
    /// 优秀 at most this share of the people assessed, in percent.
    pub excellent_quota_pct: f64,
}

impl Default for GradeRules {
    fn default() -> Self {
        GradeRules {
            excellent_min: 90.0,
            pass_min: 70.0,
            basic_min: 60.0,
            excellent_quota_pct: 20.0,
        }
    }
}

impl GradeRules {
    /// Problems with the lines, as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let in_range = |v: f64| (0.0..=100.0).contains(&v);
        if !(in_range(self.excellent_min) && in_range(self.pass_min) && in_range(self.basic_min)) {
            out.push(("grades", "等次分数线须在 0 到 100 之间".to_string()));
        } else if !(self.excellent_min >= self.pass_min && self.pass_min >= self.basic_min) {
            out.push(("grades", "等次分数线须 优秀 ≥ 合格 ≥ 基本合格".to_string()));
        }
        if !(0.0..=100.0).contains(&self.excellent_quota_pct) {
            out.push((
                "grades.excellent_quota_pct",
                "优秀比例须在 0% 到 100% 之间".to_string(),
            ));
        }
        out
    }

    /// The grade of each (工号, total), in the input's order.
    pub fn grade(&self, people: &[(String, f64)]) -> Vec<&'static str> {
        let mut order: Vec<usize> = (0..people.len()).collect();
        order.sort_by(|&a, &b| {
            people[b]
                .1
                .total_cmp(&people[a].1)
                .then_with(|| people[a].0.cmp(&people[b].0))
        });
        let reaching = people.iter().filter(|p| p.1 >= self.excellent_min).count();
        let quota = ((people.len() as f64 * self.excellent_quota_pct / 100.0).floor() as usize)
            .max(usize::from(reaching > 0 && self.excellent_quota_pct > 0.0));
        let mut out = vec!["fail"; people.len()];
        for (rank, &i) in order.iter().enumerate() {
            let t = people[i].1;
            out[i] = if t >= self.excellent_min && rank < quota {
                "excellent"
            } else if t >= self.pass_min {
                "pass"
            } else if t >= self.basic_min {
                "basic"
            } else {
                "fail"
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_quota_caps_excellent() {
        let rules = GradeRules::default();
        let people: Vec<(String, f64)> =
            [95.0, 93.0, 91.0, 80.0, 65.0, 50.0, 92.0, 70.0, 69.9, 60.0]
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("CA{i:04}"), *t))
                .collect();
        let g = rules.grade(&people);
        // 20 % of 10 is two: 95 and 93; 92 and 91 are 合格.
        assert_eq!(
            g,
            [
                "excellent",
                "excellent",
                "pass",
                "pass",
                "basic",
                "fail",
                "pass",
                "pass",
                "basic",
                "basic"
            ]
        );
    }

    proptest! {
        #[test]
        fn grades_follow_the_totals_and_the_quota(
            totals in prop::collection::vec(0.0f64..100.0, 1..60),
            quota in 0.0f64..50.0,
        ) {
            let rules = GradeRules { excellent_quota_pct: quota, ..GradeRules::default() };
            let people: Vec<(String, f64)> = totals
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("CA{i:04}"), (t * 10.0).round() / 10.0))
                .collect();
            let g = rules.grade(&people);
            let excellent = g.iter().filter(|x| **x == "excellent").count();
            let cap = ((people.len() as f64 * quota / 100.0).floor() as usize).max(1);
            prop_assert!(excellent <= cap);
            for (i, a) in people.iter().enumerate() {
                // Never a grade beneath its line, never 优秀 below the line.
                prop_assert!(level(g[i]) >= 2 || a.1 < rules.basic_min);
                prop_assert!(g[i] != "excellent" || a.1 >= rules.excellent_min);
                for (j, b) in people.iter().enumerate() {
                    // A higher total never gets a lower grade.
                    if a.1 > b.1 {
                        prop_assert!(level(g[i]) >= level(g[j]), "{a:?} {} < {b:?} {}", g[i], g[j]);
                    }
                }
            }
        }
    }
}
