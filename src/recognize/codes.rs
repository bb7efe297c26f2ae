//! 科目编码 columns: which columns hold subject codes (functional 类/款/项 = 3/5/7 digits, or
//! economic 301/30101), which hold identifiers that are not amounts (单位代码), and joining a
//! code split over 类 | 款 | 项 columns (`212 | 01 | 01` → `2120101`).

use super::header::clean;
use super::kind::norm_key;

/// What a column holds, as far as codes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColRole {
    /// Amounts or text.
    Plain,
    /// A whole subject code per cell.
    Code,
    /// 类 (3 digits), 款 (2) or 项 (2) of a split functional code.
    Lei,
    Kuan,
    Xiang,
    /// An identifier such as 单位代码: never an amount, never the row's label.
    Id,
}

impl ColRole {
    /// Whether the column's numbers are identifiers rather than amounts.
    pub fn is_identifier(self) -> bool {
        !matches!(self, ColRole::Plain)
    }
}

fn is_digits(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
}

/// A whole subject code: 3, 5 or 7 digits.
pub fn is_subject_code(s: &str) -> bool {
    is_digits(&clean(s), &[3, 5, 7])
}

/// Roles of the columns from their header paths and, where headers say nothing, their cells.
pub fn column_roles(columns: &[String], body: &[Vec<String>]) -> Vec<ColRole> {
    let mut roles: Vec<ColRole> = columns
        .iter()
        .map(|path| {
            let leaf = norm_key(path.rsplit('/').next().unwrap_or_default());
            let p = norm_key(path);
            match leaf.as_str() {
                "类" => ColRole::Lei,
                "款" => ColRole::Kuan,
                "项" => ColRole::Xiang,
                _ if p.contains("单位代码") || p.contains("单位编码") || p.contains("单位编号") => {
                    ColRole::Id
                }
                _ if p.contains("编码") || p.contains("科目代码") => ColRole::Code,
                _ if p.contains("代码") || p.contains("编号") => ColRole::Id,
                _ => ColRole::Plain,
            }
        })
        .collect();
    // Header-less code columns: among the first columns, nearly every filled cell a code.
    for (c, role) in roles.iter_mut().enumerate().take(2) {
        if *role != ColRole::Plain || columns.get(c).is_some_and(|p| !p.is_empty()) {
            continue;
        }
        let cells: Vec<&String> = body
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|s| !clean(s).is_empty())
            .collect();
        let codes = cells.iter().filter(|s| is_subject_code(s)).count();
        if codes >= 2 && codes * 10 >= cells.len() * 9 {
            *role = ColRole::Code;
        }
    }
    // A 类 column without 款/项 headers still pairs with the next two 2-digit columns.
    roles
}

/// The row's subject code from its code columns, split parts joined.
pub fn row_code(roles: &[ColRole], cells: &[String]) -> Option<String> {
    let get = |role: ColRole| -> Option<String> {
        roles
            .iter()
            .position(|r| *r == role)
            .and_then(|c| cells.get(c))
            .map(|s| clean(s))
            .filter(|s| !s.is_empty())
    };
    if let Some(code) = get(ColRole::Code) {
        return is_subject_code(&code).then_some(code);
    }
    let lei = get(ColRole::Lei)?;
    if !is_digits(&lei, &[3]) {
        return None;
    }
    let mut code = lei;
    if let Some(kuan) = get(ColRole::Kuan).filter(|k| is_digits(k, &[2])) {
        code.push_str(&kuan);
        if let Some(xiang) = get(ColRole::Xiang).filter(|x| is_digits(x, &[2])) {
            code.push_str(&xiang);
        }
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn split_codes_join() {
        let cols = s(&[
            "功能科目/类",
            "功能科目/款",
            "功能科目/项",
            "单位代码",
            "单位名称",
            "总计",
        ]);
        let body = vec![s(&["212", "01", "01", "205004", "行政运行", "93.00"])];
        let roles = column_roles(&cols, &body);
        assert_eq!(roles[3], ColRole::Id);
        assert_eq!(row_code(&roles, &body[0]).as_deref(), Some("2120101"));
        let none = s(&["", "", "", "205", "株洲市城市管理和综合执法局", "93.00"]);
        assert_eq!(row_code(&roles, &none), None);
    }

    #[test]
    fn code_column_by_header_and_by_content() {
        let cols = s(&["科目编码", "科目名称", "合计"]);
        let body = vec![s(&["2080501", "行政单位离退休", "50.63"])];
        let roles = column_roles(&cols, &body);
        assert_eq!(row_code(&roles, &body[0]).as_deref(), Some("2080501"));
        let cols = s(&["", "", ""]);
        let body = vec![
            s(&["301", "工资福利支出", "1.00"]),
            s(&["30101", "基本工资", "1.00"]),
        ];
        let roles = column_roles(&cols, &body);
        assert_eq!(roles[0], ColRole::Code);
        assert_eq!(row_code(&roles, &body[1]).as_deref(), Some("30101"));
    }
}
