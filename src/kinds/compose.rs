//! Compose files (`compose.yaml`, `docker-compose.*.yml`, or any YAML
//! with a `services:` mapping).

use super::{ConftestInput, KindSpec};
use crate::document::Value;
use crate::model;
use crate::parse::parse_yaml;

pub static COMPOSE: KindSpec = KindSpec {
    name: "compose",
    by_name: |name| {
        let lower = name.to_ascii_lowercase();
        let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
        yaml && (lower.starts_with("compose.") || lower.starts_with("docker-compose"))
    },
    confirm: None,
    by_content: Some(|node| matches!(node.get("services").map(|s| &s.value), Some(Value::Map(_)))),
    parse: parse_yaml,
    normalize: model::compose::normalize,
    wants: |node| matches!(node.value, Value::Map(_)),
    split: None,
    trailing_comments: true,
    conftest_input: ConftestInput::Document,
    fence: "yaml",
    analyzers: &[],
    annotations: false,
    related: true,
    logical_location: None,
};
