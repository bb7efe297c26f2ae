//! Differential test of the PDF text layer against poppler's `pdftotext` over the shared
//! corpus, plus robustness on truncated and byte-flipped copies.
//!
//! The corpus lives in `$GONGKAI_SHARED/corpus/pdf`; GONGKAI_SHARED defaults to
//! `<manifest dir>/../shared` (in a worktree outside the repository layout, set
//! GONGKAI_SHARED=/work/shared). `pdftotext` is a test-time reference only.

mod common;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use gongkai::layout::render_text;
use gongkai::pdf::Document;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn corpus() -> Vec<PathBuf> {
    let dir = common::shared().join("corpus/pdf");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "corpus directory {} unreadable ({e}); set GONGKAI_SHARED",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no PDFs in {}", dir.display());
    files
}

fn chars(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.nfkc().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

/// All pages' text as gongkai renders it.
fn gongkai_text(bytes: &[u8]) -> Result<String, String> {
    let doc = Document::load(bytes, None).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for n in 1..=doc.page_count() {
        let page = doc.page(n).map_err(|e| e.to_string())?;
        out.push_str(&render_text(&page));
        out.push('\x0c');
    }
    Ok(out)
}

fn agreement(a: &HashMap<char, usize>, b: &HashMap<char, usize>) -> f64 {
    let inter: usize = a
        .iter()
        .map(|(c, n)| (*n).min(b.get(c).copied().unwrap_or(0)))
        .sum();
    let na: usize = a.values().sum();
    let nb: usize = b.values().sum();
    inter as f64 / na.max(nb).max(1) as f64
}

/// The characters one side has more of than the other, for the failure report.
fn diff_sample(a: &HashMap<char, usize>, b: &HashMap<char, usize>) -> String {
    let mut extra: Vec<(char, i64)> = Vec::new();
    for (c, n) in a {
        let d = *n as i64 - b.get(c).copied().unwrap_or(0) as i64;
        if d != 0 {
            extra.push((*c, d));
        }
    }
    for (c, n) in b {
        if !a.contains_key(c) {
            extra.push((*c, -(*n as i64)));
        }
    }
    extra.sort_by_key(|(_, d)| -d.abs());
    extra
        .iter()
        .take(8)
        .map(|(c, d)| format!("{c:?}{d:+}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn text_layer_agrees_with_pdftotext() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        panic!("pdftotext (poppler-utils) is required as the reference for this test");
    }
    let files = corpus();
    let results: Vec<(String, Option<f64>, String)> = files
        .par_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let reference = Command::new("pdftotext").arg(path).arg("-").output();
            let reference = match reference {
                Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
                Err(e) => return (name, Some(0.0), format!("pdftotext failed: {e}")),
            };
            let a = chars(&reference);
            if a.values().sum::<usize>() < 50 {
                return (
                    name,
                    None,
                    "no text layer (pdftotext < 50 chars)".to_string(),
                );
            }
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => return (name, Some(0.0), e.to_string()),
            };
            match gongkai_text(&bytes) {
                Ok(text) => {
                    let b = chars(&text);
                    (name, Some(agreement(&a, &b)), diff_sample(&a, &b))
                }
                Err(e) => (name, Some(0.0), format!("gongkai error: {e}")),
            }
        })
        .collect();
    let mut below = Vec::new();
    let mut scored = 0;
    for (name, score, why) in &results {
        match score {
            None => println!("   skip  {name}: {why}"),
            Some(s) => {
                scored += 1;
                println!(
                    "{:7.3}%  {name}  {}",
                    s * 100.0,
                    if *s < 0.995 { why.as_str() } else { "" }
                );
                if *s < 0.995 {
                    below.push(format!("{name}: {:.3}% ({why})", s * 100.0));
                }
            }
        }
    }
    println!(
        "{} / {scored} files with a text layer at >= 99.5%",
        scored - below.len()
    );
    assert!(scored > 0);
    assert!(
        below.is_empty(),
        "files below 99.5% agreement:\n{}",
        below.join("\n")
    );
}

/// Deterministic xorshift64 for reproducible corruption.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Opens and interprets every page; reports whether anything panicked (Ok/Err are both fine).
fn survives(bytes: &[u8]) -> bool {
    std::panic::catch_unwind(|| {
        if let Ok(doc) = Document::load(bytes, None) {
            let _ = doc.producer();
            for n in 1..=doc.page_count().min(400) {
                if let Ok(page) = doc.page(n) {
                    let _ = render_text(&page);
                }
            }
        }
    })
    .is_ok()
}

#[test]
fn no_panic_on_truncated_or_corrupted_copies() {
    let files = corpus();
    // Library panics are caught and reported as errors; keep the default hook quiet for them.
    let failures: Vec<String> = files
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, path)| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
            variants.push(("original".into(), bytes.clone()));
            for pct in [10usize, 50, 90] {
                variants.push((
                    format!("cut at {pct}%"),
                    bytes
                        .get(..bytes.len() * pct / 100)
                        .unwrap_or_default()
                        .to_vec(),
                ));
            }
            let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
            let mut flipped = bytes.clone();
            if !flipped.is_empty() {
                for _ in 0..(flipped.len() / 2000).max(8) {
                    let at = (rng.next() % flipped.len() as u64) as usize;
                    if let Some(b) = flipped.get_mut(at) {
                        *b ^= (rng.next() & 0xFF) as u8 | 1;
                    }
                }
            }
            variants.push(("byte flips".into(), flipped));
            variants
                .into_iter()
                .filter(|(_, data)| !survives(data))
                .map(move |(what, _)| format!("{name}: {what}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}
