//! `--shard I/N`: one runner of a CI matrix checks the targets whose
//! root-relative path falls in its bucket, after the sources planned them,
//! so a chart, a kustomization or a compose project is one target and stays
//! whole. Each shard's JSON report records what `policy merge`
//! ([`super::merge`]) needs to rebuild the report of a single run
//! ([`ShardReport`]).

use super::{display_of, FileOutcome, Outcome};
use crate::engine::{Evaluator, COMBINED};
use crate::rules::RuleMeta;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Shard `index` of `count` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// `2/5`; `0/3`, `4/3` and `x` are refused.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write I/N with 1 <= I <= N, e.g. 2/5");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = index.parse().map_err(|_| bad())?;
        let count: usize = count.parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the target at this root-relative path is this shard's.
    pub fn holds(&self, relative: &str) -> bool {
        bucket(relative, self.count) == self.index - 1
    }

    /// The first shard also checks what is no walked target (standard
    /// input, the config file's compose stacks, walk errors) and runs the
    /// whole-run rules.
    pub fn is_first(&self) -> bool {
        self.index == 1
    }
}

/// The bucket (0-based) of a root-relative path: the first 8 bytes of its
/// SHA-256, modulo `count`. A fixed algorithm, so runners on any machine
/// and any Rust version agree.
pub fn bucket(relative: &str, count: usize) -> usize {
    let digest = Sha256::digest(relative.as_bytes());
    let head: [u8; 8] = digest[..8].try_into().expect("a SHA-256 has 32 bytes");
    (u64::from_be_bytes(head) % count.max(1) as u64) as usize
}

/// Rules whose findings need every document of the run: the cross-document
/// rules (`--combine`), and unused suppressions (a suppression may cover a
/// cross-document finding). `None` when no cross-document rule runs.
pub fn whole_run_rules(evaluator: &Evaluator) -> Option<BTreeSet<String>> {
    if !evaluator.has_kind(COMBINED) {
        return None;
    }
    let combined = evaluator
        .rules
        .iter()
        .filter(|r| r.meta.kinds.iter().any(|k| k == COMBINED))
        .map(|r| r.meta.id.clone());
    Some(
        combined
            .chain([super::suppress::UNUSED_RULE.to_string()])
            .collect(),
    )
}

/// After [`super::finish`], what this shard reports of the evaluated units.
/// With whole-run rules the first shard read every input: of the other
/// shards' units it keeps only the whole-run findings; the other shards
/// drop those findings (theirs saw part of the run) and the cross-document
/// error.
pub fn keep_own(files: &mut Vec<FileOutcome>, whole_run: Option<&BTreeSet<String>>, first: bool) {
    let Some(rules) = whole_run else { return };
    if first {
        for file in files.iter_mut().filter(|f| f.foreign) {
            file.findings.retain(|f| rules.contains(&f.rule));
            file.error = None;
            file.skipped = None;
            file.kind = None;
            file.documents = 0;
        }
        files.retain(|f| !f.foreign || !f.findings.is_empty());
    } else {
        files.retain(|f| f.origin != crate::finding::Origin::Combined);
        for file in files.iter_mut() {
            file.findings.retain(|f| !rules.contains(&f.rule));
        }
    }
}

/// What a shard's JSON report adds (`shard`): which shard it is, of how
/// many, of which settings, and its units in order, so that `policy merge`
/// can sort them as a single run does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardReport {
    pub index: usize,
    pub count: usize,
    /// Digest of the version and the settings that shape the report; the
    /// shards of one merge must agree.
    pub settings: String,
    pub units: Vec<Unit>,
    /// The rules that ran (SARIF rule descriptors).
    pub rules: Vec<RuleMeta>,
    /// Ids of the built-in rules among them.
    pub builtin: BTreeSet<String>,
}

/// One outcome of the run (a file, a chart rendering, a compose project),
/// with how many of the report's findings, errors and skipped entries are
/// its own, in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The path as typed: a single run sorts its units by it.
    pub key: String,
    pub group: Group,
    /// Its files relative to the root: its own first, then those its
    /// documents point into, numbered from 1 as their spans are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub documents: usize,
    pub findings: usize,
    pub error: bool,
    pub skipped: bool,
    /// Another shard's unit: only its whole-run findings are here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub foreign: bool,
}

/// The parts of a single run's outcome, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Checked inputs, sorted by key.
    File,
    /// The cross-document evaluation's error.
    Combined,
    /// One error per place in a policy, by policy place.
    Policy,
    /// Paths the walk could not read, in walk order.
    Walk,
}

/// The units of a shard's outcome: `files[..evaluated]` are checked inputs,
/// `files[evaluated..policy_end]` policy errors, the rest walk errors. Call
/// before [`Outcome::relativize`], while keys are as typed.
pub fn units(outcome: &Outcome, evaluated: usize, policy_end: usize) -> Vec<Unit> {
    let root = &outcome.root;
    outcome
        .files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let group = match i {
                _ if i >= policy_end => Group::Walk,
                _ if i >= evaluated => Group::Policy,
                _ if file.origin == crate::finding::Origin::Combined => Group::Combined,
                _ => Group::File,
            };
            let files = file.source.iter().chain(&file.extra_files);
            Unit {
                key: display_of(file).to_string(),
                group,
                files: files.map(|s| root.relative(&s.path)).collect(),
                kind: file.kind.map(|k| k.name.to_string()),
                documents: file.documents,
                findings: file.findings.len(),
                error: file.error.is_some(),
                skipped: file.skipped.is_some(),
                foreign: file.foreign,
            }
        })
        .collect()
}

/// Hex SHA-256 of the version and of `settings` (a JSON value of what
/// shapes the report).
pub fn settings_digest(settings: &serde_json::Value) -> String {
    let text = serde_json::to_vec(settings).expect("a JSON value serializes");
    Sha256::new()
        .chain_update(env!("CARGO_PKG_VERSION").as_bytes())
        .chain_update([0])
        .chain_update(text)
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_one_based_and_within_their_count() {
        assert_eq!(Shard::parse("2/5"), Ok(Shard { index: 2, count: 5 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "x", "1/0", "1", "/3", "1/x", "-1/3", " 1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_path_is_in_exactly_one_shard_and_the_bucket_is_fixed() {
        for path in ["a/Dockerfile", "k8s/deploy.yaml", "charts/web", ""] {
            for count in 1..7 {
                let holders = (1..=count)
                    .filter(|&index| Shard { index, count }.holds(path))
                    .count();
                assert_eq!(holders, 1, "{path} in {count}");
            }
        }
        // Pinned (SHA-256 of the path, first 8 bytes big-endian, modulo N):
        // a change of algorithm would move files between runners.
        assert_eq!(bucket("a/Dockerfile", 1000), 253);
        assert_eq!(bucket("a/Dockerfile", 5), 3);
        assert_eq!(bucket("k8s/deploy.yaml", 5), 2);
        assert_eq!(bucket("charts/web", 5), 4);
    }
}
