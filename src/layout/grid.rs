//! Owns ruled tables: turning a page's ruling segments and rectangles into table grids
//! (column and row boundaries, merged cells) and filling the cells with the glyphs inside.

use super::borderless::is_numeric;
use super::lines::{RawLine, RawSpan, clean, group_lines};
use super::{Cell, Grid};
use crate::pdf::{Glyph, Page};

/// Coordinates closer than this (points) are the same ruling position.
const SNAP: f32 = 2.0;
/// A rectangle thinner than this (points) is a drawn line.
const THIN: f32 = 3.0;
/// Rows or columns narrower than this (points) are double rules, not cells.
const MIN_CELL: f32 = 4.0;

/// A straight ruling line: horizontal (`at` = y, from `a` to `b` in x) or vertical
/// (`at` = x, from `a` to `b` in y).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rule {
    at: f32,
    a: f32,
    b: f32,
}

/// A ruled table structure found on the page, before text is assigned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RuledFrame {
    pub col_x: Vec<f32>,
    pub row_y: Vec<f32>,
    horizontals: Vec<Rule>,
    verticals: Vec<Rule>,
}

impl RuledFrame {
    pub fn bbox(&self) -> [f32; 4] {
        [
            self.col_x.first().copied().unwrap_or(0.0),
            self.row_y.first().copied().unwrap_or(0.0),
            self.col_x.last().copied().unwrap_or(0.0),
            self.row_y.last().copied().unwrap_or(0.0),
        ]
    }

    pub fn contains(&self, x: f32, y: f32) -> bool {
        let [x0, y0, x1, y1] = self.bbox();
        x >= x0 && x <= x1 && y >= y0 && y <= y1
    }

    fn has_vertical(&self, x: f32, y0: f32, y1: f32) -> bool {
        covered(&self.verticals, x, y0, y1)
    }

    fn has_horizontal(&self, y: f32, x0: f32, x1: f32) -> bool {
        covered(&self.horizontals, y, x0, x1)
    }
}

/// Whether rules at position `at` cover at least half of `[a, b]`.
fn covered(rules: &[Rule], at: f32, a: f32, b: f32) -> bool {
    let len = (b - a).max(0.1);
    let mut sum = 0.0;
    for r in rules.iter().filter(|r| (r.at - at).abs() <= SNAP) {
        let o = r.b.min(b) - r.a.max(a);
        if o > 0.0 {
            sum += o;
        }
    }
    sum >= 0.5 * len
}

/// Splits the page's segments and rectangles into horizontal and vertical rules.
fn collect_rules(page: &Page) -> (Vec<Rule>, Vec<Rule>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    let mut push = |x0: f32, y0: f32, x1: f32, y1: f32| {
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        if !(dx.is_finite() && dy.is_finite()) {
            return;
        }
        if dy <= THIN && dx > dy {
            h.push(Rule {
                at: (y0 + y1) / 2.0,
                a: x0.min(x1),
                b: x0.max(x1),
            });
        } else if dx <= THIN && dy > dx {
            v.push(Rule {
                at: (x0 + x1) / 2.0,
                a: y0.min(y1),
                b: y0.max(y1),
            });
        }
    };
    for s in &page.segments {
        push(s.x0, s.y0, s.x1, s.y1);
    }
    for r in &page.rects {
        let (w, hgt) = ((r.x1 - r.x0).abs(), (r.y1 - r.y0).abs());
        if w <= THIN || hgt <= THIN {
            push(r.x0, r.y0, r.x1, r.y1);
        } else if r.stroked {
            let (x0, x1) = (r.x0.min(r.x1), r.x0.max(r.x1));
            let (y0, y1) = (r.y0.min(r.y1), r.y0.max(r.y1));
            push(x0, y0, x1, y0);
            push(x0, y1, x1, y1);
            push(x0, y0, x0, y1);
            push(x1, y0, x1, y1);
        }
        // A large filled, unstroked rectangle is a shaded background, not a border.
    }
    (merge(h), merge(v))
}

/// Merges collinear rules that overlap or touch.
fn merge(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|p, q| p.at.total_cmp(&q.at).then(p.a.total_cmp(&q.a)));
    // Cluster by position first so slightly offset strokes of one line share a position.
    let mut groups: Vec<Vec<Rule>> = Vec::new();
    for r in rules {
        match groups.last_mut() {
            Some(g) if g.last().is_some_and(|l| r.at - l.at <= SNAP / 2.0) => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        let at = g.iter().map(|r| r.at).sum::<f32>() / g.len() as f32;
        g.sort_by(|p, q| p.a.total_cmp(&q.a));
        let mut cur: Option<Rule> = None;
        for r in g {
            cur = match cur {
                Some(c) if r.a <= c.b + SNAP => Some(Rule {
                    at,
                    a: c.a,
                    b: c.b.max(r.b),
                }),
                Some(c) => {
                    out.push(c);
                    Some(Rule { at, a: r.a, b: r.b })
                }
                None => Some(Rule { at, a: r.a, b: r.b }),
            };
        }
        out.extend(cur);
    }
    out
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while let Some(&p) = parent.get(r) {
        if p == r {
            break;
        }
        r = p;
    }
    let mut c = i;
    while let Some(p) = parent.get_mut(c) {
        if *p == r {
            break;
        }
        let next = *p;
        *p = r;
        c = next;
    }
    r
}

/// Sorted, de-duplicated positions (within [`SNAP`]).
fn cluster(mut xs: Vec<f32>) -> Vec<f32> {
    xs.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in xs {
        if group.last().is_some_and(|l| x - l > SNAP) {
            out.push(group.iter().sum::<f32>() / group.len() as f32);
            group.clear();
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    // Double rules make slivers; keep the outer position of each pair.
    let mut kept: Vec<f32> = Vec::new();
    for x in out {
        match kept.last() {
            Some(l) if x - l < MIN_CELL => {}
            _ => kept.push(x),
        }
    }
    kept
}

/// The y positions of horizontal rules at least `min_len` long that lie outside every frame:
/// the row separators of tables ruled only horizontally.
pub(crate) fn loose_row_rules(page: &Page, frames: &[RuledFrame], min_len: f32) -> Vec<f32> {
    let (h, _) = collect_rules(page);
    let mut ys: Vec<f32> = h
        .iter()
        .filter(|r| r.b - r.a >= min_len)
        .filter(|r| {
            !frames.iter().any(|f| {
                let [x0, y0, x1, y1] = f.bbox();
                r.at >= y0 - SNAP && r.at <= y1 + SNAP && r.b > x0 && r.a < x1
            })
        })
        .map(|r| r.at)
        .collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() <= SNAP);
    ys
}

/// Finds the ruled table structures on a page: connected sets of horizontal and vertical
/// rules with at least two columns and one row. Structures with only horizontal rules or
/// only an outer frame are left to alignment-based detection.
pub(crate) fn find_frames(page: &Page) -> Vec<RuledFrame> {
    let (h, v) = collect_rules(page);
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // Vertical rules sorted by x, so each horizontal rule only meets the ones within its
    // extent (pages with chart hatching carry thousands of short strokes).
    let mut by_x: Vec<(usize, Rule)> = v.iter().copied().enumerate().collect();
    by_x.sort_by(|a, b| a.1.at.total_cmp(&b.1.at));
    for (i, hr) in h.iter().enumerate() {
        let from = by_x.partition_point(|(_, vr)| vr.at < hr.a - SNAP);
        for (j, vr) in by_x.iter().skip(from) {
            if vr.at > hr.b + SNAP {
                break;
            }
            if hr.at >= vr.a - SNAP && hr.at <= vr.b + SNAP {
                let (a, b) = (find(&mut parent, i), find(&mut parent, h.len() + j));
                if let Some(p) = parent.get_mut(a) {
                    *p = b;
                }
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> =
        std::collections::BTreeMap::new();
    for (i, r) in h.iter().enumerate() {
        comps.entry(find(&mut parent, i)).or_default().0.push(*r);
    }
    for (j, r) in v.iter().enumerate() {
        comps
            .entry(find(&mut parent, h.len() + j))
            .or_default()
            .1
            .push(*r);
    }
    let mut frames = Vec::new();
    for (_, (hs, vs)) in comps {
        if hs.len() < 2 || vs.len() < 2 {
            continue;
        }
        let col_x = cluster(vs.iter().map(|r| r.at).collect());
        let row_y = cluster(hs.iter().map(|r| r.at).collect());
        if col_x.len() < 3 || row_y.len() < 2 {
            continue;
        }
        frames.push(RuledFrame {
            col_x,
            row_y,
            horizontals: hs,
            verticals: vs,
        });
    }
    frames.sort_by(|a, b| a.bbox()[1].total_cmp(&b.bbox()[1]));
    frames
}

/// Index of the interval of `bounds` holding `v`.
fn slot(bounds: &[f32], v: f32) -> Option<usize> {
    let n = bounds.len().checked_sub(1)?;
    (0..n).find(|&i| {
        let lo = bounds.get(i).copied().unwrap_or(f32::INFINITY);
        let hi = bounds.get(i + 1).copied().unwrap_or(f32::NEG_INFINITY);
        v >= lo && v <= hi
    })
}

/// Joins a cell's lines: no space between CJK text, one space otherwise.
pub(crate) fn join_lines(lines: &[RawLine]) -> String {
    let mut out = String::new();
    for l in lines {
        let t = l.text();
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), t.chars().next())
            && !(is_cjk(a) || is_cjk(b))
        {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Fills a frame with the glyphs whose centre lies inside it. Merged cells come from missing
/// inner borders. Returns `None` when the frame holds no text.
pub(crate) fn fill(frame: &RuledFrame, glyphs: &[Glyph], page: usize) -> Option<Grid> {
    let nr = frame.row_y.len().checked_sub(1)?;
    let nc = frame.col_x.len().checked_sub(1)?;
    let xs = &frame.col_x;
    let ys = &frame.row_y;
    let at = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
    // owner[r][c] = top-left position of the merged cell covering (r, c).
    let mut owner: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; nc]; nr];
    let mut spans: Vec<Vec<(u16, u16)>> = vec![vec![(1, 1); nc]; nr];
    for r in 0..nr {
        for c in 0..nc {
            if owner
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .flatten()
                .is_some()
            {
                continue;
            }
            let (ya, yb) = (at(ys, r), at(ys, r + 1));
            let mut cs = 1;
            while c + cs < nc
                && !frame.has_vertical(at(xs, c + cs), ya, yb)
                && owner
                    .get(r)
                    .and_then(|row| row.get(c + cs))
                    .copied()
                    .flatten()
                    .is_none()
            {
                cs += 1;
            }
            let (xa, xb) = (at(xs, c), at(xs, c + cs));
            let mut rs = 1;
            while r + rs < nr && !frame.has_horizontal(at(ys, r + rs), xa, xb) {
                rs += 1;
            }
            for rr in r..r + rs {
                for cc in c..c + cs {
                    if let Some(o) = owner.get_mut(rr).and_then(|row| row.get_mut(cc)) {
                        *o = Some((r, c));
                    }
                }
            }
            if let Some(s) = spans.get_mut(r).and_then(|row| row.get_mut(c)) {
                *s = (rs as u16, cs as u16);
            }
        }
    }
    let mut cell_glyphs: Vec<Vec<Vec<Glyph>>> = vec![vec![Vec::new(); nc]; nr];
    let mut any = false;
    for g in glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, (g.y0 + g.y1) / 2.0);
        let (Some(c), Some(r)) = (slot(xs, cx), slot(ys, cy)) else {
            continue;
        };
        let Some((orow, ocol)) = owner.get(r).and_then(|row| row.get(c)).copied().flatten() else {
            continue;
        };
        if let Some(v) = cell_glyphs.get_mut(orow).and_then(|row| row.get_mut(ocol)) {
            v.push(g.clone());
            any = true;
        }
    }
    if !any {
        return None;
    }
    let mut rows = Vec::with_capacity(nr);
    let (mut fused_lines, mut text_lines) = (0usize, 0usize);
    for r in 0..nr {
        let mut row = Vec::with_capacity(nc);
        for c in 0..nc {
            let o = owner.get(r).and_then(|x| x.get(c)).copied().flatten();
            let (rs, cs) = spans
                .get(r)
                .and_then(|x| x.get(c))
                .copied()
                .unwrap_or((1, 1));
            if o == Some((r, c)) {
                let gs = cell_glyphs
                    .get(r)
                    .and_then(|x| x.get(c))
                    .cloned()
                    .unwrap_or_default();
                let (text, fused, n_lines) = cell_text(&gs);
                fused_lines += fused;
                text_lines += n_lines;
                row.push(Cell {
                    text,
                    row_span: rs,
                    col_span: cs,
                    covered: false,
                });
            } else {
                row.push(Cell {
                    text: String::new(),
                    row_span: 1,
                    col_span: 1,
                    covered: true,
                });
            }
        }
        rows.push(row);
    }
    // Columns whose borders are missing (an outer frame with one divider, or borders only
    // in the header): alignment finds them better than these rules.
    if fused_lines >= 2 && fused_lines * 5 >= text_lines {
        return None;
    }
    Some(Grid {
        page,
        bbox: frame.bbox(),
        ruled: true,
        col_x: xs.clone(),
        rows,
    })
}

/// A cell's text, how many of its lines hold an amount set apart from other text by a
/// column-sized gap (several columns whose borders are not drawn), and its number of lines.
fn cell_text(glyphs: &[Glyph]) -> (String, usize, usize) {
    if glyphs.is_empty() {
        return (String::new(), 0, 0);
    }
    let lines = group_lines(&clean(glyphs));
    let fused = lines
        .iter()
        .filter(|l| l.spans.len() >= 2 && l.spans.iter().any(|s| is_numeric(&s.text())))
        .count();
    let n_lines = lines.len();
    // Inside one cell, span gaps are justification or alignment, not cell boundaries.
    let lines: Vec<RawLine> = lines
        .into_iter()
        .map(|mut l| {
            let mut gs: Vec<Glyph> = l.spans.drain(..).flat_map(|s| s.glyphs).collect();
            gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            l.spans = vec![RawSpan { glyphs: gs }];
            l
        })
        .collect();
    (join_lines(&lines), fused, n_lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::lines::tests::run;
    use crate::pdf::Segment;

    fn seg(x0: f32, y0: f32, x1: f32, y1: f32) -> Segment {
        Segment { x0, y0, x1, y1 }
    }

    /// A 3×3 grid whose first row's first two cells are merged (no inner border there).
    fn merged_header_page() -> Page {
        let xs = [50.0, 150.0, 250.0, 350.0];
        let ys = [100.0, 120.0, 140.0, 160.0];
        let mut segments = Vec::new();
        for y in ys {
            segments.push(seg(50.0, y, 350.0, y));
        }
        for (i, x) in xs.iter().enumerate() {
            if i == 1 {
                // Inner border missing in the header row.
                segments.push(seg(*x, 120.0, *x, 160.0));
            } else {
                segments.push(seg(*x, 100.0, *x, 160.0));
            }
        }
        let mut glyphs = run("收入", 140.0, 105.0, 10.0);
        glyphs.extend(run("支出", 290.0, 105.0, 10.0));
        glyphs.extend(run("项目", 60.0, 125.0, 10.0));
        glyphs.extend(run("预算数", 160.0, 125.0, 10.0));
        glyphs.extend(run("项目", 260.0, 125.0, 10.0));
        glyphs.extend(run("一般公共", 60.0, 141.0, 8.0));
        glyphs.extend(run("预算", 60.0, 150.0, 8.0));
        glyphs.extend(run("3,471.62", 200.0, 145.0, 10.0));
        Page {
            number: 1,
            width: 400.0,
            height: 400.0,
            glyphs,
            segments,
            ..Page::default()
        }
    }

    #[test]
    fn ruled_grid_with_merged_header() {
        let page = merged_header_page();
        let frames = find_frames(&page);
        assert_eq!(frames.len(), 1);
        let grid = fill(&frames[0], &clean(&page.glyphs), 1).expect("grid has text");
        assert_eq!(grid.n_cols(), 3);
        assert_eq!(grid.rows.len(), 3);
        assert_eq!(grid.rows[0][0].text, "收入");
        assert_eq!(grid.rows[0][0].col_span, 2);
        assert!(grid.rows[0][1].covered);
        assert_eq!(grid.rows[0][2].text, "支出");
        assert_eq!(grid.rows[1][1].text, "预算数");
        // Text wrapped inside a cell stays one cell, CJK joined without a space.
        assert_eq!(grid.rows[2][0].text, "一般公共预算");
        assert_eq!(grid.rows[2][1].text, "3,471.62");
        assert_eq!(grid.rows[2][2].text, "");
    }

    #[test]
    fn frame_with_undrawn_amount_columns_is_left_to_alignment() {
        // Outer frame plus one divider: the amounts of two columns share a ruled cell.
        let segments = vec![
            seg(50.0, 100.0, 350.0, 100.0),
            seg(50.0, 160.0, 350.0, 160.0),
            seg(50.0, 100.0, 50.0, 160.0),
            seg(150.0, 100.0, 150.0, 160.0),
            seg(350.0, 100.0, 350.0, 160.0),
        ];
        let mut glyphs = Vec::new();
        for (i, label) in ["一般公共预算", "政府性基金", "合计"].iter().enumerate() {
            let y = 105.0 + 15.0 * i as f32;
            glyphs.extend(run(label, 55.0, y, 10.0));
            glyphs.extend(run("12.00", 200.0, y, 10.0));
            glyphs.extend(run("34.00", 300.0, y, 10.0));
        }
        let page = Page {
            glyphs,
            segments,
            ..Page::default()
        };
        let frames = find_frames(&page);
        assert_eq!(frames.len(), 1);
        assert!(fill(&frames[0], &clean(&page.glyphs), 1).is_none());
    }

    #[test]
    fn stroked_rects_and_thin_fills_are_rules_but_backgrounds_are_not() {
        use crate::pdf::Rect;
        let mut page = Page::default();
        for x in [10.0f32, 60.0, 110.0].iter() {
            page.rects.push(Rect {
                x0: *x,
                y0: 10.0,
                x1: x + 50.0,
                y1: 30.0,
                filled: false,
                stroked: true,
            });
        }
        // A shaded header band must not add rules.
        page.rects.push(Rect {
            x0: 10.0,
            y0: 10.0,
            x1: 160.0,
            y1: 20.0,
            filled: true,
            stroked: false,
        });
        let frames = find_frames(&page);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].col_x.len(), 4);
        assert_eq!(frames[0].row_y.len(), 2);
    }
}
