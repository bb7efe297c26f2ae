//! Logical tables from laid-out blocks: the captions above each grid (title, owner, unit,
//! numbering), notes below it, continuation across pages and split grids, and the body rows
//! with labels, codes and amounts.

use super::codes::{self, ColRole};
use super::header::{self, clean};
use super::kind::{self, norm_key};
use super::{BodyCell, Row, Table, TableKind};
use crate::amount::{self, Number, Unit};
use crate::layout::{Block, Grid, Layout, TextLine};
use once_cell::sync::Lazy;
use regex::Regex;

fn re(p: &str) -> Regex {
    Regex::new(p).expect("constant pattern") // ok: callers pass literal patterns only
}

/// `【366】…`, `单位：205004-…`, `单位名称：…`, `填报单位：…`, `302001-湖州市人民政府办公室`.
static OWNER: Lazy<Regex> = Lazy::new(|| {
    re(
        r"^(?:【\d+】\S|(?:预算|填报|编制|部门|主管)?单位(?:名称)?\s*[：:]\s*\S|部门(?:名称)?\s*[：:]\s*\S|\d{3,}-\S)",
    )
});
/// `表01`, `公开表1`, `预算01表`, `附表3`, `表3-1`.
static NUMBERING: Lazy<Regex> = Lazy::new(|| {
    re(
        r"^(?:(?:公开|附|部门|单位)?表\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-—－]\s*\d+)?|预算\s*\d+\s*表|决算\s*\d+\s*表)\s*$",
    )
});
/// Page numbers and running heads that are not captions: `- 12 -`, `第 3 页`, `12`.
static PAGE_MARK: Lazy<Regex> =
    Lazy::new(|| re(r"^(?:[-—－\s]*\d+[-—－\s]*|第\s*\d+\s*页(?:\s*[，,/共]\s*共?\s*\d+\s*页)?)$"));
static NOTE: Lazy<Regex> = Lazy::new(|| {
    re(r"^(?:注\s*[：:0-9１-９]|说明\s*[：:]|备注\s*[：:])|此表为空|本表无数据|空表|无数据")
});

fn is_owner(s: &str) -> bool {
    OWNER.is_match(s.trim()) && amount::unit_in_caption(s).is_none_or(|_| s.contains('-'))
}

fn is_note(s: &str) -> bool {
    NOTE.is_match(s.trim())
}

fn is_continuation_mark(s: &str) -> bool {
    let k = norm_key(s);
    k.starts_with("续表") || k.ends_with("(续)") || k.ends_with("（续）")
}

/// A line that can be a table title: names a table, is not a sentence, not too long.
fn is_title(s: &str) -> bool {
    let t = s.trim();
    let n = t.chars().count();
    t.contains('表')
        && (3..=80).contains(&n)
        && !t.ends_with('。')
        && !t.ends_with('；')
        && !is_owner(t)
        && !is_note(t)
        && !NUMBERING.is_match(t)
}

/// A caption without its leading table number (`公开 09 表：…`, `表5：…`, `预算01表 …`): a
/// title's first line whose only 表 is in its number has the rest of the title below it.
fn without_numbering(s: &str) -> String {
    static LEAD: Lazy<Regex> = Lazy::new(|| {
        re(
            r"^\s*(?:(?:公开|附|部门|单位|预算|决算)?\s*[0-9０-９]+\s*表|(?:公开|附)?表\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-—－]\s*\d+)?)\s*[：:、.]?\s*",
        )
    });
    LEAD.replace(s, "").into_owned()
}

/// The captions between two grids.
#[derive(Default)]
struct Captions {
    title: Option<String>,
    owner: Option<String>,
    unit: Option<Unit>,
    continued: bool,
    /// Notes that belong to the table above.
    notes_above: Vec<String>,
    /// Any caption besides page marks and notes (a title-less new table still has some).
    has_text: bool,
    /// A short caption line to name a new table whose title does not say 表.
    fallback_title: Option<String>,
}

fn read_captions(lines: &[TextLine]) -> Captions {
    let mut c = Captions::default();
    let spans: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            let whole = l.text();
            // A caption line whose spans are separate captions (owner + unit) is read by span.
            let parts: Vec<String> = if l.spans.len() > 1
                && l.spans
                    .iter()
                    .any(|s| is_owner(&s.text) || amount::unit_in_caption(&s.text).is_some())
            {
                l.spans.iter().map(|s| s.text.trim().to_string()).collect()
            } else {
                vec![whole.trim().to_string()]
            };
            parts.into_iter().map(move |p| (i, p))
        })
        .filter(|(_, s)| !s.is_empty())
        .collect();
    // Titles sit right above their table (numbering, owner and unit lines between at most).
    let near = spans.len().saturating_sub(6);
    let title_at = spans
        .iter()
        .rposition(|(_, s)| is_title(s))
        .filter(|&i| i >= near);
    if let Some(t) = title_at.and_then(|i| spans.get(i)) {
        // A title wrapped over two lines: the line above, when it is a caption without 表 and
        // the title line does not start a title of its own (with its year).
        let above = title_at
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| spans.get(i))
            .filter(|(line, s)| {
                let rest = without_numbering(s);
                let numbered_head =
                    is_title(s) && rest.chars().count() >= 2 && !rest.contains('表');
                *line + 1 == t.0
                    && ((is_caption_title(s) && !s.contains('表')) || numbered_head)
                    && !t.1.trim_start().starts_with(|ch: char| ch.is_ascii_digit())
            });
        c.title = Some(match above {
            Some((_, a)) => clean_title(&format!("{a}{}", t.1)),
            None => clean_title(&t.1),
        });
    }
    c.fallback_title = spans
        .iter()
        .rev()
        .take(3)
        .map(|(_, s)| s)
        .find(|s| is_caption_title(s))
        .map(|s| clean_title(s));
    let first_caption_line = title_at.and_then(|i| spans.get(i)).map(|(l, _)| *l);
    for (i, (line, s)) in spans.iter().enumerate() {
        let before_title = first_caption_line.is_none_or(|t| *line < t);
        if is_note(s) && before_title {
            c.notes_above.push(s.clone());
            continue;
        }
        if PAGE_MARK.is_match(s) {
            continue;
        }
        if is_continuation_mark(s) {
            c.continued = true;
            continue;
        }
        // Captions belong to the next table only when they follow its title, or when there
        // is no title at all (a continuation's repeated owner line).
        let after_title = title_at.is_none_or(|t| i >= t);
        if !after_title {
            continue;
        }
        c.has_text = true;
        if c.owner.is_none() && is_owner(s) {
            c.owner = Some(clean(&owner_text(s)));
        }
        if let Some(u) = amount::unit_in_caption(s) {
            c.unit = Some(u);
        }
    }
    c
}

/// The owner part of a caption that may also carry the unit (`【366】… 单位：万元`).
fn owner_text(s: &str) -> String {
    static UNIT_TAIL: Lazy<Regex> = Lazy::new(|| re(r"\s*(?:金额)?单位\s*[：:]\s*(?:万元|元)\s*$"));
    UNIT_TAIL.replace(s.trim(), "").trim().to_string()
}

/// A short caption that is not a sentence, owner, unit, note, numbering or page mark.
fn is_caption_title(s: &str) -> bool {
    let t = s.trim();
    let n = t.chars().count();
    (4..=40).contains(&n)
        && !t.ends_with(['。', '；', ';', '：', ':', '，'])
        && !t.contains(['：', ':'])
        && !is_owner(t)
        && !is_note(t)
        && !NUMBERING.is_match(t)
        && !PAGE_MARK.is_match(t)
        && !is_continuation_mark(t)
        && !(amount::unit_in_caption(t).is_some() && t.starts_with(['单', '金']))
}

/// The title without a numbering prefix (`表1 收支总表`) and without layout spaces.
fn clean_title(s: &str) -> String {
    static PREFIX: Lazy<Regex> = Lazy::new(|| {
        re(r"^(?:(?:公开|附)?表\s*[0-9一二三四五六七八九十]+(?:[-—－]\d+)?|预算\s*\d+\s*表)\s+")
    });
    clean(&PREFIX.replace(s.trim(), ""))
}

/// One logical table being assembled.
struct Building {
    title: Option<String>,
    owner: Option<String>,
    unit: Option<Unit>,
    grids: Vec<Grid>,
    notes: Vec<String>,
}

fn caption_like(t: &str) -> bool {
    is_title(t)
        || is_owner(t)
        || amount::unit_in_caption(t).is_some()
        || NUMBERING.is_match(t.trim())
        || is_continuation_mark(t)
}

/// The texts of a grid row holding one or two filled cells, else None.
fn sparse_row_texts(row: &[crate::layout::Cell]) -> Option<Vec<String>> {
    let texts: Vec<String> = row
        .iter()
        .filter(|c| !c.covered && !c.text.trim().is_empty())
        .map(|c| c.text.trim().to_string())
        .collect();
    (1..=2).contains(&texts.len()).then_some(texts)
}

/// A grid drawn around its own captions: title, owner and unit rows at the top are captions,
/// 注 rows at the bottom are notes. Returns (captions, grid without them, notes).
fn split_captions(grid: &Grid) -> (Vec<String>, Grid, Vec<String>) {
    let mut g = grid.clone();
    let mut lead = Vec::new();
    while g.rows.len() > 1 {
        // An empty row above the captions (a rule drawn twice) hides nothing.
        if g.rows
            .first()
            .is_some_and(|r| r.iter().all(|c| c.covered || c.text.trim().is_empty()))
        {
            g.rows.remove(0);
            continue;
        }
        let texts = g.rows.first().and_then(|r| sparse_row_texts(r));
        match texts {
            Some(t) if t.iter().all(|s| caption_like(s)) => {
                lead.extend(t);
                g.rows.remove(0);
            }
            _ => break,
        }
    }
    let mut tail = Vec::new();
    while g.rows.len() > 1 {
        let texts = g.rows.last().and_then(|r| sparse_row_texts(r));
        match texts {
            Some(t) if t.len() == 1 && t.iter().all(|s| is_note(s)) => {
                tail.splice(0..0, t);
                g.rows.pop();
            }
            _ => break,
        }
    }
    (lead, g, tail)
}

/// Pages a line must head (or foot) before it is taken for a running head.
const RUNNING_HEAD_PAGES: usize = 3;

/// A line's text as a running head is recognised: no spaces, no digits (page numbers and the
/// year's digits may change while the rest repeats).
fn running_key(line: &TextLine) -> String {
    norm_key(&line.text())
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect()
}

/// Running heads and feet: the first or last text line of at least [`RUNNING_HEAD_PAGES`]
/// pages and a quarter of them, repeated word for word (`无锡市教育局2026年度部门预算公开`).
/// They are page furniture, never a table's title nor a caption that starts a new table.
/// A line naming a table (`…表`) is a repeated title and an owner or unit line a repeated
/// caption: neither is furniture.
fn running_heads(layout: &Layout) -> std::collections::HashSet<String> {
    let mut pages_with: std::collections::HashMap<String, usize> = Default::default();
    for page in &layout.pages {
        let lines: Vec<&TextLine> = page
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text(l) => Some(l),
                Block::Table(_) => None,
            })
            .collect();
        let mut keys: Vec<String> = [lines.first(), lines.last()]
            .into_iter()
            .flatten()
            .filter(|l| !l.spans.iter().any(|s| caption_like(&s.text)) && !caption_like(&l.text()))
            .map(|l| running_key(l))
            .filter(|k| k.chars().count() >= 4)
            .collect();
        keys.dedup();
        for k in keys {
            *pages_with.entry(k).or_default() += 1;
        }
    }
    let need = RUNNING_HEAD_PAGES.max(layout.pages.len() / 4);
    pages_with
        .into_iter()
        .filter(|(_, n)| *n >= need)
        .map(|(k, _)| k)
        .collect()
}

/// Finds every logical table in reading order.
pub fn recognize_tables(layout: &Layout) -> Vec<Table> {
    let mut built: Vec<Building> = Vec::new();
    let mut pending: Vec<TextLine> = Vec::new();
    let furniture = running_heads(layout);
    for page in &layout.pages {
        for block in &page.blocks {
            match block {
                Block::Text(line) if furniture.contains(&running_key(line)) => {}
                Block::Text(line) => pending.push(line.clone()),
                Block::Table(drawn) => {
                    let (lead, grid, tail) = split_captions(drawn);
                    pending.extend(lead.into_iter().map(|text| TextLine {
                        page: grid.page,
                        y0: grid.bbox[1],
                        y1: grid.bbox[1],
                        spans: vec![crate::layout::Span {
                            text,
                            x0: grid.bbox[0],
                            x1: grid.bbox[2],
                        }],
                    }));
                    let caps = read_captions(&pending);
                    pending.clear();
                    if let Some(prev) = built.last_mut() {
                        prev.notes.extend(caps.notes_above.iter().cloned());
                    }
                    if let Some(prev) = built.last_mut().filter(|p| continues(p, &grid, &caps)) {
                        prev.grids.push(grid);
                        prev.notes.extend(tail);
                        continue;
                    }
                    built.push(Building {
                        title: caps.title.or(caps.fallback_title),
                        owner: caps.owner,
                        unit: caps.unit,
                        grids: vec![grid],
                        notes: tail,
                    });
                }
            }
        }
    }
    if let Some(prev) = built.last_mut() {
        let caps = read_captions(&pending);
        prev.notes.extend(caps.notes_above);
    }
    built
        .iter()
        .enumerate()
        .map(|(i, b)| build_table(i + 1, b))
        .collect()
}

/// Whether `grid` continues the table being built: same column count, and either a `续表`
/// mark, no title of its own, or the same title printed again.
fn continues(prev: &Building, grid: &Grid, caps: &Captions) -> bool {
    let Some(last) = prev.grids.last() else {
        return false;
    };
    let quiet = caps.title.is_none() && !caps.has_text;
    let form = prev.title.as_deref().is_some_and(is_form_title);
    // A 绩效 form has no column header, so its next page's first row (支出明细 | 金额 …) is
    // a form row, not a new table's header: with nothing between, the form goes on.
    if form && quiet {
        return true;
    }
    if last.n_cols() != grid.n_cols() {
        // Grids of another width continue a table only with nothing at all between them: a
        // 绩效 form's next section, or on the same page a headerless rest of a table the
        // layout split in two.
        let headless = header::first_body_row(grid) == 0;
        return quiet && (form || (last.page == grid.page && headless));
    }
    // Same width with nothing at all between (page marks and running heads aside): the rest
    // of the table on the next page, even when its first rows look like a header of their own
    // (a 类 row without figures, such as `（十九）自然资源海洋气象等支出`).
    if caps.continued || (quiet && last.page != grid.page) {
        return true;
    }
    match (&caps.title, &prev.title) {
        (Some(t), Some(p)) => norm_key(t) == norm_key(p) && same_header(prev, grid),
        (Some(_), None) => false,
        (None, _) => {
            // Without a title (running heads and page numbers aside), a grid whose header is
            // absent or repeats the table's continues it; a new header or owner starts anew.
            let owner_ok = caps.owner.is_none() || caps.owner == prev.owner;
            owner_ok && same_header(prev, grid)
        }
    }
}

fn header_texts(grid: &Grid, end: usize) -> Vec<Vec<String>> {
    grid.rows
        .iter()
        .take(end)
        .filter(|r| !header::is_column_number_row(r))
        .map(|r| r.iter().map(|c| clean(&c.text)).collect())
        .collect()
}

fn same_header(prev: &Building, grid: &Grid) -> bool {
    let Some(first) = prev.grids.first() else {
        return false;
    };
    let a = header_texts(first, header::first_body_row(first));
    let b = header_texts(grid, header::first_body_row(grid));
    b.is_empty() || a == b
}

fn cell_texts(row: &[crate::layout::Cell]) -> Vec<String> {
    row.iter()
        .map(|c| {
            if c.covered {
                String::new()
            } else {
                c.text.trim().to_string()
            }
        })
        .collect()
}

/// 绩效目标 forms (申报表, 自评表): label/value pairs in a grid, no column header.
fn is_form_title(title: &str) -> bool {
    let k = norm_key(title);
    ["绩效目标", "申报表", "自评表", "评价表"]
        .iter()
        .any(|w| k.contains(w))
}

fn header_end(g: &Grid, form: bool) -> usize {
    if form { 0 } else { header::first_body_row(g) }
}

fn build_table(id: usize, b: &Building) -> Table {
    let form = b.title.as_deref().is_some_and(is_form_title);
    let first = b.grids.first();
    let (columns, header_rows) = match first {
        Some(g) => {
            let end = header_end(g, form);
            (header::column_paths(g, end), header_texts(g, end))
        }
        None => (Vec::new(), Vec::new()),
    };
    let width = b.grids.iter().map(|g| g.n_cols()).max().unwrap_or(0);
    let mut columns = columns;
    if columns.len() < width {
        columns.resize(width, String::new());
    }
    // Body rows of every grid; a continuation's repeated header rows are dropped.
    let mut body: Vec<(usize, Vec<String>)> = Vec::new();
    for (gi, g) in b.grids.iter().enumerate() {
        let skip = if gi == 0 {
            header_end(g, form)
        } else {
            let end = header_end(g, form);
            let own = header_texts(g, end);
            if own.is_empty() || own == header_rows {
                end
            } else {
                // Not a repeated header: keep them, only column-number rows go.
                0
            }
        };
        for row in g.rows.iter().skip(skip) {
            if header::is_column_number_row(row) {
                continue;
            }
            body.push((g.page, cell_texts(row)));
        }
    }
    let texts: Vec<Vec<String>> = body.iter().map(|(_, r)| r.clone()).collect();
    let roles = codes::column_roles(&columns, &texts);
    let title = b.title.clone().unwrap_or_default();
    let title_unit = amount::unit_in_caption(&title);
    let unit = b.unit.or(title_unit);
    let unit_printed = unit.is_some();
    let unit = unit.unwrap_or(Unit::Wanyuan);
    let label_cols = label_columns(&roles);
    let rows: Vec<Row> = body
        .iter()
        .map(|(page, cells)| make_row(*page, cells, &roles, &label_cols, unit))
        .collect();
    let mut kind = kind::kind_from_title(&title);
    if kind == TableKind::Other {
        kind = kind::kind_from_columns(&columns);
    }
    let mut pages: Vec<usize> = b.grids.iter().map(|g| g.page).collect();
    pages.sort_unstable();
    pages.dedup();
    Table {
        id,
        kind,
        title,
        owner: b.owner.clone(),
        unit,
        unit_printed,
        pages,
        columns,
        rows,
        notes: b.notes.clone(),
    }
}

/// Columns a label may come from: every non-code column, left to right. A row printing both a
/// unit name and a project name is labelled by the unit, as the rendered-PDF truth and its
/// scorer label it (the project name stays a cell of the row); rows under a unit that print
/// only the project name are labelled by the project.
fn label_columns(roles: &[ColRole]) -> Vec<usize> {
    roles
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_identifier())
        .map(|(c, _)| c)
        .collect()
}

/// Label text: whitespace between CJK characters dropped, other runs collapsed to one space.
pub fn normalize_label(s: &str) -> String {
    clean(s)
}

fn make_row(
    page: usize,
    cells: &[String],
    roles: &[ColRole],
    label_cols: &[usize],
    unit: Unit,
) -> Row {
    let is_text =
        |s: &str| !s.is_empty() && amount::parse_number(s).is_none() && !amount::is_blank(s);
    // A 合计 row may print its label in the code column.
    let label = label_cols
        .iter()
        .filter_map(|&c| cells.get(c))
        .chain(cells.iter())
        .find(|s| is_text(s) && !codes::is_subject_code(s))
        .map(|s| normalize_label(s))
        .unwrap_or_default();
    let code = codes::row_code(roles, cells);
    let body_cells = cells
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(col, raw)| {
            let identifier = roles.get(col).is_some_and(|r| r.is_identifier());
            let (value, pct) = match amount::parse_number(raw) {
                Some(Number::Amount(v)) if !identifier => (Some(unit.to_wanyuan(v)), None),
                Some(Number::Percent(p)) => (None, Some(p)),
                _ => (None, None),
            };
            BodyCell {
                col,
                raw: raw.clone(),
                value,
                pct,
            }
        })
        .collect();
    Row {
        page,
        label,
        code,
        cells: body_cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn tables(text: &str) -> Vec<Table> {
        recognize_tables(&crate::layout::from_text(text))
    }

    #[test]
    fn one_table_across_pages() {
        let text = "表05\n2021年一般公共预算支出表\n单位：元\n\
            科目编码\t科目名称\t合计\n合计\t\t30,000.00\n201\t一般公共服务支出\t10,000.00\n\
            \u{c}第 2 页\n科目编码\t科目名称\t合计\n20101\t人大事务\t10,000.00\n\
            \u{c}续表\n205\t教育支出\t20,000.00\n\
            \u{c}2021年政府性基金预算支出表\n科目编码\t科目名称\t合计\n合计\t\t\n注：本表无数据。\n";
        let ts = tables(text);
        assert_eq!(ts.len(), 2);
        let t = &ts[0];
        assert_eq!(t.title, "2021年一般公共预算支出表");
        assert_eq!(t.pages, vec![1, 2, 3]);
        assert_eq!(t.unit, Unit::Yuan);
        let labels: Vec<&str> = t.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["合计", "一般公共服务支出", "人大事务", "教育支出"]
        );
        let v = t.rows[0].cells.iter().find_map(|c| c.value);
        assert_eq!(v, Decimal::from_str("3").ok(), "元 → 万元");
        assert_eq!(t.rows[3].page, 3);
        let f = &ts[1];
        assert_eq!(f.kind, TableKind::GovFund);
        assert_eq!(f.pages, vec![4]);
        assert_eq!(f.notes, vec!["注：本表无数据。"]);
    }

    #[test]
    fn running_heads_neither_name_nor_split_a_table() {
        // Every page starts with the document's running head; the table's second page opens
        // with a 类 row that has no figures (it looks like a header row of its own).
        let head = "某市教育局2026年度部门预算公开\n";
        let text = format!(
            "{head}2026年财政拨款收支总表\n单位：万元\n\
             项目\t预算数\t项目\t预算数\n一、一般公共预算\t30.00\t（一）教育支出\t20.00\n\
             \x0c{head}\t\t（二）住房保障支出\t\n\t\t住房改革支出\t10.00\n\
             收入总计\t30.00\t支出总计\t30.00\n\
             \x0c{head}2026年一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n\
             205\t教育支出\t20.00\n"
        );
        let ts = tables(&text);
        let titles: Vec<&str> = ts.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            titles,
            vec!["2026年财政拨款收支总表", "2026年一般公共预算支出表"]
        );
        assert_eq!(ts[0].pages, vec![1, 2]);
        assert_eq!(
            ts[0].rows.len(),
            4,
            "the 类 row without figures stays a body row"
        );
    }

    fn cell(text: &str, col_span: u16, covered: bool) -> crate::layout::Cell {
        crate::layout::Cell {
            text: text.to_string(),
            row_span: 1,
            col_span,
            covered,
        }
    }

    #[test]
    fn captions_drawn_inside_a_ruled_grid() {
        let spanning = |t: &str| vec![cell(t, 3, false), cell("", 1, true), cell("", 1, true)];
        let grid = Grid {
            page: 7,
            bbox: [50.0, 100.0, 550.0, 400.0],
            ruled: true,
            col_x: vec![50.0, 150.0, 350.0, 550.0],
            rows: vec![
                spanning("一般公共预算“三公”经费支出表"),
                vec![
                    cell("", 1, false),
                    cell("", 1, false),
                    cell("单位：元", 1, false),
                ],
                vec![
                    cell("单位名称", 1, false),
                    cell("因公出国（境）费用", 1, false),
                    cell("公务接待费", 1, false),
                ],
                vec![
                    cell("合计", 1, false),
                    cell("20,000", 1, false),
                    cell("", 1, false),
                ],
                spanning("注：本单位无公务用车。"),
            ],
        };
        let layout = Layout {
            pages: vec![crate::layout::PageLayout {
                number: 7,
                width: 600.0,
                height: 800.0,
                blocks: vec![Block::Table(grid)],
            }],
        };
        let ts = recognize_tables(&layout);
        assert_eq!(ts.len(), 1);
        let t = &ts[0];
        assert_eq!(t.kind, TableKind::Sangong);
        assert_eq!(t.unit, Unit::Yuan);
        assert_eq!(
            t.columns,
            vec!["单位名称", "因公出国（境）费用", "公务接待费"]
        );
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.notes, vec!["注：本单位无公务用车。"]);
        let (f, page, _) = super::super::sangong_table::sangong_figures(t).expect("figures");
        assert_eq!(page, 7);
        assert_eq!(f.outbound, Decimal::from_str("2").ok());
        assert_eq!(f.reception, Some(Decimal::ZERO));
    }

    #[test]
    fn wrapped_title() {
        let ts = tables(
            "一、单位概况\n\n2021年市级部门一般公共预算“三公”经费\n支出表\n单位：万元\n\
             单位名称\t合计\t因公出国（境）费用\t公务接待费\n合计\t3.00\t1.00\t2.00\n",
        );
        assert_eq!(ts[0].title, "2021年市级部门一般公共预算“三公”经费支出表");
        assert_eq!(ts[0].kind, TableKind::Sangong);
        let ts =
            tables("湖州市人民政府办公室\n2023年市级单位收支预算总表\n项目\t预算数\n合计\t1.00\n");
        assert_eq!(ts[0].title, "2023年市级单位收支预算总表");
        // A first line whose only 表 is its number goes on below; a bare number does not.
        let ts = tables(
            "公开 09 表：一般公共预算“三公”经费、会议费、培训费\n支出预算表\n单位：万元\n\
             合计\t因公出国（境）费\t公务接待费\n3.00\t1.00\t2.00\n",
        );
        assert_eq!(
            ts[0].title,
            "公开09表：一般公共预算“三公”经费、会议费、培训费支出预算表"
        );
        assert_eq!(ts[0].kind, TableKind::Sangong);
        let ts = tables("公开01表\n收支总表\n单位：万元\n项目\t预算数\n合计\t1.00\n");
        assert_eq!(ts[0].title, "收支总表");
    }

    #[test]
    fn captions() {
        assert!(is_owner("【366】湖州市综合行政执法局（汇总）"));
        assert!(is_owner("单位：205004-市城市管理监督指挥中心"));
        assert!(is_owner("单位名称：区大数据中心"));
        assert!(is_owner("302001-湖州市人民政府办公室"));
        assert!(is_owner("部门：某县示例事务所"));
        assert!(!is_owner("单位：万元"));
        assert!(!is_owner("金额单位：元"));
        assert!(NUMBERING.is_match("表01"));
        assert!(NUMBERING.is_match("公开表1"));
        assert!(NUMBERING.is_match("预算01表"));
        assert!(!is_title("表01"));
        assert_eq!(clean_title("表1 收支总表"), "收支总表");
    }
}
