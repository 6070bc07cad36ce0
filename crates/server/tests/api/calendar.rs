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
async fn a_bad_import_changes_nothing_and_lists_every_line() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
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
