//! Inline suppressions. `# policy:ignore RULE[,RULE…] -- reason` on the line
//! of, or the line before, the offending instruction or YAML node;
//! `# policy:ignore-file RULE…` anywhere in a file; the Kubernetes annotation
//! `policy.container/ignore: "RULE,RULE -- reason"` for a whole object.
//!
//! Directives are read while the file is parsed (what a comment covers
//! depends on the document tree) and applied once every finding of the run
//! is in, so cross-document findings are suppressed the same way. A directive
//! that names an unknown rule, or that suppresses nothing, is itself reported.
//!
//! A unit built from several files (a compose project with its override
//! file) reads the directives of each file; a finding is matched only
//! against those of the file that set its node.

use crate::document::{Node, Value};
use crate::finding::{Finding, Suppression, SuppressionKind};
use crate::kinds::KindSpec;
use crate::parse::Document;
use crate::rules::RuleMeta;
use crate::source::{FileId, Files, SourceFile, Span};
use regex::Regex;
use std::sync::LazyLock;

/// The annotation that suppresses rules for a whole Kubernetes object.
pub const ANNOTATION: &str = "policy.container/ignore";
/// Reported for a suppression that matches no finding.
pub const UNUSED_RULE: &str = "CP001";
/// Reported for a suppression naming a rule that does not exist.
pub const UNKNOWN_RULE: &str = "CP002";

/// One suppression comment or annotation of a file.
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: SuppressionKind,
    /// Rule ids or names, as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// Where the directive is written (reported when it is stale).
    pub span: Span,
    /// A peer tool's pragma this directive was read from (`hadolint
    /// ignore=DL3008`): it suppresses the mapped rules, and is never
    /// reported as unused (the peer may still read it).
    pub peer: Option<String>,
    pub line: usize,
    /// Findings starting on this line are covered…
    pub target_line: usize,
    /// …and so are findings inside this range of the file. Its file is the
    /// only one whose findings the directive covers.
    pub covers: Span,
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*policy:(ignore-file|ignore)(?:[ \t]+([^\r\n]*))?[ \t]*\r?$")
        .expect("valid regex")
});

/// `{{/* policy:ignore CP101 -- reason */}}` in a Helm template (a `#`
/// comment there would be printed into the manifest).
static TEMPLATE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{-?[ \t]*/\*[ \t]*policy:(ignore-file|ignore)(?:[ \t]+([^\r\n]*?))?[ \t]*\*/[ \t]*-?\}\}")
        .expect("valid regex")
});

/// `# hadolint ignore=DL3008,DL3015` (the next instruction) and `# hadolint
/// global ignore=…` (the file).
static HADOLINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=[ \t]*([A-Za-z0-9]+(?:[ \t]*,[ \t]*[A-Za-z0-9]+)*)")
        .expect("valid regex")
});

/// `#trivy:ignore:KSV012` (the next line), optionally `:exp:DATE`.
static TRIVY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*trivy:ignore:([A-Za-z0-9-]+)").expect("valid regex")
});

/// `# checkov:skip=CKV_DOCKER_3: reason` (the file, as Checkov reads it in
/// a Dockerfile).
static CHECKOV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^|[ \t])#[ \t]*checkov:skip=([A-Za-z0-9_]+)(?:[ \t]*:[ \t]*([^\r\n]*))?")
        .expect("valid regex")
});

/// The rules that cover `checks` of `peer`, each once, in the table's order.
fn peer_rules<'a>(peer: &str, checks: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut rules: Vec<String> = Vec::new();
    for check in checks {
        for rule in crate::peers::rules_for(peer, check) {
            if !rules.iter().any(|r| r == rule) {
                rules.push(rule.to_string());
            }
        }
    }
    rules
}

/// One suppression comment, before it is placed in its file.
struct Pragma {
    /// From the `#` to the end of the pragma.
    start: usize,
    end: usize,
    file_wide: bool,
    rules: Vec<String>,
    reason: Option<String>,
    peer: Option<String>,
}

/// The pragmas of `text`: ours, and those of peer tools whose checks a
/// rule covers.
fn pragmas(text: &str) -> Vec<Pragma> {
    let mut out = Vec::new();
    let hash_of = |m: regex::Match| m.start() + m.as_str().find('#').unwrap_or(0);
    if text.contains("policy:ignore") {
        for m in COMMENT.captures_iter(text) {
            let whole = m.get(0).expect("match");
            let (rules, reason) = rules_and_reason(m.get(2).map_or("", |r| r.as_str()));
            out.push(Pragma {
                start: hash_of(whole),
                end: whole.end(),
                file_wide: &m[1] == "ignore-file",
                rules,
                reason,
                peer: None,
            });
        }
        if text.contains("{{") {
            for m in TEMPLATE_COMMENT.captures_iter(text) {
                let whole = m.get(0).expect("match");
                let (rules, reason) = rules_and_reason(m.get(2).map_or("", |r| r.as_str()));
                out.push(Pragma {
                    start: whole.start(),
                    end: whole.end(),
                    file_wide: &m[1] == "ignore-file",
                    rules,
                    reason,
                    peer: None,
                });
            }
        }
    }
    let mut peer = |start: usize, end: usize, file_wide, rules: Vec<String>, reason| {
        if !rules.is_empty() {
            out.push(Pragma {
                start,
                end,
                file_wide,
                rules,
                reason,
                peer: Some(text[start + 1..end].trim().to_string()),
            });
        }
    };
    if text.contains("hadolint") {
        for m in HADOLINT.captures_iter(text) {
            let whole = m.get(0).expect("match");
            let rules = peer_rules("hadolint", m[2].split(',').map(str::trim));
            peer(hash_of(whole), whole.end(), m.get(1).is_some(), rules, None);
        }
    }
    if text.contains("trivy:ignore") {
        for m in TRIVY.captures_iter(text) {
            let whole = m.get(0).expect("match");
            // `AVD-KSV-0012:exp:2025-01-01`: the id ends before `:`.
            let rules = peer_rules("trivy", [&m[1]]);
            peer(hash_of(whole), whole.end(), false, rules, None);
        }
    }
    if text.contains("checkov:skip") {
        for m in CHECKOV.captures_iter(text) {
            let whole = m.get(0).expect("match");
            let rules = peer_rules("checkov", [&m[1]]);
            let reason = m.get(2).map(|r| r.as_str().trim().to_string());
            let end = m.get(1).expect("id").end();
            peer(
                hash_of(whole),
                end,
                true,
                rules,
                reason.filter(|r| !r.is_empty()),
            );
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// Splits `CP101, run-as-root -- reason` into rules and reason; a further
/// ` #` starts another comment.
fn rules_and_reason(text: &str) -> (Vec<String>, Option<String>) {
    let text = text.find(" #").map_or(text, |i| &text[..i]);
    let (rules, reason) = match text.split_once("--") {
        Some((rules, reason)) => (rules, Some(reason.trim().to_string())),
        None => (text, None),
    };
    let rules = rules
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    (rules, reason.filter(|r| !r.is_empty()))
}

/// Every directive of one parsed file.
pub fn directives(source: &SourceFile, kind: &KindSpec, documents: &[Document]) -> Vec<Directive> {
    directives_in(Files::single(source), kind, documents)
}

/// Every directive of every file of a unit, whose documents' nodes may
/// point into any of them.
pub fn directives_in(files: Files, kind: &KindSpec, documents: &[Document]) -> Vec<Directive> {
    let mut out = Vec::new();
    // Nodes from several files are not in one file's order.
    let mixed = !files.others.is_empty();
    for (file, source) in files.iter() {
        comment_directives(source, file, kind, documents, mixed, &mut out);
    }
    if kind.annotations {
        annotation_directives(files, documents, &mut out);
    }
    if kind.name == "container" || kind.name == "image" {
        out.extend(documents.iter().flat_map(label_directives));
    }
    out
}

/// The `# policy:ignore` comments of `source`, file `file` of the unit;
/// `mixed` when the documents' nodes come from several files.
fn comment_directives(
    source: &SourceFile,
    file: FileId,
    kind: &KindSpec,
    documents: &[Document],
    mixed: bool,
    out: &mut Vec<Directive>,
) {
    let text = &*source.text;
    let found = pragmas(text);
    if found.is_empty() {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for pragma in found {
        let hash = pragma.start;
        let line = source.position(hash).line;
        let line_start = text[..hash].rfind('\n').map_or(0, |i| i + 1);
        let own_line = text[line_start..hash].trim().is_empty();
        if !kind.trailing_comments && !own_line {
            continue;
        }
        let span = Span::new(hash, pragma.end).in_file(file);
        if pragma.file_wide {
            out.push(Directive {
                kind: SuppressionKind::File,
                rules: pragma.rules,
                reason: pragma.reason,
                span,
                peer: pragma.peer,
                line,
                target_line: 0,
                covers: Span::new(0, text.len()).in_file(file),
            });
            continue;
        }
        let target_line = if own_line {
            next_code_line(&lines, line)
        } else {
            line
        };
        let covers = documents
            .iter()
            .filter_map(|d| match mixed {
                false => extent_starting_on(source, &d.node, target_line),
                true => extent_in_file_starting_on(source, file, &d.node, target_line),
            })
            .max_by_key(|s| s.end - s.start)
            .unwrap_or(Span::new(0, 0).in_file(file));
        out.push(Directive {
            kind: SuppressionKind::Inline,
            rules: pragma.rules,
            reason: pragma.reason,
            span,
            peer: pragma.peer,
            line,
            target_line,
            covers,
        });
    }
}

/// `policy.container/ignore` annotations, and the peers' (Checkov's
/// `checkov.io/skipN: CKV_K8S_20=reason`, kube-linter's
/// `ignore-check.kube-linter.io/CHECK: reason`): each covers its object.
fn annotation_directives(files: Files, documents: &[Document], out: &mut Vec<Directive>) {
    for doc in documents {
        let annotations = [
            doc.node.get("metadata"),
            doc.node
                .get("spec")
                .and_then(|s| s.get("template"))
                .and_then(|t| t.get("metadata")),
        ];
        let line_of = |span: Span| files.of(span).position(span.start).line;
        let mut push = |rules, reason, span: Span, peer| {
            out.push(Directive {
                kind: SuppressionKind::Annotation,
                rules,
                reason,
                span,
                peer,
                line: line_of(span),
                target_line: line_of(doc.node.span),
                covers: doc.node.span,
            });
        };
        for metadata in annotations.into_iter().flatten() {
            let Some(Value::Map(entries)) = metadata.get("annotations").map(|a| &a.value) else {
                continue;
            };
            for entry in entries {
                let Some(written) = entry.value.as_str() else {
                    continue;
                };
                let span = entry.key_span.join(entry.value.span);
                if entry.key == ANNOTATION {
                    let (rules, reason) = rules_and_reason(written);
                    push(rules, reason, entry.value.span, None);
                } else if entry.key.starts_with("checkov.io/skip") {
                    let (check, reason) = written.split_once('=').unwrap_or((written, ""));
                    let rules = peer_rules("checkov", [check]);
                    if !rules.is_empty() {
                        let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
                        push(
                            rules,
                            reason,
                            span,
                            Some(format!("checkov:skip={}", check.trim())),
                        );
                    }
                } else if let Some(check) = entry.key.strip_prefix("ignore-check.kube-linter.io/") {
                    let rules = peer_rules("kube-linter", [check]);
                    if !rules.is_empty() {
                        let reason = Some(written.trim().to_string()).filter(|r| !r.is_empty());
                        push(rules, reason, span, Some(entry.key.clone()));
                    }
                }
            }
        }
    }
}

/// A `policy.container/ignore` label of an image's config (`config.Labels`)
/// or a container's (`Config.Labels`): it covers the whole image, whose
/// findings have no line of their own. A Dockerfile's `LABEL` of that name
/// carries it into the image it builds.
pub fn label_directives(document: &Document) -> Vec<Directive> {
    let labels = ["config", "Config"]
        .into_iter()
        .filter_map(|k| document.node.get(k))
        .find_map(|c| c.get("Labels"));
    let Some(written) = labels
        .and_then(|l| l.get(ANNOTATION))
        .and_then(Node::as_str)
    else {
        return Vec::new();
    };
    let (rules, reason) = rules_and_reason(written);
    // A config read from text covers its whole document; one built from an
    // archive has no text, and its findings are all at line 1.
    let whole = document.node.span;
    vec![Directive {
        kind: SuppressionKind::Annotation,
        rules,
        reason,
        span: whole,
        peer: None,
        line: 1,
        target_line: 1,
        covers: whole,
    }]
}

/// The first line after `line` (1-based) that is neither blank, a comment,
/// nor a YAML document marker: what a comment on its own line is about.
fn next_code_line(lines: &[&str], line: usize) -> usize {
    (line..lines.len())
        .find(|&i| {
            let t = lines[i].trim();
            !(t.is_empty() || t.starts_with('#') || t == "---")
        })
        .map_or(line + 1, |i| i + 1)
}

/// The largest node that starts on `line`: a mapping entry (key and value),
/// a sequence item (a YAML list entry, a Dockerfile instruction).
fn extent_starting_on(source: &SourceFile, node: &Node, line: usize) -> Option<Span> {
    let line_of = |offset: usize| source.line_of(offset);
    let mut best: Option<Span> = None;
    let mut consider = |span: Span| {
        if best.is_none_or(|b| span.end - span.start > b.end - b.start) {
            best = Some(span);
        }
    };
    if line_of(node.span.start) == line {
        consider(node.span);
    }
    // Children come in source order: skip by binary search those that end
    // before the line, stop at the first that starts after it (a file may
    // hold thousands of directives and of nodes).
    match &node.value {
        Value::Map(entries) => {
            let end_of = |e: &crate::document::Entry| e.value.span.end.max(e.key_span.end);
            let first = entries.partition_point(|e| line_of(end_of(e)) < line);
            for e in &entries[first..] {
                let (start, end) = (e.key_span.start, end_of(e));
                if line_of(start.min(e.value.span.start)) > line {
                    break;
                }
                if line_of(start) == line {
                    consider(Span::new(start, end));
                }
                if let Some(s) = extent_starting_on(source, &e.value, line) {
                    consider(s);
                }
            }
        }
        Value::Seq(items) => {
            let first = items.partition_point(|item| line_of(item.span.end) < line);
            for item in &items[first..] {
                if line_of(item.span.start) > line {
                    break;
                }
                if let Some(s) = extent_starting_on(source, item, line) {
                    consider(s);
                }
            }
        }
        _ => {}
    }
    best
}

/// [`extent_starting_on`] in a tree whose nodes come from several files,
/// so that children are not in `source`'s order: every node is visited, and
/// only those of `file` (which `source` is) count.
fn extent_in_file_starting_on(
    source: &SourceFile,
    file: FileId,
    node: &Node,
    line: usize,
) -> Option<Span> {
    let here = |span: Span| span.file == file && source.line_of(span.start) == line;
    let mut best: Option<Span> = None;
    let mut consider = |span: Option<Span>| {
        if let Some(span) = span.filter(|s| best.is_none_or(|b| s.len() > b.len())) {
            best = Some(span);
        }
    };
    if here(node.span) {
        consider(Some(node.span));
    }
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if here(e.key_span) {
                    // Key and value, when the value is in the same file.
                    consider(Some(match e.value.span.file == file {
                        true => e.key_span.join(e.value.span),
                        false => e.key_span,
                    }));
                }
                consider(extent_in_file_starting_on(source, file, &e.value, line));
            }
        }
        Value::Seq(items) => {
            for item in items {
                consider(extent_in_file_starting_on(source, file, item, line));
            }
        }
        _ => {}
    }
    best
}

/// What the suppression pass knows about rules.
pub struct RuleIndex<'a> {
    /// Every loaded rule, selected or not: names in directives are checked against these.
    pub known: &'a [RuleMeta],
    /// Rules that ran: a directive for one of them that matched nothing is stale.
    pub selected: &'a [RuleMeta],
    /// conftest rules that ran, as `namespace.rule`.
    pub conftest: &'a [String],
}

impl RuleIndex<'_> {
    fn names(meta: &RuleMeta, token: &str) -> bool {
        meta.id.eq_ignore_ascii_case(token) || meta.name == token
    }
    fn is_known(&self, token: &str) -> bool {
        self.known.iter().any(|m| Self::names(m, token)) || self.is_conftest(token)
    }
    fn is_selected(&self, token: &str) -> bool {
        self.selected.iter().any(|m| Self::names(m, token)) || self.is_conftest(token)
    }
    fn is_conftest(&self, token: &str) -> bool {
        self.conftest
            .iter()
            .any(|r| r == token || r.rsplit('.').next() == Some(token))
    }
    fn meta(&self, id: &str) -> Option<&RuleMeta> {
        self.selected.iter().find(|m| m.id == id)
    }
}

fn finding_matches(f: &Finding, token: &str) -> bool {
    f.rule.eq_ignore_ascii_case(token) || f.name == token
}

/// Which directives may cover a finding, without trying every directive
/// for every finding (a file may hold thousands of each): file-wide ones,
/// those aimed at the finding's line, and those whose range starts at most
/// the longest range before the finding.
struct DirectiveIndex {
    file_wide: Vec<(FileId, usize)>,
    by_line: std::collections::HashMap<(FileId, usize), Vec<usize>>,
    /// `((covers.file, covers.start), directive)`, sorted.
    ranges: Vec<((FileId, usize), usize)>,
    longest_range: usize,
}

impl DirectiveIndex {
    fn new(directives: &[Directive]) -> DirectiveIndex {
        let mut index = DirectiveIndex {
            file_wide: Vec::new(),
            by_line: std::collections::HashMap::new(),
            ranges: Vec::new(),
            longest_range: 0,
        };
        for (k, d) in directives.iter().enumerate() {
            let file = d.covers.file;
            if d.kind == SuppressionKind::File {
                index.file_wide.push((file, k));
                continue;
            }
            index
                .by_line
                .entry((file, d.target_line))
                .or_default()
                .push(k);
            if d.covers.end > d.covers.start {
                index.ranges.push(((file, d.covers.start), k));
                index.longest_range = index.longest_range.max(d.covers.len());
            }
        }
        index.ranges.sort_unstable();
        index
    }

    /// The candidates for a finding at `span` (on `line`), in the
    /// directives' order (the first that covers a finding is the one
    /// reported).
    fn candidates(&self, span: Span, line: usize, out: &mut Vec<usize>) {
        out.clear();
        let file = span.file;
        out.extend(self.file_wide.iter().filter(|w| w.0 == file).map(|w| w.1));
        if let Some(on_line) = self.by_line.get(&(file, line)) {
            out.extend(on_line);
        }
        let lowest = (file, span.start.saturating_sub(self.longest_range));
        let from = self.ranges.partition_point(|&(start, _)| start < lowest);
        let to = self
            .ranges
            .partition_point(|&(start, _)| start <= (file, span.start));
        out.extend(self.ranges[from..to].iter().map(|&(_, k)| k));
        out.sort_unstable();
        out.dedup();
    }
}

/// Marks the findings of one unit that its directives cover, and reports
/// directives that name unknown rules or cover nothing.
pub fn apply(
    files: Files,
    kind: &'static KindSpec,
    directives: &[Directive],
    findings: &mut Vec<Finding>,
    rules: &RuleIndex,
) {
    if directives.is_empty() {
        return;
    }
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.rules.len()])
        .collect();
    let index = DirectiveIndex::new(directives);
    let mut candidates = Vec::new();
    for f in findings.iter_mut() {
        // The finding's place, then its related places (the values line a
        // Helm template printed): a directive at either covers it.
        let places: Vec<(Span, usize)> = std::iter::once((f.span, f.line))
            .chain(f.related.iter().map(|r| (r.span, r.line)))
            .collect();
        for (span, line) in places {
            index.candidates(span, line, &mut candidates);
            for &k in &candidates {
                let (d, used) = (&directives[k], &mut used[k]);
                let covered = d.covers.file == span.file
                    && (d.kind == SuppressionKind::File
                        || line == d.target_line
                        || (span.start >= d.covers.start
                            && span.end <= d.covers.end
                            && d.covers.end > d.covers.start));
                if !covered {
                    continue;
                }
                let Some(i) = d.rules.iter().position(|t| finding_matches(f, t)) else {
                    continue;
                };
                used[i] = true;
                if f.suppression.is_none() {
                    f.suppression = Some(Suppression {
                        kind: d.kind,
                        reason: d.reason.clone(),
                        line: d.line,
                        peer: d.peer.clone(),
                    });
                }
            }
        }
    }
    let mut reports = Vec::new();
    for (d, used) in directives.iter().zip(&used) {
        if d.rules.is_empty() {
            reports.push((
                UNKNOWN_RULE,
                d,
                "suppression names no rule; write `policy:ignore RULE[,RULE…] -- reason`"
                    .to_string(),
            ));
        }
        for (token, used) in d.rules.iter().zip(used) {
            if *used || d.peer.is_some() {
                continue;
            }
            if !rules.is_known(token) {
                reports.push((
                    UNKNOWN_RULE,
                    d,
                    format!(
                        "suppression names `{token}`, which is no rule id or name; `policy rules` lists them (a reason goes after ` -- `)"
                    ),
                ));
            } else if rules.is_selected(token) {
                let what = match d.kind {
                    SuppressionKind::File => "in this file",
                    SuppressionKind::Annotation => "in this object",
                    SuppressionKind::Inline => "here",
                };
                reports.push((
                    UNUSED_RULE,
                    d,
                    format!("suppression of {token} matches no finding {what}; remove it"),
                ));
            }
        }
    }
    for (id, d, message) in reports {
        let Some(meta) = rules.meta(id) else { continue };
        // A directive's span is never empty: `#` and the word at least.
        findings.push(Finding::at_in(
            meta, files, kind.name, d.span, message, None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_reasons_are_split() {
        let cases = [
            ("CP101", vec!["CP101"], None),
            (
                "CP101,CP102 -- legacy image",
                vec!["CP101", "CP102"],
                Some("legacy image"),
            ),
            (
                "CP101, run-as-root --  ",
                vec!["CP101", "run-as-root"],
                None,
            ),
            ("-- only a reason", vec![], Some("only a reason")),
            ("CP101 -- why # another comment", vec!["CP101"], Some("why")),
        ];
        let found = pragmas("  {{- /* policy:ignore CP101 -- runs as root by design */ -}}\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rules, ["CP101"]);
        assert_eq!(found[0].reason.as_deref(), Some("runs as root by design"));
        assert_eq!(found[0].start, 2);
        for (text, rules, reason) in cases {
            let (r, why) = rules_and_reason(text);
            assert_eq!(r, rules, "{text}");
            assert_eq!(why.as_deref(), reason, "{text}");
        }
    }
}
