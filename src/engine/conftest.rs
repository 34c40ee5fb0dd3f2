//! conftest compatibility: policies written for conftest run unchanged.
//!
//! Rules named `deny`, `violation` (failures) and `warn` (warnings), with an
//! optional `_suffix`, in the selected namespaces (default `main`); results
//! are strings or objects with `msg`; `exception` rules exempt rules by name.
//! For these policies `input` has conftest's shapes (a YAML/JSON document as
//! written; a Dockerfile as conftest's instruction array).
//!
//! Semantics follow conftest's `policy/engine.go`:
//! - a rule name matches `^(deny|violation)(_[a-zA-Z0-9]+)*$` (failure) or
//!   `^warn(_[a-zA-Z0-9]+)*$` (warning);
//! - rule `r` of namespace `ns` is exempted when
//!   `data.<ns>.exception[_][_] == removeRulePrefix(r)` holds, where
//!   `removeRulePrefix` maps a bare `deny`/`violation`/`warn` to `""` and
//!   otherwise strips `violation_`, then `deny_`, then `warn_`; every result
//!   of an exempted rule is dropped and the exemption is counted;
//! - a string result is the message; an object needs a string `msg`, its
//!   other keys are metadata; other values are ignored;
//! - `data.conftest.file.name` / `.dir` are the base name and directory of the
//!   file's absolute path.
//!
//! Everything runs in one `eval_rule` per document: a generated module gathers
//! every rule's results and every exception match, evaluated `with input as`
//! the conftest-shaped document `with data.conftest.file as` the file's info
//! (regorus supports `with` on `input` and `data`, so the shared `data` is
//! never rewritten and the prepared engine is never invalidated).
//!
//! Locations: an object result may carry `_loc` (see [`locate`]); otherwise
//! the node the message names is searched for; otherwise the document's
//! first line (YAML) or first instruction (Dockerfile).

use crate::document::{path_from_json, Node, Step, Value};
use crate::engine::{PolicyError, PolicyFile};
use crate::kinds::{ConftestInput, KindSpec};
use crate::parse::Document;
use crate::rules::Severity;
use crate::source::{SourceFile, Span};
use regorus::Value as RegoValue;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// Package of the generated aggregator module.
const AGGREGATOR: &str = "policy_conftest";
/// Shortest text the location search matches in a message (shorter words
/// such as `AS` or `-y` match everywhere).
const MIN_MATCH: usize = 3;

/// Which packages hold conftest rules.
#[derive(Debug, Clone)]
pub struct Namespaces {
    /// Glob patterns over package names (without `data.`), e.g. `main`, `docker.*`.
    pub patterns: Vec<String>,
    pub all: bool,
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces {
            patterns: vec!["main".into()],
            all: false,
        }
    }
}

impl Namespaces {
    /// Is this package (without `data.`) selected? `all` takes every package
    /// except this tool's own `rules.*` and `lib` packages.
    pub fn selects(&self, namespace: &str) -> bool {
        if self.all {
            let ours = |root: &str| {
                namespace == root
                    || namespace
                        .strip_prefix(root)
                        .is_some_and(|rest| rest.starts_with('.'))
            };
            return !ours("rules") && !ours("lib") && namespace != AGGREGATOR;
        }
        self.patterns.iter().any(|p| glob_match(p, namespace))
    }
}

/// `*` matches any run of characters (dots included), `?` one character.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// One result of a conftest rule, located in the file.
#[derive(Debug, Clone)]
pub struct ConftestFinding {
    /// `<namespace>.<rule>`, e.g. `main.deny_run_as_root`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Keys of an object result other than `msg` and `_loc`.
    pub metadata: Option<serde_json::Value>,
    /// Not a result but an exemption: `rule` matched an `exception` for this
    /// document, so its results were dropped (conftest's "exceptions" tally).
    /// Severity is then [`Severity::Info`]; the span is where the first
    /// dropped result was, or the document's fallback location.
    pub exception: bool,
}

/// A conftest rule found in a selected namespace.
#[derive(Debug, Clone)]
struct ConftestRule {
    namespace: String,
    name: String,
    severity: Severity,
}

/// The conftest rules of the loaded user policies, ready to evaluate.
#[derive(Clone)]
pub struct Conftest {
    engine: regorus::Engine,
    rules: Vec<ConftestRule>,
}

impl Conftest {
    /// The rules that run, as `namespace.rule`.
    pub fn rule_names(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| format!("{}.{}", r.namespace, r.name))
            .collect()
    }

    /// Metadata for the rules that run, for reports that list every rule
    /// (SARIF descriptors, JUnit passing cases): conftest rules declare none.
    pub fn rule_metas(&self) -> Vec<crate::rules::RuleMeta> {
        self.rules
            .iter()
            .map(|r| {
                let id = format!("{}.{}", r.namespace, r.name);
                let why = format!(
                    "Reported by the `{}` rule of package `{}` in a user policy; its message says what is wrong.",
                    r.name, r.namespace
                );
                crate::rules::RuleMeta {
                    title: format!("{id} (user policy)"),
                    id,
                    name: r.name.clone(),
                    severity: r.severity,
                    tags: vec!["conftest".into()],
                    kinds: crate::kinds::kind_names()
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    fix: why.clone(),
                    why,
                    examples: Vec::new(),
                    default_enabled: true,
                    // The user's own rules run in every profile.
                    profile: Some(crate::rules::Profile::Minimal),
                    engine: false,
                }
            })
            .collect()
    }

    /// `None` when no loaded user policy has conftest-style rules in the selected namespaces.
    pub fn new(
        engine: &regorus::Engine,
        files: &[PolicyFile],
        namespaces: &Namespaces,
    ) -> Result<Option<Conftest>, PolicyError> {
        let rules = discover(files, namespaces);
        if rules.is_empty() {
            return Ok(None);
        }
        let mut engine = engine.clone();
        engine
            .add_policy("<conftest rules>".into(), aggregator(&rules))
            .map_err(|e| PolicyError::new("<conftest rules>", e.to_string()))?;
        let mut conftest = Conftest { engine, rules };
        // Evaluate once so that clones per thread start prepared. A user rule
        // may fail on an empty input; that is not a loading error.
        conftest
            .engine
            .set_input(wrap_input(RegoValue::new_object(), RegoValue::new_object()));
        let _ = conftest.engine.eval_rule(format!("data.{AGGREGATOR}.out"));
        Ok(Some(conftest))
    }

    /// Evaluates one document: the findings of the rules that ran (results
    /// carry their resolved span), and an error naming each rule that failed.
    pub fn evaluate(
        &mut self,
        kind: &KindSpec,
        source: &SourceFile,
        doc: &Document,
    ) -> (Vec<ConftestFinding>, Vec<String>) {
        let _ = self.engine.take_prints();
        let dockerfile = (kind.conftest_input == ConftestInput::Dockerfile)
            .then(|| DockerfileInput::new(source, &doc.node));
        let document = match &dockerfile {
            Some(d) => RegoValue::from(d.json.clone()),
            None => crate::engine::node_to_rego(&doc.node),
        };
        self.engine
            .set_input(wrap_input(document, file_info(&source.path)));
        let out = self
            .engine
            .eval_rule(format!("data.{AGGREGATOR}.out"))
            .and_then(|out| match out {
                RegoValue::Undefined => Ok(Json::Null),
                out => crate::engine::to_json(&out).map_err(anyhow::Error::msg),
            });
        let (out, mut errors) = match out {
            Ok(out) => (out, Vec::new()),
            Err(failure) => self.evaluate_each(&failure),
        };
        let target = match &dockerfile {
            Some(d) => Target::Dockerfile(d),
            None => Target::Yaml(&doc.node),
        };
        match self.findings(source, &target, &out) {
            Ok(found) => (found, errors),
            Err(e) => {
                errors.push(e);
                (Vec::new(), errors)
            }
        }
    }

    /// After the rules failed together: each rule alone, so that the others'
    /// results are kept. A rule stopped by a limit is named, not run again.
    fn evaluate_each(&mut self, failure: &anyhow::Error) -> (Json, Vec<String>) {
        let stopped = crate::engine::stopped_rules(failure);
        let (mut results, mut exceptions) = (Vec::new(), Vec::new());
        let mut errors = Vec::new();
        for k in 0..self.rules.len() {
            let rule = &self.rules[k];
            let name = format!("{}.{}", rule.namespace, rule.name);
            let ran_away = [rule.name.as_str(), "exception"]
                .iter()
                .any(|r| stopped.contains(&format!("data.{}.{r}", rule.namespace)));
            let out = match ran_away {
                true => Err(crate::engine::describe(failure)),
                false => self
                    .engine
                    .eval_rule(format!("data.{AGGREGATOR}.out_{k}"))
                    .map_err(|e| crate::engine::describe(&e))
                    .and_then(|out| match out {
                        RegoValue::Undefined => Ok(Json::Null),
                        out => crate::engine::to_json(&out),
                    }),
            };
            match out {
                Ok(out) => {
                    results.extend(out["results"].as_array().into_iter().flatten().cloned());
                    exceptions.extend(out["exceptions"].as_array().into_iter().flatten().cloned());
                }
                Err(e) => errors.push(format!("rule {name}: {e}")),
            }
        }
        if errors.is_empty() {
            errors.push(crate::engine::describe(failure));
        }
        (
            json!({"results": results, "exceptions": exceptions}),
            errors,
        )
    }

    fn findings(
        &self,
        source: &SourceFile,
        target: &Target,
        out: &Json,
    ) -> Result<Vec<ConftestFinding>, String> {
        if out.is_null() {
            return Ok(Vec::new());
        }

        // Exemptions per rule index (conftest counts each matching entry).
        let mut exempted: BTreeMap<usize, usize> = BTreeMap::new();
        for e in out["exceptions"].as_array().into_iter().flatten() {
            if let Some(k) = e.get(0).and_then(Json::as_u64) {
                *exempted.entry(k as usize).or_default() += 1;
            }
        }
        let mut dropped_at: BTreeMap<usize, Span> = BTreeMap::new();
        let mut findings = Vec::new();
        for r in out["results"].as_array().into_iter().flatten() {
            let (Some(k), Some(value)) = (r.get(0).and_then(Json::as_u64), r.get(1)) else {
                continue;
            };
            let k = k as usize;
            let Some(rule) = self.rules.get(k) else {
                continue;
            };
            let Some(result) = parse_result(value)
                .map_err(|e| format!("{}.{}: {e}", rule.namespace, rule.name))?
            else {
                continue;
            };
            let span = locate(source, target, &result.message, result.loc.as_ref());
            if exempted.contains_key(&k) {
                dropped_at.entry(k).or_insert(span);
                continue;
            }
            findings.push(ConftestFinding {
                rule: format!("{}.{}", rule.namespace, rule.name),
                severity: rule.severity,
                message: result.message,
                span,
                metadata: result.metadata,
                exception: false,
            });
        }
        for (k, count) in exempted {
            let Some(rule) = self.rules.get(k) else {
                continue;
            };
            let query = format!(
                "data.{}.exception[_][_] == {}",
                rule.namespace,
                Json::String(remove_rule_prefix(&rule.name).to_string())
            );
            findings.push(ConftestFinding {
                rule: format!("{}.{}", rule.namespace, rule.name),
                severity: Severity::Info,
                message: format!("exempted by an exception ({query})"),
                span: dropped_at
                    .get(&k)
                    .copied()
                    .unwrap_or_else(|| fallback(source, target)),
                metadata: (count > 1).then(|| json!({ "matches": count })),
                exception: true,
            });
        }
        Ok(findings)
    }
}

/// The aggregator's input: the conftest-shaped document and the file info.
fn wrap_input(document: RegoValue, file: RegoValue) -> RegoValue {
    crate::engine::input(vec![("document", document), ("file", file)])
}

/// `{"name", "dir"}` of the file's absolute, lexically cleaned path (Go's
/// `filepath.Abs`, then `Base` and `Dir`).
fn file_info(path: &str) -> RegoValue {
    use std::path::{Component, Path, PathBuf};
    let p = Path::new(path);
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let name = clean
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let dir = clean
        .parent()
        .map(|d| d.to_string_lossy().to_string())
        .unwrap_or_else(|| "/".into());
    crate::engine::input(vec![
        ("name", RegoValue::from(name.as_str())),
        ("dir", RegoValue::from(dir.as_str())),
    ])
}

// ------------------------------------------------------------ discovery

/// Rule heads at line start in the user policy files of selected packages,
/// in a stable order (namespace, then name).
fn discover(files: &[PolicyFile], namespaces: &Namespaces) -> Vec<ConftestRule> {
    let mut found: BTreeMap<(String, String), Severity> = BTreeMap::new();
    for f in files.iter().filter(|f| !f.builtin) {
        let namespace = f.package.strip_prefix("data.").unwrap_or(&f.package);
        if !namespaces.selects(namespace) {
            continue;
        }
        for line in f.text.lines() {
            let Some(name) = rule_head(line) else {
                continue;
            };
            let severity = if is_failure(name) {
                Severity::Error
            } else if is_warning(name) {
                Severity::Warning
            } else {
                continue;
            };
            found.insert((namespace.to_string(), name.to_string()), severity);
        }
    }
    found
        .into_iter()
        .map(|((namespace, name), severity)| ConftestRule {
            namespace,
            name,
            severity,
        })
        .collect()
}

/// The rule name of a rule head starting the line (`deny[msg] {`,
/// `deny_x contains msg if`, `warn := …`), not of a function (`deny_x(a)`).
fn rule_head(line: &str) -> Option<&str> {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    if end == 0 {
        return None;
    }
    let next = line[end..].chars().next();
    match next {
        None | Some('[' | '{' | ':' | '=') => Some(&line[..end]),
        Some(c) if c.is_whitespace() => Some(&line[..end]),
        _ => None,
    }
}

/// `(_[a-zA-Z0-9]+)*`
fn suffix_ok(rest: &str) -> bool {
    rest.is_empty()
        || rest.strip_prefix('_').is_some_and(|r| {
            r.split('_')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        })
}

/// conftest: `^(deny|violation)(_[a-zA-Z0-9]+)*$`
fn is_failure(name: &str) -> bool {
    ["deny", "violation"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(suffix_ok))
}

/// conftest: `^warn(_[a-zA-Z0-9]+)*$`
fn is_warning(name: &str) -> bool {
    name.strip_prefix("warn").is_some_and(suffix_ok)
}

/// conftest's `removeRulePrefix`: the name an `exception` lists.
fn remove_rule_prefix(rule: &str) -> &str {
    if matches!(rule, "violation" | "deny" | "warn") {
        return "";
    }
    let rule = rule.strip_prefix("violation_").unwrap_or(rule);
    let rule = rule.strip_prefix("deny_").unwrap_or(rule);
    rule.strip_prefix("warn_").unwrap_or(rule)
}

/// A Rego reference to `data.<namespace>.<name>` that works whatever the
/// package path's characters.
fn data_ref(namespace: &str, name: &str) -> String {
    let mut r = String::from("data");
    for part in namespace.split('.').chain([name]) {
        r.push('[');
        r.push_str(&Json::String(part.to_string()).to_string());
        r.push(']');
    }
    r
}

/// The generated module: `results` holds `[rule index, result]`,
/// `exceptions` one `[rule index, set element, array index]` per matching
/// exception entry; `out` evaluates both with conftest's input and file info.
fn aggregator(rules: &[ConftestRule]) -> String {
    let mut m = format!(
        "package {AGGREGATOR}\nimport rego.v1\n\n\
         _items(s) := s if is_set(s)\n\
         _items(s) := s if is_array(s)\n\n\
         results contains x if {{ some x in [] }}\n\
         exceptions contains x if {{ some x in [] }}\n\n"
    );
    for (k, rule) in rules.iter().enumerate() {
        m.push_str(&format!(
            "results contains [{k}, r] if {{ some r in _items({}) }}\n",
            data_ref(&rule.namespace, &rule.name)
        ));
        m.push_str(&format!(
            "exceptions contains [{k}, i, j] if {{ {}[i][j] == {} }}\n",
            data_ref(&rule.namespace, "exception"),
            Json::String(remove_rule_prefix(&rule.name).to_string())
        ));
    }
    m.push_str(
        "\nout := o if {\n\
         \to := {\"results\": results, \"exceptions\": exceptions} with input as input.document with data.conftest.file as input.file\n\
         }\n",
    );
    // Each rule alone, for when one fails the whole set (`evaluate_each`).
    for (k, rule) in rules.iter().enumerate() {
        m.push_str(&format!(
            "out_{k} := o if {{\n\
             \to := {{\"results\": {{[{k}, r] | some r in _items({})}}, \"exceptions\": {{[{k}, i, j] | {}[i][j] == {}}}}} with input as input.document with data.conftest.file as input.file\n\
             }}\n",
            data_ref(&rule.namespace, &rule.name),
            data_ref(&rule.namespace, "exception"),
            Json::String(remove_rule_prefix(&rule.name).to_string())
        ));
    }
    m
}

// ------------------------------------------------------------ results

struct ConftestResult {
    message: String,
    metadata: Option<Json>,
    loc: Option<Json>,
}

/// conftest's result handling: a string is the message; an object needs a
/// string `msg`; anything else is not a result.
fn parse_result(value: &Json) -> Result<Option<ConftestResult>, String> {
    match value {
        Json::String(s) => Ok(Some(ConftestResult {
            message: s.clone(),
            metadata: None,
            loc: None,
        })),
        Json::Object(o) => {
            let Some(msg) = o.get("msg") else {
                return Err(format!("rule missing msg field: {value}"));
            };
            let Some(msg) = msg.as_str() else {
                return Err(format!("msg field must be string: {value}"));
            };
            let rest: Map<String, Json> = o
                .iter()
                .filter(|(k, _)| *k != "msg" && *k != "_loc")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Ok(Some(ConftestResult {
                message: msg.to_string(),
                metadata: (!rest.is_empty()).then_some(Json::Object(rest)),
                loc: o.get("_loc").cloned(),
            }))
        }
        _ => Ok(None),
    }
}

// ------------------------------------------------------------ Dockerfile input

/// One element of conftest's Dockerfile input array.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    /// The instruction (None for a comment entry).
    node: Option<&'a Node>,
    /// The instruction, or the comment line.
    span: Span,
}

/// conftest's Dockerfile input (`parser/docker/docker.go`): one array of
/// commands `{Cmd, SubCmd, JSON, Flags, Value, Stage}`. Comments before an
/// instruction (buildkit's `PrevComment`) come first as `{"Cmd": "comment",
/// "Value": [text]}`. conftest parses a Dockerfile into `[[…commands]]` and
/// evaluates each inner array, so `input` is the array of commands.
struct DockerfileInput<'a> {
    json: Json,
    entries: Vec<Entry<'a>>,
}

impl<'a> DockerfileInput<'a> {
    fn new(source: &SourceFile, doc: &'a Node) -> DockerfileInput<'a> {
        let instructions = doc
            .get("instructions")
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        let mut commands = Vec::new();
        let mut entries = Vec::new();
        let mut next_line = 1;
        for ins in instructions {
            let stage = int(ins.get("stage")).max(0);
            let start_line = int(ins.get("line")).max(1) as usize;
            for (text, span) in comments_between(source, next_line, start_line) {
                commands.push(json!({
                    "Cmd": "comment", "SubCmd": "", "JSON": false,
                    "Flags": null, "Value": [text], "Stage": stage,
                }));
                entries.push(Entry { node: None, span });
            }
            next_line = source
                .position(ins.span.end.saturating_sub(1).max(ins.span.start))
                .line
                + 1;
            let trigger = ins.get("trigger");
            let strings = |key: &str| -> Vec<Json> {
                ins.get(key)
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|n| n.as_str().map(|s| Json::String(s.to_string())))
                    .collect()
            };
            let value = strings("value");
            let flags: Vec<Json> = ins
                .get("flags")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .map(|f| {
                    let name = f.get("name").and_then(Node::as_str).unwrap_or("");
                    Json::String(match f.get("value").and_then(Node::as_str) {
                        Some(v) => format!("--{name}={v}"),
                        None => format!("--{name}"),
                    })
                })
                .collect();
            let json_form = trigger
                .unwrap_or(ins)
                .get("json")
                .is_some_and(|j| matches!(j.value, Value::Bool(true)));
            // Go's nil slices marshal to null: buildkit leaves `Flags` nil
            // only for an instruction without arguments, `Value` when there
            // are no values.
            let no_args = value.is_empty() && flags.is_empty();
            commands.push(json!({
                "Cmd": ins.get("cmd").and_then(Node::as_str).unwrap_or(""),
                "SubCmd": trigger.and_then(|t| t.get("cmd")).and_then(Node::as_str).unwrap_or(""),
                "JSON": json_form,
                "Flags": if no_args { Json::Null } else { Json::Array(flags) },
                "Value": if value.is_empty() { Json::Null } else { Json::Array(value) },
                "Stage": stage,
            }));
            entries.push(Entry {
                node: Some(ins),
                span: ins.span,
            });
        }
        DockerfileInput {
            json: Json::Array(commands),
            entries,
        }
    }
}

fn int(node: Option<&Node>) -> i64 {
    match node.map(|n| &n.value) {
        Some(Value::Int(i)) => *i,
        _ => 0,
    }
}

/// buildkit's comment collection between two instructions: a line whose
/// first non-blank character is `#` adds `TrimSpace(line[1:])`; a comment
/// that is empty once trimmed clears the list. Parser directives are comment
/// lines too. Lines `from..to` (1-based, `to` excluded).
fn comments_between(source: &SourceFile, from: usize, to: usize) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for line in from..to {
        let Some(span) = source.line_span(line) else {
            break;
        };
        let mut text = source.slice(span);
        let mut start = span.start;
        if line == 1 {
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                start += '\u{feff}'.len_utf8();
                text = rest;
            }
        }
        if !text.trim_start().starts_with('#') {
            continue;
        }
        // Go slices bytes: `bytesRead[1:]` drops the first byte, `#` or not.
        let first = text.chars().next().map_or(0, char::len_utf8);
        let comment = text[first..].trim();
        if comment.is_empty() {
            out.clear();
        } else {
            out.push((comment.to_string(), Span::new(start, span.end)));
        }
    }
    out
}

// ------------------------------------------------------------ locations

enum Target<'a, 'b> {
    Dockerfile(&'b DockerfileInput<'a>),
    Yaml(&'a Node),
}

/// Where a result points, never line 0:
/// 1. `_loc` in an object result. YAML/JSON: a path into the document, as an
///    array (`["spec", "containers", 0, "image"]`) or a dotted string
///    (`spec.containers[0].image`); a missing key resolves to the nearest
///    enclosing node. Dockerfile: the index `i` of `input[i]` (comments
///    included, as conftest numbers them), or `[i]`, `[i, "Value", j]`,
///    `[i, "Flags", j]`.
/// 2. The node the message names. Dockerfile: the instruction whose
///    `Original` or one of whose `Value` items (≥ 3 characters) occurs in the
///    message, the longest match winning (the `Value` item's own span).
///    YAML: the longest scalar (≥ 3 characters) that occurs in the message,
///    else the longest key.
/// 3. The document's first line (YAML) or its first instruction (Dockerfile).
fn locate(source: &SourceFile, target: &Target, message: &str, loc: Option<&Json>) -> Span {
    let by_loc = loc.and_then(|loc| match target {
        Target::Dockerfile(d) => locate_instruction(d, loc),
        Target::Yaml(node) => loc_steps(node, loc).map(|steps| node.locate(&steps).span),
    });
    by_loc
        .or_else(|| match target {
            Target::Dockerfile(d) => match_instruction(d, message),
            Target::Yaml(node) => match_yaml(node, message),
        })
        .unwrap_or_else(|| fallback(source, target))
}

fn fallback(source: &SourceFile, target: &Target) -> Span {
    match target {
        Target::Dockerfile(d) => d
            .entries
            .iter()
            .find(|e| e.node.is_some())
            .or(d.entries.first())
            .map(|e| e.span)
            .unwrap_or_default(),
        Target::Yaml(node) => {
            let start = node.span.start;
            let line = source.position(start).line;
            let end = source
                .line_span(line)
                .map(|s| s.end)
                .unwrap_or(start)
                .clamp(start, node.span.end.max(start));
            Span::new(start, end)
        }
    }
}

fn locate_instruction(d: &DockerfileInput, loc: &Json) -> Option<Span> {
    let (index, rest): (usize, &[Json]) = match loc {
        Json::Number(n) => (n.as_u64()? as usize, &[]),
        Json::Array(items) => (items.first()?.as_u64()? as usize, &items[1..]),
        _ => return None,
    };
    let entry = d.entries.get(index)?;
    let item = |key: &str, j: &Json| -> Option<Span> {
        let seq = entry.node?.get(key)?.as_seq()?;
        Some(seq.get(j.as_u64()? as usize)?.span)
    };
    Some(match rest {
        [field, j] if field == "Value" => item("value", j).unwrap_or(entry.span),
        [field, j] if field == "Flags" => item("flags", j).unwrap_or(entry.span),
        _ => entry.span,
    })
}

/// `_loc` as steps into the document: an array of keys and indices, or a
/// dotted string with `[n]` indices. A numeric key stepping into a sequence
/// is an index.
fn loc_steps(node: &Node, loc: &Json) -> Option<Vec<Step>> {
    let raw = match loc {
        Json::Array(_) => path_from_json(loc)?,
        Json::String(s) => {
            let mut steps = Vec::new();
            for part in s.split('.').filter(|p| !p.is_empty()) {
                let (key, mut indices) = match part.find('[') {
                    Some(b) => (&part[..b], &part[b..]),
                    None => (part, ""),
                };
                if !key.is_empty() {
                    steps.push(Step::Key(key.to_string()));
                }
                while let Some(rest) = indices.strip_prefix('[') {
                    let close = rest.find(']')?;
                    steps.push(Step::Index(rest[..close].trim().parse().ok()?));
                    indices = &rest[close + 1..];
                }
            }
            steps
        }
        _ => return None,
    };
    // Turn numeric keys into indices where the tree has a sequence.
    let mut at = Some(node);
    let mut steps = Vec::with_capacity(raw.len());
    for step in raw {
        let step = match (&step, at.map(|n| &n.value)) {
            (Step::Key(k), Some(Value::Seq(_))) => k.parse().map(Step::Index).unwrap_or(step),
            _ => step,
        };
        at = at.and_then(|n| match (&n.value, &step) {
            (Value::Map(_), Step::Key(k)) => n.get(k),
            (Value::Seq(items), Step::Index(i)) => items.get(*i),
            _ => None,
        });
        steps.push(step);
    }
    Some(steps)
}

/// Keeps the longest candidate found in `message`; the first wins a tie.
struct Longest {
    len: usize,
    span: Option<Span>,
}

impl Longest {
    fn new() -> Self {
        Longest { len: 0, span: None }
    }
    fn offer(&mut self, message: &str, text: &str, span: Span) {
        let len = text.chars().count();
        if len >= MIN_MATCH && len > self.len && message.contains(text) {
            self.len = len;
            self.span = Some(span);
        }
    }
}

fn match_instruction(d: &DockerfileInput, message: &str) -> Option<Span> {
    let mut best = Longest::new();
    for entry in &d.entries {
        let Some(ins) = entry.node else { continue };
        if let Some(original) = ins.get("original").and_then(Node::as_str) {
            best.offer(message, original.trim(), entry.span);
        }
        for v in ins.get("value").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(s) = v.as_str() {
                best.offer(message, s, v.span);
            }
        }
    }
    best.span
}

fn match_yaml(node: &Node, message: &str) -> Option<Span> {
    let mut scalars = Longest::new();
    let mut keys = Longest::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Str(s) => scalars.offer(message, s, n.span),
            Value::Int(i) => scalars.offer(message, &i.to_string(), n.span),
            Value::Float(f) => scalars.offer(message, &f.to_string(), n.span),
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => {
                for e in entries {
                    keys.offer(message, &e.key, e.key_span);
                }
                stack.extend(entries.iter().rev().map(|e| &e.value));
            }
            Value::Null | Value::Bool(_) => {}
        }
    }
    scalars.span.or(keys.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dockerfile(text: &str) -> (SourceFile, Document) {
        let source = SourceFile::new("Dockerfile", text);
        let doc = (crate::kinds::DOCKERFILE.parse)(text).unwrap().remove(0);
        (source, doc)
    }

    fn yaml(text: &str) -> (SourceFile, Document) {
        let source = SourceFile::new("k.yaml", text);
        let doc = crate::parse::parse_yaml(text).unwrap().remove(0);
        (source, doc)
    }

    fn line(source: &SourceFile, span: Span) -> (usize, &str) {
        (source.position(span.start).line, source.slice(span))
    }

    #[test]
    fn dockerfile_input_has_conftests_shape() {
        let text = "# syntax=docker/dockerfile:1\n\
                    ARG BASE=golang:1.22\n\
                    # build stage\n\
                    #\n\
                    # the builder\n\
                    FROM --platform=linux/amd64 ${BASE} AS build\n\
                    RUN [\"go\", \"build\"]\n\
                    \n\
                    FROM alpine:3.20\n\
                    COPY --from=build --chmod=755 /out/app /app\n\
                    ONBUILD RUN echo hi\n\
                    USER 1000\n";
        let (source, doc) = dockerfile(text);
        let input = DockerfileInput::new(&source, &doc.node);
        assert_eq!(
            input.json,
            json!([
                {"Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": null,
                 "Value": ["syntax=docker/dockerfile:1"], "Stage": 0},
                {"Cmd": "arg", "SubCmd": "", "JSON": false, "Flags": [],
                 "Value": ["BASE=golang:1.22"], "Stage": 0},
                {"Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": null,
                 "Value": ["the builder"], "Stage": 0},
                {"Cmd": "from", "SubCmd": "", "JSON": false, "Flags": ["--platform=linux/amd64"],
                 "Value": ["${BASE}", "AS", "build"], "Stage": 0},
                {"Cmd": "run", "SubCmd": "", "JSON": true, "Flags": [],
                 "Value": ["go", "build"], "Stage": 0},
                {"Cmd": "from", "SubCmd": "", "JSON": false, "Flags": [],
                 "Value": ["alpine:3.20"], "Stage": 1},
                {"Cmd": "copy", "SubCmd": "", "JSON": false,
                 "Flags": ["--from=build", "--chmod=755"],
                 "Value": ["/out/app", "/app"], "Stage": 1},
                {"Cmd": "onbuild", "SubCmd": "run", "JSON": false, "Flags": [],
                 "Value": ["echo hi"], "Stage": 1},
                {"Cmd": "user", "SubCmd": "", "JSON": false, "Flags": [],
                 "Value": ["1000"], "Stage": 1},
            ])
        );
        // Entries map input indices back to lines.
        let lines: Vec<usize> = input
            .entries
            .iter()
            .map(|e| source.position(e.span.start).line)
            .collect();
        assert_eq!(lines, vec![1, 2, 5, 6, 7, 9, 10, 11, 12]);
    }

    #[test]
    fn dockerfile_locations() {
        let text = "FROM golang:1.22 AS build\n\
                    RUN go build \\\n    -o /app\n\
                    FROM nginx:latest\n\
                    USER root\n";
        let (source, doc) = dockerfile(text);
        let input = DockerfileInput::new(&source, &doc.node);
        let target = Target::Dockerfile(&input);
        let at = |msg: &str, loc: Option<Json>| {
            line(&source, locate(&source, &target, msg, loc.as_ref()))
        };
        // A Value item: its own span.
        assert_eq!(
            at("image 'nginx:latest' uses latest", None),
            (4, "nginx:latest")
        );
        // The longest match wins: `golang:1.22` over `build`.
        assert_eq!(at("build uses golang:1.22", None), (1, "golang:1.22"));
        // `Original` of a continued instruction is its logical line.
        assert_eq!(at("USER root: runs as root", None), (5, "USER root"));
        assert_eq!(at("found 'go build     -o /app'", None).0, 2);
        // Short words (`AS`) never match; nothing matches: the first instruction.
        assert_eq!(at("AS", None), (1, "FROM golang:1.22 AS build"));
        // `_loc`: an index into the input array, or a Value item.
        assert_eq!(at("x", Some(json!(3))), (5, "USER root"));
        assert_eq!(at("x", Some(json!([0, "Value", 2]))), (1, "build"));
        assert_eq!(at("USER root", Some(json!(99))), (5, "USER root"));
    }

    #[test]
    fn yaml_locations() {
        let text = "---\n# a deployment\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:latest\n          ports:\n            - containerPort: 8080\n          securityContext:\n            privileged: true\n";
        let (source, doc) = yaml(text);
        let target = Target::Yaml(&doc.node);
        let at = |msg: &str, loc: Option<Json>| {
            line(&source, locate(&source, &target, msg, loc.as_ref()))
        };
        assert_eq!(
            at("image nginx:latest is not pinned", None),
            (12, "nginx:latest")
        );
        assert_eq!(at("port 8080 is exposed", None), (14, "8080"));
        // No scalar: the longest key.
        assert_eq!(
            at("securityContext.privileged must be false", None),
            (15, "securityContext")
        );
        // `web` (3 chars) matches; `app` too, the first (longest tie) wins.
        assert_eq!(at("Deployment web", None), (4, "Deployment"));
        // Nothing: the document's first line.
        assert_eq!(at("no match at all", None), (3, "apiVersion: apps/v1"));
        // `_loc`: an array path, a dotted path, a missing key (nearest node).
        assert_eq!(
            at(
                "x",
                Some(json!([
                    "spec",
                    "template",
                    "spec",
                    "containers",
                    0,
                    "image"
                ]))
            ),
            (12, "image: nginx:latest")
        );
        assert_eq!(
            at("x", Some(json!("spec.template.spec.containers[0].ports.0"))).0,
            14
        );
        assert_eq!(
            at(
                "x",
                Some(json!("spec.template.spec.containers.0.resources"))
            )
            .0,
            11
        );
    }

    #[test]
    fn rule_names_follow_conftest() {
        assert!(is_failure("deny") && is_failure("deny_run_as_root") && is_failure("violation_x1"));
        assert!(!is_failure("deny_") && !is_failure("deny__x") && !is_failure("denyx"));
        assert!(is_warning("warn_latest") && !is_warning("warning"));
        assert_eq!(rule_head("deny[msg] {"), Some("deny"));
        assert_eq!(rule_head("deny_x contains msg if {"), Some("deny_x"));
        assert_eq!(
            rule_head("exception contains rules if {"),
            Some("exception")
        );
        assert_eq!(rule_head("deny_x(a) := true"), None);
        assert_eq!(rule_head("  deny[msg] {"), None);
        assert_eq!(remove_rule_prefix("deny_run_as_root"), "run_as_root");
        assert_eq!(remove_rule_prefix("violation_x"), "x");
        assert_eq!(remove_rule_prefix("warn_latest"), "latest");
        assert_eq!(remove_rule_prefix("deny"), "");
    }

    #[test]
    fn namespace_globs() {
        let ns = |p: &[&str]| Namespaces {
            patterns: p.iter().map(|s| s.to_string()).collect(),
            all: false,
        };
        assert!(ns(&["main"]).selects("main"));
        assert!(!ns(&["main"]).selects("main.x"));
        assert!(ns(&["kubernetes.*"]).selects("kubernetes.security"));
        assert!(!ns(&["kubernetes.*"]).selects("kubernetes"));
        assert!(ns(&["k?s"]).selects("k8s"));
        let all = Namespaces {
            patterns: vec![],
            all: true,
        };
        assert!(all.selects("docker") && all.selects("main"));
        assert!(!all.selects("rules.run_as_root") && !all.selects("lib"));
    }
}
