//! 人员培训 through HTTP: courseware checked by content and served with Range
//! requests; a video lesson counts the seconds actually watched, at the pace
//! of the clock, and refuses (and records) impossible reports; completing the
//! lessons completes the course.

use crate::queue::H;
use axum::body::Bytes;
use govhall_testkit::{Api, TestServer};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::Duration;

/// A playable-structured MP4: one H.264 track of `seconds` one-second samples.
pub(crate) fn sample_mp4(seconds: u32) -> Vec<u8> {
    let brand = |s: &str| s.parse::<mp4::FourCC>().unwrap();
    let config = mp4::Mp4Config {
        major_brand: brand("isom"),
        minor_version: 512,
        compatible_brands: vec![brand("isom"), brand("iso2"), brand("avc1"), brand("mp41")],
        timescale: 1000,
    };
    let mut w = mp4::Mp4Writer::write_start(std::io::Cursor::new(Vec::new()), &config).unwrap();
    w.add_track(&mp4::TrackConfig {
        track_type: mp4::TrackType::Video,
        timescale: 1000,
        language: "und".into(),
        media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
            width: 320,
            height: 240,
            seq_param_set: vec![0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8],
            pic_param_set: vec![0x68, 0xce, 0x3c, 0x80],
        }),
    })
    .unwrap();
    for s in 0..seconds {
        let frame: Vec<u8> = (0..4000u32).map(|i| (i * 7 + s) as u8).collect();
        w.write_sample(
            1,
            &mp4::Mp4Sample {
                start_time: u64::from(s) * 1000,
                duration: 1000,
                rendering_offset: 0,
                is_sync: true,
                bytes: Bytes::from(frame),
            },
        )
        .unwrap();
    }
    w.write_end().unwrap();
    w.into_writer().into_inner()
}

async fn upload(api: &Api, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = api
        .post_bytes(
            &format!("{H}/training/files?name={}", urlencode(name)),
            "application/octet-stream",
            bytes,
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn stored_files(s: &TestServer) -> usize {
    std::fs::read_dir(s.state.config.data_dir.join("training"))
        .map(|d| d.filter(|e| e.is_ok()).count())
        .unwrap_or(0)
}

/// The path that starts a lesson's viewing session.
pub(crate) fn sessions_of(lesson: &Value) -> String {
    format!(
        "{H}/training/lessons/{}/sessions",
        lesson["id"].as_str().unwrap()
    )
}

pub(crate) async fn start(api: &Api, path: &str) -> Value {
    api.post(path, &json!({})).await.json().await.unwrap()
}

fn events_of(kind: &str) -> String {
    format!("SELECT payload FROM events WHERE event_type = '{kind}' ORDER BY seq")
}

#[tokio::test]
async fn a_video_lesson_counts_only_real_watching_and_completes_the_course() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;

    // Courseware is judged by its content: a PDF named .mp4, a program and an
    // empty body are refused and nothing is kept.
    let video = sample_mp4(6);
    let (status, file) = upload(&manager, "窗口礼仪.mp4", video.clone()).await;
    assert_eq!(status, 201, "{file}");
    assert_eq!(file["mime"], "video/mp4");
    let duration = file["duration_s"].as_f64().unwrap();
    assert!((duration - 6.0).abs() < 0.01, "{duration}");
    let kept = stored_files(&s);
    for (name, bytes, says) in [
        (
            "政策.mp4",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            "与内容不符",
        ),
        (
            "工具.mp4",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec(),
            "不支持的课件",
        ),
        ("空.mp4", vec![], "空的"),
    ] {
        let (status, body) = upload(&manager, name, bytes).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(body["fields"][0]["field"], "file");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    assert_eq!(stored_files(&s), kept, "a refused upload left a file");

    // Playback with Range requests: the part asked for, 416 beyond the end.
    let id = file["id"].as_str().unwrap();
    let clerk = s.login("clerk01").await;
    let part = clerk
        .http
        .get(clerk.url(&format!("{H}/training/files/{id}")))
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"].to_str().unwrap(),
        format!("bytes 100-199/{}", video.len())
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), &video[100..200]);
    let beyond = clerk
        .http
        .get(clerk.url(&format!("{H}/training/files/{id}")))
        .header("range", format!("bytes={}-", video.len() + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    // A course where seeking ahead and speeding up are not allowed.
    let course: Value = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": "窗口服务礼仪", "category": "服务礼仪", "forbid_seek": true, "forbid_speed": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let cid = course["id"].as_str().unwrap();
    let lessons = format!("{H}/training/courses/{cid}/lessons");
    let bad = manager
        .post(
            &lessons,
            &json!({"title": "讲义", "kind": "video", "file_id": null}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let lesson: Value = manager
        .post(
            &lessons,
            &json!({"title": "礼仪示范", "kind": "video", "file_id": id, "required_pct": 90}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!((lesson["required_s"].as_f64().unwrap() - 5.4).abs() < 0.01);
    let text: Value = manager
        .post(
            &lessons,
            &json!({"title": "礼仪要点", "kind": "text", "body": "微笑、起身、双手递接。"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        clerk
            .post(&format!("{H}/training/courses"), &json!({}))
            .await
            .status(),
        403
    );

    // The clerk starts the video on one page.
    let lid = lesson["id"].as_str().unwrap();
    let sessions = format!("{H}/training/lessons/{lid}/sessions");
    let progress = format!("{H}/training/lessons/{lid}/progress");
    let session = start(&clerk, &sessions).await["session"]
        .as_str()
        .unwrap()
        .to_string();
    let report = |spans: Value, position: f64, session: &str| json!({"session": session, "spans": spans, "position": position});
    // Six seconds claimed at once; a jump ahead; overlapping stretches: refused and recorded.
    for (body, field) in [
        (report(json!([[0.0, 6.0]]), 6.0, &session), "spans"),
        (report(json!([[4.0, 5.0]]), 5.0, &session), "spans"),
        (
            report(json!([[0.0, 2.0], [1.0, 2.5]]), 2.5, &session),
            "spans",
        ),
        (report(json!([[0.0, 10.0]]), 10.0, &session), "spans"),
    ] {
        let r = clerk.post(&progress, &body).await;
        assert_eq!(r.status(), 422, "{body}");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["fields"][0]["field"], field, "{err}");
    }
    let refused =
        govhall_testkit::query(&s.state.db, &events_of("training.progress.rejected")).await;
    assert_eq!(refused.len(), 4);

    // Honest watching at the clock's pace counts; the same seconds twice count once.
    let mut pos = 0.0;
    let mut last = Value::Null;
    while pos < 6.0 {
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let next = f64::min(pos + 2.0, 6.0);
        let r = clerk
            .post(&progress, &report(json!([[pos, next]]), next, &session))
            .await;
        assert_eq!(r.status(), 200);
        last = r.json().await.unwrap();
        pos = next;
        if pos == 2.0 {
            // Going back over a watched part adds nothing.
            let again: Value = clerk
                .post(&progress, &report(json!([[0.0, 1.0]]), 1.0, &session))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(again["watched_s"], 2.0);
        }
    }
    assert_eq!(last["watched_s"], 6.0);
    assert_eq!(last["completed"], true);
    assert_eq!(
        last["course_completed"], false,
        "the text lesson is still to read"
    );

    // A second page takes over: the first page's reports no longer count.
    let other = start(&clerk, &sessions).await;
    assert_eq!(other["position"], 6.0, "resumes where it stopped");
    let stale = clerk
        .post(&progress, &report(json!([[5.0, 6.0]]), 6.0, &session))
        .await;
    assert_eq!(stale.status(), 422);
    assert_eq!(
        stale.json::<Value>().await.unwrap()["fields"][0]["field"],
        "session"
    );

    // Reading the text lesson completes the course (rule: all lessons).
    let read = start(&clerk, &sessions_of(&text)).await;
    assert_eq!(read["completed"], true);
    assert_eq!(read["course_completed"], true);
    let done = govhall_testkit::query(&s.state.db, &events_of("training.course.completed")).await;
    assert_eq!(done.len(), 1);
    s.stop().await;
}

/// A course of one text lesson for the 预包装食品 matter: its id and the lesson.
/// Two reports of one page racing (a script firing both at once) are taken
/// one after the other: the second sees the first's time and is refused as
/// faster than the clock, so the clock's seconds never count twice.
#[tokio::test]
async fn racing_progress_reports_do_not_double_the_time() {
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let (_, file) = upload(&manager, "礼仪.mp4", sample_mp4(10)).await;
    let course: Value = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": "礼仪", "category": "服务礼仪", "forbid_speed": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let lesson: Value = manager
        .post(
            &format!(
                "{H}/training/courses/{}/lessons",
                course["id"].as_str().unwrap()
            ),
            &json!({"title": "示范", "kind": "video", "file_id": file["id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let clerk = s.login("clerk01").await;
    let lid = lesson["id"].as_str().unwrap();
    let session = start(&clerk, &format!("{H}/training/lessons/{lid}/sessions")).await["session"]
        .as_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let url = format!("{H}/training/lessons/{lid}/progress");
    // Each alone fits the clock (2.2 s and the 3 s slack); both together do not.
    let first = json!({"session": session, "spans": [[0.0, 5.0]], "position": 5.0});
    let second = json!({"session": session, "spans": [[5.0, 10.0]], "position": 10.0});
    let (a, b) = tokio::join!(clerk.post(&url, &first), clerk.post(&url, &second));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(
        statuses.contains(&200) && statuses.contains(&422),
        "exactly one taken: {statuses:?}"
    );
    let watched = govhall_testkit::query(
        &s.state.db,
        &format!("SELECT watched_s FROM training_progress WHERE lesson_id = '{lid}'"),
    )
    .await;
    let w = watched[0]["watched_s"].as_f64().unwrap();
    assert!((w - 5.0).abs() < 0.01, "{w}");
}

pub(crate) async fn food_course(manager: &Api) -> (String, Value) {
    let course: Value = manager
        .post(
            &format!("{H}/training/courses"),
            &json!({"title": "预包装食品备案要点", "category": "业务条线"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let cid = course["id"].as_str().unwrap().to_string();
    let text: Value = manager
        .post(
            &format!("{H}/training/courses/{cid}/lessons"),
            &json!({"title": "备案材料", "kind": "text", "body": "核对营业执照与经营场所。"}),
        )
        .await
        .json()
        .await
        .unwrap();
    (cid, text)
}

#[tokio::test]
async fn a_matter_that_requires_a_course_is_refused_to_a_clerk_until_it_is_completed() {
    use crate::cases::{PREPACKED, checklist, clerk_at, intake, ticks};
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let (cid, text) = food_course(&manager).await;
    let cid = cid.as_str();
    let requirement = format!("{H}/training/requirements/{PREPACKED}");
    let bad = manager
        .put(&requirement, &json!({"course_id": "nope"}))
        .await;
    assert_eq!(bad.status(), 422);
    let r = manager.put(&requirement, &json!({"course_id": cid})).await;
    assert_eq!(r.status(), 200);

    // The clerk is refused the matter, with the course named.
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    let body = intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    let refused = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(refused.status(), 403);
    let message = refused.json::<Value>().await.unwrap()["message"].to_string();
    assert!(message.contains("《预包装食品备案要点》"), "{message}");

    // After the course, the same intake goes through.
    let read = start(&clerk, &sessions_of(&text)).await;
    assert_eq!(read["course_completed"], true);
    let accepted = clerk.post(&format!("{H}/cases"), &body).await;
    assert_eq!(accepted.status(), 201, "{}", accepted.text().await.unwrap());

    // The requirement is listed and can be lifted once.
    let listed: Value = manager.json(&format!("{H}/training/requirements")).await;
    assert_eq!(listed[0]["course_title"], "预包装食品备案要点");
    assert_eq!(manager.delete(&requirement).await.status(), 204);
    assert_eq!(manager.delete(&requirement).await.status(), 404);
    s.stop().await;
}

#[tokio::test]
async fn a_changed_matter_sends_certified_clerks_a_refresher_with_a_grace_period() {
    use crate::cases::{PREPACKED, checklist, clerk_at, intake, ticks};
    let s = TestServer::with_demo().await;
    let manager = s.login("manager").await;
    let (cid, text) = food_course(&manager).await;
    let cid = cid.as_str();
    let requirement = format!("{H}/training/requirements/{PREPACKED}");
    let r = manager
        .put(&requirement, &json!({"course_id": cid, "grace_days": 120}))
        .await;
    assert_eq!(r.status(), 422, "grace_days beyond 90");
    let r = manager
        .put(&requirement, &json!({"course_id": cid, "grace_days": 7}))
        .await;
    assert_eq!(r.status(), 200);
    let (clerk, w01) = clerk_at(&s, "clerk01", "01").await;
    start(&clerk, &sessions_of(&text)).await;
    let ids = checklist(&clerk, PREPACKED, &json!({})).await;
    let case = intake(&w01, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    assert_eq!(clerk.post(&format!("{H}/cases"), &case).await.status(), 201);
    assert_eq!(
        clerk.json(&format!("{H}/training/refreshers")).await,
        json!([])
    );

    // The matter's 受理条件 changes in a new published version.
    let c = "/api/v1/halls/CA-ZWFW/catalog";
    let found: Value = manager.json(&format!("{c}/items?q={PREPACKED}")).await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let detail: Value = manager.json(&format!("{c}/items/{id}")).await;
    let mut doc = detail["doc"].clone();
    doc["accept_condition"] = json!("仅销售预包装食品，且须在经营场所显著位置公示备案信息。");
    let r = manager.put(&format!("{c}/items/{id}"), &doc).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    for step in ["submit", "publish"] {
        let r = manager
            .post(&format!("{c}/items/{id}/{step}"), &json!({}))
            .await;
        assert_eq!(r.status(), 200, "{step}: {}", r.text().await.unwrap());
    }

    // Published three days ago (noticed only now): the grace runs from the publication.
    {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
        let three_days_ago = chrono::Utc::now() - chrono::Duration::days(3);
        let mut update = Query::update();
        update
            .table(Alias::new("catalog_item_versions"))
            .value(Alias::new("published_at"), three_days_ago)
            .and_where(Expr::col(Alias::new("item_id")).eq(id.as_str()))
            .and_where(Expr::col(Alias::new("status")).eq("published"));
        s.state.db.execute(&update).await.unwrap();
    }

    // Within the grace period the clerk still accepts it, and is sent the refresher.
    assert_eq!(clerk.post(&format!("{H}/cases"), &case).await.status(), 201);
    let sent: Value = clerk.json(&format!("{H}/training/refreshers")).await;
    let refresher = sent[0].clone();
    assert_eq!(refresher["passed"], false, "{sent}");
    let grace_until: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(refresher["grace_until"].clone()).unwrap();
    let left = grace_until - chrono::Utc::now();
    assert!(
        left > chrono::Duration::days(3) && left <= chrono::Duration::days(4),
        "7 days from the publication three days ago: {left}"
    );
    assert!(
        refresher["changes"][0]
            .as_str()
            .unwrap()
            .contains("公示备案信息"),
        "{refresher}"
    );
    assert_eq!(refresher["questions"].as_array().unwrap().len(), 3);

    // After it, refused until the three statements are judged right.
    s.state
        .db
        .execute_unprepared("UPDATE training_refreshers SET grace_until = '2020-01-01T00:00:00Z'")
        .await
        .unwrap();
    let refused = clerk.post(&format!("{H}/cases"), &case).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("宽限期已过"));
    let quiz = format!(
        "{H}/training/refreshers/{}/quiz",
        refresher["id"].as_str().unwrap()
    );
    let r = clerk.post(&quiz, &json!({"answers": [true]})).await;
    assert_eq!(r.status(), 422);
    let key: Vec<bool> = govhall_testkit::query(
        &s.state.db,
        "SELECT quiz FROM training_refreshers",
    )
    .await[0]["quiz"]
        .as_str()
        .map(|q| serde_json::from_str::<Vec<Value>>(q).unwrap())
        .unwrap()
        .iter()
        .map(|q| q["answer"].as_bool().unwrap())
        .collect();
    let wrong: Vec<bool> = key.iter().map(|a| !a).collect();
    let r: Value = clerk
        .post(&quiz, &json!({"answers": wrong}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["passed"], false);
    assert_eq!(clerk.post(&format!("{H}/cases"), &case).await.status(), 403);
    let r: Value = clerk
        .post(&quiz, &json!({"answers": key}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["passed"], true);
    assert_eq!(clerk.post(&format!("{H}/cases"), &case).await.status(), 201);

    // A clerk certified after the change is not asked.
    let (late, w02) = clerk_at(&s, "clerk02", "02").await;
    start(&late, &sessions_of(&text)).await;
    let ids = checklist(&late, PREPACKED, &json!({})).await;
    let case = intake(&w02, PREPACKED, json!({}), ticks(&ids, ""), "instant");
    assert_eq!(late.post(&format!("{H}/cases"), &case).await.status(), 201);
    assert_eq!(
        late.json(&format!("{H}/training/refreshers")).await,
        json!([])
    );
    s.stop().await;
}
