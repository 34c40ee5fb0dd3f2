//! An error in a policy (an unknown function, a type error a rule hits on
//! every input) fails the evaluation of every checked file the same way. It
//! is one mistake, in the policy: reported once, at the policy's line.

use super::{FileOutcome, Outcome};
use crate::finding::FileError;
use std::collections::BTreeMap;

/// Prefix of a file's error when its rules could not be evaluated.
pub(super) const EVALUATION_FAILED: &str = "policy evaluation failed: ";

/// Replaces the evaluation errors that point into a policy file (`--> p.rego:4:9`)
/// by one error per policy place, after the other outcomes. Errors that
/// depend on the input (a time or memory limit) stay with their file.
pub(super) fn report_once(outcome: &mut Outcome) {
    // (policy path, line, column) → (message, files it failed)
    let mut places: BTreeMap<(String, usize, usize), (String, usize)> = BTreeMap::new();
    for file in &mut outcome.files {
        let Some(error) = &file.error else { continue };
        let Some(text) = error.message.strip_prefix(EVALUATION_FAILED) else {
            continue;
        };
        // One entry per failed rule: `rule X: …; rule Y: …`.
        let mut kept = Vec::new();
        for (i, part) in text.split("; rule ").enumerate() {
            let part = match i {
                0 => part.to_string(),
                _ => format!("rule {part}"),
            };
            let found = policy_places(&part);
            if found.is_empty() {
                kept.push(part);
            }
            for (place, message) in found {
                places.entry(place).or_insert((message, 0)).1 += 1;
            }
        }
        file.error = match kept.is_empty() {
            true => None,
            false => Some(FileError {
                message: format!("{EVALUATION_FAILED}{}", kept.join("; ")),
                ..error.clone()
            }),
        };
    }
    for ((path, line, column), (message, files)) in places {
        outcome.files.push(FileOutcome {
            error: Some(FileError {
                line: Some(line),
                column: Some(column),
                ..FileError::whole(path, policy_error(&message, files))
            }),
            ..Default::default()
        });
    }
}

/// The error of one policy place that failed `files` checked files.
pub(super) fn policy_error(message: &str, files: usize) -> String {
    let noun = if files == 1 { "file" } else { "files" };
    format!("policy error: {message}; {files} checked {noun} could not be evaluated by this rule")
}

/// [`policy_error`] read back: the message and the count of files (to add
/// up the shards' counts in `policy merge`).
pub(super) fn read_policy_error(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("policy error: ")?;
    let rest = rest
        .strip_suffix(" could not be evaluated by this rule")?
        .trim_end_matches(" checked files")
        .trim_end_matches(" checked file");
    let (message, files) = rest.rsplit_once("; ")?;
    Some((message, files.parse().ok()?))
}

/// Each `--> path.rego:line:col` of a regorus error with the `error: …` line
/// after it (and the rule named before it).
fn policy_places(text: &str) -> Vec<((String, usize, usize), String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.trim_start().strip_prefix("--> ") else {
            continue;
        };
        let mut parts = at.trim().rsplitn(3, ':');
        let (Some(column), Some(row), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(column), Ok(row)) = (column.parse::<usize>(), row.parse::<usize>()) else {
            continue;
        };
        if !path.ends_with(".rego") {
            continue;
        }
        let detail = lines[i..]
            .iter()
            .find_map(|l| l.trim_start().strip_prefix("error: "))
            .unwrap_or("evaluation failed");
        // `rule main.deny:` or `rule CP101 (policies/x.rego):` before the location.
        let rule = i
            .checked_sub(1)
            .map(|j| lines[j])
            .filter(|l| l.contains("rule "))
            .and_then(|l| l.rsplit("rule ").next())
            .map(|r| r.trim().trim_end_matches(':'))
            .filter(|r| !r.is_empty());
        let message = match rule {
            Some(rule) => format!("rule {rule}: {detail}"),
            None => detail.to_string(),
        };
        out.push(((path.to_string(), row, column), message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regorus_error_names_its_policy_place() {
        let text = "rule main.deny:\n--> policy/bad.rego:5:9\n  |\n5 |   nofunc(input)\n  |         ^\nerror: could not find function nofunc";
        assert_eq!(
            policy_places(text),
            vec![(
                ("policy/bad.rego".to_string(), 5, 9),
                "rule main.deny: could not find function nofunc".to_string()
            )]
        );
        assert!(policy_places("input is not an object").is_empty());
    }

    #[test]
    fn a_policy_error_reads_back() {
        for files in [1, 12] {
            let text = policy_error("rule main.deny: could not find function f; x", files);
            assert_eq!(
                read_policy_error(&text),
                Some(("rule main.deny: could not find function f; x", files))
            );
        }
    }
}
