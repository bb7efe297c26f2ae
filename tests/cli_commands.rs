//! The command line: shards, merge, `gongkai text`, usage errors and exit codes.

mod common;
use common::{OUTPUT_NAMES, bin, samples, shared};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn seeds() -> PathBuf {
    let p = shared().join("seeds");
    assert!(p.is_dir(), "shared data missing: {}", p.display());
    p
}

fn doc_files(out: &Path) -> Vec<String> {
    let mut rd = csv::Reader::from_path(out.join("documents.csv")).unwrap();
    rd.records().map(|r| r.unwrap()[0].to_string()).collect()
}

fn extract(args: &[&str], out: &Path) -> Output {
    bin()
        .arg("extract")
        .args(args)
        .arg(samples())
        .arg(seeds())
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn shards_cover_every_file_exactly_once_and_merge_back_to_the_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    extract(&["-q"], &full);
    let all = doc_files(&full);
    assert!(all.len() >= 8);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        extract(&["-q", "--shard", &format!("{k}/3")], &out);
        let files = doc_files(&out);
        assert!(!files.is_empty());
        for f in files {
            *seen.entry(f).or_default() += 1;
        }
        shard_dirs.push(out);
    }
    assert_eq!(seen.keys().cloned().collect::<Vec<_>>(), all);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");

    let merged = dir.path().join("merged");
    let res = bin()
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .args(&shard_dirs)
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    for n in OUTPUT_NAMES {
        let a = std::fs::read(full.join(format!("{n}.csv"))).unwrap();
        let b = std::fs::read(merged.join(format!("{n}.csv"))).unwrap();
        assert!(a == b, "{n}.csv: merged shards differ from the full run");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    for args in [
        vec!["extract", "--shard", "4/3"],
        vec!["extract", "--pages", "5-2"],
        vec!["extract", "/nonexistent/gongkai-input"],
        vec!["extract", "--no-such-flag"],
    ] {
        let res = bin().args(&args).arg("-o").arg(&out).output().unwrap();
        assert_eq!(res.status.code(), Some(2), "{args:?}");
        assert!(!res.stderr.is_empty());
    }
    assert!(!out.exists(), "nothing written on a usage error");
}

#[test]
fn text_prints_every_page_separated_by_form_feeds() {
    let pdf = samples().join("shili-ju_2025_budget.pdf");
    let res = bin().arg("text").arg(&pdf).output().unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = String::from_utf8(res.stdout).unwrap();
    assert_eq!(text.matches('\u{c}').count(), 6, "six pages");
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for want in [
        "某市示例局2025年部门预算",
        "一般公共预算“三公”经费支出表",
        "公务用车运行维护费",
        "2010301",
        "3,385.13",
    ] {
        let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            compact.contains(&want) || text.contains(&want),
            "missing {want}"
        );
    }
    let page2 = bin()
        .arg("text")
        .arg(&pdf)
        .args(["--page", "2"])
        .output()
        .unwrap();
    let page2 = String::from_utf8(page2.stdout).unwrap();
    assert!(page2.contains("收支预算总表"));
    assert!(!page2.contains("三公”经费预算情况"));
}

#[test]
fn text_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.pdf");
    std::fs::write(&bad, b"%PDF-1.4 truncated").unwrap();
    for path in [bad, dir.path().join("missing.pdf")] {
        let res = bin().arg("text").arg(&path).output().unwrap();
        assert_eq!(res.status.code(), Some(1));
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(err.contains(&*path.to_string_lossy()), "{err}");
    }
    let res = bin()
        .arg("text")
        .arg(samples().join("shili-ju_2025_budget.pdf"))
        .args(["--page", "99"])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(1));
}

#[test]
fn text_of_a_text_disclosure_is_its_decoded_content() {
    let dir = tempfile::tempdir().unwrap();
    let gbk = dir.path().join("gbk.txt");
    let (bytes, _, _) = encoding_rs::GBK.encode("某局2024年部门预算\n三公经费\t12.5\n");
    std::fs::write(&gbk, &bytes).unwrap();
    let res = bin().arg("text").arg(&gbk).output().unwrap();
    assert_eq!(res.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(res.stdout).unwrap(),
        "某局2024年部门预算\n三公经费\t12.5\n"
    );
}

#[test]
fn samples_are_what_make_samples_writes() {
    let dir = tempfile::tempdir().unwrap();
    // Same profile as this test build, so the example reuses the compiled dependencies.
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["run", "-q", "--example", "make_samples"]);
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let res = cargo
        .arg("--")
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let committed = std::fs::read(samples().join(&name)).unwrap();
        assert!(
            std::fs::read(&p).unwrap() == committed,
            "samples/{name} is stale: rerun make_samples"
        );
        names.push(name);
    }
    assert_eq!(names.len(), std::fs::read_dir(samples()).unwrap().count());
}
