//! Arithmetic inside and across tables: 合计 = Σ top-level rows, 类 = Σ 款, 款 = Σ 项,
//! 基本支出 = 人员经费 + 公用经费, 收入总计 = 支出总计, and the 三公 items against the basic
//! expenditure lines 30212/30217/30231. Exact decimals; a difference within the printed
//! rounding of the addends is not a contradiction.

use super::{Finding, Severity};
use crate::recognize::{Recognized, Row, Table, TableKind};
use rust_decimal::Decimal;

/// Tables whose rows are a 科目 hierarchy that adds up.
fn is_coded(kind: TableKind) -> bool {
    matches!(
        kind,
        TableKind::GeneralBudgetExpenditure
            | TableKind::FiscalGrantExpenditure
            | TableKind::ExpenditureSummary
            | TableKind::BasicExpenditure
            | TableKind::IncomeSummary
            | TableKind::GovFund
            | TableKind::StateCapital
    )
}

fn is_total_label(label: &str) -> bool {
    let l: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    l.starts_with("合计") || l.starts_with("总计") || l == "本年合计"
}

fn value_at(row: &Row, col: usize) -> Option<Decimal> {
    row.cells
        .iter()
        .find(|c| c.col == col)
        .and_then(|c| c.value)
}

/// The largest number of decimals printed in the values compared, as a rounding step.
fn step_of(values: &[Decimal]) -> Decimal {
    let scale = values.iter().map(|v| v.scale()).max().unwrap_or(0);
    Decimal::new(1, scale)
}

/// 1 元 in 万元. A total that differs from its parts by less is a total printed to the 元
/// beside parts printed to the 分: a warning, not a contradiction.
fn one_yuan() -> Decimal {
    Decimal::new(1, 4)
}

fn numeric_cols(t: &Table) -> Vec<usize> {
    let mut cols: Vec<usize> = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().filter(|c| c.value.is_some()).map(|c| c.col))
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// Compares a printed parent with the sum of its parts in every numeric column.
fn compare_sum(
    t: &Table,
    parent: &Row,
    parts: &[&Row],
    check: &str,
    what: &str,
    open_end: bool,
    findings: &mut Vec<Finding>,
) {
    for col in numeric_cols(t) {
        let vals: Vec<Decimal> = parts.iter().filter_map(|r| value_at(r, col)).collect();
        if vals.is_empty() {
            continue;
        }
        let sum: Decimal = vals.iter().copied().sum();
        let column = t.columns.get(col).cloned().unwrap_or_default();
        match value_at(parent, col) {
            None if sum.is_zero() => {}
            None => findings.push(Finding {
                check: check.to_string(),
                severity: Severity::Info,
                message: format!(
                    "《{}》 p{} row {} column {}: subtotal left blank beside printed parts ({what})",
                    t.title, parent.page, parent.label, column
                ),
                expected: Some(sum),
                actual: None,
                page: Some(parent.page),
            }),
            Some(v) => {
                let diff = (v - sum).abs();
                if diff.is_zero() {
                    continue;
                }
                let mut all = vals.clone();
                all.push(v);
                // Each printed addend may be off by half a step.
                let tolerance = step_of(&all) * Decimal::from(vals.len().max(1)) / Decimal::TWO;
                // Parts that run to the end of the table and fall short may go on where the
                // table was not read (a continuation page not joined): likely, not certain.
                let short_at_end = open_end && sum < v;
                let under_a_yuan = diff < one_yuan();
                let severity = if diff <= tolerance {
                    Severity::Info
                } else if short_at_end || under_a_yuan {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                let caveat = if diff <= tolerance {
                    ""
                } else if under_a_yuan {
                    " (less than 1 元 apart: a total rounded to the 元)"
                } else if short_at_end {
                    " (the parts run to the end of the table as read: it may go on)"
                } else {
                    ""
                };
                findings.push(Finding {
                    check: check.to_string(),
                    severity,
                    message: format!(
                        "《{}》 p{} row {} column {}: printed {v}, {what} sum to {sum}{caveat}",
                        t.title, parent.page, parent.label, column
                    ),
                    expected: Some(sum),
                    actual: Some(v),
                    page: Some(parent.page),
                });
            }
        }
    }
}

/// 合计 = Σ top-level rows; every coded row = Σ its direct children.
fn hierarchy(t: &Table, findings: &mut Vec<Finding>) {
    let coded: Vec<&Row> = t.rows.iter().filter(|r| r.code.is_some()).collect();
    if coded.is_empty() {
        return;
    }
    // Children are the rows printed under their parent, up to the next row at its level or
    // above: by position, so a code printed twice (per-unit blocks, or two classifications
    // side by side such as 301 | 501 then 301 | 505) has each block's own children.
    for (i, parent) in coded.iter().enumerate() {
        let Some(pc) = parent.code.as_deref() else {
            continue;
        };
        let under: Vec<&Row> = coded
            .iter()
            .skip(i + 1)
            .copied()
            .take_while(|r| r.code.as_deref().is_some_and(|c| c.len() > pc.len()))
            .collect();
        let open_end = i + 1 + under.len() == coded.len();
        let children: Vec<&Row> = under
            .into_iter()
            .filter(|r| {
                r.code
                    .as_deref()
                    .is_some_and(|c| c.len() == pc.len() + 2 && c.starts_with(pc))
            })
            .collect();
        if !children.is_empty() {
            compare_sum(
                t,
                parent,
                &children,
                "table_code_hierarchy",
                "its sub-items",
                open_end,
                findings,
            );
        }
    }
    let min_len = coded
        .iter()
        .filter_map(|r| r.code.as_deref().map(str::len))
        .min()
        .unwrap_or(0);
    let top: Vec<&Row> = coded
        .iter()
        .copied()
        .filter(|r| r.code.as_deref().is_some_and(|c| c.len() == min_len))
        .collect();
    // Only when every non-total row is coded: otherwise the rows are not one hierarchy.
    let uncoded = t
        .rows
        .iter()
        .filter(|r| r.code.is_none() && !is_total_label(&r.label))
        .count();
    if let Some(total) = t.rows.iter().find(|r| is_total_label(&r.label))
        && uncoded == 0
    {
        compare_sum(
            t,
            total,
            &top,
            "table_total_rows",
            "the top-level rows",
            true,
            findings,
        );
    }
}

/// 基本支出 = 人员经费 + 公用经费 in each row that prints them.
fn basic_parts(t: &Table, findings: &mut Vec<Finding>) {
    let find = |pred: &dyn Fn(&str, &str) -> bool| {
        t.columns.iter().position(|p| {
            let last = p.rsplit('/').next().unwrap_or(p);
            pred(p, last)
        })
    };
    let personnel = find(&|_, l| l.contains("人员经费") || l.contains("人员支出"));
    let public = find(&|_, l| l.contains("公用经费") || l.contains("公用支出"));
    let basic = find(&|p, l| {
        (p.contains("基本支出") && (l.contains("小计") || l.contains("合计") || l == "基本支出"))
            || (t.kind == TableKind::BasicExpenditure && (l == "合计" || l.ends_with("基本支出")))
    });
    let (Some(p), Some(q), Some(b)) = (personnel, public, basic) else {
        return;
    };
    if b == p || b == q {
        return;
    }
    for row in &t.rows {
        let (bv, pv, qv) = (value_at(row, b), value_at(row, p), value_at(row, q));
        if bv.is_none() && pv.is_none() && qv.is_none() {
            continue;
        }
        let parts = pv.unwrap_or_default() + qv.unwrap_or_default();
        let Some(bv) = bv else {
            if !parts.is_zero() {
                findings.push(Finding {
                    check: "basic_parts".to_string(),
                    severity: Severity::Info,
                    message: format!(
                        "《{}》 p{} row {}: 基本支出 left blank beside 人员经费 + 公用经费 = {parts}",
                        t.title, row.page, row.label
                    ),
                    expected: Some(parts),
                    actual: None,
                    page: Some(row.page),
                });
            }
            continue;
        };
        if bv != parts {
            let vals: Vec<Decimal> = [Some(bv), pv, qv].into_iter().flatten().collect();
            let diff = (bv - parts).abs();
            let severity = if diff <= step_of(&vals) {
                Severity::Info
            } else if diff < one_yuan() {
                Severity::Warning
            } else {
                Severity::Error
            };
            findings.push(Finding {
                check: "basic_parts".to_string(),
                severity,
                message: format!(
                    "《{}》 p{} row {}: 基本支出 {bv} ≠ 人员经费 {} + 公用经费 {}",
                    t.title,
                    row.page,
                    row.label,
                    pv.unwrap_or_default(),
                    qv.unwrap_or_default()
                ),
                expected: Some(parts),
                actual: Some(bv),
                page: Some(row.page),
            });
        }
    }
}

/// 收入总计 = 支出总计 in the two-sided summary tables: the first figure of the row (收入总计)
/// against the first figure after the row's own 支出总计 label. Figures after that one are a
/// breakdown of the expense side (基本支出/人员经费 …) and are not compared.
fn income_equals_expense(t: &Table, findings: &mut Vec<Finding>) {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let Some(row) = t
        .rows
        .iter()
        .find(|r| squash(&r.label).contains("收入总计"))
    else {
        return;
    };
    let mut cells: Vec<&crate::recognize::BodyCell> = row.cells.iter().collect();
    cells.sort_by_key(|c| c.col);
    let Some(income) = cells.iter().find_map(|c| c.value) else {
        return;
    };
    let Some(label_at) = cells
        .iter()
        .position(|c| c.value.is_none() && squash(&c.raw).contains("支出总计"))
    else {
        return;
    };
    let Some(expense) = cells.iter().skip(label_at + 1).find(|c| c.value.is_some()) else {
        return;
    };
    let Some(v) = expense.value else {
        return;
    };
    if v != income {
        findings.push(Finding {
            check: "income_equals_expense".to_string(),
            severity: Severity::Error,
            message: format!(
                "《{}》 p{}: 收入总计 {income} ≠ 支出总计 {v} (column {})",
                t.title,
                row.page,
                t.columns.get(expense.col).cloned().unwrap_or_default()
            ),
            expected: Some(income),
            actual: Some(v),
            page: Some(row.page),
        });
    }
}

/// The 三公 table's items against the basic expenditure table's 30212/30217/30231 lines. The
/// basic line can be smaller (project spending carries the rest) but never larger.
fn sangong_vs_basic(recognized: &Recognized, findings: &mut Vec<Finding>) {
    let kind = recognized.facts.doc_kind;
    let Some(s) = recognized
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Sangong)
        .find_map(|t| super::sangong::table_figures(t, kind, recognized.facts.year))
    else {
        return;
    };
    let Some(basic) = recognized
        .tables
        .iter()
        .find(|t| t.kind == TableKind::BasicExpenditure)
    else {
        return;
    };
    let lines = [
        ("30212", "因公出国（境）费用", s.figures.outbound),
        ("30217", "公务接待费", s.figures.reception),
        ("30231", "公务用车运行维护费", s.figures.vehicle_operation),
    ];
    for (code, name, sangong) in lines {
        let Some(sv) = sangong else { continue };
        let Some(row) = basic.rows.iter().find(|r| r.code.as_deref() == Some(code)) else {
            continue;
        };
        let Some(bv) = row.cells.iter().find_map(|c| c.value) else {
            continue;
        };
        if bv > sv {
            findings.push(Finding {
                check: "sangong_vs_basic".to_string(),
                severity: Severity::Warning,
                message: format!(
                    "《{}》 p{} row {code} {name} {bv} exceeds the 三公 table 《{}》 p{} figure {sv}",
                    basic.title, row.page, s.title, s.page
                ),
                expected: Some(sv),
                actual: Some(bv),
                page: Some(row.page),
            });
        }
    }
}

/// Runs the table checks over every recognised table.
pub fn check_tables(recognized: &Recognized) -> Vec<Finding> {
    let mut findings = Vec::new();
    for t in &recognized.tables {
        if is_coded(t.kind) {
            hierarchy(t, &mut findings);
        }
        if matches!(
            t.kind,
            TableKind::GeneralBudgetExpenditure
                | TableKind::FiscalGrantExpenditure
                | TableKind::BasicExpenditure
                | TableKind::ExpenditureSummary
        ) {
            basic_parts(t, &mut findings);
        }
        if matches!(
            t.kind,
            TableKind::IncomeExpenseSummary | TableKind::FiscalGrantSummary
        ) {
            income_equals_expense(t, &mut findings);
        }
    }
    sangong_vs_basic(recognized, &mut findings);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<Finding> {
        let layout = crate::layout::from_text(text);
        let recognized = crate::recognize::recognize(&layout);
        let mut out = Vec::new();
        for t in &recognized.tables {
            income_equals_expense(t, &mut out);
        }
        out
    }

    const SUMMARY: &str = "收支总表\n单位：万元\n收入\t\t支出\t\t\t\n项目\t预算数\t项目\t预算数\t其中：基本支出\t项目支出\n一、一般公共预算拨款收入\t100.00\t一般公共服务支出\tEXP\t60.00\t40.00\n收入总计\t100.00\t支出总计\tEXP\t60.00\t40.00\n";

    #[test]
    fn income_total_against_expense_total_only() {
        // The breakdown columns (基本支出 60, 项目支出 40) are not the expense total.
        assert!(findings(&SUMMARY.replace("EXP", "100.00")).is_empty());
        let f = findings(&SUMMARY.replace("EXP", "99.00"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].expected, Some(Decimal::from(100)));
        assert_eq!(f[0].actual, Some(Decimal::from(99)));
    }

    fn hierarchy_findings(text: &str) -> Vec<Finding> {
        let recognized = crate::recognize::recognize(&crate::layout::from_text(text));
        let mut out = Vec::new();
        for t in &recognized.tables {
            hierarchy(t, &mut out);
        }
        out
    }

    const YUAN: &str = "2026年一般公共预算支出表\n单位：元\n科目编码\t科目名称\t合计\n\
                        合计\t\tTOTAL\n201\t一般公共服务支出\t22,118,861.34\n\
                        20101\t人大事务\t22,118,861.34\n";

    #[test]
    fn a_total_rounded_to_the_yuan_is_a_warning_a_real_gap_an_error() {
        let f = hierarchy_findings(&YUAN.replace("TOTAL", "22,118,861.00"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("less than 1 元"), "{}", f[0].message);
        // A total 100 元 short of its parts: no later page can explain that.
        let f = hierarchy_findings(&YUAN.replace("TOTAL", "22,118,761.34"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(hierarchy_findings(&YUAN.replace("TOTAL", "22,118,861.34")).is_empty());
    }
}
