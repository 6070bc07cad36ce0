//! The reception desk (导服台): a 导服人员 takes a ticket for a citizen (代取号)
//! and puts them in the green channel with the reason, a window takes a
//! follow-up ticket, a kiosk cannot set the green channel; the 帮办代办
//! ledger is recorded with every bad field named, brought up to date, read
//! masked, exported to Excel and its phones read in full only by the desk,
//! audited.

use crate::queue::{H, issue, kiosk, line};
use govhall_testkit::TestServer;
use serde_json::{Value, json};
use std::io::Read;

#[tokio::test]
async fn the_reception_desk_takes_tickets_for_citizens_and_sets_the_green_channel() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    line(&manager, "Z", "综合受理", 0).await;
    let guide = s.login("guide01").await;

    // 代取号 for an elderly citizen who cannot use the kiosk, in the green channel.
    let r = guide
        .post(
            &format!("{H}/tickets"),
            &json!({"line": "Z", "channel": "proxy", "green": true, "green_reason": "disabled", "phone": "139 1234 5678"}),
        )
        .await;
    let status = r.status();
    let t: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{t}");
    assert_eq!(t["ticket"]["class"], "green", "{t}");
    assert_eq!(t["ticket"]["green_label"], "残疾人");
    assert!(t["ticket"]["number"].as_str().unwrap().starts_with('Z'));

    // A green channel needs its class; the desk issues only as the desk.
    let r = guide
        .post(
            &format!("{H}/tickets"),
            &json!({"line": "Z", "channel": "proxy", "green": true, "green_reason": "vip"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = guide
        .post(
            &format!("{H}/tickets"),
            &json!({"line": "Z", "channel": "kiosk"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "channel", "{body}");

    // A window takes a follow-up ticket; a kiosk may not set the green channel.
    let clerk = s.login("clerk01").await;
    let r = clerk
        .post(
            &format!("{H}/tickets"),
            &json!({"line": "Z", "channel": "followup"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let token = kiosk(&manager).await;
    let r = issue(
        &s,
        &token,
        json!({"line": "Z", "green": true, "green_reason": "elderly"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    // The manager configures lines but does not take tickets.
    let r = manager
        .post(
            &format!("{H}/tickets"),
            &json!({"line": "Z", "channel": "proxy"}),
        )
        .await;
    assert_eq!(r.status(), 403);

    // The queue the desk watches: the green ticket waits first.
    let q: Value = guide.json(&format!("{H}/queue")).await;
    let z = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["prefix"] == "Z")
        .unwrap();
    assert_eq!(z["waiting"], 2, "{q}");
    assert_eq!(z["next"][0], t["ticket"]["number"], "{q}");
}

#[tokio::test]
async fn the_assist_ledger_names_bad_fields_keeps_phones_masked_and_exports_to_excel() {
    let s = TestServer::with_demo().await;
    let guide = s.login("guide01").await;
    let url = format!("{H}/assists");

    // Every problem named at once; nothing recorded.
    let r = guide
        .post(
            &url,
            &json!({"kind": "carry", "citizen_name": " ", "citizen_phone": "12345", "item": "no-such-item", "result": "ok"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for want in ["kind", "citizen_name", "citizen_phone", "item", "result"] {
        assert!(fields.contains(&want), "{want} not named: {body}");
    }
    assert!(body.to_string().contains("帮办类型只能是"), "{body}");
    assert_eq!(guide.json(&url).await, json!([]));

    // A 代办 of a catalog matter, then a 帮办 about something not in the catalog.
    let r = guide
        .post(
            &url,
            &json!({"kind": "proxy", "citizen_name": "李秀兰", "citizen_phone": "13987654321",
                    "item": "11610116MB2957101E4010100200000", "ticket_number": "a012", "result": "in_progress",
                    "note": "老人行动不便，代为递交材料"}),
        )
        .await;
    let status = r.status();
    let first: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["citizen_phone"], "139****4321");
    assert_eq!(first["kind_label"], "代办");
    assert_eq!(first["item_name"], "食品经营许可");
    assert_eq!(first["ticket_number"], "A012");
    assert_eq!(first["result_label"], "办理中");
    assert!(!first["helper_name"].as_str().unwrap().is_empty());
    let r = guide
        .post(
            &url,
            &json!({"kind": "help", "citizen_name": "张伟", "item_name": "咨询灵活就业社保缴费", "result": "referred"}),
        )
        .await;
    assert_eq!(r.status(), 201);

    // Brought up to date; a bad result changes nothing.
    let id = first["id"].as_str().unwrap();
    let r = guide
        .put(&format!("{url}/{id}"), &json!({"result": "finished"}))
        .await;
    assert_eq!(r.status(), 422);
    let done: Value = guide
        .put(
            &format!("{url}/{id}"),
            &json!({"result": "done", "note": "已办结，证照已邮寄"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["result_label"], "已办结");
    assert_eq!(done["note"], "已办结，证照已邮寄");

    // The desk reads the phone in full to call back, and the read is audited;
    // a window clerk cannot record or read the ledger.
    let full: Value = guide.json(&format!("{url}/{id}/phone")).await;
    assert_eq!(full["phone"], "13987654321");
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .post(
                &url,
                &json!({"kind": "help", "citizen_name": "王", "item_name": "x", "result": "done"})
            )
            .await
            .status(),
        403
    );
    assert_eq!(clerk.get(&url).await.status(), 403);
    let audit: Value = s
        .login("auditor")
        .await
        .json("/api/v1/audit?page_size=200")
        .await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "GET /api/v1/halls/{hall}/assists/{id}/phone"),
        "{audit}"
    );

    // The manager reads the ledger (masked) and exports it.
    let manager = s.login("manager").await;
    let rows: Value = manager.json(&url).await;
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(!rows.to_string().contains("13987654321"));
    assert_eq!(
        manager.get(&format!("{url}/{id}/phone")).await.status(),
        403
    );
    let r = manager
        .get(&format!("{url}?from=2026-12-10&to=2026-01-01"))
        .await;
    assert_eq!(r.status(), 422);
    let r = manager.get(&format!("{url}/export")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    for want in [
        "帮办代办台账",
        "李秀兰",
        "139****4321",
        "食品经营许可",
        "已办结",
        "转窗口办理",
        "合计 2 件",
    ] {
        assert!(strings.contains(want), "{want} missing from the workbook");
    }
    assert!(
        !strings.contains("13987654321"),
        "phones stay masked in the export"
    );

    // Events carry no name or phone.
    let events = manager.json(&format!("{H}/events/recent?limit=50")).await;
    let text = events.to_string();
    assert!(text.contains("queue.assist.recorded") && text.contains("queue.assist.updated"));
    assert!(!text.contains("李秀兰") && !text.contains("13987654321"));
}
