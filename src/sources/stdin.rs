//! Standard input (`-` on the command line), read as the kind `--kind` names.

use super::{Loaded, Options, Source};
use crate::finding::{FileError, Origin};
use crate::source::{read_capped, SourceFile, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;

/// The name standard input has on the command line and in reports.
pub const NAME: &str = "-";

pub struct Stdin;

impl Source for Stdin {
    fn name(&self) -> &'static str {
        "stdin"
    }

    fn claims(&self, target: &Target) -> bool {
        target.path.as_os_str() == NAME
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        vec![
            match read_capped(std::io::stdin().lock(), TOO_LARGE_ADVICE) {
                Ok(text) => Loaded::Text {
                    source: SourceFile::new(target.display, text),
                    kind: target.kind,
                    explicit: true,
                    origin: Origin::Stdin,
                    context: None,
                },
                Err(message) => Loaded::Error(FileError {
                    origin: Origin::Stdin,
                    ..FileError::whole(target.display, format!("standard input: {message}"))
                }),
            },
        ]
    }
}
