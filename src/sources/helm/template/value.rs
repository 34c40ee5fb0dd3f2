//! The values templates work on, as Go's `text/template` sees Helm's data:
//! `nil`, `bool`, `int` (template literals, `len`, `add`), `float64` (every
//! number Helm reads from values, YAML or JSON: it decodes values through
//! JSON), `string`, `[]interface{}`, `map[string]interface{}` (printed and
//! ranged in key order, as Go does) and objects with methods (`.Files`,
//! `.Capabilities.APIVersions`). Each value may remember the span of the
//! values-file node it came from, so that what a template prints can point
//! back at the values line that set it.

use crate::document::{Node, Value as NodeValue};
use crate::source::Span;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// No string a template or function builds may be longer (a hostile chart:
/// `repeat`, `printf "%0999999999d"`, doubling in a loop).
pub const MAX_STRING_BYTES: usize = 16 << 20;
/// No list a function builds may hold more items (`until`, `seq`).
pub const MAX_LIST_ITEMS: usize = 1 << 20;

pub type Map = BTreeMap<String, Value>;

/// A value and, when it was read from a values file, where.
#[derive(Clone, Debug, Default)]
pub struct Value {
    pub kind: Kind,
    /// The values-file node it was read from; kept by functions that derive
    /// their result from one argument (`quote`, `default`, `toYaml`…).
    pub at: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub enum Kind {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    List(Arc<Vec<Value>>),
    Map(Arc<Map>),
    /// An object whose fields and methods the engine calls by name.
    Object(Arc<dyn Object>),
}

/// A Go value with methods: `.Files.Get "x"`, `.Capabilities.APIVersions.Has "v1"`.
pub trait Object: fmt::Debug + Send + Sync {
    /// Its Go type, for `typeOf` and error messages.
    fn type_name(&self) -> &'static str;
    /// A field or method by name, with the arguments of a method call
    /// (none for a field). `None`: it has no such field or method.
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;
    /// How `{{ . }}` and `%v` print it.
    fn display(&self) -> String {
        format!("{{{}}}", self.type_name())
    }
}

/// Equality ignores where a value came from.
impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        match (self, other) {
            (Kind::Nil, Kind::Nil) => true,
            (Kind::Bool(a), Kind::Bool(b)) => a == b,
            (Kind::Int(a), Kind::Int(b)) => a == b,
            (Kind::Float(a), Kind::Float(b)) => a == b,
            (Kind::Str(a), Kind::Str(b)) => a == b,
            (Kind::List(a), Kind::List(b)) => a == b,
            (Kind::Map(a), Kind::Map(b)) => a == b,
            (Kind::Object(a), Kind::Object(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.kind == other.kind
    }
}

impl Value {
    pub const NIL: Value = Value {
        kind: Kind::Nil,
        at: None,
    };

    pub fn new(kind: Kind) -> Value {
        Value { kind, at: None }
    }

    pub fn bool(b: bool) -> Value {
        Value::new(Kind::Bool(b))
    }

    pub fn int(i: i64) -> Value {
        Value::new(Kind::Int(i))
    }

    pub fn float(f: f64) -> Value {
        Value::new(Kind::Float(f))
    }

    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::new(Kind::Str(s.into()))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(Arc::new(items)))
    }

    pub fn map(map: Map) -> Value {
        Value::new(Kind::Map(Arc::new(map)))
    }

    pub fn object(object: Arc<dyn Object>) -> Value {
        Value::new(Kind::Object(object))
    }

    /// The same value, remembering `at` (a derived value keeps its source's).
    pub fn at(mut self, at: Option<Span>) -> Value {
        self.at = at;
        self
    }

    pub fn is_nil(&self) -> bool {
        matches!(self.kind, Kind::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(l) => Some(l),
            _ => None,
        }
    }

    /// A map entry, `None` when this is not a map or has no such key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.get(key)
    }

    /// Go's truth as `if`, `with`, `and`, `or`, `not` and `default` see it:
    /// false, zero, nil and empty strings, lists and maps are false.
    pub fn truth(&self) -> bool {
        match &self.kind {
            Kind::Nil => false,
            Kind::Bool(b) => *b,
            Kind::Int(i) => *i != 0,
            Kind::Float(f) => *f != 0.0,
            Kind::Str(s) => !s.is_empty(),
            Kind::List(l) => !l.is_empty(),
            Kind::Map(m) => !m.is_empty(),
            Kind::Object(_) => true,
        }
    }

    /// The Go type `typeOf` names.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "<nil>",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "[]interface {}",
            Kind::Map(_) => "map[string]interface {}",
            Kind::Object(o) => o.type_name(),
        }
    }

    /// A values-file tree, every node remembering its span. Numbers become
    /// `float64`, as Helm's JSON decoding of values makes them.
    pub fn from_node(node: &Node) -> Value {
        let kind = match &node.value {
            NodeValue::Null => Kind::Nil,
            NodeValue::Bool(b) => Kind::Bool(*b),
            NodeValue::Int(i) => Kind::Float(*i as f64),
            NodeValue::Float(f) => Kind::Float(*f),
            NodeValue::Str(s) => Kind::Str(s.as_str().into()),
            NodeValue::Seq(items) => {
                Kind::List(Arc::new(items.iter().map(Value::from_node).collect()))
            }
            NodeValue::Map(entries) => Kind::Map(Arc::new(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), Value::from_node(&e.value)))
                    .collect(),
            )),
        };
        Value {
            kind,
            at: Some(node.span),
        }
    }

    /// JSON into a value (`fromJson`): numbers are `float64`, as Go decodes them.
    pub fn from_json(json: &Json) -> Value {
        Value::new(match json {
            Json::Null => Kind::Nil,
            Json::Bool(b) => Kind::Bool(*b),
            Json::Number(n) => Kind::Float(n.as_f64().unwrap_or(0.0)),
            Json::String(s) => Kind::Str(s.as_str().into()),
            Json::Array(items) => {
                Kind::List(Arc::new(items.iter().map(Value::from_json).collect()))
            }
            Json::Object(map) => Kind::Map(Arc::new(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            )),
        })
    }

    /// The value as JSON (`toJson`, `toYaml`); an object is its printed form.
    /// Whole floats become integers, as Go's encoder prints them.
    pub fn to_json(&self) -> Json {
        match &self.kind {
            Kind::Nil => Json::Null,
            Kind::Bool(b) => Json::Bool(*b),
            Kind::Int(i) => Json::from(*i),
            Kind::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Json::from(*f as i64),
            Kind::Float(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            Kind::Str(s) => Json::String(s.to_string()),
            Kind::List(l) => Json::Array(l.iter().map(Value::to_json).collect()),
            Kind::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Kind::Object(o) => Json::String(o.display()),
        }
    }
}

/// Go's `%v`: what `{{ . }}`, `print` and `toString` write (`map[a:1 b:2]`,
/// `[x y]`, `1e+06` for a million read from values). Nil prints `<nil>`;
/// the engine prints a nil action as nothing, as Helm does after it strips
/// `<no value>`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Nil => f.write_str("<nil>"),
            Kind::Bool(b) => write!(f, "{b}"),
            Kind::Int(i) => write!(f, "{i}"),
            Kind::Float(x) => f.write_str(&go_float(*x)),
            Kind::Str(s) => f.write_str(s),
            Kind::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Kind::Map(map) => {
                f.write_str("map[")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{k}:{v}")?;
                }
                f.write_str("]")
            }
            Kind::Object(o) => f.write_str(&o.display()),
        }
    }
}

/// Go's `strconv.FormatFloat(x, 'g', -1, 64)`, which `%v` uses: the
/// shortest digits that read back, with an exponent when it is below -4 or
/// at least 6 (`1e+06`, `1.5e-05`, `123456`).
pub fn go_float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-tripping digits: `1.234567e6`.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponent is a number");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    go_layout(negative, &digits, exp, 6)
}

/// Go's `%g` layout of significant `digits` with decimal exponent `exp`:
/// the exponent form when `exp` is below -4 or at least `eprec`, else
/// plain digits with the point placed (`strconv`'s `%e`/`%f` choice).
pub fn go_layout(negative: bool, digits: &str, exp: i32, eprec: i32) -> String {
    let sign = if negative { "-" } else { "" };
    if exp < -4 || exp >= eprec {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{dot}{rest}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!(
            "{sign}{digits}{}",
            "0".repeat(point as usize - digits.len())
        )
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_prints_them() {
        for (x, go) in [
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.5, "0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (3.0, "3"),
            (1.5e-7, "1.5e-07"),
            (1e21, "1e+21"),
        ] {
            assert_eq!(go_float(x), go, "{x}");
        }
    }

    #[test]
    fn maps_and_lists_print_as_go_prints_them() {
        let mut map = Map::new();
        map.insert("b".into(), Value::float(2.0));
        map.insert(
            "a".into(),
            Value::list(vec![Value::str("x"), Value::int(1)]),
        );
        assert_eq!(Value::map(map).to_string(), "map[a:[x 1] b:2]");
    }

    #[test]
    fn truth_is_go_truth() {
        assert!(!Value::str("").truth());
        assert!(!Value::float(0.0).truth());
        assert!(!Value::map(Map::new()).truth());
        assert!(Value::str("0").truth());
    }
}
