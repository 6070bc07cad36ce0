//! The address a request came from, for the audit log, sign-in lockout and
//! the SMS code limits. Behind nginx the peer is the proxy, so with
//! `trusted_proxies` configured the client's address is read from
//! `X-Forwarded-For` — the rightmost entry that is not itself a trusted
//! proxy, because a client can write any entries to the left itself.

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

/// The request's client address (an extension set by `layer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client's address given the peer and the proxies trusted to name it.
pub fn resolve(trusted: &[IpAddr], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// Middleware: records `ClientIp` on every request that came over a socket.
pub async fn layer(
    State(trusted): State<Arc<Vec<IpAddr>>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = resolve(&trusted, peer.ip(), req.headers());
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let proxy = [ip("127.0.0.1")];
        let h = headers(&["203.0.113.9"]);
        assert_eq!(resolve(&proxy, ip("127.0.0.1"), &h), ip("203.0.113.9"));
        // A client talking to the server directly cannot pick its address.
        assert_eq!(resolve(&proxy, ip("198.51.100.7"), &h), ip("198.51.100.7"));
        // Nothing trusted: the peer, always.
        assert_eq!(resolve(&[], ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn the_rightmost_untrusted_entry_is_the_client() {
        let proxies = [ip("127.0.0.1"), ip("10.0.0.2")];
        // The client wrote "1.1.1.1" itself; nginx appended the real address.
        let h = headers(&["1.1.1.1, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(resolve(&proxies, ip("127.0.0.1"), &h), ip("203.0.113.9"));
        assert_eq!(
            resolve(&proxies, ip("127.0.0.1"), &headers(&["junk"])),
            ip("127.0.0.1")
        );
    }
}
