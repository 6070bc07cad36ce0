use govhall_testkit::{Api, TestServer, count};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const WINDOWS: &str = "/api/v1/halls/CA-ZWFW/windows";
const DEPARTMENTS: &str = "/api/v1/halls/CA-ZWFW/departments";

async fn counts(s: &TestServer) -> (u64, u64, u64) {
    (
        count(&s.state.db, "windows").await,
        count(&s.state.db, "departments").await,
        count(&s.state.db, "staff").await,
    )
}

async fn error_of(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status(), status);
    resp.json().await.unwrap()
}

fn field_message<'a>(body: &'a Value, field: &str) -> &'a str {
    body["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error for {field}: {body}"))
}

#[tokio::test]
async fn the_demo_hall_is_complete() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let windows = api.json(&format!("{WINDOWS}?page_size=200")).await;
    assert_eq!(windows["total"], 30);
    let staff = api.json("/api/v1/halls/CA-ZWFW/staff?page_size=1").await;
    assert_eq!(staff["total"], 76);
    let areas = api.json("/api/v1/halls/CA-ZWFW/areas").await;
    assert!(areas.as_array().unwrap().len() >= 4);
    let filtered = api.json(&format!("{WINDOWS}?kind=delivery")).await;
    assert_eq!(filtered["total"], 3);
    assert!(
        filtered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["kind_label"] == "出件窗口")
    );
    let searched = api.json(&format!("{WINDOWS}?q=%E7%A8%8E%E5%8A%A1")).await; // 税务
    assert_eq!(searched["total"], 1);
    s.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_writes_nothing() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let before = counts(&s).await;

    let dup = error_of(
        api.post(
            WINDOWS,
            &json!({"code": "01", "name": "重复", "kind": "comprehensive"}),
        )
        .await,
        409,
    )
    .await;
    assert!(field_message(&dup, "code").contains("已被"));

    let bad_code = error_of(
        api.post(
            DEPARTMENTS,
            &json!({"name": "某局", "credit_code": "11610116MB2957101A"}),
        )
        .await,
        422,
    )
    .await;
    assert!(field_message(&bad_code, "credit_code").contains("校验位"));

    let empty = error_of(
        api.post(
            WINDOWS,
            &json!({"code": "", "name": "  ", "kind": "nonsense"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field_message(&empty, "name"), "窗口名称不能为空");
    assert_eq!(field_message(&empty, "code"), "窗口编号不能为空");
    assert!(field_message(&empty, "kind").contains("综合窗口"));

    let long = error_of(
        api.post(WINDOWS, &json!({"code": "77", "name": "长".repeat(10_000)}))
            .await,
        422,
    )
    .await;
    assert!(field_message(&long, "name").contains("不能超过 50 个字符"));

    let malformed = api
        .http
        .post(api.url(WINDOWS))
        .header("x-csrf-token", api.csrf())
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    let malformed = error_of(malformed, 400).await;
    assert_eq!(malformed["code"], "invalid_json");

    let wrong_type = api
        .http
        .post(api.url(WINDOWS))
        .header("x-csrf-token", api.csrf())
        .header("content-type", "text/plain")
        .body("code=1")
        .send()
        .await
        .unwrap();
    let wrong_type = error_of(wrong_type, 415).await;
    assert!(
        wrong_type["message"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );

    let wrong_shape = error_of(
        api.post(WINDOWS, &json!({"code": 5, "name": "x"})).await,
        422,
    )
    .await;
    assert!(field_message(&wrong_shape, "code").contains("code"));

    let bad_phone = error_of(
        api.post(
            "/api/v1/halls/CA-ZWFW/staff",
            &json!({"employee_no": "X1", "name": "测试", "phone": "12345"}),
        )
        .await,
        422,
    )
    .await;
    assert!(field_message(&bad_phone, "phone").contains("11 位"));

    assert_eq!(
        counts(&s).await,
        before,
        "a refused request wrote something"
    );
    s.stop().await;
}

#[tokio::test]
async fn windows_can_be_created_edited_and_deleted() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let areas = api.json("/api/v1/halls/CA-ZWFW/areas").await;
    let area_id = areas[0]["id"].as_str().unwrap();
    let created = api
        .post(WINDOWS, &json!({"code": "31", "name": "31号综合受理窗口", "kind": "comprehensive", "status": "open", "area_id": area_id}))
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["area_name"], areas[0]["name"]);
    let id = created["id"].as_str().unwrap();

    let prof = error_of(
        api.put(
            &format!("{WINDOWS}/{id}"),
            &json!({"code": "31", "name": "x", "kind": "professional"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        field_message(&prof, "department_id"),
        "专业窗口必须指定所属部门"
    );

    let updated: Value = api
        .put(
            &format!("{WINDOWS}/{id}"),
            &json!({"code": "31", "name": "31号窗口", "kind": "consult", "status": "paused"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["status_label"], "暂停");
    assert_eq!(api.delete(&format!("{WINDOWS}/{id}")).await.status(), 204);
    assert_eq!(api.delete(&format!("{WINDOWS}/{id}")).await.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn a_window_someone_is_signed_in_at_cannot_be_deleted() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let areas = api.json("/api/v1/halls/CA-ZWFW/areas").await;
    let created: Value = api
        .post(WINDOWS, &json!({"code": "32", "name": "32号综合受理窗口", "kind": "comprehensive", "status": "open", "area_id": areas[0]["id"]}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let clerk = s.login("clerk01").await;
    let signed = clerk
        .post(&format!("{WINDOWS}/{id}/sign-in"), &json!({}))
        .await;
    assert_eq!(signed.status(), 200);
    let body = error_of(api.delete(&format!("{WINDOWS}/{id}")).await, 409).await;
    assert!(
        body["message"].as_str().unwrap().contains("签退后再删除"),
        "{body}"
    );
    let still = api.json(&format!("{WINDOWS}?q=32")).await;
    assert!(still.to_string().contains(id), "still there: {still}");
    let out = clerk
        .post(&format!("{WINDOWS}/{id}/sign-out"), &json!({}))
        .await;
    assert_eq!(out.status(), 200);
    assert_eq!(api.delete(&format!("{WINDOWS}/{id}")).await.status(), 204);
    s.stop().await;
}

#[tokio::test]
async fn departments_in_use_cannot_be_deleted() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let depts = api
        .json(&format!("{DEPARTMENTS}?q=%E7%A8%8E%E5%8A%A1"))
        .await; // 税务
    let id = depts["items"][0]["id"].as_str().unwrap();
    let body = error_of(api.delete(&format!("{DEPARTMENTS}/{id}")).await, 409).await;
    assert!(body["message"].as_str().unwrap().contains("个窗口"));
    s.stop().await;
}

#[tokio::test]
async fn phones_are_encrypted_at_rest_masked_and_searchable() {
    let s = TestServer::with_demo().await;
    let api = s.login("manager").await;
    let resp = api
        .post("/api/v1/halls/CA-ZWFW/staff", &json!({"employee_no": "T001", "name": "测试员", "position": "guide", "phone": "13812345678"}))
        .await;
    assert_eq!(resp.status(), 201);
    let dto: Value = resp.json().await.unwrap();
    assert_eq!(dto["phone_masked"], "138****5678");
    assert!(!dto.to_string().contains("13812345678"));

    let found = api.json("/api/v1/halls/CA-ZWFW/staff?q=13812345678").await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["employee_no"], "T001");

    let db = &s.state.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT phone_enc FROM staff WHERE employee_no = 'T001'".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let stored: String = row.try_get("", "phone_enc").unwrap();
    assert!(stored.starts_with("sm4gcm:") && !stored.contains("13812345678"));
    let events = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT payload FROM events".to_string(),
        ))
        .await
        .unwrap();
    for e in events {
        let payload: String = e.try_get("", "payload").unwrap();
        assert!(
            !payload.contains("13812345678"),
            "plaintext phone in the event log"
        );
    }

    // Editing with the masked value keeps the number.
    let id = dto["id"].as_str().unwrap();
    let kept: Value = api
        .put(&format!("/api/v1/halls/CA-ZWFW/staff/{id}"), &json!({"employee_no": "T001", "name": "测试员", "position": "guide", "phone": "138****5678"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["phone_masked"], "138****5678");
    s.stop().await;
}

#[tokio::test]
async fn a_hall_bound_user_cannot_reach_another_hall() {
    let s = TestServer::with_demo().await;
    let admin = s.login("admin").await;
    let other = admin
        .post(
            "/api/v1/halls",
            &json!({"code": "YT-ZWFW", "name": "雁塔区政务服务中心", "region_code": "610113", "address": "西安市雁塔区", "opens_at": "09:00", "closes_at": "17:00"}),
        )
        .await;
    assert_eq!(other.status(), 201);
    let bad_hours = error_of(
        admin
            .post("/api/v1/halls", &json!({"code": "X", "name": "x", "region_code": "61", "address": "x", "opens_at": "18:00", "closes_at": "09:00"}))
            .await,
        422,
    )
    .await;
    assert!(field_message(&bad_hours, "region_code").contains("6 位"));
    assert!(field_message(&bad_hours, "closes_at").contains("晚于"));

    let manager: Api = s.login("manager").await;
    let halls = manager.json("/api/v1/halls").await;
    assert_eq!(
        halls.as_array().unwrap().len(),
        1,
        "a center manager sees only their hall"
    );
    assert_eq!(
        manager.get("/api/v1/halls/YT-ZWFW/windows").await.status(),
        403
    );
    assert_eq!(
        admin.json("/api/v1/halls").await.as_array().unwrap().len(),
        2
    );
    s.stop().await;
}

#[tokio::test]
async fn a_staff_photo_is_uploaded_checked_and_shown_for_the_window() {
    const H: &str = "/api/v1/halls/CA-ZWFW";
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let clerk = s.login("clerk01").await;
    let w = crate::queue::window_id(&clerk, "01").await;
    assert_eq!(
        clerk
            .post(&format!("{H}/windows/{w}/sign-in"), &json!({}))
            .await
            .status(),
        200
    );
    let device: Value = manager
        .post(
            &format!("{H}/devices"),
            &json!({"name": "1号窗口屏", "purpose": "screen"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let screen = device["token"].as_str().unwrap().to_string();
    let board = |token: String| {
        let url = format!("{}{H}/board", s.base);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let b = board(screen.clone()).await;
    let win = b["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "01")
        .unwrap()
        .clone();
    assert!(win["photo_staff_id"].is_null());
    let name = win["staff_name"].as_str().unwrap();
    let staff = manager.json(&format!("{H}/staff?q={name}")).await;
    let id = staff["items"][0]["id"].as_str().unwrap().to_string();

    let put = |body: Vec<u8>| {
        let manager = manager.clone();
        let url = manager.url(&format!("{H}/staff/{id}/photo"));
        async move {
            manager
                .http
                .put(url)
                .header("x-csrf-token", manager.csrf())
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let gif = put(b"GIF89a....".to_vec()).await;
    assert_eq!(gif.status(), 422);
    assert!(gif.text().await.unwrap().contains("JPEG、PNG 或 WebP"));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[7u8; 64]);
    assert_eq!(put(png.clone()).await.status(), 204);
    assert_eq!(
        clerk.get(&format!("{H}/staff/{id}/photo")).await.status(),
        200
    );

    let b = board(screen.clone()).await;
    let win = b["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "01")
        .unwrap()
        .clone();
    assert_eq!(win["photo_staff_id"], id.as_str());
    let photo = reqwest::Client::new()
        .get(format!("{}{H}/staff/{id}/photo", s.base))
        .bearer_auth(&screen)
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert_eq!(photo.bytes().await.unwrap().to_vec(), png);
    assert_eq!(
        s.client()
            .get(&format!("{H}/staff/{id}/photo"))
            .await
            .status(),
        401,
        "not public"
    );
    assert_eq!(
        manager
            .delete(&format!("{H}/staff/{id}/photo"))
            .await
            .status(),
        204
    );
    assert_eq!(
        clerk.get(&format!("{H}/staff/{id}/photo")).await.status(),
        404
    );
    let b = board(screen).await;
    assert!(
        b["windows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["photo_staff_id"].is_null())
    );
}

#[tokio::test]
async fn questions_about_the_hall_are_answered_and_its_list_is_edited_by_the_manager() {
    let s = TestServer::with_demo().await;
    let ask = |q: &'static str| {
        let s = &s;
        async move {
            s.client()
                .json(&format!(
                    "/api/v1/public/halls/CA-ZWFW/answers?q={}",
                    urlencoding(q)
                ))
                .await
        }
    };
    let hours = ask("你们几点上班").await;
    assert_eq!(hours[0]["topic"], "开放时间", "{hours}");
    assert!(hours[0]["answer"].as_str().unwrap().contains("09:00—17:00"));
    let parking = ask("大厅可以停车吗").await;
    assert!(
        parking[0]["answer"].as_str().unwrap().contains("停车场"),
        "{parking}"
    );
    assert_eq!(ask("社保卡丢了").await, json!([]));

    let manager = s.login("manager").await;
    const FAQS: &str = "/api/v1/halls/CA-ZWFW/faqs";
    let before = manager.json(FAQS).await;
    // Bad input names the field and changes nothing.
    let bad = manager
        .put(
            FAQS,
            &json!({"faqs": [{"question": "", "answer": "有", "keywords": ["充电桩"]}]}),
        )
        .await;
    let body = error_of(bad, 422).await;
    assert_eq!(body["fields"][0]["field"], "faqs[0].question", "{body}");
    assert_eq!(manager.json(FAQS).await, before);
    let r = manager
        .put(
            FAQS,
            &json!({"faqs": [{"question": "有充电桩吗", "answer": "东侧停车场有 4 个充电车位", "keywords": ["充电"]}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        ask("能充电吗").await[0]["answer"]
            .as_str()
            .unwrap()
            .contains("充电车位")
    );
    // A window clerk reads the list but does not change it.
    let clerk = s.login("clerk01").await;
    assert_eq!(clerk.put(FAQS, &json!({"faqs": []})).await.status(), 403);
    s.stop().await;
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
