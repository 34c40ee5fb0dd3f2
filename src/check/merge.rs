//! `policy merge`: the JSON reports of the shards of one run read back into
//! one [`Outcome`], as a single run would have made it, for the reporters
//! to write. Units are sorted as a single run sorts them; what a single run
//! decides across units (a finding two units share, reported once; one
//! error per policy place) is decided again over all of them.

use super::shard::{Group, ShardReport, Unit};
use super::{policy_errors, FileOutcome, Outcome};
use crate::finding::{FileError, Finding, Origin, Skipped};
use crate::rules::{RuleMeta, Severity};
use crate::source::{FileId, SourceFile};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// A shard's `--format json` report, as `policy merge` reads it.
#[derive(Deserialize)]
pub struct ShardFile {
    tool: Tool,
    findings: Vec<Finding>,
    errors: Vec<FileError>,
    skipped: Vec<Skipped>,
    summary: SummaryRead,
    shard: Option<ShardReport>,
}

#[derive(Deserialize)]
struct Tool {
    version: String,
}

#[derive(Deserialize)]
struct SummaryRead {
    baselined: usize,
    fail_on: String,
}

/// The merged run, and what its reporters need besides.
pub struct Merged {
    pub outcome: Outcome,
    pub fail_on: Option<Severity>,
    pub rules: Vec<RuleMeta>,
    pub builtin: BTreeSet<String>,
}

/// Reads one shard's report.
pub fn read(path: &std::path::Path) -> Result<ShardFile, String> {
    let text = crate::source::read_input_up_to(
        path,
        super::baseline::MAX_BASELINE_BYTES,
        "split the run into more shards",
    )?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "not a JSON report of `policy check --shard` (line {}, column {}: {e})",
            e.line(),
            e.column()
        )
    })
}

/// Joins the shards' reports (each named as the user gave it); refuses
/// reports of other versions or settings, and a set of shards that is not
/// each of 1..=N once.
pub fn merge(reports: Vec<(String, ShardFile)>) -> Result<Merged, String> {
    let mut shards = Vec::new();
    for (name, mut report) in reports {
        let Some(shard) = report.shard.take() else {
            return Err(format!(
                "{name}: not a shard's report; write one with `policy check --shard I/N --format json`"
            ));
        };
        if report.tool.version != env!("CARGO_PKG_VERSION") {
            return Err(format!(
                "{name}: written by policy {}, this is {}; merge with the version that checked",
                report.tool.version,
                env!("CARGO_PKG_VERSION")
            ));
        }
        shards.push((name, shard, report));
    }
    check_set(&shards)?;
    shards.sort_by_key(|(_, shard, _)| shard.index);
    let first = &shards[0].1;
    let (rules, builtin) = (first.rules.clone(), first.builtin.clone());
    let fail_on = Severity::parse(&shards[0].2.summary.fail_on);
    let baselined = shards.iter().map(|(_, _, r)| r.summary.baselined).sum();
    let mut units = Vec::new();
    for (name, shard, report) in shards {
        units.extend(rebuild(&name, shard.units, report)?);
    }
    let mut outcome = Outcome {
        files: order(units),
        baselined,
        ..Default::default()
    };
    dedup_across_units(&mut outcome.files);
    Ok(Merged {
        outcome,
        fail_on,
        rules,
        builtin,
    })
}

/// Same settings and count everywhere; each index from 1 to N once.
fn check_set(shards: &[(String, ShardReport, ShardFile)]) -> Result<(), String> {
    let Some((first_name, first, _)) = shards.first() else {
        return Err("no report to merge".into());
    };
    let mut seen: BTreeMap<usize, &str> = BTreeMap::new();
    for (name, shard, _) in shards {
        if shard.count != first.count {
            return Err(format!(
                "{name} is shard {}/{} but {first_name} is {}/{}: the shards of one run share N",
                shard.index, shard.count, first.index, first.count
            ));
        }
        if shard.settings != first.settings {
            return Err(format!(
                "{name} and {first_name} were checked with other settings (paths, rules, config or fail-on): merge the shards of one run"
            ));
        }
        if let Some(other) = seen.insert(shard.index, name) {
            return Err(format!(
                "{other} and {name} are both shard {}/{}",
                shard.index, shard.count
            ));
        }
    }
    let missing: Vec<String> = (1..=first.count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{}", first.count))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing shard {}", missing.join(", ")));
    }
    Ok(())
}

/// A shard's report cut back into its units.
fn rebuild(
    name: &str,
    units: Vec<Unit>,
    report: ShardFile,
) -> Result<Vec<(Unit, FileOutcome)>, String> {
    let mut findings = report.findings.into_iter();
    let mut errors = report.errors.into_iter();
    let mut skipped = report.skipped.into_iter();
    let short =
        || format!("{name}: its `shard.units` do not match its findings, errors and skipped lists");
    let mut out = Vec::with_capacity(units.len());
    for unit in units {
        let origin = match unit.group {
            Group::Combined => Origin::Combined,
            _ => Origin::File,
        };
        let own: Vec<Finding> = findings.by_ref().take(unit.findings).collect();
        if own.len() != unit.findings {
            return Err(short());
        }
        let error = match unit.error {
            true => Some(errors.next().ok_or_else(short)?),
            false => None,
        };
        let skipped = match unit.skipped {
            true => Some(skipped.next().ok_or_else(short)?),
            false => None,
        };
        let file = FileOutcome {
            source: unit.files.first().map(|p| SourceFile::new(p.as_str(), "")),
            extra_files: unit
                .files
                .iter()
                .skip(1)
                .map(|p| SourceFile::new(p.as_str(), ""))
                .collect(),
            kind: unit.kind.as_deref().and_then(crate::kinds::kind),
            origin,
            documents: unit.documents,
            findings: own
                .into_iter()
                .map(|f| in_file_of(f, &unit.files, origin))
                .collect(),
            error: error.map(|e| FileError { origin, ..e }),
            skipped,
            foreign: unit.foreign,
            ..Default::default()
        };
        out.push((unit, file));
    }
    if findings.next().is_some() || errors.next().is_some() || skipped.next().is_some() {
        return Err(short());
    }
    Ok(out)
}

/// The finding's span names which of the unit's files it is in, as the
/// single run's sort needs.
fn in_file_of(mut f: Finding, files: &[String], origin: Origin) -> Finding {
    let file = files.iter().position(|p| *p == f.path).unwrap_or(0);
    f.span.file = FileId(file as u32);
    f.origin = origin;
    f
}

/// The units in a single run's order: checked inputs by key (another
/// shard's whole-run findings joined to their unit), the cross-document
/// error, one error per policy place (the shards' counts added), walk errors.
fn order(units: Vec<(Unit, FileOutcome)>) -> Vec<FileOutcome> {
    let mut checked: Vec<(String, FileOutcome)> = Vec::new();
    let mut foreign: Vec<(String, FileOutcome)> = Vec::new();
    let mut rest: Vec<(Group, FileOutcome)> = Vec::new();
    let mut policy = PolicyPlaces::new();
    for (unit, file) in units {
        match unit.group {
            Group::File if unit.foreign => foreign.push((unit.key, file)),
            Group::File => checked.push((unit.key, file)),
            Group::Policy => add_policy_error(&mut policy, unit.key, file),
            group => rest.push((group, file)),
        }
    }
    checked.sort_by(|a, b| a.0.cmp(&b.0));
    join_foreign(&mut checked, foreign);
    let policy = policy.into_values().map(|(mut file, files)| {
        if let Some(e) = &mut file.error {
            let message = policy_errors::read_policy_error(&e.message).map(|(m, _)| m.to_string());
            if let Some(message) = message {
                e.message = policy_errors::policy_error(&message, files);
            }
        }
        (Group::Policy, file)
    });
    let mut tail: Vec<(Group, FileOutcome)> = rest.into_iter().chain(policy).collect();
    tail.sort_by_key(|(group, _)| *group);
    checked
        .into_iter()
        .map(|(_, f)| f)
        .chain(tail.into_iter().map(|(_, f)| f))
        .collect()
}

/// A failing policy's place (path as typed, line, column) → its error and
/// the files it failed, over all shards.
type PolicyPlaces = BTreeMap<(String, Option<usize>, Option<usize>), (FileOutcome, usize)>;

fn add_policy_error(places: &mut PolicyPlaces, key: String, file: FileOutcome) {
    let Some(error) = &file.error else { return };
    let files = policy_errors::read_policy_error(&error.message).map_or(0, |(_, n)| n);
    let place = (key, error.line, error.column);
    match places.get_mut(&place) {
        Some((_, total)) => *total += files,
        None => {
            places.insert(place, (file, files));
        }
    }
}

/// The first shard's whole-run findings on another shard's unit go to that
/// unit (the n-th of a key to the n-th of that key), sorted in as a single
/// run sorts a unit's findings.
fn join_foreign(checked: &mut [(String, FileOutcome)], foreign: Vec<(String, FileOutcome)>) {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for (key, file) in foreign {
        let nth = taken.entry(key.clone()).or_default();
        let owner = checked.iter_mut().filter(|(k, _)| *k == key).nth(*nth);
        *nth += 1;
        if let Some((_, owner)) = owner {
            owner.findings.extend(file.findings);
            super::sort_findings(&mut owner.findings);
        }
    }
}

/// A finding two units report is kept once, as in a single run; the
/// fingerprints of a unit that lost one are counted again.
fn dedup_across_units(files: &mut [FileOutcome]) {
    let before: Vec<usize> = files.iter().map(|f| f.findings.len()).collect();
    super::drop_borrowed_duplicates(files);
    let root = crate::repo_path::RepoRoot::default();
    for (file, before) in files.iter_mut().zip(before) {
        if file.findings.len() != before {
            super::baseline::fingerprint(&mut file.findings, &root);
        }
    }
}
