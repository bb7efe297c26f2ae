//! Plain-text rendering of one page, like `pdftotext -layout`: glyphs grouped into lines by
//! baseline, each placed at a column proportional to its x position so tables stay readable.

use crate::pdf::{Glyph, Page};

/// A glyph reduced to what rendering needs, in its own reading frame (vertical text is
/// turned so that it reads left to right).
#[derive(Clone, Copy)]
struct Item {
    ch: char,
    x0: f32,
    x1: f32,
    base: f32,
    size: f32,
}

/// Double-width characters (CJK ideographs, kana, hangul, full-width forms) take two columns.
pub fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

fn item(g: &Glyph) -> Item {
    if g.vertical {
        Item {
            ch: g.ch,
            x0: g.y0,
            x1: g.y1,
            base: -(g.x0 + g.x1) / 2.0,
            size: g.size,
        }
    } else {
        Item {
            ch: g.ch,
            x0: g.x0,
            x1: g.x1,
            base: g.y1,
            size: g.size,
        }
    }
}

/// The page's text, lines separated by `\n`, without a trailing form feed.
pub fn render(page: &Page) -> String {
    let mut out = String::new();
    let horizontal: Vec<Item> = page
        .glyphs
        .iter()
        .filter(|g| !g.vertical)
        .map(item)
        .collect();
    let vertical: Vec<Item> = page
        .glyphs
        .iter()
        .filter(|g| g.vertical)
        .map(item)
        .collect();
    render_items(horizontal, &mut out);
    if !vertical.is_empty() {
        render_items(vertical, &mut out);
    }
    out
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    let mid = v.len() / 2;
    v.select_nth_unstable_by(mid, f32::total_cmp);
    v.get(mid).copied()
}

fn render_items(mut items: Vec<Item>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    // The character cell: the median width of narrow glyphs, or half a wide one.
    let narrow: Vec<f32> = items
        .iter()
        .filter(|i| !is_wide(i.ch) && !i.ch.is_whitespace())
        .map(|i| i.x1 - i.x0)
        .filter(|w| *w > 0.1)
        .collect();
    let cell = median(narrow)
        .or_else(|| {
            median(
                items
                    .iter()
                    .map(|i| (i.x1 - i.x0) / 2.0)
                    .filter(|w| *w > 0.1)
                    .collect(),
            )
        })
        .unwrap_or(5.0)
        .max(1.0);
    let left = items.iter().map(|i| i.x0).fold(f32::MAX, f32::min).min(0.0);
    items.sort_by(|a, b| a.base.total_cmp(&b.base).then(a.x0.total_cmp(&b.x0)));

    let mut line: Vec<Item> = Vec::new();
    let mut line_base = f32::NAN;
    let mut line_size = 0.0f32;
    let mut prev_base = f32::NAN;
    let mut prev_size = 0.0f32;
    let mut flush = |line: &mut Vec<Item>, base: f32, size: f32, out: &mut String| {
        if line.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push('\n');
            if prev_base.is_finite() && base - prev_base > 2.2 * size.max(prev_size) {
                out.push('\n');
            }
        }
        prev_base = base;
        prev_size = size;
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cursor = 0usize;
        let mut last_x1 = f32::NAN;
        for it in line.iter() {
            if it.ch.is_whitespace() {
                continue;
            }
            let mut col = ((it.x0 - left) / cell).round().max(0.0) as usize;
            if cursor > 0 && last_x1.is_finite() {
                // Glyphs that touch their neighbour stay together: proportional placement
                // would otherwise spread large (title) glyphs over extra columns.
                if it.x0 - last_x1 <= 0.3 * it.size {
                    col = cursor;
                } else if col <= cursor {
                    col = cursor + 1;
                }
            }
            let col = col.max(cursor);
            for _ in cursor..col {
                out.push(' ');
            }
            out.push(it.ch);
            cursor = col + if is_wide(it.ch) { 2 } else { 1 };
            last_x1 = it.x1;
        }
        line.clear();
    };
    for it in items {
        let same_line = line_base.is_finite()
            && (it.base - line_base).abs() <= 0.4 * it.size.min(line_size).max(1.0);
        if !same_line {
            flush(&mut line, line_base, line_size, out);
            line_base = it.base;
            line_size = it.size;
        }
        line.push(it);
    }
    flush(&mut line, line_base, line_size, out);
    out.push('\n');
}
