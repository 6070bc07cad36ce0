//! The identifiers people and organisations give at a counter — 居民身份证号,
//! 手机号, 统一社会信用代码 — as parsed, normalised values: checked once where
//! they enter (a form, a kiosk, an import), then passed on as these types, so
//! the code after the edge never re-checks or re-normalises a raw string.
//! A value's `Debug` is masked: a personal number never reaches a log by
//! accident through `{:?}`.

use crate::mask::{mask_id_card, mask_phone};
use crate::validate::{credit_code_problem, is_mobile_phone, normalize_id_card, parse_id_card};
use chrono::NaiveDate;
use std::fmt;

/// A 居民身份证号 (GB 11643-1999): 18 characters, a real birth date, the
/// right check character; a lower-case `x` is stored upper-case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdCardNo {
    number: String,
    birth: NaiveDate,
}

impl IdCardNo {
    /// Parses what was typed or read (surrounding spaces ignored); the error is a Chinese reason.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let number = normalize_id_card(raw);
        let birth = parse_id_card(&number)?;
        Ok(IdCardNo { number, birth })
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    /// `110105********002X`, for screens and slips.
    pub fn masked(&self) -> String {
        mask_id_card(&self.number)
    }
}

impl fmt::Debug for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdCardNo({})", self.masked())
    }
}

/// A mainland mobile number: 11 digits starting with 1. Spaces and dashes
/// people type between groups, and a leading +86 or 86, are dropped.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MobilePhone(String);

impl MobilePhone {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&digits);
        if is_mobile_phone(digits) {
            Ok(MobilePhone(digits.to_string()))
        } else {
            Err("手机号应为以 1 开头的 11 位数字".to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl fmt::Debug for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MobilePhone({})", self.masked())
    }
}

/// A bank card number (银行卡号): 16 to 19 digits whose last is the Luhn
/// check digit (ISO/IEC 7812-1, which UnionPay cards follow). Spaces people
/// type between groups are dropped. Its `Debug` is masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BankCardNo(String);

impl BankCardNo {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if !(16..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("银行卡号应为 16 至 19 位数字".to_string());
        }
        if !luhn_valid(&digits) {
            return Err("银行卡号校验位不正确（Luhn 校验），请核对卡号".to_string());
        }
        Ok(BankCardNo(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `6222 **** 0123`.
    pub fn masked(&self) -> String {
        crate::mask::mask_bank_card(&self.0)
    }
}

impl fmt::Debug for BankCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BankCardNo({})", self.masked())
    }
}

/// The Luhn (mod 10) check over ASCII digits, the last being the check digit.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A 统一社会信用代码 (GB 32100-2015): 18 characters with the right check
/// character; stored upper-case. Not personal data, so shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_uppercase();
        match credit_code_problem(&code) {
            None => Ok(CreditCode(code)),
            Some(problem) => Err(problem),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::id_card_check_char;
    use proptest::prelude::*;

    #[test]
    fn an_id_number_is_normalised_and_never_shown_in_full_by_debug() {
        let id = IdCardNo::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!format!("{id:?}").contains("19491231"));
        assert!(IdCardNo::parse("110105194912310021").is_err());
    }

    /// 4111 1111 1111 1111 is the card number every payment specification
    /// uses as its Luhn-valid example; changing its last digit breaks it.
    #[test]
    fn a_bank_card_passes_the_luhn_check_or_is_refused() {
        let card = BankCardNo::parse("4111 1111 1111 1111").unwrap();
        assert_eq!(card.as_str(), "4111111111111111");
        assert_eq!(card.masked(), "4111 **** 1111");
        assert!(!format!("{card:?}").contains("11111111"));
        assert!(
            BankCardNo::parse("4111111111111112")
                .unwrap_err()
                .contains("校验位")
        );
        assert!(
            BankCardNo::parse("411111111111")
                .unwrap_err()
                .contains("16 至 19")
        );
        assert!(BankCardNo::parse("6222abcd11111111").is_err());
        assert!(BankCardNo::parse("6212264100011335373").is_ok());
    }

    #[test]
    fn phones_lose_the_separators_and_country_code_people_type() {
        for raw in [
            "13912345678",
            "139 1234 5678",
            "139-1234-5678",
            "+86 139 1234 5678",
            "8613912345678",
        ] {
            assert_eq!(
                MobilePhone::parse(raw).unwrap().as_str(),
                "13912345678",
                "{raw}"
            );
        }
        for bad in [
            "",
            "1391234567",
            "23912345678",
            "139123456789",
            "86139123456",
        ] {
            assert!(MobilePhone::parse(bad).is_err(), "{bad}");
        }
        assert!(!format!("{:?}", MobilePhone::parse("13912345678").unwrap()).contains("1234"));
    }

    #[test]
    fn credit_codes_are_upper_cased() {
        assert_eq!(
            CreditCode::parse(" 91350100m000100y43").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert!(CreditCode::parse("91350100M000100Y44").is_err());
    }

    proptest! {
        /// Any 17 digits with a known province, a real past birth date and their
        /// check character parse; changing the check character never does.
        #[test]
        fn every_well_formed_id_parses(
            province in proptest::sample::select(crate::validate::PROVINCES.to_vec()),
            county in 0u32..9999,
            days in 0i64..38000,
            seq in 0u32..999,
        ) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            let first17 = format!("{province:02}{county:04}{}{seq:03}", birth.format("%Y%m%d"));
            let check = id_card_check_char(&first17).unwrap();
            let id = IdCardNo::parse(&format!("{first17}{check}")).unwrap();
            prop_assert_eq!(id.birth_date(), birth);
            let wrong = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']
                .into_iter()
                .find(|c| *c != check)
                .unwrap();
            let tampered = format!("{first17}{wrong}");
            prop_assert!(IdCardNo::parse(&tampered).is_err());
        }

        #[test]
        fn a_parsed_phone_parses_again_to_itself(n in 10_000_000_000u64..20_000_000_000u64) {
            if let Ok(p) = MobilePhone::parse(&n.to_string()) {
                prop_assert_eq!(MobilePhone::parse(p.as_str()).unwrap(), p);
            }
        }
    }
}
