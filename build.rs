//! Embeds every `.rego` file under `policies/` in the binary, so adding a
//! built-in rule needs no Rust change; and writes one `#[test]` per rule
//! fixture directory for tests/rules.rs.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("/// Built-in policy files: (path relative to the repository, text).\npub static BUILTIN_POLICIES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(root.parent().unwrap()).unwrap();
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel.to_string_lossy().replace('\\', "/"),
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_policies.rs");
    std::fs::write(dest, out).unwrap();
    write_rule_fixture_tests();
}

/// `$OUT_DIR/rule_fixture_tests.rs`: a test named after each directory of
/// `testdata/rules/` (a rule id), so `cargo test --test rules CP101` runs
/// that rule's fixtures alone.
fn write_rule_fixture_tests() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("testdata/rules");
    println!("cargo:rerun-if-changed=testdata/rules");
    let mut ids: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    let mut out = String::new();
    for id in &ids {
        // Only ids that are identifiers become test names; tests/rules.rs
        // fails on any directory that names no rule.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        out.push_str(&format!(
            "#[test]\n#[allow(non_snake_case)]\nfn {id}() {{\n    check_rule_dir({id:?});\n}}\n"
        ));
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("rule_fixture_tests.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rego") {
            files.push(path);
        }
    }
}
