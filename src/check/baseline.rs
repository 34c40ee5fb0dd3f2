//! Fingerprints and baselines. A fingerprint names a finding independently
//! of where it is in the file, so that a baseline (a previous JSON report)
//! still matches after lines are added above it, and so that GitHub code
//! scanning tracks one alert across runs.

use crate::check::Outcome;
use crate::finding::Finding;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Sets every finding's fingerprint: a hash of the rule, the file, the
/// resource and the message (never the line), and of how many findings with
/// the same four came before it in the file. The file is its path relative
/// to `root`, however it was typed.
pub fn fingerprint(findings: &mut [Finding], root: &crate::repo_path::RepoRoot) {
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    for f in findings.iter_mut() {
        let key: [u8; 32] = Sha256::new()
            .chain_update(f.rule.as_bytes())
            .chain_update([0])
            .chain_update(root.relative(&f.path).as_bytes())
            .chain_update([0])
            .chain_update(f.resource.as_deref().unwrap_or("").as_bytes())
            .chain_update([0])
            .chain_update(f.message.as_bytes())
            .finalize()
            .into();
        let occurrence = seen.entry(key).or_insert(0);
        let digest = Sha256::new()
            .chain_update(key)
            .chain_update(occurrence.to_le_bytes())
            .finalize();
        *occurrence += 1;
        f.fingerprint = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    }
}

/// Largest baseline read: a JSON report of about 400,000 findings. A
/// baseline grows with the whole run, not with one file.
pub const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// The fingerprints of a previous `--format json` report (or `--write-baseline` file).
pub fn read(path: &std::path::Path) -> Result<Vec<String>, String> {
    let text = crate::source::read_input_up_to(
        path,
        MAX_BASELINE_BYTES,
        "split the run by directory, each with its own baseline",
    )?;
    let report: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "not a JSON report (line {}, column {}: {e}); write one with --write-baseline FILE",
            e.line(),
            e.column()
        )
    })?;
    let findings = report
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or("no `findings` array; write a baseline with --write-baseline FILE")?;
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.get("fingerprint")
                .and_then(|p| p.as_str())
                .map(str::to_string)
                .ok_or_else(|| format!("finding {i} has no `fingerprint`; write the baseline again with this version"))
        })
        .collect()
}

/// Drops the findings a baseline already holds (each baseline entry absorbs
/// one finding); returns how many were dropped.
pub fn filter(outcome: &mut Outcome, baseline: &[String]) -> usize {
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for fp in baseline {
        *remaining.entry(fp).or_default() += 1;
    }
    let mut dropped = 0;
    for file in &mut outcome.files {
        file.findings
            .retain(|f| match remaining.get_mut(f.fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    dropped += 1;
                    false
                }
                _ => true,
            });
    }
    dropped
}
