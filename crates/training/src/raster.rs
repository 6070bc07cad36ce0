//! A tiny RGB canvas for the pictures this module makes itself (the demo's
//! video frames, their poster and its panorama): filled rectangles and
//! seven-segment digits, written out as PNG.

pub type Rgb = (u8, u8, u8);

pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub px: Vec<Rgb>,
}

/// Which of the seven segments (a–g) light for each digit.
const SEGMENTS: [u8; 10] = [
    0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110, 0b1101101, 0b1111101, 0b0000111,
    0b1111111, 0b1101111,
];

impl Canvas {
    pub fn new(width: usize, height: usize, fill: Rgb) -> Canvas {
        Canvas {
            width,
            height,
            px: vec![fill; width * height],
        }
    }

    /// The picture as a PNG file.
    pub fn png(&self) -> anyhow::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, self.width as u32, self.height as u32);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header()?;
            let raw: Vec<u8> = self.px.iter().flat_map(|&(r, g, b)| [r, g, b]).collect();
            w.write_image_data(&raw)?;
        }
        Ok(bytes)
    }

    /// Fills a rectangle, clipped to the canvas.
    pub fn rect(&mut self, x0: usize, y0: usize, w: usize, h: usize, c: Rgb) {
        for y in y0..(y0 + h).min(self.height) {
            for x in x0..(x0 + w).min(self.width) {
                self.px[y * self.width + x] = c;
            }
        }
    }

    /// Draws the digits of `text` (other characters leave a gap) in
    /// seven-segment style, each `size` pixels high, from `(x0, y0)`;
    /// returns the width drawn.
    pub fn digits(&mut self, text: &str, x0: usize, y0: usize, size: usize, c: Rgb) -> usize {
        let t = (size / 9).max(1);
        let w = size / 2;
        let half = size / 2;
        let mut x = x0;
        for ch in text.chars() {
            if let Some(d) = ch.to_digit(10) {
                let on = SEGMENTS[d as usize];
                let segs = [
                    (t, 0, w - 2 * t, t),
                    (w - t, t, t, half - t),
                    (w - t, half, t, half - t),
                    (t, size - t, w - 2 * t, t),
                    (0, half, t, half - t),
                    (0, t, t, half - t),
                    (t, half - t / 2, w - 2 * t, t),
                ];
                for (k, (sx, sy, sw, sh)) in segs.iter().enumerate() {
                    if on & (1 << k) != 0 {
                        self.rect(x + sx, y0 + sy, *sw, *sh, c);
                    }
                }
            }
            x += w + t * 2;
        }
        x - x0
    }
}
