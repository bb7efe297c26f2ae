//! The optional output formats through the real binary: BOM, xlsx (numbers as numbers), jsonl.

mod common;
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{OUTPUT_NAMES as NAMES, samples, shared};
use std::path::Path;
use std::process::Command;

fn extract(extra: &[&str], out: &Path) {
    let seeds = shared().join("seeds");
    assert!(seeds.is_dir(), "shared data missing: {}", seeds.display());
    let samples = samples();
    let res = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env_remove("GONGKAI_TEST_FAULTS")
        .arg("extract")
        .args(extra)
        .arg(&samples)
        .arg(&seeds)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(res.status.code().is_some());
}

#[test]
fn bom_prefixes_every_csv_and_plain_mode_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let (with, without) = (dir.path().join("bom"), dir.path().join("plain"));
    extract(&["--bom", "-q"], &with);
    extract(&["-q"], &without);
    for n in NAMES {
        let a = std::fs::read(with.join(format!("{n}.csv"))).unwrap();
        let b = std::fs::read(without.join(format!("{n}.csv"))).unwrap();
        assert_eq!(&a[..3], b"\xEF\xBB\xBF", "{n}.csv");
        assert_eq!(&a[3..], &b[..], "{n}.csv: BOM is the only difference");
        assert!(b.starts_with(b"file,"), "{n}.csv starts with its header");
        assert!(b.ends_with(b"\r\n"), "{n}.csv: RFC 4180 line ends");
    }
    let head = std::fs::read_to_string(without.join("documents.csv")).unwrap();
    assert!(head.starts_with(
        "file,sha256,pages,producer,status,error,doc_kind,year,unit_name,tables,amounts,checks_failed,gongkai_version\r\n"
    ));
    // No temporary files are left behind.
    for e in std::fs::read_dir(&with).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "{name} left behind");
    }
}

#[test]
fn xlsx_has_a_sheet_per_table_with_numbers_stored_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    extract(&["--xlsx", "-q"], &out);
    let mut wb: Xlsx<_> = open_workbook(out.join("gongkai.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), NAMES.map(String::from).to_vec());
    let docs_csv = {
        let mut rd = csv::Reader::from_path(out.join("documents.csv")).unwrap();
        rd.records().map(|r| r.unwrap()).collect::<Vec<_>>()
    };
    let range = wb.worksheet_range("documents").unwrap();
    assert_eq!(range.height(), docs_csv.len() + 1);
    assert_eq!(range.get((0, 0)), Some(&Data::String("file".into())));
    for (i, rec) in docs_csv.iter().enumerate() {
        let row = i + 1;
        assert_eq!(range.get((row, 0)), Some(&Data::String(rec[0].to_string())));
        // pages, tables, amounts, checks_failed: numbers, equal to the CSV's.
        for col in [2usize, 9, 10, 11] {
            let want: f64 = rec[col].parse().unwrap();
            assert_eq!(
                range.get((row, col)),
                Some(&Data::Float(want)),
                "row {row} col {col}"
            );
        }
        assert!(
            matches!(range.get((row, 4)), Some(Data::String(_))),
            "status is text"
        );
    }
    // Every numeric column of every sheet holds numbers (or nothing), never numeric text.
    for n in NAMES {
        let range = wb.worksheet_range(n).unwrap();
        for (c, head) in range.rows().next().unwrap().iter().enumerate() {
            let h = head.to_string();
            let numeric = [
                "value",
                "change_value",
                "change_pct",
                "n_rows",
                "n_cols",
                "page",
                "row",
                "col",
                "expected",
                "actual",
                "year",
                "max_diff",
                "table_id",
            ]
            .contains(&h.as_str())
                || (n == "sangong" && h.starts_with("table_"))
                || h.starts_with("narrative_");
            if !numeric {
                continue;
            }
            for r in range.rows().skip(1) {
                let cell = r.get(c).unwrap_or(&Data::Empty);
                assert!(
                    matches!(cell, Data::Float(_) | Data::Int(_) | Data::Empty),
                    "{n}.{h}: {cell:?}"
                );
            }
        }
    }
}

#[test]
fn jsonl_has_one_typed_object_per_csv_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    extract(&["--jsonl", "-q"], &out);
    for n in NAMES {
        let mut rd = csv::Reader::from_path(out.join(format!("{n}.csv"))).unwrap();
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        let text = std::fs::read_to_string(out.join(format!("{n}.jsonl"))).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), rows.len(), "{n}");
        for (line, rec) in lines.iter().zip(&rows) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let obj = v.as_object().unwrap();
            assert_eq!(obj.len(), header.len());
            assert_eq!(obj["file"], rec[0]);
        }
    }
    let docs = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(docs.lines().next().unwrap()).unwrap();
    assert!(first["pages"].is_number());
    assert!(first["status"].is_string());
    // Keys keep the column order.
    assert!(docs.lines().next().unwrap().starts_with("{\"file\":"));
}
