//! The bank's 代发 file: one row per person paid in an approved month, in
//! the column layout the hall's bank asks for (set once per hall), as Excel
//! or CSV (UTF-8 with a byte-order mark, which the banks' import tools and
//! Excel read as Chinese).

use crate::entity::settings;
use crate::money::show;
use crate::payroll::{find, parse_month, slips_of_run};
use crate::profiles;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The fields a column can hold.
pub const FIELDS: &[(&str, &str)] = &[
    ("seq", "序号"),
    ("employee_no", "工号"),
    ("name", "姓名"),
    ("bank_card", "卡号"),
    ("bank_name", "开户银行"),
    ("id_card", "身份证号"),
    ("amount", "金额"),
    ("month", "月份"),
    ("memo", "摘要"),
];

const FORMATS: &[(&str, &str)] = &[("xlsx", "Excel 工作簿"), ("csv", "CSV（UTF-8）")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BankColumn {
    /// `seq`, `employee_no`, `name`, `bank_card`, `bank_name`, `id_card`,
    /// `amount`, `month`, `memo`.
    pub field: String,
    /// The heading the bank expects.
    pub header: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BankLayout {
    pub columns: Vec<BankColumn>,
    /// `xlsx` or `csv`.
    pub format: String,
    /// The 摘要; `{月份}` becomes `2026年11月`.
    pub memo: String,
}

impl Default for BankLayout {
    fn default() -> Self {
        let col = |field: &str, header: &str| BankColumn {
            field: field.into(),
            header: header.into(),
        };
        BankLayout {
            columns: vec![
                col("seq", "序号"),
                col("name", "户名"),
                col("bank_card", "账号"),
                col("amount", "金额"),
                col("memo", "摘要"),
            ],
            format: "xlsx".into(),
            memo: "{月份}工资".into(),
        }
    }
}

pub async fn layout(state: &AppState, hall_id: &str) -> AppResult<BankLayout> {
    Ok(settings::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .and_then(|s| serde_json::from_str(&s.bank_layout).ok())
        .unwrap_or_default())
}

pub async fn set_layout(
    state: &AppState,
    hall_id: &str,
    input: &BankLayout,
) -> AppResult<BankLayout> {
    let mut ch = Checker::new();
    ch.check(
        (1..=20).contains(&input.columns.len()),
        "columns",
        "代发文件须有 1 至 20 列",
    );
    for (i, c) in input.columns.iter().enumerate() {
        ch.one_of(&format!("columns[{i}].field"), "列内容", &c.field, FIELDS);
        ch.text(&format!("columns[{i}].header"), "列标题", &c.header, 30);
    }
    for needed in ["bank_card", "amount"] {
        ch.check(
            input.columns.iter().any(|c| c.field == needed),
            "columns",
            "代发文件须包含卡号列和金额列",
        );
    }
    ch.one_of("format", "文件格式", &input.format, FORMATS);
    ch.optional_text("memo", "摘要", Some(&input.memo), 40);
    ch.finish()?;
    let json = serde_json::to_string(input).map_err(AppError::internal)?;
    match settings::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
    {
        Some(row) => {
            let mut a = row.into_active_model();
            a.bank_layout = Set(json);
            a.updated_at = Set(Utc::now());
            a.update(&state.db).await.db_err()?;
        }
        None => {
            settings::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                bank_layout: Set(json),
                updated_at: Set(Utc::now()),
            }
            .insert(&state.db)
            .await
            .db_err()?;
        }
    }
    layout(state, hall_id).await
}

/// A file to download.
pub struct Download {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The approved month's file; someone paid who has no salary card stops it,
/// named (a file missing a person would pay them nothing).
pub async fn export(state: &AppState, hall_id: &str, month: &str) -> AppResult<Download> {
    let month = parse_month(month)?;
    let run = find(&state.db, hall_id, &month).await?;
    if run.status != "approved" {
        return Err(AppError::field(
            "month",
            format!("{} 的工资尚未审核关账，不能生成代发文件", month.label()),
        ));
    }
    let layout = layout(state, hall_id).await?;
    let mut slips = slips_of_run(state, &state.db, &run.id).await?;
    slips.retain(|s| s.net_fen > 0);
    slips.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let profiles = profiles::of_hall(state, &state.db, hall_id).await?;
    let memo = layout.memo.replace("{月份}", &month.label());
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(slips.len());
    let mut no_card = Vec::new();
    for (i, s) in slips.iter().enumerate() {
        let p = profiles.get(&s.staff_id).map(|p| &p.row);
        let card = p.and_then(|p| profiles::bank_card(state, p));
        if card.is_none() {
            no_card.push(format!("{}（{}）", s.name, s.employee_no));
        }
        rows.push(
            layout
                .columns
                .iter()
                .map(|c| match c.field.as_str() {
                    "seq" => (i + 1).to_string(),
                    "employee_no" => s.employee_no.clone(),
                    "name" => s.name.clone(),
                    "bank_card" => card.clone().unwrap_or_default(),
                    "bank_name" => p.map(|p| p.bank_name.clone()).unwrap_or_default(),
                    "id_card" => p
                        .and_then(|p| profiles::id_card(state, p))
                        .unwrap_or_default(),
                    "amount" => show(s.net_fen).replace(',', ""),
                    "month" => month.to_string(),
                    _ => memo.clone(),
                })
                .collect(),
        );
    }
    if !no_card.is_empty() {
        return Err(AppError::field(
            "bank_card",
            format!(
                "以下人员没有工资卡号，请先在人事档案中补录：{}",
                no_card.join("、")
            ),
        ));
    }
    let headers: Vec<&str> = layout.columns.iter().map(|c| c.header.as_str()).collect();
    let base = format!("代发工资-{month}");
    if layout.format == "csv" {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        w.write_record(&headers).map_err(AppError::internal)?;
        for r in &rows {
            w.write_record(r).map_err(AppError::internal)?;
        }
        let bytes = w.into_inner().map_err(AppError::internal)?;
        return Ok(Download {
            name: format!("{base}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes,
        });
    }
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("代发明细").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    // Every cell is text: a 19-digit card number must not become 6.22E+18.
    let text = Format::new().set_num_format("@");
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(AppError::internal)?;
        sheet
            .set_column_width(c as u16, 20)
            .map_err(AppError::internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string_with_format(r as u32 + 1, c as u16, v, &text)
                .map_err(AppError::internal)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(AppError::internal)?;
    Ok(Download {
        name: format!("{base}.xlsx"),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    })
}
