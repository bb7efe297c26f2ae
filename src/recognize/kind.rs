//! Table kinds from titles (and, when the title says nothing, from header paths). Titles vary
//! by region and year (部门/单位/市级, 预算NN表, quotes around 三公, 预算/决算), so the tests are
//! on normalised key words, the more specific ones first.

use super::TableKind;
use unicode_normalization::UnicodeNormalization;

/// NFKC, no whitespace, no quotes: `“三公”` / `"三公"` / `三公` all read `三公`.
pub fn norm_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '「' | '」')
        })
        .collect()
}

/// The kind a title names, or `Other`.
pub fn kind_from_title(title: &str) -> TableKind {
    let t = norm_key(title);
    let has = |w: &str| t.contains(w);
    if has("三公") {
        TableKind::Sangong
    } else if has("政府性基金") {
        TableKind::GovFund
    } else if has("国有资本经营") {
        TableKind::StateCapital
    } else if has("采购") {
        TableKind::Procurement
    } else if has("绩效") {
        TableKind::Performance
    } else if has("财政拨款收支") || has("财政拨款收入支出") {
        TableKind::FiscalGrantSummary
    } else if has("收支") || has("收入支出") || (has("收入") && has("支出") && has("总"))
    {
        TableKind::IncomeExpenseSummary
    } else if has("基本支出") {
        TableKind::BasicExpenditure
    } else if has("项目支出") {
        TableKind::ProjectExpenditure
    } else if has("一般公共预算") && has("支出") {
        TableKind::GeneralBudgetExpenditure
    } else if has("财政拨款") && has("支出") {
        TableKind::FiscalGrantExpenditure
    } else if has("收入") && (has("总表") || has("决算表") || has("预算表") || has("总体情况"))
    {
        TableKind::IncomeSummary
    } else if has("支出") && (has("总表") || has("决算表") || has("预算表") || has("总体情况"))
    {
        TableKind::ExpenditureSummary
    } else {
        TableKind::Other
    }
}

/// The kind header paths suggest when the title did not tell.
pub fn kind_from_columns(columns: &[String]) -> TableKind {
    let all: String = columns
        .iter()
        .map(|c| norm_key(c))
        .collect::<Vec<_>>()
        .join("|");
    if all.contains("三公") || (all.contains("出国") && all.contains("接待") && all.contains("车"))
    {
        TableKind::Sangong
    } else {
        TableKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let cases = [
            (
                "2021年市级部门一般公共预算“三公”经费支出表",
                TableKind::Sangong,
            ),
            ("一般公共预算\"三公\"经费支出表", TableKind::Sangong),
            (
                "2023年市级单位财政拨款收支预算总表",
                TableKind::FiscalGrantSummary,
            ),
            ("财政拨款收支总表", TableKind::FiscalGrantSummary),
            (
                "公开05表财政拨款支出表（功能科目）",
                TableKind::FiscalGrantExpenditure,
            ),
            ("财政拨款支出预算表", TableKind::FiscalGrantExpenditure),
            (
                "一般公共预算财政拨款支出决算表",
                TableKind::GeneralBudgetExpenditure,
            ),
            (
                "财政拨款基本支出表（经济科目）",
                TableKind::BasicExpenditure,
            ),
            ("收支总表", TableKind::IncomeExpenseSummary),
            (
                "2021年市级部门收支预算总表",
                TableKind::IncomeExpenseSummary,
            ),
            ("收入支出决算总表", TableKind::IncomeExpenseSummary),
            ("收入支出决算表", TableKind::IncomeExpenseSummary),
            ("收入决算表", TableKind::IncomeSummary),
            ("支出决算表", TableKind::ExpenditureSummary),
            ("财政拨款收入支出决算总表", TableKind::FiscalGrantSummary),
            (
                "一般公共预算财政拨款支出决算表",
                TableKind::GeneralBudgetExpenditure,
            ),
            (
                "一般公共预算财政拨款基本支出决算表",
                TableKind::BasicExpenditure,
            ),
            (
                "一般公共预算财政拨款“三公”经费支出决算表",
                TableKind::Sangong,
            ),
            ("政府性基金预算财政拨款收入支出决算表", TableKind::GovFund),
            (
                "国有资本经营预算财政拨款支出决算表",
                TableKind::StateCapital,
            ),
            ("部门收支总表", TableKind::IncomeExpenseSummary),
            // 广州's 总体情况表 family.
            ("收支总体情况表", TableKind::IncomeExpenseSummary),
            ("财政拨款收支总体情况表", TableKind::FiscalGrantSummary),
            ("收入总体情况表", TableKind::IncomeSummary),
            ("本年支出总体情况表", TableKind::ExpenditureSummary),
            ("支出总体情况表", TableKind::ExpenditureSummary),
            ("部门收入总表", TableKind::IncomeSummary),
            ("部门支出总表", TableKind::ExpenditureSummary),
            ("2022年收入预算总表", TableKind::IncomeSummary),
            ("2021年市级部门支出预算总表", TableKind::ExpenditureSummary),
            (
                "2021年市级部门一般公共预算支出表",
                TableKind::GeneralBudgetExpenditure,
            ),
            (
                "2021年市级部门一般公共预算基本支出表",
                TableKind::BasicExpenditure,
            ),
            (
                "一般公共预算基本支出表--人员经费(对个人和家庭的补助)",
                TableKind::BasicExpenditure,
            ),
            ("2023年市级单位政府性基金预算支出表", TableKind::GovFund),
            (
                "2023年市级单位国有资本经营预算支出表",
                TableKind::StateCapital,
            ),
            (
                "2021年市级部门项目支出预算表",
                TableKind::ProjectExpenditure,
            ),
            (
                "2021年市级部门单位预算财政拨款项目支出预算表",
                TableKind::ProjectExpenditure,
            ),
            ("2022年部门整体支出绩效目标表", TableKind::Performance),
            ("政府采购预算表", TableKind::Procurement),
            ("专项资金预算汇总表", TableKind::Other),
        ];
        for (title, kind) in cases {
            assert_eq!(kind_from_title(title), kind, "{title}");
        }
    }
}
