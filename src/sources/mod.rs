//! Sources: where the documents of a run come from. The walk
//! ([`discover`]) finds targets; each target goes to the first source in
//! [`SOURCES`] that claims it, which reads it into text a kind parses, or
//! into documents it built itself. Live containers ([`docker`]) are read by
//! the runtime stage. Adding a source is one file here and one line in
//! [`SOURCES`]; no rule and no reporter changes.

mod build_context;
pub mod compose;
pub mod discover;
pub mod docker;
mod files;
pub mod helm;
mod image;
mod kustomize;
pub mod stdin;

use crate::finding::{FileError, Origin, Skipped};
use crate::kinds::KindSpec;
use crate::model::Model;
use crate::parse::Document;
use crate::source::SourceFile;
use discover::Target;

/// One way documents come into a run.
pub trait Source: Sync {
    /// The source's name, in docs.
    fn name(&self) -> &'static str;
    /// Whether this source reads the target (a path the walk found or the
    /// user named).
    fn claims(&self, target: &Target) -> bool;
    /// Reads a claimed target.
    fn read(&self, target: Target, options: &Options) -> Vec<Loaded>;
    /// A file the walk keeps for this source though no kind claims its
    /// name (`Kustomization`, which has no extension).
    fn walks_to(&self, _name: &str) -> bool {
        false
    }
    /// Before anything is read: drops or replaces the targets this source
    /// reads through another (an override file through its project), so
    /// no file is also judged alone.
    fn plan(&self, _targets: &mut Vec<Target>) {}
}

/// Every source of a path, in the order they are asked; the last claims
/// every target.
pub static SOURCES: &[&dyn Source] = &[
    &stdin::Stdin,
    &image::Images,
    &compose::ComposeProjects,
    &build_context::BuildContexts,
    &kustomize::Kustomizations,
    &helm::Charts,
    &files::Files,
];

/// Settings sources read with.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub image: crate::image::Options,
    pub helm: helm::Options,
}

/// What a source read, as the pipeline takes it.
#[derive(Debug)]
pub enum Loaded {
    /// Text a kind parses: a file, standard input, a container's inspect
    /// JSON. With no kind, the kind is detected from the content.
    Text {
        source: SourceFile,
        kind: Option<&'static KindSpec>,
        /// Named by the user: reported even when no kind claims it.
        explicit: bool,
        origin: Origin,
        /// What the source knows around the text, as `input.context` (a
        /// Dockerfile's build context).
        context: Option<serde_json::Value>,
    },
    /// Documents the source built itself, with their models (the configs
    /// of the images in a layout or archive: no text, so findings are at
    /// 1:1 of the path with a logical location).
    Documents {
        source: SourceFile,
        kind: &'static KindSpec,
        origin: Origin,
        documents: Vec<(Document, Model)>,
    },
    /// Documents parsed by the source whose nodes point into several files
    /// (a compose project: its file, the override, `.env`), numbered as
    /// [`crate::source::FileId`]s from `primary` (0) on.
    Parsed {
        primary: SourceFile,
        others: Vec<SourceFile>,
        kind: &'static KindSpec,
        origin: Origin,
        documents: Vec<Document>,
    },
    Error(FileError),
    Skipped(Skipped),
}

/// Whether some source wants the walk to keep a file of this name.
pub fn walks_to(name: &str) -> bool {
    SOURCES.iter().any(|s| s.walks_to(name))
}

/// Lets every source drop or replace the targets it reads through others.
pub fn plan(targets: &mut Vec<Target>) {
    for source in SOURCES {
        source.plan(targets);
    }
}

/// Reads one target with the first source that claims it.
pub fn read(target: Target, options: &Options) -> Vec<Loaded> {
    if let Some(reason) = target.skip {
        return vec![Loaded::Skipped(Skipped {
            path: target.display,
            reason,
        })];
    }
    let source = SOURCES
        .iter()
        .find(|s| s.claims(&target))
        .expect("the files source claims every target");
    source.read(target, options)
}
