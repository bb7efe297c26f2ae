//! Document facts, prose amounts and the 三公 figures on the six PDFs rendered from seeds
//! 000/001/004, against their truth files (`rendered/truth/*.json`).

use gongkai::checks::{SangongFigures, Severity};
use gongkai::narrative::Direction;
use gongkai::pipeline::{self, Options};
use gongkai::source::InputKind;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::PathBuf;
use std::str::FromStr;

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

const ITEMS: [&str; 6] = [
    "total",
    "outbound",
    "reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
];

fn figures(f: &SangongFigures) -> [Option<Decimal>; 6] {
    [
        f.total,
        f.outbound,
        f.reception,
        f.vehicle_total,
        f.vehicle_purchase,
        f.vehicle_operation,
    ]
}

fn truth_figure(v: &Value) -> Option<Decimal> {
    v.get("text")
        .and_then(Value::as_str)
        .and_then(|t| Decimal::from_str(&t.replace(',', "")).ok())
}

/// Each page's text by pdftotext (a test-time reference), whitespace removed.
fn pdftotext_pages(pdf: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed by this test");
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

/// The page that prints `context`: the truth's own page when it does, else the next page
/// when that one does (the truth generator places a paragraph that starts right after a page
/// break on the page before), else the truth's page.
fn printed_page(pages: &[String], page: u64, context: &str) -> u64 {
    let needle: String = context.chars().filter(|c| !c.is_whitespace()).collect();
    let on = |p: u64| {
        usize::try_from(p)
            .ok()
            .and_then(|p| pages.get(p.checked_sub(1)?))
            .is_some_and(|t| t.contains(&needle))
    };
    if !on(page) && on(page + 1) {
        page + 1
    } else {
        page
    }
}

#[test]
fn rendered_pdfs_match_truth() {
    let dir = shared().join("rendered");
    let mut truths: Vec<PathBuf> = std::fs::read_dir(dir.join("truth"))
        .expect("truth dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    truths.sort();
    assert_eq!(truths.len(), 6);
    let mut bad = Vec::new();
    for tp in &truths {
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(tp).expect("truth")).expect("json");
        let pdf = truth["pdf"].as_str().unwrap_or_default();
        let name = std::path::Path::new(pdf)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(dir.join("pdf").join(&name)).expect("rendered pdf");
        let r = pipeline::process_bytes(
            &name,
            InputKind::Pdf,
            &bytes,
            pipeline::sha256_hex(&bytes),
            &Options::default(),
        );
        let f = &r.recognized.facts;
        let doc = &truth["doc"];
        if f.unit_name.as_deref() != doc["unit_name"].as_str() {
            bad.push(format!(
                "{name}: unit {:?} want {}",
                f.unit_name, doc["unit_name"]
            ));
        }
        if f.year.map(i64::from) != doc["year"].as_i64() {
            bad.push(format!("{name}: year {:?} want {}", f.year, doc["year"]));
        }
        if f.doc_kind.map(|k| k.as_str()) != doc["kind"].as_str() {
            bad.push(format!(
                "{name}: kind {:?} want {}",
                f.doc_kind, doc["kind"]
            ));
        }

        // Every prose amount in 万元/元, by page and value (vehicle counts are not amounts).
        // The truth's page is checked against the page pdftotext prints the amount's context
        // on: where the two differ, the printed page is the right answer (see printed_page).
        let page_texts = pdftotext_pages(&dir.join("pdf").join(&name));
        let mut want: Vec<(u64, Decimal)> = truth["narrative_amounts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| {
                        let page = x["page"].as_u64()?;
                        let context = x["context"].as_str().unwrap_or_default();
                        let printed = printed_page(&page_texts, page, context);
                        if printed != page {
                            println!(
                                "{name}: truth says page {page} for {context:?}, the PDF prints it on page {printed}"
                            );
                        }
                        Some((
                            printed,
                            Decimal::from_str(x["value"].as_str()?).ok()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Each amount, and the change figure printed beside it (a 持平 change is not printed).
        let mut got: Vec<(u64, Decimal)> = Vec::new();
        for a in r.amounts.iter().filter(|a| a.key != "vehicle_count") {
            got.push((a.page as u64, a.value));
            if let (Some(c), Some(d)) = (a.change_value, a.direction)
                && d != Direction::Flat
            {
                got.push((a.page as u64, c.abs()));
            }
        }
        want.sort();
        got.sort();
        if want != got {
            bad.push(format!(
                "{name}: amounts differ\n want {want:?}\n got  {got:?}"
            ));
        }

        let Some(s) = r.sangong.as_ref() else {
            bad.push(format!(
                "{name}: not processed: {:?} {:?}",
                r.status, r.error
            ));
            continue;
        };
        for (src, figs) in [("table", &s.table), ("narrative", &s.narrative)] {
            let g = figures(figs);
            for (i, item) in ITEMS.iter().enumerate() {
                let t = truth_figure(&truth["sangong"][src][item]);
                // The truth leaves a blank table cell null; the summary reads a blank cell in a
                // printed row as 0, as the corpus labels do.
                let ok =
                    g[i] == t || (src == "table" && t.is_none() && g[i] == Some(Decimal::ZERO));
                if !ok {
                    bad.push(format!("{name}: {src}_{item} {:?} want {t:?}", g[i]));
                }
            }
        }
        for f in &r.findings {
            if f.severity != Severity::Info {
                bad.push(format!("{name}: false alarm {}: {}", f.check, f.message));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
