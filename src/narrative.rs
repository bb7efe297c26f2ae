//! The narrative stage: owns amounts stated in prose — the figure, its unit, what it is (a
//! canonical key), and the change it reports against the previous year.
//!
//! Prose lines are joined across line and page breaks (PDF lines break inside sentences and
//! even inside numbers), then split into sentences at 。；, and each sentence into clauses at
//! ，、：. An amount's key comes from the words in front of it in its clause (else in its
//! sentence). A clause such as `比上年执行数增长 6.45 万元` is a change and is attached to the
//! amount before it; `上年预算数…`/`2020年执行数…` figures are kept with `previous_year`.
//! In 决算 documents a figure the clause calls 预算 (not 决算) gets the key suffix `_budget`,
//! because the document-year figure is the 决算数.
//!
//! Vehicle counts (`车辆6辆`) use the key `vehicle_count`: `value` holds the count, `raw` ends in
//! 辆, and `unit` is meaningless for them (left as 万元).

use crate::amount::Unit;
use crate::layout::{Block, Layout};
use crate::recognize::{DocFacts, DocKind};
use once_cell::sync::Lazy;
use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Direction of a reported change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Direction {
    Increase,
    Decrease,
    Flat,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Flat => "flat",
        }
    }
}

/// One amount stated in prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// 1-based page (for text inputs, 1).
    pub page: usize,
    /// Canonical key (income_total, sangong_total, …).
    pub key: String,
    /// The amount in 万元.
    pub value: Decimal,
    /// The figure as printed, with its unit.
    pub raw: String,
    pub unit: Unit,
    /// Change against the previous year, in 万元, signed.
    pub change_value: Option<Decimal>,
    /// Change in percent, signed.
    pub change_pct: Option<Decimal>,
    pub direction: Option<Direction>,
    /// True when the figure is about the previous year (上年执行数 …), not the document year.
    pub previous_year: bool,
    /// The sentence it was found in.
    pub sentence: String,
}

/// Key for amounts whose meaning is not one of the canonical keys.
pub const OTHER: &str = "other";

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| re(s)))
}

/// A figure with its unit; `为0` without a unit is handled separately.
static FIGURE: Lazy<Regex> =
    Lazy::new(|| re(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|元|辆)"));
static BARE_ZERO: Lazy<Regex> = Lazy::new(|| re(r"为\s*(?P<num>0(?:\.0+)?)(?:[，。；,;、]|$)"));
static CHANGE_VERB: Lazy<Regex> =
    Lazy::new(|| re(r"(?P<verb>增加|增长|减少|下降|降低|上升|减|增|节约|压减|缩减)了?\s*$"));
static CHANGE_CONTEXT: Lazy<Regex> = Lazy::new(|| re(r"比|较|与|同比|相比|对比|相较"));
static PCT_CHANGE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?P<verb>增加|增长|减少|下降|降低|上升|节约|压减|缩减)了?\s*(?:幅度为|幅度|率为|率)?\s*(?P<pct>\d+(?:\.\d+)?)\s*[%％]",
    )
});
static FLAT: Lazy<Regex> = Lazy::new(|| re(r"持平|无变化|没有变化|相同|不变|一致"));
static YEAR: Lazy<Regex> = Lazy::new(|| re(r"(20\d\d)年"));
static PREV: Lazy<Regex> = Lazy::new(|| re(r"上年|上一年|去年|上年度|前一年"));
static UNARRANGED: Lazy<Regex> = Lazy::new(|| re(r"未安排|没有安排|无此项|不安排"));

/// Canonical keys by the words that name them. `strong` keys win over weak ones wherever they
/// end; among one strength the match ending last (nearest the figure) wins, then the longest.
struct KeyPattern {
    key: &'static str,
    strong: bool,
    re: Regex,
}

static KEYS: Lazy<Vec<KeyPattern>> = Lazy::new(|| {
    let k = |key, strong, p: &str| KeyPattern {
        key,
        strong,
        re: re(p),
    };
    vec![
        k("sangong_total", true, r"三公[”\x22’』」]?(?:经费)?"),
        k(
            "sangong_outbound",
            true,
            r"因公出国[（(]?境?[)）]?(?:经费|费用|费)?|出国[（(]境[)）](?:经费|费用|费)|出国费用?",
        ),
        k("sangong_reception", true, r"公务接待(?:费用|费)?|接待费"),
        k(
            "sangong_vehicle_total",
            true,
            r"公务用?车(?:用车)?购置(?:费)?(?:及|和|与)(?:公务用车)?运行(?:维护|维修)?费?|公车购置(?:费)?(?:及|和)运(?:行维护|维)费?|公务用车费用?",
        ),
        k(
            "sangong_vehicle_purchase",
            true,
            r"公务用?车(?:用车)?购置(?:费|支出)?|公车购置费?|车辆购置费|购置公务用车",
        ),
        k(
            "sangong_vehicle_operation",
            true,
            r"公务用?车(?:用车)?运行(?:维护|维修)?费?|公车运行(?:维护)?费?|公车运维费|公务用车运维费|车辆运行(?:维护)?费",
        ),
        k("operation_fund", true, r"机关运行经费"),
        k(
            "procurement_total",
            true,
            r"政府采购(?:预算|支出)?(?:总额|合计|总计)|纳入政府采购预算(?:支出)?合计|政府采购预算",
        ),
        k(
            "procurement_goods",
            true,
            r"物类|(?:采购)?货物(?:采购)?(?:预算|支出)?",
        ),
        k(
            "procurement_works",
            true,
            r"工程类|(?:采购)?工程(?:采购)?(?:预算|支出)?",
        ),
        k(
            "procurement_services",
            true,
            r"服务类|(?:采购)?服务(?:采购)?(?:预算|支出)?",
        ),
        k("meeting_fee", true, r"会议费"),
        k("training_fee", true, r"培训费"),
        k("travel_fee", true, r"差旅费"),
        k("basic_expenditure", true, r"基本支出"),
        k("personnel", true, r"人员经费|人员支出|人员类支出"),
        k(
            "public_funds",
            true,
            r"公用经费|日常公用支出|公用支出|运转类支出",
        ),
        k("project_expenditure", true, r"项目支出"),
        k(
            "income_total",
            false,
            r"收入预算|收入合计|收入总计|收入总预算|收支总预算|收、?支总计|收支预算总额|部门总预算|总预算",
        ),
        k(
            "expenditure_total",
            false,
            r"支出预算|支出合计|支出总计|支出总额|预算支出|安排支出|支出决算",
        ),
        k(
            "general_budget_grant",
            false,
            r"一般公共预算(?:当年)?(?:财政)?拨款(?:收入)?|财政拨款(?:收入|支出)?",
        ),
    ]
});

/// Keys whose figures name the amount of one procurement class only after a procurement word.
const PROCUREMENT_PARTS: [&str; 3] = [
    "procurement_goods",
    "procurement_works",
    "procurement_services",
];

/// Finds the amounts stated in the document's prose.
pub fn extract(layout: &Layout, facts: &DocFacts) -> Vec<Amount> {
    let text = JoinedProse::new(layout);
    let mut out: Vec<Amount> = Vec::new();
    let mut sentence_start = 0usize;
    let chars: Vec<(usize, char)> = text.text.char_indices().collect();
    let mut prev_sentence_last: Option<usize> = None;
    // `（一）因公出国（境）费用。2026年预算数173.52万元` — a short heading sentence names the
    // item for the figures that follow it.
    let mut heading: Option<&'static str> = None;
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let end = pos + c.len_utf8();
        let is_end = matches!(c, '。' | '；' | ';' | '！' | '？') || i + 1 == chars.len();
        if !is_end {
            continue;
        }
        let before = out.len();
        if let Some(sentence) = text.text.get(sentence_start..end) {
            sentence_amounts(
                sentence,
                sentence_start,
                &text,
                facts,
                &mut out,
                prev_sentence_last,
                heading,
            );
            if out.len() == before && sentence.chars().count() <= 30 {
                if let Some((k, true)) = key_strength(sentence) {
                    heading = Some(k);
                }
            } else if out.len() > before {
                heading = None;
            }
        }
        prev_sentence_last = if out.len() > before {
            Some(out.len() - 1)
        } else {
            None
        };
        sentence_start = end;
    }
    out
}

/// Page furniture such as `第3页`, `- 13 -` or `第 2 页 共 9 页`: it would otherwise be glued
/// into the sentence that runs across the page break.
fn is_page_number(line: &str) -> bool {
    static PAGE: Lazy<Regex> = Lazy::new(|| {
        re(r"^[-—–－\s]*(第\s*)?\d{1,4}\s*(页)?\s*([,，/]?\s*共\s*\d{1,4}\s*页)?[-—–－\s]*$")
    });
    PAGE.is_match(line)
}

/// The prose of a document as one string, with the page of every line start.
struct JoinedProse {
    text: String,
    /// (byte offset where a line starts, page).
    line_pages: Vec<(usize, usize)>,
}

impl JoinedProse {
    fn new(layout: &Layout) -> JoinedProse {
        let mut text = String::new();
        let mut line_pages = Vec::new();
        for page in &layout.pages {
            for b in &page.blocks {
                if let Block::Text(line) = b {
                    let t = normalize(&line.text());
                    let t = t.trim();
                    if t.is_empty() || is_page_number(t) {
                        continue;
                    }
                    // Keep a space only where two ASCII words would otherwise run together.
                    if let (Some(a), Some(b)) = (text.chars().last(), t.chars().next())
                        && a.is_ascii_alphabetic()
                        && b.is_ascii_alphabetic()
                    {
                        text.push(' ');
                    }
                    line_pages.push((text.len(), page.number));
                    text.push_str(t);
                }
            }
        }
        JoinedProse { text, line_pages }
    }

    fn page_at(&self, pos: usize) -> usize {
        let i = self.line_pages.partition_point(|&(start, _)| start <= pos);
        i.checked_sub(1)
            .and_then(|j| self.line_pages.get(j))
            .map(|&(_, p)| p)
            .unwrap_or(1)
    }
}

/// Full-width digits and punctuation inside numbers to ASCII; whitespace dropped except between
/// two digits (where it separates two numbers).
fn normalize(s: &str) -> String {
    let mapped: Vec<char> = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '\u{3000}' | '\u{a0}' => ' ',
            _ => c,
        })
        .collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in mapped.iter().enumerate() {
        if c.is_whitespace() {
            let prev = i.checked_sub(1).and_then(|j| mapped.get(j));
            let next = mapped.get(i + 1);
            if let (Some(p), Some(n)) = (prev, next)
                && p.is_ascii_digit()
                && n.is_ascii_digit()
            {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

struct Found {
    /// Byte range of the figure in the sentence.
    start: usize,
    end: usize,
    num: String,
    unit: &'static str,
}

fn sentence_amounts(
    sentence: &str,
    offset: usize,
    text: &JoinedProse,
    facts: &DocFacts,
    out: &mut Vec<Amount>,
    prev_sentence_last: Option<usize>,
    heading: Option<&'static str>,
) {
    let mut found: Vec<Found> = FIGURE
        .captures_iter(sentence)
        .filter_map(|c| {
            let m = c.get(0)?;
            let unit = match c.name("unit")?.as_str() {
                "万元" => "万元",
                "元" => "元",
                _ => "辆",
            };
            Some(Found {
                start: m.start(),
                end: m.end(),
                num: c.name("num")?.as_str().replace(',', ""),
                unit,
            })
        })
        .collect();
    for c in BARE_ZERO.captures_iter(sentence) {
        // `为0` counts only where the clause itself names the item (`公务接待费为0`), not in
        // `由于预算数为0，无法计算百分比`.
        if let Some(n) = c.name("num")
            && !found
                .iter()
                .any(|f| f.start <= n.start() && n.start() < f.end)
            && matches!(
                key_strength(clause_before(sentence, n.start())),
                Some((_, true))
            )
        {
            found.push(Found {
                start: n.start(),
                end: n.end(),
                num: n.as_str().to_string(),
                unit: "",
            });
        }
    }
    found.sort_by_key(|f| f.start);

    let first_here = out.len();
    // Byte position (in the sentence) of each amount pushed for this sentence.
    let mut positions: Vec<(usize, usize)> = Vec::new();
    for f in &found {
        let Ok(num) = Decimal::from_str(&f.num) else {
            continue;
        };
        let clause = clause_before(sentence, f.start);
        // A figure directly followed by 以上/以下 is a threshold, not an amount.
        let after = sentence.get(f.end..).unwrap_or("");
        if f.unit == "辆" {
            if let Some(a) = vehicle_count(clause, num, f, sentence, text, offset) {
                positions.push((out.len(), f.start));
                out.push(a);
            }
            continue;
        }
        let unit = if f.unit == "元" {
            Unit::Yuan
        } else {
            Unit::Wanyuan
        };
        let value = unit.to_wanyuan(num);
        let raw = format!("{}{}", f.num, f.unit);

        if let Some(verb) = CHANGE_VERB.captures(clause).and_then(|c| c.name("verb"))
            && (CHANGE_CONTEXT.is_match(clause) || clause.chars().count() <= 4)
        {
            let sign = direction_of(verb.as_str());
            // Attach to the latest amount of this sentence without a change; a change that
            // opens its own sentence (`……。较2021年预算增加144.94万元`) to the one before.
            let here = out
                .iter()
                .enumerate()
                .skip(first_here)
                .rev()
                .find(|(_, a)| a.change_value.is_none())
                .map(|(i, _)| i);
            let target_idx = here.or(if positions.is_empty() {
                prev_sentence_last
            } else {
                None
            });
            if let Some(i) = target_idx
                && let Some(target) = out.get_mut(i).filter(|a| a.change_value.is_none())
            {
                positions.push((i, f.start));
                target.change_value = Some(match sign {
                    Direction::Decrease => -value,
                    _ => value,
                });
                target.direction = Some(sign);
                continue;
            }
        }
        let label_sentence = sentence.get(..f.start).unwrap_or("");
        let mut key = match key_strength(clause) {
            Some((k, true)) => k,
            // `支出决算为0万元` names no item: the item is the sentence's subject.
            Some((k, false)) => match key_strength(label_sentence) {
                Some((s, true)) if starts_without_subject(clause) => s,
                _ => k,
            },
            None => match key_strength(label_sentence) {
                Some((k, true)) => k,
                weak => heading.or(weak.map(|w| w.0)).unwrap_or(OTHER),
            },
        }
        .to_string();
        if key == OTHER && after.starts_with("以") {
            key = OTHER.to_string();
        }
        let previous_year = is_previous_year(clause, facts);
        if facts.doc_kind == Some(DocKind::FinalAccounts)
            && key != OTHER
            && is_budget_figure(after_last_key(clause))
        {
            key.push_str("_budget");
        }
        positions.push((out.len(), f.start));
        out.push(Amount {
            page: text.page_at(offset + f.start),
            key,
            value,
            raw,
            unit,
            change_value: None,
            change_pct: None,
            direction: None,
            previous_year,
            sentence: sentence.to_string(),
        });
    }

    // Percent changes and 持平 attach to the latest amount before them in the sentence.
    for c in PCT_CHANGE.captures_iter(sentence) {
        let (Some(m), Some(verb), Some(pct)) = (c.get(0), c.name("verb"), c.name("pct")) else {
            continue;
        };
        let Ok(pct) = Decimal::from_str(pct.as_str()) else {
            continue;
        };
        let dir = direction_of(verb.as_str());
        if let Some(a) = latest_before(out, &positions, m.start()) {
            a.change_pct = Some(if dir == Direction::Decrease {
                -pct
            } else {
                pct
            });
            a.direction = Some(dir);
        }
    }
    for m in FLAT.find_iter(sentence) {
        if !CHANGE_CONTEXT.is_match(sentence.get(..m.start()).unwrap_or("")) {
            continue;
        }
        let target = match latest_before(out, &positions, m.start()) {
            Some(a) => Some(a),
            // `……与2021年持平。` as its own sentence: the amount it speaks of came just before,
            // either in the previous sentence or as the latest figure with the key it names.
            None if found.is_empty() => match key_for(sentence) {
                Some(k) => out
                    .iter_mut()
                    .rev()
                    .find(|a| a.key == k && !a.previous_year),
                None => prev_sentence_last.and_then(|i| out.get_mut(i)),
            },
            None => None,
        };
        if let Some(a) = target
            && a.direction.is_none()
        {
            a.direction = Some(Direction::Flat);
            a.change_value = Some(Decimal::ZERO);
        }
    }
}

fn latest_before<'a>(
    out: &'a mut [Amount],
    positions: &[(usize, usize)],
    pos: usize,
) -> Option<&'a mut Amount> {
    let idx = positions
        .iter()
        .rev()
        .find(|&&(_, p)| p < pos)
        .map(|&(i, _)| i)?;
    out.get_mut(idx)
}

fn direction_of(verb: &str) -> Direction {
    match verb {
        "减少" | "下降" | "降低" | "减" | "节约" | "压减" | "缩减" => {
            Direction::Decrease
        }
        _ => Direction::Increase,
    }
}

/// The text of the clause in front of byte `pos`: back to the previous ，、：, or a figure.
fn clause_before(sentence: &str, pos: usize) -> &str {
    let head = sentence.get(..pos).unwrap_or("");
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '，' | ',' | '、' | '：' | ':' | '。' | '；' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    head.get(start..).unwrap_or("")
}

/// The key named nearest the end of `label`.
pub fn key_for(label: &str) -> Option<&'static str> {
    key_strength(label).map(|k| k.0)
}

/// A clause that starts with the figure's kind (支出/预算/决算) rather than with what it is.
fn starts_without_subject(clause: &str) -> bool {
    let c = clause.trim_start_matches(|ch: char| ch.is_ascii_digit() || "年度其中为".contains(ch));
    ["支出", "决算", "预算", "年初预算", "实际支出"]
        .iter()
        .any(|p| c.starts_with(p))
}

/// The key named nearest the end of `label`, and whether it is a strong (specific) key.
fn key_strength(label: &str) -> Option<(&'static str, bool)> {
    let mut best: Option<(bool, usize, usize, &'static str)> = None;
    for p in KEYS.iter() {
        for m in p.re.find_iter(label) {
            if label.get(m.end()..).is_some_and(|rest| rest.contains('的')) {
                continue;
            }
            if PROCUREMENT_PARTS.contains(&p.key)
                && !label.contains("采购")
                && !m.as_str().ends_with("类")
            {
                continue;
            }
            let cand = (p.strong, m.end(), m.len(), p.key);
            let better = match best {
                None => true,
                Some((s, e, l, _)) => (cand.0, cand.1, cand.2) > (s, e, l),
            };
            if better {
                best = Some(cand);
            }
        }
    }
    best.map(|b| (b.3, b.0))
}

fn is_previous_year(clause: &str, facts: &DocFacts) -> bool {
    if PREV.is_match(clause) {
        return true;
    }
    if clause.contains("截至") || clause.contains("截止") {
        return false;
    }
    let Some(year) = facts.year else {
        return false;
    };
    YEAR.captures_iter(clause)
        .filter_map(|c| c.get(1)?.as_str().parse::<i32>().ok())
        .any(|y| y < year)
}

/// The part of a clause after the last item it names (`经费财政拨款支出预算为`), where 预算/决算
/// says which figure follows; a heading merged in front cannot then mislead.
fn after_last_key(clause: &str) -> &str {
    let end = KEYS
        .iter()
        .filter(|p| p.strong)
        .filter_map(|p| p.re.find_iter(clause).last().map(|m| m.end()))
        .max()
        .unwrap_or(0);
    clause.get(end..).unwrap_or(clause)
}

/// In a 决算 document: the clause calls the figure 预算 and not 决算.
fn is_budget_figure(clause: &str) -> bool {
    let c = clause.replace("一般公共预算", "");
    c.contains("预算") && !c.contains("决算")
}

fn vehicle_count(
    clause: &str,
    num: Decimal,
    f: &Found,
    sentence: &str,
    text: &JoinedProse,
    offset: usize,
) -> Option<Amount> {
    let c = clause.trim_end();
    let holding = c.ends_with("车辆")
        || c.ends_with("保有量")
        || c.ends_with("保有量为")
        || c.ends_with("公务用车")
        || c.ends_with("公务用车为");
    if !holding || c.contains("购置") || c.contains("增加") || c.contains("减少") {
        return None;
    }
    Some(Amount {
        page: text.page_at(offset + f.start),
        key: "vehicle_count".to_string(),
        value: num,
        raw: format!("{}辆", f.num),
        unit: Unit::Wanyuan,
        change_value: None,
        change_pct: None,
        direction: None,
        previous_year: false,
        sentence: sentence.to_string(),
    })
}

/// True when the sentence says the item is not arranged (未安排…): no amount, but worth a note.
pub fn says_unarranged(sentence: &str) -> bool {
    UNARRANGED.is_match(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{PageLayout, Span, TextLine};

    fn layout(lines: &[&str]) -> Layout {
        let blocks = lines
            .iter()
            .map(|t| {
                Block::Text(TextLine {
                    page: 1,
                    y0: 0.0,
                    y1: 0.0,
                    spans: vec![Span {
                        text: t.to_string(),
                        x0: 0.0,
                        x1: 0.0,
                    }],
                })
            })
            .collect();
        Layout {
            pages: vec![PageLayout {
                number: 1,
                width: 0.0,
                height: 0.0,
                blocks,
            }],
        }
    }

    fn facts(year: i32, kind: DocKind) -> DocFacts {
        DocFacts {
            year: Some(year),
            doc_kind: Some(kind),
            ..DocFacts::default()
        }
    }

    #[test]
    fn total_with_change_across_a_line_break() {
        let l = layout(&[
            "湖州市综合行政执法局 2021 年“三公”经费预算数为 38.",
            "06 万元，比 2020 年执行数增长 6.45 万元，增长 20.4%，具体如下：",
        ]);
        let a = extract(&l, &facts(2021, DocKind::Budget));
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].key, "sangong_total");
        assert_eq!(a[0].value, Decimal::new(3806, 2));
        assert_eq!(a[0].change_value, Some(Decimal::new(645, 2)));
        assert_eq!(a[0].change_pct, Some(Decimal::new(204, 1)));
        assert_eq!(a[0].direction, Some(Direction::Increase));
    }

    #[test]
    fn final_accounts_budget_figure_is_kept_apart() {
        let l = layout(&[
            "公务接待费支出预算为1.00万元，支出决算为0万元，完成预算数0%，与上年相比持平。",
        ]);
        let a = extract(&l, &facts(2021, DocKind::FinalAccounts));
        let keys: Vec<&str> = a.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["sangong_reception_budget", "sangong_reception"]);
        assert_eq!(a[1].value, Decimal::ZERO);
        assert_eq!(a[1].direction, Some(Direction::Flat));
    }

    #[test]
    fn yuan_full_width_and_previous_year() {
        let l = layout(&["上年“三公”经费预算数为１２３４５ 元；2022年公务接待费为0。"]);
        let a = extract(&l, &facts(2022, DocKind::Budget));
        assert_eq!(a.len(), 2, "{a:?}");
        assert!(a[0].previous_year);
        assert_eq!(a[0].unit, Unit::Yuan);
        assert_eq!(a[0].value, Decimal::new(12345, 4));
        assert_eq!(a[1].key, "sangong_reception");
        assert!(!a[1].previous_year);
    }
}
