//! The faces a document draws with: the font the binary carries (Noto Serif CJK
//! SC cut to GB 2312, see `scripts/notice_font.py`), and for the rare character
//! it lacks (some names: 玥, 堃, 喆 …) a full CJK font of the machine when one is
//! installed. Text is measured here to be wrapped.

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use std::sync::OnceLock;

const CARRIED: &[u8] = include_bytes!("../fonts/NotoSerifSC-GB2312.otf");

/// Full CJK fonts Debian installs (`fonts-noto-cjk`, `fonts-wqy-microhei`) and
/// the face index of Simplified Chinese in each collection.
const MACHINE_FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
];

/// One font: what krilla embeds and what skrifa measures.
pub struct Face {
    pub(crate) pdf: Font,
    outline: FontRef<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8], index: u32) -> Option<Face> {
        let outline = FontRef::from_index(data, index).ok()?;
        let units_per_em = f32::from(outline.head().ok()?.units_per_em());
        let pdf = Font::new(data.into(), index)?;
        Some(Face {
            pdf,
            outline,
            units_per_em,
        })
    }

    fn has(&self, c: char) -> bool {
        self.outline.charmap().map(c).is_some()
    }

    /// Advance of `c` in ems (0 when the face lacks it: .notdef is not drawn wide).
    fn advance_em(&self, c: char) -> f32 {
        let Some(glyph) = self.outline.charmap().map(c) else {
            return 0.0;
        };
        let metrics = self
            .outline
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em
    }
}

/// Which face draws a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Carried,
    Machine,
}

/// The carried face and, loaded on first need, the machine's full face.
pub struct Fonts {
    carried: Face,
    machine: OnceLock<Option<Face>>,
}

impl Fonts {
    /// The process-wide fonts (the carried font is parsed once).
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts {
            carried: Face::load(CARRIED, 0)
                .expect("the carried notice font is a valid OpenType font"),
            machine: OnceLock::new(),
        })
    }

    fn machine(&self) -> Option<&Face> {
        self.machine
            .get_or_init(|| {
                MACHINE_FONTS.iter().find_map(|(path, index)| {
                    let data = std::fs::read(path).ok()?;
                    // Loaded once per process and kept for its life.
                    Face::load(Box::leak(data.into_boxed_slice()), *index)
                })
            })
            .as_ref()
    }

    /// The face for `c`: the carried one unless it lacks `c` and the machine has it.
    pub fn which(&self, c: char) -> Which {
        if self.carried.has(c) || c.is_whitespace() {
            return Which::Carried;
        }
        match self.machine() {
            Some(face) if face.has(c) => Which::Machine,
            _ => Which::Carried,
        }
    }

    pub(crate) fn face(&self, which: Which) -> &Face {
        match which {
            Which::Machine => self.machine().unwrap_or(&self.carried),
            Which::Carried => &self.carried,
        }
    }

    /// Width of `c` at `size` points.
    pub fn advance(&self, c: char, size: f32) -> f32 {
        self.face(self.which(c)).advance_em(c) * size
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c, size)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hanzi_are_one_em_and_latin_is_narrower() {
        let fonts = Fonts::get();
        assert!((fonts.advance('受', 10.0) - 10.0).abs() < 0.01);
        assert!(fonts.advance('1', 10.0) < 7.0);
        assert!(fonts.advance('1', 10.0) > 2.0);
        assert_eq!(fonts.which('受'), Which::Carried);
    }
}
