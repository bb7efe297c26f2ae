//! Pages per second of gongkai's text layer (load + every page + render_text, one thread)
//! against `pdftotext -layout` (one subprocess per file) over the same corpus files.
//! Corpus: `$GONGKAI_SHARED/corpus/pdf`, GONGKAI_SHARED defaulting to `<manifest>/../shared`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn main() {
    let shared = std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/pdf");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus {} not found; set GONGKAI_SHARED", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    let data: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect();

    let start = Instant::now();
    let mut pages = 0usize;
    let mut chars = 0usize;
    for bytes in &data {
        if let Ok(doc) = gongkai::pdf::Document::load(bytes, None) {
            for n in 1..=doc.page_count() {
                if let Ok(page) = doc.page(n) {
                    chars += gongkai::layout::render_text(&page).len();
                    pages += 1;
                }
            }
        }
    }
    let ours = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut ok = 0usize;
    for path in &files {
        if Command::new("pdftotext")
            .arg("-layout")
            .arg(path)
            .arg("/dev/null")
            .status()
            .is_ok_and(|s| s.success())
        {
            ok += 1;
        }
    }
    let theirs = start.elapsed().as_secs_f64();
    println!(
        "files: {}, pages: {pages}, text bytes: {chars}",
        files.len()
    );
    println!(
        "gongkai text layer: {:8.1} pages/s ({ours:.2} s)",
        pages as f64 / ours
    );
    println!(
        "pdftotext -layout:  {:8.1} pages/s ({theirs:.2} s, {ok} files ok)",
        pages as f64 / theirs
    );
}
