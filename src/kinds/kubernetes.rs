//! Kubernetes manifests: any YAML or JSON document with `apiVersion` and `kind`.

use super::{ConftestInput, KindSpec};
use crate::document::{Node, Value};
use crate::model;
use crate::parse::parse_yaml;

pub static KUBERNETES: KindSpec = KindSpec {
    name: "kubernetes",
    by_name: |_| false,
    confirm: None,
    by_content: Some(is_kubernetes_object),
    parse: parse_yaml,
    normalize: model::kubernetes::normalize,
    wants: is_kubernetes_object,
    split: None,
    trailing_comments: true,
    conftest_input: ConftestInput::Document,
    fence: "yaml",
    analyzers: &[],
    annotations: true,
    related: true,
    logical_location: None,
};

fn is_kubernetes_object(node: &Node) -> bool {
    let is_str = |k| matches!(node.get(k).map(|n| &n.value), Some(Value::Str(_)));
    is_str("apiVersion") && is_str("kind")
}
