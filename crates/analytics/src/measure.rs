//! One indicator's figures per group, before the division: partial sums that
//! add up across months — numerator and denominator, or a count per item (the
//! minute of a wait for a quantile, the person for a per-head figure) — so
//! that months read from the cube and days read from the facts can be summed
//! and only then turned into the figure (`finish`).

use crate::indicators::{Indicator, Measure};
use crate::query::{Plan, quantile_of_histogram};
use crate::scope::Scope;
use crate::sql;
use chrono::NaiveDate;
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{QueryResult, Value};
use std::collections::{BTreeMap, HashMap};

/// Group key: the period bucket and the members' ids in dimension order.
pub type Key = (Option<String>, Vec<String>);

/// What adds up for one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partial {
    pub num: f64,
    pub den: f64,
    /// Minute of wait → people (quantiles), or person → amount (per head).
    pub items: BTreeMap<String, f64>,
    /// Fact rows behind the group: a group with none is no group (the facts
    /// would not list it), whatever was added and taken away.
    pub rows: f64,
}

impl Partial {
    pub fn add(&mut self, other: &Partial) {
        self.num += other.num;
        self.den += other.den;
        self.rows += other.rows;
        for (k, v) in &other.items {
            *self.items.entry(k.clone()).or_default() += v;
        }
    }

    /// Takes away a part of it (the days of a month outside the period);
    /// items that come to nothing go.
    pub fn sub(&mut self, other: &Partial) {
        self.num -= other.num;
        self.den -= other.den;
        self.rows -= other.rows;
        for (k, v) in &other.items {
            *self.items.entry(k.clone()).or_default() -= v;
        }
        self.items.retain(|_, v| v.abs() > 1e-9);
    }

    /// Whether any fact row is behind it.
    pub fn is_empty(&self) -> bool {
        self.rows < 0.5
    }
}

/// Partials per group.
pub type Partials = HashMap<Key, Partial>;

/// The figure of a group from its partial sums; `None` without a denominator.
pub fn finish(ind: &Indicator, p: &Partial) -> Option<f64> {
    match ind.measure {
        Measure::Ratio {
            den: None, scale, ..
        } => Some(p.num * scale),
        Measure::Ratio { scale, .. } => (p.den > 0.0).then(|| p.num / p.den * scale),
        Measure::Quantile { q, .. } => {
            let mut hist: Vec<(i64, f64)> = p
                .items
                .iter()
                .filter_map(|(m, n)| m.parse().ok().map(|m| (m, *n)))
                .collect();
            hist.sort_by_key(|(m, _)| *m);
            quantile_of_histogram(&hist, q)
        }
        Measure::PerHead { scale, .. } => {
            let num: f64 = p.items.values().sum();
            let heads = p
                .items
                .iter()
                .filter(|(who, v)| !who.is_empty() && **v > 0.0)
                .count();
            (heads > 0).then(|| num / heads as f64 * scale)
        }
    }
}

/// One aggregate statement over an indicator's fact table. The two dates are
/// bound last, so everything before them (`shape`) names what the statement
/// computes apart from its days: the month cube's key.
pub struct Statement {
    pub text: String,
    values: Vec<Value>,
    /// The statement and its values without the dates.
    pub shape: String,
    pub dimensions: usize,
}

/// The statement of `ind` within `plan` and `scope`, grouped by the
/// dimensions and by `bucket` (an SQL expression of this crate) when given.
pub fn statement(
    plan: &Plan,
    ind: &Indicator,
    scope: &Scope,
    bucket: Option<&str>,
) -> AppResult<Statement> {
    let src = ind.source;
    let (day_col, _, hour_col) = src.time_columns();
    let mut values: Vec<Value> = vec![];
    let mut bind = |v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut conds = vec![src.base_filter().to_string()];
    // The hall is always the hall of the request: the facts of one hall only.
    conds.push(format!("hall_id = {}", bind(plan.hall_id.as_str().into())));
    if let Some(h) = plan.before_hour {
        conds.push(format!("{hour_col} < {}", bind(i64::from(h).into())));
    }
    if let Some((col, id)) = scope.condition(src, ind.name)? {
        conds.push(format!("{col} = {}", bind(id.into())));
    }
    for (d, ids) in &plan.filters {
        let col = d.column(src).expect("planned");
        let marks: Vec<String> = ids.iter().map(|i| bind(i.as_str().into())).collect();
        // The empty member (“未记录”) is a NULL column: compared as '' like the grouping does.
        conds.push(format!("COALESCE({col}, '') IN ({})", marks.join(", ")));
    }
    let mut cols: Vec<String> = plan
        .dimensions
        .iter()
        .enumerate()
        .map(|(n, d)| format!("COALESCE({}, '') AS d{n}", d.column(src).expect("planned")))
        .collect();
    let mut group: Vec<String> = (0..plan.dimensions.len())
        .map(|n| format!("d{n}"))
        .collect();
    if let Some(b) = bucket {
        cols.push(format!("{b} AS p"));
        group.push("p".into());
    }
    cols.push("CAST(COUNT(*) AS DOUBLE PRECISION) AS nr".into());
    let today = govhall_kernel::time::today().to_string();
    let fill = |e: &str| {
        e.replace("{threshold}", &plan.threshold_s.to_string())
            .replace("{today}", &today)
    };
    match ind.measure {
        Measure::Ratio { num, den, .. } => {
            cols.push(format!("CAST({} AS DOUBLE PRECISION) AS num", fill(num)));
            if let Some(den) = den {
                cols.push(format!("CAST({} AS DOUBLE PRECISION) AS den", fill(den)));
            }
        }
        Measure::Quantile { column, .. } => {
            conds.push(format!("{column} IS NOT NULL"));
            cols.push(format!("CAST({column} / 60 AS TEXT) AS it"));
            cols.push("CAST(COUNT(*) AS DOUBLE PRECISION) AS num".into());
            group.push("it".into());
        }
        Measure::PerHead { num, head, .. } => {
            cols.push(format!("COALESCE({head}, '') AS it"));
            cols.push(format!("CAST({} AS DOUBLE PRECISION) AS num", fill(num)));
            group.push("it".into());
        }
    }
    let from = bind(Value::String(None));
    let to = bind(Value::String(None));
    conds.push(format!("{day_col} BETWEEN {from} AND {to}"));
    let text = format!(
        "SELECT {} FROM {} WHERE {}{}",
        cols.join(", "),
        src.table(),
        conds.join(" AND "),
        if group.is_empty() {
            String::new()
        } else {
            format!(" GROUP BY {}", group.join(", "))
        }
    );
    values.truncate(values.len() - 2);
    let shape = std::iter::once(text.clone())
        .chain(values.iter().map(|v| format!("{v:?}")))
        .collect::<Vec<_>>()
        .join("\u{1f}");
    Ok(Statement {
        text,
        values,
        shape,
        dimensions: plan.dimensions.len(),
    })
}

impl Statement {
    /// Whether the figures depend on today's date (overdue counts …), so a
    /// month computed today is stale tomorrow.
    pub fn daily(&self) -> bool {
        self.text
            .contains(&govhall_kernel::time::today().to_string())
    }

    /// Runs the statement over `from..=to`: partial sums per group, the bucket
    /// (`p`) as the statement computed it.
    pub async fn run(
        &self,
        state: &AppState,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Partials> {
        let mut values = self.values.clone();
        values.push(from.to_string().into());
        values.push(to.to_string().into());
        let rows = sql::rows(&state.read, &self.text, values).await.db_err()?;
        let mut out = Partials::new();
        for r in &rows {
            let key = (
                text_of(r, "p"),
                (0..self.dimensions)
                    .map(|n| text_of(r, &format!("d{n}")).unwrap_or_default())
                    .collect(),
            );
            let part = out.entry(key).or_default();
            let num = sql::num(r, "num").unwrap_or(0.0);
            part.rows += sql::num(r, "nr").unwrap_or(0.0);
            match text_of(r, "it") {
                Some(item) => *part.items.entry(item).or_default() += num,
                None => {
                    part.num += num;
                    part.den += sql::num(r, "den").unwrap_or(0.0);
                }
            }
        }
        Ok(out)
    }
}

/// A text column that may come back as a number (hours, minutes).
fn text_of(r: &QueryResult, col: &str) -> Option<String> {
    sql::string(r, col).or_else(|| sql::int(r, col).map(|v| v.to_string()))
}
