use govhall_testkit::TestServer;
use serde_json::{Value, json};

#[tokio::test]
async fn the_three_administrator_roles_are_separated() {
    let s = TestServer::with_demo().await;
    let security = s.login("security").await;
    let both = security
        .post("/api/v1/security/users", &json!({"username": "superuser", "display_name": "超级", "roles": ["system_admin", "audit_admin"]}))
        .await;
    assert_eq!(both.status(), 422);
    let body: Value = both.json().await.unwrap();
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("三权分立"),
        "{body}"
    );

    // Each administrator reaches only their own area.
    let admin = s.login("admin").await;
    assert_eq!(admin.get("/api/v1/security/users").await.status(), 403);
    assert_eq!(security.get("/api/v1/halls").await.status(), 403);
    let auditor = s.login("auditor").await;
    assert_eq!(auditor.get("/api/v1/security/users").await.status(), 403);

    let users = security.json("/api/v1/security/users").await;
    let admin_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let widen = security
        .put(
            &format!("/api/v1/security/users/{admin_id}/roles"),
            &json!({"roles": ["system_admin", "security_admin"]}),
        )
        .await;
    assert_eq!(widen.status(), 422);
    let own_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "security")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let own = security
        .put(
            &format!("/api/v1/security/users/{own_id}/roles"),
            &json!({"roles": ["security_admin", "center_admin"]}),
        )
        .await;
    assert_eq!(own.status(), 403);
    s.stop().await;
}

#[tokio::test]
async fn new_accounts_get_a_one_time_password_that_must_be_changed() {
    let s = TestServer::with_demo().await;
    let security = s.login("security").await;
    let resp = security
        .post("/api/v1/security/users", &json!({"username": "clerk99", "display_name": "新窗口人员", "roles": ["window_staff"]}))
        .await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    let otp = body["one_time_password"].as_str().unwrap();
    assert_eq!(body["account"]["must_change_password"], true);
    let clerk = s.client();
    assert_eq!(
        clerk
            .post(
                "/api/v1/auth/login",
                &json!({"username": "clerk99", "password": otp})
            )
            .await
            .status(),
        200
    );
    assert_eq!(clerk.get("/api/v1/halls").await.status(), 403);
    s.stop().await;
}

#[tokio::test]
async fn an_administrator_can_revoke_a_session_and_disable_an_account() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    assert_eq!(manager.get("/api/v1/halls").await.status(), 200);
    let security = s.login("security").await;
    let users = security.json("/api/v1/security/users").await;
    let manager_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "manager")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sessions = security
        .json(&format!("/api/v1/security/sessions?user_id={manager_id}"))
        .await;
    let session_id = sessions[0]["id"].as_str().unwrap();
    assert_eq!(
        security
            .delete(&format!("/api/v1/security/sessions/{session_id}"))
            .await
            .status(),
        204
    );
    assert_eq!(
        manager.get("/api/v1/halls").await.status(),
        401,
        "a revoked session fails at once"
    );

    let manager = s.login("manager").await;
    let disabled = security
        .put(
            &format!("/api/v1/security/users/{manager_id}/disabled"),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(manager.get("/api/v1/halls").await.status(), 401);
    let again = s
        .client()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "manager", "password": govhall_testkit::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), 403);
    s.stop().await;
}
