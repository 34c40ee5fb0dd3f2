//! Generated artefacts must match what the code generates from rule metadata
//! and model types. Run `UPDATE_GENERATED=1 cargo test --test generated` to
//! rewrite them after changing a rule or the model.

use container_policy::docs;
use container_policy::engine::PolicySet;
use std::path::Path;

fn check_or_update(path: &Path, expected: &str, stale: &mut Vec<String>) {
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == expected {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
    } else {
        stale.push(path.display().to_string());
    }
}

/// `policies/builtin.rvm`, the built-in rules compiled ahead of time: it
/// records a hash of its sources, so a stale file is never used, but it
/// must be current for runs to skip compiling.
#[test]
fn the_ahead_of_time_bytecode_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/builtin.rvm");
    let expected = container_policy::engine::prebuilt::generate().unwrap();
    // Byte for byte the same from run to run (no hash-map order in it).
    assert!(expected == container_policy::engine::prebuilt::generate().unwrap());
    let current = std::fs::read(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    panic!(
        "{} is stale: run `UPDATE_GENERATED=1 cargo test --test generated` and commit it",
        path.display()
    );
}

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policies = PolicySet::builtin().unwrap();
    let mut stale = Vec::new();

    check_or_update(
        &root.join("schemas/model.schema.json"),
        &docs::model_schema(),
        &mut stale,
    );
    check_or_update(
        &root.join("schemas/config.schema.json"),
        &container_policy::config::schema(),
        &mut stale,
    );

    let docs_dir = root.join("docs/rules");
    for rule in &policies.rules {
        let path = docs_dir.join(format!("{}.md", rule.meta.id));
        check_or_update(&path, &docs::rule_markdown(&rule.meta), &mut stale);
    }
    // No page for a rule that no longer exists.
    for entry in std::fs::read_dir(&docs_dir).into_iter().flatten().flatten() {
        let name = entry
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".md")
            .to_string();
        if !policies.rules.iter().any(|r| r.meta.id == name) {
            stale.push(format!("{} (no such rule)", entry.path().display()));
        }
    }

    check_or_update(
        &root.join("docs/profiles.md"),
        &docs::profiles_markdown(&policies.rules),
        &mut stale,
    );
    check_or_update(
        &root.join("docs/peers.md"),
        &docs::peers_markdown(&policies.rules),
        &mut stale,
    );

    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let updated = docs::replace_section(&readme, "rules", &docs::rules_table(&policies.rules))
        .expect("README.md has <!-- BEGIN rules --> and <!-- END rules --> markers");
    check_or_update(&readme_path, &updated, &mut stale);

    assert!(
        stale.is_empty(),
        "stale generated files (run `UPDATE_GENERATED=1 cargo test --test generated`):\n{}",
        stale.join("\n")
    );
}

/// The README's test command is what CI runs: `.ci/run` hands over to
/// `.ci/test`, which requires the tools and checks the module graph.
#[test]
fn readme_test_command_is_what_ci_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let readme = read("README.md");
    let commands: Vec<&str> = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```sh block in README.md")
        .lines()
        .collect();
    assert_eq!(commands.get(1), Some(&".ci/test"), "{commands:?}");
    let last_command = |script: &str| -> String {
        script
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(last_command(&read(".ci/run")), "exec .ci/test");
    let test = read(".ci/test");
    assert_eq!(last_command(&test), "cargo test --locked");
    for step in [
        "export POLICY_REQUIRE_TOOLS=1",
        "scripts/module-graph",
        ".ci/fuzz-smoke",
    ] {
        assert!(
            test.lines().any(|l| l.trim() == step),
            ".ci/test does not run `{step}`"
        );
    }
}
