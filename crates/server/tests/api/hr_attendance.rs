//! Attendance through HTTP: the default shifts and a bad one refused; the
//! hall screen's rotating code and the phone's scan; a window sign-in as a
//! mark; a machine export imported (bad rows listed, nothing written; twice
//! adds nothing) and judged on the monthly sheet; 补卡 asked and approved;
//! a week's roster and a swap approved into it; the sheet in the monthly
//! staff report.

use crate::payroll::{fields, staff_id};
use crate::queue::window_id;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

fn today() -> NaiveDate {
    govhall_kernel::time::today()
}

/// The previous month, `YYYY-MM`: wholly past whenever the test runs.
fn last_month() -> String {
    (today().with_day(1).unwrap() - Duration::days(1))
        .format("%Y-%m")
        .to_string()
}

fn row_of<'a>(sheet: &'a Value, employee_no: &str) -> &'a Value {
    sheet["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["employee_no"] == employee_no)
        .unwrap_or_else(|| panic!("{employee_no} on the sheet"))
}

#[tokio::test]
async fn attendance_is_marked_imported_corrected_and_judged() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;

    // The defaults: the hall's hours as the working day's shift.
    let shifts = clerk.json(&format!("{H}/hr/shifts")).await;
    let day_shift = shifts
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["is_default"] == true)
        .cloned()
        .unwrap();
    assert_eq!(day_shift["code"], "day", "{shifts}");
    let r = manager
        .post(
            &format!("{H}/hr/shifts"),
            &json!({"code": "night", "name": "夜班", "starts_at": "18:00", "ends_at": "09:00"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["ends_at"]);
    assert_eq!(
        clerk
            .post(
                &format!("{H}/hr/shifts"),
                &json!({"code": "x", "name": "x", "starts_at": "09:00", "ends_at": "10:00"})
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        manager.json(&format!("{H}/hr/shifts")).await,
        shifts,
        "nothing written"
    );

    // The screen's code: the manager and a screen device read it, a clerk does not.
    assert_eq!(clerk.get(&format!("{H}/hr/clock-code")).await.status(), 403);
    let code = manager.json(&format!("{H}/hr/clock-code")).await;
    assert_eq!(code["period_seconds"], 30);
    let r = clerk
        .post(&format!("{H}/hr/clock-in"), &json!({"code": "AAAAAAAA"}))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["code"]);
    let code = manager.json(&format!("{H}/hr/clock-code")).await;
    let r = clerk
        .post(&format!("{H}/hr/clock-in"), &json!({"code": code["code"]}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let clocked: Value = r.json().await.unwrap();
    assert_eq!(clocked["marks_today"].as_array().unwrap().len(), 1);
    let raw = govhall_testkit::query(&s.state.db, "SELECT source FROM hr_punches").await;
    assert_eq!(raw, [json!({"source": "qr"})]);

    // A window sign-in is a mark of the day too.
    let other = s.login("clerk02").await;
    let w = window_id(&other, "02").await;
    let r = other
        .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let mine = other.json(&format!("{H}/hr/my-attendance")).await;
    let todays = mine["row"]["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["day"] == today().to_string())
        .cloned()
        .unwrap();
    assert!(todays["first"].is_string(), "{todays}");

    // Last month, from the sheet's own plan: three working days of CA0001.
    let zhang = staff_id(&manager, "CA0001").await;
    let r = manager
        .put(
            &format!("{H}/hr/profiles/{zhang}"),
            &json!({"work_started_on": "2010-01-01", "hired_on": "2020-01-01",
                    "pay": {"base": 4000, "post": 1000, "contribution_base": 5000}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let month = last_month();
    let sheet = manager
        .json(&format!("{H}/hr/attendance-sheets/{month}"))
        .await;
    let working: Vec<String> = row_of(&sheet, "CA0001")["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["shift_code"] == "day")
        .map(|d| d["day"].as_str().unwrap().to_string())
        .collect();
    assert!(working.len() >= 15, "{working:?}");
    let due = row_of(&sheet, "CA0001")["figures"]["due_days"]
        .as_i64()
        .unwrap();
    assert_eq!(due, working.len() as i64);
    let (a, b, c) = (&working[0], &working[1], &working[2]);

    // A machine file with an unknown 工号 and a wrong name: both rows listed, nothing written.
    let before = govhall_testkit::count(&s.state.db, "hr_punches").await;
    let bad = format!(
        "工号,姓名,打卡时间\nCA0001,,{a} 08:50:00\nZZ9999,某人,{a} 08:51:00\nCA0001,不是他,{a} 17:00\nCA0001,,{a} 25:00\n"
    );
    let r = manager
        .post_bytes(
            &format!("{H}/hr/punch-imports"),
            "text/csv",
            bad.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    for row in ["第 3 行", "第 4 行", "第 5 行"] {
        assert!(text.contains(row), "{row} in {text}");
    }
    assert!(text.contains("ZZ9999"), "{text}");
    assert_eq!(
        govhall_testkit::count(&s.state.db, "hr_punches").await,
        before
    );

    // The good file: on time; late and early; ninety minutes over.
    let good = format!(
        "工号,打卡时间\nCA0001,{a} 08:50\nCA0001,{a} 17:10\nCA0001,{b} 09:20\nCA0001,{b} 16:30\nCA0001,{c} 08:55\nCA0001,{c} 18:40\n"
    );
    let r = manager
        .post_bytes(
            &format!("{H}/hr/punch-imports"),
            "text/csv",
            good.clone().into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["rows"].as_i64(), v["added"].as_i64()),
        (Some(6), Some(6))
    );
    let r = manager
        .post_bytes(
            &format!("{H}/hr/punch-imports"),
            "text/csv",
            good.into_bytes(),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["added"], 0, "imported twice adds nothing");

    let sheet = manager
        .json(&format!("{H}/hr/attendance-sheets/{month}"))
        .await;
    let row = row_of(&sheet, "CA0001");
    let on = |d: &str| {
        row["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["day"] == d)
            .cloned()
            .unwrap()
    };
    // The default shift is the demo hall's hours, 09:00 to 17:00, with 5 minutes' grace.
    assert_eq!(
        (
            &day_shift["starts_at"],
            &day_shift["ends_at"],
            &day_shift["grace_minutes"]
        ),
        (&json!("09:00"), &json!("17:00"), &json!(5))
    );
    {
        assert_eq!(on(a)["code"], "normal", "{}", on(a));
        assert_eq!(on(b)["code"], "late_early", "{}", on(b));
        assert_eq!(
            (
                on(b)["late_minutes"].as_i64(),
                on(b)["early_minutes"].as_i64()
            ),
            (Some(20), Some(30))
        );
        assert_eq!(on(c)["overtime_minutes"], 90, "{}", on(c));
        let f = &row["figures"];
        assert_eq!(f["present_days"], 3, "{f}");
        assert_eq!(
            (f["late_count"].as_i64(), f["early_count"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(f["absent_days"].as_i64(), Some(due - 3), "{f}");
        assert_eq!(f["overtime_hours"], 1.5);
    }
    // The 90 minutes become 加班工资: 5,000 ÷ 21.75 ÷ 8 × 1.5 h × 150 % = 64.66.
    let overtime = format!("{H}/payroll/overtime-items/{month}");
    let r = manager.post(&overtime, &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["items"][0]["amount"], 64.66, "{v}");
    assert!(
        v["items"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("工作日延时 1.5 小时×150%")
    );
    let r = manager.post(&overtime, &json!({})).await;
    assert_eq!(r.status(), 422, "not paid twice");
    assert_eq!(clerk.post(&overtime, &json!({})).await.status(), 403);
    assert_eq!(on(a)["first"], "08:50");
    assert_eq!(on(a)["last"], "17:10");
    let r = manager
        .get(&format!("{H}/hr/attendance-sheets/{month}/spreadsheet"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let r = manager
        .get(&format!("{H}/hr/attendance-sheets/2026-13"))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        clerk
            .get(&format!("{H}/hr/attendance-sheets/{month}"))
            .await
            .status(),
        403
    );

    // The month reaches the staff report.
    let report = manager
        .json(&format!("{H}/hr/status-report?month={month}"))
        .await;
    assert!(
        report["attendance"]["present_days"].as_i64().unwrap() >= 3,
        "{}",
        report["attendance"]
    );

    // 补卡: asked for yesterday (a future day is refused), approved into a mark.
    let yesterday = (today() - Duration::days(1)).to_string();
    let tomorrow = (today() + Duration::days(1)).to_string();
    let r = clerk
        .post(
            &format!("{H}/hr/corrections"),
            &json!({"day": tomorrow, "time": "17:05", "reason": "忘记打卡"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = clerk
        .post(
            &format!("{H}/hr/corrections"),
            &json!({"day": yesterday, "time": "17:05", "reason": "手机没电，未能扫码"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let asked: Value = r.json().await.unwrap();
    assert_eq!(asked["status"], "pending");
    let pending = manager
        .json(&format!("{H}/hr/corrections?status=pending"))
        .await;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let decide = format!("{H}/hr/corrections/{}", asked["id"].as_str().unwrap());
    assert_eq!(
        clerk.put(&decide, &json!({"approve": true})).await.status(),
        403
    );
    assert_eq!(
        manager
            .put(&decide, &json!({"approve": false}))
            .await
            .status(),
        422,
        "a refusal says why"
    );
    let r = manager
        .put(&decide, &json!({"approve": true, "opinion": "同意"}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        manager
            .put(&decide, &json!({"approve": true}))
            .await
            .status(),
        409
    );
    let corrected = govhall_testkit::query(
        &s.state.db,
        "SELECT note FROM hr_punches WHERE source = 'correction'",
    )
    .await;
    assert_eq!(corrected.len(), 1);

    s.stop().await;
}

#[tokio::test]
async fn a_week_is_rostered_and_a_swap_approved_into_it() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let zhang = staff_id(&manager, "CA0001").await;
    let li = staff_id(&manager, "CA0002").await;
    // Next week: Monday and Saturday, whatever the calendar says of them.
    let monday = today() - Duration::days(i64::from(today().weekday().num_days_from_monday()))
        + Duration::days(7);
    let saturday = monday + Duration::days(5);
    let entry = |who: &str, d: NaiveDate, code: &str| json!({"staff_id": who, "day": d.to_string(), "shift_code": code});
    let r = manager
        .put(
            &format!("{H}/hr/roster"),
            &json!({"entries": [entry(&zhang, saturday, "weekend"), entry(&li, saturday, "rest"),
                                entry(&zhang, monday, "rest"), entry(&li, monday, "day")]}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // A past day and an unknown shift are refused, nothing written.
    let yesterday = today() - Duration::days(1);
    let r = manager
        .put(
            &format!("{H}/hr/roster"),
            &json!({"entries": [entry(&zhang, yesterday, "day"), entry(&zhang, monday, "nope")]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        fields(&r.json().await.unwrap()),
        ["entries[0].day", "entries[1].shift_code"]
    );
    assert_eq!(clerk.get(&format!("{H}/hr/roster")).await.status(), 403);

    let week = manager.json(&format!("{H}/hr/roster?week={monday}")).await;
    let code = |week: &Value, who: &str, d: NaiveDate| -> String {
        week["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["staff_id"] == who)
            .unwrap()["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["day"] == d.to_string())
            .unwrap()["shift_code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(code(&week, &zhang, saturday), "weekend");
    assert_eq!(code(&week, &li, monday), "day");

    // "You do my Saturday, I do your Monday."
    let swaps = format!("{H}/hr/swaps");
    let r = clerk
        .post(&swaps, &json!({"day": saturday, "other_staff_id": zhang, "other_day": monday, "reason": "周六家中有事"}))
        .await;
    assert_eq!(r.status(), 422, "not with oneself");
    let r = clerk
        .post(
            &swaps,
            &json!({"day": monday, "other_staff_id": li, "other_day": saturday, "reason": "x"}),
        )
        .await;
    assert_eq!(r.status(), 422, "nothing to give on a rest day");
    let r = clerk
        .post(&swaps, &json!({"day": saturday, "other_staff_id": li, "other_day": monday, "reason": "周六家中有事"}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let asked: Value = r.json().await.unwrap();
    let decide = format!("{swaps}/{}", asked["id"].as_str().unwrap());
    assert_eq!(
        clerk.put(&decide, &json!({"approve": true})).await.status(),
        403
    );
    let r = manager
        .put(&decide, &json!({"approve": true, "opinion": "同意"}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let week = manager.json(&format!("{H}/hr/roster?week={monday}")).await;
    assert_eq!(code(&week, &zhang, saturday), "rest");
    assert_eq!(code(&week, &li, saturday), "weekend");
    assert_eq!(code(&week, &zhang, monday), "day");
    assert_eq!(code(&week, &li, monday), "rest");
    let mine = clerk
        .json(&format!(
            "{H}/hr/my-attendance?month={}",
            monday.format("%Y-%m")
        ))
        .await;
    assert_eq!(mine["swaps"][0]["status"], "approved");
    s.stop().await;
}
