//! Values as Helm computes them (`chartutil.CoalesceValues`,
//! `ProcessDependencies`): the user's values over each chart's
//! `values.yaml`, a subchart's under its name, `global` copied down,
//! `condition`/`tags` deciding which dependencies run, `import-values`
//! lifting a child's values into its parent. Every value keeps the span of
//! the values-file node it came from.

use super::chart::Chart;
use super::template::{Kind, Map, Value};
use std::sync::Arc;

/// Subcharts values may nest; deeper dependency trees are cut off.
const MAX_DEPTH: usize = 32;

fn map_of(value: &Value) -> Option<&Map> {
    value.as_map()
}

fn map_mut(value: &mut Value) -> Option<&mut Map> {
    match &mut value.kind {
        Kind::Map(m) => Some(Arc::make_mut(m)),
        _ => None,
    }
}

fn empty_map() -> Value {
    Value::map(Map::new())
}

/// `coalesceTables`: `src` fills what `dst` lacks; `dst` wins; a `null`
/// in `dst` deletes the key.
pub fn coalesce_tables(dst: &mut Map, src: &Map) {
    for (key, value) in src {
        match dst.get_mut(key) {
            Some(existing) if existing.is_nil() => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), value.clone());
            }
            Some(existing) => {
                if let (Some(d), Some(s)) = (map_mut(existing), map_of(value)) {
                    coalesce_tables(d, s);
                }
            }
        }
    }
}

/// `coalesceGlobals`: the parent's `global` over the subchart's.
fn coalesce_globals(dest: &mut Map, parent: &Map) {
    let mut globals = match dest.get("global") {
        Some(g) if map_of(g).is_some() => g.clone(),
        Some(_) => return,
        None => empty_map(),
    };
    let Some(parent_globals) = parent.get("global").and_then(map_of) else {
        dest.insert("global".into(), globals);
        return;
    };
    let dg = map_mut(&mut globals).expect("a map");
    for (key, value) in parent_globals {
        match (map_of(value), dg.get(key)) {
            (Some(_), Some(existing)) => {
                if let Some(existing) = map_of(existing) {
                    let mut merged = value.clone();
                    coalesce_tables(map_mut(&mut merged).expect("a map"), existing);
                    dg.insert(key.clone(), merged);
                }
            }
            (Some(_), None) => {
                dg.insert(key.clone(), value.clone());
            }
            (None, Some(existing)) if map_of(existing).is_some() => {}
            (None, _) => {
                dg.insert(key.clone(), value.clone());
            }
        }
    }
    dest.insert("global".into(), globals);
}

/// `coalesce`: `chart`'s defaults under `dest` (the values given for it),
/// then each subchart's under its name.
pub fn coalesce(chart: &Chart, dest: &mut Map, depth: usize) {
    let defaults = match &chart.imported {
        Some(imported) => Some(Value::map(imported.clone())),
        None => chart.values.as_ref().map(Value::from_node),
    };
    if let Some(defaults) = defaults {
        for (key, value) in map_of(&defaults).into_iter().flatten() {
            match dest.get_mut(key) {
                Some(existing) if existing.is_nil() => {
                    dest.remove(key);
                }
                None => {
                    dest.insert(key.clone(), value.clone());
                }
                Some(existing) => {
                    if let (Some(d), Some(s)) = (map_mut(existing), map_of(value)) {
                        coalesce_tables(d, s);
                    }
                }
            }
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    for sub in &chart.subcharts {
        let entry = dest.entry(sub.name.clone()).or_insert_with(empty_map);
        if map_of(entry).is_none() {
            continue;
        }
        let mut sub_values = entry.clone();
        let parent = dest.clone();
        let sub_map = map_mut(&mut sub_values).expect("a map");
        coalesce_globals(sub_map, &parent);
        coalesce(sub, sub_map, depth + 1);
        dest.insert(sub.name.clone(), sub_values);
    }
}

/// The values of the whole tree: `user` over every chart's defaults.
pub fn coalesce_values(chart: &Chart, user: &Map) -> Map {
    let mut dest = user.clone();
    coalesce(chart, &mut dest, 0);
    dest
}

/// A dotted path into values (`a.b.c`), as `PathValue` reads a condition.
pub fn path_value<'a>(values: &'a Map, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = values.get(parts.next()?)?;
    for part in parts {
        current = map_of(current)?.get(part)?;
    }
    Some(current)
}

/// A dependency in `Chart.yaml` with no chart under `charts/`.
#[derive(Debug)]
pub struct Missing {
    pub name: String,
    pub span: crate::source::Span,
}

/// Helm's `processDependencyEnabled`: aliases applied, the dependencies
/// their `condition` or `tags` turn off removed, recursively. `user` is
/// the values the user gave for the whole tree; `path` the subchart's
/// place in it (`sub.`). Dependencies not vendored under `charts/` are
/// left out and listed in `missing`.
pub fn enable_dependencies(
    chart: &mut Chart,
    user: &Map,
    path: &str,
    depth: usize,
    missing: &mut Vec<Missing>,
) {
    if depth >= MAX_DEPTH {
        chart.subcharts.clear();
        return;
    }
    let vendored = std::mem::take(&mut chart.subcharts);
    let mut kept: Vec<(Chart, Option<usize>)> = Vec::new();
    // Subcharts no dependency names are kept as they are.
    for sub in &vendored {
        if !chart.dependencies.iter().any(|d| d.name == sub.name) {
            kept.push((sub.clone(), None));
        }
    }
    for (i, dep) in chart.dependencies.iter().enumerate() {
        let Some(found) = vendored.iter().find(|c| c.name == dep.name) else {
            missing.push(Missing {
                name: dep.name.clone(),
                span: dep.span,
            });
            continue;
        };
        let mut sub = found.clone();
        if let Some(alias) = &dep.alias {
            sub.name = alias.clone();
        }
        kept.push((sub, Some(i)));
    }
    chart.subcharts = kept.iter().map(|(c, _)| c.clone()).collect();
    let values = coalesce_values(chart, user);
    let tags = values.get("tags").and_then(map_of);
    let mut enabled = Vec::new();
    for (sub, dep) in kept {
        let Some(dep) = dep.map(|i| &chart.dependencies[i]) else {
            enabled.push(sub);
            continue;
        };
        let mut on = true;
        let (mut has_true, mut has_false) = (false, false);
        for tag in &dep.tags {
            match tags.and_then(|t| t.get(tag)).map(|v| &v.kind) {
                Some(Kind::Bool(true)) => has_true = true,
                Some(Kind::Bool(false)) => has_false = true,
                _ => {}
            }
        }
        if !has_true && has_false {
            on = false;
        }
        for condition in dep.condition.as_deref().unwrap_or("").split(',') {
            let condition = condition.trim();
            if condition.is_empty() {
                continue;
            }
            if let Some(Kind::Bool(b)) =
                path_value(&values, &format!("{path}{condition}")).map(|v| &v.kind)
            {
                on = *b;
                break;
            }
        }
        if on {
            enabled.push(sub);
        }
    }
    for sub in &mut enabled {
        let sub_path = format!("{path}{}.", sub.name);
        enable_dependencies(sub, user, &sub_path, depth + 1, missing);
    }
    chart.subcharts = enabled;
}

/// Helm's `processImportValues`, applied to each chart's defaults from the
/// leaves up: `import-values` of a dependency copy the child's values (a
/// string `x` names `exports.x`; a map names `child` and `parent` paths)
/// into the parent, below the parent's own values.
pub fn import_values(chart: &mut Chart, user: &Map, depth: usize) {
    if depth >= MAX_DEPTH {
        return;
    }
    for sub in &mut chart.subcharts {
        import_values(sub, user, depth + 1);
    }
    if chart
        .dependencies
        .iter()
        .all(|d| d.import_values.is_empty())
    {
        return;
    }
    let values = coalesce_values(chart, user);
    let mut imported = Map::new();
    for dep in &chart.dependencies {
        let name = dep.alias.as_deref().unwrap_or(&dep.name);
        if !chart.subcharts.iter().any(|c| c.name == name) {
            continue;
        }
        for entry in &dep.import_values {
            let (child, parent) = match entry.as_str() {
                Some(s) => (format!("exports.{s}"), String::new()),
                None => (
                    entry
                        .get("child")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string(),
                    entry
                        .get("parent")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string(),
                ),
            };
            let Some(found) = path_value(&values, &format!("{name}.{child}")) else {
                continue;
            };
            let Some(table) = map_of(found) else { continue };
            let mut lifted = table.clone();
            for key in parent.rsplit('.').filter(|k| !k.is_empty() && *k != ".") {
                let mut outer = Map::new();
                outer.insert(key.to_string(), Value::map(lifted));
                lifted = outer;
            }
            coalesce_tables(&mut imported, &lifted);
        }
    }
    if imported.is_empty() {
        return;
    }
    // The parent's values win over what it imports.
    let mut own = match chart.values.as_ref().map(Value::from_node) {
        Some(v) => map_of(&v).cloned().unwrap_or_default(),
        None => Map::new(),
    };
    coalesce_tables(&mut own, &imported);
    chart.imported = Some(own);
}

/// `--set a.b=c,d[0]=e`, as Helm's `strvals` reads it: `true`/`false`,
/// integers and `null` are typed, anything else is a string; `\,` and `\.`
/// escape.
pub fn parse_set(text: &str, into: &mut Map) -> Result<(), String> {
    for assignment in split_unescaped(text, ',') {
        if assignment.is_empty() {
            continue;
        }
        let Some((key, value)) = assignment.split_once('=') else {
            return Err(format!("`{assignment}`: key \"{assignment}\" has no value"));
        };
        let typed = match value {
            "true" => Value::bool(true),
            "false" => Value::bool(false),
            "null" => Value::NIL,
            v if v.parse::<i64>().is_ok() && !(v.starts_with('0') && v.len() > 1) => {
                Value::int(v.parse().unwrap_or(0))
            }
            v => Value::str(v.replace("\\,", ",")),
        };
        let steps = split_unescaped(key, '.');
        set_path(into, &steps, typed, 0)?;
    }
    Ok(())
}

fn split_unescaped(text: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&sep) {
            out.last_mut().expect("one").push(sep);
            chars.next();
        } else if c == sep {
            out.push(String::new());
        } else {
            out.last_mut().expect("one").push(c);
        }
    }
    out
}

/// Largest list index `--set` may write (Helm's own limit).
const MAX_SET_INDEX: usize = 65_536;

fn set_path(map: &mut Map, steps: &[String], value: Value, depth: usize) -> Result<(), String> {
    let Some((first, rest)) = steps.split_first() else {
        return Ok(());
    };
    if depth > 64 {
        return Err("--set key nests too deep".into());
    }
    let (name, index) = match first.split_once('[') {
        Some((name, idx)) => {
            let idx: usize = idx
                .trim_end_matches(']')
                .parse()
                .map_err(|_| format!("`{first}`: list index is not a number"))?;
            if idx > MAX_SET_INDEX {
                return Err(format!("`{first}`: index over {MAX_SET_INDEX}"));
            }
            (name.to_string(), Some(idx))
        }
        None => (first.clone(), None),
    };
    let slot = |current: &mut Value, rest: &[String], value: Value| -> Result<(), String> {
        if rest.is_empty() {
            *current = value;
            return Ok(());
        }
        if map_of(current).is_none() {
            *current = empty_map();
        }
        set_path(map_mut(current).expect("a map"), rest, value, depth + 1)
    };
    match index {
        None => {
            let current = map.entry(name).or_insert(Value::NIL);
            slot(current, rest, value)
        }
        Some(i) => {
            let current = map.entry(name).or_insert_with(|| Value::list(Vec::new()));
            let mut items: Vec<Value> =
                current.as_list().map(<[Value]>::to_vec).unwrap_or_default();
            if items.len() <= i {
                items.resize(i + 1, Value::NIL);
            }
            slot(&mut items[i], rest, value)?;
            *current = Value::list(items);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, Value)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn the_user_wins_and_null_deletes() {
        let mut dst = m(&[("a", Value::int(1)), ("gone", Value::NIL)]);
        let src = m(&[
            ("a", Value::int(2)),
            ("b", Value::int(3)),
            ("gone", Value::int(4)),
        ]);
        coalesce_tables(&mut dst, &src);
        assert_eq!(dst.get("a"), Some(&Value::int(1)));
        assert_eq!(dst.get("b"), Some(&Value::int(3)));
        assert!(!dst.contains_key("gone"));
    }

    #[test]
    fn parent_globals_win_over_the_subchart_s() {
        let parent = m(&[(
            "global",
            Value::map(m(&[("a", Value::int(1)), ("b", Value::int(2))])),
        )]);
        let mut sub = m(&[("global", Value::map(m(&[("a", Value::int(9))])))]);
        coalesce_globals(&mut sub, &parent);
        let g = sub.get("global").and_then(map_of).unwrap();
        assert_eq!(g.get("a"), Some(&Value::int(1)));
        assert_eq!(g.get("b"), Some(&Value::int(2)));
    }

    #[test]
    fn set_writes_typed_values_at_paths() {
        let mut map = Map::new();
        parse_set("a.b=x,n=3,t=true,l[1]=y,esc=a\\,b", &mut map).unwrap();
        assert_eq!(path_value(&map, "a.b"), Some(&Value::str("x")));
        assert_eq!(map.get("n"), Some(&Value::int(3)));
        assert_eq!(map.get("t"), Some(&Value::bool(true)));
        assert_eq!(map.get("l").unwrap().as_list().unwrap().len(), 2);
        assert_eq!(map.get("esc"), Some(&Value::str("a,b")));
        assert!(parse_set("novalue", &mut Map::new()).is_err());
        assert!(parse_set("l[99999999]=x", &mut Map::new()).is_err());
    }
}
