//! The catalog through HTTP: the demo catalog, search, the publish workflow
//! with versions and diffs, the resolver and bundles, and import/export round
//! trips and refusals.

use govhall_catalog::{excel, interchange, transfer};
use govhall_directory::halls::{self, HallInput};
use govhall_platform::events::Actor;
use govhall_testkit::{Api, TestServer};
use serde_json::{Value, json};

const C: &str = "/api/v1/halls/CA-ZWFW/catalog";

async fn item_by_name(api: &Api, name: &str) -> Value {
    let page = api
        .json(&format!("{C}/items?q={}&page_size=50", urlencode(name)))
        .await;
    let id = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["task_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {page}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.json(&format!("{C}/items/{id}")).await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn search(api: &Api, q: &str) -> Vec<Value> {
    api.json(&format!("{C}/search?q={}", urlencode(q)))
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn the_demo_catalog_is_published_searchable_and_authorised() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let all = manager.json(&format!("{C}/items?page_size=200")).await;
    assert_eq!(all["total"], 46);
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "published" && i["department_id"].is_string())
    );
    let with_scenarios = manager.json(&format!("{C}/items?has_scenarios=true")).await;
    assert!(with_scenarios["total"].as_u64().unwrap() >= 10);
    let bundles = manager.json(&format!("{C}/bundles")).await;
    assert_eq!(bundles.as_array().unwrap().len(), 3);

    // Colloquial Chinese through synonyms, pinyin initials, full pinyin.
    let hits = search(&manager, "我想开个小饭馆").await;
    let titles: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert!(
        titles[..3].contains(&"开办餐饮店") && titles[..3].contains(&"食品经营许可"),
        "{titles:?}"
    );
    assert_eq!(search(&manager, "yyzz").await[0]["title"], "个体工商户登记");
    assert_eq!(search(&manager, "shebaoka").await[0]["kind"], "item");
    assert_eq!(
        search(&manager, "社保卡丢了").await[0]["title"],
        "社会保障卡补领、换领"
    );
    // Kiosks search without signing in.
    let public: Value = s
        .client()
        .json(&format!(
            "/api/v1/public/halls/CA-ZWFW/catalog/search?q={}",
            urlencode("孩子上户口")
        ))
        .await;
    assert_eq!(public[0]["title"], "出生登记", "{public}");

    let report = manager.json(&format!("{C}/completeness")).await;
    assert_eq!(report["items"], 46);
    assert_eq!(report["without_window"], 0, "every demo item has a window");
    assert_eq!(report["unclaimed"], 0);

    // 户籍 items only at the 户籍专窗; others at every comprehensive window.
    let idcard = item_by_name(&manager, "居民身份证申领、换领、补领").await;
    assert_eq!(idcard["window_ids"].as_array().unwrap().len(), 1);
    let food = item_by_name(&manager, "食品经营许可").await;
    assert_eq!(food["window_ids"].as_array().unwrap().len(), 16);
}

#[tokio::test]
async fn the_resolver_explains_each_line_and_bundles_list_shared_documents_once() {
    let s = TestServer::with_demo().await;
    let clerk = s.login("clerk01").await;
    let food = item_by_name(&clerk, "食品经营许可").await;
    let id = food["item"]["id"].as_str().unwrap();
    let resolve = |answers: Value| {
        let clerk = clerk.clone();
        let path = format!("{C}/items/{id}/resolve");
        async move {
            let r = clerk.post(&path, &json!({ "answers": answers })).await;
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let first = resolve(json!({})).await;
    assert!(first["resolution"].is_null());
    assert_eq!(first["questions"].as_array().unwrap().len(), 2, "{first}");

    let hot = resolve(json!({
        "kind": {"choice": "new"}, "prepacked": {"yes_no": false},
        "items": {"choices": ["hot", "cold"]}, "online": {"yes_no": false}, "agent": {"yes_no": true}
    }))
    .await;
    let outcome = &hot["resolution"]["outcome"];
    assert_eq!(
        outcome["handling_item"]["value"]["name"],
        "食品经营许可新办"
    );
    assert_eq!(outcome["time_limit_days"]["value"], 10);
    assert_eq!(outcome["time_limit_days"]["rules"], json!(["r-cold"]));
    let materials = outcome["materials"].as_array().unwrap();
    let proxy = materials
        .iter()
        .find(|m| m["value"]["id"] == "wts")
        .unwrap();
    assert_eq!(proxy["rules"], json!(["r-agent"]));
    assert!(!materials.iter().any(|m| m["value"]["id"] == "wl"));
    assert_eq!(
        hot["material_details"].as_array().unwrap().len(),
        materials.len()
    );

    let prepacked = resolve(json!({"kind": {"choice": "new"}, "prepacked": {"yes_no": true}, "agent": {"yes_no": false}})).await;
    let t = &prepacked["resolution"]["terminated"];
    assert!(
        t["reason"]
            .as_str()
            .unwrap()
            .contains("无需办理食品经营许可"),
        "{prepacked}"
    );

    // 开办餐饮店: 营业执照 and the ID card appear once, naming every member needing them.
    let bundles = clerk.json(&format!("{C}/bundles")).await;
    let b = bundles
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["doc"]["name"] == "开办餐饮店")
        .unwrap();
    let codes: Vec<String> = b["doc"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["task_code"].as_str().unwrap().to_string())
        .collect();
    let answers = json!({
        codes[0].clone(): {"kind": {"choice": "change"}, "rented": {"yes_no": true}, "agent": {"yes_no": false}},
        codes[1].clone(): {"kind": {"choice": "new"}, "prepacked": {"yes_no": false}, "items": {"choices": ["hot"]}, "online": {"yes_no": false}, "agent": {"yes_no": false}},
    });
    let r = clerk
        .post(
            &format!("{C}/bundles/{}/resolve", b["id"].as_str().unwrap()),
            &json!({ "answers": answers }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let joint: Value = r.json().await.unwrap();
    let mats = joint["materials"].as_array().unwrap();
    let licence: Vec<&Value> = mats
        .iter()
        .filter(|m| m["identity"] == "营业执照")
        .collect();
    assert_eq!(licence.len(), 1, "{mats:?}");
    assert!(licence[0]["needed_by"].as_array().unwrap().len() >= 3);
    let ids: Vec<&Value> = mats
        .iter()
        .filter(|m| m["identity"] == "居民身份证")
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(joint["longest_days"], 7, "排水许可 promises 7 working days");
}

fn sample_doc(detail: &Value, code_suffix: &str, name: &str) -> Value {
    let mut doc = detail["doc"].clone();
    let code = doc["task_code"].as_str().unwrap();
    doc["task_code"] = json!(format!("{}{code_suffix}", &code[..code.len() - 2]));
    doc["task_name"] = json!(name);
    doc
}

#[tokio::test]
async fn drafts_are_submitted_published_versioned_diffed_and_withdrawn() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let reviewer = s.login("reviewer").await;
    let clerk = s.login("clerk01").await;
    let base = item_by_name(&manager, "诊所备案").await;
    let doc = sample_doc(&base, "99", "中医诊所备案");

    assert_eq!(clerk.post(&format!("{C}/items"), &doc).await.status(), 403);
    let created = reviewer.post(&format!("{C}/items"), &doc).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["item"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["item"]["status"], "draft");
    let again = reviewer.post(&format!("{C}/items"), &doc).await;
    assert_eq!(again.status(), 409, "task_code is unique");

    let action = |api: &Api, a: &str| {
        let api = api.clone();
        let path = format!("{C}/items/{id}/{a}");
        async move { api.post(&path, &json!({})).await.status().as_u16() }
    };
    assert_eq!(
        action(&reviewer, "publish").await,
        403,
        "departments do not publish"
    );
    assert_eq!(
        action(&manager, "publish").await,
        409,
        "a draft must be submitted first"
    );
    assert_eq!(action(&reviewer, "submit").await, 200);
    let locked = reviewer.put(&format!("{C}/items/{id}"), &doc).await;
    assert_eq!(locked.status(), 409, "a submitted version is locked");
    assert_eq!(action(&manager, "publish").await, 200);
    assert_eq!(search(&manager, "中医诊所").await[0]["id"], id);

    // Editing the published version starts version 2; version 1 stays published.
    let mut v2 = doc.clone();
    v2["promise_day"] = json!(0);
    v2["keywords"] = json!(["中医馆"]);
    let saved: Value = reviewer
        .put(&format!("{C}/items/{id}"), &v2)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["item"]["latest_version"], 2);
    assert_eq!(saved["item"]["published_version"], 1);
    let diff = manager
        .json(&format!("{C}/items/{id}/diff?from=1&to=2"))
        .await;
    let labels: Vec<&str> = diff
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["关键词"], "{diff}");

    // Bad input names the field and changes nothing.
    let mut bad = v2.clone();
    bad["promise_day"] = json!(5);
    bad["anticipate_day"] = json!(1);
    bad["dept_code"] = json!("11610116MB2957105X");
    bad["task_type"] = json!("行政审批");
    let r = reviewer.put(&format!("{C}/items/{id}"), &bad).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("不在允许范围内"),
        "{body}"
    );
    bad["task_type"] = json!("行政备案");
    let body: Value = reviewer
        .put(&format!("{C}/items/{id}"), &bad)
        .await
        .json()
        .await
        .unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"promise_day") && fields.contains(&"dept_code"),
        "{body}"
    );
    let unchanged = manager.json(&format!("{C}/items/{id}")).await;
    assert_eq!(unchanged["doc"], v2);
    // A situation cannot give itself more time than the law allows.
    let mut long = v2.clone();
    long["rules"].as_array_mut().unwrap().push(
        json!({"id": "r-long", "when": {"all": []}, "then": [{"set_time_limit": {"days": 400}}]}),
    );
    let r = reviewer.put(&format!("{C}/items/{id}"), &long).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let problem = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "情形 规则 r-long")
        .unwrap_or_else(|| panic!("{body}"));
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("不能长于法定办结时限"),
        "{body}"
    );

    // Withdrawal needs a reason, and takes the item out of search.
    let no_reason = manager
        .post(&format!("{C}/items/{id}/withdraw"), &json!({}))
        .await;
    assert_eq!(no_reason.status(), 422);
    let w = manager
        .post(
            &format!("{C}/items/{id}/withdraw"),
            &json!({"note": "合并到诊所备案"}),
        )
        .await;
    assert_eq!(w.status(), 200);
    assert!(
        search(&manager, "中医诊所")
            .await
            .iter()
            .all(|h| h["id"] != id)
    );
    let events = manager
        .json("/api/v1/halls/CA-ZWFW/events/recent?limit=200")
        .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    for k in [
        "catalog.item.created",
        "catalog.item.submitted",
        "catalog.item.published",
        "catalog.item.draft_saved",
        "catalog.item.withdrawn",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
}

#[tokio::test]
async fn concurrent_edits_never_make_two_versions_with_one_number() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let base = item_by_name(&manager, "开具税收完税证明").await;
    let id = base["item"]["id"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for n in 0..6 {
        let api = manager.clone();
        let mut doc = base["doc"].clone();
        doc["keywords"] = json!([format!("并发{n}")]);
        let path = format!("{C}/items/{id}");
        tasks.push(tokio::spawn(async move {
            api.put(&path, &doc).await.status().as_u16()
        }));
    }
    let statuses: Vec<u16> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200));
    let after = manager.json(&format!("{C}/items/{id}")).await;
    let numbers: Vec<i64> = after["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 2]);
    assert_eq!(after["item"]["published_version"], 1);
}

async fn empty_hall(s: &TestServer) -> String {
    halls::create(
        &s.state,
        &Actor::system(),
        &HallInput {
            code: "CA-ZWFW".into(),
            name: "空白大厅".into(),
            region_code: "610116".into(),
            address: "西安".into(),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            hours_note: String::new(),
        },
    )
    .await
    .unwrap()
    .id
}

async fn import_into(s: &TestServer, hall: &str, file: interchange::CatalogFile) {
    transfer::import(&s.state, &Actor::system(), hall, file, true, &|_, _| {})
        .await
        .unwrap();
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_the_same_file() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let r = manager.get(&format!("{C}/export")).await;
    assert_eq!(r.status(), 200);
    let exported = r.text().await.unwrap();

    // JSON round trip.
    let empty = TestServer::start().await;
    let hall = empty_hall(&empty).await;
    let file = interchange::parse_file(exported.as_bytes(), &Default::default()).unwrap();
    import_into(&empty, &hall, file).await;
    let again = transfer::export(&empty.state, &hall, false).await.unwrap();
    assert!(again.to_json() == exported, "JSON round trip");

    // Excel round trip: the workbook reads back to the same catalog and writes the same bytes.
    let xlsx = manager.get(&format!("{C}/export?format=xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    let workbook = xlsx.bytes().await.unwrap().to_vec();
    let from_excel = excel::read(&workbook, &Default::default()).unwrap();
    assert!(
        from_excel.to_json() == exported,
        "the workbook holds everything"
    );
    let third = TestServer::start().await;
    let hall3 = empty_hall(&third).await;
    import_into(&third, &hall3, from_excel).await;
    let back = transfer::export(&third.state, &hall3, false).await.unwrap();
    assert_eq!(excel::write(&back).unwrap(), workbook);

    // Re-importing updates by code: nothing is duplicated or changed.
    let r = manager
        .post_bytes(
            &format!("{C}/import?publish=true"),
            "application/json",
            exported.clone().into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 200);
    let outcome: Value = r.json().await.unwrap();
    assert_eq!(outcome["summary"]["unchanged"], 46, "{outcome}");
    assert_eq!(manager.json(&format!("{C}/items")).await["total"], 46);
    empty.stop().await;
    third.stop().await;
}

#[tokio::test]
async fn malformed_files_are_refused_whole_with_every_problem_listed() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let exported = manager
        .get(&format!("{C}/export"))
        .await
        .text()
        .await
        .unwrap();
    let mut file: Value = serde_json::from_str(&exported).unwrap();
    let items = file["items"].as_array_mut().unwrap();
    let with_rules = items
        .iter()
        .position(|i| i["task_name"] == "食品经营许可")
        .unwrap();
    items[with_rules]["rules"][1]["then"]
        .as_array_mut()
        .unwrap()
        .push(json!({"require_material": {"material": "ghost", "necessity": "必要", "copies": 1}}));
    items[with_rules]["questions"][1]["show_if"] =
        json!({"is": {"question": "agent", "value": true}});
    let agent = items[with_rules]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|q| q["id"] == "agent")
        .unwrap();
    items[with_rules]["questions"][agent]["show_if"] =
        json!({"is": {"question": "prepacked", "value": true}});
    items[3]["promise_day"] = json!(99);
    items[4]["task_code"] = items[5]["task_code"].clone();
    items[6]["dept_code"] = json!("11610116MB29571010");
    items[7]["task_type"] = json!("行政审批");
    items[8]["materials"][0]["necesity"] = json!("必要");
    let body = serde_json::to_vec(&file).unwrap();

    let r = manager
        .post_bytes(
            &format!("{C}/import?publish=true"),
            "application/json",
            body,
        )
        .await;
    assert_eq!(r.status(), 422);
    let problems: Value = r.json().await.unwrap();
    let text = problems["fields"].to_string();
    for expected in [
        "不存在的材料“ghost”",
        "显示条件形成循环依赖",
        "承诺办结时限",
        "实施编码与 items[4] 重复",
        "实施主体编码",
        "不在允许范围内",
        "necesity",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }

    let truncated = &exported.as_bytes()[..exported.len() / 2];
    let r = manager
        .post_bytes(
            &format!("{C}/import"),
            "application/json",
            truncated.to_vec(),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("文件不完整"));

    // A broken workbook row is named by sheet, row and column.
    let mut wb_file = interchange::parse_file(exported.as_bytes(), &Default::default()).unwrap();
    wb_file.items.truncate(2);
    wb_file.items[1].doc.materials[0].copies = 0;
    let workbook = excel::write(&wb_file).unwrap();
    let problems = excel::read(&workbook, &Default::default()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.at.starts_with("事项 第3行") && p.message.contains("份数")),
        "{problems:?}"
    );
    let r = manager
        .post_bytes(
            &format!("{C}/import"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            workbook,
        )
        .await;
    assert_eq!(r.status(), 422);

    // Nothing changed.
    let after = manager
        .get(&format!("{C}/export"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(after, exported);
}

#[tokio::test]
async fn samples_upload_and_download_and_catalog_changes_are_audited() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let pdf = b"%PDF-1.4 sample".to_vec();
    let r = manager
        .post_bytes(
            &format!(
                "{C}/attachments?name={}",
                urlencode("食品经营许可申请书（样表）.pdf")
            ),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let id = a["id"].as_str().unwrap();
    // Citizens download it without signing in.
    let got = s
        .client()
        .get(&format!("/api/v1/public/catalog/attachments/{id}"))
        .await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    let exe = manager
        .post_bytes(
            &format!("{C}/attachments?name=tool.exe"),
            "application/octet-stream",
            vec![1, 2],
        )
        .await;
    assert_eq!(exe.status(), 422);

    let food = item_by_name(&manager, "食品经营许可").await;
    let mut doc = food["doc"].clone();
    doc["materials"][2]["sample"] = json!({"id": id, "name": a["name"]});
    let id_item = food["item"]["id"].as_str().unwrap();
    assert_eq!(
        manager
            .put(&format!("{C}/items/{id_item}"), &doc)
            .await
            .status(),
        200
    );

    let auditor = s.login("auditor").await;
    let rows = auditor.json("/api/v1/audit?page_size=200").await;
    let actions: Vec<&str> = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "POST /api/v1/halls/{hall}/catalog/attachments",
        "PUT /api/v1/halls/{hall}/catalog/items/{id}",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_background_import_reports_its_progress_to_the_user_who_started_it() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let exported = manager
        .get(&format!("{C}/export"))
        .await
        .text()
        .await
        .unwrap();
    let r = manager
        .post_bytes(
            &format!("{C}/import-jobs"),
            "application/json",
            exported.into_bytes(),
        )
        .await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    assert_eq!(job["total"], 46);
    let path = format!("{C}/import-jobs/{}", job["id"].as_str().unwrap());
    let mut status = job;
    for _ in 0..200 {
        status = manager.json(&path).await;
        if status["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["done"], 46);
    assert_eq!(status["summary"]["unchanged"], 46);
    // Another user cannot follow it.
    let reviewer = s.login("reviewer").await;
    assert_eq!(reviewer.get(&path).await.status(), 404);
    // A bad file is refused before any job starts.
    let bad = manager
        .post_bytes(
            &format!("{C}/import-jobs"),
            "application/json",
            b"{\"format\":".to_vec(),
        )
        .await;
    assert_eq!(bad.status(), 422);
}

/// Guidance search holds its measured relevance on the shipped question set
/// (113 colloquial questions; `govhall bench guidance` lists every miss).
#[tokio::test]
async fn guidance_search_answers_colloquial_questions() {
    use govhall_server::guidance_eval::{QUESTIONS, evaluate, parse};
    let s = TestServer::with_demo().await;
    let hall = govhall_platform::halls::find_hall(&s.state, "CA-ZWFW")
        .await
        .unwrap();
    let index = govhall_catalog::indexing::index(&s.state).unwrap();
    let cases = parse(QUESTIONS);
    assert!(cases.len() >= 100);
    let r = evaluate(&index, &hall.id, &cases).unwrap();
    let misses: Vec<String> = r
        .misses
        .iter()
        .filter(|m| !m.in_top3)
        .map(|m| format!("{} → {:?}", m.question, m.got))
        .collect();
    assert!(
        r.top3_rate() >= 0.90,
        "top-3 {:.3}: {misses:#?}",
        r.top3_rate()
    );
    assert!(r.top1_rate() >= 0.70, "top-1 {:.3}", r.top1_rate());
}

/// Citizens resolve a published matter without signing in: the next questions,
/// then the checklist; an unknown or unpublished code is not found.
#[tokio::test]
async fn citizens_resolve_a_published_matter_without_signing_in() {
    let s = TestServer::with_demo().await;
    let url = |code: &str| {
        format!(
            "{}/api/v1/public/halls/CA-ZWFW/catalog/items/{code}/resolve",
            s.base
        )
    };
    let http = reqwest::Client::new();
    let food = "11610116MB2957101E4010100200000";
    let r: Value = http
        .post(url(food))
        .json(&json!({"answers": {}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["questions"][0]["id"], "kind");
    assert!(r["resolution"].is_null());
    let answers = json!({"kind": {"choice": "new"}, "prepacked": {"yes_no": true}, "agent": {"yes_no": false}});
    let r: Value = http
        .post(url(food))
        .json(&json!({"answers": answers, "version": 999}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Only prepacked food: no licence needed, said so; the draft version asked for is ignored.
    assert!(
        r["resolution"]["terminated"]["reason"]
            .as_str()
            .unwrap()
            .contains("预包装"),
        "{r}"
    );
    let missing = http
        .post(url("NOPE"))
        .json(&json!({"answers": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // The answers that led to a checklist are counted for the center, in words;
    // unfinished and stopped ones are not.
    let restaurant = json!({"kind": {"choice": "new"}, "prepacked": {"yes_no": false},
        "items": {"choices": ["hot"]}, "online": {"yes_no": false}, "agent": {"yes_no": false}});
    for _ in 0..2 {
        let r = http
            .post(url(food))
            .json(&json!({"answers": restaurant}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let choices: Value = s
        .login("manager")
        .await
        .json("/api/v1/halls/CA-ZWFW/catalog/guidance-choices")
        .await;
    let rows = choices.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{choices}");
    assert_eq!(rows[0]["count"], 2);
    assert_eq!(rows[0]["handling_item"], "食品经营许可新办");
    let said = rows[0]["answers"].as_str().unwrap();
    assert!(said.starts_with("您要办理哪项业务？新办；"), "{said}");
    assert!(
        said.contains("热食类食品制售") && said.contains("是否委托他人代办？否"),
        "{said}"
    );
}

/// A public search that finds nothing is counted for the center; one that
/// carries an ID or phone number is not kept.
#[tokio::test]
async fn public_searches_that_find_nothing_are_counted_without_personal_numbers() {
    let s = TestServer::with_demo().await;
    let http = reqwest::Client::new();
    let search = |q: &str| {
        http.get(format!(
            "{}/api/v1/public/halls/CA-ZWFW/catalog/search?q={}",
            s.base,
            urlencode(q)
        ))
        .send()
    };
    for q in ["火星旅游攻略", "火星旅游攻略", "13912345678", "社保卡丢了"] {
        let hits: Vec<Value> = search(q).await.unwrap().json().await.unwrap();
        assert_eq!(hits.is_empty(), q != "社保卡丢了", "{q}: {hits:?}");
    }
    let manager = s.login("manager").await;
    let misses: Vec<Value> = serde_json::from_value(
        manager
            .json("/api/v1/halls/CA-ZWFW/catalog/search-misses")
            .await,
    )
    .unwrap();
    assert_eq!(misses.len(), 1, "{misses:?}");
    assert_eq!(misses[0]["query"], "火星旅游攻略");
    assert_eq!(misses[0]["count"], 2);
}

/// 发送到手机: the kiosk texts a guidance result as a short link; the phone
/// opens it on the same matter and answers.
#[tokio::test]
async fn a_kiosk_texts_the_guidance_result_as_a_short_link() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let device = crate::queue::kiosk(&manager).await;
    let food = "11610116MB2957101E4010100200000";
    let answers = json!({
        "kind": {"choice": "new"},
        "prepacked": {"yes_no": false},
        "items": {"choices": ["hot"]},
        "online": {"yes_no": false},
        "agent": {"yes_no": false},
    });
    let send = |body: Value| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/halls/CA-ZWFW/guidance/sms", s.base))
            .bearer_auth(&device)
            .json(&body)
            .send()
    };
    // Bad input names the field and sends nothing.
    for (body, field) in [
        (
            json!({"item": food, "answers": answers, "phone": "1391234"}),
            "phone",
        ),
        (
            json!({"item": "nope", "answers": answers, "phone": "13912345678"}),
            "item",
        ),
        (
            json!({"item": food, "answers": {}, "phone": "13912345678"}),
            "answers",
        ),
    ] {
        let r = send(body).await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    // Without a device or a session: refused.
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/halls/CA-ZWFW/guidance/sms", s.base))
        .json(&json!({"item": food, "answers": answers, "phone": "13912345678"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let r = send(json!({"item": food, "answers": answers, "phone": "13912345678"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let link = r.json::<Value>().await.unwrap()["link"]
        .as_str()
        .unwrap()
        .to_string();
    let token = link.split("&g=").nth(1).unwrap().to_string();
    assert_eq!(token.len(), 10);
    // The SMS carries the link and the matter, to the masked phone.
    let page = manager.json("/api/v1/notifications?channel=sms").await;
    let sms = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "guide_link")
        .cloned()
        .unwrap();
    assert_eq!(sms["recipient"], "139****5678");
    let text = sms["body"].as_str().unwrap();
    assert!(
        text.contains("食品经营许可") && text.contains(&token),
        "{text}"
    );
    // The phone opens the link: the same matter and answers.
    let opened: Value = reqwest::get(format!(
        "{}/api/v1/public/halls/CA-ZWFW/guide-links/{token}",
        s.base
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(opened, json!({"item": food, "answers": answers}));
    let missing = reqwest::get(format!(
        "{}/api/v1/public/halls/CA-ZWFW/guide-links/xxxxxxxxxx",
        s.base
    ))
    .await
    .unwrap();
    assert_eq!(missing.status(), 404);
}
