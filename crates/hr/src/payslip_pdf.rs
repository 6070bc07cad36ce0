//! A payslip as a PDF (工资条): the lines, the 五险一金 of both sides with
//! their bases, the 个税 with its cumulative figures, and what was paid.

use crate::contributions::item_label;
use crate::money::show;
use crate::payslip::{PayLine, Payslip};
use govhall_kernel::{AppError, error::AppResult};
use govhall_pdf::Document;

fn rows(lines: &[PayLine], sign: &str) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| {
            vec![
                l.label.clone(),
                format!("{sign}{}", show(l.amount_fen)),
                l.note.clone(),
            ]
        })
        .collect()
}

pub fn render(slip: &Payslip, hall_name: &str) -> AppResult<Vec<u8>> {
    let month = crate::month::Month::parse(&slip.month).map_err(AppError::internal)?;
    let mut doc = Document::new(&format!("工资条 {}", month.label()));
    doc.heading(&format!("{hall_name}　{} 工资条", month.label()), 18.0);
    doc.fields(&[
        ("姓名", slip.name.clone()),
        ("工号", slip.employee_no.clone()),
        (
            "部门",
            slip.department.clone().unwrap_or_else(|| "—".into()),
        ),
    ]);
    let mut pay = rows(&slip.earnings, "");
    pay.extend(rows(&slip.tax_free, ""));
    pay.extend(rows(&slip.pre_tax_deductions, "-"));
    if let Some(b) = &slip.bonus {
        pay.push(vec![
            "全年一次性奖金（单独计税）".into(),
            show(b.bonus_fen),
            String::new(),
        ]);
    }
    pay.push(vec!["应发合计".into(), show(slip.gross_fen), String::new()]);
    doc.text("应发", 12.0, true);
    doc.table(
        &["项目", "金额（元）", "说明"],
        &[3.0, 2.0, 4.0],
        &pay,
        10.5,
    );
    let contributions: Vec<Vec<String>> = slip
        .contributions
        .iter()
        .map(|c| {
            vec![
                item_label(&c.item).into(),
                show(c.base),
                format!("{:.2}%", f64::from(c.employee_rate_bp) / 100.0),
                show(c.employee),
                format!("{:.2}%", f64::from(c.employer_rate_bp) / 100.0),
                show(c.employer),
            ]
        })
        .collect();
    doc.text("五险一金", 12.0, true);
    doc.table(
        &[
            "险种",
            "缴费基数",
            "个人费率",
            "个人缴纳",
            "单位费率",
            "单位缴纳",
        ],
        &[2.5, 2.0, 1.5, 2.0, 1.5, 2.0],
        &contributions,
        10.5,
    );
    let w = &slip.withholding;
    let ytd = &slip.year_to_date;
    doc.text(
        "个人所得税（累计预扣法，国家税务总局公告2018年第61号）",
        12.0,
        true,
    );
    doc.table(
        &["项目", "金额（元）"],
        &[5.0, 3.0],
        &[
            vec!["累计收入".into(), show(ytd.sum.income)],
            vec!["累计免税收入".into(), show(ytd.sum.tax_free_income)],
            vec![
                format!("累计减除费用（{} 个月）", slip.employed_months),
                show(w.basic_deduction),
            ],
            vec!["累计专项扣除".into(), show(ytd.sum.special_deduction)],
            vec![
                "累计专项附加扣除".into(),
                show(ytd.sum.special_additional_deduction),
            ],
            vec!["累计其他扣除".into(), show(ytd.sum.other_deduction)],
            vec!["累计应纳税所得额".into(), show(w.taxable)],
            vec![
                format!("预扣率 {}%，速算扣除数", w.rate_pct),
                show(w.quick_deduction),
            ],
            vec!["累计已预扣预缴".into(), show(ytd.withheld - w.this_month)],
            vec!["本月工资薪金预扣".into(), show(w.this_month)],
        ],
        10.5,
    );
    let mut net = vec![
        vec!["应发合计".into(), show(slip.gross_fen), String::new()],
        vec![
            "个人缴纳五险一金".into(),
            format!("-{}", show(slip.special_deduction_fen)),
            String::new(),
        ],
        vec![
            "个人所得税".into(),
            format!("-{}", show(slip.iit_fen)),
            match &slip.bonus {
                Some(b) => format!(
                    "含全年一次性奖金单独计税 {}（{}%，速算扣除数 {}）",
                    show(b.tax_fen),
                    b.rate_pct,
                    show(b.quick_deduction_fen)
                ),
                None => String::new(),
            },
        ],
    ];
    net.extend(rows(&slip.after_tax_deductions, "-"));
    net.push(vec!["实发合计".into(), show(slip.net_fen), String::new()]);
    doc.text("实发", 12.0, true);
    doc.table(
        &["项目", "金额（元）", "说明"],
        &[3.0, 2.0, 4.0],
        &net,
        10.5,
    );
    govhall_pdf::render(doc).map_err(AppError::internal)
}
