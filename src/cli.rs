//! Command line: flags → settings → run. The only module that sees everything.

use crate::check::{self, Input};
use crate::config::{Config, FailOn};
use crate::engine::{LoadOptions, PolicyError, PolicySet, Selection};
use crate::report::{self, Context};
use crate::rules::Severity;
use crate::sources::discover;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Stack of each worker thread: room for one bounded evaluation
/// ([`crate::engine::MAX_EVAL_STACK`]) and the frames above it.
const WORKER_STACK: usize = 4 * crate::engine::MAX_EVAL_STACK;

/// Exit codes, as ripgrep and friends use them.
pub use crate::exit::CLEAN as EXIT_CLEAN;
pub use crate::exit::ERROR as EXIT_ERROR;
pub use crate::exit::FINDINGS as EXIT_FINDINGS;

#[derive(Parser)]
#[command(name = "policy", version, args_override_self = true, about = "Policy and lint engine for Dockerfiles, compose files, Kubernetes manifests and built images", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// Check running containers and run probes (the runtime stage alone).
    /// Files given are declarations: only drift and declared probes are
    /// reported for them.
    Runtime(Box<CheckArgs>),
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
struct PolicyArgs {
    /// A policy file or a directory of `.rego` files (recursively). Repeatable.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    policies: Vec<PathBuf>,
    /// A JSON or YAML file merged into `data`. Repeatable.
    #[arg(long = "data", short = 'd', value_name = "PATH")]
    data: Vec<PathBuf>,
    /// Run only the policies given with --policy.
    #[arg(long)]
    no_builtin: bool,
    /// Stop a policy evaluation of one document after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    eval_timeout: f64,
    /// Stop a policy evaluation of one document holding more than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = crate::engine::DEFAULT_EVAL_MEMORY >> 20)]
    eval_memory: usize,
    /// Read settings from this file instead of the nearest `.policy.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any `.policy.yaml`.
    #[arg(long)]
    no_config: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or directories; `-` reads standard input (needs --kind).
    /// [default: . for `check`, none for `runtime`]
    paths: Vec<PathBuf>,
    /// Output format: human, json, sarif, github or junit. `FORMAT=FILE`
    /// writes that format to FILE; repeat for several (`--format sarif=out.sarif --format human`).
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_format_target)]
    format: Vec<(String, Option<PathBuf>)>,
    /// Write the report to a file instead of standard output (for the format given without a file).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Report only findings not in this baseline (a previous `--format json`
    /// report or `--write-baseline` file), matched by fingerprint.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current finding to FILE as a baseline (JSON report).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity [default: error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Kind of standard input.
    #[arg(long, value_parser = crate::kinds::kind_names())]
    kind: Option<String>,
    /// Enable rules by id, name or tag (also opt-in rules). Repeatable, comma-separated.
    #[arg(long, value_delimiter = ',')]
    enable: Vec<String>,
    /// Disable rules by id, name or tag. Repeatable, comma-separated.
    #[arg(long, value_delimiter = ',')]
    disable: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Override a rule's severity: `RULE=error|warning|info` (by id, name or tag). Repeatable.
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity_override)]
    severity: Vec<(String, Severity)>,
    #[command(flatten)]
    policies: PolicyArgs,
    /// conftest-style rules (`deny`, `violation`, `warn`) are read from packages matching this glob (default `main`). Repeatable.
    #[arg(long, value_name = "GLOB")]
    namespace: Vec<String>,
    /// Read conftest-style rules from every package.
    #[arg(long)]
    all_namespaces: bool,
    /// Also evaluate cross-document rules over all checked files together
    /// (NetworkPolicy, autoscaler, disruption budget, quota, Service selectors).
    #[arg(long)]
    combine: bool,
    /// Treat named files like files found in a directory: ignore those no
    /// kind recognizes (for hooks that pass every staged YAML file).
    #[arg(long)]
    ignore_unknown_files: bool,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
    /// Of a multi-platform image, check only this platform (`linux/arm64`,
    /// `linux/arm/v7`); default: every platform.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    platform: Option<String>,
    /// Most bytes of decompressed layers read per image input (`64G`,
    /// `500M`; default 32G); past it the input is an error.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    max_image_bytes: Option<u64>,
    /// Compare images with the Dockerfile they were built from: report drift
    /// (final USER, healthcheck, exposed ports) as CP711.
    #[arg(long, value_name = "PATH")]
    dockerfile: Option<PathBuf>,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

/// The runtime stage: live containers and probes.
#[derive(Args, Clone, Default)]
#[command(next_help_heading = "Runtime")]
struct RuntimeArgs {
    /// Also check running containers and run probes, after the files, in
    /// the same report (`policy runtime` does only this).
    #[arg(long)]
    runtime: bool,
    /// Docker engine address [default: $DOCKER_HOST, else unix:///var/run/docker.sock].
    #[arg(long, value_name = "URL")]
    docker_host: Option<String>,
    /// Check this container (name or id, in any state). Repeatable.
    #[arg(long = "container", value_name = "NAME|ID")]
    containers: Vec<String>,
    /// Check running containers with this label (`KEY=VALUE` or `KEY`). Repeatable: all must match.
    #[arg(long = "label", value_name = "KEY=VALUE")]
    labels: Vec<String>,
    /// Check the running containers of this compose project. Repeatable.
    #[arg(long = "compose-project", value_name = "NAME")]
    compose_projects: Vec<String>,
    /// Do not contact the Docker engine (probes only).
    #[arg(long)]
    no_engine: bool,
    /// Seconds each Docker Engine API call may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    engine_timeout: f64,
    /// Probe a service: `http://HOST:PORT/PATH` or `tcp://HOST:PORT`, options
    /// after `#`: `status=200-299`, `timeout=2s`, `max-latency=300ms`,
    /// `retries=2`, `interval=1s`, `contains=TEXT`. Repeatable.
    #[arg(long = "probe", value_name = "URL")]
    probes: Vec<String>,
    /// Also probe the httpGet/tcpSocket probes of the checked manifests and
    /// compose healthchecks that call a URL, on loopback addresses only.
    #[arg(long)]
    probe_declared: bool,
    /// Default timeout of a probe attempt, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    probe_timeout: f64,
    /// Run each running container's healthcheck command through the Engine
    /// API's exec (off by default: the only call that is not read-only).
    #[arg(long)]
    exec_healthchecks: bool,
    /// Seconds the whole runtime stage may take (engine calls, healthchecks,
    /// probes); what has not finished by then is an error.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::runtime::DEFAULT_STAGE_TIMEOUT.as_secs_f64())]
    runtime_timeout: f64,
}

impl RuntimeArgs {
    fn options(&self) -> Result<crate::runtime::Options, miette::Report> {
        for (value, flag) in [
            (self.engine_timeout, "--engine-timeout"),
            (self.probe_timeout, "--probe-timeout"),
            (self.runtime_timeout, "--runtime-timeout"),
        ] {
            if value.is_nan() {
                return Err(fail(format!("{flag}: expected a number of seconds")));
            }
        }
        let seconds = |s: f64| std::time::Duration::from_secs_f64(s.clamp(0.001, 3600.0));
        let probe_timeout = seconds(self.probe_timeout);
        let probes = self
            .probes
            .iter()
            .map(|p| crate::runtime::probe::Spec::parse(p, probe_timeout))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(format!("invalid --probe {e}")))?;
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
    fn stray_flag(&self) -> Option<&'static str> {
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
struct RulesArgs {
    /// `table` or `json`.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    format: String,
    #[command(flatten)]
    policies: PolicyArgs,
}

#[derive(Args)]
struct TestArgs {
    /// Policy files or directories holding `*_test.rego` files.
    paths: Vec<PathBuf>,
    /// Only tests whose name (`data.pkg.test_x`) matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    run: Option<String>,
    /// JSON or YAML files merged into `data`. Repeatable.
    #[arg(long = "data", short = 'd', value_name = "PATH")]
    data: Vec<PathBuf>,
    /// Print every test, not only failures.
    #[arg(long, short)]
    verbose: bool,
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

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(*args, false),
        Command::Runtime(args) => check(*args, true),
        Command::Rules(args) => rules(args),
        Command::Test(args) => crate::testing::run(&crate::testing::Options {
            paths: args.paths,
            run: args.run,
            data: args.data,
            verbose: args.verbose,
        }),
        Command::Explain { rule, policies } => explain(&rule, &policies),
        Command::Inspect { paths, kind } => inspect(&paths, kind.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            let theme = if std::io::stderr().is_terminal() {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            let mut text = String::new();
            if miette::GraphicalReportHandler::new_themed(theme)
                .render_report(&mut text, report.as_ref())
                .is_err()
            {
                text = format!("error: {report}\n");
            }
            if !std::io::stderr().is_terminal() {
                // A log: what came from input (a config's or policy's text)
                // must not carry terminal escapes.
                text = report::visible_lines(&text).into_owned();
            }
            // Not `eprint!`: it panics when standard error is a closed pipe.
            let _ = std::io::stderr().write_all(text.as_bytes());
            EXIT_ERROR
        }
    }
}

type CliResult = Result<i32, miette::Report>;

fn fail(message: impl std::fmt::Display) -> miette::Report {
    miette::miette!("{message}")
}

/// `--config FILE`, else the nearest `.policy.yaml`, unless `--no-config`.
fn load_config(args: &PolicyArgs) -> Result<Option<Config>, miette::Report> {
    match (&args.config, args.no_config) {
        (_, true) => Ok(None),
        (Some(path), _) => Config::load(path).map(Some),
        (None, _) => Config::discover(),
    }
}

fn load_policies(args: &PolicyArgs, config: Option<&Config>) -> Result<PolicySet, miette::Report> {
    let mut options = LoadOptions {
        builtin: !args.no_builtin,
        policies: args.policies.clone(),
        data: args.data.clone(),
        eval_timeout: std::time::Duration::from_secs_f64(args.eval_timeout.max(0.001)),
        eval_memory: args.eval_memory.saturating_mul(1 << 20),
        ..Default::default()
    };
    if let Some(config) = config {
        config.apply_to(&mut options);
    }
    PolicySet::load(&options).map_err(PolicyError::into_report)
}

/// `policy check`, or with `runtime_only` `policy runtime`.
fn check(mut args: CheckArgs, runtime_only: bool) -> CliResult {
    let runtime = runtime_only || args.runtime.runtime;
    if !runtime {
        if let Some(flag) = args.runtime.stray_flag() {
            return Err(fail(format!(
                "{flag} belongs to the runtime stage: add --runtime, or use `policy runtime`"
            )));
        }
    }
    let runtime_options = match runtime {
        true => Some(args.runtime.options()?),
        false => None,
    };
    if args.paths.is_empty() && !runtime_only {
        args.paths.push(PathBuf::from("."));
    }
    // Workers get a stack of known size: an evaluation may use up to
    // `MAX_EVAL_STACK` of it (whatever RUST_MIN_STACK says).
    rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, bounded_jobs))
        .stack_size(WORKER_STACK)
        .build_global()
        .map_err(fail)?;
    let config = load_config(&args.policies)?;
    let policies = load_policies(&args.policies, config.as_ref())?;
    let selection = Selection {
        enable: args.enable.clone(),
        disable: args.disable.clone(),
        severity: args.severity.clone(),
        namespaces: crate::engine::conftest::Namespaces {
            patterns: args.namespace.clone(),
            all: args.all_namespaces,
        },
        combine: args.combine,
        runtime,
    };
    let overridden = selection.severity.iter().map(|(s, _)| s);
    for selector in selection
        .enable
        .iter()
        .chain(&selection.disable)
        .chain(overridden)
    {
        if !policies.rules.iter().any(|r| r.matches(selector)) {
            return Err(fail(format!(
                "no rule, rule name or tag is called `{selector}`; `policy rules` lists them"
            )));
        }
    }
    // The command line over the config file; then the default namespace.
    let mut selection = match &config {
        Some(config) => {
            config.check_selectors(&policies.rules)?;
            config.layer_under(&policies.rules, selection)
        }
        None => selection,
    };
    if selection.namespaces.patterns.is_empty() {
        selection.namespaces.patterns = vec!["main".into()];
    }
    let evaluator = policies
        .evaluator(&selection)
        .map_err(PolicyError::into_report)?;

    let mut inputs = Vec::new();
    let mut paths = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == crate::sources::stdin::NAME {
            let kind = args.kind.as_deref().and_then(crate::kinds::kind).ok_or_else(|| {
                fail("reading standard input needs --kind (dockerfile, compose, kubernetes or image)")
            })?;
            inputs.push(Input::File(discover::Target {
                path: p.clone(),
                display: p.to_string_lossy().into_owned(),
                explicit: true,
                kind: Some(kind),
                skip: None,
            }));
        } else {
            paths.push(p.clone());
        }
    }
    let globs = config.as_ref().and_then(|c| c.globs.as_ref());
    let (targets, walk_errors) = discover::discover_with(&paths, globs);
    let forced = args.kind.as_deref().and_then(crate::kinds::kind);
    inputs.extend(targets.into_iter().map(|mut t| {
        if t.explicit && forced.is_some() {
            t.kind = forced;
        }
        t.explicit &= !args.ignore_unknown_files;
        Input::File(t)
    }));
    let mut options = check::RunOptions {
        sources: crate::sources::Options {
            image: crate::image::Options {
                platform: args.platform.clone(),
                max_bytes: args
                    .max_image_bytes
                    .unwrap_or(crate::image::MAX_IMAGE_BYTES),
            },
        },
        // Probes and healthchecks are found in the documents the rules saw.
        keep_documents: runtime_options
            .as_ref()
            .is_some_and(|o| o.probe_declared || o.exec_healthchecks),
        ..Default::default()
    };
    if let Some(path) = &args.dockerfile {
        options = options.with_dockerfile(path).map_err(fail)?;
    }
    let mut live = crate::runtime::Live::default();
    if let Some(options) = &runtime_options {
        live = crate::runtime::live_containers(options);
        inputs.append(&mut live.inputs);
    }
    let mut outcome = check::evaluate(&evaluator, inputs, &options);
    outcome.files.extend(live.errors);
    if let Some(options) = &runtime_options {
        crate::runtime::run_probes(&evaluator, options, live.execs, live.spent, &mut outcome);
    }
    check::finish(&evaluator, &mut outcome);
    if runtime_only {
        // Files are declarations here: only what relates them to what runs.
        for file in outcome.files.iter_mut().filter(|f| !f.origin.is_live()) {
            file.findings
                .retain(|f| f.tags.iter().any(|t| t == "drift" || t == "probe"));
        }
    }
    for e in walk_errors {
        outcome.files.push(check::FileOutcome {
            error: Some(crate::finding::FileError::whole(e.path, e.message)),
            ..Default::default()
        });
    }

    if let Some(path) = &args.baseline {
        let baseline = crate::check::baseline::read(path)
            .map_err(|e| fail(format!("cannot use baseline {}: {e}", path.display())))?;
        outcome.baselined = crate::check::baseline::filter(&mut outcome, &baseline);
    }

    let mut targets = args.format.clone();
    if targets.is_empty() {
        targets.push(("human".into(), None));
    }
    let to_stdout: Vec<_> = targets.iter().filter(|(_, f)| f.is_none()).collect();
    if to_stdout.len() > 1 {
        return Err(fail(
            "several formats would share standard output; give all but one a file: --format sarif=out.sarif",
        ));
    }
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let ctx = Context {
        fail_on: args
            .fail_on
            .or(config.as_ref().and_then(|c| c.file.fail_on))
            .unwrap_or(FailOn::Error)
            .threshold(),
        color,
        rules: evaluator
            .rules
            .iter()
            .map(|r| r.meta.clone())
            .chain(evaluator.conftest.iter().flat_map(|c| c.rule_metas()))
            .collect(),
        builtin: evaluator
            .rules
            .iter()
            .filter(|r| {
                crate::engine::BUILTIN_POLICIES
                    .iter()
                    .any(|(p, _)| *p == r.file)
            })
            .map(|r| r.meta.id.clone())
            .collect(),
    };
    if let Some(path) = &args.write_baseline {
        write_report("json", Some(path), &outcome, &ctx)?;
    }
    for (name, file) in &targets {
        let file = file.as_ref().or(args.output.as_ref());
        // Colour only where a terminal shows it.
        let mut ctx = ctx.clone();
        ctx.color &= file.is_none();
        write_report(name, file, &outcome, &ctx)?;
    }
    let summary = report::Summary::of(&outcome, &ctx);
    // The findings just written are the baseline: adopting one is a clean run.
    let failed = summary.failed && args.write_baseline.is_none();
    Ok(if summary.errors > 0 {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Worker threads per core `-j` may ask for. The work is CPU-bound, so more
/// threads only wait for a core, and each holds its own copy of the prepared
/// rules (`-j 10000` took 1.7 GB).
pub const MAX_JOBS_PER_CORE: usize = 4;

/// `-j N`, at least 1 and at most [`MAX_JOBS_PER_CORE`] per core (with a note).
fn bounded_jobs(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = cores * MAX_JOBS_PER_CORE;
    if jobs > max {
        let _ = writeln!(
            std::io::stderr(),
            "note: -j {jobs} is more than {MAX_JOBS_PER_CORE} worker threads per core; using {max}"
        );
    }
    jobs.clamp(1, max)
}

/// Writes one format to a file, or to standard output.
fn write_report(
    name: &str,
    file: Option<&PathBuf>,
    outcome: &check::Outcome,
    ctx: &Context,
) -> Result<(), miette::Report> {
    let writer = report::format(name).expect("format names are validated");
    match file {
        Some(path) => {
            let mut buf = Vec::new();
            writer(outcome, ctx, &mut buf)
                .and_then(|_| std::fs::write(path, &buf))
                .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match writer(outcome, ctx, &mut lock).and_then(|_| lock.flush()) {
                // A closed pipe (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(fail),
            }
        }
    }
}

fn rules(args: RulesArgs) -> CliResult {
    let config = load_config(&args.policies)?;
    let policies = load_policies(&args.policies, config.as_ref())?;
    let mut out = std::io::stdout().lock();
    let result = if args.format == "json" {
        let list: Vec<_> = policies.rules.iter().map(|r| &r.meta).collect();
        serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        policies.rules.iter().try_for_each(|r| {
            let m = &r.meta;
            writeln!(
                out,
                "{:<6} {:<32} {:<8} {:<34} {}{}",
                m.id,
                m.name,
                m.severity.as_str(),
                m.kinds.join(","),
                m.tags.join(","),
                if m.default_enabled { "" } else { " (opt-in)" }
            )
        })
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}

fn inspect(paths: &[PathBuf], kind: Option<&str>) -> CliResult {
    let (targets, walk_errors) = discover::discover(paths);
    if let Some(e) = walk_errors.first() {
        return Err(fail(format!("{}: {}", e.path, e.message)));
    }
    let forced = kind.and_then(crate::kinds::kind);
    let mut inputs = Vec::new();
    for mut target in targets {
        target.kind = forced.or(target.kind);
        for read in check::rule_inputs(Input::File(target), &check::RunOptions::default()) {
            match read {
                Ok(documents) => {
                    for input in documents {
                        let mut input = serde_json::to_value(&input).map_err(fail)?;
                        crate::secrets::redact_json(&mut input);
                        inputs.push(input);
                    }
                }
                Err(outcome) => {
                    if let Some(s) = outcome.skipped {
                        eprintln!("skipped: {}: {}", s.path, s.reason);
                    }
                    if let Some(e) = outcome.error {
                        let at = match (e.line, e.column) {
                            (Some(line), Some(column)) => format!(":{line}:{column}"),
                            _ => String::new(),
                        };
                        let message = crate::secrets::redact_text(&e.message);
                        return Err(fail(format!("{}{at}: {message}", e.path)));
                    }
                }
            }
        }
    }
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut out, &inputs)
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(out))
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}

fn explain(selector: &str, policy_args: &PolicyArgs) -> CliResult {
    let config = load_config(policy_args)?;
    let policies = load_policies(policy_args, config.as_ref())?;
    let rule = policies
        .rules
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(selector) || r.meta.name == selector)
        .ok_or_else(|| {
            fail(format!(
                "no rule is called `{selector}`; `policy rules` lists them"
            ))
        })?;
    // Not `print!`: it panics when standard output is a closed pipe (`| head`).
    let markdown = crate::docs::rule_markdown(&rule.meta);
    match std::io::stdout().write_all(markdown.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}
