use govhall_testkit::TestServer;
use serde_json::json;

#[tokio::test]
async fn working_days_follow_the_seeded_2026_schedule() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    // Friday 2026-02-13 + 2 working days: Saturday 02-14 is a make-up day, then the 9-day Spring Festival.
    let r = api
        .json("/api/v1/calendar/compute?from=2026-02-13&add=2")
        .await;
    assert_eq!(r["date"], "2026-02-24");
    let r = api
        .json("/api/v1/calendar/compute?from=2026-09-30&to=2026-10-12")
        .await;
    // 10-08, 10-09, 10-10 (Saturday make-up), 10-12.
    assert_eq!(r["working_days"], 4);
    let days = api.json("/api/v1/calendar/days?year=2025").await;
    assert_eq!(days.as_array().unwrap().len(), 28 + 5);
    s.stop().await;
}

#[tokio::test]
async fn a_year_without_a_notice_rests_on_its_statutory_holidays_and_says_so() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    // No notice for 2027 yet: 春节 2027 (除夕 Friday 02-05 to 初三 Monday 02-08)
    // still does not count, so Thursday 02-04 + 1 working day is Tuesday 02-09.
    let r = api
        .json("/api/v1/calendar/compute?from=2027-02-04&add=1")
        .await;
    assert_eq!(r["date"], "2027-02-09", "{r}");
    let n = api.json("/api/v1/calendar/notice?year=2027").await;
    assert_eq!(n["entered"], false);
    assert!(n["message"].as_str().unwrap().contains("2027年"), "{n}");
    assert_eq!(n["statutory"].as_array().unwrap().len(), 13, "{n}");
    let n = api.json("/api/v1/calendar/notice?year=2026").await;
    assert_eq!(n["entered"], true);
    assert!(n["message"].is_null());
    // Asked without a year: next year, and a warning from November on.
    let n = api.json("/api/v1/calendar/notice").await;
    let today = govhall_kernel::time::today();
    use chrono::Datelike;
    assert_eq!(n["year"], today.year() + 1);
    assert_eq!(n["warn"], today.month() >= 11 && n["entered"] == false);
    s.stop().await;
}

#[tokio::test]
async fn a_bad_import_changes_nothing_and_lists_every_line() {
    let s = TestServer::with_demo().await;
    // The national schedule is the 系统管理员's.
    let api = s.login("admin").await;
    let before = api.json("/api/v1/calendar/days?year=2027").await;
    assert_eq!(before.as_array().unwrap().len(), 0);
    let resp = api
        .post(
            "/api/v1/calendar/import",
            &json!({"text": "2027-01-01,holiday,元旦\n2027-02-30,holiday,x\n2027-02-06,rest,y\n", "replace_years": true}),
        )
        .await;
    assert_eq!(resp.status(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    let fields = body["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2);
    assert!(
        fields[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("第 2 行")
    );
    assert_eq!(
        api.json("/api/v1/calendar/days?year=2027")
            .await
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let ok = api
        .post(
            "/api/v1/calendar/import",
            &json!({"text": "2027-01-01,holiday,元旦\n2027-01-02,班,调休", "replace_years": true}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        api.json("/api/v1/calendar/compute?from=2026-12-31&add=1")
            .await["date"],
        "2027-01-02"
    );
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .put(
                "/api/v1/calendar/days/2027-05-01",
                &json!({"kind": "holiday", "name": "劳动节"})
            )
            .await
            .status(),
        403
    );
    s.stop().await;
}

/// A hall's manager cannot change the national schedule every hall follows;
/// they keep their own hall's open and closed days, which no other hall's
/// manager sees or changes and which leave legal deadlines alone.
#[tokio::test]
async fn a_hall_keeps_its_own_days_and_only_the_system_admin_the_national_ones() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    for r in [
        manager
            .put(
                "/api/v1/calendar/days/2027-05-06",
                &json!({"kind": "holiday", "name": "劳动节"}),
            )
            .await,
        manager
            .post(
                "/api/v1/calendar/import",
                &json!({"text": "2027-01-01,holiday,元旦", "replace_years": true}),
            )
            .await,
        manager.delete("/api/v1/calendar/days/2026-10-01").await,
    ] {
        assert_eq!(r.status(), 403);
    }
    // Saturday 2026-12-05: the hall opens for 延时服务; Monday 12-07 it is closed.
    for (date, kind, name) in [
        ("2026-12-05", "open", "周六延时服务"),
        ("2026-12-07", "closed", "闭厅检修"),
    ] {
        let r = manager
            .put(
                &format!("/api/v1/halls/CA-ZWFW/calendar/days/{date}"),
                &json!({"kind": kind, "name": name}),
            )
            .await;
        assert_eq!(r.status(), 200, "{date}");
    }
    let bad = manager
        .put(
            "/api/v1/halls/CA-ZWFW/calendar/days/2026-12-08",
            &json!({"kind": "holiday", "name": ""}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("open") && text.contains("名称"), "{text}");
    let own = manager
        .json("/api/v1/halls/CA-ZWFW/calendar/days?year=2026")
        .await;
    assert_eq!(own.as_array().unwrap().len(), 2, "{own}");
    let hall_id = own_hall_id(&s).await;
    let cal = govhall_directory::calendar::load_for_hall(&s.state, &hall_id)
        .await
        .unwrap();
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    assert!(cal.is_working_day(day("2026-12-05")));
    assert!(!cal.is_working_day(day("2026-12-07")));
    // Legal deadlines count national working days only.
    let national = govhall_directory::calendar::load(&s.state).await.unwrap();
    assert!(!national.is_working_day(day("2026-12-05")));
    assert!(national.is_working_day(day("2026-12-07")));

    // Another hall's manager neither sees nor changes them.
    let admin = s.login("admin").await;
    let (other_hall, yt) = s.another_hall_manager(&admin).await;
    assert_eq!(
        yt.get("/api/v1/halls/CA-ZWFW/calendar/days").await.status(),
        403
    );
    assert_eq!(
        yt.delete("/api/v1/halls/CA-ZWFW/calendar/days/2026-12-07")
            .await
            .status(),
        403
    );
    let yt_cal = govhall_directory::calendar::load_for_hall(&s.state, &other_hall)
        .await
        .unwrap();
    assert!(!yt_cal.is_working_day(day("2026-12-05")));
    s.stop().await;
}

async fn own_hall_id(s: &TestServer) -> String {
    govhall_testkit::query(&s.state.db, "SELECT id FROM halls WHERE code = 'CA-ZWFW'").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}
