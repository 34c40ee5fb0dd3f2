//! `policy merge`: the shards' JSON reports, written as one run's report.

use super::args::MergeArgs;
use super::check::{exit_for, write_report};
use super::{fail, CliResult};
use crate::check::merge;
use crate::report::{Context, Summary};

pub(super) fn run(args: MergeArgs) -> CliResult {
    let mut reports = Vec::new();
    for path in &args.reports {
        let name = path.display().to_string();
        let report = merge::read(path).map_err(|e| fail(format!("cannot merge {name}: {e}")))?;
        reports.push((name, report));
    }
    let merged = merge::merge(reports).map_err(|e| fail(format!("cannot merge: {e}")))?;
    let ctx = Context {
        fail_on: merged.fail_on,
        color: false,
        rules: merged.rules,
        builtin: merged.builtin,
        statistics: false,
        shard: None,
    };
    let mut formats = args.format;
    if formats.is_empty() {
        formats.push(("json".into(), None));
    }
    if formats.iter().filter(|(_, f)| f.is_none()).count() > 1 {
        return Err(fail(
            "several formats would share standard output; give all but one a file: --format sarif=out.sarif",
        ));
    }
    for (name, file) in &formats {
        let file = file.clone().or_else(|| args.output.clone());
        write_report(name, file.as_ref(), &merged.outcome, &ctx)?;
    }
    // The threshold the shards used, which their reports record.
    let summary = Summary::of(&merged.outcome, &ctx);
    Ok(exit_for(&summary, summary.failed))
}
