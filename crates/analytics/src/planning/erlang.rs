//! Erlang C (M/M/c): how many windows a line needs for a service level.
//!
//! Notation as in `domain/analytics.md`: λ arrivals per unit time, h mean
//! service time, c windows, A = λ·h the offered load in erlangs, ρ = A/c.
//! Erlang B is computed by its recursion, which stays stable for hundreds of
//! servers where the factorial form overflows.

use serde::Serialize;
use utoipa::ToSchema;

/// Erlang B: the blocking probability of `c` servers offered `a` erlangs.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C: the probability that an arrival waits. 1 when the load is at or
/// above capacity (the queue grows without end).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    let cf = f64::from(c);
    if a >= cf {
        return 1.0;
    }
    let b = erlang_b(c, a);
    cf * b / (cf - a * (1.0 - b))
}

/// What `c` windows give for a load: the figures a staffing table shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Staffing {
    pub windows: u32,
    /// A = λ·h, erlangs.
    pub load: f64,
    /// ρ = A/c.
    pub occupancy: f64,
    /// Probability that an arrival waits at all.
    pub wait_probability: f64,
    /// Mean wait Wq, in the unit of `h` (minutes here); infinite when ρ ≥ 1.
    pub mean_wait: f64,
    /// Share called within the target time.
    pub service_level: f64,
}

/// Erlang C's figures for `c` windows, arrival rate `lambda` and mean service
/// time `h` (same time unit), and a target wait `t`.
pub fn staffing(c: u32, lambda: f64, h: f64, t: f64) -> Staffing {
    let a = lambda * h;
    let cf = f64::from(c);
    let pw = erlang_c(c, a);
    let (mean_wait, service_level) = if a >= cf {
        (f64::INFINITY, 0.0)
    } else if a <= 0.0 {
        (0.0, 1.0)
    } else {
        (pw * h / (cf - a), 1.0 - pw * (-(cf - a) * t / h).exp())
    };
    Staffing {
        windows: c,
        load: a,
        occupancy: if c == 0 { f64::INFINITY } else { a / cf },
        wait_probability: pw,
        mean_wait,
        service_level,
    }
}

/// The fewest windows whose service level within `t` reaches `target` (0–1),
/// searched up to `max` windows; `None` when even `max` do not.
pub fn windows_needed(lambda: f64, h: f64, t: f64, target: f64, max: u32) -> Option<Staffing> {
    if lambda <= 0.0 || h <= 0.0 {
        return Some(staffing(0, 0.0, h.max(0.0), t));
    }
    // Fewer windows than the load cannot keep the line from growing.
    let start = (lambda * h).floor() as u32 + 1;
    (start..=max)
        .map(|c| staffing(c, lambda, h, t))
        .find(|s| s.service_level >= target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Hillier & Lieberman, *Introduction to Operations Research*, the County
    /// Hospital emergency room: λ = 2 patients an hour, μ = 3 an hour. One
    /// doctor: Lq = 4/3, Wq = 2/3 hour; two doctors: Lq = 1/12, Wq = 1/24 hour.
    #[test]
    fn county_hospital_emergency_room() {
        let h = 1.0 / 3.0;
        let one = staffing(1, 2.0, h, 0.0);
        assert!(close(one.mean_wait, 2.0 / 3.0, 1e-9), "{one:?}");
        assert!(close(one.mean_wait * 2.0, 4.0 / 3.0, 1e-9));
        let two = staffing(2, 2.0, h, 0.0);
        assert!(close(two.mean_wait, 1.0 / 24.0, 1e-9), "{two:?}");
        assert!(close(two.mean_wait * 2.0, 1.0 / 12.0, 1e-9));
    }

    /// The textbook call-center exercise: a call a minute, 3 minutes to help,
    /// 5 agents: 23.6 % of callers wait (76.4 % are helped at once).
    #[test]
    fn five_agents_three_erlangs() {
        let s = staffing(5, 1.0, 3.0, 0.0);
        assert!(close(s.wait_probability, 0.2362, 5e-4), "{s:?}");
        assert!(close(s.occupancy, 0.6, 1e-12));
        // Feasible only from 4 agents: 3 erlangs need more than 3.
        assert_eq!(erlang_c(3, 3.0), 1.0);
        assert!(erlang_c(4, 3.0) < 1.0);
    }

    /// M/M/1 and M/M/2 in closed form (Kleinrock, *Queueing Systems* I):
    /// P(wait) = ρ and 2ρ²/(1+ρ).
    #[test]
    fn closed_forms_for_one_and_two_servers() {
        for rho in [0.1, 0.35, 0.5, 0.8, 0.95] {
            assert!(close(erlang_c(1, rho), rho, 1e-12));
            let a = 2.0 * rho;
            assert!(close(erlang_c(2, a), 2.0 * rho * rho / (1.0 + rho), 1e-12));
        }
    }

    /// The widely used worked example of the Erlang C method (Westbay
    /// Engineers): 360 calls a half hour, 240 s handling, target 15 s.
    /// A = 48 erlangs; 55 agents: occupancy 87.3 %, P(wait) 23.9 %, ASA 8.2 s,
    /// service level 84.6 %; 54 agents reach only 79.3 %, so 80 % needs 55.
    #[test]
    fn call_centre_worked_example() {
        let lambda = 360.0 / 1800.0;
        let s = staffing(55, lambda, 240.0, 15.0);
        assert!(close(s.load, 48.0, 1e-9));
        assert!(close(s.occupancy, 0.8727, 1e-4));
        assert!(close(s.wait_probability, 0.2387, 5e-4), "{s:?}");
        assert!(close(s.mean_wait, 8.2, 0.05), "{s:?}");
        assert!(close(s.service_level, 0.846, 1e-3), "{s:?}");
        let fewer = staffing(54, lambda, 240.0, 15.0);
        assert!(close(fewer.service_level, 0.793, 1e-3), "{fewer:?}");
        let need = windows_needed(lambda, 240.0, 15.0, 0.8, 100).unwrap();
        assert_eq!(need.windows, 55);
    }

    #[test]
    fn no_arrivals_need_no_windows_and_overload_finds_none() {
        assert_eq!(windows_needed(0.0, 10.0, 10.0, 0.8, 10).unwrap().windows, 0);
        assert!(windows_needed(5.0, 10.0, 10.0, 0.8, 10).is_none());
    }
}
