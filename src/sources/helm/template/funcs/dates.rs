//! Sprig's date functions, deterministic: `now` is always [`NOW_UNIX`]
//! (2024-01-01T00:00:00Z), and every zone, `Local` included, is UTC. So a
//! chart that stamps the render time renders the same on every run (and
//! differently from Helm, whose `now` is the wall clock).

use super::super::{Object, Value};
use super::args::{self, at_least, exactly};
use std::fmt::Write as _;
use std::sync::Arc;

type R = Result<Value, String>;

/// The instant `now` returns: 2024-01-01T00:00:00Z, in Unix seconds.
pub const NOW_UNIX: i64 = 1_704_067_200;

const NANOS: i128 = 1_000_000_000;

/// A Go `time.Time`: nanoseconds since the Unix epoch, and the fixed zone
/// offset it prints in (0, UTC, except for a time `toDate` read with one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Time {
    pub nanos: i128,
    pub offset: i32,
}

impl Time {
    pub fn value(self) -> Value {
        Value::object(Arc::new(self))
    }

    fn utc(nanos: i128) -> Time {
        Time { nanos, offset: 0 }
    }

    fn seconds(self) -> i64 {
        self.nanos.div_euclid(NANOS) as i64
    }

    /// The same instant in UTC, as Sprig's functions print it (every zone,
    /// `Local` included, is UTC here).
    fn in_utc(self) -> Time {
        Time::utc(self.nanos)
    }

    fn subsec(self) -> u32 {
        self.nanos.rem_euclid(NANOS) as u32
    }

    /// Go's `Time.Format` for a UTC time.
    pub fn format(self, layout: &str) -> String {
        format_time(self, layout)
    }
}

impl Object for Time {
    fn type_name(&self) -> &'static str {
        "time.Time"
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let civil = Civil::of(*self);
        Some(Ok(match (name, args) {
            ("Unix", []) => Value::int(self.seconds()),
            ("UnixNano", []) => Value::int(self.nanos as i64),
            ("Year", []) => Value::int(civil.year),
            ("Month", []) => Value::int(civil.month as i64),
            ("Day", []) => Value::int(civil.day as i64),
            ("Hour", []) => Value::int(civil.hour as i64),
            ("Minute", []) => Value::int(civil.minute as i64),
            ("Second", []) => Value::int(civil.second as i64),
            ("UTC" | "Local", []) => self.value(),
            ("String", []) => Value::str(self.display()),
            ("Format", [layout]) => match args::string(layout) {
                Ok(l) => Value::str(self.format(l)),
                Err(e) => return Some(Err(e)),
            },
            _ => return None,
        }))
    }

    fn display(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }
}

/// How `encoding/json` writes an object: a `time.Time` in RFC 3339 with
/// nanoseconds (`2024-01-01T00:00:00Z`), anything else as it prints.
pub fn json_text(o: &dyn Object) -> String {
    if o.type_name() == "time.Time" {
        let layout = Value::str("2006-01-02T15:04:05.999999999Z07:00");
        if let Some(Ok(v)) = o.call("Format", &[layout]) {
            return v.to_string();
        }
    }
    o.display()
}

/// Calendar fields of a UTC instant.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: u32,
    yday: u32,
}

impl Civil {
    fn of(t: Time) -> Civil {
        let secs = t.seconds() + t.offset as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = if month <= 2 { y + 1 } else { y };
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month as usize - 1];
        let yday = before + day + u32::from(leap && month > 2);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
            weekday: (days + 4).rem_euclid(7) as u32,
            yday,
        }
    }
}

/// Days in `month` (1–12) of the proleptic Gregorian `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Layout elements of Go's reference time, longest first where one is a
/// prefix of another.
const TOKENS: &[&str] = &[
    "January",
    "Jan",
    "Monday",
    "Mon",
    "MST",
    "2006",
    "002",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "15",
    "__2",
    "_2",
    "1",
    "2",
    "3",
    "4",
    "5",
    "PM",
    "pm",
    "-07:00:00",
    "-070000",
    "-07:00",
    "-0700",
    "-07",
    "Z07:00:00",
    "Z070000",
    "Z07:00",
    "Z0700",
    "Z07",
];

/// The next layout element at the start of `rest`: a token, a fractional
/// second (`.000`, `.999`), or `None` for a literal character.
fn token_at(rest: &str) -> Option<&str> {
    let b = rest.as_bytes();
    if matches!(b.first(), Some(b'.' | b',')) && matches!(b.get(1), Some(b'0' | b'9')) {
        let digit = b[1];
        let n = b[1..].iter().take_while(|&&c| c == digit).count();
        if !b.get(1 + n).is_some_and(u8::is_ascii_digit) {
            return Some(&rest[..1 + n]);
        }
    }
    TOKENS.iter().find(|t| rest.starts_with(**t)).copied()
}

/// A zone offset as `+hhmm`, `+hh:mm` or with seconds.
fn zone(offset: i32, colon: &str, seconds: bool) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.unsigned_abs();
    let mut text = format!("{sign}{:02}{colon}{:02}", o / 3600, o % 3600 / 60);
    if seconds {
        text.push_str(&format!("{colon}{:02}", o % 60));
    }
    text
}

fn format_time(t: Time, layout: &str) -> String {
    let c = Civil::of(t);
    let mut out = String::new();
    let mut rest = layout;
    while let Some(ch) = rest.chars().next() {
        let Some(token) = token_at(rest) else {
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
            continue;
        };
        rest = &rest[token.len()..];
        let hour12 = if c.hour % 12 == 0 { 12 } else { c.hour % 12 };
        let _ = match token {
            "January" => write!(out, "{}", MONTHS[c.month as usize - 1]),
            "Jan" => write!(out, "{}", &MONTHS[c.month as usize - 1][..3]),
            "Monday" => write!(out, "{}", DAYS[c.weekday as usize]),
            "Mon" => write!(out, "{}", &DAYS[c.weekday as usize][..3]),
            "MST" if t.offset == 0 => write!(out, "UTC"),
            "MST" => write!(out, "{}", zone(t.offset, "", false)),
            "2006" => write!(out, "{:04}", c.year),
            "06" => write!(out, "{:02}", c.year.rem_euclid(100)),
            "002" => write!(out, "{:03}", c.yday),
            "__2" => write!(out, "{:>3}", c.yday),
            "01" => write!(out, "{:02}", c.month),
            "1" => write!(out, "{}", c.month),
            "02" => write!(out, "{:02}", c.day),
            "_2" => write!(out, "{:>2}", c.day),
            "2" => write!(out, "{}", c.day),
            "15" => write!(out, "{:02}", c.hour),
            "03" => write!(out, "{hour12:02}"),
            "3" => write!(out, "{hour12}"),
            "04" => write!(out, "{:02}", c.minute),
            "4" => write!(out, "{}", c.minute),
            "05" => write!(out, "{:02}", c.second),
            "5" => write!(out, "{}", c.second),
            "PM" => write!(out, "{}", if c.hour >= 12 { "PM" } else { "AM" }),
            "pm" => write!(out, "{}", if c.hour >= 12 { "pm" } else { "am" }),
            z if z.starts_with('Z') && t.offset == 0 => write!(out, "Z"),
            z if z.starts_with(['Z', '-']) => {
                let colon = if z.contains(':') { ":" } else { "" };
                let mut text = zone(t.offset, colon, z.ends_with("00:00") || z.ends_with("0000"));
                if z.trim_start_matches(['Z', '-']) == "07" {
                    text.truncate(3);
                }
                write!(out, "{text}")
            }
            fraction => {
                let digits = fraction.len() - 1;
                let text = format!("{:09}", t.subsec());
                let text = &text[..digits.min(9)];
                if fraction.as_bytes()[1] == b'9' {
                    let trimmed = text.trim_end_matches('0');
                    if !trimmed.is_empty() {
                        out.push(fraction.as_bytes()[0] as char);
                        out.push_str(trimmed);
                    }
                    Ok(())
                } else {
                    out.push(fraction.as_bytes()[0] as char);
                    write!(out, "{text}")
                }
            }
        };
    }
    out
}

/// Go's `time.ParseInLocation` for UTC, for the numeric layouts charts use.
fn parse_time(layout: &str, value: &str) -> Result<Time, String> {
    let fail =
        || format!("parsing time {value:?} as {layout:?}: cannot parse {value:?} as {layout:?}");
    let (mut year, mut month, mut day) = (1i64, 1u32, 1u32);
    let (mut hour, mut minute, mut second, mut nanos) = (0u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let mut offset: i64 = 0;
    let mut rest = layout;
    let mut v = value;
    let number = |v: &mut &str, min: usize, max: usize| -> Option<u32> {
        let n = v.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n < min {
            return None;
        }
        let parsed = v[..n].parse().ok();
        *v = &v[n..];
        parsed
    };
    while let Some(ch) = rest.chars().next() {
        let Some(token) = token_at(rest) else {
            v = v.strip_prefix(ch).ok_or_else(fail)?;
            rest = &rest[ch.len_utf8()..];
            continue;
        };
        rest = &rest[token.len()..];
        match token {
            "2006" => year = number(&mut v, 4, 4).ok_or_else(fail)? as i64,
            "06" => year = 2000 + number(&mut v, 2, 2).ok_or_else(fail)? as i64,
            "01" => month = number(&mut v, 2, 2).ok_or_else(fail)?,
            "1" => month = number(&mut v, 1, 2).ok_or_else(fail)?,
            "02" => day = number(&mut v, 2, 2).ok_or_else(fail)?,
            "2" | "_2" => {
                v = v.trim_start_matches(' ');
                day = number(&mut v, 1, 2).ok_or_else(fail)?
            }
            "15" => hour = number(&mut v, 1, 2).ok_or_else(fail)?,
            "03" | "3" => hour = number(&mut v, 1, 2).ok_or_else(fail)?,
            "04" | "4" => minute = number(&mut v, 1, 2).ok_or_else(fail)?,
            "05" | "5" => {
                second = number(&mut v, 1, 2).ok_or_else(fail)?;
                // Go accepts fractional seconds after a seconds field.
                if let Some(f) = v.strip_prefix('.') {
                    let n = f.bytes().take_while(u8::is_ascii_digit).count();
                    if n > 0 && !rest.starts_with(['.', ',']) {
                        let digits = format!("{:0<9}", &f[..n.min(9)]);
                        nanos = digits.parse().unwrap_or(0);
                        v = &f[n..];
                    }
                }
            }
            "PM" | "pm" => {
                let word = v.get(..2).ok_or_else(fail)?;
                pm = Some(word.eq_ignore_ascii_case("pm"));
                if !word.eq_ignore_ascii_case("pm") && !word.eq_ignore_ascii_case("am") {
                    return Err(fail());
                }
                v = &v[2..];
            }
            "Jan" | "January" => {
                let found = MONTHS.iter().position(|m| {
                    let name = if token == "Jan" { &m[..3] } else { m };
                    v.starts_with(name)
                });
                let i = found.ok_or_else(fail)?;
                month = i as u32 + 1;
                v = &v[if token == "Jan" { 3 } else { MONTHS[i].len() }..];
            }
            "Mon" | "Monday" => {
                let i = DAYS
                    .iter()
                    .position(|d| v.starts_with(if token == "Mon" { &d[..3] } else { d }))
                    .ok_or_else(fail)?;
                v = &v[if token == "Mon" { 3 } else { DAYS[i].len() }..];
            }
            "MST" => {
                let n = v.bytes().take_while(u8::is_ascii_uppercase).count();
                v = &v[n..];
            }
            t if t.starts_with('Z') || t.starts_with('-') => {
                if t.starts_with('Z') {
                    if let Some(after) = v.strip_prefix('Z') {
                        v = after;
                        continue;
                    }
                }
                let sign = match v.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(fail()),
                };
                v = &v[1..];
                let h = number(&mut v, 2, 2).ok_or_else(fail)? as i64;
                let mut m = 0;
                if t.contains(':') {
                    v = v.strip_prefix(':').ok_or_else(fail)?;
                }
                if t.len() > 3 {
                    m = number(&mut v, 2, 2).ok_or_else(fail)? as i64;
                }
                offset = sign * (h * 3600 + m * 60);
            }
            fraction if fraction.starts_with(['.', ',']) => {
                v = v.strip_prefix(&fraction[..1]).ok_or_else(fail)?;
                let n = v.bytes().take_while(u8::is_ascii_digit).count();
                let digits = format!("{:0<9}", &v[..n.min(9)]);
                nanos = digits.parse().unwrap_or(0);
                v = &v[n..];
            }
            _ => return Err(fail()),
        }
    }
    if !v.is_empty() {
        return Err(format!("parsing time {value:?}: extra text: {v:?}"));
    }
    if let Some(pm) = pm {
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(format!("parsing time {value:?}: day out of range"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("parsing time {value:?}: hour out of range"));
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + hour as i64 * 3600
        + minute as i64 * 60
        + second as i64
        - offset;
    Ok(Time {
        nanos: secs as i128 * NANOS + nanos as i128,
        offset: offset as i32,
    })
}

/// A time argument as Sprig's date functions read it: a time, or Unix
/// seconds as an integer; anything else is now.
fn time_of(v: &Value) -> Time {
    use super::super::value::Kind;
    match &v.kind {
        Kind::Object(o) if o.type_name() == "time.Time" => match o.call("UnixNano", &[]) {
            Some(Ok(Value {
                kind: Kind::Int(n), ..
            })) => Time::utc(n as i128),
            _ => now_time(),
        },
        Kind::Int(secs) => Time::utc(*secs as i128 * NANOS),
        _ => now_time(),
    }
}

fn now_time() -> Time {
    Time::utc(NOW_UNIX as i128 * NANOS)
}

pub fn now(a: &[Value]) -> R {
    exactly("now", a, 0)?;
    Ok(now_time().value())
}

pub fn date(a: &[Value]) -> R {
    exactly("date", a, 2)?;
    let layout = args::string(&a[0])?;
    Ok(Value::str(time_of(&a[1]).in_utc().format(layout)))
}

pub fn date_in_zone(a: &[Value]) -> R {
    exactly("dateInZone", a, 3)?;
    let layout = args::string(&a[0])?;
    args::string(&a[2])?;
    Ok(Value::str(time_of(&a[1]).in_utc().format(layout)))
}

pub fn html_date(a: &[Value]) -> R {
    exactly("htmlDate", a, 1)?;
    Ok(Value::str(time_of(&a[0]).in_utc().format("2006-01-02")))
}

pub fn html_date_in_zone(a: &[Value]) -> R {
    exactly("htmlDateInZone", a, 2)?;
    args::string(&a[1])?;
    Ok(Value::str(time_of(&a[0]).in_utc().format("2006-01-02")))
}

pub fn unix_epoch(a: &[Value]) -> R {
    exactly("unixEpoch", a, 1)?;
    Ok(Value::str(time_of(&a[0]).seconds().to_string()))
}

fn modify(name: &str, a: &[Value]) -> Result<Value, String> {
    exactly(name, a, 2)?;
    let spec = args::string(&a[0])?;
    let t = time_of(&a[1]);
    let d = parse_duration(spec)?;
    Ok(Time {
        nanos: t.nanos + d as i128,
        ..t
    }
    .value())
}

/// `dateModify "-1h" t`; an unreadable duration leaves the time unchanged.
pub fn date_modify(a: &[Value]) -> R {
    exactly("dateModify", a, 2)?;
    modify("dateModify", a).or_else(|_| Ok(time_of(&a[1]).value()))
}

pub fn must_date_modify(a: &[Value]) -> R {
    modify("mustDateModify", a)
}

pub fn to_date(a: &[Value]) -> R {
    exactly("toDate", a, 2)?;
    let layout = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    // Go's zero time, 0001-01-01 UTC, when the text does not parse.
    let zero = Time::utc(days_from_civil(1, 1, 1) as i128 * 86_400 * NANOS);
    Ok(parse_time(layout, s).unwrap_or(zero).value())
}

pub fn must_to_date(a: &[Value]) -> R {
    exactly("mustToDate", a, 2)?;
    Ok(parse_time(args::string(&a[0])?, args::string(&a[1])?)?.value())
}

/// `ago t`: the time since `t` (from the fixed now), to the second.
pub fn ago(a: &[Value]) -> R {
    exactly("ago", a, 1)?;
    let since = now_time().nanos - time_of(&a[0]).nanos;
    let rounded = (since + NANOS / 2).div_euclid(NANOS) * NANOS;
    Ok(Value::str(go_duration(
        rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
    )))
}

/// Sprig's `duration`: seconds (an `int64` or a decimal string) as a Go
/// duration (`1h1m1s`); anything else, a `float64` from values included,
/// is 0 (Go's template `int` literal is too; integers here are taken as
/// `int64`).
pub fn duration(a: &[Value]) -> R {
    exactly("duration", a, 1)?;
    use super::super::value::Kind;
    let secs = match &a[0].kind {
        Kind::Int(i) => *i,
        Kind::Str(s) => s.parse().unwrap_or(0),
        _ => 0,
    };
    Ok(Value::str(go_duration(secs.saturating_mul(1_000_000_000))))
}

/// Sprig's `durationRound`: the largest whole unit (`2h`, `3d`, `1y`).
pub fn duration_round(a: &[Value]) -> R {
    at_least("durationRound", a, 1)?;
    use super::super::value::Kind;
    let d: i128 = match &a[0].kind {
        Kind::Str(s) => parse_duration(s).unwrap_or(0) as i128,
        Kind::Int(n) => *n as i128,
        Kind::Object(_) => now_time().nanos - time_of(&a[0]).nanos,
        _ => 0,
    };
    let u = d.unsigned_abs();
    let second = NANOS as u128;
    let units: [(u128, &str); 6] = [
        (second * 3600 * 24 * 365, "y"),
        (second * 3600 * 24 * 30, "mo"),
        (second * 3600 * 24, "d"),
        (second * 3600, "h"),
        (second * 60, "m"),
        (second, "s"),
    ];
    for (size, unit) in units {
        if u > size {
            return Ok(Value::str(format!("{}{unit}", u / size)));
        }
    }
    Ok(Value::str("0s"))
}

/// Go's `time.ParseDuration`: `1h30m`, `-1.5s`, `300ms`.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if n == 0 {
            return Err(invalid());
        }
        let number: f64 = rest[..n].parse().map_err(|_| invalid())?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|b| !b.is_ascii_digit() && *b != b'.')
            .count();
        let scale = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            unit => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total += number * scale;
        rest = &rest[u..];
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    Ok(if negative {
        -(total as i64)
    } else {
        total as i64
    })
}

/// Go's `Duration.String`.
pub fn go_duration(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let sign = if d < 0 { "-" } else { "" };
    let u = d.unsigned_abs();
    let fraction = |v: u64, digits: u32| -> String {
        let unit = 10u64.pow(digits);
        let frac = v % unit;
        let whole = v / unit;
        if frac == 0 {
            whole.to_string()
        } else {
            let text = format!("{frac:0width$}", width = digits as usize);
            format!("{whole}.{}", text.trim_end_matches('0'))
        }
    };
    if u < 1_000_000_000 {
        return match u {
            u if u < 1_000 => format!("{sign}{u}ns"),
            u if u < 1_000_000 => format!("{sign}{}µs", fraction(u, 3)),
            u => format!("{sign}{}ms", fraction(u, 6)),
        };
    }
    let seconds_text = fraction(u % 60_000_000_000, 9);
    let minutes = u / 60_000_000_000;
    let mut out = String::from(sign);
    if minutes >= 60 {
        let _ = write!(out, "{}h", minutes / 60);
    }
    if minutes > 0 {
        let _ = write!(out, "{}m", minutes % 60);
    }
    let _ = write!(out, "{seconds_text}s");
    out
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn dates_are_fixed_and_formatted_as_go_does() {
        let s = Value::str;
        let f = |name: &str, a: Vec<Value>| find(name).unwrap()(&a).unwrap();
        let now = now_time().value();
        let t = Time::utc(1_234_567_890_123_456_789).value();
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("now", vec![], "2024-01-01 00:00:00 +0000 UTC"),
            ("date", vec![s("2006-01-02"), now.clone()], "2024-01-01"),
            (
                "date",
                vec![s("Mon Jan _2 15:04:05.000 MST 2006"), t.clone()],
                "Fri Feb 13 23:31:30.123 UTC 2009",
            ),
            (
                "date",
                vec![s("3:04PM, January 2 06 -07:00 Z07:00 .999"), t.clone()],
                "11:31PM, February 13 09 +00:00 Z .123",
            ),
            (
                "date",
                vec![s("2006-01-02"), Value::int(86_400)],
                "1970-01-02",
            ),
            ("dateInZone", vec![s("15:04"), t.clone(), s("UTC")], "23:31"),
            ("htmlDate", vec![t.clone()], "2009-02-13"),
            ("unixEpoch", vec![now.clone()], "1704067200"),
            (
                "toDate",
                vec![s("2006-01-02"), s("2017-12-31")],
                "2017-12-31 00:00:00 +0000 UTC",
            ),
            (
                "toDate",
                vec![
                    s("2006-01-02T15:04:05Z07:00"),
                    s("2017-12-31T10:00:00+02:00"),
                ],
                "2017-12-31 10:00:00 +0200 +0200",
            ),
            (
                "date",
                vec![
                    s("2006-01-02 15:04 -0700 MST"),
                    f(
                        "toDate",
                        vec![
                            s("2006-01-02T15:04:05Z07:00"),
                            s("2017-12-31T10:00:00+02:00"),
                        ],
                    ),
                ],
                "2017-12-31 08:00 +0000 UTC",
            ),
            (
                "toDate",
                vec![s("2006-01-02"), s("bad")],
                "0001-01-01 00:00:00 +0000 UTC",
            ),
            (
                "dateModify",
                vec![s("-1.5h"), now.clone()],
                "2023-12-31 22:30:00 +0000 UTC",
            ),
            (
                "dateModify",
                vec![s("bad"), now.clone()],
                "2024-01-01 00:00:00 +0000 UTC",
            ),
            ("ago", vec![Value::int(NOW_UNIX - 3725)], "1h2m5s"),
            ("duration", vec![s("95")], "1m35s"),
            ("duration", vec![Value::float(95.0)], "0s"),
            ("duration", vec![s("3600")], "1h0m0s"),
            ("durationRound", vec![s("2h10m")], "2h"),
            ("durationRound", vec![s("-49h")], "2d"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
        assert!(call("mustToDate", vec![s("2006-01-02"), s("x")]).starts_with("ERR parsing time"));
    }

    #[test]
    fn times_encode_as_go_encodes_them() {
        let t = Time::utc(1_234_567_890_123_456_789).value();
        let f = |name: &str| {
            find(name).unwrap()(std::slice::from_ref(&t))
                .unwrap()
                .to_string()
        };
        assert_eq!(f("toJson"), r#""2009-02-13T23:31:30.123456789Z""#);
        assert_eq!(f("toYaml"), r#""2009-02-13T23:31:30.123456789Z""#);
        assert_eq!(f("toYamlPretty"), "2009-02-13T23:31:30.123456789Z");
    }

    #[test]
    fn durations_print_as_go_prints_them() {
        for (ns, want) in [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (2_000_000, "2ms"),
            (1_500_000_000, "1.5s"),
            (3_600_000_000_000, "1h0m0s"),
            (-61_000_000_000, "-1m1s"),
        ] {
            assert_eq!(go_duration(ns), want);
        }
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert!(parse_duration("1x").is_err());
    }
}
