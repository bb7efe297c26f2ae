//! The 三公 summary and the table checks on small tables shaped like the labelled corpus
//! cases: a vehicle subtotal left blank beside printed parts, prose rounding a six-decimal
//! table, a real contradiction, and a 科目 hierarchy that does not add up.

use gongkai::amount::Unit;
use gongkai::checks::{self, SangongStatus, Severity};
use gongkai::narrative::Amount;
use gongkai::recognize::{BodyCell, DocFacts, DocKind, Recognized, Row, Table, TableKind};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

fn cell(col: usize, raw: &str) -> BodyCell {
    BodyCell {
        col,
        raw: raw.to_string(),
        value: Decimal::from_str(raw).ok(),
        pct: None,
    }
}

fn row(label: &str, code: Option<&str>, cells: &[(usize, &str)]) -> Row {
    Row {
        page: 7,
        label: label.to_string(),
        code: code.map(str::to_string),
        cells: cells.iter().map(|&(c, r)| cell(c, r)).collect(),
    }
}

fn table(kind: TableKind, title: &str, columns: &[&str], rows: Vec<Row>) -> Table {
    Table {
        id: 1,
        kind,
        title: title.to_string(),
        owner: None,
        unit: Unit::Wanyuan,
        unit_printed: true,
        pages: vec![7],
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        notes: Vec::new(),
    }
}

const SANGONG_COLS: [&str; 7] = [
    "单位名称",
    "“三公”经费合计",
    "因公出国（境）费",
    "公务用车购置及运行费/小计",
    "公务用车购置及运行费/购置费",
    "公务用车购置及运行费/运行费",
    "公务接待费",
];

fn amount(key: &str, raw: &str) -> Amount {
    Amount {
        page: 3,
        key: key.to_string(),
        value: d(raw),
        raw: format!("{raw}万元"),
        unit: Unit::Wanyuan,
        change_value: None,
        change_pct: None,
        direction: None,
        previous_year: false,
        sentence: format!("“三公”经费 {key} {raw}万元。"),
    }
}

fn recognized(tables: Vec<Table>) -> Recognized {
    Recognized {
        facts: DocFacts {
            year: Some(2026),
            doc_kind: Some(DocKind::Budget),
            ..DocFacts::default()
        },
        tables,
    }
}

#[test]
fn blank_vehicle_subtotal_is_info_and_reads_as_printed() {
    let t = table(
        TableKind::Sangong,
        "“三公”经费预算表",
        &SANGONG_COLS,
        vec![row(
            "合计",
            None,
            &[
                (1, "30.75"),
                (3, ""),
                (4, "20.00"),
                (5, "8.25"),
                (6, "2.50"),
            ],
        )],
    );
    let (s, findings) = checks::run(&recognized(vec![t]), &[]);
    assert_eq!(s.status, SangongStatus::TableOnly);
    assert_eq!(s.table.total, Some(d("30.75")));
    assert_eq!(
        s.table.outbound,
        Some(d("0")),
        "blank outbound in a printed row is 0"
    );
    assert_eq!(s.table.vehicle_purchase, Some(d("20.00")));
    let info: Vec<_> = findings
        .iter()
        .filter(|f| f.check == "sangong_vehicle_parts")
        .collect();
    assert_eq!(info.len(), 1, "{findings:?}");
    assert_eq!(info[0].severity, Severity::Info);
    assert!(
        info[0].message.contains("left blank"),
        "{}",
        info[0].message
    );
    assert!(
        findings.iter().all(|f| f.severity == Severity::Info),
        "{findings:?}"
    );
}

#[test]
fn prose_rounding_a_six_decimal_table_agrees() {
    let t = table(
        TableKind::Sangong,
        "“三公”经费预算表",
        &SANGONG_COLS,
        vec![row(
            "合计",
            None,
            &[
                (1, "231.434069"),
                (2, "100.000000"),
                (3, "100.434069"),
                (4, "0"),
                (5, "100.434069"),
                (6, "31.000000"),
            ],
        )],
    );
    let amounts = [
        amount("sangong_total", "231.43"),
        amount("sangong_outbound", "100"),
        amount("sangong_vehicle_total", "100.43"),
    ];
    let (s, findings) = checks::run(&recognized(vec![t]), &amounts);
    assert_eq!(s.status, SangongStatus::Agree, "{findings:?}");
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(s.max_diff, Some(d("0.004069")));
}

#[test]
fn prose_contradicting_the_table_is_flagged_with_its_cells() {
    let t = table(
        TableKind::Sangong,
        "“三公”经费预算表",
        &SANGONG_COLS,
        vec![row(
            "合计",
            None,
            &[(1, "13.00"), (3, "8.00"), (5, "8.00"), (6, "5.00")],
        )],
    );
    let amounts = [amount("sangong_total", "14")];
    let (s, findings) = checks::run(&recognized(vec![t]), &amounts);
    assert_eq!(s.status, SangongStatus::Disagree);
    let f = findings
        .iter()
        .find(|f| f.check == "narrative_vs_table")
        .expect("a finding");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.expected, Some(d("13.00")));
    assert_eq!(f.actual, Some(d("14")));
    assert!(f.message.contains("“三公”经费预算表") && f.message.contains("合计"));
}

#[test]
fn hierarchy_and_total_rows_add_up_or_are_flagged() {
    let good = table(
        TableKind::GeneralBudgetExpenditure,
        "一般公共预算支出表",
        &[
            "科目编码",
            "科目名称",
            "合计",
            "基本支出/小计",
            "基本支出/人员经费",
            "基本支出/公用经费",
        ],
        vec![
            row(
                "合计",
                None,
                &[(2, "196.01"), (3, "196.01"), (4, "150.00"), (5, "46.01")],
            ),
            row(
                "社会保障和就业支出",
                Some("208"),
                &[(2, "196.01"), (3, "196.01"), (4, "150.00"), (5, "46.01")],
            ),
            row(
                "行政事业单位养老支出",
                Some("20805"),
                &[(2, "196.01"), (3, "196.01"), (4, "150.00"), (5, "46.01")],
            ),
            row(
                "行政单位离退休",
                Some("2080501"),
                &[(2, "50.63"), (3, "50.63"), (4, "50.63")],
            ),
            row(
                "机关事业单位基本养老保险缴费支出",
                Some("2080505"),
                &[(2, "145.38"), (3, "145.38"), (4, "99.37"), (5, "46.01")],
            ),
        ],
    );
    let findings = checks::run(&recognized(vec![good.clone()]), &[]).1;
    assert!(findings.is_empty(), "{findings:?}");

    let mut bad = good;
    bad.rows[3].cells[0] = cell(2, "60.63");
    let findings = checks::run(&recognized(vec![bad]), &[]).1;
    let err: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(
        err.iter().any(|f| f.check == "table_code_hierarchy"
            && f.message.contains("行政事业单位养老支出")
            && f.actual == Some(d("196.01"))
            && f.expected == Some(d("206.01"))),
        "{findings:?}"
    );
    assert!(
        err.iter()
            .all(|f| f.expected.is_some() && f.actual.is_some())
    );
}
