//! Document facts read from the document's own text: the unit the disclosure is about, the
//! document year, 预算 or 决算, 部门 or 单位 level, and the region where the text states it.
//! File names are never consulted: they are often wrong.

use super::{DocFacts, DocKind};
use crate::layout::{Block, Layout};
use once_cell::sync::Lazy;
use regex::Regex;

/// How much of the document's start (in characters) counts as its cover and title area.
const HEAD_CHARS: usize = 1500;

/// Org-name endings: a title's unit must end with one of these, so that phrases such as
/// `关于…的说明` are not taken for a unit.
const UNIT_SUFFIX: &str = r"(?:委员会|办公室|办公厅|办事处|检察院|法院|政府|人大|政协|学校|学院|大学|中心|总队|支队|大队|局|委|办|院|所|厅|室|站|队|会|馆|场|校|部|处|署|社|团|园|台|府)(?:[（(][\p{Han}]{2,20}[)）])?";

static TITLE_UNIT_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX})(?:部门|单位)?(?P<year>20\d\d)年度?(?:[省市区县]级)?(?P<level>部门|单位)?(?:综合)?(?P<kind>预算|决算)"
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

static TITLE_YEAR_FIRST: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?P<year>20\d\d)年度?(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX})(?P<level>部门|单位)?(?P<kind>预算|决算)"
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

static YEAR_KIND: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?P<year>20\d\d)年度?(?:[省市区县]级)?(?P<level>部门|单位)?(?P<kind>预算|决算)")
        .unwrap_or_else(|_| unreachable_regex())
});

static OWNER_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?:【\d+】|(?:预算主管部门|主管部门|单位名称|部门名称|单位|部门|填报单位|编制单位|预算单位)[:：]\n?(?:（盖章）)?(?:\d+[-－—])?)(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX})(?:[^\p{{Han}}（(]|$)"
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

static YEAR_ANY: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(20\d\d)年").unwrap_or_else(|_| unreachable_regex()));

static UNIT_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"^(?:中共|中国共产党)?\p{{Han}}{{1,6}}?[省市区县][\p{{Han}}（）()]{{1,30}}?{UNIT_SUFFIX}$"
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

static OVERVIEW: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?:第.部分)?(?P<unit>[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX})\n?(?:部门|单位)?概\n?况"
    ))
    .unwrap_or_else(|_| unreachable_regex())
});

static PROVINCE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:[\p{Han}]{2,3}?省|[\p{Han}]{2,6}?自治区|北京市|上海市|天津市|重庆市)")
        .unwrap_or_else(|_| unreachable_regex())
});
static CITY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^[\p{Han}]{2,4}?(?:市|自治州|地区|盟)").unwrap_or_else(|_| unreachable_regex())
});
static DISTRICT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^[\p{Han}]{1,4}?(?:区|县|旗)").unwrap_or_else(|_| unreachable_regex())
});

/// A pattern literal that fails to compile is a programming error caught by the unit tests;
/// this regex matches nothing so that the library still never panics.
fn unreachable_regex() -> Regex {
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable_regex())
}

/// Reads the document facts from a laid-out document.
pub fn extract(layout: &Layout) -> DocFacts {
    let prose = compact(&prose_text(layout));
    let all = compact_lines(&all_text(layout));
    let head: String = prose.chars().take(HEAD_CHARS).collect();
    let head_lines: String = compact_lines(&prose_text(layout))
        .chars()
        .take(HEAD_CHARS)
        .collect();

    let mut facts = DocFacts::default();
    let title = TITLE_UNIT_FIRST
        .captures(&head)
        .or_else(|| TITLE_YEAR_FIRST.captures(&head));
    if let Some(c) = title {
        facts.unit_name = c.name("unit").map(|m| clean_unit(m.as_str()));
        facts.year = c.name("year").and_then(|m| m.as_str().parse().ok());
        facts.level = c.name("level").map(|m| m.as_str().to_string());
        facts.doc_kind = c.name("kind").map(|m| kind_of(m.as_str()));
    }
    if (facts.year.is_none() || facts.doc_kind.is_none() || facts.level.is_none())
        && let Some((year, kind, level)) = dominant_year_kind(&head, &prose)
    {
        facts.year = facts.year.or(Some(year));
        facts.doc_kind = facts.doc_kind.or(Some(kind));
        facts.level = facts.level.or(level);
    }
    if facts.level.is_none() {
        facts.level = level_by_count(&prose);
    }
    if facts.year.is_none() {
        // Bare-table documents may state their year only inside cells (绩效 forms).
        facts.year = most_frequent_year(&prose).or_else(|| most_frequent_year(&all));
    }
    if facts.doc_kind.is_none() {
        facts.doc_kind = kind_by_count(&all);
    }
    if facts.unit_name.is_none() {
        facts.unit_name = OVERVIEW
            .captures(&head_lines)
            .and_then(|c| c.name("unit"))
            .map(|m| clean_unit(m.as_str()))
            .or_else(|| {
                OWNER_LINE
                    .captures_iter(&all)
                    .filter_map(|c| c.name("unit"))
                    .map(|m| clean_unit(m.as_str()))
                    .find(|u| !u.starts_with("万元") && !u.starts_with('元'))
            })
            .or_else(|| form_field_unit(layout))
            .or_else(|| unit_line(layout));
    }
    facts.region = facts.unit_name.as_deref().and_then(|u| region_of(u, &all));
    facts
}

fn kind_of(s: &str) -> DocKind {
    if s == "决算" {
        DocKind::FinalAccounts
    } else {
        DocKind::Budget
    }
}

/// The most frequent `20xx年(部门|单位)?(预算|决算)` in the head, else in the whole prose.
type YearKind = (i32, DocKind, Option<String>);

fn dominant_year_kind(head: &str, prose: &str) -> Option<YearKind> {
    for text in [head, prose] {
        let mut counts: Vec<(YearKind, usize)> = Vec::new();
        for c in YEAR_KIND.captures_iter(text) {
            let Some(year) = c.name("year").and_then(|m| m.as_str().parse::<i32>().ok()) else {
                continue;
            };
            let kind = c.name("kind").map(|m| kind_of(m.as_str()));
            let Some(kind) = kind else { continue };
            let level = c.name("level").map(|m| m.as_str().to_string());
            match counts.iter_mut().find(|(k, _)| k.0 == year && k.1 == kind) {
                Some((k, n)) => {
                    *n += 1;
                    if k.2.is_none() {
                        k.2 = level;
                    }
                }
                None => counts.push(((year, kind, level), 1)),
            }
        }
        // The first-seen key wins ties: titles come first.
        let mut best: Option<(YearKind, usize)> = None;
        for (k, n) in counts {
            if best.as_ref().is_none_or(|(_, b)| n > *b) {
                best = Some((k, n));
            }
        }
        if let Some((k, _)) = best {
            return Some(k);
        }
    }
    None
}

fn level_by_count(prose: &str) -> Option<String> {
    let dept = prose.matches("部门预算").count() + prose.matches("部门决算").count();
    let unit = prose.matches("单位预算").count() + prose.matches("单位决算").count();
    match (dept, unit) {
        (0, 0) => None,
        (d, u) if u > d => Some("单位".to_string()),
        _ => Some("部门".to_string()),
    }
}

/// 决算 documents say 决算 often; budget documents say 预算 (outside 一般公共预算) far more.
fn kind_by_count(text: &str) -> Option<DocKind> {
    let finals = text.matches("决算").count();
    let budgets = text.matches("预算").count() - text.matches("一般公共预算").count();
    if finals == 0 && budgets == 0 {
        None
    } else if finals >= 10 && finals * 2 >= budgets {
        Some(DocKind::FinalAccounts)
    } else {
        Some(DocKind::Budget)
    }
}

/// The most frequent `20xx年` in the prose (documents printed as bare tables).
fn most_frequent_year(prose: &str) -> Option<i32> {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for c in YEAR_ANY.captures_iter(prose) {
        let Some(y) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()) else {
            continue;
        };
        match counts.iter_mut().find(|(k, _)| *k == y) {
            Some((_, n)) => *n += 1,
            None => counts.push((y, 1)),
        }
    }
    let mut best: Option<(i32, usize)> = None;
    for (y, n) in counts {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((y, n));
        }
    }
    best.map(|b| b.0)
}

static WHOLE_UNIT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(r"^[\p{{Han}}（）()]{{2,40}}?{UNIT_SUFFIX}$"))
        .unwrap_or_else(|_| unreachable_regex())
});

/// Form cells that name the unit in the next cell (绩效 forms: `部门名称 | 北京市应急管理局`).
const UNIT_FIELDS: [&str; 4] = ["部门名称", "单位名称", "预算单位", "部门(单位)名称"];

/// The name most often given in a form's `部门名称 | …` cells, for documents that print the
/// unit nowhere else.
fn form_field_unit(layout: &Layout) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let grids = layout
        .pages
        .iter()
        .flat_map(|p| &p.blocks)
        .filter_map(|b| match b {
            Block::Table(g) => Some(g),
            Block::Text(_) => None,
        });
    for g in grids {
        for row in &g.rows {
            let texts: Vec<String> = row
                .iter()
                .filter(|c| !c.covered)
                .map(|c| compact(&c.text).replace(['（', '）'], "()"))
                .collect();
            for (i, t) in texts.iter().enumerate() {
                let key = t.trim_end_matches([':', '：']);
                if !UNIT_FIELDS.contains(&key) {
                    continue;
                }
                let Some(value) = texts.iter().skip(i + 1).find(|v| !v.is_empty()) else {
                    continue;
                };
                if WHOLE_UNIT.is_match(value) {
                    let name = clean_unit(value);
                    match counts.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, k)) => *k += 1,
                        None => counts.push((name, 1)),
                    }
                }
            }
        }
    }
    let mut best: Option<(String, usize)> = None;
    for (name, n) in counts {
        if best.as_ref().is_none_or(|(_, b)| n > *b) {
            best = Some((name, n));
        }
    }
    best.map(|b| b.0)
}

/// How many pages at the start count as cover pages for a bare unit-name line.
const COVER_PAGES: usize = 3;

/// A prose line that is nothing but an organisation's name (cover pages printed apart): alone
/// on its line and on the first pages. Further in, such a line is a fragment of a wrapped
/// cell (`指导各区和各部`) more often than a name.
fn unit_line(layout: &Layout) -> Option<String> {
    layout
        .pages
        .iter()
        .take(COVER_PAGES)
        .flat_map(|p| &p.blocks)
        .find_map(|b| match b {
            Block::Text(line) if line.spans.len() == 1 => {
                let t = compact(&line.text());
                UNIT_LINE.is_match(&t).then(|| clean_unit(&t))
            }
            Block::Text(_) | Block::Table(_) => None,
        })
}

/// Words that end the text in front of a unit's name (`2026年度`, `目录`, `纳入`): the name is
/// what follows the last of them.
const LEAD_JUNK: [&str; 12] = [
    "年度",
    "年",
    "公开",
    "目录",
    "说明",
    "纳入",
    "部分",
    "概况",
    "关于",
    "名称",
    "情况",
    "申报表",
];

/// Strips what the title regexes can pick up in front of the name.
fn clean_unit(s: &str) -> String {
    let mut s = s;
    loop {
        let cut = LEAD_JUNK
            .iter()
            .filter_map(|j| s.rfind(j).map(|i| i + j.len()))
            .filter(|&end| end < s.len())
            .max();
        match cut {
            Some(end) if s.get(end..).is_some_and(|r| r.chars().count() >= 2) => {
                s = s.get(end..).unwrap_or(s);
            }
            _ => break,
        }
    }
    let s = s.trim_start_matches(|c: char| "第一二三四五六七八九十".contains(c));
    s.replace("(本级)", "（本级）")
}

/// Province / city / district prefix of the unit name; a bare district is completed with the
/// city the text names in front of it (`江汉区` → `武汉市江汉区`).
fn region_of(unit: &str, all: &str) -> Option<String> {
    let mut rest = unit;
    let mut region = String::new();
    if let Some(m) = PROVINCE.find(rest) {
        region.push_str(m.as_str());
        rest = &rest[m.end()..];
    }
    if let Some(m) = CITY.find(rest).filter(|m| !m.as_str().contains("城市")) {
        region.push_str(m.as_str());
        rest = &rest[m.end()..];
    }
    let not_a_district = [
        "社区", "小区", "园区", "景区", "辖区", "城区", "片区", "地区", "市区",
    ];
    if let Some(m) = DISTRICT.find(rest).filter(|m| {
        m.as_str().chars().count() >= 2 && !not_a_district.iter().any(|w| m.as_str().ends_with(w))
    }) {
        let district = m.as_str();
        if region.is_empty() {
            // Most city names are two characters; the lazy regex would start too early.
            let city = all.match_indices(district).find_map(|(i, _)| {
                let before: Vec<char> = all.get(..i)?.chars().rev().take(3).collect();
                match before.as_slice() {
                    ['市', b, a] if is_han(*a) && is_han(*b) => Some(format!("{a}{b}市")),
                    _ => None,
                }
            });
            if let Some(city) = city {
                region.push_str(&city);
            }
        }
        if !region.is_empty() || rest.len() > district.len() {
            region.push_str(district);
        }
    }
    if region.is_empty() {
        // 中共烟台市委宣传部, 中国共产党广州市委员会宣传部.
        for lead in ["中国共产党", "中共"] {
            if let Some(rest) = unit.strip_prefix(lead)
                && let Some(m) = CITY.find(rest)
            {
                return Some(m.as_str().to_string());
            }
        }
        // A unit named after a municipality without 市 (上海交通职业技术学院).
        for m in ["北京", "上海", "天津", "重庆"] {
            if unit.starts_with(m) {
                return Some(format!("{m}市"));
            }
        }
        return None;
    }
    Some(region)
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Prose lines joined in reading order.
fn prose_text(layout: &Layout) -> String {
    let mut out = String::new();
    for page in &layout.pages {
        for b in &page.blocks {
            if let Block::Text(line) = b {
                out.push_str(&line.text());
                out.push('\n');
            }
        }
    }
    out
}

/// Prose and table cells, for owner lines printed inside table headers. Each span of a prose
/// line stands on its own line: `部门：江苏省政协办公厅` and the `单位：万元` far to its right
/// are two captions, and the name ends where its span does.
fn all_text(layout: &Layout) -> String {
    let mut out = String::new();
    for page in &layout.pages {
        for b in &page.blocks {
            match b {
                Block::Text(line) => {
                    for span in &line.spans {
                        out.push_str(&span.text);
                        out.push('\n');
                    }
                }
                Block::Table(g) => {
                    for row in &g.rows {
                        for c in row {
                            out.push_str(&c.text);
                            out.push('\n');
                        }
                    }
                }
            }
        }
    }
    out
}

/// Like [`compact`] but keeps line breaks, so that a name's end is known.
fn compact_lines(s: &str) -> String {
    s.lines()
        .map(compact)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Removes whitespace and markdown emphasis, so that a title broken over lines or spaced out
/// (`2021 年`) reads as one run.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '#')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_compile() {
        for re in [
            &*TITLE_UNIT_FIRST,
            &*TITLE_YEAR_FIRST,
            &*YEAR_KIND,
            &*OWNER_LINE,
            &*OVERVIEW,
            &*UNIT_LINE,
            &*WHOLE_UNIT,
            &*PROVINCE,
            &*CITY,
            &*DISTRICT,
        ] {
            assert!(!re.as_str().contains(r"[^\s\S]"));
            assert!(re.as_str().len() > 5);
        }
    }

    #[test]
    fn region_from_unit_and_text() {
        assert_eq!(region_of("湖州市综合行政执法局", ""), Some("湖州市".into()));
        assert_eq!(
            region_of("江汉区大数据中心", "根据武汉市江汉区人民政府"),
            Some("武汉市江汉区".into())
        );
        assert_eq!(
            region_of("上海市普陀区司法局", ""),
            Some("上海市普陀区".into())
        );
        assert_eq!(region_of("江苏省人大", ""), Some("江苏省".into()));
        assert_eq!(region_of("上海交通职业技术学院", ""), Some("上海市".into()));
    }

    #[test]
    fn unit_from_form_fields_in_bare_table_documents() {
        // No title, no owner line: the 绩效 forms' 部门名称 cells name the unit.
        let text = "项目支出绩效目标表\n\
                    部门名称\t北京市应急管理局\t项目名称\t应急演练\n\
                    预算金额\t10.00\t实施期限\t1年\n\n\
                    整体支出绩效目标表\n\
                    部门名称\t北京市应急管理局\t年度\t全年\n\
                    预算金额\t20.00\t资金来源\t财政拨款\n";
        let facts = extract(&crate::layout::from_text(text));
        assert_eq!(facts.unit_name.as_deref(), Some("北京市应急管理局"));
        // A value that is not a whole unit name is not taken.
        let text = "项目支出绩效目标表\n部门名称\t指导各区开展工作\t项目名称\t演练\n\
                    预算金额\t10.00\t实施期限\t1年\n";
        assert_eq!(extract(&crate::layout::from_text(text)).unit_name, None);
    }
}
