//! Document facts, prose amounts and the 三公 summary on the five seed disclosures (text
//! inputs). Every expected value below was read from the seed text by hand.

use gongkai::narrative::{Amount, Direction};
use gongkai::pipeline::{self, Options};
use gongkai::recognize::DocKind;
use gongkai::source::InputKind;
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::str::FromStr;

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn seed(prefix: &str) -> pipeline::DocResult {
    let dir = shared().join("seeds");
    let path = std::fs::read_dir(&dir)
        .expect("seeds directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .expect("seed file");
    let bytes = std::fs::read(&path).expect("read seed");
    let mut r = pipeline::process_bytes(
        &path.display().to_string(),
        InputKind::Text,
        &bytes,
        pipeline::sha256_hex(&bytes),
        &Options::default(),
    );
    // The facts are read here too, so this test does not depend on how `recognize()` is
    // wired; the amounts and the summary are recomputed with them.
    let layout = gongkai::layout::from_text(&pipeline::decode_text(&bytes));
    r.recognized.facts = gongkai::recognize::facts::extract(&layout);
    r.amounts = gongkai::narrative::extract(&layout, &r.recognized.facts);
    let (sangong, findings) = gongkai::checks::run(&r.recognized, &r.amounts);
    r.sangong = Some(sangong);
    r.findings = findings;
    r
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// The first document-year amount with `key`.
fn first<'a>(amounts: &'a [Amount], key: &str) -> Option<&'a Amount> {
    amounts.iter().find(|a| a.key == key && !a.previous_year)
}

/// (key, value, change_value, change_pct, direction)
type Want<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<Direction>,
);

fn check_amounts(name: &str, amounts: &[Amount], want: &[Want]) {
    let mut bad = Vec::new();
    for &(key, value, change, pct, dir) in want {
        let Some(a) = first(amounts, key) else {
            bad.push(format!("{name}: no amount for {key}"));
            continue;
        };
        if a.value != d(value) {
            bad.push(format!(
                "{name}: {key} = {} want {value} ({})",
                a.value, a.sentence
            ));
        }
        if a.change_value != change.map(d) {
            bad.push(format!(
                "{name}: {key} change {:?} want {change:?}",
                a.change_value
            ));
        }
        if a.change_pct != pct.map(d) {
            bad.push(format!("{name}: {key} pct {:?} want {pct:?}", a.change_pct));
        }
        if a.direction != dir {
            bad.push(format!(
                "{name}: {key} direction {:?} want {dir:?}",
                a.direction
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn check_facts(
    r: &pipeline::DocResult,
    unit: &str,
    year: i32,
    kind: DocKind,
    level: &str,
    region: &str,
) {
    let f = &r.recognized.facts;
    assert_eq!(f.unit_name.as_deref(), Some(unit), "{}", r.file);
    assert_eq!(f.year, Some(year), "{}", r.file);
    assert_eq!(f.doc_kind, Some(kind), "{}", r.file);
    assert_eq!(f.level.as_deref(), Some(level), "{}", r.file);
    assert_eq!(f.region.as_deref(), Some(region), "{}", r.file);
}

/// The narrative half of the 三公 summary: total, outbound, reception, vehicle total,
/// purchase, operation (None: the prose does not state it).
fn check_sangong_narrative(r: &pipeline::DocResult, want: [Option<&str>; 6]) {
    let s = r.sangong.as_ref().expect("sangong summary");
    let n = &s.narrative;
    let got = [
        n.total,
        n.outbound,
        n.reception,
        n.vehicle_total,
        n.vehicle_purchase,
        n.vehicle_operation,
    ];
    let want = want.map(|w| w.map(d));
    assert_eq!(got, want, "{}", r.file);
}

use Direction::{Decrease as Dec, Flat, Increase as Inc};

#[test]
fn seed_000_department_budget() {
    let r = seed("000_");
    check_facts(
        &r,
        "湖州市综合行政执法局",
        2021,
        DocKind::Budget,
        "部门",
        "湖州市",
    );
    check_amounts(
        "000",
        &r.amounts,
        &[
            (
                "sangong_total",
                "38.06",
                Some("6.45"),
                Some("20.4"),
                Some(Inc),
            ),
            ("sangong_outbound", "6.04", None, Some("100.0"), Some(Inc)),
            ("sangong_reception", "11.02", None, Some("465.1"), Some(Inc)),
            (
                "sangong_vehicle_total",
                "21.00",
                None,
                Some("-29.2"),
                Some(Dec),
            ),
            ("sangong_vehicle_purchase", "0", None, None, None),
            ("sangong_vehicle_operation", "21.00", None, None, None),
            ("meeting_fee", "7.49", Some("6.8"), Some("985.5"), Some(Inc)),
            (
                "training_fee",
                "19.5",
                Some("1.94"),
                Some("11.0"),
                Some(Inc),
            ),
            ("travel_fee", "15", Some("6.96"), Some("86.6"), Some(Inc)),
            (
                "operation_fund",
                "220.08",
                Some("-4.51"),
                Some("-2.0"),
                Some(Dec),
            ),
            ("procurement_total", "2037.49", None, None, None),
            ("procurement_goods", "51.06", None, None, None),
            ("procurement_works", "0", None, None, None),
            ("procurement_services", "1986.43", None, None, None),
            ("basic_expenditure", "2385.12", None, None, None),
            ("personnel", "2142.74", None, None, None),
            ("public_funds", "242.38", None, None, None),
            ("general_budget_grant", "3471.62", None, None, None),
            ("income_total", "3471.62", None, None, None),
            ("vehicle_count", "6", None, None, None),
        ],
    );
    check_sangong_narrative(
        &r,
        [
            Some("38.06"),
            Some("6.04"),
            Some("11.02"),
            Some("21.00"),
            Some("0"),
            Some("21.00"),
        ],
    );
}

#[test]
fn seed_001_unit_budget() {
    let r = seed("001_");
    check_facts(
        &r,
        "株洲市城市管理监督指挥中心",
        2022,
        DocKind::Budget,
        "单位",
        "株洲市",
    );
    check_amounts(
        "001",
        &r.amounts,
        &[
            ("sangong_total", "13", Some("0"), None, Some(Flat)),
            ("operation_fund", "93", Some("10.03"), None, Some(Inc)),
            ("procurement_total", "717.44", None, None, None),
            ("procurement_goods", "26.16", None, None, None),
            ("procurement_works", "0", None, None, None),
            ("procurement_services", "691.28", None, None, None),
            ("vehicle_count", "2", None, None, None),
        ],
    );
    check_sangong_narrative(
        &r,
        [Some("13"), Some("0"), Some("5"), None, Some("0"), Some("8")],
    );
}

#[test]
fn seed_002_unit_budget_previous_budget_changes() {
    let r = seed("002_");
    check_facts(
        &r,
        "湖州市人民政府办公室（本级）",
        2023,
        DocKind::Budget,
        "单位",
        "湖州市",
    );
    check_amounts(
        "002",
        &r.amounts,
        &[
            (
                "sangong_total",
                "52.41",
                Some("-5.82"),
                Some("-10.0"),
                Some(Dec),
            ),
            ("sangong_outbound", "22.73", None, Some("-10.0"), Some(Dec)),
            ("sangong_reception", "29.68", None, Some("-10.0"), Some(Dec)),
            ("sangong_vehicle_total", "0.00", Some("0"), None, Some(Flat)),
            (
                "sangong_vehicle_purchase",
                "0.00",
                Some("0"),
                None,
                Some(Flat),
            ),
            (
                "sangong_vehicle_operation",
                "0.00",
                Some("0"),
                None,
                Some(Flat),
            ),
            ("meeting_fee", "16.50", Some("0"), None, Some(Flat)),
            ("training_fee", "3.07", Some("0"), None, Some(Flat)),
            (
                "travel_fee",
                "52.68",
                Some("-5.93"),
                Some("-5.9"),
                Some(Dec),
            ),
            (
                "operation_fund",
                "387.25",
                Some("35.14"),
                Some("10.0"),
                Some(Inc),
            ),
            ("procurement_total", "177.39", None, None, None),
            ("procurement_goods", "91.84", None, None, None),
            ("procurement_works", "0.00", None, None, None),
            ("procurement_services", "85.55", None, None, None),
            ("vehicle_count", "0", None, None, None),
        ],
    );
    check_sangong_narrative(
        &r,
        [
            Some("52.41"),
            Some("22.73"),
            Some("29.68"),
            Some("0.00"),
            Some("0.00"),
            Some("0.00"),
        ],
    );
}

#[test]
fn seed_003_final_accounts_use_the_final_figure() {
    let r = seed("003_");
    check_facts(
        &r,
        "岳阳市城市管理信息中心",
        2021,
        DocKind::FinalAccounts,
        "部门",
        "岳阳市",
    );
    check_amounts(
        "003",
        &r.amounts,
        &[
            ("sangong_total", "0", None, None, None),
            ("sangong_total_budget", "1.00", None, None, None),
            ("sangong_reception_budget", "1.00", None, None, None),
            ("sangong_reception", "0", Some("0"), None, Some(Flat)),
            ("sangong_outbound", "0", Some("0"), None, Some(Flat)),
            ("training_fee", "0.22", None, None, None),
            ("meeting_fee", "0", None, None, None),
            ("operation_fund", "0", None, None, None),
            ("vehicle_count", "0", None, None, None),
        ],
    );
    check_sangong_narrative(
        &r,
        [
            Some("0"),
            Some("0"),
            Some("0"),
            Some("0"),
            Some("0"),
            Some("0"),
        ],
    );
}

#[test]
fn seed_004_district_department() {
    let r = seed("004_");
    check_facts(
        &r,
        "江汉区大数据中心",
        2022,
        DocKind::Budget,
        "部门",
        "武汉市江汉区",
    );
    check_amounts(
        "004",
        &r.amounts,
        &[
            ("sangong_total", "3", None, None, None),
            ("sangong_outbound", "0", Some("0"), None, Some(Flat)),
            ("sangong_reception", "0", Some("0"), None, Some(Flat)),
            ("sangong_vehicle_purchase", "0", Some("0"), None, Some(Flat)),
            (
                "sangong_vehicle_operation",
                "3",
                Some("0"),
                None,
                Some(Flat),
            ),
            ("operation_fund", "44.59", None, None, None),
            ("procurement_total", "1096.97", None, None, None),
            ("procurement_goods", "57.84", None, None, None),
            ("procurement_services", "1039.13", None, None, None),
            ("procurement_works", "0", None, None, None),
            ("basic_expenditure", "406.14", None, None, None),
            ("project_expenditure", "2384.43", None, None, None),
            ("personnel", "361.55", None, None, None),
            ("public_funds", "44.59", None, None, None),
            ("vehicle_count", "1", None, None, None),
        ],
    );
    check_sangong_narrative(
        &r,
        [Some("3"), Some("0"), Some("0"), None, Some("0"), Some("3")],
    );
}
