//! Validation of national identifiers and of free text, collecting every
//! problem at once so the user can fix a form in one pass.

use crate::error::{AppError, FieldError};
use chrono::NaiveDate;

/// Collects field errors; `finish` turns them into one `AppError::Validation`.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// A required text: trimmed, not empty, at most `max` characters.
    /// Returns the trimmed value.
    pub fn text(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.fail(field, format!("{label}不能为空"));
        } else {
            self.max_len(field, label, v, max);
        }
        v.to_string()
    }

    /// An optional text: trimmed, at most `max` characters, `None` when empty.
    pub fn optional_text(
        &mut self,
        field: &str,
        label: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.max_len(field, label, v, max);
        Some(v.to_string())
    }

    fn max_len(&mut self, field: &str, label: &str, v: &str, max: usize) {
        let n = v.chars().count();
        if n > max {
            self.fail(
                field,
                format!("{label}不能超过 {max} 个字符（当前 {n} 个）"),
            );
        }
    }

    /// A value that must be one of the allowed codes.
    pub fn one_of(&mut self, field: &str, label: &str, value: &str, allowed: &[(&str, &str)]) {
        if !allowed.iter().any(|(code, _)| *code == value) {
            let names: Vec<String> = allowed
                .iter()
                .map(|(code, name)| format!("{code}（{name}）"))
                .collect();
            self.fail(
                field,
                format!("{label}只能是以下之一：{}", names.join("、")),
            );
        }
    }

    /// The value `parsed` holds, or a problem on `field` with the message
    /// `problem` makes of the parser's reason (`IdCardNo::parse`, `MobilePhone::parse` …).
    pub fn parsed<T>(
        &mut self,
        field: &str,
        parsed: Result<T, String>,
        problem: impl FnOnce(String) -> String,
    ) -> Option<T> {
        parsed
            .map_err(|reason| self.fail(field, problem(reason)))
            .ok()
    }

    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) {
        if !ok {
            self.fail(field, message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.errors))
        }
    }
}

const CREDIT_CODE_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The GB 32100-2015 check character for the first 17 characters of a
/// 统一社会信用代码, or `None` if they contain a character outside the code set.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in chars.iter().zip(CREDIT_CODE_WEIGHTS) {
        sum += CREDIT_CODE_CHARS.find(*c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_CODE_CHARS.chars().nth(check as usize)
}

/// Checks a 统一社会信用代码 (GB 32100-2015); returns a Chinese reason when invalid.
pub fn credit_code_problem(code: &str) -> Option<String> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Some(format!(
            "统一社会信用代码应为 18 位（当前 {} 位）",
            chars.len()
        ));
    }
    if let Some(bad) = chars.iter().find(|c| !CREDIT_CODE_CHARS.contains(**c)) {
        return Some(format!(
            "统一社会信用代码含有不允许的字符“{bad}”（只允许数字和除 I、O、Z、S、V 外的大写字母）"
        ));
    }
    let first17: String = chars[..17].iter().collect();
    match credit_code_check_char(&first17) {
        Some(c) if c == chars[17] => None,
        _ => Some("统一社会信用代码校验位不正确（GB 32100-2015），请核对".to_string()),
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643-1999 check character for the first 17 digits of a 居民身份证号.
pub fn id_card_check_char(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// What was typed or read with full-width digits and X made half-width,
/// surrounding spaces dropped and the check letter upper-cased (an IME in
/// full-width mode types `１１０１…Ｘ`).
pub fn normalize_id_card(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ｘ' | 'ｘ' | 'x' => 'X',
            _ => c,
        })
        .collect()
}

/// The provinces of GB/T 2260 (the first two digits of an ID number), with
/// 台湾 (71), 香港 (81), 澳门 (82) and the 居住证 of 港澳台 residents (83).
pub const PROVINCES: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// Checks a 居民身份证号 (GB 11643-1999): 18 characters, a known province, a
/// real birth date not in the future, the right check character. Returns the
/// birth date when valid. Never panics, whatever the characters.
pub fn parse_id_card(id: &str) -> Result<NaiveDate, String> {
    let id = normalize_id_card(id);
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(format!("身份证号应为 18 位（当前 {} 位）", chars.len()));
    }
    let first17: String = chars[..17].iter().collect();
    let Some(check) = id_card_check_char(&first17) else {
        return Err("身份证号前 17 位必须是数字".to_string());
    };
    // Only ASCII digits from here on: byte slices are character slices.
    let province: u32 = first17[..2].parse().unwrap_or(0);
    if !PROVINCES.contains(&province) {
        return Err(format!(
            "身份证号前两位“{}”不是有效的省级行政区划代码",
            &first17[..2]
        ));
    }
    let birth = NaiveDate::parse_from_str(&first17[6..14], "%Y%m%d")
        .map_err(|_| "身份证号中的出生日期不是真实日期".to_string())?;
    if birth > crate::time::today() {
        return Err("身份证号中的出生日期晚于今天".to_string());
    }
    if chars[17] != check {
        return Err("身份证号校验位不正确（GB 11643-1999），请核对".to_string());
    }
    Ok(birth)
}

/// Mainland mobile numbers: 11 digits starting with 1.
pub fn is_mobile_phone(phone: &str) -> bool {
    phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit())
}

/// 行政区划代码: 6 digits.
pub fn is_region_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A wall-clock time `HH:MM`.
pub fn is_clock_time(t: &str) -> bool {
    chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok() && t.len() == 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn credit_code_examples() {
        // Valid codes found on public business licences.
        assert_eq!(credit_code_problem("91350100M000100Y43"), None);
        assert_eq!(credit_code_problem("911101087447089447"), None);
        assert!(credit_code_problem("91350100M000100Y44").is_some());
        assert!(credit_code_problem("91350100M00010").is_some());
        assert!(credit_code_problem("91350100I000100Y43").is_some());
    }

    #[test]
    fn id_card_examples() {
        assert_eq!(
            parse_id_card("11010519491231002X"),
            Ok(NaiveDate::from_ymd_opt(1949, 12, 31).unwrap())
        );
        assert!(parse_id_card("110105194912310021").is_err());
        // 2月30日 is not a date even with a correct check digit.
        let first17 = "11010519490230002";
        let id = format!("{first17}{}", id_card_check_char(first17).unwrap());
        assert_eq!(
            parse_id_card(&id),
            Err("身份证号中的出生日期不是真实日期".into())
        );
    }

    #[test]
    fn id_cards_typed_in_full_width_are_read_and_odd_ones_refused() {
        let birth = NaiveDate::from_ymd_opt(1949, 12, 31).unwrap();
        assert_eq!(
            parse_id_card("１１０１０５１９４９１２３１００２Ｘ"),
            Ok(birth)
        );
        assert_eq!(parse_id_card(" 11010519491231002x "), Ok(birth));
        // A Chinese character among the first 17: refused, not a panic.
        assert_eq!(
            parse_id_card("1101051949123100中X"),
            Err("身份证号前 17 位必须是数字".into())
        );
        assert!(parse_id_card("中10105194912310021").is_err());
        // Born tomorrow.
        let tomorrow = crate::time::today().succ_opt().unwrap();
        let first17 = format!("110105{}002", tomorrow.format("%Y%m%d"));
        let id = format!("{first17}{}", id_card_check_char(&first17).unwrap());
        assert_eq!(
            parse_id_card(&id),
            Err("身份证号中的出生日期晚于今天".into())
        );
        // No province 99.
        let first17 = "99010519491231002";
        let id = format!("{first17}{}", id_card_check_char(first17).unwrap());
        assert!(parse_id_card(&id).unwrap_err().contains("省级行政区划代码"));
    }

    #[test]
    fn checker_collects_every_error() {
        let mut c = Checker::new();
        c.text("name", "名称", "  ", 10);
        c.text("code", "编码", &"长".repeat(11), 10);
        let err = c.finish().unwrap_err();
        match err {
            AppError::Validation { fields, .. } => {
                assert_eq!(fields.len(), 2);
                assert_eq!(fields[0].message, "名称不能为空");
                assert!(fields[1].message.contains("不能超过 10 个字符"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest! {
        #[test]
        fn no_id_card_input_panics(raw in "\\PC{0,24}", mixed in "[0-9X１２中ｘ。]{18}") {
            let _ = parse_id_card(&raw);
            let _ = parse_id_card(&mixed);
        }

        #[test]
        fn generated_credit_codes_validate(body in "[0-9A-HJ-NP-RTUWXY]{17}") {
            let code = format!("{body}{}", credit_code_check_char(&body).unwrap());
            prop_assert_eq!(credit_code_problem(&code), None);
        }

        #[test]
        fn a_changed_character_breaks_the_credit_code(body in "[0-9A-HJ-NP-RTUWXY]{17}", pos in 0usize..17) {
            let check = credit_code_check_char(&body).unwrap();
            let mut chars: Vec<char> = body.chars().collect();
            let idx = CREDIT_CODE_CHARS.find(chars[pos]).unwrap();
            chars[pos] = CREDIT_CODE_CHARS.chars().nth((idx + 1) % 31).unwrap();
            let changed: String = chars.into_iter().collect();
            let code = format!("{}{}", changed, check);
            prop_assert!(credit_code_problem(&code).is_some());
        }
    }
}
