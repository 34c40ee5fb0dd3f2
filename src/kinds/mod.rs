//! Kinds of artifact: what each is (how it is recognized, parsed and
//! normalized, how its comments and annotations suppress findings, what
//! conftest sees). Adding a kind is one file here plus one line in [`KINDS`];
//! the rest of the code holds a `&'static KindSpec` and never compares names.

mod compose;
mod container;
pub(crate) mod dockerfile;
mod image;
mod kubernetes;

pub use compose::COMPOSE;
pub use container::CONTAINER;
pub use dockerfile::DOCKERFILE;
pub use image::IMAGE;
pub use kubernetes::KUBERNETES;

use crate::document::{Node, Step};
use crate::model::Model;
use crate::parse::{Document, ParseError};
use regorus::Value as RegoValue;

/// What the tool knows about one kind of artifact.
pub struct KindSpec {
    /// The kind's name in output and in `--kind`.
    pub name: &'static str,
    /// Claims a file by its name alone (`Dockerfile`, `compose.yaml`).
    pub by_name: fn(&str) -> bool,
    /// For a file claimed by a name that other files share (`Dockerfile.rego`
    /// beside `Dockerfile.prod`): why its text is not of this kind, if not.
    pub confirm: Option<fn(name: &str, text: &str) -> Option<String>>,
    /// Claims a parsed YAML/JSON document by its content.
    pub by_content: Option<fn(&Node) -> bool>,
    /// Parses the whole text into documents.
    pub parse: fn(&str) -> Result<Vec<Document>, ParseError>,
    /// Normalizes one document into the workload model.
    pub normalize: fn(&Node) -> Model,
    /// A document the kind does not describe (an empty YAML document, a
    /// document with no `kind` in a manifest file) is not evaluated.
    pub wants: fn(&Node) -> bool,
    /// Splits a parsed document into the documents that are evaluated
    /// (`docker image inspect` prints an array of images).
    pub split: Option<fn(Vec<Document>) -> Vec<Document>>,
    /// A `#` after code starts a comment (YAML). In a Dockerfile only a whole
    /// line is a comment: `#` after an instruction is its argument.
    pub trailing_comments: bool,
    /// Objects carry the `policy.container/ignore` annotation.
    pub annotations: bool,
    /// Cross-document (`combined`) rules see this kind's documents.
    pub related: bool,
    /// The document conftest policies see.
    pub conftest_input: ConftestInput,
    /// Where in a document a rule's path points, in words, where a line says
    /// little (`config.User`, `HostConfig.Privileged`): from the path and the
    /// document's rule input.
    pub logical_location: Option<LogicalLocation>,
    /// Code-fence language of the kind's examples in the rule docs.
    pub fence: &'static str,
    /// Native analyses that add facts to a document for one rule, run only
    /// when that rule is selected.
    pub analyzers: &'static [Analyzer],
}

/// A native analysis a rule reads the result of (ShellCheck's comments on
/// a Dockerfile's scripts): too costly, or needing a program, to run for
/// every document.
pub struct Analyzer {
    /// The rule that reports what the analysis found.
    pub rule: &'static str,
    /// Adds the analysis' result to the document.
    pub run: fn(&mut crate::parse::Document, &crate::source::SourceFile),
}

/// From a rule's path and the document's rule input to words.
pub type LogicalLocation = fn(Option<&[Step]>, &RegoValue) -> Option<String>;

/// What conftest policies see as `input` for a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConftestInput {
    /// The document as parsed (YAML and JSON).
    Document,
    /// conftest's own Dockerfile shape: a list of `{Cmd, Value, …}`.
    Dockerfile,
}

/// Every kind, in the order content detection tries them.
pub static KINDS: &[&KindSpec] = &[&DOCKERFILE, &COMPOSE, &KUBERNETES, &IMAGE, &CONTAINER];

impl std::fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Kinds are statics: one is another only if it is the same.
impl PartialEq for KindSpec {
    fn eq(&self, other: &KindSpec) -> bool {
        std::ptr::eq(self, other)
    }
}

pub fn kind(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().copied().find(|k| k.name == name)
}

pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// Files whose content is looked at when no kind claims their name.
pub fn is_structured_data(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

/// The kind of a structured-data file, from its first non-empty document.
pub fn detect_by_content(docs: &[Document]) -> Option<&'static KindSpec> {
    KINDS.iter().copied().find(|k| {
        k.by_content
            .is_some_and(|claims| docs.iter().any(|d| claims(&d.node)))
    })
}
