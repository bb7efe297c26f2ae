//! The batch through the real binary: failures of every kind stay inside their file, output
//! is byte-identical whatever the thread count, and an interrupted run resumes.

mod common;
use common::{bin, samples, shared};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn seeds() -> PathBuf {
    let p = shared().join("seeds");
    assert!(
        p.is_dir(),
        "shared data missing: {} (set GONGKAI_SHARED)",
        p.display()
    );
    p
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut rd = csv::Reader::from_path(path).unwrap();
    rd.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every file gongkai wrote in `dir`, name → bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

fn run(args: &[&str], out: &Path) -> Output {
    bin().args(args).arg("-o").arg(out).output().unwrap()
}

#[test]
fn failing_panicking_and_hanging_files_are_reported_and_the_batch_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let seed = std::fs::read_dir(seeds())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(inp.join("garbage.pdf"), b"this is not a PDF at all").unwrap();
    std::fs::copy(&seed, inp.join("boom.txt")).unwrap();
    std::fs::copy(&seed, inp.join("stuck.txt")).unwrap();
    std::fs::copy(&seed, inp.join("good.txt")).unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    let res = bin()
        .env("GONGKAI_TEST_FAULTS", "panic=boom.txt;hang=stuck.txt")
        .args(["extract", "--jobs", "2", "--timeout-per-file", "2"])
        .arg(&inp)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "batch did not finish promptly"
    );
    assert_eq!(
        res.status.code(),
        Some(1),
        "a failed file makes exit code 1"
    );
    let docs = read_csv(&out.join("documents.csv"));
    let by_name = |n: &str| {
        docs.iter()
            .find(|r| r[0].ends_with(n))
            .unwrap_or_else(|| panic!("{n} missing from documents.csv: {docs:?}"))
            .clone()
    };
    assert_eq!(docs.len(), 4);
    let garbage = by_name("garbage.pdf");
    assert_eq!(garbage[4], "failed");
    assert!(!garbage[5].is_empty(), "failure has a reason");
    let boom = by_name("boom.txt");
    assert_eq!(boom[4], "failed");
    assert!(boom[5].contains("panic"), "{boom:?}");
    assert_eq!(boom[1].len(), 64, "a panicking file is still hashed");
    let stuck = by_name("stuck.txt");
    assert_eq!(stuck[4], "failed");
    assert_eq!(stuck[5], "timeout after 2s");
    let good = by_name("good.txt");
    assert_eq!(good[4], "ok");
    assert_eq!(good[12], env!("CARGO_PKG_VERSION"));
    // The documents are listed sorted by file, whatever order they finished in.
    let names: Vec<&String> = docs.iter().map(|r| &r[0]).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out{jobs}"));
        let res = bin()
            .args(["extract", "--jobs", jobs, "--xlsx", "--jsonl", "-q"])
            .arg(samples())
            .arg(seeds())
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(res.status.code().is_some(), "killed by a signal");
        outs.push(files(&out));
    }
    assert_eq!(outs[0].len(), 13, "6 csv + 6 jsonl + xlsx");
    for (a, b) in outs[0].iter().zip(&outs[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between --jobs 1 and --jobs 2", a.0);
    }
    let docs = read_csv(&dir.path().join("out1/documents.csv"));
    let n_samples = std::fs::read_dir(samples()).unwrap().count();
    let n_seeds = std::fs::read_dir(seeds()).unwrap().count();
    assert_eq!(docs.len(), n_samples + n_seeds);
}

#[test]
fn an_interrupted_run_resumes_to_the_same_output_as_one_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let mut seed_files: Vec<PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seed_files.sort();
    for (name, src) in ["a.txt", "b.txt", "c.txt", "d.txt"].iter().zip(&seed_files) {
        std::fs::copy(src, inp.join(name)).unwrap();
    }
    let out = dir.path().join("out");

    // One thread, and c.txt never finishes: interrupt once a and b are done.
    let mut child = bin()
        .env("GONGKAI_TEST_FAULTS", "hang=c.txt")
        .args(["extract", "--jobs", "1"])
        .arg(&inp)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut log = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.push(line.clone());
        if line.contains("b.txt") {
            break;
        }
    }
    // Give the pool time to start on c.txt, then Ctrl-C.
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    log.extend(lines.map(|l| l.unwrap()));
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "log: {log:?}");
    let docs = read_csv(&out.join("documents.csv"));
    let done: Vec<String> = docs
        .iter()
        .map(|r| {
            Path::new(&r[0])
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(done, ["a.txt", "b.txt"], "log: {log:?}");

    // Resume: a and b are kept, c and d are processed.
    let res = bin()
        .args(["extract", "--jobs", "2", "--resume"])
        .arg(&inp)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0));
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(err.matches("skipped").count(), 2, "{err}");
    assert!(err.contains("2 kept from earlier run"), "{err}");

    let full = dir.path().join("full");
    let res = bin()
        .arg("extract")
        .arg(&inp)
        .arg("-o")
        .arg(&full)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0));
    assert_eq!(files(&out), files(&full));

    // A changed file is processed again; the unchanged ones are not.
    std::fs::write(inp.join("d.txt"), "某局2024年部门预算\n").unwrap();
    let res = run(&["extract", "--resume", inp.to_str().unwrap()], &out);
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(err.matches("skipped").count(), 3, "{err}");
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 4);
    let d = docs.iter().find(|r| r[0].ends_with("d.txt")).unwrap();
    assert_eq!(
        d[1],
        gongkai::pipeline::sha256_hex("某局2024年部门预算\n".as_bytes())
    );
}
