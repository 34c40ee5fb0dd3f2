//! `policy rules` and `policy explain`.

use super::args::{PolicyArgs, RulesArgs};
use super::{fail, load_config, load_policies, CliResult, EXIT_CLEAN};
use std::io::Write;

pub(super) fn rules(args: RulesArgs) -> CliResult {
    let config = load_config(&args.policies)?;
    let policies = load_policies(&args.policies, config.as_ref())?;
    let mut out = std::io::stdout().lock();
    let listed: Vec<&crate::rules::Rule> = policies
        .rules
        .iter()
        .filter(|r| args.profile.is_none_or(|p| r.meta.in_profile(p)))
        .collect();
    let result = if args.format == "json" {
        let list: Vec<_> = listed.iter().map(|r| &r.meta).collect();
        serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        listed.iter().try_for_each(|r| {
            let m = &r.meta;
            writeln!(
                out,
                "{:<6} {:<32} {:<8} {:<34} {}{}",
                m.id,
                m.name,
                m.severity.as_str(),
                m.kinds.join(","),
                m.tags.join(","),
                if m.default_enabled { "" } else { " (opt-in)" }
            )
        })
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}

pub(super) fn explain(selector: &str, policy_args: &PolicyArgs) -> CliResult {
    let config = load_config(policy_args)?;
    let policies = load_policies(policy_args, config.as_ref())?;
    let rule = policies
        .rules
        .iter()
        .find(|r| r.meta.id.eq_ignore_ascii_case(selector) || r.meta.name == selector)
        .ok_or_else(|| {
            fail(format!(
                "no rule is called `{selector}`; `policy rules` lists them"
            ))
        })?;
    // Not `print!`: it panics when standard output is a closed pipe (`| head`).
    let markdown = crate::docs::rule_markdown(&rule.meta);
    match std::io::stdout().write_all(markdown.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
        _ => Ok(EXIT_CLEAN),
    }
}
