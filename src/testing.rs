//! `policy test`: runs the `test_*` rules of policy files, like `opa test`.
//!
//! Tests are found by reading the policy texts: a rule head `test_…` at the
//! start of a line (not a function, not inside a raw string). Each test is
//! evaluated as `data.<package>.<test>` on a fresh clone of the loaded engine;
//! it passes when it is `true`. `false`, undefined or any other value fails,
//! and an evaluation error fails with its message.

use crate::engine::{LoadOptions, PolicyError, PolicyFile, PolicySet};
use regorus::Value as RegoValue;
use std::io::Write;
use std::path::PathBuf;

pub struct Options {
    /// Policy files or directories; empty: the built-in policies.
    pub paths: Vec<PathBuf>,
    /// Regular expression over `data.<package>.<test>` names.
    pub run: Option<String>,
    pub data: Vec<PathBuf>,
    pub verbose: bool,
}

/// One `test_` rule: `data.<package>.<name>`, defined first at `file:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// `data.pkg.test_x`.
    pub name: String,
    pub file: String,
    pub line: usize,
}

/// What one test gave.
enum Outcome {
    Pass,
    /// Evaluated, but not to `true`: what it was instead.
    Fail(String),
    /// Evaluation failed.
    Error(String),
}

/// Exit code: 0 all passed, 1 a test failed, 2 a policy could not be loaded.
pub fn run(options: &Options) -> Result<i32, miette::Report> {
    let filter = match &options.run {
        Some(pattern) => Some(
            regex::Regex::new(pattern)
                .map_err(|e| miette::miette!("--run: invalid regular expression: {e}"))?,
        ),
        None => None,
    };
    let builtin = options.paths.is_empty();
    let policies = PolicySet::load(&LoadOptions {
        builtin,
        policies: options.paths.clone(),
        data: options.data.clone(),
        tests: true,
        ..Default::default()
    })
    .map_err(PolicyError::into_report)?;

    // Paths given: their tests only, not those of the built-in `lib` loaded
    // beside them.
    let files = policies.files.iter().filter(|f| builtin || !f.builtin);
    let all = discover(files);
    let total = all.len();
    let tests: Vec<TestCase> = all
        .into_iter()
        .filter(|t| filter.as_ref().is_none_or(|re| re.is_match(&t.name)))
        .collect();
    if tests.is_empty() {
        return Err(match (&options.run, total) {
            (Some(pattern), n) if n > 0 => miette::miette!(
                "no test matches --run {pattern:?} ({n} test{} found)",
                if n == 1 { "" } else { "s" }
            ),
            _ => miette::miette!(
                "no tests found: a test is a rule whose name starts with `test_` (e.g. `test_denied if {{ … }}`) in a .rego file"
            ),
        });
    }

    // Prepare once, so that every clone starts analysed.
    let mut base = policies.engine().clone();
    base.set_gather_prints(true);
    let _ = base.eval_query("true".into(), false);
    let _ = base.take_prints();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut passed, mut failed) = (0usize, 0usize);
    for test in &tests {
        let mut engine = base.clone();
        let outcome = evaluate(&mut engine, &test.name);
        let prints = engine.take_prints().unwrap_or_default();
        let location = format!("{}:{}", test.file, test.line);
        let lines = match &outcome {
            Outcome::Pass => {
                passed += 1;
                if !options.verbose {
                    continue;
                }
                vec![format!("PASS {} ({location})", test.name)]
            }
            Outcome::Fail(detail) | Outcome::Error(detail) => {
                failed += 1;
                let mut lines = vec![format!("FAIL {} ({location})", test.name)];
                lines.extend(detail.lines().map(|l| format!("    {l}")));
                lines
            }
        };
        let mut text = lines.join("\n");
        text.push('\n');
        for p in &prints {
            text.push_str(&format!("    print: {}\n", crate::secrets::redact_text(p)));
        }
        if let Err(e) = out.write_all(text.as_bytes()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(miette::miette!("cannot write: {e}"));
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    let _ = out.flush();
    Ok(if failed > 0 {
        crate::exit::FINDINGS
    } else {
        crate::exit::CLEAN
    })
}

fn evaluate(engine: &mut regorus::Engine, name: &str) -> Outcome {
    match engine.eval_rule(name.to_string()) {
        Ok(RegoValue::Bool(true)) => Outcome::Pass,
        Ok(RegoValue::Bool(false)) => Outcome::Fail("evaluated to false".into()),
        Ok(RegoValue::Undefined) => {
            Outcome::Fail("undefined: a condition of the test did not hold".into())
        }
        Ok(other) => Outcome::Fail(format!(
            "evaluated to {}, not true",
            serde_json::to_string(&other).unwrap_or_else(|_| format!("{other:?}"))
        )),
        Err(e) => Outcome::Error(format!("error: {}", e.to_string().trim())),
    }
}

/// Every test of the files, in file order then line order; a test defined in
/// several places (incremental rule) is listed once, at its first head.
pub fn discover<'a>(files: impl Iterator<Item = &'a PolicyFile>) -> Vec<TestCase> {
    let mut tests: Vec<TestCase> = Vec::new();
    for file in files {
        for (line, rule) in test_heads(&file.text) {
            let name = format!("{}.{rule}", file.package);
            if tests.iter().any(|t| t.name == name) {
                continue;
            }
            tests.push(TestCase {
                name,
                file: file.path.clone(),
                line,
            });
        }
    }
    tests
}

/// `(line, name)` of every rule head `test_…` at the start of a line, outside
/// raw strings; functions (`test_x(a)`) are not tests.
fn test_heads(text: &str) -> Vec<(usize, String)> {
    let mut heads = Vec::new();
    let mut in_raw = false;
    for (i, line) in text.lines().enumerate() {
        if !in_raw && line.starts_with("test_") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let rest = line[name.len()..].trim_start();
            if !rest.starts_with('(') {
                heads.push((i + 1, name));
            }
        }
        in_raw = raw_string_open_after(line, in_raw);
    }
    heads
}

/// Whether a backtick raw string is still open at the end of `line`.
fn raw_string_open_after(line: &str, mut in_raw: bool) -> bool {
    let mut chars = line.chars();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_raw {
            if c == '`' {
                in_raw = false;
            }
        } else if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '#' => break,
                '"' => in_string = true,
                '`' => in_raw = true,
                _ => {}
            }
        }
    }
    in_raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_test_heads() {
        let text = "package p\n\ntest_a if {\n\ttrue\n}\n\ntest_b := true\ntest_helper(x) if x\n  test_indented if true\nx := `\ntest_in_raw if true\n`\ntest_c if { \"#`\" == \"#`\" } # `\ntest_a if false\n";
        let heads = test_heads(text);
        assert_eq!(
            heads,
            vec![
                (3, "test_a".to_string()),
                (7, "test_b".to_string()),
                (13, "test_c".to_string()),
                (14, "test_a".to_string()),
            ]
        );
        let file = PolicyFile {
            path: "p.rego".into(),
            text: text.into(),
            package: "data.p".into(),
            builtin: false,
        };
        let tests = discover(std::iter::once(&file));
        assert_eq!(tests.len(), 3);
        assert_eq!(tests[0].name, "data.p.test_a");
        assert_eq!(tests[0].line, 3);
    }
}
