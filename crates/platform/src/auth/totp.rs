//! Time-based one-time passwords (RFC 6238): the second factor of the
//! administrators, enrolled by scanning a QR code with an authenticator app.

use qrcode::{QrCode, render::svg};
use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "govhall";

/// A new random 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    Secret::generate_secret()
        .to_bytes()
        .expect("a generated secret is valid")
}

fn totp(secret: Vec<u8>, account: &str) -> Option<TOTP> {
    // 6 digits, 30-second steps, one step of clock skew either way.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some(ISSUER.to_string()),
        account.replace(':', "_"),
    )
    .ok()
}

/// The time step (30-second period since 1970) in which `code` is valid for
/// the secret, allowing one step of clock skew either way. The caller
/// accepts a step only once per account, so a code cannot be replayed.
pub fn matching_step(secret: Vec<u8>, account: &str, code: &str) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, account)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let step = now / t.step;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| t.generate(s * t.step).as_bytes() == code.as_bytes())
        .and_then(|s| i64::try_from(s).ok())
}

/// Whether `code` is valid now for the secret.
pub fn check(secret: Vec<u8>, account: &str, code: &str) -> bool {
    matching_step(secret, account, code).is_some()
}

/// What an authenticator app needs: the `otpauth://` URL, the secret in Base32 and a QR code (SVG).
pub struct Enrolment {
    pub url: String,
    pub secret_base32: String,
    pub qr_svg: String,
}

pub fn enrolment(secret: Vec<u8>, account: &str) -> Option<Enrolment> {
    let t = totp(secret, account)?;
    let url = t.get_url();
    let qr_svg = QrCode::new(url.as_bytes())
        .ok()?
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Some(Enrolment {
        url,
        secret_base32: t.get_secret_base32(),
        qr_svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_and_urls_name_the_account() {
        let secret = new_secret();
        let t = totp(secret.clone(), "admin").unwrap();
        let code = t.generate_current().unwrap();
        assert!(check(secret.clone(), "admin", &code));
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(!check(secret.clone(), "admin", &wrong));
        assert!(!check(secret.clone(), "admin", "12ab56"));
        let e = enrolment(secret, "admin").unwrap();
        assert!(e.url.starts_with("otpauth://totp/govhall:admin?"));
        assert!(e.qr_svg.contains("<svg"));
    }
}
