//! `--format json`: the machine-readable report (schema: `schemas/report.schema.json`).

use super::{Context, Summary};
use crate::check::Outcome;
use crate::finding::{FileError, Finding, Skipped};
use serde::Serialize;
use std::io::{self, Write};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<&'a Finding>,
    errors: Vec<&'a FileError>,
    skipped: Vec<&'a Skipped>,
    /// Probes of the runtime stage, passed, failed or skipped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    probes: Vec<&'a crate::finding::ProbeResult>,
    summary: Summary,
    /// Which shard of how many, and its units (`--shard` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<&'a crate::check::shard::ShardReport>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        version: VERSION,
        tool: Tool {
            name: "policy",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: outcome.all_findings().collect(),
        errors: outcome.errors().collect(),
        skipped: outcome.skipped().collect(),
        probes: outcome.probes.iter().collect(),
        summary: Summary::of(outcome, ctx),
        shard: ctx.shard.as_deref(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
