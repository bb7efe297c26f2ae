//! Writes the results: tables.csv, cells.csv, amounts.csv, sangong.csv, checks.csv,
//! documents.csv (and, on request, an xlsx workbook and JSON lines).
//!
//! Every output table is held as rows of strings (exactly what goes into the CSV) plus a type
//! per column, so rows read back from an earlier run (`--resume`, `gongkai merge`) and rows
//! made now are merged, sorted and written the same way, and the xlsx/jsonl writers can still
//! store numbers as numbers. Files are written to a hidden temporary name, synced and renamed,
//! so a reader never sees a half-written file.

use crate::pipeline::DocResult;
use crate::recognize::Table;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

/// How a column is stored in xlsx and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Number,
    Bool,
}

use ColType::{Bool, Number, Text};

/// One output table's name (file stem, sheet name) and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub columns: &'static [(&'static str, ColType)],
}

pub const DOCUMENTS: Spec = Spec {
    name: "documents",
    columns: &[
        ("file", Text),
        ("sha256", Text),
        ("pages", Number),
        ("producer", Text),
        ("status", Text),
        ("error", Text),
        ("doc_kind", Text),
        ("year", Number),
        ("unit_name", Text),
        ("tables", Number),
        ("amounts", Number),
        ("checks_failed", Number),
        ("gongkai_version", Text),
    ],
};

pub const TABLES: Spec = Spec {
    name: "tables",
    columns: &[
        ("file", Text),
        ("table_id", Number),
        ("kind", Text),
        ("title", Text),
        ("unit", Text),
        ("pages", Text),
        ("n_rows", Number),
        ("n_cols", Number),
        ("header", Text),
        ("notes", Text),
    ],
};

pub const CELLS: Spec = Spec {
    name: "cells",
    columns: &[
        ("file", Text),
        ("table_id", Number),
        ("title", Text),
        ("page", Number),
        ("row", Number),
        ("col", Number),
        ("row_label", Text),
        ("code", Text),
        ("column", Text),
        ("raw", Text),
        ("value", Number),
        ("unit", Text),
    ],
};

pub const AMOUNTS: Spec = Spec {
    name: "amounts",
    columns: &[
        ("file", Text),
        ("page", Number),
        ("key", Text),
        ("value", Number),
        ("raw", Text),
        ("unit", Text),
        ("change_value", Number),
        ("change_pct", Number),
        ("direction", Text),
        ("sentence", Text),
        ("previous_year", Bool),
    ],
};

pub const SANGONG: Spec = Spec {
    name: "sangong",
    columns: &[
        ("file", Text),
        ("unit_name", Text),
        ("year", Number),
        ("doc_kind", Text),
        ("currency", Text),
        ("table_total", Number),
        ("table_outbound", Number),
        ("table_reception", Number),
        ("table_vehicle_total", Number),
        ("table_vehicle_purchase", Number),
        ("table_vehicle_operation", Number),
        ("narrative_total", Number),
        ("narrative_outbound", Number),
        ("narrative_reception", Number),
        ("narrative_vehicle_total", Number),
        ("narrative_vehicle_purchase", Number),
        ("narrative_vehicle_operation", Number),
        ("table_page", Number),
        ("narrative_page", Number),
        ("status", Text),
        ("max_diff", Number),
        ("note", Text),
    ],
};

pub const CHECKS: Spec = Spec {
    name: "checks",
    columns: &[
        ("file", Text),
        ("check", Text),
        ("severity", Text),
        ("message", Text),
        ("expected", Number),
        ("actual", Number),
        ("page", Number),
    ],
};

/// Every output table, in the order files are listed and sheets appear.
pub const SPECS: [Spec; 6] = [DOCUMENTS, TABLES, CELLS, AMOUNTS, SANGONG, CHECKS];

/// Why output could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Csv {
        path: String,
        #[source]
        source: csv::Error,
    },
    #[error(
        "{path}: header is `{found}`, expected `{expected}` (written by another gongkai version?)"
    )]
    Header {
        path: String,
        found: String,
        expected: String,
    },
    #[error("{path}: {message}")]
    Xlsx { path: String, message: String },
}

/// Which files to write besides the CSVs.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Start each CSV with a UTF-8 byte-order mark (Excel on Chinese Windows needs it).
    pub bom: bool,
    pub xlsx: bool,
    pub jsonl: bool,
}

/// One output table's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub spec: Spec,
    pub rows: Vec<Vec<String>>,
}

/// All six output tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    pub sheets: Vec<Sheet>,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            sheets: SPECS
                .iter()
                .map(|&spec| Sheet {
                    spec,
                    rows: Vec::new(),
                })
                .collect(),
        }
    }
}

/// A decimal printed plainly: no exponent, no trailing zeros, no `-0`.
pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn opt_dec(d: Option<Decimal>) -> String {
    d.map(dec).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Pages as ranges: `[3, 4, 5, 9]` → `3-5,9`.
pub fn page_ranges(pages: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(if end > start {
            format!("{start}-{end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    parts.join(",")
}

/// Counts the findings that say the document contradicts itself (errors and warnings).
pub fn checks_failed(doc: &DocResult) -> usize {
    doc.findings
        .iter()
        .filter(|f| f.severity != crate::checks::Severity::Info)
        .count()
}

impl Outputs {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.spec.name == name)
    }

    fn rows_mut(&mut self, spec: Spec) -> &mut Vec<Vec<String>> {
        // SPECS and `sheets` are built together, so every spec has its sheet; the fallback
        // push keeps this total without a panic path.
        let pos = match self.sheets.iter().position(|s| s.spec == spec) {
            Some(p) => p,
            None => {
                self.sheets.push(Sheet {
                    spec,
                    rows: Vec::new(),
                });
                self.sheets.len() - 1
            }
        };
        &mut self.sheets[pos].rows
    }

    /// Adds one document's rows to every table.
    pub fn add(&mut self, doc: &DocResult) {
        let file = doc.file.clone();
        let facts = &doc.recognized.facts;
        self.rows_mut(DOCUMENTS).push(vec![
            file.clone(),
            doc.sha256.clone(),
            doc.pages.to_string(),
            doc.producer.clone().unwrap_or_default(),
            doc.status.as_str().to_string(),
            doc.error.clone().unwrap_or_default(),
            opt(facts.doc_kind.map(|k| k.as_str())),
            opt(facts.year),
            facts.unit_name.clone().unwrap_or_default(),
            doc.recognized.tables.len().to_string(),
            doc.amounts.len().to_string(),
            checks_failed(doc).to_string(),
            crate::VERSION.to_string(),
        ]);
        for t in &doc.recognized.tables {
            self.rows_mut(TABLES).push(table_row(&file, t));
            let cells = cell_rows(&file, t);
            self.rows_mut(CELLS).extend(cells);
        }
        for a in &doc.amounts {
            self.rows_mut(AMOUNTS).push(vec![
                file.clone(),
                a.page.to_string(),
                a.key.clone(),
                dec(a.value),
                a.raw.clone(),
                a.unit.as_str().to_string(),
                opt_dec(a.change_value),
                opt_dec(a.change_pct),
                opt(a.direction.map(|d| d.as_str())),
                a.sentence.clone(),
                a.previous_year.to_string(),
            ]);
        }
        if let Some(s) = &doc.sangong {
            let mut row = vec![
                file.clone(),
                facts.unit_name.clone().unwrap_or_default(),
                opt(facts.year),
                opt(facts.doc_kind.map(|k| k.as_str())),
                s.currency.clone().unwrap_or_default(),
            ];
            for f in [&s.table, &s.narrative] {
                row.extend(
                    [
                        f.total,
                        f.outbound,
                        f.reception,
                        f.vehicle_total,
                        f.vehicle_purchase,
                        f.vehicle_operation,
                    ]
                    .into_iter()
                    .map(opt_dec),
                );
            }
            row.extend([
                opt(s.table_page),
                opt(s.narrative_page),
                s.status.as_str().to_string(),
                opt_dec(s.max_diff),
                s.note.clone(),
            ]);
            self.rows_mut(SANGONG).push(row);
        } else {
            // Still one row per document, so a join on `file` never loses a document.
            let mut row = vec![file.clone(), String::new(), String::new(), String::new()];
            row.resize(SANGONG.columns.len() - 3, String::new());
            row.extend([
                crate::checks::SangongStatus::None.as_str().to_string(),
                String::new(),
                format!("document {}", doc.status.as_str()),
            ]);
            self.rows_mut(SANGONG).push(row);
        }
        for f in &doc.findings {
            self.rows_mut(CHECKS).push(vec![
                file.clone(),
                f.check.clone(),
                f.severity.as_str().to_string(),
                f.message.clone(),
                opt_dec(f.expected),
                opt_dec(f.actual),
                opt(f.page),
            ]);
        }
    }

    /// Drops every row of the given files (before their fresh rows are added).
    pub fn remove_files(&mut self, files: &HashSet<String>) {
        for s in &mut self.sheets {
            s.rows
                .retain(|r| r.first().is_none_or(|f| !files.contains(f)));
        }
    }

    /// Appends another set of rows (e.g. a shard's output).
    pub fn extend(&mut self, other: Outputs) {
        for s in other.sheets {
            self.rows_mut(s.spec).extend(s.rows);
        }
    }

    /// Sorts every table by file; a stable sort keeps each document's rows in the order they
    /// were made (table, row, column), so output does not depend on which thread finished first.
    pub fn sort(&mut self) {
        for s in &mut self.sheets {
            s.rows.sort_by(|a, b| a.first().cmp(&b.first()));
        }
    }

    /// Reads the CSVs an earlier run wrote in `dir`; a missing file is an empty table.
    pub fn load(dir: &Path) -> Result<Outputs, OutputError> {
        let mut out = Outputs::default();
        for spec in SPECS {
            let path = dir.join(format!("{}.csv", spec.name));
            let shown = path.to_string_lossy().into_owned();
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(OutputError::Io {
                        path: shown,
                        source: e,
                    });
                }
            };
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let mut rd = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(body);
            let csv_err = |e| OutputError::Csv {
                path: shown.clone(),
                source: e,
            };
            let header: Vec<String> = rd
                .headers()
                .map_err(csv_err)?
                .iter()
                .map(str::to_string)
                .collect();
            let expected: Vec<&str> = spec.columns.iter().map(|c| c.0).collect();
            if header != expected {
                return Err(OutputError::Header {
                    path: shown,
                    found: header.join(","),
                    expected: expected.join(","),
                });
            }
            let rows = out.rows_mut(spec);
            for rec in rd.records() {
                let rec = rec.map_err(csv_err)?;
                rows.push(rec.iter().map(str::to_string).collect());
            }
        }
        Ok(out)
    }

    /// Writes every CSV (and xlsx/jsonl when asked) into `dir`, atomically per file.
    pub fn write(&self, dir: &Path, opts: WriteOptions) -> Result<(), OutputError> {
        std::fs::create_dir_all(dir).map_err(|e| OutputError::Io {
            path: dir.to_string_lossy().into_owned(),
            source: e,
        })?;
        for s in &self.sheets {
            let mut buf = Vec::new();
            if opts.bom {
                buf.extend_from_slice(b"\xEF\xBB\xBF");
            }
            buf.extend(csv_bytes(s).map_err(|e| OutputError::Csv {
                path: format!("{}.csv", s.spec.name),
                source: e,
            })?);
            write_atomic(dir, &format!("{}.csv", s.spec.name), &buf)?;
            if opts.jsonl {
                write_atomic(dir, &format!("{}.jsonl", s.spec.name), &jsonl_bytes(s))?;
            }
        }
        if opts.xlsx {
            let buf = xlsx_bytes(self).map_err(|e| OutputError::Xlsx {
                path: "gongkai.xlsx".into(),
                message: e.to_string(),
            })?;
            write_atomic(dir, "gongkai.xlsx", &buf)?;
        }
        Ok(())
    }
}

fn table_row(file: &str, t: &Table) -> Vec<String> {
    vec![
        file.to_string(),
        t.id.to_string(),
        t.kind.key().to_string(),
        t.title.clone(),
        t.unit.as_str().to_string(),
        page_ranges(&t.pages),
        t.rows.len().to_string(),
        t.columns.len().to_string(),
        t.columns.join(" | "),
        t.notes.join("; "),
    ]
}

fn cell_rows(file: &str, t: &Table) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<_> = row
            .cells
            .iter()
            .filter(|c| !c.raw.trim().is_empty())
            .collect();
        cells.sort_by_key(|c| c.col);
        for c in cells {
            // A percentage keeps its own number and says so in `unit`; an amount is in 万元.
            let (value, unit) = match (c.value, c.pct) {
                (Some(v), _) => (dec(v), "万元"),
                (None, Some(p)) => (dec(p), "%"),
                (None, None) => (String::new(), ""),
            };
            out.push(vec![
                file.to_string(),
                t.id.to_string(),
                t.title.clone(),
                row.page.to_string(),
                (r + 1).to_string(),
                (c.col + 1).to_string(),
                row.label.clone(),
                row.code.clone().unwrap_or_default(),
                t.columns.get(c.col).cloned().unwrap_or_default(),
                c.raw.clone(),
                value,
                unit.to_string(),
            ]);
        }
    }
    out
}

fn csv_bytes(s: &Sheet) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(s.spec.columns.iter().map(|c| c.0))?;
    for r in &s.rows {
        w.write_record(r)?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

fn jsonl_bytes(s: &Sheet) -> Vec<u8> {
    let mut out = String::new();
    for r in &s.rows {
        out.push('{');
        for (i, (name, ty)) in s.spec.columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::Value::from(*name).to_string());
            out.push(':');
            let v = r.get(i).map(String::as_str).unwrap_or("");
            out.push_str(&json_value(v, *ty));
        }
        out.push_str("}\n");
    }
    out.into_bytes()
}

fn json_value(v: &str, ty: ColType) -> String {
    match ty {
        _ if v.is_empty() && ty != Text => "null".into(),
        // The decimal text itself is a valid JSON number, so no precision is lost via f64.
        Number if v.parse::<Decimal>().is_ok() => v.to_string(),
        Bool if v == "true" || v == "false" => v.to_string(),
        _ => serde_json::Value::from(v).to_string(),
    }
}

/// Excel's limits: rows per sheet and characters per cell.
const XLSX_MAX_ROWS: usize = 1_048_576;
const XLSX_MAX_CHARS: usize = 32_767;

fn xlsx_bytes(out: &Outputs) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    // A fixed creation date keeps the workbook byte-identical from run to run.
    let props = DocProperties::new()
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?)
        .set_title("gongkai");
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    for s in &out.sheets {
        let per_sheet = XLSX_MAX_ROWS - 1;
        let chunks: Vec<&[Vec<String>]> = if s.rows.is_empty() {
            vec![&s.rows[..]]
        } else {
            s.rows.chunks(per_sheet).collect()
        };
        for (n, chunk) in chunks.iter().enumerate() {
            let ws = wb.add_worksheet();
            let name = if n == 0 {
                s.spec.name.to_string()
            } else {
                format!("{} ({})", s.spec.name, n + 1)
            };
            ws.set_name(name)?;
            for (c, (col, _)) in s.spec.columns.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *col, &bold)?;
            }
            for (r, row) in chunk.iter().enumerate() {
                let xr = (r + 1) as u32;
                for (c, (_, ty)) in s.spec.columns.iter().enumerate() {
                    let v = row.get(c).map(String::as_str).unwrap_or("");
                    if v.is_empty() {
                        continue;
                    }
                    let xc = c as u16;
                    match ty {
                        Number => match v.parse::<f64>() {
                            Ok(n) => ws.write_number(xr, xc, n)?,
                            Err(_) => ws.write_string(xr, xc, v)?,
                        },
                        Bool => match v {
                            "true" => ws.write_boolean(xr, xc, true)?,
                            "false" => ws.write_boolean(xr, xc, false)?,
                            _ => ws.write_string(xr, xc, v)?,
                        },
                        Text => {
                            let t: String = v.chars().take(XLSX_MAX_CHARS).collect();
                            ws.write_string(xr, xc, t)?
                        }
                    };
                }
            }
        }
    }
    wb.save_to_buffer()
}

/// Writes `dir/name` via `dir/.name.tmp`: write, fsync, rename.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let dest = dir.join(name);
    let io = |p: &Path| {
        let p = p.to_string_lossy().into_owned();
        move |e| OutputError::Io { path: p, source: e }
    };
    let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    f.write_all(bytes).map_err(io(&tmp))?;
    f.sync_all().map_err(io(&tmp))?;
    drop(f);
    std::fs::rename(&tmp, &dest).map_err(io(&dest))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_decimals() {
        assert_eq!(page_ranges(&[3, 4, 5, 9]), "3-5,9");
        assert_eq!(page_ranges(&[12, 13]), "12-13");
        assert_eq!(page_ranges(&[3, 5]), "3,5");
        assert_eq!(page_ranges(&[]), "");
        assert_eq!(dec("93.00".parse().unwrap()), "93");
        assert_eq!(dec("1953.850".parse().unwrap()), "1953.85");
        assert_eq!(dec("-0.00".parse().unwrap()), "0");
        assert_eq!(dec(Decimal::new(12345, 8)), "0.00012345");
    }

    #[test]
    fn json_values_by_type() {
        assert_eq!(json_value("1.5", Number), "1.5");
        assert_eq!(json_value("", Number), "null");
        assert_eq!(json_value("", Text), "\"\"");
        assert_eq!(json_value("true", Bool), "true");
        assert_eq!(json_value("a\"b", Text), "\"a\\\"b\"");
    }
}
