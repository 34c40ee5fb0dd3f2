//! Built-in rule files parsed per kind on first use, with their metadata
//! read at build time (issue 16, no start-up cost): the rules, their
//! metadata and the findings must be those of loading every file up front.

mod common;
use common::{corpus_dir, repo_root};

use container_policy::check::{self, Input, Outcome};
use container_policy::engine::{LoadOptions, PolicySet, Selection};
use container_policy::sources::discover;
use serde_json::Value as Json;

fn load(defer: bool) -> PolicySet {
    PolicySet::load(&LoadOptions {
        defer_builtin_rules: defer,
        ..Default::default()
    })
    .expect("built-in policies load")
}

/// Every rule, cross-document ones included.
fn everything(policies: &PolicySet) -> Selection {
    Selection {
        enable: policies.rules.iter().map(|r| r.meta.id.clone()).collect(),
        combine: true,
        ..Default::default()
    }
}

fn as_json<T: serde::Serialize>(value: &T) -> Json {
    serde_json::to_value(value).expect("serializes")
}

#[test]
fn metadata_read_at_build_time_is_what_rego_evaluates() {
    let (deferred, eager) = (load(true), load(false));
    assert!(deferred.rules.len() > 90, "{} rules", deferred.rules.len());
    assert_eq!(deferred.rules.len(), eager.rules.len());
    for (d, e) in deferred.rules.iter().zip(&eager.rules) {
        assert_eq!((&d.package, &d.file), (&e.package, &e.file));
        assert_eq!(as_json(&d.meta), as_json(&e.meta), "{}", d.meta.id);
    }
    // Without the built-in rule files, only the libs and the rules whose
    // metadata is an expression are parsed at load.
    assert!(
        deferred.files.len() < 10,
        "{} files loaded",
        deferred.files.len()
    );
}

#[test]
fn every_kind_prepares_with_every_rule() {
    let policies = load(true);
    let evaluator = policies
        .evaluator(&everything(&policies))
        .expect("evaluator");
    evaluator.prepare_all_kinds().expect("every kind prepares");
}

/// Findings, errors and skipped files of a run, as the JSON report holds them.
fn report(outcome: &Outcome) -> Json {
    let findings: Vec<Json> = outcome.findings().map(as_json).collect();
    let errors: Vec<Json> = outcome.errors().map(as_json).collect();
    serde_json::json!({ "findings": findings, "errors": errors })
}

fn run(defer: bool, paths: &[std::path::PathBuf], threads: usize) -> Json {
    let policies = load(defer);
    let evaluator = policies
        .evaluator(&everything(&policies))
        .expect("evaluator");
    let (targets, walk_errors) = discover::discover(paths);
    assert!(walk_errors.is_empty(), "{walk_errors:?}");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let outcome =
        pool.install(|| check::run(&evaluator, targets.into_iter().map(Input::File).collect()));
    report(&outcome)
}

#[test]
fn findings_of_the_rule_fixtures_are_those_of_loading_everything() {
    let fixtures = vec![
        repo_root().join("testdata/rules"),
        repo_root().join("testdata/examples"),
    ];
    let eager = run(false, &fixtures, 2);
    assert!(eager["findings"].as_array().is_some_and(|f| f.len() > 500));
    // Two workers racing for the same kinds, and one doing them all.
    assert_eq!(run(true, &fixtures, 2), eager);
    assert_eq!(run(true, &fixtures, 1), eager);
}

#[test]
fn findings_of_a_corpus_sample_are_those_of_loading_everything() {
    let corpus = match corpus_dir() {
        Ok(dir) => dir,
        Err(why) => {
            common::require_or_skip("the corpus", Some(why));
            return;
        }
    };
    let sample: Vec<_> = std::fs::read_to_string(corpus.join("INDEX.tsv"))
        .expect("INDEX.tsv")
        .lines()
        .skip(1)
        .step_by(50)
        .filter_map(|l| l.split('\t').nth(1).map(|p| corpus.join(p)))
        .collect();
    assert_eq!(run(true, &sample, 2), run(false, &sample, 2));
}
