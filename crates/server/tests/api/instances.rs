//! Two server instances on one PostgreSQL database: calls stay serialized per
//! hall across instances (no ticket called twice), and a call made through one
//! instance reaches the live feed of the other.

use crate::events::read_events_where;
use crate::queue::{H, call_until_empty, issue, kiosk, line, signed_in_clerk};
use govhall_server::demo::DEMO_PASSWORD;
use govhall_testkit::{TestServer, backend};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn two_instances_share_calls_and_live_events() {
    if backend() != "postgres" {
        // Several instances need the shared PostgreSQL (SQLite is one process's file).
        return;
    }
    const TICKETS: usize = 60;
    let one = TestServer::with_demo().await;
    let two = one.another_instance().await;
    let manager = one.login("manager").await;
    line(&manager, "A", "综合受理", 0).await;
    // The kiosk registered through one instance takes tickets through the other.
    let device = kiosk(&manager).await;
    for _ in 0..TICKETS {
        assert_eq!(
            issue(&two, &device, json!({"line": "A"})).await.status(),
            201
        );
    }

    // A screen on instance two follows the hall.
    let watcher = two.login("manager").await;
    let live = watcher.get(&format!("{H}/events")).await;
    assert_eq!(live.status(), 200);
    let feed = tokio::spawn(read_events_where(live, TICKETS, |ev| {
        ev["event_type"] == "queue.ticket.called"
    }));
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Six windows, three signed in through each instance, call until the line is empty.
    let mut clerks = Vec::new();
    for n in 0..6 {
        let via = if n % 2 == 0 { &one } else { &two };
        let (api, w) = signed_in_clerk(&one, via, n).await;
        clerks.push((api, w, n % 2 == 0));
    }
    let windows_on_one: Vec<String> = clerks
        .iter()
        .filter(|(_, _, on_one)| *on_one)
        .map(|(_, w, _)| w.clone())
        .collect();
    let all = call_until_empty(clerks.into_iter().map(|(api, w, _)| (api, w)).collect()).await;
    let called = all.len();
    let mut all = all;
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        called,
        "a ticket was called twice across instances"
    );
    assert_eq!(called, TICKETS, "every ticket was called once");

    let seen: Vec<String> = feed
        .await
        .unwrap()
        .iter()
        .map(|ev| ev["payload"]["window_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen.len(), TICKETS);
    assert!(
        seen.iter().any(|w| windows_on_one.contains(w)),
        "calls made through instance one reached instance two's feed"
    );
    two.stop().await;
    one.stop().await;
}

/// Instance two keeps a copy of the signed-in session; signing out through
/// instance one reaches it over the bridge well before the copy's two-second
/// limit would.
#[tokio::test]
async fn signing_out_through_one_instance_ends_the_session_on_the_other() {
    if backend() != "postgres" {
        return;
    }
    let one = TestServer::with_demo().await;
    let two = one.another_instance().await;
    let anon = one.client();
    let resp = anon
        .post(
            "/api/v1/auth/login",
            &json!({"username": "manager", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let me_on_two = || async {
        reqwest::Client::new()
            .get(two.client().url("/api/v1/auth/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(me_on_two().await, 200, "instance two now holds a copy");
    assert_eq!(
        anon.post("/api/v1/auth/logout", &json!({})).await.status(),
        204
    );
    let started = std::time::Instant::now();
    while me_on_two().await != 401 {
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "instance two still accepts a session signed out through instance one"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    two.stop().await;
    one.stop().await;
}

/// The listening connections are cut while tickets are issued through
/// instance one: instance two's screen still receives every issue, from the
/// bridge's catch-up once it listens again.
#[tokio::test]
async fn events_committed_while_the_bridge_is_down_still_reach_the_other_instance() {
    if backend() != "postgres" {
        return;
    }
    const TICKETS: usize = 10;
    let one = TestServer::with_demo().await;
    let two = one.another_instance().await;
    let manager = one.login("manager").await;
    line(&manager, "A", "综合受理", 0).await;
    let device = kiosk(&manager).await;
    let watcher = two.login("manager").await;
    let live = watcher.get(&format!("{H}/events")).await;
    assert_eq!(live.status(), 200);
    let feed = tokio::spawn(read_events_where(live, TICKETS, |ev| {
        ev["event_type"] == "queue.ticket.issued"
    }));
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Cut every LISTEN connection of this database; the bridges wait a
    // second before reconnecting, and the tickets are issued meanwhile.
    use sea_orm::ConnectionTrait;
    let cut = one
        .state
        .db
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query ILIKE 'LISTEN%' \
             AND pid <> pg_backend_pid()",
        )
        .await
        .unwrap();
    assert!(cut.rows_affected() >= 1, "a listening connection was cut");
    for _ in 0..TICKETS {
        assert_eq!(
            issue(&one, &device, json!({"line": "A"})).await.status(),
            201
        );
    }
    let seen = feed.await.unwrap();
    assert_eq!(seen.len(), TICKETS, "every issue reached instance two");
    two.stop().await;
    one.stop().await;
}

/// Each instance keeps its own search index: an item withdrawn through
/// instance one leaves instance two's search results too.
#[tokio::test]
async fn a_catalog_change_through_one_instance_reaches_the_other_instance_s_search() {
    if backend() != "postgres" {
        return;
    }
    const C: &str = "/api/v1/halls/CA-ZWFW/catalog";
    let one = TestServer::with_demo().await;
    let two = one.another_instance().await;
    let on_one = one.login("manager").await;
    let on_two = two.login("manager").await;
    let search_two = || async {
        on_two
            .json(&format!(
                "{C}/search?q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF"
            ))
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["id"].as_str().map(str::to_string))
            .collect::<Vec<String>>()
    };
    let page = on_one
        .json(&format!(
            "{C}/items?q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF"
        ))
        .await;
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    assert!(
        search_two().await.contains(&id),
        "instance two finds 食品经营许可"
    );
    let w = on_one
        .post(
            &format!("{C}/items/{id}/withdraw"),
            &json!({"note": "双实例测试"}),
        )
        .await;
    assert_eq!(w.status(), 200);
    let started = std::time::Instant::now();
    while search_two().await.contains(&id) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "instance two still finds an item withdrawn through instance one"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    two.stop().await;
    one.stop().await;
}
