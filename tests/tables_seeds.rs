//! Table recognition on the five seed text disclosures: specific tables read by hand from the
//! seeds, and a generic check that every figure printed in a tab row comes out as exactly one
//! body cell (nothing lost, nothing invented).

use gongkai::amount::Unit;
use gongkai::recognize::{Table, TableKind, recognize};
use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn seed_path(prefix: &str) -> PathBuf {
    let dir = shared().join("seeds");
    let found = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        });
    found.unwrap_or_else(|| panic!("no seed {prefix}"))
}

fn seed_text(prefix: &str) -> String {
    let bytes = std::fs::read(seed_path(prefix)).expect("read seed");
    gongkai::pipeline::decode_text(&bytes)
}

fn tables(prefix: &str) -> Vec<Table> {
    recognize(&gongkai::layout::from_text(&seed_text(prefix))).tables
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

fn by_title<'a>(ts: &'a [Table], needle: &str) -> Vec<&'a Table> {
    ts.iter().filter(|t| t.title.contains(needle)).collect()
}

fn one<'a>(ts: &'a [Table], needle: &str) -> &'a Table {
    let found = by_title(ts, needle);
    assert_eq!(
        found.len(),
        1,
        "tables titled *{needle}*: {:?}",
        ts.iter().map(|t| &t.title).collect::<Vec<_>>()
    );
    found[0]
}

fn row<'a>(t: &'a Table, label: &str) -> &'a gongkai::recognize::Row {
    t.rows
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no row {label} in {}", t.title))
}

fn values(r: &gongkai::recognize::Row) -> Vec<Decimal> {
    r.cells.iter().filter_map(|c| c.value).collect()
}

/// A number as the official scorer reads one: NFKC, no whitespace, digits with optional
/// thousands separators and decimals.
fn scorer_number(s: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let t: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
    let re = regex::Regex::new(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$").expect("pattern");
    re.is_match(&t)
}

/// `** ** 1 2 3` rows: column numbers, part of the header.
fn is_column_number_line(cells: &[&str]) -> bool {
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    filled.len() >= 2
        && filled
            .iter()
            .all(|c| *c == "**" || *c == "*" || c.parse::<u32>().is_ok_and(|n| n < 200))
}

fn numeric_cells_in_tab_rows(text: &str) -> usize {
    text.lines()
        .filter(|l| l.contains('\t'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cells| !is_column_number_line(cells))
        .map(|cells| cells.iter().filter(|c| scorer_number(c)).count())
        .sum()
}

fn numeric_body_cells(ts: &[Table]) -> usize {
    ts.iter()
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .filter(|c| scorer_number(&c.raw))
        .count()
}

#[test]
fn every_printed_figure_is_one_body_cell() {
    for seed in ["000", "001", "002", "003", "004"] {
        let text = seed_text(seed);
        let ts = tables(seed);
        let printed = numeric_cells_in_tab_rows(&text);
        let got = numeric_body_cells(&ts);
        println!(
            "seed {seed}: {} tables, {printed} figures printed, {got} body figures",
            ts.len()
        );
        for t in &ts {
            println!(
                "  #{} {:?} {:?} owner={:?} unit={}{} pages={:?} cols={} rows={} notes={}",
                t.id,
                t.kind,
                t.title,
                t.owner,
                t.unit.as_str(),
                if t.unit_printed { "" } else { "(assumed)" },
                t.pages,
                t.columns.len(),
                t.rows.len(),
                t.notes.len()
            );
        }
        assert!(printed > 0, "seed {seed} has tab rows with figures");
        assert_eq!(got, printed, "seed {seed}: figures lost or invented");
    }
}

#[test]
fn seed_000_sangong_table() {
    let ts = tables("000");
    let t = one(&ts, "三公");
    assert_eq!(t.kind, TableKind::Sangong);
    assert_eq!(t.unit, Unit::Wanyuan);
    assert!(t.unit_printed);
    assert_eq!(
        t.owner.as_deref(),
        Some("【366】湖州市综合行政执法局（汇总）")
    );
    assert!(
        t.columns
            .iter()
            .any(|c| c == "公务用车购置及运行费/公务用车运行维护费"),
        "{:?}",
        t.columns
    );
    let total = row(t, "合计");
    assert_eq!(
        values(total),
        vec![d("38.06"), d("6.04"), d("21.00"), d("21.00"), d("11.02")]
    );
    assert_eq!(t.rows.len(), 4);
    assert_eq!(
        t.notes.len(),
        1,
        "注：不含教学科研人员… belongs to the 三公 table"
    );
    let (f, page, _) = gongkai::recognize::sangong_table::sangong_figures(t).expect("三公 figures");
    assert_eq!(page, 1);
    assert_eq!(f.total, Some(d("38.06")));
    assert_eq!(f.outbound, Some(d("6.04")));
    assert_eq!(f.reception, Some(d("11.02")));
    assert_eq!(f.vehicle_total, Some(d("21.00")));
    assert_eq!(
        f.vehicle_purchase,
        Some(d("0")),
        "blank beside printed figures is 0"
    );
    assert_eq!(f.vehicle_operation, Some(d("21.00")));
}

#[test]
fn seed_000_general_budget_codes_and_paths() {
    let ts = tables("000");
    let t = one(&ts, "一般公共预算支出表");
    assert_eq!(t.kind, TableKind::GeneralBudgetExpenditure);
    assert_eq!(
        t.columns,
        vec![
            "科目编码",
            "科目名称",
            "合计",
            "基本支出/小计",
            "基本支出/人员经费",
            "基本支出/公用经费",
            "项目支出"
        ]
    );
    let codes: Vec<&str> = t.rows.iter().filter_map(|r| r.code.as_deref()).collect();
    assert!(codes.starts_with(&["208", "20805", "2080501"]), "{codes:?}");
    let r = row(t, "行政单位离退休");
    assert_eq!(r.code.as_deref(), Some("2080501"));
    assert_eq!(values(r), vec![d("50.63"), d("50.63"), d("50.63")]);
    let code_cell = r.cells.iter().find(|c| c.col == 0).expect("code cell");
    assert_eq!((code_cell.raw.as_str(), code_cell.value), ("2080501", None));
    assert_eq!(row(t, "合计").code, None);
    // Other kinds in the same seed.
    assert_eq!(
        one(&ts, "部门收支预算总表").kind,
        TableKind::IncomeExpenseSummary
    );
    assert_eq!(
        one(&ts, "财政拨款收支预算总表").kind,
        TableKind::FiscalGrantSummary
    );
    assert_eq!(one(&ts, "收入预算总表").kind, TableKind::IncomeSummary);
    assert_eq!(
        one(&ts, "部门支出预算总表").kind,
        TableKind::ExpenditureSummary
    );
    assert_eq!(one(&ts, "基本支出表").kind, TableKind::BasicExpenditure);
    let fund = one(&ts, "政府性基金预算支出表");
    assert_eq!(fund.kind, TableKind::GovFund);
    assert!(fund.notes.iter().any(|n| n.contains("本表无数据")));
}

#[test]
fn seed_000_two_sided_summary_and_projects() {
    let ts = tables("000");
    let t = one(&ts, "部门收支预算总表");
    assert_eq!(
        t.columns,
        vec!["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]
    );
    // A row whose income side is blank is labelled by its expenditure item.
    assert_eq!(values(row(t, "城管执法")), vec![d("3177.43")]);
    let p = one(&ts, "部门项目支出预算表");
    assert_eq!(p.kind, TableKind::ProjectExpenditure);
    assert_eq!(values(row(p, "宣传专项经费")), vec![d("60.00"), d("60.00")]);
    assert_eq!(
        values(row(p, "湖州市综合行政执法局（本级）")),
        vec![d("205.50"), d("205.50")]
    );
    // The 绩效 project table runs over a blank line; its caption row carries owner and unit.
    let perf = one(&ts, "财政拨款项目支出预算表");
    assert_eq!(
        perf.owner.as_deref(),
        Some("【366】湖州市综合行政执法局（汇总）")
    );
    assert!(perf.unit_printed);
    assert_eq!(values(row(perf, "信息化运行费")), vec![d("25.00")]);
}

#[test]
fn seed_001_split_codes_and_units() {
    let ts = tables("001");
    let t = ts
        .iter()
        .find(|t| t.title.contains("公用经费") && t.columns.iter().any(|c| c.ends_with("办公费")))
        .expect("公用经费 by 部门经济分类");
    let r = row(t, "行政运行");
    assert_eq!(r.code.as_deref(), Some("2120101"));
    assert_eq!(t.columns.first().map(String::as_str), Some("功能科目/类"));
    let unit_row = row(t, "市城市管理监督指挥中心");
    assert_eq!(unit_row.code, None, "205004 is a unit code, not a 科目编码");
    assert!(
        unit_row
            .cells
            .iter()
            .any(|c| c.raw == "205004" && c.value.is_none())
    );
    let s = one(&ts, "三公");
    assert_eq!(s.kind, TableKind::Sangong);
    assert_eq!(
        s.owner.as_deref(),
        Some("单位：205004-市城市管理监督指挥中心")
    );
    assert_eq!(s.unit, Unit::Wanyuan);
    let (f, _, _) = gongkai::recognize::sangong_table::sangong_figures(s).expect("figures");
    assert_eq!(f.total, Some(d("13.00")));
    assert_eq!(f.outbound, Some(d("0")));
    assert_eq!(f.vehicle_operation, Some(d("8.00")));
    assert_eq!(f.reception, Some(d("5.00")));
    assert_eq!(
        one(&ts, "财政拨款收支总表").kind,
        TableKind::FiscalGrantSummary
    );
    assert_eq!(
        ts.iter().find(|t| t.title == "收支总表").map(|t| t.kind),
        Some(TableKind::IncomeExpenseSummary)
    );
}

#[test]
fn seed_002_column_numbers_and_continuation() {
    let ts = tables("002");
    let t = one(&ts, "一般公共预算支出表");
    assert!(
        t.rows.iter().all(|r| r.cells.iter().all(|c| c.raw != "**")),
        "column-number rows are header"
    );
    assert_eq!(t.rows.first().map(|r| r.label.as_str()), Some("合计"));
    assert_eq!(t.columns.get(2).map(String::as_str), Some("合计"));
    // The 基本支出 table printed twice with its header repeated is one table.
    let basic = one(&ts, "基本支出表");
    assert_eq!(basic.kind, TableKind::BasicExpenditure);
    assert!(
        basic
            .rows
            .iter()
            .any(|r| r.code.as_deref() == Some("30213"))
    );
    assert!(
        basic
            .rows
            .iter()
            .any(|r| r.code.as_deref() == Some("30214"))
    );
    assert_eq!(basic.rows.iter().filter(|r| r.label == "合计").count(), 1);
    assert_eq!(values(row(basic, "会议费")), vec![d("10.50"), d("10.50")]);
    let s = one(&ts, "三公");
    assert_eq!(s.owner.as_deref(), Some("302001-湖州市人民政府办公室"));
    assert_eq!(
        values(row(s, "合计")),
        vec![d("52.41"), d("22.73"), d("29.68")]
    );
    let cap = one(&ts, "国有资本经营预算支出表");
    assert_eq!(cap.kind, TableKind::StateCapital);
    assert_eq!(cap.columns, vec!["科目编码", "科目名称", "项目支出"]);
}

#[test]
fn seed_003_one_cell_per_line_tables() {
    let ts = tables("003");
    let income = ts
        .iter()
        .find(|t| {
            t.rows
                .iter()
                .any(|r| r.cells.iter().any(|c| c.raw == "1096.71"))
        })
        .expect("income table");
    assert!(income.unit_printed, "（万元） in the caption");
    let r = row(income, "2、二级机构1");
    assert_eq!(
        values(r),
        vec![
            d("1143.18"),
            d("46.47"),
            d("1096.71"),
            d("0"),
            d("0"),
            d("0")
        ]
    );
    let sangong = ts
        .iter()
        .find(|t| t.kind == TableKind::Sangong)
        .expect("三公 table recognised by its header");
    let (f, _, note) =
        gongkai::recognize::sangong_table::sangong_figures(sangong).expect("figures");
    assert_eq!(f.total, Some(d("1.39")), "{note}");
    assert_eq!(f.reception, Some(d("1.39")));
    assert_eq!(f.outbound, Some(d("0")));
}

#[test]
fn seed_004_units_and_projects() {
    let ts = tables("004");
    assert!(!ts.is_empty());
    for t in &ts {
        assert!(
            t.pages == vec![1],
            "a text input without form feeds is one page"
        );
    }
    let g = one(&ts, "一般公共预算支出表");
    assert_eq!(g.kind, TableKind::GeneralBudgetExpenditure);
    assert_eq!(row(g, "购房补贴").code.as_deref(), Some("2210203"));
    let p = one(&ts, "项目支出预算表");
    // Unit and project on one row: labelled by the unit, the project name kept as a cell.
    let r = p
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c.raw == "聘用人员服装费"))
        .expect("project row");
    assert_eq!(r.label, "区大数据中心（一类）");
    assert_eq!(values(r), vec![d("57.84"), d("57.84")]);
    assert_eq!(r.code.as_deref(), Some("2010399"));
    // A 绩效 form is label/value pairs without a header, its second section (other width,
    // nothing between) part of the same table.
    let forms = by_title(&ts, "项目支出(绩效目标)");
    assert_eq!(forms.len(), 5);
    for f in forms {
        assert!(f.columns.iter().all(String::is_empty), "{:?}", f.columns);
        assert_eq!(f.rows.first().map(|r| r.label.as_str()), Some("项目名称"));
        assert!(
            f.rows.iter().any(|r| r.label == "品名"),
            "second section merged"
        );
    }
}
