//! `--format compact`: one line per finding, as compilers and editors read
//! them: `path:line:col: severity rule message`. Files that could not be
//! checked are lines too (`error check-failed`); nothing else is printed, so
//! the output can be counted, grepped and jumped through. Paths are as typed,
//! less a leading `./`.

use super::{portable_path, visible, Context};
use crate::check::Outcome;
use std::io::{self, Write};

pub fn write(outcome: &Outcome, _ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    for f in outcome.findings() {
        let mut message = visible(&f.message).into_owned();
        if let Some(place) = &f.logical_location {
            message.push_str(&format!(" [{}]", visible(place)));
        }
        writeln!(
            out,
            "{}:{}:{}: {} {} {message}",
            visible(&portable_path(&f.path)),
            f.line,
            f.column,
            f.severity.as_str(),
            visible(&f.rule),
        )?;
    }
    for e in outcome.errors() {
        writeln!(
            out,
            "{}:{}:{}: error check-failed {}",
            visible(&portable_path(&e.path)),
            e.line.unwrap_or(1),
            e.column.unwrap_or(1),
            visible(&e.message)
        )?;
    }
    Ok(())
}
