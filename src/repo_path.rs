//! Paths as the repository names them: relative to its root, whatever way
//! the user typed them (`.`, `./image/Dockerfile`, an absolute path, a run
//! from a subdirectory). Fingerprints and machine-read reports use these, so
//! a baseline written with `policy check .` matches in a pre-commit hook.

use std::path::{Component, Path, PathBuf};

/// The directory paths are made relative to, and where the run started.
#[derive(Debug, Clone, Default)]
pub struct RepoRoot {
    /// `None`: paths stay as typed (less a leading `./`).
    dir: Option<PathBuf>,
    cwd: PathBuf,
}

impl RepoRoot {
    /// The nearest directory holding `.git` from `cwd` up, else the config
    /// file's directory, else `cwd`.
    pub fn find(cwd: &Path, config_dir: Option<&Path>) -> RepoRoot {
        let git = cwd.ancestors().find(|d| d.join(".git").exists());
        let config_dir = config_dir.map(|d| normalize(&cwd.join(d)));
        let dir = git
            .map(Path::to_path_buf)
            .or(config_dir)
            .unwrap_or_else(|| cwd.to_path_buf());
        RepoRoot {
            dir: Some(std::fs::canonicalize(&dir).unwrap_or(dir)),
            cwd: cwd.to_path_buf(),
        }
    }

    /// Where the root is, when there is one.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// `path` (as shown in reports) relative to the root, with forward
    /// slashes; a path outside the root, a URI (`docker://web`) or standard
    /// input stays as it is, less a leading `./`.
    pub fn relative(&self, path: &str) -> String {
        let as_typed = || without_dot_slash(&path.replace(std::path::MAIN_SEPARATOR, "/"));
        let Some(dir) = &self.dir else {
            return as_typed();
        };
        if path.is_empty() || path == "-" || path.contains("://") {
            return as_typed();
        }
        let absolute = normalize(&self.cwd.join(path));
        let inside = absolute
            .strip_prefix(dir)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                // A symlinked spelling of the root (`/tmp` → `/private/tmp`).
                let real = std::fs::canonicalize(&absolute).ok()?;
                real.strip_prefix(dir).ok().map(Path::to_path_buf)
            });
        match inside {
            Some(rel) if !rel.as_os_str().is_empty() => {
                let parts: Vec<_> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect();
                parts.join("/")
            }
            _ => as_typed(),
        }
    }
}

fn without_dot_slash(path: &str) -> String {
    let mut rest = path;
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_string()
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_path_is_one_relative_path() {
        let root = RepoRoot {
            dir: Some(PathBuf::from("/repo")),
            cwd: PathBuf::from("/repo"),
        };
        for typed in [
            "image/Dockerfile",
            "./image/Dockerfile",
            "/repo/image/Dockerfile",
            "image/../image/./Dockerfile",
        ] {
            assert_eq!(root.relative(typed), "image/Dockerfile", "{typed}");
        }
        let sub = RepoRoot {
            cwd: PathBuf::from("/repo/image"),
            ..root.clone()
        };
        assert_eq!(sub.relative("Dockerfile"), "image/Dockerfile");
        assert_eq!(sub.relative("../k8s/a.yaml"), "k8s/a.yaml");
        // Outside the root, a URI, standard input: as typed.
        assert_eq!(sub.relative("../../elsewhere/x"), "../../elsewhere/x");
        assert_eq!(root.relative("docker://web"), "docker://web");
        assert_eq!(root.relative("-"), "-");
        assert_eq!(RepoRoot::default().relative("./a/b"), "a/b");
    }
}
