//! Owns the first layout step: cleaning a page's glyphs (dropping blanks and fake-bold
//! overprints) and grouping them into text lines split into spans at large gaps.

use crate::pdf::Glyph;

/// Horizontal gap, as a fraction of the font size, above which a line is split into spans.
/// Half an em separates two table cells (cell padding on both sides) but not two ASCII words.
const SPAN_GAP: f32 = 0.5;
/// Gap, as a fraction of the font size, above which a space is written inside a span.
const SPACE_GAP: f32 = 0.2;

/// A run of glyphs on one line with no large gap inside, glyphs left to right.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawSpan {
    pub glyphs: Vec<Glyph>,
}

impl RawSpan {
    pub fn x0(&self) -> f32 {
        self.glyphs
            .iter()
            .map(|g| g.x0)
            .fold(f32::INFINITY, f32::min)
    }

    pub fn x1(&self) -> f32 {
        self.glyphs
            .iter()
            .map(|g| g.x1)
            .fold(f32::NEG_INFINITY, f32::max)
    }

    pub fn text(&self) -> String {
        glyph_text(&self.glyphs)
    }
}

/// One line of glyphs: its vertical extent and its spans, left to right.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawLine {
    pub y0: f32,
    pub y1: f32,
    /// The dominant font size of the line.
    pub size: f32,
    pub spans: Vec<RawSpan>,
}

impl RawLine {
    pub fn text(&self) -> String {
        let parts: Vec<String> = self.spans.iter().map(RawSpan::text).collect();
        parts.join(" ")
    }

    pub fn x0(&self) -> f32 {
        self.spans
            .iter()
            .map(RawSpan::x0)
            .fold(f32::INFINITY, f32::min)
    }
}

/// Text of glyphs already ordered along the line: a space where the gap is wide enough to
/// be one, nothing between touching glyphs.
pub(crate) fn glyph_text(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(p) = prev {
            let size = p.size.max(g.size).max(1.0);
            let gap = if g.vertical { g.y0 - p.y1 } else { g.x0 - p.x1 };
            if gap > SPACE_GAP * size && !out.ends_with(' ') {
                out.push(' ');
            }
        }
        out.push(g.ch);
        prev = Some(g);
    }
    out
}

fn height(g: &Glyph) -> f32 {
    (g.y1 - g.y0).max(0.1)
}

/// Drops whitespace and control glyphs (gaps carry their meaning) and glyphs drawn twice at
/// about the same place with the same character (fake bold, shadowed text).
pub(crate) fn clean(glyphs: &[Glyph]) -> Vec<Glyph> {
    let mut sorted: Vec<Glyph> = glyphs
        .iter()
        .filter(|g| {
            !g.ch.is_whitespace()
                && !g.ch.is_control()
                && g.ch != '\u{feff}'
                && g.x0.is_finite()
                && g.x1.is_finite()
                && g.y0.is_finite()
                && g.y1.is_finite()
        })
        .cloned()
        .collect();
    sorted.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    let mut kept: Vec<Glyph> = Vec::with_capacity(sorted.len());
    for g in sorted {
        let tol_y = 0.3 * g.size.max(1.0);
        // Repeated characters ("55", "00") sit one advance apart: an overprint is offset by
        // well under half of the glyph's own width.
        let tol_x = (0.5 * (g.x1 - g.x0).abs()).min(tol_y);
        // Overprints sort next to each other by y, but another glyph of the same line may sit
        // between them, so look back a few glyphs.
        let duplicate =
            kept.iter().rev().take(12).any(|k| {
                k.ch == g.ch && (k.x0 - g.x0).abs() < tol_x && (k.y0 - g.y0).abs() < tol_y
            });
        if !duplicate {
            kept.push(g);
        }
    }
    kept
}

/// Groups cleaned glyphs into lines in top-to-bottom order. Horizontal glyphs join a line
/// when they overlap its vertical extent by at least half of the smaller height, so
/// superscripts and mixed sizes stay on their line; vertical glyphs become short column
/// lines of their own.
pub(crate) fn group_lines(glyphs: &[Glyph]) -> Vec<RawLine> {
    let (vertical, horizontal): (Vec<&Glyph>, Vec<&Glyph>) =
        glyphs.iter().partition(|g| g.vertical);
    let mut lines = horizontal_lines(&horizontal);
    lines.extend(vertical_lines(&vertical));
    lines.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0().total_cmp(&b.x0())));
    lines
}

struct Building<'a> {
    y0: f32,
    y1: f32,
    /// Height of the tallest glyph seen: the extent only grows with glyphs near that height,
    /// so a superscript does not widen the line into the next one.
    main_h: f32,
    glyphs: Vec<&'a Glyph>,
}

fn horizontal_lines(glyphs: &[&Glyph]) -> Vec<RawLine> {
    let mut order: Vec<&Glyph> = glyphs.to_vec();
    order.sort_by(|a, b| (a.y0 + a.y1).total_cmp(&(b.y0 + b.y1)));
    let mut building: Vec<Building> = Vec::new();
    for g in order {
        let gh = height(g);
        let mut best: Option<(usize, f32)> = None;
        // Only recent lines can still overlap a glyph that comes later in y order.
        let start = building.len().saturating_sub(8);
        for (i, l) in building.iter().enumerate().skip(start) {
            let overlap = l.y1.min(g.y1) - l.y0.max(g.y0);
            let ratio = overlap / gh.min(l.y1 - l.y0).max(0.1);
            // Two glyphs side by side on one line never overlap much horizontally; when they
            // do, the glyph is on the next line of a wrapped cell whose boxes are tall. Glyphs
            // on the very same baseline may overlap (Chromium squeezes CJK punctuation such as
            // `）；` into half their em box): they are neighbours, not a collision.
            let collides = || {
                l.glyphs.iter().any(|k| {
                    if (k.y1 - g.y1).abs() <= 0.05 * gh.max(0.1) {
                        return false;
                    }
                    let o = k.x1.min(g.x1) - k.x0.max(g.x0);
                    o > 0.3 * (g.x1 - g.x0).min(k.x1 - k.x0).max(0.1)
                })
            };
            if ratio >= 0.5 && best.is_none_or(|(_, r)| ratio > r) && !collides() {
                best = Some((i, ratio));
            }
        }
        match best.and_then(|(i, _)| building.get_mut(i)) {
            Some(l) => {
                if gh >= 0.8 * l.main_h {
                    if gh > l.main_h {
                        l.main_h = gh;
                    }
                    l.y0 = l.y0.min(g.y0);
                    l.y1 = l.y1.max(g.y1);
                }
                l.glyphs.push(g);
            }
            None => building.push(Building {
                y0: g.y0,
                y1: g.y1,
                main_h: gh,
                glyphs: vec![g],
            }),
        }
    }
    building.into_iter().map(finish_line).collect()
}

fn finish_line(b: Building) -> RawLine {
    let mut glyphs: Vec<Glyph> = b.glyphs.into_iter().cloned().collect();
    glyphs.sort_by(|a, c| a.x0.total_cmp(&c.x0));
    let size = dominant_size(&glyphs);
    let mut spans: Vec<RawSpan> = Vec::new();
    let mut cur: Vec<Glyph> = Vec::new();
    let mut right = f32::NEG_INFINITY;
    for g in glyphs {
        let gap = g.x0 - right;
        let limit = SPAN_GAP * g.size.max(size).max(1.0);
        if !cur.is_empty() && gap > limit {
            spans.push(RawSpan {
                glyphs: std::mem::take(&mut cur),
            });
        }
        right = if cur.is_empty() {
            g.x1
        } else {
            right.max(g.x1)
        };
        cur.push(g);
    }
    if !cur.is_empty() {
        spans.push(RawSpan { glyphs: cur });
    }
    RawLine {
        y0: b.y0,
        y1: b.y1,
        size,
        spans,
    }
}

fn dominant_size(glyphs: &[Glyph]) -> f32 {
    let mut sizes: Vec<f32> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
}

/// Vertical glyphs: grouped into columns by x overlap, read top to bottom, broken at large
/// gaps; each piece becomes a one-span line.
fn vertical_lines(glyphs: &[&Glyph]) -> Vec<RawLine> {
    let mut order: Vec<&Glyph> = glyphs.to_vec();
    order.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.y0.total_cmp(&b.y0)));
    let mut columns: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new();
    for g in order {
        let w = (g.x1 - g.x0).max(0.1);
        let found = columns.iter_mut().rev().take(4).find(|(x0, x1, _)| {
            let overlap = x1.min(g.x1) - x0.max(g.x0);
            overlap >= 0.5 * w.min(*x1 - *x0)
        });
        match found {
            Some((x0, x1, gs)) => {
                *x0 = x0.min(g.x0);
                *x1 = x1.max(g.x1);
                gs.push(g);
            }
            None => columns.push((g.x0, g.x1, vec![g])),
        }
    }
    let mut out = Vec::new();
    for (_, _, mut gs) in columns {
        gs.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let mut cur: Vec<Glyph> = Vec::new();
        let mut bottom = f32::NEG_INFINITY;
        for g in gs {
            if !cur.is_empty() && g.y0 - bottom > SPAN_GAP * g.size.max(1.0) {
                out.push(vertical_piece(std::mem::take(&mut cur)));
            }
            bottom = if cur.is_empty() {
                g.y1
            } else {
                bottom.max(g.y1)
            };
            cur.push(g.clone());
        }
        if !cur.is_empty() {
            out.push(vertical_piece(cur));
        }
    }
    out
}

fn vertical_piece(glyphs: Vec<Glyph>) -> RawLine {
    let y0 = glyphs.iter().map(|g| g.y0).fold(f32::INFINITY, f32::min);
    let y1 = glyphs
        .iter()
        .map(|g| g.y1)
        .fold(f32::NEG_INFINITY, f32::max);
    let size = dominant_size(&glyphs);
    RawLine {
        y0,
        y1,
        size,
        spans: vec![RawSpan { glyphs }],
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Glyphs for `text` laid out from `x` on the line whose top is `y`, each `size` wide
    /// (CJK-like) or half that for ASCII.
    pub(crate) fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut cx = x;
        for ch in text.chars() {
            let w = if ch.is_ascii() { size * 0.5 } else { size };
            out.push(Glyph {
                ch,
                x0: cx,
                y0: y,
                x1: cx + w,
                y1: y + size,
                size,
                font: 0,
                vertical: false,
            });
            cx += w;
        }
        out
    }

    #[test]
    fn groups_lines_and_splits_cells() {
        let mut g = run("一、财政拨款", 50.0, 100.0, 10.0);
        g.extend(run("3,471.62", 200.0, 100.5, 10.0));
        g.extend(run("政府性基金预算", 50.0, 115.0, 10.0));
        // A superscript on the first line.
        g.extend(run("1", 110.0, 98.0, 5.0));
        let lines = group_lines(&clean(&g));
        assert_eq!(lines.len(), 2);
        let texts: Vec<String> = lines[0].spans.iter().map(RawSpan::text).collect();
        assert_eq!(texts, vec!["一、财政拨款1", "3,471.62"]);
        assert_eq!(lines[1].text(), "政府性基金预算");
    }

    #[test]
    fn keeps_ascii_words_in_one_span_and_drops_overprints() {
        let mut g = run("Total", 10.0, 10.0, 10.0);
        g.extend(run("amount", 10.0 + 25.0 + 3.0, 10.0, 10.0));
        g.extend(run("Total", 10.3, 10.2, 10.0));
        // Repeated characters one advance apart are not overprints.
        g.extend(run("1,100.55", 10.0, 30.0, 10.0));
        let lines = group_lines(&clean(&g));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].spans.len(), 1);
        assert_eq!(lines[0].text(), "Total amount");
        assert_eq!(lines[1].text(), "1,100.55");
    }

    #[test]
    fn vertical_glyphs_become_column_lines() {
        let mut g: Vec<Glyph> = run("合", 10.0, 10.0, 10.0);
        g.extend(run("计", 10.0, 20.0, 10.0));
        for x in &mut g {
            x.vertical = true;
        }
        let lines = group_lines(&clean(&g));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text(), "合计");
    }
}
