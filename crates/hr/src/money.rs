//! Money in fen (integer); the API speaks yuan with at most two decimals.

/// Yuan to fen: finite, not negative, at most 100 million, at most two decimals.
pub fn fen(yuan: f64) -> Option<i64> {
    let cents = yuan * 100.0;
    if !cents.is_finite() || !(0.0..=100_000_000.0).contains(&yuan) {
        return None;
    }
    let rounded = cents.round();
    ((cents - rounded).abs() < 1e-6).then_some(rounded as i64)
}

pub fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// `a × rate%`, rounded half up to the fen (a ≥ 0).
pub fn percent(a: i64, rate: i64) -> i64 {
    (i128::from(a) * i128::from(rate) + 50).div_euclid(100) as i64
}

/// `a × bp / 10000` (a rate in hundredths of a percent), rounded half up to
/// the fen, or to the yuan when the agency rounds so.
pub fn at_rate(a: i64, bp: i32, to_yuan: bool) -> i64 {
    let unit: i128 = if to_yuan { 100 } else { 1 };
    let exact = i128::from(a) * i128::from(bp);
    let step = 10_000 * unit;
    ((exact + step / 2).div_euclid(step) * unit) as i64
}

/// `12,345.60`.
pub fn show(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_to_the_fen_or_the_yuan() {
        // 4,567.89 × 8 % = 365.4312 → 365.43; × 0.5 % = 22.83945 → 22.84.
        assert_eq!(at_rate(456_789, 800, false), 36_543);
        assert_eq!(at_rate(456_789, 50, false), 2_284);
        // To the yuan: 365.43 → 365; 22.84 → 23.
        assert_eq!(at_rate(456_789, 800, true), 36_500);
        assert_eq!(at_rate(456_789, 50, true), 2_300);
        assert_eq!(fen(12.345), None);
        assert_eq!(fen(-1.0), None);
        assert_eq!(fen(12.34), Some(1234));
        assert_eq!(show(123_456_70), "123,456.70");
        assert_eq!(show(-5), "-0.05");
    }
}
