//! A Dockerfile → the image its final stage builds (one workload, one
//! container), plus every image it pulls (each `FROM`, each `COPY --from=<image>`).
//!
//! Only the final stage describes what runs; builder stages never count,
//! except that a stage `FROM` an earlier stage inherits that stage's USER,
//! ENV and HEALTHCHECK, as Docker does.
//!
//! `FROM` references are read with the global `ARG` defaults substituted
//! (see [`super::build_args`]): `FROM ${BASE}` with `ARG BASE=python:3.12`
//! is `python:3.12`, and `FROM $STAGE` may name an earlier stage.

use super::build_args;
use super::kubernetes::str_at;
use super::{uid_of, Container, EnvVar, ImageRef, ImageUse, Model, Path, Port, Workload};
use crate::document::{Node, Value};

pub fn normalize(doc: &Node) -> Model {
    let mut model = Model::default();
    let instructions = doc
        .get("instructions")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    let stages = doc.get("stages").and_then(Node::as_seq).unwrap_or(&[]);
    let args = build_args::global_args(doc);
    // Each stage's base as `docker build` would read it.
    let bases: Vec<Option<ImageRef>> = stages
        .iter()
        .map(|s| str_at(s, &["base"]).map(|b| ImageRef::resolve(&b, &args)))
        .collect();
    // Buildah expands global arguments in stage names (`AS ${FIRST_STAGE}`;
    // BuildKit does not, moby/buildkit#2618): a `FROM ${FIRST_STAGE}` naming
    // such a stage is taken for the stage, not for an image to pull.
    // The parser lowercases stage names, variables included: they are
    // looked up by lowercase name.
    let lowercase_args: build_args::Args = args
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let stage_names: Vec<Option<String>> = stages
        .iter()
        .map(|s| {
            str_at(s, &["name"]).map(|n| {
                build_args::expand(&n, &lowercase_args)
                    .text
                    .to_ascii_lowercase()
            })
        })
        .collect();
    let from_index = |s: &Node| -> usize {
        match s.get("from").map(|n| &n.value) {
            Some(Value::Int(i)) => *i as usize,
            _ => 0,
        }
    };

    // Every FROM that names an image (not `scratch`, not an earlier stage).
    for (si, stage) in stages.iter().enumerate() {
        let Some(base) = &bases[si] else {
            continue;
        };
        let lower = base.reference.to_ascii_lowercase();
        if lower == "scratch"
            || stage_names[..si]
                .iter()
                .any(|n| n.as_deref() == Some(lower.as_str()))
        {
            continue;
        }
        let fi = from_index(stage);
        model.images.push(ImageUse {
            image: base.clone(),
            resource: stage_label(si, &stage_names[si]),
            at: Path::root().key("instructions").index(fi).key("image"),
        });
    }

    // `COPY --from=<image>` pulls an image too (`--from=composer:2`), unless
    // it names a stage, by name or by index. A stage named by a variable
    // (`AS ${STAGE}`) could be any of them: then none is taken for an image.
    let variable_stage_name = stage_names.iter().flatten().any(|n| n.contains('$'));
    for (i, ins) in instructions.iter().enumerate() {
        if variable_stage_name {
            break;
        }
        if str_at(ins, &["cmd"]).as_deref() != Some("copy") {
            continue;
        }
        let stage = match ins.get("stage").map(|n| &n.value) {
            Some(Value::Int(s)) if *s >= 0 => *s as usize,
            _ => continue,
        };
        let flags = ins.get("flags").and_then(Node::as_seq).unwrap_or(&[]);
        for (fi, flag) in flags.iter().enumerate() {
            if str_at(flag, &["name"]).as_deref() != Some("from") {
                continue;
            }
            let Some(from) = str_at(flag, &["value"]) else {
                continue;
            };
            let from = from.trim_matches(|c| c == '"' || c == '\'').to_string();
            let lower = from.to_ascii_lowercase();
            if lower.is_empty()
                || lower == "scratch"
                || lower.bytes().all(|b| b.is_ascii_digit())
                || stage_names
                    .iter()
                    .any(|n| n.as_deref() == Some(lower.as_str()))
            {
                continue;
            }
            model.images.push(ImageUse {
                image: ImageRef::parse(&from),
                resource: stage_label(stage, stage_names.get(stage).unwrap_or(&None)),
                at: Path::root()
                    .key("instructions")
                    .index(i)
                    .key("flags")
                    .index(fi)
                    .key("value"),
            });
        }
    }

    let Some(final_index) = stages.len().checked_sub(1) else {
        return model;
    };
    // The chain of stages the final stage builds on, oldest first.
    let mut chain = vec![final_index];
    let mut current = final_index;
    while let Some(base) = bases[current]
        .as_ref()
        .map(|b| b.reference.to_ascii_lowercase())
    {
        match stage_names[..current]
            .iter()
            .rposition(|n| n.as_deref() == Some(base.as_str()))
        {
            Some(parent) => {
                chain.insert(0, parent);
                current = parent;
            }
            None => break,
        }
    }

    let final_stage = &stages[final_index];
    let from_at = Path::root()
        .key("instructions")
        .index(from_index(final_stage));
    let resource = stage_label(final_index, &stage_names[final_index]);
    let name = stage_names[final_index]
        .clone()
        .unwrap_or_else(|| "image".into());
    let mut w = Workload::new("image", &name, resource.clone(), from_at.clone());
    let mut c = Container::new(&name, resource.clone(), from_at.clone());
    let root_stage = &stages[chain[0]];
    if let Some(base) = &bases[chain[0]] {
        c.image = Some(base.clone());
        c.at.insert(
            "image",
            Path::root()
                .key("instructions")
                .index(from_index(root_stage))
                .key("image"),
        );
    }

    for (i, ins) in instructions.iter().enumerate() {
        let stage = match ins.get("stage").map(|n| &n.value) {
            Some(Value::Int(s)) if *s >= 0 => *s as usize,
            _ => continue,
        };
        if !chain.contains(&stage) {
            continue;
        }
        let at = Path::root().key("instructions").index(i);
        match str_at(ins, &["cmd"]).as_deref() {
            Some("user") => {
                let user = str_at(ins, &["user"]).unwrap_or_default();
                c.uid = uid_of(&user);
                c.user = Some(user);
                c.at.insert("user", at);
            }
            Some("healthcheck") => {
                let none = ins
                    .get("none")
                    .map(|n| n.value == Value::Bool(true))
                    .unwrap_or(false);
                c.health.healthcheck = Some(!none);
                c.at.insert("healthcheck", at);
            }
            Some("env") => {
                for (pi, pair) in pairs(ins) {
                    c.env.push(EnvVar {
                        name: str_at(pair, &["key"]).unwrap_or_default(),
                        value: str_at(pair, &["value"]),
                        from_reference: false,
                        source: "env",
                        at: at.key("pairs").index(pi),
                    });
                }
            }
            Some("expose") => {
                if let Some(ports) = ins.get("ports").and_then(Node::as_seq) {
                    for (pi, p) in ports.iter().enumerate() {
                        let text = p.as_str().unwrap_or_default();
                        let (port, protocol) = match text.split_once('/') {
                            Some((p, proto)) => (p.to_string(), Some(proto.to_string())),
                            None => (text.to_string(), None),
                        };
                        c.ports.push(Port {
                            container_port: Some(port),
                            host_port: None,
                            protocol,
                            at: at.key("ports").index(pi),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    // Build arguments are not runtime environment, but their values land in
    // the image history: secret rules look at them too.
    for (i, ins) in instructions.iter().enumerate() {
        if str_at(ins, &["cmd"]).as_deref() != Some("arg") {
            continue;
        }
        let at = Path::root().key("instructions").index(i);
        for (pi, pair) in pairs(ins) {
            c.env.push(EnvVar {
                name: str_at(pair, &["key"]).unwrap_or_default(),
                value: str_at(pair, &["value"]),
                from_reference: false,
                source: "arg",
                at: at.key("pairs").index(pi),
            });
        }
    }
    w.containers.push(c);
    model.workloads.push(w);
    model
}

fn pairs(ins: &Node) -> impl Iterator<Item = (usize, &Node)> {
    ins.get("pairs")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
}

fn stage_label(index: usize, name: &Option<String>) -> String {
    match name {
        Some(n) => format!("stage {n}"),
        None => format!("stage {index}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        normalize(&crate::parse::dockerfile::parse(text).unwrap().to_node())
    }

    fn refs(m: &Model) -> Vec<(&str, &str)> {
        m.images
            .iter()
            .map(|i| (i.image.reference.as_str(), i.image.written.as_str()))
            .collect()
    }

    #[test]
    fn from_references_resolve_through_global_args() {
        let m = model(
            "ARG BASE=python:3.12-slim\nARG REGISTRY=ghcr.io/acme\n\
             FROM --platform=$BUILDPLATFORM ${BASE} AS build\n\
             FROM ${REGISTRY}/runtime:1.0\nCOPY --from=build /app /app\n",
        );
        assert_eq!(
            refs(&m),
            [
                ("python:3.12-slim", "${BASE}"),
                ("ghcr.io/acme/runtime:1.0", "${REGISTRY}/runtime:1.0")
            ]
        );
        let first = &m.images[0];
        assert_eq!(first.image.tag.as_deref(), Some("3.12-slim"));
        assert_eq!(first.image.build_args[0].name, "BASE");
        assert_eq!(
            first.at,
            Path::root().key("instructions").index(2).key("image")
        );
        let c = &m.workloads[0].containers[0];
        assert_eq!(
            c.image.as_ref().map(|i| i.reference.as_str()),
            Some("ghcr.io/acme/runtime:1.0")
        );
    }

    #[test]
    fn a_stage_built_on_a_resolved_base_keeps_its_chain() {
        let m = model(
            "ARG BASE=python:3.12\nFROM ${BASE} AS build\nUSER app\n\
             FROM build\nCMD [\"app\"]\n",
        );
        // `FROM build` is the stage, not an image; the final stage inherits
        // the USER and the resolved base image.
        assert_eq!(refs(&m), [("python:3.12", "${BASE}")]);
        let c = &m.workloads[0].containers[0];
        assert_eq!(c.user.as_deref(), Some("app"));
        assert_eq!(
            c.image.as_ref().map(|i| i.reference.as_str()),
            Some("python:3.12")
        );
    }

    #[test]
    fn a_variable_may_name_an_earlier_stage() {
        let m = model(
            "ARG FROM_STAGE=build\nARG FIRST=first-stage\n\
             FROM alpine:3.20 AS build\nFROM alpine:3.20 AS ${FIRST}\n\
             FROM ${FROM_STAGE} AS second\nFROM ${FIRST}\n",
        );
        assert_eq!(
            refs(&m),
            [
                ("alpine:3.20", "alpine:3.20"),
                ("alpine:3.20", "alpine:3.20")
            ]
        );
    }

    #[test]
    fn an_unresolved_reference_keeps_its_variables() {
        let m = model("ARG TAG\nFROM ghcr.io/acme/app:${TAG}\n");
        let image = &m.images[0].image;
        assert_eq!(image.reference, "ghcr.io/acme/app:${TAG}");
        assert_eq!(image.registry, "ghcr.io");
        assert_eq!(image.tag.as_deref(), Some("${TAG}"));
        assert!(image.variable);
        assert_eq!(image.unresolved, ["TAG"]);
    }

    #[test]
    fn args_after_the_first_from_are_not_visible_in_from() {
        let m = model("FROM alpine:3.20\nARG TAG=1.0\nFROM app:${TAG}\n");
        assert_eq!(m.images[1].image.reference, "app:${TAG}");
        assert_eq!(m.images[1].image.unresolved, ["TAG"]);
    }
}
