//! Throughput of gongkai against `pdftotext -layout` on the same corpus files, one thread,
//! printed side by side:
//! - text layer: load + every page decoded + `render_text` (the `gongkai text` path);
//! - full pipeline: text layer + layout + tables + narrative + checks (`gongkai extract`
//!   without writing CSVs);
//! - `pdftotext -layout`, one subprocess per file, output discarded.
//!
//! Each is run `ROUNDS` times, alternating, and the best round is reported, so a briefly
//! busy machine does not decide the figures. Peak resident memory of this process (which
//! holds all corpus files in memory) is printed at the end.
//! Corpus: `$GONGKAI_SHARED/corpus/pdf`, GONGKAI_SHARED defaulting to `<manifest>/../shared`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 3;

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
    let bytes: usize = data.iter().map(Vec::len).sum();

    let mut best = [f64::MAX; 3];
    let mut pages = 0usize;
    let mut pdftotext_ok = 0usize;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        pages = 0;
        for bytes in &data {
            if let Ok(doc) = gongkai::pdf::Document::load(bytes, None) {
                for n in 1..=doc.page_count() {
                    if let Ok(page) = doc.page(n) {
                        std::hint::black_box(gongkai::layout::render_text(&page));
                        pages += 1;
                    }
                }
            }
        }
        best[0] = best[0].min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        for (path, bytes) in files.iter().zip(&data) {
            let result = gongkai::pipeline::process_bytes(
                &path.display().to_string(),
                gongkai::source::InputKind::Pdf,
                bytes,
                String::new(),
                &gongkai::pipeline::Options::default(),
            );
            std::hint::black_box(result);
        }
        best[1] = best[1].min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        pdftotext_ok = 0;
        for path in &files {
            if Command::new("pdftotext")
                .arg("-layout")
                .arg(path)
                .arg("/dev/null")
                .status()
                .is_ok_and(|s| s.success())
            {
                pdftotext_ok += 1;
            }
        }
        best[2] = best[2].min(start.elapsed().as_secs_f64());
    }

    println!(
        "corpus: {} files, {:.1} MB, {pages} pages; best of {ROUNDS} rounds, one thread",
        files.len(),
        bytes as f64 / 1e6
    );
    let rows = [
        ("gongkai text layer", best[0]),
        ("gongkai full pipeline", best[1]),
        ("pdftotext -layout", best[2]),
    ];
    for (name, secs) in rows {
        println!(
            "{name:<22} {:8.1} pages/s  {:6.2} s",
            pages as f64 / secs,
            secs
        );
    }
    println!("pdftotext succeeded on {pdftotext_ok} files");
    if let Some(peak) = peak_rss_mb() {
        println!(
            "peak resident memory of the bench process: {peak:.0} MB (corpus held in memory: {:.0} MB)",
            bytes as f64 / 1e6
        );
    }
}

/// VmHWM from /proc (Linux); None elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
