//! The recognition stage: owns what the laid-out document *means* — document facts (unit,
//! year, 预算/决算, level, region) and the standard tables (kind, title, owner, unit, header
//! paths, one logical table across pages, row labels and 科目编码, amounts).

pub mod codes;
pub mod facts;
pub mod header;
pub mod kind;
pub mod sangong_table;
pub mod tables;

use crate::amount::Unit;
use rust_decimal::Decimal;

/// Canonical table kinds, by title and header patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TableKind {
    IncomeExpenseSummary,
    IncomeSummary,
    ExpenditureSummary,
    FiscalGrantSummary,
    /// 财政拨款支出表: the fiscal grants' spending by 科目 (all grant funds, not only 一般公共预算).
    FiscalGrantExpenditure,
    GeneralBudgetExpenditure,
    BasicExpenditure,
    Sangong,
    GovFund,
    StateCapital,
    ProjectExpenditure,
    Procurement,
    Performance,
    Other,
}

impl TableKind {
    /// The key written to tables.csv.
    pub fn key(self) -> &'static str {
        match self {
            TableKind::IncomeExpenseSummary => "income_expense_summary",
            TableKind::IncomeSummary => "income_summary",
            TableKind::ExpenditureSummary => "expenditure_summary",
            TableKind::FiscalGrantSummary => "fiscal_grant_summary",
            TableKind::FiscalGrantExpenditure => "fiscal_grant_expenditure",
            TableKind::GeneralBudgetExpenditure => "general_budget_expenditure",
            TableKind::BasicExpenditure => "basic_expenditure",
            TableKind::Sangong => "sangong",
            TableKind::GovFund => "gov_fund",
            TableKind::StateCapital => "state_capital",
            TableKind::ProjectExpenditure => "project_expenditure",
            TableKind::Procurement => "procurement",
            TableKind::Performance => "performance",
            TableKind::Other => "other",
        }
    }
}

/// One body cell that is not empty.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyCell {
    /// 0-based column index into [`Table::columns`].
    pub col: usize,
    /// The text as printed.
    pub raw: String,
    /// The amount in 万元 when the cell is a number (percentages are not converted and stay
    /// `None` here; see `pct`).
    pub value: Option<Decimal>,
    /// A percentage cell's number (e.g. `20.4` for `20.4%`).
    pub pct: Option<Decimal>,
}

/// One body row of a logical table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based page the row is printed on.
    pub page: usize,
    /// The row's label (科目名称, 项目, 单位名称…), whitespace-normalised.
    pub label: String,
    /// 科目编码 (functional 3/5/7 digits, or economic 301/30101), joined when split in columns.
    pub code: Option<String>,
    pub cells: Vec<BodyCell>,
}

/// One logical table (possibly spanning pages).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// 1-based position in the document.
    pub id: usize,
    pub kind: TableKind,
    pub title: String,
    /// Owner line such as `【366】湖州市综合行政执法局（汇总）` or `单位：205004-…`.
    pub owner: Option<String>,
    /// The amount unit declared for the table (万元 when none is printed).
    pub unit: Unit,
    /// Whether `unit` was printed (false: assumed).
    pub unit_printed: bool,
    /// 1-based pages, ascending.
    pub pages: Vec<usize>,
    /// Column paths, e.g. `基本支出/人员经费`, one per column.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Notes under the table (`注：…`, `此表为空`, `本表无数据`).
    pub notes: Vec<String>,
}

/// 预算 or 决算.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum DocKind {
    Budget,
    FinalAccounts,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Budget => "预算",
            DocKind::FinalAccounts => "决算",
        }
    }
}

/// Facts read from the document itself (never from the file name).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocFacts {
    pub unit_name: Option<String>,
    pub year: Option<i32>,
    pub doc_kind: Option<DocKind>,
    /// `部门` (department summary) or `单位` (one unit).
    pub level: Option<String>,
    pub region: Option<String>,
}

/// Everything recognised in one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recognized {
    pub facts: DocFacts,
    pub tables: Vec<Table>,
}

/// Recognises document facts and tables in a laid-out document.
pub fn recognize(layout: &crate::layout::Layout) -> Recognized {
    Recognized {
        facts: facts::extract(layout),
        tables: tables::recognize_tables(layout),
    }
}
