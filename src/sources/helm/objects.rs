//! The objects with methods templates call: `.Files` (Helm's `files`:
//! `Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig`, `AsSecrets`) and
//! `.Capabilities` (`KubeVersion`, `APIVersions.Has`, `HelmVersion`), with
//! the defaults Helm v4.2 renders with offline.

use super::template::{funcs, Map, Object, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The Kubernetes version `helm template` v4.2 assumes.
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// Helm v4.2's default API versions (`chartutil.DefaultVersionSet`), in
/// its order: group/versions only, no kinds.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// A chart's files other than templates, values and subcharts (`.Files`),
/// or the subset a `Glob` chose.
#[derive(Debug)]
pub struct Files {
    pub files: Arc<BTreeMap<String, Arc<[u8]>>>,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn one_string(name: &str, args: &[Value]) -> Result<String, String> {
    match args {
        [v] => Ok(v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string())),
        _ => Err(format!(
            "wrong number of args for {name}: want 1 got {}",
            args.len()
        )),
    }
}

/// YAML of a map of strings, through the functions' `toYaml` when there is
/// one (so `AsConfig` prints as Helm's `toYaml` does).
fn to_yaml(map: Map) -> Result<Value, String> {
    let value = Value::map(map);
    match funcs::find("toYaml") {
        Some(f) => f(&[value]),
        None => Ok(Value::str(simple_yaml(&value))),
    }
}

/// A map of strings as YAML, block scalars for lines.
fn simple_yaml(value: &Value) -> String {
    let mut out = String::new();
    for (k, v) in value.as_map().into_iter().flatten() {
        let s = v.as_str().unwrap_or_default();
        if s.contains('\n') {
            let chomp = if s.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!("{k}: |{chomp}\n"));
            for line in s.trim_end_matches('\n').split('\n') {
                out.push_str(&format!("  {line}\n"));
            }
        } else {
            out.push_str(&format!("{k}: {}\n", serde_json::Value::String(s.into())));
        }
    }
    out.trim_end_matches('\n').to_string()
}

/// Standard base64 with padding, as Go's `base64.StdEncoding`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

impl Object for Files {
    fn type_name(&self) -> &'static str {
        "engine.files"
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "Get" => one_string(name, args)
                .map(|path| Value::str(self.files.get(&path).map(|b| text(b)).unwrap_or_default())),
            "GetBytes" => one_string(name, args)
                .map(|path| Value::str(self.files.get(&path).map(|b| text(b)).unwrap_or_default())),
            "Lines" => one_string(name, args).map(|path| {
                let Some(bytes) = self.files.get(&path) else {
                    return Value::list(Vec::new());
                };
                let s = text(bytes);
                Value::list(s.split('\n').map(Value::str).collect())
            }),
            "Glob" => one_string(name, args).and_then(|pattern| {
                let glob = Glob::new(&pattern)?;
                let chosen: BTreeMap<String, Arc<[u8]>> = self
                    .files
                    .iter()
                    .filter(|(path, _)| glob.matches(path))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Ok(Value::object(Arc::new(Files {
                    files: Arc::new(chosen),
                })))
            }),
            "AsConfig" => to_yaml(
                self.files
                    .iter()
                    .map(|(k, v)| (base_name(k), Value::str(text(v))))
                    .collect(),
            ),
            "AsSecrets" => to_yaml(
                self.files
                    .iter()
                    .map(|(k, v)| {
                        let b64 = base64(v);
                        (base_name(k), Value::str(b64))
                    })
                    .collect(),
            ),
            _ => return None,
        })
    }

    fn display(&self) -> String {
        let entries: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| {
                let bytes: Vec<String> = v.iter().map(u8::to_string).collect();
                format!("{k}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", entries.join(" "))
    }
}

/// `.Capabilities.APIVersions`: `Has "apps/v1"`.
#[derive(Debug)]
pub struct ApiVersions {
    pub versions: Vec<String>,
}

impl Object for ApiVersions {
    fn type_name(&self) -> &'static str {
        "common.VersionSet"
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Has" => Some(one_string(name, args).map(|v| Value::bool(self.versions.contains(&v)))),
            _ => None,
        }
    }

    fn display(&self) -> String {
        format!("[{}]", self.versions.join(" "))
    }
}

/// `.Capabilities.KubeVersion`: fields, and `v1.36.0` when printed.
#[derive(Debug)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// `1.29`, `v1.29.3`, `1.29.0-gke.1`: Helm's `--kube-version` forms.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let bare = text.trim().trim_start_matches('v');
        let mut parts = bare.splitn(3, '.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("0");
        let patch = parts.next().unwrap_or("0");
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let patch_number = patch.split(['-', '+']).next().unwrap_or("");
        if !numeric(major) || !numeric(minor) || !numeric(patch_number) {
            return Err(format!(
                "invalid Kubernetes version `{text}`: write it as 1.30 or v1.30.2"
            ));
        }
        Ok(KubeVersion {
            version: format!("v{major}.{minor}.{patch}"),
            major: major.to_string(),
            minor: minor.to_string(),
        })
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &'static str {
        "*common.KubeVersion"
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let _ = args;
        Some(Ok(Value::str(match name {
            "Version" | "GitVersion" | "String" => self.version.clone(),
            "Major" => self.major.clone(),
            "Minor" => self.minor.clone(),
            _ => return None,
        })))
    }

    fn display(&self) -> String {
        self.version.clone()
    }
}

/// `.Capabilities` for a Kubernetes version and API versions beyond the
/// defaults.
pub fn capabilities(kube: KubeVersion, extra_api_versions: &[String]) -> Value {
    let mut versions: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
    versions.extend(extra_api_versions.iter().cloned());
    let minor = kube.minor.clone();
    let mut helm = Map::new();
    helm.insert("Version".into(), Value::str("v4.2"));
    helm.insert("GitCommit".into(), Value::str(""));
    helm.insert("GitTreeState".into(), Value::str(""));
    helm.insert("GoVersion".into(), Value::str("go1.26.6"));
    helm.insert(
        "KubeClientVersion".into(),
        Value::str(format!("v1.{minor}")),
    );
    let mut caps = Map::new();
    caps.insert("KubeVersion".into(), Value::object(Arc::new(kube)));
    caps.insert(
        "APIVersions".into(),
        Value::object(Arc::new(ApiVersions { versions })),
    );
    caps.insert("HelmVersion".into(), Value::map(helm));
    Value::map(caps)
}

/// gobwas/glob with `/` as separator, as `.Files.Glob` compiles patterns:
/// `*` and `?` stay within a path segment, `**` crosses them, `[…]` and
/// `{a,b}` as usual.
pub struct Glob {
    alternatives: Vec<Vec<char>>,
}

/// Brace alternatives one pattern may expand to.
const MAX_ALTERNATIVES: usize = 256;

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let mut alternatives = vec![String::new()];
        expand(pattern, &mut alternatives)?;
        Ok(Glob {
            alternatives: alternatives.iter().map(|a| a.chars().collect()).collect(),
        })
    }

    pub fn matches(&self, path: &str) -> bool {
        let path: Vec<char> = path.chars().collect();
        self.alternatives.iter().any(|p| {
            let mut memo = vec![None; (p.len() + 1) * (path.len() + 1)];
            glob_match(p, 0, &path, 0, &mut memo)
        })
    }
}

/// Expands `{a,b}` (one level of nesting handled by recursion).
fn expand(pattern: &str, out: &mut Vec<String>) -> Result<(), String> {
    let Some(open) = pattern.find('{') else {
        out.iter_mut().for_each(|o| o.push_str(pattern));
        return Ok(());
    };
    let mut depth = 0;
    let mut close = None;
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close.ok_or_else(|| format!("unexpected end of glob `{pattern}`"))?;
    let head = &pattern[..open];
    let body = &pattern[open + 1..close];
    let tail = &pattern[close + 1..];
    let mut next = Vec::new();
    for alt in body.split(',') {
        for prefix in out.iter() {
            let mut expanded = vec![format!("{prefix}{head}")];
            expand(alt, &mut expanded)?;
            next.extend(expanded);
        }
    }
    if next.len() > MAX_ALTERNATIVES {
        return Err(format!("glob `{pattern}` has too many alternatives"));
    }
    *out = next;
    expand(tail, out)
}

fn glob_match(p: &[char], pi: usize, s: &[char], si: usize, memo: &mut [Option<bool>]) -> bool {
    let key = pi * (s.len() + 1) + si;
    if let Some(done) = memo[key] {
        return done;
    }
    let result = match p.get(pi) {
        None => si == s.len(),
        Some('*') if p.get(pi + 1) == Some(&'*') => {
            (si..=s.len()).any(|k| glob_match(p, pi + 2, s, k, memo))
        }
        Some('*') => {
            let mut k = si;
            loop {
                if glob_match(p, pi + 1, s, k, memo) {
                    break true;
                }
                if k >= s.len() || s[k] == '/' {
                    break false;
                }
                k += 1;
            }
        }
        Some('?') => si < s.len() && s[si] != '/' && glob_match(p, pi + 1, s, si + 1, memo),
        Some('[') => match p[pi..].iter().position(|c| *c == ']') {
            Some(len) if si < s.len() => {
                let class = &p[pi + 1..pi + len];
                let (negate, class) = match class.first() {
                    Some('!') | Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let c = s[si];
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && glob_match(p, pi + len + 1, s, si + 1, memo)
            }
            _ => false,
        },
        Some('\\') if pi + 1 < p.len() => {
            si < s.len() && s[si] == p[pi + 1] && glob_match(p, pi + 2, s, si + 1, memo)
        }
        Some(c) => si < s.len() && s[si] == *c && glob_match(p, pi + 1, s, si + 1, memo),
    };
    memo[key] = Some(result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_gobwas_with_a_slash_separator() {
        let g = |p: &str, s: &str| Glob::new(p).unwrap().matches(s);
        assert!(g("files/*.conf", "files/a.conf"));
        assert!(!g("files/*.conf", "files/sub/a.conf"));
        assert!(g("files/**.conf", "files/sub/a.conf"));
        assert!(g("dashboards/*.{json,yaml}", "dashboards/x.yaml"));
        assert!(g("file?.[a-c]", "file1.b"));
        assert!(!g("file?.[!a-c]", "file1.b"));
        assert!(Glob::new("{a,b").is_err());
    }

    #[test]
    fn files_get_glob_and_lines() {
        let mut map = BTreeMap::new();
        map.insert("conf/a.ini".to_string(), Arc::from(&b"x=1\ny=2"[..]));
        map.insert("conf/b.ini".to_string(), Arc::from(&b"z=3"[..]));
        map.insert("other.txt".to_string(), Arc::from(&b"o"[..]));
        let files = Files {
            files: Arc::new(map),
        };
        let get = files
            .call("Get", &[Value::str("other.txt")])
            .unwrap()
            .unwrap();
        assert_eq!(get.as_str(), Some("o"));
        let missing = files.call("Get", &[Value::str("nope")]).unwrap().unwrap();
        assert_eq!(missing.as_str(), Some(""));
        let lines = files
            .call("Lines", &[Value::str("conf/a.ini")])
            .unwrap()
            .unwrap();
        assert_eq!(lines.as_list().unwrap().len(), 2);
        let glob = files
            .call("Glob", &[Value::str("conf/*")])
            .unwrap()
            .unwrap();
        let super::super::template::Kind::Object(o) = &glob.kind else {
            panic!("an object")
        };
        let config = o.call("AsConfig", &[]).unwrap().unwrap();
        let config = config.as_str().unwrap();
        assert!(config.contains("a.ini"), "{config}");
        assert!(!config.contains("other"), "{config}");
    }

    #[test]
    fn base64_is_go_s_std_encoding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn kube_versions_parse_in_helm_s_forms() {
        let v = KubeVersion::parse("1.29").unwrap();
        assert_eq!(
            (v.version.as_str(), v.major.as_str(), v.minor.as_str()),
            ("v1.29.0", "1", "29")
        );
        assert_eq!(KubeVersion::parse("v1.30.2").unwrap().version, "v1.30.2");
        assert!(KubeVersion::parse("latest").is_err());
    }
}
