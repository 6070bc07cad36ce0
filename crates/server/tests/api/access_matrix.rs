//! Every declared route called by every kind of principal — nobody, a kiosk,
//! a hall screen, each built-in role (培训学员 included), a custom role beside a built-in one, and
//! another hall's manager — and the answer checked against the route's
//! declared rule: without the permission the access layer refuses (401 or a
//! 403 naming the permission); with it the request gets past the access layer;
//! another hall's manager gets nothing of this hall's.

use crate::queue::kiosk;
use govhall_platform::access::Access;
use govhall_testkit::{Api, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// How a principal calls.
enum Caller {
    Nobody,
    /// A terminal's device token.
    Device(String),
    Account(Api),
}

struct Principal {
    name: &'static str,
    caller: Caller,
    permissions: BTreeSet<String>,
    /// Bound to another hall: nothing of the demo hall's is theirs.
    other_hall: bool,
}

/// Routes not called: signing out would end the caller's session midway, and
/// an empty sign-in is a wrong password (401) that counts towards locking
/// the address out (both are tested in `auth`).
const SKIPPED: &[(&str, &str)] = &[
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/login"),
];

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| match part {
            "{hall}" => "CA-ZWFW",
            "{date}" => "2026-12-31",
            p if p.starts_with('{') => "x",
            p => p,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The permissions the built-in definitions give a device of `purpose`.
fn device_permissions(purpose: &str) -> BTreeSet<String> {
    govhall_server::app::MODULES
        .iter()
        .flat_map(|m| m.permissions.iter())
        .filter(|d| d.devices.contains(&purpose))
        .map(|d| d.permission.code().to_string())
        .collect()
}

async fn account(name: &'static str, api: Api, other_hall: bool) -> Principal {
    let me = api.json("/api/v1/auth/me").await;
    let permissions = me["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    Principal {
        name,
        caller: Caller::Account(api),
        permissions,
        other_hall,
    }
}

async fn call(s: &TestServer, caller: &Caller, method: &str, path: &str) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let writes = method != Method::GET;
    let request = match caller {
        Caller::Nobody => reqwest::Client::new().request(method, format!("{}{path}", s.base)),
        Caller::Device(token) => reqwest::Client::new()
            .request(method, format!("{}{path}", s.base))
            .bearer_auth(token),
        Caller::Account(api) => {
            let r = api.http.request(method, api.url(path));
            if writes {
                r.header("x-csrf-token", api.csrf())
            } else {
                r
            }
        }
    };
    let request = if writes {
        request.json(&json!({}))
    } else {
        request
    };
    let resp = request.send().await.expect("response");
    let status = resp.status();
    // Streams (the event feed) are left unread when let through.
    let body = if status.is_client_error() {
        resp.text().await.unwrap_or_default()
    } else {
        String::new()
    };
    (status, body)
}

#[tokio::test]
async fn every_route_answers_every_principal_as_its_rule_says() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let kiosk_token = kiosk(&manager).await;
    let screen: Value = manager
        .post(
            "/api/v1/halls/CA-ZWFW/devices",
            &json!({"name": "大厅屏", "purpose": "screen"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let dashboard: Value = manager
        .post(
            "/api/v1/halls/CA-ZWFW/devices",
            &json!({"name": "数据大屏", "purpose": "dashboard"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let security = s.login("security").await;
    let custom: Value = security
        .post(
            "/api/v1/security/roles",
            &json!({"label": "综合受理组长", "permissions": ["cases.read", "ratings.manage", "directory.edit"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hall_id =
        govhall_testkit::query(&s.state.db, "SELECT id FROM halls WHERE code = 'CA-ZWFW'").await[0]
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let leader = s
        .account_in_hall(
            "leader01",
            &["window_staff", custom["code"].as_str().unwrap()],
            &hall_id,
        )
        .await;
    let admin = s.login("admin").await;
    let (_, yt) = s.another_hall_manager(&admin).await;

    let mut principals = vec![
        Principal {
            name: "匿名",
            caller: Caller::Nobody,
            permissions: BTreeSet::new(),
            other_hall: false,
        },
        Principal {
            name: "取号机",
            caller: Caller::Device(kiosk_token),
            permissions: device_permissions("kiosk"),
            other_hall: false,
        },
        Principal {
            name: "大厅屏",
            caller: Caller::Device(screen["token"].as_str().unwrap().to_string()),
            permissions: device_permissions("screen"),
            other_hall: false,
        },
        Principal {
            name: "数据大屏",
            caller: Caller::Device(dashboard["token"].as_str().unwrap().to_string()),
            permissions: device_permissions("dashboard"),
            other_hall: false,
        },
        account("组长（窗口人员＋自定义角色）", leader, false).await,
        account("他厅管理员", yt, true).await,
        account("系统管理员", admin, false).await,
        account("安全管理员", security, false).await,
        account("中心管理员", manager, false).await,
    ];
    for (name, user) in [
        ("培训学员", "trainee01"),
        ("窗口人员", "clerk01"),
        ("部门审批人员", "reviewer"),
        ("审计管理员", "auditor"),
        ("导服人员", "guide01"),
    ] {
        principals.push(account(name, s.login(user).await, false).await);
    }
    let leader = principals
        .iter()
        .find(|p| p.name.starts_with("组长"))
        .unwrap();
    assert!(
        leader.permissions.contains("cases.read") && leader.permissions.contains("queue.operate"),
        "the custom role adds to the built-in one: {:?}",
        leader.permissions
    );

    let mut routes: Vec<(String, String, Access)> = govhall_server::app::access_table()
        .routes()
        .filter(|(m, p, _)| !SKIPPED.contains(&(*m, *p)))
        .map(|(m, p, a)| (m.to_string(), p.to_string(), a))
        .collect();
    routes.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let mut wrong = Vec::new();
    let mut calls = 0;
    for p in &principals {
        for (method, route, access) in &routes {
            let path = concrete(route);
            let (status, body) = call(&s, &p.caller, method, &path).await;
            calls += 1;
            let is_device = matches!(p.caller, Caller::Device(_));
            let problem = match (access, &p.caller) {
                (Access::Public, _) => (status == StatusCode::UNAUTHORIZED)
                    .then(|| "a public route asked for a sign-in".to_string()),
                (_, Caller::Nobody) => (status != StatusCode::UNAUTHORIZED)
                    .then(|| format!("answered {status} without a sign-in")),
                (Access::SignedIn, _) if is_device => (status != StatusCode::FORBIDDEN)
                    .then(|| format!("a device got {status} on an account route")),
                (Access::SignedIn, _) => (status == StatusCode::UNAUTHORIZED
                    || body.contains("没有“"))
                .then(|| format!("a signed-in account was refused: {status} {body}")),
                (Access::Permission(perm), _) => {
                    let named = format!("（{}）", perm.code());
                    if p.permissions.contains(perm.code()) {
                        if status == StatusCode::UNAUTHORIZED || body.contains(&named) {
                            Some(format!(
                                "holds {} yet refused: {status} {body}",
                                perm.code()
                            ))
                        } else if p.other_hall && route.contains("{hall}") && status.is_success() {
                            Some(format!("another hall's account got {status}"))
                        } else {
                            None
                        }
                    } else if status != StatusCode::FORBIDDEN || !body.contains(&named) {
                        Some(format!("lacks {} yet got {status} {body}", perm.code()))
                    } else {
                        None
                    }
                }
            };
            if let Some(problem) = problem {
                wrong.push(format!("{} · {method} {route}: {problem}", p.name));
            }
        }
    }
    assert!(calls > 1000, "{calls} calls");
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    s.stop().await;
}
