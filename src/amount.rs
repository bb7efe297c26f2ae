//! Amounts as printed in budget documents: parsing the printed text into an exact decimal and
//! converting between 元 and 万元. Shared by the table and narrative stages.

use rust_decimal::Decimal;

/// The unit an amount is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Unit {
    /// 万元 (ten thousand yuan): the unit gongkai normalises to.
    Wanyuan,
    /// 元.
    Yuan,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Wanyuan => "万元",
            Unit::Yuan => "元",
        }
    }

    /// Converts `v` printed in this unit to 万元, exactly.
    pub fn to_wanyuan(self, v: Decimal) -> Decimal {
        match self {
            Unit::Wanyuan => v,
            Unit::Yuan => v / Decimal::from(10_000),
        }
    }
}

/// A printed number: an amount or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Amount(Decimal),
    /// `20.4%` → `Percent(20.4)`.
    Percent(Decimal),
}

/// Folds full-width digits and punctuation to ASCII and drops all whitespace, so `１２３，４５６．７８`
/// and `1 234.5` read like `123,456.78` and `1234.5`.
pub fn normalize_number_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let c = match ch {
            '\u{FF10}'..='\u{FF19}' => {
                char::from_u32(ch as u32 - 0xFF10 + '0' as u32).unwrap_or(ch)
            }
            '，' => ',',
            '．' | '。' => '.',
            '（' => '(',
            '）' => ')',
            '－' | '−' | '–' => '-',
            '＋' => '+',
            '％' => '%',
            c => c,
        };
        if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// True when a cell prints no figure: empty, or only dashes (`-`, `—`, `－`, `——`).
pub fn is_blank(s: &str) -> bool {
    let t = normalize_number_text(s);
    t.chars().all(|c| matches!(c, '-' | '—' | '―' | '─' | '/'))
}

/// Parses a printed number: thousands separators, full-width forms, spaces inside, a leading
/// minus or surrounding parentheses for negatives, a trailing `%` for percentages. Blanks and
/// dashes are not numbers. Never panics.
pub fn parse_number(s: &str) -> Option<Number> {
    let t = normalize_number_text(s);
    if t.is_empty() || is_blank(&t) {
        return None;
    }
    let (t, pct) = match t.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (t.as_str(), false),
    };
    let (t, neg_paren) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let (body, neg_sign) = match t.strip_prefix('-') {
        Some(rest) => (rest, true),
        None => (t.strip_prefix('+').unwrap_or(t), false),
    };
    if neg_paren && neg_sign {
        return None;
    }
    let digits = valid_digits(body)?;
    let mut v: Decimal = digits.parse().ok()?;
    if neg_paren || neg_sign {
        v = -v;
    }
    Some(if pct {
        Number::Percent(v)
    } else {
        Number::Amount(v)
    })
}

/// `body` without thousands separators when it is `123`, `1,234`, `1234.5` or `.5`-free
/// decimal notation; `None` for anything else (codes with letters, dates, misplaced commas).
fn valid_digits(body: &str) -> Option<String> {
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        // Some producers (上海's 元 tables) set only the last separator: `125360,898` is
        // 125,360,898. The groups after the first must still be three digits each.
        let first_ok = groups.first().is_some_and(|g| !g.is_empty());
        let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    let mut out: String = int.chars().filter(|c| *c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// An amount (not a percentage) as printed, in the printed unit.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    match parse_number(s)? {
        Number::Amount(v) => Some(v),
        Number::Percent(_) => None,
    }
}

/// A percentage's number (`20.4%` → 20.4).
pub fn parse_percent(s: &str) -> Option<Decimal> {
    match parse_number(s)? {
        Number::Percent(v) => Some(v),
        Number::Amount(_) => None,
    }
}

/// The amount unit declared by a caption such as `单位：万元`, `金额单位：元`, `（万元）`; `None`
/// when the text declares none (`单位：205004-…` names a unit, not a currency).
pub fn unit_in_caption(s: &str) -> Option<Unit> {
    static RE: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"单位\s*[：:]?\s*(万元|元)(?:$|[^\p{Han}])|[（(]\s*(万元|元)\s*[)）]")
            .expect("constant pattern") // ok: a literal pattern, compiled by the unit tests
    });
    let caps = RE.captures(s)?;
    let word = caps.get(1).or_else(|| caps.get(2))?.as_str();
    Some(if word == "万元" {
        Unit::Wanyuan
    } else {
        Unit::Yuan
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn parses_printed_forms() {
        assert_eq!(parse_amount("3,471.62"), Some(d("3471.62")));
        assert_eq!(parse_amount("１２３，４５６．７８"), Some(d("123456.78")));
        assert_eq!(parse_amount(" 1 234.5 "), Some(d("1234.5")));
        assert_eq!(parse_amount("(12.30)"), Some(d("-12.30")));
        assert_eq!(parse_amount("（12.30）"), Some(d("-12.30")));
        assert_eq!(parse_amount("-43.62"), Some(d("-43.62")));
        assert_eq!(parse_amount("0"), Some(d("0")));
        assert_eq!(parse_amount("125360,898"), Some(d("125360898")));
        assert_eq!(parse_amount("1234,567,890.5"), Some(d("1234567890.5")));
        assert_eq!(parse_percent("20.4%"), Some(d("20.4")));
        assert_eq!(parse_amount("20.4%"), None);
        for blank in ["", "  ", "-", "—", "－", "——", "--"] {
            assert_eq!(parse_number(blank), None, "{blank:?}");
            assert!(is_blank(blank));
        }
        for text in [
            "合计",
            "12a",
            "1,23",
            "12345,67",
            ",123",
            "2021年",
            "1.2.3",
            "(-1)",
            ".5",
            "5.",
            "14.80（净值）",
        ] {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
        // Too many digits for a Decimal: no number, no panic.
        assert_eq!(parse_amount(&"9".repeat(40)), None);
    }

    #[test]
    fn reads_units_from_captions() {
        assert_eq!(unit_in_caption("单位：万元"), Some(Unit::Wanyuan));
        assert_eq!(unit_in_caption("金额单位：元"), Some(Unit::Yuan));
        assert_eq!(unit_in_caption("单位:元"), Some(Unit::Yuan));
        assert_eq!(unit_in_caption("年度收入情况（万元）"), Some(Unit::Wanyuan));
        assert_eq!(unit_in_caption("单位：205004-市城市管理监督指挥中心"), None);
        assert_eq!(unit_in_caption("单位名称：区大数据中心"), None);
        assert_eq!(
            Unit::Yuan.to_wanyuan(d("12345")),
            d("1.2345"),
            "元 → 万元 is exact"
        );
    }
}
