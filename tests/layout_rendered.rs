//! The layout stage against the rendered PDFs whose every table cell is known: each PDF is
//! read through gongkai's pdf layer and laid out, and the (row label, numeric cell) pairs of
//! the resulting grids are compared with the truth tables' pairs.

use std::collections::HashMap;
use std::path::PathBuf;

use gongkai::layout::{Block, Grid, layout_page};
use gongkai::pdf::Document;
use unicode_normalization::UnicodeNormalization;

pub fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

pub fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Amount-like or code-like text: digits with separators, optional sign and percent.
pub fn is_numeric(s: &str) -> bool {
    let t = norm(s);
    let body = t.strip_prefix('-').unwrap_or(&t).trim_end_matches('%');
    !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

pub type Pairs = HashMap<(String, String), usize>;

pub fn truth_pairs(csv_path: &PathBuf) -> Pairs {
    let mut rdr = csv::Reader::from_path(csv_path).expect("truth csv opens");
    let mut out = Pairs::new();
    for rec in rdr.records() {
        let rec = rec.expect("truth csv row");
        let label = rec.get(4).unwrap_or_default();
        let value = rec.get(5).unwrap_or_default();
        if is_numeric(value) && !is_numeric(label) {
            *out.entry((norm(label), norm(value))).or_default() += 1;
        }
    }
    out
}

pub fn grid_pairs(grid: &Grid, out: &mut Pairs) {
    for row in &grid.rows {
        // A row holding only numbers (its label cell merged from above) has an empty label,
        // as in the truth files.
        let label = row
            .iter()
            .map(|c| c.text.as_str())
            .find(|t| !norm(t).is_empty() && !is_numeric(t))
            .unwrap_or_default();
        for cell in row {
            if is_numeric(&cell.text) {
                *out.entry((norm(label), norm(&cell.text))).or_default() += 1;
            }
        }
    }
}

fn layout_pairs(pdf: &PathBuf) -> (Pairs, Vec<Grid>) {
    let bytes = std::fs::read(pdf).expect("rendered pdf reads");
    let doc = Document::load(&bytes, None).expect("rendered pdf opens");
    let mut pairs = Pairs::new();
    let mut grids = Vec::new();
    for n in 1..=doc.page_count() {
        let page = doc.page(n).expect("page interprets");
        for block in layout_page(&page).blocks {
            if let Block::Table(g) = block {
                grid_pairs(&g, &mut pairs);
                grids.push(g);
            }
        }
    }
    (pairs, grids)
}

pub fn matched(a: &Pairs, b: &Pairs) -> usize {
    a.iter()
        .map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0)))
        .sum()
}

#[test]
fn rendered_grids_reproduce_truth_cells() {
    let dir = shared().join("rendered");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("pdf"))
        .expect("rendered/pdf exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "six rendered PDFs");
    let mut failures = Vec::new();
    for name in &names {
        let stem = name.trim_end_matches(".pdf");
        let truth = truth_pairs(&dir.join("truth").join(format!("{stem}.cells.csv")));
        let (found, grids) = layout_pairs(&dir.join("pdf").join(name));
        let hit = matched(&truth, &found);
        let n_truth: usize = truth.values().sum();
        let n_found: usize = found.values().sum();
        let recall = hit as f64 / n_truth.max(1) as f64;
        let precision = hit as f64 / n_found.max(1) as f64;
        println!(
            "{stem}: grids {} truth pairs {n_truth} found {n_found} matched {hit} recall {:.4} precision {:.4}",
            grids.len(),
            recall,
            precision
        );
        if std::env::var_os("GONGKAI_SHOW_MISSES").is_some() {
            for (k, n) in &truth {
                let f = found.get(k).copied().unwrap_or(0);
                if f < *n {
                    println!("  missing {k:?} x{}", n - f);
                }
            }
            for (k, n) in &found {
                let t = truth.get(k).copied().unwrap_or(0);
                if t < *n {
                    println!("  extra {k:?} x{}", n - t);
                }
            }
        }
        if recall < 0.99 || precision < 0.99 {
            failures.push(format!(
                "{stem}: recall {recall:.4} precision {precision:.4}"
            ));
        }
    }
    assert!(failures.is_empty(), "below 99%: {failures:?}");
}
