//! The layout stage: owns turning a page's glyphs (or a plain-text disclosure's lines) into
//! text lines and table grids, in reading order.
//!
//! Tables come from ruling lines where they exist and from text alignment where they do not.
//! Plain-text inputs (tab-separated rows, as in the seeds) become the same structures, so every
//! later stage sees one shape whatever the input was.

mod borderless;
mod grid;
mod lines;
pub mod render;
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
///
/// Ruled tables are found first from the ruling lines; the remaining glyphs are grouped into
/// lines, among which borderless tables are found by column alignment. Everything else
/// (titles, owner and unit lines, notes, prose) stays a text line.
pub fn layout_page(page: &crate::pdf::Page) -> PageLayout {
    // Text drawn outside the page box (clipped overflow some producers emit) is invisible.
    let on_page = |g: &crate::pdf::Glyph| {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, (g.y0 + g.y1) / 2.0);
        page.width <= 0.0
            || page.height <= 0.0
            || (cx >= 0.0 && cx <= page.width && cy >= 0.0 && cy <= page.height)
    };
    let visible: Vec<crate::pdf::Glyph> =
        page.glyphs.iter().filter(|g| on_page(g)).cloned().collect();
    let glyphs = lines::clean(&visible);
    let frames = grid::find_frames(page);
    let mut in_frame: Vec<Vec<crate::pdf::Glyph>> = vec![Vec::new(); frames.len()];
    let mut free = Vec::new();
    for g in glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, (g.y0 + g.y1) / 2.0);
        match frames.iter().position(|f| f.contains(cx, cy)) {
            Some(i) => {
                if let Some(v) = in_frame.get_mut(i) {
                    v.push(g);
                }
            }
            None => free.push(g),
        }
    }
    // (top y, block) pairs, sorted at the end into reading order.
    let mut placed: Vec<(f32, Block)> = Vec::new();
    let mut kept_frames = Vec::new();
    for (frame, gs) in frames.iter().zip(in_frame) {
        match grid::fill(frame, &gs, page.number) {
            Some(g) => {
                kept_frames.push(frame.clone());
                placed.push((g.bbox[1], Block::Table(g)));
            }
            // An empty frame (a box drawn round nothing) gives its glyphs back.
            None => free.extend(gs),
        }
    }
    let text_lines = lines::group_lines(&free);
    // Rules shorter than a few characters are underlines or decorations, not row separators.
    let row_rules = grid::loose_row_rules(page, &kept_frames, 30.0);
    let found = borderless::find_tables(&text_lines, &row_rules, page.number);
    let mut in_table = vec![false; text_lines.len()];
    for f in found {
        for flag in in_table.iter_mut().take(f.end).skip(f.start) {
            *flag = true;
        }
        placed.push((f.grid.bbox[1], Block::Table(f.grid)));
    }
    for (line, taken) in text_lines.iter().zip(in_table) {
        if taken {
            continue;
        }
        placed.push((line.y0, Block::Text(to_text_line(line, page.number))));
    }
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    PageLayout {
        number: page.number,
        width: page.width,
        height: page.height,
        blocks: placed.into_iter().map(|(_, b)| b).collect(),
    }
}

fn to_text_line(line: &lines::RawLine, page: usize) -> TextLine {
    TextLine {
        page,
        y0: line.y0,
        y1: line.y1,
        spans: line
            .spans
            .iter()
            .map(|s| Span {
                text: s.text(),
                x0: s.x0(),
                x1: s.x1(),
            })
            .collect(),
    }
}

/// Lays out a plain-text disclosure (tab-separated table rows, as in the seeds).
pub fn from_text(text: &str) -> Layout {
    text::from_text(text)
}

/// A page's text arranged like `pdftotext -layout`: for users and for debugging.
pub fn render_text(page: &crate::pdf::Page) -> String {
    render::render(page)
}
