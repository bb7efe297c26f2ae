//! Table recognition over the real corpus (/work/shared/corpus/pdf): arithmetic closure of the
//! tables with 合计 or 类/款/项 structure (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, 总计 = 基本 + 项目), and
//! the 三公 table's figures against the hand-checked labels.

use gongkai::checks::SangongFigures;
use gongkai::pipeline::{Options, Status, process_bytes};
use gongkai::recognize::sangong_table::sangong_figures;
use gongkai::recognize::{Table, TableKind};
use gongkai::source::InputKind;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn corpus_tables(file: &str) -> Option<Vec<Table>> {
    let path = shared().join("corpus/pdf").join(file);
    let bytes = std::fs::read(&path).ok()?;
    let r = process_bytes(
        file,
        InputKind::Pdf,
        &bytes,
        String::new(),
        &Options::default(),
    );
    (r.status == Status::Ok).then_some(r.recognized.tables)
}

fn value(row: &gongkai::recognize::Row, col: usize) -> Option<Decimal> {
    row.cells
        .iter()
        .find(|c| c.col == col)
        .and_then(|c| c.value)
}

/// Amount columns: those with at least one figure that is not a code.
fn amount_columns(t: &Table) -> Vec<usize> {
    let mut cols: Vec<usize> = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().filter(|c| c.value.is_some()).map(|c| c.col))
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// How a table's arithmetic came out.
enum Closure {
    Exact,
    /// Every difference is within the rounding of the printed figures (one unit of the last
    /// printed decimal per part): the document rounded its parts and totals independently.
    Rounding(String),
    /// A difference beyond rounding: a misread of ours or an error of the document.
    Off(String),
}

/// Checks of one table: (checks done, outcome).
fn closure(t: &Table) -> (usize, Closure) {
    let cols = amount_columns(t);
    let mut checks = 0;
    let mut rounding: Option<String> = None;
    let mut off: Option<String> = None;
    let mut check = |what: String, parent: Option<Decimal>, parts: Vec<Option<Decimal>>| {
        if parent.is_none() && parts.iter().all(Option::is_none) {
            return;
        }
        checks += 1;
        let sum: Decimal = parts.iter().flatten().sum();
        let p = parent.unwrap_or_default();
        if p == sum {
            return;
        }
        let scale = parts
            .iter()
            .flatten()
            .map(|d| d.scale())
            .chain(std::iter::once(p.scale()))
            .max()
            .unwrap_or(0);
        let unit = Decimal::new(1, scale);
        let n = parts.iter().flatten().count().max(1);
        let slot = if (p - sum).abs() <= unit * Decimal::from(n) {
            &mut rounding
        } else {
            &mut off
        };
        if slot.is_none() {
            *slot = Some(format!("{what}: {p} ≠ Σ {sum}"));
        }
    };
    let coded: Vec<&gongkai::recognize::Row> = t.rows.iter().filter(|r| r.code.is_some()).collect();
    let code_of = |r: &gongkai::recognize::Row| r.code.clone().unwrap_or_default();
    // Parent code rows against their direct children (3 → 5 → 7 digits): the rows printed
    // under the parent, up to the next row at its level or above. By position, not by code
    // alone: a table printing two classifications side by side (部门 301 | 政府 501, then
    // 301 | 505) has the same code as two parents, each with its own children.
    for (i, parent) in coded.iter().enumerate() {
        let pc = code_of(parent);
        let children: Vec<&&gongkai::recognize::Row> = coded
            .iter()
            .skip(i + 1)
            .take_while(|r| code_of(r).len() > pc.len())
            .filter(|r| {
                let c = code_of(r);
                c.len() == pc.len() + 2 && c.starts_with(&pc)
            })
            .collect();
        if children.is_empty() {
            continue;
        }
        for &col in &cols {
            check(
                format!("{} col {col}", pc),
                value(parent, col),
                children.iter().map(|r| value(r, col)).collect(),
            );
        }
    }
    // 合计 against the 3-digit rows.
    let top: Vec<&&gongkai::recognize::Row> =
        coded.iter().filter(|r| code_of(r).len() == 3).collect();
    if let Some(total) = t
        .rows
        .iter()
        .find(|r| gongkai::recognize::header::is_total_label(&r.label))
        .filter(|_| !top.is_empty())
    {
        for &col in &cols {
            check(
                format!("合计 col {col}"),
                value(total, col),
                top.iter().map(|r| value(r, col)).collect(),
            );
        }
    }
    // 总计 = the column groups printed after it on every row: 基本支出 + 项目支出, and any other
    // spending column beside them (事业单位经营支出, 上缴上级支出, 单位预留机动经费 …). A group
    // counts by its 小计/合计 where it prints one, else by its leaves. Tables with a 其中
    // column (a part of a part) are left out: their columns do not add up by design.
    let keys: Vec<String> = t
        .columns
        .iter()
        .map(|c| gongkai::recognize::kind::norm_key(c))
        .collect();
    let total_col = keys.iter().position(|c| c == "合计" || c == "总计");
    let has_top = |name: &str| keys.iter().any(|k| k.split('/').next() == Some(name));
    if let Some(tc) = total_col
        && has_top("基本支出")
        && has_top("项目支出")
        && !keys.iter().any(|k| k.contains("其中"))
    {
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, k) in keys.iter().enumerate().skip(tc + 1) {
            let top = k.split('/').next().unwrap_or(k).to_string();
            match groups.last_mut() {
                Some((g, cols)) if *g == top => cols.push(i),
                _ => groups.push((top, vec![i])),
            }
        }
        let part_cols: Vec<usize> = groups
            .iter()
            .flat_map(|(_, cols)| {
                let sub = cols.iter().copied().find(|&i| {
                    let leaf = keys[i].rsplit('/').next().unwrap_or("");
                    keys[i].contains('/') && (leaf == "小计" || leaf == "合计")
                });
                match sub {
                    Some(i) => vec![i],
                    None => cols.clone(),
                }
            })
            .collect();
        for r in &t.rows {
            check(
                format!("{} 总计", r.label),
                value(r, tc),
                part_cols.iter().map(|&c| value(r, c)).collect(),
            );
        }
    }
    let outcome = match (off, rounding) {
        (Some(why), _) => Closure::Off(why),
        (None, Some(why)) => Closure::Rounding(why),
        (None, None) => Closure::Exact,
    };
    (checks, outcome)
}

fn pdf_files() -> Vec<String> {
    let dir = shared().join("corpus/pdf");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.to_lowercase().ends_with(".pdf"))
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_tables_close_arithmetically() {
    let files = pdf_files();
    // Per file: (checkable, exact, rounding-only, listed outcomes).
    let results: Vec<(String, usize, usize, usize, Vec<String>)> = files
        .par_iter()
        .filter_map(|f| {
            let tables = corpus_tables(f)?;
            let (mut checkable, mut exact, mut rounded) = (0, 0, 0);
            let mut listed = Vec::new();
            for t in &tables {
                let (n, outcome) = closure(t);
                if n == 0 {
                    continue;
                }
                checkable += 1;
                match outcome {
                    Closure::Exact => exact += 1,
                    Closure::Rounding(why) => {
                        rounded += 1;
                        listed.push(format!(
                            "table {} {:?}: the document's rounding: {why}",
                            t.id, t.title
                        ));
                    }
                    Closure::Off(why) => listed.push(format!(
                        "table {} {:?}: beyond rounding: {why}",
                        t.id, t.title
                    )),
                }
            }
            Some((f.clone(), checkable, exact, rounded, listed))
        })
        .collect();
    let (mut all, mut ok, mut rounding) = (0, 0, 0);
    for (f, n, exact, rounded, listed) in &results {
        println!(
            "{f}: {exact}/{n} checkable tables close exactly, {rounded} within the printed rounding"
        );
        for o in listed {
            println!("    {o}");
        }
        all += n;
        ok += exact;
        rounding += rounded;
    }
    let pct = |k: usize| 100.0 * k as f64 / all.max(1) as f64;
    println!(
        "TOTAL: {ok}/{all} checkable tables close exactly ({:.1}%); {rounding} more within the document's own rounding ({:.1}% together); {} beyond rounding ({:.1}%)",
        pct(ok),
        pct(ok + rounding),
        all - ok - rounding,
        pct(all - ok - rounding)
    );
    assert!(all > 100, "too few checkable tables: {all}");
    assert!(
        pct(ok + rounding) >= 97.0,
        "{:.1}% close exactly or within the printed rounding",
        pct(ok + rounding)
    );
}

fn label_dec(s: &str) -> Option<Decimal> {
    s.trim().parse().ok()
}

#[test]
fn sangong_tables_match_labels() {
    let path = shared().join("corpus/labels/sangong.csv");
    let mut rdr = csv::Reader::from_path(&path).expect("labels");
    let headers = rdr.headers().expect("header").clone();
    let idx = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .expect("label column")
    };
    let cols = [
        idx("table_total"),
        idx("table_outbound"),
        idx("table_reception"),
        idx("table_vehicle_total"),
        idx("table_vehicle_purchase"),
        idx("table_vehicle_operation"),
    ];
    let (file_i, cur_i) = (idx("file"), idx("currency"));
    let labeled: Vec<(String, String, Vec<Option<Decimal>>)> = rdr
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            let vals: Vec<Option<Decimal>> = cols
                .iter()
                .map(|&i| label_dec(r.get(i).unwrap_or_default()))
                .collect();
            (
                r.get(file_i).unwrap_or_default().to_string(),
                r.get(cur_i).unwrap_or_default().to_string(),
                vals,
            )
        })
        .filter(|(_, _, v)| v.iter().any(Option::is_some))
        .collect();
    let results: Vec<(String, bool, String)> = labeled
        .par_iter()
        .map(|(file, currency, want)| {
            let unit = if currency == "元" {
                gongkai::amount::Unit::Yuan
            } else {
                gongkai::amount::Unit::Wanyuan
            };
            let want: Vec<Option<Decimal>> =
                want.iter().map(|v| v.map(|x| unit.to_wanyuan(x))).collect();
            let Some(tables) = corpus_tables(file) else {
                return (file.clone(), false, "not read".to_string());
            };
            let mut seen = Vec::new();
            for t in tables.iter().filter(|t| t.kind == TableKind::Sangong) {
                if let Some((f, _, note)) = sangong_figures(t) {
                    let got = figures(&f);
                    let ok = want.iter().zip(&got).all(|(w, g)| w.is_none() || w == g);
                    if ok {
                        return (file.clone(), true, note);
                    }
                    seen.push(format!("{got:?} ({note})"));
                }
            }
            (file.clone(), false, format!("want {want:?}, got {seen:?}"))
        })
        .collect();
    let ok = results.iter().filter(|r| r.1).count();
    for (f, good, why) in &results {
        if !good {
            println!("MISS {f}: {why}");
        }
    }
    let share = ok as f64 / results.len().max(1) as f64;
    println!(
        "三公 tables matching labels: {ok}/{} ({:.1}%)",
        results.len(),
        100.0 * share
    );
    assert!(results.len() > 50);
    assert!(share >= 0.98, "{:.1}%", 100.0 * share);
}

fn figures(f: &SangongFigures) -> Vec<Option<Decimal>> {
    vec![
        f.total,
        f.outbound,
        f.reception,
        f.vehicle_total,
        f.vehicle_purchase,
        f.vehicle_operation,
    ]
}
