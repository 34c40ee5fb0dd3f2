//! Go's `path` functions (`base`, `dir`, `ext`, `clean`, `isAbs`, and the
//! `os…` forms, which are the same on Linux) and Sprig's `urlParse`,
//! `urlJoin`.

use super::super::value::{Map, Value};
use super::args::{self, exactly};

type R = Result<Value, String>;

fn one<'a>(name: &str, a: &'a [Value]) -> Result<&'a str, String> {
    exactly(name, a, 1)?;
    args::string(&a[0])
}

pub fn base(a: &[Value]) -> R {
    Ok(Value::str(go_base(one("base", a)?)))
}

pub fn dir(a: &[Value]) -> R {
    Ok(Value::str(go_dir(one("dir", a)?)))
}

pub fn ext(a: &[Value]) -> R {
    let p = one("ext", a)?;
    let name_start = p.rfind('/').map_or(0, |i| i + 1);
    Ok(Value::str(match p[name_start..].rfind('.') {
        Some(dot) => &p[name_start + dot..],
        None => "",
    }))
}

pub fn clean(a: &[Value]) -> R {
    Ok(Value::str(go_clean(one("clean", a)?)))
}

pub fn is_abs(a: &[Value]) -> R {
    Ok(Value::bool(one("isAbs", a)?.starts_with('/')))
}

/// `path.Base`.
fn go_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// `path.Dir`: everything before the last slash, cleaned.
fn go_dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    go_clean(&p[..cut])
}

/// `path.Clean`: `.` and `..` resolved lexically, slashes collapsed.
pub fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// A URL's parts as Go's `url.Parse` splits them.
struct Url {
    scheme: String,
    userinfo: String,
    host: String,
    path: String,
    opaque: String,
    query: String,
    fragment: String,
}

fn percent_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
            let Some(hex) = hex else {
                let end = (i + 3).min(s.len());
                return Err(format!(
                    "invalid URL escape \"{}\"",
                    s.get(i..end).unwrap_or("%")
                ));
            };
            out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn parse_url(raw: &str) -> Result<Url, String> {
    if raw.chars().any(|c| (c as u32) < 0x20 || c == '\x7f') {
        return Err("net/url: invalid control character in URL".into());
    }
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, percent_decode(f)?),
        None => (raw, String::new()),
    };
    let mut url = Url {
        scheme: String::new(),
        userinfo: String::new(),
        host: String::new(),
        path: String::new(),
        opaque: String::new(),
        query: String::new(),
        fragment,
    };
    let mut rest = rest;
    if let Some(colon) = rest.find(':') {
        let candidate = &rest[..colon];
        let valid = candidate.chars().enumerate().all(|(i, c)| {
            c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
        });
        if colon == 0 {
            return Err("missing protocol scheme".into());
        }
        if valid {
            url.scheme = candidate.to_ascii_lowercase();
            rest = &rest[colon + 1..];
        }
    }
    if let Some((r, q)) = rest.split_once('?') {
        url.query = q.to_string();
        rest = r;
    }
    if !url.scheme.is_empty() && !rest.starts_with('/') {
        url.opaque = rest.to_string();
        return Ok(url);
    }
    if url.scheme.is_empty() && !rest.starts_with('/') {
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if let Some(authority_and_path) = rest.strip_prefix("//") {
        let end = authority_and_path
            .find('/')
            .unwrap_or(authority_and_path.len());
        let authority = &authority_and_path[..end];
        rest = &authority_and_path[end..];
        match authority.rsplit_once('@') {
            Some((user, host)) => {
                url.userinfo = user.to_string();
                url.host = host.to_string();
            }
            None => url.host = authority.to_string(),
        }
    }
    url.path = percent_decode(rest)?;
    Ok(url)
}

fn hostname(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

pub fn url_parse(a: &[Value]) -> R {
    let raw = one("urlParse", a)?;
    let url = parse_url(raw).map_err(|e| format!("unable to parse url: parse \"{raw}\": {e}"))?;
    let mut map = Map::new();
    map.insert("fragment".into(), Value::str(url.fragment));
    map.insert("host".into(), Value::str(url.host.as_str()));
    map.insert("hostname".into(), Value::str(hostname(&url.host)));
    map.insert("opaque".into(), Value::str(url.opaque));
    map.insert("path".into(), Value::str(url.path));
    map.insert("query".into(), Value::str(url.query));
    map.insert("scheme".into(), Value::str(url.scheme));
    map.insert("userinfo".into(), Value::str(url.userinfo));
    Ok(Value::map(map))
}

/// Sprig's `urlJoin`: a URL from the parts `urlParse` gives.
pub fn url_join(a: &[Value]) -> R {
    exactly("urlJoin", a, 1)?;
    let map = args::map(&a[0])?;
    let part = |k: &str| -> String {
        map.and_then(|m| m.get(k))
            .map(args::strval)
            .unwrap_or_default()
    };
    let mut out = String::new();
    let scheme = part("scheme");
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    let opaque = part("opaque");
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        let host = part("host");
        let userinfo = part("userinfo");
        if !host.is_empty() || !scheme.is_empty() || !userinfo.is_empty() {
            out.push_str("//");
            if !userinfo.is_empty() {
                out.push_str(&userinfo);
                out.push('@');
            }
            out.push_str(&host);
        }
        let path = part("path");
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        out.push_str(&path);
    }
    let query = part("query");
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    let fragment = part("fragment");
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&fragment);
    }
    args::bounded(out)
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn call(name: &str, arg: Value) -> String {
        match find(name).unwrap()(&[arg]) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn paths_and_urls_match_helm() {
        let s = Value::str;
        for (name, arg, want) in [
            ("base", s("/a/b.txt"), "b.txt"),
            ("base", s("a/b/"), "b"),
            ("base", s(""), "."),
            ("base", s("/"), "/"),
            ("dir", s("/a/b.txt"), "/a"),
            ("dir", s("b.txt"), "."),
            ("ext", s("a/b.tar.gz"), ".gz"),
            ("ext", s("a.d/b"), ""),
            ("clean", s("a//b/../c/."), "a/c"),
            ("clean", s("/../a"), "/a"),
            ("clean", s("../../a"), "../../a"),
            ("isAbs", s("/a"), "true"),
            ("osBase", s("/a/b"), "b"),
            ("urlParse", s("https://user:pw@example.com:8443/a%20b/c?x=1&y=2#frag"), "map[fragment:frag host:example.com:8443 hostname:example.com opaque: path:/a b/c query:x=1&y=2 scheme:https userinfo:user:pw]"),
            ("urlParse", s("mailto:x@y.z"), "map[fragment: host: hostname: opaque:x@y.z path: query: scheme:mailto userinfo:]"),
            ("urlParse", s("/just/path"), "map[fragment: host: hostname: opaque: path:/just/path query: scheme: userinfo:]"),
        ] {
            assert_eq!(call(name, arg.clone()), want, "{name} {arg:?}");
        }
        let parts = find("urlParse").unwrap()(&[s("https://h:1/p?q=1#f")]).unwrap();
        assert_eq!(call("urlJoin", parts), "https://h:1/p?q=1#f");
    }
}
