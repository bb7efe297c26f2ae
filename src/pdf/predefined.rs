//! The predefined CMaps a PDF may name without embedding them (PDF 32000-1 §9.7.5.2) for the
//! Adobe-GB1 (simplified Chinese) collection, the Identity CMaps, and the Adobe-GB1 CID →
//! Unicode table.
//!
//! The CMap files are Adobe's, compiled in verbatim from `data/cmap/Adobe-GB1/` (origin and
//! BSD-3-Clause licence in `data/README.md`) and parsed on first use by our own parser, once
//! per process.

use once_cell::sync::Lazy;

use super::cmap::CMap;

macro_rules! adobe_gb1 {
    ($($static:ident = $file:literal;)*) => {
        $(
            static $static: Lazy<CMap> = Lazy::new(|| {
                CMap::parse(include_bytes!(concat!("../../data/cmap/Adobe-GB1/", $file)))
            });
        )*
    };
}

adobe_gb1! {
    GBK_EUC_H = "GBK-EUC-H";
    GBK_EUC_V = "GBK-EUC-V";
    GBKP_EUC_H = "GBKp-EUC-H";
    GBKP_EUC_V = "GBKp-EUC-V";
    GBK2K_H = "GBK2K-H";
    GBK2K_V = "GBK2K-V";
    GB_EUC_H = "GB-EUC-H";
    GB_EUC_V = "GB-EUC-V";
    GBPC_EUC_H = "GBpc-EUC-H";
    GBPC_EUC_V = "GBpc-EUC-V";
    UNIGB_UCS2_H = "UniGB-UCS2-H";
    UNIGB_UCS2_V = "UniGB-UCS2-V";
    UNIGB_UTF16_H = "UniGB-UTF16-H";
    UNIGB_UTF16_V = "UniGB-UTF16-V";
}

static IDENTITY_H: Lazy<CMap> = Lazy::new(|| CMap::identity(false));
static IDENTITY_V: Lazy<CMap> = Lazy::new(|| CMap::identity(true));

/// Every name [`predefined`] knows, for callers that want to report unsupported encodings.
pub const PREDEFINED_NAMES: &[&str] = &[
    "GBK-EUC-H",
    "GBK-EUC-V",
    "GBKp-EUC-H",
    "GBKp-EUC-V",
    "GBK2K-H",
    "GBK2K-V",
    "GB-EUC-H",
    "GB-EUC-V",
    "GBpc-EUC-H",
    "GBpc-EUC-V",
    "UniGB-UCS2-H",
    "UniGB-UCS2-V",
    "UniGB-UTF16-H",
    "UniGB-UTF16-V",
    "Identity-H",
    "Identity-V",
];

/// The predefined CMap called `name` (e.g. "GBK-EUC-H", "UniGB-UCS2-H", "Identity-H"), parsed
/// on first use.
pub fn predefined(name: &str) -> Option<&'static CMap> {
    let cmap: &'static Lazy<CMap> = match name.strip_prefix('/').unwrap_or(name) {
        "GBK-EUC-H" => &GBK_EUC_H,
        "GBK-EUC-V" => &GBK_EUC_V,
        "GBKp-EUC-H" => &GBKP_EUC_H,
        "GBKp-EUC-V" => &GBKP_EUC_V,
        "GBK2K-H" => &GBK2K_H,
        "GBK2K-V" => &GBK2K_V,
        "GB-EUC-H" => &GB_EUC_H,
        "GB-EUC-V" => &GB_EUC_V,
        "GBpc-EUC-H" => &GBPC_EUC_H,
        "GBpc-EUC-V" => &GBPC_EUC_V,
        "UniGB-UCS2-H" => &UNIGB_UCS2_H,
        "UniGB-UCS2-V" => &UNIGB_UCS2_V,
        "UniGB-UTF16-H" => &UNIGB_UTF16_H,
        "UniGB-UTF16-V" => &UNIGB_UTF16_V,
        "Identity-H" => &IDENTITY_H,
        "Identity-V" => &IDENTITY_V,
        _ => return None,
    };
    Some(Lazy::force(cmap))
}

/// Adobe-GB1 CID → Unicode, indexed by CID. Built from Adobe's Adobe-GB1-UCS2 CMap, which maps
/// each CID (as a two-byte code) to UTF-16. A few CIDs map to an ideograph plus a variation
/// selector; the table keeps the ideograph. U+FFFD (CID 0, .notdef) means "no character".
static ADOBE_GB1: Lazy<Vec<Option<char>>> = Lazy::new(|| {
    let cmap = CMap::parse(include_bytes!("../../data/cmap/Adobe-GB1/Adobe-GB1-UCS2"));
    let mut table: Vec<Option<char>> = Vec::new();
    for (cid, text) in cmap.unicode_entries() {
        let Some(ch) = text
            .chars()
            .next()
            .filter(|&c| c != char::REPLACEMENT_CHARACTER)
        else {
            continue;
        };
        let Ok(index) = usize::try_from(cid) else {
            continue;
        };
        if index >= table.len() {
            table.resize(index + 1, None);
        }
        if let Some(slot) = table.get_mut(index) {
            *slot = Some(ch);
        }
    }
    table
});

/// The Unicode character of Adobe-GB1 CID `cid`, if the collection assigns one.
pub fn adobe_gb1_to_unicode(cid: u32) -> Option<char> {
    ADOBE_GB1.get(usize::try_from(cid).ok()?).copied().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` through an encoding CMap and the Adobe-GB1 collection.
    fn decode(cmap: &CMap, bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut rest = bytes;
        while let Some((code, len)) = cmap.next_code(rest) {
            if let Some(ch) = cmap.to_cid(code).and_then(adobe_gb1_to_unicode) {
                out.push(ch);
            }
            rest = rest.get(len..).unwrap_or_default();
        }
        out
    }

    #[test]
    fn every_name_loads() {
        for name in PREDEFINED_NAMES {
            let cmap = predefined(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(cmap.is_vertical(), name.ends_with("-V"), "{name}");
            if !name.starts_with("Identity") {
                assert_eq!(cmap.name(), Some(*name));
            }
            // Every CMap maps the ideograph 公 (GBK B9AB, U+516C) to the same CID.
            let code = if name.starts_with("Uni") || name.starts_with("Identity") {
                [0x51, 0x6c]
            } else {
                [0xb9, 0xab]
            };
            let (code, len) = cmap.next_code(&code).unwrap_or_default();
            assert_eq!(len, 2, "{name}");
            if !name.starts_with("Identity") {
                let cid = cmap.to_cid(code);
                assert_eq!(cid.and_then(adobe_gb1_to_unicode), Some('公'), "{name}");
            }
        }
        assert!(predefined("Adobe-Japan1-UCS2").is_none());
        assert!(predefined("/GBK-EUC-H").is_some());
    }

    #[test]
    fn gbk_euc_h() {
        let cmap = predefined("GBK-EUC-H").unwrap_or_else(|| panic!("GBK-EUC-H"));
        let cid = cmap.to_cid(0xb9ab);
        assert!(cid.is_some());
        assert_eq!(cid.and_then(adobe_gb1_to_unicode), Some('公'));
        // "2024年部门预算公开（含三公）" in GBK, with ASCII digits as single bytes.
        let (gbk, _, _) = encoding_rs::GBK.encode("2024年部门预算公开（含三公）");
        assert_eq!(decode(cmap, &gbk), "2024年部门预算公开（含三公）");
        // GBK-only (non-GB2312) characters decode too: 镕 is GBK E946.
        assert_eq!(decode(cmap, &encoding_rs::GBK.encode("朱镕基").0), "朱镕基");
        // Codes 00–1F are .notdef (CID 7716 in the file).
        assert_eq!(cmap.to_cid(0x05), Some(7716));
    }

    #[test]
    fn gb_euc_h_and_vertical_variant() {
        let h = predefined("GB-EUC-H").unwrap_or_else(|| panic!("GB-EUC-H"));
        let v = predefined("GB-EUC-V").unwrap_or_else(|| panic!("GB-EUC-V"));
        let text = "一般公共预算财政拨款支出表";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(h, &bytes), text);
        assert_eq!(decode(v, &bytes), text);
        // GB-EUC-V overrides the full-width parentheses with vertical-form CIDs and inherits
        // the codespace from GB-EUC-H through usecmap.
        assert_ne!(h.to_cid(0xa3a8), v.to_cid(0xa3a8));
        assert_eq!(v.next_code(&[0xa3, 0xa8]), Some((0xa3a8, 2)));
    }

    #[test]
    fn unigb_ucs2_and_utf16() {
        let ucs2 = predefined("UniGB-UCS2-H").unwrap_or_else(|| panic!("UniGB-UCS2-H"));
        let cid = ucs2.to_cid(0x516c);
        assert_eq!(cid.and_then(adobe_gb1_to_unicode), Some('公'));
        let utf16 = predefined("UniGB-UTF16-H").unwrap_or_else(|| panic!("UniGB-UTF16-H"));
        assert_eq!(utf16.to_cid(0x516c), cid);
        // A surrogate pair is one four-byte code.
        let (code, len) = utf16
            .next_code(&[0xd8, 0x40, 0xdc, 0x87, 0x51, 0x6c])
            .unwrap_or_default();
        assert_eq!((code, len), (0xd840dc87, 4));
        let text = "三公经费：公务接待费";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(ucs2, &bytes), text);
        assert_eq!(decode(utf16, &bytes), text);
    }

    #[test]
    fn adobe_gb1_collection() {
        assert_eq!(adobe_gb1_to_unicode(0), None);
        // CID 1 is the space, CIDs 16–25 the proportional digits.
        assert_eq!(adobe_gb1_to_unicode(1), Some(' '));
        assert_eq!(adobe_gb1_to_unicode(17), Some('0'));
        assert_eq!(adobe_gb1_to_unicode(u32::MAX), None);
        let mapped = (0..40_000).filter_map(adobe_gb1_to_unicode).count();
        // Adobe-GB1-5 has 30,284 CIDs; nearly all carry a character.
        assert!(mapped > 29_000, "{mapped}");
    }
}
