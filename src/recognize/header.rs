//! Header rows of a grid: where the header ends, column-number rows (`** ** 1 2 3`, `栏次`), and
//! flattening a multi-row header with merged cells into one `/`-joined path per column.

use crate::amount::{Number, parse_number};
use crate::layout::{Cell, Grid};

/// Cell text with layout whitespace removed (`收 入` → `收入`), keeping single spaces between
/// Latin words.
pub fn clean(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars.iter().skip(i + 1).find(|c| !c.is_whitespace());
            let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(prev.as_ref()) && latin(next) && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `合计`, `总计`, `合 计：`…: a row label meaning the table's total.
pub fn is_total_label(s: &str) -> bool {
    let c = clean(s);
    let c = c.trim_end_matches([':', '：']);
    matches!(c, "合计" | "总计" | "小计" | "本年合计" | "合计数" | "共计")
}

/// A row of column numbers under the header: `** ** 1 2 3`, `栏次 1 2`, `甲 乙 1 2`.
pub fn is_column_number_row(row: &[Cell]) -> bool {
    let mut ints = Vec::new();
    let mut filled = 0;
    let mut markers = 0;
    for cell in row {
        let t = clean(&cell.text);
        if t.is_empty() {
            continue;
        }
        filled += 1;
        if matches!(
            t.as_str(),
            "*" | "**" | "栏次" | "行次" | "甲" | "乙" | "丙" | "丁"
        ) {
            markers += 1;
            continue;
        }
        match t.parse::<u32>() {
            Ok(n) if n < 200 && !t.starts_with('0') => ints.push(n),
            _ => return false,
        }
    }
    if filled < 2 {
        return false;
    }
    // One number alone is a column number only beside `**` markers (a one-figure table).
    ints.windows(2).all(|w| w.first() < w.get(1)) && (ints.len() >= 2 || markers > 0)
}

fn is_code_like(s: &str) -> bool {
    let t = clean(s);
    matches!(t.len(), 3 | 5 | 7) && t.chars().all(|c| c.is_ascii_digit())
}

fn is_number(s: &str) -> bool {
    parse_number(s).is_some_and(|n| matches!(n, Number::Amount(_)))
}

/// Whether `row` is a body row: it has a figure, or it is a 合计/科目编码 row (which may be all
/// blank in an empty table), or it only labels its first column.
fn is_body_row(row: &[Cell], header_seen: bool) -> bool {
    if is_column_number_row(row) {
        return false;
    }
    let filled: Vec<(usize, &Cell)> = row
        .iter()
        .enumerate()
        .filter(|(_, c)| !clean(&c.text).is_empty())
        .collect();
    if filled.iter().any(|(_, c)| is_number(&c.text)) {
        return true;
    }
    let Some((first_col, first)) = filled.first() else {
        return false;
    };
    let others_blank = filled.len() == 1;
    if is_total_label(&first.text) && others_blank {
        return true;
    }
    if is_code_like(&first.text) {
        return true;
    }
    header_seen && *first_col == 0 && others_blank
}

/// Index of the first body row (`rows.len()` when there is none).
pub fn first_body_row(grid: &Grid) -> usize {
    let mut header_seen = false;
    for (i, row) in grid.rows.iter().enumerate() {
        if is_body_row(row, header_seen) {
            return i;
        }
        if !is_column_number_row(row) {
            header_seen = true;
        }
    }
    grid.rows.len()
}

/// One path per column from the header rows `rows[..end]`: merged cells spread over what they
/// cover; in grids from text (no spans), an empty header cell takes the text to its left when
/// the row below has a sub-header there. Column-number rows are left out; a `其中` heading
/// stays in the paths of the columns it spans.
pub fn column_paths(grid: &Grid, end: usize) -> Vec<String> {
    let n = grid.n_cols();
    let header: Vec<&Vec<Cell>> = grid
        .rows
        .iter()
        .take(end)
        .filter(|r| !is_column_number_row(r))
        .collect();
    let h = header.len();
    let mut filled: Vec<Vec<String>> = vec![vec![String::new(); n]; h];
    for (r, row) in header.iter().enumerate() {
        for (c, cell) in row.iter().enumerate().take(n) {
            if cell.covered {
                continue;
            }
            let text = clean(&cell.text);
            if text.is_empty() {
                continue;
            }
            let rs = usize::from(cell.row_span.max(1));
            let cs = usize::from(cell.col_span.max(1));
            for rr in r..(r + rs).min(h) {
                for cc in c..(c + cs).min(n) {
                    if let Some(slot) = filled.get_mut(rr).and_then(|row| row.get_mut(cc)) {
                        *slot = text.clone();
                    }
                }
            }
        }
    }
    if !grid.ruled {
        for r in 0..h.saturating_sub(1) {
            for c in 1..n {
                let empty = filled
                    .get(r)
                    .and_then(|row| row.get(c))
                    .is_some_and(String::is_empty);
                let below = filled
                    .get(r + 1)
                    .and_then(|row| row.get(c))
                    .is_some_and(|s| !s.is_empty());
                let left = filled
                    .get(r)
                    .and_then(|row| row.get(c - 1))
                    .cloned()
                    .unwrap_or_default();
                // Spread only a parent that itself heads sub-headers (or spreads from one).
                let left_has_children = filled
                    .get(r + 1)
                    .and_then(|row| row.get(c - 1))
                    .is_some_and(|s| !s.is_empty())
                    || (c >= 2
                        && filled
                            .get(r)
                            .and_then(|row| row.get(c - 2))
                            .is_some_and(|s| *s == left));
                if empty
                    && below
                    && !left.is_empty()
                    && left_has_children
                    && let Some(slot) = filled.get_mut(r).and_then(|row| row.get_mut(c))
                {
                    *slot = left;
                }
            }
        }
    }
    (0..n)
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            for row in &filled {
                let t = row.get(c).cloned().unwrap_or_default();
                let t = t.trim_end_matches([':', '：']).to_string();
                if t.is_empty() || parts.last() == Some(&t) {
                    continue;
                }
                parts.push(t);
            }
            // A 其中 spanning several columns says they are parts of a part (not more parts of
            // the total): keep it in their paths. Alone at the end it says nothing.
            if parts.last().is_some_and(|t| t == "其中") {
                parts.pop();
            }
            parts.join("/")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        let n = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        Grid {
            page: 1,
            bbox: [0.0; 4],
            ruled: false,
            col_x: (0..=n).map(|x| x as f32).collect(),
            rows: rows
                .iter()
                .map(|r| {
                    (0..n)
                        .map(|c| Cell {
                            text: r.get(c).map(|s| s.to_string()).unwrap_or_default(),
                            row_span: 1,
                            col_span: 1,
                            covered: false,
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn flattens_sangong_header() {
        let g = grid(&[
            &[
                "单位名称",
                "“三公”经费合计",
                "因公出国（境）费用",
                "公务用车购置及运行费",
                "",
                "",
                "公务接待费",
            ],
            &[
                "",
                "",
                "",
                "小计",
                "公务用车购置费",
                "公务用车运行维护费",
                "",
            ],
            &["**", "1", "2", "3", "4", "5", "6"],
            &["合计", "38.06", "6.04", "21.00", "", "21.00", "11.02"],
        ]);
        assert_eq!(first_body_row(&g), 3);
        let p = column_paths(&g, 3);
        assert_eq!(p[0], "单位名称");
        assert_eq!(p[3], "公务用车购置及运行费/小计");
        assert_eq!(p[5], "公务用车购置及运行费/公务用车运行维护费");
        assert_eq!(p[6], "公务接待费");
    }

    #[test]
    fn empty_table_total_row_is_body() {
        let g = grid(&[
            &["科目编码", "科目名称", "本年政府性基金预算支出", "", ""],
            &["", "", "合 计", "基本支出", "项目支出"],
            &["**", "**", "1", "2", "3"],
            &["", "合计", "", "", ""],
        ]);
        assert_eq!(first_body_row(&g), 3);
        let p = column_paths(&g, 3);
        assert_eq!(p[2], "本年政府性基金预算支出/合计");
        assert_eq!(p[4], "本年政府性基金预算支出/项目支出");
    }
}
