//! Turning a figure into a score (0–100) by the scheme's formula, and the
//! weighted total. A formula reads the figure (`值`) and the hall's spread
//! of it among the people on the same scheme (`全厅平均`, `全厅最高`,
//! `全厅最低`): `值` for a percentage, `MIN(100, 值 / 全厅平均 * 80)` for a
//! volume, `MAX(0, 100 - 值 * 10)` for a count of 差评.
//!
//! A person without the figure (no ratings in the quarter, say) is scored
//! as if they had the hall's average: neither rewarded nor penalised for
//! what has no evidence.

use govhall_kernel::formula::{Formula, FormulaError};

pub const VALUE: &str = "值";
pub const AVERAGE: &str = "全厅平均";
pub const HIGHEST: &str = "全厅最高";
pub const LOWEST: &str = "全厅最低";
pub const VARIABLES: &[&str] = &[VALUE, AVERAGE, HIGHEST, LOWEST];

/// The spread of one indicator's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub average: f64,
    pub highest: f64,
    pub lowest: f64,
}

impl Spread {
    /// `None` when nobody has the figure.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let v: Vec<f64> = values.into_iter().collect();
        if v.is_empty() {
            return None;
        }
        Some(Spread {
            average: v.iter().sum::<f64>() / v.len() as f64,
            highest: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            lowest: v.iter().copied().fold(f64::INFINITY, f64::min),
        })
    }
}

/// Checks a scoring formula when a scheme is saved: it parses, reads only
/// the four names, and evaluates on a typical spread and with all zero.
pub fn check(source: &str) -> Result<Formula, String> {
    let f = Formula::check(source, VARIABLES).map_err(|e| match e {
        FormulaError::UnknownVariable(_) => {
            format!("{e}；评分公式可用：值、全厅平均、全厅最高、全厅最低")
        }
        other => other.to_string(),
    })?;
    let typical = Spread {
        average: 75.0,
        highest: 100.0,
        lowest: 40.0,
    };
    eval(&f, 80.0, &typical).map_err(|e| e.to_string())?;
    let zero = Spread {
        average: 0.0,
        highest: 0.0,
        lowest: 0.0,
    };
    eval(&f, 0.0, &zero).map_err(|e| match e {
        FormulaError::DivideByZero { divisor } => format!(
            "评分公式可能除以零：全厅都为 0 时除数“{divisor}”为 0；请写成 IF({divisor} > 0, …, 100)"
        ),
        other => other.to_string(),
    })?;
    Ok(f)
}

fn eval(f: &Formula, value: f64, s: &Spread) -> Result<f64, FormulaError> {
    f.eval(&|n| match n {
        VALUE => Some(value),
        AVERAGE => Some(s.average),
        HIGHEST => Some(s.highest),
        LOWEST => Some(s.lowest),
        _ => None,
    })
}

/// The score of a figure, clamped to 0–100 and rounded to 0.01; `None`
/// when neither the person nor anyone else has the figure.
pub fn score(
    f: &Formula,
    value: Option<f64>,
    spread: Option<&Spread>,
) -> Result<Option<f64>, String> {
    let Some(s) = spread else {
        return Ok(None);
    };
    let v = value.unwrap_or(s.average);
    let raw = eval(f, v, s).map_err(|e| e.to_string())?;
    Ok(Some((raw.clamp(0.0, 100.0) * 100.0).round() / 100.0))
}

/// Σ weight × score ÷ Σ weight over the parts that count, when each of
/// them has a score. A part nobody in the hall has a figure for does not
/// count: its weight goes to the others in proportion (缺项指标权重按比例
/// 分配), so an indicator without evidence moves nobody's total.
pub fn total(parts: &[(f64, Option<f64>, bool)]) -> Option<f64> {
    let mut sum = 0.0;
    let mut weights = 0.0;
    for (weight, score, counts) in parts {
        if !counts {
            continue;
        }
        sum += weight * (*score)?;
        weights += weight;
    }
    (weights > 0.0).then(|| (sum / weights * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_checked_for_names_and_zero_divisors() {
        assert!(check("值").is_ok());
        assert!(
            check("MIN(100, 值 / 全厅平均 * 80)")
                .unwrap_err()
                .contains("可能除以零")
        );
        assert!(check("IF(全厅平均 > 0, MIN(100, 值 / 全厅平均 * 80), 100)").is_ok());
        assert!(check("值 + 奖金").unwrap_err().contains("“奖金”"));
    }

    #[test]
    fn a_missing_figure_scores_as_the_average() {
        let f = check("值").unwrap();
        let s = Spread::of([60.0, 80.0, 100.0]).unwrap();
        assert_eq!(score(&f, None, Some(&s)), Ok(Some(80.0)));
        assert_eq!(score(&f, Some(120.0), Some(&s)), Ok(Some(100.0)), "clamped");
        assert_eq!(score(&f, None, None), Ok(None));
    }

    #[test]
    fn the_total_is_weighted_and_waits_for_every_score() {
        assert_eq!(
            total(&[(60.0, Some(90.0), true), (40.0, Some(70.0), true)]),
            Some(82.0)
        );
        assert_eq!(total(&[(60.0, Some(90.0), true), (40.0, None, true)]), None);
        // Nobody has the second figure: the first carries the whole weight.
        assert_eq!(
            total(&[(60.0, Some(90.0), true), (40.0, None, false)]),
            Some(90.0)
        );
    }
}
