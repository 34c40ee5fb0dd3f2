//! Command line: flags → settings → run. The only module that sees everything.

mod args;
mod check;
mod inspect;
mod merge;
mod progress;
mod rules;
mod settings;
mod verbose;

use crate::config::Config;
use crate::engine::{LoadOptions, PolicyError, PolicySet};
use crate::report;
use args::{Cli, Command, PolicyArgs};
use clap::Parser;
use std::io::{IsTerminal, Write};

pub use check::MAX_JOBS_PER_CORE;

/// Exit codes, as ripgrep and friends use them.
pub use crate::exit::CLEAN as EXIT_CLEAN;
pub use crate::exit::ERROR as EXIT_ERROR;
pub use crate::exit::FINDINGS as EXIT_FINDINGS;

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
        Command::Check(args) => settings::Settings::new(*args, false).and_then(check::run),
        Command::Runtime(args) => settings::Settings::new(*args, true).and_then(check::run),
        Command::Merge(args) => merge::run(args),
        Command::Rules(args) => rules::rules(args),
        Command::Test(args) => crate::testing::run(&crate::testing::Options {
            paths: args.paths,
            run: args.run,
            data: args.data,
            verbose: args.verbose,
        }),
        Command::Explain { rule, policies } => rules::explain(&rule, &policies),
        Command::Inspect { paths, kind } => inspect::inspect(&paths, kind.as_deref()),
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
