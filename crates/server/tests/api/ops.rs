use govhall_testkit::TestServer;

#[tokio::test]
async fn health_ready_metrics_and_openapi() {
    let s = TestServer::start().await;
    let api = s.client();
    assert_eq!(api.json("/healthz").await["status"], "ok");
    assert_eq!(api.json("/readyz").await["status"], "ready");
    let metrics = api.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("govhall_http_requests_total"), "{metrics}");

    let doc = api.json("/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/auth/login",
        "/api/v1/halls",
        "/api/v1/halls/{hall}/windows",
        "/api/v1/halls/{hall}/staff/{id}",
        "/api/v1/halls/{hall}/events",
        "/api/v1/calendar/compute",
        "/healthz",
        "/metrics",
    ] {
        assert!(paths.contains_key(p), "OpenAPI misses {p}");
    }
    // Every documented operation has a summary a reader can use.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op.get("summary").or(op.get("description")).is_some(),
                "{method} {path} is undocumented"
            );
        }
    }
    let docs = api.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(
        !html.contains("cdn") && !html.contains("unpkg"),
        "API docs must be self-hosted"
    );

    let missing = api.get("/api/v1/nope").await;
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    s.stop().await;
}

#[tokio::test]
async fn request_ids_are_returned() {
    let s = TestServer::start().await;
    let resp = s.client().get("/healthz").await;
    assert!(resp.headers().get("x-request-id").is_some());
    s.stop().await;
}

#[test]
fn every_endpoint_declares_who_may_call_it() {
    let table = govhall_server::app::access_table();
    let (_, doc) = govhall_server::app::api();
    let mut public = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let item = serde_json::to_value(item).unwrap();
        for method in item
            .as_object()
            .unwrap()
            .keys()
            .filter(|m| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
        {
            let access = table.get(method, path).unwrap_or_else(|| {
                panic!(
                    "{} {path} has no declared access rule",
                    method.to_uppercase()
                )
            });
            if access == govhall_platform::access::Access::Public {
                public.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    public.sort();
    // The explicit public list: anything else needs a session.
    assert_eq!(
        public,
        vec![
            "GET /api/v1/appointments/{id}",
            "GET /api/v1/halls/{hall}/queue",
            "GET /api/v1/halls/{hall}/queue/lines/{line}/slots",
            "GET /api/v1/halls/{hall}/voice/manifest.json",
            "GET /api/v1/halls/{hall}/voice/{file}",
            "GET /api/v1/public/catalog/attachments/{id}",
            "GET /api/v1/public/halls",
            "GET /api/v1/public/halls/{hall}",
            "GET /api/v1/public/halls/{hall}/answers",
            "GET /api/v1/public/halls/{hall}/case-bundles/{number}",
            "GET /api/v1/public/halls/{hall}/cases/{number}",
            "GET /api/v1/public/halls/{hall}/cases/{number}/result-file",
            "GET /api/v1/public/halls/{hall}/catalog/bundles/{id}",
            "GET /api/v1/public/halls/{hall}/catalog/items/{code}",
            "GET /api/v1/public/halls/{hall}/catalog/search",
            "GET /api/v1/public/halls/{hall}/guide-links/{token}",
            "GET /api/v1/public/halls/{hall}/training/courses",
            "GET /api/v1/public/halls/{hall}/training/files/{id}",
            "GET /api/v1/public/halls/{hall}/training/tour",
            "GET /api/v1/public/training/certificates/{number}",
            "GET /api/v1/public/wechat/callback",
            "GET /api/v1/tickets/{id}",
            "GET /api/v1/tickets/{id}/cases",
            "GET /healthz",
            "GET /metrics",
            "GET /readyz",
            "POST /api/v1/appointments/{id}/cancel",
            "POST /api/v1/auth/login",
            "POST /api/v1/halls/{hall}/appointments",
            "POST /api/v1/halls/{hall}/phone-codes",
            "POST /api/v1/halls/{hall}/remote-tickets",
            "POST /api/v1/public/halls/{hall}/cases/{number}/rating",
            "POST /api/v1/public/halls/{hall}/catalog/bundles/{id}/resolve",
            "POST /api/v1/public/halls/{hall}/catalog/items/{code}/resolve",
            "POST /api/v1/tickets/{id}/cancel",
            "POST /api/v1/tickets/{id}/rating",
            "POST /api/v1/tickets/{id}/wechat",
        ]
    );
}

#[tokio::test]
async fn security_headers_and_csrf() {
    let s = TestServer::with_demo().await;
    let anon = s.client();
    let page = anon.get("/admin/").await;
    let h = page.headers();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "SAMEORIGIN");

    let api = s.login("manager").await;
    let body = serde_json::json!({"code": "61", "name": "61号窗口"});
    // A write with the session cookie but without the token (what a forged cross-site form sends) is refused.
    let forged = api
        .http
        .post(api.url("/api/v1/halls/CA-ZWFW/windows"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let err: serde_json::Value = forged.json().await.unwrap();
    assert_eq!(err["code"], "csrf_failed");
    let wrong = api
        .http
        .post(api.url("/api/v1/halls/CA-ZWFW/windows"))
        .header("x-csrf-token", "not-the-token")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        api.post("/api/v1/halls/CA-ZWFW/windows", &body)
            .await
            .status(),
        201
    );
    s.stop().await;
}

#[tokio::test]
async fn the_server_can_terminate_tls_itself() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    // A throwaway CA and a localhost certificate signed by it, as a hall's own PKI would issue.
    let ca = dir.path().join("ca.pem");
    let ca_key = dir.path().join("ca.key");
    let csr = dir.path().join("leaf.csr");
    let ext = dir.path().join("leaf.ext");
    std::fs::write(&ext, "subjectAltName=DNS:localhost\n").unwrap();
    let openssl = |args: &[&str]| {
        let made = std::process::Command::new("openssl")
            .args(args)
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    };
    let [ca, ca_key, csr, ext, cert_s, key_s] =
        [&ca, &ca_key, &csr, &ext, &cert, &key].map(|x| x.to_str().unwrap().to_string());
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=govhall-test-ca",
        "-keyout",
        &ca_key,
        "-out",
        &ca,
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &key_s,
        "-out",
        &csr,
    ]);
    openssl(&[
        "x509",
        "-req",
        "-days",
        "1",
        "-CAcreateserial",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-extfile",
        &ext,
        "-out",
        &cert_s,
    ]);
    let server = crate::spawned::Spawned::serve(
        dir.path(),
        &[],
        &[
            ("GOVHALL_TLS_CERT", cert.to_str().unwrap()),
            ("GOVHALL_TLS_KEY", key.to_str().unwrap()),
        ],
    );
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let root = reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(root)
        .build()
        .unwrap();
    let resp = client
        .get(format!("https://localhost:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    // Plain HTTP on the TLS port does not get through.
    assert!(
        reqwest::get(format!("http://localhost:{port}/healthz"))
            .await
            .map(|r| r.status() != 200)
            .unwrap_or(true)
    );
    server.stop();
}

/// The database, its log and a backup are readable by the server's own user
/// only (0600), whatever the umask.
#[cfg(unix)]
#[tokio::test]
async fn database_files_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let s = TestServer::with_demo().await;
    if sea_orm::ConnectionTrait::get_database_backend(&s.state.db) != sea_orm::DbBackend::Sqlite {
        return s.stop().await;
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let db = s.dir.path().join("govhall.db");
    assert_eq!(mode(&db), 0o600, "{}", db.display());
    let wal = s.dir.path().join("govhall.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    let copy = s.dir.path().join("copy.db");
    govhall_platform::db::backup_sqlite(&s.state.db, &copy)
        .await
        .unwrap();
    assert_eq!(mode(&copy), 0o600);
    assert!(std::fs::metadata(&copy).unwrap().len() > 0);
    s.stop().await;
}

/// `/metrics` answers only the monitoring addresses configured.
#[tokio::test]
async fn metrics_answer_only_the_monitoring_addresses() {
    let settings = govhall_platform::config::Config {
        metrics_from: vec!["10.0.0.5".into()],
        ..Default::default()
    };
    let s = TestServer::start_with(settings).await;
    let refused = s.client().get("/metrics").await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("metrics_from"));
    assert_eq!(s.client().get("/healthz").await.status(), 200);
    s.stop().await;
}

/// The OpenAPI document names schemas by their type's name alone, and keeps
/// one silently when two crates use the same name (the web's types then
/// describe the wrong one). Every documented type's name must be unique.
#[test]
fn documented_types_have_unique_names() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for krate in std::fs::read_dir(&root).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            files(&src, &mut all);
        }
    }
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut documented = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") {
                documented = line.contains("ToSchema");
            } else if documented
                && let Some(rest) = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let here = f.display().to_string();
                if let Some(other) = seen.insert(name.clone(), here.clone()) {
                    clashes.push(format!("{name}: {other} and {here}"));
                }
                documented = false;
            } else if !line.starts_with("#[") && !line.starts_with("///") {
                documented = false;
            }
        }
    }
    assert!(clashes.is_empty(), "schema names used twice: {clashes:#?}");
}
