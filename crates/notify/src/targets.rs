//! Where webhooks may be sent: public addresses only, unless the operator
//! lists a private network (`webhook_private_targets`). A webhook's URL is
//! checked when it is saved, and every delivery resolves its host again
//! through a resolver that drops forbidden addresses (a name that later
//! resolves to 127.0.0.1 or 169.254.169.254 gets nothing); redirects are not
//! followed, so a public target cannot bounce a delivery inward.

use govhall_platform::config::Config;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Which addresses a webhook may reach.
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    allowed: Vec<ipnet::IpNet>,
}

impl TargetPolicy {
    pub fn from_config(config: &Config) -> Self {
        TargetPolicy {
            allowed: config.webhook_private_networks(),
        }
    }

    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        is_public(ip) || self.allowed.iter().any(|n| n.contains(&ip))
    }

    /// Checks a webhook URL's host: an address must be permitted; a name
    /// must resolve, and only to permitted addresses. The error is the
    /// Chinese reason.
    pub async fn check_url(&self, url: &reqwest::Url) -> Result<(), String> {
        let refused = |ip: IpAddr| {
            format!(
                "推送地址 {ip} 是本机、内网或保留地址，不能接收推送（确需推送到政务内网的，请由运维人员在 webhook_private_targets 中登记该网段）"
            )
        };
        let Some(host) = url.host_str() else {
            return Err("推送地址缺少主机名".into());
        };
        if let Ok(ip) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return if self.permits(ip) {
                Ok(())
            } else {
                Err(refused(ip))
            };
        }
        let port = url.port_or_known_default().unwrap_or(443);
        let unresolved = || format!("推送地址的域名 {host} 无法解析");
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|_| unresolved())?
            .collect();
        match addrs.iter().find(|a| !self.permits(a.ip())) {
            Some(a) => Err(refused(a.ip())),
            None if addrs.is_empty() => Err(unresolved()),
            None => Ok(()),
        }
    }

    /// The HTTP client deliveries go through: its resolver applies the
    /// policy, it follows no redirect.
    pub fn client(self) -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver(Arc::new(self))))
            .build()
            .expect("HTTP client")
    }
}

/// Resolves with the system resolver and keeps the permitted addresses only.
struct GuardedResolver(Arc<TargetPolicy>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let permitted: Vec<SocketAddr> = found.filter(|a| policy.permits(a.ip())).collect();
            if permitted.is_empty() {
                return Err(format!("{} 只解析到本机或内网地址，已拒绝推送", name.as_str()).into());
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// A globally routable unicast address: not loopback, private, shared
/// (CGNAT), link-local, unspecified, documentation, benchmarking, multicast
/// or broadcast.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_pass_unless_listed() {
        let policy = TargetPolicy::default();
        for inner in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!policy.permits(ip(inner)), "{inner}");
        }
        for public in ["8.8.8.8", "114.114.114.114", "2400:3200::1"] {
            assert!(policy.permits(ip(public)), "{public}");
        }
        let listed = TargetPolicy {
            allowed: vec!["10.20.0.0/16".parse().unwrap()],
        };
        assert!(listed.permits(ip("10.20.3.4")));
        assert!(!listed.permits(ip("10.21.3.4")));
    }

    #[tokio::test]
    async fn urls_naming_inner_hosts_are_refused() {
        let policy = TargetPolicy::default();
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/hook",
        ] {
            let err = policy
                .check_url(&reqwest::Url::parse(url).unwrap())
                .await
                .unwrap_err();
            assert!(
                err.contains("内网") || err.contains("无法解析"),
                "{url}: {err}"
            );
        }
    }
}
