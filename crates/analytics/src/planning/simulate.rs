//! A discrete-event simulation of the hall's windows: arrivals (from the
//! history or generated) join their line; each window serves the lines it has
//! skills for, always taking the person who has waited longest among them
//! (first come, first served across its lines, as the calling policy does
//! when no line has priority). It answers what Erlang C cannot: non-Poisson
//! arrivals through the day, windows shared by several lines, merged lines.

use std::collections::VecDeque;

/// One person arriving: when (seconds from the start), for which line, and how
/// long their service takes (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    pub at: f64,
    pub line: usize,
    pub service: f64,
}

/// A window and the lines it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSpec {
    pub lines: Vec<usize>,
}

/// The waits of the people served, in the order they were called.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub waits: Vec<f64>,
    /// Who was called by which window when: (arrival index, window index,
    /// time), in the order of `waits`.
    pub calls: Vec<(usize, usize, f64)>,
    /// Arrivals no window serves (their line has no window): never called.
    pub unserved: usize,
}

impl Outcome {
    pub fn mean_wait(&self) -> f64 {
        if self.waits.is_empty() {
            return 0.0;
        }
        self.waits.iter().sum::<f64>() / self.waits.len() as f64
    }

    /// Share of served arrivals called within `t` seconds.
    pub fn within(&self, t: f64) -> f64 {
        if self.waits.is_empty() {
            return 1.0;
        }
        self.waits.iter().filter(|w| **w <= t).count() as f64 / self.waits.len() as f64
    }

    /// Share of served arrivals that waited at all.
    pub fn waited(&self) -> f64 {
        1.0 - self.within(1e-9)
    }

    /// The `q` quantile (0–1) of the waits.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.waits.is_empty() {
            return 0.0;
        }
        let mut w = self.waits.clone();
        w.sort_by(f64::total_cmp);
        let i = ((w.len() - 1) as f64 * q).round() as usize;
        w[i]
    }
}

/// Runs the arrivals (sorted by `at`) through the windows.
pub fn run(arrivals: &[Arrival], windows: &[WindowSpec], lines: usize) -> Outcome {
    let mut queues: Vec<VecDeque<(usize, f64, f64)>> = vec![VecDeque::new(); lines];
    let mut calls = Vec::with_capacity(arrivals.len());
    // When each window is next free (it may be idle before that).
    let mut free_at = vec![0.0_f64; windows.len()];
    let mut busy = vec![false; windows.len()];
    let mut waits = Vec::with_capacity(arrivals.len());
    let served_lines: Vec<bool> = (0..lines)
        .map(|l| windows.iter().any(|w| w.lines.contains(&l)))
        .collect();
    let unserved = arrivals
        .iter()
        .filter(|a| a.line >= lines || !served_lines[a.line])
        .count();
    let mut next = 0;
    loop {
        // The next thing to happen: an arrival, or a busy window finishing.
        let finishing = (0..windows.len())
            .filter(|&w| busy[w])
            .min_by(|&a, &b| free_at[a].total_cmp(&free_at[b]));
        let arrival_at = arrivals.get(next).map(|a| a.at);
        let now = match (arrival_at, finishing) {
            (None, None) => break,
            (Some(t), Some(w)) if free_at[w] <= t => {
                busy[w] = false;
                free_at[w]
            }
            (Some(t), _) => {
                let a = arrivals[next];
                if a.line < lines && served_lines[a.line] {
                    queues[a.line].push_back((next, a.at, a.service));
                }
                next += 1;
                t
            }
            (None, Some(w)) => {
                busy[w] = false;
                free_at[w]
            }
        };
        // Every idle window takes the longest-waiting person it can serve.
        for w in 0..windows.len() {
            if busy[w] {
                continue;
            }
            let pick = windows[w]
                .lines
                .iter()
                .filter(|&&l| l < lines)
                .filter_map(|&l| queues[l].front().map(|f| (l, f.1)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((l, _)) = pick {
                let (who, arrived, service) = queues[l].pop_front().expect("front seen");
                waits.push(now - arrived);
                calls.push((who, w, now));
                busy[w] = true;
                free_at[w] = now + service;
            }
        }
    }
    Outcome {
        waits,
        calls,
        unserved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::erlang;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    /// Exponential with the given mean, by inversion.
    fn exp(rng: &mut StdRng, mean: f64) -> f64 {
        -mean * (1.0 - rng.r#gen::<f64>()).ln()
    }

    fn poisson_day(seed: u64, n: usize, lambda: f64, h: f64) -> Vec<Arrival> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut t = 0.0;
        (0..n)
            .map(|_| {
                t += exp(&mut rng, 1.0 / lambda);
                Arrival {
                    at: t,
                    line: 0,
                    service: exp(&mut rng, h),
                }
            })
            .collect()
    }

    /// On a steady Poisson line the simulation must agree with Erlang C: mean
    /// wait within 7 %, P(wait) and the service level within 0.02 absolute
    /// (200,000 arrivals; the first 10,000 dropped as warm-up).
    #[test]
    fn agrees_with_erlang_c_on_a_steady_poisson_line() {
        for (c, lambda, h, t) in [
            (5_u32, 1.0 / 60.0, 240.0, 60.0),
            (8, 1.0 / 40.0, 270.0, 120.0),
        ] {
            let arrivals = poisson_day(7 + u64::from(c), 200_000, lambda, h);
            let windows = vec![WindowSpec { lines: vec![0] }; c as usize];
            let mut out = run(&arrivals, &windows, 1);
            out.waits.drain(..10_000);
            let theory = erlang::staffing(c, lambda, h, t);
            let rel = (out.mean_wait() - theory.mean_wait).abs() / theory.mean_wait;
            assert!(
                rel < 0.07,
                "c={c}: mean wait {} vs {}",
                out.mean_wait(),
                theory.mean_wait
            );
            assert!(
                (out.waited() - theory.wait_probability).abs() < 0.02,
                "c={c}"
            );
            assert!((out.within(t) - theory.service_level).abs() < 0.02, "c={c}");
        }
    }

    #[test]
    fn a_window_serves_the_longest_waiting_of_its_lines() {
        let arrivals = [
            Arrival {
                at: 0.0,
                line: 0,
                service: 100.0,
            },
            Arrival {
                at: 10.0,
                line: 1,
                service: 10.0,
            },
            Arrival {
                at: 20.0,
                line: 0,
                service: 10.0,
            },
        ];
        let out = run(&arrivals, &[WindowSpec { lines: vec![0, 1] }], 2);
        // The line-1 arrival came before the second line-0 one.
        assert_eq!(out.waits, vec![0.0, 90.0, 90.0]);
    }

    #[test]
    fn a_line_without_windows_is_reported_unserved() {
        let arrivals = [Arrival {
            at: 0.0,
            line: 1,
            service: 5.0,
        }];
        let out = run(&arrivals, &[WindowSpec { lines: vec![0] }], 2);
        assert_eq!(out.unserved, 1);
        assert!(out.waits.is_empty());
    }

    /// Merging two lines into one 综合 line served by all their windows never
    /// makes the average wait worse (pooling).
    #[test]
    fn pooling_two_lines_shortens_the_wait() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut t = 0.0;
        let arrivals: Vec<Arrival> = (0..50_000)
            .map(|_| {
                t += exp(&mut rng, 30.0);
                Arrival {
                    at: t,
                    line: rng.gen_range(0..2),
                    service: exp(&mut rng, 100.0),
                }
            })
            .collect();
        let split = run(
            &arrivals,
            &[
                WindowSpec { lines: vec![0] },
                WindowSpec { lines: vec![0] },
                WindowSpec { lines: vec![1] },
                WindowSpec { lines: vec![1] },
            ],
            2,
        );
        let pooled = run(&arrivals, &vec![WindowSpec { lines: vec![0, 1] }; 4], 2);
        assert!(pooled.mean_wait() < split.mean_wait());
    }
}
