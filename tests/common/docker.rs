//! A Docker engine for the tests that start containers: whether there is
//! one, the docker CLI, and cleanup of what a test created.

use super::have;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Why the tests that start containers cannot run here, if they cannot: they
/// need the docker CLI, an engine that answers, and a static busybox to put
/// in their images.
pub fn engine_missing() -> Option<String> {
    if !have("docker") {
        return Some("the docker CLI is not installed".into());
    }
    let answers = Command::new("docker")
        .args(["info", "--format", "{{.ServerVersion}}"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !answers {
        return Some("no Docker engine answers (start one with .ci/start-docker)".into());
    }
    if busybox().is_none() {
        return Some("busybox (static) is not installed (apt-get install busybox-static)".into());
    }
    None
}

/// A static busybox binary to copy into test images.
pub fn busybox() -> Option<PathBuf> {
    ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

pub fn docker(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("run docker")
}

/// `docker ARGS`, which must succeed: its standard output, trimmed.
pub fn docker_ok(args: &[&str]) -> String {
    let out = docker(args);
    assert!(
        out.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A test's image and containers, removed on drop, even when an assertion
/// fails.
pub struct Created {
    pub image: String,
    pub containers: Vec<String>,
}

impl Created {
    pub fn remove_all(&mut self) {
        for c in self.containers.drain(..) {
            let _ = docker(&["rm", "-f", "-v", &c]);
        }
        let _ = docker(&["rmi", "-f", &self.image]);
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        self.remove_all();
    }
}
