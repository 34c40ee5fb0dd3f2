//! `--verbose`: what became of every file, on standard error: checked (and
//! as which kind), read by a source for another unit, skipped or failed and
//! why, or found by the walk and claimed by no kind.

use crate::check::Outcome;
use crate::report::visible;
use std::io::Write;

#[derive(Default)]
pub(super) struct Listing {
    /// What the walk and the command line gave, as displayed.
    found: Vec<String>,
    /// Files a source reads for a unit of its own, with what reads them.
    consumed: Vec<(String, String)>,
}

impl Listing {
    pub(super) fn found(&mut self, displays: impl Iterator<Item = String>) {
        self.found.extend(displays);
    }

    pub(super) fn consumed(&mut self, display: &str, by: &str) {
        self.consumed.push((display.to_string(), by.to_string()));
    }

    pub(super) fn write(&self, outcome: &Outcome) {
        let mut lines: Vec<(String, String)> = Vec::new();
        for file in &outcome.files {
            if let Some(e) = &file.error {
                let first = e.message.lines().next().unwrap_or_default();
                lines.push((e.path.clone(), format!("error: {}: {first}", e.path)));
            } else if let Some(s) = &file.skipped {
                lines.push((s.path.clone(), format!("skipped: {}: {}", s.path, s.reason)));
            } else if let (Some(source), Some(kind)) = (&file.source, file.kind) {
                let path = source.path.to_string();
                lines.push((path.clone(), format!("checked: {path} ({})", kind.name)));
            }
            if let Some(primary) = &file.source {
                for extra in &file.extra_files {
                    let path = extra.path.to_string();
                    lines.push((path.clone(), format!("read: {path} (by {})", primary.path)));
                }
            }
        }
        for (path, by) in &self.consumed {
            lines.push((path.clone(), format!("read: {path} (by {by})")));
        }
        let accounted: Vec<String> = lines.iter().map(|(p, _)| p.clone()).collect();
        for display in &self.found {
            let inside = format!("{}/", display.trim_end_matches('/'));
            if !accounted
                .iter()
                .any(|p| p == display || p.starts_with(&inside))
            {
                lines.push((
                    display.clone(),
                    format!("ignored: {display} (no kind recognizes it)"),
                ));
            }
        }
        lines.sort();
        lines.dedup();
        let mut text = String::new();
        for (_, line) in lines {
            text.push_str(&visible(&line));
            text.push('\n');
        }
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}
