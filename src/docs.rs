//! Documentation generated from rule metadata: `policy explain`, the README
//! rules table and `docs/rules/*.md`. A test fails when the committed copies
//! are stale (`UPDATE_DOCS=1 cargo test --test docs` rewrites them).

use crate::rules::{Profile, Rule, RuleMeta};

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
        match m.smallest_profile() {
            Profile::Minimal => " · in the **minimal** profile",
            Profile::Default => "",
            Profile::Strict => " · **opt-in** (enable with `--enable` or `--profile strict`)",
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

/// `docs/profiles.md`: what each profile is for and the rules it runs.
pub fn profiles_markdown(rules: &[Rule]) -> String {
    let mut s = String::from(
        "# Profiles\n\n\
         A profile is the rule selection a run starts from: `--profile NAME` or \
         `profile: NAME` in `.policy.yaml` (the flag wins). `--enable` and `--disable` \
         (and the config's `enable`/`disable`) apply after it. Each profile holds the one \
         before it. A rule's metadata places it: `\"profile\": \"minimal\"`, else the \
         `default` profile, or `strict` only when it is opt-in (`\"default_enabled\": false`).\n\n\
         Generated from the rules' metadata; do not edit.\n",
    );
    for profile in Profile::ALL {
        let members: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.meta.in_profile(profile))
            .collect();
        s.push_str(&format!(
            "\n## `{profile}`: {} rules\n\n{}.\n",
            members.len(),
            profile.purpose()
        ));
        let added: Vec<&&Rule> = members
            .iter()
            .filter(|r| r.meta.smallest_profile() == profile)
            .collect();
        if profile != Profile::Minimal {
            s.push_str(&format!(
                "\nThe rules of the profile before it, and these {}:\n",
                added.len()
            ));
        }
        s.push_str("\n| id | name | severity | title |\n|---|---|---|---|\n");
        for r in added {
            let m = &r.meta;
            s.push_str(&format!(
                "| [{}](rules/{}.md) | `{}` | {} | {} |\n",
                m.id, m.id, m.name, m.severity, m.title
            ));
        }
    }
    s.push_str(PROFILE_CHOICES);
    s
}

/// Why some rules sit where they do: decisions taken on corpus counts.
const PROFILE_CHOICES: &str = "\n## Placements decided on the corpus\n\n\
Counted with `policy check --format json` over `../shared/corpus` (3,441 Kubernetes pod \
templates, 74,145 findings in the default profile before the change):\n\n\
| rule | findings | pod templates that set it | decision |\n|---|---|---|---|\n\
| CP112 `seccomp-profile-unset` | 4,652 (one per container) | 180 (5%) | kept in `default`, \
severity warning → info: the `restricted` Pod Security Standard asks for it and Trivy and \
Checkov report it, but as a warning on 95% of workloads it drowned graver findings |\n\
| CP113 `run-as-group-root` | 4,703 (one per container) | 217 (6%) | opt-in (`strict`): no \
Pod Security Standard asks for it, and OpenShift's arbitrary UIDs run with group 0 by design |\n\
| CP114 `service-account-token-mounted` | 3,380 (one per pod) | 60 set \
`automountServiceAccountToken: false` (2%) | kept in `default` as info: one finding per pod, \
a concrete exposure (most application pods never call the API server), and Checkov \
reports it |\n\
| CP730 `run-cd-anywhere`, CP731 `consecutive-run` | 79 and 142 RUNs of the 533 Dockerfiles \
of the peer sample | - | opt-in (`strict`): hadolint's DL3003 and DL3059 are matters of \
taste; `cd` in a build-from-source script and separate short RUNs are common and harmless \
(CP713 still reports a `cd` that ends a RUN) |\n";

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

/// `docs/peers.md`: for users of each peer tool, which of its checks a
/// rule covers, which do not and why, and how its pragmas are read.
pub fn peers_markdown(rules: &[Rule]) -> String {
    use crate::peers::{checks, PEERS};
    let title = |id: &str| {
        rules
            .iter()
            .find(|r| r.meta.id == id)
            .map_or(String::new(), |r| r.meta.title.clone())
    };
    let mut s = String::from(
        "# Coming from hadolint, Trivy, Checkov or kube-linter\n\n\
         Generated from [`peers.tsv`](peers.tsv) (`peer`, `check`, `rule`, `note`) and the \
         rules' metadata; `cargo test --test generated` keeps it current.\n\n\
         Their inline pragmas keep working: each suppresses the rules that cover the \
         checks it names, and is listed with the finding (`suppression.peer`). A pragma \
         that matches no finding is not reported (the peer may still read it); one whose \
         checks no rule covers does nothing.\n\n\
         | peer | pragma | covers |\n|---|---|---|\n\
         | hadolint | `# hadolint ignore=DL3008,DL3015` | the next instruction |\n\
         | hadolint | `# hadolint global ignore=DL3003` | the file |\n\
         | Trivy | `#trivy:ignore:KSV012` (also `AVD-KSV-0012`) | the next line's node (or its own line) |\n\
         | Checkov | `# checkov:skip=CKV_DOCKER_2: reason` | the file |\n\
         | Checkov | annotation `checkov.io/skip1: CKV_K8S_20=reason` | the object |\n\
         | kube-linter | annotation `ignore-check.kube-linter.io/privileged-container: reason` | the object |\n\n\
         A Trivy expiry date (`:exp:2025-01-01`) is not read: the pragma always applies, so \
         that a run's result does not depend on the day.\n",
    );
    for peer in PEERS {
        let rows: Vec<_> = checks().iter().filter(|c| c.peer == *peer).collect();
        let covered = rows.iter().filter(|c| !c.rules.is_empty()).count();
        s.push_str(&format!(
            "\n## {peer}\n\n{covered} of {} checks listed have a rule.\n\n| check | rule | note |\n|---|---|---|\n",
            rows.len()
        ));
        for c in rows {
            let rules = if c.rules.is_empty() {
                "–".to_string()
            } else {
                c.rules
                    .iter()
                    .map(|id| format!("[{id}](rules/{id}.md) {}", title(id)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            s.push_str(&format!("| `{}` | {} | {} |\n", c.check, rules, c.note));
        }
    }
    s
}
