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
    let admin_id = id_of(&users, "admin");
    let widen = security
        .put(
            &format!("/api/v1/security/users/{admin_id}/roles"),
            &json!({"roles": ["system_admin", "security_admin"]}),
        )
        .await;
    assert_eq!(widen.status(), 422);
    let own_id = id_of(&users, "security");
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
    let manager_id = id_of(&users, "manager");
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
    // Answered as a wrong password is, so guessing cannot tell disabled accounts apart.
    assert_eq!(again.status(), 401);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["message"], "账号或密码错误");
    s.stop().await;
}

#[tokio::test]
async fn the_security_administrator_defines_roles_that_cannot_break_the_separation() {
    let s = TestServer::with_demo().await;
    let security = s.login("security").await;
    let reserved = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "审计助理", "permissions": ["audit.read"]}),
        )
        .await;
    assert_eq!(reserved.status(), 422);
    let body: Value = reserved.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("三权分立"),
        "{body}"
    );
    let clash = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "中心管理员", "permissions": ["directory.read"]}),
        )
        .await;
    assert_eq!(clash.status(), 409);
    assert_eq!(
        security
            .put(
                "/api/v1/security/roles/center_admin",
                &json!({"label": "x", "permissions": ["directory.read"]})
            )
            .await
            .status(),
        403
    );

    let created = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "综合受理组长", "permissions": ["directory.read", "directory.edit"]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let role: Value = created.json().await.unwrap();
    let code = role["code"].as_str().unwrap().to_string();
    let catalog = security.json("/api/v1/security/roles").await;
    assert!(
        catalog["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == code.as_str() && r["builtin"] == false)
    );

    let hall_id = demo_hall_id(&s).await;
    let account: Value = security
        .post("/api/v1/security/users", &json!({"username": "leader01", "display_name": "组长", "roles": [code], "hall_id": hall_id}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(account["account"]["role_labels"][0], "综合受理组长");
    let otp = account["one_time_password"].as_str().unwrap();
    let leader = s.client();
    assert_eq!(
        leader
            .post(
                "/api/v1/auth/login",
                &json!({"username": "leader01", "password": otp})
            )
            .await
            .status(),
        200
    );
    let changed = leader
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": otp, "new_password": "Leader#2026a"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    let window = json!({"code": "71", "name": "71号窗口"});
    assert_eq!(
        leader
            .post("/api/v1/halls/CA-ZWFW/windows", &window)
            .await
            .status(),
        201
    );

    // Narrowing the role takes effect at the holder's next request.
    let narrowed = security
        .put(
            &format!("/api/v1/security/roles/{code}"),
            &json!({"label": "综合受理组长", "permissions": ["directory.read"]}),
        )
        .await;
    assert_eq!(narrowed.status(), 200);
    assert_eq!(
        leader
            .post(
                "/api/v1/halls/CA-ZWFW/windows",
                &json!({"code": "72", "name": "72号窗口"})
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        leader.get("/api/v1/halls/CA-ZWFW/windows").await.status(),
        200
    );

    assert_eq!(
        security
            .delete(&format!("/api/v1/security/roles/{code}"))
            .await
            .status(),
        409,
        "still held by leader01"
    );
    s.stop().await;
}

async fn demo_hall_id(s: &TestServer) -> String {
    govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap()
        .id
}

/// A new account signed in with its one-time password changed.
async fn first_sign_in(s: &TestServer, username: &str, one_time: &str) -> govhall_testkit::Api {
    let api = s.client();
    let login = api
        .post(
            "/api/v1/auth/login",
            &json!({"username": username, "password": one_time}),
        )
        .await;
    assert_eq!(login.status(), 200, "{username} signs in");
    let changed = api
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": one_time, "new_password": "Leader#2026a"}),
        )
        .await;
    assert_eq!(changed.status(), 204);
    api
}

/// 三权分立 holds for the effective permissions of every account: custom
/// roles carry no administrator-only permission, are never given to an
/// administrator, and an account bound to no hall gets no hall's data.
#[tokio::test]
async fn custom_roles_cannot_undo_the_separation_of_administrators() {
    let s = TestServer::with_demo().await;
    let security = s.login("security").await;
    let hall_only = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "建厅员", "permissions": ["halls.edit"]}),
        )
        .await;
    assert_eq!(
        hall_only.status(),
        422,
        "creating halls is the system administrator's"
    );
    let role: Value = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "业务通办", "permissions": ["cases.read", "cases.intake", "directory.read", "directory.edit", "devices.manage"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = role["code"].as_str().unwrap().to_string();

    // Never beside an administrator role, nor a business role beside 安全/审计管理员.
    for roles in [
        json!(["audit_admin", code]),
        json!(["security_admin", code]),
        json!(["system_admin", code]),
        json!(["audit_admin", "center_admin"]),
        json!(["security_admin", "window_staff"]),
    ] {
        let r = security
            .post(
                "/api/v1/security/users",
                &json!({"username": "mixed01", "display_name": "混合", "roles": roles}),
            )
            .await;
        assert_eq!(r.status(), 422, "{roles}");
        let body: Value = r.json().await.unwrap();
        assert!(body.to_string().contains("三权分立"), "{body}");
    }
    let users = security.json("/api/v1/security/users").await;
    let auditor_id = id_of(&users, "auditor");
    let widen = security
        .put(
            &format!("/api/v1/security/users/{auditor_id}/roles"),
            &json!({"roles": ["audit_admin", code]}),
        )
        .await;
    assert_eq!(widen.status(), 422);

    // A custom role on an account bound to no hall reaches no hall.
    let created: Value = security
        .post(
            "/api/v1/security/users",
            &json!({"username": "floating01", "display_name": "无厅账号", "roles": [code]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let floating = first_sign_in(
        &s,
        "floating01",
        created["one_time_password"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        floating.get("/api/v1/halls/CA-ZWFW/cases").await.status(),
        403
    );
    assert_eq!(
        floating.get("/api/v1/halls/CA-ZWFW/devices").await.status(),
        403
    );
    assert_eq!(floating.json("/api/v1/halls").await, json!([]));

    // A role set stored by hand, before the rule, grants only the auditor's permissions.
    let stored = format!("audit_admin,{code}");
    let sql = format!("UPDATE users SET roles = '{stored}' WHERE username = 'auditor'");
    use sea_orm::ConnectionTrait;
    s.state.db.execute_unprepared(&sql).await.unwrap();
    let auditor = s.login("auditor").await;
    assert_eq!(
        auditor.get("/api/v1/halls/CA-ZWFW/cases").await.status(),
        403
    );
    assert_eq!(
        auditor
            .post("/api/v1/halls", &json!({"code": "X-1", "name": "新大厅"}))
            .await
            .status(),
        403
    );
    assert_eq!(auditor.get("/api/v1/audit").await.status(), 200);
    s.stop().await;
}

/// The id of the account `username` in the security administrator's list.
fn id_of(users: &Value, username: &str) -> String {
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("no account {username}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The 安全管理员 unlocks an account locked by failed sign-ins, and resets a
/// forgotten password: a one-time password, the old one and every session of
/// the account gone; nobody resets their own.
#[tokio::test]
async fn the_security_administrator_unlocks_accounts_and_resets_passwords() {
    let s = TestServer::with_demo().await;
    let clerk = s.login("clerk01").await;
    let anonymous = s.client();
    for _ in 0..5 {
        anonymous
            .post(
                "/api/v1/auth/login",
                &json!({"username": "clerk01", "password": "Wrong#Pass2026"}),
            )
            .await;
    }
    let locked = anonymous
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": govhall_testkit::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(locked.status(), 429, "locked after five failures");
    let security = s.login("security").await;
    let users = security.json("/api/v1/security/users").await;
    let account = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "clerk01")
        .unwrap()
        .clone();
    assert_eq!(account["locked"], true);
    let id = account["id"].as_str().unwrap();
    let unlocked = security
        .post(&format!("/api/v1/security/users/{id}/unlock"), &json!({}))
        .await;
    assert_eq!(unlocked.status(), 200);
    assert_eq!(
        security
            .post(&format!("/api/v1/security/users/{id}/unlock"), &json!({}))
            .await
            .status(),
        409,
        "nothing left to unlock"
    );
    assert_eq!(
        s.login("clerk01")
            .await
            .get("/api/v1/auth/me")
            .await
            .status(),
        200
    );

    let reset = security
        .post(
            &format!("/api/v1/security/users/{id}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(reset.status(), 200);
    let one_time = reset.json::<Value>().await.unwrap()["one_time_password"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        clerk.get("/api/v1/auth/me").await.status(),
        401,
        "the account's sessions ended"
    );
    let old = anonymous
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": govhall_testkit::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(old.status(), 401, "the old password no longer works");
    let fresh = s.client();
    let me: Value = fresh
        .post(
            "/api/v1/auth/login",
            &json!({"username": "clerk01", "password": one_time}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["must_change_password"], true);

    let own = security.json("/api/v1/auth/me").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = security
        .post(
            &format!("/api/v1/security/users/{own}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let audit = s
        .login("auditor")
        .await
        .json("/api/v1/audit?page_size=200")
        .await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "POST /api/v1/security/users/{id}/reset-password"),
        "the reset is audited"
    );
    s.stop().await;
}
