//! The 三公 summary: the figures of the 三公 table's 合计 row and of the prose, compared within
//! the prose's rounding, and the checks inside each group (total = parts, vehicle = parts).

use super::{Finding, Sangong, SangongFigures, SangongStatus, Severity};
use crate::narrative::Amount;
use crate::recognize::{DocKind, Recognized, Table, TableKind};
use rust_decimal::Decimal;

/// The six items in the order of [`SangongFigures`].
pub const ITEMS: [&str; 6] = [
    "total",
    "outbound",
    "reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
];

/// Which 三公 item a column holds, from its header path.
fn column_item(path: &str) -> Option<usize> {
    let last = crate::recognize::sangong_table::item_leaf(path);
    if last.contains("会议") || last.contains("培训") || last.contains("机关运行") {
        return None;
    }
    if last.contains("出国") {
        return Some(1);
    }
    if last.contains("接待") {
        return Some(2);
    }
    let vehicle = path.contains("公务用车") || path.contains("公车") || path.contains("车辆");
    if last.contains("购置") && (last.contains("运行") || last.contains("运维")) {
        return Some(3);
    }
    if last.contains("购置") {
        return Some(4);
    }
    if last.contains("运行") || last.contains("运维") {
        return Some(5);
    }
    if last.contains("小计") && vehicle {
        return Some(3);
    }
    if last.contains("合计")
        || last.contains("总计")
        || last.contains("三公")
        || last.contains("小计")
    {
        return Some(0);
    }
    None
}

/// One 三公 table's document-year figures with, per item, whether the cell was printed.
pub struct TableFigures {
    pub figures: SangongFigures,
    /// Items whose column exists but whose cell in the chosen row is blank.
    pub blank: [bool; 6],
    pub page: usize,
    pub unit: String,
    pub title: String,
    pub row_label: String,
    /// Columns beside the 三公 items (会议费, 培训费) that the row's 合计 may include.
    pub extra_columns: Vec<String>,
}

/// The figures of a 三公 table: the 合计/总计 row (or the only data row); for 决算 documents the
/// 决算 columns. A blank cell in a row that has numbers reads as 0; a missing column stays None.
pub fn table_figures(t: &Table, kind: Option<DocKind>, year: Option<i32>) -> Option<TableFigures> {
    let mut roles: Vec<(usize, usize)> = Vec::new();
    let final_cols = t.columns.iter().any(|c| c.contains("决算"));
    let mut extra = Vec::new();
    for (i, path) in t.columns.iter().enumerate() {
        if kind == Some(DocKind::FinalAccounts) && final_cols && !path.contains("决算") {
            continue;
        }
        if kind != Some(DocKind::FinalAccounts) && path.contains("决算") {
            continue;
        }
        // Tables that print two years side by side: only the document year's block.
        if path.contains("上年") || mentions_other_year(path, year) {
            continue;
        }
        // A leading 合计 over 三公 + 会议费 + 培训费 is not the 三公 total when a 三公 subtotal
        // exists; the later, more specific column wins below.
        if let Some(item) = column_item(path) {
            if let Some(existing) = roles.iter_mut().find(|(_, it)| *it == item) {
                if item == 0 && path.contains("三公") {
                    existing.0 = i;
                }
                continue;
            }
            roles.push((i, item));
        } else if path.contains("会议") || path.contains("培训") {
            extra.push(path.clone());
        }
    }
    if roles.is_empty() {
        return None;
    }
    let has_numbers = |r: &crate::recognize::Row| {
        r.cells
            .iter()
            .any(|c| c.value.is_some() && roles.iter().any(|(i, _)| *i == c.col))
    };
    let row = t
        .rows
        .iter()
        .find(|r| (r.label.contains("合计") || r.label.contains("总计")) && has_numbers(r))
        .or_else(|| {
            let mut data = t.rows.iter().filter(|r| has_numbers(r));
            match (data.next(), data.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })?;
    let mut values: [Option<Decimal>; 6] = [None; 6];
    let mut blank = [false; 6];
    for &(col, item) in &roles {
        let cell = row.cells.iter().find(|c| c.col == col);
        match cell.and_then(|c| c.value) {
            Some(v) => values[item] = Some(v),
            None => {
                values[item] = Some(Decimal::ZERO);
                blank[item] = true;
            }
        }
    }
    let [
        total,
        outbound,
        reception,
        vehicle_total,
        vehicle_purchase,
        vehicle_operation,
    ] = values;
    Some(TableFigures {
        figures: SangongFigures {
            total,
            outbound,
            reception,
            vehicle_total,
            vehicle_purchase,
            vehicle_operation,
        },
        blank,
        page: row.page,
        unit: if t.unit_printed {
            t.unit.as_str().to_string()
        } else {
            "万元".to_string()
        },
        title: t.title.clone(),
        row_label: row.label.clone(),
        extra_columns: extra,
    })
}

/// A 三公 table printing the items as rows (项目 | 合计 | 一般公共预算 …), which has no item
/// columns for [`table_figures`]: read down its figure column.
fn items_as_rows(t: &Table) -> Option<TableFigures> {
    let (figures, page, how) = crate::recognize::sangong_table::sangong_figures(t)?;
    Some(TableFigures {
        figures,
        blank: [false; 6],
        page,
        unit: if t.unit_printed {
            t.unit.as_str().to_string()
        } else {
            "万元".to_string()
        },
        title: t.title.clone(),
        row_label: how,
        extra_columns: Vec::new(),
    })
}

/// The path names a year (`2025年`) that is not the document year.
fn mentions_other_year(path: &str, year: Option<i32>) -> bool {
    let Some(year) = year else { return false };
    let chars: Vec<char> = path.chars().collect();
    chars.windows(5).any(|w| {
        w[4] == '年'
            && w[..4].iter().all(|c| c.is_ascii_digit())
            && w[..4].iter().collect::<String>().parse::<i32>().ok() != Some(year)
    })
}

pub fn as_array(f: &SangongFigures) -> [Option<Decimal>; 6] {
    [
        f.total,
        f.outbound,
        f.reception,
        f.vehicle_total,
        f.vehicle_purchase,
        f.vehicle_operation,
    ]
}

/// The prose figures: for each item the first document-year statement, preferring those at or
/// after the first sentence that speaks of 三公 (items also appear in lists of basic spending).
fn narrative_figures(amounts: &[Amount]) -> (SangongFigures, [Option<&Amount>; 6]) {
    let anchor = amounts
        .iter()
        .position(|a| {
            a.key.starts_with("sangong_") && !a.previous_year && a.sentence.contains("三公")
        })
        .unwrap_or(0);
    let mut chosen: [Option<&Amount>; 6] = [None; 6];
    for (i, item) in ITEMS.iter().enumerate() {
        let key = format!("sangong_{item}");
        let pick = |from: usize| {
            amounts
                .iter()
                .skip(from)
                .find(|a| a.key == key && !a.previous_year)
        };
        chosen[i] = pick(anchor).or_else(|| pick(0));
    }
    let v = chosen.map(|a| a.map(|a| a.value));
    let [
        total,
        outbound,
        reception,
        vehicle_total,
        vehicle_purchase,
        vehicle_operation,
    ] = v;
    (
        SangongFigures {
            total,
            outbound,
            reception,
            vehicle_total,
            vehicle_purchase,
            vehicle_operation,
        },
        chosen,
    )
}

/// Whether a prose figure agrees with a table figure: equal after rounding the table figure to
/// the prose's precision (prose says 231.43 for a table's 231.434069).
pub fn agrees(table: Decimal, prose: Decimal) -> bool {
    let scale = prose.scale();
    table.round_dp(scale) == prose || table == prose
}

/// Builds the summary and the 三公 findings.
pub fn summarize(recognized: &Recognized, amounts: &[Amount]) -> (Sangong, Vec<Finding>) {
    let mut findings = Vec::new();
    let kind = recognized.facts.doc_kind;
    let table = recognized
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Sangong)
        .find_map(|t| table_figures(t, kind, recognized.facts.year).or_else(|| items_as_rows(t)));
    let (narr, chosen) = narrative_figures(amounts);
    let mut notes: Vec<String> = Vec::new();

    if let Some(t) = &table {
        group_checks(&as_array(&t.figures), &t.blank, Some(t), &mut findings);
        if !t.extra_columns.is_empty() {
            notes.push(format!(
                "table has {} besides the 三公 items; table_total is the 三公 figure",
                t.extra_columns.join(", ")
            ));
        }
        let blanks: Vec<&str> = ITEMS
            .iter()
            .zip(t.blank.iter())
            .filter(|(_, b)| **b)
            .map(|(i, _)| *i)
            .collect();
        if !blanks.is_empty() {
            notes.push(format!("blank cells read as 0: {}", blanks.join(",")));
        }
    }
    group_checks(&as_array(&narr), &[false; 6], None, &mut findings);
    notes.extend(unarranged_quotes(amounts));

    let tab = table.as_ref().map(|t| as_array(&t.figures));
    let nar = as_array(&narr);
    let narrative_any = nar.iter().any(|v| v.is_some());
    let table_any = tab.is_some_and(|t| t.iter().any(|v| v.is_some()));
    let mut max_diff: Option<Decimal> = None;
    let mut disagree = false;
    if let (Some(tab), Some(t)) = (tab, &table) {
        for i in 0..6 {
            let (Some(tv), Some(nv)) = (tab[i], nar[i]) else {
                continue;
            };
            let diff = (tv - nv).abs();
            max_diff = Some(max_diff.map_or(diff, |m: Decimal| m.max(diff)));
            if !agrees(tv, nv) {
                disagree = true;
                let a = chosen[i];
                findings.push(Finding {
                    check: "narrative_vs_table".to_string(),
                    severity: Severity::Warning,
                    message: format!(
                        "三公 {}: table 《{}》 p{} row {} says {}, prose p{} says {} (\"{}\")",
                        ITEMS[i],
                        t.title,
                        t.page,
                        t.row_label,
                        tv,
                        a.map_or(0, |a| a.page),
                        a.map_or_else(String::new, |a| a.raw.clone()),
                        a.map_or_else(String::new, |a| a.sentence.chars().take(80).collect())
                    ),
                    expected: Some(tv),
                    actual: Some(nv),
                    page: a.map(|a| a.page),
                });
            }
        }
    }
    let status = match (table_any, narrative_any) {
        (true, true) if disagree => SangongStatus::Disagree,
        (true, true) => SangongStatus::Agree,
        (true, false) => SangongStatus::TableOnly,
        (false, true) => SangongStatus::NarrativeOnly,
        (false, false) => SangongStatus::None,
    };
    let narrative_page = chosen.iter().flatten().map(|a| a.page).min();
    let narrative_unit = chosen.iter().flatten().map(|a| a.unit.as_str()).next();
    let currency = table
        .as_ref()
        .map(|t| t.unit.clone())
        .or_else(|| narrative_unit.map(str::to_string));
    if let (Some(t), Some(nu)) = (&table, narrative_unit)
        && t.unit != nu
    {
        notes.push(format!("narrative_unit={nu}"));
    }
    (
        Sangong {
            currency,
            table: table
                .as_ref()
                .map(|t| t.figures.clone())
                .unwrap_or_default(),
            narrative: narr,
            table_page: table.as_ref().map(|t| t.page),
            narrative_page,
            status,
            max_diff,
            note: notes.join("; "),
        },
        findings,
    )
}

/// Clauses of 三公 sentences saying an item is not arranged (`2021 年未安排车辆购置费预算`):
/// no figure is recorded for them, so the summary quotes them.
fn unarranged_quotes(amounts: &[Amount]) -> Vec<String> {
    let mut quotes: Vec<String> = Vec::new();
    for a in amounts
        .iter()
        .filter(|a| a.key.starts_with("sangong_") && !a.previous_year)
    {
        for clause in a.sentence.split(['，', '。', '；', ',', ';']) {
            if crate::narrative::says_unarranged(clause) {
                let q = format!("未安排: \"{}\"", clause.trim());
                if !quotes.contains(&q) {
                    quotes.push(q);
                }
            }
        }
    }
    quotes
}

/// total = 出国 + 接待 + 车辆 and 车辆 = 购置 + 运行, for one group of figures. A blank subtotal
/// beside printed parts is reported as info, not as a contradiction.
fn group_checks(
    v: &[Option<Decimal>; 6],
    blank: &[bool; 6],
    table: Option<&TableFigures>,
    findings: &mut Vec<Finding>,
) {
    let whence = match table {
        Some(t) => format!("table 《{}》 p{} row {}", t.title, t.page, t.row_label),
        None => "prose".to_string(),
    };
    let page = table.map(|t| t.page);
    // 车辆 = 购置 + 运行
    if let (Some(vt), Some(p), Some(o)) = (v[3], v[4], v[5]) {
        let sum = p + o;
        if vt != sum {
            if blank[3] {
                findings.push(Finding {
                    check: "sangong_vehicle_parts".to_string(),
                    severity: Severity::Info,
                    message: format!(
                        "{whence}: vehicle subtotal left blank beside printed parts (购置 {p} + 运行 {o})"
                    ),
                    expected: Some(sum),
                    actual: None,
                    page,
                });
            } else {
                findings.push(Finding {
                    check: "sangong_vehicle_parts".to_string(),
                    severity: Severity::Error,
                    message: format!("{whence}: 公务用车 subtotal {vt} ≠ 购置 {p} + 运行 {o}"),
                    expected: Some(sum),
                    actual: Some(vt),
                    page,
                });
            }
        }
    }
    // total = 出国 + 接待 + 车辆 (the vehicle figure is the subtotal, else its parts).
    let vehicle = match (v[3], blank[3]) {
        (Some(vt), false) => Some(vt),
        _ => match (v[4], v[5]) {
            (Some(p), Some(o)) => Some(p + o),
            _ => v[3],
        },
    };
    if let (Some(t), Some(out), Some(rec), Some(veh)) = (v[0], v[1], v[2], vehicle) {
        let sum = out + rec + veh;
        if t != sum {
            let severity = if blank[0] {
                Severity::Info
            } else {
                Severity::Error
            };
            findings.push(Finding {
                check: "sangong_total_parts".to_string(),
                severity,
                message: if blank[0] {
                    format!("{whence}: 三公 total left blank beside printed parts ({sum})")
                } else {
                    format!("{whence}: 三公 total {t} ≠ 出国 {out} + 接待 {rec} + 车辆 {veh}")
                },
                expected: Some(sum),
                actual: if blank[0] { None } else { Some(t) },
                page,
            });
        }
    }
}
