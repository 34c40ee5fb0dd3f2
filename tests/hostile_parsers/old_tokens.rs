//! `secrets::find_tokens` as it was before it was made linear (commit
//! 54a36dc), kept verbatim to check that the linear one finds exactly the
//! same tokens on real files.
#![allow(dead_code, clippy::all)]

use container_policy::secrets::{is_placeholder, TokenMatch};
use std::ops::Range;

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
pub fn find_tokens(s: &str) -> Vec<TokenMatch> {
    let b = s.as_bytes();
    let n = b.len();
    let mut out: Vec<TokenMatch> = Vec::new();
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
                let len = run(b, i + 5, 512, |c| c.is_ascii_alphanumeric() || c == b'-');
                let body = &b[i + 5..i + 5 + len];
                (len >= 10 && body.iter().any(u8::is_ascii_digit))
                    .then(|| ("slack-token", i..i + 5 + len))
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
            b'e' if left_ok && rest.starts_with(b"eyJ") => jwt(b, i),
            b'S' if left_ok && rest.len() >= 34 && rest[1] == b'K' => {
                let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
                exact(b, i + 2, 32, hex, is_alnum).map(|e| ("twilio-api-key", i..e))
            }
            b'-' if rest.starts_with(b"-----BEGIN ") => private_key(s, i),
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
    out
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

fn jwt(b: &[u8], i: usize) -> Option<(&'static str, Range<usize>)> {
    let h = run(b, i, 4096, b64url);
    if h < 10 || b.get(i + h) != Some(&b'.') {
        return None;
    }
    let p = i + h + 1;
    if !b[p..].starts_with(b"eyJ") {
        return None;
    }
    let pl = run(b, p, 1 << 16, b64url);
    if pl < 10 || b.get(p + pl) != Some(&b'.') {
        return None;
    }
    let sg = p + pl + 1;
    let sl = run(b, sg, 4096, b64url);
    (sl >= 10).then(|| ("jwt", i..sg + sl))
}

fn private_key(s: &str, i: usize) -> Option<(&'static str, Range<usize>)> {
    let b = s.as_bytes();
    let label_start = i + 11;
    let len = run(b, label_start, 64, |c| c.is_ascii_uppercase() || c == b' ');
    let label = &s[label_start..label_start + len];
    let after = label_start + len;
    if !b[after..].starts_with(b"-----")
        || !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK"))
    {
        return None;
    }
    let header_end = after + 5;
    // Through the END line of the same label, if there.
    let end_marker = format!("-----END {label}-----");
    let end = match s[header_end..].find(&end_marker) {
        Some(k) => header_end + k + end_marker.len(),
        None => header_end,
    };
    Some(("private-key", i..end))
}

/// `i` is at "LS0tLS1CRUdJTi" (base64 of "-----BEGIN "): a base64-encoded PEM
/// private key, as in a Kubernetes Secret's `data`. Range: the base64 run.
fn private_key_base64(b: &[u8], i: usize) -> Option<(&'static str, Range<usize>)> {
    let len = run(b, i, usize::MAX, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')
    });
    let head = &b[i..i + len.min(96)];
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
        .then(|| ("private-key-base64", i..i + len))
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
    while j < b.len() {
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
