//! Charts drawn in the page's own vector ops, so a report's figures print
//! sharp and stay in the PDF as text: horizontal bars (a ranking) and
//! columns (a series over days or hours).

use crate::layout::{Document, MARGIN_X, Op};

const BLUE: (u8, u8, u8) = (47, 107, 255);
const GREY: (u8, u8, u8) = (205, 214, 228);
const SIZE: f32 = 9.0;

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

impl Document {
    /// Horizontal bars, one per item, longest = largest, value at the bar's end.
    pub fn bars(&mut self, caption: &str, items: &[(String, f64)], unit: &str) {
        if items.is_empty() {
            return;
        }
        let row = 16.0;
        let height = 22.0 + row * items.len() as f32;
        self.room_for(height);
        self.text_at(MARGIN_X, self.y + 11.0, 10.5, true, caption.to_string());
        self.y += 20.0;
        let width = Self::content_width();
        let label_w = width * 0.34;
        let bar_w = width - label_w - 60.0;
        let max = items.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(1e-9);
        for (label, v) in items {
            let mut text = label.clone();
            while self.fonts.width(&text, SIZE) > label_w - 8.0 && text.chars().count() > 2 {
                text.pop();
                text.pop();
                text.push('…');
            }
            let y = self.y;
            self.text_at(MARGIN_X, y + 11.0, SIZE, false, text);
            let w = (bar_w as f64 * v / max) as f32;
            self.push(Op::Fill {
                x: MARGIN_X + label_w,
                y: y + 3.0,
                w: w.max(0.5),
                h: 10.0,
                rgb: BLUE,
            });
            self.text_at(
                MARGIN_X + label_w + w + 4.0,
                y + 11.0,
                SIZE,
                false,
                format!("{}{unit}", number(*v)),
            );
            self.y += row;
        }
        self.y += 8.0;
    }

    /// Columns over a series (days, hours); empty values leave a gap. Labels
    /// are thinned to fit; the largest value is written above its column.
    pub fn columns(
        &mut self,
        caption: &str,
        labels: &[String],
        values: &[Option<f64>],
        unit: &str,
    ) {
        if labels.is_empty() {
            return;
        }
        let plot = 110.0;
        self.room_for(plot + 44.0);
        self.text_at(MARGIN_X, self.y + 11.0, 10.5, true, caption.to_string());
        self.y += 24.0;
        let width = Self::content_width();
        let max = values
            .iter()
            .flatten()
            .copied()
            .fold(0.0, f64::max)
            .max(1e-9);
        let slot = width / labels.len() as f32;
        let top = self.y;
        // The baseline.
        self.push(Op::Fill {
            x: MARGIN_X,
            y: top + plot,
            w: width,
            h: 0.6,
            rgb: GREY,
        });
        let every = (labels.len() as f32 * 26.0 / width).ceil().max(1.0) as usize;
        let peak = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .fold(None, |best: Option<(usize, f64)>, (i, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((i, v)),
            });
        for (i, label) in labels.iter().enumerate() {
            let x = MARGIN_X + slot * i as f32;
            if let Some(v) = values.get(i).copied().flatten() {
                let h = (plot as f64 * v / max) as f32;
                self.push(Op::Fill {
                    x: x + slot * 0.18,
                    y: top + plot - h,
                    w: slot * 0.64,
                    h,
                    rgb: BLUE,
                });
                if peak.is_some_and(|(p, _)| p == i) {
                    self.text_at(
                        x,
                        top + plot - h - 3.0,
                        SIZE,
                        false,
                        format!("{}{unit}", number(v)),
                    );
                }
            }
            if i % every == 0 {
                self.text_at(x + 1.0, top + plot + 11.0, 7.5, false, label.clone());
            }
        }
        self.y = top + plot + 22.0;
    }
}
