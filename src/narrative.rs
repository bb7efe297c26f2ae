//! The narrative stage: owns amounts stated in prose — the figure, its unit, what it is (a
//! canonical key), and the change it reports against the previous year.

use crate::amount::Unit;
use rust_decimal::Decimal;

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

/// Finds the amounts stated in the document's prose.
pub fn extract(layout: &crate::layout::Layout, facts: &crate::recognize::DocFacts) -> Vec<Amount> {
    let _ = (layout, facts);
    Vec::new()
}
