//! The pre-commit hook, for real: a project repository that uses this
//! repository as its hook repo (`repo: <path>` in .pre-commit-config.yaml),
//! `pre-commit install`, then `git commit` of a bad Dockerfile must be
//! refused with the finding printed, and the fixed file must go through.
//!
//! Needs `pre-commit` and `git` on PATH. Without them the test says so and
//! passes, unless POLICY_REQUIRE_TOOLS is set (CI sets it, so there it runs).
//! The first run builds `policy` in release mode through pre-commit's
//! `cargo install` (minutes); the build directory under target/ is kept.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A commit of this repository's current files (tracked and new, as the
/// working tree has them), so the hook under test is the code under test.
fn snapshot_hook_repo(into: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = ok(
        run(
            root,
            "git",
            &[
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            &[],
        ),
        "git ls-files",
    );
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).to_string();
        let from = root.join(&name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = into.join(&name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    ok(run(into, "git", &["init", "-q"], &[]), "git init");
    ok(run(into, "git", &["add", "-A"], &[]), "git add");
    ok(
        run(into, "git", &["commit", "-q", "-m", "snapshot"], &[]),
        "git commit",
    );
    let head = ok(run(into, "git", &["rev-parse", "HEAD"], &[]), "rev-parse");
    String::from_utf8_lossy(&head.stdout).trim().to_string()
}

#[test]
fn the_hook_refuses_a_commit_with_a_bad_dockerfile() {
    let missing = ["pre-commit", "git"]
        .into_iter()
        .find(|tool| !common::have(tool))
        .map(|tool| format!("{tool} is not installed (.ci/test installs it)"));
    if !common::require_or_skip("the pre-commit hook test", missing) {
        return;
    }
    // Kept between runs: pre-commit's `cargo install` builds here.
    let cargo_target: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit");
    // The hook's speed is not under test: a quick release build will do.
    let quick = [
        ("CARGO_PROFILE_RELEASE_LTO", "false"),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
        ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
    ];
    for (k, v) in quick {
        std::env::set_var(k, v);
    }
    refuses_then_accepts("policy-check", &[("CARGO_TARGET_DIR", &cargo_target)]);
}

/// The hook that runs the container image (no Rust toolchain needed), with
/// the image .ci/build-image built under the name the hook names.
#[test]
fn the_docker_image_hook_refuses_a_commit_with_a_bad_dockerfile() {
    let missing = ["pre-commit", "git"]
        .into_iter()
        .find(|tool| !common::have(tool))
        .map(|tool| format!("{tool} is not installed (.ci/test installs it)"))
        .or_else(common::docker::engine_missing)
        .or_else(|| {
            std::env::var("POLICY_IMAGE")
                .is_err()
                .then(|| "POLICY_IMAGE is not set (run `.ci/build-image`)".to_string())
        });
    if !common::require_or_skip("the docker image pre-commit hook test", missing) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let named = hooks
        .split("- id: ")
        .find(|h| h.starts_with("policy-check-docker\n"))
        .and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("entry: ")))
        .and_then(|entry| entry.split_whitespace().find(|w| w.contains('/')))
        .expect("the docker hook's entry names its image")
        .to_string();
    common::docker::docker_ok(&["tag", &std::env::var("POLICY_IMAGE").unwrap(), &named]);
    // Present locally, so `docker run` never tries to pull it.
    common::docker::docker_ok(&["image", "inspect", "--format", "{{.Id}}", &named]);
    refuses_then_accepts("policy-check-docker", &[]);
}

/// A project using hook `id` of this repository: a commit of a bad
/// Dockerfile is refused with the finding printed, the fixed one goes
/// through.
fn refuses_then_accepts(id: &str, extra_env: &[(&str, &Path)]) {
    let tmp = tempfile::tempdir().unwrap();
    let hooks = tmp.path().join("hooks");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    let rev = snapshot_hook_repo(&hooks);
    let pre_commit_home = tmp.path().join("cache");
    let mut env: Vec<(&str, &Path)> = vec![("PRE_COMMIT_HOME", &pre_commit_home)];
    env.extend_from_slice(extra_env);
    let env = env.as_slice();

    ok(run(&project, "git", &["init", "-q"], env), "git init");
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {id}\n",
            hooks.display()
        ),
    )
    .unwrap();
    ok(
        run(&project, "pre-commit", &["install"], env),
        "pre-commit install",
    );

    // Not staged: the hook must not look at it.
    std::fs::create_dir_all(project.join("wip")).unwrap();
    std::fs::write(
        project.join("wip/Dockerfile"),
        "FROM debian:latest\nRUN sudo true\n",
    )
    .unwrap();
    // A workflow file is YAML the hook receives but no kind claims.
    std::fs::create_dir_all(project.join(".github/workflows")).unwrap();
    std::fs::write(
        project.join(".github/workflows/ci.yml"),
        "on: push\njobs: {}\n",
    )
    .unwrap();
    std::fs::create_dir_all(project.join("app")).unwrap();
    std::fs::write(
        project.join("app/Dockerfile"),
        "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\"]\n",
    )
    .unwrap();
    ok(
        run(
            &project,
            "git",
            &[
                "add",
                ".pre-commit-config.yaml",
                "app/Dockerfile",
                ".github/workflows/ci.yml",
            ],
            env,
        ),
        "git add",
    );
    let refused = run(&project, "git", &["commit", "-m", "add app"], env);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !refused.status.success(),
        "the commit went through:\n{said}"
    );
    assert!(said.contains("CP101/run-as-root"), "{said}");
    assert!(said.contains("app/Dockerfile:1:1"), "{said}");
    assert!(
        !said.contains("wip/Dockerfile"),
        "unstaged file checked:\n{said}"
    );
    assert!(
        !said.contains("ci.yml"),
        "unrecognized file reported:\n{said}"
    );
    let log = run(&project, "git", &["log", "--oneline"], env);
    assert!(
        !log.status.success() || log.stdout.is_empty(),
        "a commit was made"
    );

    // Fixed: the same commit goes through.
    std::fs::write(
        project.join("app/Dockerfile"),
        "FROM alpine:3.20\nCOPY app /app\nUSER 10001\nHEALTHCHECK CMD [\"/app\", \"-health\"]\nCMD [\"/app\"]\n",
    )
    .unwrap();
    ok(
        run(&project, "git", &["add", "app/Dockerfile"], env),
        "git add",
    );
    ok(
        run(&project, "git", &["commit", "-q", "-m", "add app"], env),
        "commit of the fixed Dockerfile",
    );
}

/// The README's pre-commit snippet names a hook this repository defines, and
/// the hook's command line is one `policy` accepts.
#[test]
fn the_documented_hook_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let documented = readme
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .collect::<Vec<_>>();
    assert!(!documented.is_empty(), "no `- id:` in README");
    for id in documented {
        assert!(
            hooks.contains(&format!("- id: {id}\n")),
            "README names hook {id}"
        );
    }
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("entry");
    let mut args: Vec<&str> = entry.split_whitespace().skip(1).collect();
    assert_eq!(entry.split_whitespace().next(), Some("policy"));
    args.push("--help");
    let out = Command::new(env!("CARGO_BIN_EXE_policy"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{entry}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A release as the release workflow publishes it, served on 127.0.0.1:
/// `v<version>/policy-v<version>-<target>.tar.gz` holding the test binary,
/// and its `.sha256` (or `checksum` instead, when given).
struct FakeRelease {
    url: String,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _dir: tempfile::TempDir,
}

fn fake_release(checksum: Option<&str>) -> FakeRelease {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let triple = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", arch) => format!("{arch}-unknown-linux-gnu"),
        ("macos", arch) => format!("{arch}-apple-darwin"),
        (os, arch) => panic!("no release target for {os} {arch} in this test"),
    };
    let stem = format!("policy-{tag}-{triple}");
    let staging = dir.path().join("staging");
    std::fs::create_dir_all(staging.join(&stem)).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_policy"),
        staging.join(&stem).join("policy"),
    )
    .unwrap();
    let releases = dir.path().join("releases").join(&tag);
    std::fs::create_dir_all(&releases).unwrap();
    let archive = releases.join(format!("{stem}.tar.gz"));
    let archive_arg = archive.to_str().unwrap();
    let staging_arg = staging.to_str().unwrap();
    ok(
        run(
            dir.path(),
            "tar",
            // Fast compression: the test binary is a large debug build.
            &[
                "-I",
                "gzip -1",
                "-cf",
                archive_arg,
                "-C",
                staging_arg,
                &stem,
            ],
            &[],
        ),
        "tar",
    );
    let digest = match checksum {
        Some(c) => c.to_string(),
        None => {
            let out = ok(
                run(dir.path(), "sha256sum", &[archive_arg], &[]),
                "sha256sum",
            );
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .next()
                .unwrap()
                .to_string()
        }
    };
    std::fs::write(
        releases.join(format!("{stem}.tar.gz.sha256")),
        format!("{digest}  {stem}.tar.gz\n"),
    )
    .unwrap();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let root = dir.path().join("releases");
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let wanted = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            // Headers up to the blank line.
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
            }
            let file = root.join(wanted.trim_start_matches('/'));
            let mut stream = &stream;
            let _ = match std::fs::read(&file) {
                Ok(body) if !wanted.contains("..") => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|_| stream.write_all(&body)),
                _ => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    FakeRelease {
        url,
        requests,
        _dir: dir,
    }
}

fn prebuilt_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/policy-prebuilt")
}

fn python_missing() -> Option<String> {
    ["python3", "tar", "sha256sum"]
        .into_iter()
        .find(|tool| !common::have(tool))
        .map(|tool| format!("{tool} is not installed"))
}

/// The script behind `policy-check-prebuilt`: the first run downloads and
/// verifies the archive, later runs use the cached binary without asking.
#[test]
fn the_prebuilt_hook_script_installs_a_verified_binary_once() {
    if !common::require_or_skip("the prebuilt-binary hook script test", python_missing()) {
        return;
    }
    let release = fake_release(None);
    let cache = tempfile::tempdir().unwrap();
    let url = Path::new(&release.url);
    let env = [
        ("POLICY_RELEASE_URL", url),
        ("XDG_CACHE_HOME", cache.path()),
    ];
    let script = prebuilt_script();
    let first = ok(
        run(cache.path(), script.to_str().unwrap(), &["--version"], &env),
        "the prebuilt script",
    );
    let expected = ok(
        run(
            cache.path(),
            env!("CARGO_BIN_EXE_policy"),
            &["--version"],
            &[],
        ),
        "policy --version",
    );
    assert_eq!(first.stdout, expected.stdout);
    let asked = release.requests.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(asked, 2, "the archive and its checksum");
    let again = ok(
        run(cache.path(), script.to_str().unwrap(), &["--version"], &env),
        "the prebuilt script, cached",
    );
    assert_eq!(again.stdout, expected.stdout);
    assert_eq!(
        release.requests.load(std::sync::atomic::Ordering::SeqCst),
        asked,
        "the cached binary was downloaded again"
    );
}

/// An archive whose SHA-256 is not the release's is refused, and nothing is
/// kept for the next run.
#[test]
fn the_prebuilt_hook_script_refuses_a_bad_checksum() {
    if !common::require_or_skip("the prebuilt-binary hook script test", python_missing()) {
        return;
    }
    let release = fake_release(Some(&"0".repeat(64)));
    let cache = tempfile::tempdir().unwrap();
    let url = Path::new(&release.url);
    let env = [
        ("POLICY_RELEASE_URL", url),
        ("XDG_CACHE_HOME", cache.path()),
    ];
    let out = run(
        cache.path(),
        prebuilt_script().to_str().unwrap(),
        &["--version"],
        &env,
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("checksum mismatch"), "{said}");
    let kept: Vec<_> = walk_files(cache.path());
    assert!(kept.is_empty(), "left in the cache: {kept:?}");
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The prebuilt-binary hook through real pre-commit, with the release
/// served on 127.0.0.1.
#[test]
fn the_prebuilt_binary_hook_refuses_a_commit_with_a_bad_dockerfile() {
    let missing = ["pre-commit", "git"]
        .into_iter()
        .find(|tool| !common::have(tool))
        .map(|tool| format!("{tool} is not installed (.ci/test installs it)"))
        .or_else(python_missing);
    if !common::require_or_skip("the prebuilt-binary pre-commit hook test", missing) {
        return;
    }
    let release = fake_release(None);
    let cache = tempfile::tempdir().unwrap();
    refuses_then_accepts(
        "policy-check-prebuilt",
        &[
            ("POLICY_RELEASE_URL", Path::new(&release.url)),
            ("XDG_CACHE_HOME", cache.path()),
        ],
    );
    assert_eq!(
        release.requests.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "downloaded once for both commits"
    );
}
