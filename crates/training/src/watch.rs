//! Real completion of a video: the seconds actually played, not the position
//! reached. The player reports the stretches it played since its last report;
//! the server merges them into the lesson's watched stretches, so watching
//! the same minute twice adds nothing. A report is refused — and nothing of it
//! kept — when it could not have happened: stretches outside the video, or
//! overlapping each other, or ahead of the player's position; more playing
//! time than the wall clock allowed since the last report (a script posting
//! fake progress); a start beyond the watched part when the course forbids
//! seeking; or a report from a page that another page of the same learner has
//! since taken over (two tabs at once).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A played stretch of the video, in seconds from its start: `[from, to]`.
pub type Span = [f64; 2];

/// Slack for timers and the network, in seconds, per report.
pub const SLACK_S: f64 = 3.0;
/// The fastest playback a course allows when it does not forbid speeding up.
pub const MAX_SPEED: f64 = 2.0;
/// Stretches closer than this are joined (players report whole frames).
const JOIN_S: f64 = 0.5;

/// How a course lets its videos be played.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    pub forbid_seek: bool,
    pub forbid_speed: bool,
}

/// One report from the player.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgressReport {
    /// The viewing session (from starting the lesson on this page).
    pub session: String,
    /// Stretches played since the last report, `[[from, to], …]` in seconds.
    #[schema(value_type = Vec<Vec<f64>>)]
    pub spans: Vec<Span>,
    /// Where the player is now, in seconds.
    pub position: f64,
}

/// Why a report was refused (recorded, and shown to the learner).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Refusal {
    /// A stretch outside the video or reversed.
    OutOfRange { from: f64, to: f64, duration: f64 },
    /// Two stretches of one report overlap.
    Overlapping,
    /// A stretch ends after the player's position.
    Ahead { to: f64, position: f64 },
    /// More played time than the wall clock allows.
    TooFast { claimed: f64, allowed: f64 },
    /// A stretch starts beyond the watched part, where seeking is forbidden.
    Seek { from: f64, watched_to: f64 },
    /// Another page took over this lesson.
    OtherSession,
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::OutOfRange { from, to, duration } => {
                format!("播放区间 {from:.1}–{to:.1} 秒不在视频时长 0–{duration:.0} 秒之内")
            }
            Refusal::Overlapping => "同一次上报的播放区间相互重叠".into(),
            Refusal::Ahead { to, position } => {
                format!("播放区间结束于 {to:.1} 秒，超过当前播放位置 {position:.1} 秒")
            }
            Refusal::TooFast { claimed, allowed } => format!(
                "上报播放 {claimed:.0} 秒，超过这段时间内最多可播放的 {allowed:.0} 秒，未计入学习时长"
            ),
            Refusal::Seek { from, watched_to } => format!(
                "本课程不允许拖动到未观看部分：已连续观看到 {watched_to:.0} 秒，上报从 {from:.0} 秒开始"
            ),
            Refusal::OtherSession => "已在另一个页面打开本课时，本页面的学习进度不再计入".into(),
        }
    }
}

/// Joins `new` into the sorted, disjoint `spans`.
pub fn merge(spans: &[Span], new: &[Span]) -> Vec<Span> {
    let mut all: Vec<Span> = spans.iter().chain(new).copied().collect();
    all.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let mut out: Vec<Span> = Vec::with_capacity(all.len());
    for s in all {
        match out.last_mut() {
            Some(last) if s[0] <= last[1] + JOIN_S => last[1] = last[1].max(s[1]),
            _ => out.push(s),
        }
    }
    out
}

/// Seconds covered by disjoint spans.
pub fn covered(spans: &[Span]) -> f64 {
    spans.iter().map(|s| s[1] - s[0]).sum()
}

/// How far the video was watched without a gap from its start.
pub fn watched_to(spans: &[Span]) -> f64 {
    match spans.first() {
        Some(s) if s[0] <= JOIN_S => s[1],
        _ => 0.0,
    }
}

/// Checks a report against the lesson's watched spans (`known`), the video's
/// `duration`, the seconds since the session's previous report (or its start)
/// and the course's rules. The session is checked by the caller.
pub fn check(
    known: &[Span],
    report: &ProgressReport,
    duration: f64,
    elapsed: f64,
    rules: Rules,
) -> Result<Vec<Span>, Refusal> {
    let mut spans = report.spans.clone();
    spans.sort_by(|a, b| a[0].total_cmp(&b[0]));
    for s in &spans {
        let ok = s[0].is_finite() && s[1].is_finite() && s[0] >= 0.0 && s[0] < s[1];
        if !ok || s[1] > duration + SLACK_S {
            return Err(Refusal::OutOfRange {
                from: s[0],
                to: s[1],
                duration,
            });
        }
    }
    if spans.windows(2).any(|p| p[1][0] < p[0][1]) {
        return Err(Refusal::Overlapping);
    }
    if let Some(last) = spans.last()
        && last[1] > report.position + SLACK_S
    {
        return Err(Refusal::Ahead {
            to: last[1],
            position: report.position,
        });
    }
    let claimed = covered(&spans);
    let speed = if rules.forbid_speed { 1.0 } else { MAX_SPEED };
    let allowed = elapsed.max(0.0) * speed + SLACK_S;
    if claimed > allowed {
        return Err(Refusal::TooFast { claimed, allowed });
    }
    if rules.forbid_seek {
        // Each stretch must start within what was watched so far, this
        // report's earlier stretches included.
        let mut so_far = known.to_vec();
        for s in &spans {
            let reach = watched_to(&so_far);
            if s[0] > reach + SLACK_S {
                return Err(Refusal::Seek {
                    from: s[0],
                    watched_to: reach,
                });
            }
            so_far = merge(&so_far, &[*s]);
        }
    }
    Ok(merge(known, &spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn report(spans: &[Span], position: f64) -> ProgressReport {
        ProgressReport {
            session: "s".into(),
            spans: spans.to_vec(),
            position,
        }
    }

    #[test]
    fn watching_the_same_minute_twice_adds_nothing() {
        let once = merge(&[], &[[0.0, 60.0]]);
        let twice = merge(&once, &[[0.0, 60.0]]);
        assert_eq!(covered(&twice), 60.0);
        let more = merge(&twice, &[[30.0, 90.0], [200.0, 210.0]]);
        assert_eq!(more, vec![[0.0, 90.0], [200.0, 210.0]]);
        assert_eq!(covered(&more), 100.0);
        assert_eq!(watched_to(&more), 90.0);
    }

    #[test]
    fn impossible_reports_are_refused() {
        let r = Rules::default();
        assert!(matches!(
            check(&[], &report(&[[0.0, 700.0]], 700.0), 600.0, 1000.0, r),
            Err(Refusal::OutOfRange { .. })
        ));
        assert!(matches!(
            check(&[], &report(&[[10.0, 5.0]], 10.0), 600.0, 10.0, r),
            Err(Refusal::OutOfRange { .. })
        ));
        assert_eq!(
            check(
                &[],
                &report(&[[0.0, 10.0], [5.0, 12.0]], 12.0),
                600.0,
                20.0,
                r
            ),
            Err(Refusal::Overlapping)
        );
        assert!(matches!(
            check(&[], &report(&[[0.0, 30.0]], 10.0), 600.0, 30.0, r),
            Err(Refusal::Ahead { .. })
        ));
        // Ten minutes of video claimed after fifteen seconds.
        assert!(matches!(
            check(&[], &report(&[[0.0, 600.0]], 600.0), 600.0, 15.0, r),
            Err(Refusal::TooFast { .. })
        ));
        // Double speed is allowed unless the course forbids it.
        assert!(check(&[], &report(&[[0.0, 30.0]], 30.0), 600.0, 15.0, r).is_ok());
        let strict = Rules {
            forbid_speed: true,
            forbid_seek: true,
        };
        assert!(matches!(
            check(&[], &report(&[[0.0, 30.0]], 30.0), 600.0, 15.0, strict),
            Err(Refusal::TooFast { .. })
        ));
        // Seeking past the watched part.
        assert!(matches!(
            check(
                &[[0.0, 60.0]],
                &report(&[[300.0, 310.0]], 310.0),
                600.0,
                10.0,
                strict
            ),
            Err(Refusal::Seek { .. })
        ));
        // …but going back, or on from the watched part, is fine.
        assert!(
            check(
                &[[0.0, 60.0]],
                &report(&[[20.0, 30.0]], 30.0),
                600.0,
                10.0,
                strict
            )
            .is_ok()
        );
        assert!(
            check(
                &[[0.0, 60.0]],
                &report(&[[60.0, 70.0]], 70.0),
                600.0,
                10.0,
                strict
            )
            .is_ok()
        );
    }

    proptest! {
        /// Whatever is merged, the result is sorted and disjoint, never
        /// longer than the video, and covers at least the longest stretch.
        #[test]
        fn merged_spans_are_disjoint_and_bounded(raw in prop::collection::vec((0.0f64..600.0, 0.1f64..120.0), 0..40)) {
            let spans: Vec<Span> = raw.iter().map(|(a, len)| [*a, (a + len).min(600.0)]).filter(|s| s[0] < s[1]).collect();
            let mut merged: Vec<Span> = vec![];
            for s in &spans {
                merged = merge(&merged, &[*s]);
            }
            prop_assert!(merged.windows(2).all(|p| p[0][1] + JOIN_S < p[1][0]));
            prop_assert!(covered(&merged) <= 600.0 + 1e-9);
            let longest = spans.iter().map(|s| s[1] - s[0]).fold(0.0, f64::max);
            prop_assert!(covered(&merged) + 1e-9 >= longest);
            // Merging in another order gives the same cover.
            let all_at_once = merge(&[], &spans);
            prop_assert!((covered(&all_at_once) - covered(&merged)).abs() < 1e-6);
        }

        /// An honest player at normal speed, reporting every `every` seconds,
        /// is never refused, even with seeking forbidden.
        #[test]
        fn an_honest_player_is_never_refused(every in 5.0f64..30.0, jitter in 0.0f64..1.5) {
            let strict = Rules { forbid_seek: true, forbid_speed: true };
            let mut known: Vec<Span> = vec![];
            let mut pos = 0.0;
            while pos < 600.0 {
                let next = (pos + every).min(600.0);
                let r = report(&[[pos, next]], next);
                known = check(&known, &r, 600.0, next - pos + jitter, strict).expect("honest");
                pos = next;
            }
            prop_assert!((covered(&known) - 600.0).abs() < 1e-6);
        }
    }
}
