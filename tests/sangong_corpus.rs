//! The 三公 summary on the labelled corpus (`corpus/labels/sangong.csv`): every table_* and
//! narrative_* field must equal the label as a decimal in 万元 on at least 98% of the labelled
//! files, field by field. Every miss is printed. Slow in debug builds: run with --release.

use gongkai::checks::SangongFigures;
use gongkai::pipeline::{self, Options};
use gongkai::source::InputKind;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

const ITEMS: [&str; 6] = [
    "total",
    "outbound",
    "reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
];

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn dec(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(',', "");
    if s.is_empty() {
        None
    } else {
        Decimal::from_str(&s).ok()
    }
}

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

#[test]
fn sangong_fields_match_labels() {
    let base = shared().join("corpus");
    let mut rdr = csv::Reader::from_path(base.join("labels/sangong.csv")).expect("labels");
    let headers = rdr.headers().expect("header").clone();
    let labels: Vec<BTreeMap<String, String>> = rdr
        .records()
        .map(|r| {
            let r = r.expect("label row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    assert!(labels.len() > 100, "labels read");

    let results: Vec<(BTreeMap<String, String>, pipeline::DocResult)> = labels
        .into_par_iter()
        .map(|lab| {
            let file = lab.get("file").cloned().unwrap_or_default();
            let bytes = std::fs::read(base.join("pdf").join(&file)).expect("labelled pdf");
            let r = pipeline::process_bytes(
                &file,
                InputKind::Pdf,
                &bytes,
                pipeline::sha256_hex(&bytes),
                &Options::default(),
            );
            (lab, r)
        })
        .collect();

    let mut stats: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for (lab, r) in &results {
        let get = |k: &str| lab.get(k).map(String::as_str).unwrap_or("");
        let notes = get("notes");
        for src in ["table", "narrative"] {
            let unit = if src == "narrative" && notes.contains("narrative_unit=元") {
                "元"
            } else if src == "narrative" && notes.contains("narrative_unit=万元") {
                "万元"
            } else {
                get("currency")
            };
            let scale = if unit == "元" {
                Decimal::new(1, 4)
            } else {
                Decimal::ONE
            };
            let got = r.sangong.as_ref().map(|s| {
                figures(if src == "table" {
                    &s.table
                } else {
                    &s.narrative
                })
            });
            for (i, item) in ITEMS.iter().enumerate() {
                let key = format!("{src}_{item}");
                let Some(want) = dec(get(&key)) else {
                    continue;
                };
                let want = want * scale;
                let have = got.and_then(|g| g[i]);
                let ok = have == Some(want);
                let s = stats.entry(key.clone()).or_default();
                s.0 += usize::from(ok);
                s.1 += 1;
                if !ok {
                    misses.push(format!("MISS {} {key} want {want} got {have:?}", r.file));
                }
            }
        }
    }
    for m in &misses {
        println!("{m}");
    }
    let mut worst = 1.0f64;
    for (k, (ok, n)) in &stats {
        let acc = *ok as f64 / (*n).max(1) as f64;
        println!("{k:28} {ok:4}/{n:<4} {:6.2}%", acc * 100.0);
        worst = worst.min(acc);
    }
    assert!(worst >= 0.98, "worst field accuracy {:.2}%", worst * 100.0);
}
