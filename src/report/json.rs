//! `--format json`: the machine-readable report (schema: `schemas/report.schema.json`).

use super::{Context, Summary};
use crate::check::Outcome;
use serde_json::json;
use std::io::{self, Write};

pub const VERSION: u32 = 1;

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let report = json!({
        "version": VERSION,
        "tool": {"name": "policy", "version": env!("CARGO_PKG_VERSION")},
        "findings": outcome.findings().collect::<Vec<_>>(),
        "errors": outcome.errors().collect::<Vec<_>>(),
        "skipped": outcome.skipped().collect::<Vec<_>>(),
        "summary": Summary::of(outcome, ctx),
    });
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
