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
