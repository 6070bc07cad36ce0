//! Turns a laid-out document into PDF bytes with krilla (fonts subset and
//! embedded, text extractable and searchable).

use crate::fonts::{Fonts, Which};
use crate::layout::{Document, Op, PAGE_HEIGHT, PAGE_WIDTH};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

/// The PDF of `doc`.
pub fn render(mut doc: Document) -> anyhow::Result<Vec<u8>> {
    doc.number_pages();
    let fonts = Fonts::get();
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language("zh-CN".into())
            .creator("govhall".into()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid page size");
    for ops in &doc.pages {
        let mut page = pdf.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|e| anyhow::anyhow!("生成 PDF 失败：{e:?}"))
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            text,
        } => {
            surface.set_fill(Some(Fill::default()));
            // Bold by stroking the outline: one font file serves both weights.
            surface.set_stroke(bold.then(|| Stroke {
                width: size * 0.035,
                ..Stroke::default()
            }));
            let mut cursor = *x;
            for (which, run) in runs(fonts, text) {
                let face = fonts.face(which);
                surface.draw_text(
                    Point::from_xy(cursor, *y),
                    face.pdf.clone(),
                    *size,
                    &run,
                    false,
                    TextDirection::Auto,
                );
                cursor += fonts.width(&run, *size);
            }
            surface.set_stroke(None);
        }
        Op::Rect { x, y, w, h } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Fill { x, y, w, h, rgb } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: krilla::color::rgb::Color::new(rgb.0, rgb.1, rgb.2).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
                surface.set_fill(Some(Fill::default()));
            }
        }
        Op::Qr {
            x,
            y,
            side,
            dark,
            width,
        } => {
            let module = side / *width as f32;
            let mut path = PathBuilder::new();
            for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
                let (row, col) = (i / width, i % width);
                // A hair wider than the module so no seams show between them.
                if let Some(r) = Rect::from_xywh(
                    x + col as f32 * module,
                    y + row as f32 * module,
                    module + 0.05,
                    module + 0.05,
                ) {
                    path.push_rect(r);
                }
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill::default()));
                surface.draw_path(&path);
            }
        }
    }
}

/// Splits `text` into runs drawn by one face each.
fn runs(fonts: &Fonts, text: &str) -> Vec<(Which, String)> {
    let mut out: Vec<(Which, String)> = Vec::new();
    for c in text.chars() {
        let which = fonts.which(c);
        match out.last_mut() {
            Some((w, run)) if *w == which => run.push(c),
            _ => out.push((which, c.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::BODY;

    fn sample() -> Document {
        let mut doc = Document::new("受理通知书");
        doc.heading("受理通知书", 22.0);
        doc.right("长安政务受〔2026〕0001号", 10.5);
        doc.fields(&[
            ("办件编号", "610116000020261127 0001".into()),
            ("申请人", "王玥".into()),
            ("事项名称", "食品经营许可（新办）".into()),
        ]);
        doc.paragraphs(
            "王玥：\n你（单位）提交的申请材料齐全、符合法定形式，决定予以受理。",
            BODY,
        );
        let rows: Vec<Vec<String>> = (1..=60)
            .map(|i| vec![i.to_string(), format!("第{i}项材料"), "纸质原件".into()])
            .collect();
        doc.table(
            &["序号", "材料名称", "收取方式"],
            &[1.0, 5.0, 2.0],
            &rows,
            10.5,
        );
        doc.closing(
            &["西安市长安区政务服务中心".into(), "2026年11月27日".into()],
            Some((
                "https://example.org/mobile/?case=1#code=ABCD",
                "扫码查看办理进度",
            )),
        )
        .unwrap();
        doc
    }

    #[test]
    fn renders_searchable_chinese_across_pages() {
        let bytes = render(sample()).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains("受理通知书"), "{text}");
        assert!(text.contains("决定予以受理"), "{text}");
        assert!(text.contains("第60项材料"), "{text}");
        // The table ran onto further pages, each repeating its header, all numbered.
        let pages = text.matches("页共").count();
        assert!(pages >= 2, "{text}");
        assert!(text.contains(&format!("第{pages}页共{pages}页")), "{text}");
        assert_eq!(text.matches("收取方式").count(), pages, "{text}");
        // The carried font lacks 玥; a machine with fonts-noto-cjk draws it from there.
        if Fonts::get().which('玥') == Which::Machine {
            assert!(text.contains("王玥"), "{text}");
        }
        if let Ok(path) = std::env::var("GOVHALL_PDF_SAMPLE") {
            std::fs::write(path, &bytes).unwrap();
        }
    }

    #[test]
    fn the_carried_font_is_subset_not_embedded_whole() {
        let bytes = render(sample()).unwrap();
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    }
}
