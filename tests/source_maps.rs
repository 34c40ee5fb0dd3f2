//! Cross-file source maps: a document whose nodes come from two files (a
//! compose service whose `privileged` comes from compose.override.yaml),
//! checked through the library pipeline with a real built-in rule. The
//! finding, its suppression, its SARIF region and its human snippet follow
//! the node to the file that set the value.

mod common;
use common::repo_root;

use container_policy::check::{self, Outcome};
use container_policy::document::{Entry, Node, Related, Value};
use container_policy::engine::{Evaluator, PolicySet, Selection};
use container_policy::finding::Finding;
use container_policy::kinds;
use container_policy::parse::Document;
use container_policy::report;
use container_policy::rules::Severity;
use container_policy::source::{FileId, SourceFile};
use serde_json::Value as Json;

const PRIVILEGED: &str = "CP102";
const UNUSED_SUPPRESSION: &str = "CP001";
const OVERRIDE: FileId = FileId(1);

const COMPOSE: &str = "services:
  web:
    image: nginx:1.27.0
    privileged: false
";

const OVERRIDE_YAML: &str = "services:
  web:
    privileged: true
";

fn evaluator() -> Evaluator {
    let policies = PolicySet::builtin().expect("built-in policies load");
    policies
        .evaluator(&Selection {
            enable: vec![PRIVILEGED.into(), UNUSED_SUPPRESSION.into()],
            ..Default::default()
        })
        .expect("evaluator")
}

fn parse_compose(text: &str) -> Document {
    let kind = kinds::kind("compose").expect("the compose kind exists");
    (kind.parse)(text).expect("valid compose file").remove(0)
}

/// The entry at `keys` of a mapping tree.
fn entry_mut<'a>(node: &'a mut Node, keys: &[&str]) -> &'a mut Entry {
    let (last, parents) = keys.split_last().expect("a path");
    let mut node = node;
    for key in parents {
        node = &mut entry_mut(node, &[key]).value;
    }
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|e| e.key == *last)
            .expect("the key exists"),
        _ => panic!("not a mapping"),
    }
}

/// compose.yaml's `web` service with `privileged` as the override file
/// sets it: the entry of compose.override.yaml, re-tagged to file 1.
/// With `related`, the merged node also points back at the value it
/// replaced.
fn merged(compose: &str, override_yaml: &str, related: bool) -> (Vec<SourceFile>, Document) {
    let files = vec![
        SourceFile::new("compose.yaml", compose),
        SourceFile::new("compose.override.yaml", override_yaml),
    ];
    let mut base = parse_compose(compose);
    let mut over = parse_compose(override_yaml);
    over.node = over.node.in_file(OVERRIDE);
    let path = ["services", "web", "privileged"];
    let replacement = entry_mut(&mut over.node, &path).clone();
    let replaced = entry_mut(&mut base.node, &path);
    let was = replaced.key_span.join(replaced.value.span);
    *replaced = replacement;
    if related {
        let node = replaced.value.span;
        base.related.insert(
            node,
            Related {
                span: was,
                message: "overrides the value set here".into(),
            },
        );
    }
    (files, base)
}

fn run(files: Vec<SourceFile>, document: Document) -> Outcome {
    let mut evaluator = evaluator();
    let kind = kinds::kind("compose").unwrap();
    let mut files = files.into_iter();
    let primary = files.next().unwrap();
    let unit = check::check_unit(
        &mut evaluator,
        primary,
        files.collect(),
        kind,
        vec![document],
    );
    let mut outcome = Outcome {
        files: vec![unit],
        ..Default::default()
    };
    check::finish(&evaluator, &mut outcome);
    outcome
}

fn privileged(outcome: &Outcome) -> &Finding {
    outcome
        .all_findings()
        .find(|f| f.rule == PRIVILEGED)
        .unwrap_or_else(|| panic!("no {PRIVILEGED} finding: {:?}", outcome.files[0]))
}

fn written(format: &str, outcome: &Outcome) -> String {
    let evaluator = evaluator();
    let ctx = report::Context {
        fail_on: Some(Severity::Error),
        color: false,
        rules: evaluator.rules.iter().map(|r| r.meta.clone()).collect(),
        builtin: evaluator.rules.iter().map(|r| r.meta.id.clone()).collect(),
        statistics: false,
        shard: None,
    };
    let mut out = Vec::new();
    report::format(format).unwrap()(outcome, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn assert_valid(instance: &Json, schema: &str) {
    let text = std::fs::read_to_string(repo_root().join(schema)).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid {schema}:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

#[test]
fn a_merged_value_is_reported_in_the_file_that_set_it() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, false);
    let outcome = run(files, doc);
    let f = privileged(&outcome);
    assert_eq!(f.path, "compose.override.yaml");
    // `privileged: true` is line 3, column 5 of the override file.
    assert_eq!((f.line, f.column), (3, 5));
    assert_eq!((f.end_line, f.end_column), (3, 21));
    assert_eq!(f.span.file, OVERRIDE);
    assert!(f.suppression.is_none());
    assert!(f.related.is_empty());
}

#[test]
fn without_the_override_the_primary_file_is_reported() {
    let compose = COMPOSE.replace("privileged: false", "privileged: true");
    let outcome = run(
        vec![SourceFile::new("compose.yaml", compose.as_str())],
        parse_compose(&compose),
    );
    let f = privileged(&outcome);
    assert_eq!((f.path.as_str(), f.line, f.column), ("compose.yaml", 4, 5));
}

#[test]
fn a_comment_in_the_override_file_suppresses_the_finding() {
    let override_yaml = "services:
  web:
    # policy:ignore CP102 -- debugging image, never deployed
    privileged: true
";
    let (files, doc) = merged(COMPOSE, override_yaml, false);
    let outcome = run(files, doc);
    let f = privileged(&outcome);
    assert_eq!((f.path.as_str(), f.line), ("compose.override.yaml", 4));
    let suppression = f.suppression.as_ref().expect("suppressed");
    assert_eq!(suppression.line, 3);
    assert_eq!(
        suppression.reason.as_deref(),
        Some("debugging image, never deployed")
    );
    assert!(outcome.all_findings().all(|f| f.rule != UNUSED_SUPPRESSION));
}

#[test]
fn a_comment_in_the_primary_file_does_not_suppress_it() {
    // The comment is above the base's `privileged` and above the whole
    // service, at lines that the override file's finding also has.
    let compose = "services:
  # policy:ignore CP102
  web:
    image: nginx:1.27.0
    # policy:ignore CP102
    privileged: false
";
    let override_yaml = "services:
  web:
    image: nginx:1.27.0
    # two comments, so that `privileged` is on line 6,
    # the line the base's second comment is about
    privileged: true
";
    let (files, doc) = merged(compose, override_yaml, false);
    let outcome = run(files, doc);
    let f = privileged(&outcome);
    assert_eq!((f.path.as_str(), f.line), ("compose.override.yaml", 6));
    assert!(f.suppression.is_none(), "{:?}", f.suppression);
    // Both comments of compose.yaml matched nothing, and say so there.
    let unused: Vec<(&str, usize)> = outcome
        .all_findings()
        .filter(|f| f.rule == UNUSED_SUPPRESSION)
        .map(|f| (f.path.as_str(), f.line))
        .collect();
    assert_eq!(unused, [("compose.yaml", 2), ("compose.yaml", 5)]);
}

#[test]
fn sarif_has_the_override_region_and_the_related_location() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, true);
    let outcome = run(files, doc);
    let f = privileged(&outcome);
    assert_eq!(f.related.len(), 1);
    let related = &f.related[0];
    assert_eq!(
        (related.path.as_str(), related.line, related.column),
        ("compose.yaml", 4, 5)
    );

    let log: Json = serde_json::from_str(&written("sarif", &outcome)).unwrap();
    assert_valid(&log, "schemas/sarif-schema-2.1.0.json");
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == PRIVILEGED)
        .unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "compose.override.yaml");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 5);
    let related = &result["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "overrides the value set here");
    let region = &related["physicalLocation"]["region"];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "compose.yaml"
    );
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(5))
    );
}

#[test]
fn sarif_and_json_leave_out_related_locations_when_there_are_none() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, false);
    let outcome = run(files, doc);
    let sarif = written("sarif", &outcome);
    assert!(!sarif.contains("relatedLocations"), "{sarif}");
    let json = written("json", &outcome);
    assert!(!json.contains("\"related\""), "{json}");
}

#[test]
fn json_lists_the_related_location() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, true);
    let outcome = run(files, doc);
    let report: Json = serde_json::from_str(&written("json", &outcome)).unwrap();
    assert_valid(&report, "schemas/report.schema.json");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == PRIVILEGED)
        .unwrap();
    assert_eq!(finding["path"], "compose.override.yaml");
    assert_eq!(
        finding["related"],
        serde_json::json!([{
            "path": "compose.yaml", "line": 4, "column": 5, "end_line": 4, "end_column": 22,
            "message": "overrides the value set here"
        }])
    );
}

#[test]
fn human_output_shows_the_override_line_and_the_related_one() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, true);
    let outcome = run(files, doc);
    let text = written("human", &outcome);
    assert!(text.contains("[compose.override.yaml:3:5]"), "{text}");
    assert!(text.contains(" 3 │     privileged: true"), "{text}");
    // The related location: its own file, line and snippet, after the finding's.
    let related = text.find("overrides the value set here").expect(&text);
    assert!(related > text.find("privileged: true").unwrap(), "{text}");
    assert!(text.contains("[compose.yaml:4:5]"), "{text}");
    assert!(text.contains(" 4 │     privileged: false"), "{text}");
}

#[test]
fn github_annotations_are_on_the_override_file_and_name_the_related_place() {
    let (files, doc) = merged(COMPOSE, OVERRIDE_YAML, true);
    let outcome = run(files, doc);
    let text = written("github", &outcome);
    let line = text.lines().find(|l| l.contains(PRIVILEGED)).expect(&text);
    assert!(
        line.starts_with("::error file=compose.override.yaml,line=3,col=5,"),
        "{line}"
    );
    assert!(
        line.ends_with("%0Aoverrides the value set here: compose.yaml:4:5"),
        "{line}"
    );
}

#[test]
fn a_secret_in_the_override_file_is_masked_in_its_snippet() {
    // The override's environment holds a token; its line is shown as the
    // context of the finding below it, masked.
    let token = "ghp_".to_string() + &"a1B2c3D4e5".repeat(4)[..36];
    let override_yaml = format!(
        "services:
  web:
    environment: {{GITHUB_TOKEN: {token}}}
    privileged: true
"
    );
    let (files, doc) = merged(COMPOSE, &override_yaml, false);
    let outcome = run(files, doc);
    assert_eq!(privileged(&outcome).line, 4);
    let text = written("human", &outcome);
    assert!(text.contains(" 4 │     privileged: true"), "{text}");
    assert!(text.contains("GITHUB_TOKEN"), "{text}");
    assert!(!text.contains(&token), "{text}");
}
