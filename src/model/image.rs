//! A built image → one workload with one container (its default user, env,
//! healthcheck, ports, labels, entrypoint and command), plus [`ImageFacts`]:
//! what only an image has (references, history, layers, the files its layers
//! carry). Rules see the facts as `input.image`.
//!
//! The same normalizer reads the three shapes an image's configuration comes
//! in: an OCI image config (`config.User`), Docker's image config (the same,
//! with `Healthcheck`) and one element of `docker image inspect` output
//! (`Config.User`, `RepoTags`, `Size`; no history).

use super::kubernetes::{scalar_text, str_at, string_list, string_map};
use super::{uid_of, Container, EnvVar, ImageRef, ImageUse, Model, Path, Port, Workload};
use crate::document::{Node, Value};
use crate::secrets;
use schemars::JsonSchema;
use serde::Serialize;

/// Facts about a built image (`input.image`).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ImageFacts {
    /// `oci-layout`, `oci-archive`, `docker-archive`, `config` or `inspect`.
    pub format: String,
    /// Names the image is known by (`registry.example.com/app:1.4`): an
    /// index's `org.opencontainers.image.ref.name`/`io.containerd.image.name`
    /// annotations, `docker save`'s `RepoTags`, inspect's `RepoTags`.
    pub references: Vec<String>,
    /// False for a bare image config, which cannot say what it is called.
    pub references_known: bool,
    /// `os/architecture[/variant]`.
    pub platform: Option<String>,
    pub manifest_digest: Option<String>,
    pub config_digest: Option<String>,
    /// The config's `history`, one entry per build step.
    pub history: Vec<HistoryEntry>,
    /// The layers were read (archives and layouts; not a config or inspect output).
    pub layers_read: bool,
    pub layers: Vec<LayerFacts>,
    pub size: ImageSize,
    /// Files of the layers that rules look at: secret-looking files (with
    /// what their content revealed), setuid/setgid files and `.git`
    /// directories. Other files are only counted (`layers[].files`).
    pub files: Vec<FileFact>,
    /// Facts left out past the per-image cap (memory stays bounded).
    pub files_omitted: u64,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ImageSize {
    /// Bytes of the layer blobs as stored and pushed (gzip when compressed).
    pub compressed: Option<u64>,
    /// Bytes of the unpacked layers (inspect's `Size` when the layers were not read).
    pub uncompressed: Option<u64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryEntry {
    pub index: usize,
    /// `created_by` with secret values redacted.
    pub created_by: Option<String>,
    pub empty_layer: bool,
    /// Index of the layer this step created (`null` for an empty layer).
    pub layer: Option<usize>,
    /// Secrets in `created_by`: `NAME=value` with a secret-looking name and a
    /// literal value, and known token formats.
    pub secrets: Vec<HistorySecret>,
    pub at: Path,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistorySecret {
    /// The variable name, or the token format (`github-token`).
    pub name: String,
    /// `name` is a token format rather than a variable.
    pub token: bool,
    pub redacted: String,
    /// The same name and value are still in the config's `Env` (CP501 reports those).
    pub in_env: bool,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct LayerFacts {
    pub index: usize,
    /// Digest of the blob as stored (compressed).
    pub digest: String,
    /// Digest of the uncompressed tar (the config's `rootfs.diff_ids`).
    pub diff_id: Option<String>,
    pub media_type: Option<String>,
    pub size: u64,
    pub uncompressed_size: u64,
    /// Regular files, and their bytes.
    pub files: u64,
    pub file_bytes: u64,
    /// Whiteout entries: deletions of files of lower layers.
    pub whiteouts: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileFact {
    /// The path in the image, without a leading `/` (a `.git` directory ends with `/`).
    pub path: String,
    /// `file`, `hardlink`, `symlink` (a secret name linking to a key's bytes) or `directory`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub layer: String,
    pub layer_index: usize,
    pub setuid: bool,
    pub setgid: bool,
    /// What kind of secret the file is (`ssh-private-key`, `npmrc`, `git-directory`…), or null.
    pub secret_kind: Option<&'static str>,
    /// Known token formats found in its first 64 KiB.
    pub tokens: Vec<&'static str>,
    /// A later layer deleted it (whiteout) or replaced it: it is not in the
    /// final file system, but its bytes still ship in the layer.
    pub deleted_in: Option<usize>,
    pub replaced_in: Option<usize>,
    /// `layer sha256:… path`, for findings.
    pub location: String,
}

/// An image config (OCI or Docker) or one element of `docker image inspect`.
pub fn normalize(doc: &Node) -> Model {
    let (facts, _) = facts_of(doc);
    normalize_with(doc, facts)
}

/// The workload of an image, with facts gathered elsewhere (layers, references).
pub fn normalize_with(doc: &Node, mut facts: ImageFacts) -> Model {
    let mut model = Model::default();
    let inspect = doc.get("Config").is_some() || doc.get("RepoTags").is_some();
    let config_key = if inspect { "Config" } else { "config" };
    let config = doc.get(config_key);
    let config_at = Path::root().key(config_key);
    let field = |k: &str| config.and_then(|c| c.get(k));

    let reference = facts.references.first().cloned();
    let name = reference
        .as_deref()
        .map(|r| ImageRef::parse(r).repository)
        .unwrap_or_else(|| "image".into());
    let mut resource = match &reference {
        Some(r) => format!("image {r}"),
        None => "image".to_string(),
    };
    if let Some(p) = &facts.platform {
        resource = format!("{resource} ({p})");
    }
    let mut w = Workload::new("image", &name, resource.clone(), Path::root());
    let mut c = Container::new(&name, resource.clone(), config_at.clone());
    if let Some(r) = &reference {
        c.image = Some(ImageRef::parse(r));
    }
    // Where the user and the healthcheck are, or would be: an absent field
    // is located at its enclosing `config`, and named `config.User`.
    c.at.insert("user", config_at.key("User"));
    c.at.insert("healthcheck", config_at.key("Healthcheck"));
    if let Some(user) = field("User").and_then(scalar_text) {
        if !user.trim().is_empty() {
            c.uid = uid_of(&user);
            c.user = Some(user);
        }
    }
    for (i, item) in field("Env")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let Some(text) = item.as_str() else { continue };
        let (name, value) = match text.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (text.to_string(), None),
        };
        c.env.push(EnvVar {
            name,
            value,
            from_reference: false,
            source: "env",
            at: config_at.key("Env").index(i),
        });
    }
    if let Some(ports) = field("ExposedPorts").and_then(Node::as_map) {
        for e in ports {
            let (port, protocol) = match e.key.split_once('/') {
                Some((p, proto)) => (p.to_string(), Some(proto.to_string())),
                None => (e.key.clone(), None),
            };
            c.ports.push(Port {
                container_port: Some(port),
                host_port: None,
                protocol,
                at: config_at.keys(&["ExposedPorts", &e.key]),
            });
        }
    }
    if let Some(hc) = field("Healthcheck") {
        let test = string_list(hc.get("Test"));
        let disabled = test.first().map(String::as_str) == Some("NONE");
        let declared = !test.is_empty();
        if declared {
            c.health.healthcheck = Some(!disabled);
        }
    }
    for (key, slot) in [("Entrypoint", &mut c.entrypoint), ("Cmd", &mut c.cmd)] {
        if let Some(node) = field(key) {
            *slot = match &node.value {
                Value::Seq(_) => Some(string_list(Some(node))),
                Value::Str(s) => Some(vec![s.clone()]),
                _ => None,
            };
        }
    }
    if field("Entrypoint").is_some() {
        c.at.insert("entrypoint", config_at.key("Entrypoint"));
    }
    if field("Cmd").is_some() {
        c.at.insert("cmd", config_at.key("Cmd"));
    }
    w.labels = string_map(field("Labels"));
    if field("Labels").is_some() {
        w.at.insert("labels", config_at.key("Labels"));
    }
    for (i, r) in facts.references.iter().enumerate() {
        let at = if inspect {
            Path::root().key("RepoTags").index(i)
        } else {
            Path::root().key("references").index(i)
        };
        model.images.push(ImageUse {
            image: ImageRef::parse(r),
            resource: resource.clone(),
            at,
        });
    }
    // History secrets the config's Env still holds are CP501's to report.
    for h in &mut facts.history {
        for s in &mut h.secrets {
            s.in_env = c.env.iter().any(|e| {
                e.name == s.name
                    && e.value
                        .as_deref()
                        .is_some_and(|v| secrets::redact(v) == s.redacted)
            });
        }
    }
    w.containers.push(c);
    model.workloads.push(w);
    model.image = Some(facts);
    model
}

/// What the config node itself says: history, references and size of an
/// inspect element, platform. The second value is the config's diff_ids.
pub fn facts_of(doc: &Node) -> (ImageFacts, Vec<String>) {
    let inspect = doc.get("Config").is_some() || doc.get("RepoTags").is_some();
    let mut facts = ImageFacts {
        format: if inspect { "inspect" } else { "config" }.into(),
        ..Default::default()
    };
    let os = str_at(doc, &[if inspect { "Os" } else { "os" }]);
    let arch = str_at(
        doc,
        &[if inspect {
            "Architecture"
        } else {
            "architecture"
        }],
    );
    let variant = str_at(doc, &[if inspect { "Variant" } else { "variant" }]);
    if let (Some(os), Some(arch)) = (os, arch) {
        facts.platform = Some(match variant {
            Some(v) if !v.is_empty() => format!("{os}/{arch}/{v}"),
            _ => format!("{os}/{arch}"),
        });
    }
    if inspect {
        facts.references_known = true;
        facts.references = string_list(doc.get("RepoTags"));
        if facts.references.is_empty() {
            // An image known by digest only: `app@sha256:…`.
            facts.references = string_list(doc.get("RepoDigests"));
        }
        facts.size.uncompressed = match doc.get("Size").map(|n| &n.value) {
            Some(Value::Int(i)) if *i >= 0 => Some(*i as u64),
            Some(Value::Float(f)) if *f >= 0.0 => Some(*f as u64),
            _ => None,
        };
        facts.config_digest = str_at(doc, &["Id"]);
    }
    let rootfs = doc.get(if inspect { "RootFS" } else { "rootfs" });
    let diff_ids =
        string_list(rootfs.and_then(|r| r.get(if inspect { "Layers" } else { "diff_ids" })));
    let mut layer = 0;
    for (i, h) in doc
        .get("history")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let empty = matches!(
            h.get("empty_layer").map(|n| &n.value),
            Some(Value::Bool(true))
        );
        let created_by = str_at(h, &["created_by"]);
        let (redacted, found) = match &created_by {
            Some(text) => history_secrets(text),
            None => (None, Vec::new()),
        };
        facts.history.push(HistoryEntry {
            index: i,
            created_by: redacted.or(created_by),
            empty_layer: empty,
            layer: (!empty).then_some(layer),
            secrets: found,
            at: Path::root().key("history").index(i),
        });
        if !empty {
            layer += 1;
        }
    }
    (facts, diff_ids)
}

/// Secret assignments (`NAME=value`, `ENV NAME value`) and known token
/// formats in a history step, and the step with their values redacted.
pub fn history_secrets(text: &str) -> (Option<String>, Vec<HistorySecret>) {
    let mut found = Vec::new();
    let mut literals: Vec<String> = Vec::new();
    for m in secrets::find_tokens(text) {
        let token = &text[m.range.clone()];
        found.push(HistorySecret {
            name: m.kind.to_string(),
            token: true,
            redacted: secrets::redact(token),
            in_env: false,
        });
        literals.push(token.to_string());
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let (name, value) = match word.split_once('=') {
            Some((k, v)) => (k, v.to_string()),
            // The classic builder's `ENV NAME value`.
            None if i > 0
                && words[i - 1] == "ENV"
                && i + 1 < words.len()
                && !words[i + 1].contains('=') =>
            {
                (*word, words[i + 1..].join(" "))
            }
            None => continue,
        };
        let name = name
            .trim_start_matches("--")
            .trim_matches(|c| c == '"' || c == '\'');
        let value = value.trim_matches(|c| c == '"' || c == '\'').to_string();
        if name.is_empty()
            || !secrets::is_secret_name(name)
            || secrets::is_placeholder(&value)
            || value.len() < 4
            || literals.contains(&value)
        {
            continue;
        }
        found.push(HistorySecret {
            name: name.to_string(),
            token: false,
            redacted: secrets::redact(&value),
            in_env: false,
        });
        literals.push(value);
    }
    if literals.is_empty() {
        return (None, found);
    }
    literals.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let mut redacted = text.to_string();
    for l in &literals {
        redacted = redacted.replace(l.as_str(), &secrets::redact(l));
    }
    (Some(redacted), found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_assignments_and_tokens_are_found_and_redacted() {
        let (shown, found) =
            history_secrets("RUN |1 DB_PASSWORD=hunter2hunter2 /bin/sh -c ./configure");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "DB_PASSWORD");
        let shown = shown.unwrap();
        assert!(!shown.contains("hunter2"), "{shown}");
        let (_, found) = history_secrets("/bin/sh -c #(nop)  ENV API_TOKEN s3cr3tvalue");
        assert_eq!(found[0].name, "API_TOKEN");
        let (_, found) = history_secrets("ENV PASSWORD_FILE=/run/secrets/db");
        assert!(found.is_empty());
        let (shown, found) =
            history_secrets("RUN echo ghp_abcdefghijklmnopqrstuvwxyz0123456789 > /t");
        assert_eq!(found[0].name, "github-token");
        assert!(!shown.unwrap().contains("abcdefghij"));
    }
}
