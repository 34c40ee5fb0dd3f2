//! The command line as clap reads it. Nothing here decides anything: the
//! settings are made in [`super::settings`].

use crate::config::FailOn;
use crate::report;
use crate::rules::Severity;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "policy", version, args_override_self = true, about = "Policy and lint engine for Dockerfiles, compose files, Kubernetes manifests and built images", long_about = None)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Check files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// Check running containers and run probes (the runtime stage alone).
    /// Files given are declarations: only drift and declared probes are
    /// reported for them.
    Runtime(Box<CheckArgs>),
    /// Join the JSON reports of `check --shard I/N` runs (one per shard) into
    /// the report a single run writes.
    Merge(MergeArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Run the `test_*` rules of policy files (like `opa test`); no path: the built-in policies' tests.
    Test(TestArgs),
    /// Print the input rules see for each document of the given files (JSON).
    Inspect {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Treat explicitly named files as this kind.
        #[arg(long, value_parser = crate::kinds::kind_names())]
        kind: Option<String>,
    },
    /// Show the full documentation of a rule.
    Explain {
        /// Rule id or name, e.g. CP101 or run-as-root.
        rule: String,
        #[command(flatten)]
        policies: PolicyArgs,
    },
}

/// Where rules come from; shared by every command that loads them.
#[derive(Args, Clone, Default)]
pub(super) struct PolicyArgs {
    /// A policy file or a directory of `.rego` files (recursively). Repeatable.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    pub(super) policies: Vec<PathBuf>,
    /// A JSON or YAML file merged into `data`. Repeatable.
    #[arg(long = "data", short = 'd', value_name = "PATH")]
    pub(super) data: Vec<PathBuf>,
    /// Run only the policies given with --policy.
    #[arg(long)]
    pub(super) no_builtin: bool,
    /// Stop a policy evaluation of one document after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub(super) eval_timeout: f64,
    /// Stop a policy evaluation of one document holding more than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = crate::engine::DEFAULT_EVAL_MEMORY >> 20)]
    pub(super) eval_memory: usize,
    /// Read settings from this file instead of the nearest `.policy.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(super) config: Option<PathBuf>,
    /// Ignore any `.policy.yaml`.
    #[arg(long)]
    pub(super) no_config: bool,
}

#[derive(Args)]
pub(super) struct CheckArgs {
    /// Files or directories; `-` reads standard input (needs --kind).
    /// [default: . for `check`, none for `runtime`]
    pub(super) paths: Vec<PathBuf>,
    /// Output format: human, compact, json, sarif, github or junit. `FORMAT=FILE`
    /// writes that format to FILE; repeat for several (`--format sarif=out.sarif --format human`).
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_format_target)]
    pub(super) format: Vec<(String, Option<PathBuf>)>,
    /// Write the report to a file instead of standard output (for the format given without a file).
    #[arg(long, short)]
    pub(super) output: Option<PathBuf>,
    /// Report only findings not in this baseline (a previous `--format json`
    /// report or `--write-baseline` file), matched by fingerprint.
    #[arg(long, value_name = "FILE")]
    pub(super) baseline: Option<PathBuf>,
    /// Write every current finding to FILE as a baseline (JSON report).
    #[arg(long, value_name = "FILE")]
    pub(super) write_baseline: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity [default: error].
    #[arg(long, value_enum)]
    pub(super) fail_on: Option<FailOn>,
    /// Kind of standard input.
    #[arg(long, value_parser = crate::kinds::kind_names())]
    pub(super) kind: Option<String>,
    /// Start from this rule selection: minimal, default or strict
    /// (docs/profiles.md); --enable and --disable apply after it.
    #[arg(long, value_enum)]
    pub(super) profile: Option<crate::rules::Profile>,
    /// The path standard input stands for: findings, fingerprints and kind
    /// detection use it (as ruff's flag). With no paths, reads standard input.
    #[arg(long, value_name = "PATH")]
    pub(super) stdin_filename: Option<PathBuf>,
    /// After human output, count the findings of each rule.
    #[arg(long)]
    pub(super) statistics: bool,
    /// List on standard error every file checked, read by a source (a
    /// chart's values, a compose stack's files) or skipped, and why.
    #[arg(long, short = 'v')]
    pub(super) verbose: bool,
    /// Show progress on standard error (a terminal only) once the run has
    /// taken this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, hide = true)]
    pub(super) progress_after: f64,
    /// Enable rules by id, name or tag (also opt-in rules). Repeatable, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(super) enable: Vec<String>,
    /// Disable rules by id, name or tag. Repeatable, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(super) disable: Vec<String>,
    /// Check only shard I of N (1-based) of the targets, split by a hash of
    /// each target's path from the repository root, a chart, kustomization
    /// or compose project whole; join the shards' JSON reports with `policy
    /// merge`.
    #[arg(long, value_name = "I/N", value_parser = crate::check::shard::Shard::parse)]
    pub(super) shard: Option<crate::check::shard::Shard>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub(super) jobs: Option<usize>,
    /// Override a rule's severity: `RULE=error|warning|info` (by id, name or tag). Repeatable.
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity_override)]
    pub(super) severity: Vec<(String, Severity)>,
    #[command(flatten)]
    pub(super) policies: PolicyArgs,
    /// conftest-style rules (`deny`, `violation`, `warn`) are read from packages matching this glob (default `main`). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub(super) namespace: Vec<String>,
    /// Read conftest-style rules from every package.
    #[arg(long)]
    pub(super) all_namespaces: bool,
    /// Also evaluate cross-document rules over all checked files together
    /// (NetworkPolicy, autoscaler, disruption budget, quota, Service selectors).
    #[arg(long)]
    pub(super) combine: bool,
    /// Treat named files like files found in a directory: ignore those no
    /// kind recognizes (for hooks that pass every staged YAML file).
    #[arg(long)]
    pub(super) ignore_unknown_files: bool,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub(super) color: String,
    /// Of a multi-platform image, check only this platform (`linux/arm64`,
    /// `linux/arm/v7`); default: every platform.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub(super) platform: Option<String>,
    /// Most bytes of decompressed layers read per image input (`64G`,
    /// `500M`; default 32G); past it the input is an error.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub(super) max_image_bytes: Option<u64>,
    /// Compare images with the Dockerfile they were built from: report drift
    /// (final USER, healthcheck, exposed ports) as CP711.
    #[arg(long, value_name = "PATH")]
    pub(super) dockerfile: Option<PathBuf>,
    #[command(flatten)]
    pub(super) helm: HelmArgs,
    #[command(flatten)]
    pub(super) runtime: RuntimeArgs,
}

/// How the Helm charts named on the command line are rendered.
#[derive(Args, Clone, Default)]
#[command(next_help_heading = "Helm charts")]
pub(super) struct HelmArgs {
    /// A values file for the charts named on the command line, as `helm
    /// template -f`. Repeatable: later files win.
    #[arg(long = "values", value_name = "FILE")]
    pub(super) values: Vec<PathBuf>,
    /// A value for the charts named on the command line, as `helm template
    /// --set a.b=c`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(super) set: Vec<String>,
    /// The Kubernetes version charts named on the command line render for
    /// (`1.30`; default Helm's, v1.36.0).
    #[arg(long, value_name = "VERSION")]
    pub(super) kube_version: Option<String>,
}

/// The runtime stage: live containers and probes.
#[derive(Args, Clone, Default)]
#[command(next_help_heading = "Runtime")]
pub(super) struct RuntimeArgs {
    /// Also check running containers and run probes, after the files, in
    /// the same report (`policy runtime` does only this).
    #[arg(long)]
    pub(super) runtime: bool,
    /// Docker engine address [default: $DOCKER_HOST, else unix:///var/run/docker.sock].
    #[arg(long, value_name = "URL")]
    pub(super) docker_host: Option<String>,
    /// Check this container (name or id, in any state). Repeatable.
    #[arg(long = "container", value_name = "NAME|ID")]
    pub(super) containers: Vec<String>,
    /// Check running containers with this label (`KEY=VALUE` or `KEY`). Repeatable: all must match.
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub(super) labels: Vec<String>,
    /// Check the running containers of this compose project. Repeatable.
    #[arg(long = "compose-project", value_name = "NAME")]
    pub(super) compose_projects: Vec<String>,
    /// Do not contact the Docker engine (probes only).
    #[arg(long)]
    pub(super) no_engine: bool,
    /// Seconds each Docker Engine API call may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub(super) engine_timeout: f64,
    /// Probe a service: `http://HOST:PORT/PATH` or `tcp://HOST:PORT`, options
    /// after `#`: `status=200-299`, `timeout=2s`, `max-latency=300ms`,
    /// `retries=2`, `interval=1s`, `contains=TEXT`. Repeatable.
    #[arg(long = "probe", value_name = "URL")]
    pub(super) probes: Vec<String>,
    /// Also probe the httpGet/tcpSocket probes of the checked manifests and
    /// compose healthchecks that call a URL, on loopback addresses only.
    #[arg(long)]
    pub(super) probe_declared: bool,
    /// Default timeout of a probe attempt, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub(super) probe_timeout: f64,
    /// Run each running container's healthcheck command through the Engine
    /// API's exec (off by default: the only call that is not read-only).
    #[arg(long)]
    pub(super) exec_healthchecks: bool,
    /// Seconds the whole runtime stage may take (engine calls, healthchecks,
    /// probes); what has not finished by then is an error.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::runtime::DEFAULT_STAGE_TIMEOUT.as_secs_f64())]
    pub(super) runtime_timeout: f64,
}

impl RuntimeArgs {
    pub(super) fn options(&self) -> Result<crate::runtime::Options, miette::Report> {
        for (value, flag) in [
            (self.engine_timeout, "--engine-timeout"),
            (self.probe_timeout, "--probe-timeout"),
            (self.runtime_timeout, "--runtime-timeout"),
        ] {
            if value.is_nan() {
                return Err(super::fail(format!("{flag}: expected a number of seconds")));
            }
        }
        let seconds = |s: f64| std::time::Duration::from_secs_f64(s.clamp(0.001, 3600.0));
        let probe_timeout = seconds(self.probe_timeout);
        let probes = self
            .probes
            .iter()
            .map(|p| crate::runtime::probe::Spec::parse(p, probe_timeout))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| super::fail(format!("invalid --probe {e}")))?;
        Ok(crate::runtime::Options {
            engine: !self.no_engine,
            docker_host: crate::sources::docker::resolve_host(self.docker_host.as_deref()),
            selector: crate::sources::docker::Selector {
                containers: self.containers.clone(),
                labels: self.labels.clone(),
                compose_projects: self.compose_projects.clone(),
            },
            timeout: seconds(self.engine_timeout),
            probes,
            probe_declared: self.probe_declared,
            probe_timeout,
            exec_healthchecks: self.exec_healthchecks,
            stage_timeout: seconds(self.runtime_timeout),
        })
    }

    /// Flags of the runtime stage given to `check` without `--runtime`.
    pub(super) fn stray_flag(&self) -> Option<&'static str> {
        [
            (self.docker_host.is_some(), "--docker-host"),
            (!self.containers.is_empty(), "--container"),
            (!self.labels.is_empty(), "--label"),
            (!self.compose_projects.is_empty(), "--compose-project"),
            (self.no_engine, "--no-engine"),
            (!self.probes.is_empty(), "--probe"),
            (self.probe_declared, "--probe-declared"),
            (self.exec_healthchecks, "--exec-healthchecks"),
        ]
        .into_iter()
        .find_map(|(given, name)| given.then_some(name))
    }
}

#[derive(Args)]
pub(super) struct MergeArgs {
    /// The shards' JSON reports (`policy check --shard I/N --format json=FILE`),
    /// each shard of the run once, in any order.
    #[arg(required = true)]
    pub(super) reports: Vec<PathBuf>,
    /// Output format: json or sarif. `FORMAT=FILE` writes that format to
    /// FILE; repeat for both.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_merged_format)]
    pub(super) format: Vec<(String, Option<PathBuf>)>,
    /// Write the report to a file instead of standard output (for the format given without a file).
    #[arg(long, short)]
    pub(super) output: Option<PathBuf>,
}

/// Formats a merge writes: those a shard's JSON report holds all of.
pub(super) const MERGED_FORMATS: &[&str] = &["json", "sarif"];

fn parse_merged_format(text: &str) -> Result<(String, Option<PathBuf>), String> {
    let (name, file) = parse_format_target(text)?;
    match MERGED_FORMATS.contains(&name.as_str()) {
        true => Ok((name, file)),
        false => Err(format!(
            "`policy merge` writes {}; write `{name}` from a single run",
            MERGED_FORMATS.join(" or ")
        )),
    }
}

#[derive(Args)]
pub(super) struct RulesArgs {
    /// `table` or `json`.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub(super) format: String,
    /// List only the rules of this profile (docs/profiles.md).
    #[arg(long, value_enum)]
    pub(super) profile: Option<crate::rules::Profile>,
    #[command(flatten)]
    pub(super) policies: PolicyArgs,
}

#[derive(Args)]
pub(super) struct TestArgs {
    /// Policy files or directories holding `*_test.rego` files.
    pub(super) paths: Vec<PathBuf>,
    /// Only tests whose name (`data.pkg.test_x`) matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub(super) run: Option<String>,
    /// JSON or YAML files merged into `data`. Repeatable.
    #[arg(long = "data", short = 'd', value_name = "PATH")]
    pub(super) data: Vec<PathBuf>,
    /// Print every test, not only failures.
    #[arg(long, short)]
    pub(super) verbose: bool,
}

fn parse_format_target(text: &str) -> Result<(String, Option<PathBuf>), String> {
    let (name, file) = match text.split_once('=') {
        Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
        Some(_) => return Err("FILE is empty: write FORMAT=FILE, e.g. sarif=out.sarif".into()),
        None => (text, None),
    };
    match report::format(name) {
        Some(_) => Ok((name.to_string(), file)),
        None => Err(format!(
            "unknown format `{name}`; one of: {}",
            report::format_names().join(", ")
        )),
    }
}

/// `1024`, `500M`, `64G` (powers of 1024).
fn parse_bytes(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches(['K', 'M', 'G', 'T', 'I', 'B']);
    let shift = match &upper[digits.len()..] {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("`{text}` is not a size (`500M`, `64G`)")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a size (`500M`, `64G`)"))
}

fn parse_severity_override(text: &str) -> Result<(String, Severity), String> {
    let (rule, level) = text
        .split_once('=')
        .ok_or("expected RULE=LEVEL, e.g. CP201=error")?;
    let level = Severity::parse(level).ok_or("LEVEL is one of error, warning, info")?;
    Ok((rule.to_string(), level))
}
