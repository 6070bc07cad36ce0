use govhall_testkit::TestServer;
use serde_json::{Value, json};

async fn window_id(api: &govhall_testkit::Api, code: &str) -> String {
    let page = api
        .json(&format!("/api/v1/halls/CA-ZWFW/windows?q={code}"))
        .await;
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
async fn a_clerk_operates_only_the_window_they_are_signed_in_at() {
    let s = TestServer::with_demo().await;
    let clerk1 = s.login("clerk01").await;
    let clerk2 = s.login("clerk02").await;
    let w1 = window_id(&clerk1, "01").await;
    let w2 = window_id(&clerk1, "02").await;
    let w3 = window_id(&clerk1, "03").await;
    let path = |w: &str, action: &str| format!("/api/v1/halls/CA-ZWFW/windows/{w}/{action}");

    assert_eq!(
        clerk1
            .post(&path(&w1, "sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    let taken = clerk2.post(&path(&w1, "sign-in"), &json!({})).await;
    assert_eq!(taken.status(), 409);
    let body: Value = taken.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("已由"), "{body}");
    assert_eq!(
        clerk2
            .post(&path(&w2, "sign-in"), &json!({}))
            .await
            .status(),
        200
    );

    // Not your window: refused.
    let foreign = clerk2
        .put(
            &path(&w1, "state"),
            &json!({"status": "paused", "reason": "休息"}),
        )
        .await;
    assert_eq!(foreign.status(), 403);
    let no_reason = clerk1
        .put(&path(&w1, "state"), &json!({"status": "paused"}))
        .await;
    assert_eq!(no_reason.status(), 422);
    let paused: Value = clerk1
        .put(
            &path(&w1, "state"),
            &json!({"status": "paused", "reason": "会议"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["pause_reason"], "会议");
    let resumed: Value = clerk1
        .put(&path(&w1, "state"), &json!({"status": "open"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["status"], "open");
    assert_eq!(resumed["pause_reason"], Value::Null);

    // Moving to another window leaves the first one free.
    assert_eq!(
        clerk1
            .post(&path(&w3, "sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(
        clerk1.json("/api/v1/halls/CA-ZWFW/my-window").await["window"]["code"],
        "03"
    );
    assert_eq!(
        clerk1
            .put(
                &path(&w1, "state"),
                &json!({"status": "paused", "reason": "休息"})
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        clerk2
            .post(&path(&w2, "sign-out"), &json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(
        clerk2
            .post(&path(&w1, "sign-in"), &json!({}))
            .await
            .status(),
        200
    );

    // A center manager does not work at windows.
    let manager = s.login("manager").await;
    assert_eq!(
        manager
            .post(&path(&w2, "sign-in"), &json!({}))
            .await
            .status(),
        403
    );
    s.stop().await;
}

#[tokio::test]
async fn two_clerks_racing_for_one_window_never_both_get_it() {
    let s = TestServer::with_demo().await;
    let security = s.login("security").await;
    let hall = govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap();
    let mut clerks = Vec::new();
    for i in 0..6 {
        let created: Value = security
            .post("/api/v1/security/users", &json!({"username": format!("racer{i}"), "display_name": format!("竞争者{i}"), "roles": ["window_staff"], "hall_id": hall.id}))
            .await
            .json()
            .await
            .unwrap();
        let otp = created["one_time_password"].as_str().unwrap().to_string();
        let api = s.client();
        assert_eq!(
            api.post(
                "/api/v1/auth/login",
                &json!({"username": format!("racer{i}"), "password": otp})
            )
            .await
            .status(),
            200
        );
        let pw = json!({"current_password": otp, "new_password": format!("Racer#2026x{i}")});
        assert_eq!(api.post("/api/v1/auth/password", &pw).await.status(), 204);
        clerks.push(api);
    }
    let target = window_id(&clerks[0], "05").await;
    for round in 0..5 {
        let results = futures::future::join_all(clerks.iter().map(|c| {
            let url = format!("/api/v1/halls/CA-ZWFW/windows/{target}/sign-in");
            async move { c.post(&url, &json!({})).await.status().as_u16() }
        }))
        .await;
        let winners = results.iter().filter(|s| **s == 200).count();
        assert_eq!(winners, 1, "round {round}: {results:?}");
        assert!(
            results.iter().all(|s| *s == 200 || *s == 409),
            "{results:?}"
        );
        // The winner leaves so the next round starts from an empty window.
        for c in &clerks {
            c.post(
                &format!("/api/v1/halls/CA-ZWFW/windows/{target}/sign-out"),
                &json!({}),
            )
            .await;
        }
    }
    s.stop().await;
}
