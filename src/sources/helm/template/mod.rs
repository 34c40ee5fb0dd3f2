//! Go's `text/template`, as Helm runs it (`missingkey=zero`, `<no value>`
//! printed as nothing), with Sprig's and Helm's functions ([`funcs`]).
//! Rendering also returns a map from every byte of the output to the
//! template text that wrote it and, where a value was printed, the
//! values-file node it came from: what lets a finding on rendered YAML point
//! at the template line and the values line.
//!
//! In-tree rather than a crate: none reproduces Go's and Helm's behaviour
//! and wording closely enough (missing keys, nil receivers, Go 1.24's
//! comparison rules, Helm 4's error layout), and none returns a source map.
//! The pieces: `lex` and `parse` (Go's lexer and parser, nodes with
//! byte offsets), `exec` (the walk, Helm's `include`/`tpl`/`lookup`,
//! limits), `changes` (maps changed in place), `output` (the output and its
//! map), `builtins` (Go's predefined
//! functions), `names` (every function name Helm's engine knows, for
//! parsing). `tests/recorded*.rs` hold cases rendered by real Helm v4.

mod builtins;
mod changes;
mod exec;
pub mod funcs;
mod lex;
mod names;
mod output;
mod parse;
pub mod value;

#[cfg(test)]
mod tests;

pub use value::{Kind, Map, Object, Value};

use crate::source::{FileId, Span};
use std::ops::Range;
use std::sync::Arc;

/// Bounds on one render, so a hostile chart cannot hang or exhaust the run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes one render may write.
    pub max_output_bytes: usize,
    /// Template nodes and function calls one render may evaluate.
    pub max_steps: u64,
    /// Nested `include`/`template`/`tpl` calls (Helm refuses past 1,000).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_output_bytes: 64 << 20,
            max_steps: 50_000_000,
            max_depth: 1_000,
        }
    }
}

/// Every template of a chart and its subcharts: one namespace of `define`d
/// names, as Helm parses them together.
#[derive(Debug, Default)]
pub struct Templates {
    pub limits: Limits,
    trees: exec::TreeSet,
}

/// A render's output and where each byte of it came from.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub text: String,
    /// In output order, covering the output without overlap.
    pub segments: Vec<Segment>,
}

/// A run of output bytes written by one piece of template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub output: Range<usize>,
    /// The literal text or the `{{ … }}` action that wrote it.
    pub template: Span,
    /// Literal text: output byte `output.start + i` is template byte
    /// `template.start + i`. An action maps as a whole.
    pub literal: bool,
    /// For an action, the values-file node of the value it printed.
    pub value: Option<Span>,
}

/// A template that does not parse or fails while rendering, at the
/// template text responsible, with Helm's wording where Helm has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub at: Span,
    pub message: String,
}

impl Templates {
    pub fn new(limits: Limits) -> Templates {
        Templates {
            limits,
            trees: exec::TreeSet::new(),
        }
    }

    /// Parses one file of the chart as template `name` (its path, e.g.
    /// `mychart/templates/deployment.yaml`) and its `define`s; its spans
    /// point into `file`. As in Go, a later definition of a name replaces an
    /// earlier one, unless it is empty (spaces and comments only).
    pub fn add(&mut self, name: &str, file: FileId, text: &str) -> Result<(), TemplateError> {
        let source = Arc::new(parse::Source {
            name: name.to_string(),
            text: text.into(),
            file,
            anchor: None,
        });
        let is_function: &(dyn Fn(&str) -> bool + Sync) = &names::is_function;
        let trees = on_big_stack(|| parse::parse(name, &source, is_function)).map_err(|e| {
            TemplateError {
                at: Span::new(e.start, e.end).in_file(file),
                message: helm_parse_error(&e.message),
            }
        })?;
        for tree in trees {
            let keep_old = tree.is_empty() && self.trees.contains_key(&tree.name);
            if !keep_old {
                self.trees.insert(tree.name.clone(), Arc::new(tree));
            }
        }
        Ok(())
    }

    /// Whether a template of this name was added or defined.
    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// Executes template `name` with `data` as `.`. A failure's message is
    /// Helm's (`execution error at (NAME:LINE:COL): …` for `required` and
    /// `fail`, Go's `template: NAME:LINE:COL: executing …` otherwise).
    pub fn render(&self, name: &str, data: &Value) -> Result<Rendered, TemplateError> {
        let Some(tree) = self.trees.get(name) else {
            return Err(TemplateError {
                at: Span::default(),
                message: format!(
                    "template: no template {name:?} associated with template \"gotpl\""
                ),
            });
        };
        let is_function: &(dyn Fn(&str) -> bool + Sync) = &names::is_function;
        on_big_stack(|| {
            let mut exec = exec::Exec::new(&self.trees, self.limits, is_function);
            exec.render(tree, data)
        })
        .map_err(|f| TemplateError {
            at: f.at,
            message: f.helm_message(),
        })
    }
}

/// Helm's rewording of Go's parse error `template: NAME:LINE: … : MESSAGE`:
/// `parse error at (NAME:LINE): MESSAGE`, the last `: `-separated part.
fn helm_parse_error(go: &str) -> String {
    let parts: Vec<&str> = go.split(": ").collect();
    match parts.as_slice() {
        [_, location, .., last] => format!("parse error at ({location}): {last}"),
        _ => format!("parse error in ({go})"),
    }
}

/// Stack for one parse or render: the recursion both do is bounded
/// ([`parse::MAX_NESTING`], [`exec::MAX_RECURSION`]); the worst case, nested
/// parentheses through recursive `include`s, needs about 128 MiB unoptimised
/// (the tests check it), so this is four times that. Reserved, not committed,
/// memory.
const STACK_BYTES: usize = 512 << 20;

/// Runs `f` on a thread with [`STACK_BYTES`] of stack (inline if no thread
/// can be made).
fn on_big_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let mut job = Some(f);
    let job_slot = &mut job;
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("helm-template".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, move || job_slot.take().map(|f| f()))
            .ok()
            .map(|handle| match handle.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            })
    });
    match (spawned.flatten(), job.take()) {
        (Some(r), _) => r,
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the job ran or is still here"),
    }
}
