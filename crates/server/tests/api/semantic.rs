//! Semantic retrieval through a hall's OpenAI-compatible embeddings endpoint.
//! The endpoint is the edge of the world we cannot reach in a test, so a
//! small server here speaks the documented contract (`POST /v1/embeddings`
//! with `model` and `input`, answered by `data[].embedding` and `index`,
//! bearer key checked) and embeds by a few hand-made concepts. A question
//! whose words the lexicon does not know finds its matter once the vectors
//! are built; a question about nothing stays unanswered; an endpoint that is
//! down leaves search lexical, never failing; bad settings name their fields.

use crate::queue::H;
use axum::{Json, Router, http::HeaderMap, routing::post};
use govhall_testkit::TestServer;
use serde_json::{Value, json};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

/// Words that mean the same thing to the stand-in model.
const CONCEPTS: &[&[&str]] = &[
    &["千金", "添丁", "出生", "新生儿", "婴儿", "宝宝"],
    &["烟草", "卷烟", "香烟"],
    &["餐饮", "饭馆", "食品"],
    &["发票", "纳税", "税务"],
    &["结婚", "婚姻", "离婚"],
];
const HASHED: usize = 256;

fn embed(text: &str) -> Vec<f32> {
    let mut v: Vec<f32> = CONCEPTS
        .iter()
        .map(|words| words.iter().filter(|w| text.contains(*w)).count() as f32)
        .collect();
    let mut hashed = [0f32; HASHED];
    for c in text.chars() {
        hashed[c as usize % HASHED] += 0.02;
    }
    v.extend(hashed);
    v
}

/// Starts the stand-in endpoint; returns its base URL and the count of calls.
async fn stand_in() -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let app = Router::new().route(
        "/v1/embeddings",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-key") {
                    return (axum::http::StatusCode::UNAUTHORIZED, Json(json!({"error": "bad key"})));
                }
                let data: Vec<Value> = body["input"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .map(|(i, t)| json!({"object": "embedding", "index": i, "embedding": embed(t.as_str().unwrap())}))
                    .rev() // out of order on purpose: the index puts them back
                    .collect();
                (
                    axum::http::StatusCode::OK,
                    Json(json!({"object": "list", "model": body["model"], "data": data, "usage": {"prompt_tokens": 1, "total_tokens": 1}})),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), calls)
}

async fn public_search(s: &TestServer, q: &str) -> Vec<Value> {
    let r = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/public/halls/CA-ZWFW/catalog/search",
            s.base
        ))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Vec<Value>>().await.unwrap()
}

const NEWBORN: &str = "家里刚添了个小千金，要跑哪些手续";

#[tokio::test]
async fn a_hall_endpoint_finds_what_the_words_miss_and_search_survives_it_going_down() {
    let s = TestServer::with_demo().await;
    let (base, calls) = stand_in().await;
    let url = format!("{H}/catalog/embeddings");
    let manager = s.login("manager").await;

    let lexical = public_search(&s, NEWBORN).await;
    assert!(
        !lexical
            .iter()
            .any(|h| h["title"].as_str().unwrap().contains("出生")),
        "the words alone should not find it: {lexical:?}"
    );
    let before: Value = manager.json(&url).await;
    assert_eq!(before["enabled"], false);

    // Bad settings name every field and change nothing.
    let r = manager
        .put(&url, &json!({"enabled": true, "base_url": "ftp://model", "model": "", "floor": 0.9, "sure": 0.5}))
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    for field in ["base_url", "model", "sure"] {
        assert!(
            text.contains(&format!("\"{field}\"")),
            "{field} not named: {text}"
        );
    }
    assert_eq!(manager.json(&url).await, before);
    let clerk = s.login("clerk01").await;
    assert_eq!(
        clerk
            .put(
                &url,
                &json!({"enabled": true, "base_url": base, "model": "m"})
            )
            .await
            .status(),
        403
    );

    let saved: Value = manager
        .put(&url, &json!({"enabled": true, "base_url": base, "model": "stand-in-zh", "api_key": "test-key", "floor": 0.5, "sure": 0.8}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["api_key_set"], true);
    assert!(
        !saved.to_string().contains("test-key"),
        "the key is never read back"
    );
    let stored = govhall_testkit::query(
        &s.state.db,
        "SELECT api_key_enc FROM catalog_embedding_settings",
    )
    .await;
    assert!(
        !stored[0]["api_key_enc"]
            .as_str()
            .unwrap()
            .contains("test-key"),
        "stored encrypted"
    );

    let r = manager.post(&format!("{url}/rebuild"), &json!({})).await;
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{report}");
    assert!(report["vectors"].as_u64().unwrap() > 40, "{report}");
    assert_eq!(report["dims"], CONCEPTS.len() + HASHED);
    assert_eq!(manager.json(&url).await["vectors"], report["vectors"]);

    // The question the words missed now finds a matter of a birth, marked as such.
    let hits = public_search(&s, NEWBORN).await;
    let birth = hits
        .iter()
        .find(|h| h["title"].as_str().unwrap().contains("出生"))
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert!(birth["confidence"].as_f64().unwrap() >= 0.5);
    assert!(birth["matched"].to_string().contains("语义相近"), "{birth}");
    // A question about nothing the hall does stays unanswered.
    assert_eq!(
        public_search(&s, "周末去哪里钓鱼比较好").await,
        Vec::<Value>::new()
    );
    // What the words found still comes first.
    let food = public_search(&s, "食品经营许可").await;
    assert_eq!(food[0]["title"], "食品经营许可", "{food:?}");
    let asked = calls.load(Ordering::SeqCst);
    assert!(asked >= 4, "{asked}");

    // The endpoint goes away: searches answer lexically, never fail.
    manager
        .put(&url, &json!({"enabled": true, "base_url": "http://127.0.0.1:9/v1", "model": "stand-in-zh", "floor": 0.5, "sure": 0.8}))
        .await;
    let food = public_search(&s, "食品经营许可").await;
    assert_eq!(food[0]["title"], "食品经营许可");
    let r = manager.post(&format!("{url}/rebuild"), &json!({})).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("原有向量保留"));
}
