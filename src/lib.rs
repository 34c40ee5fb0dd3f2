//! container-policy: a declarative policy and lint engine for container
//! artifacts. Data flows one way: paths → discover → parse (source-mapped
//! documents) → normalize (workload model) → evaluate (Rego) → resolve paths
//! to positions → report.

pub mod check;
pub mod cli;
pub mod config;

pub mod docs;
pub mod document;
pub mod engine;
pub mod exit;
pub mod finding;
pub mod fuzzing;
pub mod image;
pub mod kinds;
pub mod memory;
pub mod model;
pub mod parse;
pub mod peers;
pub mod repo_path;
pub mod report;
pub mod rules;
pub mod runtime;
pub mod secrets;
pub mod shell;
pub mod shellcheck;
pub mod snippet;
pub mod source;
pub mod sources;
pub use sources::discover;
pub mod testing;
