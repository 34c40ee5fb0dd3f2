//! The pipeline for one run: read → detect kind → parse → normalize →
//! evaluate → resolve paths to positions → sort. Per-file problems become
//! [`FileError`]s; they never stop the other files.

use crate::sources::discover::Target;

use crate::engine::{self, Evaluator};
use crate::kinds::KindSpec;
use crate::parse::{self, Document};
use crate::secrets;
use crate::source::{Files, SourceFile};
pub mod baseline;
mod combined;
mod input;
mod locate;
pub mod merge;
mod outcome;
mod policy_errors;
pub mod shard;
pub mod suppress;

use crate::snippet::shorten;
use input::model_input;
pub use input::native_input;
use locate::{default_resource, resolve};
pub use outcome::{FileOutcome, Outcome};

use crate::finding::{FileError, Finding, Origin, Skipped};
use crate::sources::{self, Loaded};
use rayon::prelude::*;
use regorus::Value as RegoValue;
use serde_json::{json, Value as Json};

/// Reported by the engine for a mapping key written twice.
pub const DUPLICATE_KEY_RULE: &str = "CP003";

/// Settings of a run that are not rules.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub sources: crate::sources::Options,
    /// `--dockerfile`: the Dockerfile images are compared with, as
    /// `input.dockerfile` (`path`, `workloads`) of every image.
    pub dockerfile: Option<Json>,
    /// Keep each file's documents on its outcome, for a step after the
    /// rules (declared probes, healthchecks, `inspect`). Cross-document
    /// rules keep them whatever this says.
    pub keep_documents: bool,
    /// Counts the inputs done, for a progress line.
    pub done: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

impl RunOptions {
    /// Reads and normalizes the Dockerfile images are compared with.
    pub fn with_dockerfile(mut self, path: &std::path::Path) -> Result<RunOptions, String> {
        let shown = path.to_string_lossy().to_string();
        let text = crate::source::read_input(path, "").map_err(|e| format!("{shown}: {e}"))?;
        let source = SourceFile::new(shown.as_str(), text);
        let kind = &crate::kinds::DOCKERFILE;
        let at = |e: &parse::ParseError| {
            let pos = source.position(e.span.start);
            format!("{shown}:{}:{}: {}", pos.line, pos.column, e.message)
        };
        let docs = (kind.parse)(&source.text).map_err(|e| at(&e))?;
        if let Some(e) = docs.iter().flat_map(|d| &d.errors).next() {
            return Err(at(e));
        }
        let model = docs
            .first()
            .map(|d| (kind.normalize)(&d.node))
            .unwrap_or_default();
        self.dockerfile = Some(json!({"path": shown, "workloads": model.workloads}));
        Ok(self)
    }
}

/// One input to check: a target that a source reads, text of a known kind,
/// or what a source already read (live containers).
pub enum Input {
    File(Target),
    Text {
        display: String,
        text: String,
        kind: &'static KindSpec,
    },
    Loaded(Loaded),
    /// An input of another shard, read only so that whole-run rules see
    /// every document (`--combine`): its outcomes are marked
    /// [`FileOutcome::foreign`].
    Foreign(Box<Input>),
}

/// Checks all inputs in parallel (each worker clones the prepared evaluator),
/// then runs the cross-document rules, applies suppressions and sets
/// fingerprints. The outcome is sorted so that output never depends on
/// scheduling.
pub fn run(evaluator: &Evaluator, inputs: Vec<Input>) -> Outcome {
    run_with(evaluator, inputs, &RunOptions::default())
}

/// [`run`] with settings.
pub fn run_with(evaluator: &Evaluator, inputs: Vec<Input>, options: &RunOptions) -> Outcome {
    let mut outcome = evaluate(evaluator, inputs, options);
    finish(evaluator, &mut outcome);
    outcome
}

/// [`run_with`] without its last step: findings that do not come from rules
/// (probes) can still be added before [`finish`].
pub fn evaluate(evaluator: &Evaluator, inputs: Vec<Input>, options: &RunOptions) -> Outcome {
    let mut files: Vec<FileOutcome> = inputs
        .into_par_iter()
        .map_init(
            || evaluator.clone(),
            |e, input| check_input(e, input, options),
        )
        .flatten_iter()
        .collect();
    files.sort_by(|a, b| display_of(a).cmp(display_of(b)));
    let mut outcome = Outcome {
        files,
        ..Default::default()
    };
    if evaluator.has_kind(engine::COMBINED) {
        combined::run_combined(&mut evaluator.clone(), &mut outcome);
    }
    outcome
}

/// Suppressions and fingerprints, once every finding of a file is in.
pub fn finish(evaluator: &Evaluator, outcome: &mut Outcome) {
    let selected: Vec<_> = evaluator.rules.iter().map(|r| r.meta.clone()).collect();
    let conftest = evaluator
        .conftest
        .as_ref()
        .map(|c| c.rule_names())
        .unwrap_or_default();
    let index = suppress::RuleIndex {
        known: &evaluator.known,
        selected: &selected,
        conftest: &conftest,
    };
    for file in &mut outcome.files {
        redact(file);
        for f in &mut file.findings {
            f.origin = file.origin;
        }
        if let Some(e) = &mut file.error {
            e.origin = file.origin;
        }
        if let (Some(primary), Some(kind)) = (&file.source, file.kind) {
            let files = Files {
                primary,
                others: &file.extra_files,
            };
            suppress::apply(files, kind, &file.directives, &mut file.findings, &index);
        }
        sort_findings(&mut file.findings);
    }
    drop_borrowed_duplicates(&mut outcome.files);
    policy_errors::report_once(outcome);
    for file in &mut outcome.files {
        crate::check::baseline::fingerprint(&mut file.findings, &outcome.root);
    }
}

/// A unit that reads another checked file (a compose fragment merged over
/// its base, a declared stack over its project, a kustomize overlay over a
/// base it leaves as it is, a file two compose projects extend) finds again
/// what that file's own unit finds: the same rule, place and message is
/// reported once, by the first unit of the file it is in (else by the first
/// unit that reports it, in display order).
pub(crate) fn drop_borrowed_duplicates(files: &mut [FileOutcome]) {
    type Key = (
        String,
        usize,
        usize,
        String,
        String,
        Option<String>,
        bool,
        String,
    );
    // `./compose.yaml` (walked) and `compose.yaml` (named) are one file.
    fn normal(path: &str) -> &str {
        let mut path = path;
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        path
    }
    let key = |f: &Finding| {
        (
            normal(&f.path).to_string(),
            f.line,
            f.column,
            f.rule.clone(),
            f.message.clone(),
            f.logical_location.clone(),
            f.suppression.is_some(),
            variant(f),
        )
    };
    let mut seen = std::collections::HashSet::new();
    let owner: Vec<bool> = files
        .iter()
        .map(|f| f.source.is_some() && seen.insert(normal(display_of(f)).to_string()))
        .collect();
    let own: std::collections::HashSet<Key> = files
        .iter()
        .zip(&owner)
        .filter(|(_, owner)| **owner)
        .flat_map(|(file, _)| {
            let primary = display_of(file).to_string();
            file.findings
                .iter()
                .filter(move |f| f.path == primary)
                .map(key)
        })
        .collect();
    // A finding in a file no unit owns (an included file) is kept by the
    // first unit that reports it.
    let mut borrowed = std::collections::HashSet::new();
    for (file, owner) in files.iter_mut().zip(owner) {
        let primary = display_of(file).to_string();
        file.findings.retain(|f| {
            (owner && f.path == primary) || {
                let key = key(f);
                !own.contains(&key) && borrowed.insert(key)
            }
        });
    }
}

/// Which rendering of a unit a finding is on (`Deployment/x [prod]`: a
/// chart's value set); the renderings of one file are no duplicates.
fn variant(f: &Finding) -> String {
    let resource = f.resource.as_deref().unwrap_or("");
    match (resource.rfind(" ["), resource.ends_with(']')) {
        (Some(i), true) => resource[i..].to_string(),
        _ => String::new(),
    }
}

/// The one redaction pass: every string of a finding or an error that a
/// reporter or the baseline prints goes through [`secrets::redact_text`], so
/// a rule that quotes a value (an image reference holding a token, a WORKDIR)
/// or a parser that quotes input cannot print a secret.
fn redact(file: &mut FileOutcome) {
    for f in &mut file.findings {
        f.message = secrets::redact_text(&f.message);
        for text in [&mut f.resource, &mut f.logical_location]
            .into_iter()
            .flatten()
        {
            *text = secrets::redact_text(text);
        }
        if let Some(metadata) = &mut f.metadata {
            secrets::redact_json(metadata);
        }
    }
    if let Some(e) = &mut file.error {
        e.message = secrets::redact_text(&e.message);
    }
}

pub(crate) fn sort_findings(findings: &mut Vec<Finding>) {
    // A unit's own file first, then the files merged into it.
    let key = |f: &Finding| {
        (
            f.span.file,
            f.line,
            f.column,
            f.logical_location.as_deref().map(natural_key),
            f.rule.clone(),
            f.message.clone(),
        )
    };
    findings.sort_by_cached_key(key);
    findings.dedup_by(|a, b| {
        a.span.file == b.span.file
            && a.line == b.line
            && a.column == b.column
            && a.rule == b.rule
            && a.message == b.message
            && a.logical_location == b.logical_location
    });
}

/// `history[10]` after `history[9]`: numbers compare as numbers.
fn natural_key(text: &str) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(digits);
        let end = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        let number = tail[..end].parse().unwrap_or(u64::MAX);
        parts.push((word.to_string(), if end == 0 { 0 } else { number }));
        rest = &tail[end..];
    }
    parts
}

pub(crate) fn display_of(f: &FileOutcome) -> &str {
    f.source
        .as_ref()
        .map(|s| &*s.path)
        .or(f.error.as_ref().map(|e| e.path.as_str()))
        .or(f.skipped.as_ref().map(|s| s.path.as_str()))
        .unwrap_or("")
}

/// What the sources read for one input.
fn load(input: Input, options: &RunOptions) -> Vec<Loaded> {
    match input {
        Input::File(target) => sources::read(target, &options.sources),
        Input::Text {
            display,
            text,
            kind,
        } => vec![Loaded::Text {
            source: SourceFile::new(display, text),
            kind: Some(kind),
            explicit: true,
            origin: Origin::File,
            context: None,
        }],
        Input::Loaded(loaded) => vec![loaded],
        Input::Foreign(input) => load(*input, options),
    }
}

fn check_input(evaluator: &mut Evaluator, input: Input, options: &RunOptions) -> Vec<FileOutcome> {
    let outcomes = match input {
        Input::Foreign(input) => {
            let mut outcomes = check_input_uncounted(evaluator, *input, options);
            for outcome in &mut outcomes {
                outcome.foreign = true;
            }
            outcomes
        }
        input => check_input_uncounted(evaluator, input, options),
    };
    if let Some(done) = &options.done {
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    outcomes
}

fn check_input_uncounted(
    evaluator: &mut Evaluator,
    input: Input,
    options: &RunOptions,
) -> Vec<FileOutcome> {
    let loaded = load(input, options);
    if loaded.is_empty() {
        // Nothing a source reads (a directory that is no image): an empty
        // outcome, as for a file no kind claims.
        return vec![FileOutcome::default()];
    }
    loaded
        .into_iter()
        .map(|l| check_loaded(evaluator, l, options))
        .collect()
}

fn check_loaded(evaluator: &mut Evaluator, loaded: Loaded, options: &RunOptions) -> FileOutcome {
    match loaded {
        Loaded::Text {
            source,
            kind,
            explicit,
            origin,
            context,
        } => FileOutcome {
            origin,
            ..check_text_with(evaluator, source, kind, explicit, context, options)
        },
        Loaded::Documents {
            source,
            kind,
            origin,
            documents,
        } => FileOutcome {
            origin,
            ..check_documents(evaluator, source, kind, documents, options)
        },
        Loaded::Parsed {
            primary,
            others,
            kind,
            origin,
            documents,
        } => FileOutcome {
            origin,
            ..check_unit_with(evaluator, primary, others, kind, documents, options)
        },
        Loaded::Error(error) => FileOutcome {
            origin: error.origin,
            error: Some(error),
            ..Default::default()
        },
        Loaded::Skipped(skipped) => FileOutcome {
            skipped: Some(skipped),
            ..Default::default()
        },
    }
}

/// Parses, normalizes and evaluates one file's text.
pub fn check_text(
    evaluator: &mut Evaluator,
    source: SourceFile,
    kind: Option<&'static KindSpec>,
    explicit: bool,
) -> FileOutcome {
    check_text_with(
        evaluator,
        source,
        kind,
        explicit,
        None,
        &RunOptions::default(),
    )
}

/// Text parsed into the documents of its kind (split, not yet filtered by
/// [`KindSpec::wants`]): what rules and `policy inspect` see.
struct Parsed {
    source: SourceFile,
    kind: &'static KindSpec,
    documents: Vec<Document>,
}

/// Detects the kind and parses; `Err` is the outcome of text that is not
/// checked (skipped, unparsable, or none of our business).
fn parse_text(
    source: SourceFile,
    kind: Option<&'static KindSpec>,
    explicit: bool,
    context: Option<Json>,
) -> Result<Parsed, Box<FileOutcome>> {
    let mut outcome = FileOutcome::default();
    let name = std::path::Path::new(&*source.path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if kind.is_none() && !crate::kinds::is_structured_data(&name) {
        if explicit {
            outcome.skipped = Some(not_recognized(&source));
        }
        return Err(Box::new(outcome));
    }
    if let Some(reason) = kind
        .and_then(|k| k.confirm)
        .and_then(|confirm| confirm(&name, &source.text))
    {
        outcome.skipped = Some(Skipped {
            path: source.path.to_string(),
            reason,
        });
        return Err(Box::new(outcome));
    }
    let parse_as = kind.map(|k| k.parse).unwrap_or(parse::parse_yaml);
    let documents = match parse_as(&source.text) {
        Ok(docs) => docs,
        Err(e) => {
            // A YAML/JSON file no kind claims by name is reported only when it
            // looks like a manifest or compose file; a Helm template or some
            // other tool's data is none of our business.
            if kind.is_none() && !explicit && !looks_like_ours(&source.text) {
                return Err(Box::new(outcome));
            }
            outcome.error = Some(FileError::at(&source, e.span, e.message));
            outcome.source = Some(source);
            return Err(Box::new(outcome));
        }
    };
    let Some(kind) = kind.or_else(|| crate::kinds::detect_by_content(&documents)) else {
        if explicit {
            outcome.skipped = Some(not_recognized(&source));
        }
        return Err(Box::new(outcome));
    };
    let mut documents = match kind.split {
        Some(split) => split(documents),
        None => documents,
    };
    if let Some(context) = context {
        for doc in &mut documents {
            doc.context = Some(context.clone());
        }
    }
    Ok(Parsed {
        source,
        kind,
        documents,
    })
}

fn check_text_with(
    evaluator: &mut Evaluator,
    source: SourceFile,
    kind: Option<&'static KindSpec>,
    explicit: bool,
    context: Option<Json>,
    options: &RunOptions,
) -> FileOutcome {
    match parse_text(source, kind, explicit, context) {
        Ok(parsed) => check_parsed(evaluator, parsed, options),
        Err(outcome) => *outcome,
    }
}

fn check_parsed(evaluator: &mut Evaluator, parsed: Parsed, options: &RunOptions) -> FileOutcome {
    let Parsed {
        source,
        kind,
        documents,
    } = parsed;
    check_unit_with(evaluator, source, Vec::new(), kind, documents, options)
}

/// Checks documents already parsed whose nodes may point into several
/// files: `primary` (the unit's file, [`crate::source::FileId::PRIMARY`])
/// and `others`, numbered from 1 (a compose override file, a chart's
/// values.yaml). Findings, suppressions and snippets follow each node to its
/// file. A single text file ends here too.
pub fn check_unit(
    evaluator: &mut Evaluator,
    primary: SourceFile,
    others: Vec<SourceFile>,
    kind: &'static KindSpec,
    documents: Vec<Document>,
) -> FileOutcome {
    check_unit_with(
        evaluator,
        primary,
        others,
        kind,
        documents,
        &RunOptions::default(),
    )
}

fn check_unit_with(
    evaluator: &mut Evaluator,
    source: SourceFile,
    others: Vec<SourceFile>,
    kind: &'static KindSpec,
    documents: Vec<Document>,
    options: &RunOptions,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let files = Files {
        primary: &source,
        others: &others,
    };
    outcome.kind = Some(kind);
    let mut documents = documents;
    for analyzer in kind.analyzers {
        if evaluator.rules.iter().any(|r| r.meta.id == analyzer.rule) {
            for doc in &mut documents {
                (analyzer.run)(doc, &source);
            }
        }
    }
    outcome.directives = suppress::directives_in(files, kind, &documents);
    for doc in documents.iter().filter(|d| (kind.wants)(&d.node)) {
        outcome.documents += 1;
        let result = evaluate_document(evaluator, files, kind, doc, &mut outcome.inputs, options)
            .and_then(|(found, failed)| {
                outcome.findings.extend(found);
                rules_failed(failed)
            });
        match result {
            Ok(()) => {}
            Err(message) => {
                let span = doc.node.span;
                let message = format!("{}{message}", policy_errors::EVALUATION_FAILED);
                outcome.error = Some(FileError::at(files.of(span), span, message));
            }
        }
        outcome
            .findings
            .extend(duplicate_key_findings(evaluator, files, kind, doc));
    }
    // Errors the parser recovered from: the findings above stand, and the
    // file still counts as one that could not be checked (exit 2).
    let recovered = documents.iter().flat_map(|d| &d.errors).next();
    if let (None, Some(e)) = (&outcome.error, recovered) {
        outcome.error = Some(FileError::at(files.of(e.span), e.span, e.message.clone()));
    }
    let keep = options.keep_documents || evaluator.has_kind(engine::COMBINED);
    if keep {
        outcome.parsed = Some(documents.into());
    }
    outcome.source = Some(source);
    outcome.extra_files = others;
    outcome
}

/// CP003: a key written twice in one mapping of a manifest or compose file,
/// reported at the second (YAML keeps the last silently; kubectl and
/// `docker compose` reject the file).
fn duplicate_key_findings(
    evaluator: &Evaluator,
    files: Files,
    kind: &'static KindSpec,
    doc: &Document,
) -> Vec<Finding> {
    let Some(rule) = evaluator
        .rules
        .iter()
        .find(|r| r.meta.id == DUPLICATE_KEY_RULE && r.meta.kinds.iter().any(|k| k == kind.name))
    else {
        return Vec::new();
    };
    doc.duplicate_keys
        .iter()
        .map(|d| {
            let first = files.of(d.first).position(d.first.start).line;
            // A key is user text: never print a token, nor a huge key whole.
            let key = match secrets::find_tokens(&d.key).is_empty() {
                true => shorten(&d.key, 80),
                false => secrets::redact(&d.key),
            };
            let message = format!(
                "key `{key}` is written twice in this mapping (first at line {first}); only this one takes effect: remove or merge one"
            );
            let resource = default_resource(&doc.node);
            Finding::at_in(&rule.meta, files, kind.name, d.second, message, resource)
        })
        .collect()
}

/// Top-level `apiVersion:`, `kind:` or `services:` and no template syntax.
fn looks_like_ours(text: &str) -> bool {
    !text.contains("{{")
        && text.lines().any(|l| {
            l.starts_with("apiVersion:") || l.starts_with("kind:") || l.starts_with("services:")
        })
}

fn not_recognized(source: &SourceFile) -> Skipped {
    Skipped {
        path: source.path.to_string(),
        reason: format!(
            "not recognized as any of: {} (name it Dockerfile or compose.yaml, or pass --kind)",
            crate::kinds::kind_names().join(", ")
        ),
    }
}

fn evaluate_document(
    evaluator: &mut Evaluator,
    files: Files,
    kind: &'static KindSpec,
    doc: &Document,
    keep: &mut Vec<RegoValue>,
    options: &RunOptions,
) -> Result<(Vec<Finding>, Vec<String>), String> {
    let model = (kind.normalize)(&doc.node);
    let input = model_input(files.primary, kind, doc, model, options.dockerfile.as_ref())?;
    evaluate_input(evaluator, files, kind, doc, input, keep, true)
}

/// The errors of the rules that failed on a document (the others' findings
/// are kept), as the document's error.
pub(super) fn rules_failed(errors: Vec<String>) -> Result<(), String> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors.join("; ")),
    }
}

fn evaluate_input(
    evaluator: &mut Evaluator,
    files: Files,
    kind: &'static KindSpec,
    doc: &Document,
    input: RegoValue,
    keep: &mut Vec<RegoValue>,
    conftest: bool,
) -> Result<(Vec<Finding>, Vec<String>), String> {
    // Cross-document rules relate manifests and compose services; keep those
    // documents (shared values, not copies) with what relations need.
    if kind.related && evaluator.has_kind(engine::COMBINED) {
        keep.push(engine::input(vec![
            ("kind", RegoValue::from(kind.name)),
            ("path", RegoValue::from(&*files.primary.path)),
            ("document_index", RegoValue::from(doc.index)),
            ("document", input["document"].clone()),
            ("workloads", input["workloads"].clone()),
        ]));
    }
    // Values are shared, so keeping the input costs a reference.
    let located = kind.logical_location.map(|locate| (locate, input.clone()));
    // Rules that failed are reported; the others' findings are kept.
    let (raw, mut failed) = evaluator.evaluate(kind.name, input);
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .map(|r| {
            let logical = located
                .as_ref()
                .and_then(|(locate, input)| locate(r.at.as_deref(), input));
            let mut finding = resolve(evaluator, files, kind, doc, r);
            finding.logical_location = logical;
            finding
        })
        .collect();
    if let Some(conftest) = evaluator.conftest.as_mut().filter(|_| conftest) {
        let (found, errors) = conftest.evaluate(kind, files.primary, doc);
        failed.extend(errors);
        for c in found {
            // An exemption (conftest's "exceptions" tally) is reported as
            // info, tagged `exception`, so it is counted but never fails a run
            // at the default `--fail-on error`.
            let mut tags = vec!["conftest".to_string()];
            if c.exception {
                tags.push("exception".to_string());
            }
            findings.push(Finding {
                // `main.deny_x`: the rule is namespaced, the name is the rule's own.
                name: c.rule.rsplit('.').next().unwrap_or(&c.rule).to_string(),
                rule: c.rule,
                severity: c.severity,
                tags,
                message: c.message,
                resource: default_resource(&doc.node),
                metadata: c.metadata.map(|mut m| {
                    secrets::redact_json(&mut m);
                    m
                }),
                ..Finding::located_in(files, kind.name, c.span)
            });
        }
    }
    Ok((findings, failed))
}

/// Documents a source built with their models (the images of a layout or
/// archive). There is no text: errors name the path alone.
fn check_documents(
    evaluator: &mut Evaluator,
    source: SourceFile,
    kind: &'static KindSpec,
    documents: Vec<(Document, crate::model::Model)>,
    options: &RunOptions,
) -> FileOutcome {
    let mut outcome = FileOutcome {
        kind: Some(kind),
        ..Default::default()
    };
    for (doc, model) in documents {
        outcome.documents += 1;
        outcome.directives.extend(suppress::label_directives(&doc));
        let result = model_input(&source, kind, &doc, model, options.dockerfile.as_ref())
            .and_then(|input| {
                evaluate_input(
                    evaluator,
                    Files::single(&source),
                    kind,
                    &doc,
                    input,
                    &mut outcome.inputs,
                    false,
                )
            })
            .and_then(|(found, failed)| {
                outcome.findings.extend(found);
                rules_failed(failed)
            });
        if let Err(message) = result {
            outcome.error = Some(FileError::whole(
                &*source.path,
                format!("{}{message}", policy_errors::EVALUATION_FAILED),
            ));
        }
    }
    outcome.source = Some(source);
    outcome
}

/// The inputs rules see for each document of one input (`policy inspect`),
/// read and parsed as `check` reads and parses it. `Err` is the outcome of
/// an input that is not checked (an error, or skipped).
pub fn rule_inputs(
    input: Input,
    options: &RunOptions,
) -> Vec<Result<Vec<RegoValue>, Box<FileOutcome>>> {
    let loaded = load(input, options);
    loaded
        .into_iter()
        .map(|loaded| match loaded {
            Loaded::Text {
                source,
                kind,
                explicit,
                context,
                ..
            } => {
                let parsed = parse_text(source, kind, explicit, context)?;
                let kind = parsed.kind;
                parsed
                    .documents
                    .iter()
                    .filter(|d| (kind.wants)(&d.node))
                    .map(|doc| native_input(&parsed.source, kind, doc))
                    .collect::<Result<_, _>>()
                    .map_err(|message| {
                        Box::new(FileOutcome {
                            error: Some(FileError::whole(&*parsed.source.path, message)),
                            ..Default::default()
                        })
                    })
            }
            Loaded::Documents {
                source,
                kind,
                documents,
                ..
            } => documents
                .into_iter()
                .map(|(doc, model)| model_input(&source, kind, &doc, model, None))
                .collect::<Result<_, _>>()
                .map_err(|message| {
                    Box::new(FileOutcome {
                        error: Some(FileError::whole(&*source.path, message)),
                        ..Default::default()
                    })
                }),
            Loaded::Parsed {
                primary,
                kind,
                documents,
                ..
            } => documents
                .iter()
                .filter(|d| (kind.wants)(&d.node))
                .map(|doc| native_input(&primary, kind, doc))
                .collect::<Result<_, _>>()
                .map_err(|message| {
                    Box::new(FileOutcome {
                        error: Some(FileError::whole(&*primary.path, message)),
                        ..Default::default()
                    })
                }),
            Loaded::Error(error) => Err(Box::new(FileOutcome {
                error: Some(error),
                ..Default::default()
            })),
            Loaded::Skipped(skipped) => Err(Box::new(FileOutcome {
                skipped: Some(skipped),
                ..Default::default()
            })),
        })
        .collect()
}
