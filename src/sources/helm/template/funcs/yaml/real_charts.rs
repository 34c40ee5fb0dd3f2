//! `toYaml`, `toYamlPretty` and `toJson` of every values file of the
//! shared real charts, against Helm's own render of the same values
//! (Helm v4 through `helm-python-sdk`). Skipped, with a word on stderr,
//! where Python's Helm binding or the charts are missing; under
//! `POLICY_REQUIRE_TOOLS=1` that is a failure.

use super::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Renders `toYaml`, `toYamlPretty`, `toJson` of `.Values` for each chart
/// directory given, printing `{dir: [yaml, pretty, json]}` as JSON.
const HELM_RENDER: &str = r#"
import json, os, shutil, sys, tempfile
import helm_python as h
out = {}
for src in sys.argv[1:]:
    d = tempfile.mkdtemp()
    try:
        c = os.path.join(d, 'c')
        os.makedirs(os.path.join(c, 'templates'))
        open(os.path.join(c, 'Chart.yaml'), 'w').write('apiVersion: v2\nname: c\nversion: 0.1.0\n')
        shutil.copy(os.path.join(src, 'values.yaml'), os.path.join(c, 'values.yaml'))
        for name, expr in [('y', 'toYaml'), ('p', 'toYamlPretty'), ('j', 'toJson')]:
            open(os.path.join(c, 'templates', name + '.txt'), 'w').write('{{ %s .Values }}' % expr)
        r = h.Chart.load(c).render(name='release-name', namespace='default')
        get = lambda n: next(v for k, v in r.items() if k.endswith('/' + n + '.txt'))
        out[src] = [get('y'), get('p'), get('j')]
    finally:
        shutil.rmtree(d)
print(json.dumps(out))
"#;

fn skip(why: &str) {
    let required =
        std::env::var_os("POLICY_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "POLICY_REQUIRE_TOOLS is set, but {why}");
    let _ = writeln!(std::io::stderr(), "skipped: toYaml against Helm: {why}");
}

fn chart_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("values.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Helm drops the keys a chart's values set to null when it coalesces
/// them (the chart loader's job; repeated here to compare the printing).
fn without_nulls(v: &Value) -> Value {
    match &v.kind {
        Kind::Map(m) => Value::map(
            m.iter()
                .filter(|(_, v)| !v.is_nil())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

#[test]
fn values_of_real_charts_print_as_helm_prints_them() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/projects/helm/prometheus-community");
    let dirs = chart_dirs(&root);
    if dirs.is_empty() {
        return skip(&format!("no charts under {}", root.display()));
    }
    let output = match Command::new("python3")
        .arg("-c")
        .arg(HELM_RENDER)
        .args(&dirs)
        .output()
    {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            return skip(&format!(
                "Helm's Python binding failed: {}",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            ))
        }
        Err(e) => return skip(&format!("python3: {e}")),
    };
    let helm: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the script prints JSON");
    let mut differences = Vec::new();
    for dir in &dirs {
        let text = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
        let values = match parse_v2(&text).unwrap() {
            v if v.is_nil() => Value::map(Map::new()),
            v => without_nulls(&v),
        };
        let expected = &helm[dir.to_string_lossy().as_ref()];
        let ours = [
            marshal(&values, Flavor::V2).unwrap(),
            marshal(&values, Flavor::V3).unwrap(),
            json::encode(&values, json::COMPACT).unwrap(),
        ];
        for (i, (name, ours)) in ["toYaml", "toYamlPretty", "toJson"]
            .iter()
            .zip(ours)
            .enumerate()
        {
            let theirs = expected[i].as_str().unwrap_or_default();
            if ours != theirs {
                let line = ours
                    .lines()
                    .zip(theirs.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                differences.push(format!(
                    "{} {name}, line {}:\n  ours: {:?}\n  helm: {:?}",
                    dir.display(),
                    line + 1,
                    ours.lines().nth(line).unwrap_or(""),
                    theirs.lines().nth(line).unwrap_or("")
                ));
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{} charts' values, {} differences",
        dirs.len(),
        differences.len()
    );
    let shown: Vec<String> = differences
        .iter()
        .take(8)
        .map(|d| d.chars().take(600).collect())
        .collect();
    assert!(differences.is_empty(), "{}", shown.join("\n"));
}
