//! The output of a render as it is written: text, the source map, the
//! bound on its size; and Helm's removal of `<no value>` from it.

use super::{Rendered, Segment};
use crate::source::Span;

/// The output being written, with its source map.
pub struct Out {
    pub text: String,
    pub segments: Vec<Segment>,
    pub track: bool,
    pub limit: usize,
}

impl Out {
    pub fn new(track: bool, limit: usize) -> Out {
        Out {
            text: String::new(),
            segments: Vec::new(),
            track,
            limit,
        }
    }
}

/// What Go prints for a missing value, and Helm deletes from every
/// rendered template and `tpl` result, wherever it appears.
pub const NO_VALUE: &str = "<no value>";

/// Helm's `strings.ReplaceAll(out, "<no value>", "")`, the source map cut
/// to match: literal segments keep their byte-for-byte mapping.
pub fn strip_no_value(rendered: Rendered) -> Rendered {
    let cuts: Vec<std::ops::Range<usize>> = rendered
        .text
        .match_indices(NO_VALUE)
        .map(|(i, m)| i..i + m.len())
        .collect();
    if cuts.is_empty() {
        return rendered;
    }
    let removed_before = |offset: usize| -> usize {
        cuts.iter()
            .map(|c| c.end.min(offset).saturating_sub(c.start))
            .sum()
    };
    let mut text = String::with_capacity(rendered.text.len());
    let mut kept = 0;
    for cut in &cuts {
        text.push_str(&rendered.text[kept..cut.start]);
        kept = cut.end;
    }
    text.push_str(&rendered.text[kept..]);
    let mut segments = Vec::with_capacity(rendered.segments.len());
    for seg in rendered.segments {
        // The parts of this segment outside every cut.
        let mut start = seg.output.start;
        let mut pieces = Vec::new();
        for cut in cuts
            .iter()
            .filter(|c| c.start < seg.output.end && c.end > seg.output.start)
        {
            if cut.start > start {
                pieces.push(start..cut.start);
            }
            start = start.max(cut.end);
        }
        if start < seg.output.end {
            pieces.push(start..seg.output.end);
        }
        for piece in pieces {
            let template = if seg.literal {
                let from = seg.template.start + (piece.start - seg.output.start);
                Span::new(from, from + piece.len()).in_file(seg.template.file)
            } else {
                seg.template
            };
            let at = piece.start - removed_before(piece.start);
            segments.push(Segment {
                output: at..at + piece.len(),
                template,
                literal: seg.literal,
                value: seg.value,
            });
        }
    }
    Rendered { text, segments }
}
