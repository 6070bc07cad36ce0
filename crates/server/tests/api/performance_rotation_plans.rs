//! 交叉轮岗 by date: a plan scheduled for a later day changes nobody's
//! authorisation until the clock applies it on that day; another plan
//! replaces it, and so does a plan applied at once; a cancelled one never
//! applies; one that is no longer sound on its day fails with the reasons
//! named and changes nothing.

use govhall_testkit::Api;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

async fn grants_of(s: &govhall_testkit::TestServer, staff: &str) -> Vec<Value> {
    govhall_testkit::query(
        &s.state.db,
        &format!("SELECT window_id FROM hr_window_grants WHERE staff_id = '{staff}'"),
    )
    .await
}

/// Schedules `plan` for `day` (a plan as the page lists it).
async fn schedule(manager: &Api, plan: &[Value], day: chrono::NaiveDate) -> reqwest::Response {
    manager
        .post(
            &format!("{H}/performance/rotation/apply"),
            &json!({"assignments": plan, "effective_on": day.to_string()}),
        )
        .await
}

fn assignments(page: &Value) -> Vec<Value> {
    page["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["proposed_staff"].is_string())
        .map(|r| json!({"window_id": r["window_id"], "staff_id": r["proposed_staff"]}))
        .collect()
}

#[tokio::test]
async fn a_plan_scheduled_for_a_later_day_applies_on_that_day_or_fails_with_reasons() {
    let s = crate::analytics::with_history_of(30, 150.0).await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let today = govhall_kernel::time::today();
    let tomorrow = today + chrono::Duration::days(1);
    let capabilities = format!("{H}/performance/capabilities");
    let apply = format!("{H}/performance/rotation/apply");
    let page = manager.json(&capabilities).await;
    let plan = assignments(&page);
    let moved = page["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["moved"] == true)
        .expect("the proposal moves someone")
        .clone();
    let mover = moved["proposed_staff"].as_str().unwrap().to_string();
    let before = grants_of(&s, &mover).await;
    assert_ne!(before, [json!({"window_id": moved["window_id"]})]);

    // A day gone by, or beyond a quarter: refused by field, nothing written.
    for day in [
        today - chrono::Duration::days(1),
        today + chrono::Duration::days(100),
    ] {
        let r = schedule(&manager, &plan, day).await;
        assert_eq!(r.status(), 422);
        assert_eq!(
            crate::payroll::fields(&r.json().await.unwrap()),
            ["effective_on"]
        );
    }
    assert!(manager.json(&capabilities).await["scheduled"].is_null());

    // Scheduled for tomorrow: the page shows it; nobody's windows change yet.
    let r = schedule(&manager, &plan, tomorrow).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["scheduled"]["effective_on"], tomorrow.to_string());
    assert_eq!(page["scheduled"]["status_label"], "待执行");
    assert_eq!(
        assignments(&page),
        plan,
        "the page shows the scheduled plan"
    );
    assert_eq!(grants_of(&s, &mover).await, before);
    let due = govhall_performance::rotation_plans::apply_due(&s.state, today)
        .await
        .unwrap();
    assert_eq!(due, 0, "not due today");
    assert_eq!(grants_of(&s, &mover).await, before);

    // On its day the clock applies it, once.
    let due = govhall_performance::rotation_plans::apply_due(&s.state, tomorrow)
        .await
        .unwrap();
    assert_eq!(due, 1);
    assert_eq!(
        grants_of(&s, &mover).await,
        [json!({"window_id": moved["window_id"]})]
    );
    let again = govhall_performance::rotation_plans::apply_due(&s.state, tomorrow)
        .await
        .unwrap();
    assert_eq!(again, 0);
    let page = manager.json(&capabilities).await;
    assert!(page["scheduled"].is_null());
    assert_eq!(page["history"][0]["status"], "applied", "{page}");

    // A second plan replaces the first; two at once leave one waiting (the
    // loser told to retry); the one waiting can be cancelled, once.
    let plan = assignments(&page);
    let body = json!({"assignments": plan, "effective_on": tomorrow.to_string()});
    let (a, b) = tokio::join!(manager.post(&apply, &body), manager.post(&apply, &body));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [200, 409].contains(s)),
        "{statuses:?}"
    );
    let waiting = govhall_testkit::query(
        &s.state.db,
        "SELECT id FROM perf_rotations WHERE status = 'scheduled'",
    )
    .await;
    assert_eq!(waiting.len(), 1);
    // Serialised, the later replaced the earlier; else replace it now.
    if statuses != [200, 200] {
        let r = manager.post(&apply, &body).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let page = manager.json(&capabilities).await;
    assert_eq!(page["history"][0]["status"], "cancelled");
    assert!(
        page["history"][0]["note"]
            .as_str()
            .unwrap()
            .contains("新方案取代"),
        "{page}"
    );
    let id = page["scheduled"]["id"].as_str().unwrap().to_string();
    let cancel = format!("{H}/performance/rotation-plans/{id}/cancel");
    assert_eq!(clerk.post(&cancel, &json!({})).await.status(), 403);
    let r = manager.post(&cancel, &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page: Value = r.json().await.unwrap();
    assert!(page["scheduled"].is_null());
    let r = manager.post(&cancel, &json!({})).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已取消"));
    assert_eq!(
        govhall_performance::rotation_plans::apply_due(&s.state, tomorrow)
            .await
            .unwrap(),
        0,
        "a cancelled plan never applies"
    );

    // A plan applied at once while another waits: the waiting one is void.
    let plan = assignments(&manager.json(&capabilities).await);
    let r = schedule(&manager, &plan, tomorrow).await;
    assert_eq!(r.status(), 200);
    let r = manager.post(&apply, &json!({"assignments": plan})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page: Value = r.json().await.unwrap();
    assert!(page["scheduled"].is_null());
    assert_eq!(page["history"][0]["status"], "applied");
    assert_eq!(page["history"][1]["status"], "cancelled");
    assert!(
        page["history"][1]["note"]
            .as_str()
            .unwrap()
            .contains("立即执行"),
        "{page}"
    );

    // Scheduled, then a line's matter comes to require a course nobody has
    // passed: on its day the plan fails, naming who is not certified, and
    // no authorisation changes.
    let page = manager.json(&capabilities).await;
    let plan = assignments(&page);
    let r = schedule(&manager, &plan, tomorrow).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let lines = manager.json(&format!("{H}/queue/lines")).await;
    let served: Vec<&Value> = page["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["proposed_staff"].is_string())
        .flat_map(|r| r["lines"].as_array().unwrap())
        .collect();
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| served.contains(&&l["id"]) && !l["matters"].as_array().unwrap().is_empty())
        .expect("a planned window serves a line with matters");
    let matter = line["matters"][0].as_str().unwrap();
    crate::performance::require_new_course(&manager, matter, "轮岗前上岗培训").await;
    let all_grants = || async {
        govhall_testkit::query(
            &s.state.db,
            "SELECT staff_id, window_id FROM hr_window_grants ORDER BY staff_id, window_id",
        )
        .await
    };
    let grants = all_grants().await;
    let due = govhall_performance::rotation_plans::apply_due(&s.state, tomorrow)
        .await
        .unwrap();
    assert_eq!(due, 0);
    assert_eq!(all_grants().await, grants, "nothing half-applied");
    let page = manager.json(&capabilities).await;
    assert!(page["scheduled"].is_null());
    let failed = &page["history"][0];
    assert_eq!(failed["status_label"], "未能执行", "{page}");
    assert!(
        failed["note"].as_str().unwrap().contains("未取得"),
        "{failed}"
    );
    s.stop().await;
}
