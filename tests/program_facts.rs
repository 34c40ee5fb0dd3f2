//! The program of each RUN command is found once by the parser
//! (`shell::program_index`, the `programs` beside `commands`) and read by
//! `lib.program`, `lib.program_args` and `lib.program_runs`. These tests
//! check that those facts are what the Rego helpers compute when they parse
//! the command themselves (`lib.parsed_program_index`, the path taken for
//! commands the parser did not see), on every Dockerfile fixture and, when
//! it is there, every 8th Dockerfile of ../shared/corpus.

mod common;

use container_policy::check::native_input;
use container_policy::engine::PolicySet;
use container_policy::kinds::DOCKERFILE;
use container_policy::source::SourceFile;
use regorus::Value;
use std::path::{Path, PathBuf};

/// Per document: `[instruction, command, index]` from the parser's facts,
/// from the Rego parse, and the helpers' answers (program, args) on the fast
/// path and by the Rego parse.
const FACTS_MODULE: &str = r#"
package program_facts
import rego.v1

commands contains [i, k, c] if {
	some i, ins in input.document.instructions
	some k, c in object.get(ins, "commands", [])
}

from_parser contains [i, k, j] if {
	some [i, k, _] in commands
	j := input.document.instructions[i].programs[k]
	j != null
}

from_rego contains [i, k, j] if {
	some [i, k, c] in commands
	j := data.lib.parsed_program_index(c)
}

helpers contains [i, k, program, args] if {
	some [i, k, c] in commands
	program := data.lib.program(c)
	args := data.lib.program_args(c)
}

helpers_by_rego contains [i, k, program, args] if {
	some [i, k, c] in commands
	j := data.lib.parsed_program_index(c)
	program := data.lib.basename(c[j])
	args := array.slice(c, j + 1, count(c))
}

runs := {name: {[i, k] | some [i, _, k, _] in data.lib.program_runs(name)} | some name in names}

# What the built-in rules ask lib.program_runs for, and a few more.
names := {"apt-get", "apt", "apk", "wget", "yum", "dnf", "zypper", "curl", "pip"}

runs_by_rego := {name: {[i, k] |
	some [i, k, c] in commands
	input.document.instructions[i].cmd == "run"
	data.lib.run_mentions(input.document.instructions[i], name)
	j := data.lib.parsed_program_index(c)
	data.lib.basename(c[j]) == name
} | some name in names}
"#;

fn engine() -> regorus::Engine {
    let policies = PolicySet::builtin().expect("built-in policies load");
    let mut engine = policies.engine().clone();
    engine
        .add_policy("program_facts.rego".into(), FACTS_MODULE.into())
        .expect("the facts module loads");
    engine
}

fn rule(engine: &mut regorus::Engine, name: &str) -> Value {
    engine
        .eval_rule(format!("data.program_facts.{name}"))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            dockerfiles(&path, out);
        } else if name.contains("Dockerfile") || name.ends_with(".dockerfile") {
            out.push(path);
        }
    }
}

/// Compares the facts on each file; returns how many commands had a program.
fn compare(engine: &mut regorus::Engine, files: &[PathBuf]) -> usize {
    let mut programs = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let shown = path.display().to_string();
        let source = SourceFile::new(shown.as_str(), text.as_str());
        let Ok(documents) = (DOCKERFILE.parse)(&text) else {
            continue;
        };
        for doc in &documents {
            let input = native_input(&source, &DOCKERFILE, doc).expect("input builds");
            engine.set_input(input);
            let from_parser = rule(engine, "from_parser");
            assert_eq!(
                from_parser,
                rule(engine, "from_rego"),
                "{shown}: program indexes"
            );
            assert_eq!(
                rule(engine, "helpers"),
                rule(engine, "helpers_by_rego"),
                "{shown}: lib.program / lib.program_args"
            );
            assert_eq!(
                rule(engine, "runs"),
                rule(engine, "runs_by_rego"),
                "{shown}: lib.program_runs"
            );
            programs += from_parser.as_set().map(|s| s.len()).unwrap_or(0);
        }
    }
    programs
}

#[test]
fn parser_programs_match_the_rego_helpers_on_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    dockerfiles(&root.join("testdata"), &mut files);
    assert!(
        files.len() > 50,
        "found {} Dockerfile fixtures",
        files.len()
    );
    let programs = compare(&mut engine(), &files);
    assert!(programs > 200, "only {programs} commands with a program");
}

#[test]
fn parser_programs_match_the_rego_helpers_on_the_corpus() {
    // Skipped without the corpus, a failure under POLICY_REQUIRE_TOOLS=1.
    let corpus = match common::corpus_dir() {
        Ok(dir) => dir,
        Err(why) => {
            common::require_or_skip("program facts over the corpus", Some(why));
            return;
        }
    };
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).unwrap();
    let files: Vec<PathBuf> = index
        .lines()
        .filter_map(|l| l.strip_prefix("dockerfile\t"))
        .filter_map(|l| l.split('\t').next())
        .map(|p| corpus.join(p))
        // Every 8th: a debug build takes minutes over all of them.
        .step_by(8)
        .collect();
    let programs = compare(&mut engine(), &files);
    assert!(programs > 1_000, "only {programs} commands with a program");
}
