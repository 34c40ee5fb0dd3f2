//! The crates as crates.io would hold them: what `cargo package` puts in the
//! tool's crate and in the regorus fork's, and that the tool's crate builds
//! from its own files with the fork's crate in place of the published one,
//! as `cargo install container-policy` will after both are published.

mod common;

use common::repo_root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TOOL: &str = "container-policy-0.1.0";
const FORK: &str = "container-policy-regorus-0.14.1-cp.1";
const FORK_MANIFEST: &str = "vendor/regorus/Cargo.toml";

#[test]
fn the_tool_crate_holds_the_code_policies_and_licence_only() {
    let files = package_list(&[]);
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "build.rs",
        "docs/peers.tsv",
        "src/main.rs",
        "policies/lib/kubernetes.rego",
    ] {
        assert!(
            files.iter().any(|f| f == needed),
            "{needed} missing: {files:?}"
        );
    }
    let allowed = |f: &str| {
        f.starts_with("src/")
            || f.starts_with("policies/")
            || [
                "Cargo.toml",
                "Cargo.toml.orig",
                "Cargo.lock",
                ".cargo_vcs_info.json",
                "LICENSE",
                "README.md",
                "build.rs",
                "docs/peers.tsv",
            ]
            .contains(&f)
    };
    let stray: Vec<&String> = files.iter().filter(|f| !allowed(f)).collect();
    assert!(stray.is_empty(), "not for the crate: {stray:?}");
}

#[test]
fn the_fork_crate_holds_its_source_licence_and_patches() {
    let files = package_list(&["--manifest-path", FORK_MANIFEST, "--exclude-lockfile"]);
    for needed in [
        "LICENSE",
        "PATCHES.md",
        "README.md",
        "build.rs",
        "src/lib.rs",
    ] {
        assert!(
            files.iter().any(|f| f == needed),
            "{needed} missing: {files:?}"
        );
    }
    let allowed = |f: &str| {
        f.starts_with("src/")
            || [
                "Cargo.toml",
                "Cargo.toml.orig",
                ".cargo_vcs_info.json",
                "LICENSE",
                "PATCHES.md",
                "README.md",
                "build.rs",
            ]
            .contains(&f)
    };
    let stray: Vec<&String> = files.iter().filter(|f| !allowed(f)).collect();
    assert!(stray.is_empty(), "not for the crate: {stray:?}");
}

/// Both crates packaged and unpacked, then the tool's checked from its
/// unpacked files, with its own Cargo.lock (`--locked`), offline, the fork
/// patched in where crates.io would supply it.
#[test]
fn the_published_crates_build_together() {
    let work = tempfile::tempdir().unwrap();
    let packages = work.path().join("target");
    // The fork is not on crates.io here: the tool's lockfile resolves it
    // from its path, as it will resolve from crates.io once published.
    let fork_in_repo = patch_fork(&repo_root().join("vendor/regorus"));
    let target = packages.to_str().unwrap();
    cargo_ok(&[
        "package",
        "--no-verify",
        "--offline",
        "--locked",
        "--allow-dirty",
        "--target-dir",
        target,
        "--config",
        &fork_in_repo,
    ]);
    // A library's lockfile is ignored by its users; without it, packaging
    // needs no index entries for the optional dependencies the tool leaves off.
    cargo_ok(&[
        "package",
        "--no-verify",
        "--offline",
        "--allow-dirty",
        "--exclude-lockfile",
        "--target-dir",
        target,
        "--manifest-path",
        FORK_MANIFEST,
    ]);
    let unpacked = work.path().join("unpacked");
    for name in [TOOL, FORK] {
        unpack(&packages.join(format!("package/{name}.crate")), &unpacked);
    }
    let tool = unpacked.join(TOOL);
    assert_eq!(
        std::fs::read_to_string(tool.join("Cargo.lock")).unwrap(),
        std::fs::read_to_string(repo_root().join("Cargo.lock")).unwrap(),
        "the published crate pins the versions tested here"
    );
    assert!(unpacked.join(FORK).join("PATCHES.md").is_file());

    let out = check_unpacked(&unpacked);
    let log = common::stderr(&out);
    assert!(out.status.success(), "{log}");
    for (crate_id, dir) in [
        ("container-policy v0.1.0", TOOL),
        ("container-policy-regorus v0.14.1-cp.1", FORK),
    ] {
        let checked = format!("{crate_id} ({})", unpacked.join(dir).display());
        assert!(log.contains(&checked), "{checked} was not built: {log}");
    }
}

/// `cargo check` of the unpacked tool in a workspace around it. The
/// workspace gives its units other hashes than the repository's own (they
/// would share the build script's OUT_DIR otherwise) in the test's target
/// directory, so the registry dependencies are not compiled again; it
/// holds the tool's lockfile, its profiles and the patch.
fn check_unpacked(unpacked: &Path) -> Output {
    let fork = unpacked.join(FORK);
    std::fs::write(
        unpacked.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [\"{TOOL}\"]\nresolver = \"2\"\n\n\
             [patch.crates-io]\ncontainer-policy-regorus = {{ path = {:?} }}\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 2\n",
            fork.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(
        unpacked.join(TOOL).join("Cargo.lock"),
        unpacked.join("Cargo.lock"),
    )
    .unwrap();
    cargo(&["check", "--locked", "--offline"])
        .current_dir(unpacked)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap()
}

/// `--config` substituting the fork at `dir` for the crates.io one.
fn patch_fork(dir: &Path) -> String {
    format!(
        "patch.crates-io.container-policy-regorus.path={:?}",
        dir.display().to_string()
    )
}

/// The target directory this test was built in (`…/debug/deps/package-…`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().to_path_buf()
}

/// Unpacks a `.crate` (a gzipped tar) into `dir`, its files dated now so
/// that cargo checks them instead of trusting an earlier run's output.
fn unpack(crate_file: &Path, dir: &Path) {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(crate_file).unwrap());
    let mut archive = tar::Archive::new(gz);
    archive.set_preserve_mtime(false);
    archive.unpack(dir).unwrap();
}

/// The files `cargo package --list` puts in a crate.
fn package_list(args: &[&str]) -> Vec<String> {
    let mut all = vec!["package", "--list", "--offline", "--allow-dirty"];
    all.extend(args);
    let out = cargo_ok(&all);
    common::stdout(&out).lines().map(str::to_string).collect()
}

fn cargo_ok(args: &[&str]) -> Output {
    let out = cargo(args).current_dir(repo_root()).output().unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        common::stderr(&out)
    );
    out
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).env("CARGO_TERM_COLOR", "never");
    cmd
}
