//! The 三公 figures of a 三公 table: which column is which (by header path), which row holds
//! the figures (合计, else the only row with figures), and blanks beside printed figures read
//! as 0. Where 合计 also counts 会议费/培训费, the 三公 subtotal column is the total.

use super::kind::norm_key;
use super::{Row, Table};
use crate::checks::SangongFigures;
use rust_decimal::Decimal;

#[derive(Default)]
struct Cols {
    total: Option<usize>,
    outbound: Option<usize>,
    reception: Option<usize>,
    vehicle_total: Option<usize>,
    purchase: Option<usize>,
    operation: Option<usize>,
}

fn find_columns(t: &Table) -> (Cols, bool) {
    let mut cols = Cols::default();
    let keys: Vec<(String, String)> = t
        .columns
        .iter()
        .map(|p| {
            let leaf = p.rsplit('/').next().unwrap_or_default();
            (norm_key(p), norm_key(leaf))
        })
        .collect();
    let has_meeting = keys
        .iter()
        .any(|(p, _)| p.contains("会议费") || p.contains("培训费"));
    let mut plain_total = None;
    let mut subtotal_note = false;
    let wanted = figure_columns(t, &keys);
    for (c, (path, leaf)) in keys.iter().enumerate() {
        if !wanted.contains(&c) {
            continue;
        }
        let is_sum = leaf.contains("合计") || leaf.contains("小计") || leaf.contains("总计");
        let vehicle = path.contains("车");
        if path.contains("出国") {
            cols.outbound.get_or_insert(c);
        } else if path.contains("接待") {
            cols.reception.get_or_insert(c);
        } else if vehicle {
            let buy = leaf.contains("购置");
            let run = leaf.contains("运行") || leaf.contains("运维") || leaf.contains("维护");
            if (buy && run) || is_sum {
                cols.vehicle_total.get_or_insert(c);
            } else if buy {
                cols.purchase.get_or_insert(c);
            } else if run {
                cols.operation.get_or_insert(c);
            }
        } else if path.contains("三公") && (is_sum || !path.contains('/')) {
            cols.total.get_or_insert(c);
            subtotal_note = has_meeting;
        } else if is_sum
            && plain_total.is_none()
            && !path.contains("会议")
            && !path.contains("培训")
        {
            plain_total = Some(c);
        }
    }
    if cols.total.is_none() && !has_meeting {
        cols.total = plain_total;
    }
    (cols, subtotal_note)
}

/// The columns that can hold the document year's figures: of 预算数/决算数 pairs the 决算数, of
/// year blocks the title's year (else the latest).
fn figure_columns(t: &Table, keys: &[(String, String)]) -> Vec<usize> {
    let mut cols: Vec<usize> = (0..keys.len()).collect();
    let has = |c: &usize, w: &str| keys.get(*c).is_some_and(|(p, _)| p.contains(w));
    if cols.iter().any(|c| has(c, "决算")) && cols.iter().any(|c| has(c, "预算")) {
        cols.retain(|c| !has(c, "预算") || has(c, "决算"));
    }
    static YEAR: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"(20\d{2})年").expect("constant pattern"));
    let year_of = |s: &str| -> Option<u32> {
        YEAR.captures(s)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok())
    };
    let years: Vec<u32> = cols
        .iter()
        .filter_map(|c| keys.get(*c).and_then(|(p, _)| year_of(p)))
        .collect();
    let distinct = {
        let mut y = years.clone();
        y.sort_unstable();
        y.dedup();
        y
    };
    if distinct.len() > 1 {
        let want = year_of(&t.title)
            .filter(|y| distinct.contains(y))
            .or_else(|| distinct.last().copied());
        cols.retain(|c| {
            let y = keys.get(*c).and_then(|(p, _)| year_of(p));
            y.is_none() || y == want
        });
    }
    cols
}

fn is_total_row(r: &Row) -> bool {
    super::header::is_total_label(&r.label)
}

/// The 三公 figures of `t` (in 万元), the page they are printed on and how they were read.
pub fn sangong_figures(t: &Table) -> Option<(SangongFigures, usize, String)> {
    let (cols, subtotal) = find_columns(t);
    let wanted = [
        cols.total,
        cols.outbound,
        cols.reception,
        cols.vehicle_total,
        cols.purchase,
        cols.operation,
    ];
    if wanted.iter().all(Option::is_none) {
        return None;
    }
    let has_figures = |r: &&Row| {
        wanted
            .iter()
            .flatten()
            .any(|c| r.cells.iter().any(|x| x.col == *c && x.value.is_some()))
    };
    let with_figures: Vec<&Row> = t.rows.iter().filter(has_figures).collect();
    let (row, how) = match t.rows.iter().find(|r| is_total_row(r)) {
        Some(r) => (r, "合计 row"),
        None if with_figures.len() == 1 => (*with_figures.first()?, "only row with figures"),
        None => (*with_figures.first()?, "first row with figures"),
    };
    let row_has_figures = has_figures(&row);
    let get = |c: Option<usize>| -> Option<Decimal> {
        let c = c?;
        match row.cells.iter().find(|x| x.col == c) {
            Some(x) => x.value,
            // A blank cell in a row with figures is a zero the table did not print.
            None if row_has_figures => Some(Decimal::ZERO),
            None => None,
        }
    };
    let mut f = SangongFigures {
        total: get(cols.total),
        outbound: get(cols.outbound),
        reception: get(cols.reception),
        vehicle_total: get(cols.vehicle_total),
        vehicle_purchase: get(cols.purchase),
        vehicle_operation: get(cols.operation),
    };
    // A table without a vehicle subtotal column: the two parts add up to it.
    if cols.vehicle_total.is_none()
        && let (Some(a), Some(b)) = (f.vehicle_purchase, f.vehicle_operation)
    {
        f.vehicle_total = Some(a + b);
    }
    let mut note = how.to_string();
    if subtotal {
        note.push_str("; total is the 三公 subtotal column (合计 includes 会议费/培训费)");
    }
    Some((f, row.page, note))
}
