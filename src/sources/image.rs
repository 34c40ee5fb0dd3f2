//! Built images: an OCI layout directory or a `docker save` / OCI archive.
//! Every image (platform) in it is one document, its config, normalized
//! with what its layers hold.

use super::{Loaded, Options, Source};
use crate::finding::{FileError, Origin, Skipped};
use crate::image::ReadError;
use crate::kinds::{self, is_structured_data};
use crate::parse::Document;
use crate::source::SourceFile;
use crate::sources::discover::Target;

pub struct Images;

impl Source for Images {
    fn name(&self) -> &'static str {
        "image"
    }

    /// A layout directory, or an archive by its name; an image config
    /// (JSON) is text the files source reads.
    fn claims(&self, target: &Target) -> bool {
        target.kind == Some(&kinds::IMAGE)
            && (target.path.is_dir() || !is_structured_data(&target.display))
    }

    fn read(&self, target: Target, options: &Options) -> Vec<Loaded> {
        vec![match crate::image::read(&target.path, &options.image) {
            Ok(images) => Loaded::Documents {
                source: SourceFile::new(target.display, ""),
                kind: &kinds::IMAGE,
                origin: Origin::File,
                documents: images
                    .into_iter()
                    .enumerate()
                    .map(|(index, image)| {
                        let doc = Document::new(index, image.config);
                        let model = crate::model::image::normalize_with(&doc.node, image.facts);
                        (doc, model)
                    })
                    .collect(),
            },
            Err(ReadError::NotAnImage(_)) if !target.explicit => return Vec::new(),
            Err(ReadError::NotAnImage(reason)) => Loaded::Skipped(Skipped {
                path: target.display,
                reason: format!("not an image: {reason}"),
            }),
            Err(ReadError::Invalid(message)) => Loaded::Error(FileError::whole(
                target.display,
                format!("cannot read image: {message}"),
            )),
        }]
    }
}
