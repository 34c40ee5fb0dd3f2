//! The config file, `.policy.yaml`: found in the current directory or the
//! nearest parent (or named with `--config`). [`ConfigFile`] is the one
//! description of its keys: serde reads it, schemars writes
//! `schemas/config.schema.json` from it. The file is parsed with spans kept,
//! so every error (unknown key, wrong type, bad value, unknown rule) points
//! at its line. The command line is layered over it by the CLI.

use crate::document::{Node, Step, Value};
use crate::engine::{LoadOptions, Selection};
use crate::rules::{Rule, Severity};
use crate::source::{SourceFile, Span};
use crate::sources::discover::Globs;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Names looked for in each directory, in this order.
pub const FILE_NAMES: &[&str] = &[".policy.yaml", ".policy.yml"];

/// Settings for `policy check` (and the policies `policy rules` and
/// `policy explain` load). Paths and globs are relative to the directory of
/// the config file. Command-line flags override it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "container-policy config (.policy.yaml)")]
pub struct ConfigFile {
    /// `.gitignore`-style globs: when walking directories, only files that
    /// match (or lie in a matching directory) are checked. Empty: every file.
    pub include: Vec<String>,
    /// `.gitignore`-style globs never checked when walking directories.
    /// Files named on the command line are still checked (as ruff and
    /// ripgrep do) unless `force-exclude` is set.
    pub exclude: Vec<String>,
    /// Also apply `include` and `exclude` to paths named on the command line
    /// (a pre-commit hook passes every staged file by name).
    pub force_exclude: bool,
    /// Policy files or directories of `.rego` files, like `--policy`; inside
    /// the config file's directory (the file may come from the checked
    /// repository: give others with `--policy`).
    pub policies: Vec<PathBuf>,
    /// JSON or YAML files merged into `data`, like `--data`; inside the
    /// config file's directory (give others with `--data`).
    pub data: Vec<PathBuf>,
    /// Run only the policies given in `policies` or with `--policy`.
    pub no_builtin: bool,
    /// The rule selection to start from: `minimal`, `default` or `strict`
    /// (docs/profiles.md), like `--profile`; `enable` and `disable` apply
    /// after it.
    pub profile: Option<crate::rules::Profile>,
    /// Rules to enable by id, name or tag (opt-in rules too).
    pub enable: Vec<String>,
    /// Rules to disable by id, name or tag; wins over `enable`.
    pub disable: Vec<String>,
    /// Severity overrides by rule id, name or tag; a later key wins.
    pub severity: BTreeMap<String, Severity>,
    /// Exit 1 when a finding is at or above this severity (default `error`).
    pub fail_on: Option<FailOn>,
    /// Also run cross-document rules, like `--combine`.
    pub combine: bool,
    /// Packages whose conftest-style rules run (globs; default `main`), like `--namespace`.
    pub namespaces: Vec<String>,
    /// Read conftest-style rules from every package, like `--all-namespaces`.
    pub all_namespaces: bool,
    /// Parameters of the built-in rules and your own, seen by Rego as
    /// `data.parameters` (snake_case keys, normalized values).
    pub parameters: Parameters,
    /// Compose projects beyond the ones `docker compose` finds by itself.
    pub compose: ComposeSettings,
    /// How Helm charts are rendered: values files, overrides, release.
    pub helm: HelmSettings,
}

/// Helm settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HelmSettings {
    /// Charts rendered with more than their own `values.yaml`, e.g.
    /// `{chart: deploy/app, values: [deploy/app/values-prod.yaml]}`.
    pub charts: Vec<HelmChart>,
}

/// One chart's rendering settings; paths inside the config file's directory.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HelmChart {
    /// The chart directory (holding `Chart.yaml`) or packaged `.tgz`.
    pub chart: PathBuf,
    /// `.Release.Name` (default `release-name`, as `helm template`).
    pub release_name: Option<String>,
    /// `.Release.Namespace` (default `default`).
    pub namespace: Option<String>,
    /// The Kubernetes version rendered for (`1.30`; default Helm's, v1.36.0).
    pub kube_version: Option<String>,
    /// API versions `.Capabilities.APIVersions.Has` knows beyond Helm's
    /// defaults (`monitoring.coreos.com/v1`), as `helm template --api-versions`.
    pub api_versions: Vec<String>,
    /// Values files merged in order over the chart's, as `-f`.
    pub values: Vec<PathBuf>,
    /// Overrides after the files, as `--set a.b=c`.
    pub set: Vec<String>,
    /// Several value sets checked in one run, each after `values` and
    /// `set`; findings name the set (`Deployment/x [prod]`).
    pub value_sets: Vec<HelmValueSet>,
}

/// One value set of a chart.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HelmValueSet {
    /// Shown after resources (default: the files' names).
    pub name: Option<String>,
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
}

/// Compose settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComposeSettings {
    /// Extra stacks, each judged merged as `docker compose -f A -f B
    /// --env-file E` would build it, e.g. `{files: [docker-compose.yml,
    /// docker-compose.prod.yml], env-file: .env.prod}`; paths inside the
    /// config file's directory.
    pub stacks: Vec<ComposeStack>,
}

/// One compose stack: its files in merge order and its env file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComposeStack {
    /// Compose files, merged in this order (at least one).
    pub files: Vec<PathBuf>,
    /// The file variables are interpolated from (default: `.env` beside
    /// the first file).
    #[serde(default, alias = "env_file")]
    pub env_file: Option<PathBuf>,
}

/// The threshold of the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Written kebab-case in the file; serialized snake_case with normalized
/// values for Rego: `data.parameters.allowed_registries` (strings),
/// `.allowed_uid_ranges` (`{"min", "max"}` objects), `.image_size_budget`
/// (bytes), `.required_labels`, `.unpinned_package_managers`,
/// `.nonroot_base_images` and `.healthcheck_exempt_base_images` (strings).
/// An absent parameter is absent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(
    default,
    deny_unknown_fields,
    rename_all(deserialize = "kebab-case", serialize = "snake_case")
)]
pub struct Parameters {
    /// Registries (optionally with a path prefix) images may come from,
    /// e.g. `registry.example.com` or `ghcr.io/example`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_registries: Option<Vec<String>>,
    /// User ids containers may run as: a range `"A-B"` or a single uid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_uid_ranges: Option<Vec<UidRange>>,
    /// Largest image size: bytes as an integer, or a number with a unit
    /// (B, KB, MB, GB, KiB, MiB, GiB), e.g. `200MB`; or one per image name,
    /// e.g. `{backend: 200MB, "*": 100MB}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_size_budget: Option<ImageSizeBudget>,
    /// Labels every workload must carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_labels: Option<Vec<String>>,
    /// Package managers whose installs need not pin versions (CP718):
    /// any of `apt`, `apk`, `pip`, `npm`, `gem`, `go`, `dnf` (and microdnf),
    /// `yum`, `zypper`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpinned_package_managers: Option<Vec<String>>,
    /// Images that run as a non-root user by default, added to the built-in
    /// table (policies/lib/base_images.rego) that CP101 reads: globs over the
    /// image reference, e.g. `registry.example.com/base/*`; `*` matches any
    /// text, `/` included; `!` first takes matching images back out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonroot_base_images: Option<Vec<ImageGlob>>,
    /// Images on which a HEALTHCHECK makes no sense (CLI tools, job
    /// runners), added to the built-in table that CP601 reads; globs as for
    /// `nonroot-base-images`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck_exempt_base_images: Option<Vec<ImageGlob>>,
}

/// A glob over image references, checked here as Rego's `glob.match` with
/// no delimiters will read it (`/` is no separator): a pattern it cannot
/// compile would fail every evaluation instead of this config line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct ImageGlob(#[schemars(length(min = 1))] pub String);

impl ImageGlob {
    pub fn parse(text: &str) -> Result<ImageGlob, String> {
        let pattern = text.strip_prefix('!').unwrap_or(text);
        if pattern.trim().is_empty() || pattern.contains('\0') {
            return Err(format!("`{text}` is not an image pattern"));
        }
        globset::GlobBuilder::new(&pattern.to_ascii_lowercase().replace('/', "\0"))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{text}` is not a valid glob: {}", e.kind()))?;
        Ok(ImageGlob(text.to_ascii_lowercase()))
    }
}

impl<'de> Deserialize<'de> for ImageGlob {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ImageGlob::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One size for every image, or a size per image name (the repository,
/// `team/backend`, or its last component, `backend`; `*` for the others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ImageSizeBudget {
    All(ByteSize),
    PerImage(BTreeMap<String, ByteSize>),
}

impl<'de> Deserialize<'de> for ImageSizeBudget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ImageSizeBudget;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size such as \"200MB\", or a mapping of image names to sizes")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ImageSizeBudget::All(ByteSize(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                u64::try_from(v)
                    .map(|v| ImageSizeBudget::All(ByteSize(v)))
                    .map_err(|_| E::custom(format!("{v} is negative")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                ByteSize::parse(v)
                    .map(ImageSizeBudget::All)
                    .map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut sizes = BTreeMap::new();
                while let Some((name, size)) = map.next_entry::<String, ByteSize>()? {
                    sizes.insert(name, size);
                }
                Ok(ImageSizeBudget::PerImage(sizes))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl JsonSchema for ImageSizeBudget {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ImageSizeBudget".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let size = generator.subschema_for::<ByteSize>();
        schemars::json_schema!({
            "description": "A size for every image, or a mapping of image names (repository, its last component, or `*` for the others) to sizes.",
            "oneOf": [
                size,
                { "type": "object", "additionalProperties": size }
            ]
        })
    }
}

/// An inclusive range of user ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UidRange {
    pub min: u32,
    pub max: u32,
}

/// A size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ByteSize(pub u64);

impl UidRange {
    pub fn parse(text: &str) -> Result<UidRange, String> {
        let uid = |s: &str| {
            s.trim().parse::<u32>().map_err(|_| {
                format!(
                    "`{text}` is not a uid or a range `A-B` of uids (0 to {})",
                    u32::MAX
                )
            })
        };
        let range = match text.split_once('-') {
            Some((min, max)) => UidRange {
                min: uid(min)?,
                max: uid(max)?,
            },
            None => {
                let id = uid(text)?;
                UidRange { min: id, max: id }
            }
        };
        if range.min > range.max {
            return Err(format!("the range `{text}` ends before it starts"));
        }
        Ok(range)
    }
}

impl ByteSize {
    const UNITS: &[(&str, u64)] = &[
        ("b", 1),
        ("kb", 1000),
        ("mb", 1000 * 1000),
        ("gb", 1000 * 1000 * 1000),
        ("kib", 1 << 10),
        ("mib", 1 << 20),
        ("gib", 1 << 30),
    ];

    pub fn parse(text: &str) -> Result<ByteSize, String> {
        let bad = || {
            format!("`{text}` is not a size: a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB")
        };
        let trimmed = text.trim();
        let split = trimmed
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(split);
        let unit = unit.trim().to_ascii_lowercase();
        let factor = match unit.as_str() {
            "" => 1,
            _ => {
                Self::UNITS
                    .iter()
                    .find(|(u, _)| *u == unit)
                    .ok_or_else(bad)?
                    .1
            }
        };
        let bytes = if number.contains('.') {
            let value: f64 = number.parse().map_err(|_| bad())?;
            let bytes = (value * factor as f64).round();
            (bytes < u64::MAX as f64).then_some(bytes as u64)
        } else {
            number
                .parse::<u64>()
                .map_err(|_| bad())?
                .checked_mul(factor)
        };
        bytes
            .map(ByteSize)
            .ok_or_else(|| format!("`{text}` is too large"))
    }
}

/// Integers and strings both, with errors that say what is wrong.
macro_rules! int_or_string {
    ($type:ty, $expecting:literal, $from_int:expr) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $type;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$type, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($from_int)(v).map_err(E::custom)
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$type, E> {
                        match u64::try_from(v) {
                            Ok(v) => self.visit_u64(v),
                            Err(_) => Err(E::custom(format!("{v} is negative"))),
                        }
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$type, E> {
                        <$type>::parse(v).map_err(E::custom)
                    }
                }
                d.deserialize_any(Visitor)
            }
        }
    };
}

int_or_string!(UidRange, "a uid or a range \"A-B\" of uids", |v: u64| {
    u32::try_from(v)
        .map(|id| UidRange { min: id, max: id })
        .map_err(|_| format!("{v} is not a uid (0 to {})", u32::MAX))
});
int_or_string!(
    ByteSize,
    "bytes, or a size with a unit such as \"200MB\"",
    |v: u64| { Ok::<_, String>(ByteSize(v)) }
);

impl JsonSchema for UidRange {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UidRange".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A uid, or an inclusive range \"A-B\" of uids.",
            "oneOf": [
                { "type": "integer", "minimum": 0, "maximum": u32::MAX },
                { "type": "string", "pattern": "^\\s*[0-9]+\\s*(-\\s*[0-9]+\\s*)?$" }
            ]
        })
    }
}

impl JsonSchema for ByteSize {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ByteSize".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Bytes, or a number with a unit: B, KB, MB, GB (powers of 1000), KiB, MiB, GiB (powers of 1024).",
            "oneOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*([kKmMgG][iI]?[bB]|[bB])?\\s*$" }
            ]
        })
    }
}

/// `schemas/config.schema.json`.
pub fn schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serializes");
    text.push('\n');
    text
}

/// A loaded, valid config file.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: ConfigFile,
    /// Severity overrides in the order written (a later one wins).
    pub severity: Vec<(String, Severity)>,
    /// The include/exclude globs, when there are any.
    pub globs: Option<Globs>,
    /// The directory paths in the file are relative to, as the user would write it.
    dir: PathBuf,
    source: SourceFile,
    node: Node,
}

impl Config {
    /// The nearest config file from `start` upwards, shown relative to `start`.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let mut shown = PathBuf::new();
        for dir in start.ancestors() {
            for name in FILE_NAMES {
                if dir.join(name).is_file() {
                    return Some(shown.join(name));
                }
            }
            shown.push("..");
        }
        None
    }

    /// The config of the current directory, if there is one.
    pub fn discover() -> Result<Option<Config>, miette::Report> {
        let cwd = std::env::current_dir()
            .map_err(|e| miette::miette!("cannot read the current directory: {e}"))?;
        let Some(path) = Config::find(&cwd) else {
            return Ok(None);
        };
        // Found, not named: it may come from the checked repository, and a
        // link out of its directory (`.policy.yaml -> /proc/self/environ`)
        // would print host text in a config error.
        let dir = path.parent().unwrap_or(Path::new(""));
        let name = path.file_name().map(Path::new).unwrap_or(Path::new(""));
        if let Err(why) = stays_inside(dir, name) {
            return Err(miette::miette!(
                code = "config-error",
                help = "name a config file elsewhere with --config, or --no-config",
                "config file {} {why}; not read",
                path.display()
            ));
        }
        Config::load(&path).map(Some)
    }

    pub fn load(path: &Path) -> Result<Config, miette::Report> {
        let text = crate::source::read_input(path, "").map_err(|e| {
            miette::miette!(
                code = "config-error",
                "cannot read config file {}: {e}",
                path.display()
            )
        })?;
        Config::parse(path, text)
    }

    /// Reads a config file's text; `path` names it in errors and anchors its relative paths.
    pub fn parse(path: &Path, text: String) -> Result<Config, miette::Report> {
        let source = SourceFile::new(path.to_string_lossy().as_ref(), text);
        let documents = crate::parse::parse_yaml(&source.text)
            .map_err(|e| diagnostic(&source, e.span, e.message, "here", None))?;
        let mut errors = Errors::default();
        if let Some(extra) = documents.get(1) {
            errors.push(
                extra.node.span,
                diagnostic(
                    &source,
                    extra.node.span,
                    "a config file holds one YAML document".into(),
                    "a second document",
                    None,
                ),
            );
        }
        let node = documents
            .into_iter()
            .next()
            .map(|d| d.node)
            .unwrap_or_else(|| Node::new(Span::default(), Value::Null));
        // serde would read a sequence as a struct's fields in order.
        for (setting, value) in [
            ("", Some(&node)),
            ("`parameters`: ", node.get("parameters")),
        ] {
            if let Some(value) = value.filter(|v| v.as_map().is_none() && v.value != Value::Null) {
                errors.push(
                    value.span,
                    diagnostic(
                        &source,
                        value.span,
                        format!("{setting}expected a mapping of `key: value` settings"),
                        "not a mapping",
                        None,
                    ),
                );
            }
        }
        let mut json = match node.to_json() {
            Json::Null => Json::Object(Default::default()),
            other => other,
        };
        if !json.is_object() {
            return Err(errors
                .into_report(&source.path)
                .expect("an error was pushed"));
        }
        if json
            .get("parameters")
            .is_some_and(|p| !p.is_object() && !p.is_null())
        {
            json.as_object_mut().map(|o| o.remove("parameters"));
        }
        // serde stops at the first mistake: each one is reported, taken out,
        // and the rest read again, so that all are shown at once.
        let mut file = None;
        for _ in 0..MAX_CONFIG_ERRORS {
            match serde_path_to_error::deserialize::<_, ConfigFile>(json.clone()) {
                Ok(read) => {
                    file = Some(read);
                    break;
                }
                Err(e) => {
                    let steps = error_steps(&e);
                    let (span, report) = deserialize_error(&source, &node, e);
                    errors.push(span, report);
                    if !remove_setting(&mut json, &steps) {
                        break;
                    }
                }
            }
        }
        let Some(file) = file else {
            return Err(errors
                .into_report(&source.path)
                .expect("an error was pushed"));
        };
        let severity = node
            .get("severity")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                file.severity
                    .get(&e.key)
                    .map(|level| (e.key.clone(), *level))
            })
            .collect();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for (key, paths) in [("policies", &file.policies), ("data", &file.data)] {
            for (index, p) in paths.iter().enumerate() {
                if let Err(why) = stays_inside(&dir, p) {
                    let at = locate(&node, &[Step::Key(key.into()), Step::Index(index)], false);
                    errors.push(at, diagnostic(
                        &source,
                        at,
                        format!("`{key}[{index}]` {why}"),
                        "outside the config file's directory",
                        Some(format!(
                            "paths in a config file must stay inside its directory (it may come from the checked repository); pass files from elsewhere on the command line (--{})",
                            if key == "data" { "data" } else { "policy" }
                        )),
                    ));
                }
            }
        }
        for (index, stack) in file.compose.stacks.iter().enumerate() {
            let stack_at = [
                Step::Key("compose".into()),
                Step::Key("stacks".into()),
                Step::Index(index),
            ];
            if stack.files.is_empty() {
                let at = locate(&node, &stack_at, false);
                errors.push(
                    at,
                    diagnostic(
                        &source,
                        at,
                        "a compose stack names at least one file in `files`".into(),
                        "no files",
                        None,
                    ),
                );
            }
            let named = stack
                .files
                .iter()
                .enumerate()
                .map(|(i, p)| (p, vec![Step::Key("files".into()), Step::Index(i)]))
                .chain(
                    stack
                        .env_file
                        .iter()
                        .map(|p| (p, vec![Step::Key("env-file".into())])),
                );
            for (p, rest) in named {
                if let Err(why) = stays_inside(&dir, p) {
                    let mut at = stack_at.to_vec();
                    at.extend(rest);
                    let at = locate(&node, &at, false);
                    errors.push(at, diagnostic(
                        &source,
                        at,
                        format!("compose stack file `{}` {why}", p.display()),
                        "outside the config file's directory",
                        Some("paths in a config file must stay inside its directory (it may come from the checked repository)".into()),
                    ));
                }
            }
        }
        for (index, chart) in file.helm.charts.iter().enumerate() {
            let chart_at = [
                Step::Key("helm".into()),
                Step::Key("charts".into()),
                Step::Index(index),
            ];
            let mut named = vec![(&chart.chart, vec![Step::Key("chart".into())])];
            named.extend(
                chart
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, vec![Step::Key("values".into()), Step::Index(i)])),
            );
            for (k, set) in chart.value_sets.iter().enumerate() {
                named.extend(set.values.iter().enumerate().map(|(i, p)| {
                    let at = vec![
                        Step::Key("value-sets".into()),
                        Step::Index(k),
                        Step::Key("values".into()),
                        Step::Index(i),
                    ];
                    (p, at)
                }));
            }
            for (p, rest) in named {
                let mut at = chart_at.to_vec();
                at.extend(rest);
                let problem = match stays_inside(&dir, p) {
                    Err(why) => Some((
                        format!("Helm file `{}` {why}", p.display()),
                        "outside the config file's directory",
                    )),
                    Ok(()) if !dir.join(p).exists() || p.as_os_str().is_empty() => Some((
                        format!("Helm file `{}` does not exist", p.display()),
                        "no such file",
                    )),
                    Ok(()) => None,
                };
                if let Some((message, label)) = problem {
                    return Err(diagnostic(
                        &source,
                        locate(&node, &at, false),
                        message,
                        label,
                        Some("paths in a config file must stay inside its directory (it may come from the checked repository); give other values files with --values".into()),
                    ));
                }
            }
            if let Some(version) = &chart.kube_version {
                if let Err(why) = crate::sources::helm::check_kube_version(version) {
                    let mut at = chart_at.to_vec();
                    at.push(Step::Key("kube-version".into()));
                    return Err(diagnostic(
                        &source,
                        locate(&node, &at, false),
                        why,
                        "here",
                        None,
                    ));
                }
            }
            let sets = chart.value_sets.iter().map(|v| &v.set).chain([&chart.set]);
            for assignment in sets.flatten() {
                if let Err(why) = crate::sources::helm::check_set(assignment) {
                    return Err(diagnostic(
                        &source,
                        locate(&node, &chart_at, false),
                        format!("`set: {assignment}`: {why}"),
                        "this chart",
                        None,
                    ));
                }
            }
        }
        let globs = match file.include.is_empty() && file.exclude.is_empty() {
            true => None,
            false => match Globs::new(&dir, &file.include, &file.exclude) {
                Ok(mut globs) => {
                    globs.explicit_too = file.force_exclude;
                    Some(globs)
                }
                Err(e) => {
                    let list = if e.include { "include" } else { "exclude" };
                    let at = locate(
                        &node,
                        &[Step::Key(list.into()), Step::Index(e.index)],
                        false,
                    );
                    errors.push(
                        at,
                        diagnostic(
                            &source,
                            at,
                            format!("invalid glob: {}", e.message),
                            "this glob",
                            None,
                        ),
                    );
                    None
                }
            },
        };
        if let Some(report) = errors.into_report(&source.path) {
            return Err(report);
        }
        Ok(Config {
            file,
            severity,
            globs,
            dir,
            source,
            node,
        })
    }

    /// The declared compose stacks, paths as seen from the current directory.
    pub fn compose_stacks(&self) -> Vec<crate::sources::compose::Stack> {
        self.file
            .compose
            .stacks
            .iter()
            .map(|s| crate::sources::compose::Stack {
                dir: self.dir.clone(),
                files: s.files.iter().map(|p| self.resolve(p)).collect(),
                env_file: s.env_file.as_ref().map(|p| self.resolve(p)),
            })
            .collect()
    }

    /// The file, as named in messages.
    pub fn path(&self) -> &str {
        &self.source.path
    }

    /// The directory the file is in, as seen from the current directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Helm charts the file configures, paths canonical.
    pub fn helm_charts(&self) -> Vec<crate::sources::helm::ChartSettings> {
        let real = |p: &Path| {
            let joined = self.resolve(p);
            std::fs::canonicalize(&joined).unwrap_or(joined)
        };
        let files = |paths: &[PathBuf]| -> Vec<(PathBuf, String)> {
            paths
                .iter()
                .map(|p| {
                    (
                        self.resolve(p),
                        self.resolve(p).to_string_lossy().into_owned(),
                    )
                })
                .collect()
        };
        self.file
            .helm
            .charts
            .iter()
            .map(|c| {
                let shared = crate::sources::helm::ValueSet {
                    name: None,
                    files: files(&c.values),
                    set: c.set.clone(),
                };
                let value_sets = match c.value_sets.is_empty() {
                    true => vec![shared],
                    false => c
                        .value_sets
                        .iter()
                        .map(|v| {
                            let mut set = shared.clone();
                            set.name = v.name.clone();
                            set.files.extend(files(&v.values));
                            set.set.extend(v.set.iter().cloned());
                            set
                        })
                        .collect(),
                };
                crate::sources::helm::ChartSettings {
                    chart: real(&c.chart),
                    release: c.release_name.clone(),
                    namespace: c.namespace.clone(),
                    kube_version: c.kube_version.clone(),
                    api_versions: c.api_versions.clone(),
                    value_sets,
                }
            })
            .collect()
    }

    /// A path written in the file, as seen from the current directory.
    fn resolve(&self, path: &Path) -> PathBuf {
        self.dir.join(path)
    }

    /// The file's policies, data and parameters go before the command line's.
    pub fn apply_to(&self, options: &mut LoadOptions) {
        options.builtin &= !self.file.no_builtin;
        let policies = self.file.policies.iter().map(|p| self.resolve(p));
        options.policies = policies.chain(options.policies.drain(..)).collect();
        let data = self.file.data.iter().map(|p| self.resolve(p));
        options.data = data.chain(options.data.drain(..)).collect();
        let parameters = serde_json::to_value(&self.file.parameters).expect("parameters serialize");
        if parameters.as_object().is_some_and(|p| !p.is_empty()) {
            options.parameters = Some(parameters);
        }
    }

    /// Every rule id, name or tag the file names must exist.
    pub fn check_selectors(&self, rules: &[Rule]) -> Result<(), miette::Report> {
        let lists = [
            ("enable", &self.file.enable),
            ("disable", &self.file.disable),
        ];
        let listed = lists.into_iter().flat_map(|(key, list)| {
            list.iter()
                .enumerate()
                .map(move |(i, s)| (s, vec![Step::Key(key.into()), Step::Index(i)], false))
        });
        let overridden = self.severity.iter().map(|(s, _)| {
            (
                s,
                vec![Step::Key("severity".into()), Step::Key(s.clone())],
                true,
            )
        });
        let mut errors = Errors::default();
        for (selector, path, is_key) in listed.chain(overridden) {
            if rules.iter().any(|r| r.matches(selector)) {
                continue;
            }
            let names = rules
                .iter()
                .flat_map(|r| [&r.meta.id, &r.meta.name].into_iter().chain(&r.meta.tags))
                .map(String::as_str);
            let help = match did_you_mean(selector, names) {
                Some(name) => format!("did you mean `{name}`? `policy rules` lists them"),
                None => "`policy rules` lists them".into(),
            };
            let at = locate(&self.node, &path, is_key);
            errors.push(
                at,
                diagnostic(
                    &self.source,
                    at,
                    format!("no rule, rule name or tag is called `{selector}`"),
                    "unknown rule",
                    Some(help),
                ),
            );
        }
        match errors.into_report(&self.source.path) {
            Some(report) => Err(report),
            None => Ok(()),
        }
    }

    /// The command line's selection layered over the file's: for each rule,
    /// the profile (the command line's, else the file's) decides, then the
    /// file's `enable` then `disable` apply, then the command line's, so
    /// `--enable X` turns on a rule the file disabled. Severity overrides of
    /// the command line come last and win; its namespaces replace the file's.
    pub fn layer_under(&self, rules: &[Rule], cli: Selection) -> Selection {
        let layers = [
            (&self.file.enable, &self.file.disable),
            (&cli.enable, &cli.disable),
        ];
        let (mut enable, mut disable) = (Vec::new(), Vec::new());
        let profile = cli.profile.or(self.file.profile).unwrap_or_default();
        for rule in rules {
            let mut on = rule.meta.in_profile(profile);
            for (enabled, disabled) in layers {
                on |= enabled.iter().any(|s| rule.matches(s));
                on &= !disabled.iter().any(|s| rule.matches(s));
            }
            match on {
                true => enable.push(rule.meta.id.clone()),
                false => disable.push(rule.meta.id.clone()),
            }
        }
        let mut severity = self.severity.clone();
        severity.extend(cli.severity);
        let mut namespaces = cli.namespaces;
        if namespaces.patterns.is_empty() {
            namespaces.patterns = self.file.namespaces.clone();
        }
        namespaces.all |= self.file.all_namespaces;
        Selection {
            profile: Some(profile),
            enable,
            disable,
            severity,
            namespaces,
            combine: cli.combine || self.file.combine,
            runtime: cli.runtime,
        }
    }
}

/// Whether a path written in a config file in `dir` stays inside `dir`:
/// not absolute, no `..` above it, and (when it exists) no symlink out of it.
fn stays_inside(dir: &Path, path: &Path) -> Result<(), &'static str> {
    use std::path::Component;
    if path.has_root() || path.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Err("is an absolute path");
    }
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::ParentDir if depth == 0 => {
                return Err("leads out of its directory with `..`")
            }
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    let base = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match (
        std::fs::canonicalize(base),
        std::fs::canonicalize(base.join(path)),
    ) {
        (Ok(base), Ok(real)) if !real.starts_with(&base) => {
            Err("leads out of its directory through a symlink")
        }
        _ => Ok(()),
    }
}

/// A serde error at the node it is about: the key for an unknown key, the value otherwise.
fn deserialize_error(
    source: &SourceFile,
    node: &Node,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> (Span, miette::Report) {
    let path = error_steps(&error);
    let message = error.inner().to_string();
    let setting = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect::<Vec<_>>()
        .join(".")
        .replace(".[", "[");
    // serde: "unknown field `fial-on`, expected one of `include`, `exclude`, …"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let known = rest.split('`').skip(2).step_by(2);
        let key = rest.split('`').next().unwrap_or_default();
        let known: Vec<&str> = known.collect();
        let help = match did_you_mean(key, known.iter().copied()) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("known keys here: {}", known.join(", ")),
        };
        let at = locate(node, &path, true);
        return (
            at,
            diagnostic(
                source,
                at,
                format!("unknown key `{setting}`"),
                "unknown key",
                Some(help),
            ),
        );
    }
    let message = message.replace("invalid type: map,", "invalid type: mapping,");
    let message = match setting.is_empty() {
        true => message,
        false => format!("`{setting}`: {message}"),
    };
    let at = locate(node, &path, false);
    (at, diagnostic(source, at, message, "here", None))
}

/// Where in the settings a serde error is.
fn error_steps(error: &serde_path_to_error::Error<serde_json::Error>) -> Vec<Step> {
    let mut path = Vec::new();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => path.push(Step::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => path.push(Step::Index(*index)),
            _ => break,
        }
    }
    path
}

/// Takes out the setting a serde error is about, so that the rest can be
/// read: the key of its last mapping step (a list goes whole, so that the
/// indexes of other errors stay right). False when there is nothing to take.
fn remove_setting(json: &mut Json, steps: &[Step]) -> bool {
    let Some(last_key) = steps.iter().rposition(|s| matches!(s, Step::Key(_))) else {
        return false;
    };
    let mut at = &mut *json;
    for step in &steps[..last_key] {
        let next = match step {
            Step::Key(k) => at.get_mut(k.as_str()),
            Step::Index(i) => at.get_mut(*i),
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
    let Step::Key(key) = &steps[last_key] else {
        return false;
    };
    at.as_object_mut()
        .and_then(|o| o.remove(key.as_str()))
        .is_some()
}

/// Most mistakes of one config file reported (a file of nothing but typos).
const MAX_CONFIG_ERRORS: usize = 100;

/// A config file's errors, shown together in line order.
#[derive(Default)]
struct Errors(Vec<(usize, miette::Report)>);

impl Errors {
    fn push(&mut self, at: Span, report: miette::Report) {
        if self.0.len() < MAX_CONFIG_ERRORS {
            self.0.push((at.start, report));
        }
    }

    /// One report: the error itself when there is one, else a summary with
    /// each error under it.
    fn into_report(mut self, path: &str) -> Option<miette::Report> {
        // Stable: two errors at one place keep the order they were found in.
        self.0.sort_by_key(|(at, _)| *at);
        let mut reports: Vec<miette::Report> = self.0.into_iter().map(|(_, r)| r).collect();
        match reports.len() {
            0 => None,
            1 => reports.pop(),
            n => Some(miette::Report::new(ManyErrors {
                message: format!(
                    "{}: {n} errors; fix them all, then run again",
                    crate::report::visible(path)
                ),
                related: reports,
            })),
        }
    }
}

/// Several config errors as one diagnostic.
struct ManyErrors {
    message: String,
    related: Vec<miette::Report>,
}

impl std::fmt::Debug for ManyErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for ManyErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ManyErrors {}

impl miette::Diagnostic for ManyErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("config-error"))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.related
                .iter()
                .map(|r| r.as_ref() as &dyn miette::Diagnostic),
        ))
    }
}

/// The span of what a path names; `key` prefers the key of the last step.
fn locate(node: &Node, path: &[Step], key: bool) -> Span {
    if let (true, Some((Step::Key(last), parent))) = (key, path.split_last()) {
        if let Some(entry) = walk(node, parent).and_then(|n| n.entry(last)) {
            return entry.key_span;
        }
    }
    match walk(node, path) {
        Some(found) => found.span,
        None => node.locate(path).span,
    }
}

fn walk<'a>(node: &'a Node, path: &[Step]) -> Option<&'a Node> {
    path.iter().try_fold(node, |node, step| match step {
        Step::Key(k) => node.get(k),
        Step::Index(i) => node.as_seq()?.get(*i),
    })
}

/// The closest known name, when it is close enough to be a typo.
fn did_you_mean<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| {
            (
                strsim::jaro_winkler(&name.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn diagnostic(
    source: &SourceFile,
    span: Span,
    message: String,
    label: &str,
    help: Option<String>,
) -> miette::Report {
    let start = span.start.min(source.text.len());
    let end = span.end.clamp(start, source.text.len());
    // The file comes from the checked repository: what it quotes is masked.
    let message = crate::secrets::redact_text(&message);
    let shown = crate::secrets::mask(&source.text);
    let position = source.position(start);
    let long_line = source
        .line_span(position.line)
        .is_some_and(|l| l.len() > LONGEST_WHOLE_LINE);
    // A long line (one-line flow mappings) is shown cut around the span:
    // bounded output, and within the columns miette can pad.
    let (labelled, code): (Span, Box<dyn miette::SourceCode + Send + Sync>) = if long_line {
        let snippet =
            crate::snippet::Snippet::new(source, &shown, Span::new(start, end), position.column);
        (snippet.label, Box::new(snippet))
    } else {
        (Span::new(start, end), Box::new(shown))
    };
    let mut diagnostic = miette::MietteDiagnostic::new(format!("{}: {message}", source.path))
        .with_code("config-error")
        .with_label(miette::LabeledSpan::at(labelled.start..labelled.end, label));
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    miette::Report::new(diagnostic).with_source_code(NamedCode(
        crate::report::visible(&source.path).into_owned(),
        code,
    ))
}

/// Config lines up to this many bytes are shown whole in an error.
const LONGEST_WHOLE_LINE: usize = 240;

/// A source with the config file's name, whatever holds its text.
struct NamedCode(String, Box<dyn miette::SourceCode + Send + Sync>);

impl miette::SourceCode for NamedCode {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.1.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.0.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_decimal_and_binary_units() {
        let bytes = |s: &str| ByteSize::parse(s).map(|b| b.0);
        assert_eq!(bytes("200MB"), Ok(200_000_000));
        assert_eq!(bytes("200 mib"), Ok(200 << 20));
        assert_eq!(bytes("1.5GB"), Ok(1_500_000_000));
        assert_eq!(bytes("512"), Ok(512));
        assert!(bytes("200 MBs").is_err());
        assert!(bytes("MB").is_err());
        assert!(bytes("99999999999GiB").is_err());
    }

    #[test]
    fn uid_ranges_are_ordered() {
        assert_eq!(
            UidRange::parse("10000-65535"),
            Ok(UidRange {
                min: 10000,
                max: 65535
            })
        );
        assert_eq!(
            UidRange::parse("1001"),
            Ok(UidRange {
                min: 1001,
                max: 1001
            })
        );
        assert!(UidRange::parse("65535-10000").is_err());
        assert!(UidRange::parse("-5").is_err());
        assert!(UidRange::parse("a-b").is_err());
    }

    #[test]
    fn parameters_reach_rego_snake_case_and_normalized() {
        let config = Config::parse(
            Path::new(".policy.yaml"),
            "parameters:\n  allowed-uid-ranges: [\"10-20\", 7]\n  image-size-budget: 1KiB\n".into(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&config.file.parameters).unwrap(),
            serde_json::json!({
                "allowed_uid_ranges": [{"min": 10, "max": 20}, {"min": 7, "max": 7}],
                "image_size_budget": 1024,
            })
        );
    }

    #[test]
    fn base_image_globs_are_checked_and_lower_cased() {
        let globs = |text: &str| {
            Config::parse(
                Path::new(".policy.yaml"),
                format!("parameters:\n  nonroot-base-images: {text}\n"),
            )
            .map(|c| {
                serde_json::to_value(&c.file.parameters).unwrap()["nonroot_base_images"].clone()
            })
        };
        assert_eq!(
            globs("[Registry.example.com/base/*, \"!*-dev\"]").unwrap(),
            serde_json::json!(["registry.example.com/base/*", "!*-dev"])
        );
        let error = format!("{:?}", globs("[\"app/[abc\"]").unwrap_err());
        assert!(error.contains("valid glob"), "{error}");
        assert!(globs("[\"!\"]").is_err());
        assert!(
            globs("registry.example.com/*").is_err(),
            "a list, not one string"
        );
    }

    #[test]
    fn size_budgets_are_one_size_or_one_per_image() {
        let budget = |text: &str| {
            Config::parse(
                Path::new(".policy.yaml"),
                format!("parameters:\n  image-size-budget: {text}\n"),
            )
            .map(|c| serde_json::to_value(&c.file.parameters).unwrap()["image_size_budget"].clone())
        };
        assert_eq!(budget("200MB").unwrap(), serde_json::json!(200_000_000));
        assert_eq!(
            budget("{backend: 200MB, \"*\": 1KiB}").unwrap(),
            serde_json::json!({"backend": 200_000_000, "*": 1024})
        );
        assert!(budget("{backend: 200 MBs}").is_err());
        assert!(budget("[1]").is_err());
    }

    #[test]
    fn typos_get_a_suggestion() {
        let known = ["include", "exclude", "fail-on", "severity"];
        assert_eq!(did_you_mean("fial-on", known.into_iter()), Some("fail-on"));
        assert_eq!(did_you_mean("colour", known.into_iter()), None);
    }
}
