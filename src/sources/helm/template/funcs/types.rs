//! Sprig's reflection functions: `typeOf`, `kindOf`, `typeIs`, `kindIs`,
//! `typeIsLike`, `deepEqual`.

use super::super::value::{Kind, Value};
use super::args::{self, exactly};

type R = Result<Value, String>;

/// Go's `reflect.Kind` name of a value (`slice`, `map`, `invalid` for nil).
pub fn kind_name(v: &Value) -> &'static str {
    match &v.kind {
        Kind::Nil => "invalid",
        Kind::Bool(_) => "bool",
        Kind::Int(_) => "int",
        Kind::Float(_) => "float64",
        Kind::Str(_) => "string",
        Kind::List(_) => "slice",
        Kind::Map(_) => "map",
        Kind::Object(_) => "ptr",
    }
}

pub fn kind_of(a: &[Value]) -> R {
    exactly("kindOf", a, 1)?;
    Ok(Value::str(kind_name(&a[0])))
}

pub fn type_of(a: &[Value]) -> R {
    exactly("typeOf", a, 1)?;
    Ok(Value::str(a[0].type_name()))
}

pub fn kind_is(a: &[Value]) -> R {
    exactly("kindIs", a, 2)?;
    Ok(Value::bool(args::string(&a[0])? == kind_name(&a[1])))
}

pub fn type_is(a: &[Value]) -> R {
    exactly("typeIs", a, 2)?;
    Ok(Value::bool(args::string(&a[0])? == a[1].type_name()))
}

pub fn type_is_like(a: &[Value]) -> R {
    exactly("typeIsLike", a, 2)?;
    let target = args::string(&a[0])?;
    let t = a[1].type_name();
    Ok(Value::bool(target == t || format!("*{target}") == t))
}

/// `reflect.DeepEqual`: `1` (an int) and `1.0` (a float64) differ.
pub fn deep_equal(a: &[Value]) -> R {
    exactly("deepEqual", a, 2)?;
    Ok(Value::bool(a[0] == a[1]))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    #[test]
    fn reflection_names_are_go_names() {
        let list = Value::list(vec![]);
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("kindOf", vec![list.clone()], "slice"),
            ("kindOf", vec![Value::float(1.0)], "float64"),
            ("kindOf", vec![Value::NIL], "invalid"),
            ("typeOf", vec![list.clone()], "[]interface {}"),
            ("typeOf", vec![Value::NIL], "<nil>"),
            (
                "kindIs",
                vec![Value::str("map"), Value::map(Default::default())],
                "true",
            ),
            (
                "typeIs",
                vec![Value::str("string"), Value::str("x")],
                "true",
            ),
            (
                "typeIsLike",
                vec![Value::str("string"), Value::str("x")],
                "true",
            ),
            ("deepEqual", vec![Value::int(1), Value::float(1.0)], "false"),
            ("deepEqual", vec![list.clone(), Value::list(vec![])], "true"),
        ];
        for (name, a, want) in cases {
            assert_eq!(
                find(name).unwrap()(&a).unwrap().to_string(),
                want,
                "{name} {a:?}"
            );
        }
    }
}
