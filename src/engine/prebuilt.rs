//! The built-in rules of each kind compiled to bytecode ahead of time
//! (`policies/builtin.rvm`), so a run of the built-in rules neither parses
//! nor prepares them: a pre-commit run on one file pays for reading it, not
//! for loading a hundred rules.
//!
//! The file is generated (`UPDATE_GENERATED=1 cargo test --test generated`,
//! checked by that test) and records a hash of everything the bytecode is
//! made from: the built-in policies, this engine and regorus' sources. A
//! stale file, or a run whose rules of a kind differ from the built-in
//! selection (user policies, `--disable`, a profile), is simply not used:
//! the kind's rules are then compiled at run time as before.
//!
//! Layout: `MAGIC`, the source hash (u64 LE), then per kind: its name, its
//! rules (a line `INDEX\tPACKAGE` each: the index the aggregator reports
//! findings with, then the rule), the entry rule, and the program's bytes
//! (`Program::serialize_binary`); each a u32 LE length and the bytes.

use super::{aggregator_rule, runs_on, Rule, VmProgram};
use regorus::rvm::program::{DeserializationResult, Program};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"CPRVM\x00\x00\x01";

/// What `policies/builtin.rvm` must have been generated from (build.rs).
pub const SOURCE_HASH: u64 = super::BYTECODE_SOURCE_HASH;

static PREBUILT: &[u8] = include_bytes!("../../policies/builtin.rvm");

/// One kind's section of the file.
struct Section<'a> {
    kind: &'a str,
    packages: &'a str,
    entry: &'a str,
    program: &'a [u8],
}

/// The next length-prefixed item of `rest`.
fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, tail) = rest.split_at_checked(4)?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    let (item, tail) = tail.split_at_checked(len)?;
    *rest = tail;
    Some(item)
}

fn sections(file: &[u8]) -> Option<Vec<Section<'_>>> {
    let rest = file.strip_prefix(MAGIC.as_slice())?;
    let (hash, mut rest) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(hash.try_into().ok()?) != SOURCE_HASH {
        return None;
    }
    let mut found = Vec::new();
    while !rest.is_empty() {
        let kind = std::str::from_utf8(take(&mut rest)?).ok()?;
        let packages = std::str::from_utf8(take(&mut rest)?).ok()?;
        let entry = std::str::from_utf8(take(&mut rest)?).ok()?;
        let program = take(&mut rest)?;
        found.push(Section {
            kind,
            packages,
            entry,
            program,
        });
    }
    Some(found)
}

/// The rules of `kind` in the order of `rules`, with their indexes there.
fn rules_of<'a>(rules: &'a [Rule], kind: &'a str) -> impl Iterator<Item = (usize, &'a str)> {
    let of_kind = rules
        .iter()
        .enumerate()
        .filter(move |(_, r)| runs_on(r, kind));
    of_kind.map(|(i, r)| (i, r.package.as_str()))
}

/// Whether the file is current and has `kind`'s rules exactly as `rules`
/// select them.
pub(super) fn matches(rules: &[Rule], kind: &str) -> bool {
    sections(PREBUILT)
        .and_then(|sections| sections.into_iter().find(|s| s.kind == kind))
        .and_then(|section| remap(rules, kind, &section))
        .is_some()
}

/// For each rule index the section's program reports, the index of the
/// same rule in `rules`; `None` unless the rules of `kind` are the same,
/// in the same order.
fn remap(rules: &[Rule], kind: &str, section: &Section) -> Option<Vec<usize>> {
    let mut remap = Vec::new();
    let mut here = rules_of(rules, kind);
    for line in section.packages.split('\n') {
        let (generated, package) = line.split_once('\t')?;
        let generated: usize = generated.parse().ok()?;
        let (index, runtime_package) = here.next()?;
        if runtime_package != package {
            return None;
        }
        if remap.len() <= generated {
            remap.resize(generated + 1, usize::MAX);
        }
        remap[generated] = index;
    }
    here.next().is_none().then_some(remap)
}

/// The ahead-of-time program of `kind`, when [`matches`] holds.
pub(super) fn program(rules: &[Rule], kind: &str, data: regorus::Value) -> Option<VmProgram> {
    let sections = sections(PREBUILT)?;
    let section = sections.iter().find(|s| s.kind == kind)?;
    let remap = remap(rules, kind, section)?;
    super::add_host_builtins();
    let program = match Program::deserialize_binary(section.program).ok()? {
        DeserializationResult::Complete(program) => program,
        DeserializationResult::Partial(_) => return None,
    };
    Some(VmProgram {
        policy: None,
        program: Arc::new(program),
        data,
        entry: section.entry.to_string(),
        interpreted: Vec::new(),
        remap: Some(remap),
    })
}

/// `policies/builtin.rvm` as the current sources make it: every kind whose
/// default rules all compile.
pub fn generate() -> Result<Vec<u8>, String> {
    let policies = super::PolicySet::builtin().map_err(|e| e.to_string())?;
    let evaluator = policies
        .evaluator(&super::Selection::default())
        .map_err(|e| e.to_string())?;
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&SOURCE_HASH.to_le_bytes());
    let put = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    let rules = &evaluator.rules;
    for (index, kind) in evaluator.shared.kinds.iter().enumerate() {
        let lines: Vec<String> = rules_of(rules, kind)
            .map(|(i, package)| format!("{i}\t{package}"))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let engine = evaluator
            .shared
            .get(index)
            .as_ref()
            .map_err(String::clone)?;
        let Some(program) = super::compile_kind(engine, kind, rules) else {
            continue;
        };
        if !program.interpreted.is_empty() || program.entry != aggregator_rule(kind) {
            continue;
        }
        let bytes = program.program.serialize_binary()?;
        put(&mut out, kind.as_bytes());
        put(&mut out, lines.join("\n").as_bytes());
        put(&mut out, program.entry.as_bytes());
        put(&mut out, &bytes);
    }
    Ok(out)
}
