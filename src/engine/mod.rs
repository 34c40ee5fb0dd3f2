//! The Rego engine: loads the built-in (and user) policies into regorus,
//! reads each rule's metadata, and evaluates inputs with one `eval_rule` per
//! document through a generated aggregator that lists the selected rules per kind.

pub mod conftest;
pub mod prebuilt;

use crate::document::{path_from_json, Node, Step, Value};
use crate::rules::{Rule, RuleMeta};
use crate::secrets;
use regorus::Value as RegoValue;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// A built-in rule file, as `build.rs` read it.
pub struct BuiltinRule {
    /// Its index in [`BUILTIN_POLICIES`].
    pub index: usize,
    /// `data.rules.…`.
    pub package: &'static str,
    /// The rule packages it imports.
    pub imports: &'static [&'static str],
    /// Its `metadata` as JSON, when that is a plain literal.
    pub metadata: Option<&'static str>,
    /// The byte range of that literal in the file (`(0, 0)` without one).
    pub metadata_range: (usize, usize),
}

/// Package that built-in and user rules live under.
const RULES_PREFIX: &str = "data.rules.";
const AGGREGATOR: &str = "policy_run";
/// A single evaluation longer than this is a runaway policy.
pub const DEFAULT_EVAL_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes one evaluation (the rules of one document) may hold beyond what its
/// thread held when it started; `--eval-memory` changes it. The built-in
/// rules need a few MB on the largest corpus files; one evaluation per
/// worker thread runs at a time, so the default keeps two workers well under
/// a 2 GiB CI runner limit.
pub const DEFAULT_EVAL_MEMORY: usize = 512 << 20;
/// Rules and functions evaluating one another deeper than this are an error,
/// not a stack overflow. The built-in rules nest fewer than 10 deep.
pub const MAX_CALL_DEPTH: usize = 100;
/// Native stack one evaluation may use below where it starts. Deep nesting
/// within a rule (comprehensions, `every`) costs stack too, so depth alone
/// does not bound it; this fits in Rust's default 2 MiB thread stack that
/// rayon workers get, with room for the frames above the evaluation.
pub const MAX_EVAL_STACK: usize = 1 << 20;

/// A policy that could not be loaded: a syntax error, bad metadata, bad data.
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub file: String,
    pub message: String,
    /// 1-based position in `file`, when regorus gave one.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl PolicyError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// Reads the `--> file:line:col` regorus puts in its messages.
    fn from_regorus(file: &str, err: impl std::fmt::Display) -> Self {
        let message = err.to_string();
        let mut e = PolicyError::new(file, message.trim());
        if let Some(at) = message.find("--> ") {
            let loc = message[at + 4..].lines().next().unwrap_or("");
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.trim().parse().ok());
            let line = parts.next().and_then(|l| l.trim().parse().ok());
            if let (Some(line), Some(col), Some(f)) = (line, col, parts.next()) {
                e.file = f.trim().to_string();
                e.line = Some(line);
                e.column = Some(col);
            }
        }
        e
    }
}

impl PolicyError {
    /// A policy error as a diagnostic on the policy's own source, when it has a
    /// position. The source and the message are masked: a policy or data file
    /// may hold secrets.
    pub fn into_report(self) -> miette::Report {
        let mut e = self;
        e.message = crate::secrets::redact_text(&e.message);
        let text = crate::source::read_input(e.file.as_ref(), "")
            .ok()
            .or_else(|| {
                BUILTIN_POLICIES
                    .iter()
                    .find(|(p, _)| *p == e.file)
                    .map(|(_, t)| t.to_string())
            });
        let message = e
            .message
            .lines()
            .last()
            .unwrap_or(&e.message)
            .trim()
            .trim_start_matches("error: ")
            .to_string();
        match (text, e.line, e.column) {
            (Some(text), Some(line), Some(column)) => {
                let source = crate::source::SourceFile::new(e.file.as_str(), text.as_str());
                let start = source
                    .line_span(line)
                    .map(|s| s.start + column.saturating_sub(1))
                    .unwrap_or(0);
                let start = start.min(text.len().saturating_sub(1));
                // A few lines around the error, however long the policy's lines.
                let span = crate::source::Span::new(start, start + 1);
                let shown = crate::secrets::mask(&text);
                let snippet = crate::snippet::Snippet::new(&source, &shown, span, column);
                let diagnostic = miette::MietteDiagnostic::new(format!(
                    "cannot load policy {}: {message}",
                    e.file
                ))
                .with_code("policy-error")
                .with_label(miette::LabeledSpan::at(
                    snippet.label.start..snippet.label.end,
                    "here",
                ));
                let name = crate::snippet::visible(&e.file).into_owned();
                miette::Report::new(diagnostic)
                    .with_source_code(miette::NamedSource::new(name, snippet))
            }
            _ => miette::miette!("cannot load policy: {e}"),
        }
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Where policies and data come from.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The built-in rules (the `lib` helpers are always loaded).
    pub builtin: bool,
    /// User policy files or directories of `.rego` files (recursively).
    pub policies: Vec<std::path::PathBuf>,
    /// JSON or YAML files merged into `data`.
    pub data: Vec<std::path::PathBuf>,
    /// The config file's `parameters`, merged as `data.parameters`.
    pub parameters: Option<Json>,
    /// Also load `*_test.rego` files (for `policy test`).
    pub tests: bool,
    /// One evaluation (one document) taking longer is a runaway policy.
    pub eval_timeout: Duration,
    /// Bytes one evaluation may hold (see [`DEFAULT_EVAL_MEMORY`]).
    pub eval_memory: usize,
    /// Parse a built-in rule file only when a document of its kind is
    /// evaluated (its metadata was read at build time). Only without user
    /// policies and tests; off loads every file up front.
    pub defer_builtin_rules: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            builtin: true,
            policies: Vec::new(),
            data: Vec::new(),
            parameters: None,
            tests: false,
            eval_timeout: DEFAULT_EVAL_TIMEOUT,
            eval_memory: DEFAULT_EVAL_MEMORY,
            defer_builtin_rules: true,
        }
    }
}

/// A policy file as loaded, kept for what reads its text (conftest rule
/// discovery, the test runner, diagnostics).
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: String,
    pub text: String,
    /// The Rego package, e.g. `data.main`.
    pub package: String,
    pub builtin: bool,
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
    /// For combined (cross-document) rules: the file and document the finding is in.
    pub path: Option<String>,
    pub document_index: Option<usize>,
    /// An exact byte range in the file, when the rule has one (token facts do).
    pub span: Option<crate::source::Span>,
}

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The profile whose rules run before `enable` and `disable` apply
    /// (default: `default`).
    pub profile: Option<crate::rules::Profile>,
    /// Ids, names or tags to enable (opt-in rules included).
    pub enable: Vec<String>,
    /// Ids, names or tags to disable; wins over `enable`.
    pub disable: Vec<String>,
    /// Severity overrides by id, name or tag; the last match wins.
    pub severity: Vec<(String, crate::rules::Severity)>,
    /// Packages whose `deny`/`violation`/`warn` rules run conftest-style.
    pub namespaces: crate::engine::conftest::Namespaces,
    /// Run cross-document (`combined`) rules over all documents together.
    pub combine: bool,
    /// The runtime stage runs: cross-document rules tagged `drift` (running
    /// containers against their declarations) run without `combine`.
    pub runtime: bool,
}

impl Selection {
    /// Whether the rule runs.
    pub fn selects(&self, r: &Rule) -> bool {
        let enabled = r.meta.in_profile(self.profile.unwrap_or_default())
            || self.enable.iter().any(|s| r.matches(s));
        let only_combined = r.meta.kinds.iter().all(|k| k == COMBINED);
        let drift = self.runtime && r.meta.tags.iter().any(|t| t == "drift");
        let enabled = enabled && (self.combine || !only_combined || drift);
        enabled && !self.disable.iter().any(|s| r.matches(s))
    }

    /// The rule's severity, overrides applied (the last match wins).
    pub fn severity_of(&self, r: &Rule) -> crate::rules::Severity {
        match self.severity.iter().rev().find(|(s, _)| r.matches(s)) {
            Some((_, level)) => *level,
            None => r.meta.severity,
        }
    }
}

/// All loaded policies, before selection.
pub struct PolicySet {
    /// The libs, user policies and data; the built-in rules too unless
    /// `deferred`.
    engine: regorus::Engine,
    pub rules: Vec<Rule>,
    pub files: Vec<PolicyFile>,
    eval_timeout: Duration,
    eval_memory: usize,
    /// Built-in rule files are parsed only for the kinds a run evaluates
    /// (see [`Evaluator`]): their metadata was read at build time.
    deferred: bool,
    /// `engine` with the libs, made when [`PolicySet::engine`] is asked for
    /// it and they were left out of `engine` (a deferred run needs them
    /// only in a kind's interpreter engine).
    with_libs: Option<OnceLock<regorus::Engine>>,
}

impl PolicySet {
    /// The built-in policies.
    pub fn builtin() -> Result<PolicySet, PolicyError> {
        PolicySet::load(&LoadOptions::default())
    }

    pub fn load(options: &LoadOptions) -> Result<PolicySet, PolicyError> {
        let mut engine = new_engine(options.eval_timeout, options.eval_memory);
        let mut files = Vec::new();
        // User policies may read any built-in rule's package, and `policy
        // test` runs them all: then every file is loaded up front.
        let deferred = options.defer_builtin_rules
            && options.builtin
            && !options.tests
            && options.policies.is_empty();
        let lazy_libs = deferred && every_metadata_literal();
        for (index, (path, text)) in BUILTIN_POLICIES.iter().enumerate() {
            let is_lib = path.starts_with("policies/lib/");
            let is_test = path.ends_with("_test.rego");
            if (!options.builtin && !is_lib) || (is_test && !options.tests) {
                continue;
            }
            if deferred && builtin_rule(index).is_some_and(|r| r.metadata.is_some()) {
                continue;
            }
            // Nor the libs: a run on ahead-of-time bytecode never needs them
            // (the kind's engine loads them, when it is made).
            if lazy_libs && is_lib {
                continue;
            }
            files.push(add_policy(&mut engine, path, text, true)?);
        }
        for root in &options.policies {
            for path in rego_files(root)? {
                let shown = path.to_string_lossy().to_string();
                if shown.ends_with("_test.rego") && !options.tests {
                    continue;
                }
                let text = crate::source::read_input(&path, "split it into several files")
                    .map_err(|e| PolicyError::new(&shown, e))?;
                files.push(add_policy(&mut engine, &shown, &text, false)?);
            }
        }
        for path in &options.data {
            let shown = path.to_string_lossy().to_string();
            let text = crate::source::read_input(path, "split it into several data files")
                .map_err(|e| PolicyError::new(&shown, e))?;
            let docs = crate::parse::parse_yaml(&text).map_err(|e| {
                let pos = crate::source::SourceFile::new(shown.as_str(), text.as_str())
                    .position(e.span.start);
                PolicyError {
                    file: shown.clone(),
                    message: e.message,
                    line: Some(pos.line),
                    column: Some(pos.column),
                }
            })?;
            for doc in docs {
                engine.add_data(node_to_rego(&doc.node)).map_err(|e| {
                    PolicyError::new(&shown, format!("cannot merge into data: {e}"))
                })?;
            }
        }
        if let Some(parameters) = &options.parameters {
            let data = serde_json::json!({ "parameters": parameters });
            engine.add_data(RegoValue::from(data)).map_err(|e| {
                PolicyError::new(
                    "<config parameters>",
                    format!("cannot merge into data: {e}"),
                )
            })?;
        }
        let mut packages: BTreeMap<String, MetaSource> = files
            .iter()
            .map(|f| (f.package.clone(), MetaSource::Loaded(f.path.clone())))
            .collect();
        if deferred {
            for BuiltinRule {
                index,
                package,
                metadata,
                ..
            } in BUILTIN_RULES
            {
                if let Some(json) = metadata {
                    let file = BUILTIN_POLICIES[*index].0.to_string();
                    packages.insert(package.to_string(), MetaSource::Literal(file, json));
                }
            }
        }
        let user_files: BTreeSet<String> = files
            .iter()
            .filter(|f| !f.builtin)
            .map(|f| f.path.clone())
            .collect();
        let rules = read_rules(&mut engine, &packages, &user_files)?;
        Ok(PolicySet {
            engine,
            rules,
            files,
            eval_timeout: options.eval_timeout,
            eval_memory: options.eval_memory,
            deferred,
            with_libs: lazy_libs.then(OnceLock::new),
        })
    }

    /// The engine with the libs, user policies and data loaded; the
    /// built-in rule files too when user policies or tests are loaded
    /// (the test runner's case), else the evaluator parses them per kind.
    pub fn engine(&self) -> &regorus::Engine {
        let Some(with_libs) = &self.with_libs else {
            return &self.engine;
        };
        with_libs.get_or_init(|| {
            let mut engine = self.engine.clone();
            for (path, text) in builtin_libs() {
                // The embedded libs parse (their tests load them).
                let _ = add_policy(&mut engine, path, text, true);
            }
            engine
        })
    }

    /// Prepares an evaluator for the selected rules.
    pub fn evaluator(&self, selection: &Selection) -> Result<Evaluator, PolicyError> {
        let selected: Vec<Rule> = self
            .rules
            .iter()
            .filter(|r| selection.selects(r))
            .cloned()
            .map(|mut r| {
                r.meta.severity = selection.severity_of(&r);
                r
            })
            .collect();
        let conftest = crate::engine::conftest::Conftest::new(
            &self.engine,
            &self.files,
            &selection.namespaces,
        )?;
        let mut kinds = KindEngines {
            base: self.engine.clone(),
            kinds: kinds_and_combined(),
            slots: Vec::new(),
            programs: Vec::new(),
            vm_failures: Default::default(),
            evaluated: Vec::new(),
            prebuilt: Vec::new(),
            deferred: self
                .deferred
                .then(|| self.files.iter().map(|f| f.path.clone()).collect()),
            rules: selected.clone(),
            eval_timeout: self.eval_timeout,
            eval_memory: self.eval_memory,
        };
        kinds.slots = kinds.kinds.iter().map(|_| OnceLock::new()).collect();
        kinds.programs = kinds.kinds.iter().map(|_| OnceLock::new()).collect();
        kinds.evaluated = kinds.kinds.iter().map(|_| Default::default()).collect();
        kinds.prebuilt = (kinds.kinds.iter())
            .map(|kind| kinds.deferred.is_some() && prebuilt::matches(&kinds.rules, kind))
            .collect();
        if !self.deferred {
            kinds.prepare_all()?;
        }
        Ok(Evaluator {
            local: vec![None; kinds.kinds.len()],
            vms: LocalVms(Vec::new()),
            bytecode: Bytecode::from_env(),
            shared: Arc::new(kinds),
            rules: selected,
            known: self.rules.iter().map(|r| r.meta.clone()).collect(),
            conftest,
        })
    }
}

/// Where a rule's metadata comes from: its `metadata` rule in a loaded
/// file, or the literal build.rs read from a built-in file.
enum MetaSource {
    Loaded(String),
    Literal(String, &'static str),
}

impl MetaSource {
    fn file(&self) -> &str {
        match self {
            MetaSource::Loaded(file) | MetaSource::Literal(file, _) => file,
        }
    }
}

/// The built-in rule file at `index` of [`BUILTIN_POLICIES`].
fn builtin_rule(index: usize) -> Option<&'static BuiltinRule> {
    BUILTIN_RULES.iter().find(|r| r.index == index)
}

/// The text of the built-in rule file at `index` as a run evaluates it: a
/// metadata literal, read at build time, is replaced by `{}` and as many
/// line breaks, so the parser skips a third of the file and every line
/// keeps its number.
fn evaluated_text(index: usize) -> std::borrow::Cow<'static, str> {
    let text = BUILTIN_POLICIES[index].1;
    match builtin_rule(index) {
        Some(BuiltinRule {
            metadata: Some(_),
            metadata_range: (start, end),
            ..
        }) => {
            let lines = text[*start..*end].matches('\n').count();
            let mut out = String::with_capacity(text.len() - (end - start) + lines + 2);
            out.push_str(&text[..*start]);
            out.push_str("{}");
            out.extend(std::iter::repeat_n('\n', lines));
            out.push_str(&text[*end..]);
            std::borrow::Cow::Owned(out)
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// Every kind, and the pseudo-kind of cross-document rules, sorted.
fn kinds_and_combined() -> Vec<&'static str> {
    let mut kinds = crate::kinds::kind_names();
    kinds.push(COMBINED);
    kinds.sort();
    kinds
}

/// One prepared engine per kind, made when the first document of the kind
/// is evaluated (by whichever worker gets there first) and shared: each
/// [`Evaluator`] clone copies it, which costs well under a microsecond.
struct KindEngines {
    /// The policy set's engine, before the aggregators.
    base: regorus::Engine,
    kinds: Vec<&'static str>,
    slots: Vec<OnceLock<Result<regorus::Engine, String>>>,
    /// The kind's aggregator compiled to bytecode, when it compiles.
    programs: Vec<OnceLock<Option<VmProgram>>>,
    /// Inputs the VM failed on, run again by the interpreter.
    vm_failures: std::sync::atomic::AtomicUsize,
    /// Inputs of each kind evaluated so far (see [`Bytecode::After`]).
    evaluated: Vec<std::sync::atomic::AtomicUsize>,
    /// Whether the kind's rules are in `policies/builtin.rvm`, compiled
    /// ahead of time: then the VM runs them from the first document.
    prebuilt: Vec<bool>,
    /// The files already in `base`, when the built-in rule files are loaded
    /// per kind; `None` when `base` holds them all.
    deferred: Option<BTreeSet<String>>,
    /// The selected rules.
    rules: Vec<Rule>,
    eval_timeout: Duration,
    eval_memory: usize,
}

impl KindEngines {
    /// Today's up-front preparation, when user policies are loaded: one
    /// engine with every kind's aggregator, each kind evaluated once, so a
    /// rule failing on an empty input fails loading.
    fn prepare_all(&self) -> Result<(), PolicyError> {
        let mut engine = self.base.clone();
        for kind in &self.kinds {
            add_aggregator(&mut engine, kind, &self.rules)?;
        }
        set_timeout(&mut engine, self.eval_timeout.min(PREPARE_TIMEOUT));
        for kind in &self.kinds {
            prepare(&mut engine, kind, &self.rules)?;
        }
        set_timeout(&mut engine, self.eval_timeout);
        for slot in &self.slots {
            let _ = slot.set(Ok(engine.clone()));
        }
        Ok(())
    }

    /// The prepared engine of the kind at `index`, made on first use.
    fn get(&self, index: usize) -> &Result<regorus::Engine, String> {
        self.slots[index].get_or_init(|| self.make(self.kinds[index]).map_err(|e| e.to_string()))
    }

    /// An engine with the rule files of `kind` (and the rule packages they
    /// import) and its aggregator, evaluated once on an empty input.
    fn make(&self, kind: &str) -> Result<regorus::Engine, PolicyError> {
        let mut engine = self.base.clone();
        if let Some(loaded) = &self.deferred {
            for (path, text) in builtin_libs().filter(|(path, _)| !loaded.contains(*path)) {
                add_policy(&mut engine, path, text, true)?;
            }
            for index in self.files_of(kind, loaded) {
                let path = BUILTIN_POLICIES[index].0;
                add_policy(&mut engine, path, &evaluated_text(index), true)?;
            }
        }
        add_aggregator(&mut engine, kind, &self.rules)?;
        set_timeout(&mut engine, self.eval_timeout.min(PREPARE_TIMEOUT));
        prepare(&mut engine, kind, &self.rules)?;
        set_timeout(&mut engine, self.eval_timeout);
        Ok(engine)
    }

    /// Indexes in [`BUILTIN_POLICIES`] of the selected rules of `kind` and of
    /// the rule packages they import, transitively, not yet in `loaded`;
    /// in file order.
    fn files_of(&self, kind: &str, loaded: &BTreeSet<String>) -> BTreeSet<usize> {
        let mut packages: Vec<&str> = self
            .rules
            .iter()
            .filter(|r| runs_on(r, kind))
            .map(|r| r.package.as_str())
            .collect();
        let mut files = BTreeSet::new();
        while let Some(package) = packages.pop() {
            for BuiltinRule { index, imports, .. } in
                BUILTIN_RULES.iter().filter(|r| r.package == package)
            {
                if !loaded.contains(BUILTIN_POLICIES[*index].0) && files.insert(*index) {
                    packages.extend(imports.iter());
                }
            }
        }
        files
    }
}

/// The built-in lib files (tests left out), as (path, text).
fn builtin_libs() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    (BUILTIN_POLICIES.iter())
        .filter(|(path, _)| path.starts_with("policies/lib/") && !path.ends_with("_test.rego"))
}

/// Whether every built-in rule's metadata was read at build time, so that
/// loading evaluates no Rego (else the libs are loaded up front for it).
fn every_metadata_literal() -> bool {
    BUILTIN_RULES.iter().all(|r| r.metadata.is_some())
}

/// Whether the rule's `deny` runs on documents of `kind`.
fn runs_on(rule: &Rule, kind: &str) -> bool {
    !rule.meta.engine && rule.meta.kinds.iter().any(|k| k == kind)
}

/// One package per kind: evaluating a rule evaluates its whole module, so
/// rules of other kinds must not share it.
fn add_aggregator(
    engine: &mut regorus::Engine,
    kind: &str,
    rules: &[Rule],
) -> Result<(), PolicyError> {
    let of_kind: Vec<usize> = (0..rules.len())
        .filter(|&i| runs_on(&rules[i], kind))
        .collect();
    add_aggregator_of(engine, AGGREGATOR, kind, rules, &of_kind)
}

/// The aggregator of the rules at `indexes`, as package `{package}.{kind}`.
fn add_aggregator_of(
    engine: &mut regorus::Engine,
    package: &str,
    kind: &str,
    rules: &[Rule],
    indexes: &[usize],
) -> Result<(), PolicyError> {
    // An empty set even when no rule applies, so evaluation is defined.
    let mut aggregator = format!(
        "package {package}.{kind}\nimport rego.v1\nfindings contains x if {{ some x in [] }}\n"
    );
    for &i in indexes {
        aggregator.push_str(&format!(
            "findings contains [{i}, f] if {{ some f in {}.deny }}\n",
            rules[i].package
        ));
    }
    let path = match package == AGGREGATOR {
        true => format!("<selected {kind} rules>"),
        false => format!("<selected {kind} rules that compile>"),
    };
    engine
        .add_policy(path, aggregator)
        .map_err(|e| PolicyError::new("<selected rules>", e.to_string()))?;
    Ok(())
}

/// Evaluates the rules of `kind` once on an empty input, so that clones
/// start prepared; the first rule failing otherwise than by a limit (an
/// unknown function) is an error. One that runs away is reported per file
/// instead: not worth a whole time limit here.
fn prepare(engine: &mut regorus::Engine, kind: &str, rules: &[Rule]) -> Result<(), PolicyError> {
    engine.set_input(RegoValue::new_object());
    let Err(failure) = engine.eval_rule(format!("data.{AGGREGATOR}.{kind}.findings")) else {
        return Ok(());
    };
    if !stopped_rules(&failure).is_empty() {
        return Ok(());
    }
    for rule in rules.iter().filter(|r| runs_on(r, kind)) {
        if let Err(e) = engine.eval_rule(format!("{}.deny", rule.package)) {
            if stopped_rules(&e).is_empty() {
                return Err(PolicyError::new(
                    "<selected rules>",
                    format!("rule {} ({}): {}", rule.meta.id, rule.file, describe(&e)),
                ));
            }
        }
    }
    Err(PolicyError::new("<selected rules>", describe(&failure)))
}

/// The pseudo-kind of rules that see all documents of a run at once.
pub const COMBINED: &str = "combined";

/// A prepared engine for a selection of rules. Clone it per thread.
#[derive(Clone)]
pub struct Evaluator {
    /// The prepared engine of each kind, made once per run.
    shared: Arc<KindEngines>,
    /// This clone's copies of them, by the index of the kind.
    local: Vec<Option<regorus::Engine>>,
    /// This clone's bytecode VMs, by the index of the kind.
    vms: LocalVms,
    /// When rules run on the bytecode VM, where their kind compiles.
    bytecode: Bytecode,
    /// The selected rules, with severity overrides applied.
    pub rules: Vec<Rule>,
    /// Every loaded rule, selected or not (suppressions may name any).
    pub known: Vec<RuleMeta>,
    /// conftest-style user rules, when there are any.
    pub conftest: Option<crate::engine::conftest::Conftest>,
}

impl Evaluator {
    /// Prepares every kind now, as a run on documents of all kinds would:
    /// the first failure is an error.
    pub fn prepare_all_kinds(&self) -> Result<(), String> {
        for index in 0..self.shared.kinds.len() {
            self.shared.get(index).as_ref().map_err(String::clone)?;
        }
        Ok(())
    }

    /// When the rules run on the bytecode VM instead of the interpreter
    /// (where a kind's rules compile). Findings are the same.
    pub fn set_bytecode(&mut self, when: Bytecode) {
        self.bytecode = when;
    }

    /// The kinds whose rules this run compiled to bytecode, and the number
    /// of inputs the VM failed on (a limit hit, a rule error), which the
    /// interpreter then ran.
    pub fn bytecode_stats(&self) -> (Vec<&'static str>, usize) {
        let compiled = (self.shared.kinds.iter().zip(&self.shared.programs))
            .filter(|(_, program)| program.get().is_some_and(Option::is_some))
            .map(|(kind, _)| *kind)
            .collect();
        let failures = self
            .shared
            .vm_failures
            .load(std::sync::atomic::Ordering::Relaxed);
        (compiled, failures)
    }

    /// The kinds whose rules run from `policies/builtin.rvm`, compiled
    /// ahead of time (see [`prebuilt`]).
    pub fn prebuilt_kinds(&self) -> Vec<&'static str> {
        let kinds = self.shared.kinds.iter().zip(&self.shared.prebuilt);
        kinds.filter(|(_, p)| **p).map(|(k, _)| *k).collect()
    }

    /// Does a selected rule apply to this kind?
    pub fn has_kind(&self, kind: &str) -> bool {
        self.rules.iter().any(|r| runs_on(r, kind))
    }

    /// Runs every selected rule of `kind` over one input: the findings of the
    /// rules that ran, and an error naming each rule that failed.
    pub fn evaluate(&mut self, kind: &str, input: RegoValue) -> (Vec<RawFinding>, Vec<String>) {
        // No rule of the kind: nothing to find, and no engine to make.
        if !self.has_kind(kind) {
            return (Vec::new(), Vec::new());
        }
        if self.bytecode.now(&self.shared, kind) {
            if let Some((vm, program)) = local_vm(&self.shared, &mut self.vms, kind) {
                vm.set_input(input.clone());
                let result = vm.execute_entry_point_by_name(&program.entry);
                if let Ok(Ok(mut found)) = result.map(|value| program.findings(&value)) {
                    if program.interpreted.is_empty() {
                        return (found, Vec::new());
                    }
                    // The rules the compiler refused, on the interpreter.
                    let engine = match local_engine(&self.shared, &mut self.local, kind) {
                        Ok(engine) => engine,
                        Err(e) => return (Vec::new(), vec![e]),
                    };
                    let _ = engine.take_prints();
                    engine.set_input(input);
                    let (more, errors) =
                        one_by_one(engine, &self.rules, &program.interpreted, None);
                    found.extend(more);
                    return (found, errors);
                }
                // A failure is reported as the interpreter reports it,
                // naming the rule: the interpreter runs the input again.
                let failures = &self.shared.vm_failures;
                failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let engine = match local_engine(&self.shared, &mut self.local, kind) {
            Ok(engine) => engine,
            Err(e) => return (Vec::new(), vec![e]),
        };
        let _ = engine.take_prints();
        engine.set_input(input);
        let failure = match engine.eval_rule(aggregator_rule(kind)) {
            Ok(result) => match findings(&result, None) {
                Ok(found) => return (found, Vec::new()),
                Err(e) => anyhow::Error::msg(e),
            },
            Err(e) => e,
        };
        // One rule failed the whole set: run them one by one, so that the
        // others' findings are kept.
        let of_kind: Vec<usize> = (self.rules.iter().enumerate())
            .filter(|(_, rule)| runs_on(rule, kind))
            .map(|(i, _)| i)
            .collect();
        let (found, mut errors) = one_by_one(engine, &self.rules, &of_kind, Some(&failure));
        if errors.is_empty() {
            errors.push(describe(&failure));
        }
        (found, errors)
    }
}

/// Evaluates the rules at `indexes` one by one on the engine's input: their
/// findings, and an error naming each rule that failed. A rule that
/// `failure` (the whole set's) says was stopped by a limit is not run again
/// (it would take as long again).
fn one_by_one(
    engine: &mut regorus::Engine,
    rules: &[Rule],
    indexes: &[usize],
    failure: Option<&anyhow::Error>,
) -> (Vec<RawFinding>, Vec<String>) {
    let stopped = failure.map(stopped_rules).unwrap_or_default();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for &i in indexes {
        let rule = &rules[i];
        let query = format!("{}.deny", rule.package);
        let result = match (stopped.contains(&query), failure) {
            (true, Some(failure)) => Err(describe(failure)),
            _ => engine
                .eval_rule(query)
                .map_err(|e| describe(&e))
                .and_then(|value| findings(&value, Some(i))),
        };
        match result {
            Ok(f) => found.extend(f),
            Err(e) => errors.push(format!("rule {} ({}): {e}", rule.meta.id, rule.file)),
        }
    }
    (found, errors)
}

/// When a run's rules move from the interpreter to the bytecode VM.
/// Compiling a kind's rules costs about as much as evaluating a dozen
/// documents, and the VM then saves about half of each evaluation: a
/// pre-commit run on a few files is faster without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bytecode {
    /// The interpreter only.
    Off,
    /// From the first document of each kind.
    Always,
    /// Once this many documents of the kind have been evaluated.
    After(usize),
}

impl Bytecode {
    /// The default: after [`BYTECODE_AFTER`] documents of a kind;
    /// `POLICY_EVALUATOR=interpreter` turns the VM off (to rule it out when
    /// a finding looks wrong), `POLICY_EVALUATOR=bytecode` uses it at once.
    pub fn from_env() -> Bytecode {
        match std::env::var("POLICY_EVALUATOR").as_deref() {
            Ok("interpreter") => Bytecode::Off,
            Ok("bytecode") => Bytecode::Always,
            _ => Bytecode::After(BYTECODE_AFTER),
        }
    }

    /// Whether this evaluation of a `kind` document runs on the VM.
    fn now(self, shared: &KindEngines, kind: &str) -> bool {
        let after = match self {
            Bytecode::Off => return false,
            Bytecode::Always => return true,
            Bytecode::After(n) => n,
        };
        let Some(index) = shared.kinds.iter().position(|k| *k == kind) else {
            return false;
        };
        if shared.prebuilt[index] {
            return true;
        }
        let seen = shared.evaluated[index].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        seen >= after
    }
}

/// Documents of a kind evaluated by the interpreter before the kind's rules
/// are compiled to bytecode (see [`Bytecode`]).
pub const BYTECODE_AFTER: usize = 16;

/// The rule gathering every finding of `kind`.
fn aggregator_rule(kind: &str) -> String {
    format!("data.{AGGREGATOR}.{kind}.findings")
}

/// A kind's prepared rules compiled to regorus' bytecode (its `rvm`), which
/// runs them about twice as fast as the interpreter. Compiled once per run
/// and shared; each worker makes its own VM from it.
struct VmProgram {
    /// The interpreter's compiled policy; `None` for a program compiled
    /// ahead of time (the VM does not need it).
    policy: Option<regorus::CompiledPolicy>,
    program: Arc<regorus::rvm::program::Program>,
    data: RegoValue,
    /// The rule the program computes: the kind's aggregator, or one of the
    /// rules that compile when some do not.
    entry: String,
    /// The rules that did not compile (indexes in the selection), which the
    /// interpreter runs beside the VM.
    interpreted: Vec<usize>,
    /// For a program compiled ahead of time: the index in the selection of
    /// each rule index the program reports.
    remap: Option<Vec<usize>>,
}

impl VmProgram {
    /// The findings of the program's result, with indexes in the selection.
    fn findings(&self, result: &RegoValue) -> Result<Vec<RawFinding>, String> {
        let mut found = findings(result, None)?;
        if let Some(remap) = &self.remap {
            for finding in &mut found {
                finding.rule = *remap
                    .get(finding.rule)
                    .filter(|&&i| i != usize::MAX)
                    .ok_or_else(|| format!("no rule {} in the program", finding.rule))?;
            }
        }
        Ok(found)
    }
}

/// A worker's VMs by the index of the kind; a clone starts with none (a VM
/// holds one evaluation's state).
struct LocalVms(Vec<Option<regorus::rvm::vm::RegoVM>>);

impl Clone for LocalVms {
    fn clone(&self) -> Self {
        LocalVms(Vec::new())
    }
}

/// The kind's rules as bytecode. A rule that uses what the compiler does
/// not support (`with`, `print`...) is left to the interpreter, and the
/// others are compiled without it; `None` when no rule compiles.
fn compile_kind(engine: &regorus::Engine, kind: &str, rules: &[Rule]) -> Option<VmProgram> {
    if let Some(program) = compile_entry(engine.clone(), &aggregator_rule(kind)) {
        return Some(program);
    }
    let (compiled, interpreted): (Vec<usize>, Vec<usize>) = (0..rules.len())
        .filter(|&i| runs_on(&rules[i], kind))
        .partition(|&i| {
            compile_entry(engine.clone(), &format!("{}.deny", rules[i].package)).is_some()
        });
    let mut engine = engine.clone();
    let package = format!("{AGGREGATOR}_bytecode");
    add_aggregator_of(&mut engine, &package, kind, rules, &compiled).ok()?;
    let mut program = compile_entry(engine, &format!("data.{package}.{kind}.findings"))?;
    program.interpreted = interpreted;
    Some(program)
}

/// `entry` of the engine compiled to bytecode, if it compiles.
fn compile_entry(mut engine: regorus::Engine, entry: &str) -> Option<VmProgram> {
    let rule: regorus::Rc<str> = entry.into();
    let policy = engine.compile_with_entrypoint(&rule).ok()?;
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &[entry])
            .ok()?;
    Some(VmProgram {
        policy: Some(policy),
        program,
        data: engine.get_data(),
        entry: entry.to_string(),
        interpreted: Vec::new(),
        remap: None,
    })
}

/// A worker's VM for `kind`, made on first use with the limits of the
/// interpreter: the evaluation timeout and memory budget.
fn local_vm<'a>(
    shared: &'a KindEngines,
    vms: &'a mut LocalVms,
    kind: &str,
) -> Option<(&'a mut regorus::rvm::vm::RegoVM, &'a VmProgram)> {
    let index = shared.kinds.iter().position(|k| *k == kind)?;
    if vms.0.len() < shared.kinds.len() {
        vms.0.resize_with(shared.kinds.len(), || None);
    }
    let program = shared.programs[index]
        .get_or_init(|| {
            let prebuilt = shared.prebuilt[index];
            let data = || shared.base.get_data();
            (prebuilt
                .then(|| prebuilt::program(&shared.rules, kind, data()))
                .flatten())
            .or_else(|| compile_kind(shared.get(index).as_ref().ok()?, kind, &shared.rules))
        })
        .as_ref()?;
    if vms.0[index].is_none() {
        let mut vm = match &program.policy {
            Some(policy) => regorus::rvm::vm::RegoVM::new_with_policy(policy.clone()),
            None => regorus::rvm::vm::RegoVM::new(),
        };
        vm.load_program(program.program.clone());
        vm.set_data(program.data.clone()).ok()?;
        // Bounded by time and memory, as the interpreter, not by a count.
        vm.set_max_instructions(usize::MAX);
        vm.set_execution_timer_config(Some(timer_config(shared.eval_timeout)));
        vm.set_evaluation_limits(evaluation_limits(shared.eval_memory));
        vms.0[index] = Some(vm);
    }
    Some((vms.0[index].as_mut()?, program))
}

/// A clone's own copy of the engine of `kind`, copied on first use.
fn local_engine<'a>(
    shared: &KindEngines,
    local: &'a mut [Option<regorus::Engine>],
    kind: &str,
) -> Result<&'a mut regorus::Engine, String> {
    let index = shared
        .kinds
        .iter()
        .position(|k| *k == kind)
        .ok_or_else(|| format!("no such kind: {kind}"))?;
    if local[index].is_none() {
        local[index] = Some(shared.get(index).clone()?);
    }
    Ok(local[index].as_mut().expect("set above"))
}

/// The findings in an aggregator's result (`[index, finding]` pairs), or in
/// one rule's `deny` set when `rule` is given.
fn findings(result: &RegoValue, rule: Option<usize>) -> Result<Vec<RawFinding>, String> {
    let mut findings = Vec::new();
    let RegoValue::Set(items) = result else {
        return Ok(findings);
    };
    for item in items.iter() {
        let json = to_json(item)?;
        let (index, value) = match rule {
            Some(index) => (index, &json),
            None => match (json.get(0).and_then(Json::as_u64), json.get(1)) {
                (Some(index), Some(value)) => (index as usize, value),
                _ => continue,
            },
        };
        findings.push(raw_finding(index, value));
    }
    Ok(findings)
}

/// A finding larger than this (bytes of strings, plus 8 per value) is a
/// runaway rule: a value shares its parts, so a small one can stand for an
/// exponentially large text, and a finding is printed whole.
pub const MAX_FINDING_BYTES: usize = 1 << 20;

/// A rule's result as JSON, refusing results larger than [`MAX_FINDING_BYTES`].
pub fn to_json(value: &RegoValue) -> Result<Json, String> {
    let mut left = MAX_FINDING_BYTES;
    if !fits(value, &mut left) {
        return Err(format!(
            "a finding is larger than {} MiB",
            MAX_FINDING_BYTES >> 20
        ));
    }
    serde_json::to_value(value).map_err(|e| e.to_string())
}

/// Counts `value` against `left`; false once it runs out (without visiting the rest).
fn fits(value: &RegoValue, left: &mut usize) -> bool {
    let size = match value {
        RegoValue::String(s) => s.len(),
        _ => 0,
    } + 8;
    let Some(rest) = left.checked_sub(size) else {
        return false;
    };
    *left = rest;
    match value {
        RegoValue::Array(items) => items.iter().all(|v| fits(v, left)),
        RegoValue::Set(items) => items.iter().all(|v| fits(v, left)),
        RegoValue::Object(fields) => fields.iter().all(|(k, v)| fits(k, left) && fits(v, left)),
        _ => true,
    }
}

/// The rules a limit stopped, innermost first, as regorus names them on the
/// error's way up (`data.rules.x.deny`).
pub fn stopped_rules(error: &anyhow::Error) -> Vec<String> {
    error
        .chain()
        .filter_map(|e| e.to_string().strip_prefix("in rule ").map(str::to_string))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// What stopped an evaluation, said for the user: which limit, and the
/// option that raises it.
pub fn describe(error: &anyhow::Error) -> String {
    use regorus::LimitError;
    match error.root_cause().downcast_ref::<LimitError>() {
        Some(LimitError::TimeLimitExceeded { limit, .. }) => format!(
            "stopped at the evaluation time limit of {} s (raise it with --eval-timeout)",
            limit.as_secs_f64()
        ),
        Some(LimitError::MemoryLimitExceeded { limit, .. }) => format!(
            "stopped at the evaluation memory limit of {} MiB (raise it with --eval-memory)",
            limit >> 20
        ),
        Some(LimitError::DepthLimitExceeded {
            limit,
            stack: false,
        }) => format!("stopped: rules and functions call one another more than {limit} deep"),
        Some(LimitError::DepthLimitExceeded { limit, stack: true }) => format!(
            "stopped: the evaluation nests too deeply (more than {} KiB of stack)",
            limit >> 10
        ),
        _ => error.root_cause().to_string(),
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
            path: None,
            document_index: None,
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
            path: other.get("path").and_then(Json::as_str).map(str::to_string),
            document_index: other
                .get("document_index")
                .and_then(Json::as_u64)
                .map(|i| i as usize),
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

/// The time limit of preparing an evaluator (evaluating its rules once on an
/// empty input), when shorter than `--eval-timeout`.
const PREPARE_TIMEOUT: Duration = Duration::from_secs(1);

fn set_timeout(engine: &mut regorus::Engine, timeout: Duration) {
    engine.set_execution_timer_config(timer_config(timeout));
}

fn timer_config(timeout: Duration) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit: timeout,
        check_interval: std::num::NonZeroU32::new(1000).unwrap(),
    }
}

fn evaluation_limits(memory: usize) -> regorus::utils::limits::EvaluationLimits {
    regorus::utils::limits::EvaluationLimits {
        memory: Some(memory),
        call_depth: Some(MAX_CALL_DEPTH),
        stack: Some(MAX_EVAL_STACK),
    }
}

fn new_engine(timeout: Duration, memory: usize) -> regorus::Engine {
    add_host_builtins();
    let mut engine = regorus::Engine::new();
    set_timeout(&mut engine, timeout);
    engine.set_evaluation_limits(evaluation_limits(memory));
    // `print` output holds whatever a rule printed, secrets and terminal
    // escapes included: gathered, and dropped before each evaluation,
    // instead of written raw to stderr (`policy test` shows it masked).
    engine.set_gather_prints(true);
    engine
}

/// Helpers written in Rust because Rego's regex builtins are slow on hot
/// paths, documented in `policies/lib/lib.rego`, which wraps them. They are
/// regorus builtins (vendor/regorus/PATCHES.md, patch 9), not extensions,
/// so that the bytecode VM can call them as the interpreter does.
fn add_host_builtins() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let added = regorus::unstable::set_host_builtins(vec![
            ("policy.is_secret_name", (is_secret_name, 1)),
            ("policy.is_placeholder", (is_placeholder, 1)),
            ("policy.secret_file_kind", (secret_file_kind, 1)),
        ]);
        debug_assert!(
            added,
            "regorus builtins were read before the host's were set"
        );
    });
}

use regorus::unstable::{Expr, Ref, Span};

fn string_arg(args: &[RegoValue]) -> &str {
    args.first()
        .and_then(|v| v.as_string().ok())
        .map(|s| s.as_ref())
        .unwrap_or_default()
}

fn is_secret_name(
    _: &Span,
    _: &[Ref<Expr>],
    args: &[RegoValue],
    _: bool,
) -> anyhow::Result<RegoValue> {
    Ok(RegoValue::from(secrets::is_secret_name(string_arg(args))))
}

fn is_placeholder(
    _: &Span,
    _: &[Ref<Expr>],
    args: &[RegoValue],
    _: bool,
) -> anyhow::Result<RegoValue> {
    Ok(RegoValue::from(secrets::is_placeholder(string_arg(args))))
}

fn secret_file_kind(
    _: &Span,
    _: &[Ref<Expr>],
    args: &[RegoValue],
    _: bool,
) -> anyhow::Result<RegoValue> {
    Ok(match secrets::secret_file_kind(string_arg(args)) {
        Some(kind) => RegoValue::from(kind),
        None => RegoValue::Null,
    })
}

/// Adds one policy: Rego v1 first; a file that is not valid v1 and does not
/// import `rego.v1` is retried as v0 (`deny[msg] { ... }`), as conftest
/// users' older policies are written.
fn add_policy(
    engine: &mut regorus::Engine,
    path: &str,
    text: &str,
    builtin: bool,
) -> Result<PolicyFile, PolicyError> {
    let package = match engine.add_policy(path.to_string(), text.to_string()) {
        Ok(p) => p,
        Err(v1_error) => {
            if text.contains("rego.v1") {
                return Err(PolicyError::from_regorus(path, v1_error));
            }
            engine.set_rego_v0(true);
            let v0 = engine.add_policy(path.to_string(), text.to_string());
            engine.set_rego_v0(false);
            v0.map_err(|_| PolicyError::from_regorus(path, v1_error))?
        }
    };
    Ok(PolicyFile {
        path: path.to_string(),
        text: text.to_string(),
        package,
        builtin,
    })
}

/// `.rego` files under a path, sorted.
fn rego_files(root: &std::path::Path) -> Result<Vec<std::path::PathBuf>, PolicyError> {
    let shown = root.to_string_lossy().to_string();
    let meta = std::fs::metadata(root)
        .map_err(|e| PolicyError::new(&shown, format!("cannot read: {e}")))?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(root).hidden(false).build() {
        let entry = entry.map_err(|e| PolicyError::new(&shown, e.to_string()))?;
        if entry.file_type().is_some_and(|t| t.is_file())
            && entry.path().extension().is_some_and(|e| e == "rego")
        {
            out.push(entry.path().to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

fn read_rules(
    engine: &mut regorus::Engine,
    packages: &BTreeMap<String, MetaSource>,
    user_files: &BTreeSet<String>,
) -> Result<Vec<Rule>, PolicyError> {
    let mut rules: Vec<Rule> = Vec::new();
    for (package, source) in packages {
        if !package.starts_with(RULES_PREFIX) {
            continue;
        }
        let file = source.file();
        let json = match source {
            MetaSource::Loaded(_) => engine
                .eval_rule(format!("{package}.metadata"))
                .map_err(|e| e.to_string())
                .and_then(|v| serde_json::to_value(&v).map_err(|e| e.to_string())),
            MetaSource::Literal(_, text) => serde_json::from_str(text).map_err(|e| e.to_string()),
        };
        let meta = json
            .and_then(|json| {
                serde_json::from_value::<RuleMeta>(json)
                    .map_err(|e| format!("invalid `metadata`: {e}"))
            })
            .and_then(|mut meta| {
                meta.check_profile()
                    .map_err(|e| format!("invalid `metadata`: {e}"))?;
                // Profiles choose among the built-in rules: the user's own
                // run in every profile unless they name one.
                if user_files.contains(file) && meta.profile.is_none() && meta.default_enabled {
                    meta.profile = Some(crate::rules::Profile::Minimal);
                }
                Ok(meta)
            })
            .map_err(|message| PolicyError::from_regorus(file, message))?;
        if let Some(other) = rules
            .iter()
            .find(|r| r.meta.id == meta.id || r.meta.name == meta.name)
        {
            return Err(PolicyError::new(
                file,
                format!(
                    "rule id {} or name {} is already used by {}",
                    meta.id, meta.name, other.file
                ),
            ));
        }
        rules.push(Rule {
            meta,
            package: package.clone(),
            file: file.to_string(),
        });
    }
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluated_rule_text_drops_literal_metadata_and_keeps_every_line() {
        let mut stripped = 0;
        for BuiltinRule {
            index, metadata, ..
        } in BUILTIN_RULES
        {
            let (original, evaluated) = (BUILTIN_POLICIES[*index].1, evaluated_text(*index));
            let (a, b): (Vec<_>, Vec<_>) =
                (original.lines().collect(), evaluated.lines().collect());
            assert_eq!(a.len(), b.len(), "{}", BUILTIN_POLICIES[*index].0);
            // Lines differ only inside the metadata literal: what follows it
            // (the rules) is where it was.
            let first = a.iter().zip(&b).position(|(x, y)| x != y);
            if metadata.is_some() {
                stripped += 1;
                assert!(
                    evaluated.contains("\nmetadata := {}\n"),
                    "{}",
                    BUILTIN_POLICIES[*index].0
                );
                assert!(
                    !evaluated.contains("\"why\""),
                    "{}",
                    BUILTIN_POLICIES[*index].0
                );
                let last = a.iter().zip(&b).rposition(|(x, y)| x != y).unwrap();
                assert!(a[last].trim_end().ends_with('}'), "{}", a[last]);
                assert!(a[first.unwrap()].starts_with("metadata := {"));
            } else {
                assert_eq!(first, None);
            }
        }
        assert!(stripped > 90, "{stripped} rules with literal metadata");
    }
}
