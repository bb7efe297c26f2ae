//! Table recognition on the rendered PDFs (/work/shared/rendered), scored like
//! tools/score_cells.py: per file, the multiset of (NFKC + whitespace-stripped row label,
//! number) over numeric cells, recall and precision against truth/*.cells.csv; and the same with
//! the last part of the column path equal to the truth's lowest header cell above the column.

use gongkai::pipeline::{Options, Status, process_bytes};
use gongkai::source::InputKind;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The scorer's canonical number for a cell that is one, else None.
fn number(s: &str) -> Option<String> {
    let t = norm(s);
    let re = regex::Regex::new(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$").expect("pattern");
    if !re.is_match(&t) {
        return None;
    }
    let d: rust_decimal::Decimal = t.replace(',', "").parse().ok()?;
    let d = d.normalize();
    Some(if d.is_zero() {
        "0".to_string()
    } else {
        d.to_string()
    })
}

type Key = (String, String);
type ColKey = (String, String, String);

/// {(table index, column): lowest non-empty header text above it, column-number rows skipped}.
fn column_leaves(json: &Path) -> HashMap<(u64, u64), String> {
    let mut out = HashMap::new();
    let Ok(text) = std::fs::read_to_string(json) else {
        return out;
    };
    let v: serde_json::Value = serde_json::from_str(&text).expect("truth json");
    let col_no = regex::Regex::new(r"^[*\d]+$").expect("pattern");
    for t in v["tables"].as_array().into_iter().flatten() {
        let header: Vec<Vec<String>> = t["header"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                r.as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| c.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .collect();
        let mut grid: HashMap<(usize, usize), String> = HashMap::new();
        for sp in t["header_spans"].as_array().into_iter().flatten() {
            let (r, c) = (
                sp["row"].as_u64().unwrap_or(0) as usize,
                sp["col"].as_u64().unwrap_or(0) as usize,
            );
            let text = header
                .get(r)
                .and_then(|row| row.get(c))
                .cloned()
                .unwrap_or_default();
            for rr in r..r + sp["rowspan"].as_u64().unwrap_or(1) as usize {
                for cc in c..c + sp["colspan"].as_u64().unwrap_or(1) as usize {
                    grid.insert((rr, cc), text.clone());
                }
            }
        }
        for (r, row) in header.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    grid.entry((r, c)).or_insert_with(|| text.clone());
                }
            }
        }
        let index = t["index"].as_u64().unwrap_or(0);
        for c in 0..t["ncols"].as_u64().unwrap_or(0) as usize {
            let leaf = (0..header.len())
                .filter_map(|r| grid.get(&(r, c)))
                .map(|s| norm(s))
                .rfind(|s| !s.is_empty() && !col_no.is_match(s))
                .unwrap_or_default();
            out.insert((index, c as u64), leaf);
        }
    }
    out
}

fn truth(name: &str) -> (Vec<Key>, Vec<ColKey>) {
    let dir = shared().join("rendered/truth");
    let leaves = column_leaves(&dir.join(format!("{name}.json")));
    let mut rdr = csv::Reader::from_path(dir.join(format!("{name}.cells.csv"))).expect("truth csv");
    let mut loose = Vec::new();
    let mut col = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("csv record");
        let get = |i: usize| rec.get(i).unwrap_or_default();
        if let Some(n) = number(get(5)) {
            let label = norm(get(4));
            let t: u64 = get(0).parse().unwrap_or(0);
            let c: u64 = get(3).parse().unwrap_or(0);
            let leaf = leaves.get(&(t, c)).cloned().unwrap_or_default();
            loose.push((label.clone(), n.clone()));
            col.push((label, n, leaf));
        }
    }
    (loose, col)
}

fn predicted(pdf: &Path) -> (Vec<Key>, Vec<ColKey>, usize) {
    let bytes = std::fs::read(pdf).expect("read pdf");
    let name = pdf.to_string_lossy().into_owned();
    let r = process_bytes(
        &name,
        InputKind::Pdf,
        &bytes,
        String::new(),
        &Options::default(),
    );
    assert_eq!(r.status, Status::Ok, "{name}: {:?}", r.error);
    let mut loose = Vec::new();
    let mut col = Vec::new();
    for t in &r.recognized.tables {
        for row in &t.rows {
            for c in &row.cells {
                if let Some(n) = number(&c.raw) {
                    let label = norm(&row.label);
                    let path = t.columns.get(c.col).cloned().unwrap_or_default();
                    let leaf = norm(path.rsplit(['/', '|']).next().unwrap_or_default());
                    loose.push((label.clone(), n.clone()));
                    col.push((label, n, leaf));
                }
            }
        }
    }
    (loose, col, r.recognized.tables.len())
}

fn matched<K: std::hash::Hash + Eq + Clone>(a: &[K], b: &[K]) -> usize {
    let mut counts: HashMap<K, usize> = HashMap::new();
    for k in a {
        *counts.entry(k.clone()).or_default() += 1;
    }
    let mut m = 0;
    for k in b {
        if let Some(n) = counts.get_mut(k).filter(|n| **n > 0) {
            *n -= 1;
            m += 1;
        }
    }
    m
}

#[test]
fn rendered_pdfs_cells_match_truth() {
    let dir = shared().join("rendered/pdf");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 6);
    let mut failures = Vec::new();
    for pdf in &pdfs {
        let name = pdf
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let (t_loose, t_col) = truth(&name);
        let (p_loose, p_col, n_tables) = predicted(pdf);
        let m = matched(&t_loose, &p_loose);
        let mc = matched(&t_col, &p_col);
        let recall = m as f64 / t_loose.len().max(1) as f64;
        let precision = m as f64 / p_loose.len().max(1) as f64;
        let col_recall = mc as f64 / t_col.len().max(1) as f64;
        println!(
            "{name}: {n_tables} tables, truth {} pred {} match {m}: recall {:.1}% precision {:.1}% column recall {:.1}%",
            t_loose.len(),
            p_loose.len(),
            100.0 * recall,
            100.0 * precision,
            100.0 * col_recall
        );
        if recall < 0.99 || precision < 0.99 || col_recall < 0.98 {
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "below 99% / 98%: {failures:?}");
}
