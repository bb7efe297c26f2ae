//! Runs every stage for one input file and collects what each produced. Never panics on bad
//! input: every failure becomes a [`DocResult`] with a status and a reason.

use crate::checks::{self, Finding, Sangong};
use crate::layout::{self, Layout};
use crate::narrative::{self, Amount};
use crate::pdf::{self, PdfError};
use crate::recognize::{self, Recognized};
use crate::source::{Input, InputKind};

/// How a document ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    Ok,
    NoTextLayer,
    Encrypted,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoTextLayer => "no_text_layer",
            Status::Encrypted => "encrypted",
            Status::Failed => "failed",
        }
    }
}

/// Options that change how one document is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these 1-based pages (None: all).
    pub pages: Option<Vec<usize>>,
    pub password: Option<String>,
}

/// Everything gongkai learned about one input file.
#[derive(Debug, Clone)]
pub struct DocResult {
    pub file: String,
    pub sha256: String,
    pub pages: usize,
    pub producer: Option<String>,
    pub status: Status,
    pub error: Option<String>,
    pub recognized: Recognized,
    pub amounts: Vec<Amount>,
    pub sangong: Option<Sangong>,
    pub findings: Vec<Finding>,
}

impl DocResult {
    /// A result for a file that could not be processed.
    pub fn failed(file: &str, sha256: String, status: Status, error: String) -> DocResult {
        DocResult {
            file: file.to_string(),
            sha256,
            pages: 0,
            producer: None,
            status,
            error: Some(error),
            recognized: Recognized::default(),
            amounts: Vec::new(),
            sangong: None,
            findings: Vec::new(),
        }
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Decodes a plain-text disclosure: UTF-8 (with or without BOM), else GB18030 (a superset of
/// GBK and GB2312, the other encoding Chinese Windows tools write).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// Processes one input file through every stage.
pub fn process(input: &Input, opts: &Options) -> DocResult {
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            return DocResult::failed(
                &input.display,
                String::new(),
                Status::Failed,
                format!("cannot read file: {e}"),
            );
        }
    };
    let sha = sha256_hex(&bytes);
    process_bytes(&input.display, input.kind, &bytes, sha, opts)
}

/// Processes a file already in memory.
pub fn process_bytes(
    file: &str,
    kind: InputKind,
    bytes: &[u8],
    sha256: String,
    opts: &Options,
) -> DocResult {
    let (layout, pages, producer) = match kind {
        InputKind::Text => {
            let layout = layout::from_text(&decode_text(bytes));
            let n = layout.pages.len();
            (layout, n, None)
        }
        InputKind::Pdf => match read_pdf(bytes, opts) {
            Ok(v) => v,
            Err((status, msg)) => return DocResult::failed(file, sha256, status, msg),
        },
    };
    let recognized = recognize::recognize(&layout);
    let amounts = narrative::extract(&layout, &recognized.facts);
    let (sangong, findings) = checks::run(&recognized, &amounts);
    DocResult {
        file: file.to_string(),
        sha256,
        pages,
        producer,
        status: Status::Ok,
        error: None,
        recognized,
        amounts,
        sangong: Some(sangong),
        findings,
    }
}

type PdfRead = (Layout, usize, Option<String>);

/// Reads and lays out the selected pages of a PDF; an image-only document is an error with
/// status `no_text_layer`, so it is never reported as an empty success.
fn read_pdf(bytes: &[u8], opts: &Options) -> Result<PdfRead, (Status, String)> {
    let doc = pdf::Document::load(bytes, opts.password.as_deref()).map_err(|e| match e {
        PdfError::Encrypted(_) => (Status::Encrypted, e.to_string()),
        _ => (Status::Failed, e.to_string()),
    })?;
    let total = doc.page_count();
    let wanted: Vec<usize> = match &opts.pages {
        Some(list) => list
            .iter()
            .copied()
            .filter(|&p| p >= 1 && p <= total)
            .collect(),
        None => (1..=total).collect(),
    };
    let mut layout = Layout::default();
    let mut textless = 0usize;
    for &n in &wanted {
        let page = doc
            .page(n)
            .map_err(|e| (Status::Failed, format!("page {n}: {e}")))?;
        if page.glyphs.is_empty() {
            textless += 1;
        }
        layout.pages.push(layout::layout_page(&page));
    }
    if !wanted.is_empty() && textless == wanted.len() {
        return Err((
            Status::NoTextLayer,
            format!("no text layer: {textless} of {} pages", wanted.len()),
        ));
    }
    Ok((layout, total, doc.producer()))
}

/// Parses a page selection such as `1-5,9` into ascending, distinct 1-based page numbers.
pub fn parse_pages(spec: &str) -> Result<Vec<usize>, String> {
    let mut pages = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let num = |s: &str| -> Result<usize, String> {
            match s.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(format!(
                    "bad page number `{s}` in `{spec}` (pages start at 1)"
                )),
            }
        };
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (num(a)?, num(b)?);
                // The cap keeps a typo like 1-999999999 from allocating gigabytes.
                if a > b || b - a > 100_000 {
                    return Err(format!("bad page range `{part}` in `{spec}`"));
                }
                pages.extend(a..=b);
            }
            None => pages.push(num(part)?),
        }
    }
    if pages.is_empty() {
        return Err(format!("no pages in `{spec}`"));
    }
    pages.sort_unstable();
    pages.dedup();
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_lists() {
        assert_eq!(parse_pages("1-3,9,2").unwrap(), vec![1, 2, 3, 9]);
        assert_eq!(parse_pages(" 4 ").unwrap(), vec![4]);
        assert!(parse_pages("0").is_err());
        assert!(parse_pages("5-2").is_err());
        assert!(parse_pages("a").is_err());
        assert!(parse_pages("").is_err());
    }

    #[test]
    fn decodes_gbk_text() {
        let (gbk, _, _) = encoding_rs::GBK.encode("三公经费");
        assert_eq!(decode_text(&gbk), "三公经费");
        assert_eq!(decode_text("\u{feff}预算".as_bytes()), "预算");
    }
}
