//! The progress bar shown on stderr while a large repo loads: only on a
//! terminal, never with `--quiet` or JSON output, and only once loading has
//! taken more than a second, so small repos and scripts never see it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::repo::LoadProgress;

/// How long loading runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// Whether to draw the bar: on a terminal, without `--quiet`, and never beside
/// JSON, which a script may be reading from the same terminal.
pub fn wanted(quiet: bool, machine_output: bool, stderr_is_terminal: bool) -> bool {
    !quiet && !machine_output && stderr_is_terminal
}

/// Runs `load` with a progress record; when `show` is true, a thread draws it
/// (files read of files found, and the rate) once [`DELAY`] has passed.
pub fn while_loading<T>(show: bool, load: impl FnOnce(&LoadProgress) -> T) -> T {
    let progress = LoadProgress::default();
    if !show {
        return load(&progress);
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| draw(&progress, &done));
        let result = load(&progress);
        done.store(true, Ordering::Relaxed);
        result
    })
}

fn draw(progress: &LoadProgress, done: &AtomicBool) {
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
                ProgressStyle::with_template("reading records [{bar:30}] {pos}/{len} files, {msg}")
                    .map(|style| style.progress_chars("=> "))
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        let found = progress.found.load(Ordering::Relaxed);
        let decoded = progress.decoded.load(Ordering::Relaxed);
        // The rate since loading began, not since the bar appeared.
        let seconds = started.elapsed().as_secs_f64();
        bar.set_message(format!("{:.0} files/s", decoded as f64 / seconds));
        // Until the listing is complete the total is unknown; show what is read.
        bar.set_length(found.max(decoded) as u64);
        bar.set_position(decoded as u64);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn bar_only_on_a_terminal_without_quiet_or_json() {
        assert!(wanted(false, false, true));
        assert!(!wanted(false, false, false));
        assert!(!wanted(true, false, true));
        assert!(!wanted(false, true, true));
    }
}
