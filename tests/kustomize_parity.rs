//! Kustomizations are rendered as `kubectl kustomize` (kustomize v5.5)
//! renders them, and judged as its output would be. The oracle is kubectl
//! itself, on the fixtures of `testdata/kustomize/` (one per feature) and
//! on kustomize's own examples in `../shared/projects/kustomize/`.

mod common;

use common::{json, policy, repo_root, require_or_skip, write};
use container_policy::check::{self, Input, RunOptions};
use container_policy::discover;
use container_policy::engine::{Evaluator, PolicySet, Selection};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn kubectl_missing() -> Option<String> {
    let ok = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    (!ok).then(|| "kubectl is not installed".to_string())
}

/// `kubectl kustomize DIR`, or `None` when kustomize cannot render it
/// offline (a remote base, a plugin).
fn kustomize(dir: &Path) -> Option<String> {
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("run kubectl");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every kustomization of the fixtures and examples with what `kubectl
/// kustomize` printed for it; kubectl runs once per directory, in parallel,
/// for all the tests.
fn oracle() -> &'static [(PathBuf, Option<String>)] {
    static ORACLE: OnceLock<Vec<(PathBuf, Option<String>)>> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let dirs: Vec<PathBuf> = fixtures().into_iter().chain(examples()).collect();
        std::thread::scope(|scope| {
            let runs: Vec<_> = dirs
                .iter()
                .map(|dir| scope.spawn(move || (dir.clone(), kustomize(dir))))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        })
    })
}

/// Every directory holding a kustomization under `root`, sorted.
fn kustomizations(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    if entries.iter().any(|p| is_kustomization(p)) {
        out.push(root.to_path_buf());
    }
    for dir in entries.iter().filter(|p| p.is_dir()) {
        kustomizations(dir, out);
    }
}

fn is_kustomization(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "kustomization.yaml")
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    kustomizations(&repo_root().join("testdata/kustomize"), &mut out);
    out
}

/// kustomize's examples, copied into a checkout of their own (a `.git`
/// marks the directory bases may be read from).
fn examples() -> Vec<PathBuf> {
    static CHECKOUT: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    let checkout = CHECKOUT.get_or_init(|| {
        let source = repo_root().join("../shared/projects/kustomize");
        if !source.is_dir() {
            eprintln!(
                "note: no {}; kustomize's examples not compared",
                source.display()
            );
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&source, dir.path());
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        Some(dir)
    });
    let mut out = Vec::new();
    if let Some(dir) = checkout {
        kustomizations(dir.path(), &mut out);
    }
    out
}

/// `apiVersion/kind/namespace/name` of an object: what kustomize output
/// is compared by.
fn key(doc: &Value) -> String {
    let meta = &doc["metadata"];
    format!(
        "{}/{}/{}/{}",
        doc["apiVersion"].as_str().unwrap_or(""),
        doc["kind"].as_str().unwrap_or(""),
        meta["namespace"].as_str().unwrap_or(""),
        meta["name"].as_str().unwrap_or("")
    )
}

/// kubectl's output as the same YAML parser reads any file.
fn parse_objects(text: &str) -> BTreeMap<String, Value> {
    container_policy::parse::parse_yaml(text)
        .expect("kustomize output is YAML")
        .iter()
        .map(|d| d.node.to_json())
        .filter(|j| !j.is_null())
        .map(|j| (key(&j), j))
        .collect()
}

fn target(path: &Path) -> discover::Target {
    discover::Target {
        display: path.to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        explicit: true,
        kind: None,
        skip: None,
    }
}

/// The documents policy renders for the kustomization in `dir`, as rules
/// see them (before any redaction for display).
fn rendered(dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    let mut docs = BTreeMap::new();
    let file = dir.join("kustomization.yaml");
    for read in check::rule_inputs(Input::File(target(&file)), &RunOptions::default()) {
        match read {
            Ok(inputs) => {
                for input in inputs {
                    let input = serde_json::to_value(&input).unwrap();
                    let doc = input["document"].clone();
                    docs.insert(key(&doc), doc);
                }
            }
            Err(outcome) => {
                return Err(format!("{:?} {:?}", outcome.error, outcome.skipped));
            }
        }
    }
    Ok(docs)
}

#[test]
fn rendered_documents_match_kubectl_kustomize() {
    if !require_or_skip("kustomize parity", kubectl_missing()) {
        return;
    }
    let (mut same, mut rendered_offline) = (0, 0);
    let mut differ = Vec::new();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 8, "fixtures: {fixtures:?}");
    for (dir, want) in oracle() {
        let Some(want) = want else {
            continue;
        };
        rendered_offline += 1;
        let want = parse_objects(want);
        match rendered(dir) {
            Ok(got) if got == want => same += 1,
            Ok(got) => {
                let keys: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
                let wrong: Vec<String> = keys
                    .into_iter()
                    .filter(|k| want.get(*k) != got.get(*k))
                    .map(|k| {
                        format!(
                            "{k}\n  kustomize: {:?}\n  policy:    {:?}",
                            want.get(k),
                            got.get(k)
                        )
                    })
                    .collect();
                differ.push(format!("{}: {}", dir.display(), wrong.join("\n")));
            }
            Err(e) => differ.push(format!("{}: {e}", dir.display())),
        }
    }
    eprintln!("kustomize parity: {same}/{rendered_offline} kustomizations object-identical");
    // Every fixture of ours is exact; kustomize's examples at least 95%.
    let ours: Vec<&String> = differ
        .iter()
        .filter(|d| d.contains("testdata/kustomize"))
        .collect();
    assert!(ours.is_empty(), "{}", differ.join("\n\n"));
    assert!(
        same * 100 >= rendered_offline * 95,
        "{same}/{rendered_offline}:\n{}",
        differ.join("\n\n")
    );
}

fn evaluator() -> &'static Evaluator {
    static EVALUATOR: OnceLock<Evaluator> = OnceLock::new();
    EVALUATOR.get_or_init(|| {
        PolicySet::builtin()
            .expect("built-in policies")
            .evaluator(&Selection::default())
            .expect("evaluator")
    })
}

/// `(rule, resource)` of the findings a run gives, with where they are.
fn run(inputs: Vec<Input>) -> Vec<(String, String, String, usize)> {
    let outcome = check::run(evaluator(), inputs);
    let errors: Vec<_> = outcome
        .files
        .iter()
        .filter_map(|f| f.error.as_ref())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    outcome
        .findings()
        .map(|f| {
            (
                f.rule.clone(),
                f.resource.clone().unwrap_or_default(),
                f.path.clone(),
                f.line,
            )
        })
        .collect()
}

#[test]
fn findings_match_checking_kustomize_output() {
    if !require_or_skip("kustomize findings parity", kubectl_missing()) {
        return;
    }
    let (mut expected_total, mut found_total) = (0, 0);
    let mut missed = Vec::new();
    for (dir, output) in oracle() {
        let Some(output) = output else {
            continue;
        };
        let expected: BTreeSet<(String, String)> = run(vec![Input::Text {
            display: "out.yaml".into(),
            text: output.clone(),
            kind: &container_policy::kinds::KUBERNETES,
        }])
        .into_iter()
        .map(|(rule, resource, ..)| (rule, resource))
        .collect();
        // The directory as a user checks it: its bases and patches are
        // walked too, and judged only through the kustomization.
        let (targets, _) = discover::discover(std::slice::from_ref(dir));
        let direct = run(targets.into_iter().map(Input::File).collect());
        for (rule, resource, path, line) in &direct {
            assert!(*line >= 1, "{rule} {resource} at {path}:{line}");
            assert!(Path::new(path).is_file(), "{rule} {resource} in {path}");
        }
        let direct: BTreeSet<(String, String)> = direct
            .into_iter()
            .map(|(rule, resource, ..)| (rule, resource))
            .collect();
        expected_total += expected.len();
        found_total += expected.intersection(&direct).count();
        missed.extend(
            expected
                .difference(&direct)
                .map(|(rule, resource)| format!("{}: {rule} {resource}", dir.display())),
        );
        // Nothing a user would not get from kustomize's output: a patch is
        // never judged as a whole object. (A directory holding other
        // kustomizations, such as bases, has their findings too.)
        let nested = {
            let mut all = Vec::new();
            kustomizations(dir, &mut all);
            all.len() > 1
        };
        if !nested {
            let extra: Vec<_> = direct.difference(&expected).collect();
            assert!(
                extra.is_empty(),
                "{}: extra findings {extra:?}",
                dir.display()
            );
        }
    }
    eprintln!(
        "kustomize findings parity: {found_total}/{expected_total} (rule, resource) findings"
    );
    assert!(expected_total > 0);
    assert!(
        found_total * 100 >= expected_total * 95,
        "{found_total}/{expected_total}; missed:\n{}",
        missed.join("\n")
    );
}

/// `policy check DIR --format json` in a temporary project.
fn check_project(files: &[(&str, &str)]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    json(&policy(&["check", ".", "--format", "json"], dir.path()))
}

fn errors(report: &Value) -> Vec<(String, u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap_or(0),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
";

#[test]
fn a_finding_set_by_a_patch_points_at_the_patch_line() {
    let report = check_project(&[
        ("base/kustomization.yaml", "resources:\n- deployment.yaml\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "prod/kustomization.yaml",
            "resources:\n- ../base\npatches:\n- path: privileged.yaml\n",
        ),
        (
            "prod/privileged.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          privileged: true\n",
        ),
    ]);
    let privileged: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP102")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Once, through the overlay, at the patch line; the patch is not a
    // Deployment of its own.
    assert_eq!(privileged, vec![("prod/privileged.yaml".to_string(), 11)]);
    let paths: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from(["base/deployment.yaml", "prod/privileged.yaml"])
    );
}

#[test]
fn what_is_not_rendered_is_a_clear_error_at_its_line_and_other_units_are_checked() {
    let report = check_project(&[
        (
            "remote/kustomization.yaml",
            "resources:\n- deployment.yaml\n- github.com/acme/base?ref=v1\n",
        ),
        ("remote/deployment.yaml", DEPLOYMENT),
        (
            "helm/kustomization.yaml",
            "helmCharts:\n- name: redis\n  repo: https://charts.example.com\n",
        ),
        (
            "outside/kustomization.yaml",
            "resources:\n- ../../elsewhere\n",
        ),
        ("loop/a/kustomization.yaml", "resources:\n- ../b\n"),
        ("loop/b/kustomization.yaml", "resources:\n- ../a\n"),
        ("ok/kustomization.yaml", "resources:\n- deployment.yaml\n"),
        ("ok/deployment.yaml", DEPLOYMENT),
    ]);
    let errors = errors(&report);
    let find = |path: &str| {
        errors
            .iter()
            .find(|e| e.0 == path)
            .unwrap_or_else(|| panic!("no error for {path}: {errors:?}"))
    };
    let remote = find("remote/kustomization.yaml");
    assert_eq!(remote.1, 3);
    assert!(
        remote
            .2
            .contains("remote resource `github.com/acme/base?ref=v1`"),
        "{remote:?}"
    );
    // A chart that is not vendored: nothing is pulled.
    let helm = find("helm/kustomization.yaml");
    assert_eq!(helm.1, 2);
    assert!(helm.2.contains("policy fetches nothing"), "{helm:?}");
    let outside = find("outside/kustomization.yaml");
    assert_eq!(outside.1, 2);
    let cycle = find("loop/a/kustomization.yaml");
    assert!(cycle.2.contains("include each other"), "{cycle:?}");
    // The good kustomization is still judged, once.
    let ok: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "ok/deployment.yaml" && f["rule"] == "CP101")
        .collect();
    assert_eq!(ok.len(), 1, "{report}");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "token.txt", "sk_live_do_not_read_me\n");
    write(
        dir.path(),
        "app/kustomization.yaml",
        "secretGenerator:\n- name: leak\n  files:\n  - token.txt\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("token.txt"),
        dir.path().join("app/token.txt"),
    )
    .unwrap();
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("sk_live"), "{text}");
    let report = json(&out);
    let error = errors(&report)
        .into_iter()
        .find(|e| e.0 == "app/kustomization.yaml")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(error.1, 4);
    assert!(
        error
            .2
            .contains("leads outside the repository being checked"),
        "{error:?}"
    );
}

#[test]
fn nesting_is_bounded() {
    let mut files = Vec::new();
    for i in 0..40 {
        files.push((
            format!("k{i}/kustomization.yaml"),
            format!("resources:\n- ../k{}\n", i + 1),
        ));
    }
    files.push((
        "k40/kustomization.yaml".into(),
        "resources:\n- deployment.yaml\n".into(),
    ));
    files.push(("k40/deployment.yaml".into(), DEPLOYMENT.into()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let report = check_project(&borrowed);
    let errors = errors(&report);
    // k0 fails where the 33rd level is asked for, saying so.
    let deep = errors
        .iter()
        .find(|e| e.2.contains("k0/kustomization.yaml)"))
        .unwrap_or_else(|| panic!("k0 fails: {errors:?}"));
    assert_eq!((deep.0.as_str(), deep.1), ("k32/kustomization.yaml", 2));
    assert!(deep.2.contains("nest deeper than 32"), "{deep:?}");
    // k8 and below are within bounds.
    assert!(
        !errors
            .iter()
            .any(|e| e.2.contains("k8/kustomization.yaml)")),
        "{errors:?}"
    );
}

#[test]
fn a_patch_named_alone_is_checked_through_its_kustomization() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kustomization.yaml",
        "resources:\n- deployment.yaml\npatches:\n- path: patch.yaml\n",
    );
    write(dir.path(), "deployment.yaml", DEPLOYMENT);
    // Judged alone, this would be a Deployment with no image and no limits.
    write(
        dir.path(),
        "patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
    );
    let named = json(&policy(
        &["check", "patch.yaml", "--format", "json"],
        dir.path(),
    ));
    let whole = json(&policy(&["check", ".", "--format", "json"], dir.path()));
    let of = |report: &Value| -> Vec<(String, String, u64)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert!(!of(&whole).is_empty());
    assert_eq!(of(&named), of(&whole));
    assert!(
        !of(&named).iter().any(|(_, path, _)| path == "patch.yaml"),
        "{named}"
    );
}

#[test]
fn a_finding_the_base_and_its_overlay_share_is_reported_once() {
    let report = check_project(&[
        ("base/kustomization.yaml", "resources:\n- deployment.yaml\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        // Same object names: the base's findings are the overlay's too.
        (
            "dev/kustomization.yaml",
            "resources:\n- ../base\ncommonAnnotations:\n  team: web\n",
        ),
        // A prefix makes another object: its findings are its own.
        (
            "prod/kustomization.yaml",
            "resources:\n- ../base\nnamePrefix: prod-\n",
        ),
    ]);
    let run_as_root: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP101")
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["resource"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        run_as_root,
        vec![
            "base/deployment.yaml:13 Deployment/web container web",
            "base/deployment.yaml:13 Deployment/prod-web container web",
        ]
    );
}

#[test]
fn findings_point_at_the_inline_patch_line_the_ops_file_or_the_transformer() {
    let report = json(&policy(
        &[
            "check",
            "testdata/kustomize/json6902",
            "testdata/kustomize/namespaces",
            "--format",
            "json",
        ],
        repo_root(),
    ));
    let at = |rule: &str, resource: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["resource"] == resource)
            .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
            .collect()
    };
    // `privileged: true` written inside an inline JSON patch.
    assert_eq!(
        at("CP102", "Deployment/app container app"),
        vec!["testdata/kustomize/json6902/kustomization.yaml:14"]
    );
    // `hostNetwork: true` added by the legacy patchesJson6902 file.
    assert_eq!(
        at("CP106", "Deployment/app"),
        vec!["testdata/kustomize/json6902/ops.yaml:3"]
    );
    // An untagged image set by `images:` points at that entry.
    assert_eq!(
        at("CP201", "Job/a-once container once"),
        vec!["testdata/kustomize/namespaces/kustomization.yaml:18"]
    );
}

#[test]
fn a_patch_copied_onto_many_objects_is_bounded() {
    // 2,000 objects, one 40 KB patch selected onto each: 80 MB of copies.
    let objects: String = (0..2000)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"))
        .collect();
    let big = "x".repeat(40_000);
    let patch =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: any\ndata:\n  big: {big}\n");
    let report = check_project(&[
        (
            "kustomization.yaml",
            "resources:\n- objects.yaml\npatches:\n- path: patch.yaml\n  target:\n    kind: ConfigMap\n",
        ),
        ("objects.yaml", &objects),
        ("patch.yaml", &patch),
    ]);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1),
        ("kustomization.yaml", 4)
    );
    assert!(errors[0].2.contains("renders more than"), "{errors:?}");
}

#[test]
fn a_patched_value_names_the_base_value_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base/kustomization.yaml",
        "resources:\n- deployment.yaml\n",
    );
    let base = DEPLOYMENT.replace(
        "        image: nginx:1.25\n",
        "        image: nginx:1.25\n        securityContext:\n          privileged: false\n",
    );
    write(dir.path(), "base/deployment.yaml", &base);
    write(
        dir.path(),
        "prod/kustomization.yaml",
        "resources:\n- ../base\npatches:\n- path: patch.yaml\n",
    );
    write(
        dir.path(),
        "prod/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          privileged: true\n",
    );
    let out = policy(&["check", "prod"], dir.path());
    let text = common::stdout(&out);
    let finding = text
        .split("CP102/")
        .nth(1)
        .unwrap_or_else(|| panic!("no CP102:\n{text}"));
    assert!(finding.contains("prod/patch.yaml:11:11"), "{finding}");
    assert!(finding.contains("the base sets it here"), "{finding}");
    assert!(finding.contains("base/deployment.yaml:16"), "{finding}");
}

#[test]
fn generated_secret_values_are_never_printed() {
    for format in ["human", "json", "sarif"] {
        let out = policy(
            &["check", "testdata/kustomize/generators", "--format", format],
            repo_root(),
        );
        let text = common::stdout(&out);
        assert!(text.contains("CP504"), "{format}: {text}");
        // The literal, the file's content, and both base64-encoded.
        for secret in [
            "example-only-not-secret",
            "ZXhhbXBsZS1vbmx5LW5vdC1zZWNyZXQ=",
            "not a real key",
            "bm90IGEgcmVhbCBrZXkK",
        ] {
            assert!(!text.contains(secret), "{format} prints {secret}");
        }
    }
}

/// `Kustomization`, kustomize's third file name, has no extension: the walk
/// still finds it, and its resource is judged through it, once.
#[test]
fn a_kustomization_without_extension_is_found_by_the_walk() {
    let report = check_project(&[
        ("app/Kustomization", "namespace: shop\nresources:\n  - pod.yaml\n"),
        (
            "app/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n    - name: api\n      image: registry.example.com/api:1.0\n      securityContext: {privileged: true}\n",
        ),
    ]);
    let privileged: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP102")
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["resource"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(privileged.len(), 1, "{report:#}");
    assert_eq!(privileged[0].0, "app/pod.yaml", "{report:#}");
    assert!(errors(&report).is_empty(), "{report:#}");
}
