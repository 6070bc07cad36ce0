use chrono::{Duration, Utc};
use govhall_testkit::{DEMO_PASSWORD, TestServer};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Alias, Expr, Query},
};
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
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
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
    let idle = Query::update()
        .table(Alias::new("sessions"))
        .value(
            Alias::new("last_seen_at"),
            Expr::value(Utc::now() - Duration::minutes(31)),
        )
        .to_owned();
    s.state.db.execute(&idle).await.unwrap();
    // Thirty idle minutes are far longer than the principal cache's two
    // seconds; writing the row directly is not an event, so wait those out.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
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
            username: "newmanager".into(),
            display_name: "新中心管理员".into(),
            password: "Temp#Pass2026".into(),
            roles: vec![govhall_platform::auth::Role::CenterAdmin],
            custom_roles: vec![],
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
            &json!({"username": "newmanager", "password": "Temp#Pass2026"}),
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

#[tokio::test]
async fn five_failures_lock_the_account() {
    let s = TestServer::with_demo().await;
    let api = s.client();
    for _ in 0..5 {
        let r = api
            .post(
                "/api/v1/auth/login",
                &json!({"username": "manager", "password": "Wrong#123"}),
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    // Locked: even the right password is refused, with a message saying why.
    let r = api
        .post(
            "/api/v1/auth/login",
            &json!({"username": "manager", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), 429);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("已被锁定"),
        "{body}"
    );
    // Other accounts from the same address are not locked by it.
    assert_eq!(
        api.post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": DEMO_PASSWORD})
        )
        .await
        .status(),
        200
    );
    // When the lock expires the account works again.
    s.state
        .db
        .execute_unprepared("UPDATE login_throttle SET locked_until = NULL")
        .await
        .unwrap();
    assert_eq!(
        api.post(
            "/api/v1/auth/login",
            &json!({"username": "manager", "password": DEMO_PASSWORD})
        )
        .await
        .status(),
        200
    );
    s.stop().await;
}

/// Statuses of `n` sign-ins sent at once; `body(i)` is the i-th request's body.
async fn parallel_sign_ins(
    s: &TestServer,
    n: usize,
    body: impl Fn(usize) -> serde_json::Value,
) -> Vec<u16> {
    let tries = (0..n).map(|i| {
        let api = s.client();
        let body = body(i);
        async move {
            api.post("/api/v1/auth/login", &body)
                .await
                .status()
                .as_u16()
        }
    });
    futures::future::join_all(tries).await
}

fn tally(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// Tries sent in parallel cannot outrun the count: at most five passwords
/// are ever checked, the rest are refused unchecked.
#[tokio::test]
async fn parallel_tries_cannot_beat_the_lockout() {
    let s = TestServer::with_demo().await;
    let statuses = parallel_sign_ins(&s, 30, |i| {
        let password = if i == 17 { DEMO_PASSWORD } else { "Wrong#123" };
        json!({"username": "manager", "password": password})
    })
    .await;
    let checked = tally(&statuses, 401) + tally(&statuses, 200);
    assert!(checked <= 5, "{checked} passwords checked: {statuses:?}");
    assert_eq!(tally(&statuses, 429), 30 - checked, "{statuses:?}");

    // Fifty wrong passwords at once: five checked, and the account is locked.
    let statuses = parallel_sign_ins(
        &s,
        50,
        |_| json!({"username": "clerk01", "password": "Wrong#123"}),
    )
    .await;
    assert_eq!(tally(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(tally(&statuses, 429), 45, "{statuses:?}");
    let locked = s
        .client()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(locked.status(), 429);
    s.stop().await;
}

/// Fifty wrong second-factor codes at once: five are checked, then the
/// administrator's account is locked even for the right code.
#[tokio::test]
async fn parallel_wrong_codes_lock_an_administrator() {
    let s = TestServer::with_demo().await;
    s.login("admin")
        .await
        .post("/api/v1/auth/logout", &json!({}))
        .await;
    let statuses = parallel_sign_ins(&s, 50, |i| {
        json!({"username": "admin", "password": DEMO_PASSWORD, "totp_code": format!("{:06}", i)})
    })
    .await;
    assert!(tally(&statuses, 401) <= 5, "{statuses:?}");
    assert!(tally(&statuses, 429) >= 45, "{statuses:?}");
    let statuses = parallel_sign_ins(
        &s,
        1,
        |_| json!({"username": "admin", "password": DEMO_PASSWORD, "totp_code": "000000"}),
    )
    .await;
    assert_eq!(statuses, vec![429]);
    s.stop().await;
}

#[tokio::test]
async fn many_failures_from_one_address_lock_the_address() {
    let s = TestServer::with_demo().await;
    let api = s.client();
    for i in 0..20 {
        let r = api
            .post(
                "/api/v1/auth/login",
                &json!({"username": format!("guess{i}"), "password": "x"}),
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = api
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), 429);
    s.stop().await;
}

#[tokio::test]
async fn recent_passwords_cannot_be_reused_and_old_ones_expire() {
    let s = TestServer::with_demo().await;
    let api = s.login("clerk01").await;
    let change = |from: &str, to: &str| json!({"current_password": from, "new_password": to});
    assert_eq!(
        api.post(
            "/api/v1/auth/password",
            &change(DEMO_PASSWORD, "Second#Pass1")
        )
        .await
        .status(),
        204
    );
    let reuse = api
        .post(
            "/api/v1/auth/password",
            &change("Second#Pass1", DEMO_PASSWORD),
        )
        .await;
    assert_eq!(reuse.status(), 422);
    let body: serde_json::Value = reuse.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("最近 5 次"),
        "{body}"
    );
    assert_eq!(
        api.post(
            "/api/v1/auth/password",
            &change("Second#Pass1", "Third#Pass1")
        )
        .await
        .status(),
        204
    );

    // A password older than 90 days must be changed before anything else.
    let old = (Utc::now() - Duration::days(91)).to_rfc3339();
    let stmt = sea_orm::Statement::from_sql_and_values(
        s.state.db.get_database_backend(),
        match s.state.db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "UPDATE users SET password_changed_at = $1::timestamptz WHERE username = 'manager'"
            }
            _ => "UPDATE users SET password_changed_at = ? WHERE username = 'manager'",
        },
        [old.into()],
    );
    s.state.db.execute_raw(stmt).await.unwrap();
    let manager = s.login("manager").await;
    assert_eq!(
        manager.json("/api/v1/auth/me").await["must_change_password"],
        true
    );
    assert_eq!(manager.get("/api/v1/halls").await.status(), 403);
    s.stop().await;
}

#[tokio::test]
async fn administrators_must_bind_and_then_use_totp() {
    let s = TestServer::with_demo().await;
    let admin = s.client();
    let first = admin
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(first.status(), 200);
    let me: serde_json::Value = first.json().await.unwrap();
    assert_eq!(me["must_enroll_totp"], true);
    let blocked = admin.get("/api/v1/halls").await;
    assert_eq!(blocked.status(), 403);
    let body: serde_json::Value = blocked.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("动态口令"));

    let setup: serde_json::Value = admin
        .post("/api/v1/auth/totp/setup", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        setup["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/govhall:admin")
    );
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let secret = setup["secret"].as_str().unwrap();
    let bad = admin
        .post("/api/v1/auth/totp/confirm", &json!({"code": "000000"}))
        .await;
    assert_eq!(bad.status(), 422);
    let code = govhall_testkit::totp_code(secret, "admin");
    assert_eq!(
        admin
            .post("/api/v1/auth/totp/confirm", &json!({"code": code}))
            .await
            .status(),
        204
    );
    assert_eq!(admin.get("/api/v1/halls").await.status(), 200);
    // The secret is stored encrypted.
    let stored = sea_orm::Statement::from_string(
        s.state.db.get_database_backend(),
        "SELECT totp_secret_enc FROM users WHERE username = 'admin'".to_string(),
    );
    let row = s.state.db.query_one_raw(stored).await.unwrap().unwrap();
    let enc: String = row.try_get("", "totp_secret_enc").unwrap();
    assert!(enc.starts_with("sm4gcm:"));

    // From now on the password alone is not enough.
    let again = s.client();
    let no_code = again
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(no_code.status(), 422);
    let body: serde_json::Value = no_code.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "totp_code");
    let current = govhall_testkit::totp_code(secret, "admin");
    let wrong_code = format!(
        "{:06}",
        (current.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let wrong = again
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": DEMO_PASSWORD, "totp_code": wrong_code}),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    // The code just used to enrol cannot sign in (nor be replayed later);
    // the next one, one period ahead of the clock, can, once.
    let with_code =
        |code: String| json!({"username": "admin", "password": DEMO_PASSWORD, "totp_code": code});
    let replayed = again
        .post("/api/v1/auth/login", &with_code(code.clone()))
        .await;
    assert_eq!(replayed.status(), 401);
    let body: serde_json::Value = replayed.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("已使用过"),
        "{body}"
    );
    let next = govhall_testkit::totp_code_at(secret, "admin", govhall_testkit::current_step() + 1);
    let ok = again
        .post("/api/v1/auth/login", &with_code(next.clone()))
        .await;
    assert_eq!(ok.status(), 200);
    let twice = s
        .client()
        .post("/api/v1/auth/login", &with_code(next))
        .await;
    assert_eq!(twice.status(), 401);
    s.stop().await;
}

/// Behind a proxy that terminates TLS, a setting marks the cookies `Secure`;
/// a server speaking TLS itself marks them without being told.
#[tokio::test]
async fn cookies_are_secure_when_the_hall_is_served_over_https() {
    let auto = govhall_platform::config::Config {
        tls_cert: Some("cert.pem".into()),
        tls_key: Some("key.pem".into()),
        ..Default::default()
    };
    assert!(auto.cookies_secure());
    let settings = govhall_platform::config::Config {
        secure_cookies: Some(true),
        ..Default::default()
    };
    let s = TestServer::with_demo_config(settings).await;
    let resp = s
        .client()
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let cookies: Vec<String> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies.iter().all(|c| c.ends_with("; Secure")),
        "{cookies:?}"
    );
    s.stop().await;
}

/// A common password is refused whatever its character classes; a change
/// ends the account's other sessions and keeps the one that made it.
#[tokio::test]
async fn weak_passwords_are_refused_and_a_change_signs_out_other_sessions() {
    let s = TestServer::with_demo().await;
    let here = s.login("clerk01").await;
    let elsewhere = s.login("clerk01").await;
    let change = |to: &str| json!({"current_password": DEMO_PASSWORD, "new_password": to});
    for weak in ["Password1", "Admin@123", "Aa123456!"] {
        let r = here.post("/api/v1/auth/password", &change(weak)).await;
        assert_eq!(r.status(), 422, "{weak}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "new_password");
        assert!(body.to_string().contains("太常见"), "{body}");
    }
    assert_eq!(elsewhere.get("/api/v1/auth/me").await.status(), 200);
    assert_eq!(
        here.post("/api/v1/auth/password", &change("Changan#Hall2027"))
            .await
            .status(),
        204
    );
    assert_eq!(here.get("/api/v1/auth/me").await.status(), 200);
    assert_eq!(elsewhere.get("/api/v1/auth/me").await.status(), 401);
    s.stop().await;
}
