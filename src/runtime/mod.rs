//! The runtime stage: what actually runs, judged by the same rules as the
//! files that declare it.
//!
//! - Live containers are inspected through the Docker Engine API
//!   ([`docker`]); each becomes a document of kind `container`, named
//!   `docker://NAME`, whose text is its `docker inspect` JSON. Rules, drift
//!   (cross-document rules tagged `drift`) and suppressions treat it like a
//!   saved `docker inspect` file.
//! - Probes ([`probe`]) run after the rules; a failure is a `CP610` finding
//!   (in the manifest that declares the probe, or at the explicit probe's
//!   URL), and every result, passed or not, is listed in the reports.

pub use crate::sources::docker;
pub mod probe;

use crate::check::{FileOutcome, Input, Outcome};
use crate::document::{Node, Value};
use crate::engine::Evaluator;
use crate::finding::{FileError, Origin, ProbeResult, PROBE_KIND, PROBE_RULE};
use crate::kinds::{self, KindSpec};
use crate::model::{Container, Workload};
use crate::parse::Document;
use crate::source::{SourceFile, Span};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use docker::SCHEME;
/// Longest wait for one attempt of a declared probe, whatever its
/// `timeoutSeconds` says: the manifest comes from anyone (a pull request),
/// and Kubernetes' default is 1 s.
pub const MAX_DECLARED_PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// Probes run at once. Each waits on the network, not the CPU, but a
/// manifest can declare thousands: a few threads keep memory and the
/// probed services' load small, and the stage deadline bounds the rest.
pub const PARALLEL_PROBES: usize = 16;
/// Stack of a probe thread: it waits on sockets and parses a capped reply,
/// no deep recursion; small stacks keep the address space small too.
const PROBE_STACK: usize = 256 * 1024;
/// The default of `--runtime-timeout`: the whole runtime stage (engine
/// calls, healthchecks run through exec, probes) within a CI step's patience.
pub const DEFAULT_STAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// Settings of the runtime stage.
#[derive(Debug, Clone)]
pub struct Options {
    /// Inspect containers through the engine (false: probes only).
    pub engine: bool,
    pub docker_host: String,
    pub selector: docker::Selector,
    /// Deadline of each Engine API call.
    pub timeout: Duration,
    /// Explicit probes (`--probe`).
    pub probes: Vec<probe::Spec>,
    /// Also probe the httpGet/tcpSocket probes and compose healthcheck URLs
    /// of the checked files, on loopback addresses only.
    pub probe_declared: bool,
    /// Timeout of a declared probe (explicit ones carry their own).
    pub probe_timeout: Duration,
    /// Run each running container's healthcheck command through exec (the
    /// only call that is not a `GET`).
    pub exec_healthchecks: bool,
    /// The whole stage, containers and probes together (`--runtime-timeout`):
    /// what has not finished by then is an error.
    pub stage_timeout: Duration,
}

/// What the engine gave: containers as inputs of the run, errors as file
/// outcomes, and healthchecks run through exec.
#[derive(Default)]
pub struct Live {
    pub inputs: Vec<Input>,
    pub errors: Vec<FileOutcome>,
    /// (`docker://NAME`, resource of the container, result).
    pub execs: Vec<(String, docker::ExecResult)>,
    /// Time the engine took, counted against the stage's deadline.
    pub spent: Duration,
}

/// The live containers as inputs of the run, and per-container (or
/// engine) errors as file outcomes. An unreachable engine is one error: the
/// run goes on and exits 2.
pub fn live_containers(options: &Options) -> Live {
    if !options.engine {
        return Live::default();
    }
    let started = Instant::now();
    let waits = docker::Waits {
        call: options.timeout,
        deadline: started + options.stage_timeout,
        stage: options.stage_timeout,
    };
    let found = docker::read_live(
        &options.docker_host,
        &options.selector,
        waits,
        options.exec_healthchecks,
    );
    Live {
        inputs: found.loaded.into_iter().map(Input::Loaded).collect(),
        errors: found
            .errors
            .into_iter()
            .map(|error| FileOutcome {
                error: Some(error),
                origin: Origin::Container,
                ..Default::default()
            })
            .collect(),
        execs: found.execs,
        spent: started.elapsed(),
    }
}

/// The error of a check that was cut short: its result is unknown, so the
/// run cannot pass.
fn stopped_error(
    origin: Origin,
    path: String,
    at: Option<(usize, usize)>,
    message: String,
) -> FileOutcome {
    FileOutcome {
        error: Some(FileError {
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            ..FileError::whole(path, message)
        }),
        origin,
        ..Default::default()
    }
}

/// A probe to run and where its result goes.
struct Planned {
    spec: Option<probe::Spec>,
    /// For a declared probe: the file (index into `outcome.files`), the span
    /// of its declaration, and the resource.
    declared: Option<(usize, Span, String)>,
    /// Why a declared probe is not run.
    skip: Option<String>,
    /// Said with a failure: a declared timeout that was capped.
    note: Option<String>,
    target: String,
    scheme: probe::Scheme,
}

/// Runs the explicit probes and, with `probe_declared`, those the checked
/// files declare; adds a finding per failure and every result to
/// `outcome.probes`. Call before [`check::finish`], so that suppressions
/// and fingerprints apply.
pub fn run_probes(
    evaluator: &Evaluator,
    options: &Options,
    execs: Vec<(String, docker::ExecResult)>,
    spent: Duration,
    outcome: &mut Outcome,
) {
    let deadline = Instant::now() + options.stage_timeout.saturating_sub(spent);
    let rule = evaluator
        .rules
        .iter()
        .find(|r| r.meta.id == PROBE_RULE)
        .map(|r| r.meta.clone());
    for (path, exec) in execs {
        exec_result(rule.as_ref(), &path, exec, outcome);
    }
    let mut planned: Vec<Planned> = options
        .probes
        .iter()
        .map(|spec| Planned {
            target: spec.target(),
            scheme: spec.scheme,
            spec: Some(spec.clone()),
            declared: None,
            skip: None,
            note: None,
        })
        .collect();
    if options.probe_declared {
        planned.extend(declared_probes(outcome, options.probe_timeout));
    }
    if planned.is_empty() {
        return;
    }
    // A few threads take the probes in turn; none waits past the deadline.
    let next = AtomicUsize::new(0);
    let results: Vec<OnceLock<probe::Outcome>> = planned.iter().map(|_| OnceLock::new()).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(p) = planned.get(i) else { break };
        if let (Some(spec), None) = (&p.spec, &p.skip) {
            let _ = results[i].set(probe::run(spec, deadline));
        }
    };
    std::thread::scope(|scope| {
        // A thread that cannot be started (a low address-space or process
        // limit) leaves its share to the others, or to this thread.
        let started = (0..PARALLEL_PROBES.min(planned.len()))
            .map_while(|_| {
                std::thread::Builder::new()
                    .stack_size(PROBE_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .count();
        if started == 0 {
            work();
        }
    });
    for (p, result) in planned
        .into_iter()
        .zip(results.into_iter().map(OnceLock::into_inner))
    {
        let declared_at = p.declared.as_ref().and_then(|(file, span, _)| {
            let source = outcome.files[*file].source.as_ref()?;
            let pos = source.position(span.start);
            Some(format!("{}:{}:{}", source.path, pos.line, pos.column))
        });
        let resource = p.declared.as_ref().map(|(_, _, r)| r.clone());
        let mut entry = ProbeResult {
            target: p.target.clone(),
            scheme: p.scheme,
            source: if p.declared.is_some() {
                "declared"
            } else {
                "explicit"
            },
            declared_at,
            resource: resource.clone(),
            result: "skipped",
            message: p.skip.clone().unwrap_or_default(),
            status: None,
            latency_ms: None,
            attempts: 0,
        };
        if let Some(r) = result.as_ref().filter(|r| r.stopped) {
            entry.message = r.message.clone();
            entry.attempts = r.attempts;
            let message =
                docker::past_deadline(&format!("probe {}", p.target), options.stage_timeout);
            outcome.files.push(match &p.declared {
                Some((file, span, _)) => {
                    let source = outcome.files[*file].source.as_ref();
                    let path = source.map_or_else(|| p.target.clone(), |s| s.path.to_string());
                    let at = source
                        .map(|s| s.position(span.start))
                        .map(|pos| (pos.line, pos.column));
                    stopped_error(Origin::File, path, at, message)
                }
                None => stopped_error(Origin::Probe, p.target.clone(), None, message),
            });
        } else if let Some(r) = result {
            entry.result = if r.passed { "pass" } else { "fail" };
            entry.message = r.message.clone();
            entry.status = r.status;
            entry.latency_ms = r.latency_ms;
            entry.attempts = r.attempts;
            if !r.passed {
                if let Some(rule) = &rule {
                    let mut message = format!("probe {}: {}", p.target, r.reason);
                    if let Some(note) = &p.note {
                        message.push_str(&format!(" ({note})"));
                    }
                    match p.declared {
                        Some((file, span, resource)) => {
                            let file = &mut outcome.files[file];
                            let (Some(source), Some(kind)) = (&file.source, file.kind) else {
                                continue;
                            };
                            let f = crate::finding::Finding::at(
                                rule,
                                source,
                                kind.name,
                                span,
                                message,
                                Some(resource),
                            );
                            file.findings.push(f);
                        }
                        None => {
                            let spec = p.spec.as_ref().expect("explicit probes have a spec");
                            let source = SourceFile::new(p.target.as_str(), spec.text.as_str());
                            let span = Span::new(0, spec.text.len());
                            let f = crate::finding::Finding::at(
                                rule,
                                &source,
                                PROBE_KIND,
                                span,
                                message,
                                Some(format!("probe {}", p.target)),
                            );
                            outcome.files.push(FileOutcome {
                                source: Some(source),
                                origin: Origin::Probe,
                                findings: vec![f],
                                ..Default::default()
                            });
                        }
                    }
                }
            }
        }
        outcome.probes.push(entry);
    }
}

/// A healthcheck run through exec: a probe result, and a finding at the
/// container's `Config.Healthcheck` when it failed.
fn exec_result(
    rule: Option<&crate::rules::RuleMeta>,
    path: &str,
    exec: docker::ExecResult,
    outcome: &mut Outcome,
) {
    let Some(file) = outcome
        .files
        .iter_mut()
        .find(|f| f.source.as_ref().is_some_and(|s| &*s.path == path))
    else {
        return;
    };
    let Some(source) = file.source.clone() else {
        return;
    };
    let (span, resource) = file
        .parsed
        .as_ref()
        .and_then(|docs| {
            let doc = docs.first()?;
            let model = crate::model::container::normalize(&doc.node);
            let resource = model.workloads.first()?.resource.clone();
            let at = vec![
                crate::document::Step::Index(0),
                crate::document::Step::Key("Config".into()),
                crate::document::Step::Key("Healthcheck".into()),
            ];
            Some((doc.node.locate(&at).span, resource))
        })
        .unwrap_or((Span::new(0, 0), path.to_string()));
    let output = crate::model::container::check_output(&exec.output);
    let passed = exec.exit_code == Some(0);
    // Without the time it took: findings' messages are stable.
    let reason = match (&exec.error, exec.exit_code) {
        (Some(e), _) => e.clone(),
        (None, Some(code)) if output.is_empty() => format!("exit code {code}"),
        (None, Some(code)) => format!("exit code {code}: {output:?}"),
        (None, None) => "no exit code".to_string(),
    };
    let message = match exec.exit_code {
        Some(code) if exec.error.is_none() => {
            let mut m = format!("exit code {code} in {} ms", exec.millis);
            if !output.is_empty() {
                m.push_str(&format!(": {output:?}"));
            }
            m
        }
        _ => reason.clone(),
    };
    let pos = source.position(span.start);
    let target = format!("exec://{}", path.trim_start_matches(SCHEME));
    outcome.probes.push(ProbeResult {
        target: target.clone(),
        scheme: probe::Scheme::Exec,
        source: "declared",
        declared_at: Some(format!("{}:{}:{}", source.path, pos.line, pos.column)),
        resource: Some(resource.clone()),
        result: match (passed, exec.stopped) {
            (true, _) => "pass",
            (false, true) => "skipped",
            (false, false) => "fail",
        },
        message: message.clone(),
        status: None,
        latency_ms: Some(exec.millis),
        attempts: 1,
    });
    if exec.stopped {
        // Policy stopped waiting, not the container's own timeout: no verdict.
        let at = Some((pos.line, pos.column));
        outcome.files.push(stopped_error(
            Origin::Container,
            path.to_string(),
            at,
            reason,
        ));
        return;
    }
    if let (false, Some(rule)) = (passed, rule) {
        let command = crate::model::container::redact_text(&exec.command);
        let mut finding = crate::finding::Finding::at(
            rule,
            &source,
            crate::kinds::CONTAINER.name,
            span,
            format!("healthcheck `{command}` run through exec failed: {reason}"),
            Some(resource),
        );
        finding.logical_location = Some("Config.Healthcheck".into());
        file.findings.push(finding);
    }
}

/// Probes declared in the checked Kubernetes manifests (`httpGet`,
/// `tcpSocket`) and compose files (a healthcheck that calls a loopback URL).
fn declared_probes(outcome: &Outcome, timeout: Duration) -> Vec<Planned> {
    let mut out = Vec::new();
    for (index, file) in outcome.files.iter().enumerate() {
        let (Some(kind), Some(docs)) = (file.kind, &file.parsed) else {
            continue;
        };
        let declares = |k: &KindSpec| *kind == *k;
        if !declares(&kinds::KUBERNETES) && !declares(&kinds::COMPOSE) {
            continue;
        }
        for doc in docs.iter().filter(|d| (kind.wants)(&d.node)) {
            let model = (kind.normalize)(&doc.node);
            for w in &model.workloads {
                for c in &w.containers {
                    if declares(&kinds::KUBERNETES) {
                        kubernetes_probes(doc, w, c, index, timeout, &mut out);
                    } else {
                        compose_probe(doc, w, c, index, timeout, &mut out);
                    }
                }
            }
        }
    }
    out
}

fn node_at<'a>(doc: &'a Document, path: &crate::model::Path) -> Option<&'a Node> {
    let mut node = &doc.node;
    for step in &path.0 {
        node = match (step, &node.value) {
            (crate::document::Step::Key(k), Value::Map(_)) => node.get(k)?,
            (crate::document::Step::Index(i), Value::Seq(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn text_of(node: Option<&Node>) -> Option<String> {
    match node.map(|n| &n.value) {
        Some(Value::Str(s)) => Some(s.clone()),
        Some(Value::Int(i)) => Some(i.to_string()),
        _ => None,
    }
}

/// The host port a container port is reachable on: its published port
/// when one is declared, else the same number.
fn host_port(c: &Container, port: u16) -> u16 {
    c.ports
        .iter()
        .find(|p| {
            p.container_port
                .as_deref()
                .map(|cp| cp.split('/').next().unwrap_or(cp))
                == Some(port.to_string().as_str())
        })
        .and_then(|p| p.host_port.as_deref()?.parse().ok())
        .unwrap_or(port)
}

fn kubernetes_probes(
    doc: &Document,
    w: &Workload,
    c: &Container,
    file: usize,
    timeout: Duration,
    out: &mut Vec<Planned>,
) {
    if c.init {
        return;
    }
    let Some(container_node) = c.at.get("self").and_then(|p| node_at(doc, p)) else {
        return;
    };
    for (field, key) in [
        ("liveness_probe", "livenessProbe"),
        ("readiness_probe", "readinessProbe"),
        ("startup_probe", "startupProbe"),
    ] {
        let Some(path) = c.at.get(field) else {
            continue;
        };
        let Some(probe_node) = node_at(doc, path) else {
            continue;
        };
        let span = doc.node.locate(&path.0).span;
        let resource = format!("{} {key}", c.resource);
        let (scheme, handler) = if let Some(h) = probe_node.get("httpGet") {
            (probe::Scheme::Http, h)
        } else if let Some(h) = probe_node.get("tcpSocket") {
            (probe::Scheme::Tcp, h)
        } else {
            continue; // exec and grpc probes run inside the pod
        };
        let mut planned = Planned {
            spec: None,
            declared: Some((file, span, resource)),
            skip: None,
            note: None,
            target: format!("{} {key}", w.resource),
            scheme,
        };
        // A named port is looked up among the container's ports.
        let port_text = text_of(handler.get("port")).unwrap_or_default();
        let port: Option<u16> = port_text.parse().ok().or_else(|| {
            container_node
                .get("ports")?
                .as_seq()?
                .iter()
                .find(|p| text_of(p.get("name")).as_deref() == Some(port_text.as_str()))
                .and_then(|p| text_of(p.get("containerPort"))?.parse().ok())
        });
        let host = text_of(handler.get("host")).unwrap_or_else(|| "127.0.0.1".into());
        let https = text_of(handler.get("scheme")).is_some_and(|s| s.eq_ignore_ascii_case("HTTPS"));
        let skip = match port {
            None => Some(format!(
                "port `{port_text}` is not a number or a named container port"
            )),
            Some(_) if !probe::is_loopback(&host) => Some(format!(
                "host {host} is not a loopback address; probe it explicitly with --probe"
            )),
            Some(_) if https => Some("https probes are not supported".to_string()),
            Some(_) => None,
        };
        if let Some(port) = port {
            let port = host_port(c, port);
            let text = match scheme {
                probe::Scheme::Http => {
                    let path = text_of(handler.get("path")).unwrap_or_else(|| "/".into());
                    let path = if path.starts_with('/') {
                        path
                    } else {
                        format!("/{path}")
                    };
                    format!("http://{}{path}", host_port_text(&host, port))
                }
                _ => format!("tcp://{}", host_port_text(&host, port)),
            };
            match probe::Spec::parse(&text, timeout) {
                Ok(mut spec) => {
                    spec.headers = handler
                        .get("httpHeaders")
                        .and_then(Node::as_seq)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|h| Some((text_of(h.get("name"))?, text_of(h.get("value"))?)))
                        .collect();
                    // Kubernetes' own timeout, when written (`timeoutSeconds`).
                    if let Some(secs) = text_of(probe_node.get("timeoutSeconds"))
                        .and_then(|s| s.parse::<u64>().ok())
                        .filter(|s| *s > 0)
                    {
                        spec.timeout = Duration::from_secs(secs).min(MAX_DECLARED_PROBE_TIMEOUT);
                        if spec.timeout.as_secs() < secs {
                            planned.note = Some(format!(
                                "timeoutSeconds: {secs} is capped at {} s",
                                MAX_DECLARED_PROBE_TIMEOUT.as_secs()
                            ));
                        }
                    }
                    planned.target = spec.target();
                    planned.spec = Some(spec);
                }
                Err(e) => planned.skip = Some(e),
            }
        }
        if skip.is_some() {
            planned.skip = skip;
        }
        out.push(planned);
    }
}

fn host_port_text(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A compose healthcheck whose test calls `http://localhost:PORT/…` (curl,
/// wget…) is probed from this host: on the same port with `network_mode:
/// host`, else on the port that publishes it.
fn compose_probe(
    doc: &Document,
    w: &Workload,
    c: &Container,
    file: usize,
    timeout: Duration,
    out: &mut Vec<Planned>,
) {
    if c.health.healthcheck != Some(true) {
        return;
    }
    let Some(path) = c.at.get("healthcheck") else {
        return;
    };
    let Some(hc) = node_at(doc, path) else {
        return;
    };
    let test = match hc.get("test").map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| text_of(Some(i)))
            .collect::<Vec<_>>()
            .join(" "),
        _ => return,
    };
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"http://(localhost|127\.0\.0\.1|\[::1\])(?::(\d+))?(/[^\s'"|;&)]*)?"#)
            .expect("valid regex")
    });
    let Some(m) = URL.captures(&test) else {
        return;
    };
    let host = m.get(1).map_or("127.0.0.1", |h| h.as_str());
    let port: u16 = m.get(2).and_then(|p| p.as_str().parse().ok()).unwrap_or(80);
    let url_path = m.get(3).map_or("/", |p| p.as_str());
    let span = doc.node.locate(&path.0).span;
    let mut planned = Planned {
        spec: None,
        declared: Some((file, span, format!("{} healthcheck", c.resource))),
        skip: None,
        note: None,
        target: m[0].to_string(),
        scheme: probe::Scheme::Http,
    };
    let published = c.ports.iter().any(|p| {
        p.host_port.is_some()
            && p.container_port
                .as_deref()
                .map(|cp| cp.split('/').next().unwrap_or(cp))
                == Some(port.to_string().as_str())
    });
    if w.host_network != Some(true) && !published {
        planned.skip = Some(format!(
            "port {port} is neither published nor on the host network"
        ));
    } else {
        let text = format!("http://{host}:{}{url_path}", host_port(c, port));
        match probe::Spec::parse(&text, timeout) {
            Ok(spec) => {
                planned.target = spec.target();
                planned.spec = Some(spec);
            }
            Err(e) => planned.skip = Some(e),
        }
    }
    out.push(planned);
}
