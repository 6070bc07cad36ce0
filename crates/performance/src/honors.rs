//! The month's ranking by points, 服务之星 and 流动红旗.
//!
//! 服务之星: the three with the most points who had points at all and no
//! 差评 that month (ties by 工号). 流动红旗: the 班组 (of at least two
//! members) with the highest average points per member.

use crate::entity::point;
use crate::points::{self, PointEntry};
use govhall_directory::service as directory;
use govhall_hr::month::Month;
use govhall_kernel::{error::AppResult, time};
use govhall_platform::AppState;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// How many 服务之星 a month names.
pub const STARS: usize = 3;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankRow {
    pub rank: usize,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub points: f64,
    /// Points by rule key (`manual` for awards by hand).
    pub by_rule: BTreeMap<String, f64>,
    /// 差评 booked this month.
    pub bad_ratings: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RedFlag {
    pub group_id: String,
    pub group_name: String,
    pub leader_name: String,
    pub members: usize,
    pub average_points: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointsBoard {
    pub month: String,
    pub month_label: String,
    /// Whether the month's rule points have been settled.
    pub settled: bool,
    pub rows: Vec<RankRow>,
    pub stars: Vec<RankRow>,
    pub red_flag: Option<RedFlag>,
    /// What the stars must meet, in words.
    pub star_rule: String,
}

/// Ranks (staff id, 工号, points): higher points first, then 工号; equal
/// points share a rank.
pub fn rank(people: &mut [(String, String, f64)]) -> Vec<usize> {
    people.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let mut ranks = Vec::with_capacity(people.len());
    for (i, p) in people.iter().enumerate() {
        let r = if i > 0 && (people[i - 1].2 - p.2).abs() < 1e-9 {
            ranks[i - 1]
        } else {
            i + 1
        };
        ranks.push(r);
    }
    ranks
}

pub async fn board(state: &AppState, hall_id: &str, month: &Month) -> AppResult<PointsBoard> {
    let entries = points::of_month(state, hall_id, month).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let mut by_staff: HashMap<String, (f64, BTreeMap<String, f64>, f64)> = HashMap::new();
    for e in &entries {
        let t = by_staff.entry(e.staff_id.clone()).or_default();
        t.0 += e.points;
        *t.1.entry(e.rule_key.clone()).or_default() += e.points;
        if e.rule_key == "bad_count" {
            t.2 += e.quantity;
        }
    }
    let mut people: Vec<(String, String, f64)> = staff
        .iter()
        .map(|s| {
            let p = by_staff.get(s.id.as_str()).map_or(0.0, |t| t.0);
            (
                s.id.to_string(),
                s.employee_no.clone(),
                (p * 100.0).round() / 100.0,
            )
        })
        .collect();
    let ranks = rank(&mut people);
    let names: HashMap<&str, &str> = staff
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let rows: Vec<RankRow> = people
        .iter()
        .zip(ranks)
        .map(|((id, no, pts), r)| {
            let t = by_staff.get(id);
            RankRow {
                rank: r,
                staff_id: id.clone(),
                employee_no: no.clone(),
                name: names
                    .get(id.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                points: *pts,
                by_rule: t.map(|t| t.1.clone()).unwrap_or_default(),
                bad_ratings: t.map_or(0.0, |t| t.2),
            }
        })
        .collect();
    let stars: Vec<RankRow> = rows
        .iter()
        .filter(|r| r.points > 0.0 && r.bad_ratings == 0.0)
        .take(STARS)
        .cloned()
        .collect();
    let points_of: HashMap<&str, f64> = rows
        .iter()
        .map(|r| (r.staff_id.as_str(), r.points))
        .collect();
    let red_flag = govhall_hr::groups::list(state, hall_id)
        .await?
        .into_iter()
        .filter(|g| g.members.len() >= 2)
        .map(|g| {
            let sum: f64 = g
                .members
                .iter()
                .map(|m| points_of.get(m.staff_id.as_str()).copied().unwrap_or(0.0))
                .sum();
            let avg = (sum / g.members.len() as f64 * 100.0).round() / 100.0;
            RedFlag {
                group_id: g.id,
                group_name: g.name,
                leader_name: g.leader_name,
                members: g.members.len(),
                average_points: avg,
            }
        })
        .filter(|f| f.average_points > 0.0)
        .max_by(|a, b| {
            a.average_points
                .total_cmp(&b.average_points)
                .then_with(|| b.group_name.cmp(&a.group_name))
        });
    Ok(PointsBoard {
        month: month.to_string(),
        month_label: month.label(),
        settled: entries.iter().any(|e: &point::Model| e.source == "rule"),
        rows,
        stars,
        red_flag,
        star_rule: format!("当月积分前 {STARS} 名，积分为正且当月无差评"),
    })
}

/// The last ended month: what the hall screen honours.
pub fn last_month() -> Month {
    use chrono::Datelike;
    let today = time::today();
    Month {
        year: today.year(),
        month: today.month(),
    }
    .previous()
}

/// A person's month: their entries, total and rank, and the honours.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPoints {
    pub month: String,
    pub points: f64,
    pub rank: Option<usize>,
    pub of: usize,
    pub entries: Vec<PointEntry>,
    pub stars: Vec<RankRow>,
    pub red_flag: Option<RedFlag>,
}

pub async fn mine(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    month: &Month,
) -> AppResult<MyPoints> {
    let b = board(state, hall_id, month).await?;
    let me = b.rows.iter().find(|r| r.staff_id == staff_id);
    let mut entries: Vec<PointEntry> = points::of_month(state, hall_id, month)
        .await?
        .into_iter()
        .filter(|e| e.staff_id == staff_id)
        .map(points::entry)
        .collect();
    entries.sort_by_key(|e| e.created_at);
    Ok(MyPoints {
        month: b.month.clone(),
        points: me.map_or(0.0, |r| r.points),
        rank: me.map(|r| r.rank),
        of: b.rows.len(),
        entries,
        stars: b.stars,
        red_flag: b.red_flag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_points_share_a_rank() {
        let mut p = vec![
            ("a".to_string(), "CA0003".to_string(), 10.0),
            ("b".to_string(), "CA0001".to_string(), 30.0),
            ("c".to_string(), "CA0002".to_string(), 10.0),
        ];
        assert_eq!(rank(&mut p), [1, 2, 2]);
        assert_eq!(p[1].1, "CA0002", "ties in 工号 order");
    }

    proptest! {
        #[test]
        fn ranks_follow_points(points in prop::collection::vec(-20i32..50, 1..40)) {
            let mut p: Vec<(String, String, f64)> = points
                .iter()
                .enumerate()
                .map(|(i, x)| (i.to_string(), format!("CA{i:04}"), f64::from(*x)))
                .collect();
            let r = rank(&mut p);
            for i in 1..p.len() {
                prop_assert!(p[i - 1].2 >= p[i].2);
                prop_assert!(r[i - 1] <= r[i]);
                prop_assert_eq!(r[i] == r[i - 1], p[i].2 == p[i - 1].2);
            }
        }
    }
}
