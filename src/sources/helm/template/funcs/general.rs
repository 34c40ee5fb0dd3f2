//! Sprig's defaults and flow helpers (`default`, `empty`, `coalesce`,
//! `ternary`, `all`, `any`, `fail`) and Helm's `required`.

use super::super::value::{Kind, Value};
use super::args::{self, at_least, exactly};

type R = Result<Value, String>;

/// `default fallback given`: `given` unless it is empty in Sprig's sense
/// (nil, false, 0, "", empty list or map), keeping the chosen value's origin.
pub fn default(a: &[Value]) -> R {
    at_least("default", a, 1)?;
    match a.get(1) {
        Some(given) if given.truth() => Ok(given.clone()),
        _ => Ok(a[0].clone()),
    }
}

pub fn empty(a: &[Value]) -> R {
    exactly("empty", a, 1)?;
    Ok(Value::bool(!a[0].truth()))
}

pub fn coalesce(a: &[Value]) -> R {
    Ok(a.iter().find(|v| v.truth()).cloned().unwrap_or(Value::NIL))
}

pub fn all(a: &[Value]) -> R {
    Ok(Value::bool(a.iter().all(Value::truth)))
}

pub fn any(a: &[Value]) -> R {
    Ok(Value::bool(a.iter().any(Value::truth)))
}

/// `ternary if_true if_false condition`.
pub fn ternary(a: &[Value]) -> R {
    exactly("ternary", a, 3)?;
    let condition = args::boolean(&a[2])?;
    Ok(if condition {
        a[0].clone()
    } else {
        a[1].clone()
    })
}

/// Helm's `required message value`: the message as the error when the value
/// is nil or an empty string.
pub fn required(a: &[Value]) -> R {
    exactly("required", a, 2)?;
    let message = args::string(&a[0])?;
    match &a[1].kind {
        Kind::Nil => Err(message.to_string()),
        Kind::Str(s) if s.is_empty() => Err(message.to_string()),
        _ => Ok(a[1].clone()),
    }
}

pub fn fail(a: &[Value]) -> R {
    exactly("fail", a, 1)?;
    Err(args::string(&a[0])?.to_string())
}

/// Sprig's `hello`.
pub fn hello(a: &[Value]) -> R {
    exactly("hello", a, 0)?;
    Ok(Value::str("Hello!"))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;
    use crate::source::Span;

    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn defaults_follow_sprig_empty() {
        let s = Value::str;
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("default", vec![s("d"), s("")], "d"),
            ("default", vec![s("d")], "d"),
            ("default", vec![s("d"), Value::float(0.0)], "d"),
            ("default", vec![s("d"), Value::bool(false)], "d"),
            ("default", vec![s("d"), Value::list(vec![])], "d"),
            ("default", vec![s("d"), s("given")], "given"),
            ("empty", vec![Value::map(Default::default())], "true"),
            ("empty", vec![s("0")], "false"),
            ("coalesce", vec![Value::NIL, s(""), s("x"), s("y")], "x"),
            ("coalesce", vec![Value::NIL], "<nil>"),
            ("ternary", vec![s("yes"), s("no"), Value::bool(true)], "yes"),
            (
                "ternary",
                vec![s("yes"), s("no"), s("true")],
                "ERR wrong type for value; expected bool; got string",
            ),
            ("all", vec![s("a"), Value::int(0)], "false"),
            ("any", vec![s(""), Value::int(1)], "true"),
            ("required", vec![s("need x"), Value::NIL], "ERR need x"),
            ("required", vec![s("need x"), s("")], "ERR need x"),
            ("required", vec![s("need x"), Value::bool(false)], "false"),
            ("fail", vec![s("boom")], "ERR boom"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }

    #[test]
    fn default_keeps_the_chosen_value_origin() {
        let given = Value::str("x").at(Some(Span::new(1, 2)));
        let fallback = Value::str("d").at(Some(Span::new(5, 6)));
        let f = find("default").unwrap();
        assert_eq!(f(&[fallback.clone(), given.clone()]).unwrap().at, given.at);
        assert_eq!(f(&[fallback.clone(), Value::NIL]).unwrap().at, fallback.at);
    }
}
