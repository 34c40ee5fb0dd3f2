//! `policy check` and `policy runtime`: run the settings, write the reports,
//! say how it went in the exit code.

use super::settings::Settings;
use super::{fail, CliResult, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use super::{progress, verbose};
use crate::check::{self, baseline, FileOutcome, Input};
use crate::finding::FileError;
use crate::report::{self, Context};
use crate::sources::{discover, stdin};
use std::io::Write;
use std::path::PathBuf;

/// Stack of each worker thread: room for one bounded evaluation
/// ([`crate::engine::MAX_EVAL_STACK`]) and the frames above it.
const WORKER_STACK: usize = 4 * crate::engine::MAX_EVAL_STACK;

/// Address space a worker thread takes: its stack, and the allocator's
/// per-thread reservations (measured: 96 to 320 MiB limits, `-j 8`).
const ADDRESS_SPACE_PER_THREAD: u64 = WORKER_STACK as u64 + (24 << 20);

/// Address space left for the run itself beside the workers.
const ADDRESS_SPACE_RESERVE: u64 = 96 << 20;

/// How many of `wanted` worker threads fit under the process's address-space
/// limit (`ulimit -v`; read from /proc, so Linux only: elsewhere all); 0
/// when fewer than two do. Starting threads past the limit fails some of
/// them half-way, inside the standard library (its signal stack), with a
/// panic message, after the pool has already been given up.
fn threads_that_fit(wanted: usize) -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let limit = (limits.lines())
        .find(|l| l.starts_with("Max address space"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse::<u64>().ok());
    let used = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(|pages| pages * 4096);
    let (Some(limit), Some(used)) = (limit, used) else {
        return wanted;
    };
    let free = limit
        .saturating_sub(used)
        .saturating_sub(ADDRESS_SPACE_RESERVE);
    let fit = (free / ADDRESS_SPACE_PER_THREAD) as usize;
    if fit < 2 {
        0
    } else {
        fit.min(wanted)
    }
}

pub(super) fn run(settings: Settings) -> CliResult {
    // Workers get a stack of known size: an evaluation may use up to
    // `MAX_EVAL_STACK` of it (whatever RUST_MIN_STACK says). Where the
    // threads asked for cannot be started (a low address-space or process
    // limit), this thread checks everything alone.
    let wanted = (settings.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let fit = threads_that_fit(wanted);
    let pool = match fit {
        0 => Err(format!(
            "{wanted} would not fit under the address-space limit"
        )),
        n => rayon::ThreadPoolBuilder::new()
            .num_threads(n.min(wanted))
            .stack_size(WORKER_STACK)
            .build()
            .map_err(|e| e.to_string()),
    };
    let pool = pool
        .or_else(|e| {
            let _ = writeln!(
                std::io::stderr(),
                "note: cannot start the worker threads ({e}); checking on one thread"
            );
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .use_current_thread()
                .build()
        })
        .map_err(|e| {
            fail(format_args!(
                "cannot start a worker thread ({e}); raise the process's address-space or thread limit"
            ))
        })?;
    pool.install(|| {
        let code = run_in_pool(&settings);
        // The process exits next: freeing the prepared engines and the
        // outcome would cost a tenth of a one-file run.
        std::mem::forget(settings);
        code
    })
}

fn run_in_pool(settings: &Settings) -> CliResult {
    let evaluator = &settings.evaluator;
    let shard = settings.shard.as_ref().map(|(shard, _)| *shard);
    let first = shard.is_none_or(|s| s.is_first());
    let whole_run = shard.and_then(|_| check::shard::whole_run_rules(evaluator));

    let (paths, stdin): (Vec<PathBuf>, Vec<PathBuf>) = settings
        .paths
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() != stdin::NAME);
    let mut inputs: Vec<Input> = stdin
        .into_iter()
        .filter(|_| first)
        .map(|p| {
            Input::File(discover::Target {
                display: settings
                    .stdin_name
                    .clone()
                    .unwrap_or_else(|| p.to_string_lossy().into_owned()),
                path: p,
                explicit: true,
                kind: settings.stdin_kind,
                skip: None,
            })
        })
        .collect();
    let (mut targets, mut walk_errors) = discover::discover_with(&paths, settings.globs.as_ref());
    let mut listing = settings.verbose.then(verbose::Listing::default);
    targets.retain(|t| {
        let stacked = settings.compose_stacks.iter().any(|s| s.reads(&t.path));
        if let (true, Some(listing)) = (stacked, &mut listing) {
            listing.consumed(&t.display, "a compose stack of the config file");
        }
        !stacked
    });
    let mut foreign = Vec::new();
    if let Some(shard) = shard {
        let (own, others) = targets
            .into_iter()
            .partition(|t| shard.holds(&settings.root.relative(&t.display)));
        targets = own;
        // Whole-run rules need every document: the first shard reads them all.
        if first && whole_run.is_some() {
            foreign = others;
        }
        walk_errors.retain(|_| first);
    }
    if let Some(listing) = &mut listing {
        listing.found(targets.iter().map(|t| t.display.clone()));
    }
    let explicit_kind = |mut t: discover::Target| {
        if t.explicit && settings.kind.is_some() {
            t.kind = settings.kind;
        }
        t.explicit &= !settings.ignore_unknown_files;
        Input::File(t)
    };
    inputs.extend(targets.into_iter().map(explicit_kind));
    inputs.extend(
        foreign
            .into_iter()
            .map(|t| Input::Foreign(Box::new(explicit_kind(t)))),
    );
    for stack in settings.compose_stacks.iter().filter(|_| first) {
        let loaded = crate::sources::compose::read_stack(stack);
        inputs.extend(loaded.into_iter().map(Input::Loaded));
    }
    let mut live = crate::runtime::Live::default();
    if let Some(options) = &settings.runtime {
        live = crate::runtime::live_containers(options);
        inputs.append(&mut live.inputs);
    }
    let mut run = settings.run.clone();
    let progress = settings
        .progress_after
        .and_then(|after| progress::Progress::start(inputs.len(), after));
    run.done = progress.as_ref().map(|p| p.counter());
    let mut outcome = check::evaluate(evaluator, inputs, &run);
    drop(progress);
    outcome.files.extend(live.errors);
    if let Some(options) = &settings.runtime {
        crate::runtime::run_probes(evaluator, options, live.execs, live.spent, &mut outcome);
    }
    outcome.root = settings.root.clone();
    let mut evaluated = outcome.files.len();
    check::finish(evaluator, &mut outcome);
    if settings.runtime_only {
        // Files are declarations here: only what relates them to what runs.
        for file in outcome.files.iter_mut().filter(|f| !f.origin.is_live()) {
            file.findings
                .retain(|f| f.tags.iter().any(|t| t == "drift" || t == "probe"));
        }
    }
    if shard.is_some() {
        let policy_errors = outcome.files.split_off(evaluated);
        check::shard::keep_own(&mut outcome.files, whole_run.as_ref(), first);
        evaluated = outcome.files.len();
        // With whole-run rules, the first shard evaluated every file.
        if first || whole_run.is_none() {
            outcome.files.extend(policy_errors);
        }
    }
    let policy_end = outcome.files.len();
    for e in walk_errors {
        outcome.files.push(FileOutcome {
            error: Some(FileError::whole(e.path, e.message)),
            ..Default::default()
        });
    }
    if let Some(listing) = &listing {
        listing.write(&outcome);
    }
    if let Some(fingerprints) = &settings.baseline {
        outcome.baselined = baseline::filter(&mut outcome, fingerprints);
    }

    let mut ctx = settings.context.clone();
    if let Some((shard, digest)) = &settings.shard {
        ctx.shard = Some(std::sync::Arc::new(check::shard::ShardReport {
            index: shard.index,
            count: shard.count,
            settings: digest.clone(),
            units: check::shard::units(&outcome, evaluated, policy_end),
            rules: ctx.rules.clone(),
            builtin: ctx.builtin.clone(),
        }));
    }
    let ctx = &ctx;
    write_reports(settings, &mut outcome, ctx)?;
    let code = exit_code(&report::Summary::of(&outcome, ctx), settings);
    // Not freed, as the settings are not: the process exits next.
    std::mem::forget(outcome);
    Ok(code)
}

/// Paths as typed first (human, compact), then relative to the repository
/// root for the formats machines match paths with.
fn write_reports(
    settings: &Settings,
    outcome: &mut check::Outcome,
    ctx: &Context,
) -> Result<(), miette::Report> {
    let (typed, relative): (Vec<_>, Vec<_>) = settings
        .reports
        .iter()
        .partition(|(name, _)| !report::root_relative(name));
    for (name, file) in typed {
        // Colour only where a terminal shows it.
        let mut ctx = ctx.clone();
        ctx.color &= file.is_none();
        write_report(name, file.as_ref(), outcome, &ctx)?;
    }
    outcome.relativize();
    if let Some(path) = &settings.write_baseline {
        write_report("json", Some(path), outcome, ctx)?;
    }
    for (name, file) in relative {
        write_report(name, file.as_ref(), outcome, ctx)?;
    }
    Ok(())
}

fn exit_code(summary: &report::Summary, settings: &Settings) -> i32 {
    // The findings just written are the baseline: adopting one is a clean run.
    let failed = summary.failed && settings.write_baseline.is_none();
    exit_for(summary, failed)
}

/// 2 when a file could not be checked, else 1 when findings reach the
/// threshold, else 0.
pub(super) fn exit_for(summary: &report::Summary, failed: bool) -> i32 {
    if summary.errors > 0 {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Worker threads per core `-j` may ask for. The work is CPU-bound, so more
/// threads only wait for a core, and each holds its own copy of the prepared
/// rules (`-j 10000` took 1.7 GB).
pub const MAX_JOBS_PER_CORE: usize = 4;

/// `-j N`, at least 1 and at most [`MAX_JOBS_PER_CORE`] per core (with a note).
pub(super) fn bounded_jobs(jobs: usize) -> usize {
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
pub(super) fn write_report(
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
