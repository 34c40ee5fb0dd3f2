//! A progress line on standard error, for runs long enough to wonder about:
//! only on a terminal (never in a CI log or a pipe), only after a while, and
//! erased when the run ends so that the report is all that stays.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

pub(super) struct Progress {
    done: Arc<AtomicUsize>,
    /// Dropped to stop the drawing thread.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// `None` when standard error is no terminal, in CI, or no thread starts.
    pub(super) fn start(total: usize, after_seconds: f64) -> Option<Progress> {
        if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return None;
        }
        let after = Duration::from_secs_f64(after_seconds.clamp(0.0, 1e6));
        let done = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = mpsc::channel::<()>();
        let counter = done.clone();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || draw(&counter, total, after, &stopped))
            .ok()?;
        Some(Progress {
            done,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub(super) fn counter(&self) -> Arc<AtomicUsize> {
        self.done.clone()
    }
}

fn draw(done: &AtomicUsize, total: usize, after: Duration, stopped: &mpsc::Receiver<()>) {
    let started = Instant::now();
    let mut shown = false;
    loop {
        if started.elapsed() >= after {
            let n = done.load(Ordering::Relaxed);
            let line = format!("\r\x1b[Kchecking: {n}/{total} inputs");
            let _ = std::io::stderr().write_all(line.as_bytes());
            shown = true;
        }
        if !matches!(
            stopped.recv_timeout(TICK),
            Err(mpsc::RecvTimeoutError::Timeout)
        ) {
            break;
        }
    }
    if shown {
        let _ = std::io::stderr().write_all(b"\r\x1b[K");
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
