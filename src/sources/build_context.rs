//! Dockerfiles with their build context: the directory `docker build .`
//! sends, minus what `.dockerignore` excludes. The Dockerfile is read as
//! text, and the secret-looking files the context would ship (private
//! keys, `.env`, registry tokens, cloud credentials, `.git/`) become
//! `input.context`, so a `COPY . .` that ships them is a finding at its line.
//! The walk is bounded and never follows a symlink.

use super::{Loaded, Options, Source};
use crate::finding::{FileError, Origin};
use crate::kinds;
use crate::source::{read_input, SourceFile, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::{json, Value as Json};
use std::path::Path;

/// Most entries of a context looked at: a context is a project directory,
/// not a disk.
const MAX_ENTRIES: usize = 20_000;
const MAX_DEPTH: usize = 12;
/// Most shipped secret files listed per context.
const MAX_LISTED: usize = 100;

pub struct BuildContexts;

impl Source for BuildContexts {
    fn name(&self) -> &'static str {
        "build context"
    }

    fn claims(&self, target: &Target) -> bool {
        target.kind == Some(&kinds::DOCKERFILE) && target.path.is_file()
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        let text = match read_input(&target.path, TOO_LARGE_ADVICE) {
            Ok(text) => text,
            Err(message) => return vec![Loaded::Error(FileError::whole(target.display, message))],
        };
        let dir = match target.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let context = context_facts(&target.path, dir);
        vec![Loaded::Text {
            source: SourceFile::new(target.display, text),
            kind: target.kind,
            explicit: target.explicit,
            origin: Origin::File,
            context: Some(context),
        }]
    }
}

/// `input.context` of a Dockerfile built with the context directory `dir`
/// (its own directory for `docker build .`, or what a compose `build:` names).
pub(super) fn context_facts(dockerfile: &Path, dir: &Path) -> Json {
    // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile
    // first, then the context's `.dockerignore`.
    let name = dockerfile
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let beside = dockerfile.with_file_name(format!("{name}.dockerignore"));
    let ignore_path = [beside, dir.join(".dockerignore")]
        .into_iter()
        .find(|f| f.symlink_metadata().is_ok_and(|m| m.is_file()));
    let ignore = ignore_path
        .as_ref()
        .and_then(|f| read_input(f, "").ok())
        .map(|text| DockerIgnore::new(&text))
        .unwrap_or_default();
    let ignore_file = ignore_path.map(|f| relative_to(&f, dir));
    let mut shipped = Vec::new();
    let mut seen = 0usize;
    walk(dir, "", 0, &ignore, &mut seen, &mut shipped);
    shipped.sort_by(|a: &Json, b: &Json| a["path"].as_str().cmp(&b["path"].as_str()));
    shipped.truncate(MAX_LISTED);
    json!({
        "dockerignore": ignore_file,
        "shipped": shipped,
        "complete": seen < MAX_ENTRIES,
        "github_action": docker_action(dir),
    })
}

/// The `action.yml` (or `action.yaml`) beside the Dockerfile when it
/// declares a Docker container action (`runs.using: docker`): the image is
/// a GitHub Actions step, run once per job, not a service.
fn docker_action(dir: &Path) -> Option<&'static str> {
    ["action.yml", "action.yaml"].into_iter().find(|name| {
        let path = dir.join(name);
        // Not followed out of the context: a symlink is not the action file.
        path.symlink_metadata().is_ok_and(|m| m.is_file())
            && crate::source::read_input_up_to(&path, 1 << 20, "").is_ok_and(|text| {
                text.lines().any(|line| {
                    let line = line.trim();
                    line.strip_prefix("using:").is_some_and(|v| {
                        v.trim().trim_matches(|c| c == '"' || c == '\'') == "docker"
                    })
                })
            })
    })
}

/// `path` as written from the context's root; an ignore file beside a
/// Dockerfile outside the context by its name.
fn relative_to(path: &Path, dir: &Path) -> String {
    match path.strip_prefix(dir) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    ignore: &DockerIgnore,
    seen: &mut usize,
    out: &mut Vec<Json>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        *seen += 1;
        if *seen >= MAX_ENTRIES {
            return;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = format!("{prefix}{name}");
        if ignore.excludes(&rel) {
            continue;
        }
        // Not followed: the context sends a symlink as a symlink.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name == ".git" {
                out.push(
                    json!({"path": format!("{rel}/"), "what": "the repository's history (.git)"}),
                );
                continue;
            }
            if depth < MAX_DEPTH {
                walk(
                    &entry.path(),
                    &format!("{rel}/"),
                    depth + 1,
                    ignore,
                    seen,
                    out,
                );
            }
        } else if kind.is_file() {
            if let Some(what) = crate::secrets::secret_file_kind(&rel) {
                out.push(json!({"path": rel, "what": what}));
            }
        }
    }
}

/// `.dockerignore` as Docker reads it: patterns relative to the context's
/// root (no matching at any depth as in `.gitignore`), `**` across
/// directories, `!` re-including, the last matching line deciding, and a
/// pattern matching a directory excluding what is under it.
#[derive(Default)]
struct DockerIgnore {
    /// Every pattern at once: a long `.dockerignore` costs one match per
    /// path, not one per line.
    set: GlobSet,
    /// Per pattern: whether it excludes (`!` re-includes).
    excludes: Vec<bool>,
}

impl DockerIgnore {
    fn new(text: &str) -> DockerIgnore {
        let mut set = GlobSetBuilder::new();
        let mut excludes = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exclude, pattern) = match line.strip_prefix('!') {
                Some(rest) => (false, rest.trim()),
                None => (true, line),
            };
            let pattern = pattern.trim_start_matches("./").trim_start_matches('/');
            let pattern = pattern.trim_end_matches('/');
            if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
                set.add(glob);
                excludes.push(exclude);
            }
        }
        DockerIgnore {
            set: set.build().unwrap_or_default(),
            excludes,
        }
    }

    /// The last pattern matching the path or a directory above it decides.
    fn excludes(&self, rel: &str) -> bool {
        let mut last = None;
        let mut at = Some(rel);
        while let Some(path) = at {
            last = last.max(self.set.matches(path).into_iter().max());
            at = path.rfind('/').map(|i| &path[..i]);
        }
        last.is_some_and(|i| self.excludes[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_is_anchored_at_the_root_and_the_last_line_decides() {
        let ignore =
            DockerIgnore::new("# c\n*.pem\n.git\nsecrets/\n!secrets/public.pem\n**/.env\n");
        assert!(ignore.excludes("key.pem"));
        assert!(
            !ignore.excludes("certs/key.pem"),
            "not at any depth, unlike .gitignore"
        );
        assert!(ignore.excludes(".git/config"));
        assert!(ignore.excludes("secrets/id_rsa"));
        assert!(!ignore.excludes("secrets/public.pem"));
        assert!(ignore.excludes("app/.env"));
        assert!(ignore.excludes(".env"));
        assert!(!ignore.excludes("app/main.py"));
    }

    #[test]
    fn the_context_lists_shipped_secrets_not_ignored_ones_nor_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let put = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        put("Dockerfile", "FROM scratch\nCOPY . /\n");
        put(".env", "A=1\n");
        put(".git/config", "[core]\n");
        put("keys/id_rsa", "x\n");
        put("ignored/id_rsa", "x\n");
        put("src/main.rs", "fn main() {}\n");
        put(".dockerignore", "ignored\n");
        std::os::unix::fs::symlink("/etc/shadow", root.join("linked.pem")).unwrap();
        let facts = context_facts(&root.join("Dockerfile"), root);
        let paths: Vec<&str> = facts["shipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, [".env", ".git/", "keys/id_rsa"]);
        assert_eq!(facts["dockerignore"], ".dockerignore");
        assert_eq!(facts["complete"], true);
        assert_eq!(facts["github_action"], Json::Null);
    }

    #[test]
    fn a_docker_action_file_beside_the_dockerfile_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        std::fs::write(
            root.join("action.yaml"),
            "name: lint\nruns:\n  using: 'docker'\n  image: Dockerfile\n",
        )
        .unwrap();
        let facts = context_facts(&root.join("Dockerfile"), root);
        assert_eq!(facts["github_action"], "action.yaml");
        // A JavaScript action beside a Dockerfile is not a Docker action.
        std::fs::write(root.join("action.yaml"), "runs:\n  using: node20\n").unwrap();
        let facts = context_facts(&root.join("Dockerfile"), root);
        assert_eq!(facts["github_action"], Json::Null);
    }
}
