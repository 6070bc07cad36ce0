use futures::StreamExt;
use govhall_testkit::TestServer;
use serde_json::json;
use std::time::Duration;

/// Reads SSE frames until `want` events with data arrived; returns their data lines.
async fn read_events(resp: reqwest::Response, want: usize) -> Vec<serde_json::Value> {
    read_events_where(resp, want, |_| true).await
}

/// Reads SSE frames until `want` events for which `keep` holds arrived (30 s at most).
pub(crate) async fn read_events_where(
    resp: reqwest::Response,
    want: usize,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while out.len() < want {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("events in time")
            .expect("stream open")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                let ev: serde_json::Value = serde_json::from_str(data).unwrap();
                if keep(&ev) {
                    out.push(ev);
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn live_feed_delivers_changes_and_resumes_from_last_event_id() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let recent = api
        .json("/api/v1/halls/CA-ZWFW/events/recent?limit=1")
        .await;
    let last_seq = recent[0]["seq"].as_i64().unwrap();

    let live = api.get("/api/v1/halls/CA-ZWFW/events").await;
    assert_eq!(live.status(), 200);
    assert!(
        live.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let reader = tokio::spawn(read_events(live, 1));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let created = api
        .post(
            "/api/v1/halls/CA-ZWFW/windows",
            &json!({"code": "40", "name": "40号窗口"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let got = reader.await.unwrap();
    assert_eq!(got[0]["event_type"], "directory.window.created");
    assert_eq!(got[0]["payload"]["code"], "40");
    assert!(got[0]["seq"].as_i64().unwrap() > last_seq);

    // A reconnecting client gets exactly what it missed.
    let resumed = api
        .http
        .get(api.url("/api/v1/halls/CA-ZWFW/events"))
        .header("Last-Event-ID", last_seq.to_string())
        .send()
        .await
        .unwrap();
    let replay = read_events(resumed, 1).await;
    assert_eq!(replay[0]["seq"], got[0]["seq"]);
    s.stop().await;
}

/// After the PostgreSQL bridge loses its connection it reads what it may have
/// missed: events committed elsewhere go out once, events already published
/// here do not go out again.
#[tokio::test]
async fn the_bridge_catch_up_publishes_each_missed_event_once() {
    use govhall_platform::events::{Actor, NewEvent, append, bridge};
    let s = TestServer::with_demo().await;
    let state = &s.state;
    let before = bridge_last_seq(state).await;
    // Two events committed "by another instance": in the table, not on this bus.
    let txn = govhall_platform::db::begin_write(&state.db).await.unwrap();
    let mut committed = Vec::new();
    for n in 0..2 {
        let ev = NewEvent::untyped(None, "test.missed", json!({"n": n}));
        committed.push(append(&txn, &Actor::system(), ev).await.unwrap());
    }
    txn.commit().await.unwrap();
    let mut rx = state.bus.subscribe();
    // The first one did arrive by its notice.
    state.bus.publish([committed[0].clone()]);
    assert_eq!(rx.recv().await.unwrap().event.seq, committed[0].seq);

    bridge::catch_up(state, before).await.unwrap();
    bridge::catch_up(state, before).await.unwrap();
    let mut relayed = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        if ev.event.event_type == "test.missed" {
            relayed.push(ev.event.seq);
        }
    }
    assert_eq!(
        relayed,
        vec![committed[1].seq],
        "only the missed event, once"
    );
    s.stop().await;
}

async fn bridge_last_seq(state: &govhall_platform::AppState) -> i64 {
    govhall_platform::events::last_seq(&state.db).await.unwrap()
}

/// A kiosk's or a screen's token reads the queue and the windows only: no
/// account events (user names, sign-in addresses) and no staff roster, live
/// or replayed; staff read every event of their hall.
#[tokio::test]
async fn device_feeds_carry_only_what_devices_show() {
    use crate::queue::{H, issue, kiosk, line};
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    line(&manager, "A", "综合受理", 0).await;
    let device = reqwest::Client::new();
    let url = |path: &str| format!("{}{H}{path}", s.base);
    // Live: the device subscribes, then staff sign in and a ticket is issued.
    let live = device
        .get(url("/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    s.login("clerk01").await;
    assert_eq!(issue(&s, &token, json!({"line": "A"})).await.status(), 201);
    let seen = read_events(live, 1).await;
    assert!(
        seen[0]["event_type"]
            .as_str()
            .unwrap()
            .starts_with("queue."),
        "{seen:?}"
    );

    let shown = |e: &serde_json::Value| {
        let t = e["event_type"].as_str().unwrap();
        t.starts_with("queue.") || t.starts_with("directory.window")
    };
    let recent: Vec<serde_json::Value> = device
        .get(url("/events/recent?limit=200"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!recent.is_empty());
    assert!(recent.iter().all(shown), "{recent:?}");
    // Replayed from the start: the same rule.
    let replay = device
        .get(url("/events?after=0"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let replayed = read_events(replay, recent.len().min(3)).await;
    assert!(replayed.iter().all(shown), "{replayed:?}");
    // Staff see the sign-ins too.
    let staff = manager.json(&format!("{H}/events/recent?limit=200")).await;
    assert!(
        staff
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event_type"] == "auth.login.succeeded"),
        "{staff}"
    );
    s.stop().await;
}
