//! Sprig's `semver` and `semverCompare`, with Masterminds/semver v3's
//! rules: loose versions (`v1.2`, `1`), constraints joined by `,` or space
//! (and) and `||` (or), hyphen ranges, `x`/`*` wildcards, `~`, `^`, and
//! pre-release versions matching only constraints that name a pre-release
//! (`>=1.19-0` admits `v1.30.2-eks-1552ad0`; `>=1.19` does not).

use super::super::value::{Object, Value};
use super::args::{self, exactly};
use super::fmt::quote;
use std::cmp::Ordering;
use std::sync::Arc;

type R = Result<Value, String>;

#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn identifiers_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// `semver.NewVersion` (loose): `v` prefix, missing minor and patch allowed.
pub fn parse_version(s: &str) -> Result<Version, String> {
    let invalid = || "invalid semantic version".to_string();
    let body = s.strip_prefix('v').unwrap_or(s);
    let (body, metadata) = match body.split_once('+') {
        Some((b, m)) => {
            if !identifiers_ok(m) {
                return Err(invalid());
            }
            (b, m)
        }
        None => (body, ""),
    };
    let (core, pre) = match body.split_once('-') {
        Some((c, p)) => {
            if !identifiers_ok(p) {
                return Err(invalid());
            }
            (c, p)
        }
        None => (body, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(invalid());
    }
    let mut numbers = [0u64; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        numbers[i] = p.parse().map_err(|_| invalid())?;
    }
    for part in pre.split('.').filter(|_| !pre.is_empty()) {
        if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
            return Err("version segment starts with 0".into());
        }
    }
    Ok(Version {
        major: numbers[0],
        minor: numbers[1],
        patch: numbers[2],
        pre: pre.to_string(),
        metadata: metadata.to_string(),
        original: s.to_string(),
    })
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => p.cmp(q),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

impl Version {
    fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| compare_prerelease(&self.pre, &o.pre))
    }

    fn text(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }
}

#[derive(Debug)]
struct Constraint {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

const OPERATORS: &[&str] = &[">=", "=>", "<=", "=<", "!=", "~>", ">", "<", "=", "~", "^"];

fn parse_constraint(text: &str) -> Result<Constraint, String> {
    let improper = || format!("improper constraint: {}", quote(text.trim()));
    let trimmed = text.trim();
    let op = OPERATORS
        .iter()
        .find(|op| trimmed.starts_with(**op))
        .copied()
        .unwrap_or("");
    let version = trimmed[op.len()..].trim_start();
    let version = version.strip_prefix('v').unwrap_or(version);
    let (core, tail) = match version.find(['-', '+']) {
        Some(i) => (&version[..i], &version[i..]),
        None => (version, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !(is_x(p) || p.bytes().all(|b| b.is_ascii_digit())))
    {
        return Err(improper());
    }
    let part = |i: usize| parts.get(i).copied().unwrap_or("");
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let normalized = if is_x(part(0)) {
        dirty = true;
        format!("0.0.0{tail}")
    } else if part(1).is_empty() || is_x(part(1)) {
        dirty = true;
        minor_dirty = true;
        format!("{}.0.0{tail}", part(0))
    } else if part(2).is_empty() || is_x(part(2)) {
        dirty = true;
        patch_dirty = true;
        format!("{}.{}.0{tail}", part(0), part(1))
    } else {
        format!("{core}{tail}")
    };
    let con = parse_version(&normalized).map_err(|_| improper())?;
    Ok(Constraint {
        op: op.to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        let c = &self.con;
        let pre_blocked = !v.pre.is_empty() && c.pre.is_empty();
        match self.op.as_str() {
            "" | "=" => {
                if pre_blocked {
                    return false;
                }
                if self.dirty {
                    return self.tilde(v);
                }
                v.compare(c) == Ordering::Equal
            }
            "!=" => {
                if self.dirty {
                    if pre_blocked {
                        return false;
                    }
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            ">" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                v.compare(c) == Ordering::Greater
            }
            "<" => !pre_blocked && v.compare(c) == Ordering::Less,
            ">=" | "=>" => !pre_blocked && v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            "~" | "~>" => !pre_blocked && self.tilde(v),
            "^" => !pre_blocked && self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

/// `a - b` ranges rewritten as `>= a, <= b`, as Masterminds does first.
fn rewrite_ranges(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 2 < words.len() && words[i + 1] == "-" && !words[i].ends_with(',') {
            out.push(format!(">= {},", words[i]));
            out.push(format!("<= {}", words[i + 2]));
            i += 3;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Masterminds' `NewConstraint(text).Check(version)`.
pub fn constraint_matches(constraint: &str, version: &Version) -> Result<bool, String> {
    let rewritten = rewrite_ranges(constraint);
    let mut any = false;
    for group in rewritten.split("||") {
        let mut tokens: Vec<String> = Vec::new();
        let mut pending_op: Option<String> = None;
        for word in group.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
            if OPERATORS.contains(&word) {
                pending_op = Some(word.to_string());
                continue;
            }
            tokens.push(match pending_op.take() {
                Some(op) => format!("{op}{word}"),
                None => word.to_string(),
            });
        }
        if pending_op.is_some() || tokens.is_empty() {
            return Err(format!("improper constraint: {}", quote(group.trim())));
        }
        let constraints = tokens
            .iter()
            .map(|t| parse_constraint(t))
            .collect::<Result<Vec<_>, _>>()?;
        if !any && constraints.iter().all(|c| c.check(version)) {
            any = true;
        }
    }
    Ok(any)
}

pub fn semver_compare(a: &[Value]) -> R {
    exactly("semverCompare", a, 2)?;
    let constraint = args::string(&a[0])?;
    let version = parse_version(args::string(&a[1])?)?;
    Ok(Value::bool(constraint_matches(constraint, &version)?))
}

/// A `*semver.Version`: prints as its normalised text, with the methods
/// templates call (`.Major`, `.Minor`, `.Patch`, `.Prerelease`,
/// `.Metadata`, `.Original`, `.String`).
impl Object for Version {
    fn type_name(&self) -> &'static str {
        "*semver.Version"
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !args.is_empty() {
            return None;
        }
        Some(Ok(match name {
            "Major" => Value::int(self.major as i64),
            "Minor" => Value::int(self.minor as i64),
            "Patch" => Value::int(self.patch as i64),
            "Prerelease" => Value::str(self.pre.as_str()),
            "Metadata" => Value::str(self.metadata.as_str()),
            "Original" => Value::str(self.original.as_str()),
            "String" => Value::str(self.text()),
            _ => return None,
        }))
    }

    fn display(&self) -> String {
        self.text()
    }
}

/// Sprig's `semver`: the parsed version (`(semver "v1.2.3").Minor` is 2).
pub fn semver(a: &[Value]) -> R {
    exactly("semver", a, 1)?;
    let v = parse_version(args::string(&a[0])?)?;
    Ok(Value::object(Arc::new(v)))
}

#[cfg(test)]
mod tests {
    use super::super::super::value::Kind;
    use super::*;

    /// Cases from Masterminds/semver's constraint tests and Helm charts'
    /// common checks, confirmed with Helm v4.2.3.
    #[test]
    fn constraints_match_masterminds() {
        for (constraint, version, want) in [
            (">=1.19-0", "v1.30.2-eks-1552ad0", true),
            (">=1.19-0", "v1.31.0", true),
            (">=1.19", "v1.30.2-eks-1552ad0", false),
            (">=1.19.0", "1.18.9", false),
            ("<1.19-0", "v1.18.20-gke.100", true),
            ("^1.2.3", "1.8.0", true),
            ("^1.2.3", "2.0.0", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("~1", "1.9.0", true),
            ("1.2.x", "1.2.7", true),
            ("1.2.x", "1.3.0", false),
            ("*", "3.1.4", true),
            (">1.1 <2 || 3.x", "3.5.0", true),
            (">1.1, <2", "2.0.0", false),
            ("1.1 - 2", "1.5.0", true),
            ("1.1 - 2", "2.1.0", true),
            ("1.1 - 2.0.0", "2.1.0", false),
            ("!=1.2.3", "1.2.3", false),
            ("!=1.2.x", "1.3.0", true),
            (">11", "11.1.0", false),
            ("<=1.2", "1.2.9", true),
            (">= 1.21.0-0", "v1.21.0", true),
            ("=1.2.3", "1.2.3+build", true),
        ] {
            let v = parse_version(version).unwrap();
            assert_eq!(
                constraint_matches(constraint, &v),
                Ok(want),
                "{constraint} {version}"
            );
        }
    }

    #[test]
    fn bad_versions_and_constraints_are_errors() {
        assert_eq!(
            parse_version("1.2.3.4"),
            Err("invalid semantic version".into())
        );
        assert!(parse_version("abc").is_err());
        let v = parse_version("1.0.0").unwrap();
        assert_eq!(
            constraint_matches("", &v),
            Err("improper constraint: \"\"".into())
        );
        assert_eq!(
            constraint_matches(">1 <2 ||", &v),
            Err("improper constraint: \"\"".into())
        );
        assert_eq!(
            constraint_matches(">=abc", &v),
            Err("improper constraint: \">=abc\"".into())
        );
        let f = super::super::find("semverCompare").unwrap();
        assert_eq!(
            f(&[Value::str(">=1.0"), Value::str("x")]),
            Err("invalid semantic version".into())
        );
        let s = super::super::find("semver").unwrap()(&[Value::str("v1.2.3-rc.1+b")]).unwrap();
        assert_eq!(s.to_string(), "1.2.3-rc.1+b");
        let Kind::Object(o) = &s.kind else {
            panic!("semver gives an object")
        };
        assert_eq!(o.call("Minor", &[]), Some(Ok(Value::int(2))));
        assert_eq!(o.call("Prerelease", &[]), Some(Ok(Value::str("rc.1"))));
    }
}
