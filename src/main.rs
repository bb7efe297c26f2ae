//! The `gongkai` command line: a thin layer over the library.
//!
//! Exit codes: 0 every file ok (or no text layer), 1 some file failed or is encrypted (or a
//! command failed), 2 usage error, 130 interrupted (output for finished files is written).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use gongkai::batch::{self, BatchOptions, Faults, Progress};
use gongkai::output::{Outputs, WriteOptions};
use gongkai::{layout, pdf, pipeline, source};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Chinese budget and final-accounts disclosures (PDF or text) → normalized CSV"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract tables, cells, amounts, 三公 figures and checks from PDFs and text files.
    Extract(ExtractArgs),
    /// Print a PDF's text (one page or all, pages separated by form feeds).
    Text(TextArgs),
    /// Combine the output folders of several shards into one.
    Merge(MergeArgs),
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files and folders (folders are searched recursively for .pdf and .txt).
    #[arg(default_value = "samples")]
    paths: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(short, long, default_value_t = 0)]
    jobs: usize,
    /// Give up on a file after this many seconds (0: never).
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    timeout_per_file: u64,
    /// Keep results already in OUT for unchanged files; process only the rest.
    #[arg(long)]
    resume: bool,
    /// Process only the K-th of N slices of the sorted input list (e.g. 3/8).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Only these pages, e.g. 1-5,9.
    #[arg(long, value_name = "LIST")]
    pages: Option<String>,
    /// Password for encrypted PDFs.
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// Start each CSV with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    bom: bool,
    /// Also write OUT/gongkai.xlsx, one sheet per output table.
    #[arg(long)]
    xlsx: bool,
    /// Also write one JSON object per line: OUT/documents.jsonl, tables.jsonl, …
    #[arg(long)]
    jsonl: bool,
    /// No progress output.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(clap::Args)]
struct TextArgs {
    /// A PDF (or text) file.
    file: PathBuf,
    /// Only this page (1-based).
    #[arg(long)]
    page: Option<usize>,
    /// Password for an encrypted PDF.
    #[arg(long, value_name = "PW")]
    password: Option<String>,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// Output folder of the merged result.
    #[arg(short, long)]
    out: PathBuf,
    /// Shard output folders.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    #[arg(long)]
    bom: bool,
    #[arg(long)]
    xlsx: bool,
    #[arg(long)]
    jsonl: bool,
}

fn main() -> ExitCode {
    quiet_worker_panics();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => extract(a),
        Command::Text(a) => text(a).map(|()| ExitCode::SUCCESS),
        Command::Merge(a) => merge(a).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        // `gongkai text FILE | head`: the reader went away, which is not an error of ours.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            if e.downcast_ref::<Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// A usage error found after argument parsing (bad page list, bad shard, missing path).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

/// Panics inside per-file workers are caught and reported in documents.csv; printing them too
/// would tear the progress bar. Panics anywhere else still print as usual.
fn quiet_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let worker = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("gongkai-file"));
        if !worker {
            default(info);
        }
    }));
}

fn extract(a: ExtractArgs) -> Result<ExitCode> {
    let pages = match &a.pages {
        Some(spec) => Some(pipeline::parse_pages(spec).map_err(Usage)?),
        None => None,
    };
    let mut inputs = source::discover(&a.paths).map_err(|e| Usage(e.to_string()))?;
    if let Some(spec) = &a.shard {
        let (k, n) = batch::parse_shard(spec).map_err(Usage)?;
        inputs = batch::shard(inputs, k, n);
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Ctrl-C: stop taking new files, write what is done. A second Ctrl-C exits at once.
        let handler = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("gongkai: interrupted, writing output for the files done so far");
        });
        if let Err(e) = handler {
            eprintln!("gongkai: warning: Ctrl-C handler not installed: {e}");
        }
    }
    let opts = BatchOptions {
        out_dir: a.out.clone(),
        jobs: a.jobs,
        timeout: (a.timeout_per_file > 0).then(|| Duration::from_secs(a.timeout_per_file)),
        doc: pipeline::Options {
            pages,
            password: a.password,
        },
        resume: a.resume,
        write: WriteOptions {
            bom: a.bom,
            xlsx: a.xlsx,
            jsonl: a.jsonl,
        },
        progress: if a.quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Log
        },
        faults: Faults::from_env(),
    };
    let s = batch::run(&inputs, &opts, &stop)
        .with_context(|| format!("writing output to {}", a.out.display()))?;
    if !a.quiet {
        eprintln!(
            "gongkai: {} files: {} ok, {} no text layer, {} encrypted, {} failed, {} kept from earlier run{}; output in {}",
            s.inputs,
            s.ok,
            s.no_text_layer,
            s.encrypted,
            s.failed,
            s.skipped,
            if s.interrupted {
                format!(", {} not done (interrupted)", s.not_done)
            } else {
                String::new()
            },
            a.out.display()
        );
    }
    Ok(if s.interrupted {
        ExitCode::from(130)
    } else if s.failed + s.encrypted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn text(a: TextArgs) -> Result<()> {
    let shown = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).with_context(|| format!("{shown}: cannot read"))?;
    let kind = source::sniff(&a.file)
        .with_context(|| format!("{shown}: cannot read"))?
        .unwrap_or(source::InputKind::Text);
    let mut out = std::io::stdout().lock();
    if kind == source::InputKind::Text {
        // A text disclosure has no pages: it is printed as decoded (GB18030 → UTF-8).
        if a.page.is_some_and(|p| p != 1) {
            bail!("{shown}: a text file has only page 1");
        }
        out.write_all(pipeline::decode_text(&bytes).as_bytes())?;
        return Ok(());
    }
    let doc = pdf::Document::load(&bytes, a.password.as_deref())
        .with_context(|| format!("{shown}: cannot open PDF"))?;
    let pages: Vec<usize> = match a.page {
        Some(p) => vec![p],
        None => (1..=doc.page_count()).collect(),
    };
    for n in pages {
        let page = doc.page(n).with_context(|| format!("{shown}: page {n}"))?;
        out.write_all(layout::render_text(&page).as_bytes())?;
        out.write_all(b"\x0c")?;
    }
    out.flush()?;
    Ok(())
}

fn merge(a: MergeArgs) -> Result<()> {
    let mut all = Outputs::default();
    for d in &a.dirs {
        if !d.is_dir() {
            return Err(Usage(format!("{}: not a folder", d.display())).into());
        }
        let part = Outputs::load(d).with_context(|| format!("reading {}", d.display()))?;
        all.extend(part);
    }
    all.sort();
    all.write(
        &a.out,
        WriteOptions {
            bom: a.bom,
            xlsx: a.xlsx,
            jsonl: a.jsonl,
        },
    )
    .with_context(|| format!("writing {}", a.out.display()))?;
    Ok(())
}
