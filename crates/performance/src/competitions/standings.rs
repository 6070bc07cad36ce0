//! How a competition is scored, apart from where the scores come from: a
//! round's judges give a trimmed mean (with five judges or more the highest
//! and the lowest score are dropped, as competitions are judged), each
//! round counts as a share of its full marks times its weight, and places
//! are awarded down the ranking.

/// What an entrant has in a round.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The share of the round's full marks, 0–100, and how it was reached.
    Scored { percent: f64, detail: String },
    /// Not scorable yet, and why (awaiting marks, judges still to score).
    Pending(String),
}

impl Outcome {
    pub fn percent(&self) -> Option<f64> {
        match self {
            Outcome::Scored { percent, .. } => Some(*percent),
            Outcome::Pending(_) => None,
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Outcome::Scored { detail, .. } | Outcome::Pending(detail) => detail,
        }
    }
}

/// From this many judges on, the highest and lowest score are dropped.
pub const TRIM_FROM: usize = 5;

/// The judges' score of an entrant: the mean, trimmed from five judges on.
pub fn judged(scores: &[f64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let mut s = scores.to_vec();
    s.sort_by(f64::total_cmp);
    let kept = if s.len() >= TRIM_FROM {
        &s[1..s.len() - 1]
    } else {
        &s[..]
    };
    Some(kept.iter().sum::<f64>() / kept.len() as f64)
}

/// The weighted total (weights in percent summing to 100) once every round
/// is scored, to two decimals.
pub fn total(rounds: &[(i32, &Outcome)]) -> Option<f64> {
    let mut sum = 0.0;
    for (weight, o) in rounds {
        sum += f64::from(*weight) * o.percent()? / 100.0;
    }
    Some((sum * 100.0).round() / 100.0)
}

/// The award of a rank within the awarded places, or none.
pub fn award(rank: usize, places: usize) -> &'static str {
    if rank == 0 || rank > places {
        return "";
    }
    match rank {
        1 => "第一名",
        2 => "第二名",
        3 => "第三名",
        _ => "优胜奖",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn five_judges_drop_the_highest_and_the_lowest() {
        assert_eq!(judged(&[80.0, 90.0]), Some(85.0));
        assert_eq!(judged(&[60.0, 80.0, 82.0, 84.0, 100.0]), Some(82.0));
        assert_eq!(judged(&[]), None);
    }

    #[test]
    fn a_total_needs_every_round() {
        let a = Outcome::Scored {
            percent: 80.0,
            detail: String::new(),
        };
        let b = Outcome::Scored {
            percent: 90.0,
            detail: String::new(),
        };
        let p = Outcome::Pending("待阅卷".into());
        assert_eq!(total(&[(60, &a), (40, &b)]), Some(84.0));
        assert_eq!(total(&[(60, &a), (40, &p)]), None);
    }

    #[test]
    fn places_are_named() {
        assert_eq!(award(1, 3), "第一名");
        assert_eq!(award(3, 3), "第三名");
        assert_eq!(award(4, 3), "");
        assert_eq!(award(4, 5), "优胜奖");
    }

    proptest! {
        /// A judged score lies between the lowest and the highest given,
        /// whatever the judges' order, and one judge cannot move a trimmed
        /// score beyond the others' range.
        #[test]
        fn judged_is_a_fair_mean(mut scores in prop::collection::vec(0u32..=100, 1..9), rot in 0usize..9) {
            let s: Vec<f64> = scores.iter().map(|x| f64::from(*x)).collect();
            let j = judged(&s).unwrap();
            let lo = s.iter().copied().fold(f64::MAX, f64::min);
            let hi = s.iter().copied().fold(f64::MIN, f64::max);
            prop_assert!(j >= lo - 1e-9 && j <= hi + 1e-9);
            let r = rot % scores.len();
            scores.rotate_left(r);
            let rotated: Vec<f64> = scores.iter().map(|x| f64::from(*x)).collect();
            prop_assert!((judged(&rotated).unwrap() - j).abs() < 1e-9);
            if s.len() >= TRIM_FROM {
                let mut extreme = s.clone();
                extreme.push(1e6);
                let mut others = s.clone();
                others.sort_by(f64::total_cmp);
                prop_assert!(judged(&extreme).unwrap() <= others[others.len() - 1] + 1e-9);
            }
        }

        /// The total lies within 0–100 and never falls when a round's share rises.
        #[test]
        fn totals_follow_the_rounds(p in prop::collection::vec(0u32..=100, 1..5), bump in 0u32..=100) {
            let n = p.len() as i32;
            let mut weights = vec![100 / n; p.len()];
            weights[0] += 100 - weights.iter().sum::<i32>();
            let outs: Vec<Outcome> = p.iter().map(|x| Outcome::Scored { percent: f64::from(*x), detail: String::new() }).collect();
            let pairs: Vec<(i32, &Outcome)> = weights.iter().copied().zip(outs.iter()).collect();
            let t = total(&pairs).unwrap();
            prop_assert!((0.0..=100.0).contains(&t));
            let higher = Outcome::Scored { percent: f64::from(p[0].max(bump)), detail: String::new() };
            let mut pairs2 = pairs.clone();
            pairs2[0] = (weights[0], &higher);
            prop_assert!(total(&pairs2).unwrap() >= t - 1e-9);
        }
    }
}
