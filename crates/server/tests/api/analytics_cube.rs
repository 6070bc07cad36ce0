//! The month cube gives exactly the figures every fact row gives: over random
//! query shapes (indicators, breakdowns, grains, comparisons, filters, a
//! department's scope), when the months are first computed and stored, when
//! they are read back from the cube, and after facts of a closed month change
//! (a case decided weeks after it was received, more history written).

use crate::analytics::with_history_of;
use chrono::Duration;
use govhall_analytics::dimensions::{DIMENSIONS, Grain};
use govhall_analytics::indicators::INDICATORS;
use govhall_analytics::query::{Compare, QueryInput, QueryOutput, ReadFrom, run_from};
use govhall_analytics::scope::Scope;
use govhall_platform::AppState;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};

/// Rows as comparable text: bucket, members, each value rounded to 1e-6.
fn rows(out: &QueryOutput) -> Vec<String> {
    let round = |v: &Option<f64>| v.map(|v| format!("{:.6}", v)).unwrap_or("—".into());
    out.rows
        .iter()
        .map(|r| {
            let members: Vec<&str> = r.members.values().map(|m| m.id.as_str()).collect();
            let values: Vec<String> = r.values.values().map(round).collect();
            let before: Vec<String> = r.compare.iter().flatten().map(|(_, v)| round(v)).collect();
            format!("{:?} {members:?} {values:?} {before:?}", r.period)
        })
        .collect()
}

async fn agree(state: &AppState, hall: &str, scope: &Scope, q: &QueryInput) -> QueryOutput {
    let facts = run_from(state, hall, scope, q, ReadFrom::Facts)
        .await
        .unwrap();
    let cube = run_from(state, hall, scope, q, ReadFrom::Cube)
        .await
        .unwrap();
    assert_eq!(
        rows(&cube),
        rows(&facts),
        "cube ≠ facts for {:?} by {:?} grain {:?} {}..{} compare {:?} filters {:?}",
        q.indicators,
        q.dimensions,
        q.grain,
        q.from,
        q.to,
        q.compare,
        q.filters
    );
    cube
}

/// Random shapes over the whole dictionary: every indicator at least twice.
fn shapes(rng: &mut StdRng) -> Vec<QueryInput> {
    let today = govhall_kernel::time::today();
    let grains = [
        Grain::Total,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
        Grain::Hour,
    ];
    let mut out = vec![];
    for round in 0..2 {
        for ind in INDICATORS {
            let dims: Vec<&str> = DIMENSIONS
                .iter()
                .filter(|d| d.column(ind.source).is_some())
                .map(|d| d.key())
                .collect();
            let n = rng.gen_range(0..=2.min(dims.len()));
            let chosen: Vec<&str> = dims.choose_multiple(rng, n).copied().collect();
            let from = today - Duration::days(rng.gen_range(50..75));
            let to = today - Duration::days(rng.gen_range(0..6));
            let mut q = QueryInput::over(&[ind.key], &chosen, from, to);
            q.grain = Some(grains[rng.gen_range(0..grains.len())]);
            if round == 1 {
                q.compare = Some(Compare::Previous);
                q.wait_threshold_minutes = Some(rng.gen_range(5..40));
            }
            out.push(q);
        }
    }
    out
}

#[tokio::test]
async fn the_month_cube_agrees_with_the_facts() {
    let s = with_history_of(75, 25.0).await;
    let state = &s.state;
    let hall = govhall_platform::halls::find_hall(state, "CA-ZWFW")
        .await
        .unwrap()
        .id;
    let mut rng = StdRng::seed_from_u64(22);
    let shapes = shapes(&mut rng);
    // First the months are computed and stored, then read from the cube.
    for pass in 0..2 {
        for q in &shapes {
            agree(state, &hall, &Scope::Hall, q).await;
        }
        let stored = govhall_testkit::query(
            &state.db,
            "SELECT CAST(COUNT(*) AS TEXT) AS n FROM analytics_cube_months",
        )
        .await[0]["n"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap();
        assert!(stored > 0, "pass {pass}: no month was stored");
    }

    // A department's scope and a filter on windows.
    let today = govhall_kernel::time::today();
    let (from, to) = (today - Duration::days(70), today - Duration::days(1));
    let by_dept = agree(
        state,
        &hall,
        &Scope::Hall,
        &QueryInput::over(&["cases_received", "wait_p90"], &["department"], from, to),
    )
    .await;
    let dept = by_dept
        .rows
        .iter()
        .map(|r| r.members["department"].id.clone())
        .find(|d| !d.is_empty())
        .expect("a department");
    let mut by_window = QueryInput::over(
        &["tickets_served", "served_per_staff", "wait_avg"],
        &["window"],
        from,
        to,
    );
    by_window.grain = Some(Grain::Month);
    agree(state, &hall, &Scope::Department(dept), &by_window).await;
    let windows = agree(state, &hall, &Scope::Hall, &by_window).await;
    let first = windows.rows[0].members["window"].id.clone();
    by_window.filters.insert("window".into(), vec![first]);
    agree(state, &hall, &Scope::Hall, &by_window).await;

    // A case of a closed month sent back for 补正 today: that month's cases are recomputed.
    let month_start = today.format("%Y-%m-01").to_string();
    let case_id = govhall_testkit::query(
        &state.db,
        &format!(
            "SELECT id FROM analytics_cases WHERE day < '{month_start}' AND corrections = 0 ORDER BY day DESC LIMIT 1"
        ),
    )
    .await[0]["id"]
        .as_str()
        .expect("a case of a closed month without 补正")
        .to_string();
    let received = govhall_testkit::query(
        &state.db,
        &format!(
            "SELECT CAST(payload AS TEXT) AS payload FROM events \
             WHERE event_type = 'cases.case.received' AND CAST(payload AS TEXT) LIKE '%{case_id}%'"
        ),
    )
    .await;
    let mut payload: serde_json::Value =
        serde_json::from_str(received[0]["payload"].as_str().unwrap()).unwrap();
    payload["stage"] = "correcting".into();
    let cases = QueryInput::over(&["cases_received", "correction_rate"], &[], from, to);
    let before = agree(state, &hall, &Scope::Hall, &cases).await;
    govhall_platform::events::append(
        &state.db,
        &govhall_platform::events::Actor::system(),
        govhall_platform::events::NewEvent::untyped(
            Some(&hall),
            "cases.case.request_correction",
            payload,
        ),
    )
    .await
    .unwrap();
    govhall_analytics::follower::catch_up(&state.db, 100)
        .await
        .unwrap();
    let after = agree(state, &hall, &Scope::Hall, &cases).await;
    assert_ne!(
        rows(&before),
        rows(&after),
        "the late 补正 changed no figure"
    );

    // More history for past days: the months it reaches are recomputed.
    let issued = |out: &QueryOutput| out.rows[0].values["tickets_issued"].unwrap_or(0.0);
    let total = QueryInput::over(&["tickets_issued", "wait_p90", "good_rate"], &[], from, to);
    let before = agree(state, &hall, &Scope::Hall, &total).await;
    let more = govhall_server::history::HistoryPlan {
        hall: "CA-ZWFW".into(),
        days: 40,
        daily_tickets: 10.0,
        seed: 8,
    };
    govhall_server::history::generate(state, &more)
        .await
        .unwrap();
    let after = agree(state, &hall, &Scope::Hall, &total).await;
    assert!(
        issued(&after) > issued(&before),
        "{} → {}",
        issued(&before),
        issued(&after)
    );
    s.stop().await;
}
