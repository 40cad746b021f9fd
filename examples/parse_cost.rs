//! Measures what parsing costs: every `*.yaml` file under a directory is read
//! into memory first, then parsed into the positioned tree (`svc::yaml`) on one
//! thread, several rounds; prints the best round (see docs/performance.md).
//! Reading is left out so the figure is the parser's, not the disk's.
//!
//! cargo run --release --example parse_cost -- DIR [ROUNDS]

use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: parse_cost DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        for text in &texts {
            black_box(svc::yaml::parse_document(black_box(text)).is_ok());
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.1} MB: best of {rounds} rounds {:.3} s ({:.2} µs per file, {:.0} MB/s)",
        texts.len(),
        bytes as f64 / 1e6,
        best,
        best * 1e6 / texts.len().max(1) as f64,
        bytes as f64 / 1e6 / best
    );
}
