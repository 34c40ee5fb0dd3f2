//! HTTP GET and TCP connect probes, sent from this host with a timeout per
//! attempt. A probe is explicit (`--probe URL`: the user named the target)
//! or declared (a Kubernetes `httpGet`/`tcpSocket` probe or a compose
//! healthcheck that calls a URL, probed only with `--probe-declared` and
//! only on a loopback address). Nothing else is ever contacted.
//!
//! Options go in the URL's fragment, which is never sent:
//! `http://127.0.0.1:8080/health#status=200-299&timeout=2s&max-latency=300ms&retries=2&contains=ok`.

use serde::Serialize;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Statuses that pass when a probe names none: what Kubernetes accepts.
pub const DEFAULT_STATUS: &str = "200-399";
/// Most of a response body read (for `contains`).
const MAX_BODY: usize = 64 * 1024;

pub use crate::finding::ProbeScheme as Scheme;

/// One probe to run.
#[derive(Debug, Clone)]
pub struct Spec {
    /// As the user wrote it, or as built from a declaration.
    pub text: String,
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
    /// HTTP path and query, starting with `/`.
    pub path: String,
    /// HTTP headers to send besides Host (a declared probe's `httpHeaders`).
    pub headers: Vec<(String, String)>,
    /// Passing status ranges (inclusive).
    pub status: Vec<(u16, u16)>,
    pub timeout: Duration,
    pub max_latency: Option<Duration>,
    /// Attempts after the first failure.
    pub retries: u32,
    pub interval: Duration,
    /// The body must contain this text.
    pub contains: Option<String>,
}

impl Spec {
    /// `http://HOST:PORT/PATH` or `tcp://HOST:PORT`, with options in the fragment.
    pub fn parse(text: &str, default_timeout: Duration) -> Result<Spec, String> {
        let (url, options) = match text.split_once('#') {
            Some((u, o)) => (u, o),
            None => (text, ""),
        };
        let (scheme, rest) = if let Some(r) = url.strip_prefix("http://") {
            (Scheme::Http, r)
        } else if let Some(r) = url.strip_prefix("tcp://") {
            (Scheme::Tcp, r)
        } else if url.starts_with("https://") {
            return Err(format!(
                "`{text}`: https probes are not supported; probe the service's plain HTTP port, or use tcp://HOST:PORT"
            ));
        } else {
            return Err(format!(
                "`{text}`: a probe is http://HOST:PORT/PATH or tcp://HOST:PORT"
            ));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path
        };
        if scheme == Scheme::Tcp && path != "/" {
            return Err(format!("`{text}`: a tcp probe has no path"));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| {
            format!("`{text}`: write the host and port, e.g. http://127.0.0.1:8080/health")
        })?;
        let mut spec = Spec {
            text: text.to_string(),
            scheme,
            host,
            port,
            path,
            headers: Vec::new(),
            status: parse_status(DEFAULT_STATUS).expect("valid default"),
            timeout: default_timeout,
            max_latency: None,
            retries: 0,
            interval: Duration::from_secs(1),
            contains: None,
        };
        for option in options.split('&').filter(|o| !o.is_empty()) {
            let (key, value) = option.split_once('=').unwrap_or((option, ""));
            let bad = |what: &str| format!("`{text}`: {key}={value}: {what}");
            match key {
                "status" => spec.status = parse_status(value).ok_or_else(|| bad("expected statuses like 200, 200-299 or 200,204"))?,
                "timeout" => spec.timeout = parse_duration(value).ok_or_else(|| bad("expected a duration like 2s or 500ms"))?,
                "max-latency" => spec.max_latency = Some(parse_duration(value).ok_or_else(|| bad("expected a duration like 300ms"))?),
                "retries" => spec.retries = value.parse().map_err(|_| bad("expected a number"))?,
                "interval" => spec.interval = parse_duration(value).ok_or_else(|| bad("expected a duration like 1s"))?,
                "contains" => spec.contains = Some(percent_decode(value).map_err(|e| bad(&e))?),
                _ => return Err(format!(
                    "`{text}`: unknown probe option `{key}`; options are status, timeout, max-latency, retries, interval, contains"
                )),
            }
        }
        if spec.retries > 20 {
            return Err(format!("`{text}`: at most 20 retries"));
        }
        Ok(spec)
    }

    /// The target without options: `http://127.0.0.1:8080/health`.
    pub fn target(&self) -> String {
        match self.scheme {
            Scheme::Http => format!("http://{}{}", host_port(&self.host, self.port), self.path),
            Scheme::Tcp | Scheme::Exec => format!("tcp://{}", host_port(&self.host, self.port)),
        }
    }
}

fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn split_host_port(authority: &str) -> Option<(String, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (h, p) = rest.split_once("]:")?;
        (h, p)
    } else {
        authority.rsplit_once(':')?
    };
    let port: u16 = port.parse().ok()?;
    (!host.is_empty() && port > 0).then(|| (host.to_string(), port))
}

fn parse_status(text: &str) -> Option<Vec<(u16, u16)>> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            let (lo, hi) = part.split_once('-').unwrap_or((part, part));
            let (lo, hi): (u16, u16) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
            ((100..=599).contains(&lo) && (lo..=599).contains(&hi)).then_some((lo, hi))
        })
        .collect()
}

/// `2s`, `500ms`, `1.5s`, `1m`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, "s"),
    };
    let n: f64 = number.parse().ok()?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    (secs.is_finite() && secs > 0.0 && secs <= 3600.0).then(|| Duration::from_secs_f64(secs))
}

/// `%XX` escapes and `+` for a space, as in a form. Works on bytes: an
/// escape may be cut by a multi-byte character (`%aé`), which is an error.
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) else {
                    return Err(
                        "`%` must start an escape of two hex digits (write a percent sign as %25)"
                            .into(),
                    );
                };
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the escapes do not decode to UTF-8 text".to_string())
}

/// Is this host a loopback address (`127.0.0.0/8`, `::1`, `localhost`)?
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What a probe did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub passed: bool,
    /// `200 OK in 3 ms`, `connection refused`, `status 503, expected 200-399`.
    pub message: String,
    /// What failed, without timings (a finding's message must not change
    /// from run to run, or baselines would not match it).
    #[serde(skip)]
    pub reason: String,
    /// HTTP status of the last attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Milliseconds of the last attempt that got an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    pub attempts: u32,
    /// The `deadline` given to [`run`] came before the probe could pass or
    /// fail on its own terms: its result is unknown.
    #[serde(skip)]
    pub stopped: bool,
}

/// Runs a probe: the first attempt, then up to `retries` more after a
/// failure, `interval` apart; nothing waits past `deadline`.
pub fn run(spec: &Spec, deadline: Instant) -> Outcome {
    let mut attempts = 0;
    loop {
        if Instant::now() >= deadline {
            return stopped(attempts);
        }
        attempts += 1;
        let mut outcome = attempt(spec, deadline);
        outcome.attempts = attempts;
        if outcome.stopped {
            return outcome;
        }
        if outcome.passed || attempts > spec.retries {
            if !outcome.passed && attempts > 1 {
                outcome.message = format!("{} ({attempts} attempts)", outcome.message);
                outcome.reason = format!("{} ({attempts} attempts)", outcome.reason);
            }
            return outcome;
        }
        if Instant::now() + spec.interval >= deadline {
            return stopped(attempts);
        }
        std::thread::sleep(spec.interval);
    }
}

fn stopped(attempts: u32) -> Outcome {
    let message = "stopped at the deadline of the runtime stage".to_string();
    Outcome {
        reason: message.clone(),
        message,
        attempts,
        stopped: true,
        ..failed(String::new())
    }
}

fn addresses(spec: &Spec) -> Result<Vec<SocketAddr>, String> {
    if spec.host.eq_ignore_ascii_case("localhost") {
        // Never ask a resolver about localhost.
        return Ok(vec![SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            spec.port,
        )]);
    }
    let host = spec.host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, spec.port)]);
    }
    (host, spec.port)
        .to_socket_addrs()
        .map(|a| a.collect())
        .map_err(|e| format!("cannot resolve {host}: {e}"))
}

fn failed(message: String) -> Outcome {
    Outcome {
        passed: false,
        reason: message.clone(),
        message,
        status: None,
        latency_ms: None,
        attempts: 1,
        stopped: false,
    }
}

fn connect(spec: &Spec, deadline: Instant) -> Result<TcpStream, String> {
    let addrs = addresses(spec)?;
    let mut last = format!("{} has no address", spec.host);
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("no connection within {}", show(spec.timeout)));
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last = format!("no connection within {}", show(spec.timeout));
            }
            Err(e) => last = connect_error(&e),
        }
    }
    Err(last)
}

fn connect_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        _ => e.to_string(),
    }
}

/// `3 ms`, `1.2 s`.
fn show(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// One attempt within the probe's timeout, or what is left before
/// `stage_deadline` when that comes first: a failure then is no verdict.
fn attempt(spec: &Spec, stage_deadline: Instant) -> Outcome {
    let start = Instant::now();
    let own = start + spec.timeout;
    let outcome = attempt_until(spec, start, own.min(stage_deadline));
    if !outcome.passed && stage_deadline < own && Instant::now() >= stage_deadline {
        return stopped(1);
    }
    outcome
}

fn attempt_until(spec: &Spec, start: Instant, deadline: Instant) -> Outcome {
    let stream = match connect(spec, deadline) {
        Ok(s) => s,
        Err(message) => return failed(message),
    };
    if spec.scheme == Scheme::Tcp {
        let took = start.elapsed();
        return judge_latency(spec, took, None, format!("connected in {}", show(took)));
    }
    match http_get(spec, stream, deadline) {
        Ok((status, reason, body)) => {
            let took = start.elapsed();
            let ok = spec
                .status
                .iter()
                .any(|(lo, hi)| (*lo..=*hi).contains(&status));
            if !ok {
                let mut out = failed(format!(
                    "status {status}{}, expected {}",
                    if reason.is_empty() {
                        String::new()
                    } else {
                        format!(" {reason}")
                    },
                    status_text(&spec.status)
                ));
                out.status = Some(status);
                out.latency_ms = Some(took.as_millis() as u64);
                return out;
            }
            if let Some(want) = &spec.contains {
                if !body.contains(want.as_str()) {
                    let mut out = failed(format!(
                        "status {status}, but the body does not contain {want:?}"
                    ));
                    out.status = Some(status);
                    out.latency_ms = Some(took.as_millis() as u64);
                    return out;
                }
            }
            let summary = format!(
                "{status}{} in {}",
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" {reason}")
                },
                show(took)
            );
            judge_latency(spec, took, Some(status), summary)
        }
        Err(message) => failed(message),
    }
}

fn judge_latency(spec: &Spec, took: Duration, status: Option<u16>, summary: String) -> Outcome {
    let slow = spec.max_latency.filter(|max| took > *max);
    Outcome {
        passed: slow.is_none(),
        reason: match (slow, status) {
            (Some(max), Some(status)) => {
                format!("answered {status} slower than the {} allowed", show(max))
            }
            (Some(max), None) => format!("connected slower than the {} allowed", show(max)),
            (None, _) => String::new(),
        },
        message: match slow {
            Some(max) => format!("{summary}, slower than the {} allowed", show(max)),
            None => summary,
        },
        status,
        latency_ms: Some(took.as_millis() as u64),
        attempts: 1,
        stopped: false,
    }
}

fn status_text(ranges: &[(u16, u16)]) -> String {
    ranges
        .iter()
        .map(|(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A minimal HTTP/1.1 GET: `Connection: close`, the status line, headers,
/// and at most [`MAX_BODY`] bytes of body.
fn http_get(
    spec: &Spec,
    mut stream: TcpStream,
    deadline: Instant,
) -> Result<(u16, String, String), String> {
    let left = || {
        let d = deadline.saturating_duration_since(Instant::now());
        (!d.is_zero()).then_some(d)
    };
    let timeout_error = || format!("no answer within {}", show(spec.timeout));
    stream
        .set_write_timeout(left())
        .map_err(|e| e.to_string())?;
    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: policy/{}\r\nAccept: */*\r\nConnection: close\r\n",
        spec.path,
        host_port(&spec.host, spec.port),
        env!("CARGO_PKG_VERSION")
    );
    for (name, value) in &spec.headers {
        if !name.contains(['\r', '\n', ':']) && !value.contains(['\r', '\n']) {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        let Some(remaining) = left() else {
            return Err(timeout_error());
        };
        stream
            .set_read_timeout(Some(remaining))
            .map_err(|e| e.to_string())?;
        match stream.read(&mut buf) {
            Ok(0) => match find_header_end(&response) {
                Some(end) => break end,
                None if response.is_empty() => {
                    return Err("the connection closed without a response".into())
                }
                None => return Err("the response ended inside its headers".into()),
            },
            Ok(n) => {
                response.extend_from_slice(&buf[..n]);
                if let Some(end) = find_header_end(&response) {
                    break end;
                }
                if response.len() > MAX_BODY {
                    return Err("the response headers are too long".into());
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(timeout_error())
            }
            Err(e) => return Err(format!("cannot read the response: {e}")),
        }
    };
    let head = String::from_utf8_lossy(&response[..header_end]).to_string();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|_| version.starts_with("HTTP/"))
        .ok_or_else(|| format!("not an HTTP response: {:?}", truncate(status_line, 60)))?;
    let reason = parts.next().unwrap_or("").trim().to_string();
    let length: Option<usize> = lines.find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse().ok())
            .flatten()
    });
    let mut body = response[header_end..].to_vec();
    // The body only matters for `contains`; it is read within the deadline.
    if spec.contains.is_some() {
        while body.len() < MAX_BODY && length.is_none_or(|n| body.len() < n) {
            let Some(remaining) = left() else { break };
            if stream.set_read_timeout(Some(remaining)).is_err() {
                break;
            }
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => body.extend_from_slice(&buf[..n]),
            }
        }
    }
    Ok((status, reason, String::from_utf8_lossy(&body).into_owned()))
}

fn find_header_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2))
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn run_now(spec: &Spec) -> Outcome {
        run(spec, Instant::now() + Duration::from_secs(60))
    }

    fn spec(text: &str) -> Spec {
        Spec::parse(text, Duration::from_secs(2)).unwrap()
    }

    #[test]
    fn parses_targets_and_options() {
        let s = spec("http://127.0.0.1:8080/health?full=1#status=200,204-206&timeout=500ms&max-latency=1s&retries=2&contains=ok%21");
        assert_eq!(s.target(), "http://127.0.0.1:8080/health?full=1");
        assert_eq!(s.status, vec![(200, 200), (204, 206)]);
        assert_eq!(s.timeout, Duration::from_millis(500));
        assert_eq!(s.max_latency, Some(Duration::from_secs(1)));
        assert_eq!(s.retries, 2);
        assert_eq!(s.contains.as_deref(), Some("ok!"));
        assert_eq!(spec("tcp://[::1]:5432").target(), "tcp://[::1]:5432");
        assert_eq!(spec("http://localhost:80").path, "/");
        for bad in [
            "ftp://x:1",
            "http://127.0.0.1/health",
            "tcp://127.0.0.1:5432/x",
            "http://127.0.0.1:80/#status=99",
            "http://127.0.0.1:80/#colour=red",
            "https://127.0.0.1:443/",
        ] {
            assert!(Spec::parse(bad, Duration::from_secs(1)).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["10.0.0.1", "example.com", "0.0.0.0"] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    /// A server on 127.0.0.1 that answers each connection with `reply`.
    fn serve(reply: &'static str) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut stream = stream;
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        port
    }

    #[test]
    fn http_status_body_and_refusal() {
        let ok = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        let r = run_now(&spec(&format!("http://127.0.0.1:{ok}/health#contains=ok")));
        assert!(r.passed, "{r:?}");
        assert_eq!(r.status, Some(200));
        let r = run_now(&spec(&format!(
            "http://127.0.0.1:{ok}/health#contains=ready"
        )));
        assert!(!r.passed);
        assert!(r.message.contains("does not contain"), "{}", r.message);

        let down = serve("HTTP/1.1 503 Service Unavailable\r\n\r\n");
        let r = run_now(&spec(&format!(
            "http://127.0.0.1:{down}/#retries=1&interval=10ms"
        )));
        assert!(!r.passed);
        assert_eq!(r.attempts, 2);
        assert_eq!(
            r.message,
            "status 503 Service Unavailable, expected 200-399 (2 attempts)"
        );

        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let r = run_now(&spec(&format!("tcp://127.0.0.1:{closed}")));
        assert_eq!(r.message, "connection refused");
        let r = run_now(&spec(&format!("tcp://127.0.0.1:{ok}")));
        assert!(r.passed, "{r:?}");
        assert!(r.message.starts_with("connected in"));
    }

    #[test]
    fn silence_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let r = run_now(&spec(&format!("http://127.0.0.1:{port}/#timeout=200ms")));
        assert_eq!(r.message, "no answer within 200 ms");
        drop(listener);
    }

    #[test]
    fn escapes_cut_by_a_character_are_an_error_naming_the_probe() {
        for bad in ["%aé", "%é", "%a", "%", "ok%", "%zz", "%ff%fe"] {
            let text = format!("http://127.0.0.1:1/#contains={bad}");
            let e = Spec::parse(&text, Duration::from_secs(1)).unwrap_err();
            assert!(e.starts_with(&format!("`{text}`: contains=")), "{e}");
        }
        assert_eq!(
            spec("http://127.0.0.1:1/#contains=%C3%A9+%25")
                .contains
                .as_deref(),
            Some("é %")
        );
    }

    #[test]
    fn no_probe_text_panics() {
        // Multi-byte characters at every place an option is cut.
        let parts = [
            "", "é", "%", "%a", "%é", "#", "&", "=", ":", "[", "]", "/", "?", "1", "ms", ".", "-",
            ",",
        ];
        let keys = [
            "",
            "status=",
            "timeout=",
            "max-latency=",
            "retries=",
            "interval=",
            "contains=",
        ];
        for prefix in [
            "http://127.0.0.1:1/",
            "tcp://[::1]:1",
            "http://é:1",
            "http://[é]:é/",
        ] {
            for key in keys {
                for a in parts {
                    for b in parts {
                        let _ =
                            Spec::parse(&format!("{prefix}#{key}{a}{b}"), Duration::from_secs(1));
                        let _ = Spec::parse(&format!("{prefix}{a}{b}"), Duration::from_secs(1));
                    }
                }
            }
        }
    }

    #[test]
    fn the_stage_deadline_stops_a_probe_before_its_own_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let s = spec(&format!("http://127.0.0.1:{port}/#timeout=60s&retries=3"));
        let r = run(&s, Instant::now() + Duration::from_millis(200));
        assert!(r.stopped && !r.passed, "{r:?}");
        assert_eq!(r.message, "stopped at the deadline of the runtime stage");
        // A probe that fails on its own before the deadline is a verdict.
        let r = run(
            &spec(&format!("http://127.0.0.1:{port}/#timeout=100ms")),
            Instant::now() + Duration::from_secs(60),
        );
        assert!(!r.stopped && !r.passed, "{r:?}");
        drop(listener);
    }
}
