//! `policy test`: runs the `test_*` rules of policy files, like `opa test`.

use std::path::PathBuf;

pub struct Options {
    /// Policy files or directories; empty: the built-in policies.
    pub paths: Vec<PathBuf>,
    /// Regular expression over `data.<package>.<test>` names.
    pub run: Option<String>,
    pub data: Vec<PathBuf>,
    pub verbose: bool,
}

/// Exit code: 0 all passed, 1 a test failed, 2 a policy could not be loaded.
pub fn run(_options: &Options) -> Result<i32, miette::Report> {
    Err(miette::miette!("`policy test` is not implemented yet"))
}
