//! 数据可视化 through HTTP: the figures of a generated history agree with the
//! event log, survive a rebuild, follow a live call, stay within each role's
//! scope, drill down to tickets, export to Excel and feed window planning.

use crate::queue::{H, issue, kiosk, signed_in_clerk};
use govhall_testkit::{Api, TestServer};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn with_history(days: u32) -> TestServer {
    with_history_of(days, 120.0).await
}

/// The demo hall with `days` of generated history, `daily` tickets a working day.
pub async fn with_history_of(days: u32, daily: f64) -> TestServer {
    let s = TestServer::with_demo().await;
    govhall_server::demo::seed_queue_if_empty(&s.state)
        .await
        .unwrap();
    let plan = govhall_server::history::HistoryPlan {
        hall: "CA-ZWFW".into(),
        days,
        daily_tickets: daily,
        seed: 7,
    };
    let w = govhall_server::history::generate(&s.state, &plan)
        .await
        .unwrap();
    assert!(w.tickets > 100 && w.cases > 20 && w.ratings > 10, "{w:?}");
    s
}

fn period(days: i64) -> (String, String) {
    let today = govhall_kernel::time::today();
    (
        (today - chrono::Duration::days(days)).to_string(),
        today.to_string(),
    )
}

async fn query(api: &Api, body: Value) -> (u16, Value) {
    let r = api.post("/api/v1/analytics/query", &body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn value(out: &Value, row: usize, key: &str) -> f64 {
    out["rows"][row]["values"][key].as_f64().unwrap_or(f64::NAN)
}

#[tokio::test]
async fn figures_match_the_log_and_survive_a_rebuild() {
    let s = with_history(12).await;
    let manager = s.login("manager").await;
    let (from, to) = period(20);
    let body = json!({
        "indicators": ["tickets_issued", "tickets_served", "wait_avg", "wait_p90", "cases_accepted", "on_time_rate", "good_rate", "window_utilization", "pause_hours"],
        "from": from, "to": to,
    });
    let (status, total) = query(&manager, body.clone()).await;
    assert_eq!(status, 200, "{total}");
    let issued = govhall_testkit::query(
        &s.state.db,
        "SELECT CAST(COUNT(*) AS TEXT) AS n FROM events WHERE event_type = 'queue.ticket.issued'",
    )
    .await[0]["n"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    assert_eq!(value(&total, 0, "tickets_issued") as i64, issued);
    let wait = value(&total, 0, "wait_avg");
    let p90 = value(&total, 0, "wait_p90");
    assert!(wait >= 0.0 && p90 >= wait * 0.5, "wait {wait} p90 {p90}");
    let good = value(&total, 0, "good_rate");
    assert!((80.0..=100.0).contains(&good), "good rate {good}");
    let util = value(&total, 0, "window_utilization");
    assert!(util > 0.0 && util <= 100.0, "utilization {util}");
    // Clerks pause now and then: a few minutes a day per window, not hours.
    let paused = value(&total, 0, "pause_hours");
    assert!(paused > 0.2 && paused < 12.0 * 30.0, "paused {paused} h");
    assert!(total["fresh_at"].is_string());
    assert_eq!(total["indicators"][2]["name"], "平均等候时长");

    // By window and day: the parts add up to the whole.
    let (_, by_window) = query(
        &manager,
        json!({"indicators": ["tickets_issued"], "dimensions": ["window"], "grain": "day", "from": from, "to": to}),
    )
    .await;
    let rows = by_window["rows"].as_array().unwrap();
    let sum: f64 = rows
        .iter()
        .map(|r| r["values"]["tickets_issued"].as_f64().unwrap())
        .sum();
    assert_eq!(sum as i64, issued);
    assert!(rows.iter().any(|r| {
        r["members"]["window"]["label"]
            .as_str()
            .unwrap()
            .contains("综合")
    }));

    // The same numbers after the facts are thrown away and projected again.
    govhall_analytics::follower::rebuild(&s.state.db)
        .await
        .unwrap();
    let (_, again) = query(&manager, body).await;
    assert_eq!(again["rows"], total["rows"]);
    s.stop().await;
}

#[tokio::test]
async fn a_live_call_reaches_the_figures_within_seconds() {
    let s = TestServer::with_demo().await;
    govhall_server::demo::seed_queue_if_empty(&s.state)
        .await
        .unwrap();
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    let (clerk, w) = signed_in_clerk(&s, &s, 0).await;
    let today = govhall_kernel::time::today().to_string();
    let body =
        json!({"indicators": ["tickets_issued", "tickets_called"], "from": today, "to": today});
    let before = query(&manager, body.clone()).await.1;
    let called_before = before["rows"][0]["values"]["tickets_called"]
        .as_f64()
        .unwrap_or(0.0);
    assert_eq!(issue(&s, &token, json!({"line": "A"})).await.status(), 201);
    assert_eq!(
        clerk
            .post(&format!("{H}/windows/{w}/call-next"), &json!({}))
            .await
            .status(),
        200
    );
    let started = Instant::now();
    loop {
        let now = query(&manager, body.clone()).await.1;
        if now["rows"][0]["values"]["tickets_called"]
            .as_f64()
            .unwrap_or(0.0)
            > called_before
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the call never reached the figures: {now}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.stop().await;
}

#[tokio::test]
async fn each_role_sees_only_its_part() {
    let s = with_history(6).await;
    let (from, to) = period(10);
    // The department head: their department only, and no other on request.
    let reviewer = s.login("reviewer").await;
    let (status, mine) = query(
        &reviewer,
        json!({"indicators": ["cases_received"], "dimensions": ["department"], "from": from, "to": to}),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["scope"]["kind"], "department");
    let dept = mine["scope"]["id"].as_str().unwrap().to_string();
    for r in mine["rows"].as_array().unwrap() {
        assert_eq!(r["members"]["department"]["id"], dept.as_str());
    }
    let (status, other) = query(
        &reviewer,
        json!({"indicators": ["cases_received"], "filters": {"department": ["someone-else"]}, "from": from, "to": to}),
    )
    .await;
    assert_eq!(status, 403, "{other}");
    assert!(
        other["message"].as_str().unwrap().contains("部门"),
        "{other}"
    );
    // Nor the records behind another department's number.
    let r = reviewer
        .post(
            "/api/v1/analytics/records",
            &json!({"indicator": "cases_received", "members": {"department": "someone-else"}, "from": from, "to": to}),
        )
        .await;
    assert_eq!(r.status(), 403);
    // Indicators that cannot be narrowed to a department are refused, not shown whole.
    let (status, _) = query(
        &reviewer,
        json!({"indicators": ["guidance_hit_rate"], "from": from, "to": to}),
    )
    .await;
    assert_eq!(status, 403);
    // A clerk: their own figures only.
    let clerk = s.login("clerk01").await;
    let (status, own) = query(
        &clerk,
        json!({"indicators": ["tickets_served"], "dimensions": ["staff"], "from": from, "to": to}),
    )
    .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["scope"]["kind"], "staff");
    assert!(own["rows"].as_array().unwrap().len() <= 1);
    // No analytics permission at all: the auditor.
    let auditor = s.login("auditor").await;
    assert_eq!(
        query(
            &auditor,
            json!({"indicators": ["tickets_issued"], "from": from, "to": to})
        )
        .await
        .0,
        403
    );
    s.stop().await;
}

#[tokio::test]
async fn bad_queries_name_the_parameter_and_drill_down_and_export_work() {
    let s = with_history(5).await;
    let manager = s.login("manager").await;
    let (from, to) = period(8);
    for (body, field) in [
        (
            json!({"indicators": ["nope"], "from": from, "to": to}),
            "indicators",
        ),
        (
            json!({"indicators": ["wait_avg"], "dimensions": ["matter"], "from": from, "to": to}),
            "dimensions",
        ),
        (
            json!({"indicators": ["wait_avg"], "from": to, "to": from}),
            "from",
        ),
        (
            json!({"indicators": ["wait_avg"], "from": "2020-01-01", "to": to}),
            "to",
        ),
    ] {
        let (status, err) = query(&manager, body).await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["fields"][0]["field"], field, "{err}");
    }
    // Drill down: the hall's waits by window, then the tickets behind one window.
    let (_, by_window) = query(
        &manager,
        json!({"indicators": ["wait_avg"], "dimensions": ["window"], "from": from, "to": to}),
    )
    .await;
    let window = by_window["rows"][0]["members"]["window"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = manager
        .post(
            "/api/v1/analytics/records",
            &json!({"indicator": "wait_avg", "from": from, "to": to, "members": {"window": window}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let records: Value = r.json().await.unwrap();
    assert_eq!(records["kind"], "tickets");
    let first = &records["rows"][0];
    assert!(
        first["number"].as_str().is_some_and(|n| !n.is_empty()),
        "{first}"
    );
    assert!(first["wait_min"].is_number());
    // Excel, with the definitions.
    let r = manager
        .post(
            "/api/v1/analytics/export",
            &json!({"indicators": ["tickets_issued", "good_rate"], "dimensions": ["window"], "from": from, "to": to, "compare": "previous"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    // Window planning from the history.
    let r = manager
        .post(
            "/api/v1/analytics/planning",
            &json!({"from": from, "to": to}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let plan: Value = r.json().await.unwrap();
    let lines = plan["lines"].as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .any(|l| l["peak_recommended"].as_u64().unwrap() >= 1),
        "{plan}"
    );
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .post(
                "/api/v1/analytics/planning",
                &json!({"from": from, "to": to})
            )
            .await
            .status(),
        403
    );
    s.stop().await;
}

#[tokio::test]
async fn the_big_screen_reads_whole_hall_widgets_with_its_device_token() {
    let s = with_history(8).await;
    let manager = s.login("manager").await;
    let d: Value = manager
        .post(
            &format!("{H}/devices"),
            &json!({"name": "领导大屏", "purpose": "dashboard"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = d["token"].as_str().unwrap().to_string();
    let get = |widget: &str, token: Option<&str>| {
        let mut r = reqwest::Client::new().get(format!(
            "{}/api/v1/analytics/screen?hall=CA-ZWFW&widget={widget}",
            s.base
        ));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    // The 30-day trend holds what the query API says for the same days.
    let trend: Value = get("trend", Some(&token))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let days = trend["categories"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    let on_screen: f64 = trend["series"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .sum();
    let (_, total) = query(
        &manager,
        json!({"indicators": ["tickets_issued"], "from": days[0], "to": days[29]}),
    )
    .await;
    assert_eq!(on_screen, value(&total, 0, "tickets_issued"));
    assert!(on_screen > 0.0);
    for w in ["today", "hourly", "matters", "departments", "satisfaction"] {
        let r = get(w, Some(&token)).await.unwrap();
        assert_eq!(r.status(), 200, "{w}");
        let body: Value = r.json().await.unwrap();
        assert!(body["fresh_at"].is_string(), "{w}: {body}");
    }
    let today: Value = get("today", Some(&token))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(today["figures"].as_array().unwrap().len(), 8);
    // The filter box: the hall's departments; one department's trend is the
    // query API's figure for it, and a department not of this hall is refused.
    let options: Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/analytics/screen/options?hall=CA-ZWFW",
            s.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // A department of the filter box whose windows served people in these days.
    let (_, by_dept) = query(
        &manager,
        json!({"indicators": ["tickets_issued"], "dimensions": ["department"], "from": days[0], "to": days[29]}),
    )
    .await;
    let offered = options["departments"].as_array().unwrap();
    let (dept, label) = by_dept["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["values"]["tickets_issued"].as_f64().unwrap_or(0.0) > 0.0)
        .find_map(|r| {
            let id = r["members"]["department"]["id"].as_str()?;
            offered
                .iter()
                .find(|o| o["id"] == id)
                .map(|o| (id.to_string(), o["label"].clone()))
        })
        .expect("a department with tickets");
    let focused: Value = get(&format!("trend&department={dept}"), Some(&token))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(focused["focus"], label);
    let in_dept: f64 = focused["series"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .sum();
    let (_, dept_total) = query(
        &manager,
        json!({"indicators": ["tickets_issued"], "filters": {"department": [dept]}, "from": days[0], "to": days[29]}),
    )
    .await;
    assert_eq!(
        in_dept,
        value(&dept_total, 0, "tickets_issued"),
        "{options} {dept_total}"
    );
    assert!(in_dept < on_screen, "{in_dept} of {on_screen}");
    let bad = get("trend&department=nope", Some(&token)).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("department"));
    // An unknown widget names the parameter; no token, a clerk: refused.
    let bad = get("weather", Some(&token)).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("widget"));
    assert_eq!(get("trend", None).await.unwrap().status(), 401);
    let clerk = s.login("clerk01").await;
    let r = clerk
        .get("/api/v1/analytics/screen?hall=CA-ZWFW&widget=trend")
        .await;
    assert_eq!(r.status(), 403);
    // The device cannot reach the records or the query API (figures only).
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/analytics/records", s.base))
        .bearer_auth(&token)
        .json(&json!({"indicator": "tickets_issued", "from": days[0], "to": days[29]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    s.stop().await;
}

#[tokio::test]
async fn a_report_matches_the_query_api_is_edited_published_and_frozen() {
    // A month that lies wholly in the generated past.
    let s = with_history(45).await;
    let manager = s.login("manager").await;
    let month = (govhall_kernel::time::today() - chrono::Duration::days(12))
        .format("%Y-%m")
        .to_string();
    let bad = manager
        .post("/api/v1/analytics/reports", &json!({"period": "2026-13"}))
        .await;
    let (status, body) = (bad.status(), bad.text().await.unwrap());
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("period"));
    let r = manager
        .post("/api/v1/analytics/reports", &json!({"period": month}))
        .await;
    assert_eq!(r.status(), 200);
    let stored: Value = r.json().await.unwrap();
    let report = &stored["report"];
    let keys: Vec<String> = report["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect();
    let (_, q) = query(
        &manager,
        json!({"indicators": keys, "from": report["from"], "to": report["to"]}),
    )
    .await;
    for f in report["figures"].as_array().unwrap() {
        let k = f["key"].as_str().unwrap();
        assert_eq!(f["value"], q["rows"][0]["values"][k], "{k}");
    }
    assert!(value(&q, 0, "tickets_issued") > 0.0);
    let problems = report["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    // The matters with most 补正 name what was asked for most.
    assert!(
        problems
            .iter()
            .any(|p| p.as_str().unwrap().contains("最常要求补正：")),
        "{problems:?}"
    );
    let id = stored["id"].as_str().unwrap();

    // The text is edited before publishing; empty items are refused.
    let edit = json!({
        "summary": "本月概述（已人工审定）",
        "highlights": ["窗口服务持续改进"],
        "problems": report["problems"],
        "suggestions": ["加强高峰时段窗口调配"],
    });
    let empty = manager
        .put(
            &format!("/api/v1/analytics/reports/{id}"),
            &json!({"summary": "x", "highlights": [" "], "problems": [], "suggestions": []}),
        )
        .await;
    let (st, body) = (empty.status(), empty.text().await.unwrap());
    assert_eq!(st, 422, "{id}: {body}");
    let r = manager
        .put(&format!("/api/v1/analytics/reports/{id}"), &edit)
        .await;
    assert_eq!(r.status(), 200);
    let pdf = manager
        .get(&format!("/api/v1/analytics/reports/{id}/pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let compact: String = text.split_whitespace().collect();
    assert!(compact.contains("本月概述（已人工审定）"), "{text}");
    assert!(compact.contains("核心指标") && compact.contains("存在问题"));
    let issued = report["figures"][0]["value"].as_f64().unwrap();
    let shown = govhall_analytics::report::show(Some(issued), "张").replace(' ', "");
    assert!(compact.contains(&shown), "{shown} in the PDF");
    let docx = manager
        .get(&format!("/api/v1/analytics/reports/{id}/docx"))
        .await
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("加强高峰时段窗口调配") && xml.contains(&shown.replace('张', " 张")));

    // Published: frozen against edits and regeneration, listed in the archive.
    let r = manager
        .post(
            &format!("/api/v1/analytics/reports/{id}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        manager
            .put(&format!("/api/v1/analytics/reports/{id}"), &edit)
            .await
            .status(),
        409
    );
    assert_eq!(
        manager
            .post("/api/v1/analytics/reports", &json!({"period": month}))
            .await
            .status(),
        409
    );
    let list: Value = manager.json("/api/v1/analytics/reports").await;
    assert_eq!(list[0]["status"], "published");
    // The CLI writes the published report (frozen text) as both files.
    let dir = tempfile::tempdir().unwrap();
    let files = govhall_server::report_cli::write(&s.state, "CA-ZWFW", &month, Some(dir.path()))
        .await
        .unwrap();
    assert_eq!(files.len(), 2);
    let text = pdf_extract::extract_text_from_mem(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert!(
        text.split_whitespace()
            .collect::<String>()
            .contains("本月概述（已人工审定）")
    );
    // A clerk may not see reports.
    let clerk = s.login("clerk01").await;
    assert_eq!(clerk.get("/api/v1/analytics/reports").await.status(), 403);
    s.stop().await;
}
