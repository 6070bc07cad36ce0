//! 预约: slots on working days, booking after an SMS code, quotas, one booking
//! per person, cancellation, check-in at the kiosk (on time → an appointment
//! the window calls in its slot; late → an ordinary ticket), and missed
//! bookings suspending the person's booking.

use crate::queue::{H, kiosk, staff_window};
use govhall_testkit::TestServer;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// The code a demonstration hands back (no SMS leaves; the outbox shows it masked).
async fn demo_code(sent: reqwest::Response) -> String {
    assert_eq!(sent.status(), 202);
    let body: Value = sent.json().await.unwrap();
    body["demo_code"].as_str().expect("a demo code").to_string()
}

async fn send_code(s: &TestServer, phone: &str) -> reqwest::Response {
    s.client()
        .post(&format!("{H}/phone-codes"), &json!({"phone": phone}))
        .await
}

async fn book(s: &TestServer, body: Value) -> reqwest::Response {
    let phone = body["phone"].as_str().unwrap();
    let code = demo_code(send_code(s, phone).await).await;
    let mut body = body;
    body["code"] = code.into();
    s.client().post(&format!("{H}/appointments"), &body).await
}

/// Moves a booking in time (what the clock would do).
async fn shift(s: &TestServer, id: &str, set: &str) {
    s.state
        .db
        .execute_raw(Statement::from_string(
            s.state.db.get_database_backend(),
            format!("UPDATE queue_appointments SET {set} WHERE id = '{id}'"),
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_booking_is_checked_in_on_time_and_called_in_its_slot() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let day = manager.json(&format!("{H}/queue")).await["day"]
        .as_str()
        .unwrap()
        .to_string();
    // The hall opens today for this test, whatever the national calendar says.
    assert_eq!(
        manager
            .put(
                &format!("{H}/calendar/days/{day}"),
                &json!({"kind": "open", "name": "测试开放"}),
            )
            .await
            .status(),
        200
    );
    let r = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "Y", "name": "预约业务", "opens_at": "00:00", "closes_at": "23:59",
                "slot_minutes": 5, "slot_quota": 1}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let line: Value = r.json().await.unwrap();
    let bad = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "Z", "name": "坏", "slot_minutes": 1}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("预约时段长度"));

    let slots = s.client().json(&format!("{H}/queue/lines/Y/slots")).await;
    let today = &slots["days"][0];
    assert_eq!(today["day"], day.as_str());
    // The next open five-minute slot that does not start within two
    // minutes (it would start while the test books it). In the last minutes
    // before midnight (Beijing time) today has none left and this test cannot run.
    let (_, now) = govhall_queue::tickets::local_day(chrono::Utc::now());
    let minutes = |hhmm: &str| {
        let (h, m) = hhmm.split_once(':').unwrap();
        h.parse::<i32>().unwrap() * 60 + m.parse::<i32>().unwrap()
    };
    let Some(slot) = today["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["open"] == true && minutes(s["from"].as_str().unwrap()) > now + 2)
        .cloned()
    else {
        let (_, minute) = govhall_queue::tickets::local_day(chrono::Utc::now());
        assert!(minute >= 24 * 60 - 10, "an open slot later today");
        eprintln!("skipped: no slot left today, minutes before midnight");
        return;
    };
    let from = slot["from"].as_str().unwrap().to_string();

    // The code is rate limited and must be right.
    let code = demo_code(send_code(&s, "13800000001").await).await;
    let again = send_code(&s, "13800000001").await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("秒后再获取"));
    let wrong = s
        .client()
        .post(
            &format!("{H}/appointments"),
            &json!({"line": "Y", "day": day, "from": from, "phone": "13800000001", "code": "000000"}),
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("验证码"));
    let r = s
        .client()
        .post(
            &format!("{H}/appointments"),
            &json!({"line": "Y", "day": day, "from": from, "phone": "13800000001", "code": code,
                "id_number": "11010519491231002X"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let booked: Value = r.json().await.unwrap();
    let appt = &booked["appointment"];
    assert_eq!(appt["status"], "booked");
    assert_eq!(appt["status_label"], "待签到");
    assert_eq!(appt["status_notice"], "已预约");
    assert_eq!(appt["phone"], "138****0001");
    let checkin_code = appt["code"].as_str().unwrap().to_string();
    assert_eq!(checkin_code.len(), 6);
    let token = booked["token"].as_str().unwrap();
    let id = appt["id"].as_str().unwrap();
    let mine = s
        .client()
        .json(&format!("/api/v1/appointments/{id}?token={token}"))
        .await;
    assert_eq!(mine["from"], from.as_str());
    assert_eq!(
        mine["code"],
        checkin_code.as_str(),
        "the holder sees the code"
    );
    let listed = manager.json(&format!("{H}/appointments?day={day}")).await;
    assert_eq!(
        listed[0]["code"], "******",
        "the hall's list shows the code masked: {listed}"
    );

    // The slot's one place is taken; the same person cannot book the line twice a day.
    let full = book(
        &s,
        json!({"line": "Y", "day": day, "from": from, "phone": "13800000002"}),
    )
    .await;
    assert_eq!(full.status(), 409);
    assert!(full.text().await.unwrap().contains("已约满"));
    let later = today["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["open"] == true && minutes(s["from"].as_str().unwrap()) > minutes(&from))
        .map(|s| s["from"].as_str().unwrap().to_string());
    if let Some(later) = &later {
        let twice = book(
            &s,
            json!({"line": "Y", "day": day, "from": later, "phone": "13800000003",
                "id_number": "11010519491231002X"}),
        )
        .await;
        assert_eq!(twice.status(), 409);
        assert!(twice.text().await.unwrap().contains("只能预约一次"));
    }
    let slots = s.client().json(&format!("{H}/queue/lines/Y/slots")).await;
    let left = slots["days"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["from"] == from.as_str())
        .unwrap()["left"]
        .clone();
    assert_eq!(left, 0);

    // Confirmation SMS went to the outbox and was dispatched; the outbox
    // shows the 签到码 masked, as it shows the verification code.
    let mut sent = false;
    for _ in 0..40 {
        let page = manager
            .json("/api/v1/notifications?q=138****0001&channel=sms")
            .await;
        sent = page["items"].as_array().unwrap().iter().any(|n| {
            n["kind"] == "appointment.booked"
                && n["status"] == "sent"
                && n["provider"] == "outbox"
                && n["body"].as_str().unwrap().contains("签到码 ******")
        });
        if sent {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent, "the booking's SMS is recorded as sent");
    let verify = manager
        .json("/api/v1/notifications?q=138****0001&channel=sms")
        .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "verify_code")
        .cloned()
        .expect("the code's SMS");
    assert!(
        verify["body"].as_str().unwrap().contains("验证码为 ******"),
        "{verify}"
    );
    // Neither code is anywhere in the database in clear.
    for secret in [&code, &checkin_code] {
        for (table, columns) in [
            ("notifications", "body || params"),
            ("queue_appointments", "code"),
            ("phone_codes", "code_hash"),
        ] {
            let hits = govhall_testkit::query(
                &s.state.db,
                &format!("SELECT {columns} AS v FROM {table} WHERE {columns} LIKE '%{secret}%'"),
            )
            .await;
            assert!(hits.is_empty(), "{secret} in clear in {table}: {hits:?}");
        }
    }

    // Check-in at the kiosk by code: an appointment ticket, called in its slot.
    let device = kiosk(&manager).await;
    let checkin = |body: Value| {
        let device = device.clone();
        let url = format!("{}{H}/appointments/check-in", s.base);
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(device)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = checkin(json!({"code": checkin_code})).await;
    assert_eq!(r.status(), 201);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["late"], false);
    assert_eq!(done["ticket"]["class"], "appointment");
    assert_eq!(done["ticket"]["channel"], "appointment");
    assert!(
        done["ticket"]["appointment_slot"]
            .as_str()
            .unwrap()
            .starts_with(&from)
    );
    assert_eq!(done["appointment"]["status"], "checked_in");
    assert_eq!(
        checkin(json!({"code": checkin_code})).await.status(),
        404,
        "checked in once"
    );

    let clerk = s.login("clerk01").await;
    let w = staff_window(&manager, &clerk, "01", line["id"].as_str().unwrap()).await;
    let skills = manager.json(&format!("{H}/queue/skills")).await;
    assert_eq!(
        skills,
        json!([{"window_id": w, "line_id": line["id"], "level": "primary"}])
    );
    let called: Value = clerk
        .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(called["ticket"]["id"], done["ticket"]["id"]);
    assert_eq!(called["reason"], "appointment");

    // A late arrival is queued as an ordinary ticket. The booking is moved to
    // 00:00—00:05, late once the 15-minute tolerance has passed: not in the
    // first twenty minutes after midnight (Beijing time).
    let (_, minute) = govhall_queue::tickets::local_day(chrono::Utc::now());
    if let Some(later) = later
        && minute > 5 + 15
    {
        let r = book(
            &s,
            json!({"line": "Y", "day": day, "from": later, "phone": "13800000004"}),
        )
        .await;
        assert_eq!(r.status(), 201);
        let late: Value = r.json().await.unwrap();
        let id = late["appointment"]["id"].as_str().unwrap();
        shift(&s, id, "slot_from = 0, slot_to = 5").await;
        let r = checkin(json!({"phone": "13800000004"})).await;
        assert_eq!(r.status(), 201);
        let done: Value = r.json().await.unwrap();
        assert_eq!(done["late"], true);
        assert_eq!(done["ticket"]["class"], "normal");
        assert!(done["ticket"]["appointment_slot"].is_null());
    }
    assert_eq!(
        checkin(json!({})).await.status(),
        422,
        "a check-in needs a code, ID or phone"
    );

    // 远程取号 from the phone: a code of purpose `ticket`, not a booking's.
    let anon = s.client();
    let code = demo_code(
        anon.post(
            &format!("{H}/phone-codes"),
            &json!({"phone": "13800000009", "purpose": "ticket"}),
        )
        .await,
    )
    .await;
    let r = anon
        .post(
            &format!("{H}/remote-tickets"),
            &json!({"line": "Y", "phone": "13800000009", "code": "999999"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    // The phone's 智能导办 result rides on the ticket, as the kiosk's does.
    let guidance =
        json!({"item": "11610116MB2957101E4010100200000", "answers": {"kind": {"choice": "new"}}});
    let r = anon
        .post(
            &format!("{H}/remote-tickets"),
            &json!({"line": "Y", "phone": "13800000009", "code": code, "guidance": guidance}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let remote: Value = r.json().await.unwrap();
    assert_eq!(remote["ticket"]["channel"], "mobile");
    assert_eq!(remote["ticket"]["guidance"], guidance);
    assert_eq!(remote["ticket"]["holder_phone"], "138****0009");
    let reused = anon
        .post(
            &format!("{H}/remote-tickets"),
            &json!({"line": "Y", "phone": "13800000009", "code": code}),
        )
        .await;
    assert_eq!(reused.status(), 422, "a code is used once");
}

#[tokio::test]
async fn bookings_skip_holidays_cancel_and_missed_ones_suspend_booking() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let r = manager
        .post(
            &format!("{H}/queue/lines"),
            &json!({"prefix": "Y", "name": "预约业务", "opens_at": "09:00", "closes_at": "12:00",
                "slot_minutes": 30, "slot_quota": 2}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let mut settings = manager.json(&format!("{H}/queue/settings")).await;
    settings["booking_days_ahead"] = 20.into();
    settings["appointment_no_show_limit"] = 1.into();
    assert_eq!(
        manager
            .put(&format!("{H}/queue/settings"), &settings)
            .await
            .status(),
        200
    );
    let slots = s.client().json(&format!("{H}/queue/lines/Y/slots")).await;
    let days = slots["days"].as_array().unwrap();
    // A future working day, then declared a holiday: it leaves the list and cannot be booked.
    let day = days
        .iter()
        .map(|d| d["day"].as_str().unwrap().to_string())
        .nth(1)
        .expect("two working days within twenty");
    assert!(days[0]["slots"].as_array().unwrap().len() == 6);
    let holiday = days
        .iter()
        .map(|d| d["day"].as_str().unwrap().to_string())
        .nth(2)
        .unwrap();
    assert_eq!(
        manager
            .put(
                &format!("{H}/calendar/days/{holiday}"),
                &json!({"kind": "closed", "name": "闭厅检修"}),
            )
            .await
            .status(),
        200
    );
    let slots = s.client().json(&format!("{H}/queue/lines/Y/slots")).await;
    assert!(
        !slots["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["day"] == holiday.as_str())
    );
    let refused = book(
        &s,
        json!({"line": "Y", "day": holiday, "from": "09:00", "phone": "13900000001"}),
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("节假日"));
    let no_slot = book(
        &s,
        json!({"line": "Y", "day": day, "from": "09:10", "phone": "13900000002"}),
    )
    .await;
    assert_eq!(no_slot.status(), 422);

    // Booked and cancelled: the place is free again; a second cancel is refused.
    let r = book(
        &s,
        json!({"line": "Y", "day": day, "from": "09:00", "phone": "13900000003",
            "id_number": "11010519491231002X"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let b: Value = r.json().await.unwrap();
    let (id, token) = (
        b["appointment"]["id"].as_str().unwrap().to_string(),
        b["token"].as_str().unwrap().to_string(),
    );
    let cancel = |token: String| {
        let id = id.clone();
        let client = s.client();
        async move {
            client
                .post(
                    &format!("/api/v1/appointments/{id}/cancel"),
                    &json!({"token": token}),
                )
                .await
        }
    };
    assert_eq!(cancel("wrong".into()).await.status(), 404);
    let r = cancel(token.clone()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
    assert_eq!(cancel(token).await.status(), 409);

    // A missed booking (its day passed without a check-in) suspends the person.
    let r = book(
        &s,
        json!({"line": "Y", "day": day, "from": "09:30", "phone": "13900000004",
            "id_number": "11010519491231002X"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let b: Value = r.json().await.unwrap();
    let yesterday = manager.json(&format!("{H}/queue")).await["day"]
        .as_str()
        .unwrap()
        .to_string();
    let yesterday = {
        let d = chrono::NaiveDate::parse_from_str(&yesterday, "%Y-%m-%d").unwrap();
        (d - chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string()
    };
    shift(
        &s,
        b["appointment"]["id"].as_str().unwrap(),
        &format!("day = '{yesterday}'"),
    )
    .await;
    let banned = book(
        &s,
        json!({"line": "Y", "day": day, "from": "10:00", "phone": "13900000005",
            "id_number": "11010519491231002X"}),
    )
    .await;
    assert_eq!(banned.status(), 409);
    assert!(banned.text().await.unwrap().contains("暂停预约"));
    // Someone else still books.
    let other = book(
        &s,
        json!({"line": "Y", "day": day, "from": "10:00", "phone": "13900000006"}),
    )
    .await;
    assert_eq!(other.status(), 201);
    // A booking from long ago keeps its record but loses the person's data at the close of day.
    shift(&s, &id, "day = '2020-01-06'").await;
    // The close of day records the miss.
    let closed: Value = manager
        .post(&format!("{H}/queue/close-day"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["missed_appointments"], 1);
    assert_eq!(closed["personal_data_erased"]["appointments"], 1);
    let old = manager
        .json(&format!("{H}/appointments?day=2020-01-06"))
        .await;
    assert_eq!(old[0]["status"], "cancelled");
    assert_eq!(old[0]["phone"], "");
    assert!(old[0]["id_number"].is_null());
    let list = manager
        .json(&format!("{H}/appointments?day={yesterday}"))
        .await;
    assert_eq!(list[0]["status"], "no_show");
    assert_eq!(list[0]["id_number"], "110105********002X");
}

#[tokio::test]
async fn a_hall_sends_at_most_600_codes_an_hour() {
    use sea_orm::{TransactionTrait, Value};
    let s = TestServer::with_demo().await;
    let hall = govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap();
    // The last hour's codes, as if 600 citizens had asked.
    let now = chrono::Utc::now();
    let txn = s.state.db.begin().await.unwrap();
    for i in 0..600 {
        let row: Vec<(&str, Value)> = vec![
            ("id", format!("n{i}").into()),
            ("hall_id", Some(hall.id.clone()).into()),
            ("channel", "sms".into()),
            ("kind", "verify_code".into()),
            ("dedupe_key", format!("test:{i}").into()),
            ("recipient", "139****0000".into()),
            ("params", "{}".into()),
            ("body", "验证码".into()),
            ("status", "sent".into()),
            ("attempts", 1i32.into()),
            ("next_at", now.into()),
            ("provider", "outbox".into()),
            ("created_at", (now - chrono::Duration::minutes(30)).into()),
            ("sent_at", now.into()),
        ];
        govhall_testkit::insert_row(&txn, "notifications", row).await;
    }
    txn.commit().await.unwrap();
    let r = send_code(&s, "13700000001").await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("过于频繁"));
}

async fn send_code_from(s: &TestServer, phone: &str, forwarded: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(s.client().url(&format!("{H}/phone-codes")))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"phone": phone}))
        .send()
        .await
        .unwrap()
}

/// An address may ask for thirty codes an hour; a forwarded address counts
/// only when the proxy that forwarded it is trusted.
#[tokio::test]
async fn codes_are_limited_per_client_address() {
    let s = TestServer::with_demo().await;
    for n in 0..30 {
        let r = send_code_from(&s, &format!("1390000{n:04}"), "203.0.113.9").await;
        assert_eq!(r.status(), 202, "code {n}");
    }
    // The header names another address, but nobody trusts it: still this peer.
    let refused = send_code_from(&s, "13900009999", "203.0.113.10").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("过于频繁"));
    s.stop().await;

    // Behind a trusted nginx every citizen is counted by their own address,
    // and the audit log names it.
    let behind_proxy = govhall_platform::config::Config {
        trusted_proxies: vec!["127.0.0.1".into()],
        ..Default::default()
    };
    let s = TestServer::with_demo_config(behind_proxy).await;
    for n in 0..30 {
        let r = send_code_from(&s, &format!("1390000{n:04}"), "203.0.113.9").await;
        assert_eq!(r.status(), 202, "code {n}");
    }
    assert_eq!(
        send_code_from(&s, "13900009998", "203.0.113.9")
            .await
            .status(),
        429
    );
    assert_eq!(
        send_code_from(&s, "13900009999", "1.1.1.1, 203.0.113.10")
            .await
            .status(),
        202
    );
    let auditor = s.login("auditor").await;
    let rows = auditor.json("/api/v1/audit?page_size=200").await;
    let ips: Vec<&str> = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "POST /api/v1/halls/{hall}/phone-codes")
        .filter_map(|r| r["ip"].as_str())
        .collect();
    assert!(
        ips.contains(&"203.0.113.10") && !ips.contains(&"1.1.1.1"),
        "{ips:?}"
    );
    s.stop().await;
}
