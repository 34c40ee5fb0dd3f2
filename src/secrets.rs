//! Secret detection: known token formats, secret-looking names, placeholder
//! values, redaction, and secret-looking file names.
//!
//! Product rule: a detected secret is never printed in full. Everything that
//! leaves this module for display goes through [`redact`] or [`redact_in`].
//!
//! Everything here is hand-written byte scanning (std only): [`find_tokens`]
//! runs on every string of every scanned file, so it makes one pass over the
//! bytes, looks at a byte only when it can start a known prefix, and checks
//! the literal prefix before any further work. A short string with no match
//! costs a few nanoseconds per byte.
//!
//! # Token formats ([`find_tokens`], `kind` in parentheses)
//! Each is bounded on the left by a byte that is not `[A-Za-z0-9]` (or the
//! start) and, for fixed-length bodies, on the right by a byte that is not a
//! body character (or the end).
//! - AWS access key id (`aws-access-key-id`): `AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA`
//!   or `A3T[A-Z0-9]`, then uppercase alphanumerics up to exactly 20 characters.
//!   The secret access key has no distinctive shape: it is caught through
//!   [`is_secret_name`] (`AWS_SECRET_ACCESS_KEY`) and a non-placeholder value.
//! - GitHub (`github-token`): `ghp_|gho_|ghu_|ghs_|ghr_` + 36 `[A-Za-z0-9]`;
//!   (`github-fine-grained-token`): `github_pat_` + 82 `[A-Za-z0-9_]`.
//! - GitLab (`gitlab-token`): `glpat-` + at least 20 `[A-Za-z0-9_-]`.
//! - Slack (`slack-token`): `xox[abprs]-` + at least 10 `[A-Za-z0-9-]` with a digit;
//!   (`slack-webhook`): `https://hooks.slack.com/services/T…/B…/…`; the range
//!   is the path after `services/` (the URL host is not secret).
//! - Stripe (`stripe-live-key`): `sk_live_|rk_live_` + at least 16 `[A-Za-z0-9]`.
//! - Google API key (`google-api-key`): `AIza` + 35 `[A-Za-z0-9_-]`.
//! - Private key (`private-key`): `-----BEGIN [A-Z ]*PRIVATE KEY[ BLOCK]-----`
//!   (2 or more dashes, as hand-written keys have them);
//!   the range runs through the matching `-----END …-----` line when present,
//!   else covers the header only.
//! - Base64-encoded PEM private key (`private-key-base64`), as in a Kubernetes
//!   Secret's `data`: a base64 run starting `LS0tLS1CRUdJTi` (`-----BEGIN `)
//!   whose decoded header is a private key header; the range is the whole run.
//! - npm (`npm-token`): `npm_` + 36 `[A-Za-z0-9]`.
//! - PyPI (`pypi-token`): `pypi-AgEIcHlwaS5vcmc` + at least 50 `[A-Za-z0-9_-]`.
//! - Twilio API key (`twilio-api-key`): `SK` + 32 lowercase hex.
//! - OpenAI / Anthropic (`openai-api-key`, `anthropic-api-key`): `sk-proj-`,
//!   `sk-ant-` + at least 20 `[A-Za-z0-9_-]`.
//! - JWT (`jwt`): `eyJ…` `.` `eyJ…` `.` signature, each part at least 10
//!   base64url characters (unsigned `alg: none` tokens are not reported).
//! - Password in a URL (`url-password`): `scheme://user:password@host`; the range
//!   is the password only. Not reported when the password [`is_placeholder`]
//!   (`${VAR}`, `$VAR`, `<password>`, `{{ .Values.x }}`, ...) or when another
//!   format already matches inside it (that one is reported instead), nor
//!   when the authority is longer than [`MAX_URL_AUTHORITY_BYTES`].
//!
//! Format matches are not filtered for dummy bodies: `ghp_` + 36 `x` is reported
//! (the rule docs use such examples as "bad"); a filter belongs in the rule.

use std::ops::Range;

/// A known token format found inside a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenMatch {
    pub kind: &'static str,
    /// Byte range inside the scanned string (always on char boundaries).
    pub range: Range<usize>,
}

#[inline]
fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Length of the run of bytes satisfying `f` starting at `i`, at most `max`.
#[inline]
fn run(b: &[u8], i: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let end = b.len().min(i.saturating_add(max));
    let mut j = i;
    while j < end && f(b[j]) {
        j += 1;
    }
    j - i
}

#[inline]
fn b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// A body of exactly `n` bytes of class `f` at `i`, not followed by another
/// byte of class `follow`. Returns the end.
#[inline]
fn exact(
    b: &[u8],
    i: usize,
    n: usize,
    f: impl Fn(u8) -> bool,
    follow: impl Fn(u8) -> bool,
) -> Option<usize> {
    if run(b, i, n, &f) != n {
        return None;
    }
    let end = i + n;
    if end < b.len() && follow(b[end]) {
        return None;
    }
    Some(end)
}

/// The end of the run of `class` bytes at an offset, remembered: a prefix
/// can repeat inside the body of its own format (`eyJeyJ…`, `xoxa-xoxa-…`),
/// and measuring the run again at each repetition would make one string of
/// them cost quadratic time. Every offset inside a measured run ends where
/// it ends, so each byte is measured once per call site.
#[derive(Default)]
struct Runs {
    known: Option<Range<usize>>,
}

impl Runs {
    /// [`run`], measured once per run.
    fn len(&mut self, b: &[u8], i: usize, max: usize, class: impl Fn(u8) -> bool) -> usize {
        let end = match &self.known {
            Some(r) if r.start <= i && i <= r.end => r.end,
            _ => {
                let end = i + run(b, i, usize::MAX, class);
                self.known = Some(i..end);
                end
            }
        };
        (end - i).min(max)
    }
}

/// The first offset at or after `from` where a byte satisfies `class`
/// (or the end), remembered for the same reason as [`Runs`].
#[derive(Default)]
struct NextByte {
    known: Option<(usize, usize)>,
}

impl NextByte {
    fn at(&mut self, b: &[u8], from: usize, class: impl Fn(u8) -> bool) -> usize {
        match self.known {
            Some((searched, found)) if searched <= from && from <= found => found,
            _ => {
                let found = from
                    + b[from.min(b.len())..]
                        .iter()
                        .position(|&c| class(c))
                        .unwrap_or(b.len().saturating_sub(from));
                self.known = Some((from, found));
                found
            }
        }
    }
}

/// Where each `-----END <label>-----` line is, by label: built on the first
/// private key header, so a text of many headers without their END line is
/// searched once, not once per header.
struct EndMarkers<'a> {
    /// Start and end of each END line, by label.
    by_label: std::collections::HashMap<&'a str, Vec<(usize, usize)>>,
}

/// A PEM armour line has five dashes each side by the standard; fewer
/// (down to two) when written by hand (`---BEGIN OPENSSH PRIVATE KEY---` is
/// still a key). More are read as five, the rest being other text.
const PEM_DASHES: usize = 5;
const MIN_PEM_DASHES: usize = 2;

/// Whether `closing` dashes (at most [`PEM_DASHES`] counted) close an
/// armour opened by `opening`: five or more both sides, as the standard
/// has it, or the same shorter run.
fn closes(opening: usize, closing: usize) -> bool {
    let opening = opening.min(PEM_DASHES);
    opening >= MIN_PEM_DASHES && closing == opening
}

impl<'a> EndMarkers<'a> {
    fn new(s: &'a str) -> Self {
        let b = s.as_bytes();
        let mut by_label: std::collections::HashMap<&str, Vec<(usize, usize)>> = Default::default();
        for (dash, _) in s.match_indices("-END ") {
            let before = b[..=dash]
                .iter()
                .rev()
                .take(PEM_DASHES)
                .take_while(|&&c| c == b'-')
                .count();
            if before < MIN_PEM_DASHES {
                continue;
            }
            let label_start = dash + 5;
            let len = run(b, label_start, 65, |c| c.is_ascii_uppercase() || c == b' ');
            if len > 64 {
                continue;
            }
            let after = run(b, label_start + len, PEM_DASHES, |c| c == b'-');
            if closes(before, after) {
                by_label
                    .entry(&s[label_start..label_start + len])
                    .or_default()
                    .push((dash + 1 - before, label_start + len + after));
            }
        }
        EndMarkers { by_label }
    }

    /// The end of the first `-----END <label>-----` starting at or after `from`.
    fn after(&self, label: &str, from: usize) -> Option<usize> {
        let lines = self.by_label.get(label)?;
        let k = lines.partition_point(|&(at, _)| at < from);
        lines.get(k).map(|&(_, end)| end)
    }
}

/// An authority (`user:password@host`) longer than this is not read for a
/// URL password. Real ones are well under 200 bytes; without a bound, a
/// string of `a://{` (a `{` makes the scan skip delimiters) was scanned to
/// its end at every `://`: quadratic time, over 300 s for 1 MB.
pub const MAX_URL_AUTHORITY_BYTES: usize = 512;

/// Bytes that can start a prefix we look for.
const fn trigger_table() -> [bool; 256] {
    let mut t = [false; 256];
    let bytes = b"AgxhsrnpeSL-:";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}
static TRIGGER: [bool; 256] = trigger_table();

const AWS_PREFIXES: [&[u8]; 10] = [
    b"AKIA", b"ASIA", b"AGPA", b"AIDA", b"AROA", b"AIPA", b"ANPA", b"ANVA", b"ABIA", b"ACCA",
];

/// Known token formats inside `s`, in order of position. See the module docs
/// for the list of formats and their kinds.
///
/// Linear time: every probe is bounded by a constant, or measures a run
/// that later probes reuse ([`Runs`], [`NextByte`], [`EndMarkers`]).
pub fn find_tokens(s: &str) -> Vec<TokenMatch> {
    let b = s.as_bytes();
    let n = b.len();
    let mut out: Vec<TokenMatch> = Vec::new();
    let mut slack = Runs::default();
    let mut slack_digit = NextByte::default();
    let mut jwt_runs: [Runs; 3] = Default::default();
    let mut end_markers: Option<EndMarkers> = None;
    let mut i = 0;
    while i < n {
        let c = b[i];
        if !TRIGGER[c as usize] {
            i += 1;
            continue;
        }
        // Left word boundary for everything except "://" and "-----".
        let left_ok = i == 0 || !is_alnum(b[i - 1]);
        let rest = &b[i..];
        let found: Option<(&'static str, Range<usize>)> = match c {
            b'A' if left_ok => token_a(b, i),
            b'g' if left_ok => token_g(b, i),
            b'x' if left_ok
                && rest.len() > 5
                && rest.starts_with(b"xox")
                && matches!(rest[3], b'a' | b'b' | b'p' | b'r' | b's')
                && rest[4] == b'-' =>
            {
                let len = slack.len(b, i + 5, 512, |c| c.is_ascii_alphanumeric() || c == b'-');
                let has_digit = slack_digit.at(b, i + 5, |c| c.is_ascii_digit()) < i + 5 + len;
                (len >= 10 && has_digit).then(|| ("slack-token", i..i + 5 + len))
            }
            b'h' if rest.starts_with(b"hooks.slack.com/services/") => {
                let start = i + 25;
                let len = run(b, start, 256, |c| c.is_ascii_alphanumeric() || c == b'/');
                let path = &b[start..start + len];
                let parts = path.split(|&c| c == b'/').filter(|p| !p.is_empty()).count();
                (parts >= 3 && path.first() == Some(&b'T'))
                    .then(|| ("slack-webhook", start..start + len))
            }
            b's' | b'r'
                if left_ok && (rest.starts_with(b"sk_live_") || rest.starts_with(b"rk_live_")) =>
            {
                let len = run(b, i + 8, 256, |c| c.is_ascii_alphanumeric());
                (len >= 16).then(|| ("stripe-live-key", i..i + 8 + len))
            }
            b's' if left_ok && rest.starts_with(b"sk-proj-") => {
                let len = run(b, i + 8, 512, b64url);
                (len >= 20).then(|| ("openai-api-key", i..i + 8 + len))
            }
            b's' if left_ok && rest.starts_with(b"sk-ant-") => {
                let len = run(b, i + 7, 512, b64url);
                (len >= 20).then(|| ("anthropic-api-key", i..i + 7 + len))
            }
            b'n' if left_ok && rest.starts_with(b"npm_") => {
                exact(b, i + 4, 36, is_alnum, is_alnum).map(|e| ("npm-token", i..e))
            }
            b'p' if left_ok && rest.starts_with(b"pypi-AgEIcHlwaS5vcmc") => {
                let len = run(b, i + 20, 1024, b64url);
                (len >= 50).then(|| ("pypi-token", i..i + 20 + len))
            }
            b'e' if left_ok && rest.starts_with(b"eyJ") => jwt(b, i, &mut jwt_runs),
            b'S' if left_ok && rest.len() >= 34 && rest[1] == b'K' => {
                let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
                exact(b, i + 2, 32, hex, is_alnum).map(|e| ("twilio-api-key", i..e))
            }
            b'-' if (i == 0 || b[i - 1] != b'-') => private_key(s, i, &mut end_markers),
            b'L' if left_ok && rest.starts_with(b"LS0tLS1CRUdJTi") => private_key_base64(b, i),
            b':' if rest.starts_with(b"://") => url_password(s, i),
            _ => None,
        };
        match found {
            Some((kind, range)) => {
                // A URL password is skipped by the scan (resumes after it), so a
                // token inside it would be missed: report the token instead.
                if kind == "url-password" {
                    let inner = find_tokens(&s[range.clone()]);
                    if !inner.is_empty() {
                        let base = range.start;
                        out.extend(inner.into_iter().map(|m| TokenMatch {
                            kind: m.kind,
                            range: m.range.start + base..m.range.end + base,
                        }));
                        i = range.end;
                        continue;
                    }
                }
                i = if kind == "url-password" {
                    i + 3
                } else {
                    range.end.max(i + 1)
                };
                out.push(TokenMatch { kind, range });
            }
            None => i += 1,
        }
    }
    in_order(out)
}

/// Matches sorted by position, each either after or inside the last outer
/// one. The scan resumes right after a URL's `://`, so a token in its user
/// name is found after the password (found by fuzzing); and
/// redactors skip a match that starts inside the previous one, so a match
/// reaching past it (nested URLs' passwords, found by fuzzing) would leave
/// its tail in clear. Such a match widens the outer one; repeats are dropped.
pub fn in_order(mut matches: Vec<TokenMatch>) -> Vec<TokenMatch> {
    matches.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    disjoint_or_nested(matches)
}

/// [`in_order`] on sorted matches. Each either after or inside the last outer one:
/// redactors skip a match that starts inside the previous one, so a match
/// reaching past it (nested URLs' passwords, found by fuzzing) would leave
/// its tail in clear. Such a match widens the outer one; repeats are dropped.
fn disjoint_or_nested(sorted: Vec<TokenMatch>) -> Vec<TokenMatch> {
    let mut kept: Vec<TokenMatch> = Vec::with_capacity(sorted.len());
    let mut outer: Option<usize> = None;
    for m in sorted {
        if kept
            .last()
            .is_some_and(|l| l.range == m.range && l.kind == m.kind)
        {
            continue;
        }
        match outer {
            Some(o) if m.range.start < kept[o].range.end => {
                if m.range.end > kept[o].range.end {
                    kept[o].range.end = m.range.end;
                    continue;
                }
                kept.push(m);
            }
            _ => {
                outer = Some(kept.len());
                kept.push(m);
            }
        }
    }
    kept
}

fn token_a(b: &[u8], i: usize) -> Option<(&'static str, Range<usize>)> {
    let rest = &b[i..];
    if rest.len() < 4 {
        return None;
    }
    let upper_alnum = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    let aws = AWS_PREFIXES.iter().any(|p| rest.starts_with(p))
        || (rest.starts_with(b"A3T") && upper_alnum(rest[3]));
    if aws {
        if let Some(e) = exact(b, i + 4, 16, upper_alnum, is_alnum) {
            return Some(("aws-access-key-id", i..e));
        }
    }
    if rest.starts_with(b"AIza") {
        return exact(b, i + 4, 35, b64url, b64url).map(|e| ("google-api-key", i..e));
    }
    None
}

fn token_g(b: &[u8], i: usize) -> Option<(&'static str, Range<usize>)> {
    let rest = &b[i..];
    if rest.len() >= 40
        && rest[0] == b'g'
        && rest[1] == b'h'
        && matches!(rest[2], b'p' | b'o' | b'u' | b's' | b'r')
        && rest[3] == b'_'
    {
        return exact(b, i + 4, 36, is_alnum, |c| is_alnum(c) || c == b'_')
            .map(|e| ("github-token", i..e));
    }
    if rest.starts_with(b"github_pat_") {
        let w = |c: u8| is_alnum(c) || c == b'_';
        return exact(b, i + 11, 82, w, w).map(|e| ("github-fine-grained-token", i..e));
    }
    if rest.starts_with(b"glpat-") {
        let len = run(b, i + 6, 256, b64url);
        return (len >= 20).then(|| ("gitlab-token", i..i + 6 + len));
    }
    None
}

/// `runs`: one cache per part (header, payload, signature).
fn jwt(b: &[u8], i: usize, runs: &mut [Runs; 3]) -> Option<(&'static str, Range<usize>)> {
    let h = runs[0].len(b, i, 4096, b64url);
    if h < 10 || b.get(i + h) != Some(&b'.') {
        return None;
    }
    let p = i + h + 1;
    if !b[p..].starts_with(b"eyJ") {
        return None;
    }
    let pl = runs[1].len(b, p, 1 << 16, b64url);
    if pl < 10 || b.get(p + pl) != Some(&b'.') {
        return None;
    }
    let sg = p + pl + 1;
    let sl = runs[2].len(b, sg, 4096, b64url);
    (sl >= 10).then(|| ("jwt", i..sg + sl))
}

fn private_key<'a>(
    s: &'a str,
    i: usize,
    end_markers: &mut Option<EndMarkers<'a>>,
) -> Option<(&'static str, Range<usize>)> {
    let b = s.as_bytes();
    // `i` starts a run of dashes; the armour is its last five (or fewer).
    let dashes = run(b, i, usize::MAX, |c| c == b'-');
    if dashes < MIN_PEM_DASHES || !b[i + dashes..].starts_with(b"BEGIN ") {
        return None;
    }
    let start = i + dashes.saturating_sub(PEM_DASHES);
    let label_start = i + dashes + 6;
    let len = run(b, label_start, 64, |c| c.is_ascii_uppercase() || c == b' ');
    let label = &s[label_start..label_start + len];
    let after = label_start + len;
    let closing = run(b, after, PEM_DASHES, |c| c == b'-');
    if !closes(dashes, closing)
        || !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK"))
    {
        return None;
    }
    let header_end = after + closing;
    // Through the END line of the same label, if there.
    let end = end_markers
        .get_or_insert_with(|| EndMarkers::new(s))
        .after(label, header_end)
        .unwrap_or(header_end);
    Some(("private-key", start..end))
}

/// `i` is at "LS0tLS1CRUdJTi" (base64 of "-----BEGIN "): a base64-encoded PEM
/// private key, as in a Kubernetes Secret's `data`. Range: the base64 run.
fn private_key_base64(b: &[u8], i: usize) -> Option<(&'static str, Range<usize>)> {
    let base64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    // The header first: the whole run is measured only for a key, which the
    // scan then skips, so no byte is measured twice.
    let head = &b[i..i + run(b, i, 96, base64)];
    let mut decoded = Vec::with_capacity(72);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in head {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => break,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            decoded.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let header = decoded.get(11..)?;
    let label_len = header
        .iter()
        .take_while(|c| c.is_ascii_uppercase() || **c == b' ')
        .count();
    let label = &header[..label_len];
    let closed = header[label_len..].starts_with(b"-----");
    (closed && (label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK")))
        .then(|| ("private-key-base64", i..i + run(b, i, usize::MAX, base64)))
}

/// `i` is at "://". Range of a literal password in `scheme://user:password@host`.
fn url_password(s: &str, i: usize) -> Option<(&'static str, Range<usize>)> {
    let b = s.as_bytes();
    // Scheme: at least one letter before "://".
    let mut k = i;
    while k > 0 && (b[k - 1].is_ascii_alphanumeric() || matches!(b[k - 1], b'+' | b'.' | b'-')) {
        k -= 1;
    }
    if k == i || !b[k].is_ascii_alphabetic() {
        return None;
    }
    let auth_start = i + 3;
    // Authority ends at '/', '?', '#', whitespace, quotes or brackets, except
    // inside a `${...}` / `{{ ... }}` reference, whose body may contain them.
    let mut j = auth_start;
    let mut depth = 0usize;
    let limit = b.len().min(auth_start + MAX_URL_AUTHORITY_BYTES + 1);
    while j < limit {
        let c = b[j];
        match c {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'(' if j > 0 && b[j - 1] == b'$' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'[' | b']' | b',' | b';'
            | b'\\' => break,
            _ if c.is_ascii_whitespace() => break,
            _ => {}
        }
        j += 1;
    }
    if j - auth_start > MAX_URL_AUTHORITY_BYTES {
        return None;
    }
    let authority = &s[auth_start..j];
    let at = authority.rfind('@')?;
    // Something that looks like a host after '@'.
    let host = &authority[at + 1..];
    if host.is_empty()
        || !(host.as_bytes()[0].is_ascii_alphanumeric()
            || matches!(host.as_bytes()[0], b'$' | b'{' | b'[' | b'%'))
    {
        return None;
    }
    let userinfo = &authority[..at];
    let colon = find_colon_outside_refs(userinfo)?;
    let pw = &userinfo[colon + 1..];
    if pw.is_empty() || is_placeholder(pw) || contains_reference(pw) {
        return None;
    }
    let start = auth_start + colon + 1;
    Some(("url-password", start..start + pw.len()))
}

/// First ':' of the user info that is not inside `${...}` or `{{...}}`.
fn find_colon_outside_refs(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in s.bytes().enumerate() {
        match c {
            b'{' | b'(' => depth += 1,
            b'}' | b')' => depth = depth.saturating_sub(1),
            b':' if depth == 0 => return Some(k),
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Names

/// Words that make a name a secret wherever they stand (whole tokens).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "passw",
    "secret",
    "secrets",
    "token",
    "apikey",
    "credentials",
    "credential",
    "creds",
    "privatekey",
    "accesskey",
    "secretkey",
    "masterkey",
    "authkey",
    "authtoken",
    "accesstoken",
    "refreshtoken",
    "apitoken",
    "apisecret",
    "clientsecret",
    "appsecret",
    "licensekey",
    "encryptionkey",
    "signingkey",
    "sessionkey",
    "connectionstring",
    "connstr",
    "connstring",
    "dsn",
    "htpasswd",
    "bearer",
    "privkey",
    "sasl",
    "jwt",
];

/// Words before `key`/`keys` that make it a secret key (`API_KEY`, `APP_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "priv",
    "app",
    "application",
    "encryption",
    "encrypt",
    "decryption",
    "signing",
    "sign",
    "master",
    "session",
    "license",
    "licence",
    "client",
    "auth",
    "ssh",
    "jwt",
    "hmac",
    "crypto",
    "cipher",
    "aes",
    "shared",
    "service",
    "admin",
    "account",
    "storage",
    "subscription",
    "x",
    "sas",
    "tls",
    "ssl",
    "server",
    "cookie",
    "webhook",
    "instance",
    "primary",
    "secondary",
    "root",
    "deploy",
    "write",
    "read",
    "management",
    "mgmt",
    "cloud",
    "nonce",
    "record",
    "ingest",
    "integration",
    "bot",
    "enrollment",
    "registration",
    "install",
    "admission",
];

/// Words before `salt` that make it a secret salt (`WORDPRESS_AUTH_SALT`);
/// a bare `SALT_*` is more often SaltStack.
const SALT_QUALIFIERS: &[&str] = &[
    "auth",
    "secure",
    "password",
    "hash",
    "hashids",
    "in",
    "nonce",
    "secret",
    "session",
    "cookie",
    "app",
    "security",
    "encryption",
];

/// Words ending in `pass` that are not a password (`rootpass` and `dbpass` are).
const NOT_PASS: &[&str] = &[
    "bypass",
    "compass",
    "overpass",
    "underpass",
    "surpass",
    "trespass",
    "kompass",
    "firstpass",
    "multipass",
    "onepass",
    "singlepass",
    "twopass",
];

/// A last token that says the name refers to a secret rather than holds it:
/// `PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `AWS_ACCESS_KEY_ID`, ...
const META_SUFFIX: &[&str] = &[
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "directory",
    "folder",
    "location",
    "loc",
    "url",
    "uri",
    "urls",
    "endpoint",
    "endpoints",
    "host",
    "hostname",
    "port",
    "server",
    "servers",
    "address",
    "addr",
    "domain",
    "id",
    "ids",
    "name",
    "names",
    "ref",
    "refs",
    "reference",
    "arn",
    "source",
    "src",
    "store",
    "provider",
    "backend",
    "manager",
    "helper",
    "plugin",
    "service",
    "mount",
    "volume",
    "namespace",
    "label",
    "selector",
    "kind",
    "class",
    "type",
    "format",
    "mode",
    "method",
    "rounds",
    "iterations",
    "cost",
    "strength",
    "complexity",
    "algorithm",
    "alg",
    "algo",
    "scheme",
    "encoding",
    "length",
    "len",
    "size",
    "bits",
    "min",
    "max",
    "count",
    "limit",
    "ttl",
    "expiry",
    "expires",
    "expire",
    "expiration",
    "exp",
    "lifetime",
    "age",
    "duration",
    "timeout",
    "interval",
    "days",
    "period",
    "rotation",
    "version",
    "hash",
    "hashed",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "checksum",
    "digest",
    "fingerprint",
    "header",
    "headers",
    "field",
    "param",
    "parameter",
    "query",
    "issuer",
    "audience",
    "aud",
    "iss",
    "scope",
    "scopes",
    "realm",
    "policy",
    "policies",
    "rule",
    "rules",
    "regex",
    "pattern",
    "validation",
    "validator",
    "complexity",
    "strength",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "require",
    "optional",
    "flag",
    "check",
    "env",
    "var",
    "variable",
    "template",
    "tpl",
    "cmd",
    "command",
    "script",
    "authentication",
    "prompt",
    "generator",
    "usage",
    "cache",
    "dir",
    "keyring",
    "keyserver",
    "prefix",
    "suffix",
];

/// A token anywhere that says the name is about a public value or a switch:
/// `GPG_KEYS`, `SSH_PUBLIC_KEY`, `MYSQL_RANDOM_ROOT_PASSWORD`, `MAX_TOKENS`.
const NEGATORS: &[&str] = &[
    "public",
    "pub",
    "gpg",
    "pgp",
    "fingerprint",
    "keyserver",
    "keyring",
    "checksum",
    "sha256",
    "sha512",
    "sha1",
    "md5",
    "allow",
    "empty",
    "random",
    "skip",
    "no",
    "use",
    "generate",
    "generated",
    "reset",
    "forgot",
    "min",
    "max",
    "num",
    "tokens",
    "tokenizer",
    "is",
    "has",
];

/// Lowercase tokens of a name: split on every non-alphanumeric byte and on
/// camelCase boundaries (`dbPassword`, `APIKey`, `OAuth2Token`).
fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = name.as_bytes();
    let mut cur = String::new();
    for (k, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = b[k - 1];
            let next_lower = b.get(k + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase() as char);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A name (ENV/ARG key, env var name, label/annotation key, compose
/// environment key) that says it holds a secret.
///
/// The name is split into lowercase tokens (on `_ - . /`, any other
/// non-alphanumeric, and camelCase). It is a secret name when:
/// - a token is a secret word: `password passwd passphrase pass secret(s) token
///   apikey credential(s) creds privatekey accesskey secretkey authtoken
///   accesstoken clientsecret connectionstring dsn jwt ...` (see `SECRET_WORDS`);
///   `pwd` counts only when it is not the whole name (`PWD` is the working
///   directory); a single lowercase token ending in `password`/`passwd`/`secret`/
///   `token` counts too (`dbpassword`, `csrftoken`);
/// - or `key`/`keys` follows a qualifier: `API_KEY`, `APP_KEY`, `SECRET_KEY`,
///   `SSH_KEY`, `STORAGE_ACCOUNT_KEY`, `LICENSE_KEY`, ... (see `KEY_QUALIFIERS`);
///   a bare `KEY`, `GPG_KEY`, `CACHE_KEY` is not;
/// - or `auth` is the last token after `basic`/`http`/`proxy`/`redis`/`rediscli`
///   (`BASIC_AUTH`, `REDISCLI_AUTH`);
/// - or `salt` follows `auth`/`secure`/`password`/`hash`/`nonce`/... (`WORDPRESS_AUTH_SALT`;
///   a bare `SALT_MASTER` is SaltStack), or the name ends `LOGGED_IN_KEY` (WordPress);
/// - or a single token ends in `pass` (`rootpass`, `dbpass`), except `bypass`,
///   `compass`, `multipass`, ...
///
/// It is not, whatever the words, when:
/// - the last token says the variable refers to or configures a secret
///   (`_FILE _PATH _DIR _URL _ENDPOINT _HOST _NAME _REF _ARN _ID _TYPE _LENGTH
///   _TTL _EXPIRY _HEADER _POLICY _ENABLED _VERSION _SHA256 _CHECKSUM ...`,
///   see `META_SUFFIX`). So `AWS_ACCESS_KEY_ID` is an identifier, not a secret;
///   the one exception is `SECRET_ID` in a name with `vault`/`approle`/`role`
///   (a Vault AppRole secret id is a secret; a bare `SECRET_ID` names a Secret
///   Manager secret);
/// - a token says the value is public or a switch (`public pub gpg pgp
///   fingerprint keyring checksum allow empty random skip no use generate
///   reset min max num tokens ...`, see `NEGATORS`): `GPG_KEYS`,
///   `SSH_PUBLIC_KEY`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MAX_TOKENS`.
pub fn is_secret_name(name: &str) -> bool {
    let toks = name_tokens(name);
    let Some(last) = toks.last() else {
        return false;
    };
    let n = toks.len();
    if toks.iter().any(|t| NEGATORS.contains(&t.as_str())) {
        return false;
    }
    let vault_secret_id = last == "id"
        && n >= 2
        && toks[n - 2] == "secret"
        && toks
            .iter()
            .any(|t| matches!(t.as_str(), "vault" | "approle" | "role"));
    if META_SUFFIX.contains(&last.as_str()) && !vault_secret_id {
        return false;
    }
    for (k, t) in toks.iter().enumerate() {
        let t = t.as_str();
        if SECRET_WORDS.contains(&t) {
            return true;
        }
        match t {
            "pwd" if n > 1 => return true,
            "string" | "str" if k > 0 && matches!(toks[k - 1].as_str(), "connection" | "conn") => {
                return true
            }
            "key" | "keys" if k > 0 && KEY_QUALIFIERS.contains(&toks[k - 1].as_str()) => {
                return true
            }
            "auth"
                if k == n - 1
                    && k > 0
                    && matches!(
                        toks[k - 1].as_str(),
                        "basic" | "http" | "proxy" | "redis" | "rediscli"
                    ) =>
            {
                return true
            }
            "salt" if k > 0 && SALT_QUALIFIERS.contains(&toks[k - 1].as_str()) => return true,
            "key" if k > 1 && toks[k - 1] == "in" && toks[k - 2] == "logged" => return true,
            _ => {}
        }
        if t.len() > 6
            && ["password", "passwd", "secret", "token"]
                .iter()
                .any(|w| t.ends_with(w))
        {
            return true;
        }
        if t.len() > 5 && t.ends_with("pass") && !NOT_PASS.contains(&t) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------
// Values

/// Whether `s` contains a variable reference or command substitution:
/// `$X`, `${X}`, `${X:-y}`, `$(cmd)`, or a `{{ ... }}` template.
fn contains_reference(s: &str) -> bool {
    let b = s.as_bytes();
    for k in 0..b.len() {
        if b[k] == b'$' {
            if let Some(&n) = b.get(k + 1) {
                if n == b'{' || n == b'(' || n == b'_' || n.is_ascii_alphabetic() {
                    return true;
                }
            }
        }
    }
    s.contains("{{") && s.contains("}}")
}

/// Exact values (lowercase, after trimming quotes) that are config switches,
/// empty markers or placeholders.
const PLACEHOLDER_VALUES: &[&str] = &[
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0",
    "1",
    "-1",
    "enabled",
    "disabled",
    "enable",
    "disable",
    "none",
    "null",
    "nil",
    "~",
    "undefined",
    "unset",
    "empty",
    "notset",
    "not-set",
    "n/a",
    "na",
    "tbd",
    "todo",
    "fixme",
    "placeholder",
    "changeme",
    "change-me",
    "change_me",
    "changethis",
    "change-this",
    "change_this",
    "replaceme",
    "replace-me",
    "replace_me",
    "redacted",
    "masked",
    "hidden",
    "dummy",
    "fake",
    "secret-placeholder",
    "required",
    "optional",
    "auto",
    "default",
    "random",
    "generate",
    "generated",
];

/// Prefixes (lowercase) of values that point at a secret store or a file.
const REFERENCE_PREFIXES: &[&str] = &[
    "vault:",
    "ref+",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "arn:aws:kms:",
    "ssm:",
    "secretsmanager:",
    "sm://",
    "gcpsm://",
    "gcp-secret",
    "awssm:",
    "awskms:",
    "akv:",
    "keyvault:",
    "azurekeyvault:",
    "@microsoft.keyvault(",
    "op://",
    "secretref",
    "secretkeyref",
    "valuefrom",
    "file:",
    "file://",
    "env:",
    "k8s-secret:",
    "secret:",
    "doppler:",
    "bws:",
    "infisical:",
];

/// A value that is not a real literal secret. After trimming whitespace and one
/// pair of surrounding quotes (`"..."`, `'...'`), it is a placeholder when it:
/// - is empty;
/// - contains a variable reference or command substitution anywhere (`$X`,
///   `${X}`, `${X:-y}`, `$(cmd)`) or a `{{ ... }}` template (Helm, Go, Jinja):
///   the literal part, if any, is not the whole secret. (A password written
///   `pa$word` is missed: a documented trade-off);
/// - is wrapped as a placeholder: `<...>`, `%VAR%`, `#{...}`, `__X__`, `@X@`, `[...]`;
/// - is a file path: starts with `/`, `./`, `../`, `~/` or a Windows drive `C:\`,
///   or is a relative path whose last part has an extension (`certs/tls-key.pem`);
/// - is an unsubstituted variable name: SCREAMING_SNAKE with an underscore
///   (`HF_TOKEN`, `INSERT_TOKEN_HERE`);
/// - has a word `fake`, `dummy`, `placeholder`, `redacted`, `changeme`, `replaceme`
///   (`FAKE_KEY`, `dummy-password`);
/// - is dropped by a YAML `!reset` tag (compose overrides);
/// - points at a secret store: `vault:`, `ref+vault://`, `arn:aws:secretsmanager:`,
///   `arn:aws:ssm:`, `ssm:`, `sm://`, `op://`, `@Microsoft.KeyVault(`,
///   `secretRef`/`secretKeyRef`/`valueFrom`, `file:`, `env:`, ... (see `REFERENCE_PREFIXES`),
///   or `projects/.../secrets/...` (Google Secret Manager);
/// - is a switch or an empty marker: `true false yes no on off 0 1 -1 none null ~
///   undefined unset empty enabled disabled default auto random required ...`;
/// - is a placeholder word: `changeme`, `replace_me`, `placeholder`, `todo`, `tbd`,
///   `fixme`, `redacted`, `masked`, `dummy`, `fake` (see `PLACEHOLDER_VALUES`);
///   or, with non-alphanumerics removed, starts with `your`, `insert`, `enter`,
///   `replace`, `changeme`, `changethis`, `putyour`, `fillin`, or ends with `-here`/`_here`/` here`
///   (`your-password-here`, `<insert token here>`);
/// - is masked: contains `xxxx`, `***` or `…`, or is one character repeated
///   that is `x X * . - # ? _` (`xxx`, `***`, `...`).
///
/// Weak but real values are not placeholders: `example`, `password`, `secret`,
/// `test`, `admin`, `changeit`, `mysecretpassword` are hard-coded passwords.
pub fn is_placeholder(value: &str) -> bool {
    let mut v = value.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        v = v[1..v.len() - 1].trim();
    }
    // A YAML tag that drops the value (`!reset null` in compose overrides).
    if v.starts_with("!reset") {
        return true;
    }
    if v.is_empty() || contains_reference(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let l = lower.as_str();
    let wrapped =
        |a: &str, z: &str| l.len() > a.len() + z.len() - 1 && l.starts_with(a) && l.ends_with(z);
    if wrapped("<", ">")
        || wrapped("%", "%")
        || wrapped("#{", "}")
        || wrapped("#{", "}#")
        || wrapped("__", "__")
        || wrapped("@", "@")
        || wrapped("[", "]")
    {
        return true;
    }
    let b = l.as_bytes();
    if l.starts_with('/')
        || l.starts_with("./")
        || l.starts_with("../")
        || l.starts_with("~/")
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && (b[2] == b'\\' || b[2] == b'/'))
    {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|p| l.starts_with(p))
        || (l.starts_with("projects/") && l.contains("/secrets/"))
    {
        return true;
    }
    if PLACEHOLDER_VALUES.contains(&l) {
        return true;
    }
    // A relative path to a file: `certs/server-key.pem`, `secrets/db.txt`.
    if !l.contains(char::is_whitespace) && l.contains('/') && !l.contains(':') {
        let last = l.rsplit('/').next().unwrap_or("");
        if let Some((stem, ext)) = last.rsplit_once('.') {
            if !stem.is_empty()
                && (2..=10).contains(&ext.len())
                && ext.bytes().all(|c| c.is_ascii_alphanumeric())
                && ext.bytes().any(|c| c.is_ascii_alphabetic())
            {
                return true;
            }
        }
    }
    // An unsubstituted variable name as the value: `HF_TOKEN`, `GOOGLE_API_KEY_VAL`.
    if v.contains('_')
        && v.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
        && v.as_bytes()[0].is_ascii_uppercase()
        && !v.ends_with('_')
        && !v.contains("__")
    {
        return true;
    }
    // A word that says the value is not real: `fake-key`, `dummy_password`.
    if l.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "fake" | "dummy" | "placeholder" | "redacted" | "changeme" | "replaceme"
        )
    }) {
        return true;
    }
    if l.contains("xxxx") || l.contains("***") || l.contains('…') {
        return true;
    }
    let first = b[0];
    if matches!(first, b'x' | b'*' | b'.' | b'-' | b'#' | b'?' | b'_')
        && b.iter().all(|&c| c == first)
    {
        return true;
    }
    let norm: String = l.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if norm.is_empty() {
        return true;
    }
    const STARTS: &[&str] = &[
        "your",
        "insert",
        "enter",
        "replace",
        "changeme",
        "changethis",
        "putyour",
        "fillin",
        "placeholder",
    ];
    STARTS.iter().any(|p| norm.starts_with(p))
        || (norm.ends_with("here")
            && norm.len() > 4
            && ["-here", "_here", " here", ".here"]
                .iter()
                .any(|h| l.ends_with(h)))
}

// ---------------------------------------------------------------------------
// Redaction

/// Width of every redacted secret: the output never tells a secret's length.
pub const REDACTED_WIDTH: usize = 16;

/// Redact a secret for display: a fixed-width string of `REDACTED_WIDTH` (16)
/// characters made of a short prefix followed by `*`:
/// - 16 characters or more: the first 4 characters (`AKIA************`,
///   `ghp_************`: for token formats this is the public format prefix);
/// - 9 to 15 characters: the first 2;
/// - 8 or fewer: nothing (`****************`).
///
/// The width does not depend on the secret, so its length is never revealed.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = if n >= 16 {
        4
    } else if n >= 9 {
        2
    } else {
        0
    };
    let mut out: String = secret.chars().take(keep).collect();
    out.extend(std::iter::repeat_n('*', REDACTED_WIDTH - keep));
    out
}

/// `text` with every byte of each range replaced by `*`, for printing source
/// with secrets masked. The output has the same byte length as `text`, so
/// offsets (spans, columns) still fit. Line breaks (`\n`, `\r`) inside a range
/// are kept, so a masked multi-line private key keeps its lines. Ranges may
/// overlap, come in any order or reach past the end (clamped); a range edge
/// inside a multi-byte character widens to the whole character, so every byte
/// of it becomes `*` and the output is valid UTF-8.
pub fn redact_in(text: &str, ranges: &[Range<usize>]) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    let n = bytes.len();
    for r in ranges {
        let mut start = r.start.min(n);
        let mut end = r.end.min(n);
        if start >= end {
            continue;
        }
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < n && !text.is_char_boundary(end) {
            end += 1;
        }
        for byte in &mut bytes[start..end] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b'*';
            }
        }
    }
    // Every non-ASCII char was masked whole or left whole.
    String::from_utf8(bytes).expect("masking whole chars keeps UTF-8")
}

// ---------------------------------------------------------------------------
// Free text: every printed line goes through here

/// A word longer than this is not read as a variable or flag name (bounds the
/// work per word; real names are far shorter).
const MAX_NAME_BYTES: usize = 128;

/// A base64 run at least this long after an unterminated private key header
/// is taken as the key's body (`echo "-----BEGIN …" > k && echo "MIIE…" >> k`).
const MIN_KEY_BODY_RUN: usize = 16;

/// Byte ranges of the secrets in free text (a file, a line, a message),
/// sorted and disjoint, on char boundaries:
/// - known token formats ([`find_tokens`]); a private key header without its
///   `-----END` line extends over the base64 runs that follow it, line by
///   line, until a line has none;
/// - the value of a secret-named assignment: `PASSWORD=x`, `PASSWORD: x`,
///   `"password": "x"`, `--password x`, `--password=x`, anywhere in the text
///   (comments, `LABEL`, URLs' queries), and `value: x` within two lines of
///   `name: DB_PASSWORD` (a Kubernetes `env` entry); placeholders
///   ([`is_placeholder`]) are not secrets;
/// - the password of `-u user:password` / `--user user:password` (curl, wget);
/// - the credentials after `Bearer ` or `Basic `.
///
/// One pass over the bytes; each word is looked at once.
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for m in find_tokens(text) {
        let unterminated = m.kind == "private-key" && !text[m.range.clone()].contains("-----END ");
        let end = m.range.end;
        ranges.push(m.range);
        if unterminated {
            key_body_runs(text, end, &mut ranges);
        }
    }
    assignment_ranges(text, &mut ranges);
    merge_ranges(text, ranges)
}

/// `text` with every secret masked byte for byte (`*`), so spans and columns
/// still fit: what every snippet renderer prints. Line breaks are kept.
pub fn mask(text: &str) -> String {
    redact_in(text, &secret_ranges(text))
}

/// `text` with every secret replaced by its [`redact`]ed form (fixed width):
/// for messages, resources, locations, errors, which nobody lines up with a
/// source.
pub fn redact_text(text: &str) -> String {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in ranges {
        out.push_str(&text[last..r.start]);
        out.push_str(&redact(&text[r.clone()]));
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

fn merge_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let n = text.len();
    for r in &mut ranges {
        r.start = r.start.min(n);
        r.end = r.end.min(n);
        while r.start > 0 && !text.is_char_boundary(r.start) {
            r.start -= 1;
        }
        while r.end < n && !text.is_char_boundary(r.end) {
            r.end += 1;
        }
    }
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

fn is_base64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')
}

/// The body of a private key whose header has no `-----END` line in `text`:
/// base64 runs from `from` on, while each line holds one.
fn key_body_runs(text: &str, from: usize, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut i = from;
    let mut line_has_run = true;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                if !line_has_run {
                    return;
                }
                line_has_run = false;
                i += 1;
            }
            b'-' if b[i..].starts_with(b"-----") => return,
            c if is_base64(c) => {
                let len = run(b, i, usize::MAX, is_base64);
                if len >= MIN_KEY_BODY_RUN {
                    out.push(i..i + len);
                    line_has_run = true;
                }
                i += len;
            }
            _ => i += 1,
        }
    }
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// Where a value starting at `v` ends, and where its text is: a quoted value
/// runs to its closing quote on the same line; a value after `:` (YAML, JSON)
/// to the end of the line, a `,`, `}`, `]` or ` #`; any other to the first
/// blank or shell, URL or list punctuation.
fn value_at(b: &[u8], v: usize, colon: bool) -> Range<usize> {
    let n = b.len();
    if v < n && (b[v] == b'"' || b[v] == b'\'') {
        let q = b[v];
        let mut j = v + 1;
        while j < n && b[j] != q && b[j] != b'\n' {
            j += if q == b'"' && b[j] == b'\\' { 2 } else { 1 };
        }
        return v + 1..j.min(n);
    }
    let mut j = v;
    if colon {
        while j < n && !matches!(b[j], b'\n' | b'\r' | b',' | b'}' | b']') {
            if b[j] == b'#' && j > v && b[j - 1].is_ascii_whitespace() {
                break;
            }
            j += 1;
        }
        while j > v && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
    } else {
        while j < n
            && !b[j].is_ascii_whitespace()
            && !matches!(
                b[j],
                b';' | b'&' | b'|' | b'"' | b'\'' | b'`' | b',' | b')' | b'}' | b']' | b'<' | b'>'
            )
        {
            j += 1;
        }
    }
    v..j
}

/// A flag as an item of a JSON or YAML list (`["--password", "x"]`, an
/// exec-form `CMD`, Kubernetes `args`): where the next quoted item starts.
fn next_item(b: &[u8], start: usize, end: usize) -> Option<usize> {
    let quote = *b.get(end)?;
    if !matches!(quote, b'"' | b'\'') || start == 0 || b[start - 1] != quote {
        return None;
    }
    let mut j = end + 1;
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    if b.get(j) != Some(&b',') {
        return None;
    }
    j += 1;
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    (b.get(j) == Some(&quote)).then_some(j)
}

/// Secret-named assignments, `-u user:password` and `Bearer x` (see [`secret_ranges`]).
fn assignment_ranges(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let n = b.len();
    let blank = |j: usize| j < n && (b[j] == b' ' || b[j] == b'\t');
    let mut line = 0usize;
    // The line of the last `name: SECRET_NAME`, for the `value:` that follows.
    let mut named_secret_line: Option<usize> = None;
    let mut i = 0;
    while i < n {
        if b[i] == b'\n' {
            line += 1;
        }
        if !is_name_byte(b[i]) || (i > 0 && is_name_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_name_byte(b[i]) {
            i += 1;
        }
        let word = &text[start..i];
        if word.len() > MAX_NAME_BYTES {
            continue;
        }
        let name = word.trim_start_matches('-');
        if name.is_empty() {
            continue;
        }
        let flag = name.len() < word.len();
        // A quoted key: `"password": "x"`.
        let mut k = i;
        if k < n && (b[k] == b'"' || b[k] == b'\'') && start > 0 && b[start - 1] == b[k] {
            k += 1;
        }
        while blank(k) {
            k += 1;
        }
        let sep = b.get(k).copied();
        let colon = sep == Some(b':')
            && (k + 1 == n || matches!(b[k + 1], b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r'));
        let equals = sep == Some(b'=') && b.get(k + 1) != Some(&b'=');
        // `password := "x"` (Rego, Go).
        let walrus = sep == Some(b':') && b.get(k + 1) == Some(&b'=');
        let mut v = if colon || equals {
            k + 1
        } else if walrus {
            k + 2
        } else if flag && blank(i) {
            i
        } else if let Some(next) = flag.then(|| next_item(b, start, i)).flatten() {
            next
        } else if (name.eq_ignore_ascii_case("bearer") || name.eq_ignore_ascii_case("basic"))
            && b.get(i) == Some(&b' ')
        {
            let len = run(b, i + 1, usize::MAX, |c| {
                is_base64(c) || matches!(c, b'-' | b'_' | b'.' | b'~')
            });
            if len >= 8 {
                out.push(i + 1..i + 1 + len);
                i += 1 + len;
            }
            continue;
        } else {
            continue;
        };
        // What the name says of its value, decided before the value is read
        // (a value is read at most once: the scan stays linear).
        let user_flag = flag && matches!(name, "u" | "user" | "proxy-user");
        let names_a_variable =
            name.eq_ignore_ascii_case("name") || name.eq_ignore_ascii_case("key");
        let secret = if user_flag || names_a_variable {
            false
        } else if name.eq_ignore_ascii_case("value") {
            named_secret_line.is_some_and(|l| line - l <= 2)
        } else {
            is_secret_name(name)
        };
        if !(secret || user_flag || names_a_variable) {
            continue;
        }
        while blank(v) {
            v += 1;
        }
        let spaced = flag && !colon && !equals;
        // `--token --verbose`, `["--token", "--verbose"]`: another flag.
        let quoted = v < n && matches!(b[v], b'"' | b'\'');
        if v >= n || b[v] == b'\n' || (spaced && b.get(v + quoted as usize) == Some(&b'-')) {
            continue;
        }
        let value = value_at(b, v, colon);
        let value_text = &text[value.clone()];
        i = value.end.max(i);
        // `--secret id=npmrc,src=.npmrc`: options, not a value.
        if spaced && value_text.contains('=') {
            continue;
        }
        if user_flag {
            // `-u admin:password`: the part after the first colon; `-u
            // 1000:1000` is a uid and gid.
            if let Some((user, password)) = value_text.split_once(':') {
                if !is_placeholder(password) && !password.bytes().all(|c| c.is_ascii_digit()) {
                    out.push(value.start + user.len() + 1..value.end);
                }
            }
        } else if names_a_variable {
            let secret = value_text.len() <= MAX_NAME_BYTES && is_secret_name(value_text);
            named_secret_line = secret.then_some(line);
        } else if !is_placeholder(value_text) {
            out.push(value);
        }
    }
}

// ---------------------------------------------------------------------------
// Files

/// Split a file name into lowercase alphanumeric tokens.
fn file_tokens(name: &str) -> Vec<&str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Kind of a secret-looking file that a COPY/ADD must not put into an image,
/// or `None`. Matching is on the lowercased path (`\` read as `/`), mostly on
/// its last component; a trailing `/` is ignored; URLs (`http(s)://`,
/// `git@`) are never secret files (they are not from the build context).
///
/// | kind | names |
/// | --- | --- |
/// | `ssh-private-key` | `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (and `_sk`, and `id_rsa_*`/`id_rsa.*` variants), never `*.pub` |
/// | `ssh-directory` | a `.ssh` directory |
/// | `private-key-file` | `*.pem`, `*.key`, `*.ppk`, except certificate / public-key names: a token `cert certs certificate crt ca cacert chain fullchain bundle pub public gpg pgp asc apt repo release archive keyring trust truststore` without a `key`/`priv`/`private` token (`ca.pem`, `fullchain.pem`, `nodesource.gpg.key`, `Release.key`) |
/// | `pkcs12-keystore` | `*.p12`, `*.pfx` |
/// | `java-keystore` | `*.jks`, `*.keystore`, `*.bks`, except `*trust*` / `cacerts` |
/// | `keepass-database` | `*.kdbx` |
/// | `dotenv-file` | `.env`, `.env.*` (also `.env*` globs), except `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`, `.env.default`, `.env.tpl`, `.env.schema` |
/// | `aws-credentials` | `.aws/credentials`, `.aws` directory |
/// | `credentials-file` | `credentials`, `credentials.json`, `credentials.*`, `*.credentials` |
/// | `gcp-service-account-key` | `*.json` named `service-account*`, `service_account*`, `serviceaccount*`, `*sa-key*`, `*-key.json`, `keyfile.json`, `gcp-key*`, `gcloud-key*` |
/// | `npmrc`, `pypirc`, `netrc`, `git-credentials`, `htpasswd` | `.npmrc`, `.pypirc`, `.netrc`/`_netrc`, `.git-credentials`, `.htpasswd` |
/// | `docker-config` | `.docker/config.json`, `.dockercfg`, a `.docker` directory |
/// | `kubeconfig` | `.kube/config`, `kubeconfig`, a `.kube` directory |
/// | `secrets-file` | `secrets.yml`, `secrets.yaml`, `secrets.json`, `secrets.env`, `secrets.toml` |
/// | `gpg-secret-keyring` | `secring.gpg`, `private-keys-v1.d`, a `.gnupg` directory |
/// | `terraform-state` | `*.tfstate` (holds every secret Terraform manages) |
pub fn secret_file_kind(path: &str) -> Option<&'static str> {
    let lower = path.trim().replace('\\', "/").to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("git@") {
        return None;
    }
    let p = lower.trim_end_matches('/');
    let base = p.rsplit('/').next().unwrap_or(p);
    if base.is_empty() || base == "." || base == ".." || base == "*" {
        return None;
    }
    let parent_is = |dir: &str| {
        let parent = &p[..p.len() - base.len()];
        parent.trim_end_matches('/').rsplit('/').next() == Some(dir)
    };
    // SSH keys.
    for k in ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"] {
        if let Some(rest) = base.strip_prefix(k) {
            if !base.ends_with(".pub")
                && (rest.is_empty()
                    || rest.starts_with('_')
                    || rest.starts_with('.')
                    || rest.starts_with('-')
                    || rest == "*")
            {
                return Some("ssh-private-key");
            }
        }
    }
    // SSH host keys: ssh_host_rsa_key, ssh_host_*_key (not the .pub half).
    if base.starts_with("ssh_host_")
        && !base.ends_with(".pub")
        && (base.ends_with("_key") || base.ends_with("_key*") || base.ends_with('*'))
    {
        return Some("ssh-host-private-key");
    }
    match base {
        ".ssh" => return Some("ssh-directory"),
        ".aws" => return Some("aws-credentials"),
        ".docker" | ".dockercfg" => return Some("docker-config"),
        ".kube" | "kubeconfig" => return Some("kubeconfig"),
        ".gnupg" | "secring.gpg" | "private-keys-v1.d" => return Some("gpg-secret-keyring"),
        ".npmrc" => return Some("npmrc"),
        ".pypirc" => return Some("pypirc"),
        ".netrc" | "_netrc" => return Some("netrc"),
        ".git-credentials" => return Some("git-credentials"),
        ".htpasswd" => return Some("htpasswd"),
        "secrets.yml" | "secrets.yaml" | "secrets.json" | "secrets.env" | "secrets.toml" => {
            return Some("secrets-file")
        }
        _ => {}
    }
    if base == "credentials" && parent_is(".aws") {
        return Some("aws-credentials");
    }
    if base == "config.json" && parent_is(".docker") {
        return Some("docker-config");
    }
    if base == "config" && parent_is(".kube") {
        return Some("kubeconfig");
    }
    if base == "credentials" || base.starts_with("credentials.") || base.ends_with(".credentials") {
        return Some("credentials-file");
    }
    // .env files.
    if base == ".env" || base.starts_with(".env.") || base == ".env*" || base == ".env.*" {
        let suffix = base
            .strip_prefix(".env")
            .unwrap_or("")
            .trim_start_matches('.');
        const SAFE: &[&str] = &[
            "example",
            "sample",
            "template",
            "dist",
            "defaults",
            "default",
            "tpl",
            "schema",
            "example.local",
        ];
        if SAFE.contains(&suffix)
            || suffix.ends_with(".example")
            || suffix.ends_with(".sample")
            || suffix.ends_with(".template")
        {
            return None;
        }
        return Some("dotenv-file");
    }
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let toks = file_tokens(stem);
    let has = |set: &[&str]| toks.iter().any(|t| set.contains(t));
    match ext {
        "pem" | "key" | "ppk" => {
            let keyish = has(&["key", "priv", "private", "privkey", "privatekey"]) || ext == "ppk";
            let public = has(&[
                "cert",
                "certs",
                "certificate",
                "crt",
                "ca",
                "cacert",
                "chain",
                "fullchain",
                "bundle",
                "pub",
                "public",
                "pubkey",
                "gpg",
                "pgp",
                "asc",
                "apt",
                "repo",
                "release",
                "archive",
                "keyring",
                "trust",
                "truststore",
                "signing",
                "gpgkey",
            ]);
            if public && !keyish {
                return None;
            }
            Some("private-key-file")
        }
        "p12" | "pfx" => Some("pkcs12-keystore"),
        "jks" | "keystore" | "bks" => {
            if base.contains("trust") || stem == "cacerts" {
                None
            } else {
                Some("java-keystore")
            }
        }
        "kdbx" => Some("keepass-database"),
        "tfstate" => Some("terraform-state"),
        "json" => {
            let sa = stem.starts_with("service-account")
                || stem.starts_with("service_account")
                || stem.starts_with("serviceaccount")
                || stem.contains("sa-key")
                || stem.contains("sa_key")
                || stem.ends_with("-key")
                || stem.ends_with("_key")
                || stem == "keyfile"
                || stem.starts_with("gcp-key")
                || stem.starts_with("gcloud-key")
                || stem == "key";
            sa.then_some("gcp-service-account-key")
        }
        _ => None,
    }
}

/// Masks every detected secret in a JSON value, in place: everything
/// [`secret_ranges`] finds in any string or key, the values of secret-named
/// keys (`PASSWORD: x`, `{name: API_TOKEN, value: x}`, `{key: …, value: …}`,
/// `TOKEN=x`) and of a Kubernetes Secret's `data` and `stringData`, wherever
/// those literals occur again (a Dockerfile instruction's `original`, another
/// `echo` of the same RUN holding a private key's body).
pub fn redact_json(value: &mut serde_json::Value) {
    let mut literals = Vec::new();
    collect_secret_literals(value, &mut literals);
    literals.sort_by_key(|l: &String| std::cmp::Reverse(l.len()));
    literals.dedup();
    mask_literals(value, &literals);
}

/// Shorter literals are masked where they stand, not searched for elsewhere
/// (`abc` would match inside unrelated words).
const MIN_LITERAL_BYTES: usize = 4;

/// Whether an object's `value` (or a map entry) holds a secret by its name.
fn secret_entry(name: &str, value: &str) -> bool {
    is_secret_name(name) && !is_placeholder(value)
}

/// A Kubernetes Secret: every value of its `data` and `stringData` is secret.
fn is_k8s_secret(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.get("kind").and_then(|k| k.as_str()) == Some("Secret")
}

fn collect_secret_literals(value: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value as J;
    fn push(s: &str, out: &mut Vec<String>) {
        if s.len() >= MIN_LITERAL_BYTES {
            out.push(s.to_string());
        }
    }
    fn from_text(s: &str, out: &mut Vec<String>) {
        for r in secret_ranges(s) {
            let found = &s[r];
            push(found, out);
            // A private key's body lines also stand alone in other strings
            // (`echo "MIIE…" >> key` after `echo "-----BEGIN …"`).
            if found.contains("PRIVATE KEY") {
                let pieces = found.split(|c: char| !c.is_ascii() || !is_base64(c as u8));
                out.extend(
                    pieces
                        .filter(|p| p.len() >= MIN_KEY_BODY_RUN)
                        .map(str::to_string),
                );
            }
        }
    }
    match value {
        J::String(s) => {
            from_text(s, out);
            // A whole `KEY=value with spaces` string (an image's `Env`).
            if let Some((k, v)) = s.split_once('=') {
                if !k.contains(char::is_whitespace) && secret_entry(k, v) {
                    push(v, out);
                }
            }
            // `KEY=value` words inside a command line (an image's history:
            // `RUN |1 DB_PASSWORD=… /bin/sh -c …`).
            for word in s.split_whitespace().skip(1) {
                if let Some((k, v)) = word.split_once('=') {
                    let v = v.trim_matches(|c| c == '"' || c == '\'');
                    if secret_entry(k, v) {
                        push(v, out);
                    }
                }
            }
        }
        J::Array(items) => items.iter().for_each(|i| collect_secret_literals(i, out)),
        J::Object(map) => {
            for (k, v) in map {
                from_text(k, out);
                if let J::String(s) = v {
                    if secret_entry(k, s) {
                        push(s, out);
                    }
                }
                collect_secret_literals(v, out);
            }
            for name_key in ["name", "key"] {
                if let (Some(J::String(name)), Some(J::String(v))) =
                    (map.get(name_key), map.get("value"))
                {
                    if secret_entry(name, v) {
                        push(v, out);
                    }
                }
            }
            if is_k8s_secret(map) {
                for data in ["data", "stringData"] {
                    if let Some(J::Object(entries)) = map.get(data) {
                        for v in entries.values().filter_map(J::as_str) {
                            push(v, out);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn mask_literals(value: &mut serde_json::Value, literals: &[String]) {
    use serde_json::Value as J;
    let mask_string = |s: &str| {
        let mut s = s.to_string();
        for l in literals {
            if s.contains(l.as_str()) {
                s = s.replace(l.as_str(), &redact(l));
            }
        }
        redact_text(&s)
    };
    match value {
        J::String(s) => *s = mask_string(s),
        J::Array(items) => items.iter_mut().for_each(|i| mask_literals(i, literals)),
        J::Object(map) => {
            // Values too short to search for elsewhere, masked where they stand.
            let named = |k: &str, v: &J| v.as_str().is_some_and(|s| secret_entry(k, s));
            let pair = ["name", "key"].iter().any(|n| {
                map.get(*n)
                    .and_then(J::as_str)
                    .zip(map.get("value"))
                    .is_some_and(|(name, v)| named(name, v))
            });
            let secret_data = is_k8s_secret(map);
            let entries = std::mem::take(map);
            for (k, mut v) in entries {
                let whole = named(&k, &v) || (pair && k == "value");
                match &mut v {
                    J::String(s) if whole => *s = redact(s),
                    J::Object(data) if secret_data && (k == "data" || k == "stringData") => {
                        for s in data.values_mut() {
                            if let J::String(text) = s {
                                *text = redact(text);
                            }
                        }
                        mask_literals(&mut v, literals);
                    }
                    _ => mask_literals(&mut v, literals),
                }
                map.insert(mask_string(&k), v);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<&'static str> {
        find_tokens(s).into_iter().map(|m| m.kind).collect()
    }
    fn one(s: &str) -> Option<(&'static str, &str)> {
        let m = find_tokens(s);
        assert!(m.len() <= 1, "more than one match in {s:?}: {m:?}");
        m.first().map(|m| (m.kind, &s[m.range.clone()]))
    }

    // Test tokens are assembled at run time so this file holds no token-shaped literal.
    fn rep(c: char, n: usize) -> String {
        std::iter::repeat_n(c, n).collect()
    }
    const B36: &str = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    fn ghp() -> String {
        format!("ghp_{B36}")
    }

    #[test]
    fn aws_access_key_id() {
        assert_eq!(
            one("AKIAIOSFODNN7EXAMPLE"),
            Some(("aws-access-key-id", "AKIAIOSFODNN7EXAMPLE"))
        );
        assert_eq!(
            one("key=ASIAY34FZKBOKMUTVV7A;"),
            Some(("aws-access-key-id", "ASIAY34FZKBOKMUTVV7A"))
        );
        assert_eq!(kinds("AROAJ2UCCR6DPCEXAMPL"), ["aws-access-key-id"]);
        assert_eq!(kinds("A3TXIOSFODNN7EXAMPLE"), ["aws-access-key-id"]);
        assert_eq!(kinds("\"AIDAIOSFODNN7EXAMPLE\""), ["aws-access-key-id"]);
        assert!(kinds("XAKIAIOSFODNN7EXAMPLE").is_empty()); // not word-bounded on the left
        assert!(kinds("AKIAIOSFODNN7EXAMPLEX").is_empty()); // 21 chars
        assert!(kinds("AKIAIOSFODNN7EXAMPL").is_empty()); // 19 chars
        assert!(kinds("AKIAiosfodnn7example").is_empty()); // lowercase
        assert!(kinds("AKIA_IOSFODNN7EXAMPLE").is_empty());
    }

    #[test]
    fn github() {
        let t = ghp();
        assert_eq!(one(&t), Some(("github-token", t.as_str())));
        for p in ["gho_", "ghu_", "ghs_", "ghr_"] {
            assert_eq!(kinds(&format!("x {p}{B36} y")), ["github-token"], "{p}");
        }
        assert!(kinds(&format!("ghx_{B36}")).is_empty());
        assert!(kinds(&format!("ghp_{}", &B36[..35])).is_empty());
        assert!(kinds(&format!("ghp_{B36}a")).is_empty());
        assert!(kinds(&format!("aghp_{B36}")).is_empty());
        let pat = format!("github_pat_{}", rep('A', 22) + "_" + &rep('b', 59));
        assert_eq!(one(&pat), Some(("github-fine-grained-token", pat.as_str())));
        assert!(kinds(&format!("github_pat_{}", rep('A', 81))).is_empty());
        // In a clone URL the token is reported, not a url-password.
        let url = format!("https://x-access-token:{t}@github.com/o/r.git");
        assert_eq!(one(&url), Some(("github-token", t.as_str())));
        let url = format!("https://{t}@github.com/o/r.git");
        assert_eq!(one(&url), Some(("github-token", t.as_str())));
    }

    #[test]
    fn gitlab_slack_stripe_google_npm_pypi() {
        assert_eq!(kinds("glpat-Abcdefghij1234567890"), ["gitlab-token"]);
        assert!(kinds("glpat-short123").is_empty());
        assert_eq!(
            kinds(&format!(
                "xoxb-{}-{}-{}",
                "123456789012", "1234567890123", "AbCdEfGhIjKlMnOp"
            )),
            ["slack-token"]
        );
        assert_eq!(
            kinds(&format!("xoxp-{}", "1234567890-abc")),
            ["slack-token"]
        );
        assert!(kinds("xoxb-abcdefghijkl").is_empty()); // no digit
        assert!(kinds("xoxz-1234567890123").is_empty());
        let hook = format!(
            "https://hooks.slack.com/services/T0{}/B0{}/{}",
            "0000000", "0000000", "XXXXXXXXXXXXXXXXXXXXXXXX"
        );
        let m = one(&hook).unwrap();
        assert_eq!(m.0, "slack-webhook");
        assert!(m.1.starts_with("T0") && m.1.ends_with("XXXX"));
        assert!(kinds("https://hooks.slack.com/services/").is_empty());
        assert_eq!(
            kinds(&format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc")),
            ["stripe-live-key"]
        );
        assert_eq!(
            kinds(&format!("rk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc")),
            ["stripe-live-key"]
        );
        assert!(kinds(&format!("sk_test_{}", "4eC39HqLyjWDarjtT1zdp7dc")).is_empty());
        assert!(kinds("sk_live_short").is_empty());
        assert_eq!(
            kinds(&format!("AIza{}", "SyD-abcdefghijklmnopqrstuvwxyz01234")),
            ["google-api-key"]
        );
        assert!(kinds(&format!("AIza{}", "SyD-abcdefghijklmnopqrstuvwxyz0123")).is_empty());
        assert_eq!(
            kinds(&format!("//registry/:_authToken=npm_{B36}")),
            ["npm-token"]
        );
        assert!(kinds(&format!("npm_{}", &B36[..30])).is_empty());
        assert!(kinds("npm_config_cache=/tmp").is_empty());
        assert_eq!(
            kinds(&format!("pypi-AgEIcHlwaS5vcmc{}", rep('Q', 60))),
            ["pypi-token"]
        );
        assert!(kinds("pypi-AgEIcHlwaS5vcmcshort").is_empty());
        assert_eq!(
            kinds(&format!("SK{}", "0123456789abcdef0123456789abcdef")),
            ["twilio-api-key"]
        );
        assert!(kinds(&format!("SK{}", "0123456789ABCDEF0123456789ABCDEF")).is_empty());
        assert!(kinds(&format!("TASK{}", "0123456789abcdef0123456789abcdef")).is_empty());
        assert_eq!(
            kinds(&format!("sk-proj-{}", rep('a', 40))),
            ["openai-api-key"]
        );
        assert_eq!(
            kinds(&format!("sk-ant-api03-{}", rep('b', 40))),
            ["anthropic-api-key"]
        );
        assert!(kinds("sk-proj-short").is_empty());
    }

    #[test]
    fn private_key_blocks() {
        let head = format!("-----BEGIN {}-----", "RSA PRIVATE KEY");
        assert_eq!(one(&head), Some(("private-key", head.as_str())));
        let block = format!("key: |\n  {head}\n  MIIEow\n  -----END RSA PRIVATE KEY-----\nnext: 1");
        let (k, r) = one(&block).unwrap();
        assert_eq!(k, "private-key");
        assert!(r.starts_with("-----BEGIN") && r.ends_with("-----END RSA PRIVATE KEY-----"));
        for label in [
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "PGP PRIVATE KEY BLOCK",
        ] {
            assert_eq!(
                kinds(&format!("-----BEGIN {label}-----")),
                ["private-key"],
                "{label}"
            );
        }
        // Hand-written armour with fewer dashes is still a key, whole.
        let short =
            "---BEGIN OPENSSH PRIVATE KEY---\nb3BlbnNzaC1rZXktdjE\n---END OPENSSH PRIVATE KEY---";
        let found = find_tokens(short);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].kind, found[0].range.clone()),
            ("private-key", 0..short.len())
        );
        assert!(kinds("-BEGIN RSA PRIVATE KEY-").is_empty());
        let long = "------------BEGIN RSA PRIVATE KEY------------";
        assert_eq!(find_tokens(long)[0].range, 7..38);
        assert!(kinds("-----BEGIN CERTIFICATE-----").is_empty());
        assert!(kinds("-----BEGIN PUBLIC KEY-----").is_empty());
        assert!(kinds("-----BEGIN PGP PUBLIC KEY BLOCK-----").is_empty());
        assert!(kinds("BEGIN RSA PRIVATE KEY").is_empty());
        // Base64 of "-----BEGIN PRIVATE KEY-----\nMIIE", "-----BEGIN OPENSSH PRIVATE KEY-----\n", a certificate.
        let b = format!(
            "tls.key: {}{}",
            "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t", "Ck1JSUU="
        );
        let (k, r) = one(&b).unwrap();
        assert_eq!((k, r.len()), ("private-key-base64", 44));
        assert_eq!(
            kinds(&format!(
                "{}{}",
                "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0", "K"
            )),
            ["private-key-base64"]
        );
        assert!(kinds("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURSakNDQWk2Z0").is_empty());
        assert!(kinds("LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K").is_empty());
        assert!(kinds("LS0tLS1CRUdJTi").is_empty());
    }

    #[test]
    fn jwt_tokens() {
        let j = format!(
            "{}.{}.{}",
            "eyJhbGciOiJIUzI1NiJ9",
            "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
        );
        assert_eq!(one(&format!("Bearer {j}")), Some(("jwt", j.as_str())));
        assert!(kinds(&format!(
            "{}.{}.",
            "eyJhbGciOiJub25lIn0", "eyJzdWIiOiIxMjM0NTY3ODkwIn0"
        ))
        .is_empty());
        assert!(kinds("eyJhbGciOiJIUzI1NiJ9").is_empty());
        assert!(kinds("eyJhbGciOiJIUzI1NiJ9.notapayload.sig").is_empty());
    }

    #[test]
    fn url_passwords() {
        assert_eq!(
            one("postgres://app:hunter2@db:5432/app"),
            Some(("url-password", "hunter2"))
        );
        assert_eq!(
            one("DATABASE_URL=mysql://root:example@mysql/db"),
            Some(("url-password", "example"))
        );
        assert_eq!(
            one("amqp://guest:guest@rabbitmq:5672/"),
            Some(("url-password", "guest"))
        );
        assert_eq!(
            one("redis://:s3cr3t@redis:6379/0"),
            Some(("url-password", "s3cr3t"))
        );
        assert_eq!(
            one("http://u:p%40ss@proxy:3128"),
            Some(("url-password", "p%40ss"))
        );
        assert_eq!(one("postgres://app:${DB_PASSWORD}@db/app"), None);
        assert_eq!(one("postgres://app:$DB_PASSWORD@db/app"), None);
        assert_eq!(one("postgres://${USER}:${PASS:-x}@db/app"), None);
        assert_eq!(one("postgres://app:{{ .Values.password }}@db/app"), None);
        assert_eq!(one("postgres://app:<password>@db/app"), None);
        assert_eq!(one("postgres://app:$(cat /run/secrets/pw)@db/app"), None);
        assert_eq!(one("postgres://user:xxxx@db/app"), None);
        assert_eq!(one("ssh://git@github.com/org/repo"), None);
        assert_eq!(one("http://localhost:8080/path"), None);
        assert_eq!(one("http://example.com/a:b@c"), None);
        assert_eq!(one("://user:pw@host"), None);
        assert_eq!(one("mongodb://mongo:27017"), None);
    }

    #[test]
    fn tokens_come_in_order_of_position() {
        let found = kinds("https://AKIAIOSFODNN7EXAMPLE:hunter2@git.example.com/x");
        assert_eq!(found, vec!["aws-access-key-id", "url-password"]);
    }

    #[test]
    fn no_tokens_in_ordinary_text() {
        for s in [
            "",
            "a",
            "ENV PYTHON_VERSION=3.12.1",
            "RUN apt-get update && apt-get install -y curl",
            "ENV GPG_KEYS 7169605F62C751356D054A26A821E680E5FA6305",
            "image: nginx:1.27",
            "sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1",
            "https://github.com/org/repo.git",
            "AKIA",
            "eyJ",
            "-----BEGIN",
            "http://",
            "é AKIA ü",
        ] {
            assert!(kinds(s).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn ranges_are_char_boundaries_in_unicode_text() {
        let s = format!("ünïcødé {} ✓ postgres://a:pässwörd@h", ghp());
        for m in find_tokens(&s) {
            assert!(s.is_char_boundary(m.range.start) && s.is_char_boundary(m.range.end));
        }
        assert_eq!(kinds(&s), ["github-token", "url-password"]);
    }

    #[test]
    fn secret_names() {
        for n in [
            "PASSWORD",
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "dbPassword",
            "db-password",
            "spring.datasource.password",
            "REDIS_PASS",
            "SMTP_PASSWD",
            "DB_PWD",
            "KEY_PASSPHRASE",
            "SECRET",
            "JWT_SECRET",
            "CLIENT_SECRET",
            "clientSecret",
            "SECRET_KEY",
            "SECRET_KEY_BASE",
            "DJANGO_SECRET_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "GITHUB_TOKEN",
            "ACCESS_TOKEN",
            "accessToken",
            "OAuth2Token",
            "API_KEY",
            "APIKey",
            "apiKey",
            "x-api-key",
            "APP_KEY",
            "STRIPE_API_KEY",
            "STORAGE_ACCOUNT_KEY",
            "NEW_RELIC_LICENSE_KEY",
            "SSH_PRIVATE_KEY",
            "PRIVATE_KEY",
            "ENCRYPTION_KEY",
            "CREDENTIALS",
            "DOCKER_CREDS",
            "BASIC_AUTH",
            "dbpassword",
            "csrftoken",
            "VAULT_SECRET_ID",
            "TOKEN_SECRET",
            "AUTH_TOKEN",
            "DATABASE_CONNECTION_STRING",
            "SENTRY_DSN",
            "RABBITMQ_DEFAULT_PASS",
            "WORDPRESS_AUTH_SALT",
            "WORDPRESS_SECURE_AUTH_SALT",
            "WORDPRESS_NONCE_KEY",
            "WORDPRESS_LOGGED_IN_KEY",
            "REDISCLI_AUTH",
            "LDAP_ROOTPASS",
            "CYPRESS_RECORD_KEY",
            "ROLE_SECRET_ID",
        ] {
            assert!(is_secret_name(n), "{n} should be a secret name");
        }
    }

    #[test]
    fn not_secret_names() {
        for n in [
            "",
            "PWD",
            "OLDPWD",
            "PATH",
            "HOME",
            "PYTHON_VERSION",
            "GPG_KEY",
            "GPG_KEYS",
            "PYTHON_GET_PIP_SHA256",
            "NODE_VERSION",
            "KEY",
            "KEY_URL",
            "CACHE_KEY",
            "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SHARED_CREDENTIALS_FILE",
            "GOOGLE_APPLICATION_CREDENTIALS_PATH",
            "PASSWORD_FILE",
            "POSTGRES_PASSWORD_FILE",
            "SECRETS_DIR",
            "TOKEN_URL",
            "TOKEN_ENDPOINT",
            "TOKEN_TTL",
            "TOKEN_EXPIRY",
            "TOKEN_HEADER",
            "SECRET_NAME",
            "secretName",
            "secretRef",
            "secretKeyRef",
            "PASSWORD_POLICY",
            "PASSWORD_MIN_LENGTH",
            "PASSWORD_LENGTH",
            "AUTH_ENABLED",
            "AUTH",
            "AUTH_TYPE",
            "OAUTH_URL",
            "SSH_PUBLIC_KEY",
            "JWT_PUBLIC_KEY",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "MAX_TOKENS",
            "maxTokens",
            "TOKENIZERS_PARALLELISM",
            "KEYCLOAK_VERSION",
            "SECRET_ARN",
            "API_KEY_HEADER",
            "PASSWORD_HASH",
            "KEY_ID",
            "SIGNING_KEY_ID",
            "PASS_MAX_DAYS",
            "app.kubernetes.io/name",
            "SECRET_VOLUME",
            "TOKEN_TYPE",
            "BYPASS_CACHE",
            "PASSPORT_STRATEGY",
            "SECRET_ID",
            "SALT_MASTER",
            "SALT_VERSION",
            "BYPASS4NETNS_VERSION",
            "NEXT_PUBLIC_POSTHOG_KEY",
            "REGISTRY_AUTH",
            "GF_AUTH_ANONYMOUS_ENABLED",
            "POSTGRES_HOST_AUTH_METHOD",
            "SECRETFILE",
            "METALLB_ML_SECRET_KEY_PATH",
            "WEBHOOK_SECRET_NAME",
            "SECRET_VERSION",
            "OAUTH_CLIENT_ID",
        ] {
            assert!(!is_secret_name(n), "{n} should not be a secret name");
        }
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "  ",
            "\"\"",
            "$DB_PASSWORD",
            "${DB_PASSWORD}",
            "${DB_PASSWORD:-changeme}",
            "${PW:?required}",
            "$(cat /run/secrets/db)",
            "\"${X}\"",
            "'$X'",
            "prefix-${X}",
            "{{ .Values.password }}",
            "{{ required \"x\" .Values.pw }}",
            "<password>",
            "<your-token>",
            "%DB_PASSWORD%",
            "#{DbPassword}#",
            "#{DbPassword}",
            "__DB_PASSWORD__",
            "@db.password@",
            "changeme",
            "CHANGEME",
            "change_me",
            "replace_me",
            "REPLACE_ME",
            "placeholder",
            "TODO",
            "tbd",
            "xxx",
            "XXXXXXXX",
            "***",
            "******",
            "...",
            "your-password-here",
            "your_api_key",
            "YourPassword",
            "insert-token-here",
            "put-your-key-here",
            "/run/secrets/db_password",
            "./secrets/pw.txt",
            "~/.ssh/id_rsa",
            "C:\\secrets\\pw",
            "true",
            "false",
            "True",
            "yes",
            "no",
            "0",
            "1",
            "on",
            "off",
            "null",
            "none",
            "~",
            "vault:secret/data/db#password",
            "ref+vault://secret/db#/pw",
            "arn:aws:secretsmanager:us-east-1:123:secret:db",
            "arn:aws:ssm:us-east-1:123:parameter/db",
            "@Microsoft.KeyVault(SecretUri=https://v/s)",
            "op://vault/item/field",
            "projects/p/secrets/db/versions/latest",
            "secretRef",
            "sk_live_xxxxxxxx",
            "redacted",
            "dummy",
            "!reset null",
            "certs/elasticsearch-key.pem",
            "secrets/db_password.txt",
            "HF_TOKEN",
            "GOOGLE_API_KEY_VAL",
            "FAKE_TO_GENERATE_WARNING_OUTPUT",
            "fake-key",
            "my_dummy_pw",
        ] {
            assert!(is_placeholder(v), "{v:?} should be a placeholder");
        }
    }

    #[test]
    fn literal_values() {
        for v in [
            "hunter2",
            "example",
            "password",
            "secret",
            "admin",
            "test",
            "changeit",
            "mysecretpassword",
            "root",
            "postgres",
            "P@ssw0rd!",
            "\"hunter2\"",
            "123456",
            "s3cr3t-value",
            "guest",
            "wordpress",
            "aaaa",
            "my-secret-pw",
            "somewhere",
            "SECRET",
            "Ple4seCh4nge",
            "a/b",
            "abc/def.1",
            "base64+/abc==",
            "http://user:pw@host/x.json",
        ] {
            assert!(!is_placeholder(v), "{v:?} should be a literal");
        }
    }

    #[test]
    fn redaction_reveals_at_most_the_prefix() {
        let t = ghp();
        assert_eq!(redact(&t), "ghp_************");
        assert_eq!(redact("AKIAIOSFODNN7EXAMPLE"), "AKIA************");
        assert_eq!(redact("hunter2"), "****************");
        assert_eq!(redact(""), "****************");
        assert_eq!(redact("abcdefghi"), "ab**************");
        assert_eq!(redact("pässwörd-lång-ñ"), "pä**************");
        for s in [
            "a",
            "abcdefgh",
            "abcdefghijklmnop",
            &t,
            &rep('z', 5000),
            "ééééééééééééééééé",
        ] {
            let r = redact(s);
            assert_eq!(r.chars().count(), REDACTED_WIDTH, "fixed width for {s:?}");
            let shown = r.trim_end_matches('*');
            assert!(shown.chars().count() <= 4 && s.starts_with(shown));
            if s.chars().count() <= 8 {
                assert!(shown.is_empty());
            }
        }
    }

    #[test]
    fn redact_in_masks_exactly_the_ranges() {
        let text = "ENV A=secret1 B=secret2";
        assert_eq!(redact_in(text, &[6..13]), "ENV A=******* B=secret2");
        assert_eq!(redact_in(text, &[16..23, 6..13]), "ENV A=******* B=*******");
        assert_eq!(redact_in(text, &[6..10, 8..13]), "ENV A=******* B=secret2"); // overlapping
        assert_eq!(redact_in(text, &[]), text);
        assert_eq!(redact_in(text, &[20..100]), "ENV A=secret1 B=secr***");
        assert_eq!(redact_in(text, &[5..5, 30..40]), text);
        assert_eq!(redact_in("k: |\n  a\r\n  b", &[3..13]), "k: *\n***\r\n***");
    }

    #[test]
    fn redact_in_is_utf8_safe() {
        let text = "pw=pässwörd ✓ end";
        // 'ä' is bytes 4..6: a range starting in its middle widens to the char.
        let out = redact_in(text, &[5..8]);
        assert_eq!(out, "pw=p****wörd ✓ end");
        assert_eq!(out.len(), text.len());
        let all = redact_in(text, &[0..text.len()]);
        assert!(all.bytes().all(|b| b == b'*'));
        assert_eq!(all.len(), text.len());
        // End inside '✓' (3 bytes).
        let k = text.find('✓').unwrap();
        let out = redact_in(text, &[k + 1..k + 2]);
        assert_eq!(out, text.replace('✓', "***"));
        // Whole tokens found by find_tokens are masked and nothing else.
        let s = format!("token: {} # ok", ghp());
        let ranges: Vec<_> = find_tokens(&s).into_iter().map(|m| m.range).collect();
        let masked = redact_in(&s, &ranges);
        assert_eq!(masked, format!("token: {} # ok", rep('*', 40)));
    }

    #[test]
    fn secret_files() {
        let cases: &[(&str, Option<&str>)] = &[
            ("id_rsa", Some("ssh-private-key")),
            ("/root/.ssh/id_ed25519", Some("ssh-private-key")),
            ("keys/id_ecdsa", Some("ssh-private-key")),
            ("id_dsa", Some("ssh-private-key")),
            ("id_rsa_deploy", Some("ssh-private-key")),
            ("id_rsa.pub", None),
            ("id_ed25519.pub", None),
            ("id_rsa_deploy.pub", None),
            (".ssh", Some("ssh-directory")),
            ("~/.ssh/", Some("ssh-directory")),
            ("server.key", Some("private-key-file")),
            ("tls/privkey.pem", Some("private-key-file")),
            ("key.pem", Some("private-key-file")),
            ("server.pem", Some("private-key-file")),
            ("*.pem", Some("private-key-file")),
            ("*.key", Some("private-key-file")),
            ("ca.pem", None),
            ("certs/fullchain.pem", None),
            ("cert.pem", None),
            ("rds-combined-ca-bundle.pem", None),
            ("nodesource.gpg.key", None),
            ("Release.key", None),
            ("public.key", None),
            ("ca-key.pem", Some("private-key-file")),
            ("cert.p12", Some("pkcs12-keystore")),
            ("site.PFX", Some("pkcs12-keystore")),
            ("keystore.jks", Some("java-keystore")),
            ("truststore.jks", None),
            ("db.kdbx", Some("keepass-database")),
            (".env", Some("dotenv-file")),
            ("app/.env", Some("dotenv-file")),
            (".env.production", Some("dotenv-file")),
            (".env.local", Some("dotenv-file")),
            (".env*", Some("dotenv-file")),
            (".env.example", None),
            (".env.sample", None),
            (".env.template", None),
            (".env.dist", None),
            ("env", None),
            (".envrc", None),
            ("credentials", Some("credentials-file")),
            ("credentials.json", Some("credentials-file")),
            (".aws/credentials", Some("aws-credentials")),
            ("/root/.aws/credentials", Some("aws-credentials")),
            (".aws", Some("aws-credentials")),
            (".npmrc", Some("npmrc")),
            (".pypirc", Some("pypirc")),
            (".netrc", Some("netrc")),
            (".git-credentials", Some("git-credentials")),
            (".docker/config.json", Some("docker-config")),
            ("config.json", None),
            (".kube/config", Some("kubeconfig")),
            ("kubeconfig", Some("kubeconfig")),
            ("config", None),
            ("secrets.yml", Some("secrets-file")),
            ("config/secrets.yaml", Some("secrets-file")),
            ("service-account.json", Some("gcp-service-account-key")),
            ("service-account-key.json", Some("gcp-service-account-key")),
            ("gcp-sa-key.json", Some("gcp-service-account-key")),
            ("package.json", None),
            ("tsconfig.json", None),
            ("keys.json", None),
            ("terraform.tfstate", Some("terraform-state")),
            ("C:\\Users\\me\\.ssh\\id_rsa", Some("ssh-private-key")),
            ("https://example.com/id_rsa", None),
            ("https://download.docker.com/linux/debian/gpg.key", None),
            (".", None),
            ("*", None),
            ("", None),
            ("src/", None),
            ("requirements.txt", None),
            ("monkey.py", None),
        ];
        for (p, want) in cases {
            assert_eq!(secret_file_kind(p), *want, "{p}");
        }
    }

    #[test]
    fn mask_hides_secret_named_values_in_every_form() {
        let cases = [
            (
                "ENV DB_PASSWORD=hunter22 X=1",
                "ENV DB_PASSWORD=******** X=1",
            ),
            (
                "      PASSWORD: \"two words\"",
                "      PASSWORD: \"*********\"",
            ),
            (
                "  api_key: plain value # note",
                "  api_key: *********** # note",
            ),
            (
                "{\"password\":\"hunter22\",\"user\":\"me\"}",
                "{\"password\":\"********\",\"user\":\"me\"}",
            ),
            ("LABEL password=hunter22", "LABEL password=********"),
            ("password := \"hunter22\"", "password := \"********\""),
            ("# token=abcd1234", "# token=********"),
            (
                "login --password hunter22 --user me",
                "login --password ******** --user me",
            ),
            ("login --password=hunter22", "login --password=********"),
            (
                "CMD [\"app\", \"--token\", \"hunter22\", \"-u\", \"me:hunter22\"]",
                "CMD [\"app\", \"--token\", \"********\", \"-u\", \"me:********\"]",
            ),
            (
                "curl -u admin:hunter22 https://x",
                "curl -u admin:******** https://x",
            ),
            (
                "Authorization: Bearer abcdefgh123",
                "Authorization: Bearer ***********",
            ),
            (
                "- name: DB_PASSWORD\n  value: hunter22\n",
                "- name: DB_PASSWORD\n  value: ********\n",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(mask(text), want, "{text}");
            assert_eq!(mask(text).len(), text.len());
        }
        // Not secrets: placeholders, references, ids, uid:gid, options, prose.
        for text in [
            "ENV DB_PASSWORD=${DB_PASSWORD}",
            "PASSWORD: changeme",
            "AWS_ACCESS_KEY_ID=abc123",
            "docker run -u 1000:1000 x",
            "docker build --secret id=npmrc,src=.npmrc .",
            "args: [\"--token\", \"--verbose\"]",
            "--token --verbose --password ${PW}",
            "- name: HOME\n  value: /root\n",
            "- name: API_TOKEN\n- name: LOG_LEVEL\n  value: debug\n",
            "ENV API_TOKEN holds a literal secret, PA**************",
            "if [ \"$token\" == x ]",
        ] {
            assert_eq!(mask(text), text, "{text}");
        }
    }

    #[test]
    fn an_unterminated_private_key_masks_the_body_that_follows() {
        let body = rep('Q', 40);
        let text = format!(
            "RUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > k && \\\n    echo \"{body}\" >> k\nUSER app\n"
        );
        let masked = mask(&text);
        assert!(!masked.contains(&body), "{masked}");
        assert!(masked.ends_with("USER app\n"), "{masked}");
    }

    #[test]
    fn redact_text_is_fixed_width_and_idempotent() {
        let t = ghp();
        let text = format!("image x/{t}/y and PASSWORD=hunter22");
        let once = redact_text(&text);
        assert_eq!(
            once,
            "image x/ghp_************/y and PASSWORD=****************"
        );
        assert_eq!(redact_text(&once), once);
    }

    #[test]
    fn redact_json_covers_keys_secret_data_history_and_split_keys() {
        let t = ghp();
        let body = rep('Q', 40);
        let mut v = serde_json::json!({
            "kind": "Secret",
            "data": {"tls.key": "c2VjcmV0LWRhdGE=", "x": "YQ=="},
            "stringData": {"config.json": "{}x"},
            "map": {t.clone(): "v"},
            "history": ["RUN curl -u admin:hunter22 https://x"],
            "labels": {"password": "abc"},
            "run": ["echo \"-----BEGIN RSA PRIVATE KEY-----\" > k", format!("echo {body} >> k")],
            "original": format!("RUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > k && echo {body} >> k"),
        });
        redact_json(&mut v);
        let text = v.to_string();
        for leak in [
            "c2VjcmV0LWRhdGE=",
            "YQ==",
            "{}x",
            t.as_str(),
            "hunter22",
            "\"abc\"",
            body.as_str(),
        ] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }

    #[test]
    fn secret_ranges_reads_crafted_lines_once() {
        // Each line would be quadratic if a value were read again for every
        // name before it; the timeout only guards against a hang.
        let inputs: Vec<String> = [
            "name: ",
            "password: $x ",
            "--password \"--password ",
            "\"password\":\"",
            "- name: API_TOKEN\n  value: ",
            "-u a:b -u ",
            "Bearer ",
        ]
        .iter()
        .map(|unit| unit.repeat((1 << 20) / unit.len()))
        .collect();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for text in &inputs {
                secret_ranges(text);
            }
            done.send(()).unwrap();
        });
        finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("secret_ranges finishes on 1 MiB crafted lines");
    }
}
