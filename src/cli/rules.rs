//! `policy rules` and `policy explain`.

use super::args::{PolicyArgs, RulesArgs};
use super::{fail, load_config, load_policies, CliResult, EXIT_CLEAN};
use crate::config::Config;
use crate::engine::Selection;
use crate::rules::{Rule, RuleMeta};
use std::io::Write;

pub(super) fn rules(args: RulesArgs) -> CliResult {
    let config = load_config(&args.policies)?;
    let policies = load_policies(&args.policies, config.as_ref())?;
    let selection = selection(config.as_ref(), &policies.rules)?;
    let mut out = std::io::stdout().lock();
    let listed: Vec<&crate::rules::Rule> = policies
        .rules
        .iter()
        .filter(|r| args.profile.is_none_or(|p| r.meta.in_profile(p)))
        .collect();
    let result = if args.format == "json" {
        let list: Vec<_> = listed
            .iter()
            .map(|r| Listed {
                meta: effective(&selection, r),
                enabled: selection.selects(r),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        listed.iter().try_for_each(|r| {
            let m = effective(&selection, r);
            let state = match (selection.selects(r), m.default_enabled) {
                (true, _) => "",
                (false, true) => " (off)",
                (false, false) => " (opt-in, off)",
            };
            writeln!(
                out,
                "{:<6} {:<32} {:<8} {:<34} {}{state}",
                m.id,
                m.name,
                m.severity.as_str(),
                m.kinds.join(","),
                m.tags.join(","),
            )
        })
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}

/// A rule as `policy rules --format json` lists it: its severity as the
/// config file makes it, and whether it runs.
#[derive(serde::Serialize)]
struct Listed {
    #[serde(flatten)]
    meta: RuleMeta,
    enabled: bool,
}

/// What `.policy.yaml` makes of the rules (nothing without one): the same
/// selection `policy check` makes with no flags.
fn selection(config: Option<&Config>, rules: &[Rule]) -> Result<Selection, miette::Report> {
    Ok(match config {
        Some(config) => {
            config.check_selectors(rules)?;
            config.layer_under(rules, Selection::default())
        }
        None => Selection::default(),
    })
}

fn effective(selection: &Selection, rule: &Rule) -> RuleMeta {
    RuleMeta {
        severity: selection.severity_of(rule),
        ..rule.meta.clone()
    }
}

/// The values this directory's `.policy.yaml` gives the list parameters a
/// rule's `why` names (`` `nonroot-base-images` parameter ``): the rule
/// reads them with its built-in tables.
fn parameters_named(config: &crate::config::Config, why: &str) -> String {
    let parameters = serde_json::to_value(&config.file.parameters).unwrap_or_default();
    let mut out = String::new();
    for (key, value) in parameters.as_object().into_iter().flatten() {
        let name = key.replace('_', "-");
        let Some(items) = value.as_array() else {
            continue;
        };
        if !why.contains(&format!("`{name}` parameter")) {
            continue;
        }
        let items: Vec<String> = (items.iter())
            .filter_map(|v| v.as_str().map(|s| format!("`{s}`")))
            .collect();
        out.push_str(&format!("Your `{name}`: {}.\n\n", items.join("; ")));
    }
    out
}

pub(super) fn explain(selector: &str, policy_args: &PolicyArgs) -> CliResult {
    let config = load_config(policy_args)?;
    let policies = load_policies(policy_args, config.as_ref())?;
    let selection = selection(config.as_ref(), &policies.rules)?;
    let rule = policies
        .rules
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(selector) || r.meta.name == selector)
        .ok_or_else(|| {
            fail(format!(
                "no rule is called `{selector}`; `policy rules` lists them"
            ))
        })?;
    let mut markdown = crate::docs::rule_markdown(&effective(&selection, rule));
    if let Some(config) = &config {
        // After the title line: what this directory's settings make of it.
        let state = if selection.selects(rule) { "on" } else { "off" };
        let note = format!(
            "Here ({}): **{state}**, severity **{}**.\n\n",
            crate::report::visible(config.path()),
            selection.severity_of(rule)
        );
        let at = markdown.find("\n\n").map_or(0, |i| i + 2);
        markdown.insert_str(at, &(note + &parameters_named(config, &rule.meta.why)));
    }
    // Not `print!`: it panics when standard output is a closed pipe (`| head`).
    match std::io::stdout().write_all(markdown.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}
