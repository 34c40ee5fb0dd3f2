//! Flags and `.policy.yaml` made into one validated value, before anything
//! runs: every mistake in them is reported here, with nothing checked yet.

use super::args::CheckArgs;
use super::{fail, load_config, load_policies};
use crate::check::{self, baseline};
use crate::config::FailOn;
use crate::engine::{Evaluator, PolicyError, Selection, BUILTIN_POLICIES};
use crate::kinds::{self, KindSpec};
use crate::report::Context;
use crate::sources::discover::Globs;
use std::io::IsTerminal;
use std::path::PathBuf;

/// What `policy check` (or `policy runtime`) will do.
pub(super) struct Settings {
    /// Compose stacks the config file declares, judged merged.
    pub compose_stacks: Vec<crate::sources::compose::Stack>,
    /// Files and directories to walk; `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// The kind of standard input, and of every file named explicitly.
    pub kind: Option<&'static KindSpec>,
    /// `--stdin-filename`: the name standard input is shown and detected by.
    pub stdin_name: Option<String>,
    /// The kind of standard input: `--kind`, else by `--stdin-filename`.
    pub stdin_kind: Option<&'static KindSpec>,
    /// `--verbose`: what became of every file, on standard error.
    pub verbose: bool,
    /// Seconds before a progress line shows (on a terminal only).
    pub progress_after: Option<f64>,
    /// Named files no kind claims are ignored rather than reported.
    pub ignore_unknown_files: bool,
    /// The config file's include and exclude globs.
    pub globs: Option<Globs>,
    /// Worker threads (`-j`), already bounded.
    pub jobs: Option<usize>,
    pub evaluator: Evaluator,
    pub run: check::RunOptions,
    /// The runtime stage, when it runs.
    pub runtime: Option<crate::runtime::Options>,
    /// Files are declarations only (`policy runtime`).
    pub runtime_only: bool,
    /// Fingerprints of the baseline's findings.
    pub baseline: Option<Vec<String>>,
    pub write_baseline: Option<PathBuf>,
    /// Formats and where each goes (`None`: standard output).
    pub reports: Vec<(String, Option<PathBuf>)>,
    pub context: Context,
    /// What fingerprints and machine-read reports make paths relative to.
    pub root: crate::repo_path::RepoRoot,
    /// `--shard I/N`, with the digest of what shapes the report (shards of
    /// other settings are not merged).
    pub shard: Option<(check::shard::Shard, String)>,
}

impl Settings {
    pub fn new(mut args: CheckArgs, runtime_only: bool) -> Result<Settings, miette::Report> {
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
        if args.paths.is_empty() && args.stdin_filename.is_some() {
            args.paths.push(PathBuf::from(crate::sources::stdin::NAME));
        }
        if args.paths.is_empty() && !runtime_only {
            args.paths.push(PathBuf::from("."));
        }
        let config = load_config(&args.policies)?;
        let policies = load_policies(&args.policies, config.as_ref())?;
        let selection = Selection {
            profile: args.profile,
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

        let kind = args.kind.as_deref().and_then(kinds::kind);
        let stdin_name = args
            .stdin_filename
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned());
        let stdin_kind = kind.or_else(|| {
            args.stdin_filename
                .as_deref()
                .and_then(crate::sources::discover::claim_by_name)
        });
        let structured = stdin_name.as_deref().is_some_and(kinds::is_structured_data);
        if stdin_kind.is_none() && !structured && args.paths.iter().any(|p| p.as_os_str() == "-") {
            return Err(fail(
                "reading standard input needs --kind (dockerfile, compose, kubernetes or image), or --stdin-filename with a name that tells the kind",
            ));
        }
        let mut run = check::RunOptions {
            sources: crate::sources::Options {
                image: crate::image::Options {
                    platform: args.platform.clone(),
                    max_bytes: args
                        .max_image_bytes
                        .unwrap_or(crate::image::MAX_IMAGE_BYTES),
                },
                helm: helm_options(&args, config.as_ref())?,
            },
            // Probes and healthchecks are found in the documents the rules saw.
            keep_documents: runtime_options
                .as_ref()
                .is_some_and(|o| o.probe_declared || o.exec_healthchecks),
            ..Default::default()
        };
        if let Some(path) = &args.dockerfile {
            run = run.with_dockerfile(path).map_err(fail)?;
        }
        let baseline = match &args.baseline {
            Some(path) => Some(
                baseline::read(path)
                    .map_err(|e| fail(format!("cannot use baseline {}: {e}", path.display())))?,
            ),
            None => None,
        };

        let mut reports = args.format.clone();
        if reports.is_empty() {
            reports.push(("human".into(), None));
        }
        if reports.iter().filter(|(_, f)| f.is_none()).count() > 1 {
            return Err(fail(
                "several formats would share standard output; give all but one a file: --format sarif=out.sarif",
            ));
        }
        for (_, file) in &mut reports {
            if file.is_none() {
                file.clone_from(&args.output);
            }
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
        if args.statistics && !reports.iter().any(|(name, _)| name == "human") {
            return Err(fail(
                "--statistics adds to human output; use it with --format human",
            ));
        }
        let context = Context {
            statistics: args.statistics,
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
                .filter(|r| BUILTIN_POLICIES.iter().any(|(p, _)| *p == r.file))
                .map(|r| r.meta.id.clone())
                .collect(),
            shard: None,
        };
        if let (Some(_), true) = (args.shard, runtime) {
            return Err(fail(
                "--shard splits files, not the runtime stage: run the runtime stage in one job",
            ));
        }
        let shard = args.shard.map(|shard| {
            let paths: Vec<_> = args.paths.iter().map(|p| p.to_string_lossy()).collect();
            let shapes = serde_json::json!({
                "paths": paths,
                "fail_on": context.fail_on,
                "rules": context.rules,
                "builtin": context.builtin,
                "kind": kind.map(|k| k.name),
                "stdin": stdin_name,
                "ignore_unknown_files": args.ignore_unknown_files,
                "run": format!("{run:?}"),
                "baseline": baseline,
            });
            (shard, check::shard::settings_digest(&shapes))
        });
        let root = match std::env::current_dir() {
            Ok(cwd) => crate::repo_path::RepoRoot::find(&cwd, config.as_ref().map(|c| c.dir())),
            Err(_) => crate::repo_path::RepoRoot::default(),
        };
        Ok(Settings {
            root,
            paths: args.paths,
            kind,
            stdin_name,
            stdin_kind,
            verbose: args.verbose,
            progress_after: (!args.progress_after.is_nan()).then_some(args.progress_after.max(0.0)),
            ignore_unknown_files: args.ignore_unknown_files,
            compose_stacks: config
                .as_ref()
                .map(|c| c.compose_stacks())
                .unwrap_or_default(),
            globs: config.and_then(|c| c.globs),
            jobs: args.jobs.map(super::check::bounded_jobs),
            evaluator,
            run,
            runtime: runtime_options,
            runtime_only,
            baseline,
            write_baseline: args.write_baseline,
            reports,
            context,
            shard,
        })
    }
}

/// The Helm settings of `.policy.yaml` and of the command line (for the
/// charts named on it).
fn helm_options(
    args: &CheckArgs,
    config: Option<&crate::config::Config>,
) -> Result<crate::sources::helm::Options, miette::Report> {
    use crate::sources::helm::{self, ChartSettings, ValueSet};
    let flags = &args.helm;
    if let Some(version) = &flags.kube_version {
        helm::check_kube_version(version).map_err(|e| fail(format!("--kube-version: {e}")))?;
    }
    for assignment in &flags.set {
        helm::check_set(assignment).map_err(|e| fail(format!("--set {assignment}: {e}")))?;
    }
    for file in &flags.values {
        if !file.is_file() {
            return Err(fail(format!("--values {}: no such file", file.display())));
        }
    }
    let given = !flags.values.is_empty() || !flags.set.is_empty() || flags.kube_version.is_some();
    let command_line = given.then(|| ChartSettings {
        kube_version: flags.kube_version.clone(),
        value_sets: vec![ValueSet {
            name: None,
            files: flags
                .values
                .iter()
                .map(|p| (p.clone(), p.to_string_lossy().into_owned()))
                .collect(),
            set: flags.set.clone(),
        }],
        ..ChartSettings::default()
    });
    Ok(helm::Options {
        charts: config.map(|c| c.helm_charts()).unwrap_or_default(),
        command_line,
        named: args
            .paths
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect(),
    })
}
