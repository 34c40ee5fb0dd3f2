//! Embeds every `.rego` file under `policies/` in the binary, so adding a
//! built-in rule needs no Rust change; and writes one `#[test]` per rule
//! fixture directory for tests/rules.rs.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    collect(&root, "rego", &mut files);
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
    out.push_str(&builtin_rule_table(&root, &files));
    out.push_str(&format!(
        "/// What `policies/builtin.rvm` is made from (see engine::prebuilt).\npub const BYTECODE_SOURCE_HASH: u64 = {:#x};\n",
        bytecode_source_hash(&files)
    ));
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

/// `BUILTIN_RULES`: per built-in rule file (tests left out), its index in
/// `BUILTIN_POLICIES`, its package, the rule packages it imports, and its
/// `metadata` as JSON when that is a plain literal, so that a run reads rule
/// metadata without parsing or evaluating Rego; with it, the byte range of
/// that literal in the file, which a run then need not parse either.
/// Metadata built by an expression (it may read `data.parameters`) is
/// evaluated at run time.
fn builtin_rule_table(root: &Path, files: &[PathBuf]) -> String {
    let mut out = String::from(
        "/// Built-in rule files (see `BuiltinRule`).\n\
         pub static BUILTIN_RULES: &[BuiltinRule] = &[\n",
    );
    for (index, f) in files.iter().enumerate() {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.starts_with("rules/") || rel.ends_with("_test.rego") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        let package = text
            .lines()
            .find_map(|l| l.strip_prefix("package "))
            .map(|p| format!("data.{}", p.trim()))
            .unwrap_or_default();
        let imports: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("import data.rules."))
            .map(|p| format!("data.rules.{}", p.split_whitespace().next().unwrap_or("")))
            .collect();
        let (metadata, range) = match metadata_json(&text) {
            Some((json, range)) => (Some(json), range),
            None => (None, (0, 0)),
        };
        out.push_str(&format!(
            "    BuiltinRule {{ index: {index}, package: {package:?}, imports: &{imports:?}, metadata: {metadata:?}, metadata_range: {range:?} }},\n"
        ));
    }
    out.push_str("];\n");
    out
}

/// The `metadata := {…}` literal of a rule file as JSON, with the byte
/// range of the literal (`{` to `}`), or `None` when it is anything but
/// strings, booleans, null, arrays and objects.
fn metadata_json(text: &str) -> Option<(String, (usize, usize))> {
    let start = text.find("\nmetadata := {")? + "\nmetadata := ".len();
    let rest = &text[start..];
    let mut chars = rest.chars().peekable();
    let mut json = String::new();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '{' | '[' => {
                depth += 1;
                json.push(c);
            }
            '}' | ']' => {
                // Rego allows a trailing comma; JSON does not.
                if json.ends_with(',') {
                    json.pop();
                }
                json.push(c);
                depth -= 1;
                if depth == 0 {
                    let left: usize = chars.map(char::len_utf8).sum();
                    return Some((json, (start, text.len() - left)));
                }
            }
            ',' | ':' => json.push(c),
            '"' => {
                // Rego's escapes are JSON's: copied as written.
                json.push(c);
                while let Some(c) = chars.next() {
                    json.push(c);
                    match c {
                        '\\' => json.push(chars.next()?),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '`' => {
                json.push('"');
                for c in chars.by_ref().take_while(|&c| c != '`') {
                    match c {
                        '"' => json.push_str("\\\""),
                        '\\' => json.push_str("\\\\"),
                        '\n' => json.push_str("\\n"),
                        '\t' => json.push_str("\\t"),
                        '\r' => json.push_str("\\r"),
                        c if (c as u32) < 0x20 => json.push_str(&format!("\\u{:04x}", c as u32)),
                        c => json.push(c),
                    }
                }
                json.push('"');
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {}
            c if c.is_ascii_alphabetic() => {
                let mut word = String::from(c);
                while let Some(&n) = chars
                    .peek()
                    .filter(|n| n.is_ascii_alphanumeric() || **n == '_')
                {
                    word.push(n);
                    chars.next();
                }
                match word.as_str() {
                    "true" | "false" | "null" => json.push_str(&word),
                    // `concat("", ["…", "…"])`: one long text over lines.
                    "concat" => json.push_str(&concat_of_literals(&mut chars)?),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    None
}

/// The JSON string of `("", ["…", …])` after `concat`: string literals
/// only (Rego's escapes are JSON's), else `None`.
fn concat_of_literals(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<String> {
    for expected in ['(', '"', '"', ',', '['] {
        skip_space(chars);
        if chars.next()? != expected {
            return None;
        }
    }
    let mut text = String::from('"');
    loop {
        skip_space(chars);
        match chars.next()? {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            text.push(c);
                            text.push(chars.next()?);
                        }
                        '"' => break,
                        c => text.push(c),
                    }
                }
                skip_space(chars);
                match chars.next()? {
                    ',' => continue,
                    ']' => break,
                    _ => return None,
                }
            }
            ']' => break,
            _ => return None,
        }
    }
    skip_space(chars);
    (chars.next()? == ')').then_some(())?;
    text.push('"');
    Some(text)
}

/// FNV-1a over the path and bytes of every file the ahead-of-time bytecode
/// is made from: the built-in policies (tests left out), the engine that
/// wraps them into aggregators, and regorus.
fn bytecode_source_hash(policies: &[PathBuf]) -> u64 {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files: Vec<PathBuf> = policies
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with("_test.rego"))
        .cloned()
        .collect();
    let mut rust = Vec::new();
    for dir in ["src/engine", "vendor/regorus/src"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&manifest.join(dir), "rs", &mut rust);
    }
    files.extend(rust);
    files.push(manifest.join("vendor/regorus/Cargo.toml"));
    let mut keyed: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&manifest).unwrap_or(&f);
            (rel.to_string_lossy().replace('\\', "/"), f)
        })
        .collect();
    keyed.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, path) in keyed {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for b in rel.bytes().chain([0]).chain(bytes).chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Skips white space and `#` comments.
fn skip_space(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(&c) = chars.peek() {
        if c == '#' {
            chars.by_ref().find(|&c| c == '\n');
        } else if c.is_whitespace() {
            chars.next();
        } else {
            break;
        }
    }
}

/// Files ending in `.EXT` under `dir`; a change in any directory reruns this.
fn collect(dir: &Path, ext: &str, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, ext, files);
        } else if path.extension().is_some_and(|e| e == ext) {
            files.push(path);
        }
    }
}
