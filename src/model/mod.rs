//! The normalized workload model: one shape for every kind of artifact, so a
//! rule about "containers that run as root" is written once. Every field that
//! came from the source keeps its path in `at`, which the engine resolves to a
//! file:line:column.

pub mod build_args;
pub mod compose;
pub mod container;
pub mod dockerfile;
pub mod image;
pub mod image_ref;
pub mod kubernetes;

use crate::document::Step;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

pub use image_ref::ImageRef;

/// A path into the document (`["spec", "containers", 0, "image"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path(pub Vec<Step>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }
    pub fn key(&self, k: &str) -> Path {
        let mut p = self.0.clone();
        p.push(Step::Key(k.to_string()));
        Path(p)
    }
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.0.clone();
        p.push(Step::Index(i));
        Path(p)
    }
    pub fn keys(&self, ks: &[&str]) -> Path {
        let mut p = self.clone();
        for k in ks {
            p = p.key(k);
        }
        p
    }
}

impl Serialize for Path {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for step in &self.0 {
            match step {
                Step::Key(k) => seq.serialize_element(k)?,
                Step::Index(i) => seq.serialize_element(i)?,
            }
        }
        seq.end()
    }
}

impl JsonSchema for Path {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Path".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A path into `input.document`: mapping keys (strings) and sequence indexes (integers). The engine resolves it to file:line:column.",
            "type": "array",
            "items": { "type": ["string", "integer"] }
        })
    }
}

/// Where each field of an object came from: `self` is the object's own node;
/// other keys name fields. A field that is absent has no entry, so rules point
/// at `self` (the node that should have held it).
pub type At = BTreeMap<&'static str, Path>;

/// Something that runs: a Kubernetes workload, a compose service, the image a
/// Dockerfile builds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Workload {
    /// `Deployment`, `Pod`, `CronJob`… for Kubernetes; `service` for compose; `image` for a Dockerfile;
    /// `container` for a container `docker inspect` describes.
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// Human name used in findings: `Deployment/web`, `service web`, `stage runtime`.
    pub resource: String,
    pub host_network: Option<bool>,
    pub host_pid: Option<bool>,
    pub host_ipc: Option<bool>,
    /// Compose `restart` (or `deploy.restart_policy.condition`); Kubernetes `restartPolicy`.
    pub restart: Option<String>,
    /// Compose `logging`: driver and options as written.
    pub logging: Option<Logging>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// Labels of the pods it creates (Kubernetes pod template labels); what
    /// Services, NetworkPolicies and PodDisruptionBudgets select.
    pub pod_labels: BTreeMap<String, String>,
    /// Kubernetes `spec.replicas` as written.
    pub replicas: Option<i64>,
    pub containers: Vec<Container>,
    #[schemars(with = "BTreeMap<String, Path>")]
    pub at: At,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Logging {
    pub driver: Option<String>,
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Container {
    pub name: String,
    /// Human name used in findings: `Deployment/web container app`.
    pub resource: String,
    /// A Kubernetes init container (probes do not apply).
    pub init: bool,
    /// What a running container reports about itself (`docker inspect`'s
    /// `State`, a Pod's `status.containerStatuses`); null for declarations.
    pub state: Option<RuntimeState>,
    pub image: Option<ImageRef>,
    /// The effective user as written (`1000`, `app:app`, `root`), or null when unset.
    pub user: Option<String>,
    /// The numeric UID when it is known (`root` is 0).
    pub uid: Option<i64>,
    /// Kubernetes `runAsNonRoot`.
    pub run_as_non_root: Option<bool>,
    pub read_only_root_filesystem: Option<bool>,
    pub privileged: Option<bool>,
    /// Kubernetes `allowPrivilegeEscalation`; compose `security_opt: [no-new-privileges]` means false.
    pub allow_privilege_escalation: Option<bool>,
    pub capabilities: Capabilities,
    pub resources: Resources,
    pub mounts: Vec<Mount>,
    pub env: Vec<EnvVar>,
    pub ports: Vec<Port>,
    pub health: Health,
    /// A built image's `Entrypoint` and `Cmd` (null for other kinds).
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    #[schemars(with = "BTreeMap<String, Path>")]
    pub at: At,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Capabilities {
    pub add: Vec<String>,
    pub drop: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Resources {
    pub limits: ResourceValues,
    pub requests: ResourceValues,
}

impl Resources {
    /// `limits` or `requests` by name.
    pub fn section_mut(&mut self, name: &str) -> &mut ResourceValues {
        if name == "limits" {
            &mut self.limits
        } else {
            &mut self.requests
        }
    }
}

/// Quantities as written (`500m`, `0.5`, `256Mi`, `1g`).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ResourceValues {
    pub cpu: Option<String>,
    pub memory: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`, `hostPath`, `secret`, `configMap`, `emptyDir`, `other`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Host path for bind/hostPath mounts, volume name otherwise.
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: bool,
    pub at: Path,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EnvVar {
    pub name: String,
    /// The literal value, or null when it comes from elsewhere.
    pub value: Option<String>,
    /// Comes from a Secret/ConfigMap reference (`valueFrom`) rather than a literal.
    pub from_reference: bool,
    /// `env` for runtime environment, `arg` for a Dockerfile build argument.
    pub source: &'static str,
    pub at: Path,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Port {
    pub container_port: Option<String>,
    pub host_port: Option<String>,
    pub protocol: Option<String>,
    pub at: Path,
}

/// Health declarations. `healthcheck` is true when declared, false when
/// explicitly disabled (`HEALTHCHECK NONE`, `disable: true`), null when absent.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Health {
    pub healthcheck: Option<bool>,
    pub liveness_probe: bool,
    pub readiness_probe: bool,
    pub startup_probe: bool,
}

/// The observed state of a container: from `docker inspect` (`State`,
/// `State.Health`) or a Pod's status (`containerStatuses`).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct RuntimeState {
    /// `running`, `created`, `exited`, `restarting`, `paused`, `dead`;
    /// for a Pod's container `running`, `waiting` or `terminated`.
    pub status: String,
    pub running: bool,
    /// Docker health: `healthy`, `unhealthy` or `starting`; null without a
    /// healthcheck. A Pod's container: `ready` or `not-ready`.
    pub health: Option<String>,
    /// Consecutive failed health checks (Docker).
    pub failing_streak: i64,
    /// The most recent failed health check, when one is in the log.
    pub last_failure: Option<HealthCheckResult>,
    pub restart_count: i64,
    /// Why it is not running or last stopped: `OOMKilled`, `CrashLoopBackOff`,
    /// `Error`…
    pub reason: Option<String>,
}

/// One health check run, its output trimmed and with secrets redacted.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HealthCheckResult {
    pub exit_code: i64,
    pub output: String,
    /// When it ran (RFC 3339, as the engine reports it).
    pub at: Option<String>,
}

/// An image reference anywhere in the artifact: every `FROM`, every compose
/// `image:`, every Kubernetes container image.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImageUse {
    #[serde(flatten)]
    pub image: ImageRef,
    pub resource: String,
    pub at: Path,
}

/// What the normalizers produce for one document.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Model {
    pub workloads: Vec<Workload>,
    pub images: Vec<ImageUse>,
    /// A built image's facts (`input.image`); only for kind `image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<image::ImageFacts>,
}

/// The UID a user string stands for, when it is knowable from the text alone.
pub fn uid_of(user: &str) -> Option<i64> {
    let name = user.split(':').next().unwrap_or("").trim();
    // ContainerAdministrator is Windows containers' root.
    if name == "root" || name.eq_ignore_ascii_case("ContainerAdministrator") {
        return Some(0);
    }
    name.parse::<i64>().ok()
}

impl Workload {
    pub fn new(kind: &str, name: &str, resource: String, at_self: Path) -> Self {
        let mut at = At::new();
        at.insert("self", at_self);
        Workload {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: None,
            resource,
            host_network: None,
            host_pid: None,
            host_ipc: None,
            restart: None,
            logging: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            pod_labels: BTreeMap::new(),
            replicas: None,
            containers: Vec::new(),
            at,
        }
    }
}

impl Container {
    pub fn new(name: &str, resource: String, at_self: Path) -> Self {
        let mut at = At::new();
        at.insert("self", at_self);
        Container {
            name: name.to_string(),
            resource,
            at,
            ..Default::default()
        }
    }
}
