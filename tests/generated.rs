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
