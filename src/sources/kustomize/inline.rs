//! A patch written inline in a kustomization (`patch: |-`): its text is
//! parsed alone, then its spans moved to where each line stands in the
//! kustomization file, so findings point at the kustomization's lines.

use crate::document::{Node, Value};
use crate::source::Span;

/// Where each line of an inline patch's text starts in the kustomization
/// file (a block scalar keeps lines, less their indentation), when every
/// line is found in order.
pub fn inline_lines(file: &str, span: Span, text: &str) -> Option<Vec<usize>> {
    let mut at = span.start;
    let mut starts = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            starts.push(at);
            continue;
        }
        let found = file.get(at..)?.find(line)? + at;
        starts.push(found);
        at = found + line.len();
    }
    Some(starts)
}

/// A span of inline patch text, as a span of the kustomization file.
pub fn map_inline(span: Span, lines: &Option<Vec<usize>>, text: &str, whole: Span) -> Span {
    let Some(lines) = lines else { return whole };
    let offset = |pos: usize| {
        let line = text[..pos.min(text.len())].matches('\n').count();
        let line_start = text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        lines.get(line).map(|s| s + pos - line_start)
    };
    match (offset(span.start), offset(span.end)) {
        (Some(start), Some(end)) if end >= start => Span::new(start, end).in_file(whole.file),
        _ => whole,
    }
}

pub fn remap(node: &mut Node, f: &dyn Fn(Span) -> Span) {
    node.span = f(node.span);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| remap(n, f)),
        Value::Map(entries) => {
            for e in entries {
                e.key_span = f(e.key_span);
                remap(&mut e.value, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_patch_lines_map_into_the_file() {
        let file = "patches:\n- patch: |-\n    kind: Deployment\n    spec:\n      replicas: 2\n";
        let start = file.find("|-").unwrap();
        let span = Span::new(start, file.len());
        let text = "kind: Deployment\nspec:\n  replicas: 2";
        let lines = inline_lines(file, span, text);
        let at = text.find("2").unwrap();
        let mapped = map_inline(Span::new(at, at + 1), &lines, text, span);
        assert_eq!(&file[mapped.start..mapped.end], "2");
    }
}
