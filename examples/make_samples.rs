//! Writes the sample disclosures in `samples/`: small, fictional but realistic 部门预算 as PDF
//! (and one as tab-separated text, like a text extraction), so a newcomer can run gongkai on
//! something at once and the tests have PDFs whose every figure is known.
//!
//! `cargo run --example make_samples [OUT_DIR]` (default `samples`).
//!
//! The PDFs use the non-embedded CJK font every Chinese PDF reader provides: a Type0 font with
//! /Encoding /UniGB-UCS2-H over a CIDFontType0 /STSong-Light (Adobe-GB1-4), text as UCS-2BE,
//! ASCII half-width through /W. Tables are ruled with stroked cell rectangles. All figures are
//! kept in hundredths of 万元 as integers, so every total closes exactly.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId, Stream, StringFormat, dictionary};
use std::path::{Path, PathBuf};

/// An amount in hundredths of 万元 (= 100 元).
type Cents = i64;

#[derive(Clone, Copy, PartialEq)]
enum Money {
    Wanyuan,
    Yuan,
}

impl Money {
    fn label(self) -> &'static str {
        match self {
            Money::Wanyuan => "万元",
            Money::Yuan => "元",
        }
    }

    /// As printed in a table: 万元 with two decimals, 元 as whole yuan; thousands separated.
    fn fmt(self, v: Cents) -> String {
        match self {
            Money::Wanyuan => format!("{}.{:02}", group(v / 100), v % 100),
            Money::Yuan => format!("{}.00", group(v * 100)),
        }
    }
}

fn group(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// 万元 in prose: two decimals, trailing zeros dropped, no grouping (as budget prose prints it).
fn wan(v: Cents) -> String {
    let s = format!("{}.{:02}", v / 100, v % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Percent change with two decimals.
fn pct(now: Cents, before: Cents) -> String {
    let p = ((now - before) as f64 / before as f64 * 100.0).abs();
    format!("{p:.2}")
}

/// A deterministic pseudo-random source, so the samples are the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, lo: i64, hi: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + ((self.0 >> 33) as i64) % (hi - lo + 1)
    }
}

/// How a 项 is funded: basic (personnel, public) and/or project.
#[derive(Clone, Copy)]
enum Funding {
    Basic,
    Personnel,
    Project,
}

/// 类 / 款 / 项 with names, and how each 项 is funded.
/// (code, name, children) at each level.
type Xiang = (&'static str, &'static str, Funding);
type Kuan = (&'static str, &'static str, &'static [Xiang]);
type Lei = (&'static str, &'static str, &'static [Kuan]);
type Economic = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const FUNCTIONS: &[Lei] = &[
    (
        "201",
        "一般公共服务支出",
        &[
            (
                "03",
                "政府办公厅（室）及相关机构事务",
                &[
                    ("01", "行政运行", Funding::Basic),
                    ("02", "一般行政管理事务", Funding::Project),
                    ("50", "事业运行", Funding::Basic),
                ],
            ),
            (
                "06",
                "财政事务",
                &[
                    ("01", "行政运行", Funding::Basic),
                    ("02", "一般行政管理事务", Funding::Project),
                    ("07", "信息化建设", Funding::Project),
                ],
            ),
            (
                "99",
                "其他一般公共服务支出",
                &[("99", "其他一般公共服务支出", Funding::Project)],
            ),
        ],
    ),
    (
        "208",
        "社会保障和就业支出",
        &[
            (
                "05",
                "行政事业单位养老支出",
                &[
                    ("01", "行政单位离退休", Funding::Personnel),
                    ("05", "机关事业单位基本养老保险缴费支出", Funding::Personnel),
                    ("06", "机关事业单位职业年金缴费支出", Funding::Personnel),
                ],
            ),
            ("08", "抚恤", &[("01", "死亡抚恤", Funding::Personnel)]),
        ],
    ),
    (
        "210",
        "卫生健康支出",
        &[(
            "11",
            "行政事业单位医疗",
            &[
                ("01", "行政单位医疗", Funding::Personnel),
                ("02", "事业单位医疗", Funding::Personnel),
                ("03", "公务员医疗补助", Funding::Personnel),
            ],
        )],
    ),
    (
        "212",
        "城乡社区支出",
        &[
            (
                "01",
                "城乡社区管理事务",
                &[
                    ("01", "行政运行", Funding::Basic),
                    ("02", "一般行政管理事务", Funding::Project),
                    ("04", "城管执法", Funding::Project),
                    ("99", "其他城乡社区管理事务支出", Funding::Project),
                ],
            ),
            (
                "05",
                "城乡社区环境卫生",
                &[("01", "城乡社区环境卫生", Funding::Project)],
            ),
        ],
    ),
    (
        "221",
        "住房保障支出",
        &[(
            "02",
            "住房改革支出",
            &[
                ("01", "住房公积金", Funding::Personnel),
                ("02", "提租补贴", Funding::Personnel),
                ("03", "购房补贴", Funding::Personnel),
            ],
        )],
    ),
];

/// Economic classification of basic expenditure: (code, name, personnel?). The three 三公
/// items among 302 are fixed by the 三公 figures.
const ECONOMIC: &[Economic] = &[
    (
        "301",
        "工资福利支出",
        &[
            ("30101", "基本工资"),
            ("30102", "津贴补贴"),
            ("30103", "奖金"),
            ("30108", "机关事业单位基本养老保险缴费"),
            ("30109", "职业年金缴费"),
            ("30110", "职工基本医疗保险缴费"),
            ("30113", "住房公积金"),
        ],
    ),
    (
        "302",
        "商品和服务支出",
        &[
            ("30201", "办公费"),
            ("30205", "水费"),
            ("30206", "电费"),
            ("30211", "差旅费"),
            ("30212", "因公出国（境）费用"),
            ("30215", "会议费"),
            ("30216", "培训费"),
            ("30217", "公务接待费"),
            ("30228", "工会经费"),
            ("30231", "公务用车运行维护费"),
            ("30299", "其他商品和服务支出"),
        ],
    ),
    (
        "303",
        "对个人和家庭的补助",
        &[("30302", "退休费"), ("30305", "生活补助")],
    ),
];

/// One fictional unit's budget.
struct Unit {
    file: &'static str,
    name: &'static str,
    year: i32,
    money: Money,
    seed: u64,
    /// 三公: outbound, vehicle purchase, vehicle operation, reception (this year, last year).
    sangong: [Cents; 4],
    sangong_prev: [Cents; 4],
    /// Last year's total budget as a percentage of this year's, for the change sentence.
    prev_total_pct: i64,
    /// A deliberate mistake in the prose: the reception figure stated instead of the table's.
    narrative_reception: Option<Cents>,
}

/// One 项 row with its figures.
struct Item {
    code: [String; 3],
    name: String,
    personnel: Cents,
    public: Cents,
    project: Cents,
}

impl Item {
    fn total(&self) -> Cents {
        self.personnel + self.public + self.project
    }
}

/// Draws the 项 figures: every 项 gets amounts by its funding, from the unit's seed.
fn items(u: &Unit) -> Vec<Item> {
    let mut rng = Lcg(u.seed);
    let mut out = Vec::new();
    for (lei, _, kuans) in FUNCTIONS {
        for (kuan, _, xiangs) in *kuans {
            for (xiang, name, funding) in *xiangs {
                let (personnel, public, project) = match funding {
                    Funding::Basic => (rng.next(8_000, 60_000), rng.next(2_000, 9_000), 0),
                    Funding::Personnel => (rng.next(1_000, 12_000), 0, 0),
                    Funding::Project => (0, 0, rng.next(3_000, 40_000)),
                };
                out.push(Item {
                    code: [lei.to_string(), kuan.to_string(), xiang.to_string()],
                    name: name.to_string(),
                    personnel,
                    public,
                    project,
                });
            }
        }
    }
    out
}

/// Splits `total` over `weights` exactly (the last part takes the remainder).
fn split(total: Cents, weights: &[i64]) -> Vec<Cents> {
    let sum: i64 = weights.iter().sum();
    let mut parts: Vec<Cents> = weights.iter().map(|w| total * w / sum).collect();
    let given: Cents = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += total - given;
    }
    parts
}

/// A header cell: position, span and text.
struct HCell {
    row: usize,
    col: usize,
    rowspan: usize,
    colspan: usize,
    text: String,
}

fn h(row: usize, col: usize, rowspan: usize, colspan: usize, text: &str) -> HCell {
    HCell {
        row,
        col,
        rowspan,
        colspan,
        text: text.to_string(),
    }
}

/// One table as printed.
struct TableSpec {
    title: String,
    owner: String,
    money: Money,
    header_rows: usize,
    header: Vec<HCell>,
    /// Column widths in points.
    widths: Vec<f32>,
    /// Columns printed right-aligned (numbers).
    numeric_from: usize,
    rows: Vec<Vec<String>>,
    landscape: bool,
    /// Body rows on the first page before the table continues on the next.
    first_page_rows: Option<usize>,
}

enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table(TableSpec),
}

fn document(u: &Unit) -> Vec<Block> {
    let items = items(u);
    let m = u.money;
    let personnel: Cents = items.iter().map(|i| i.personnel).sum();
    let public: Cents = items.iter().map(|i| i.public).sum();
    let project: Cents = items.iter().map(|i| i.project).sum();
    let basic = personnel + public;
    let total = basic + project;
    let [outbound, vpurchase, voperation, reception] = u.sangong;
    let sangong_total = outbound + vpurchase + voperation + reception;
    let [p_out, p_vp, p_vo, p_rec] = u.sangong_prev;
    let sangong_prev = p_out + p_vp + p_vo + p_rec;
    let owner = format!("部门：{}", u.name);
    let mut blocks = vec![
        Block::Title(format!("{}{}年部门预算", u.name, u.year)),
        Block::Heading("第一部分 部门概况".into()),
        Block::Para(format!(
            "{}主要负责本市相关领域的政策研究、行业管理和监督执法工作，内设综合科、计划财务科、执法监督科等6个科室，下属事业单位1个。",
            u.name
        )),
        Block::Heading(format!("第二部分 {}年部门预算情况说明", u.year)),
        Block::Heading("一、收支预算总体情况".into()),
    ];
    let change = |now: Cents, before: Cents, what: &str| -> String {
        if now > before {
            format!(
                "比上年{what}增加{}万元，增长{}%",
                wan(now - before),
                pct(now, before)
            )
        } else if now < before {
            format!(
                "比上年{what}减少{}万元，下降{}%",
                wan(before - now),
                pct(now, before)
            )
        } else {
            format!("与上年{what}持平")
        }
    };
    blocks.push(Block::Para(format!(
        "{}年部门收入预算{}万元，全部为一般公共预算拨款收入，{}。支出预算{}万元，其中：基本支出{}万元，项目支出{}万元。",
        u.year,
        wan(total),
        change(total, total * u.prev_total_pct / 100, "预算"),
        wan(total),
        wan(basic),
        wan(project)
    )));
    blocks.push(Block::Heading("二、一般公共预算基本支出情况".into()));
    blocks.push(Block::Para(format!(
        "{}年一般公共预算基本支出{}万元，其中：人员经费{}万元，主要包括基本工资、津贴补贴、奖金、社会保障缴费、住房公积金、退休费等；公用经费{}万元，主要包括办公费、水电费、差旅费、会议费、培训费、公务接待费、公务用车运行维护费等。",
        u.year,
        wan(basic),
        wan(personnel),
        wan(public)
    )));
    blocks.push(Block::Heading("三、一般公共预算“三公”经费预算情况".into()));
    let stated_reception = u.narrative_reception.unwrap_or(reception);
    blocks.push(Block::Para(format!(
        "{}年一般公共预算“三公”经费预算数为{}万元，{}。其中：因公出国（境）费{}万元；公务用车购置及运行维护费{}万元（其中：公务用车购置费{}万元，公务用车运行维护费{}万元）；公务接待费{}万元。",
        u.year,
        wan(sangong_total),
        change(sangong_total, sangong_prev, "预算"),
        wan(outbound),
        wan(vpurchase + voperation),
        wan(vpurchase),
        wan(voperation),
        wan(stated_reception)
    )));
    blocks.push(Block::Para(
        "“三公”经费预算变化的主要原因是：严格落实过紧日子要求，压减公务接待和公务用车支出。".into(),
    ));
    blocks.push(Block::Heading(format!("第三部分 {}年部门预算表", u.year)));

    // 表1 收支总表 (landscape).
    let mut by_class: Vec<(String, Cents)> = Vec::new();
    for (lei, name, _) in FUNCTIONS {
        let sum = items
            .iter()
            .filter(|i| i.code[0] == *lei)
            .map(Item::total)
            .sum();
        by_class.push((name.to_string(), sum));
    }
    let income_rows = [
        ("一、一般公共预算拨款收入", Some(total)),
        ("二、政府性基金预算拨款收入", None),
        ("三、国有资本经营预算拨款收入", None),
        ("四、事业收入", None),
        ("五、其他收入", None),
    ];
    let mut rows = Vec::new();
    let n = income_rows.len().max(by_class.len());
    for i in 0..n {
        let (inc_name, inc_val) = income_rows.get(i).copied().unwrap_or(("", None));
        let (exp_name, exp_val) = by_class
            .get(i)
            .map(|(n, v)| (format!("（{}）{}", cn_num(i + 1), n), Some(*v)))
            .unwrap_or((String::new(), None));
        rows.push(vec![
            inc_name.to_string(),
            inc_val.map(|v| m.fmt(v)).unwrap_or_default(),
            exp_name,
            exp_val.map(|v| m.fmt(v)).unwrap_or_default(),
        ]);
    }
    rows.push(vec![
        "本年收入合计".into(),
        m.fmt(total),
        "本年支出合计".into(),
        m.fmt(total),
    ]);
    rows.push(vec![
        "上年结转".into(),
        String::new(),
        "结转下年".into(),
        String::new(),
    ]);
    rows.push(vec![
        "收入总计".into(),
        m.fmt(total),
        "支出总计".into(),
        m.fmt(total),
    ]);
    blocks.push(Block::Table(TableSpec {
        title: "收支预算总表".into(),
        owner: owner.clone(),
        money: m,
        header_rows: 2,
        header: vec![
            h(0, 0, 1, 2, "收入"),
            h(0, 2, 1, 2, "支出"),
            h(1, 0, 1, 1, "项目"),
            h(1, 1, 1, 1, "预算数"),
            h(1, 2, 1, 1, "项目"),
            h(1, 3, 1, 1, "预算数"),
        ],
        widths: vec![230.0, 120.0, 260.0, 120.0],
        numeric_from: 99,
        rows,
        landscape: true,
        first_page_rows: None,
    }));

    // 表2 一般公共预算支出表: 合计, 类, 款, 项 rows; continues onto a second page.
    let mut rows = vec![vec![
        String::new(),
        String::new(),
        String::new(),
        "合计".to_string(),
        m.fmt(total),
        m.fmt(basic),
        m.fmt(personnel),
        m.fmt(public),
        m.fmt(project),
    ]];
    let money_cols = |its: &[&Item]| -> Vec<String> {
        let s = |f: fn(&Item) -> Cents| its.iter().map(|i| f(i)).sum::<Cents>();
        let cells = [
            s(Item::total),
            s(|i| i.personnel + i.public),
            s(|i| i.personnel),
            s(|i| i.public),
            s(|i| i.project),
        ];
        cells
            .iter()
            .map(|&v| if v == 0 { String::new() } else { m.fmt(v) })
            .collect()
    };
    for (lei, lname, kuans) in FUNCTIONS {
        let in_lei: Vec<&Item> = items.iter().filter(|i| i.code[0] == *lei).collect();
        let mut row = vec![
            lei.to_string(),
            String::new(),
            String::new(),
            lname.to_string(),
        ];
        row.extend(money_cols(&in_lei));
        rows.push(row);
        for (kuan, kname, _) in *kuans {
            let in_kuan: Vec<&Item> = in_lei
                .iter()
                .copied()
                .filter(|i| i.code[1] == *kuan)
                .collect();
            let mut row = vec![
                lei.to_string(),
                kuan.to_string(),
                String::new(),
                kname.to_string(),
            ];
            row.extend(money_cols(&in_kuan));
            rows.push(row);
            for it in in_kuan {
                let mut row = vec![
                    it.code[0].clone(),
                    it.code[1].clone(),
                    it.code[2].clone(),
                    it.name.clone(),
                ];
                row.extend(money_cols(&[it]));
                rows.push(row);
            }
        }
    }
    blocks.push(Block::Table(TableSpec {
        title: "一般公共预算支出表".into(),
        owner: owner.clone(),
        money: m,
        header_rows: 2,
        header: vec![
            h(0, 0, 1, 3, "科目编码"),
            h(0, 3, 2, 1, "科目名称"),
            h(0, 4, 2, 1, "合计"),
            h(0, 5, 1, 3, "基本支出"),
            h(0, 8, 2, 1, "项目支出"),
            h(1, 0, 1, 1, "类"),
            h(1, 1, 1, 1, "款"),
            h(1, 2, 1, 1, "项"),
            h(1, 5, 1, 1, "小计"),
            h(1, 6, 1, 1, "人员经费"),
            h(1, 7, 1, 1, "公用经费"),
        ],
        widths: vec![30.0, 24.0, 24.0, 150.0, 60.0, 60.0, 60.0, 60.0, 60.0],
        numeric_from: 4,
        rows,
        landscape: false,
        first_page_rows: Some(24),
    }));

    // 表3 基本支出表 by economic classification.
    let weights_301 = [30, 25, 10, 12, 5, 8, 10];
    let weights_303 = [70, 30];
    // Personnel: 301 takes 90 %, 303 the rest; public: 302 with the 三公 items fixed.
    let p303 = personnel / 10;
    let p301 = personnel - p303;
    let fixed_302 = outbound + reception + voperation;
    let free_302 = split(public - fixed_302, &[30, 5, 10, 15, 8, 10, 12, 10]);
    let mut free = free_302.into_iter();
    let mut rows = vec![vec![
        String::new(),
        "合计".into(),
        m.fmt(basic),
        m.fmt(personnel),
        m.fmt(public),
    ]];
    let cell = |v: Cents| if v == 0 { String::new() } else { m.fmt(v) };
    for (code, name, subs) in ECONOMIC {
        let amounts: Vec<Cents> = match *code {
            "301" => split(p301, &weights_301),
            "303" => split(p303, &weights_303),
            _ => subs
                .iter()
                .map(|(c, _)| match *c {
                    "30212" => outbound,
                    "30217" => reception,
                    "30231" => voperation,
                    _ => free.next().unwrap_or(0),
                })
                .collect(),
        };
        let sum: Cents = amounts.iter().sum();
        let is_public = *code == "302";
        rows.push(vec![
            code.to_string(),
            name.to_string(),
            m.fmt(sum),
            if is_public { String::new() } else { m.fmt(sum) },
            if is_public { m.fmt(sum) } else { String::new() },
        ]);
        for ((c, n), v) in subs.iter().zip(amounts) {
            rows.push(vec![
                c.to_string(),
                n.to_string(),
                cell(v),
                if is_public { String::new() } else { cell(v) },
                if is_public { cell(v) } else { String::new() },
            ]);
        }
    }
    blocks.push(Block::Table(TableSpec {
        title: "一般公共预算基本支出表".into(),
        owner: owner.clone(),
        money: m,
        header_rows: 1,
        header: vec![
            h(0, 0, 1, 1, "科目编码"),
            h(0, 1, 1, 1, "科目名称"),
            h(0, 2, 1, 1, "合计"),
            h(0, 3, 1, 1, "人员经费"),
            h(0, 4, 1, 1, "公用经费"),
        ],
        widths: vec![60.0, 190.0, 85.0, 85.0, 85.0],
        numeric_from: 2,
        rows,
        landscape: false,
        first_page_rows: None,
    }));

    // 表4 三公.
    blocks.push(Block::Table(TableSpec {
        title: "一般公共预算“三公”经费支出表".into(),
        owner,
        money: m,
        header_rows: 2,
        header: vec![
            h(0, 0, 2, 1, "合计"),
            h(0, 1, 2, 1, "因公出国（境）费"),
            h(0, 2, 1, 3, "公务用车购置及运行维护费"),
            h(0, 5, 2, 1, "公务接待费"),
            h(1, 2, 1, 1, "小计"),
            h(1, 3, 1, 1, "公务用车购置费"),
            h(1, 4, 1, 1, "公务用车运行维护费"),
        ],
        widths: vec![80.0, 80.0, 80.0, 80.0, 95.0, 80.0],
        numeric_from: 0,
        rows: vec![vec![
            m.fmt(sangong_total),
            m.fmt(outbound),
            m.fmt(vpurchase + voperation),
            m.fmt(vpurchase),
            m.fmt(voperation),
            m.fmt(reception),
        ]],
        landscape: false,
        first_page_rows: None,
    }));
    blocks
}

fn cn_num(n: usize) -> &'static str {
    [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ]
    .get(n)
    .copied()
    .unwrap_or("十")
}

// ---------------------------------------------------------------- PDF rendering

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const ROW_H: f32 = 20.0;

/// Width of `s` at `size`: CJK full-width, ASCII half-width (the font's /W says the same).
fn text_width(s: &str, size: f32) -> f32 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum::<f32>()
        * size
}

struct PageOut {
    width: f32,
    height: f32,
    ops: Vec<Operation>,
}

impl PageOut {
    fn new(landscape: bool) -> PageOut {
        let (w, h) = if landscape { (A4.1, A4.0) } else { A4 };
        PageOut {
            width: w,
            height: h,
            ops: Vec::new(),
        }
    }

    /// Text with its top at `top` (measured from the page top).
    fn text(&mut self, x: f32, top: f32, size: f32, s: &str) {
        let mut bytes = Vec::new();
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        let baseline = self.height - top - size * 0.88;
        self.ops.push(Operation::new("BT", vec![]));
        self.ops
            .push(Operation::new("Tf", vec!["F1".into(), size.into()]));
        self.ops
            .push(Operation::new("Td", vec![x.into(), baseline.into()]));
        self.ops.push(Operation::new(
            "Tj",
            vec![Object::String(bytes, StringFormat::Hexadecimal)],
        ));
        self.ops.push(Operation::new("ET", vec![]));
    }

    /// A stroked rectangle given from the top-left corner.
    fn rect(&mut self, x: f32, top: f32, w: f32, h: f32) {
        let y = self.height - top - h;
        self.ops.push(Operation::new(
            "re",
            vec![x.into(), y.into(), w.into(), h.into()],
        ));
        self.ops.push(Operation::new("S", vec![]));
    }
}

struct Flow {
    pages: Vec<PageOut>,
    y: f32,
}

impl Flow {
    fn page(&mut self) -> &mut PageOut {
        if self.pages.is_empty() {
            self.new_page(false);
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self, landscape: bool) {
        let mut p = PageOut::new(landscape);
        p.ops.push(Operation::new("w", vec![0.5.into()]));
        self.pages.push(p);
        self.y = MARGIN;
    }

    fn ensure(&mut self, h: f32) {
        let height = self.page().height;
        if self.y + h > height - MARGIN {
            let landscape = self.page().width > self.page().height;
            self.new_page(landscape);
        }
    }

    fn line(&mut self, s: &str, size: f32, indent: f32, centered: bool) {
        self.ensure(size * 1.6);
        let y = self.y;
        let p = self.page();
        let x = if centered {
            (p.width - text_width(s, size)) / 2.0
        } else {
            MARGIN + indent
        };
        p.text(x, y, size, s);
        self.y += size * 1.6;
    }

    fn para(&mut self, s: &str, size: f32) {
        let max = self.page().width - 2.0 * MARGIN;
        let mut line = String::new();
        let mut first = true;
        for ch in s.chars() {
            let indent = if first { 2.0 * size } else { 0.0 };
            if text_width(&line, size) + text_width(&ch.to_string(), size) + indent > max {
                self.line(&line, size, indent, false);
                line.clear();
                first = false;
            }
            line.push(ch);
        }
        if !line.is_empty() {
            let indent = if first { 2.0 * size } else { 0.0 };
            self.line(&line, size, indent, false);
        }
    }

    fn table(&mut self, t: &TableSpec) {
        let size = 9.0;
        let total_w: f32 = t.widths.iter().sum();
        if t.landscape != (self.page().width > self.page().height) || self.y > MARGIN {
            self.new_page(t.landscape);
        }
        self.line(&t.title, 15.0, 0.0, true);
        let y = self.y;
        let p = self.page();
        let left = (p.width - total_w) / 2.0;
        p.text(left, y, 10.0, &t.owner);
        let unit = format!("单位：{}", t.money.label());
        p.text(left + total_w - text_width(&unit, 10.0), y, 10.0, &unit);
        self.y += 16.0;
        self.header(t, left);
        for (i, row) in t.rows.iter().enumerate() {
            let split_here = t.first_page_rows == Some(i);
            if split_here || self.y + ROW_H > self.page().height - MARGIN {
                self.new_page(t.landscape);
                self.header(t, left);
            }
            let y = self.y;
            let p = self.page();
            let mut x = left;
            for (c, w) in t.widths.iter().enumerate() {
                p.rect(x, y, *w, ROW_H);
                let s = row.get(c).map(String::as_str).unwrap_or("");
                if !s.is_empty() {
                    let tx = if c >= t.numeric_from {
                        x + w - 3.0 - text_width(s, size)
                    } else {
                        x + 3.0
                    };
                    p.text(tx, y + (ROW_H - size) / 2.0, size, s);
                }
                x += w;
            }
            self.y += ROW_H;
        }
        self.y += 12.0;
    }

    fn header(&mut self, t: &TableSpec, left: f32) {
        let size = 9.0;
        let y0 = self.y;
        let p = self.page();
        for hc in &t.header {
            let x: f32 = left + t.widths.iter().take(hc.col).sum::<f32>();
            let w: f32 = t.widths.iter().skip(hc.col).take(hc.colspan).sum();
            let top = y0 + hc.row as f32 * ROW_H;
            let hgt = hc.rowspan as f32 * ROW_H;
            p.rect(x, top, w, hgt);
            let tw = text_width(&hc.text, size);
            if tw <= w - 4.0 {
                p.text(x + (w - tw) / 2.0, top + (hgt - size) / 2.0, size, &hc.text);
            } else {
                // Too wide for one line: wrap onto two lines inside the cell.
                let chars: Vec<char> = hc.text.chars().collect();
                let half = chars.len().div_ceil(2);
                let a: String = chars.iter().take(half).collect();
                let b: String = chars.iter().skip(half).collect();
                let mid = top + hgt / 2.0;
                p.text(
                    x + (w - text_width(&a, size)) / 2.0,
                    mid - size - 1.0,
                    size,
                    &a,
                );
                p.text(x + (w - text_width(&b, size)) / 2.0, mid + 1.0, size, &b);
            }
        }
        self.y += t.header_rows as f32 * ROW_H;
    }
}

fn write_pdf(blocks: &[Block], path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut flow = Flow {
        pages: Vec::new(),
        y: MARGIN,
    };
    for b in blocks {
        match b {
            Block::Title(s) => {
                flow.y += 20.0;
                flow.line(s, 20.0, 0.0, true);
                flow.y += 10.0;
            }
            Block::Heading(s) => flow.line(s, 12.0, 0.0, false),
            Block::Para(s) => flow.para(s, 11.0),
            Block::Table(t) => flow.table(t),
        }
    }

    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "STSong-Light",
        "Flags" => 6,
        "FontBBox" => vec![(-25).into(), (-254).into(), 1000.into(), 880.into()],
        "ItalicAngle" => 0,
        "Ascent" => 880,
        "Descent" => -120,
        "CapHeight" => 880,
        "StemV" => 93,
    });
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType0",
        "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"),
            "Supplement" => 4,
        },
        "FontDescriptor" => descriptor,
        "DW" => 1000,
        // CIDs 1–95 are the ASCII characters in Adobe-GB1: half-width.
        "W" => vec![1.into(), 95.into(), 500.into()],
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "STSong-Light-UniGB-UCS2-H",
        "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![cid_font.into()],
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
    });
    let mut kids: Vec<Object> = Vec::new();
    for p in flow.pages {
        let content = Content { operations: p.ops };
        let stream = Stream::new(dictionary! {}, content.encode()?);
        let content_id: ObjectId = doc.add_object(stream);
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), p.width.into(), p.height.into()],
            "Contents" => content_id,
            "Resources" => resources,
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Producer" => Object::string_literal("gongkai make_samples"),
        "Title" => Object::string_literal("sample budget"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    doc.save(path)?;
    Ok(())
}

// ---------------------------------------------------------------- text rendering

/// The same document as a text extraction: prose lines, table titles, and table rows with
/// tab-separated cells (a spanning header cell's text in its first column), like the seeds.
fn write_text(blocks: &[Block], path: &Path) -> std::io::Result<()> {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(s) | Block::Heading(s) | Block::Para(s) => {
                out.push_str(s);
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                out.push_str(&t.title);
                out.push_str("\n\n");
                out.push_str(&format!("{}\t单位：{}\n", t.owner, t.money.label()));
                let n = t.widths.len();
                for r in 0..t.header_rows {
                    let mut cells = vec![String::new(); n];
                    for hc in t.header.iter().filter(|hc| hc.row == r) {
                        if let Some(c) = cells.get_mut(hc.col) {
                            *c = hc.text.clone();
                        }
                    }
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                }
                for row in &t.rows {
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
    std::fs::write(path, out)
}

fn units() -> Vec<Unit> {
    vec![
        Unit {
            file: "shili-ju_2025_budget",
            name: "某市示例局",
            year: 2025,
            money: Money::Wanyuan,
            seed: 20250101,
            sangong: [0, 0, 1_250, 860],
            sangong_prev: [0, 2_400, 1_380, 950],
            prev_total_pct: 96,
            narrative_reception: None,
        },
        Unit {
            file: "shili-zhongxin_2025_budget_yuan",
            name: "某区示例服务中心",
            year: 2025,
            money: Money::Yuan,
            seed: 20250202,
            sangong: [300, 0, 580, 210],
            sangong_prev: [300, 0, 640, 260],
            prev_total_pct: 108,
            // The prose says 3.1 万元 where the table has 0.21 万元 (2,100 元): checks should see it.
            narrative_reception: Some(310),
        },
        Unit {
            file: "shili-suo_2025_budget",
            name: "某县示例事务所",
            year: 2025,
            money: Money::Wanyuan,
            seed: 20250303,
            sangong: [0, 0, 620, 330],
            sangong_prev: [0, 0, 620, 330],
            prev_total_pct: 100,
            narrative_reception: None,
        },
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("samples"));
    std::fs::create_dir_all(&out)?;
    for (i, u) in units().iter().enumerate() {
        let blocks = document(u);
        // The last unit is published as text, the others as PDF.
        if i == 2 {
            let path = out.join(format!("{}.txt", u.file));
            write_text(&blocks, &path)?;
            println!("wrote {}", path.display());
        } else {
            let path = out.join(format!("{}.pdf", u.file));
            write_pdf(&blocks, &path)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
