//! The checks stage: owns consistency findings (arithmetic inside tables, table against prose,
//! the same figure in two tables) and the per-document 三公 summary built from tables and prose.

pub mod sangong;
pub mod tables;

use rust_decimal::Decimal;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Severity {
    /// The document contradicts itself.
    Error,
    /// Probably a contradiction, but rounding or scope could explain it.
    Warning,
    /// Worth knowing (e.g. a subtotal left blank beside printed parts).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One failed (or notable) check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Check name, e.g. `sangong_total_parts`, `table_total_rows`, `narrative_vs_table`.
    pub check: String,
    pub severity: Severity,
    /// What is wrong, naming the table and the cells.
    pub message: String,
    pub expected: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub page: Option<usize>,
}

/// Agreement between the 三公 table and the prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SangongStatus {
    Agree,
    Disagree,
    TableOnly,
    NarrativeOnly,
    None,
}

impl SangongStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SangongStatus::Agree => "agree",
            SangongStatus::Disagree => "disagree",
            SangongStatus::TableOnly => "table_only",
            SangongStatus::NarrativeOnly => "narrative_only",
            SangongStatus::None => "none",
        }
    }
}

/// The six 三公 figures, in 万元.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SangongFigures {
    pub total: Option<Decimal>,
    pub outbound: Option<Decimal>,
    pub reception: Option<Decimal>,
    pub vehicle_total: Option<Decimal>,
    pub vehicle_purchase: Option<Decimal>,
    pub vehicle_operation: Option<Decimal>,
}

/// One document's 三公 summary (a row of sangong.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Sangong {
    /// The unit the figures are printed in (万元 or 元).
    pub currency: Option<String>,
    pub table: SangongFigures,
    pub narrative: SangongFigures,
    pub table_page: Option<usize>,
    pub narrative_page: Option<usize>,
    pub status: SangongStatus,
    pub max_diff: Option<Decimal>,
    pub note: String,
}

/// Builds the 三公 summary and runs every consistency check.
pub fn run(
    recognized: &crate::recognize::Recognized,
    amounts: &[crate::narrative::Amount],
) -> (Sangong, Vec<Finding>) {
    let (summary, mut findings) = sangong::summarize(recognized, amounts);
    findings.extend(tables::check_tables(recognized));
    (summary, findings)
}
