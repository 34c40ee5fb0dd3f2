//! Sprig's list functions. Each builds a new list (Go's `append` may share
//! a backing array; templates cannot tell). Items keep their own origins.

use super::super::value::{Kind, Value};
use super::args::{self, at_least, check_items, exactly};
use super::types::kind_name;

type R = Result<Value, String>;

/// The panic a Sprig list function hits when handed nil.
const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// The items of a list argument, or Sprig's error `Cannot {what} on type
/// {kind}` (`what` already worded as Sprig words it).
fn items<'a>(v: &'a Value, what: &str) -> Result<&'a [Value], String> {
    match &v.kind {
        Kind::List(items) => Ok(items),
        Kind::Nil => Err(NIL_DEREF.into()),
        _ => Err(format!("{what} {}", kind_name(v))),
    }
}

fn list_of(items: Vec<Value>) -> R {
    check_items(items.len())?;
    Ok(Value::list(items))
}

pub fn list(a: &[Value]) -> R {
    list_of(a.to_vec())
}

pub fn append(a: &[Value]) -> R {
    exactly("append", a, 2)?;
    let list = items(&a[0], "Cannot push on type")?;
    check_items(list.len() + 1)?;
    let mut out = list.to_vec();
    out.push(a[1].clone());
    Ok(Value::list(out))
}

pub fn prepend(a: &[Value]) -> R {
    exactly("prepend", a, 2)?;
    let list = items(&a[0], "Cannot prepend on type")?;
    check_items(list.len() + 1)?;
    let mut out = Vec::with_capacity(list.len() + 1);
    out.push(a[1].clone());
    out.extend_from_slice(list);
    Ok(Value::list(out))
}

pub fn first(a: &[Value]) -> R {
    exactly("first", a, 1)?;
    let list = items(&a[0], "Cannot find first on type")?;
    Ok(list.first().cloned().unwrap_or(Value::NIL))
}

pub fn last(a: &[Value]) -> R {
    exactly("last", a, 1)?;
    let list = items(&a[0], "Cannot find last on type")?;
    Ok(list.last().cloned().unwrap_or(Value::NIL))
}

pub fn rest(a: &[Value]) -> R {
    exactly("rest", a, 1)?;
    let list = items(&a[0], "Cannot find rest on type")?;
    Ok(Value::list(list.get(1..).unwrap_or(&[]).to_vec()))
}

pub fn initial(a: &[Value]) -> R {
    exactly("initial", a, 1)?;
    let list = items(&a[0], "Cannot find initial on type")?;
    Ok(Value::list(list[..list.len().saturating_sub(1)].to_vec()))
}

pub fn reverse(a: &[Value]) -> R {
    exactly("reverse", a, 1)?;
    let list = items(&a[0], "Cannot find reverse on type")?;
    Ok(Value::list(list.iter().rev().cloned().collect()))
}

/// Items in first-seen order, duplicates (Go's `reflect.DeepEqual`) dropped.
pub fn uniq(a: &[Value]) -> R {
    exactly("uniq", a, 1)?;
    let list = items(&a[0], "Cannot find uniq on type")?;
    let mut out: Vec<Value> = Vec::new();
    for item in list {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(Value::list(out))
}

pub fn without(a: &[Value]) -> R {
    at_least("without", a, 1)?;
    let list = items(&a[0], "Cannot find without on type")?;
    let omit = &a[1..];
    Ok(Value::list(
        list.iter().filter(|i| !omit.contains(i)).cloned().collect(),
    ))
}

pub fn has(a: &[Value]) -> R {
    exactly("has", a, 2)?;
    if a[1].is_nil() {
        return Ok(Value::bool(false));
    }
    let list = items(&a[1], "Cannot find has on type")?;
    Ok(Value::bool(list.contains(&a[0])))
}

/// Items that are not empty in Sprig's sense.
pub fn compact(a: &[Value]) -> R {
    exactly("compact", a, 1)?;
    let list = items(&a[0], "Cannot compact on type")?;
    Ok(Value::list(
        list.iter().filter(|i| i.truth()).cloned().collect(),
    ))
}

pub fn concat(a: &[Value]) -> R {
    let mut out = Vec::new();
    for list in a {
        match &list.kind {
            Kind::List(items) => {
                check_items(out.len() + items.len())?;
                out.extend(items.iter().cloned());
            }
            _ => return Err(format!("Cannot concat type {} as list", kind_name(list))),
        }
    }
    Ok(Value::list(out))
}

/// Sprig's `slice list [start [end]]` (it replaces Go's builtin `slice`
/// in Helm's function map: strings are refused).
pub fn slice(a: &[Value]) -> R {
    at_least("slice", a, 1)?;
    let list = match &a[0].kind {
        Kind::List(items) => items,
        Kind::Nil => return Err(NIL_DEREF.into()),
        _ => {
            return Err(format!(
                "list should be type of slice or array but {}",
                kind_name(&a[0])
            ))
        }
    };
    if list.is_empty() {
        return Ok(Value::NIL);
    }
    let len = list.len() as i64;
    let start = a.get(1).map(args::to_int64).unwrap_or(0);
    let end = a.get(2).map(args::to_int64).unwrap_or(len);
    if start < 0 || end > len || start > end {
        return Err(format!(
            "reflect: slice index out of range [{start}:{end}] with capacity {len}"
        ));
    }
    Ok(Value::list(list[start as usize..end as usize].to_vec()))
}

pub fn chunk(a: &[Value]) -> R {
    exactly("chunk", a, 2)?;
    let size = args::int(&a[0])?;
    let list = items(&a[1], "Cannot chunk type")?;
    if size <= 0 {
        return Err("runtime error: integer divide by zero".into());
    }
    Ok(Value::list(
        list.chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
    ))
}

/// Go's `untilStep`, refusing lists past the item limit before building.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let count = if stop < start {
        if step >= 0 {
            return Ok(Vec::new());
        }
        (start - stop + (-step) - 1) / (-step)
    } else {
        if step <= 0 {
            return Ok(Vec::new());
        }
        (stop - start + step - 1) / step
    };
    check_items(usize::try_from(count).unwrap_or(usize::MAX))?;
    Ok((0..count).map(|k| (start + k * step) as i64).collect())
}

fn int_list(items: Vec<i64>) -> Value {
    Value::list(items.into_iter().map(Value::int).collect())
}

pub fn until(a: &[Value]) -> R {
    exactly("until", a, 1)?;
    let count = args::int(&a[0])?;
    let step = if count < 0 { -1 } else { 1 };
    Ok(int_list(until_step(0, count, step)?))
}

pub fn until_step_fn(a: &[Value]) -> R {
    exactly("untilStep", a, 3)?;
    let start = args::int(&a[0])?;
    let stop = args::int(&a[1])?;
    let step = args::int(&a[2])?;
    Ok(int_list(until_step(start, stop, step)?))
}

/// Sprig's `seq`, like GNU seq: `seq 3`, `seq 2 5`, `seq 0 2 10`.
pub fn seq(a: &[Value]) -> R {
    let params = a.iter().map(args::int).collect::<Result<Vec<_>, _>>()?;
    let numbers = match params[..] {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.saturating_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end.saturating_add(step), step)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                return Ok(Value::str(""));
            }
            until_step(start, end.saturating_add(inc), step)?
        }
        _ => return Ok(Value::str("")),
    };
    let text: Vec<String> = numbers.iter().map(i64::to_string).collect();
    args::bounded(text.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn i(x: i64) -> Value {
        Value::int(x)
    }
    fn l(items: Vec<Value>) -> Value {
        Value::list(items)
    }
    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn list_functions_match_helm() {
        let abc = l(vec![s("a"), s("b"), s("c")]);
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("list", vec![i(1), s("a")], "[1 a]"),
            ("append", vec![abc.clone(), s("d")], "[a b c d]"),
            ("mustAppend", vec![abc.clone(), s("d")], "[a b c d]"),
            (
                "append",
                vec![s("x"), s("d")],
                "ERR Cannot push on type string",
            ),
            ("prepend", vec![abc.clone(), s("z")], "[z a b c]"),
            ("first", vec![abc.clone()], "a"),
            ("first", vec![l(vec![])], "<nil>"),
            ("last", vec![abc.clone()], "c"),
            ("rest", vec![abc.clone()], "[b c]"),
            ("initial", vec![abc.clone()], "[a b]"),
            ("reverse", vec![abc.clone()], "[c b a]"),
            ("uniq", vec![l(vec![i(1), i(1), s("1"), i(2)])], "[1 1 2]"),
            ("without", vec![abc.clone(), s("b"), s("c")], "[a]"),
            ("has", vec![s("b"), abc.clone()], "true"),
            ("has", vec![s("z"), Value::NIL], "false"),
            (
                "compact",
                vec![l(vec![s(""), i(0), s("a"), Value::NIL, Value::bool(false)])],
                "[a]",
            ),
            ("concat", vec![abc.clone(), l(vec![i(1)])], "[a b c 1]"),
            ("slice", vec![abc.clone(), i(1)], "[b c]"),
            ("slice", vec![abc.clone(), i(1), i(2)], "[b]"),
            (
                "slice",
                vec![s("abc"), i(1)],
                "ERR list should be type of slice or array but string",
            ),
            ("chunk", vec![i(2), abc.clone()], "[[a b] [c]]"),
            ("until", vec![i(3)], "[0 1 2]"),
            ("until", vec![i(-3)], "[0 -1 -2]"),
            ("untilStep", vec![i(3), i(6), i(2)], "[3 5]"),
            ("untilStep", vec![i(3), i(6), i(0)], "[]"),
            ("seq", vec![i(3)], "1 2 3"),
            ("seq", vec![i(2), i(-2)], "2 1 0 -1 -2"),
            ("seq", vec![i(0), i(2), i(10)], "0 2 4 6 8 10"),
            ("seq", vec![i(0)], "1 0"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }

    #[test]
    fn huge_ranges_are_refused_before_they_are_built() {
        assert!(call("until", vec![i(i64::MAX)]).starts_with("ERR"));
        assert!(call("seq", vec![i(i64::MIN), i(i64::MAX)]).starts_with("ERR"));
        assert!(call("untilStep", vec![i(0), i(1 << 40), i(1)]).starts_with("ERR"));
    }
}
