//! Runs of the binary that must stay bounded: under `prlimit --as` (address
//! space) and killed past a hang guard, which fails the test: a hang is a
//! failure, not a stuck test.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub struct Limits {
    /// Bytes of address space (`prlimit --as`).
    pub address_space: u64,
    /// How long the run may take before it counts as a hang.
    pub hang_guard: Duration,
}

/// Runs `policy ARGS` in `dir` under `limits`, fed `stdin` (or nothing).
/// Its output goes to files, so a large report cannot block it.
pub fn run_bounded(args: &[&str], dir: &Path, limits: Limits, stdin: Option<&[u8]>) -> Output {
    run_bounded_with_env(args, dir, limits, stdin, &[])
}

/// [`run_bounded`] with environment variables set for the binary.
pub fn run_bounded_with_env(
    args: &[&str],
    dir: &Path,
    limits: Limits,
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> Output {
    let outputs = tempfile::tempdir().unwrap();
    let out_path = outputs.path().join("stdout");
    let err_path = outputs.path().join("stderr");
    let mut child = Command::new("prlimit")
        .arg(format!("--as={}", limits.address_space))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_policy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("run prlimit (util-linux)");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // The binary may stop reading at its limit: a closed pipe is expected.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limits.hang_guard {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "policy {args:?} still ran after {:?} (hang guard); stderr: {}",
                limits.hang_guard,
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}
