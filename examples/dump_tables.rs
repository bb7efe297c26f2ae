fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let layout = gongkai::layout::from_text(&gongkai::pipeline::decode_text(&bytes));
        for t in gongkai::recognize::recognize(&layout).tables {
            println!(
                "#{} {:?} {:?} owner={:?} unit={} printed={} pages={:?}",
                t.id,
                t.kind,
                t.title,
                t.owner,
                t.unit.as_str(),
                t.unit_printed,
                t.pages
            );
            println!("   cols={:?}", t.columns);
            for r in &t.rows {
                let cells: Vec<String> = r
                    .cells
                    .iter()
                    .map(|c| format!("{}:{}", c.col, c.raw))
                    .collect();
                println!(
                    "   p{} [{}] code={:?} {}",
                    r.page,
                    r.label,
                    r.code,
                    cells.join(" | ")
                );
            }
            for n in &t.notes {
                println!("   note: {n}");
            }
        }
    }
}
