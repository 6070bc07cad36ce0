//! The staff lifecycle through HTTP: a new hire made whole in one step
//! (staff, account with a one-time password, window authorisation, 岗前
//! training picked up by a plan for new hires), refused cleanly when the
//! account name is taken; the counter keeping to the authorised windows; a
//! transfer moving the person in the directory; leaving disabling the
//! accounts when the last day's hours end, enforced by the clock; the
//! 监督签字 only after the rest.

use crate::queue::window_id;
use chrono::TimeZone;
use govhall_testkit::Api;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

/// Signs in with a one-time password and sets a new one.
async fn first_sign_in(s: &govhall_testkit::TestServer, username: &str, otp: &str) -> Api {
    let api = s.client();
    let r = api
        .post(
            "/api/v1/auth/login",
            &json!({"username": username, "password": otp}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = api
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": otp, "new_password": "Xin#Yuan2026gong"}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    api
}

fn item<'a>(change: &'a Value, code: &str) -> &'a Value {
    change["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {change}"))
}

#[tokio::test]
async fn a_hire_is_made_whole_and_a_leaver_is_shut_out() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let today = govhall_kernel::time::today();
    // A 岗前 plan for anyone who joined within 30 days.
    let course: Value = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": "岗前综合培训", "category": "服务礼仪"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = manager
        .post(
            &format!("{H}/training/plans"),
            &json!({"title": "新员工岗前培训", "kind": "岗前", "course_ids": [course["id"]],
                    "joined_within_days": 30, "due_on": (today + chrono::Duration::days(30)).to_string()}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let w03 = window_id(&manager, "03").await;
    let w04 = window_id(&manager, "04").await;
    let staff_before = govhall_testkit::count(&s.state.db, "staff").await;

    // A taken account name: refused before anything is written.
    let hire = |username: &str| {
        json!({"employee_no": "CA0901", "name": "林新", "position": "window_staff",
               "hired_on": (today - chrono::Duration::days(10)).to_string(), "username": username, "window_ids": [w03]})
    };
    let r = manager
        .post(&format!("{H}/hr/hires"), &hire("clerk01"))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        govhall_testkit::count(&s.state.db, "staff").await,
        staff_before
    );

    let r = manager
        .post(&format!("{H}/hr/hires"), &hire("linxin"))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let hired: Value = r.json().await.unwrap();
    let change = &hired["change"];
    assert_eq!(change["kind"], "onboard");
    for done in ["account", "windows", "training"] {
        assert_eq!(item(change, done)["done"], true, "{done}: {change}");
    }
    assert_eq!(item(change, "numbers")["done"], false);
    assert_eq!(item(change, "contract")["done"], false);
    let otp = hired["one_time_password"].as_str().unwrap().to_string();
    let staff_id = change["staff_id"].as_str().unwrap().to_string();

    // The hire works only at the authorised window; the 岗前 plan is theirs.
    let lin = first_sign_in(&s, "linxin", &otp).await;
    let r = lin
        .post(&format!("{H}/windows/{w04}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("未获授权"));
    let r = lin
        .post(&format!("{H}/windows/{w03}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let tasks = lin.json(&format!("{H}/training/tasks")).await;
    assert_eq!(tasks[0]["title"], "新员工岗前培训", "{tasks}");
    // A checklist item the system sees cannot be ticked by hand.
    let id = change["id"].as_str().unwrap();
    let r = manager
        .post(
            &format!("{H}/hr/changes/{id}/checklist/account"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 422);
    // Filing the contract ticks its item.
    let r = manager
        .post(
            &format!("{H}/hr/contracts"),
            &json!({"staff_id": staff_id, "number": "CAHT-2026-0901", "kind": "fixed",
                    "signed_on": (today - chrono::Duration::days(10)).to_string(),
                    "starts_on": (today - chrono::Duration::days(10)).to_string(),
                    "ends_on": (today + chrono::Duration::days(3 * 365)).to_string(), "probation_months": 6}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let now = manager.json(&format!("{H}/hr/changes/{id}")).await;
    assert_eq!(item(&now, "contract")["done"], true, "{now}");
    assert_eq!(item(&now, "numbers")["done"], false);

    // Leaving with the last day already past (paperwork late): shut out at once.
    let leave = json!({"staff_id": staff_id, "kind": "leave",
                       "effective_on": (today - chrono::Duration::days(1)).to_string(),
                       "detail": {"reason": "个人原因辞职"}});
    let r = manager.post(&format!("{H}/hr/changes"), &leave).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let left: Value = r.json().await.unwrap();
    assert_eq!(item(&left, "accounts")["done"], true, "{left}");
    assert_eq!(lin.get("/api/v1/auth/me").await.status(), 401);
    let r = s
        .client()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "linxin", "password": "Xin#Yuan2026gong"}),
        )
        .await;
    assert_eq!(r.status(), 401);
    // 监督签字 waits for the rest; then the record closes.
    let lid = left["id"].as_str().unwrap();
    let tick = |code: &str| format!("{H}/hr/changes/{lid}/checklist/{code}");
    let r = manager.post(&tick("supervision"), &json!({})).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("尚未完成"));
    for code in ["cases", "tickets", "devices", "insurance"] {
        assert_eq!(
            manager.post(&tick(code), &json!({})).await.status(),
            200,
            "{code}"
        );
    }
    let done: Value = manager
        .post(&tick("supervision"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "done", "{done}");

    // Leaving tomorrow: the accounts stay until the hall's hours end that
    // day, then go. (Not today: the server's own sweep, on the real clock,
    // would shut the account as soon as the test runs after closing time.)
    let last_day = today + chrono::Duration::days(1);
    let clerk02 = crate::payroll::staff_id(&manager, "CA0002").await;
    let r = manager
        .post(
            &format!("{H}/hr/changes"),
            &json!({"staff_id": clerk02, "kind": "leave", "effective_on": last_day.to_string(),
                    "detail": {"reason": "合同到期不续签"}}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let at = |h: u32| {
        govhall_kernel::time::HALL_TZ
            .from_local_datetime(&last_day.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    assert_eq!(
        govhall_hr::sweep::apply_due(&s.state, at(9)).await.unwrap(),
        0
    );
    let clerk = s.login("clerk02").await;
    assert_eq!(clerk.get("/api/v1/auth/me").await.status(), 200);
    assert_eq!(
        govhall_hr::sweep::apply_due(&s.state, at(23))
            .await
            .unwrap(),
        1
    );
    assert_eq!(clerk.get("/api/v1/auth/me").await.status(), 401);
    // Swept once only.
    assert_eq!(
        govhall_hr::sweep::apply_due(&s.state, at(23))
            .await
            .unwrap(),
        0
    );

    // A transfer due today moves the person in the directory.
    let clerk03 = crate::payroll::staff_id(&manager, "CA0003").await;
    let r = manager
        .post(
            &format!("{H}/hr/changes"),
            &json!({"staff_id": clerk03, "kind": "transfer", "effective_on": today.to_string(),
                    "detail": {"to_position": "guide", "reason": "导服岗位补员"}}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let moved = manager.json(&format!("{H}/staff?q=CA0003")).await;
    assert_eq!(moved["items"][0]["position"], "guide", "{moved}");
    // A clerk may not touch any of it.
    assert_eq!(clerk_cannot(&s).await, 403);
    s.stop().await;
}

async fn clerk_cannot(s: &govhall_testkit::TestServer) -> u16 {
    let clerk = s.login("clerk01").await;
    clerk
        .get(&format!("{H}/hr/changes"))
        .await
        .status()
        .as_u16()
}

/// Contracts: the term in order, the probation 劳动合同法 第十九条 allows, no
/// overlap, one probation per person; the expiry report; the reminders 60
/// and 30 days ahead, each once; a renewal ending the reminders.
#[tokio::test]
async fn contracts_follow_the_law_and_remind_before_they_end() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let profiles = manager.json(&format!("{H}/hr/profiles")).await;
    let staff_id = profiles[0]["staff_id"].as_str().unwrap().to_string();
    let today = govhall_kernel::time::today();
    let d = |days: i64| (today + chrono::Duration::days(days)).to_string();
    let contract = |number: &str, kind: &str, from: String, to: Option<String>, probation: i32| {
        json!({"staff_id": staff_id, "number": number, "kind": kind, "signed_on": from,
               "starts_on": from, "ends_on": to, "probation_months": probation})
    };
    let post = |body: Value| {
        let manager = &manager;
        async move { manager.post(&format!("{H}/hr/contracts"), &body).await }
    };
    // Ending before it starts; a year's term with three months' probation (two at most).
    let r = post(contract("HT-1", "fixed", d(-300), Some(d(-400)), 0)).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "ends_on", "{v}");
    let r = post(contract("HT-1", "fixed", d(-300), Some(d(64)), 3)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不得超过 2 个月"));
    assert_eq!(govhall_testkit::count(&s.state.db, "hr_contracts").await, 0);

    // One year ending in 50 days: the report lists it; the 60-day reminder is given once.
    let r = post(contract("HT-1", "fixed", d(-314), Some(d(50)), 1)).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["days_left"], 50);
    let report = manager
        .json(&format!("{H}/hr/contracts?expiring_within=60"))
        .await;
    assert_eq!(report.as_array().unwrap().len(), 1);
    assert_eq!(
        govhall_hr::contracts::remind(&s.state, today)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        govhall_hr::contracts::remind(&s.state, today)
            .await
            .unwrap(),
        0
    );
    // Twenty days on, the 30-day one; then nothing more.
    let later = today + chrono::Duration::days(21);
    assert_eq!(
        govhall_hr::contracts::remind(&s.state, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        govhall_hr::contracts::remind(&s.state, later)
            .await
            .unwrap(),
        0
    );
    let events = govhall_testkit::query(
        &s.state.db,
        "SELECT payload FROM events WHERE event_type = 'hr.contract.expiring'",
    )
    .await;
    assert_eq!(events.len(), 2);

    // Overlapping it is refused; the renewal after it is filed, without a second probation.
    let r = post(contract("HT-2", "open_ended", d(30), None, 0)).await;
    assert_eq!(r.status(), 422);
    let mut renewal = contract("HT-2", "open_ended", d(51), None, 2);
    renewal["renews_id"] = first["id"].clone();
    let r = post(renewal.clone()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("只能约定一次试用期"));
    renewal["probation_months"] = 0.into();
    let r = post(renewal).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let report = manager
        .json(&format!("{H}/hr/contracts?expiring_within=60"))
        .await;
    assert!(report.as_array().unwrap().is_empty(), "renewed: {report}");
    s.stop().await;
}

/// 人员状态月报: headcount by post against the 编制, the month's joiners and
/// leavers by name, as figures, PDF and Excel; a bad month is named.
#[tokio::test]
async fn the_monthly_staff_report_counts_posts_and_moves() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let today = govhall_kernel::time::today();
    let month = today.format("%Y-%m").to_string();
    let r = manager
        .put(
            &format!("{H}/hr/establishment"),
            &json!([{"position": "window_staff", "headcount": 60}, {"position": "guide", "headcount": 3}]),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager
        .put(
            &format!("{H}/hr/establishment"),
            &json!([{"position": "boss", "headcount": 1}]),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = manager
        .post(
            &format!("{H}/hr/hires"),
            &json!({"employee_no": "CA0977", "name": "赵新", "position": "window_staff", "hired_on": today.to_string()}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let profiles = manager.json(&format!("{H}/hr/profiles")).await;
    let leaver = profiles[5]["staff_id"].as_str().unwrap().to_string();
    let r = manager
        .post(
            &format!("{H}/hr/changes"),
            &json!({"staff_id": leaver, "kind": "leave", "effective_on": (today - chrono::Duration::days(1)).to_string(),
                    "detail": {"reason": "家庭原因"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let report = manager
        .json(&format!("{H}/hr/status-report?month={month}"))
        .await;
    let window = report["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["position"] == "window_staff")
        .unwrap()
        .clone();
    // 56 window clerks in the demo, one hired today, one gone (last day yesterday).
    assert_eq!(window["establishment"], 60);
    assert_eq!(window["on_staff"], 56, "{report}");
    assert_eq!(window["vacancies"], 4);
    assert_eq!(report["joiners"][0]["name"], "赵新");
    if (today - chrono::Duration::days(1))
        .format("%Y-%m")
        .to_string()
        == month
    {
        assert_eq!(report["leavers"][0]["note"], "家庭原因", "{report}");
    }
    let pdf = manager
        .get(&format!("{H}/hr/status-report/printable?month={month}"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let xlsx = manager
        .get(&format!("{H}/hr/status-report/spreadsheet?month={month}"))
        .await;
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let r = manager
        .get(&format!("{H}/hr/status-report?month=2026-13"))
        .await;
    assert_eq!(r.status(), 422);
    s.stop().await;
}
