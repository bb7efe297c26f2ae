//! Simple-font encodings: the byte → Unicode table of a Type 1 / TrueType / Type 3 font from
//! its /Encoding (WinAnsi, MacRoman, Standard, MacExpert, or a dictionary with /BaseEncoding
//! and /Differences). Base tables and the Adobe glyph list come from lopdf's public font
//! encoding API; glyph names it does not know (uniXXXX, uXXXX[XX], single characters, and
//! glyph-id names gXX/glyphXX/cidXX which carry no Unicode) are resolved here.

use super::deref;
use lopdf::{Dictionary, Document, Object};

/// Byte code → character; `'\0'` for codes with no known character.
pub type SimpleTable = [char; 256];

/// The decoded table for `encoding` (the font's /Encoding value, already dereferenced or
/// absent). `fallback` names the base encoding used when neither /Encoding nor /BaseEncoding
/// say.
pub fn simple_table(doc: &Document, encoding: Option<&Object>, fallback: &[u8]) -> SimpleTable {
    let mut table = ['\0'; 256];
    let (base_name, differences) = match encoding {
        Some(Object::Name(n)) => (n.as_slice(), None),
        Some(Object::Dictionary(d)) => {
            let base = d
                .get(b"BaseEncoding")
                .and_then(Object::as_name)
                .unwrap_or(fallback);
            let diff = d
                .get(b"Differences")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok());
            (base, diff)
        }
        _ => (fallback, None),
    };
    fill_base(&mut table, base_name);
    if let Some(diff) = differences {
        let mut code: usize = 0;
        for item in diff {
            match deref(doc, item) {
                Object::Integer(i) => code = usize::try_from(*i).unwrap_or(256),
                Object::Name(name) => {
                    if let Some(slot) = table.get_mut(code) {
                        *slot = glyph_name_to_char(name).unwrap_or('\0');
                    }
                    code = code.saturating_add(1);
                }
                _ => {}
            }
        }
    }
    table
}

/// A font dictionary carrying only `/Encoding`, so lopdf hands back its built-in table.
fn probe_font(encoding: Object) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Font".to_vec()));
    d.set("Encoding", encoding);
    d
}

fn fill_base(table: &mut SimpleTable, name: &[u8]) {
    let name: &[u8] = match name {
        b"WinAnsiEncoding" | b"MacRomanEncoding" | b"MacExpertEncoding" | b"StandardEncoding" => {
            name
        }
        _ => b"StandardEncoding",
    };
    let doc = Document::new();
    let font = probe_font(Object::Name(name.to_vec()));
    let Ok(enc) = font.get_font_encoding(&doc) else {
        return;
    };
    let mut s = String::new();
    for (code, slot) in table.iter_mut().enumerate() {
        s.clear();
        let byte = [u8::try_from(code).unwrap_or(0)];
        if enc.write_to_string(&byte, &mut s).is_ok()
            && let Some(c) = s.chars().next()
        {
            *slot = c;
        }
    }
}

/// Unicode for an Adobe glyph name (AGL names, uniXXXX, uXXXX..uXXXXXX, `name.suffix`).
pub fn glyph_name_to_char(name: &[u8]) -> Option<char> {
    // `a.sc`, `one.oldstyle`: the part before the first period names the character.
    let base = name.split(|&b| b == b'.').next().unwrap_or(name);
    let base = base.split(|&b| b == b'_').next().unwrap_or(base);
    if base.is_empty() {
        return None;
    }
    if let Some(hex) = base.strip_prefix(b"uni")
        && hex.len() >= 4
        && hex.iter().all(u8::is_ascii_hexdigit)
    {
        return parse_hex(hex.get(..4)?).and_then(char::from_u32);
    }
    if let Some(hex) = base.strip_prefix(b"u")
        && (4..=6).contains(&hex.len())
        && hex.iter().all(u8::is_ascii_hexdigit)
    {
        return parse_hex(hex).and_then(char::from_u32);
    }
    if let Some(c) = agl_lookup(base) {
        return Some(c);
    }
    // A one-letter name not in the list (some producers name glyphs by their character).
    if base.len() == 1 && base.first().is_some_and(u8::is_ascii_alphanumeric) {
        return base.first().map(|&b| char::from(b));
    }
    None
}

fn parse_hex(h: &[u8]) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
}

/// Looks a glyph name up in lopdf's Adobe glyph list through a one-entry /Differences.
fn agl_lookup(name: &[u8]) -> Option<char> {
    let mut enc = Dictionary::new();
    enc.set(
        "Differences",
        Object::Array(vec![Object::Integer(65), Object::Name(name.to_vec())]),
    );
    let font = probe_font(Object::Dictionary(enc));
    let doc = Document::new();
    let encoding = font.get_font_encoding(&doc).ok()?;
    // Unknown names make lopdf fall back to StandardEncoding, where 65 is 'A': only trust
    // that answer when the name really is "A".
    let s = encoding.bytes_to_string(b"A").ok()?;
    let c = s.chars().next()?;
    if c == 'A' && name != b"A" {
        return None;
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_char(b"uni4E2D"), Some('中'));
        assert_eq!(glyph_name_to_char(b"u20AC"), Some('€'));
        assert_eq!(glyph_name_to_char(b"Euro"), Some('€'));
        assert_eq!(glyph_name_to_char(b"zero.oldstyle"), Some('0'));
        assert_eq!(glyph_name_to_char(b"g123"), None);
        assert_eq!(glyph_name_to_char(b"A"), Some('A'));
    }

    #[test]
    fn win_ansi_table() {
        let doc = Document::new();
        let t = simple_table(
            &doc,
            Some(&Object::Name(b"WinAnsiEncoding".to_vec())),
            b"StandardEncoding",
        );
        assert_eq!(t[0x41], 'A');
        assert_eq!(t[0x80], '€');
        let t = simple_table(&doc, None, b"StandardEncoding");
        assert_eq!(t[0x27], '’');
    }
}
