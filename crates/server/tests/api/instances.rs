//! Two server instances on one PostgreSQL database: calls stay serialized per
//! hall across instances (no ticket called twice), and a call made through one
//! instance reaches the live feed of the other.

use crate::queue::{H, issue, kiosk, window_id};
use futures::StreamExt;
use govhall_platform::{
    auth::{Role, service as accounts},
    events::Actor,
};
use govhall_server::demo::DEMO_PASSWORD;
use govhall_testkit::{TestServer, backend};
use serde_json::{Value, json};
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
    let r = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "A", "name": "综合受理", "opens_at": "00:00", "closes_at": "23:59"}),
        )
        .await;
    assert_eq!(r.status(), 201);
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
    let feed = tokio::spawn(async move {
        let mut stream = live.bytes_stream();
        let (mut buf, mut called) = (String::new(), Vec::new());
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while called.len() < TICKETS {
            let chunk = tokio::time::timeout_at(deadline, stream.next())
                .await
                .expect("called events in time")
                .expect("stream open")
                .unwrap();
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let frame: String = buf.drain(..end + 2).collect();
                if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                    let ev: Value = serde_json::from_str(data).unwrap();
                    if ev["event_type"] == "queue.ticket.called" {
                        called.push(ev["payload"]["window_id"].as_str().unwrap().to_string());
                    }
                }
            }
        }
        called
    });
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Six windows, three signed in through each instance, call until the line is empty.
    let hall = govhall_platform::directory::find_hall(&one.state, "CA-ZWFW")
        .await
        .unwrap();
    let mut clerks = Vec::new();
    for n in 0..6 {
        let username = format!("inst{n:02}");
        accounts::create_user(
            &one.state,
            &Actor::system(),
            accounts::NewUser {
                username: username.clone(),
                display_name: format!("双实例窗口{n}"),
                password: DEMO_PASSWORD.into(),
                roles: vec![Role::WindowStaff],
                custom_roles: vec![],
                hall_id: Some(hall.id.clone()),
                staff_id: None,
                must_change_password: false,
            },
        )
        .await
        .unwrap();
        let server = if n % 2 == 0 { &one } else { &two };
        let api = server.login(&username).await;
        let w = window_id(&api, &format!("{:02}", n + 1)).await;
        assert_eq!(
            api.post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
                .await
                .status(),
            200
        );
        clerks.push((api, w, n % 2 == 0));
    }
    let windows_on_one: Vec<String> = clerks
        .iter()
        .filter(|(_, _, on_one)| *on_one)
        .map(|(_, w, _)| w.clone())
        .collect();
    let tasks = clerks.into_iter().map(|(api, w, _)| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let r = api
                    .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
                    .await;
                match r.status().as_u16() {
                    204 => return mine,
                    200 => {
                        let v: Value = r.json().await.unwrap();
                        mine.push(v["ticket"]["id"].as_str().unwrap().to_string());
                    }
                    other => panic!("call-next answered {other}: {}", r.text().await.unwrap()),
                }
            }
        })
    });
    let mut all: Vec<String> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .flat_map(Result::unwrap)
        .collect();
    let called = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        called,
        "a ticket was called twice across instances"
    );
    assert_eq!(called, TICKETS, "every ticket was called once");

    let seen = feed.await.unwrap();
    assert_eq!(seen.len(), TICKETS);
    assert!(
        seen.iter().any(|w| windows_on_one.contains(w)),
        "calls made through instance one reached instance two's feed"
    );
    two.stop().await;
    one.stop().await;
}
