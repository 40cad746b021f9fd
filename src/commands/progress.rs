//! The progress bar shown on stderr while a large repo loads: only on a terminal,
//! never with `--quiet`, and only once loading has taken more than a second, so
//! small repos and scripts never see it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long loading runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// Runs `load` with a file counter; when `show` is true, a thread draws the count
/// and rate from the counter once [`DELAY`] has passed.
pub fn while_loading<T>(show: bool, load: impl FnOnce(&AtomicUsize) -> T) -> T {
    let counter = AtomicUsize::new(0);
    if !show {
        return load(&counter);
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| draw(&counter, &done));
        let result = load(&counter);
        done.store(true, Ordering::Relaxed);
        result
    })
}

fn draw(counter: &AtomicUsize, done: &AtomicBool) {
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        if started.elapsed() < DELAY {
            continue;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} reading records: {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        let files = counter.load(Ordering::Relaxed);
        let seconds = started.elapsed().as_secs_f64();
        bar.set_message(format!(
            "{files} files, {:.0} files/s",
            files as f64 / seconds
        ));
        bar.tick();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
