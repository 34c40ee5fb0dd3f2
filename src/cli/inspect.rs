//! `policy inspect`: the input rules see for each document, read and parsed
//! by the same pipeline as `check`.

use super::{fail, CliResult, EXIT_CLEAN};
use crate::check::{self, Input};
use crate::sources::discover;
use std::io::Write;
use std::path::PathBuf;

pub(super) fn inspect(paths: &[PathBuf], kind: Option<&str>) -> CliResult {
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
