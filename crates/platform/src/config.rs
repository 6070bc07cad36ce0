//! Configuration, layered: CLI > env `GOVHALL_*` > `govhall.toml` > defaults.
//! The default run needs no configuration at all.

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; empty means the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Where the SQLite file, backups and the PII key file live.
    pub data_dir: PathBuf,
    /// Connection pool size (PostgreSQL; SQLite uses a small fixed pool).
    pub db_pool_size: u32,
    /// Structured JSON logs instead of human-readable lines.
    pub log_json: bool,
    /// 64 hex characters; when absent the key is read from (or created in) `data_dir/pii.key`.
    pub pii_key: Option<String>,
    /// The audit chain's HMAC key, 64 hex characters; when absent it is read
    /// from (or created in) `data_dir/audit.key`. Keep it apart from the database.
    pub audit_key: Option<String>,
    /// Sign-out after this many idle minutes.
    pub session_idle_minutes: i64,
    /// Absolute lifetime of a session in hours.
    pub session_max_hours: i64,
    /// Failed sign-ins on one account before it is locked.
    pub lockout_account_failures: i32,
    /// Failed sign-ins from one address before it is locked (higher: a hall's clerks share one address).
    pub lockout_address_failures: i32,
    /// How long a lock lasts.
    pub lockout_minutes: i64,
    /// Passwords expire after this many days and must be changed.
    pub password_max_age_days: i64,
    /// 系统/安全/审计管理员 must sign in with a second factor (TOTP).
    pub require_admin_totp: bool,
    /// Audit entries are kept at least this many days (网络安全法 art. 21: no fewer than 180).
    pub audit_retention_days: i64,
    /// PEM certificate chain: with `tls_key`, the server speaks HTTPS itself
    /// (for deployments without a reverse proxy).
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Mark cookies `Secure` (sent over HTTPS only). Unset: when the server
    /// speaks TLS itself. Set `true` behind a proxy that terminates TLS (the
    /// documented nginx deployment).
    pub secure_cookies: Option<bool>,
    /// SMS gateway: `outbox` (record in the admin's outbox only), `aliyun`, or
    /// `demo` (record only, and hand a verification code back to the page
    /// that asked for it: for demonstrations and tests, never for a real hall).
    pub sms_provider: String,
    pub aliyun_sms_access_key_id: Option<String>,
    pub aliyun_sms_access_key_secret: Option<String>,
    /// The approved 短信签名, e.g. `长安区政务服务中心`.
    pub aliyun_sms_sign_name: Option<String>,
    pub aliyun_sms_endpoint: String,
    /// Message kind → approved template code, e.g. `ticket.called = "SMS_123456"`.
    pub aliyun_sms_templates: std::collections::BTreeMap<String, String>,
    /// The hall's WeChat 公众号 (服务号): with its AppID and AppSecret a citizen
    /// following a ticket inside WeChat can have its reminders sent there too
    /// (template messages); unset: no WeChat reminders are offered.
    pub wechat_app_id: Option<String>,
    pub wechat_app_secret: Option<String>,
    /// WeChat's API host (a proxy on the 政务外网 may stand in for it).
    pub wechat_api_base: String,
    /// WeChat's web-authorization host (the phone is sent there to be identified).
    pub wechat_oauth_base: String,
    /// Message kind → template id from the 公众号's 模板消息 library, e.g.
    /// `ticket.called = "ngqIpbwh8bUf…"`; the template's fields are the message's
    /// variables (`number`, `window`, `line`, `ahead`, …) plus `first` (the full text).
    pub wechat_templates: std::collections::BTreeMap<String, String>,
    /// Reverse proxies (e.g. nginx) whose `X-Forwarded-For` names the client;
    /// empty: the peer address is the client's.
    pub trusted_proxies: Vec<String>,
    /// Addresses allowed to read `/metrics` (the monitoring server's);
    /// default: this machine only.
    pub metrics_from: Vec<String>,
    /// Tickets one kiosk (device token) may issue per minute, in bursts of as
    /// many; past that it is told to wait. 0: no limit (benchmarks).
    pub kiosk_tickets_per_minute: u32,
    /// Private, loopback or link-local networks webhooks may still be sent to
    /// (addresses or CIDR blocks, e.g. `10.20.0.0/16` for the 政务外网 platform);
    /// default: none — webhooks go to public addresses only.
    pub webhook_private_targets: Vec<String>,
    /// The address citizens open the hall's pages at (e.g. `https://zwfw.example.gov.cn`),
    /// used in the QR codes of printed notices; unset: the address the request came to.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("data"),
            db_pool_size: 10,
            log_json: false,
            pii_key: None,
            audit_key: None,
            session_idle_minutes: 30,
            session_max_hours: 12,
            lockout_account_failures: 5,
            lockout_address_failures: 20,
            lockout_minutes: 15,
            password_max_age_days: 90,
            require_admin_totp: true,
            audit_retention_days: 180,
            tls_cert: None,
            tls_key: None,
            secure_cookies: None,
            sms_provider: "outbox".into(),
            aliyun_sms_access_key_id: None,
            aliyun_sms_access_key_secret: None,
            aliyun_sms_sign_name: None,
            aliyun_sms_endpoint: "https://dysmsapi.aliyuncs.com/".into(),
            aliyun_sms_templates: Default::default(),
            wechat_app_id: None,
            wechat_app_secret: None,
            wechat_api_base: "https://api.weixin.qq.com".into(),
            wechat_oauth_base: "https://open.weixin.qq.com".into(),
            wechat_templates: Default::default(),
            trusted_proxies: Vec::new(),
            metrics_from: vec!["127.0.0.1".into(), "::1".into()],
            kiosk_tickets_per_minute: 60,
            webhook_private_targets: Vec::new(),
            public_url: None,
        }
    }
}

impl Config {
    /// Loads the layers. `file` defaults to `./govhall.toml` when it exists;
    /// `cli` holds only the options given on the command line.
    pub fn load(file: Option<&Path>, cli: &serde_json::Value) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("govhall.toml")),
        }
        figment
            .merge(Env::prefixed("GOVHALL_").ignore(&["test_database_url", "skip_web"]))
            .merge(Serialized::defaults(cli))
            .extract::<Config>()
            .map_err(Box::new)
    }

    /// Whether `ip` may read `/metrics`.
    pub fn may_read_metrics(&self, ip: std::net::IpAddr) -> bool {
        self.metrics_from
            .iter()
            .filter_map(|a| a.parse::<std::net::IpAddr>().ok())
            .any(|a| a == ip || a.to_canonical() == ip.to_canonical())
    }

    /// The configured proxies' addresses (`problems` refuses any that do not parse).
    pub fn trusted_proxy_ips(&self) -> Vec<std::net::IpAddr> {
        self.trusted_proxies
            .iter()
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    /// The networks of `webhook_private_targets` (`problems` refuses any that do not parse).
    pub fn webhook_private_networks(&self) -> Vec<ipnet::IpNet> {
        self.webhook_private_targets
            .iter()
            .filter_map(|t| parse_network(t))
            .collect()
    }

    /// Rules a loaded configuration must satisfy; each problem is one Chinese line.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.audit_retention_days < 180 {
            out.push(format!(
                "audit_retention_days 不能少于 180 天（网络安全法第二十一条），当前为 {}",
                self.audit_retention_days
            ));
        }
        for p in &self.trusted_proxies {
            if p.parse::<std::net::IpAddr>().is_err() {
                out.push(format!(
                    "trusted_proxies 中的“{p}”不是 IP 地址（每项填写一个代理的地址，如 127.0.0.1）"
                ));
            }
        }
        for p in &self.metrics_from {
            if p.parse::<std::net::IpAddr>().is_err() {
                out.push(format!(
                    "metrics_from 中的“{p}”不是 IP 地址（每项填写一台监控服务器的地址，如 10.0.0.5）"
                ));
            }
        }
        for t in &self.webhook_private_targets {
            if parse_network(t).is_none() {
                out.push(format!(
                    "webhook_private_targets 中的“{t}”不是 IP 地址或网段（如 10.20.0.0/16）"
                ));
            }
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            out.push("tls_cert 与 tls_key 必须同时配置".to_string());
        }
        if self.lockout_account_failures < 1
            || self.lockout_address_failures < 1
            || self.lockout_minutes < 1
        {
            out.push("登录锁定的次数与分钟数必须为正数".to_string());
        }
        match self.sms_provider.as_str() {
            "outbox" | "demo" => {}
            "aliyun" => {
                let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
                if !set(&self.aliyun_sms_access_key_id)
                    || !set(&self.aliyun_sms_access_key_secret)
                    || !set(&self.aliyun_sms_sign_name)
                {
                    out.push(
                        "sms_provider = aliyun 需要 aliyun_sms_access_key_id、aliyun_sms_access_key_secret 与 aliyun_sms_sign_name"
                            .to_string(),
                    );
                }
            }
            other => out.push(format!(
                "sms_provider 只能是 outbox、aliyun 或 demo，当前为 {other}"
            )),
        }
        if self.wechat_app_id.is_some() != self.wechat_app_secret.is_some() {
            out.push("微信公众号需要同时配置 wechat_app_id 与 wechat_app_secret".to_string());
        }
        out
    }

    /// Whether the hall's WeChat 公众号 is configured.
    pub fn wechat_enabled(&self) -> bool {
        let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        set(&self.wechat_app_id) && set(&self.wechat_app_secret)
    }

    /// Certificate and key, when HTTPS is configured.
    pub fn tls(&self) -> Option<(PathBuf, PathBuf)> {
        self.tls_cert.clone().zip(self.tls_key.clone())
    }

    /// Whether cookies carry `Secure`.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies.unwrap_or(self.tls().is_some())
    }

    /// The database URL in use.
    pub fn database_url(&self) -> String {
        match self.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => url.to_string(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("govhall.db").display()
            ),
        }
    }

    /// The configuration as JSON with every secret replaced, for printing and logging.
    pub fn redacted(&self) -> serde_json::Value {
        let mut shown = self.clone();
        shown.database_url = Some(redact_url(&self.database_url()));
        shown.pii_key = self.pii_key.as_ref().map(|_| "******".to_string());
        shown.audit_key = self.audit_key.as_ref().map(|_| "******".to_string());
        serde_json::to_value(shown).unwrap_or_default()
    }
}

/// `10.20.0.0/16`, or one address as a network of itself.
fn parse_network(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>().ok().or_else(|| {
        text.parse::<std::net::IpAddr>()
            .ok()
            .map(ipnet::IpNet::from)
    })
}

/// `postgres://user:secret@host/db` → `postgres://user:******@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:******@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://gov:s3cret@db:5432/hall"),
            "postgres://gov:******@db:5432/hall"
        );
        assert_eq!(
            redact_url("postgres://gov@db/hall"),
            "postgres://gov@db/hall"
        );
        let cfg = Config {
            pii_key: Some("00".repeat(32)),
            ..Config::default()
        };
        let shown = cfg.redacted().to_string();
        assert!(!shown.contains(&"00".repeat(32)));
    }

    #[test]
    fn cli_beats_defaults() {
        let cfg = Config::load(
            Some(Path::new("/nonexistent/none.toml")),
            &serde_json::json!({"listen": "0.0.0.0:9000"}),
        );
        // An explicitly named file that is missing is an error, not silently ignored.
        assert!(cfg.is_err());
        let cfg = Config::load(None, &serde_json::json!({"listen": "0.0.0.0:9000"})).unwrap();
        assert_eq!(cfg.listen, "0.0.0.0:9000");
        assert_eq!(cfg.session_idle_minutes, 30);
    }
}
