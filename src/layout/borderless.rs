//! Owns tables without ruling lines: finding runs of lines whose spans line up in columns,
//! deriving column boundaries from the gaps shared by those lines, and splitting text that
//! runs across a column boundary (a number fused to the next column's label).

use super::grid::is_cjk;
use super::lines::{RawLine, RawSpan};
use super::{Cell, Grid};

/// Edges closer than this (points) are aligned.
const ALIGN: f32 = 2.0;

/// A table found among text lines: the lines `start..end` of the input became `grid`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub grid: Grid,
}

/// Text that reads as an amount, a percentage or a code: digits with separators.
pub(crate) fn is_numeric(text: &str) -> bool {
    let t = text.trim();
    let body = t
        .strip_prefix(['-', '−', '－'])
        .unwrap_or(t)
        .trim_end_matches(['%', '％']);
    !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '，' | '．'))
}

/// Lines that describe a table rather than belong to it: owner, unit and note lines.
fn is_meta(line: &RawLine) -> bool {
    let t: String = line.text().chars().filter(|c| !c.is_whitespace()).collect();
    t.starts_with("注")
        || t.contains("单位:")
        || t.contains("单位：")
        || (t.starts_with('【') && t.contains('】'))
        || t.starts_with("表")
}

/// Justified prose stretches the spaces around numbers into gaps as wide as a column gap;
/// its sentence punctuation tells it from a table row.
fn is_prose(line: &RawLine) -> bool {
    let t = line.text();
    t.contains('。') || (t.chars().count() > 20 && t.contains(['，', '；']))
}

fn is_row_candidate(line: &RawLine) -> bool {
    line.spans.len() >= 2 && !is_meta(line) && !is_prose(line)
}

/// An amount after the line's first span: a list numbered `1.`, `2.` is not a table.
fn has_number(line: &RawLine) -> bool {
    line.spans.iter().skip(1).any(|s| is_numeric(&s.text()))
}

/// Finds borderless tables among `lines` (top to bottom, none inside a ruled table).
/// `row_rules` are the y positions of horizontal rules outside any ruled grid: tables ruled
/// only between rows use them to keep a wrapped row together.
pub(crate) fn find_tables(lines: &[RawLine], row_rules: &[f32], page: usize) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines.get(i).is_some_and(is_row_candidate) {
            i += 1;
            continue;
        }
        // Extend the run over candidate rows; a single-span line (a row whose other cells
        // are empty, or a wrapped label) is kept when a candidate row follows closely.
        let mut end = i + 1;
        let mut j = i + 1;
        // Rows keep a steady pitch, which may be several font sizes in a roomy table.
        let mut pitch_gap = 0.0f32;
        while let Some(line) = lines.get(j) {
            let prev = lines.get(j.saturating_sub(1));
            let gap = prev.map_or(f32::INFINITY, |p| line.y0 - p.y1);
            let limit = prev.map_or(0.0, |p| (3.0 * p.size.max(line.size)).max(1.6 * pitch_gap));
            if gap > limit || is_meta(line) || is_prose(line) {
                break;
            }
            pitch_gap = pitch_gap.max(gap);
            if is_row_candidate(line) {
                j += 1;
                end = j;
                continue;
            }
            let next_is_row = lines
                .get(j + 1)
                .is_some_and(|n| is_row_candidate(n) && n.y0 - line.y1 <= limit);
            // A wrapped label can put up to two text-only lines before the next full row.
            let row_soon = (j + 2..=j + 3).any(|k| lines.get(k).is_some_and(is_row_candidate));
            // A row whose other cells are empty starts where a column's text starts (or, for
            // an amount, ends where it ends).
            let aligned = line.spans.first().is_some_and(|s| {
                lines.get(i..end).unwrap_or(&[]).iter().any(|r| {
                    r.spans.len() >= 2
                        && r.spans.iter().any(|o| {
                            (o.x0() - s.x0()).abs() <= ALIGN || (o.x1() - s.x1()).abs() <= ALIGN
                        })
                })
            });
            if next_is_row || row_soon || aligned {
                j += 1;
            } else {
                break;
            }
        }
        let run = lines.get(i..end).unwrap_or(&[]);
        let rows = run.iter().filter(|l| is_row_candidate(l)).count();
        let numeric_rows = run.iter().filter(|l| has_number(l)).count();
        if rows >= 2
            && numeric_rows >= 1
            && let Some(grid) = build_grid(run, row_rules, page)
        {
            out.push(Found {
                start: i,
                end,
                grid,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Column intervals: x ranges covered by more than a few lines' spans.
fn columns(run: &[RawLine]) -> Vec<(f32, f32)> {
    let mut edges: Vec<(f32, i32)> = Vec::new();
    let mut counted = 0usize;
    for line in run {
        // One-span lines (wrapped labels, lone headers) say nothing about column gaps.
        if line.spans.len() < 2 {
            continue;
        }
        counted += 1;
        for s in &line.spans {
            edges.push((s.x0(), 1));
            edges.push((s.x1(), -1));
        }
    }
    // A gap survives a span crossing it in a few lines (a fused cell, a wide header).
    let tolerate = if counted >= 4 {
        (counted / 10).max(1) as i32
    } else {
        0
    };
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    let mut depth = 0;
    let mut open: Option<f32> = None;
    for (x, d) in edges {
        depth += d;
        match open {
            None if depth > tolerate => open = Some(x),
            Some(start) if depth <= tolerate => {
                cols.push((start, x));
                open = None;
            }
            _ => {}
        }
    }
    cols
}

fn column_of(cols: &[(f32, f32)], x: f32) -> usize {
    let mut best = 0;
    let mut best_d = f32::INFINITY;
    for (i, (a, b)) in cols.iter().enumerate() {
        let d = if x < *a {
            a - x
        } else if x > *b {
            x - b
        } else {
            0.0
        };
        if d < best_d {
            best_d = d;
            best = i;
        }
    }
    best
}

fn is_num_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%')
}

/// Splits a span that runs across the gap between two columns at the number/text
/// transition nearest that gap (`24,458.43二、财政专户…`, `本年支出合计3,471.62`). Each piece
/// comes with the column it is forced into, if the split decided one.
fn split_at_gaps(span: &RawSpan, cols: &[(f32, f32)]) -> Vec<(RawSpan, Option<usize>)> {
    let (x0, x1) = (span.x0(), span.x1());
    // Cut points: (glyph index where the right piece starts, column of the right piece).
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (k, w) in cols.windows(2).enumerate() {
        let [a, b] = w else { continue };
        let (gap_l, gap_r) = (a.1, b.0);
        if !(x0 < gap_l && x1 > gap_r) {
            continue;
        }
        let centre = (gap_l + gap_r) / 2.0;
        let mut best: Option<(usize, f32)> = None;
        for (i, pair) in span.glyphs.windows(2).enumerate() {
            let [p, g] = pair else { continue };
            let transition = (is_num_char(p.ch) && (is_cjk(g.ch) || g.ch.is_alphabetic()))
                || (is_num_char(g.ch) && (is_cjk(p.ch) || p.ch.is_alphabetic()));
            if !transition {
                continue;
            }
            let d = ((p.x1 + g.x0) / 2.0 - centre).abs();
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i + 1, d));
            }
        }
        if let Some((i, _)) = best {
            cuts.push((i, k + 1));
        }
    }
    cuts.sort_unstable();
    cuts.dedup_by_key(|c| c.0);
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut forced = None;
    for (at, col) in cuts {
        if let Some(gs) = span.glyphs.get(from..at)
            && !gs.is_empty()
        {
            pieces.push((
                RawSpan {
                    glyphs: gs.to_vec(),
                },
                forced,
            ));
        }
        from = at;
        forced = Some(col);
    }
    if let Some(gs) = span.glyphs.get(from..)
        && !gs.is_empty()
    {
        pieces.push((
            RawSpan {
                glyphs: gs.to_vec(),
            },
            forced,
        ));
    }
    pieces
}

fn join(a: &str, b: &str) -> String {
    match (a.chars().last(), b.chars().next()) {
        (None, _) => b.to_string(),
        (_, None) => a.to_string(),
        (Some(x), Some(y)) if is_cjk(x) && is_cjk(y) => format!("{a}{b}"),
        _ => format!("{a} {b}"),
    }
}

fn filled_columns(row: &[Cell]) -> Vec<usize> {
    row.iter()
        .enumerate()
        .filter(|(_, c)| !c.text.is_empty())
        .map(|(i, _)| i)
        .collect()
}

/// A label too long for its cell wraps around the row's vertical centre: one text-only line
/// above the amounts and one below, in columns the amount line leaves empty. Those three
/// lines are one row.
fn merge_centred_wraps(rows: Vec<Vec<Cell>>) -> Vec<Vec<Cell>> {
    let has_amount = |r: &[Cell]| r.iter().any(|c| is_numeric(&c.text));
    let Some(first_body) = rows.iter().position(|r| has_amount(r)) else {
        return rows;
    };
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        let window = (rows.get(i), rows.get(i + 1), rows.get(i + 2));
        if i + 1 >= first_body
            && let (Some(above), Some(mid), Some(below)) = window
            && !has_amount(above)
            && has_amount(mid)
            && !has_amount(below)
        {
            let cols = filled_columns(above);
            let fits = !cols.is_empty()
                && cols == filled_columns(below)
                && cols
                    .iter()
                    .all(|&c| mid.get(c).is_some_and(|m| m.text.is_empty()));
            if fits {
                let mut merged = mid.clone();
                for &c in &cols {
                    if let (Some(m), Some(a), Some(b)) =
                        (merged.get_mut(c), above.get(c), below.get(c))
                    {
                        m.text = join(&a.text, &b.text);
                    }
                }
                out.push(merged);
                i += 3;
                continue;
            }
        }
        if let Some(r) = rows.get(i) {
            out.push(r.clone());
        }
        i += 1;
    }
    out
}

/// For a table ruled between (most of) its rows, the band of each line: lines between the
/// same two rules are one row. `None` when the rules are too few to delimit rows (a
/// three-line table has rules only around its header).
fn ruled_bands(run: &[RawLine], row_rules: &[f32]) -> Option<Vec<usize>> {
    let (top, bottom) = (run.first()?.y0, run.last()?.y1);
    let inside = row_rules.iter().filter(|&&y| y > top && y < bottom).count();
    if inside == 0 || inside + 1 < run.len().div_ceil(2) {
        return None;
    }
    Some(
        run.iter()
            .map(|l| {
                let mid = (l.y0 + l.y1) / 2.0;
                row_rules.iter().filter(|&&y| y < mid).count()
            })
            .collect(),
    )
}

fn merge_bands(rows: Vec<Vec<Cell>>, bands: &[usize]) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::new();
    let mut last_band = None;
    for (row, band) in rows.into_iter().zip(bands.iter().copied()) {
        match out.last_mut() {
            Some(prev) if last_band == Some(band) => {
                for (p, c) in prev.iter_mut().zip(row) {
                    p.text = join(&p.text, &c.text);
                }
            }
            _ => out.push(row),
        }
        last_band = Some(band);
    }
    out
}

fn build_grid(run: &[RawLine], row_rules: &[f32], page: usize) -> Option<Grid> {
    let cols = columns(run);
    if cols.len() < 2 {
        return None;
    }
    let mut rows = Vec::with_capacity(run.len());
    for line in run {
        let mut cells = vec![Cell::default(); cols.len()];
        for span in &line.spans {
            for (piece, forced) in split_at_gaps(span, &cols) {
                let text = piece.text();
                // Right-aligned amounts overflow leftwards, labels rightwards.
                let anchor = if is_numeric(&text) {
                    piece.x1()
                } else {
                    piece.x0()
                };
                let c = forced.unwrap_or_else(|| column_of(&cols, anchor));
                if let Some(cell) = cells.get_mut(c) {
                    cell.text = join(&cell.text, &text);
                }
            }
        }
        for cell in &mut cells {
            cell.row_span = 1;
            cell.col_span = 1;
        }
        rows.push(cells);
    }
    let rows = match ruled_bands(run, row_rules) {
        Some(bands) => merge_bands(rows, &bands),
        None => merge_centred_wraps(rows),
    };
    // A table holds amounts in cells of their own; prose that happened to align does not.
    let numeric_cells = rows
        .iter()
        .flatten()
        .filter(|c: &&Cell| is_numeric(&c.text))
        .count();
    if numeric_cells < 2 {
        return None;
    }
    let first = cols.first()?;
    let last = cols.last()?;
    let mut col_x = vec![first.0];
    for w in cols.windows(2) {
        if let [a, b] = w {
            col_x.push((a.1 + b.0) / 2.0);
        }
    }
    col_x.push(last.1);
    let y0 = run.first()?.y0;
    let y1 = run.last()?.y1;
    Some(Grid {
        page,
        bbox: [first.0, y0, last.1, y1],
        ruled: false,
        col_x,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::lines::tests::run;
    use crate::layout::lines::{clean, group_lines};

    fn lines_of(rows: &[&[(&str, f32)]]) -> Vec<RawLine> {
        let mut glyphs = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            for (text, x) in row.iter() {
                glyphs.extend(run(text, *x, 100.0 + 15.0 * i as f32, 10.0));
            }
        }
        group_lines(&clean(&glyphs))
    }

    fn texts(grid: &Grid) -> Vec<Vec<String>> {
        grid.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn borderless_table_keeps_empty_cells_in_their_column() {
        // Amounts are right-aligned to x = 240 and 340.
        let lines = lines_of(&[
            &[("项目", 50.0), ("预算数", 210.0), ("上年数", 310.0)],
            &[
                ("一、财政拨款", 50.0),
                ("3,471.62", 200.0),
                ("3,000.00", 300.0),
            ],
            &[("政府性基金预算", 50.0), ("20.00", 215.0)],
            &[("合计", 50.0), ("3,491.62", 200.0), ("12.5", 320.0)],
        ]);
        let found = find_tables(&lines, &[], 1);
        assert_eq!(found.len(), 1);
        let grid = &found[0].grid;
        assert!(!grid.ruled);
        assert_eq!(grid.n_cols(), 3);
        assert_eq!(
            texts(grid),
            vec![
                vec!["项目", "预算数", "上年数"],
                vec!["一、财政拨款", "3,471.62", "3,000.00"],
                vec!["政府性基金预算", "20.00", ""],
                vec!["合计", "3,491.62", "12.5"],
            ]
        );
    }

    #[test]
    fn fused_number_and_label_split_at_column_boundary() {
        // Columns: label | amount (right edge 220) | label | amount.
        let lines = lines_of(&[
            &[
                ("一、财政拨款", 50.0),
                ("3,471.62", 180.0),
                ("社会保障支出", 240.0),
                ("196.01", 390.0),
            ],
            &[
                ("政府性基金预算", 50.0),
                ("50.63", 195.0),
                ("行政单位离退休", 240.0),
                ("50.63", 395.0),
            ],
            // The amount touches the next column's label.
            &[
                ("二、财政专户", 50.0),
                ("24,458.43二、财政专户管理资金", 175.0),
                ("95.57", 395.0),
            ],
            &[
                ("三、事业收入", 50.0),
                ("1.00", 200.0),
                ("其他支出", 240.0),
                ("2.03", 400.0),
            ],
        ]);
        let found = find_tables(&lines, &[], 1);
        assert_eq!(found.len(), 1);
        let t = texts(&found[0].grid);
        assert_eq!(
            t[2],
            vec!["二、财政专户", "24,458.43", "二、财政专户管理资金", "95.57"]
        );
    }

    #[test]
    fn meta_lines_stay_outside() {
        let lines = lines_of(&[
            &[("【366】湖州市综合行政执法局", 50.0), ("单位：万元", 300.0)],
            &[("项目", 50.0), ("预算数", 210.0)],
            &[("一般公共预算", 50.0), ("3,491.62", 200.0)],
            &[("合计", 50.0), ("3,491.62", 200.0)],
            &[("注：本表无数据", 50.0)],
        ]);
        let found = find_tables(&lines, &[], 1);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].end), (1, 4));
    }

    #[test]
    fn label_wrapped_around_amount_line_is_one_row() {
        let lines = lines_of(&[
            &[("科目", 50.0), ("金额", 210.0)],
            &[("行政运行", 50.0), ("507.97", 205.0)],
            &[("机关事业单位基本养老保", 50.0)],
            &[("101.46", 205.0)],
            &[("险缴费支出", 50.0)],
            &[("事业运行", 50.0), ("346.87", 205.0)],
        ]);
        let found = find_tables(&lines, &[], 1);
        assert_eq!(found.len(), 1);
        let t = texts(&found[0].grid);
        assert_eq!(t[2], vec!["机关事业单位基本养老保险缴费支出", "101.46"]);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn rules_between_rows_keep_wrapped_rows_together() {
        let lines = lines_of(&[
            &[("项目", 50.0), ("金额", 210.0)],
            &[("机关事业单位基本养老", 50.0), ("101.46", 205.0)],
            &[("保险缴费支出", 50.0)],
            &[("事业运行", 50.0), ("346.87", 205.0)],
        ]);
        // Rules under the header and between the rows (lines are 15 pt apart from y = 100).
        let rules = [98.0, 113.0, 143.0, 158.0];
        let found = find_tables(&lines, &rules, 1);
        assert_eq!(found.len(), 1);
        let t = texts(&found[0].grid);
        assert_eq!(
            t,
            vec![
                vec!["项目", "金额"],
                vec!["机关事业单位基本养老保险缴费支出", "101.46"],
                vec!["事业运行", "346.87"],
            ]
        );
    }

    #[test]
    fn justified_prose_is_not_a_table() {
        let lines = lines_of(&[
            &[
                ("支出预算总计", 50.0),
                ("21,955.35", 120.0),
                ("万元，与上年相比收、支预算总计各增加", 175.0),
            ],
            &[
                ("3,958.67", 50.0),
                ("万元，增长", 100.0),
                ("21.95", 170.0),
                ("%。增加原因，一是政策性", 210.0),
            ],
        ]);
        assert!(find_tables(&lines, &[], 1).is_empty());
    }

    #[test]
    fn numeric_text() {
        assert!(is_numeric("3,471.62"));
        assert!(is_numeric("-12.5%"));
        assert!(!is_numeric("二、财政"));
        assert!(!is_numeric("-"));
    }
}
