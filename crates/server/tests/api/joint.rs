//! 一件事 at the counter as one joint intake: one 一件事编号 over the member
//! cases, a material several members need received once, complete members
//! accepted and the others told at once, one message, 联办 hand-over in one
//! step (a sheet per department), the citizen's page over the whole bundle,
//! and a member the answers make unnecessary shown as such. Bad input names
//! the member and the field and writes nothing.

use crate::cases::{FOOD, applicant_id, clerk_at, restaurant_answers};
use crate::queue::H;
use govhall_testkit::{Api, TestServer};
use serde_json::{Value, json};

const BUNDLE: &str = "YJS-KBCYD";
const SOLE_TRADER: &str = "11610116MB2957101E4010100100000";

fn answers(prepacked: bool) -> Value {
    let mut food = restaurant_answers();
    food["prepacked"] = json!({"yes_no": prepacked});
    json!({
        SOLE_TRADER: {"kind": {"choice": "new"}, "family": {"choice": "person"}, "named": {"yes_no": false},
                      "licensed": {"yes_no": true}, "rented": {"yes_no": false}, "agent": {"yes_no": false}},
        FOOD: food,
    })
}

/// The joint checklist the answers lead to.
async fn joint_materials(clerk: &Api, answers: &Value) -> Vec<Value> {
    let r: Value = clerk
        .post(
            &format!("{H}/catalog/bundles/{BUNDLE}/resolve"),
            &json!({"answers": answers}),
        )
        .await
        .json()
        .await
        .unwrap();
    r["materials"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone()
}

fn body(window: &str, answers: &Value, ticks: Vec<Value>, outcome: &str) -> Value {
    let members: Vec<Value> = answers
        .as_object()
        .unwrap()
        .iter()
        .map(|(code, a)| json!({"item": code, "answers": a}))
        .collect();
    json!({
        "bundle": BUNDLE,
        "window_id": window,
        "members": members,
        "applicant": {"kind": "person", "name": "王小明", "cert_no": applicant_id(), "phone": "13912345678"},
        "materials": ticks,
        "outcome": outcome,
    })
}

fn ticks(materials: &[Value], except: Option<&str>) -> Vec<Value> {
    materials
        .iter()
        .filter(|m| Some(m["name"].as_str().unwrap()) != except)
        .map(|m| json!({"identity": m["identity"], "way": "paper_original"}))
        .collect()
}

async fn case_count(s: &TestServer) -> usize {
    govhall_testkit::query(&s.state.db, "SELECT id FROM cases")
        .await
        .len()
}

#[tokio::test]
async fn a_bundle_is_received_once_shared_papers_once_and_followed_as_one() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let a = answers(false);
    let materials = joint_materials(&clerk, &a).await;
    // The business licence is asked for by several members and listed once.
    let licence = materials
        .iter()
        .find(|m| m["name"].as_str().unwrap().contains("营业执照"))
        .unwrap();
    assert!(
        licence["needed_by"].as_array().unwrap().len() >= 3,
        "{licence}"
    );
    let plan = materials
        .iter()
        .find(|m| m["name"].as_str().unwrap().contains("平面图"))
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();

    // Accepting with the floor plan missing names the member and the material; nothing is written.
    let r = clerk
        .post(
            &format!("{H}/case-bundles"),
            &body(&w01, &a, ticks(&materials, Some(&plan)), "accept"),
        )
        .await;
    assert_eq!(r.status(), 422);
    let err: Value = r.json().await.unwrap();
    let text = err.to_string();
    assert!(
        text.contains("食品经营许可：") && text.contains(&plan),
        "{err}"
    );
    assert!(
        err["fields"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("members["),
        "{err}"
    );
    // A matter that is not a member, and a material not on the joint list, are named too.
    let mut stray = body(&w01, &a, ticks(&materials, None), "accept");
    stray["members"][0]["item"] = json!("11610116MB2957110C4071000200000");
    stray["materials"][0]["identity"] = json!("nothing");
    let r = clerk.post(&format!("{H}/case-bundles"), &stray).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("不是“开办餐饮店”的成员事项")
    );
    // 一次性告知 when everything is in hand is refused.
    let r = clerk
        .post(
            &format!("{H}/case-bundles"),
            &body(&w01, &a, ticks(&materials, None), "correct"),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(case_count(&s).await, 0, "nothing written");

    // 一次性告知 on one notice: the food licence waits for its plan, the others are accepted.
    let r = clerk
        .post(
            &format!("{H}/case-bundles"),
            &body(&w01, &a, ticks(&materials, Some(&plan)), "correct"),
        )
        .await;
    let status = r.status();
    let joint: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{joint}");
    assert!(joint["number"].as_str().unwrap().starts_with("YJS"));
    let code = joint["query_code"].as_str().unwrap().to_string();
    assert_eq!(joint["summary"], "待补正");
    let members = joint["members"].as_array().unwrap();
    assert_eq!(members.len(), 4, "{joint}");
    for m in members {
        let expected = if m["task_code"] == FOOD {
            "correcting"
        } else {
            "accepted"
        };
        assert_eq!(m["stage"], expected, "{m}");
    }
    let food = members.iter().find(|m| m["task_code"] == FOOD).unwrap();
    assert!(food["correction_items"].to_string().contains(&plan));
    // The licence was received once, for every member that needs it.
    for m in members {
        let case: Value = clerk
            .json(&format!("{H}/cases/{}", m["case_id"].as_str().unwrap()))
            .await;
        assert_eq!(case["bundle_code"], BUNDLE);
        assert_eq!(case["bundle_id"], joint["id"]);
        let has_licence = case["materials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"].as_str().unwrap().contains("营业执照"));
        if let Some(l) = has_licence {
            assert_eq!(l["way"], "paper_original", "{case}");
        }
    }

    // One notice lists every member, what is owed once, and carries the code.
    let r = clerk
        .get(&format!(
            "{H}/case-bundles/{}/document",
            joint["id"].as_str().unwrap()
        ))
        .await;
    let pdf = crate::cases::pdf_text(r).await;
    for want in [
        "一件事联办受理通知书",
        "开办餐饮店",
        "个体工商户登记",
        "城镇污水排入排水管网许可",
        "需要补正的全部内容",
        &code,
    ] {
        assert!(pdf.contains(want), "{want} missing from the notice: {pdf}");
    }
    assert_eq!(pdf.matches(plan.as_str()).count(), 1, "owed once: {pdf}");

    // One message for the bundle, none per member.
    let (outbox, kinds) = crate::cases::sms_to(&s, "139****5678").await;
    assert_eq!(kinds, vec!["case.joint"], "{outbox}");
    let sms = outbox.to_string();
    assert!(sms.contains("开办餐饮店") && sms.contains(&plan) && !sms.contains(&code));

    // 联办交接: one sheet per department of the accepted members.
    let id = joint["id"].as_str().unwrap();
    let r = clerk
        .post(&format!("{H}/case-bundles/{id}/hand-over"), &json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let sheets: Value = r.json().await.unwrap();
    let sheets = sheets.as_array().unwrap();
    assert_eq!(sheets.len(), 3, "{sheets:?}");
    let departments: std::collections::BTreeSet<&str> = sheets
        .iter()
        .map(|s| s["department_name"].as_str().unwrap())
        .collect();
    assert_eq!(departments.len(), 3);
    let r = clerk
        .post(&format!("{H}/case-bundles/{id}/hand-over"), &json!({}))
        .await;
    assert_eq!(r.status(), 409, "nothing left to hand over");

    // The citizen follows the whole bundle with one code; a wrong code finds nothing.
    let number = joint["number"].as_str().unwrap();
    let url = format!(
        "{}/api/v1/public/halls/CA-ZWFW/case-bundles/{number}",
        s.base
    );
    let page: Value = reqwest::get(format!("{url}?code={code}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["members"].as_array().unwrap().len(), 4);
    assert!(
        page["members"][0]["case_id"].is_null(),
        "no ids for the public"
    );
    assert!(page["query_code"].is_null());
    assert!(page.to_string().contains("材料已交接"), "{page}");
    let wrong = reqwest::get(format!("{url}?code=WRONG123")).await.unwrap();
    assert_eq!(wrong.status(), 404);
}

#[tokio::test]
async fn a_member_the_answers_make_unnecessary_is_shown_as_not_needed() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let a = answers(true);
    let materials = joint_materials(&clerk, &a).await;
    let r = clerk
        .post(
            &format!("{H}/case-bundles"),
            &body(&w01, &a, ticks(&materials, None), "accept"),
        )
        .await;
    let status = r.status();
    let joint: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{joint}");
    assert_eq!(joint["members"].as_array().unwrap().len(), 3);
    assert_eq!(joint["not_needed"][0]["task_code"], FOOD);
    assert!(
        joint["not_needed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("预包装"),
        "{joint}"
    );
    assert_eq!(joint["summary"], "联办中");
    // A department's reviewer sees its own members only.
    let reviewer = s.login("reviewer").await;
    let theirs: Value = reviewer
        .json(&format!(
            "{H}/case-bundles/{}",
            joint["id"].as_str().unwrap()
        ))
        .await;
    assert!(
        theirs["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["department_name"] == "西安市长安区市场监督管理局"),
        "{theirs}"
    );
}
