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
//!
//! Built images are fixtures of two sorts: an image config or `docker image
//! inspect` JSON file (comments allowed, since JSON is read as YAML), marked
//! like the others; and `*.image.yaml`, a description of an image (config,
//! history steps, layers with files, modes and whiteouts) that is built
//! into a real OCI layout (or `format: docker-archive`/`oci-archive`
//! tarball) and checked. Its `# expect: ID TEXT` lines each name one
//! finding by a part of its logical location (`root/.ssh/id_rsa`,
//! `config.User`, `history[2]`); its `dockerfile:` text, if any, is the
//! Dockerfile the image is compared with (`--dockerfile`).
//!
//! Each rule directory is its own test, named after the rule id (`cargo test
//! --test rules CP101`). It also compares the human output of each `fail*`
//! fixture, limited to the rule, with its snapshot in tests/snapshots
//! (`rules__<ID>-<fixture>.snap`), and checks the rule's metadata examples:
//! `bad` must produce the rule, `good` must not.

mod common;

use common::image::{self as builder, Image, Layer};
use container_policy::check::{self, Input};
use container_policy::discover;
use container_policy::engine::{Evaluator, LoadOptions, PolicySet, Selection};
use container_policy::report;
use container_policy::rules::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

// One `#[test]` per directory of testdata/rules, named after the rule id
// (`cargo test --test rules CP101` runs one rule), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/rule_fixture_tests.rs"));

/// Fixtures as the user names them from the repository root (the working
/// directory of `cargo test`), so that snapshots show relative paths.
const FIXTURES: &str = "testdata/rules";

fn builtin() -> &'static PolicySet {
    static POLICIES: OnceLock<PolicySet> = OnceLock::new();
    POLICIES.get_or_init(|| PolicySet::builtin().expect("built-in policies load"))
}

/// Every rule enabled, no data files: shared by the rules that read none.
fn plain_evaluator() -> &'static Evaluator {
    static PLAIN: OnceLock<Evaluator> = OnceLock::new();
    PLAIN.get_or_init(|| evaluator(Vec::new()))
}

#[test]
fn the_first_tag_of_every_rule_is_its_family() {
    let families: Vec<&str> = container_policy::rules::FAMILIES
        .iter()
        .map(|f| f.0)
        .collect();
    let wrong: Vec<String> = builtin()
        .rules
        .iter()
        .filter(|r| {
            !r.meta
                .tags
                .first()
                .is_some_and(|t| families.contains(&t.as_str()))
        })
        .map(|r| format!("{} {:?}", r.meta.id, r.meta.tags))
        .collect();
    assert!(
        wrong.is_empty(),
        "first tag is no family of {families:?}: {wrong:?}"
    );
}

#[test]
fn rules_fixture_directories_and_snapshots_match() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    let dirs: BTreeSet<String> = std::fs::read_dir(&root)
        .expect("testdata/rules")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    // Rules of kind `probe` only have no file fixtures (tests/runtime.rs
    // runs probes); their examples are checked here.
    let (probe_only, with_files): (Vec<_>, Vec<_>) = builtin()
        .rules
        .iter()
        .partition(|r| r.meta.kinds.iter().all(|k| k == "probe"));
    let failures: Vec<String> = probe_only.into_iter().flat_map(check_examples).collect();
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
    let rules: BTreeSet<String> = with_files.iter().map(|r| r.meta.id.clone()).collect();
    assert_eq!(
        dirs.difference(&rules).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "fixture directories without a rule"
    );
    assert_eq!(
        rules.difference(&dirs).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rules without a fixture directory"
    );
    // A snapshot left behind by a renamed or removed fixture.
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let orphans: Vec<String> = std::fs::read_dir(snapshots)
        .expect("tests/snapshots")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| {
            let Some(rest) = name.strip_prefix("rules__") else {
                return false;
            };
            let fixture = rest.trim_end_matches(".new").trim_end_matches(".snap");
            let (id, fixture) = fixture.split_once('-').unwrap_or((fixture, ""));
            !fixture.starts_with("fail") || !root.join(id).join(fixture).exists()
        })
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots of no failing fixture: {orphans:?}"
    );
}

/// Checks one rule's fixtures, snapshots the human output of its failing
/// ones, and checks its metadata examples.
fn check_rule_dir(id: &str) {
    // The rule reports what the installed ShellCheck says.
    let no_shellcheck = container_policy::shellcheck::program()
        .is_none()
        .then(|| "shellcheck is not installed".to_string());
    if id == container_policy::shellcheck::RULE
        && !common::require_or_skip("CP728's fixtures", no_shellcheck)
    {
        return;
    }
    assert!(
        Path::new(FIXTURES).is_dir(),
        "run from the repository root, as `cargo test` does"
    );
    let rule = builtin()
        .rules
        .iter()
        .find(|r| r.meta.id == id)
        .unwrap_or_else(|| panic!("{FIXTURES}/{id} names no built-in rule"));
    let dir = Path::new(FIXTURES).join(id);
    let data: Vec<PathBuf> = DATA_FILES
        .iter()
        .map(|f| dir.join(f))
        .filter(|p| p.is_file())
        .collect();
    let with_data = (!data.is_empty()).then(|| evaluator(data));
    let evaluator = with_data.as_ref().unwrap_or_else(|| plain_evaluator());
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    fixtures.retain(|p| !DATA_FILES.iter().any(|f| p.ends_with(f)));
    fixtures.sort();
    let mut failures = Vec::new();
    // Human output of each failing fixture: (snapshot name, text).
    let mut snapshots = Vec::new();
    // kind -> (has a failing fixture, has a passing fixture)
    let mut coverage: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for fixture in fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".image.yaml") {
            // Built into a temporary directory at test time: its path is
            // random, so it has no snapshot.
            let text = std::fs::read_to_string(&fixture).unwrap();
            let entry = coverage.entry("image".to_string()).or_default();
            match name.starts_with("fail") {
                true => entry.0 = true,
                false => entry.1 = true,
            }
            if let Err(e) = check_image_fixture(evaluator, id, &name, &text) {
                failures.push(format!("{id}/{name}: {e}"));
            }
            continue;
        }
        let (targets, _) = discover::discover(std::slice::from_ref(&fixture));
        // Cross-document rules see the fixture's documents together.
        let mut outcome = check::run(evaluator, targets.into_iter().map(Input::File).collect());
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
            // A directory fixture may hold files no kind claims, which the
            // walk passes over (a GitHub action's `action.yml`).
            if fixture.is_dir() && file.source.is_none() {
                continue;
            }
            let Some(kind) = file.kind.map(|k| k.name) else {
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
                    .filter(|f| f.rule == id)
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
            snapshots.push((format!("{id}-{name}"), human_output(&mut outcome, id)));
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
    failures.extend(check_examples(rule));
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}

/// What `policy check FIXTURE --color never` prints, limited to the rule
/// under test so that a change to another rule does not touch its snapshot.
fn human_output(outcome: &mut check::Outcome, id: &str) -> String {
    for file in &mut outcome.files {
        file.findings.retain(|f| f.rule == id);
    }
    let policies = builtin();
    let ctx = report::Context {
        fail_on: Some(Severity::Error),
        color: false,
        rules: policies.rules.iter().map(|r| r.meta.clone()).collect(),
        builtin: policies.rules.iter().map(|r| r.meta.id.clone()).collect(),
        statistics: false,
        shard: None,
    };
    let mut out = Vec::new();
    report::format("human").expect("human format")(outcome, &ctx, &mut out)
        .expect("write to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

/// Examples in rule metadata that are not checked as a whole document of
/// their kind: (rule, kind of the example, why). The test fails when a
/// listed example starts to work, so the list cannot go stale.
const EXAMPLES_NOT_CHECKED: &[(&str, &str, &str)] = &[
    ("CP003", "kubernetes", K8S_FRAGMENT),
    ("CP101", "kubernetes", K8S_FRAGMENT),
    ("CP103", "kubernetes", K8S_FRAGMENT),
    ("CP104", "kubernetes", K8S_FRAGMENT),
    ("CP105", "compose", COMPOSE_FRAGMENT),
    ("CP106", "kubernetes", K8S_FRAGMENT),
    ("CP107", "compose", COMPOSE_FRAGMENT),
    ("CP108", "kubernetes", K8S_FRAGMENT),
    ("CP109", "dockerfile", IMAGE_RULE),
    ("CP110", "kubernetes", K8S_FRAGMENT),
    ("CP202", "kubernetes", K8S_FRAGMENT),
    ("CP204", "kubernetes", K8S_FRAGMENT),
    ("CP301", "kubernetes", K8S_FRAGMENT),
    ("CP303", "kubernetes", K8S_FRAGMENT),
    ("CP501", "kubernetes", K8S_FRAGMENT),
    ("CP504", "kubernetes", K8S_FRAGMENT),
    ("CP505", "dockerfile", IMAGE_RULE),
    ("CP506", "dockerfile", IMAGE_RULE),
    (
        "CP507",
        "dockerfile",
        "the finding needs a build context directory beside the Dockerfile (its fixtures have one)",
    ),
    ("CP602", "kubernetes", K8S_FRAGMENT),
    ("CP603", "kubernetes", K8S_FRAGMENT),
    (
        "CP604",
        "container",
        "a fragment of `docker inspect` output",
    ),
    (
        "CP610",
        "probe",
        "a command line: probes run against live targets (tests/runtime.rs)",
    ),
    ("CP709", "kubernetes", K8S_FRAGMENT),
    ("CP710", "dockerfile", IMAGE_RULE),
    ("CP711", "dockerfile", IMAGE_RULE),
    ("CP901", "kubernetes", K8S_FRAGMENT),
    ("CP902", "kubernetes", K8S_FRAGMENT),
    ("CP903", "kubernetes", K8S_FRAGMENT),
    ("CP904", "kubernetes", K8S_FRAGMENT),
    ("CP905", "kubernetes", K8S_FRAGMENT),
    (
        "CP910",
        "compose",
        "comments that describe a compose file and a running container",
    ),
];
const K8S_FRAGMENT: &str = "a manifest fragment (no apiVersion and kind), which policy ignores";
const COMPOSE_FRAGMENT: &str = "keys of one service, not a compose file";
const IMAGE_RULE: &str = "an image rule: the example is the Dockerfile that builds the image";

/// Each metadata example's `bad` text must produce the rule and its `good`
/// text must not, checked as the example's kind.
fn check_examples(rule: &container_policy::rules::Rule) -> Vec<String> {
    let id = &rule.meta.id;
    let mut failures = Vec::new();
    if rule.meta.examples.is_empty() {
        failures.push(format!("{id}: its metadata has no example"));
    }
    for example in &rule.meta.examples {
        let kind = example.kind.as_str();
        let found = |text: &str| example_finds(id, kind, text);
        let verdict = match (found(&example.bad), found(&example.good)) {
            (Ok(true), Ok(false)) => Ok(()),
            (bad, good) => Err(format!(
                "bad example finds {id}: {bad:?}, good example finds {id}: {good:?}"
            )),
        };
        let listed = EXAMPLES_NOT_CHECKED
            .iter()
            .any(|(r, k, _)| r == id && *k == kind);
        match (verdict, listed) {
            (Ok(()), false) | (Err(_), true) => {}
            (Ok(()), true) => failures.push(format!(
                "{id}: the {kind} example now works; remove it from EXAMPLES_NOT_CHECKED"
            )),
            (Err(e), false) => failures.push(format!("{id}: {kind} example: {e}")),
        }
    }
    failures
}

/// Whether `text`, checked as `kind` with every rule enabled, produces `id`.
/// A first line `# parameters: {…}` gives the rule its parameters, as
/// `--data` would.
fn example_finds(id: &str, kind: &str, text: &str) -> Result<bool, String> {
    let spec = container_policy::kinds::kind(kind).ok_or(format!("no kind {kind}"))?;
    let parameters = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("# parameters:"))
        .map(str::trim);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let with_data = match parameters {
        Some(yaml) => {
            let path = tmp.path().join("data.yaml");
            std::fs::write(&path, format!("parameters: {yaml}\n")).map_err(|e| e.to_string())?;
            Some(evaluator(vec![path]))
        }
        None => None,
    };
    let evaluator = with_data.as_ref().unwrap_or_else(|| plain_evaluator());
    let outcome = check::run(
        evaluator,
        vec![Input::Text {
            display: format!("example.{kind}"),
            text: text.to_string(),
            kind: spec,
        }],
    );
    if let Some(e) = outcome.errors().next() {
        return Err(format!("could not be checked: {}", e.message));
    }
    let found = outcome.findings().any(|f| f.rule == id);
    Ok(found)
}

/// `# expect: ID TEXT` lines of an image description.
fn expected_locations(text: &str, rule: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .filter_map(|rest| {
            let rest = rest.trim();
            let (id, location) = rest.split_once(' ').unwrap_or((rest, ""));
            (id == rule).then(|| location.trim().to_string())
        })
        .collect()
}

/// Builds the image an `*.image.yaml` fixture describes and checks it.
fn check_image_fixture(
    evaluator: &Evaluator,
    id: &str,
    name: &str,
    text: &str,
) -> Result<(), String> {
    let docs = container_policy::parse::parse_yaml(text).map_err(|e| e.message)?;
    let spec = docs.first().ok_or("empty description")?.node.to_json();
    let mut image = Image::new(
        spec.get("config")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({})),
    );
    for tag in spec["tags"].as_array().into_iter().flatten() {
        image = image.tag(tag.as_str().unwrap());
    }
    for step in spec["steps"].as_array().into_iter().flatten() {
        image = image.step(step.as_str().unwrap());
    }
    for l in spec["layers"].as_array().into_iter().flatten() {
        let mut layer = Layer::new();
        if l["gzip"] == serde_json::json!(false) {
            layer = layer.plain();
        }
        if let Some(by) = l["by"].as_str() {
            layer = layer.by(by);
        }
        let modes = l["modes"].as_object().cloned().unwrap_or_default();
        for (path, content) in l["files"].as_object().into_iter().flatten() {
            let mode = modes
                .get(path)
                .and_then(|m| u32::from_str_radix(m.as_str().unwrap_or("644"), 8).ok())
                .unwrap_or(0o644);
            layer = layer.file_mode(path, content.as_str().unwrap_or("").as_bytes(), mode);
        }
        for path in l["whiteouts"].as_array().into_iter().flatten() {
            layer = layer.whiteout(path.as_str().unwrap());
        }
        for dir in l["opaque"].as_array().into_iter().flatten() {
            layer = layer.opaque(dir.as_str().unwrap());
        }
        image = image.layer(layer);
    }
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let target = match spec["format"].as_str().unwrap_or("oci-layout") {
        "oci-layout" => {
            let dir = tmp.path().join("image");
            builder::write_dir(&dir, &builder::oci_files(&[image]));
            dir
        }
        "oci-archive" => {
            let file = tmp.path().join("image.tar");
            builder::write_tar(&file, &builder::docker_oci_files(&[image]));
            file
        }
        "docker-archive" => {
            let file = tmp.path().join("image.tar");
            builder::write_tar(&file, &builder::docker_legacy_files(&[image]));
            file
        }
        other => return Err(format!("unknown format {other}")),
    };
    // `dockerfile:` is the Dockerfile the image is compared with (`--dockerfile`).
    let mut options = check::RunOptions::default();
    if let Some(text) = spec["dockerfile"].as_str() {
        let path = tmp.path().join("Dockerfile");
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
        options = options.with_dockerfile(&path)?;
    }
    let (targets, _) = discover::discover(&[target]);
    let outcome = check::run_with(
        evaluator,
        targets.into_iter().map(Input::File).collect(),
        &options,
    );
    let file = &outcome.files[0];
    if let Some(e) = &file.error {
        return Err(format!("could not be checked: {}", e.message));
    }
    let got: Vec<String> = file
        .findings
        .iter()
        .filter(|f| f.rule == id)
        .map(|f| f.logical_location.clone().unwrap_or_default())
        .collect();
    let want = expected_locations(text, id);
    if name.starts_with("fail") && want.is_empty() {
        return Err(format!(
            "a fail fixture marks no `# expect: {id} LOCATION` line"
        ));
    }
    // Each expectation names as many findings as it is written times.
    let all_found = want.iter().all(|w| {
        let written = want.iter().filter(|x| *x == w).count();
        got.iter().filter(|g| g.contains(w.as_str())).count() == written
    });
    if got.len() != want.len() || !all_found {
        return Err(format!("expected {id} at {want:?}, got {got:?}"));
    }
    Ok(())
}
