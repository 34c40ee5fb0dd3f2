//! Text files on disk: what the walk found or the user named.

use super::{Loaded, Options, Source};
use crate::finding::{FileError, Origin};
use crate::source::{read_input, SourceFile, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;

pub struct Files;

impl Source for Files {
    fn name(&self) -> &'static str {
        "files"
    }

    fn claims(&self, _target: &Target) -> bool {
        true
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        vec![match read_input(&target.path, TOO_LARGE_ADVICE) {
            Ok(text) => Loaded::Text {
                source: SourceFile::new(target.display, text),
                kind: target.kind,
                explicit: target.explicit,
                origin: Origin::File,
                context: None,
            },
            Err(message) => Loaded::Error(FileError::whole(target.display, message)),
        }]
    }
}
