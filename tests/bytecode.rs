//! The rules run on regorus' bytecode VM where their kind compiles, else on
//! the interpreter (issue 16). The two must agree exactly: the rule fixtures
//! and a sample of the real-world corpus are checked with each, and the
//! findings and errors compared; Rego constructs the VM got wrong before
//! vendor/regorus PATCHES.md patch 9 are checked on the binary.

mod common;

use common::*;
use container_policy::check::{self, Input, Outcome};
use container_policy::discover;
use container_policy::engine::{Bytecode, LoadOptions, PolicySet, Selection};
use std::path::PathBuf;

/// Findings and errors of a run, one line each, in the run's order.
fn listing(outcome: &Outcome) -> Vec<String> {
    let findings = outcome.findings().map(|f| format!("{f:?}"));
    findings
        .chain(outcome.errors().map(|e| format!("{e:?}")))
        .collect()
}

/// Checks `paths` with the built-in rules on the interpreter and on the VM;
/// asserts the same findings and errors, that every kind checked ran as
/// bytecode, and that the VM failed on no input. Returns the findings count.
fn assert_agree(paths: Vec<PathBuf>, kinds: &[&str]) -> usize {
    assert_agree_with(paths, kinds, &Selection::default())
}

fn assert_agree_with(paths: Vec<PathBuf>, kinds: &[&str], selection: &Selection) -> usize {
    let policies = PolicySet::builtin().unwrap();
    let (targets, walk_errors) = discover::discover(&paths);
    assert!(walk_errors.is_empty(), "{walk_errors:?}");
    let run = |bytecode: Bytecode| {
        let mut evaluator = policies.evaluator(selection).unwrap();
        evaluator.set_bytecode(bytecode);
        let inputs = targets.iter().cloned().map(Input::File).collect();
        let outcome = check::run(&evaluator, inputs);
        (listing(&outcome), evaluator.bytecode_stats())
    };
    let (interpreted, (none, _)) = run(Bytecode::Off);
    assert!(none.is_empty(), "compiled with bytecode off: {none:?}");
    let (compiled, (kinds_run, failures)) = run(Bytecode::Always);
    for kind in kinds {
        assert!(
            kinds_run.contains(kind),
            "{kind} not run as bytecode: {kinds_run:?}"
        );
    }
    assert_eq!(failures, 0, "inputs the VM failed on");
    assert_eq!(interpreted.len(), compiled.len());
    for (i, (a, b)) in interpreted.iter().zip(&compiled).enumerate() {
        assert_eq!(a, b, "item {i} differs");
    }
    interpreted.len()
}

#[test]
fn the_vm_and_the_interpreter_agree_on_every_rule_fixture() {
    let fixtures = repo_root().join("testdata/rules");
    let n = assert_agree(vec![fixtures], &["compose", "dockerfile", "kubernetes"]);
    assert!(n > 300, "only {n} findings");
}

/// The default rules run from `policies/builtin.rvm` (compiled ahead of
/// time). Another selection uses it only for the kinds whose rules it
/// leaves as they are, with those rules numbered differently (a
/// Dockerfile-only rule disabled, an opt-in Kubernetes rule enabled), and
/// findings still agree with the interpreter's.
#[test]
fn ahead_of_time_bytecode_is_used_only_for_the_rules_it_was_made_for() {
    let policies = PolicySet::builtin().unwrap();
    let default = policies.evaluator(&Selection::default()).unwrap();
    let prebuilt = default.prebuilt_kinds();
    for kind in ["compose", "dockerfile", "kubernetes", "image", "container"] {
        assert!(
            prebuilt.contains(&kind),
            "{kind}: {prebuilt:?} (run UPDATE_GENERATED=1 cargo test --test generated)"
        );
    }
    let only = |kind: &str, on: bool| {
        (policies.rules.iter())
            .position(|r| r.meta.kinds == [kind] && Selection::default().selects(r) == on)
            .unwrap_or_else(|| panic!("no {kind}-only rule selected: {on}"))
    };
    let (disabled, enabled) = (only("dockerfile", true), only("kubernetes", false));
    // A compose rule after the disabled one: its number in the selection moves.
    assert!((policies.rules[disabled..].iter()).any(|r| r
        .meta
        .kinds
        .iter()
        .any(|k| k == "compose")));
    let selection = Selection {
        disable: vec![policies.rules[disabled].meta.id.clone()],
        enable: vec![policies.rules[enabled].meta.id.clone()],
        ..Selection::default()
    };
    let evaluator = policies.evaluator(&selection).unwrap();
    let prebuilt = evaluator.prebuilt_kinds();
    assert!(!prebuilt.contains(&"dockerfile"), "{prebuilt:?}");
    assert!(!prebuilt.contains(&"kubernetes"), "{prebuilt:?}");
    assert!(prebuilt.contains(&"compose"), "{prebuilt:?}");
    let fixtures = repo_root().join("testdata/rules");
    let n = assert_agree_with(vec![fixtures], &["compose", "dockerfile"], &selection);
    assert!(n > 300, "only {n} findings");
}

#[test]
fn the_vm_and_the_interpreter_agree_on_a_corpus_sample() {
    let corpus = match corpus_dir() {
        Ok(dir) => dir,
        Err(why) => {
            require_or_skip("the corpus comparison", Some(why));
            return;
        }
    };
    // Every fifth file of the index: all three kinds, every project.
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).unwrap();
    let paths: Vec<PathBuf> = index
        .lines()
        .skip(1)
        .step_by(5)
        .filter_map(|l| l.split('\t').nth(1))
        .map(|p| corpus.join(p))
        .collect();
    assert!(paths.len() > 1500);
    let n = assert_agree(paths, &["compose", "dockerfile", "kubernetes"]);
    assert!(n > 5000, "only {n} findings");
}

/// A user rule exercising what the VM got wrong: an `else` after a body
/// whose loop found nothing, and a rule read through an import alias.
const SEMANTICS: &str = r#"package rules.semantics
import rego.v1
import data.helpers

metadata := {"id": "SEM001", "name": "semantics", "title": "t", "severity": "error", "tags": ["x"], "kinds": ["dockerfile"], "why": "w", "fix": "f"}

listed(x) := "listed" if { some c in ["a", "b"]; c == x } else := "not listed"
chained(x) := 1 if { some c in ["a", "b"]; c == x } else := 2 if { x == "y" } else := 3
kind_listed := "yes" if { some k in ["compose"]; k == input.kind } else := "no"

deny contains msg if {
	msg := sprintf("%s %s %v %v %s %v", [listed("a"), listed("z"), chained("y"), chained("z"), kind_listed, count(helpers.names)])
}
"#;

const HELPERS: &str = "package helpers\nimport rego.v1\nnames contains n if { some n in [\"x\", \"y\"] }\nunused := 1\n";

/// Kinds run as bytecode, and inputs the VM failed on.
type BytecodeStats = (Vec<&'static str>, usize);

/// Checks the Dockerfile in `dir` with the user policies of
/// `dir/policies` alone, once per evaluator mode: each run's outcome and
/// bytecode stats.
fn run_user_policies(dir: &std::path::Path) -> Vec<(Bytecode, Outcome, BytecodeStats)> {
    let options = LoadOptions {
        builtin: false,
        policies: vec![dir.join("policies")],
        ..LoadOptions::default()
    };
    let policies = PolicySet::load(&options).unwrap();
    let (targets, _) = discover::discover(&[dir.join("Dockerfile")]);
    [Bytecode::Off, Bytecode::Always]
        .into_iter()
        .map(|bytecode| {
            let mut evaluator = policies.evaluator(&Selection::default()).unwrap();
            evaluator.set_bytecode(bytecode);
            let inputs = targets.iter().cloned().map(Input::File).collect();
            let outcome = check::run(&evaluator, inputs);
            (bytecode, outcome, evaluator.bytecode_stats())
        })
        .collect()
}

#[test]
fn else_after_an_empty_loop_and_import_aliases_mean_the_same_on_the_vm() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/semantics.rego", SEMANTICS);
    write(dir.path(), "policies/helpers.rego", HELPERS);
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\nUSER app\n");
    for (bytecode, outcome, (kinds, failures)) in run_user_policies(dir.path()) {
        let messages: Vec<String> = outcome
            .findings()
            .filter(|f| f.rule == "SEM001")
            .map(|f| f.message.clone())
            .collect();
        assert_eq!(messages, ["listed not listed 2 3 no 2"], "{bytecode:?}");
        let on = bytecode == Bytecode::Always;
        assert_eq!((kinds.contains(&"dockerfile"), failures), (on, 0));
    }
}

/// A rule the compiler refuses (`with`, `print`) runs on the interpreter;
/// the kind's other rules still run as bytecode.
#[test]
fn a_rule_that_does_not_compile_runs_on_the_interpreter_beside_the_vm() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/semantics.rego", SEMANTICS);
    write(dir.path(), "policies/helpers.rego", HELPERS);
    write(
        dir.path(),
        "policies/with.rego",
        "package rules.uses_with\nimport rego.v1\n\
         metadata := {\"id\": \"WITH001\", \"name\": \"uses-with\", \"title\": \"t\", \"severity\": \"error\", \"tags\": [\"x\"], \"kinds\": [\"dockerfile\"], \"why\": \"w\", \"fix\": \"f\"}\n\
         kind_seen := input.kind\n\
         deny contains msg if {\n\tprint(\"checking\", input.path)\n\tk := kind_seen with input.kind as \"compose\"\n\tmsg := sprintf(\"as %s\", [k])\n}\n",
    );
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\nUSER app\n");
    let mut runs = Vec::new();
    for (bytecode, outcome, (kinds, failures)) in run_user_policies(dir.path()) {
        let mut messages: Vec<String> = outcome
            .findings()
            .map(|f| format!("{} {}", f.rule, f.message))
            .collect();
        messages.sort();
        assert_eq!(
            messages,
            ["SEM001 listed not listed 2 3 no 2", "WITH001 as compose"],
            "{bytecode:?}"
        );
        assert_eq!(outcome.errors().count(), 0);
        let on = bytecode == Bytecode::Always;
        assert_eq!((kinds.contains(&"dockerfile"), failures), (on, 0));
        runs.push(listing(&outcome));
    }
    assert_eq!(runs[0], runs[1]);
}
