fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let layout = gongkai::layout::from_text(&gongkai::pipeline::decode_text(&bytes));
        for p in &layout.pages {
            for b in &p.blocks {
                match b {
                    gongkai::layout::Block::Text(l) => println!(
                        "T {} {}",
                        l.y0,
                        l.text().chars().take(40).collect::<String>()
                    ),
                    gongkai::layout::Block::Table(g) => {
                        println!("G {:?} cols={}", g.bbox, g.n_cols());
                        for r in &g.rows {
                            println!(
                                "   {}",
                                r.iter()
                                    .map(|c| c.text.chars().take(12).collect::<String>())
                                    .collect::<Vec<_>>()
                                    .join(" | ")
                            );
                        }
                    }
                }
            }
        }
    }
}
