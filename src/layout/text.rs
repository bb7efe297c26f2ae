//! Plain-text disclosures (text extractions with tab-separated table rows, as in the seeds) laid
//! out into the same blocks a PDF page gives: lines without tabs become text lines, runs of
//! tab-separated lines become one grid each (column = tab position), and a form feed starts a
//! new page. Also recovers tables written one cell per line (a leading tab before each cell, a
//! blank line after each row), the shape some converters give to nested Word tables.

use super::{Block, Cell, Grid, Layout, PageLayout, Span, TextLine};
use crate::amount::parse_amount;

/// Lays out a whole text disclosure; one page per form-feed-separated part.
pub fn from_text(text: &str) -> Layout {
    let mut parts: Vec<&str> = text.split('\u{c}').collect();
    // A form feed at the very end closes the last page rather than opening an empty one.
    while parts.len() > 1 && parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    let pages = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let lines: Vec<&str> = part.lines().collect();
            PageLayout {
                number: i + 1,
                width: 0.0,
                height: lines.len() as f32,
                blocks: page_blocks(&lines, i + 1),
            }
        })
        .collect();
    Layout { pages }
}

/// Nothing but spaces. A line holding only a tab is not blank: it is an empty cell.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() && c != '\t')
}

fn has_tab(line: &str) -> bool {
    line.contains('\t')
}

/// A line holding one cell of a one-cell-per-line table: whitespace, one tab, the cell text.
fn is_cell_line(line: &str) -> bool {
    match line.split_once('\t') {
        Some((before, after)) => before.trim().is_empty() && !after.contains('\t'),
        None => false,
    }
}

fn text_line(page: usize, idx: usize, texts: &[&str]) -> TextLine {
    let mut spans = Vec::new();
    let mut x = 0.0f32;
    for t in texts {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        let w = t.chars().count() as f32;
        spans.push(Span {
            text: t.to_string(),
            x0: x,
            x1: x + w,
        });
        x += w + 1.0;
    }
    TextLine {
        page,
        y0: idx as f32,
        y1: idx as f32 + 1.0,
        spans,
    }
}

fn page_blocks(lines: &[&str], page: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if is_blank(line) {
            i += 1;
        } else if has_tab(line) {
            if is_cell_line(line) && next_tab_line_is_cell_line(lines, i + 1) {
                i = cell_per_line_run(lines, i, page, &mut blocks);
            } else {
                i = tab_run(lines, i, page, &mut blocks);
            }
        } else {
            blocks.push(Block::Text(text_line(page, i, &[line])));
            i += 1;
        }
    }
    blocks
}

/// Whether the next tab line (within a few lines, across blanks and wrapped cell text) is a
/// one-cell line too: one such line alone is just a table row with an empty first cell.
fn next_tab_line_is_cell_line(lines: &[&str], from: usize) -> bool {
    lines
        .iter()
        .skip(from)
        .take(6)
        .find(|l| has_tab(l))
        .is_some_and(|l| is_cell_line(l))
}

fn split_row(line: &str) -> Vec<String> {
    line.split('\t').map(|c| c.trim().to_string()).collect()
}

/// A caption row inside a tab run (`【366】… \t\t\t 单位：万元`): its cells are the table's owner
/// and unit, not table cells.
fn is_caption_row(cells: &[String]) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    !filled.is_empty()
        && filled.iter().all(|c| parse_amount(c).is_none())
        && filled
            .iter()
            .any(|c| c.starts_with('【') || c.contains("单位：") || c.contains("单位:"))
}

/// Consecutive tab lines from `start` as one grid; a blank line inside does not end the run when
/// the next line is a tab line with the same number of cells as the last row. Returns the
/// index after the run.
fn tab_run(lines: &[&str], start: usize, page: usize, blocks: &mut Vec<Block>) -> usize {
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if has_tab(line) {
            rows.push((i, split_row(line)));
            i += 1;
            continue;
        }
        if !is_blank(line) {
            break;
        }
        let next = (i..lines.len()).find(|&j| lines.get(j).is_some_and(|l| !is_blank(l)));
        let continues = next.and_then(|j| lines.get(j)).is_some_and(|l| {
            has_tab(l)
                && rows
                    .last()
                    .is_some_and(|(_, r)| r.len() == split_row(l).len() && r.len() >= 2)
        });
        match next {
            Some(j) if continues => i = j,
            _ => break,
        }
    }
    // Caption rows at the top of the run are text lines above the table.
    let mut first = 0;
    while let Some((idx, cells)) = rows.get(first) {
        if !is_caption_row(cells) {
            break;
        }
        let texts: Vec<&str> = cells.iter().map(String::as_str).collect();
        blocks.push(Block::Text(text_line(page, *idx, &texts)));
        first += 1;
    }
    let body: Vec<(usize, Vec<String>)> = rows.into_iter().skip(first).collect();
    if let Some(grid) = make_grid(page, &body) {
        blocks.push(Block::Table(grid));
    }
    i
}

fn make_grid(page: usize, rows: &[(usize, Vec<String>)]) -> Option<Grid> {
    let first = rows.first()?.0;
    let last = rows.last()?.0;
    let width = rows.iter().map(|(_, r)| r.len()).max()?.max(1);
    let grid_rows = rows
        .iter()
        .map(|(_, r)| {
            (0..width)
                .map(|c| Cell {
                    text: r.get(c).cloned().unwrap_or_default(),
                    row_span: 1,
                    col_span: 1,
                    covered: false,
                })
                .collect()
        })
        .collect();
    Some(Grid {
        page,
        bbox: [0.0, first as f32, width as f32, last as f32 + 1.0],
        ruled: false,
        col_x: (0..=width).map(|x| x as f32).collect(),
        rows: grid_rows,
    })
}

/// One row of a one-cell-per-line table, with the line it starts on.
struct CellRow {
    line: usize,
    cells: Vec<String>,
}

/// Reads one-cell-per-line rows from `start` (cells on consecutive lines, a line without a tab
/// continuing the cell above, a blank line ending the row) until a blank line is followed by
/// something other than a cell line. Returns the index after the run.
fn cell_per_line_run(lines: &[&str], start: usize, page: usize, blocks: &mut Vec<Block>) -> usize {
    let mut rows: Vec<CellRow> = Vec::new();
    let mut current: Option<CellRow> = None;
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if is_blank(line) {
            if let Some(row) = current.take() {
                rows.push(row);
            }
            let next = (i..lines.len()).find(|&j| lines.get(j).is_some_and(|l| !is_blank(l)));
            match next {
                Some(j) if lines.get(j).is_some_and(|l| is_cell_line(l)) => i = j,
                _ => break,
            }
            continue;
        }
        if is_cell_line(line) {
            let text = line
                .split_once('\t')
                .map(|(_, t)| t.trim())
                .unwrap_or_default();
            match current.as_mut() {
                Some(row) => row.cells.push(text.to_string()),
                None => {
                    current = Some(CellRow {
                        line: i,
                        cells: vec![text.to_string()],
                    })
                }
            }
        } else if has_tab(line) {
            break;
        } else if let Some(cell) = current.as_mut().and_then(|r| r.cells.last_mut()) {
            // Wrapped text of the cell above.
            cell.push_str(line.trim());
        } else {
            break;
        }
        i += 1;
    }
    if let Some(row) = current.take() {
        rows.push(row);
    }
    emit_cell_rows(rows, page, blocks);
    i
}

fn is_numeric_row(cells: &[String]) -> bool {
    cells.iter().any(|c| parse_amount(c).is_some())
}

/// Single-cell rows are captions (text lines); runs of wider rows are grids. A text-only row of
/// a different width after rows with figures starts a new grid: that is the next table's header.
fn emit_cell_rows(rows: Vec<CellRow>, page: usize, blocks: &mut Vec<Block>) {
    let mut grid_rows: Vec<(usize, Vec<String>)> = Vec::new();
    let flush = |grid_rows: &mut Vec<(usize, Vec<String>)>, blocks: &mut Vec<Block>| {
        if let Some(g) = make_grid(page, grid_rows) {
            blocks.push(Block::Table(g));
        }
        grid_rows.clear();
    };
    for row in rows {
        if row.cells.len() < 2 {
            flush(&mut grid_rows, blocks);
            let texts: Vec<&str> = row.cells.iter().map(String::as_str).collect();
            if texts.iter().any(|t| !t.trim().is_empty()) {
                blocks.push(Block::Text(text_line(page, row.line, &texts)));
            }
            continue;
        }
        let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
        let starts_new = filled >= 2
            && !is_numeric_row(&row.cells)
            && grid_rows.iter().any(|(_, r)| is_numeric_row(r))
            && grid_rows
                .last()
                .is_some_and(|(_, r)| r.len() != row.cells.len());
        if starts_new {
            flush(&mut grid_rows, blocks);
        }
        grid_rows.push((row.line, row.cells));
    }
    flush(&mut grid_rows, blocks);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grids(l: &Layout) -> Vec<&Grid> {
        l.pages
            .iter()
            .flat_map(|p| &p.blocks)
            .filter_map(|b| match b {
                Block::Table(g) => Some(g),
                Block::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn tab_rows_become_one_padded_grid() {
        let l = from_text("标题\n\na\tb\tc\n1\t2\n\nx\ty\tz\n正文\n");
        let g = grids(&l);
        assert_eq!(
            g.len(),
            2,
            "a blank line before a row of another width ends the grid"
        );
        assert_eq!(g[0].n_cols(), 3);
        assert_eq!(g[0].rows.len(), 2);
        assert_eq!(g[0].rows[1][2].text, "");
    }

    #[test]
    fn form_feed_starts_a_page() {
        let l = from_text("一\n\u{c}二\ta\n\u{c}");
        assert_eq!(l.pages.len(), 2);
        assert_eq!(grids(&l)[0].page, 2);
    }

    #[test]
    fn one_cell_per_line_rows() {
        let text = "\t名称\n\t金额\n\t备\n注\n\n\t甲\n\t1.50\n\t\n\n正文";
        let l = from_text(text);
        let g = grids(&l);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].rows.len(), 2);
        assert_eq!(g[0].rows[0][2].text, "备注");
        assert_eq!(g[0].rows[1][1].text, "1.50");
    }
}
