//! Writes the results: tables.csv, cells.csv, amounts.csv, sangong.csv, checks.csv,
//! documents.csv (and, on request, an xlsx workbook and JSON lines).
