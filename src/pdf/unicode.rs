//! Folding of look-alike code points that PDF producers emit for Chinese ideographs.
//!
//! Fonts often give one glyph several code points (月 U+6708 and the radical ⺝ U+2E9D; 支 and
//! the Kangxi radical ⽀), and producers that build ToUnicode maps from the font's cmap then
//! pick the radical. Text search and matching need the ideograph, so this module maps such
//! radicals and the CJK Compatibility Ideographs back to the unified ideograph they stand for,
//! and leaves everything else alone (no general NFKC: full-width punctuation such as （）：
//! is meaningful in these documents and must survive).

use unicode_normalization::char::{decompose_canonical, decompose_compatible};

/// CJK Radicals Supplement (U+2E80–U+2EFF) → the unified ideograph each radical looks like, for
/// the radicals that have a standalone equivalent (forms that only occur as components, such as
/// ⺀ or ⺍, are left unmapped). Sorted by radical.
#[rustfmt::skip]
const RADICALS_SUPPLEMENT: &[(char, char)] = &[
    ('⺁', '厂'), ('⺂', '乛'), ('⺃', '乚'), ('⺅', '亻'), ('⺆', '冂'), ('⺉', '刂'),
    ('⺊', '卜'), ('⺋', '㔾'), ('⺎', '兀'), ('⺏', '尣'), ('⺐', '尢'), ('⺑', '𡯂'),
    ('⺒', '巳'), ('⺓', '幺'), ('⺔', '彑'), ('⺕', '彐'), ('⺖', '忄'), ('⺗', '㣺'),
    ('⺘', '扌'), ('⺙', '攵'), ('⺛', '旡'), ('⺜', '日'), ('⺝', '月'), ('⺞', '歺'),
    ('⺟', '母'), ('⺠', '民'), ('⺡', '氵'), ('⺢', '氺'), ('⺣', '灬'), ('⺤', '爫'),
    ('⺦', '丬'), ('⺨', '犭'), ('⺩', '王'), ('⺫', '罒'), ('⺬', '示'), ('⺭', '礻'),
    ('⺮', '𥫗'), ('⺯', '糸'), ('⺰', '纟'), ('⺱', '罓'), ('⺲', '罒'), ('⺳', '㓁'),
    ('⺹', '耂'), ('⺺', '肀'), ('⺼', '月'), ('⺾', '艹'), ('⺿', '艹'), ('⻀', '艹'),
    ('⻁', '虎'), ('⻂', '衤'), ('⻃', '覀'), ('⻄', '西'), ('⻅', '见'), ('⻆', '角'),
    ('⻈', '讠'), ('⻉', '贝'), ('⻊', '𧾷'), ('⻋', '车'), ('⻌', '辶'), ('⻍', '辶'),
    ('⻎', '辶'), ('⻏', '阝'), ('⻐', '钅'), ('⻑', '長'), ('⻒', '镸'), ('⻓', '长'),
    ('⻔', '门'), ('⻖', '阝'), ('⻗', '雨'), ('⻘', '青'), ('⻙', '韦'), ('⻚', '页'),
    ('⻛', '风'), ('⻜', '飞'), ('⻝', '食'), ('⻞', '𩙿'), ('⻟', '飠'), ('⻠', '饣'),
    ('⻡', '首'), ('⻢', '马'), ('⻣', '骨'), ('⻤', '鬼'), ('⻥', '鱼'), ('⻦', '鸟'),
    ('⻧', '卤'), ('⻨', '麦'), ('⻩', '黄'), ('⻪', '黾'), ('⻫', '斉'), ('⻬', '齐'),
    ('⻭', '歯'), ('⻮', '齿'), ('⻯', '竜'), ('⻰', '龙'), ('⻱', '龜'), ('⻲', '亀'),
    ('⻳', '龟'),
];

/// The unified ideograph `c` stands for when `c` is a CJK radical or a CJK compatibility
/// ideograph; every other character is returned unchanged.
pub fn fold_compat(c: char) -> char {
    match u32::from(c) {
        0x2E80..=0x2EFF => RADICALS_SUPPLEMENT
            .binary_search_by_key(&c, |&(radical, _)| radical)
            .ok()
            .and_then(|i| RADICALS_SUPPLEMENT.get(i))
            .map_or(c, |&(_, ideograph)| ideograph),
        // Kangxi Radicals: each has a compatibility decomposition to its ideograph, except
        // where simplified-Chinese fonts draw the radical as a different code point's glyph:
        // ⼾ decomposes to the traditional 戶 but is 户 in a GB font (and ⾭ to 靑, drawn 青).
        0x2F3E => '户',
        0x2FAD => '青',
        0x2F00..=0x2FDF => single_decomposition(c, true),
        // CJK Compatibility Ideographs (and the Supplement): canonical decompositions; the
        // twelve unified ideographs inside U+FA0E–U+FA29 have none and stay.
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => single_decomposition(c, false),
        _ => c,
    }
}

/// Folds every character of `text` with [`fold_compat`].
pub fn fold_compat_str(text: &str) -> String {
    text.chars().map(fold_compat).collect()
}

/// `c`'s decomposition when it is exactly one character, else `c`.
fn single_decomposition(c: char, compatible: bool) -> char {
    let mut first = None;
    let mut count = 0usize;
    let mut take = |d: char| {
        count += 1;
        first.get_or_insert(d);
    };
    if compatible {
        decompose_compatible(c, &mut take);
    } else {
        decompose_canonical(c, &mut take);
    }
    match (count, first) {
        (1, Some(d)) => d,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_fold_to_ideographs() {
        assert_eq!(fold_compat('\u{2F40}'), '支'); // ⽀ KANGXI RADICAL BRANCH
        assert_eq!(fold_compat('\u{2F00}'), '一'); // ⼀ KANGXI RADICAL ONE
        assert_eq!(fold_compat('⻔'), '门'); // U+2ED4 C-SIMPLIFIED GATE
        assert_eq!(fold_compat('⻆'), '角'); // U+2EC6 SIMPLIFIED HORN
        assert_eq!(fold_compat('⺝'), '月');
        assert_eq!(fold_compat('⻓'), '长');
        assert_eq!(fold_compat('⻳'), '龟');
        assert_eq!(fold_compat('\u{2F3E}'), '户'); // ⼾ KANGXI RADICAL DOOR, as GB fonts draw it
        assert_eq!(fold_compat('\u{2FAD}'), '青'); // ⾭ KANGXI RADICAL BLUE
        assert_eq!(
            fold_compat_str("⼈⼤常委会办公厅⽀出"),
            "人大常委会办公厅支出"
        );
        // Every Kangxi radical folds to a CJK ideograph.
        for cp in 0x2F00..=0x2FD5u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let folded = u32::from(fold_compat(c));
            assert!(
                (0x4E00..=0x9FFF).contains(&folded),
                "U+{cp:04X} → U+{folded:04X}"
            );
        }
    }

    #[test]
    fn compatibility_ideographs_fold() {
        assert_eq!(fold_compat('\u{F900}'), '\u{8C48}');
        assert_eq!(fold_compat('\u{F91D}'), '\u{6B04}');
        assert_eq!(fold_compat('\u{2F800}'), '\u{4E3D}');
        // U+FA11 is a unified ideograph inside the compatibility block: unchanged.
        assert_eq!(fold_compat('\u{FA11}'), '\u{FA11}');
    }

    #[test]
    fn everything_else_is_unchanged() {
        for c in "（）：，。、；“”【】《》％１２３ＡＢ０.-公开预算三公经费 abc\u{3000}".chars()
        {
            assert_eq!(fold_compat(c), c, "{c}");
        }
        // Radicals without a standalone ideograph stay as they are.
        assert_eq!(fold_compat('⺀'), '⺀');
    }

    #[test]
    fn table_is_sorted_and_in_block() {
        assert!(RADICALS_SUPPLEMENT.windows(2).all(|w| w.first() < w.get(1)));
        for &(radical, ideograph) in RADICALS_SUPPLEMENT {
            assert!(('\u{2E80}'..='\u{2EFF}').contains(&radical));
            assert!(!('\u{2E80}'..='\u{2FDF}').contains(&ideograph));
        }
    }
}
