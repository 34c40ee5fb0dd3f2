//! Every built-in rule is checked against its fixtures in
//! `testdata/rules/<ID>/`: files named `fail*` and `pass*`, one per kind the
//! rule supports at least. In a fixture, `# expect: ID[,ID…]` marks where a
//! finding must point: the same line when code stands before the comment,
//! otherwise the next line that is not a comment. A `pass*` fixture must
//! produce no finding of the rule; a `fail*` fixture exactly the marked lines.
//! A rule that reads parameters gets them from `data.yaml` (or `data.json`)
//! in its directory, merged into `data` as `--data` would; it is not a fixture.
//! A fixture may be a directory (`fail-drift/`): its files are checked
//! together, as cross-document rules relating two files need, and the marks
//! of all of them count. JSON fixtures (`docker inspect` output) carry their
//! marks as `# expect:` comments too, which the YAML reader accepts.
//! Kind `probe` has no file fixtures (probes are tested in tests/runtime.rs).

use container_policy::check::{self, Input};
use container_policy::discover;
use container_policy::engine::{Evaluator, LoadOptions, PolicySet, Selection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn expected_lines(text: &str, rule: &str) -> BTreeSet<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(pos) = line.find("# expect:") else {
            continue;
        };
        let ids = line[pos + "# expect:".len()..].split(',').map(str::trim);
        if !ids.clone().any(|id| id == rule) {
            continue;
        }
        if !line[..pos].trim().is_empty() {
            out.insert(i + 1);
        } else if let Some(next) =
            (i + 1..lines.len()).find(|&j| !lines[j].trim_start().starts_with('#'))
        {
            out.insert(next + 1);
        }
    }
    out
}

const DATA_FILES: [&str; 3] = ["data.yaml", "data.yml", "data.json"];

/// Every rule enabled, cross-document ones included, with `data` files merged.
fn evaluator(data: Vec<PathBuf>) -> Evaluator {
    let policies = PolicySet::load(&LoadOptions {
        data,
        ..Default::default()
    })
    .expect("built-in policies and fixture data load");
    let all: Vec<String> = policies.rules.iter().map(|r| r.meta.id.clone()).collect();
    policies
        .evaluator(&Selection {
            enable: all,
            combine: true,
            ..Default::default()
        })
        .expect("evaluator")
}

#[test]
fn every_rule_matches_its_fixtures() {
    let policies = PolicySet::builtin().expect("built-in policies load");
    let plain = evaluator(Vec::new());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut failures = Vec::new();
    for rule in &policies.rules {
        let id = &rule.meta.id;
        let dir = root.join(id);
        let data: Vec<PathBuf> = DATA_FILES
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| p.is_file())
            .collect();
        let with_data = (!data.is_empty()).then(|| evaluator(data));
        let evaluator = with_data.as_ref().unwrap_or(&plain);
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        fixtures.retain(|p| !DATA_FILES.iter().any(|f| p.ends_with(f)));
        fixtures.sort();
        // kind -> (has a failing fixture, has a passing fixture)
        let mut coverage: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for fixture in fixtures {
            let name = fixture.file_name().unwrap().to_string_lossy().to_string();
            let (targets, _) = discover::discover(std::slice::from_ref(&fixture));
            // Cross-document rules see the fixture's documents together.
            let outcome = check::run(evaluator, targets.into_iter().map(Input::File).collect());
            let mut got: BTreeSet<(String, usize)> = BTreeSet::new();
            let mut want: BTreeSet<(String, usize)> = BTreeSet::new();
            let mut kinds = BTreeSet::new();
            for file in &outcome.files {
                let shown = file
                    .source
                    .as_ref()
                    .map(|s| s.path.to_string())
                    .or(file.error.as_ref().map(|e| e.path.clone()))
                    .unwrap_or_default();
                let short = Path::new(&shown)
                    .strip_prefix(&dir)
                    .map(|p| p.to_string_lossy().to_string())
                    .unwrap_or(shown.clone());
                if let Some(e) = &file.error {
                    failures.push(format!(
                        "{id}/{short}: could not be checked: {} (line {:?})",
                        e.message, e.line
                    ));
                    continue;
                }
                let Some(kind) = file.kind else {
                    failures.push(format!("{id}/{short}: no kind recognized"));
                    continue;
                };
                kinds.insert(kind);
                let text = std::fs::read_to_string(&shown).unwrap();
                want.extend(
                    expected_lines(&text, id)
                        .into_iter()
                        .map(|l| (short.clone(), l)),
                );
                got.extend(
                    file.findings
                        .iter()
                        .filter(|f| &f.rule == id)
                        .map(|f| (short.clone(), f.line)),
                );
            }
            if kinds.is_empty() {
                continue;
            }
            let covered_kinds: Vec<String> = if rule.meta.kinds.iter().any(|k| k == "combined") {
                vec!["combined".to_string()]
            } else {
                kinds.iter().map(|k| k.to_string()).collect()
            };
            for covered_kind in covered_kinds {
                let entry = coverage.entry(covered_kind).or_default();
                if name.starts_with("fail") {
                    entry.0 = true;
                } else if name.starts_with("pass") {
                    entry.1 = true;
                }
            }
            if name.starts_with("fail") {
                if want.is_empty() {
                    failures.push(format!(
                        "{id}/{name}: a fail fixture marks no `# expect: {id}` line"
                    ));
                }
            } else if !name.starts_with("pass") {
                failures.push(format!(
                    "{id}/{name}: fixture names start with `fail` or `pass`"
                ));
            }
            if got != want {
                failures.push(format!(
                    "{id}/{name}: expected {id} at {want:?}, got {got:?}"
                ));
            }
        }
        for kind in rule.meta.kinds.iter().filter(|k| *k != "probe") {
            match coverage.get(kind) {
                Some((true, true)) => {}
                other => failures.push(format!(
                    "{id}: needs a fail and a pass fixture for kind {kind} (has fail/pass: {other:?})"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}
