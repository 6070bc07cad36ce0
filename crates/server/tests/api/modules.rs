//! The module list: `govhall migrate` builds the schema `serve` builds, every
//! encrypted column is re-encrypted by some module at key rotation, and every
//! permission belongs to exactly one module.

use govhall_platform::{auth::permissions, db};
use govhall_server::MODULES;
use govhall_testkit::{ScratchDb, TestServer};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::BTreeSet;

/// The database's tables (SQLite's own excluded).
async fn tables(db: &DatabaseConnection) -> BTreeSet<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect()
}

/// Every column of the database whose name says it holds ciphertext: (table, column).
async fn encrypted_columns(db: &DatabaseConnection) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for table in tables(db).await {
        let sql = match db.get_database_backend() {
            DbBackend::Postgres => format!(
                "SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}'"
            ),
            _ => format!("SELECT name FROM pragma_table_info('{table}')"),
        };
        for r in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
        {
            let column: String = r.try_get("", "name").unwrap();
            if column.ends_with("_enc") {
                out.insert((table.clone(), column));
            }
        }
    }
    out
}

#[tokio::test]
async fn migrate_builds_the_tables_serve_builds() {
    let served = TestServer::start().await;
    let expected = tables(&served.state.db).await;
    let scratch = ScratchDb::new().await;
    let conn = db::connect(&scratch.url, 2).await.unwrap();
    govhall_server::migrate(&conn).await.unwrap();
    let migrated = tables(&conn).await;
    conn.close().await.unwrap();
    scratch.drop_database().await;
    served.stop().await;
    assert_eq!(
        migrated.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "tables that only one of `migrate` and `serve` creates"
    );
    for table in [
        "halls",
        "queue_tickets",
        "cases",
        "catalog_items",
        "notifications",
    ] {
        assert!(migrated.contains(table), "migrate did not create {table}");
    }
}

#[tokio::test]
async fn every_encrypted_column_is_rotated_by_its_module() {
    let s = TestServer::start().await;
    let found = encrypted_columns(&s.state.db).await;
    s.stop().await;
    let declared: BTreeSet<(String, String)> = MODULES
        .iter()
        .flat_map(|m| m.personal_data)
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.table.to_string(), c.to_string()))
        })
        .collect();
    let missing: Vec<_> = found.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "encrypted columns no module rotates: {missing:?}"
    );
    let stale: Vec<_> = declared.difference(&found).collect();
    assert!(stale.is_empty(), "declared but absent: {stale:?}");
}

#[test]
fn every_permission_belongs_to_one_module_and_is_named_for_it() {
    let mut seen = BTreeSet::new();
    for m in MODULES {
        for d in m.permissions {
            assert!(
                seen.insert(d.permission.code()),
                "{} is defined twice",
                d.permission.code()
            );
            assert!(!d.label.is_empty(), "{} has no label", d.permission.code());
        }
    }
    // The platform defines only its own.
    let platform: BTreeSet<&str> = govhall_platform::MODULE
        .permissions
        .iter()
        .map(|d| d.permission.code())
        .collect();
    assert_eq!(
        platform,
        BTreeSet::from([
            "events.read",
            "devices.manage",
            "accounts.manage",
            "audit.read"
        ])
    );
    assert!(
        permissions::RESERVED
            .iter()
            .all(|p| platform.contains(p.code()))
    );
}

/// Closed doors: no crate exports its entities. The compiler does the rest —
/// the workspace denies `unnameable_types`, so a public function that hands
/// out a private entity's row fails the build; this test keeps the entity
/// modules private, which that lint relies on.
#[test]
fn entities_stay_private_to_their_module() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut exported = vec![];
    let mut stack = vec![crates];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() && name != "target" && name != "tests" {
                stack.push(path);
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().map(str::trim) {
                    let exports = (line.starts_with("pub mod entity")
                        || line.starts_with("pub use") && line.contains("entity"))
                        && !line.starts_with("pub(");
                    if exports {
                        exported.push(format!("{}: {line}", path.display()));
                    }
                }
            }
        }
    }
    assert!(exported.is_empty(), "entities exported: {exported:#?}");
    let lints = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml"),
    )
    .unwrap();
    assert!(lints.contains("unnameable_types = \"deny\""));
}

/// The audit log reads every write and every audited read in Chinese: each
/// module names the words of its routes, and no two modules give one segment
/// different words.
#[test]
fn every_recorded_route_reads_in_chinese() {
    use govhall_platform::vocabulary::{self, describe_route};
    let mut seen = std::collections::HashMap::new();
    for m in MODULES {
        for (segment, word) in m.words {
            if let Some((other, earlier)) = seen.insert(*segment, (m.name, *word)) {
                assert_eq!(
                    earlier, *word,
                    "“{segment}” means different things in {other} and {}",
                    m.name
                );
            }
        }
    }
    vocabulary::install(MODULES.iter().map(|m| m.words));
    vocabulary::install_notices(MODULES.iter().map(|m| m.notices));
    let mut missing = vec![];
    let table = govhall_server::app::access_table();
    for (method, path, _) in table.routes() {
        if !path.starts_with("/api/v1/") {
            continue; // health, metrics and the documentation pages
        }
        let recorded = method != "GET" || table.is_audited_read(method, path);
        if !recorded {
            continue;
        }
        match describe_route(method, path) {
            Some(text) if !text.chars().any(|c| c.is_ascii_alphanumeric()) => {}
            other => missing.push(format!("{method} {path} → {other:?}")),
        }
    }
    assert!(
        missing.is_empty(),
        "routes without words:\n{}",
        missing.join("\n")
    );
}

/// The event catalogue in `docs/` is what the modules declare: regenerate it
/// with `GOVHALL_WRITE_DOCS=1` after changing an event. Every declared event
/// is named once, reads in Chinese, and its payload is in the OpenAPI document.
#[test]
fn event_catalogue_is_published_and_fresh() {
    use govhall_server::event_catalogue;
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let md = event_catalogue::markdown();
    let json = serde_json::to_string_pretty(&event_catalogue::json()).unwrap() + "\n";
    if std::env::var("GOVHALL_WRITE_DOCS").is_ok() {
        std::fs::write(docs.join("events.md"), &md).unwrap();
        std::fs::write(docs.join("events.json"), &json).unwrap();
    }
    let stale =
        "stale: run GOVHALL_WRITE_DOCS=1 cargo test -p govhall-server --test api event_catalogue";
    assert_eq!(
        std::fs::read_to_string(docs.join("events.md")).unwrap_or_default(),
        md,
        "docs/events.md {stale}"
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("events.json")).unwrap_or_default(),
        json,
        "docs/events.json {stale}"
    );

    govhall_platform::vocabulary::install(MODULES.iter().map(|m| m.words));
    govhall_platform::vocabulary::install_notices(MODULES.iter().map(|m| m.notices));
    let (_, openapi) = govhall_server::app::api();
    let components = openapi.components.unwrap().schemas;
    let mut names = BTreeSet::new();
    for e in MODULES.iter().flat_map(|m| m.events.iter()) {
        assert!(names.insert(e.name), "{} declared twice", e.name);
        assert!(
            govhall_platform::vocabulary::describe_event(e.name).is_some(),
            "{} has no Chinese words",
            e.name
        );
        assert!(
            components.contains_key((e.payload)().as_ref()),
            "{} payload not in OpenAPI",
            e.name
        );
    }
    assert!(names.contains("queue.ticket.called") && names.contains("directory.window.signed_in"));
}

/// The OpenAPI document the web terminals generate their TypeScript types
/// from (`web/openapi.json`, then `npm run api-types`): fresh, or regenerate
/// with `GOVHALL_WRITE_DOCS=1`.
#[test]
fn the_web_types_come_from_the_current_openapi_document() {
    let (_, openapi) = govhall_server::app::api();
    let doc = serde_json::to_string_pretty(&openapi).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json");
    if std::env::var("GOVHALL_WRITE_DOCS").is_ok() {
        std::fs::write(&path, &doc).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == doc,
        "web/openapi.json is stale: run GOVHALL_WRITE_DOCS=1 cargo test -p govhall-server --test api the_web_types, then npm run api-types in web/"
    );
}
