//! Docker image references: `[registry/]repository[:tag][@digest]`.

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
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let reference = reference.trim();
        let (name_tag, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (reference, None),
        };
        // The tag is after the last ':' that follows the last '/', so that a
        // registry port (`host:5000/app`) is not taken for a tag.
        let last_slash = name_tag.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(name_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_tag, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string())
            }
            Some(_) => ("docker.io".to_string(), name.to_string()),
            None => ("docker.io".to_string(), format!("library/{name}")),
        };
        ImageRef {
            reference: reference.to_string(),
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
            variable: reference.contains('$'),
        }
    }
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
    }
}
