//! Sprig's dictionary functions. Go maps are shared references: `set`,
//! `unset`, `merge` and `mergeOverwrite` change their first argument in
//! place and return it. These functions return the changed map; the
//! engine writes it back where the first argument came from (see
//! [`super::MUTATING`]). Keys and values are listed in key order where
//! Sprig's order is Go's random map order (`keys`, `values`).

use super::super::value::{Kind, Map, Value};
use super::args::{self, at_least, exactly, strval};

type R = Result<Value, String>;

/// Maps merge at most this deep (values trees are bounded by their
/// parsers; a merge must not trust that).
const MAX_MERGE_DEPTH: usize = 200;

pub fn dict(a: &[Value]) -> R {
    let mut map = Map::new();
    for pair in a.chunks(2) {
        let key = strval(&pair[0]);
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        map.insert(key, value);
    }
    Ok(Value::map(map))
}

pub fn get(a: &[Value]) -> R {
    exactly("get", a, 2)?;
    let map = args::map(&a[0])?;
    let key = args::string(&a[1])?;
    Ok(map
        .and_then(|m| m.get(key).cloned())
        .unwrap_or_else(|| Value::str("")))
}

pub fn has_key(a: &[Value]) -> R {
    exactly("hasKey", a, 2)?;
    let map = args::map(&a[0])?;
    let key = args::string(&a[1])?;
    Ok(Value::bool(map.is_some_and(|m| m.contains_key(key))))
}

/// The map with `key` set: the first argument as it is after Go's `set`.
pub fn set(a: &[Value]) -> R {
    exactly("set", a, 3)?;
    let Some(map) = args::map(&a[0])? else {
        return Err("assignment to entry in nil map".into());
    };
    let key = args::string(&a[1])?;
    let mut map = map.clone();
    map.insert(key.to_string(), a[2].clone());
    Ok(Value::map(map).at(a[0].at))
}

pub fn unset(a: &[Value]) -> R {
    exactly("unset", a, 2)?;
    let key = args::string(&a[1])?;
    let Some(map) = args::map(&a[0])? else {
        return Ok(Value::map(Map::new()));
    };
    let mut map = map.clone();
    map.remove(key);
    Ok(Value::map(map).at(a[0].at))
}

/// Every key of every map, map by map, each map's keys sorted (Sprig
/// lists them in Go's random map order; charts sort them with `sortAlpha`).
pub fn keys(a: &[Value]) -> R {
    let mut out = Vec::new();
    for m in a {
        if let Some(map) = args::map(m)? {
            args::check_items(out.len() + map.len())?;
            out.extend(map.keys().map(|k| Value::str(k.as_str())));
        }
    }
    Ok(Value::list(out))
}

/// The values of a map in key order (Sprig: Go's random map order).
pub fn values(a: &[Value]) -> R {
    exactly("values", a, 1)?;
    let map = args::map(&a[0])?;
    Ok(Value::list(
        map.map(|m| m.values().cloned().collect())
            .unwrap_or_default(),
    ))
}

pub fn pluck(a: &[Value]) -> R {
    at_least("pluck", a, 1)?;
    let key = args::string(&a[0])?;
    let mut out = Vec::new();
    for m in &a[1..] {
        if let Some(v) = args::map(m)?.and_then(|m| m.get(key)) {
            out.push(v.clone());
        }
    }
    Ok(Value::list(out))
}

pub fn pick(a: &[Value]) -> R {
    at_least("pick", a, 1)?;
    let map = args::map(&a[0])?;
    let mut out = Map::new();
    for k in &a[1..] {
        let k = args::string(k)?;
        if let Some(v) = map.and_then(|m| m.get(k)) {
            out.insert(k.to_string(), v.clone());
        }
    }
    Ok(Value::map(out))
}

pub fn omit(a: &[Value]) -> R {
    at_least("omit", a, 1)?;
    let map = args::map(&a[0])?;
    let omitted = a[1..]
        .iter()
        .map(args::string)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::map(
        map.map(|m| {
            m.iter()
                .filter(|(k, _)| !omitted.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default(),
    ))
}

/// Sprig's `dig "a" "b" default dict`: the value at a path of keys, or the
/// default where a key is missing.
pub fn dig(a: &[Value]) -> R {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let (path, rest) = a.split_at(a.len() - 2);
    let default = &rest[0];
    let mut current = match &rest[1].kind {
        Kind::Map(m) => m.clone(),
        _ => {
            return Err(format!(
                "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                rest[1].type_name()
            ))
        }
    };
    for (i, key) in path.iter().enumerate() {
        let key = match &key.kind {
            Kind::Str(s) => s,
            _ => {
                return Err(format!(
                    "interface conversion: interface {{}} is {}, not string",
                    key.type_name()
                ))
            }
        };
        let Some(step) = current.get(key.as_ref()) else {
            return Ok(default.clone());
        };
        if i + 1 == path.len() {
            return Ok(step.clone());
        }
        current = match &step.kind {
            Kind::Map(m) => m.clone(),
            _ => {
                return Err(format!(
                    "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                    step.type_name()
                ))
            }
        };
    }
    Ok(default.clone())
}

pub fn merge(a: &[Value]) -> R {
    merge_all("merge", a, false)
}

pub fn merge_overwrite(a: &[Value]) -> R {
    merge_all("mergeOverwrite", a, true)
}

fn merge_all(name: &str, a: &[Value], overwrite: bool) -> R {
    at_least(name, a, 1)?;
    let mut dst = args::map(&a[0])?.cloned().unwrap_or_default();
    for src in &a[1..] {
        if let Some(src) = args::map(src)? {
            merge_into(&mut dst, src, overwrite, 0)?;
        }
    }
    Ok(Value::map(dst).at(a[0].at))
}

/// mergo's map merge as Sprig calls it: a key missing or empty in `dst`
/// takes `src`'s value; maps on both sides merge deeply; with `overwrite`
/// every `src` value wins (a nil one included); otherwise `dst` keeps its
/// non-empty values, lists included.
fn merge_into(dst: &mut Map, src: &Map, overwrite: bool, depth: usize) -> Result<(), String> {
    if depth > MAX_MERGE_DEPTH {
        return Err("maps nest too deeply to merge".into());
    }
    for (key, value) in src {
        if value.is_nil() {
            if overwrite {
                dst.insert(key.clone(), Value::NIL);
            }
            continue;
        }
        let existing = dst.get(key);
        if let (Kind::Map(s), Some(Kind::Map(d))) = (&value.kind, existing.map(|v| &v.kind)) {
            let mut merged = (**d).clone();
            merge_into(&mut merged, s, overwrite, depth + 1)?;
            let at = existing.and_then(|v| v.at);
            dst.insert(key.clone(), Value::map(merged).at(at));
            continue;
        }
        let empty = existing.is_none_or(|v| !v.truth());
        if overwrite || empty {
            dst.insert(key.clone(), value.clone());
        }
    }
    Ok(())
}

pub fn deep_copy(a: &[Value]) -> R {
    exactly("deepCopy", a, 1)?;
    Ok(a[0].clone())
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
    fn d(pairs: Vec<(&str, Value)>) -> Value {
        Value::map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Helm lists keys and values in Go's random map order; here they come
    /// in key order, so renders are reproducible.
    #[test]
    fn keys_and_values_come_in_key_order() {
        let ab = d(vec![("b", s("x")), ("a", i(1))]);
        assert_eq!(
            call("keys", vec![ab.clone(), d(vec![("c", i(1))])]),
            "[a b c]"
        );
        assert_eq!(call("values", vec![ab]), "[1 x]");
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn dict_functions_match_helm() {
        let ab = d(vec![("a", i(1)), ("b", s("x"))]);
        let nested = d(vec![("a", d(vec![("b", d(vec![("c", s("deep"))]))]))]);
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("dict", vec![s("b"), i(2), i(1), s("one")], "map[1:one b:2]"),
            ("dict", vec![s("odd")], "map[odd:]"),
            ("get", vec![ab.clone(), s("a")], "1"),
            ("get", vec![ab.clone(), s("zz")], ""),
            ("hasKey", vec![ab.clone(), s("b")], "true"),
            ("hasKey", vec![Value::NIL, s("b")], "false"),
            ("set", vec![ab.clone(), s("c"), i(3)], "map[a:1 b:x c:3]"),
            ("unset", vec![ab.clone(), s("a")], "map[b:x]"),
            (
                "pluck",
                vec![s("a"), ab.clone(), d(vec![]), d(vec![("a", i(9))])],
                "[1 9]",
            ),
            ("pick", vec![ab.clone(), s("b"), s("q")], "map[b:x]"),
            ("omit", vec![ab.clone(), s("b")], "map[a:1]"),
            (
                "dig",
                vec![s("a"), s("b"), s("c"), s("dflt"), nested.clone()],
                "deep",
            ),
            (
                "dig",
                vec![s("a"), s("x"), s("c"), s("dflt"), nested.clone()],
                "dflt",
            ),
            (
                "dig",
                vec![s("a"), s("b"), s("c"), s("d"), s("dflt"), nested.clone()],
                "ERR interface conversion: interface {} is string, not map[string]interface {}",
            ),
            (
                "merge",
                vec![
                    d(vec![("a", i(1)), ("e", s(""))]),
                    d(vec![("a", i(2)), ("b", i(3)), ("e", s("filled"))]),
                ],
                "map[a:1 b:3 e:filled]",
            ),
            (
                "mergeOverwrite",
                vec![
                    d(vec![("a", i(1)), ("l", Value::list(vec![i(1)]))]),
                    d(vec![("a", s("")), ("l", Value::list(vec![i(2)]))]),
                ],
                "map[a: l:[2]]",
            ),
            (
                "merge",
                vec![
                    d(vec![("m", d(vec![("x", i(1))]))]),
                    d(vec![("m", d(vec![("x", i(9)), ("y", i(2))]))]),
                ],
                "map[m:map[x:1 y:2]]",
            ),
            (
                "mergeOverwrite",
                vec![
                    d(vec![("m", d(vec![("x", i(1))]))]),
                    d(vec![("m", d(vec![("x", i(9)), ("y", i(2))]))]),
                ],
                "map[m:map[x:9 y:2]]",
            ),
            (
                "mergeOverwrite",
                vec![d(vec![("a", i(1))]), d(vec![("a", Value::NIL)])],
                "map[a:<nil>]",
            ),
            (
                "merge",
                vec![
                    d(vec![("a", Value::bool(false))]),
                    d(vec![("a", Value::bool(true))]),
                ],
                "map[a:true]",
            ),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }
}
