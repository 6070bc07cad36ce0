//! An A4 document laid out top to bottom: title, paragraphs, bordered field
//! grids and tables that wrap and continue on the next page (repeating their
//! header), numbered lists, a QR code in the corner and a signature block.
//! Layout only records what to draw (`Op`); `render` turns it into PDF.

use crate::fonts::Fonts;
use crate::wrap::wrap;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub(crate) const MARGIN_X: f32 = 62.0;
const MARGIN_TOP: f32 = 60.0;
const MARGIN_BOTTOM: f32 = 64.0;
const CELL_PAD: f32 = 5.0;
/// Body text size: 小四 (12 pt) as official notices use.
pub const BODY: f32 = 12.0;
const LINE: f32 = 1.6;

/// One thing to draw. Coordinates in points from the page's top left; text at its baseline.
#[derive(Debug, Clone)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// A filled rectangle (a chart's bar) in an RGB colour.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: (u8, u8, u8),
    },
    Qr {
        x: f32,
        y: f32,
        side: f32,
        /// Dark modules, row by row, `width` per row.
        dark: Vec<bool>,
        width: usize,
    },
}

pub struct Document {
    pub(crate) title: String,
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) y: f32,
    pub(crate) fonts: &'static Fonts,
}

impl Document {
    /// A document whose metadata title is `title` (also the default first heading).
    pub fn new(title: &str) -> Document {
        Document {
            title: title.into(),
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            fonts: Fonts::get(),
        }
    }

    pub fn content_width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN_X
    }

    pub(crate) fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    /// Starts a new page when `height` does not fit on this one.
    pub(crate) fn room_for(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN_BOTTOM && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Goes on on a new page (one certificate per page), unless this one is empty.
    pub fn page_break(&mut self) {
        if self.pages.last().is_some_and(|p| !p.is_empty()) {
            self.new_page();
        }
    }

    fn lines(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        wrap(text, width, |c| self.fonts.advance(c, size))
    }

    pub(crate) fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: String) {
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y,
                size,
                bold,
                text,
            });
        }
    }

    /// Starts a new page unless `points` more fit on this one (keeps a
    /// heading with the chart or table under it).
    pub fn keep(&mut self, points: f32) {
        self.room_for(points);
    }

    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }

    /// Centred bold heading (二号, 22 pt, by default).
    pub fn heading(&mut self, text: &str, size: f32) {
        for line in self.lines(text, size, Self::content_width()) {
            self.room_for(size * LINE);
            let x = (PAGE_WIDTH - self.fonts.width(&line, size)) / 2.0;
            self.text_at(x, self.y + size, size, true, line);
            self.y += size * LINE;
        }
        self.y += size * 0.4;
    }

    /// A line in smaller type, right-aligned (a document number under the title).
    pub fn right(&mut self, text: &str, size: f32) {
        self.room_for(size * LINE);
        let x = PAGE_WIDTH - MARGIN_X - self.fonts.width(text, size);
        self.text_at(x, self.y + size, size, false, text.into());
        self.y += size * LINE;
    }

    /// Paragraphs (one per line of `text`), the first line of each indented two
    /// characters — except a salutation ending in "：", which starts flush left.
    pub fn paragraphs(&mut self, text: &str, size: f32) {
        for paragraph in text.lines().map(str::trim).filter(|p| !p.is_empty()) {
            if paragraph.ends_with('：') {
                self.block(paragraph, size, MARGIN_X, false);
            } else {
                self.block(
                    &format!("\u{3000}\u{3000}{paragraph}"),
                    size,
                    MARGIN_X,
                    false,
                );
            }
        }
    }

    /// Text from the left margin, wrapped, no indent.
    pub fn text(&mut self, text: &str, size: f32, bold: bool) {
        self.block(text, size, MARGIN_X, bold);
    }

    fn block(&mut self, text: &str, size: f32, x: f32, bold: bool) {
        let width = PAGE_WIDTH - MARGIN_X - x;
        for line in self.lines(text, size, width) {
            self.room_for(size * LINE);
            self.text_at(x, self.y + size, size, bold, line);
            self.y += size * LINE;
        }
    }

    /// A numbered list ("1." hanging outside the text).
    pub fn numbered(&mut self, items: &[String], size: f32) {
        for (i, item) in items.iter().enumerate() {
            let label = format!("{}．", i + 1);
            let indent = MARGIN_X + size * 2.0;
            self.room_for(size * LINE);
            self.text_at(MARGIN_X + size * 0.5, self.y + size, size, false, label);
            self.block(item, size, indent, false);
        }
    }

    /// A bordered grid of label / value pairs, two pairs per row.
    pub fn fields(&mut self, pairs: &[(&str, String)]) {
        let rows: Vec<&[(&str, String)]> = pairs.chunks(2).collect();
        self.grid(&rows);
    }

    /// A bordered grid of label / value pairs; each row holds one pair (across
    /// the whole width, for long values) or two.
    pub fn grid(&mut self, rows: &[&[(&str, String)]]) {
        let label_w = 78.0;
        let full = Self::content_width();
        let half = full / 2.0 - label_w;
        for row in rows {
            let cells: Vec<(String, bool)> = row
                .iter()
                .flat_map(|(label, value)| [((*label).to_string(), true), (value.clone(), false)])
                .collect();
            if cells.len() == 2 {
                self.row(&[label_w, full - label_w], &cells, BODY);
            } else {
                self.row(&[label_w, half, label_w, half], &cells, BODY);
            }
        }
        self.y += 8.0;
    }

    /// A bordered table; the header row is repeated on every page it runs onto.
    pub fn table(&mut self, headers: &[&str], fractions: &[f32], rows: &[Vec<String>], size: f32) {
        let total: f32 = fractions.iter().sum();
        let widths: Vec<f32> = fractions
            .iter()
            .map(|f| f / total * Self::content_width())
            .collect();
        let head: Vec<(String, bool)> = headers.iter().map(|h| ((*h).into(), true)).collect();
        self.row(&widths, &head, size);
        for row in rows {
            let cells: Vec<(String, bool)> = row.iter().map(|c| (c.clone(), false)).collect();
            if !self.fits_row(&widths, &cells, size) {
                self.new_page();
                self.row(&widths, &head, size);
            }
            self.row(&widths, &cells, size);
        }
        self.y += 8.0;
    }

    fn cell_lines(&self, widths: &[f32], cells: &[(String, bool)], size: f32) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(widths)
            .map(|((text, _), w)| self.lines(text, size, w - 2.0 * CELL_PAD))
            .collect()
    }

    fn row_height(lines: &[Vec<String>], size: f32) -> f32 {
        let most = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        most as f32 * size * 1.45 + 2.0 * CELL_PAD
    }

    fn fits_row(&self, widths: &[f32], cells: &[(String, bool)], size: f32) -> bool {
        let height = Self::row_height(&self.cell_lines(widths, cells, size), size);
        self.y + height <= PAGE_HEIGHT - MARGIN_BOTTOM
    }

    fn row(&mut self, widths: &[f32], cells: &[(String, bool)], size: f32) {
        let lines = self.cell_lines(widths, cells, size);
        let height = Self::row_height(&lines, size);
        self.room_for(height);
        let mut x = MARGIN_X;
        for ((cell_lines, (_, bold)), w) in lines.into_iter().zip(cells).zip(widths) {
            self.push(Op::Rect {
                x,
                y: self.y,
                w: *w,
                h: height,
            });
            for (i, line) in cell_lines.into_iter().enumerate() {
                let baseline = self.y + CELL_PAD + size * (1.1 + 1.45 * i as f32);
                self.text_at(x + CELL_PAD, baseline, size, *bold, line);
            }
            x += w;
        }
        self.y += height;
    }

    /// The closing block, kept on one page: lines flush right (the issuing
    /// body, the date) and, when given, a QR code with its caption on the left.
    pub fn closing(&mut self, lines: &[String], qr: Option<(&str, &str)>) -> anyhow::Result<()> {
        let side = 78.0;
        let caption = 9.0;
        let text_height = lines.len() as f32 * BODY * LINE;
        let height = 20.0
            + text_height.max(if qr.is_some() {
                side + caption * 2.0
            } else {
                0.0
            });
        self.room_for(height);
        self.y += 20.0;
        let top = self.y;
        if let Some((data, label)) = qr {
            let code = qrcode::QrCode::new(data.as_bytes())?;
            let width = code.width();
            let dark = code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect();
            self.push(Op::Qr {
                x: MARGIN_X,
                y: top,
                side,
                dark,
                width,
            });
            let x = MARGIN_X + (side - self.fonts.width(label, caption)).max(0.0) / 2.0;
            self.text_at(x, top + side + caption + 2.0, caption, false, label.into());
        }
        let widest = lines
            .iter()
            .map(|l| self.fonts.width(l, BODY))
            .fold(0.0, f32::max);
        let x = PAGE_WIDTH - MARGIN_X - widest - BODY;
        // Beside a QR code the text sits level with its middle.
        let mut y = if qr.is_some() {
            top + (side - text_height) / 2.0
        } else {
            top
        };
        for line in lines {
            let centred = x + (widest - self.fonts.width(line, BODY)) / 2.0;
            self.text_at(centred, y + BODY, BODY, false, line.clone());
            y += BODY * LINE;
        }
        self.y = top + height - 20.0;
        Ok(())
    }

    /// Page numbers at the foot of every page when there is more than one.
    pub(crate) fn number_pages(&mut self) {
        let total = self.pages.len();
        if total < 2 {
            return;
        }
        let size = 9.0;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let text = format!("第 {} 页 共 {} 页", i + 1, total);
            let x = (PAGE_WIDTH - self.fonts.width(&text, size)) / 2.0;
            let y = PAGE_HEIGHT - MARGIN_BOTTOM / 2.0;
            page.push(Op::Text {
                x,
                y,
                size,
                bold: false,
                text,
            });
        }
    }
}
