//! 专项附加扣除 (个人所得税专项附加扣除暂行办法, 国发〔2018〕41号; amounts
//! raised by 国发〔2023〕13号 from 2023-01-01): what a person declared to the
//! employer, as the monthly amount the withholding deducts. 大病医疗 is only
//! settled at the annual reconciliation and 职业资格继续教育 (3,600 once) is
//! entered as a pay item of the month, so neither is here.

use govhall_kernel::validate::Checker;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const SOURCE: &str = "国发〔2018〕41号、国发〔2023〕13号";

/// Kinds with their Chinese names.
pub const KINDS: &[(&str, &str)] = &[
    ("child_education", "子女教育"),
    ("infant_care", "3岁以下婴幼儿照护"),
    ("continuing_education", "继续教育（学历）"),
    ("housing_loan", "住房贷款利息"),
    ("housing_rent", "住房租金"),
    ("elderly_care", "赡养老人"),
];

/// 住房租金 by where the person works.
pub const RENT_TIERS: &[(&str, &str)] = &[
    ("capital", "直辖市、省会城市、计划单列市等（1500 元/月）"),
    ("large", "市辖区户籍人口超过 100 万的城市（1100 元/月）"),
    ("other", "其他城市（800 元/月）"),
];

/// One declared item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Declared {
    /// `child_education`, `infant_care`, `continuing_education`,
    /// `housing_loan`, `housing_rent`, `elderly_care`.
    pub kind: String,
    /// Children, for 子女教育 and 婴幼儿照护 (1 to 10).
    #[serde(default)]
    pub count: Option<u32>,
    /// The person's share of a child item: 100 or 50 (parents split).
    #[serde(default)]
    pub share_pct: Option<u32>,
    /// 住房租金: `capital`, `large` or `other`.
    #[serde(default)]
    pub tier: Option<String>,
    /// 赡养老人: the person is an only child (3,000 a month).
    #[serde(default)]
    pub only_child: Option<bool>,
    /// 赡养老人 shared with siblings: this person's monthly share (yuan, ≤ 1,500).
    #[serde(default)]
    pub amount: Option<f64>,
}

/// The monthly amount of one declared item (fen), as the rules give it.
pub fn monthly(d: &Declared) -> i64 {
    let per_child = |d: &Declared| {
        let share = i64::from(d.share_pct.unwrap_or(100));
        2_000_00 * i64::from(d.count.unwrap_or(1)) * share / 100
    };
    match d.kind.as_str() {
        "child_education" | "infant_care" => per_child(d),
        "continuing_education" => 400_00,
        "housing_loan" => 1_000_00,
        "housing_rent" => match d.tier.as_deref() {
            Some("capital") => 1_500_00,
            Some("large") => 1_100_00,
            _ => 800_00,
        },
        "elderly_care" if d.only_child == Some(true) => 3_000_00,
        "elderly_care" => d.amount.and_then(crate::money::fen).unwrap_or(0),
        _ => 0,
    }
}

/// The whole declaration's monthly amount (fen).
pub fn monthly_total(items: &[Declared]) -> i64 {
    items.iter().map(monthly).sum()
}

/// Checks a declaration; problems are named `pay.special_additional[2].count`.
pub fn check(ch: &mut Checker, field: &str, items: &[Declared]) {
    let kinds: Vec<&str> = items.iter().map(|d| d.kind.as_str()).collect();
    for (i, d) in items.iter().enumerate() {
        let f = format!("{field}[{i}]");
        ch.one_of(&format!("{f}.kind"), "专项附加扣除项目", &d.kind, KINDS);
        match d.kind.as_str() {
            "child_education" | "infant_care" => {
                ch.check(
                    d.count.is_some_and(|c| (1..=10).contains(&c)),
                    &format!("{f}.count"),
                    "子女人数须为 1 至 10",
                );
                ch.check(
                    matches!(d.share_pct, None | Some(50) | Some(100)),
                    &format!("{f}.share_pct"),
                    "扣除比例只能是 100%（一方扣除）或 50%（父母各半）",
                );
            }
            "housing_rent" => ch.one_of(
                &format!("{f}.tier"),
                "住房租金城市类别",
                d.tier.as_deref().unwrap_or(""),
                RENT_TIERS,
            ),
            "elderly_care" if d.only_child != Some(true) => ch.check(
                d.amount
                    .and_then(crate::money::fen)
                    .is_some_and(|a| (1..=1_500_00).contains(&a)),
                &format!("{f}.amount"),
                "非独生子女分摊的赡养老人扣除每月不超过 1500 元（须大于 0，最多两位小数）",
            ),
            _ => {}
        }
        let once = !matches!(d.kind.as_str(), "child_education" | "infant_care");
        if once && kinds.iter().filter(|k| **k == d.kind).count() > 1 {
            ch.fail(
                &format!("{f}.kind"),
                format!("{}只能申报一项", label(&d.kind)),
            );
        }
    }
    if kinds.contains(&"housing_rent") && kinds.contains(&"housing_loan") {
        ch.fail(
            field,
            "住房贷款利息与住房租金不能同时扣除（国发〔2018〕41号 第二十二条）",
        );
    }
}

pub fn label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("其他", |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str) -> Declared {
        Declared {
            kind: kind.into(),
            count: None,
            share_pct: None,
            tier: None,
            only_child: None,
            amount: None,
        }
    }

    #[test]
    fn the_amounts_in_force_since_2023() {
        let two_children_half = Declared {
            count: Some(2),
            share_pct: Some(50),
            ..item("child_education")
        };
        assert_eq!(monthly(&two_children_half), 2_000_00);
        let only_child = Declared {
            only_child: Some(true),
            ..item("elderly_care")
        };
        assert_eq!(monthly(&only_child), 3_000_00);
        let rent = Declared {
            tier: Some("capital".into()),
            ..item("housing_rent")
        };
        assert_eq!(monthly(&rent), 1_500_00);
        assert_eq!(
            monthly_total(&[only_child, rent, item("continuing_education")]),
            4_900_00
        );
    }

    #[test]
    fn rent_and_loan_together_and_a_large_sibling_share_are_refused() {
        let mut ch = Checker::new();
        let sibling = Declared {
            only_child: Some(false),
            amount: Some(2_000.0),
            ..item("elderly_care")
        };
        let rent = Declared {
            tier: Some("capital".into()),
            ..item("housing_rent")
        };
        check(&mut ch, "d", &[rent, item("housing_loan"), sibling]);
        let err = format!("{:?}", ch.finish().unwrap_err());
        assert!(
            err.contains("不能同时扣除") && err.contains("1500"),
            "{err}"
        );
    }
}
