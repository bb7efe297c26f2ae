//! Document facts (year, 预算/决算, unit) read from the documents of the real corpus, against
//! what `../shared/corpus/provenance.csv` records of each file. Provenance names the unit as
//! its publisher filed it, so a name read from the document may be fuller
//! (`江苏省人大常委会办公厅` for `江苏省人大`); one containing the other counts as agreeing.

mod common;

use gongkai::pipeline::{Options, Status, process_bytes};
use gongkai::source::InputKind;
use rayon::prelude::*;
use std::collections::HashMap;

struct Provenance {
    year: String,
    doc_kind: String,
    unit_name: String,
}

fn provenance() -> HashMap<String, Provenance> {
    let path = common::shared().join("corpus/provenance.csv");
    let mut rd =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rd.headers().expect("provenance header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("provenance.csv has no {name} column"))
    };
    let (name, year, kind, unit) = (col("name"), col("year"), col("doc_kind"), col("unit_name"));
    rd.records()
        .map(|r| r.expect("provenance row"))
        .map(|r| {
            let get = |i: usize| r.get(i).unwrap_or_default().to_string();
            (
                get(name),
                Provenance {
                    year: get(year),
                    doc_kind: get(kind),
                    unit_name: get(unit).replace(' ', ""),
                },
            )
        })
        .collect()
}

#[test]
fn corpus_document_facts_match_provenance() {
    let prov = provenance();
    let mut names: Vec<&String> = prov.keys().collect();
    names.sort();
    // (file, year, kind, unit) as read, for the files with a text layer.
    let read: Vec<(String, String, String, String)> = names
        .par_iter()
        .filter_map(|name| {
            let bytes = std::fs::read(common::shared().join("corpus/pdf").join(name)).ok()?;
            let r = process_bytes(
                name,
                InputKind::Pdf,
                &bytes,
                String::new(),
                &Options::default(),
            );
            (r.status == Status::Ok).then(|| {
                let f = &r.recognized.facts;
                (
                    name.to_string(),
                    f.year.map(|y| y.to_string()).unwrap_or_default(),
                    f.doc_kind
                        .map(|k| k.as_str().to_string())
                        .unwrap_or_default(),
                    f.unit_name.clone().unwrap_or_default().replace(' ', ""),
                )
            })
        })
        .collect();
    let (mut years, mut kinds, mut kinds_known, mut units) = (0, 0, 0, 0);
    for (name, year, kind, unit) in &read {
        let p = &prov[name];
        if *year == p.year {
            years += 1;
        } else {
            println!("year  {name}: read {year:?}, provenance {:?}", p.year);
        }
        if matches!(p.doc_kind.as_str(), "预算" | "决算") {
            kinds_known += 1;
            if *kind == p.doc_kind {
                kinds += 1;
            } else {
                println!("kind  {name}: read {kind:?}, provenance {:?}", p.doc_kind);
            }
        }
        let agrees = !unit.is_empty()
            && (unit.contains(p.unit_name.as_str()) || p.unit_name.contains(unit.as_str()));
        if agrees {
            units += 1;
        } else {
            println!("unit  {name}: read {unit:?}, provenance {:?}", p.unit_name);
        }
    }
    let n = read.len();
    let pct = |k: usize, of: usize| 100.0 * k as f64 / of.max(1) as f64;
    println!(
        "{n} files with a text layer: year {years}/{n} ({:.1}%), 预算/决算 {kinds}/{kinds_known} ({:.1}%), unit {units}/{n} ({:.1}%)",
        pct(years, n),
        pct(kinds, kinds_known),
        pct(units, n)
    );
    assert!(n > 100, "too few files read: {n}");
    assert_eq!(years, n, "every document's year is read from its own text");
    assert_eq!(
        kinds, kinds_known,
        "every 预算/决算 is read from the document"
    );
    assert!(pct(units, n) >= 97.0, "unit names: {:.1}%", pct(units, n));
}
