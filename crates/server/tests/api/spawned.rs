//! The real `govhall` binary as a child process, for what only a process shows:
//! its log output, its TLS listener.

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
    process::{Child, Command, Stdio},
    thread::JoinHandle,
    time::{Duration, Instant},
};

pub struct Spawned {
    pub base: String,
    child: Child,
    stderr: Option<JoinHandle<String>>,
    stdout: Option<JoinHandle<String>>,
}

impl Spawned {
    /// `serve --demo` on a free port with a fresh SQLite database in `dir`.
    pub fn serve(dir: &Path, extra_args: &[&str], env: &[(&str, &str)]) -> Spawned {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_govhall"));
        cmd.args(["--data-dir", dir.to_str().unwrap()])
            .args(extra_args)
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .env_remove("GOVHALL_DATABASE_URL")
            .env_remove("GOVHALL_PII_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn govhall");
        let stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut all = String::new();
            BufReader::new(stderr).read_to_string(&mut all).ok();
            all
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            assert!(Instant::now() < deadline, "server did not start");
            let line = lines.next().expect("server output").unwrap();
            if let Some(url) = line.split("govhall 已启动：").nth(1) {
                break url.trim().to_string();
            }
        };
        let stdout =
            std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"));
        Spawned {
            base,
            child,
            stderr: Some(stderr),
            stdout: Some(stdout),
        }
    }

    /// Stops the server with SIGTERM and returns everything it printed.
    pub fn stop(mut self) -> String {
        Command::new("kill")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        self.child.wait().unwrap();
        let err = self
            .stderr
            .take()
            .map(|h| h.join().unwrap())
            .unwrap_or_default();
        let out = self
            .stdout
            .take()
            .map(|h| h.join().unwrap())
            .unwrap_or_default();
        format!("{err}\n{out}")
    }
}
