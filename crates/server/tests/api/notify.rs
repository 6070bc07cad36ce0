//! Notifications: the holder's SMS go through the outbox and are dispatched;
//! webhooks are signed, retried after a failure and never delivered twice;
//! the Aliyun gateway speaks its documented contract.

use crate::queue::{issue, kiosk, line};
use axum::{Router, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use govhall_notify::{
    aliyun::{AliyunSms, signature},
    gateway::{OutgoingSms, SmsGateway},
    webhooks::sign,
};
use govhall_platform::config::Config;
use govhall_testkit::TestServer;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

/// Starts `app` on a free local port; returns its base URL.
async fn listen(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn wait_for<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..60 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[derive(Clone, Default)]
struct Receiver {
    /// (event type, body, signature valid)
    got: Arc<Mutex<Vec<(String, String, bool)>>>,
    calls: Arc<Mutex<u32>>,
    secret: Arc<Mutex<String>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let n = {
        let mut c = r.calls.lock().unwrap();
        *c += 1;
        *c
    };
    if n == 1 {
        return StatusCode::INTERNAL_SERVER_ERROR; // the first delivery fails
    }
    let h = |k: &str| headers[k].to_str().unwrap().to_string();
    let ts: i64 = h("x-govhall-timestamp").parse().unwrap();
    let valid = sign(&r.secret.lock().unwrap(), ts, &body) == h("x-govhall-signature");
    r.got
        .lock()
        .unwrap()
        .push((h("x-govhall-event"), body, valid));
    StatusCode::NO_CONTENT
}

#[tokio::test]
async fn holders_get_sms_and_webhooks_are_signed_retried_and_not_duplicated() {
    // The receiver listens on this machine: the operator lists loopback.
    let s = TestServer::with_demo_config(Config {
        webhook_private_targets: vec!["127.0.0.1".into()],
        ..Config::default()
    })
    .await;
    let manager = s.login("manager").await;
    line(&manager, "A", "综合受理", 0).await;

    let receiver = Receiver::default();
    let url = listen(
        Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone()),
    )
    .await;
    let bad = manager
        .post(
            "/api/v1/webhooks",
            &json!({"name": "x", "url": "ftp://nope", "events": ["Queue"]}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let text = bad.text().await.unwrap();
    assert!(text.contains("推送地址") && text.contains("事件"));
    let created: Value = manager
        .post(
            "/api/v1/webhooks",
            &json!({"name": "统一受理平台", "url": format!("{url}/hook"), "events": ["queue.ticket.issued"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    *receiver.secret.lock().unwrap() = created["secret"].as_str().unwrap().to_string();
    assert!(
        manager.json("/api/v1/webhooks").await[0]
            .get("secret")
            .is_none(),
        "the secret is shown once"
    );

    let device = kiosk(&manager).await;
    let t: Value = issue(&s, &device, json!({"line": "A", "phone": "13712345678"}))
        .await
        .json()
        .await
        .unwrap();
    let number = t["ticket"]["number"].as_str().unwrap().to_string();
    issue(&s, &device, json!({"line": "A"})).await; // no phone: no SMS

    // The SMS: masked in the outbox, dispatched by the default (record-only) gateway.
    assert!(
        wait_for(|| async {
            let page = manager.json("/api/v1/notifications?channel=sms").await;
            let items = page["items"].as_array().unwrap().clone();
            items.len() == 1
                && items[0]["recipient"] == "137****5678"
                && items[0]["kind"] == "ticket.issued"
                && items[0]["kind_label"] == "取号成功"
                && items[0]["channel_label"] == "短信"
                && items[0]["status"] == "sent"
                && items[0]["status_label"] == "仅记录，未发出"
                && items[0]["body"].as_str().unwrap().contains(&number)
        })
        .await,
        "one SMS, to the holder who gave a phone"
    );
    // The phone is not stored in clear.
    let raw = s
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            s.state.db.get_database_backend(),
            "SELECT recipient_enc FROM notifications".to_string(),
        ))
        .await
        .unwrap();
    for row in raw {
        let v: Option<String> = row.try_get("", "recipient_enc").unwrap();
        assert!(!v.unwrap_or_default().contains("13712345678"));
    }

    // The webhook: first attempt fails (HTTP 500) and waits for its retry.
    let failed = wait_for(|| async {
        let page = manager.json("/api/v1/notifications?channel=webhook").await;
        // Both tickets' events relayed (a relay pass may take one of them only).
        let items = page["items"].as_array().unwrap();
        items.len() >= 2
            && items.iter().any(|n| {
                n["attempts"] == 1
                    && n["status"] == "pending"
                    && n["last_error"].as_str().unwrap_or_default().contains("500")
            })
    })
    .await;
    assert!(failed, "a failed delivery is kept for retry with its error");
    let page = manager.json("/api/v1/notifications?channel=webhook").await;
    let deliveries = page["items"].as_array().unwrap().clone();
    assert_eq!(deliveries.len(), 2, "one per issued ticket");
    for d in &deliveries {
        if d["status"] == "pending" {
            let r = manager
                .post(
                    &format!("/api/v1/notifications/{}/retry", d["id"].as_str().unwrap()),
                    &json!({}),
                )
                .await;
            assert_eq!(r.status(), 200);
        }
    }
    assert!(
        wait_for(|| async { receiver.got.lock().unwrap().len() == 2 }).await,
        "both delivered after the retry"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let got = receiver.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "never delivered twice");
    assert!(
        got.iter()
            .all(|(ty, _, valid)| ty == "queue.ticket.issued" && *valid)
    );
    let bodies: Vec<Value> = got
        .iter()
        .map(|(_, b, _)| serde_json::from_str(b).unwrap())
        .collect();
    assert!(
        bodies
            .iter()
            .any(|b| b["payload"]["number"] == number.as_str())
    );
    // The catalogue's version and label travel with a declared event (docs/events.md).
    assert!(
        bodies
            .iter()
            .all(|b| b["version"] == 1 && b["label"] == "取号"),
        "{bodies:?}"
    );
    assert!(
        !got.iter().any(|(_, b, _)| b.contains("13712345678")),
        "no personal data in events"
    );
    let page = manager
        .json("/api/v1/notifications?status=sent&channel=webhook")
        .await;
    assert_eq!(page["total"], 2);
    let sent = &page["items"][0];
    let again = manager
        .post(
            &format!(
                "/api/v1/notifications/{}/retry",
                sent["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), 409, "a sent message is not sent again");
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk.get("/api/v1/notifications").await.status(),
        403,
        "window staff do not read the outbox"
    );
}

/// A stand-in for dysmsapi.aliyuncs.com following its documented contract:
/// checks the signature, answers `{"Code": …}` by the phone number.
async fn fake_aliyun(
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> axum::Json<Value> {
    let mut params = q.clone();
    let sig = params.remove("Signature").unwrap_or_default();
    if sig != signature(&params, "key-secret") {
        return axum::Json(
            json!({"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}),
        );
    }
    let code = match q["PhoneNumbers"].as_str() {
        "13800000001" => "OK",
        "13800000002" => "isv.BUSINESS_LIMIT_CONTROL",
        _ => "isv.MOBILE_NUMBER_ILLEGAL",
    };
    axum::Json(
        json!({"Code": code, "Message": "", "BizId": "900619746936498440^0",
        "RequestId": format!("{}|{}|{}", q["TemplateCode"], q["SignName"], q["TemplateParam"])}),
    )
}

#[tokio::test]
async fn the_aliyun_gateway_signs_sends_and_classifies_failures() {
    let base = listen(Router::new().route("/", axum::routing::get(fake_aliyun))).await;
    let config = Config {
        sms_provider: "aliyun".into(),
        aliyun_sms_access_key_id: Some("key-id".into()),
        aliyun_sms_access_key_secret: Some("key-secret".into()),
        aliyun_sms_sign_name: Some("长安区政务服务中心".into()),
        aliyun_sms_endpoint: format!("{base}/"),
        aliyun_sms_templates: [("ticket.called".to_string(), "SMS_71390007".to_string())].into(),
        ..Config::default()
    };
    assert!(config.problems().is_empty());
    let gw = AliyunSms::from_config(&config);
    let params = json!({"number": "A001", "window": "5号窗口"});
    let sms = |phone: &'static str, kind: &'static str| OutgoingSms {
        phone,
        kind,
        params: &params,
        text: "请 A001 号到 5号窗口 办理。",
        out_id: "n1",
    };
    assert_eq!(
        gw.send(&sms("13800000001", "ticket.called")).await.unwrap(),
        "900619746936498440^0"
    );
    let limited = gw
        .send(&sms("13800000002", "ticket.called"))
        .await
        .unwrap_err();
    assert!(limited.retryable && limited.message.contains("BUSINESS_LIMIT_CONTROL"));
    let illegal = gw
        .send(&sms("13800000003", "ticket.called"))
        .await
        .unwrap_err();
    assert!(!illegal.retryable);
    let unmapped = gw
        .send(&sms("13800000001", "ticket.issued"))
        .await
        .unwrap_err();
    assert!(!unmapped.retryable && unmapped.message.contains("模板"));
    let wrong_secret = AliyunSms::from_config(&Config {
        aliyun_sms_access_key_secret: Some("other".into()),
        ..config.clone()
    });
    let refused = wrong_secret
        .send(&sms("13800000001", "ticket.called"))
        .await
        .unwrap_err();
    assert!(refused.message.contains("SignatureDoesNotMatch"));
    let incomplete = Config {
        sms_provider: "aliyun".into(),
        ..Config::default()
    };
    assert!(incomplete.problems()[0].contains("aliyun_sms_access_key_id"));
}

/// A stand-in for api.weixin.qq.com following its documented contract: web
/// authorization codes, access tokens, template messages. The first template
/// message is answered "access_token expired" (42001).
#[derive(Clone, Default)]
struct FakeWeChat {
    sent: Arc<Mutex<Vec<Value>>>,
    tokens: Arc<Mutex<u32>>,
}

async fn wechat_oauth(
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> axum::Json<Value> {
    let ok = q["appid"] == "wx-test"
        && q["secret"] == "wx-secret"
        && q["grant_type"] == "authorization_code"
        && q["code"] == "good-code";
    axum::Json(if ok {
        json!({"access_token": "web-token", "expires_in": 7200, "refresh_token": "r",
            "openid": "oCitizenOpenId0001", "scope": "snsapi_base"})
    } else {
        json!({"errcode": 40029, "errmsg": "invalid code"})
    })
}

async fn wechat_token(
    State(w): State<FakeWeChat>,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> axum::Json<Value> {
    assert_eq!(q["grant_type"], "client_credential");
    assert_eq!(
        (q["appid"].as_str(), q["secret"].as_str()),
        ("wx-test", "wx-secret")
    );
    let mut n = w.tokens.lock().unwrap();
    *n += 1;
    axum::Json(json!({"access_token": format!("AT{n}"), "expires_in": 7200}))
}

async fn wechat_send(
    State(w): State<FakeWeChat>,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
    axum::Json(body): axum::Json<Value>,
) -> axum::Json<Value> {
    if q["access_token"] == "AT1" {
        return axum::Json(json!({"errcode": 42001, "errmsg": "access_token expired"}));
    }
    w.sent.lock().unwrap().push(body);
    axum::Json(json!({"errcode": 0, "errmsg": "ok", "msgid": 200228332}))
}

#[tokio::test]
async fn a_holder_in_wechat_turns_on_reminders_and_the_call_goes_there() {
    let fake = FakeWeChat::default();
    let base = listen(
        Router::new()
            .route("/sns/oauth2/access_token", axum::routing::get(wechat_oauth))
            .route("/cgi-bin/token", axum::routing::get(wechat_token))
            .route("/cgi-bin/message/template/send", post(wechat_send))
            .with_state(fake.clone()),
    )
    .await;
    let s = TestServer::with_demo_config(Config {
        wechat_app_id: Some("wx-test".into()),
        wechat_app_secret: Some("wx-secret".into()),
        wechat_api_base: base.clone(),
        wechat_oauth_base: base.clone(),
        wechat_templates: [("ticket.called".to_string(), "TPL-CALLED".to_string())].into(),
        public_url: Some("https://zwfw.example.gov.cn".into()),
        ..Config::default()
    })
    .await;
    let manager = s.login("manager").await;
    line(&manager, "A", "综合受理", 0).await;
    let device = kiosk(&manager).await;
    let issued: Value = issue(&s, &device, json!({"line": "A"}))
        .await
        .json()
        .await
        .unwrap();
    let id = issued["ticket"]["id"].as_str().unwrap().to_string();
    let token = issued["token"].as_str().unwrap().to_string();
    let anon = s.client();
    let ticket = || async {
        anon.json(&format!("/api/v1/tickets/{id}?token={token}"))
            .await
    };
    let t = ticket().await;
    assert_eq!(
        (t["wechat_available"].clone(), t["wechat_bound"].clone()),
        (json!(true), json!(false))
    );

    // Only the holder (the token) starts it.
    let wrong = anon
        .post(
            &format!("/api/v1/tickets/{id}/wechat"),
            &json!({"token": "x"}),
        )
        .await;
    assert_eq!(wrong.status(), 404);
    let start: Value = anon
        .post(
            &format!("/api/v1/tickets/{id}/wechat"),
            &json!({"token": token}),
        )
        .await
        .json()
        .await
        .unwrap();
    let url = start["url"].as_str().unwrap();
    let prefix = format!(
        "{base}/connect/oauth2/authorize?appid=wx-test&redirect_uri=https%3A%2F%2Fzwfw.example.gov.cn%2Fapi%2Fv1%2Fpublic%2Fwechat%2Fcallback&response_type=code&scope=snsapi_base&state="
    );
    assert!(
        url.starts_with(&prefix) && url.ends_with("#wechat_redirect"),
        "{url}"
    );
    let state = url[prefix.len()..url.len() - "#wechat_redirect".len()].to_string();
    assert!(state.starts_with(&id));

    // WeChat returns the phone. A forged state or a bad code binds nothing.
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let back = |code: &'static str, state: String| {
        let url = format!(
            "{}/api/v1/public/wechat/callback?code={code}&state={state}",
            s.base
        );
        let client = no_redirect.clone();
        async move {
            let r = client.get(url).send().await.unwrap();
            assert_eq!(r.status(), 303);
            r.headers()["location"].to_str().unwrap().to_string()
        }
    };
    let forged = format!("{id}.9999999999.0123456789abcdef");
    assert_eq!(back("good-code", forged).await, "/mobile/?wx=failed");
    // Signed by the server but too late: back to the ticket's page, nothing bound.
    let stale = govhall_queue::wechat::signed_state(&s.state, &id, 1_000_000_000);
    assert_eq!(
        back("good-code", stale).await,
        format!("/mobile/?ticket={id}&wx=failed")
    );
    assert_eq!(
        back("bad-code", state.clone()).await,
        format!("/mobile/?ticket={id}&wx=failed")
    );
    assert_eq!(ticket().await["wechat_bound"], false);
    let hall = govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap();
    assert_eq!(
        back("good-code", state).await,
        format!("/mobile/?hall={}&ticket={id}&wx=on", hall.id)
    );
    assert_eq!(ticket().await["wechat_bound"], true);
    let events = manager
        .json("/api/v1/halls/CA-ZWFW/events/recent?limit=20")
        .await;
    let bound = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "queue.ticket.wechat_bound")
        .expect("the binding is an event");
    assert_eq!(bound["payload"]["ticket_id"], id.as_str());
    assert!(
        !events.to_string().contains("oCitizenOpenId0001"),
        "no openid in events"
    );

    // The call goes to WeChat: the stale token is renewed once, the message carries
    // the template, the text, the variables and the ticket's page.
    let clerks = crate::queue::signed_in_clerks(&s, 1).await;
    let (clerk, w) = &clerks[0];
    let called = clerk
        .post(
            &format!("/api/v1/halls/CA-ZWFW/windows/{w}/call-next"),
            &json!({}),
        )
        .await;
    assert_eq!(called.status(), 200);
    assert!(
        wait_for(|| async { fake.sent.lock().unwrap().len() == 1 }).await,
        "the call reached WeChat"
    );
    let sent = fake.sent.lock().unwrap()[0].clone();
    assert_eq!(sent["touser"], "oCitizenOpenId0001");
    assert_eq!(sent["template_id"], "TPL-CALLED");
    assert_eq!(
        sent["url"],
        format!(
            "https://zwfw.example.gov.cn/mobile/?hall={}&ticket={id}",
            hall.id
        )
    );
    let number = issued["ticket"]["number"].as_str().unwrap();
    assert_eq!(sent["data"]["number"]["value"], number);
    assert!(
        sent["data"]["first"]["value"]
            .as_str()
            .unwrap()
            .contains(number)
    );
    assert_eq!(*fake.tokens.lock().unwrap(), 2, "renewed once after 42001");
    let page = manager.json("/api/v1/notifications?channel=wechat").await;
    let item = &page["items"][0];
    assert_eq!(page["total"], 1);
    assert_eq!(item["recipient"], "微信 oCit…0001");
    assert!(
        wait_for(|| async {
            manager.json("/api/v1/notifications?channel=wechat").await["items"][0]["status"]
                == "sent"
        })
        .await
    );
    assert!(!page.to_string().contains("oCitizenOpenId0001"));
}

/// The outbox is a hall's: another hall's manager sees none of its messages
/// and cannot resend them; the 系统管理员 sees every hall's.
#[tokio::test]
async fn the_outbox_shows_only_the_managers_own_hall() {
    let s = TestServer::with_demo().await;
    let citizen = s.client();
    let code = citizen
        .post(
            "/api/v1/halls/CA-ZWFW/phone-codes",
            &json!({"phone": "13700001111"}),
        )
        .await;
    assert_eq!(code.status(), 202);
    let admin = s.login("admin").await;
    let (_, yt) = s.another_hall_manager(&admin).await;

    // Webhooks: public targets and business events only, and each hall its own.
    let manager = s.login("manager").await;
    for (url, events, field) in [
        ("http://127.0.0.1:9/hook", json!(["queue."]), "内网"),
        ("http://169.254.169.254/latest", json!(["queue."]), "内网"),
        ("http://[::1]:9/hook", json!(["queue."]), "内网"),
        ("https://8.8.8.8/hook", json!(["auth."]), "业务事件"),
    ] {
        let r = manager
            .post(
                "/api/v1/webhooks",
                &json!({"name": "平台", "url": url, "events": events}),
            )
            .await;
        assert_eq!(r.status(), 422, "{url}");
        assert!(r.text().await.unwrap().contains(field), "{url}");
    }
    let hook: Value = manager
        .post(
            "/api/v1/webhooks",
            &json!({"name": "统一受理平台", "url": "https://8.8.8.8/hook", "events": ["*"], "active": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hook_id = hook["webhook"]["id"].as_str().unwrap();
    assert_eq!(yt.json("/api/v1/webhooks").await, json!([]));
    let theirs = yt
        .put(
            &format!("/api/v1/webhooks/{hook_id}"),
            &json!({"name": "改", "url": "https://8.8.8.8/x", "events": ["*"]}),
        )
        .await;
    assert_eq!(theirs.status(), 404, "another hall's webhook is unknown");
    assert_eq!(
        yt.delete(&format!("/api/v1/webhooks/{hook_id}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        admin
            .json("/api/v1/webhooks")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let everything = admin.json("/api/v1/notifications").await;
    let message = everything["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "verify_code")
        .expect("the code's SMS")
        .clone();
    let theirs = yt.json("/api/v1/notifications").await;
    assert_eq!(theirs["total"], 0, "{theirs}");
    let own = s.login("manager").await.json("/api/v1/notifications").await;
    assert!(own["total"].as_u64().unwrap() >= 1);
    let retry = yt
        .post(
            &format!(
                "/api/v1/notifications/{}/retry",
                message["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(retry.status(), 404);
    s.stop().await;
}

/// A page number past the last page a list serves is refused with the
/// field and the rule, on every paged list.
#[tokio::test]
async fn absurd_page_numbers_are_refused_not_crashed() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let auditor = s.login("auditor").await;
    let huge = "page=9223372036854775807";
    for (api, path) in [
        (&manager, "/api/v1/halls/CA-ZWFW/catalog/items"),
        (&manager, "/api/v1/halls/CA-ZWFW/departments"),
        (&manager, "/api/v1/halls/CA-ZWFW/windows"),
        (&manager, "/api/v1/halls/CA-ZWFW/staff"),
        (&manager, "/api/v1/notifications"),
        (&auditor, "/api/v1/audit"),
    ] {
        let r = api.get(&format!("{path}?{huge}")).await;
        assert_eq!(r.status(), 422, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "page", "{path}: {body}");
        assert_eq!(
            api.get(&format!("{path}?page=2")).await.status(),
            200,
            "{path}"
        );
    }
    s.stop().await;
}
