//! 办件 through HTTP: intake at an authorised window with a material missing
//! (一次性告知), acceptance on return, handover, the department's review with a
//! 特别程序, decision, result back at the hall, delivery — and the citizen's
//! progress page at each stage. Unauthorised windows, bad input and two
//! reviewers racing are refused.

use crate::queue::{H, issue, kiosk, line, window_id};
use govhall_platform::{
    auth::{Role, service as accounts},
    events::Actor,
};
use govhall_server::demo::DEMO_PASSWORD;
use govhall_testkit::{Api, TestServer};
use serde_json::{Value, json};

/// 食品经营许可 (市场监督管理局, 承诺件, 5 工作日).
pub(crate) const FOOD: &str = "11610116MB2957101E4010100200000";
/// 仅销售预包装食品备案 (即办件).
pub(crate) const PREPACKED: &str = "11610116MB2957101E4110100300000";
/// 居民身份证申领 (公安: only the 户籍专窗 accepts it).
const ID_CARD: &str = "11610116MB2957110C4071000200000";

pub(crate) fn restaurant_answers() -> Value {
    json!({
        "kind": {"choice": "new"},
        "prepacked": {"yes_no": false},
        "items": {"choices": ["hot"]},
        "online": {"yes_no": false},
        "agent": {"yes_no": false},
    })
}

/// The applicant's ID number (check digit computed).
pub(crate) fn applicant_id() -> String {
    let first17 = "61011619900101123";
    let check = govhall_kernel::validate::id_card_check_char(first17).unwrap();
    format!("{first17}{check}")
}

/// The same number with a wrong check digit.
fn wrong_id() -> String {
    let id = applicant_id();
    let last = if id.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &id[..17])
}

/// The clerk signed in at window `code`.
pub(crate) async fn clerk_at(s: &TestServer, username: &str, code: &str) -> (Api, String) {
    let api = s.login(username).await;
    let w = window_id(&api, code).await;
    let r = api
        .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    (api, w)
}

/// The checklist ids the answers resolve to.
pub(crate) async fn checklist(api: &Api, code: &str, answers: &Value) -> Vec<String> {
    let item = api
        .json(&format!(
            "/api/v1/public/halls/CA-ZWFW/catalog/items/{code}"
        ))
        .await;
    let id = item["id"].as_str().unwrap();
    let r: Value = api
        .post(
            &format!("{H}/catalog/items/{id}/resolve"),
            &json!({"answers": answers}),
        )
        .await
        .json()
        .await
        .unwrap();
    r["resolution"]["outcome"]["materials"]
        .as_array()
        .unwrap_or_else(|| panic!("not resolved: {r}"))
        .iter()
        .map(|m| m["value"]["id"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn ticks(ids: &[String], except: &str) -> Vec<Value> {
    ids.iter()
        .filter(|id| *id != except)
        .map(|id| {
            let way = match id.as_str() {
                "yyzz" | "fr" | "sfz" => "elicence",
                _ => "paper_original",
            };
            json!({"material_id": id, "way": way})
        })
        .collect()
}

pub(crate) fn intake(
    window: &str,
    item: &str,
    answers: Value,
    materials: Vec<Value>,
    outcome: &str,
) -> Value {
    json!({
        "item": item,
        "window_id": window,
        "answers": answers,
        "applicant": {"kind": "person", "name": "王小明", "cert_no": applicant_id(), "phone": "13912345678"},
        "materials": materials,
        "outcome": outcome,
    })
}

pub(crate) async fn act(api: &Api, id: &str, body: Value) -> reqwest::Response {
    api.post(&format!("{H}/cases/{id}/actions"), &body).await
}

pub(crate) async fn act_ok(api: &Api, id: &str, body: Value) -> Value {
    let r = act(api, id, body.clone()).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body} → {v}");
    v
}

/// A new restaurant's 食品经营许可 accepted at window `w` with every material in hand.
pub(crate) async fn accept_restaurant(clerk: &Api, w: &str) -> Value {
    let ids = checklist(clerk, FOOD, &restaurant_answers()).await;
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(w, FOOD, restaurant_answers(), ticks(&ids, ""), "accept"),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

/// The hall's recent events, as the centre's manager reads them.
pub(crate) async fn recent_events(s: &TestServer) -> Value {
    s.login("manager")
        .await
        .json(&format!("{H}/events/recent?limit=200"))
        .await
}

/// The types of one case's events among `events`.
pub(crate) fn event_types<'a>(events: &'a Value, case_id: &str) -> Vec<&'a str> {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["payload"]["case_id"] == case_id)
        .map(|e| e["event_type"].as_str().unwrap())
        .collect()
}

/// The SMS the hall's outbox holds for a (masked) phone, as the manager reads them, and their kinds.
pub(crate) async fn sms_to(s: &TestServer, masked: &str) -> (Value, Vec<String>) {
    let outbox: Value = s
        .login("manager")
        .await
        .json(&format!("/api/v1/notifications?channel=sms&q={masked}"))
        .await;
    let kinds = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect();
    (outbox, kinds)
}

pub(crate) async fn progress(s: &TestServer, number: &str, code: &str) -> reqwest::Response {
    reqwest::get(format!(
        "{}/api/v1/public/halls/CA-ZWFW/cases/{number}?code={code}",
        s.base
    ))
    .await
    .unwrap()
}

#[tokio::test]
async fn a_case_goes_from_one_time_notice_to_delivery_and_the_citizen_sees_each_stage() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, FOOD, &restaurant_answers()).await;
    assert!(ids.contains(&"pmt".to_string()), "{ids:?}");

    // Accepting with the floor plan missing is refused and names it.
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(
                &w01,
                FOOD,
                restaurant_answers(),
                ticks(&ids, "pmt"),
                "accept",
            ),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("经营场所平面图"), "{body}");

    // 一次性告知: every missing item at once.
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(
                &w01,
                FOOD,
                restaurant_answers(),
                ticks(&ids, "pmt"),
                "correct",
            ),
        )
        .await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    let id = case["id"].as_str().unwrap().to_string();
    let number = case["number"].as_str().unwrap().to_string();
    let code = case["query_code"].as_str().unwrap().to_string();
    assert!(number.starts_with(FOOD), "{number}");
    assert_eq!(number.len(), FOOD.len() + 8 + 4);
    assert_eq!(case["status"], 6);
    assert_eq!(case["stage"], "correcting");
    assert_eq!(case["source"], "一窗综合受理");
    assert_eq!(
        case["applicant_cert"],
        format!("610116********{}", &applicant_id()[14..])
    );
    assert_eq!(case["contact_phone"], "139****5678");
    let items = case["correction_items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].as_str().unwrap().contains("经营场所平面图"));
    assert!(case["due_on"].is_null(), "the clock has not started");
    // The event carries the 一次性告知 list: the analytics count it per matter.
    govhall_analytics::follower::catch_up(&s.state.db, 1000)
        .await
        .unwrap();
    let facts = govhall_testkit::query(
        &s.state.db,
        &format!("SELECT item FROM analytics_correction_items WHERE case_id = '{id}'"),
    )
    .await;
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert!(
        facts[0]["item"]
            .as_str()
            .unwrap()
            .contains("经营场所平面图")
    );

    // The citizen's phone: wrong code reads as not found; the right one shows what to bring.
    assert_eq!(progress(&s, &number, "WRONG123").await.status(), 404);
    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    assert_eq!(p["stage_label"], "待补正");
    assert_eq!(p["applicant_name"], "王**");
    assert!(
        p["correction_items"][0]
            .as_str()
            .unwrap()
            .contains("平面图")
    );

    // A required material cannot be waved through as 容缺.
    let r = act(
        &clerk,
        &id,
        json!({"action": "accept", "window_id": w01,
               "materials": [{"material_id": "pmt", "way": "deferred", "promised_on": "2030-01-01"}]}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不是容缺材料"));

    // The citizen returns with the floor plan: accepted, the clock starts.
    let case = act_ok(
        &clerk,
        &id,
        json!({"action": "accept", "window_id": w01,
               "materials": [{"material_id": "pmt", "way": "paper_original"}]}),
    )
    .await;
    assert_eq!(case["status"], 3);
    assert_eq!(case["stage"], "accepted");
    let cal = govhall_directory::calendar::load(&s.state).await.unwrap();
    let today = govhall_cases::store::local_date(chrono::Utc::now());
    assert_eq!(case["limit_days"], 5);
    assert_eq!(
        case["due_on"],
        cal.add_working_days(today, 5).to_string(),
        "five working days on the official calendar"
    );
    assert_eq!(case["warning"], "normal");

    // Handover to the department, which signs for it.
    let case = act_ok(&clerk, &id, json!({"action": "hand_over"})).await;
    assert_eq!(case["stage"], "handed_over");
    let paper: Vec<&Value> = case["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["way"] == "paper_original")
        .collect();
    assert!(!paper.is_empty());
    assert!(paper.iter().all(|m| m["handover"] == "handed_over"));
    assert_eq!(
        act(&clerk, &id, json!({"action": "sign_for"}))
            .await
            .status(),
        403,
        "a window clerk cannot sign for the department"
    );
    let reviewer = s.login("reviewer").await;
    let inbox: Value = reviewer.json(&format!("{H}/cases?stage=handed_over")).await;
    assert!(
        inbox
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str())
    );
    let case = act_ok(&reviewer, &id, json!({"action": "sign_for"})).await;
    assert_eq!(case["status"], 8);
    assert!(paper_all(&case, "signed"));

    // A 特别程序 pauses the clock; its end resumes it.
    let r = act(
        &reviewer,
        &id,
        json!({"action": "start_special", "special_kind": "开会"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    let case = act_ok(
        &reviewer,
        &id,
        json!({"action": "start_special", "special_kind": "现场勘查", "opinion": "核查经营场所"}),
    )
    .await;
    assert_eq!(case["status"], 9);
    assert_eq!(case["paused_on"], today.to_string());
    assert_eq!(
        act(
            &reviewer,
            &id,
            json!({"action": "decide", "decision": "approve"})
        )
        .await
        .status(),
        409,
        "no decision while the special procedure runs"
    );
    let case = act_ok(&reviewer, &id, json!({"action": "end_special"})).await;
    assert_eq!(case["status"], 10);
    assert!(case["paused_on"].is_null());
    assert_eq!(case["paused_days"], 0, "begun and ended the same day");

    // The food permit is a licence: 准予 names it, or is refused and changes nothing.
    let r = act(
        &reviewer,
        &id,
        json!({"action": "decide", "decision": "approve", "certificate_name": "食品经营许可证"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "certificate_no", "{body}");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("证照编号")
    );

    // Decision, result back at the hall, pickup with an ID check.
    let case = act_ok(
        &reviewer,
        &id,
        json!({"action": "decide", "decision": "approve", "certificate_name": "食品经营许可证",
               "certificate_no": "JY16101160000001", "valid_until": "2031-11-26"}),
    )
    .await;
    assert_eq!(case["status"], 11);
    assert_eq!(case["result"], "准予");
    let case = act_ok(&reviewer, &id, json!({"action": "return_result"})).await;
    assert_eq!(case["stage"], "ready");
    let (delivery, w25) = clerk_at(&s, "clerk02", "25").await;
    let r = act(
        &delivery,
        &id,
        json!({"action": "deliver", "window_id": w25, "delivery": "window",
               "recipient_name": "王小明", "recipient_id_no": wrong_id()}),
    )
    .await;
    assert_eq!(r.status(), 422, "a wrong check digit is refused");
    let case = act_ok(
        &delivery,
        &id,
        json!({"action": "deliver", "window_id": w25, "delivery": "window",
               "recipient_name": "王小明", "recipient_id_no": applicant_id()}),
    )
    .await;
    assert_eq!(case["stage"], "delivered");
    assert_eq!(case["delivery_method"], "窗口领取");
    assert!(case["actions"].as_array().unwrap().is_empty());

    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    let stages: Vec<&str> = p["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["stage_label"].as_str().unwrap())
        .collect();
    for want in [
        "已收件",
        "待补正",
        "已受理",
        "材料已交接",
        "部门办理中",
        "特别程序中",
        "已办结",
        "待取件",
        "已出件",
    ] {
        assert!(stages.contains(&want), "{want} missing from {stages:?}");
    }
    let progress_text = p.to_string();
    assert!(
        !progress_text.contains("核查经营场所"),
        "review opinions stay internal"
    );

    // Every change is an event, and none carries personal data.
    let events = recent_events(&s).await;
    let types = event_types(&events, &id);
    for want in [
        "cases.case.received",
        "cases.case.correction_requested",
        "cases.case.accept",
        "cases.case.hand_over",
        "cases.case.sign_for",
        "cases.case.start_special",
        "cases.case.end_special",
        "cases.case.decide",
        "cases.case.return_result",
        "cases.case.deliver",
    ] {
        assert!(types.contains(&want), "{want} missing from {types:?}");
    }
    let text = events.to_string();
    assert!(!text.contains(&applicant_id()) && !text.contains("13912345678"));

    // The applicant's phone heard of the 补正, the acceptance and the result at the window.
    let (outbox, kinds) = sms_to(&s, "139****5678").await;
    for want in ["case.correction", "case.accepted", "case.ready"] {
        assert!(
            kinds.iter().any(|k| k == want),
            "{want} missing from {kinds:?}"
        );
    }
    let bodies = outbox.to_string();
    assert!(bodies.contains("经营场所平面图") && bodies.contains("出件窗口"));
    assert!(!bodies.contains(&code), "the query code is not sent by SMS");

    // 一事一评: the closed case is rated once from the progress page; a 差评
    // opens a rectification ticket like a visit's.
    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    assert_eq!(
        (p["can_rate"].clone(), p["rated"].clone()),
        (json!(true), json!(false))
    );
    let rate = |code: String, body: Value| {
        let url = format!(
            "{}/api/v1/public/halls/CA-ZWFW/cases/{number}/rating?code={code}",
            s.base
        );
        async move {
            reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = rate("WRONG123".into(), json!({"overall": 5})).await;
    assert_eq!(wrong.status(), 404);
    let no_reason = rate(code.clone(), json!({"overall": 1})).await;
    assert_eq!(no_reason.status(), 422);
    let r = rate(
        code.clone(),
        json!({"overall": 2, "efficiency": 1, "comment": "补正跑了两趟"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let rated: Value = r.json().await.unwrap();
    assert_eq!(rated["subject"], "case");
    assert_eq!(rated["number"], number.as_str());
    assert_eq!(rated["task_code"], FOOD);
    assert_eq!(rated["item_name"], "食品经营许可");
    assert_eq!(rated["dept_name"], "西安市长安区市场监督管理局");
    assert_eq!(rated["staff_name"], "王静", "the clerk who received it");
    assert!(rated["rectification_id"].is_string());
    let again = rate(code.clone(), json!({"overall": 5})).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("不能修改"));
    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    assert_eq!(
        (p["can_rate"].clone(), p["rated"].clone()),
        (json!(false), json!(true))
    );
    let manager = s.login("manager").await;
    let bad: Value = manager.json(&format!("{H}/ratings?bad=true")).await;
    assert!(
        bad.as_array()
            .unwrap()
            .iter()
            .any(|r| r["number"] == number.as_str())
    );
}

fn paper_all(case: &Value, handover: &str) -> bool {
    case["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["way"] == "paper_original")
        .all(|m| m["handover"] == handover)
}

#[tokio::test]
async fn only_a_window_authorised_for_the_matter_accepts_it() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let answers = json!({"why": {"choice": "first"}, "age": {"number": 30}});
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w01, ID_CARD, answers.clone(), vec![], "correct"),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("未获授权"));

    // Not signed in at the window named.
    let w02 = window_id(&clerk, "02").await;
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w02, FOOD, restaurant_answers(), vec![], "correct"),
        )
        .await;
    assert_eq!(r.status(), 403);

    // The 户籍专窗 (public security's own window) accepts it.
    let police = s
        .login("manager")
        .await
        .json(&format!("{H}/windows?q=户籍"))
        .await;
    let code = police["items"][0]["code"].as_str().unwrap().to_string();
    let (clerk2, wp) = clerk_at(&s, "clerk02", &code).await;
    let r = clerk2
        .post(
            &format!("{H}/cases"),
            &intake(&wp, ID_CARD, answers, vec![], "correct"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn bad_intake_is_refused_with_every_field_named_and_nothing_is_recorded() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let mut body = intake(
        &w01,
        FOOD,
        restaurant_answers(),
        vec![
            json!({"material_id": "sqs", "way": "deferred", "promised_on": "2030-01-01"}),
            json!({"material_id": "pmt", "way": "shared"}),
            json!({"material_id": "nope", "way": "paper_copy"}),
        ],
        "correct",
    );
    body["applicant"]["cert_no"] = json!(wrong_id());
    body["applicant"]["phone"] = json!("12345");
    let r = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(r.status(), 422);
    let err: Value = r.json().await.unwrap();
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for want in [
        "applicant.cert_no",
        "applicant.phone",
        "materials[0].way",
        "materials[1].way",
        "materials[2].material_id",
    ] {
        assert!(fields.contains(&want), "{want} missing from {err}");
    }
    // Unanswered scenario questions are named too.
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w01, FOOD, json!({}), vec![], "correct"),
        )
        .await;
    assert_eq!(r.status(), 422);
    // An organisation needs a valid credit code and its legal representative.
    let mut org = intake(&w01, PREPACKED, json!({}), vec![], "correct");
    org["applicant"] = json!({"kind": "organization", "name": "长安小馆", "cert_no": "91610116MA6TXXXX00", "phone": "13912345678"});
    let err: Value = clerk
        .post(&format!("{H}/cases"), &org)
        .await
        .json()
        .await
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("统一社会信用代码") && text.contains("法定代表人"),
        "{text}"
    );

    let list: Value = clerk.json(&format!("{H}/cases")).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing recorded");
}

#[tokio::test]
async fn an_instant_matter_is_finished_on_the_spot_and_a_promised_one_is_not() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    assert_eq!(case["status"], 11);
    assert_eq!(case["stage"], "delivered");
    assert_eq!(case["due_on"], case["accepted_on"]);
    let steps: Vec<&str> = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["receive", "accept", "decide", "deliver"]);
    let exempt = case["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["way"] == "elicence")
        .count();
    assert_eq!(exempt, 2, "营业执照 and 身份证 from e-licences");

    let food = checklist(&clerk, FOOD, &restaurant_answers()).await;
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(
                &w01,
                FOOD,
                restaurant_answers(),
                ticks(&food, ""),
                "instant",
            ),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("承诺件不能当场办结"));

    // 不受理 names the competent agency; 不予受理 a reason.
    let mut body = intake(&w01, FOOD, restaurant_answers(), vec![], "not_accept");
    body["reason"] = json!("申请事项依法不需要取得行政许可");
    let r = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(r.status(), 422);
    body["competent_agency"] = json!("西安市长安区行政审批服务局");
    let case: Value = clerk
        .post(&format!("{H}/cases"), &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["status"], 4);
    assert_eq!(case["stage"], "refused");
    assert!(case["actions"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn two_reviewers_signing_for_one_case_at_once_never_both_succeed() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let case = accept_restaurant(&clerk, &w01).await;
    let id = case["id"].as_str().unwrap().to_string();
    act_ok(&clerk, &id, json!({"action": "hand_over"})).await;

    // A second reviewer of the same department, and one of another department.
    let manager = s.login("manager").await;
    let depts: Value = manager.json(&format!("{H}/departments")).await;
    let depts = depts["items"]
        .as_array()
        .or(depts.as_array())
        .unwrap()
        .clone();
    let dept_of = |name: &str| {
        depts
            .iter()
            .find(|d| d["name"].as_str().unwrap().contains(name))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let hall = govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap();
    for (username, dept, no) in [
        ("market2", dept_of("市场监督"), "R901"),
        ("civil2", dept_of("民政"), "R902"),
    ] {
        let staff: Value = manager
            .post(
                &format!("{H}/staff"),
                &json!({"employee_no": no, "name": format!("审批{no}"), "department_id": dept, "position": "dept_reviewer"}),
            )
            .await
            .json()
            .await
            .unwrap();
        accounts::create_user(
            &s.state,
            &Actor::system(),
            accounts::NewUser {
                username: username.into(),
                display_name: format!("审批{no}"),
                password: DEMO_PASSWORD.into(),
                roles: vec![Role::DeptReviewer],
                custom_roles: vec![],
                hall_id: Some(hall.id.clone()),
                staff_id: Some(staff["id"].as_str().unwrap().to_string()),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    }
    let other = s.login("civil2").await;
    let r = act(&other, &id, json!({"action": "sign_for"})).await;
    assert_eq!(r.status(), 403, "another department's reviewer");
    // Nor does it read the case: a department's reviewers see their own inbox only.
    assert_eq!(other.get(&format!("{H}/cases/{id}")).await.status(), 404);
    let theirs: Value = other.json(&format!("{H}/cases")).await;
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != id.as_str()),
        "{theirs}"
    );

    let (a, b) = (s.login("reviewer").await, s.login("market2").await);
    let body = json!({"action": "sign_for"});
    let (ra, rb) = tokio::join!(act(&a, &id, body.clone()), act(&b, &id, body));
    let mut codes = [ra.status().as_u16(), rb.status().as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 409]);
    let case: Value = a.json(&format!("{H}/cases/{id}")).await;
    let signs = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["action"] == "sign_for")
        .count();
    assert_eq!(signs, 1);
}

#[tokio::test]
async fn the_called_ticket_brings_what_the_kiosk_read_and_found() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let token = kiosk(&manager).await;
    line(&manager, "A", "综合受理", 0).await;
    // A guidance result that is not an object of answers is refused.
    let bad = issue(
        &s,
        &token,
        json!({"line": "A", "guidance": {"item": PREPACKED, "answers": [1, 2]}}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("guidance.answers"));
    let r = issue(
        &s,
        &token,
        json!({"line": "A", "id_number": applicant_id(), "phone": "13700001111",
               "guidance": {"item": PREPACKED, "answers": {}}}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let slip: Value = r.json().await.unwrap();
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let called: Value = clerk
        .post(&format!("{H}/windows/{w01}/call-next"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let ticket = called["ticket"]["id"].as_str().unwrap().to_string();
    // What the kiosk's guidance found reaches the window with the ticket.
    assert_eq!(called["ticket"]["guidance"]["item"], PREPACKED);

    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    let mut body = intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    body["ticket_id"] = json!(ticket);
    body["applicant"]["cert_no"] = json!("");
    body["applicant"]["phone"] = json!("");
    let r = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    assert_eq!(case["ticket_number"], "A001");
    assert_eq!(
        case["applicant_cert"],
        format!("610116********{}", &applicant_id()[14..])
    );
    assert_eq!(case["contact_phone"], "137****1111");
    // The slip's holder finds the case on their phone, with the code to follow it.
    let cases_of = |token: &str| {
        reqwest::Client::new()
            .get(format!("{}/api/v1/tickets/{ticket}/cases", s.base))
            .query(&[("token", token)])
            .send()
    };
    let held: Value = cases_of(slip["token"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(held[0]["number"], case["number"], "{held}");
    assert_eq!(held[0]["query_code"], case["query_code"], "{held}");
    assert_eq!(cases_of("not-the-token").await.unwrap().status(), 404);

    // Another window cannot attach a ticket it did not call.
    let (clerk2, w02) = clerk_at(&s, "clerk02", "02").await;
    let mut body = intake(&w02, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    body["ticket_id"] = json!(ticket);
    let err: Value = clerk2
        .post(&format!("{H}/cases"), &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(err["fields"][0]["field"], "ticket_id", "{err}");
}

#[tokio::test]
async fn a_handover_sheet_carries_one_departments_cases_and_signing_it_starts_their_review() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let food = checklist(&clerk, FOOD, &restaurant_answers()).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let c: Value = clerk
            .post(
                &format!("{H}/cases"),
                &intake(&w01, FOOD, restaurant_answers(), ticks(&food, ""), "accept"),
            )
            .await
            .json()
            .await
            .unwrap();
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    // A case of another department (社保卡 by 人社局) cannot share the sheet.
    let social = "11610116MB2957102H4200200200000";
    let social_ids = checklist(&clerk, social, &json!({})).await;
    let other: Value = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w01, social, json!({}), ticks(&social_ids, ""), "accept"),
        )
        .await
        .json()
        .await
        .unwrap();
    let mixed = json!({"case_ids": [ids[0], other["id"]]});
    let r = clerk.post(&format!("{H}/handovers"), &mixed).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("一个部门"));

    let r = clerk
        .post(&format!("{H}/handovers"), &json!({"case_ids": ids}))
        .await;
    assert_eq!(r.status(), 201);
    let sheet: Value = r.json().await.unwrap();
    assert!(sheet["number"].as_str().unwrap().starts_with("JJ"));
    assert_eq!(sheet["cases"].as_array().unwrap().len(), 2);
    assert!(sheet["signed_at"].is_null());
    assert_eq!(sheet["overdue"], false);
    for c in sheet["cases"].as_array().unwrap() {
        assert_eq!(c["stage_label"], "材料已交接");
        assert!(c["paper"].as_u64().unwrap() > 0);
    }
    // Handing one of them over again is refused: it is on the sheet.
    let again = clerk
        .post(&format!("{H}/handovers"), &json!({"case_ids": [ids[0]]}))
        .await;
    assert_eq!(again.status(), 409);

    let reviewer = s.login("reviewer").await;
    let unsigned: Value = reviewer.json(&format!("{H}/handovers?unsigned=true")).await;
    assert_eq!(unsigned.as_array().unwrap().len(), 1);
    let id = sheet["id"].as_str().unwrap();
    assert_eq!(
        clerk
            .post(&format!("{H}/handovers/{id}/sign"), &json!({}))
            .await
            .status(),
        403
    );
    let signed: Value = reviewer
        .post(&format!("{H}/handovers/{id}/sign"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!signed["signed_at"].is_null());
    for c in signed["cases"].as_array().unwrap() {
        assert_eq!(c["stage_label"], "部门办理中");
    }
    let case: Value = reviewer.json(&format!("{H}/cases/{}", ids[1])).await;
    assert!(
        case["materials"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["way"] == "paper_original")
            .all(|m| m["handover"] == "signed")
    );
    let r = reviewer
        .post(&format!("{H}/handovers/{id}/sign"), &json!({}))
        .await;
    assert_eq!(r.status(), 409, "signed once");
    let unsigned: Value = reviewer.json(&format!("{H}/handovers?unsigned=true")).await;
    assert!(unsigned.as_array().unwrap().is_empty());
}

/// The text of a PDF answer, whitespace removed.
pub(crate) async fn pdf_text(r: reqwest::Response) -> String {
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // To look at them: GOVHALL_PDF_DUMP=/tmp/pdfs cargo test … notices
    if let Ok(dir) = std::env::var("GOVHALL_PDF_DUMP") {
        let name = format!("{dir}/{}.pdf", govhall_kernel::ids::new_id());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(name, &bytes).unwrap();
    }
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn notices_are_pdf_in_the_halls_wording_with_the_facts_the_law_asks_for() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let food = checklist(&clerk, FOOD, &restaurant_answers()).await;
    let missing = food
        .iter()
        .find(|id| !["yyzz", "fr", "sfz"].contains(&id.as_str()))
        .unwrap();
    let c: Value = clerk
        .post(
            &format!("{H}/cases"),
            &intake(
                &w01,
                FOOD,
                restaurant_answers(),
                ticks(&food, missing),
                "correct",
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = c["id"].as_str().unwrap();
    let number = c["number"].as_str().unwrap();
    assert_eq!(c["documents"], json!(["receipt", "correction"]));

    // 一次性告知书: the case number, the query code and every item owed.
    let text = pdf_text(
        clerk
            .get(&format!("{H}/cases/{id}/documents/correction"))
            .await,
    )
    .await;
    assert!(text.contains("一次性告知书"), "{text}");
    assert!(text.contains(number), "{text}");
    // Sealed by the hall; the receipt time to the minute.
    assert!(text.contains("（盖章）"), "{text}");
    let received = govhall_kernel::time::local(
        chrono::DateTime::parse_from_rfc3339(c["received_at"].as_str().unwrap())
            .unwrap()
            .to_utc(),
    );
    assert!(
        text.contains(&received.format("收件时间%Y年%-m月%-d日%H:%M").to_string()),
        "{text}"
    );
    assert!(text.contains(c["query_code"].as_str().unwrap()), "{text}");
    for item in c["correction_items"].as_array().unwrap() {
        let item: String = item
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(text.contains(&item), "{item} missing from {text}");
    }
    // The ID number is masked on paper too.
    assert!(!text.contains(&applicant_id()), "{text}");

    // Still open: it cannot be rated yet (一事一评 comes once it is closed).
    let early_rating = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/public/halls/CA-ZWFW/cases/{number}/rating?code={}",
            s.base,
            c["query_code"].as_str().unwrap()
        ))
        .json(&json!({"overall": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(early_rating.status(), 409);

    // Not accepted yet: no 受理通知书; unknown kinds are named.
    let early = clerk
        .get(&format!("{H}/cases/{id}/documents/acceptance"))
        .await;
    assert_eq!(early.status(), 409);
    let odd = clerk.get(&format!("{H}/cases/{id}/documents/letter")).await;
    assert_eq!(odd.status(), 422);
    assert!(odd.text().await.unwrap().contains("文书类型"));
    // The citizen's copies carry the query code: a reviewer cannot print them.
    let reviewer = s.login("reviewer").await;
    let r = reviewer
        .get(&format!("{H}/cases/{id}/documents/receipt"))
        .await;
    assert_eq!(r.status(), 403);

    // The centre edits the wording; a placeholder that does not exist is named and nothing changes.
    let manager = s.login("manager").await;
    let templates: Value = manager.json(&format!("{H}/document-templates")).await;
    assert_eq!(templates.as_array().unwrap().len(), 6);
    let bad = manager
        .put(
            &format!("{H}/document-templates/acceptance"),
            &json!({"title": "受理通知书", "body": "{申请日期}", "footer": ""}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("{申请日期}"));
    let saved: Value = manager
        .put(
            &format!("{H}/document-templates/acceptance"),
            &json!({
                "title": "行政许可受理通知书",
                "body": "{申请人}：\n你提出的{事项名称}申请已受理，{承诺办结日期}前办结。",
                "footer": "咨询：{中心名称}",
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["is_default"], false);
    assert_eq!(
        clerk
            .put(
                &format!("{H}/document-templates/acceptance"),
                &json!({"title": "x", "body": "", "footer": ""})
            )
            .await
            .status(),
        403
    );

    // The citizen returns with everything: accepted, and the 受理通知书 uses the new wording.
    let accepted = act_ok(
        &clerk,
        id,
        json!({"action": "accept", "window_id": w01,
               "materials": [{"material_id": missing, "way": "paper_original"}]}),
    )
    .await;
    // The 补正 is over: its notice is no longer offered.
    assert_eq!(accepted["documents"], json!(["receipt", "acceptance"]));
    let text = pdf_text(
        clerk
            .get(&format!("{H}/cases/{id}/documents/acceptance"))
            .await,
    )
    .await;
    assert!(text.contains("行政许可受理通知书"), "{text}");
    assert!(text.contains("王小明：你提出的食品经营许可"), "{text}");
    let due = accepted["due_on"].as_str().unwrap();
    let (y, m, d) = (
        &due[0..4],
        due[5..7].trim_start_matches('0'),
        due[8..10].trim_start_matches('0'),
    );
    assert!(text.contains(&format!("{y}年{m}月{d}日前办结")), "{text}");
    assert!(text.contains("咨询：西安市长安区政务服务中心"), "{text}");
    // Back to the default wording.
    let reset: Value = manager
        .delete(&format!("{H}/document-templates/acceptance"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reset["is_default"], true);
    assert_eq!(reset["title"], "受理通知书");

    // The handover sheet lists the case and leaves room for both signatures.
    let sheet: Value = clerk
        .post(&format!("{H}/handovers"), &json!({"case_ids": [id]}))
        .await
        .json()
        .await
        .unwrap();
    let text = pdf_text(
        reviewer
            .get(&format!(
                "{H}/handovers/{}/document",
                sheet["id"].as_str().unwrap()
            ))
            .await,
    )
    .await;
    assert!(text.contains("材料交接单"), "{text}");
    assert!(text.contains(sheet["number"].as_str().unwrap()), "{text}");
    assert!(text.contains(number), "{text}");
    assert!(text.contains("接收人（签字）"), "{text}");
    s.stop().await;
}

/// Moves a case's materials; the response.
async fn move_materials(api: &Api, id: &str, body: Value) -> reqwest::Response {
    api.post(&format!("{H}/cases/{id}/material-actions"), &body)
        .await
}

fn material<'a>(case: &'a Value, id: &str) -> &'a Value {
    case["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["material_id"] == id)
        .unwrap()
}

/// Sets how long ago a case's material last moved, or its 容缺 promise (time travel).
async fn backdate(s: &TestServer, case_id: &str, material_id: &str, days: i64, promise: bool) {
    use sea_orm::{
        ConnectionTrait,
        sea_query::{Alias, Expr, ExprTrait, Query},
    };
    let then = chrono::Utc::now() - chrono::Duration::days(days);
    let (column, value): (&str, sea_orm::Value) = if promise {
        ("promised_on", then.date_naive().into())
    } else {
        ("moved_at", then.into())
    };
    let update = Query::update()
        .table(Alias::new("case_materials"))
        .value(Alias::new(column), value)
        .and_where(Expr::col(Alias::new("case_id")).eq(case_id))
        .and_where(Expr::col(Alias::new("material_id")).eq(material_id))
        .to_owned();
    s.state.db.execute(&update).await.unwrap();
}

#[tokio::test]
async fn materials_move_after_the_handover_and_steps_that_wait_too_long_are_flagged() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, FOOD, &restaurant_answers()).await;
    assert!(ids.contains(&"zd".to_string()));
    // 食品安全管理制度 is 容缺 for a new restaurant: accepted with a promise.
    let mut materials = ticks(&ids, "zd");
    let promised = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive();
    materials.push(json!({"material_id": "zd", "way": "deferred", "promised_on": promised}));
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(&w01, FOOD, restaurant_answers(), materials, "accept"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    let id = case["id"].as_str().unwrap().to_string();
    let code = case["query_code"].as_str().unwrap().to_string();
    assert_eq!(material(&case, "zd")["way"], "deferred");
    assert_eq!(case["flags"], json!([]));

    // Paper on a sheet is signed for as a sheet, not one by one.
    act_ok(&clerk, &id, json!({"action": "hand_over"})).await;
    let reviewer = s.login("reviewer").await;
    let r = move_materials(
        &reviewer,
        &id,
        json!({"action": "receive", "material_ids": ["sqs"]}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("请签收交接单"));
    // A sheet left unsigned past the next working day is flagged on the case.
    backdate(&s, &id, "sqs", 10, false).await;
    let case: Value = clerk.json(&format!("{H}/cases/{id}")).await;
    assert_eq!(case["flags"], json!(["handover_unsigned"]));
    assert_eq!(case["flag_labels"], json!(["交接材料超期未签收"]));
    act_ok(&reviewer, &id, json!({"action": "sign_for"})).await;

    // Bad input changes nothing and names the field.
    for (body, field) in [
        (
            json!({"action": "supplement", "material_ids": ["zd"]}),
            "way",
        ),
        (
            json!({"action": "supplement", "material_ids": ["zd"], "way": "shared"}),
            "way",
        ),
        (
            json!({"action": "supplement", "material_ids": ["nope"], "way": "paper_original"}),
            "material_ids",
        ),
        (
            json!({"action": "supplement", "material_ids": ["sqs"], "way": "paper_original"}),
            "material_ids",
        ),
        (
            json!({"action": "forward", "material_ids": []}),
            "material_ids",
        ),
    ] {
        let r = move_materials(&clerk, &id, body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let v: Value = r.json().await.unwrap();
        assert!(v.to_string().contains(field), "{body} → {v}");
    }
    // The 容缺 promise passes: flagged, and listed among the cases to chase.
    backdate(&s, &id, "zd", 1, true).await;
    let case: Value = clerk.json(&format!("{H}/cases/{id}")).await;
    assert_eq!(case["flags"], json!(["deferred_overdue"]));
    let flagged: Value = clerk.json(&format!("{H}/cases?warning=flagged")).await;
    assert!(
        flagged
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str())
    );

    // The applicant brings it: 补交 on paper, now at the front desk and owed to the department.
    let r = move_materials(
        &clerk,
        &id,
        json!({"action": "supplement", "material_ids": ["zd"], "way": "paper_original", "note": "申请人本人送来"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let case: Value = r.json().await.unwrap();
    assert_eq!(material(&case, "zd")["way"], "paper_original");
    assert_eq!(material(&case, "zd")["handover"], "front");
    assert_eq!(material(&case, "zd")["promised_on"], Value::Null);
    assert_eq!(case["flags"], json!([]));
    backdate(&s, &id, "zd", 10, false).await;
    let case: Value = clerk.json(&format!("{H}/cases/{id}")).await;
    assert_eq!(case["flags"], json!(["supplement_not_forwarded"]));

    // Two clerks send it on at once: one does.
    let (clerk2, _) = clerk_at(&s, "clerk02", "02").await;
    let body = json!({"action": "forward", "material_ids": ["zd"]});
    let (ra, rb) = tokio::join!(
        move_materials(&clerk, &id, body.clone()),
        move_materials(&clerk2, &id, body)
    );
    let ok = [ra.status(), rb.status()]
        .iter()
        .filter(|s| s.as_u16() == 200)
        .count();
    assert_eq!(ok, 1, "{} {}", ra.status(), rb.status());
    // The department signs for it; a clerk cannot.
    let receive = json!({"action": "receive", "material_ids": ["zd"]});
    assert_eq!(
        move_materials(&clerk, &id, receive.clone()).await.status(),
        403
    );
    let r = move_materials(&reviewer, &id, receive).await;
    assert_eq!(r.status(), 200);
    let case: Value = r.json().await.unwrap();
    assert_eq!(material(&case, "zd")["handover"], "signed");

    // Originals the department holds go back through the department; copies never.
    let give_back = json!({"action": "return", "material_ids": ["sqs"]});
    assert_eq!(
        move_materials(&clerk, &id, give_back.clone())
            .await
            .status(),
        403
    );
    let r = move_materials(&reviewer, &id, give_back).await;
    assert_eq!(r.status(), 200);
    let case: Value = r.json().await.unwrap();
    assert_eq!(material(&case, "sqs")["handover"], "returned");
    assert_eq!(material(&case, "sqs")["handover_label"], "已归还");
    let titles: Vec<&str> = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage_label"].as_str().unwrap())
        .collect();
    for t in ["材料补交", "材料送交部门", "部门签收材料", "原件归还"] {
        assert_eq!(
            titles.iter().filter(|x| **x == t).count(),
            1,
            "{t}: {titles:?}"
        );
    }
    // The applicant sees what was brought and given back, not the internal moves.
    let number = case["number"].as_str().unwrap();
    let p: Value = progress(&s, number, &code).await.json().await.unwrap();
    let notes: Vec<&str> = p["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["note"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("补交容缺材料：食品安全")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("归还原件：食品经营许可申请书")),
        "{notes:?}"
    );

    // Every move is an event.
    let events = recent_events(&s).await;
    let kinds = event_types(&events, &id);
    for k in ["supplemented", "forwarded", "received", "returned"] {
        let want = format!("cases.case.material_{k}");
        assert_eq!(kinds.iter().filter(|t| **t == want).count(), 1, "{kinds:?}");
    }
}

#[tokio::test]
async fn the_form_fields_of_received_materials_are_filled_once_and_kept_encrypted() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, FOOD, &restaurant_answers()).await;
    let mut body = intake(&w01, FOOD, restaurant_answers(), ticks(&ids, ""), "accept");
    // A field no received material carries is refused, naming it; nothing is recorded.
    body["form"] = json!({"地址": "长安区韦曲街道航天大道 1 号", "身高": "180"});
    let r = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("身高"));
    let cases: Value = clerk.json(&format!("{H}/cases")).await;
    assert_eq!(cases.as_array().unwrap().len(), 0);

    // 申请人 and 联系电话 come from the applicant's details: only the address is typed.
    body["form"] = json!({"地址": "长安区韦曲街道航天大道 1 号"});
    let r = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    assert_eq!(
        case["form"],
        json!([
            {"name": "申请人", "value": "王小明"},
            {"name": "联系电话", "value": "139****5678"},
            {"name": "地址", "value": "长安区韦曲街道航天大道 1 号"},
        ])
    );
    let stored = govhall_testkit::query(
        &s.state.db,
        &format!(
            "SELECT form_data_enc FROM cases WHERE id = '{}'",
            case["id"].as_str().unwrap()
        ),
    )
    .await
    .remove(0);
    let enc = stored["form_data_enc"].as_str().unwrap();
    assert!(
        !enc.contains("韦曲") && !enc.contains("13912345678"),
        "stored in clear: {enc}"
    );
}

#[tokio::test]
async fn a_hall_sets_its_case_number_pattern_and_new_cases_follow_it() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let url = format!("{H}/case-settings");
    let now: Value = clerk.json(&url).await;
    assert_eq!(now["number_pattern"], "{实施编码}{日期}{序号:4}");
    assert_eq!(now["is_default"], true);

    // A clerk may not change it; a bad pattern is refused naming the rule, and nothing changes.
    let r = clerk
        .put(&url, &json!({"number_pattern": "CA-{年}-{序号:6}"}))
        .await;
    assert_eq!(r.status(), 403);
    let r = manager
        .put(&url, &json!({"number_pattern": "CA-{序号:6}"}))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["fields"][0]["field"], "number_pattern");
    assert!(e.to_string().contains("{年}"), "{e}");
    assert_eq!(clerk.json(&url).await["is_default"], true);

    let r = manager
        .put(&url, &json!({"number_pattern": "CA-{年}-{序号:6}"}))
        .await;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    let year = govhall_cases::store::local_date(chrono::Utc::now())
        .format("%Y")
        .to_string();
    assert_eq!(saved["example"], format!("CA-{year}-000001"));

    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    for n in 1..=2 {
        let r = clerk
            .post(
                &format!("{H}/cases"),
                &intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant"),
            )
            .await;
        let case: Value = r.json().await.unwrap();
        assert_eq!(case["number"], format!("CA-{year}-{n:06}"), "{case}");
    }
}

#[tokio::test]
async fn a_template_is_previewed_on_a_sample_case_before_it_is_saved() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let url = format!("{H}/document-templates/acceptance/preview");
    let r = manager
        .post(
            &url,
            &json!({"title": "受理通知书", "body": "{申请人}：{不存在}", "footer": ""}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不存在"));
    let r = manager
        .post(
            &url,
            &json!({"title": "受理通知书", "body": "{申请人}：\n本中心试行新措辞，承诺{承诺办结日期}前办结。", "footer": "试行"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let text = pdf_text(r).await;
    assert!(text.contains("本中心试行新措辞"), "{text}");
    assert!(text.contains("张三（示例）"), "{text}");
    // Nothing was saved.
    let list: Value = manager.json(&format!("{H}/document-templates")).await;
    let acceptance = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "acceptance")
        .unwrap();
    assert_eq!(acceptance["is_default"], true);
    // The handover sheet previews too.
    let r = manager
        .post(
            &format!("{H}/document-templates/handover/preview"),
            &json!({"title": "材料交接单", "body": "交接单号 {交接单号}", "footer": ""}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(pdf_text(r).await.contains("JJ20261128001"));
}

#[tokio::test]
async fn the_department_attaches_the_result_file_and_an_electronic_delivery_hands_it_over() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let case = accept_restaurant(&clerk, &w01).await;
    let id = case["id"].as_str().unwrap().to_string();
    let number = case["number"].as_str().unwrap().to_string();
    let code = case["query_code"].as_str().unwrap().to_string();
    act_ok(&clerk, &id, json!({"action": "hand_over"})).await;
    let reviewer = s.login("reviewer").await;
    act_ok(&reviewer, &id, json!({"action": "sign_for"})).await;

    let url = |name: &str| format!("{H}/cases/{id}/result-file?name={name}");
    let pdf = b"%PDF-1.4\n% \xe9\xa3\x9f\xe5\x93\x81 licence JY16101160000001\n%%EOF\n".to_vec();
    // Only the department uploads; the name and the bytes must agree.
    let r = clerk
        .put_bytes(&url("许可证.pdf"), "application/pdf", pdf.clone())
        .await;
    assert_eq!(r.status(), 403);
    for (name, body, field) in [
        ("许可证.exe", pdf.clone(), "file"),
        ("许可证.pdf", b"MZ\x90\x00".to_vec(), "file"),
        ("许可证.pdf", vec![], "file"),
        ("", pdf.clone(), "name"),
    ] {
        let r = reviewer
            .put_bytes(&url(name), "application/octet-stream", body)
            .await;
        assert_eq!(r.status(), 422, "{name}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], field, "{name}: {v}");
    }
    let case: Value = reviewer.json(&format!("{H}/cases/{id}")).await;
    assert_eq!(case["result_file"], Value::Null);

    let r = reviewer
        .put_bytes(&url("食品经营许可证.pdf"), "application/pdf", pdf.clone())
        .await;
    assert_eq!(r.status(), 200);
    let case: Value = r.json().await.unwrap();
    assert_eq!(case["result_file"]["name"], "食品经营许可证.pdf");
    assert_eq!(case["result_file"]["size"], pdf.len());
    let r = clerk.get(&format!("{H}/cases/{id}/result-file")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    // Stored encrypted: neither the bytes nor their base64 are in the database.
    let row = govhall_testkit::query(
        &s.state.db,
        &format!("SELECT body_enc FROM case_result_files WHERE case_id = '{id}'"),
    )
    .await
    .remove(0);
    assert!(
        !row["body_enc"].as_str().unwrap().contains("JVBERi0"),
        "base64 of %PDF stored in clear"
    );

    act_ok(
        &reviewer,
        &id,
        json!({"action": "decide", "decision": "approve", "certificate_name": "食品经营许可证",
               "certificate_no": "JY16101160000002"}),
    )
    .await;
    act_ok(&reviewer, &id, json!({"action": "return_result"})).await;
    // Not yet delivered: the applicant cannot download it.
    let public = format!(
        "{}/api/v1/public/halls/CA-ZWFW/cases/{number}/result-file?code={code}",
        s.base
    );
    assert_eq!(reqwest::get(&public).await.unwrap().status(), 404);
    act_ok(
        &clerk,
        &id,
        json!({"action": "deliver", "window_id": w01, "delivery": "electronic"}),
    )
    .await;
    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    assert_eq!(p["result_file_name"], "食品经营许可证.pdf");
    let r = reqwest::get(&public).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    let wrong = public.replace(&code, "AAAAAAAA");
    assert_eq!(reqwest::get(&wrong).await.unwrap().status(), 404);
    // Delivered: the file can no longer be replaced.
    let r = reviewer
        .put_bytes(&url("新的.pdf"), "application/pdf", pdf.clone())
        .await;
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn an_electronic_delivery_without_a_result_file_is_refused() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let case = accept_restaurant(&clerk, &w01).await;
    let id = case["id"].as_str().unwrap().to_string();
    act_ok(&clerk, &id, json!({"action": "hand_over"})).await;
    let reviewer = s.login("reviewer").await;
    for body in [
        json!({"action": "sign_for"}),
        json!({"action": "decide", "decision": "approve", "certificate_name": "食品经营许可证",
               "certificate_no": "JY16101160000003"}),
        json!({"action": "return_result"}),
    ] {
        act_ok(&reviewer, &id, body).await;
    }
    let r = act(
        &clerk,
        &id,
        json!({"action": "deliver", "window_id": w01, "delivery": "electronic"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("上传办理结果文件"));
}

#[tokio::test]
async fn the_form_of_a_material_brought_after_a_correction_is_asked_at_acceptance() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, FOOD, &restaurant_answers()).await;
    // The application form itself is missing: nothing of its form is kept yet.
    let r = clerk
        .post(
            &format!("{H}/cases"),
            &intake(
                &w01,
                FOOD,
                restaurant_answers(),
                ticks(&ids, "sqs"),
                "correct",
            ),
        )
        .await;
    assert_eq!(r.status(), 201);
    let case: Value = r.json().await.unwrap();
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(case["form"], json!([]));
    let address = case["form_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "地址")
        .cloned()
        .unwrap();
    assert_eq!(address["known"], false);
    assert_eq!(address["material_ids"], json!(["sqs"]));
    let name = case["form_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "申请人")
        .cloned()
        .unwrap();
    assert_eq!(name["known"], true);

    // The applicant brings it: a field it does not carry is refused, and nothing changes.
    let tick = json!([{"material_id": "sqs", "way": "paper_original"}]);
    let r = act(
        &clerk,
        &id,
        json!({"action": "accept", "window_id": w01, "materials": tick, "form": {"注册资本": "10"}}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("注册资本"));
    let case = act_ok(
        &clerk,
        &id,
        json!({"action": "accept", "window_id": w01, "materials": tick, "form": {"地址": "长安区郭杜街道 8 号"}}),
    )
    .await;
    assert_eq!(case["stage"], "accepted");
    assert_eq!(
        case["form"],
        json!([
            {"name": "申请人", "value": "王小明"},
            {"name": "联系电话", "value": "139****5678"},
            {"name": "地址", "value": "长安区郭杜街道 8 号"},
        ])
    );
    assert_eq!(case["form_fields"], json!([]), "asked only while 待补正");
}

/// 查询密码 cannot be guessed: ten wrong tries pause that case's lookups
/// (even with the right code) while other cases still answer.
#[tokio::test]
async fn query_codes_cannot_be_guessed() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let first = accept_restaurant(&clerk, &w01).await;
    let second = accept_restaurant(&clerk, &w01).await;
    let number = first["number"].as_str().unwrap();
    let code = first["query_code"].as_str().unwrap();
    assert_eq!(progress(&s, number, code).await.status(), 200);
    for guess in 0..10 {
        let r = progress(&s, number, &format!("{guess:06}")).await;
        assert_eq!(r.status(), 404, "guess {guess}");
    }
    let paused = progress(&s, number, code).await;
    assert_eq!(paused.status(), 429);
    assert!(paused.text().await.unwrap().contains("暂停查询"));
    let other = progress(
        &s,
        second["number"].as_str().unwrap(),
        second["query_code"].as_str().unwrap(),
    )
    .await;
    assert_eq!(other.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn each_role_is_offered_only_the_actions_it_may_take_and_sees_its_counts() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let case = accept_restaurant(&clerk, &w01).await;
    let id = case["id"].as_str().unwrap();
    let actions = |v: &Value| v["actions"].clone();
    // Each offered action comes with its words, in the same order.
    let choices = case["action_choices"].as_array().unwrap();
    let codes: Vec<Value> = choices.iter().map(|c| c["code"].clone()).collect();
    assert_eq!(json!(codes), actions(&case));
    let hand_over = choices.iter().find(|c| c["code"] == "hand_over").unwrap();
    assert_eq!(hand_over["label"], "材料交接");
    assert_eq!(hand_over["done"], "已交接材料");
    // The front desk hands over; the manager and the department are not offered it.
    assert!(
        actions(&case)
            .as_array()
            .unwrap()
            .contains(&json!("hand_over")),
        "{case}"
    );
    // The manager may only 撤销 (status 15).
    let manager = s.login("manager").await;
    assert_eq!(
        actions(&manager.json(&format!("{H}/cases/{id}")).await),
        json!(["revoke"])
    );
    let reviewer = s.login("reviewer").await;
    assert_eq!(
        actions(&reviewer.json(&format!("{H}/cases/{id}")).await),
        json!([])
    );
    act_ok(&clerk, id, json!({"action": "hand_over"})).await;
    // Now the department signs for it or sends it back; the clerk is not offered that.
    assert_eq!(
        actions(&reviewer.json(&format!("{H}/cases/{id}")).await),
        json!(["sign_for", "return_handover"])
    );
    let at_desk = clerk.json(&format!("{H}/cases/{id}")).await;
    assert!(
        !actions(&at_desk)
            .as_array()
            .unwrap()
            .contains(&json!("sign_for")),
        "{at_desk}"
    );

    // The tabs' counts: by stage, and the clerk's own open cases.
    let counts = clerk.json(&format!("{H}/cases/counts")).await;
    assert_eq!(counts["stages"]["handed_over"], 1, "{counts}");
    assert_eq!(counts["mine_open"], 1, "{counts}");
    assert_eq!(
        manager.json(&format!("{H}/cases/counts")).await["mine_open"],
        0
    );
    let mine = clerk.json(&format!("{H}/cases?mine=true")).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (clerk2, _) = clerk_at(&s, "clerk02", "02").await;
    let theirs = clerk2.json(&format!("{H}/cases?mine=true")).await;
    assert_eq!(theirs, json!([]));
}
