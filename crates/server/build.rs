//! Builds the web terminals (npm ci + vite build) so that `cargo run` on a fresh
//! machine serves the whole product. Set GOVHALL_SKIP_WEB=1 to skip (the test
//! script builds the web once itself; Rust-only work needs no Node.js).

use std::{path::Path, process::Command};

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let dist = web.join("dist");
    println!("cargo:rerun-if-env-changed=GOVHALL_SKIP_WEB");
    for watched in [
        "src",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "index.html",
        "admin",
        "counter",
        "kiosk",
        "screen",
        "mobile",
        "dashboard",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(watched).display());
    }
    if std::env::var("GOVHALL_SKIP_WEB").is_ok_and(|v| v == "1") {
        // rust-embed needs the folder to exist even when the UI is not built.
        std::fs::create_dir_all(&dist).expect("create web/dist");
        return;
    }
    if !web.join("node_modules").exists() {
        run(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    run(&web, &["run", "build"]);
}

fn run(dir: &Path, args: &[&str]) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap_or_else(|e| {
            panic!("无法运行 npm（需要 Node.js 20+；或设置 GOVHALL_SKIP_WEB=1 跳过界面构建）: {e}")
        });
    assert!(status.success(), "npm {} 失败", args.join(" "));
}
