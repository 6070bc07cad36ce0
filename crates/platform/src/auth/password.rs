//! Password hashing (argon2id) and the password policy.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use rand::{Rng, seq::SliceRandom};

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified when the account does not exist so
/// that "no such user" and "wrong password" take the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("govhall-no-such-user"))
}

/// The common assessor rule (GB/T 22239 §8.1.4): at least 8 characters, at
/// least 3 of 4 character classes, not the account name.
pub fn policy_problem(password: &str, username: &str) -> Option<String> {
    if password.chars().count() < 8 {
        return Some("密码至少需要 8 个字符".into());
    }
    if password.chars().count() > 128 {
        return Some("密码不能超过 128 个字符".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Some("密码需包含大写字母、小写字母、数字、符号中的至少 3 类".into());
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Some("密码不能包含账号名".into());
    }
    // The character classes let `Password1` and `Admin@123` through; zxcvbn
    // knows the common passwords, words, dates and keyboard runs crackers try
    // first. Score 3 means at least 10^8 guesses of such patterns.
    let estimate = zxcvbn::zxcvbn(password, &[username, "govhall", "zwfw"]);
    if u8::from(estimate.score()) < 3 {
        return Some(
            "密码太常见或太容易猜到（如 Password1、Admin@123、常见单词加年份、键盘连续按键），请换一个不常见的组合".into(),
        );
    }
    None
}

/// A random one-time password that satisfies the policy.
pub fn generate_one_time() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"@#%+=";
    let mut rng = rand::thread_rng();
    let mut pick = |set: &[u8]| set[rng.gen_range(0..set.len())] as char;
    let mut chars: Vec<char> = vec![pick(LOWER), pick(UPPER), pick(DIGIT), pick(SYMBOL)];
    let all: Vec<u8> = [LOWER, UPPER, DIGIT].concat();
    for _ in 0..10 {
        chars.push(pick(&all));
    }
    chars.shuffle(&mut rand::thread_rng());
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(policy_problem("short1A", "x").is_some());
        assert!(policy_problem("alllowercase", "x").is_some());
        assert!(policy_problem("Lower1case", "x").is_none());
        assert!(policy_problem("Admin2026!", "admin").is_some());
        for common in [
            "Password1",
            "P@ssw0rd",
            "Admin@123",
            "Qwerty123!",
            "Aa123456!",
            "Zwfw@2026",
        ] {
            let problem = policy_problem(common, "clerk").expect(common);
            assert!(problem.contains("太常见"), "{common}: {problem}");
        }
        for fine in [
            "Demo@2026cah",
            "Leader#2026a",
            "Yanta#2026a",
            "Racer#2026x3",
            "Changan@2026mx",
        ] {
            assert_eq!(policy_problem(fine, "clerk"), None, "{fine}");
        }
        for _ in 0..20 {
            assert_eq!(policy_problem(&generate_one_time(), "admin"), None);
        }
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("Secret#2026");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Secret#2026", &h));
        assert!(!verify("secret#2026", &h));
    }
}
