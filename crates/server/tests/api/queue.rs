//! The queue's hot path through HTTP: issue, call next, finish, the queue view,
//! a citizen's ticket — and many windows calling at once never call a ticket twice.

use govhall_platform::{
    auth::{Role, service as accounts},
    events::Actor,
};
use govhall_server::demo::DEMO_PASSWORD;
use govhall_testkit::{Api, TestServer};
use serde_json::{Value, json};

pub(crate) const H: &str = "/api/v1/halls/CA-ZWFW";

/// A kiosk's device token.
pub(crate) async fn kiosk(manager: &Api) -> String {
    let d: Value = manager
        .post(
            &format!("{H}/devices"),
            &json!({"name": "1号取号机", "purpose": "kiosk"}),
        )
        .await
        .json()
        .await
        .unwrap();
    d["token"].as_str().unwrap().to_string()
}

pub(crate) async fn issue(s: &TestServer, token: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{H}/tickets", s.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn line(manager: &Api, prefix: &str, name: &str, cap: i32) -> String {
    let r = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": prefix, "name": name, "opens_at": "00:00", "closes_at": "23:59", "daily_cap": cap}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) async fn window_id(api: &Api, code: &str) -> String {
    let page = api.json(&format!("{H}/windows?q={code}")).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn tickets_are_numbered_per_line_called_once_and_finished() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    line(&manager, "B", "企业服务", 1).await;
    let dup = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "A", "name": "重复"}),
        )
        .await;
    assert_eq!(dup.status(), 409);

    let mut issued = Vec::new();
    for _ in 0..3 {
        let r = issue(&s, &token, json!({"line": "A"})).await;
        assert_eq!(r.status(), 201);
        issued.push(r.json::<Value>().await.unwrap());
    }
    let numbers: Vec<&str> = issued
        .iter()
        .map(|t| t["ticket"]["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, vec!["A001", "A002", "A003"]);
    assert_eq!(issued[2]["ticket"]["ahead"], 2);
    assert_eq!(issue(&s, &token, json!({"line": "B"})).await.status(), 201);
    let capped = issue(&s, &token, json!({"line": "B"})).await;
    assert_eq!(capped.status(), 409, "daily cap of 1");
    assert!(capped.text().await.unwrap().contains("已全部取完"));
    assert_eq!(
        issue(&s, &token, json!({"line": "A", "channel": "fax"}))
            .await
            .status(),
        422
    );
    assert_eq!(issue(&s, &token, json!({"line": "Z"})).await.status(), 404);

    let clerk = s.login("clerk01").await;
    let w1 = window_id(&clerk, "01").await;
    let call = format!("{H}/windows/{w1}/call-next");
    assert_eq!(
        clerk.post(&call, &json!({})).await.status(),
        403,
        "not signed in there"
    );
    assert_eq!(
        clerk
            .post(&format!("{H}/windows/{w1}/sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    // Window 01 serves only line A.
    let skills = manager
        .put(
            &format!("{H}/windows/{w1}/skills"),
            &json!([{"line_id": a, "level": "primary"}]),
        )
        .await;
    assert_eq!(skills.status(), 200);

    let first: Value = clerk.post(&call, &json!({})).await.json().await.unwrap();
    assert_eq!(first["ticket"]["number"], "A001");
    assert_eq!(first["reason"], "primary");
    let id = first["ticket"]["id"].as_str().unwrap();
    // The holder follows the ticket with the token from the slip; a wrong token finds nothing.
    let mine: Value = s
        .client()
        .json(&format!(
            "/api/v1/tickets/{id}?token={}",
            issued[0]["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(mine["status"], "called");
    assert_eq!(mine["window_id"], w1);
    assert_eq!(
        s.client()
            .get(&format!("/api/v1/tickets/{id}?token=nope"))
            .await
            .status(),
        404
    );

    let queue: Value = s.client().json(&format!("{H}/queue")).await;
    let a_line = queue["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["prefix"] == "A")
        .unwrap();
    assert_eq!(a_line["next"], json!(["A002", "A003"]));
    assert_eq!(queue["serving"], json!([["A001", w1]]));

    let done = clerk
        .post(&format!("/api/v1/tickets/{id}/finish"), &json!({}))
        .await;
    assert_eq!(done.status(), 200);
    assert_eq!(
        clerk
            .post(&format!("/api/v1/tickets/{id}/finish"), &json!({}))
            .await
            .status(),
        409
    );
    for expected in ["A002", "A003"] {
        let next: Value = clerk.post(&call, &json!({})).await.json().await.unwrap();
        assert_eq!(next["ticket"]["number"], expected);
    }
    assert_eq!(
        clerk.post(&call, &json!({})).await.status(),
        204,
        "B001 is not this window's line"
    );

    let events = manager.json(&format!("{H}/events/recent?limit=50")).await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    for k in [
        "queue.ticket.issued",
        "queue.ticket.called",
        "queue.ticket.finished",
        "queue.line.created",
    ] {
        assert!(kinds.contains(&k), "{k}");
    }
}

/// A valid ID number of someone born in 1940 (green at a kiosk by the card alone).
fn elder_id(seq: usize) -> String {
    let first17 = format!("610116194001{:02}{:03}", 1 + seq % 28, seq);
    let check = govhall_kernel::validate::id_card_check_char(&first17).unwrap();
    format!("{first17}{check}")
}

#[tokio::test]
async fn many_windows_calling_at_once_never_call_a_ticket_twice() {
    const WINDOWS: usize = 8;
    const TICKETS: usize = 120;
    // Kiosks at machine speed: the per-kiosk limit is a person's pace.
    let s = TestServer::with_demo_config(govhall_platform::config::Config {
        kiosk_tickets_per_minute: 0,
        ..Default::default()
    })
    .await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    line(&manager, "A", "综合受理", 0).await;
    line(&manager, "C", "社会事务", 0).await;
    for i in 0..TICKETS {
        let r = issue(
            &s,
            &token,
            json!({"line": if i % 3 == 0 { "C" } else { "A" }, "id_number": (i % 7 == 0).then(|| elder_id(i))}),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let clerks = signed_in_clerks(&s, WINDOWS).await;
    let all = call_until_empty(clerks).await;
    let called = all.len();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), called, "a ticket was called twice");
    assert_eq!(called, TICKETS, "every issued ticket was called");

    // Each request audited exactly once: issues and calls commit their entry
    // with the change (the engine's batch), the final 204s by the middleware.
    let audited = |action: &'static str, status: i32| {
        let db = s.state.db.clone();
        async move {
            use sea_orm::ConnectionTrait;
            let sql = format!(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}' AND status = {status}"
            );
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    sql,
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i64>("", "n").unwrap() as usize
        }
    };
    assert_eq!(
        audited("POST /api/v1/halls/{hall}/tickets", 201).await,
        TICKETS
    );
    let call = "POST /api/v1/halls/{hall}/windows/{window}/call-next";
    assert_eq!(audited(call, 200).await, TICKETS);
    assert_eq!(audited(call, 204).await, WINDOWS);
    let report = govhall_platform::audit::verify(&s.state.db, &s.state.audit_seal)
        .await
        .unwrap();
    assert_eq!(report.first_broken, None, "the audit chain verifies");
}

/// `n` window clerks, each signed in at window 01, 02, ….
pub(crate) async fn signed_in_clerks(s: &TestServer, n: usize) -> Vec<(Api, String)> {
    let mut clerks = Vec::new();
    for n in 0..n {
        clerks.push(signed_in_clerk(s, s, n).await);
    }
    clerks
}

/// A new window clerk account (made on `home`), signed in through `via` at
/// window `n + 1`: its client and the window's id.
pub(crate) async fn signed_in_clerk(
    home: &TestServer,
    via: &TestServer,
    n: usize,
) -> (Api, String) {
    let hall = govhall_platform::halls::find_hall(&home.state, "CA-ZWFW")
        .await
        .unwrap();
    let username = format!("testclerk{n:02}");
    accounts::create_user(
        &home.state,
        &Actor::system(),
        accounts::NewUser {
            username: username.clone(),
            display_name: format!("测试窗口{n}"),
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
    let api = via.login(&username).await;
    let w = window_id(&api, &format!("{:02}", n + 1)).await;
    assert_eq!(
        api.post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    (api, w)
}

/// Kiosks issue while windows call: the engine decides both in the same
/// batches, so a ticket may be issued and called in one transaction.
#[tokio::test]
async fn issuing_while_calling_numbers_every_ticket_once_and_calls_each_once() {
    const KIOSKS: usize = 8;
    const EACH: usize = 25;
    // Kiosks at machine speed: the per-kiosk limit is a person's pace.
    let s = TestServer::with_demo_config(govhall_platform::config::Config {
        kiosk_tickets_per_minute: 0,
        ..Default::default()
    })
    .await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    line(&manager, "A", "综合受理", 0).await;
    let clerks = signed_in_clerks(&s, 4).await;
    let issuing_done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let callers: Vec<_> = clerks
        .into_iter()
        .map(|(api, w)| {
            let done = issuing_done.clone();
            tokio::spawn(async move {
                let mut called = Vec::new();
                loop {
                    let r = api
                        .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
                        .await;
                    match r.status().as_u16() {
                        200 => called.push(
                            r.json::<Value>().await.unwrap()["ticket"]["id"]
                                .as_str()
                                .unwrap()
                                .to_string(),
                        ),
                        204 if done.load(std::sync::atomic::Ordering::SeqCst) => return called,
                        204 => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
                        other => panic!("call-next answered {other}"),
                    }
                }
            })
        })
        .collect();
    let kiosks: Vec<_> = (0..KIOSKS)
        .map(|_| {
            let (base, token) = (s.base.clone(), token.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut issued = Vec::new();
                for _ in 0..EACH {
                    let r = client
                        .post(format!("{base}{H}/tickets"))
                        .bearer_auth(&token)
                        .json(&json!({"line": "A"}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 201);
                    let v: Value = r.json().await.unwrap();
                    issued.push((
                        v["ticket"]["id"].as_str().unwrap().to_string(),
                        v["ticket"]["number"].as_str().unwrap().to_string(),
                    ));
                }
                issued
            })
        })
        .collect();
    let mut issued = Vec::new();
    for k in kiosks {
        issued.extend(k.await.unwrap());
    }
    issuing_done.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut called = Vec::new();
    for c in callers {
        called.extend(c.await.unwrap());
    }
    let mut numbers: Vec<String> = issued.iter().map(|(_, n)| n.clone()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=KIOSKS * EACH).map(|i| format!("A{i:03}")).collect();
    assert_eq!(
        numbers, expected,
        "numbers are A001… without a gap or a repeat"
    );
    let mut ids: Vec<String> = issued.into_iter().map(|(id, _)| id).collect();
    ids.sort();
    called.sort();
    assert_eq!(called, ids, "every ticket called exactly once");
    let queue = manager.json(&format!("{H}/queue")).await;
    let a = queue["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["prefix"] == "A")
        .unwrap()
        .clone();
    assert_eq!(a["waiting"], 0, "the stored queue agrees: nobody waits");
}

/// Every window calls at once until nobody waits; returns every ticket called.
pub(crate) async fn call_until_empty(windows: Vec<(Api, String)>) -> Vec<String> {
    let tasks = windows.into_iter().map(|(api, w)| {
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
    futures::future::join_all(tasks)
        .await
        .into_iter()
        .flat_map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn a_window_recalls_parks_transfers_and_marks_no_shows() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    let b = line(&manager, "B", "企业服务", 0).await;
    for l in ["A", "A", "B"] {
        assert_eq!(issue(&s, &token, json!({"line": l})).await.status(), 201);
    }
    let clerk1 = s.login("clerk01").await;
    let clerk2 = s.login("clerk02").await;
    let (w1, w2) = (
        window_id(&clerk1, "01").await,
        window_id(&clerk1, "02").await,
    );
    for (api, w, l) in [(&clerk1, &w1, &a), (&clerk2, &w2, &b)] {
        assert_eq!(
            api.post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
                .await
                .status(),
            200
        );
        let r = manager
            .put(
                &format!("{H}/windows/{w}/skills"),
                &json!([{"line_id": l, "level": "primary"}]),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let act = |api: &Api, id: &str, body: Value| {
        let (api, path) = (api.clone(), format!("/api/v1/tickets/{id}/actions"));
        async move { api.post(&path, &body).await }
    };
    let call = |api: &Api, w: &str| {
        let (api, path) = (api.clone(), format!("{H}/windows/{w}/call-next"));
        async move {
            api.post(&path, &json!({}))
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };

    let a1 = call(&clerk1, &w1).await;
    let id = a1["ticket"]["id"].as_str().unwrap().to_string();
    let recalled: Value = act(&clerk1, &id, json!({"action": "recall"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recalled["called_count"], 2, "{recalled}");
    // Another window cannot touch it.
    assert_eq!(
        act(&clerk2, &id, json!({"action": "start"})).await.status(),
        403
    );
    assert_eq!(
        act(&clerk1, &id, json!({"action": "resume"}))
            .await
            .status(),
        409
    );
    assert_eq!(
        act(&clerk1, &id, json!({"action": "park"})).await.status(),
        200
    );
    assert_eq!(
        act(&clerk1, &id, json!({"action": "resume"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        act(&clerk1, &id, json!({"action": "start"})).await.status(),
        200
    );
    // Transfer to the front of line B, keeping its time: it goes before B001's later number.
    let moved = act(
        &clerk1,
        &id,
        json!({"action": "transfer", "line": "B", "front": true, "note": "需补办企业登记"}),
    )
    .await;
    let code = moved.status();
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(code, 200, "{moved}");
    assert_eq!(moved["status"], "waiting");
    assert_eq!(moved["status_label"], "等候中");
    assert_eq!(moved["status_notice"], "排队中");
    let at_b = call(&clerk2, &w2).await;
    assert_eq!(at_b["ticket"]["number"], "A001");
    assert_eq!(at_b["ticket"]["note"], "需补办企业登记");
    assert_eq!(
        act(&clerk2, &id, json!({"action": "finish"}))
            .await
            .status(),
        200
    );

    let a2 = call(&clerk1, &w1).await;
    let id2 = a2["ticket"]["id"].as_str().unwrap();
    // 过号: by default the first no-show goes back in line, the second voids the ticket.
    let back: Value = act(&clerk1, id2, json!({"action": "no_show"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(back["status"], "waiting", "{back}");
    assert_eq!(back["no_show_count"], 1);
    let again = call(&clerk1, &w1).await;
    assert_eq!(again["ticket"]["id"], id2);
    let gone: Value = act(&clerk1, id2, json!({"action": "no_show"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(gone["status"], "no_show");
    assert_eq!(
        act(&clerk1, id2, json!({"action": "explode"}))
            .await
            .status(),
        422
    );
    let queue: Value = s.client().json(&format!("{H}/queue")).await;
    let total_waiting: u64 = queue["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["waiting"].as_u64().unwrap())
        .sum();
    assert_eq!(total_waiting, 1, "B001 still waits");

    // Transfer to a specific window: only that window calls it, even outside its lines.
    let b1 = call(&clerk2, &w2).await;
    let b1_id = b1["ticket"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        act(
            &clerk2,
            &b1_id,
            json!({"action": "transfer", "line": "B", "window": w2.clone()})
        )
        .await
        .status(),
        422,
        "not to itself"
    );
    let sent: Value = act(
        &clerk2,
        &b1_id,
        json!({"action": "transfer", "line": "B", "window": "01", "front": true, "note": "请1号窗口复核"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(sent["target_window_id"], w1.as_str());
    assert_eq!(
        clerk2
            .post(&format!("{H}/windows/{w2}/call-next"), &json!({}))
            .await
            .status(),
        204,
        "reserved for window 01"
    );
    let got = call(&clerk1, &w1).await;
    assert_eq!(got["ticket"]["id"], b1_id.as_str());
    assert_eq!(got["reason"], "explicit");
}

#[tokio::test]
async fn lines_are_configured_and_a_used_line_cannot_be_deleted() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    let d = line(&manager, "D", "临时", 0).await;
    let bad = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "a1", "name": "", "opens_at": "17:00", "closes_at": "09:00", "aging_minutes": 2}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"prefix")
            && fields.contains(&"name")
            && fields.contains(&"closes_at")
            && fields.contains(&"aging_minutes"),
        "{body}"
    );
    let renamed = manager
        .put(
            &format!("{H}/queue/lines/{a}"),
            &json!({"prefix": "A", "name": "综合受理（一窗通办）", "opens_at": "00:00", "closes_at": "23:59", "aging_minutes": 20}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    // The line's own priority rule is kept and shown.
    assert_eq!(renamed.json::<Value>().await.unwrap()["aging_minutes"], 20);
    assert_eq!(issue(&s, &token, json!({"line": "A"})).await.status(), 201);
    let used = manager.delete(&format!("{H}/queue/lines/{a}")).await;
    assert_eq!(used.status(), 409);
    assert!(used.text().await.unwrap().contains("不能删除"));
    assert_eq!(
        manager
            .delete(&format!("{H}/queue/lines/{d}"))
            .await
            .status(),
        204
    );
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk.delete(&format!("{H}/queue/lines/{a}")).await.status(),
        403
    );
    let lines = clerk.json(&format!("{H}/queue/lines")).await;
    assert_eq!(lines.as_array().unwrap().len(), 1);
    assert_eq!(lines[0]["name"], "综合受理（一窗通办）");
    // A line lists the published matters it serves; unknown codes are refused by name.
    let bad = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "M", "name": "市场主体", "matters": ["11610116MB2957101E4010100100000", "NOPE123"]}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("NOPE123") && !text.contains("4010100100000、"),
        "{text}"
    );
    let ok = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "M", "name": "市场主体", "matters": ["11610116MB2957101E4010100100000"]}),
        )
        .await;
    assert_eq!(ok.status(), 201);
    let view = s.client().json(&format!("{H}/queue")).await;
    let m = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["prefix"] == "M")
        .unwrap();
    assert_eq!(
        m["matters"],
        json!([{"code": "11610116MB2957101E4010100100000", "name": "个体工商户登记"}])
    );
}

/// Signs `api` in at window `code`, serving `line` as its primary line.
pub(crate) async fn staff_window(manager: &Api, api: &Api, code: &str, line: &str) -> String {
    let w = window_id(api, code).await;
    assert_eq!(
        api.post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    let r = manager
        .put(
            &format!("{H}/windows/{w}/skills"),
            &json!([{"line_id": line, "level": "primary"}]),
        )
        .await;
    assert_eq!(r.status(), 200);
    w
}

#[tokio::test]
async fn holders_are_encrypted_one_ticket_each_and_the_elderly_go_green() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    line(&manager, "A", "综合受理", 0).await;
    line(&manager, "B", "不动产", 0).await;
    // Born 1950: over 70, so green without anyone ticking a box.
    let old = "610116195001011231";
    let young = "11010519491231002X";
    let r = issue(
        &s,
        &token,
        json!({"line": "A", "id_number": old, "phone": "13812345678"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let elder: Value = r.json().await.unwrap();
    assert_eq!(elder["ticket"]["class"], "green");
    assert_eq!(elder["ticket"]["green_reason"], "elderly");
    // Terminals show the class as the server names it.
    assert_eq!(elder["ticket"]["green_label"], "70岁以上老人");
    assert_eq!(elder["ticket"]["holder_id"], "610116********1231");
    assert_eq!(elder["ticket"]["holder_phone"], "138****5678");
    assert!(elder["ticket"]["quoted_wait"].as_i64().is_some());
    // The same person cannot hold two tickets of one line, however they ask.
    let twice = issue(&s, &token, json!({"line": "A", "id_number": old})).await;
    assert_eq!(twice.status(), 409);
    assert!(twice.text().await.unwrap().contains("A001"));
    let r = issue(&s, &token, json!({"line": "A", "id_number": young})).await;
    assert_eq!(r.status(), 201);
    let other: Value = r.json().await.unwrap();
    assert_eq!(other["ticket"]["class"], "green", "born 1949");
    // Bad input names the field and changes nothing.
    let bad = issue(
        &s,
        &token,
        json!({"line": "A", "id_number": "610116195001011239", "phone": "1234"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let body = bad.text().await.unwrap();
    assert!(
        body.contains("id_number") && body.contains("phone"),
        "{body}"
    );
    let bad_reason = issue(&s, &token, json!({"line": "A", "green_reason": "vip"})).await;
    assert_eq!(bad_reason.status(), 422);
    // A Chinese character among the digits is refused by name, and a ticket
    // asked for in the same moment is issued: nothing in the engine falls over.
    let (odd, fine) = tokio::join!(
        issue(
            &s,
            &token,
            json!({"line": "A", "id_number": "6101161950010中1239"})
        ),
        issue(&s, &token, json!({"line": "A"})),
    );
    assert_eq!(odd.status(), 422);
    assert!(odd.text().await.unwrap().contains("id_number"));
    assert_eq!(fine.status(), 201);
    // Typed in full width (an IME left in 全角), it is the same number.
    let wide = issue(
        &s,
        &token,
        json!({"line": "B", "id_number": "６１０１１６１９５００１０１１２３１"}),
    )
    .await;
    let wide: Value = wide.json().await.unwrap();
    assert_eq!(wide["ticket"]["holder_id"], "610116********1231", "{wide}");
    // A kiosk cannot put a ticket in the green channel by itself, nor pose as
    // the reception desk or a window.
    for body in [
        json!({"line": "A", "green": true}),
        json!({"line": "A", "green_reason": "disabled"}),
        json!({"line": "A", "channel": "proxy"}),
        json!({"line": "A", "channel": "appointment"}),
    ] {
        let r = issue(&s, &token, body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let text = r.text().await.unwrap();
        assert!(text.contains("green") || text.contains("channel"), "{text}");
    }
    let queue: Value = s.client().json(&format!("{H}/queue")).await;
    assert_eq!(
        queue["lines"][0]["waiting"], 3,
        "two holders and one without an ID"
    );

    // Stored encrypted, never in the event log.
    use sea_orm::{ConnectionTrait, Statement};
    let rows = s
        .state
        .db
        .query_all_raw(Statement::from_string(
            s.state.db.get_database_backend(),
            "SELECT id_enc, phone_enc FROM queue_tickets WHERE id_enc IS NOT NULL",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "two on line A, the full-width one on B");
    for row in rows {
        let enc: String = row.try_get("", "id_enc").unwrap();
        assert!(enc.starts_with("sm4gcm:") && !enc.contains("610116"));
    }
    let events = manager
        .json(&format!("{H}/events/recent?limit=50"))
        .await
        .to_string();
    assert!(!events.contains(old) && !events.contains("13812345678"));

    // The holder cancels from the phone; then may take a new ticket.
    let id = elder["ticket"]["id"].as_str().unwrap();
    let tok = elder["token"].as_str().unwrap();
    let wrong = s
        .client()
        .post(
            &format!("/api/v1/tickets/{id}/cancel"),
            &json!({"token": "x"}),
        )
        .await;
    assert_eq!(wrong.status(), 404);
    let cancelled: Value = s
        .client()
        .post(
            &format!("/api/v1/tickets/{id}/cancel"),
            &json!({"token": tok}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        issue(&s, &token, json!({"line": "A", "id_number": old}))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn settings_apply_at_once_paused_windows_do_not_call_and_the_day_closes() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    for _ in 0..3 {
        assert_eq!(issue(&s, &token, json!({"line": "A"})).await.status(), 201);
    }
    let mut settings = manager.json(&format!("{H}/queue/settings")).await;
    assert_eq!(settings["no_show_requeue_places"], 3);
    settings["no_show_requeue_places"] = json!(0);
    settings["policy"]["aging_minutes"] = json!(1000);
    let bad = manager.put(&format!("{H}/queue/settings"), &settings).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("policy.aging_minutes"));
    settings["policy"]["aging_minutes"] = json!(30);
    assert_eq!(
        manager
            .put(&format!("{H}/queue/settings"), &settings)
            .await
            .status(),
        200
    );

    let clerk = s.login("clerk01").await;
    let w = staff_window(&manager, &clerk, "01", &a).await;
    let paused = clerk
        .put(
            &format!("{H}/windows/{w}/state"),
            &json!({"status": "paused", "reason": "会议"}),
        )
        .await;
    assert_eq!(paused.status(), 200, "{}", paused.text().await.unwrap());
    let refused = clerk
        .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
        .await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("暂停"));
    clerk
        .put(
            &format!("{H}/windows/{w}/state"),
            &json!({"status": "open"}),
        )
        .await;
    let called: Value = clerk
        .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    // With requeue set to 0 the first no-show voids the ticket.
    let id = called["ticket"]["id"].as_str().unwrap();
    let gone: Value = clerk
        .post(
            &format!("/api/v1/tickets/{id}/actions"),
            &json!({"action": "no_show"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(gone["status"], "no_show");

    let closed: Value = manager
        .post(&format!("{H}/queue/close-day"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["voided"], 2);
    let queue: Value = s.client().json(&format!("{H}/queue")).await;
    assert_eq!(queue["lines"][0]["waiting"], 0);
    let accuracy = manager.json(&format!("{H}/queue/accuracy?days=1")).await;
    assert_eq!(accuracy["tickets"], 1, "{accuracy}");
    assert_eq!(
        clerk.get(&format!("{H}/queue/settings")).await.status(),
        403
    );
}

#[tokio::test]
async fn a_visit_is_rated_once_and_a_bad_rating_opens_a_rectification() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let a = line(&manager, "A", "综合受理", 0).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let r: Value = issue(&s, &token, json!({"line": "A"}))
            .await
            .json()
            .await
            .unwrap();
        held.push(r);
    }
    let clerk = s.login("clerk01").await;
    let w = staff_window(&manager, &clerk, "01", &a).await;
    let pad = |body: Value| {
        let (api, path) = (clerk.clone(), format!("{H}/windows/{w}/rating"));
        async move { api.post(&path, &body).await }
    };
    assert_eq!(
        pad(json!({"overall": 5})).await.status(),
        409,
        "nothing finished yet"
    );
    for _ in 0..2 {
        let c: Value = clerk
            .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
            .await
            .json()
            .await
            .unwrap();
        let id = c["ticket"]["id"].as_str().unwrap();
        assert_eq!(
            clerk
                .post(&format!("/api/v1/tickets/{id}/finish"), &json!({}))
                .await
                .status(),
            200
        );
        if c["ticket"]["number"] == "A001" {
            // A001 rates on the window's pad before the next call.
            let r = pad(json!({"overall": 6})).await;
            assert_eq!(r.status(), 422);
            let good = pad(json!({"overall": 5, "tags": ["办事快"]})).await;
            assert_eq!(good.status(), 201);
            let good: Value = good.json().await.unwrap();
            assert_eq!(good["level"], "非常满意");
            assert_eq!(good["window_code"], "01");
            assert_eq!(good["hall_code"], "CA-ZWFW");
            assert!(good["rectification_id"].is_null());
            assert_eq!(
                pad(json!({"overall": 1, "comment": "改评"})).await.status(),
                409,
                "immutable"
            );
        }
    }
    // A002 rates from the phone: a 差评 needs a reason, then opens a rectification ticket.
    let id = held[1]["ticket"]["id"].as_str().unwrap();
    let tok = held[1]["token"].as_str().unwrap();
    let rate = |body: Value| {
        let (api, path) = (s.client(), format!("/api/v1/tickets/{id}/rating"));
        async move { api.post(&path, &body).await }
    };
    assert_eq!(
        rate(json!({"token": tok, "overall": 2})).await.status(),
        422
    );
    assert_eq!(
        rate(json!({"token": "bad", "overall": 2, "comment": "态度差"}))
            .await
            .status(),
        404
    );
    let bad = rate(json!({"token": tok, "overall": 2, "attitude": 1, "comment": "态度生硬"})).await;
    assert_eq!(bad.status(), 201);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["bad"], true);
    let rect_id = bad["rectification_id"].as_str().unwrap().to_string();

    let list = manager.json(&format!("{H}/ratings?bad=true")).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let rects = manager.json(&format!("{H}/rectifications")).await;
    assert_eq!(rects[0]["status"], "pending");
    assert_eq!(rects[0]["status_label"], "待核实");
    let due = chrono::NaiveDate::parse_from_str(rects[0]["due_day"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    let calendar = govhall_directory::calendar::load(&s.state).await.unwrap();
    let today = chrono::NaiveDate::parse_from_str(
        &govhall_queue::tickets::local_day(chrono::Utc::now()).0,
        "%Y-%m-%d",
    )
    .unwrap();
    assert_eq!(
        calendar.working_days_between(today, due),
        5,
        "5 working days by default"
    );
    // Overdue: the center's managers are texted once a day about it.
    {
        use sea_orm::{ConnectionTrait, Statement};
        s.state
            .db
            .execute_raw(Statement::from_string(
                s.state.db.get_database_backend(),
                format!(
                    "UPDATE queue_rectifications SET due_day = '2020-01-06' WHERE id = '{rect_id}'"
                ),
            ))
            .await
            .unwrap();
        let texted = govhall_ratings::reminders::remind(&s.state).await.unwrap();
        assert!(texted >= 1, "the center's managers with a phone");
        let outbox = manager
            .json("/api/v1/notifications?q=%E5%B7%B2%E4%BA%8E%202020-01-06%20%E8%B6%85%E6%9C%9F")
            .await;
        assert_eq!(outbox["total"].as_u64().unwrap() as usize, texted);
        assert_eq!(outbox["items"][0]["kind"], "rectification.reminder");
        govhall_ratings::reminders::remind(&s.state).await.unwrap();
        let again = manager
            .json("/api/v1/notifications?q=%E5%B7%B2%E4%BA%8E%202020-01-06%20%E8%B6%85%E6%9C%9F")
            .await;
        assert_eq!(again["total"], outbox["total"], "once a day");
    }

    let step = |to: &str, note: &str| {
        let (api, path) = (
            manager.clone(),
            format!("{H}/rectifications/{rect_id}/advance"),
        );
        let body = json!({"to": to, "note": note});
        async move { api.post(&path, &body).await }
    };
    assert_eq!(
        step("closed", "直接结案").await.status(),
        409,
        "must be verified first"
    );
    assert_eq!(
        step("verifying", "").await.status(),
        422,
        "a note is required"
    );
    for (to, note) in [
        ("verifying", "调取窗口录像核实"),
        ("rectifying", "情况属实，窗口人员已批评教育"),
        ("replied", "已向评价人反馈整改结果"),
        ("callback", "电话回访，评价人表示认可"),
        ("closed", "结案"),
    ] {
        let r = step(to, note).await;
        assert_eq!(r.status(), 200, "{to}: {}", r.text().await.unwrap());
    }
    let done = manager.json(&format!("{H}/rectifications")).await;
    assert_eq!(done[0]["status"], "closed");
    assert_eq!(done[0]["history"].as_array().unwrap().len(), 5);
    assert_eq!(done[0]["overdue"], false);
    assert_eq!(
        clerk.get(&format!("{H}/rectifications")).await.status(),
        403
    );
}

/// A kiosk issues at a person's pace: past `kiosk_tickets_per_minute` its
/// token is told to wait (429, nothing issued); another kiosk is not held up
/// by it.
#[tokio::test]
async fn a_kiosk_issuing_faster_than_a_person_is_told_to_wait() {
    let s = TestServer::with_demo_config(govhall_platform::config::Config {
        kiosk_tickets_per_minute: 3,
        ..Default::default()
    })
    .await;
    let manager = s.login("manager").await;
    line(&manager, "A", "综合受理", 0).await;
    let first = kiosk(&manager).await;
    for _ in 0..3 {
        assert_eq!(issue(&s, &first, json!({"line": "A"})).await.status(), 201);
    }
    let waiting = manager.json(&format!("{H}/queue")).await;
    let refused = issue(&s, &first, json!({"line": "A"})).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("取号过于频繁"));
    assert_eq!(
        manager.json(&format!("{H}/queue")).await["lines"],
        waiting["lines"],
        "nothing was issued"
    );
    let second = kiosk(&manager).await;
    assert_eq!(issue(&s, &second, json!({"line": "A"})).await.status(), 201);
    s.stop().await;
}

/// A counter sees what it needs and no more: its own window's tickets, and
/// the earlier visits of the holder it is serving, not another window's.
#[tokio::test]
async fn a_clerk_reads_only_their_own_windows_tickets_and_holder() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let line_id = line(&manager, "A", "综合受理", 0).await;
    let token = kiosk(&manager).await;
    let mine = s.login("clerk01").await;
    let other = s.login("clerk02").await;
    let w1 = staff_window(&manager, &mine, "01", &line_id).await;
    let w2 = staff_window(&manager, &other, "02", &line_id).await;
    let t: Value = issue(&s, &token, json!({"line": "A", "phone": "13812340000"}))
        .await
        .json()
        .await
        .unwrap();
    let ticket = t["ticket"]["id"].as_str().unwrap();
    let called = mine
        .post(&format!("{H}/windows/{w1}/call-next"), &json!({}))
        .await;
    assert_eq!(called.status(), 200);

    let own = mine.json(&format!("{H}/windows/{w1}/tickets")).await;
    assert_eq!(own[0]["id"], ticket);
    assert_eq!(
        mine.get(&format!("/api/v1/tickets/{ticket}/visits"))
            .await
            .status(),
        200
    );
    for path in [
        format!("{H}/windows/{w1}/tickets"),
        format!("/api/v1/tickets/{ticket}/visits"),
    ] {
        let r = other.get(&path).await;
        assert_eq!(r.status(), 403, "{path}");
        assert!(r.text().await.unwrap().contains("本"), "{path}");
    }
    assert_eq!(
        other
            .get(&format!("{H}/windows/{w2}/tickets"))
            .await
            .status(),
        200
    );
    s.stop().await;
}
