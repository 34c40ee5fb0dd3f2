//! Docker image references: `[registry/]repository[:tag][@digest]`.

use super::build_args::{self, Args};
use super::Path;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ImageRef {
    /// The reference as written.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `docker.io` when none is written.
    pub registry: String,
    /// `library/nginx` for `nginx`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The reference contains a build argument or variable (`$BASE`, `${TAG}`):
    /// its final value is unknown here.
    pub variable: bool,
    /// The reference as written: `ref` with the build arguments `ref` was
    /// resolved through (`${BASE}` for `python:3.12` from `ARG BASE=python:3.12`).
    pub written: String,
    /// Variables that stay as written in `ref`: no default, or only known
    /// when a build runs (`TARGETARCH`).
    pub unresolved: Vec<String>,
    /// The Dockerfile `ARG`s whose defaults `ref` holds, in order of use.
    pub build_args: Vec<BuildArgUse>,
}

/// A global `ARG` whose default went into an image reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuildArgUse {
    pub name: String,
    /// The `NAME=default` pair of the `ARG` instruction.
    pub at: Path,
}

impl ImageRef {
    /// A reference as written. Separators inside `${…}` do not count, so
    /// `redis:${TAG:-latest}` has the tag `${TAG:-latest}`, not `-latest}`.
    pub fn parse(reference: &str) -> ImageRef {
        let reference = reference.trim();
        let outside = outside_braces(reference);
        let find = |text: &str, from: usize, c: u8| {
            text.bytes()
                .enumerate()
                .position(|(i, b)| b == c && outside[from + i])
        };
        let rfind = |text: &str, from: usize, c: u8| {
            text.bytes()
                .enumerate()
                .rposition(|(i, b)| b == c && outside[from + i])
        };
        let (name_tag, digest) = match find(reference, 0, b'@') {
            Some(at) => (&reference[..at], Some(reference[at + 1..].to_string())),
            None => (reference, None),
        };
        // The tag is after the last ':' that follows the last '/', so that a
        // registry port (`host:5000/app`) is not taken for a tag.
        let last_slash = rfind(name_tag, 0, b'/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match rfind(&name_tag[last_slash..], last_slash, b':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_tag, None),
        };
        let (registry, repository) = match find(name, 0, b'/') {
            Some(slash) => {
                let (first, rest) = (&name[..slash], &name[slash + 1..]);
                // A variable first component may or may not be a registry:
                // it stays as written (and so unknown) rather than `docker.io`.
                if first.contains('.')
                    || first.contains(':')
                    || first == "localhost"
                    || first.contains('$')
                {
                    (first.to_string(), rest.to_string())
                } else {
                    ("docker.io".to_string(), name.to_string())
                }
            }
            None => ("docker.io".to_string(), format!("library/{name}")),
        };
        ImageRef {
            reference: reference.to_string(),
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
            variable: reference.contains('$'),
            written: reference.to_string(),
            unresolved: build_args::variable_names(reference),
            build_args: Vec::new(),
        }
    }

    /// A Dockerfile `FROM` reference with the global `ARG` defaults
    /// substituted, as `docker build` without `--build-arg` would pull it.
    pub fn resolve(written: &str, args: &Args) -> ImageRef {
        let written = written.trim();
        let mut expanded = build_args::expand(written, args);
        // An empty default that leaves no valid reference (`app:${TAG}`
        // with `ARG TAG=` is `app:`) fails the build: unresolved, not untagged.
        if !well_formed(&expanded.text) {
            let empty = expanded
                .used
                .iter()
                .filter(|n| args.get(*n).and_then(|a| a.value.as_deref()) == Some(""));
            let mut unresolved = expanded.unresolved.clone();
            unresolved.extend(empty.cloned());
            if !unresolved.is_empty() {
                expanded = build_args::Expanded {
                    text: written.to_string(),
                    used: Vec::new(),
                    unresolved,
                };
            }
        }
        let mut image = ImageRef::parse(&expanded.text);
        image.variable = !expanded.unresolved.is_empty();
        image.written = written.to_string();
        image.unresolved = expanded.unresolved;
        image.build_args = expanded
            .used
            .into_iter()
            .filter_map(|name| {
                let at = args.get(&name)?.at.clone();
                Some(BuildArgUse { name, at })
            })
            .collect();
        image
    }
}

/// Not obviously broken by an empty substitution: something before and
/// after each `/`, after a `:` or `@` that ends the text.
fn well_formed(reference: &str) -> bool {
    !reference.is_empty()
        && !reference.starts_with(['/', ':', '@'])
        && !reference.ends_with(['/', ':', '@'])
        && !reference.contains("//")
        && !reference.contains(":@")
        && !reference.contains("/:")
}

/// For each byte of `text`, whether it is outside every `${…}`.
fn outside_braces(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut outside = Vec::with_capacity(bytes.len());
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            depth += 1;
            outside.extend([false, false]);
            i += 2;
            continue;
        }
        outside.push(depth == 0);
        if bytes[i] == b'}' && depth > 0 {
            depth -= 1;
        }
        i += 1;
    }
    outside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (String, String, Option<String>, Option<String>) {
        let i = ImageRef::parse(r);
        (i.registry, i.repository, i.tag, i.digest)
    }

    #[test]
    fn official_image_without_tag() {
        assert_eq!(
            parts("nginx"),
            ("docker.io".into(), "library/nginx".into(), None, None)
        );
    }

    #[test]
    fn registry_with_port_is_not_a_tag() {
        assert_eq!(
            parts("localhost:5000/team/app"),
            ("localhost:5000".into(), "team/app".into(), None, None)
        );
        assert_eq!(
            parts("ghcr.io/org/app:1.2@sha256:abc"),
            (
                "ghcr.io".into(),
                "org/app".into(),
                Some("1.2".into()),
                Some("sha256:abc".into())
            )
        );
    }

    #[test]
    fn variables_are_marked() {
        assert!(ImageRef::parse("${BASE}:${TAG}").variable);
        assert!(!ImageRef::parse("debian:12").variable);
        assert_eq!(
            ImageRef::parse("${REGISTRY}/app:${TAG}").unresolved,
            ["REGISTRY", "TAG"]
        );
    }

    #[test]
    fn separators_inside_a_variable_are_not_parsed() {
        assert_eq!(
            parts("redis:${TAG:-latest}"),
            (
                "docker.io".into(),
                "library/redis".into(),
                Some("${TAG:-latest}".into()),
                None
            )
        );
        assert_eq!(
            parts("${REGISTRY:-ghcr.io/acme}/app@${DIGEST:-sha256:abc}"),
            (
                "${REGISTRY:-ghcr.io/acme}".into(),
                "app".into(),
                None,
                Some("${DIGEST:-sha256:abc}".into())
            )
        );
    }

    #[test]
    fn non_ascii_references_do_not_panic() {
        for r in ["é:${é}", "${é:-é/é}@é", "é/é:é", "${", "}", "@", ":", "/"] {
            let i = ImageRef::parse(r);
            assert_eq!(i.reference, r);
        }
    }

    #[test]
    fn a_variable_first_component_is_not_docker_hub() {
        assert_eq!(
            parts("${REGISTRY}/team/app:1.0"),
            (
                "${REGISTRY}".into(),
                "team/app".into(),
                Some("1.0".into()),
                None
            )
        );
    }

    #[test]
    fn resolved_through_global_args() {
        let node = crate::parse::dockerfile::parse(
            "ARG REGISTRY=ghcr.io/acme\nARG TAG\nFROM ${REGISTRY}/app:${TAG}\n",
        )
        .unwrap()
        .to_node();
        let args = build_args::global_args(&node);
        let image = ImageRef::resolve("${REGISTRY}/app:${TAG}", &args);
        assert_eq!(image.reference, "ghcr.io/acme/app:${TAG}");
        assert_eq!(image.written, "${REGISTRY}/app:${TAG}");
        assert_eq!(
            (image.registry.as_str(), image.repository.as_str()),
            ("ghcr.io", "acme/app")
        );
        assert_eq!(image.tag.as_deref(), Some("${TAG}"));
        assert!(image.variable);
        assert_eq!(image.unresolved, ["TAG"]);
        assert_eq!(image.build_args.len(), 1);
        assert_eq!(image.build_args[0].name, "REGISTRY");

        let args = build_args::global_args(
            &crate::parse::dockerfile::parse("ARG TAG=1.4\nFROM app:$TAG\n")
                .unwrap()
                .to_node(),
        );
        let image = ImageRef::resolve("app:$TAG", &args);
        assert_eq!(image.tag.as_deref(), Some("1.4"));
        assert!(!image.variable);
        assert!(image.unresolved.is_empty());
    }

    #[test]
    fn an_empty_default_that_breaks_the_reference_is_unresolved() {
        let node = crate::parse::dockerfile::parse("ARG TAG=\nARG PREFIX=\nFROM x\n")
            .unwrap()
            .to_node();
        let args = build_args::global_args(&node);
        let image = ImageRef::resolve("servercore:${TAG}", &args);
        assert_eq!(image.reference, "servercore:${TAG}");
        assert_eq!(image.unresolved, ["TAG"]);
        assert!(image.variable);
        // An empty prefix is a valid choice.
        let image = ImageRef::resolve("${PREFIX}alpine:3.20", &args);
        assert_eq!(image.reference, "alpine:3.20");
        assert!(!image.variable);
    }
}
