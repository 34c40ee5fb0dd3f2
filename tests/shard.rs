//! `check --shard I/N` and `policy merge`: N shards merged are the report of
//! one run, byte for byte (JSON and SARIF); every target is in one shard; a
//! project source (compose project, kustomization, chart) is never split;
//! the split does not depend on how the path was typed or on `-j`.

mod common;

use common::{corpus_dir, policy, repo_root, require_or_skip, stderr, write};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A single run's JSON and SARIF reports.
struct Runs {
    json: Vec<u8>,
    sarif: Vec<u8>,
    code: Option<i32>,
}

fn single(dir: &Path, paths: &[&str], extra: &[&str], out: &Path) -> Runs {
    let (json, sarif) = (out.join("single.json"), out.join("single.sarif"));
    let json_arg = format!("json={}", json.display());
    let sarif_arg = format!("sarif={}", sarif.display());
    let mut args = vec!["check", "--format", &json_arg, "--format", &sarif_arg];
    args.extend(extra);
    args.extend(paths);
    let run = policy(&args, dir);
    assert!(json.is_file(), "{}", stderr(&run));
    Runs {
        json: std::fs::read(json).unwrap(),
        sarif: std::fs::read(sarif).unwrap(),
        code: run.status.code(),
    }
}

/// Runs the `count` shards; returns their JSON reports' paths.
fn shards(dir: &Path, paths: &[&str], extra: &[&str], count: usize, out: &Path) -> Vec<PathBuf> {
    (1..=count)
        .map(|index| {
            let report = out.join(format!("shard-{index}-of-{count}.json"));
            let shard = format!("{index}/{count}");
            let json_arg = format!("json={}", report.display());
            let mut args = vec!["check", "--shard", &shard, "--format", &json_arg];
            args.extend(extra);
            args.extend(paths);
            let run = policy(&args, dir);
            assert!(report.is_file(), "shard {shard}: {}", stderr(&run));
            report
        })
        .collect()
}

fn merge(reports: &[PathBuf], format: &str) -> std::process::Output {
    let mut args = vec!["merge".to_string(), "--format".into(), format.into()];
    args.extend(reports.iter().map(|r| r.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    policy(&args, repo_root())
}

/// The merge of 1, 2 and 5 shards (the shards listed backwards) is the
/// single run's JSON and SARIF report, with its exit code.
fn assert_merges_are_the_single_run(dir: &Path, paths: &[&str], extra: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let whole = single(dir, paths, extra, out.path());
    let whole_run = shards(dir, paths, extra, 1, out.path());
    for count in [1, 2, 5] {
        let mut reports = match count {
            1 => whole_run.clone(),
            _ => shards(dir, paths, extra, count, out.path()),
        };
        assert_every_unit_in_one_shard(&reports, &whole_run);
        reports.reverse();
        let json = merge(&reports, "json");
        assert_eq!(json.status.code(), whole.code, "{}", stderr(&json));
        assert!(
            json.stdout == whole.json,
            "merged JSON of {count} shards differs from the single run"
        );
        let sarif = merge(&reports, "sarif");
        assert!(
            sarif.stdout == whole.sarif,
            "merged SARIF of {count} shards differs from the single run: {}",
            stderr(&sarif)
        );
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `(key, shard, files)` of every unit a shard owns.
fn own_units(reports: &[PathBuf]) -> Vec<(String, usize, Vec<String>)> {
    let mut units = Vec::new();
    for report in reports {
        let report = read_json(report);
        let index = report["shard"]["index"].as_u64().unwrap() as usize;
        for unit in report["shard"]["units"].as_array().unwrap() {
            if unit["group"] != "file" || unit["foreign"] == true {
                continue;
            }
            let files = unit["files"].as_array().map_or(Vec::new(), |f| {
                f.iter().map(|p| p.as_str().unwrap().to_string()).collect()
            });
            units.push((unit["key"].as_str().unwrap().to_string(), index, files));
        }
    }
    units
}

/// The units of all shards together are the units of the whole run (one
/// shard of one), each once: no target is lost or checked twice.
fn assert_every_unit_in_one_shard(reports: &[PathBuf], whole: &[PathBuf]) {
    let units = |reports: &[PathBuf]| {
        let mut units: Vec<(String, Vec<String>)> = own_units(reports)
            .into_iter()
            .map(|(key, _, files)| (key, files))
            .collect();
        units.sort();
        units
    };
    let (sharded, whole) = (units(reports), units(whole));
    assert!(
        sharded == whole,
        "the {} shards' units differ from the whole run's ({} against {})",
        reports.len(),
        sharded.len(),
        whole.len()
    );
}

/// The smallest top-level corpus projects (by file count, then name) up to
/// at least 1,100 files: Dockerfiles, compose projects and manifests.
fn corpus_subset(corpus: &Path) -> Vec<String> {
    let mut projects: Vec<(usize, String)> = std::fs::read_dir(corpus)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| {
            let files = walkdir_count(&e.path());
            (files, e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    projects.sort();
    let mut total = 0;
    projects
        .into_iter()
        .take_while(|(files, _)| {
            let more = total < 1100;
            total += files;
            more
        })
        .map(|(_, name)| name)
        .collect()
}

fn walkdir_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| match e.file_type().unwrap().is_dir() {
            true => walkdir_count(&e.path()),
            false => 1,
        })
        .sum()
}

#[test]
fn corpus_merges_of_1_2_and_5_shards_are_the_single_run_json_and_sarif() {
    let corpus = corpus_dir();
    if !require_or_skip("the corpus shard test", corpus.as_ref().err().cloned()) {
        return;
    }
    let corpus = corpus.unwrap();
    let projects = corpus_subset(&corpus);
    let files: usize = projects
        .iter()
        .map(|p| walkdir_count(&corpus.join(p)))
        .sum();
    assert!(files >= 1000, "{files} files");
    // Dockerfiles, compose files and manifests are in the sample.
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).unwrap();
    for kind in ["dockerfile", "compose", "k8s"] {
        let in_sample = index
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(k, path)| {
                *k == kind && projects.iter().any(|d| path.starts_with(&format!("{d}/")))
            })
            .count();
        assert!(in_sample >= 50, "{in_sample} {kind} files in the sample");
    }
    let paths: Vec<&str> = projects.iter().map(String::as_str).collect();
    assert_merges_are_the_single_run(&corpus, &paths, &[]);
}

#[test]
fn examples_merges_are_the_single_run_with_and_without_cross_document_rules() {
    let examples = repo_root().join("testdata/examples");
    assert_merges_are_the_single_run(&examples, &["."], &[]);
    // Cross-document findings are found by the first shard, which reads
    // every file; the merge puts them in their files' places.
    assert_merges_are_the_single_run(&examples, &["."], &["--combine"]);
    // A policy that fails on every file: one error at its line, the files
    // it failed in every shard added up.
    let policies = tempfile::tempdir().unwrap();
    let rego = policies.path().join("boom.rego");
    std::fs::write(
        &rego,
        "package main\n\ndeny contains msg if {\n\tx := 1 / 0\n\tmsg := sprintf(\"%v\", [x])\n}\n",
    )
    .unwrap();
    let rego = rego.display().to_string();
    assert_merges_are_the_single_run(&examples, &["."], &["--policy", &rego]);
}

/// A compose project with its override, `.env` and a Dockerfile it builds,
/// a Helm chart and a kustomize overlay over a base.
fn projects() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(
        root,
        "shop/compose.yaml",
        "services:\n  web:\n    build: ./web\n    image: shop/web:${TAG}\n    privileged: true\n",
    );
    write(
        root,
        "shop/compose.override.yaml",
        "services:\n  web:\n    ports: [\"8080:80\"]\n",
    );
    write(root, "shop/.env", "TAG=latest\n");
    write(
        root,
        "shop/web/Dockerfile",
        "FROM nginx:latest\nRUN apt-get update\n",
    );
    common::copy_tree(
        &repo_root().join("testdata/helm/app"),
        &root.join("charts/app"),
    );
    common::copy_tree(
        &repo_root().join("testdata/kustomize/resources"),
        &root.join("deploy"),
    );
    dir
}

#[test]
fn a_compose_project_a_kustomization_and_a_chart_are_never_split() {
    let dir = projects();
    let out = tempfile::tempdir().unwrap();
    let whole = shards(dir.path(), &["."], &[], 1, out.path());
    let single_run = single(dir.path(), &["."], &[], out.path());
    let whole_units: BTreeMap<String, Vec<String>> = own_units(&whole)
        .into_iter()
        .map(|(key, _, files)| (key, files))
        .collect();
    // The sources made one unit of each project, holding its files.
    let unit_of = |file: &str| {
        whole_units
            .iter()
            .find(|(_, files)| files.iter().any(|f| f == file))
            .map(|(key, _)| key.clone())
    };
    for (file, unit) in [
        ("shop/compose.override.yaml", "./shop/compose.yaml"),
        ("charts/app/values.yaml", "./charts/app/Chart.yaml"),
        ("deploy/base/app.yaml", "deploy/base/kustomization.yaml"),
    ] {
        assert_eq!(unit_of(file).as_deref(), Some(unit), "{whole_units:#?}");
    }
    for count in 2..=6 {
        let reports = shards(dir.path(), &["."], &[], count, out.path());
        let units = own_units(&reports);
        // Every unit of the whole run is in one shard, with all its files.
        assert_eq!(units.len(), whole_units.len(), "{count} shards");
        for (key, shard, files) in &units {
            assert_eq!(whole_units.get(key), Some(files), "{key} in shard {shard}");
        }
        // The Dockerfile the compose project builds is read by the project.
        let shard_of = |key: &str| units.iter().find(|u| u.0 == key).map(|u| u.1);
        assert_eq!(
            shard_of("./shop/web/Dockerfile"),
            shard_of("./shop/compose.yaml"),
            "{count} shards"
        );
        let merged = merge(&reports, "json");
        assert!(merged.stdout == single_run.json, "{count} shards");
    }
}

#[test]
fn the_shard_of_a_target_does_not_depend_on_the_typed_path_or_threads() {
    let dir = projects();
    let absolute = dir.path().display().to_string();
    let own_files = |paths: &[&str], jobs: &str| -> Vec<Vec<(usize, String)>> {
        (1..=3)
            .map(|index| {
                let shard = format!("{index}/3");
                let mut args = vec!["check", "--shard", &shard, "--format", "json", "-j", jobs];
                args.extend(paths);
                let run = policy(&args, dir.path());
                let report: Value = serde_json::from_slice(&run.stdout).unwrap();
                let mut files: Vec<(usize, String)> = report["shard"]["units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|u| u["files"][0].as_str())
                    .map(|f| (index, f.to_string()))
                    .collect();
                files.sort();
                files
            })
            .collect()
    };
    let typed_dot = own_files(&["."], "1");
    assert!(typed_dot.iter().filter(|s| !s.is_empty()).count() >= 2);
    assert_eq!(own_files(&["./"], "4"), typed_dot);
    assert_eq!(own_files(&[&absolute], "2"), typed_dot);
    // From a subdirectory, naming the files by `..`.
    let shop = dir.path().join("shop");
    let from_shop: Vec<Vec<(usize, String)>> = (1..=3)
        .map(|index| {
            let shard = format!("{index}/3");
            let run = policy(
                &["check", "--shard", &shard, "--format", "json", "../shop"],
                &shop,
            );
            let report: Value = serde_json::from_slice(&run.stdout).unwrap();
            report["shard"]["units"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|u| u["files"][0].as_str())
                .map(|f| (index, f.to_string()))
                .collect()
        })
        .collect();
    for (index, files) in from_shop.iter().enumerate() {
        for file in files {
            assert!(typed_dot[index].contains(file), "{file:?} moved shard");
        }
    }
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let examples = repo_root().join("testdata/examples");
    for bad in ["0/3", "4/3", "x", "1/0", "2"] {
        let run = policy(&["check", "--shard", bad, "."], &examples);
        assert_eq!(run.status.code(), Some(2), "{bad}");
        assert!(stderr(&run).contains("is not a shard"), "{}", stderr(&run));
    }
    let run = policy(&["runtime", "--shard", "1/2", "--no-engine"], &examples);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn merge_refuses_a_missing_a_duplicate_a_foreign_or_a_mixed_shard() {
    let examples = repo_root().join("testdata/examples");
    let out = tempfile::tempdir().unwrap();
    let three = shards(&examples, &["."], &[], 3, out.path());
    let two = shards(&examples, &["."], &[], 2, out.path());
    let refused = |reports: Vec<PathBuf>, says: &str| {
        let run = merge(&reports, "json");
        assert_eq!(run.status.code(), Some(2), "{reports:?}");
        assert!(run.stdout.is_empty());
        assert!(stderr(&run).contains(says), "{}", stderr(&run));
    };
    refused(
        vec![three[0].clone(), three[2].clone()],
        "missing shard 2/3",
    );
    refused(
        vec![
            three[0].clone(),
            three[1].clone(),
            three[1].clone(),
            three[2].clone(),
        ],
        "are both shard 2/3",
    );
    refused(
        vec![three[0].clone(), two[1].clone()],
        "the shards of one run share N",
    );
    // Other settings: another fail-on threshold.
    let other = out.path().join("other.json");
    let arg = format!("json={}", other.display());
    policy(
        &[
            "check",
            "--shard",
            "2/2",
            "--fail-on",
            "info",
            "--format",
            &arg,
            ".",
        ],
        &examples,
    );
    refused(vec![two[0].clone(), other], "other settings");
    // A report of a run that was not sharded.
    let plain = out.path().join("plain.json");
    let arg = format!("json={}", plain.display());
    policy(&["check", "--format", &arg, "."], &examples);
    refused(vec![plain], "not a shard's report");
    let human = policy(
        &[
            "merge",
            "--format",
            "human",
            &three[0].display().to_string(),
        ],
        &examples,
    );
    assert_eq!(human.status.code(), Some(2));
}

#[test]
fn an_unsharded_report_has_no_shard_field_and_a_shard_report_says_which() {
    let examples = repo_root().join("testdata/examples");
    let plain: Value =
        serde_json::from_slice(&policy(&["check", "--format", "json", "."], &examples).stdout)
            .unwrap();
    assert!(plain.get("shard").is_none());
    let run = policy(
        &["check", "--shard", "2/3", "--format", "json", "."],
        &examples,
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["shard"]["index"], 2);
    assert_eq!(report["shard"]["count"], 3);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
