// container-policy patch: the set of data paths whose rules are evaluated.
//
// Was a `Value` tree (`processed_paths`): an object per path component, the
// key `Undefined` holding `Null` as the "processed" marker and the key
// `true` as the "explicit data `with` override" marker. Every lookup built a
// `Value::String` (an allocation) per component and every new path an
// object, a map and a marker per component. This trie holds the same two
// markers per node, looked up by `&str` without allocating.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

#[derive(Debug, Clone, Default)]
pub(crate) struct ProcessedPaths {
    processed: bool,
    explicit_override: bool,
    /// Sorted by component (`str` order, as the keys of the `Value` tree were).
    children: Vec<(Box<str>, ProcessedPaths)>,
}

impl ProcessedPaths {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn child(&self, component: &str) -> Option<&ProcessedPaths> {
        self.children
            .binary_search_by(|(k, _)| k.as_ref().cmp(component))
            .ok()
            .map(|i| &self.children[i].1)
    }

    fn child_or_insert(&mut self, component: &str) -> &mut ProcessedPaths {
        let i = match self
            .children
            .binary_search_by(|(k, _)| k.as_ref().cmp(component))
        {
            Ok(i) => i,
            Err(i) => {
                self.children
                    .insert(i, (component.into(), ProcessedPaths::default()));
                i
            }
        };
        &mut self.children[i].1
    }

    fn node_or_insert(&mut self, path: &[&str]) -> &mut ProcessedPaths {
        let mut node = self;
        for component in path {
            node = node.child_or_insert(component);
        }
        node
    }

    /// Is `path` or one of its prefixes (the empty path included) processed?
    pub(crate) fn is_processed(&self, path: &[&str]) -> bool {
        let mut node = self;
        for component in path {
            // Prefix has already been processed.
            if node.processed {
                return true;
            }
            match node.child(component) {
                // Prefix and its suffixes including path have not been processed.
                None => return false,
                Some(child) => node = child,
            }
        }
        node.processed
    }

    pub(crate) fn mark_processed(&mut self, path: &[&str]) {
        self.node_or_insert(path).processed = true;
    }

    /// Marks `path` processed and replaced by an explicit data `with` override.
    pub(crate) fn mark_data_with_override(&mut self, path: &[&str]) {
        let node = self.node_or_insert(path);
        node.processed = true;
        node.explicit_override = true;
    }

    /// Is the root or a prefix of `path` (or `path` itself) overridden?
    pub(crate) fn has_explicit_data_with_override_ancestor(&self, path: &[&str]) -> bool {
        let mut node = self;
        if node.explicit_override {
            return true;
        }
        for component in path {
            match node.child(component) {
                None => return false,
                Some(child) => node = child,
            }
            if node.explicit_override {
                return true;
            }
        }
        false
    }

    /// A copy holding only the override markers (not the processed ones) and
    /// the nodes leading to them; pushes the `data…` path of each override
    /// onto `overridden_paths`, in the order the `Value` tree was walked
    /// (the node's own marker first, then children by component).
    /// `each_node` runs before each node (time and memory checks).
    pub(crate) fn copy_explicit_overrides<E>(
        &self,
        path: &mut Vec<String>,
        overridden_paths: &mut Vec<Vec<String>>,
        each_node: &mut dyn FnMut() -> Result<(), E>,
    ) -> Result<ProcessedPaths, E> {
        let mut inherited = ProcessedPaths::new();
        if self.explicit_override {
            each_node()?;
            inherited.explicit_override = true;
            let mut overridden_path = alloc::vec!["data".to_string()];
            overridden_path.extend(path.iter().cloned());
            overridden_paths.push(overridden_path);
        }
        for (component, child) in &self.children {
            each_node()?;
            path.push(component.to_string());
            let copy = child.copy_explicit_overrides(path, overridden_paths, each_node);
            let _ = path.pop();
            let copy = copy?;
            if copy.explicit_override || !copy.children.is_empty() {
                inherited.children.push((component.clone(), copy));
            }
        }
        Ok(inherited)
    }
}
