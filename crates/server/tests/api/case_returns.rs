//! A department sends handed-over cases back to the front desk with the reason
//! instead of signing; the hall 撤销 a case (status 15) with a written reason
//! the applicant is told. Missing reasons change nothing; the wrong role is
//! refused; a return racing a signature never both succeed.

use crate::cases::{accept_restaurant, act, act_ok, clerk_at, progress, recent_events};
use crate::queue::H;
use govhall_testkit::TestServer;
use serde_json::{Value, json};

fn on_sheet<'a>(sheet: &'a Value, case_id: &str) -> &'a Value {
    sheet["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == case_id)
        .unwrap_or_else(|| panic!("{case_id} not on {sheet}"))
}

#[tokio::test]
async fn a_department_sends_a_case_back_with_the_reason_and_the_front_desk_hands_it_over_again() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let a = accept_restaurant(&clerk, &w01).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = accept_restaurant(&clerk, &w01).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sheet: Value = clerk
        .post(&format!("{H}/handovers"), &json!({"case_ids": [a, b]}))
        .await
        .json()
        .await
        .unwrap();
    let sheet_id = sheet["id"].as_str().unwrap();
    let back = format!("{H}/handovers/{sheet_id}/return");
    let reviewer = s.login("reviewer").await;

    // The front desk does not send its own sheet back; no reason, no return.
    let r = clerk
        .post(&back, &json!({"case_ids": [a], "opinion": "缺平面图"}))
        .await;
    assert_eq!(r.status(), 403);
    let r = reviewer.post(&back, &json!({"case_ids": [a]})).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "opinion", "{body}");
    assert!(body.to_string().contains("退回须写明原因"), "{body}");
    let case: Value = reviewer.json(&format!("{H}/cases/{a}")).await;
    assert_eq!(case["stage"], "handed_over", "nothing changed");

    // One case back with the reason; the other stays on the sheet.
    let reason = "经营场所平面图未标明操作间面积，请补齐后重新交接";
    let r = reviewer
        .post(&back, &json!({"case_ids": [a], "opinion": reason}))
        .await;
    assert_eq!(r.status(), 200);
    let sheet: Value = r.json().await.unwrap();
    assert_eq!(on_sheet(&sheet, &a)["return_reason"], reason);
    assert!(on_sheet(&sheet, &b)["returned_at"].is_null());
    assert!(sheet["returned_at"].is_null(), "one case still waits");
    let case: Value = clerk.json(&format!("{H}/cases/{a}")).await;
    assert_eq!(case["stage"], "accepted", "{case}");
    assert_eq!(case["status"], 3);
    assert!(
        case["materials"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["way"] == "paper_original")
            .all(|m| m["handover"] == "front"),
        "the paper is back at the front desk: {case}"
    );
    let last = case["steps"].as_array().unwrap().last().unwrap().clone();
    assert!(last["opinion"].as_str().unwrap().contains(reason), "{last}");
    assert!(
        case["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("hand_over")),
        "{case}"
    );
    // Sending back the same case twice, or one not on the sheet, is refused.
    let r = reviewer
        .post(&back, &json!({"case_ids": [a], "opinion": reason}))
        .await;
    assert_eq!(r.status(), 422);

    // Signing the sheet starts the review of the case left on it only.
    let signed: Value = reviewer
        .post(&format!("{H}/handovers/{sheet_id}/sign"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!signed["signed_at"].is_null());
    assert_eq!(
        reviewer.json(&format!("{H}/cases/{b}")).await["stage"],
        "in_review"
    );
    assert_eq!(
        reviewer.json(&format!("{H}/cases/{a}")).await["stage"],
        "accepted"
    );

    // Handed over again on a new sheet, sent back from the case page: the
    // sheet then has nothing left to sign and leaves the department's inbox.
    act_ok(&clerk, &a, json!({"action": "hand_over"})).await;
    let r = act(&reviewer, &a, json!({"action": "return_handover"})).await;
    assert_eq!(r.status(), 422, "a reason is required here too");
    let case = act_ok(
        &reviewer,
        &a,
        json!({"action": "return_handover", "opinion": "承办部门有误，应由区卫健局办理"}),
    )
    .await;
    assert_eq!(case["stage"], "accepted");
    let inbox: Value = reviewer.json(&format!("{H}/handovers?unsigned=true")).await;
    assert_eq!(inbox, json!([]), "{inbox}");
    let sheets: Value = reviewer.json(&format!("{H}/handovers")).await;
    let second = sheets
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] != sheet_id)
        .unwrap();
    assert!(!second["returned_at"].is_null(), "{second}");
    assert_eq!(second["overdue"], false);
    let r = reviewer
        .post(
            &format!("{H}/handovers/{}/sign", second["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("已全部退回"));

    let events = recent_events(&s).await;
    let types: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"cases.case.return_handover"), "{types:?}");
    assert!(types.contains(&"cases.handover.returned"), "{types:?}");

    // The clerk's 退回窗口件数: the one case sent back (twice), listed as its evidence.
    govhall_analytics::follower::catch_up(&s.state.db, 5_000)
        .await
        .unwrap();
    let today = govhall_kernel::time::today().to_string();
    let manager = s.login("manager").await;
    let out: Value = manager
        .post(
            "/api/v1/analytics/query",
            &json!({"indicators": ["cases_returned", "cases_accepted"], "dimensions": ["staff"],
                    "from": today, "to": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    let row = &out["rows"][0];
    assert_eq!(row["values"]["cases_returned"], 1.0, "{out}");
    assert_eq!(row["values"]["cases_accepted"], 2.0, "{out}");
    let staff = row["members"]["staff"]["id"].as_str().unwrap();
    let records: Value = manager
        .post(
            "/api/v1/analytics/records",
            &json!({"indicator": "cases_returned", "members": {"staff": staff},
                    "from": today, "to": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    let listed = records["rows"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{records}");
    assert_eq!(listed[0]["number"], case["number"], "{records}");
}

#[tokio::test]
async fn sending_a_sheet_back_while_another_reviewer_signs_it_never_both_succeed() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let (a, b) = (s.login("reviewer").await, s.login("reviewer").await);
    for _ in 0..6 {
        let id = accept_restaurant(&clerk, &w01).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        act_ok(&clerk, &id, json!({"action": "hand_over"})).await;
        let sheets: Value = clerk.json(&format!("{H}/handovers?unsigned=true")).await;
        let sheet = sheets.as_array().unwrap()[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (sign_url, return_url) = (
            format!("{H}/handovers/{sheet}/sign"),
            format!("{H}/handovers/{sheet}/return"),
        );
        let (empty, reason) = (json!({}), json!({"opinion": "材料不全，退回补齐"}));
        let (signed, returned) =
            tokio::join!(a.post(&sign_url, &empty), b.post(&return_url, &reason));
        let mut codes = [signed.status().as_u16(), returned.status().as_u16()];
        codes.sort();
        let said = (signed.text().await.unwrap(), returned.text().await.unwrap());
        assert_eq!(codes, [200, 409], "exactly one wins: {said:?}");
        let case: Value = a.json(&format!("{H}/cases/{id}")).await;
        let stage = case["stage"].as_str().unwrap();
        let sheet: Value = a
            .json(&format!("{H}/handovers"))
            .await
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == sheet.as_str())
            .unwrap()
            .clone();
        match stage {
            "in_review" => assert!(sheet["returned_at"].is_null() && !sheet["signed_at"].is_null()),
            "accepted" => assert!(!sheet["returned_at"].is_null() && sheet["signed_at"].is_null()),
            other => panic!("{other}"),
        }
    }
}

#[tokio::test]
async fn the_hall_revokes_a_case_with_a_reason_the_applicant_is_told_status_15() {
    let s = TestServer::with_demo().await;
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let case = accept_restaurant(&clerk, &w01).await;
    let id = case["id"].as_str().unwrap();
    let (number, code) = (
        case["number"].as_str().unwrap().to_string(),
        case["query_code"].as_str().unwrap().to_string(),
    );
    assert!(
        !case["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("revoke")),
        "a window does not 撤销"
    );
    let r = act(
        &clerk,
        id,
        json!({"action": "revoke", "opinion": "重复录入的办件"}),
    )
    .await;
    assert_eq!(r.status(), 403);

    let manager = s.login("manager").await;
    for bad in [json!(null), json!(""), json!("重复")] {
        let r = act(&manager, id, json!({"action": "revoke", "opinion": bad})).await;
        assert_eq!(r.status(), 422, "{bad}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "opinion", "{body}");
    }
    assert_eq!(
        manager.json(&format!("{H}/cases/{id}")).await["stage"],
        "accepted",
        "nothing changed"
    );
    let reason = "同一申请重复录入，保留办件 001 号";
    let revoked = act_ok(&manager, id, json!({"action": "revoke", "opinion": reason})).await;
    assert_eq!(revoked["status"], 15);
    assert_eq!(revoked["status_label"], "撤销");
    assert_eq!(revoked["stage"], "revoked");
    assert_eq!(revoked["actions"], json!([]));
    assert!(
        revoked["warning"].is_null(),
        "a revoked case is not overdue"
    );
    // Nothing more happens to it.
    let r = act(&clerk, id, json!({"action": "hand_over"})).await;
    assert_eq!(r.status(), 409);
    let r = act(&manager, id, json!({"action": "revoke", "opinion": reason})).await;
    assert_eq!(r.status(), 409);

    // Its paper moves no more, except the originals going back to the applicant.
    let original = revoked["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["way"] == "paper_original")
        .unwrap()["material_id"]
        .clone();
    let moves = format!("{H}/cases/{id}/material-actions");
    let r = clerk
        .post(
            &moves,
            &json!({"action": "forward", "material_ids": [original]}),
        )
        .await;
    assert_eq!(r.status(), 409);
    let back: Value = clerk
        .post(
            &moves,
            &json!({"action": "return", "material_ids": [original]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let returned = back["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["material_id"] == original)
        .unwrap();
    assert_eq!(returned["handover"], "returned", "{back}");

    // The citizen's progress page and phone say so, with the reason.
    let p: Value = progress(&s, &number, &code).await.json().await.unwrap();
    assert!(p.to_string().contains("撤销"), "{p}");
    let (outbox, _) = crate::cases::sms_to(&s, "139****5678").await;
    let revoked_sms = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "case.revoked")
        .unwrap_or_else(|| panic!("{outbox}"));
    assert!(revoked_sms.to_string().contains(reason), "{revoked_sms}");
    let events = recent_events(&s).await;
    assert!(events.to_string().contains("cases.case.revoke"), "{events}");
}
