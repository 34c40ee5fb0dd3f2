//! Exit codes, in one place: what a CI step or a pre-commit hook reads.

/// Every input checked, no finding at or above the threshold.
pub const CLEAN: i32 = 0;
/// Findings at or above the threshold (`--fail-on`).
pub const FINDINGS: i32 = 1;
/// Something could not be checked: a file, a policy, the configuration.
pub const ERROR: i32 = 2;
