//! The Rego engine: loads the built-in (and user) policies into regorus,
//! reads each rule's metadata, and evaluates inputs with one `eval_rule` per
//! document through a generated aggregator that lists the selected rules per kind.

use crate::document::{path_from_json, Node, Step, Value};
use crate::rules::{Rule, RuleMeta};
use crate::secrets;
use regorus::Value as RegoValue;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::time::Duration;

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// Package that built-in and user rules live under.
const RULES_PREFIX: &str = "data.rules.";
const AGGREGATOR: &str = "policy_run";
/// A single evaluation longer than this is a runaway policy.
const EVAL_TIME_LIMIT: Duration = Duration::from_secs(10);

/// A policy that could not be loaded: a syntax error, or bad metadata.
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// What a rule returned for one input, before positions are resolved.
#[derive(Debug, Clone)]
pub struct RawFinding {
    /// Index into [`Evaluator::rules`].
    pub rule: usize,
    pub message: String,
    /// Path into the document, when the rule gave one.
    pub at: Option<Vec<Step>>,
    pub resource: Option<String>,
    /// An exact byte range in the file, when the rule has one (token facts do).
    pub span: Option<crate::source::Span>,
}

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Ids, names or tags to enable (opt-in rules included).
    pub enable: Vec<String>,
    /// Ids, names or tags to disable; wins over `enable`.
    pub disable: Vec<String>,
}

/// All loaded policies, before selection.
pub struct PolicySet {
    engine: regorus::Engine,
    pub rules: Vec<Rule>,
}

impl PolicySet {
    /// The built-in policies.
    pub fn builtin() -> Result<PolicySet, PolicyError> {
        let mut engine = new_engine();
        let mut packages = BTreeMap::new();
        for (file, text) in BUILTIN_POLICIES {
            if file.ends_with("_test.rego") {
                continue;
            }
            let package = engine
                .add_policy(file.to_string(), text.to_string())
                .map_err(|e| PolicyError {
                    file: file.to_string(),
                    message: e.to_string(),
                })?;
            packages.insert(package, file.to_string());
        }
        let rules = read_rules(&mut engine, &packages)?;
        Ok(PolicySet { engine, rules })
    }

    /// Prepares an evaluator for the selected rules.
    pub fn evaluator(&self, selection: &Selection) -> Result<Evaluator, PolicyError> {
        let selected: Vec<Rule> = self
            .rules
            .iter()
            .filter(|r| {
                let enabled =
                    r.meta.default_enabled || selection.enable.iter().any(|s| r.matches(s));
                enabled && !selection.disable.iter().any(|s| r.matches(s))
            })
            .cloned()
            .collect();
        let mut engine = self.engine.clone();
        let mut aggregator = format!("package {AGGREGATOR}\nimport rego.v1\n");
        let mut kinds: Vec<&str> = crate::parse::kind_names();
        kinds.sort();
        for kind in &kinds {
            // An empty set even when no rule applies, so evaluation is defined.
            aggregator.push_str(&format!("{kind} contains x if {{ some x in [] }}\n"));
        }
        for (i, rule) in selected.iter().enumerate() {
            for kind in &rule.meta.kinds {
                aggregator.push_str(&format!(
                    "{kind} contains [{i}, f] if {{ some f in {}.deny }}\n",
                    rule.package
                ));
            }
        }
        engine
            .add_policy("<selected rules>".into(), aggregator)
            .map_err(|e| PolicyError {
                file: "<selected rules>".into(),
                message: e.to_string(),
            })?;
        let mut evaluator = Evaluator {
            engine,
            rules: selected,
        };
        // Evaluate once so that clones per thread start prepared.
        for kind in kinds {
            evaluator
                .evaluate(kind, RegoValue::new_object())
                .map_err(|e| PolicyError {
                    file: "<selected rules>".into(),
                    message: e,
                })?;
        }
        Ok(evaluator)
    }
}

/// A prepared engine for a selection of rules. Clone it per thread.
#[derive(Clone)]
pub struct Evaluator {
    engine: regorus::Engine,
    pub rules: Vec<Rule>,
}

impl Evaluator {
    /// Runs every selected rule of `kind` over one input.
    pub fn evaluate(&mut self, kind: &str, input: RegoValue) -> Result<Vec<RawFinding>, String> {
        self.engine.set_input(input);
        let result = self
            .engine
            .eval_rule(format!("data.{AGGREGATOR}.{kind}"))
            .map_err(|e| e.to_string())?;
        let mut findings = Vec::new();
        let RegoValue::Set(items) = result else {
            return Ok(findings);
        };
        for item in items.iter() {
            let json = serde_json::to_value(item).map_err(|e| e.to_string())?;
            let (Some(index), Some(value)) = (json.get(0).and_then(Json::as_u64), json.get(1))
            else {
                continue;
            };
            findings.push(raw_finding(index as usize, value));
        }
        Ok(findings)
    }
}

/// A rule may return a string (the message) or an object with `msg`, an
/// optional `at` path and an optional `resource`.
fn raw_finding(rule: usize, value: &Json) -> RawFinding {
    match value {
        Json::String(msg) => RawFinding {
            rule,
            message: msg.clone(),
            at: None,
            resource: None,
            span: None,
        },
        other => RawFinding {
            rule,
            message: other
                .get("msg")
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| other.to_string()),
            at: other.get("at").and_then(path_from_json),
            resource: other
                .get("resource")
                .and_then(Json::as_str)
                .map(str::to_string),
            span: other.get("span").and_then(|s| {
                let start = s.get(0)?.as_u64()? as usize;
                let end = s.get(1)?.as_u64()? as usize;
                (start <= end).then_some(crate::source::Span::new(start, end))
            }),
        },
    }
}

/// The input of one document, built straight into regorus values (going
/// through serde_json costs an extra copy of every node).
pub fn input(fields: Vec<(&str, RegoValue)>) -> RegoValue {
    RegoValue::from(
        fields
            .into_iter()
            .map(|(k, v)| (RegoValue::from(k), v))
            .collect::<BTreeMap<RegoValue, RegoValue>>(),
    )
}

pub fn node_to_rego(node: &Node) -> RegoValue {
    match &node.value {
        Value::Null => RegoValue::Null,
        Value::Bool(b) => RegoValue::from(*b),
        Value::Int(i) => RegoValue::from(*i),
        Value::Float(f) => RegoValue::from(*f),
        Value::Str(s) => RegoValue::from(s.as_str()),
        Value::Seq(items) => RegoValue::from(items.iter().map(node_to_rego).collect::<Vec<_>>()),
        Value::Map(entries) => RegoValue::from(
            entries
                .iter()
                .map(|e| (RegoValue::from(e.key.as_str()), node_to_rego(&e.value)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

fn new_engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: EVAL_TIME_LIMIT,
        check_interval: std::num::NonZeroU32::new(1000).unwrap(),
    });
    add_extensions(&mut engine);
    engine
}

/// Helpers written in Rust because Rego's regex builtins are slow on hot paths.
/// Documented in `policies/lib/lib.rego`, which wraps them.
fn add_extensions(engine: &mut regorus::Engine) {
    let string_arg = |args: &[RegoValue]| -> String {
        args.first()
            .and_then(|v| v.as_string().ok())
            .map(|s| s.to_string())
            .unwrap_or_default()
    };
    let _ = engine.add_extension(
        "policy.is_secret_name".into(),
        1,
        Box::new(move |args: Vec<RegoValue>| {
            Ok(RegoValue::from(secrets::is_secret_name(&string_arg(&args))))
        }),
    );
    let _ = engine.add_extension(
        "policy.is_placeholder".into(),
        1,
        Box::new(move |args: Vec<RegoValue>| {
            Ok(RegoValue::from(secrets::is_placeholder(&string_arg(&args))))
        }),
    );
    let _ = engine.add_extension(
        "policy.secret_file_kind".into(),
        1,
        Box::new(move |args: Vec<RegoValue>| {
            Ok(match secrets::secret_file_kind(&string_arg(&args)) {
                Some(kind) => RegoValue::from(kind),
                None => RegoValue::Null,
            })
        }),
    );
}

fn read_rules(
    engine: &mut regorus::Engine,
    packages: &BTreeMap<String, String>,
) -> Result<Vec<Rule>, PolicyError> {
    let mut rules: Vec<Rule> = Vec::new();
    for (package, file) in packages {
        if !package.starts_with(RULES_PREFIX) {
            continue;
        }
        let meta = engine
            .eval_rule(format!("{package}.metadata"))
            .map_err(|e| e.to_string())
            .and_then(|v| serde_json::to_value(&v).map_err(|e| e.to_string()))
            .and_then(|json| {
                serde_json::from_value::<RuleMeta>(json)
                    .map_err(|e| format!("invalid `metadata`: {e}"))
            })
            .map_err(|message| PolicyError {
                file: file.clone(),
                message,
            })?;
        if let Some(other) = rules
            .iter()
            .find(|r| r.meta.id == meta.id || r.meta.name == meta.name)
        {
            return Err(PolicyError {
                file: file.clone(),
                message: format!(
                    "rule id {} or name {} is already used by {}",
                    meta.id, meta.name, other.file
                ),
            });
        }
        rules.push(Rule {
            meta,
            package: package.clone(),
            file: file.clone(),
        });
    }
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}
