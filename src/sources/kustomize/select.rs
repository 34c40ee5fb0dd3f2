//! Which resources a patch's `target` selects.

use super::tree::{self, Resource};
use crate::document::Node;

/// The resources a patch `target` selects: kind, name and namespace as
/// anchored regular expressions, group, version, label and annotation
/// selectors (`key=value` or `key`, comma separated).
pub fn select(resources: &[Resource], target: &Node) -> Result<Vec<usize>, String> {
    let field = |k| target.get(k).and_then(Node::as_str);
    let pattern = |k| -> Result<Option<regex::Regex>, String> {
        field(k)
            .map(|p| {
                regex::RegexBuilder::new(&format!("^(?:{p})$"))
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| format!("target `{k}` is not a valid pattern: {e}"))
            })
            .transpose()
    };
    let (kind, name, namespace) = (pattern("kind")?, pattern("name")?, pattern("namespace")?);
    let matches_selector = |r: &Resource, key: &str, field: &str| {
        let Some(selector) = target.get(key).and_then(Node::as_str) else {
            return true;
        };
        let map = tree::path(&r.node, &["metadata", field]);
        selector
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .all(|term| {
                let (k, v) = match term.split_once("!=") {
                    Some((k, v)) => {
                        return map.and_then(|m| m.get(k.trim())).and_then(Node::as_str)
                            != Some(v.trim())
                    }
                    None => match term.split_once('=') {
                        Some((k, v)) => (k.trim(), Some(v.trim_start_matches('=').trim())),
                        None => (term, None),
                    },
                };
                let have = map.and_then(|m| m.get(k));
                match v {
                    Some(v) => have.and_then(Node::as_str) == Some(v),
                    None => have.is_some(),
                }
            })
    };
    Ok(resources
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let (group, version) = match r.api_version().rsplit_once('/') {
                Some((g, v)) => (g, v),
                None => ("", r.api_version()),
            };
            kind.as_ref().is_none_or(|p| p.is_match(r.kind()))
                && name
                    .as_ref()
                    .is_none_or(|p| p.is_match(r.name()) || p.is_match(&r.first_name))
                && namespace.as_ref().is_none_or(|p| p.is_match(r.namespace()))
                && field("group").is_none_or(|g| g == group)
                && field("version").is_none_or(|v| v == version)
                && matches_selector(r, "labelSelector", "labels")
                && matches_selector(r, "annotationSelector", "annotations")
        })
        .map(|(i, _)| i)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn node(text: &str) -> Node {
        parse_yaml(text).unwrap().remove(0).node
    }

    #[test]
    fn targets_select_by_pattern_group_version_and_selectors() {
        let resources: Vec<Resource> = [
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {tier: front}}\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, labels: {tier: back}}\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web, annotations: {public: 'yes'}}\n",
        ]
        .iter()
        .map(|t| Resource::new(node(t)))
        .collect();
        let pick = |target: &str| select(&resources, &node(target)).unwrap();
        assert_eq!(pick("kind: Deployment\n"), vec![0, 1]);
        assert_eq!(pick("name: w.*\n"), vec![0, 1, 2]);
        // Anchored: `web` is not `web2`, nor a part of `worker`.
        assert_eq!(pick("name: we\n"), Vec::<usize>::new());
        assert_eq!(pick("group: ''\nversion: v1\n"), vec![2]);
        assert_eq!(pick("labelSelector: tier=back\n"), vec![1]);
        assert_eq!(pick("labelSelector: tier!=back\n"), vec![0, 2]);
        assert_eq!(pick("annotationSelector: public\n"), vec![2]);
        assert!(select(&resources, &node("name: '('\n")).is_err());
    }
}
