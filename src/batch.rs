//! Runs many input files in parallel and keeps every file accounted for.
//!
//! Each file is read and hashed on a pool thread, then processed on its own worker thread so
//! that a panic is caught (`catch_unwind`) and a file that never finishes is abandoned after
//! the per-file timeout (the stuck thread is left detached; the batch goes on). Results are
//! collected in input order and written sorted, so the output does not depend on the number
//! of threads or on which file finished first.

use crate::output::{Outputs, WriteOptions};
use crate::pipeline::{self, DocResult, Status};
use crate::source::Input;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How progress is shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// A progress bar (for a terminal).
    Bar,
    /// One plain line per file (for logs: CI, Slurm, pipes).
    #[default]
    Log,
    Quiet,
}

/// Test-only fault injection, so the batch's handling of panics and hangs can be tested end to
/// end through the real binary. Set from the environment variable `GONGKAI_TEST_FAULTS`, e.g.
/// `panic=boom.txt;hang=stuck.txt`: a file whose display name contains the given text panics
/// (or sleeps forever) inside its worker instead of being processed. Unset in normal use, so
/// no input can trigger it.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub panic_on: Vec<String>,
    pub hang_on: Vec<String>,
}

impl Faults {
    #[doc(hidden)]
    pub fn from_env() -> Faults {
        let mut f = Faults::default();
        if let Ok(spec) = std::env::var("GONGKAI_TEST_FAULTS") {
            for part in spec.split(';') {
                match part.split_once('=') {
                    Some(("panic", name)) if !name.is_empty() => f.panic_on.push(name.into()),
                    Some(("hang", name)) if !name.is_empty() => f.hang_on.push(name.into()),
                    _ => {}
                }
            }
        }
        f
    }
}

/// Options for one batch.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub out_dir: PathBuf,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Abandon a file after this long (None: never).
    pub timeout: Option<Duration>,
    pub doc: pipeline::Options,
    /// Keep the results of files already in `out_dir/documents.csv` with the same sha256 and
    /// gongkai version (and a status other than `failed`), and process only the others.
    pub resume: bool,
    pub write: WriteOptions,
    pub progress: Progress,
    #[doc(hidden)]
    pub faults: Faults,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    /// Files processed now.
    pub processed: usize,
    /// Files kept from an earlier run (`--resume`).
    pub skipped: usize,
    /// Files not done because the batch was interrupted.
    pub not_done: usize,
    pub ok: usize,
    pub no_text_layer: usize,
    pub encrypted: usize,
    pub failed: usize,
    pub interrupted: bool,
}

/// Why a batch could not run or write its output.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error("cannot start worker threads: {0}")]
    Pool(String),
}

/// Parses `K/N` (1-based K) for `--shard`.
pub fn parse_shard(spec: &str) -> Result<(usize, usize), String> {
    let bad = || format!("bad shard `{spec}`: expected K/N with 1 <= K <= N, e.g. 3/8");
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let k: usize = k.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The K-th (1-based) of N slices of a sorted input list: every N-th file starting at K, so the
/// N shards together cover every file exactly once and sizes differ by at most one.
pub fn shard(inputs: Vec<Input>, k: usize, n: usize) -> Vec<Input> {
    inputs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| n > 0 && i % n == k.wrapping_sub(1))
        .map(|(_, input)| input)
        .collect()
}

enum Outcome {
    Done(Box<DocResult>),
    /// Kept from an earlier run.
    Skipped,
    /// Not started or abandoned because of an interrupt.
    NotDone,
}

/// Runs the batch: processes `inputs`, writes every output file into `opts.out_dir`, and
/// returns what happened. `stop` is checked between files (Ctrl-C sets it): files not yet done
/// are left out and the output written is valid for those that are.
pub fn run(
    inputs: &[Input],
    opts: &BatchOptions,
    stop: &AtomicBool,
) -> Result<Summary, BatchError> {
    let previous = if opts.resume {
        Outputs::load(&opts.out_dir)?
    } else {
        Outputs::default()
    };
    let done_before = resumable(&previous);
    let reporter = Reporter::new(opts.progress, inputs.len());

    let mut builder = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("gongkai-pool-{i}"));
    if opts.jobs > 0 {
        builder = builder.num_threads(opts.jobs);
    }
    let pool = builder
        .build()
        .map_err(|e| BatchError::Pool(e.to_string()))?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        use rayon::prelude::*;
        inputs
            .par_iter()
            .map(|input| {
                let outcome = one(input, opts, &done_before, stop);
                reporter.record(input, &outcome);
                outcome
            })
            .collect()
    });
    reporter.finish();

    let mut summary = Summary {
        inputs: inputs.len(),
        interrupted: stop.load(Ordering::SeqCst),
        ..Summary::default()
    };
    let mut fresh = Outputs::default();
    let mut redone = HashSet::new();
    for o in &outcomes {
        match o {
            Outcome::Done(doc) => {
                summary.processed += 1;
                match doc.status {
                    Status::Ok => summary.ok += 1,
                    Status::NoTextLayer => summary.no_text_layer += 1,
                    Status::Encrypted => summary.encrypted += 1,
                    Status::Failed => summary.failed += 1,
                }
                redone.insert(doc.file.clone());
                fresh.add(doc);
            }
            Outcome::Skipped => summary.skipped += 1,
            Outcome::NotDone => summary.not_done += 1,
        }
    }
    let mut all = previous;
    all.remove_files(&redone);
    all.extend(fresh);
    all.sort();
    all.write(&opts.out_dir, opts.write)?;
    Ok(summary)
}

/// Files an earlier run finished: display name → (sha256, version).
fn resumable(previous: &Outputs) -> HashMap<String, (String, String)> {
    let mut m = HashMap::new();
    if let Some(docs) = previous.sheet("documents") {
        for r in &docs.rows {
            // Columns: file, sha256, …, status (4), …, gongkai_version (12).
            if let (Some(file), Some(sha), Some(status), Some(ver)) =
                (r.first(), r.get(1), r.get(4), r.get(12))
                && status != Status::Failed.as_str()
            {
                m.insert(file.clone(), (sha.clone(), ver.clone()));
            }
        }
    }
    m
}

/// Stack for the per-file worker: PDF object graphs can nest deeply.
const WORKER_STACK: usize = 64 * 1024 * 1024;
/// How often a waiting pool thread looks at the stop flag.
const POLL: Duration = Duration::from_millis(100);

fn one(
    input: &Input,
    opts: &BatchOptions,
    done_before: &HashMap<String, (String, String)>,
    stop: &AtomicBool,
) -> Outcome {
    if stop.load(Ordering::SeqCst) {
        return Outcome::NotDone;
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Done(Box::new(DocResult::failed(
                &input.display,
                String::new(),
                Status::Failed,
                format!("cannot read file: {e}"),
            )));
        }
    };
    let sha = pipeline::sha256_hex(&bytes);
    if let Some((old_sha, old_ver)) = done_before.get(&input.display)
        && *old_sha == sha
        && old_ver == crate::VERSION
    {
        return Outcome::Skipped;
    }

    let (tx, rx) = mpsc::channel();
    let file = input.display.clone();
    let kind = input.kind;
    let doc_opts = opts.doc.clone();
    let sha_for_worker = sha.clone();
    let fault = if opts
        .faults
        .panic_on
        .iter()
        .any(|p| file.contains(p.as_str()))
    {
        Some(true)
    } else if opts
        .faults
        .hang_on
        .iter()
        .any(|p| file.contains(p.as_str()))
    {
        Some(false)
    } else {
        None
    };
    let spawned = std::thread::Builder::new()
        .name(format!("gongkai-file {file}"))
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match fault {
                    // Test-only hooks (see `Faults`): never reached unless GONGKAI_TEST_FAULTS
                    // names this file.
                    Some(true) => panic!("injected test fault"), // ok: only under GONGKAI_TEST_FAULTS, caught by the worker
                    Some(false) => loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    },
                    None => {}
                }
                pipeline::process_bytes(&file, kind, &bytes, sha_for_worker, &doc_opts)
            }));
            // The receiver may have given up (timeout, interrupt): nothing to do then.
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return failed(input, sha, format!("cannot start worker thread: {e}"));
    }

    let started = Instant::now();
    loop {
        let wait = match opts.timeout {
            Some(t) => match t.checked_sub(started.elapsed()) {
                Some(left) => left.min(POLL),
                None => {
                    return failed(input, sha, format!("timeout after {}s", t.as_secs()));
                }
            },
            None => POLL,
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(doc)) => return Outcome::Done(Box::new(doc)),
            Ok(Err(payload)) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                return failed(input, sha, format!("internal error (panic): {msg}"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) {
                    return Outcome::NotDone;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return failed(input, sha, "worker thread ended without a result".into());
            }
        }
    }
}

fn failed(input: &Input, sha: String, msg: String) -> Outcome {
    Outcome::Done(Box::new(DocResult::failed(
        &input.display,
        sha,
        Status::Failed,
        msg,
    )))
}

/// Progress on stderr: a bar on a terminal, one line per file otherwise.
struct Reporter {
    mode: Progress,
    total: usize,
    done: AtomicUsize,
    pages: AtomicUsize,
    failures: AtomicUsize,
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Reporter {
    fn new(mode: Progress, total: usize) -> Reporter {
        let bar = (mode == Progress::Bar).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} files  {msg}  ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Reporter {
            mode,
            total,
            done: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            failures: AtomicUsize::new(0),
            started: Instant::now(),
            bar,
        }
    }

    fn record(&self, input: &Input, outcome: &Outcome) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let (status, detail) = match outcome {
            Outcome::Done(doc) => {
                self.pages.fetch_add(doc.pages, Ordering::SeqCst);
                if matches!(doc.status, Status::Failed | Status::Encrypted) {
                    self.failures.fetch_add(1, Ordering::SeqCst);
                }
                let detail = match &doc.error {
                    Some(e) => format!("{} pages: {e}", doc.pages),
                    None => format!(
                        "{} pages, {} tables, {} amounts",
                        doc.pages,
                        doc.recognized.tables.len(),
                        doc.amounts.len()
                    ),
                };
                (doc.status.as_str(), detail)
            }
            Outcome::Skipped => ("skipped", "already in output (--resume)".to_string()),
            Outcome::NotDone => ("not_done", "interrupted".to_string()),
        };
        match self.mode {
            Progress::Bar => {
                if let Some(bar) = &self.bar {
                    let secs = self.started.elapsed().as_secs_f64().max(0.001);
                    let rate = self.pages.load(Ordering::SeqCst) as f64 / secs;
                    bar.set_message(format!(
                        "{rate:.1} pages/s  {} failed",
                        self.failures.load(Ordering::SeqCst)
                    ));
                    bar.inc(1);
                    if matches!(outcome, Outcome::Done(d) if d.status == Status::Failed) {
                        bar.println(format!("{}: {status}: {detail}", input.display));
                    }
                }
            }
            Progress::Log => {
                eprintln!("[{n}/{}] {} {status} ({detail})", self.total, input.display);
            }
            Progress::Quiet => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::InputKind;

    fn inputs(n: usize) -> Vec<Input> {
        (0..n)
            .map(|i| Input {
                path: PathBuf::from(format!("f{i:02}.txt")),
                display: format!("f{i:02}.txt"),
                kind: InputKind::Text,
            })
            .collect()
    }

    #[test]
    fn shards_cover_every_file_once() {
        let all = inputs(11);
        let mut seen = Vec::new();
        for k in 1..=4 {
            let part = shard(all.clone(), k, 4);
            assert!(part.len() == 2 || part.len() == 3);
            seen.extend(part.into_iter().map(|i| i.display));
        }
        seen.sort();
        let want: Vec<String> = all.into_iter().map(|i| i.display).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn shard_specs() {
        assert_eq!(parse_shard("3/8"), Ok((3, 8)));
        assert!(parse_shard("0/8").is_err());
        assert!(parse_shard("9/8").is_err());
        assert!(parse_shard("1/0").is_err());
        assert!(parse_shard("x").is_err());
    }
}
