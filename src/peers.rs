//! The checks of peer tools (hadolint, Trivy, Checkov, kube-linter) and
//! the rules that cover the same concept, read from `docs/peers.tsv`: their
//! inline pragmas suppress the mapped rules, so a repository moving over
//! keeps its `# hadolint ignore=` comments.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// `peer`, `check`, `rule` (ids separated by `,`, or `-`), `note`.
pub const TABLE: &str = include_str!("../docs/peers.tsv");

/// The peers whose pragmas are read.
pub const PEERS: &[&str] = &["hadolint", "trivy", "checkov", "kube-linter"];

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerCheck {
    pub peer: &'static str,
    pub check: &'static str,
    /// The rules covering the check; empty when none does (`-`).
    pub rules: Vec<&'static str>,
    /// Why no rule covers it, or how the rule differs.
    pub note: &'static str,
}

/// Every row, in the table's order; a malformed row is a test failure
/// (`tests/peers.rs`), here it is skipped.
pub fn checks() -> &'static [PeerCheck] {
    static CHECKS: LazyLock<Vec<PeerCheck>> = LazyLock::new(|| parse(TABLE));
    &CHECKS
}

/// The rows of `table`, the header skipped.
pub fn parse(table: &'static str) -> Vec<PeerCheck> {
    table
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let (peer, check, rule) = (cells.next()?, cells.next()?, cells.next()?);
            Some(PeerCheck {
                peer,
                check,
                rules: rule
                    .split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty() && *r != "-")
                    .collect(),
                note: cells.next().unwrap_or(""),
            })
        })
        .collect()
}

/// A peer's check id as the table writes it: `DL3008`, `KSV012`,
/// `CKV_K8S_20`, `privileged-container`. Trivy's `AVD-KSV-0012` and
/// `KSV-0012` are `KSV012`.
pub fn normalize(peer: &str, check: &str) -> String {
    let check = check.trim();
    match peer {
        "trivy" => {
            let upper = check.to_ascii_uppercase();
            let id = upper.strip_prefix("AVD-").unwrap_or(&upper);
            match id.split_once('-') {
                Some((family, number)) if number.chars().all(|c| c.is_ascii_digit()) => {
                    let n: u32 = number.parse().unwrap_or(0);
                    format!("{family}{n:03}")
                }
                _ => id.to_string(),
            }
        }
        "kube-linter" => check.to_ascii_lowercase(),
        _ => check.to_ascii_uppercase(),
    }
}

/// The rules that cover `check` of `peer`; empty for an unknown check or
/// one no rule covers.
pub fn rules_for(peer: &str, check: &str) -> &'static [&'static str] {
    static INDEX: LazyLock<BTreeMap<(&'static str, &'static str), usize>> = LazyLock::new(|| {
        checks()
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.peer, c.check), i))
            .collect()
    });
    let check = normalize(peer, check);
    INDEX
        .get(&(peer, check.as_str()))
        .map_or(&[], |&i| checks()[i].rules.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivy_ids_in_every_spelling_are_one() {
        for id in ["KSV012", "ksv012", "AVD-KSV-0012", "KSV-0012", "KSV-12"] {
            assert_eq!(normalize("trivy", id), "KSV012", "{id}");
        }
        assert_eq!(normalize("trivy", "AVD-DS-0002"), "DS002");
        assert_eq!(normalize("hadolint", "dl3008"), "DL3008");
        assert_eq!(normalize("checkov", "ckv_k8s_20"), "CKV_K8S_20");
    }

    #[test]
    fn rows_split_rules_and_dashes() {
        let rows = parse("peer\tcheck\trule\tnote\nhadolint\tDL3002\tCP101\t\ntrivy\tKSV001\tCP103,CP104\tboth\nhadolint\tDL3059\t-\tstyle only\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].rules, ["CP101"]);
        assert_eq!(rows[1].rules, ["CP103", "CP104"]);
        assert!(rows[2].rules.is_empty());
        assert_eq!(rows[2].note, "style only");
    }
}
