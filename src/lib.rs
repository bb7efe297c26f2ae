//! gongkai (公开): Chinese government budget and final-accounts disclosures → normalized CSV.
//!
//! One pipeline, one stage per module, typed data between stages:
//!
//! `source` (find inputs, hash, sniff) → `pdf` (objects, fonts → positioned glyphs and ruling
//! lines per page) → `layout` (glyphs → lines → blocks; ruled and borderless grids) →
//! `recognize` (document facts, tables, header paths, row codes, amounts) → `narrative`
//! (amounts stated in prose) → `checks` (arithmetic and table-vs-text consistency, 三公 rows) →
//! `output` (CSV, xlsx, jsonl). Plain-text disclosures enter at `layout`.
//! `pipeline` runs the stages for one file; `batch` runs many files in parallel.

pub mod amount;
pub mod batch;
pub mod checks;
pub mod layout;
pub mod narrative;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod recognize;
pub mod source;

/// The version written into outputs, so `--resume` knows which files an older build produced.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
