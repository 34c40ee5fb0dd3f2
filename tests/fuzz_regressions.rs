//! Every input a fuzz target once crashed on (`fuzz/regressions/<target>/`)
//! is replayed through the same harness, so a fixed crash stays fixed
//! without cargo-fuzz. A panic fails the test and names the file.

use container_policy::fuzzing;
use std::path::{Path, PathBuf};

type Harness = fn(&[u8]);

/// Each `fuzz/fuzz_targets/<name>.rs` calls `fuzzing::<name>`.
const TARGETS: &[(&str, Harness)] = &[
    ("dockerfile", fuzzing::dockerfile),
    ("dockerfile_parse", fuzzing::dockerfile_parse),
    ("yaml", fuzzing::yaml),
    ("yaml_parse", fuzzing::yaml_parse),
    ("tokens", fuzzing::tokens),
    ("shell", fuzzing::shell),
    ("image_index", fuzzing::image_index),
    ("layer_tar", fuzzing::layer_tar),
];

fn fuzz_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(sub)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn regression_inputs_do_not_panic() {
    let mut failed = Vec::new();
    for (target, harness) in TARGETS {
        let dir = fuzz_dir("regressions").join(target);
        for name in names_in(&dir) {
            let data = std::fs::read(dir.join(&name)).unwrap();
            if std::panic::catch_unwind(|| harness(&data)).is_err() {
                failed.push(format!("{target}/{name}"));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "regression inputs panic again: {failed:?}"
    );
}

#[test]
fn every_fuzz_target_is_replayed() {
    let mut listed: Vec<String> = TARGETS.iter().map(|(t, _)| format!("{t}.rs")).collect();
    listed.sort();
    assert_eq!(names_in(&fuzz_dir("fuzz_targets")), listed);
    for dir in names_in(&fuzz_dir("regressions")) {
        assert!(
            TARGETS.iter().any(|(t, _)| *t == dir),
            "fuzz/regressions/{dir} is no target"
        );
    }
}
