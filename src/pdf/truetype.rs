//! Glyph → Unicode from an embedded TrueType/OpenType font's own `cmap` table, the last resort
//! for Identity-H text whose font has no (or a broken) ToUnicode map.
//!
//! ttf-parser decodes the subtables. Before asking it to enumerate a subtable we size the
//! subtable ourselves from the raw bytes, because enumeration walks every code of every range
//! and a corrupt range (e.g. 0–0xFFFFFFFF) would otherwise take minutes.

use std::collections::HashMap;

use ttf_parser::cmap::Subtable;
use ttf_parser::{PlatformId, RawFace, Tag};

use super::unicode::fold_compat;

/// No sane subtable maps more codes than Unicode has code points.
const MAX_SUBTABLE_CODES: u64 = 0x11_0000;

/// Which subtables to trust first: full-repertoire Unicode, BMP Unicode, Windows symbol, Mac
/// Roman. Others (legacy CJK encodings, custom) are not consulted.
fn subtable_rank(subtable: &Subtable) -> Option<u8> {
    match (subtable.platform_id, subtable.encoding_id) {
        (PlatformId::Windows, 10) | (PlatformId::Unicode, 4 | 6) if subtable.is_unicode() => {
            Some(0)
        }
        _ if subtable.is_unicode() => Some(1),
        (PlatformId::Windows, 0) => Some(2),
        (PlatformId::Macintosh, 0) => Some(3),
        _ => None,
    }
}

/// Maps each glyph id of `font_file` (a TrueType/OpenType font, or the first face of a
/// collection) to the character its `cmap` assigns to it. When several code points share a
/// glyph the plainest wins (not private-use, then the lowest), and radicals / compatibility
/// ideographs are folded to their ideograph. Garbage input yields an empty map.
pub fn gid_to_unicode(font_file: &[u8]) -> HashMap<u16, char> {
    let mut best: HashMap<u16, (u8, bool, char)> = HashMap::new();
    let Ok(face) = RawFace::parse(font_file, 0) else {
        return HashMap::new();
    };
    let Some(cmap_data) = face.table(Tag::from_bytes(b"cmap")) else {
        return HashMap::new();
    };
    let Some(cmap) = ttf_parser::cmap::Table::parse(cmap_data) else {
        return HashMap::new();
    };
    let mut subtables: Vec<(u8, u16, Subtable)> = Vec::new();
    for index in 0..cmap.subtables.len() {
        let Some(subtable) = cmap.subtables.get(index) else {
            continue;
        };
        let Some(rank) = subtable_rank(&subtable) else {
            continue;
        };
        let size = record_offset(cmap_data, index).and_then(|o| code_count(cmap_data, o));
        if size.is_some_and(|n| n <= MAX_SUBTABLE_CODES) {
            subtables.push((rank, index, subtable));
        }
    }
    subtables.sort_by_key(|&(rank, index, _)| (rank, index));
    for (rank, _, subtable) in &subtables {
        subtable.codepoints(|code| {
            let Some(gid) = subtable.glyph_index(code) else {
                return;
            };
            let Some(ch) = code_to_char(*rank, code) else {
                return;
            };
            let ch = fold_compat(ch);
            let private = is_private_use(ch);
            let candidate = (*rank, private, ch);
            best.entry(gid.0)
                .and_modify(|held| {
                    if candidate < *held {
                        *held = candidate;
                    }
                })
                .or_insert(candidate);
        });
    }
    best.into_iter()
        .map(|(gid, (_, _, ch))| (gid, ch))
        .collect()
}

/// The character a code of a subtable of `rank` stands for.
fn code_to_char(rank: u8, code: u32) -> Option<char> {
    match rank {
        // Symbol fonts put their byte codes at U+F0xx (the byte itself is what the PDF's
        // simple-font encoding used).
        2 => char::from_u32(if (0xF000..=0xF0FF).contains(&code) {
            code - 0xF000
        } else {
            code
        }),
        3 => {
            let byte = [u8::try_from(code).ok()?];
            let (text, _) = encoding_rs::MACINTOSH.decode_without_bom_handling(&byte);
            text.chars().next()
        }
        _ => char::from_u32(code),
    }
    .filter(|&c| c != '\0')
}

fn is_private_use(c: char) -> bool {
    matches!(u32::from(c), 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let hi = read_u16(data, at)?;
    let lo = read_u16(data, at.checked_add(2)?)?;
    Some((u32::from(hi) << 16) | u32::from(lo))
}

/// Offset (within the cmap table) of encoding record `index`'s subtable.
fn record_offset(cmap: &[u8], index: u16) -> Option<usize> {
    let record = 4 + 8 * usize::from(index);
    usize::try_from(read_u32(cmap, record + 4)?).ok()
}

/// How many codes enumerating the subtable at `offset` visits, from its raw header; None when
/// the format is unknown or the bytes are cut short.
fn code_count(cmap: &[u8], offset: usize) -> Option<u64> {
    let at = |delta: usize| offset.checked_add(delta);
    match read_u16(cmap, offset)? {
        0 => Some(256),
        // High-byte mapping: at most 256 first bytes × 256 second bytes.
        2 => Some(65_536),
        4 => {
            let seg_count = usize::from(read_u16(cmap, at(6)?)? / 2);
            let ends = at(14)?;
            let starts = ends.checked_add(2 * seg_count + 2)?;
            let mut total = 0u64;
            for i in 0..seg_count {
                let end = read_u16(cmap, ends + 2 * i)?;
                let start = read_u16(cmap, starts + 2 * i)?;
                if start == 0xFFFF && end == 0xFFFF {
                    break;
                }
                if end >= start {
                    total += u64::from(end - start) + 1;
                }
            }
            Some(total)
        }
        6 => read_u16(cmap, at(8)?).map(u64::from),
        10 => read_u32(cmap, at(16)?).map(u64::from),
        12 | 13 => {
            let groups = usize::try_from(read_u32(cmap, at(12)?)?).ok()?;
            let first = at(16)?;
            let mut total = 0u64;
            for i in 0..groups {
                let group = first.checked_add(i.checked_mul(12)?)?;
                let start = read_u32(cmap, group)?;
                let end = read_u32(cmap, group + 4)?;
                if end >= start {
                    total += u64::from(end - start) + 1;
                }
                if total > MAX_SUBTABLE_CODES {
                    return Some(total);
                }
            }
            Some(total)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MICROHEI: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// A font holding only a `cmap` table with the given (platform, encoding, subtable) list.
    fn font_with_cmap(subtables: &[(u16, u16, Vec<u8>)]) -> Vec<u8> {
        let mut cmap = Vec::new();
        cmap.extend(0u16.to_be_bytes());
        cmap.extend((subtables.len() as u16).to_be_bytes());
        let mut offset = 4 + 8 * subtables.len();
        for (platform, encoding, body) in subtables {
            cmap.extend(platform.to_be_bytes());
            cmap.extend(encoding.to_be_bytes());
            cmap.extend((offset as u32).to_be_bytes());
            offset += body.len();
        }
        for (_, _, body) in subtables {
            cmap.extend(body);
        }
        let mut font = Vec::new();
        font.extend(0x0001_0000u32.to_be_bytes());
        font.extend(1u16.to_be_bytes()); // numTables
        font.extend([0u8; 6]); // searchRange, entrySelector, rangeShift
        font.extend(b"cmap");
        font.extend(0u32.to_be_bytes()); // checksum
        font.extend(28u32.to_be_bytes()); // offset: 12-byte header + one 16-byte record
        font.extend((cmap.len() as u32).to_be_bytes());
        font.extend(cmap);
        font
    }

    /// A format 4 subtable mapping each (start, end, first gid) segment.
    fn format4(segments: &[(u16, u16, u16)]) -> Vec<u8> {
        let mut segs: Vec<(u16, u16, u16)> = segments
            .iter()
            .map(|&(s, e, g)| (s, e, g.wrapping_sub(s)))
            .collect();
        segs.push((0xFFFF, 0xFFFF, 1));
        let n = segs.len() as u16;
        let mut body = Vec::new();
        for v in [4u16, 16 + 8 * n, 0, 2 * n, 0, 0, 0] {
            body.extend(v.to_be_bytes());
        }
        segs.iter().for_each(|s| body.extend(s.1.to_be_bytes()));
        body.extend(0u16.to_be_bytes());
        segs.iter().for_each(|s| body.extend(s.0.to_be_bytes()));
        segs.iter().for_each(|s| body.extend(s.2.to_be_bytes()));
        segs.iter().for_each(|_| body.extend(0u16.to_be_bytes()));
        body
    }

    fn format12(groups: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend(12u16.to_be_bytes());
        body.extend(0u16.to_be_bytes());
        body.extend((16 + 12 * groups.len() as u32).to_be_bytes());
        body.extend(0u32.to_be_bytes());
        body.extend((groups.len() as u32).to_be_bytes());
        for (s, e, g) in groups {
            body.extend(s.to_be_bytes());
            body.extend(e.to_be_bytes());
            body.extend(g.to_be_bytes());
        }
        body
    }

    #[test]
    fn system_cjk_font() {
        let Ok(data) = std::fs::read(MICROHEI) else {
            panic!("{MICROHEI} is missing: install the Debian package fonts-wqy-microhei");
        };
        let map = gid_to_unicode(&data);
        let face = ttf_parser::Face::parse(&data, 0)
            .unwrap_or_else(|e| panic!("{MICROHEI} does not parse: {e}"));
        for ch in "公开部门预算三公经费（）：,.0123456789支出".chars() {
            let gid = face.glyph_index(ch).map(|g| g.0);
            assert!(gid.is_some(), "{ch} not in font");
            assert_eq!(gid.and_then(|g| map.get(&g)).copied(), Some(ch), "{ch}");
        }
        assert!(map.len() > 20_000, "{}", map.len());
        assert!(
            map.values()
                .all(|&c| !('\u{2E80}'..='\u{2FDF}').contains(&c))
        );
    }

    #[test]
    fn shared_glyphs_prefer_the_ideograph() {
        // Glyph 5 is both the radical ⽉ (U+2F49) and 月; glyph 6 is PUA U+E000 and 'A'.
        let font = font_with_cmap(&[(
            3,
            1,
            format4(&[
                (0x41, 0x41, 6),
                (0x2F49, 0x2F49, 5),
                (0x6708, 0x6708, 5),
                (0xE000, 0xE000, 6),
            ]),
        )]);
        let map = gid_to_unicode(&font);
        assert_eq!(map.get(&5), Some(&'月'));
        assert_eq!(map.get(&6), Some(&'A'));
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn symbol_and_mac_roman_subtables() {
        let mut mac = vec![0u8, 0, 1, 6, 0, 0];
        let mut glyphs = [0u8; 256];
        glyphs[0x41] = 9;
        glyphs[0x80] = 10; // Mac Roman 0x80 is Ä
        mac.extend(glyphs);
        let font = font_with_cmap(&[(3, 0, format4(&[(0xF030, 0xF032, 20)])), (1, 0, mac)]);
        let map = gid_to_unicode(&font);
        assert_eq!(map.get(&20), Some(&'0'));
        assert_eq!(map.get(&22), Some(&'2'));
        assert_eq!(map.get(&9), Some(&'A'));
        assert_eq!(map.get(&10), Some(&'Ä'));
        // A Unicode subtable outranks the symbol one for the same glyph.
        let font = font_with_cmap(&[
            (3, 0, format4(&[(0xF041, 0xF041, 3)])),
            (0, 3, format4(&[(0x516C, 0x516C, 3)])),
        ]);
        assert_eq!(gid_to_unicode(&font).get(&3), Some(&'公'));
    }

    #[test]
    fn corrupt_fonts_are_harmless() {
        assert!(gid_to_unicode(b"").is_empty());
        assert!(gid_to_unicode(b"not a font at all, just text").is_empty());
        // A format 12 group spanning every u32 is refused rather than enumerated.
        let huge = font_with_cmap(&[(3, 10, format12(&[(0, u32::MAX, 1)]))]);
        assert!(gid_to_unicode(&huge).is_empty());
        let fine = font_with_cmap(&[(3, 10, format12(&[(0x20000, 0x20001, 7)]))]);
        assert_eq!(gid_to_unicode(&fine).get(&8), Some(&'\u{20001}'));
        // Every truncation of a valid font parses without panicking.
        let font = font_with_cmap(&[(3, 1, format4(&[(0x4E00, 0x4E10, 1)]))]);
        for len in 0..font.len() {
            let _ = gid_to_unicode(font.get(..len).unwrap_or_default());
        }
        assert_eq!(gid_to_unicode(&font).len(), 17);
    }
}
