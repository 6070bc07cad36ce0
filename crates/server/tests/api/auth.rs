use chrono::{Duration, Utc};
use govhall_platform::auth::entity::session;
use govhall_testkit::{DEMO_PASSWORD, TestServer};
use sea_orm::{EntityTrait, sea_query::Expr};
use serde_json::json;

#[tokio::test]
async fn sign_in_sign_out_and_wrong_password() {
    let s = TestServer::with_demo().await;
    let anon = s.client();
    let resp = anon.get("/api/v1/auth/me").await;
    assert_eq!(resp.status(), 401);

    let resp = anon
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": "wrong"}),
        )
        .await;
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["message"], "账号或密码错误");

    let resp = anon
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let cookie = resp
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let me = anon.json("/api/v1/auth/me").await;
    assert_eq!(me["roles"][0]["label"], "系统管理员");

    // The cookie captured before sign-out no longer works: the session is revoked server-side.
    let token = cookie.split(';').next().unwrap().to_string();
    assert_eq!(
        anon.post("/api/v1/auth/logout", &json!({})).await.status(),
        204
    );
    let replay = reqwest::Client::new()
        .get(anon.url("/api/v1/auth/me"))
        .header("cookie", token)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
    s.stop().await;
}

#[tokio::test]
async fn idle_sessions_expire() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    assert_eq!(api.get("/api/v1/auth/me").await.status(), 200);
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            Expr::value(Utc::now() - Duration::minutes(31)),
        )
        .exec(&s.state.db)
        .await
        .unwrap();
    let resp = api.get("/api/v1/auth/me").await;
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["message"], "登录已过期，请重新登录");
    s.stop().await;
}

#[tokio::test]
async fn roles_limit_what_a_user_may_do() {
    let s = TestServer::with_demo().await;
    let clerk = s.login("clerk01").await;
    let me = clerk.json("/api/v1/auth/me").await;
    let perms: Vec<&str> = me["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(perms.contains(&"directory.read") && !perms.contains(&"directory.edit"));
    let resp = clerk
        .post(
            "/api/v1/halls/CA-ZWFW/windows",
            &json!({"code": "99", "name": "新窗口", "kind": "comprehensive"}),
        )
        .await;
    assert_eq!(resp.status(), 403);
    let reviewer = s.login("reviewer").await;
    assert_eq!(
        reviewer
            .get("/api/v1/halls/CA-ZWFW/events/recent")
            .await
            .status(),
        403
    );
    s.stop().await;
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_first() {
    let s = TestServer::with_demo().await;
    govhall_platform::auth::service::create_user(
        &s.state,
        &govhall_platform::events::Actor::system(),
        govhall_platform::auth::service::NewUser {
            username: "newadmin".into(),
            display_name: "新管理员".into(),
            password: "Temp#Pass2026".into(),
            roles: vec![govhall_platform::auth::Role::SystemAdmin],
            hall_id: None,
            staff_id: None,
            must_change_password: true,
        },
    )
    .await
    .unwrap();
    let api = s.client();
    let resp = api
        .post(
            "/api/v1/auth/login",
            &json!({"username": "newadmin", "password": "Temp#Pass2026"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(api.get("/api/v1/halls").await.status(), 403);
    let weak = api
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": "Temp#Pass2026", "new_password": "short"}),
        )
        .await;
    assert_eq!(weak.status(), 422);
    let ok = api
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": "Temp#Pass2026", "new_password": "Better#Pass2027"}),
        )
        .await;
    assert_eq!(ok.status(), 204);
    assert_eq!(api.get("/api/v1/halls").await.status(), 200);
    s.stop().await;
}
