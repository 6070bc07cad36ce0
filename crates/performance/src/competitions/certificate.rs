//! 获奖证书: one page for each entrant awarded a place.

use super::CompetitionDto;
use govhall_kernel::{AppError, error::AppResult};

/// The certificates of `c`'s awarded entrants (`only`: just this one's).
pub fn pdf(c: &CompetitionDto, hall_name: &str, only: Option<&str>) -> AppResult<Vec<u8>> {
    use govhall_pdf::Document;
    let winners: Vec<_> = c
        .standings
        .iter()
        .filter(|r| !r.award.is_empty() && only.is_none_or(|s| s == r.staff_id))
        .collect();
    if c.status != "final" || winners.is_empty() {
        return Err(AppError::field(
            "status",
            "竞赛确定名次后，获奖选手才有获奖证书",
        ));
    }
    let day = c
        .finalized_at
        .map_or(c.closes_on, govhall_kernel::time::local_date);
    let mut d = Document::new(&format!("{} 获奖证书", c.title));
    for w in winners {
        d.page_break();
        d.gap(40.0);
        d.heading("荣 誉 证 书", 28.0);
        d.gap(24.0);
        // The name without the 工号 in front of it.
        let person = w.name.split_once(' ').map_or(w.name.as_str(), |(_, n)| n);
        d.paragraphs(
            &format!(
                "{person} 同志在{hall_name}举办的“{}”中成绩优异，荣获{}。特发此证，以资鼓励。",
                c.title, w.award
            ),
            16.0,
        );
        d.gap(18.0);
        d.fields(&[
            ("工号与姓名", w.name.clone()),
            (
                "名次",
                w.rank.map_or_else(String::new, |r| format!("第 {r} 名")),
            ),
            (
                "总分",
                w.total.map_or_else(String::new, |t| format!("{t:.2}")),
            ),
            (
                "竞赛日期",
                format!(
                    "{} 至 {}",
                    c.opens_on.format("%Y年%m月%d日"),
                    c.closes_on.format("%Y年%m月%d日")
                ),
            ),
        ]);
        d.closing(
            &[
                hall_name.to_string(),
                day.format("%Y年%m月%d日").to_string(),
            ],
            None,
        )
        .map_err(AppError::internal)?;
    }
    govhall_pdf::render(d).map_err(AppError::internal)
}
