//! A closed month's workbooks: the payroll register (工资表) with every
//! line of every payslip and the totals by cost item — the contractor's
//! monthly bill to the center — and the 社保 and 公积金 declaration lists
//! (each person's ID number, base and both sides' amounts per item), which
//! the agencies' forms are filled from.

use crate::contributions::item_label;
use crate::payroll::{find, parse_month, slips_of_run};
use crate::payslip::Payslip;
use crate::profiles;
use crate::{bank_file::Download, money::yuan};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::AppState;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn closed_slips(
    state: &AppState,
    hall_id: &str,
    month: &str,
) -> AppResult<(String, Vec<Payslip>)> {
    let month = parse_month(month)?;
    let run = find(&state.db, hall_id, &month).await?;
    if run.status != "approved" {
        return Err(AppError::field(
            "month",
            format!("{} 的工资尚未审核关账，不能导出", month.label()),
        ));
    }
    let mut slips = slips_of_run(state, &state.db, &run.id).await?;
    slips.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok((month.to_string(), slips))
}

fn header(sheet: &mut Worksheet, cols: &[String]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, 12)?;
    }
    Ok(())
}

/// 工资表: one row per person, a column per pay line; a second sheet of totals by cost item.
pub async fn register(state: &AppState, hall_id: &str, month: &str) -> AppResult<Download> {
    let (month, slips) = closed_slips(state, hall_id, month).await?;
    let e = AppError::internal;
    // The columns: every earning, tax-free and deduction line anyone has, in first-seen order.
    let mut labels: Vec<String> = Vec::new();
    for s in &slips {
        for l in s.earnings.iter().chain(&s.tax_free) {
            if !labels.contains(&l.label) {
                labels.push(l.label.clone());
            }
        }
    }
    let mut cols: Vec<String> = vec!["工号".into(), "姓名".into(), "部门".into()];
    cols.extend(labels.iter().cloned());
    cols.extend(
        [
            "扣款（税前）",
            "全年一次性奖金",
            "应发合计",
            "个人五险一金",
            "个人所得税",
            "税后扣款",
            "实发合计",
            "单位五险一金",
            "用工成本",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("工资表").map_err(e)?;
    header(sheet, &cols).map_err(e)?;
    let money = Format::new().set_num_format("#,##0.00");
    for (i, s) in slips.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &s.employee_no).map_err(e)?;
        sheet.write_string(row, 1, &s.name).map_err(e)?;
        sheet
            .write_string(row, 2, s.department.as_deref().unwrap_or(""))
            .map_err(e)?;
        let mut c = 3u16;
        for label in &labels {
            let amount: i64 = s
                .earnings
                .iter()
                .chain(&s.tax_free)
                .filter(|l| &l.label == label)
                .map(|l| l.amount_fen)
                .sum();
            sheet
                .write_number_with_format(row, c, yuan(amount), &money)
                .map_err(e)?;
            c += 1;
        }
        let pre: i64 = s.pre_tax_deductions.iter().map(|l| l.amount_fen).sum();
        let after: i64 = s.after_tax_deductions.iter().map(|l| l.amount_fen).sum();
        let bonus = s.bonus.as_ref().map_or(0, |b| b.bonus_fen);
        for v in [
            pre,
            bonus,
            s.gross_fen,
            s.special_deduction_fen,
            s.iit_fen,
            after,
            s.net_fen,
            s.employer_contributions_fen,
            s.employer_cost_fen,
        ] {
            sheet
                .write_number_with_format(row, c, yuan(v), &money)
                .map_err(e)?;
            c += 1;
        }
    }
    let totals = book.add_worksheet();
    totals.set_name("按成本项目汇总").map_err(e)?;
    header(totals, &["类别".into(), "项目".into(), "金额（元）".into()]).map_err(e)?;
    let run_totals = crate::payroll::totals_of(&slips);
    for (i, t) in run_totals.by_item.iter().enumerate() {
        let row = i as u32 + 1;
        totals.write_string(row, 0, &t.group).map_err(e)?;
        totals.write_string(row, 1, &t.label).map_err(e)?;
        totals
            .write_number_with_format(row, 2, yuan(t.amount_fen), &money)
            .map_err(e)?;
    }
    let at = run_totals.by_item.len() as u32 + 2;
    for (k, (label, v)) in [
        ("应发合计", run_totals.gross_fen),
        ("单位五险一金", run_totals.employer_contributions_fen),
        ("用工成本合计（月度结算）", run_totals.employer_cost_fen),
        ("实发合计", run_totals.net_fen),
    ]
    .iter()
    .enumerate()
    {
        totals.write_string(at + k as u32, 1, *label).map_err(e)?;
        totals
            .write_number_with_format(at + k as u32, 2, yuan(*v), &money)
            .map_err(e)?;
    }
    Ok(Download {
        name: format!("工资表-{month}.xlsx"),
        content_type: XLSX,
        bytes: book.save_to_buffer().map_err(e)?,
    })
}

/// 社保 and 公积金 declaration lists: a sheet for the social insurances, one for the housing fund.
pub async fn declarations(state: &AppState, hall_id: &str, month: &str) -> AppResult<Download> {
    let (month, slips) = closed_slips(state, hall_id, month).await?;
    let e = AppError::internal;
    let profiles = profiles::of_hall(state, &state.db, hall_id).await?;
    let id_of = |staff_id: &str| {
        profiles
            .get(staff_id)
            .and_then(|p| profiles::id_card(state, &p.row))
            .unwrap_or_default()
    };
    let money = Format::new().set_num_format("#,##0.00");
    let text = Format::new().set_num_format("@");
    let mut book = Workbook::new();
    for (name, fund) in [("社会保险", false), ("住房公积金", true)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(e)?;
        header(
            sheet,
            &[
                "工号",
                "姓名",
                "身份证号",
                "险种",
                "缴费基数",
                "单位缴纳",
                "个人缴纳",
                "依据",
            ]
            .map(String::from),
        )
        .map_err(e)?;
        sheet.set_column_width(2, 22).map_err(e)?;
        sheet.set_column_width(7, 40).map_err(e)?;
        let mut row = 1u32;
        for s in &slips {
            for c in s
                .contributions
                .iter()
                .filter(|c| (c.item == "housing_fund") == fund)
            {
                sheet.write_string(row, 0, &s.employee_no).map_err(e)?;
                sheet.write_string(row, 1, &s.name).map_err(e)?;
                sheet
                    .write_string_with_format(row, 2, id_of(&s.staff_id), &text)
                    .map_err(e)?;
                sheet.write_string(row, 3, item_label(&c.item)).map_err(e)?;
                sheet
                    .write_number_with_format(row, 4, yuan(c.base), &money)
                    .map_err(e)?;
                sheet
                    .write_number_with_format(row, 5, yuan(c.employer), &money)
                    .map_err(e)?;
                sheet
                    .write_number_with_format(row, 6, yuan(c.employee), &money)
                    .map_err(e)?;
                sheet.write_string(row, 7, &c.source).map_err(e)?;
                row += 1;
            }
        }
    }
    Ok(Download {
        name: format!("社保公积金申报-{month}.xlsx"),
        content_type: XLSX,
        bytes: book.save_to_buffer().map_err(e)?,
    })
}
