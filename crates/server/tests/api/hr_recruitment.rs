//! 招聘 through HTTP: an opening, a candidate (phone checked, encrypted,
//! masked, one application per phone), the stages in order with what each
//! needs, the hire running 办理入职 from the candidate's details and closing
//! the filled opening, and the audited read of the phone.

use crate::payroll::fields;
use serde_json::{Value, json};

const H: &str = "/api/v1/halls/CA-ZWFW";

#[tokio::test]
async fn a_candidate_is_interviewed_offered_and_hired() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;

    let r = manager
        .post(
            &format!("{H}/hr/openings"),
            &json!({"position": "boss", "title": "综合窗口", "headcount": 0, "reason": "离职补员"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["position", "headcount"]);
    let r = manager
        .post(
            &format!("{H}/hr/openings"),
            &json!({"position": "window_staff", "title": "综合窗口受理员", "headcount": 1, "reason": "离职补员"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let opening: Value = r.json().await.unwrap();
    assert_eq!(clerk.get(&format!("{H}/hr/openings")).await.status(), 403);

    // The candidate: a bad phone refused; the number stored encrypted and shown masked.
    let candidates = format!("{H}/hr/candidates");
    let apply = |phone: &str| json!({"opening_id": opening["id"], "name": "刘洋", "phone": phone, "source": "人社局招聘会"});
    let r = manager.post(&candidates, &apply("1391234567")).await;
    assert_eq!(fields(&r.json().await.unwrap()), ["phone"]);
    let r = manager.post(&candidates, &apply("13912345678")).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["phone"], "139****5678");
    let raw = govhall_testkit::query(&s.state.db, "SELECT phone_enc FROM hr_candidates").await;
    assert!(!serde_json::to_string(&raw).unwrap().contains("13912345678"));
    let r = manager.post(&candidates, &apply("13912345678")).await;
    assert_eq!(
        fields(&r.json().await.unwrap()),
        ["phone"],
        "one application per phone"
    );

    // The stages in order, each with what it needs.
    let stage = format!("{candidates}/{}/stage", c["id"].as_str().unwrap());
    let r = manager.put(&stage, &json!({"stage": "offer"})).await;
    assert_eq!(fields(&r.json().await.unwrap())[0], "stage");
    let r = manager.put(&stage, &json!({"stage": "interview"})).await;
    assert_eq!(
        fields(&r.json().await.unwrap()),
        ["interviewer", "interview_at"]
    );
    let tomorrow = govhall_kernel::time::today() + chrono::Duration::days(1);
    let at = chrono::Utc::now() + chrono::Duration::days(1);
    let r = manager
        .put(
            &stage,
            &json!({"stage": "interview", "interview_at": at, "interviewer": "周嘉怡"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = manager
        .put(
            &stage,
            &json!({"stage": "offer", "score": 86, "offer_start": tomorrow}),
        )
        .await;
    assert_eq!(fields(&r.json().await.unwrap()), ["offer_salary"]);
    let r = manager
        .put(
            &stage,
            &json!({"stage": "offer", "score": 86, "offer_start": tomorrow, "offer_salary": 4500}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let offered: Value = r.json().await.unwrap();
    assert_eq!(offered["offer_salary"], 4500.0);
    let raw = govhall_testkit::query(&s.state.db, "SELECT offer_enc FROM hr_candidates").await;
    assert!(raw[0]["offer_enc"].as_str().unwrap().starts_with("sm4gcm:"));

    // The full phone only with a reason.
    let reveal = format!("{candidates}/{}/reveal", c["id"].as_str().unwrap());
    assert_eq!(
        manager
            .post(&reveal, &json!({"reason": "看"}))
            .await
            .status(),
        422
    );
    let r = manager
        .post(&reveal, &json!({"reason": "电话通知到岗时间"}))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["phone"], "13912345678");

    // The hire: 办理入职 from the candidate; the opening of one is filled and closes.
    let hire = format!("{candidates}/{}/hire", c["id"].as_str().unwrap());
    let r = manager
        .post(
            &hire,
            &json!({"employee_no": "CA0999", "username": "liuyang"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let hired: Value = r.json().await.unwrap();
    assert!(hired["one_time_password"].is_string());
    assert_eq!(hired["change"]["name"], "刘洋");
    let listed = manager.json(&candidates).await;
    assert_eq!(listed[0]["stage"], "hired");
    assert_eq!(listed[0]["staff_id"], hired["change"]["staff_id"]);
    let o = &manager.json(&format!("{H}/hr/openings")).await[0];
    assert_eq!(
        (o["status"].as_str(), o["hired"].as_i64()),
        (Some("closed"), Some(1))
    );
    let r = manager.post(&candidates, &apply("13700000000")).await;
    assert_eq!(fields(&r.json().await.unwrap()), ["opening_id"], "closed");
    assert_eq!(
        manager
            .post(&hire, &json!({"employee_no": "CA0998"}))
            .await
            .status(),
        422
    );
    s.stop().await;
}

/// A contract's scan: a PDF kept encrypted, a file that is not a scan refused
/// by its content, the file read back whole by HR only.
#[tokio::test]
async fn a_contract_scan_is_kept_encrypted_and_read_back() {
    let s = govhall_testkit::TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let staff_id = crate::payroll::staff_id(&manager, "CA0001").await;
    let today = govhall_kernel::time::today();
    let r = manager
        .post(
            &format!("{H}/hr/contracts"),
            &json!({"staff_id": staff_id, "number": "CAHT-2026-0001", "kind": "fixed",
                    "signed_on": today.to_string(), "starts_on": today.to_string(),
                    "ends_on": (today + chrono::Duration::days(3 * 365)).to_string(), "probation_months": 3}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let contract: Value = r.json().await.unwrap();
    let scans = format!(
        "{H}/hr/contracts/{}/scans",
        contract["id"].as_str().unwrap()
    );
    // A text file named .pdf is not a scan.
    let r = manager
        .post_bytes(
            &format!("{scans}?name=合同.pdf"),
            "application/pdf",
            b"not a pdf".to_vec(),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(fields(&r.json().await.unwrap()), ["file"]);
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n%ID 610116199001011234".to_vec();
    let r = manager
        .post_bytes(
            &format!("{scans}?name=劳动合同第1-4页.pdf"),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let scan: Value = r.json().await.unwrap();
    assert_eq!(scan["content_type"], "application/pdf");
    let raw =
        govhall_testkit::query(&s.state.db, "SELECT content_enc FROM hr_contract_scans").await;
    assert!(!serde_json::to_string(&raw).unwrap().contains("610116"));
    let listed = manager.json(&scans).await;
    assert_eq!(listed[0]["file_name"], "劳动合同第1-4页.pdf");
    let file = format!("{scans}/{}", scan["id"].as_str().unwrap());
    let r = manager.get(&file).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(clerk.get(&file).await.status(), 403);
    s.stop().await;
}
