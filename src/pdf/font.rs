//! Font loading: glyph widths, writing mode and how a shown string's bytes become codes,
//! glyph advances and Unicode text (ToUnicode, predefined CJK CMaps and the Adobe-GB1
//! collection, an embedded TrueType font's cmap, simple-font encodings).

use super::deref;
use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::encoding::{SimpleTable, simple_table};
use super::predefined::{adobe_gb1_to_unicode, predefined};
use super::truetype::gid_to_unicode;
use super::unicode::fold_compat;

/// How many bytes of a font program or CMap stream we decode at most (decompression bombs).
const MAX_STREAM: usize = 64 << 20;

/// One decoded character code of a shown string.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    pub code: u32,
    /// Byte length of the code (word spacing applies to the one-byte code 32 only).
    pub len: usize,
    /// Advance in text space units per unit font size (horizontal: w0; vertical: w1, negative
    /// downwards).
    pub advance: f32,
}

enum CodeMap {
    Static(&'static CMap),
    Owned(Box<CMap>),
}

impl CodeMap {
    fn get(&self) -> &CMap {
        match self {
            CodeMap::Static(c) => c,
            CodeMap::Owned(c) => c,
        }
    }
}

enum Kind {
    Simple {
        widths: Box<[f32; 256]>,
        table: Box<SimpleTable>,
    },
    Cid {
        encoding: CodeMap,
        /// The encoding is a UCS-2 / UTF-16 CMap: codes are Unicode themselves.
        unicode_codes: bool,
        /// The CIDSystemInfo names Adobe-GB1.
        gb1: bool,
        identity: bool,
        /// (first CID, last CID, width) sorted by first CID.
        widths: Vec<(u32, u32, f32)>,
        default_width: f32,
        vertical: bool,
        /// Vertical advance (DW2's w1), in glyph units.
        vertical_advance: f32,
        gid_map: HashMap<u16, char>,
    },
}

/// A loaded font, ready to decode shown strings.
pub struct Font {
    pub name: String,
    kind: Kind,
    to_unicode: Option<Box<CMap>>,
    /// Glyph-space → text-space scale for widths (1/1000 except Type 3's FontMatrix).
    scale: f32,
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, obj: Option<&Object>) -> Option<Vec<u8>> {
    let stream = deref(doc, obj?).as_stream().ok()?;
    if stream.dict.get(b"Filter").is_ok() {
        stream.get_plain_content_with_limit(MAX_STREAM).ok()
    } else {
        Some(stream.content.clone())
    }
}

impl Font {
    /// Loads a font from its dictionary; never fails (unknown parts fall back to defaults).
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let name = get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let subtype = get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"Type1");
        let to_unicode =
            stream_bytes(doc, dict.get(b"ToUnicode").ok()).map(|d| Box::new(CMap::parse(&d)));
        if subtype == b"Type0" {
            return Font {
                name,
                kind: load_cid(doc, dict),
                to_unicode,
                scale: 0.001,
            };
        }
        let mut scale = 0.001;
        if subtype == b"Type3"
            && let Some(m) = get(doc, dict, b"FontMatrix").and_then(|o| o.as_array().ok())
            && let Some(a) = m.first().map(|o| deref(doc, o)).and_then(num)
            && a.is_finite()
            && a != 0.0
        {
            scale = a;
        }
        let default_width = default_simple_width(&name) / scale.abs().max(1e-6) * 0.001;
        let missing = get(doc, dict, b"FontDescriptor")
            .and_then(|o| o.as_dict().ok())
            .and_then(|fd| get(doc, fd, b"MissingWidth"))
            .and_then(num)
            .filter(|w| *w > 0.0)
            .unwrap_or(default_width);
        let mut widths = Box::new([missing; 256]);
        let first = get(doc, dict, b"FirstChar").and_then(num).unwrap_or(0.0) as i64;
        if let Some(ws) = get(doc, dict, b"Widths").and_then(|o| o.as_array().ok()) {
            for (i, w) in ws.iter().enumerate() {
                let code = first.saturating_add(i as i64);
                if let (Ok(c), Some(w)) = (usize::try_from(code), num(deref(doc, w)))
                    && let Some(slot) = widths.get_mut(c)
                {
                    *slot = w;
                }
            }
        }
        let encoding = get(doc, dict, b"Encoding");
        let symbolic = name.contains("Symbol") || name.contains("Dingbats");
        let fallback: &[u8] = if symbolic { b"" } else { b"StandardEncoding" };
        let mut table = Box::new(simple_table(doc, encoding, fallback));
        if encoding.is_none() && subtype == b"TrueType" {
            // TrueType fonts without /Encoding are drawn through the font's own cmap;
            // WinAnsi is how Windows producers mean them.
            *table = simple_table(doc, None, b"WinAnsiEncoding");
        }
        Font {
            name,
            kind: Kind::Simple { widths, table },
            to_unicode,
            scale,
        }
    }

    /// True when the font writes vertically (Identity-V or a /WMode 1 CMap).
    pub fn vertical(&self) -> bool {
        matches!(self.kind, Kind::Cid { vertical: true, .. })
    }

    /// Splits `bytes` into codes and calls `f` for each; `f` gets the code and the text it maps
    /// to (possibly empty) through `out`, which is reused between calls.
    pub fn for_each_code(&self, bytes: &[u8], out: &mut String, mut f: impl FnMut(Code, &str)) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, len) = match &self.kind {
                Kind::Simple { .. } => (u32::from(rest.first().copied().unwrap_or(0)), 1),
                Kind::Cid { encoding, .. } => match encoding.get().next_code(rest) {
                    Some((c, l)) if l > 0 => (c, l.min(rest.len())),
                    _ => (u32::from(rest.first().copied().unwrap_or(0)), 1),
                },
            };
            rest = rest.get(len..).unwrap_or(&[]);
            out.clear();
            let advance = self.decode_one(code, out);
            f(Code { code, len, advance }, out);
        }
    }

    fn decode_one(&self, code: u32, out: &mut String) -> f32 {
        let from_to_unicode = self
            .to_unicode
            .as_ref()
            .and_then(|c| c.to_unicode(code))
            .filter(|s| !s.is_empty());
        if let Some(s) = from_to_unicode {
            push_folded(out, s.chars());
        }
        match &self.kind {
            Kind::Simple { widths, table } => {
                if from_to_unicode.is_none()
                    && let Some(&c) = table.get(code as usize)
                    && c != '\0'
                {
                    push_folded(out, std::iter::once(c));
                }
                widths.get(code as usize).copied().unwrap_or(0.0) * self.scale
            }
            Kind::Cid {
                encoding,
                unicode_codes,
                gb1,
                identity,
                widths,
                default_width,
                vertical,
                vertical_advance,
                gid_map,
            } => {
                let cid = if *identity {
                    code
                } else {
                    encoding.get().to_cid(code).unwrap_or(0)
                };
                if from_to_unicode.is_none() {
                    let c = if *unicode_codes {
                        decode_utf16_code(code)
                    } else if *identity && !gid_map.is_empty() {
                        u16::try_from(cid)
                            .ok()
                            .and_then(|g| gid_map.get(&g).copied())
                    } else if *gb1 {
                        adobe_gb1_to_unicode(cid)
                    } else {
                        None
                    };
                    if let Some(c) = c {
                        push_folded(out, std::iter::once(c));
                    }
                }
                if *vertical {
                    return vertical_advance * self.scale;
                }
                let w = match widths.binary_search_by(|&(a, _, _)| a.cmp(&cid)) {
                    Ok(i) => widths.get(i).map(|r| r.2),
                    Err(0) => None,
                    Err(i) => widths.get(i - 1).filter(|r| cid <= r.1).map(|r| r.2),
                };
                w.unwrap_or(*default_width) * self.scale
            }
        }
    }
}

fn push_folded(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        out.push(fold_compat(c));
    }
}

/// A UCS-2 / UTF-16BE code (2 bytes, or a 4-byte surrogate pair) as a character.
fn decode_utf16_code(code: u32) -> Option<char> {
    if code > 0xFFFF {
        let hi = u16::try_from(code >> 16).ok()?;
        let lo = u16::try_from(code & 0xFFFF).ok()?;
        return char::decode_utf16([hi, lo]).next()?.ok();
    }
    char::from_u32(code)
}

/// Average glyph width (in 1/1000 em) for fonts without /Widths: the standard 14 fonts are
/// not embedded and often carry no widths.
fn default_simple_width(name: &str) -> f32 {
    if name.contains("Courier") {
        600.0
    } else if name.contains("Times") {
        500.0
    } else {
        556.0
    }
}

fn load_cid(doc: &Document, dict: &Dictionary) -> Kind {
    let descendant = get(doc, dict, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let (encoding, enc_name) = match get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            let name = String::from_utf8_lossy(n).into_owned();
            match predefined(&name) {
                Some(c) => (CodeMap::Static(c), name),
                None => (CodeMap::Static(identity_fallback(&name)), name),
            }
        }
        Some(Object::Stream(s)) => {
            let data = if s.dict.get(b"Filter").is_ok() {
                s.get_plain_content_with_limit(MAX_STREAM)
                    .unwrap_or_default()
            } else {
                s.content.clone()
            };
            let name = s
                .dict
                .get(b"CMapName")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            (CodeMap::Owned(Box::new(CMap::parse(&data))), name)
        }
        _ => (
            CodeMap::Static(identity_fallback("Identity-H")),
            "Identity-H".to_string(),
        ),
    };
    let identity = enc_name.starts_with("Identity");
    let unicode_codes = enc_name.contains("UCS2") || enc_name.contains("UTF16");
    let vertical = encoding.get().is_vertical() || enc_name.ends_with("-V");
    let mut gb1 = false;
    let mut widths = Vec::new();
    let mut default_width = 1000.0;
    let mut vertical_advance = -1000.0;
    let mut gid_map = HashMap::new();
    if let Some(d) = descendant {
        if let Some(info) = get(doc, d, b"CIDSystemInfo").and_then(|o| o.as_dict().ok()) {
            gb1 = get(doc, info, b"Ordering").and_then(|o| o.as_str().ok())
                == Some(b"GB1".as_slice());
        }
        if let Some(dw) = get(doc, d, b"DW").and_then(num) {
            default_width = dw;
        }
        if let Some(dw2) = get(doc, d, b"DW2").and_then(|o| o.as_array().ok())
            && let Some(w1) = dw2.get(1).map(|o| deref(doc, o)).and_then(num)
        {
            vertical_advance = w1;
        }
        if let Some(w) = get(doc, d, b"W").and_then(|o| o.as_array().ok()) {
            widths = parse_w(doc, w);
        }
        if identity && !unicode_codes {
            let fd = get(doc, d, b"FontDescriptor").and_then(|o| o.as_dict().ok());
            if let Some(fd) = fd {
                let file = fd
                    .get(b"FontFile2")
                    .ok()
                    .or_else(|| fd.get(b"FontFile3").ok());
                if let Some(data) = stream_bytes(doc, file) {
                    gid_map = gid_to_unicode(&data);
                }
            }
        }
    }
    Kind::Cid {
        encoding,
        unicode_codes,
        gb1,
        identity,
        widths,
        default_width,
        vertical,
        vertical_advance,
        gid_map,
    }
}

/// Unknown predefined CMap names: read codes as two bytes like Identity (the usual case for
/// CJK producers), keeping the writing mode from the name.
fn identity_fallback(name: &str) -> &'static CMap {
    let id = if name.ends_with("-V") {
        "Identity-V"
    } else {
        "Identity-H"
    };
    predefined(id).unwrap_or_else(|| empty_cmap())
}

fn empty_cmap() -> &'static CMap {
    static EMPTY: once_cell::sync::Lazy<CMap> = once_cell::sync::Lazy::new(|| CMap::parse(b""));
    &EMPTY
}

/// The /W array: `c [w1 w2 ...]` and `c_first c_last w` forms.
fn parse_w(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = w.get(i).map(|o| deref(doc, o)).and_then(num) else {
            i += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = num(deref(doc, v)) {
                        let c = first.saturating_add(k as u32);
                        out.push((c, c, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(0.0).max(0.0) as u32;
                if let Some(v) = w.get(i + 2).map(|o| deref(doc, o)).and_then(num) {
                    out.push((first, last.max(first), v));
                }
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|r| r.0);
    out
}
