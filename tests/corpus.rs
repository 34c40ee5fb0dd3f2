//! Robustness and parity over the real-world corpus in `../shared/corpus`
//! (or `$POLICY_CORPUS`): every Dockerfile Docker's own parser accepts must
//! parse and the ones it rejects must be rejected; every YAML file must parse
//! unless listed as invalid; the whole pipeline runs with no panic and no
//! unexpected error. Prints parse rates per kind.

use container_policy::check::{self, Input};
use container_policy::discover;
use container_policy::engine::{PolicySet, Selection};
use container_policy::parse;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    dir.join("INDEX.tsv").is_file().then_some(dir)
}

fn listed(file: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/corpus")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

fn index(corpus: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(corpus.join("INDEX.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .collect()
}

#[test]
fn corpus_parses_as_docker_and_kubernetes_do() {
    let Some(corpus) = corpus_dir() else {
        return skip();
    };
    let docker_rejects = listed("dockerfile-docker-rejects.tsv");
    let unknown_instruction = listed("dockerfile-unknown-instruction.tsv");
    let yaml_rejects = listed("yaml-invalid.tsv");
    let mut rejected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for (kind, rel) in index(&corpus) {
        let text = std::fs::read(corpus.join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&text);
        let (label, result) = match kind.as_str() {
            "dockerfile" => (
                "dockerfile",
                (container_policy::kinds::DOCKERFILE.parse)(&text).map(|_| ()),
            ),
            "compose" => ("compose", parse::parse_yaml(&text).map(|_| ())),
            _ => ("kubernetes", parse::parse_yaml(&text).map(|_| ())),
        };
        *totals.entry(label).or_default() += 1;
        if let Err(e) = result {
            assert!(!e.message.is_empty(), "{rel}: empty error message");
            rejected.entry(label).or_default().insert(rel);
        }
    }
    for (kind, total) in &totals {
        let n = rejected.get(kind).map_or(0, |r| r.len());
        eprintln!(
            "{kind}: {} of {total} parse ({:.2}%)",
            total - n,
            100.0 * (total - n) as f64 / *total as f64
        );
    }
    let ours = rejected.remove("dockerfile").unwrap_or_default();
    let expected: BTreeSet<String> = docker_rejects
        .union(&unknown_instruction)
        .cloned()
        .collect();
    assert_eq!(
        ours, expected,
        "Dockerfiles rejected by us vs by Docker (parser + unknown instructions)"
    );
    let yaml: BTreeSet<String> = rejected.into_values().flatten().collect();
    assert_eq!(
        yaml, yaml_rejects,
        "YAML files rejected vs testdata/corpus/yaml-invalid.tsv"
    );
}

#[test]
fn whole_corpus_checks_without_unexpected_errors() {
    let Some(corpus) = corpus_dir() else {
        return skip();
    };
    let policies = PolicySet::builtin().unwrap();
    let evaluator = policies.evaluator(&Selection::default()).unwrap();
    let (targets, walk_errors) = discover::discover(std::slice::from_ref(&corpus));
    assert!(walk_errors.is_empty(), "{walk_errors:?}");
    let outcome = check::run(&evaluator, targets.into_iter().map(Input::File).collect());
    let expected: BTreeSet<String> = listed("dockerfile-docker-rejects.tsv")
        .into_iter()
        .chain(listed("dockerfile-unknown-instruction.tsv"))
        .chain(listed("yaml-invalid.tsv"))
        .collect();
    let prefix = format!("{}/", corpus.display());
    let mut unexpected = Vec::new();
    for e in outcome.errors() {
        assert!(
            e.line.is_some_and(|l| l >= 1),
            "error without a line: {e:?}"
        );
        let rel = e.path.trim_start_matches(&prefix);
        if !expected.contains(rel) {
            unexpected.push(format!("{}:{}: {}", rel, e.line.unwrap_or(0), e.message));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected errors:\n{}",
        unexpected.join("\n")
    );
    for f in outcome.findings() {
        assert!(
            f.line >= 1 && f.column >= 1 && f.end_line >= f.line,
            "{f:?}"
        );
    }
    let files = outcome.files.iter().filter(|f| f.kind.is_some()).count();
    let findings = outcome.findings().count();
    eprintln!(
        "checked {files} files, {findings} findings, {} errors",
        outcome.errors().count()
    );
    assert!(files > 8000, "only {files} files recognized");
}

/// No corpus: skipped, and why; a failure where the tools are required (CI).
fn skip() {
    let why = "no corpus at ../shared/corpus (set POLICY_CORPUS)";
    assert!(
        std::env::var_os("POLICY_REQUIRE_TOOLS").is_none(),
        "POLICY_REQUIRE_TOOLS is set but there is {why}"
    );
    eprintln!("skipped: {why}");
}
