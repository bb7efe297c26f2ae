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

/// The part of a column path that names the item: the last part, or the one above it when
/// the last only says which figure it is (`公务接待费/决算数`, `合计/预算数`).
pub fn item_leaf(path: &str) -> &str {
    static FIGURE_KIND: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"^\s*(?:本年|上年|(?:20\d{2})年)?\s*(?:年初)?(?:预算|决算|执行|调整后预算)数?\s*$|^\s*金额\s*$")
            .expect("constant pattern") // ok: a literal pattern, compiled by the unit tests
    });
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or_default();
    if FIGURE_KIND.is_match(last) {
        parts.next().unwrap_or(last)
    } else {
        last
    }
}

fn find_columns(t: &Table) -> (Cols, bool) {
    let mut cols = Cols::default();
    let keys: Vec<(String, String)> = t
        .columns
        .iter()
        .map(|p| (norm_key(p), norm_key(item_leaf(p))))
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
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"(20\d{2})年").expect("constant pattern")); // ok: literal pattern
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
    if cols.outbound.is_none() && cols.reception.is_none() && cols.vehicle_total.is_none() {
        // Items as rows (项目 | 预算数): read down the figure column instead.
        if let Some(found) = by_rows(t) {
            return Some(found);
        }
    }
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

/// A 三公 table printed with the items as rows: the figures are read from the first amount
/// column the document year's figures can be in.
fn by_rows(t: &Table) -> Option<(SangongFigures, usize, String)> {
    let keys: Vec<(String, String)> = t
        .columns
        .iter()
        .map(|p| {
            let leaf = p.rsplit('/').next().unwrap_or_default();
            (norm_key(p), norm_key(leaf))
        })
        .collect();
    let allowed = figure_columns(t, &keys);
    let col = allowed.into_iter().find(|c| {
        t.rows
            .iter()
            .any(|r| r.cells.iter().any(|x| x.col == *c && x.value.is_some()))
    })?;
    let mut f = SangongFigures::default();
    let mut page = None;
    let mut found = 0;
    for r in &t.rows {
        let label = norm_key(&r.label);
        let v = r
            .cells
            .iter()
            .find(|x| x.col == col)
            .and_then(|x| x.value)
            .unwrap_or(Decimal::ZERO);
        let slot = if super::header::is_total_label(&r.label)
            || (label.contains("三公") && !label.contains("出国"))
        {
            &mut f.total
        } else if label.contains("出国") {
            &mut f.outbound
        } else if label.contains("接待") {
            &mut f.reception
        } else if label.contains("车") {
            let buy = label.contains("购置");
            let run = label.contains("运行") || label.contains("运维") || label.contains("维护");
            if buy && run {
                &mut f.vehicle_total
            } else if buy {
                &mut f.vehicle_purchase
            } else if run {
                &mut f.vehicle_operation
            } else {
                &mut f.vehicle_total
            }
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(v);
            found += 1;
            page.get_or_insert(r.page);
        }
    }
    if f.outbound.is_none() && f.reception.is_none() {
        return None;
    }
    (found >= 2).then(|| (f, page.unwrap_or(1), "items as rows".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Decimal::from_str(s).ok()
    }

    fn first_table(text: &str) -> Table {
        let layout = crate::layout::from_text(text);
        super::super::tables::recognize_tables(&layout)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no table in {text:?}"))
    }

    #[test]
    fn items_as_rows_in_the_document_year() {
        let t = first_table(
            "2021年“三公”经费预算表\n单位：万元\n项目\t2020年预算数\t2021年预算数\n\
             合计\t31.61\t38.06\n1.因公出国（境）费\t0\t6.04\n\
             2.公务用车购置及运行费\t29.66\t21.00\n其中：公务用车购置费\t\t\n\
             公务用车运行维护费\t29.66\t21.00\n3.公务接待费\t1.95\t11.02\n",
        );
        assert_eq!(t.kind, crate::recognize::TableKind::Sangong);
        let (f, _, note) = sangong_figures(&t).unwrap_or_else(|| panic!("figures"));
        assert_eq!(note, "items as rows");
        assert_eq!(f.total, d("38.06"));
        assert_eq!(f.outbound, d("6.04"));
        assert_eq!(f.vehicle_total, d("21.00"));
        assert_eq!(f.vehicle_purchase, d("0"));
        assert_eq!(f.vehicle_operation, d("21.00"));
        assert_eq!(f.reception, d("11.02"));
    }

    #[test]
    fn subtotal_column_when_total_counts_meetings() {
        let t = first_table(
            "一般公共预算“三公”经费支出表\n单位：万元\n\
             合计\t“三公”经费小计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t会议费\t培训费\n\
             100.00\t60.00\t10.00\t20.00\t30.00\t25.00\t15.00\n",
        );
        let (f, _, note) = sangong_figures(&t).unwrap_or_else(|| panic!("figures"));
        assert_eq!(f.total, d("60.00"), "{note}");
        assert!(note.contains("subtotal"));
        assert_eq!(f.vehicle_total, d("30.00"));
    }

    #[test]
    fn final_accounts_read_the_actual_column() {
        let t = first_table(
            "一般公共预算财政拨款“三公”经费支出决算表\n单位：万元\n\
             项目\t因公出国（境）费\t\t公务接待费\t\n\
             \t预算数\t决算数\t预算数\t决算数\n合计\t5.00\t4.50\t3.00\t2.80\n",
        );
        let (f, _, _) = sangong_figures(&t).unwrap_or_else(|| panic!("figures"));
        assert_eq!(f.outbound, d("4.50"));
        assert_eq!(f.reception, d("2.80"));
    }
}
