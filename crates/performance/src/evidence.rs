//! 考核依据: the records behind one figure of one person's quarter — the
//! tickets, cases or ratings the analytics indicator counted (its own
//! drill-down), the months of the attendance sheet, or the exam sittings —
//! so a person who disputes a score sees exactly why.

use crate::catalog::{self, ATTENDANCE, FigureSource};
use crate::figures;
use crate::schemes::parse_quarter;
use govhall_analytics::drill::{self, RecordsInput};
use govhall_analytics::scope::Scope;
use govhall_kernel::{AppError, error::AppResult, time};
use govhall_platform::AppState;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceColumn {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    pub indicator: String,
    pub indicator_name: String,
    pub definition: String,
    /// tickets / cases / ratings / attendance / exams
    pub kind: String,
    pub columns: Vec<EvidenceColumn>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<BTreeMap<String, Value>>,
    /// More records matched than are listed.
    pub truncated: bool,
}

/// The records one analytics indicator counted for one person over `from..=to`.
pub async fn records(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    indicator: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> AppResult<Evidence> {
    let def = catalog::find(indicator)
        .filter(|d| d.source == FigureSource::Analytics)
        .ok_or_else(|| AppError::field("indicator", format!("指标“{indicator}”没有逐条依据")))?;
    let input = RecordsInput {
        hall: None,
        indicator: indicator.into(),
        from,
        to,
        members: BTreeMap::from([("staff".to_string(), staff_id.to_string())]),
        day: None,
    };
    let r = drill::records(state, hall_id, &Scope::Hall, &input).await?;
    Ok(Evidence {
        indicator: def.key,
        indicator_name: def.name,
        definition: def.definition,
        kind: r.kind.into(),
        columns: r
            .columns
            .iter()
            .map(|c| EvidenceColumn {
                key: c.key.into(),
                label: c.label.into(),
            })
            .collect(),
        rows: r.rows,
        truncated: r.truncated,
    })
}

/// The records behind one figure of one person's quarter.
pub async fn of(
    state: &AppState,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
    indicator: &str,
) -> AppResult<Evidence> {
    let q = parse_quarter(quarter)?;
    let def = catalog::find(indicator)
        .filter(|d| d.has_evidence)
        .ok_or_else(|| AppError::field("indicator", format!("指标“{indicator}”没有逐条依据")))?;
    let mut out = Evidence {
        indicator: def.key.clone(),
        indicator_name: def.name.clone(),
        definition: def.definition.clone(),
        kind: String::new(),
        columns: vec![],
        rows: vec![],
        truncated: false,
    };
    match def.source {
        FigureSource::Analytics => {
            return records(
                state,
                hall_id,
                staff_id,
                indicator,
                q.first_day(),
                figures::until(&q),
            )
            .await;
        }
        FigureSource::Attendance if indicator == ATTENDANCE => {
            out.kind = "attendance".into();
            out.columns = [
                ("month", "月份"),
                ("due_days", "应出勤"),
                ("present_days", "实出勤"),
                ("leave_days", "请假"),
                ("late_count", "迟到"),
                ("early_count", "早退"),
                ("absent_days", "旷工"),
                ("missing_count", "缺卡"),
                ("attendance_rate", "出勤率（%）"),
            ]
            .iter()
            .map(|(k, l)| EvidenceColumn {
                key: (*k).into(),
                label: (*l).into(),
            })
            .collect();
            let this_month = time::today().format("%Y-%m").to_string();
            let only = [staff_id.to_string()];
            for month in q.months().into_iter().filter(|m| *m <= this_month) {
                let sheet =
                    govhall_hr::attendance::sheet::build(state, hall_id, &month, Some(&only))
                        .await?;
                if let Some(row) = sheet.rows.first() {
                    let f = &row.figures;
                    let v = json!({
                        "month": month, "due_days": f.due_days, "present_days": f.present_days,
                        "leave_days": f.leave_days, "late_count": f.late_count,
                        "early_count": f.early_count, "absent_days": f.absent_days,
                        "missing_count": f.missing_count, "attendance_rate": f.attendance_rate,
                    });
                    if let Value::Object(m) = v {
                        out.rows.push(m.into_iter().collect());
                    }
                }
            }
        }
        FigureSource::Training => {
            out.kind = "exams".into();
            out.columns = [
                ("exam", "考试"),
                ("submitted_at", "交卷时间"),
                ("score", "得分"),
                ("percent", "得分率（%）"),
                ("status", "结果"),
                ("counted", "是否计入"),
            ]
            .iter()
            .map(|(k, l)| EvidenceColumn {
                key: (*k).into(),
                label: (*l).into(),
            })
            .collect();
            out.rows = crate::training_scores::evidence(state, hall_id, &q, staff_id).await?;
        }
        _ => {
            return Err(AppError::field(
                "indicator",
                format!("指标“{}”没有逐条依据", def.name),
            ));
        }
    }
    Ok(out)
}
