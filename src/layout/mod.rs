//! The layout stage: owns turning a page's glyphs (or a plain-text disclosure's lines) into
//! text lines and table grids, in reading order.
//!
//! Tables come from ruling lines where they exist and from text alignment where they do not.
//! Plain-text inputs (tab-separated rows, as in the seeds) become the same structures, so every
//! later stage sees one shape whatever the input was.

pub mod text;

/// A run of text on one line with no large gap inside: a word, a phrase or one cell's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
}

/// One line of text outside any table.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// 1-based page number.
    pub page: usize,
    pub y0: f32,
    pub y1: f32,
    /// Spans left to right.
    pub spans: Vec<Span>,
}

impl TextLine {
    /// The line's text, spans joined by a single space.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&s.text);
        }
        out
    }
}

/// One grid cell. A merged cell is stored once, at its top-left position, with its span; the
/// positions it covers hold `covered = true` and empty text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    pub row_span: u16,
    pub col_span: u16,
    pub covered: bool,
}

/// A table grid on one page: rows × columns, rectangular.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// 1-based page number.
    pub page: usize,
    /// Bounding box on the page (x0, y0, x1, y1); for text inputs, line indices.
    pub bbox: [f32; 4],
    /// True when the grid came from ruling lines, false when from text alignment (or tabs).
    pub ruled: bool,
    /// Column boundaries, `n_cols + 1` values, left to right.
    pub col_x: Vec<f32>,
    /// `rows[r][c]`; every row has `col_x.len() - 1` cells.
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn n_cols(&self) -> usize {
        self.col_x.len().saturating_sub(1)
    }
}

/// A page's content in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(TextLine),
    Table(Grid),
}

/// A laid-out page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageLayout {
    pub number: usize,
    pub width: f32,
    pub height: f32,
    pub blocks: Vec<Block>,
}

/// A whole document after layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub pages: Vec<PageLayout>,
}

/// Lays out one PDF page: lines, blocks and table grids in reading order.
pub fn layout_page(page: &crate::pdf::Page) -> PageLayout {
    PageLayout {
        number: page.number,
        width: page.width,
        height: page.height,
        blocks: Vec::new(),
    }
}

/// Lays out a plain-text disclosure (tab-separated table rows, as in the seeds).
pub fn from_text(text: &str) -> Layout {
    text::from_text(text)
}

/// A page's text arranged like `pdftotext -layout`: for users and for debugging.
pub fn render_text(page: &crate::pdf::Page) -> String {
    let _ = page;
    String::new()
}
