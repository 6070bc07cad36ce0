use govhall_testkit::TestServer;
use serde_json::{Value, json};

async fn with_bearer(s: &TestServer, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", s.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_device_token_works_only_for_its_hall_and_purpose() {
    let s = TestServer::with_demo().await;
    let admin = s.login("admin").await;
    let other = admin
        .post("/api/v1/halls", &json!({"code": "YT", "name": "雁塔区政务服务中心", "region_code": "610113", "address": "雁塔区", "opens_at": "09:00", "closes_at": "17:00"}))
        .await;
    assert_eq!(other.status(), 201);

    let manager = s.login("manager").await;
    let bad = manager
        .post(
            "/api/v1/halls/CA-ZWFW/devices",
            &json!({"name": "", "purpose": "toaster"}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let screen: Value = manager
        .post(
            "/api/v1/halls/CA-ZWFW/devices",
            &json!({"name": "一楼综合屏", "purpose": "screen"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let screen_token = screen["token"].as_str().unwrap().to_string();
    let kiosk: Value = manager
        .post(
            "/api/v1/halls/CA-ZWFW/devices",
            &json!({"name": "1号取号机", "purpose": "kiosk"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let kiosk_token = kiosk["token"].as_str().unwrap();

    // The screen follows its own hall's events ...
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/events/recent", &screen_token)
            .await
            .status(),
        200
    );
    // ... not another hall's, and it cannot read the directory or manage accounts.
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/YT/events/recent", &screen_token)
            .await
            .status(),
        403
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/staff", &screen_token)
            .await
            .status(),
        403
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/auth/me", &screen_token)
            .await
            .status(),
        403
    );
    // A kiosk follows its hall's events (its waiting counts) but reads nothing else.
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/events/recent", kiosk_token)
            .await
            .status(),
        200
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/YT/events/recent", kiosk_token)
            .await
            .status(),
        403
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/staff", kiosk_token)
            .await
            .status(),
        403
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/events/recent", "ghd_forged")
            .await
            .status(),
        401
    );

    let listed = manager.json("/api/v1/halls/CA-ZWFW/devices").await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        !listed.to_string().contains(&screen_token),
        "tokens are never listed"
    );
    let id = screen["device"]["id"].as_str().unwrap();
    assert_eq!(
        manager
            .delete(&format!("/api/v1/halls/CA-ZWFW/devices/{id}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        with_bearer(&s, "/api/v1/halls/CA-ZWFW/events/recent", &screen_token)
            .await
            .status(),
        401,
        "revoked at once"
    );
    s.stop().await;
}
