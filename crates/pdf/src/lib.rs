//! Printable documents: A4 pages laid out in Chinese — headings, paragraphs,
//! bordered field grids and tables that continue across pages, numbered lists,
//! bar charts, a QR code and a signature block — drawn with the font the binary carries, so
//! a notice prints the same on every server with no font installed.

pub mod chart;
pub mod fonts;
pub mod layout;
pub mod render;
pub mod wrap;

pub use layout::{BODY, Document};
pub use render::render;
