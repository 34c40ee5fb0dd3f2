//! Documentation generated from rule metadata: `policy explain`, the README
//! rules table and `docs/rules/*.md`. A test fails when the committed copies
//! are stale (`UPDATE_DOCS=1 cargo test --test docs` rewrites them).

use crate::rules::{Rule, RuleMeta};

pub fn rule_markdown(m: &RuleMeta) -> String {
    let mut s = format!("# {} `{}`: {}\n\n", m.id, m.name, m.title);
    s.push_str(&format!(
        "Severity: **{}** · Kinds: {} · Tags: {}{}\n\n",
        m.severity,
        m.kinds.join(", "),
        m.tags
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if m.default_enabled {
            ""
        } else {
            " · **opt-in** (enable with `--enable` )"
        }
    ));
    s.push_str(&format!(
        "## Why\n\n{}\n\n## How to fix\n\n{}\n",
        m.why.trim(),
        m.fix.trim()
    ));
    for e in &m.examples {
        // A probe example is a command line.
        let lang = crate::kinds::kind(&e.kind)
            .map_or(if e.kind == "probe" { "sh" } else { "yaml" }, |k| k.fence);
        s.push_str(&format!(
            "\n## Example ({})\n\nBad:\n\n```{lang}\n{}\n```\n\nGood:\n\n```{lang}\n{}\n```\n",
            e.kind,
            e.bad.trim_end(),
            e.good.trim_end()
        ));
    }
    s
}

/// The README's rules table.
pub fn rules_table(rules: &[Rule]) -> String {
    let mut s = String::from(
        "| id | name | severity | kinds | tags | title |\n|---|---|---|---|---|---|\n",
    );
    for r in rules {
        let m = &r.meta;
        s.push_str(&format!(
            "| [{}](docs/rules/{}.md) | `{}` | {}{} | {} | {} | {} |\n",
            m.id,
            m.id,
            m.name,
            m.severity,
            if m.default_enabled { "" } else { " (opt-in)" },
            m.kinds.join(", "),
            m.tags.join(", "),
            m.title
        ));
    }
    s
}

/// JSON Schema of the normalized model (`input.workloads`, `input.images`).
pub fn model_schema() -> String {
    let schema = schemars::schema_for!(crate::model::Model);
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serializes");
    text.push('\n');
    text
}

/// Replaces the text between `<!-- BEGIN name -->` and `<!-- END name -->`.
pub fn replace_section(doc: &str, name: &str, body: &str) -> Option<String> {
    let begin = format!("<!-- BEGIN {name} -->\n");
    let end = format!("<!-- END {name} -->");
    let start = doc.find(&begin)? + begin.len();
    let stop = start + doc[start..].find(&end)?;
    Some(format!("{}{}{}", &doc[..start], body, &doc[stop..]))
}
