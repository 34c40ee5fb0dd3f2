//! Containers as `docker inspect` prints them.

use super::{ConftestInput, KindSpec};
use crate::model;
use crate::parse::parse_yaml;

/// Containers as `docker inspect` prints them (saved to a file, or read
/// live from the Engine API by the runtime stage): one document, the array.
pub static CONTAINER: KindSpec = KindSpec {
    name: "container",
    by_name: |_| false,
    confirm: None,
    by_content: Some(model::container::is_inspect_output),
    parse: parse_yaml,
    normalize: model::container::normalize,
    wants: model::container::is_inspect_output,
    split: None,
    trailing_comments: true,
    annotations: false,
    related: true,
    conftest_input: ConftestInput::Document,
    // A container's line is in its inspect JSON; the field says more.
    logical_location: Some(|path, _| path.and_then(model::container::field_path)),
    fence: "json",
    analyzers: &[],
};
