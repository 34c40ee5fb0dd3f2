//! `values.schema.json` checked as Helm checks it, before rendering: the
//! root chart's schema against all values, each subchart's against its
//! part. A small in-tree validator of the keywords charts use: `type`,
//! `required`, `enum`, `const`, `properties`, `additionalProperties`,
//! `patternProperties`, `items`, `minimum`/`maximum` (and exclusive),
//! `minLength`/`maxLength`, `minItems`/`maxItems`, `pattern`, `allOf`/
//! `anyOf`/`oneOf`/`not`, local `$ref`. Not supported (accepted
//! silently): `format`, `if`/`then`/`else`, `dependencies`, remote `$ref`.
//! A failure is an error at the values line of the offending value.

use super::chart::{Chart, Unit};
use super::template::{Map, Value};
use crate::finding::FileError;
use crate::source::FileId;
use serde_json::Value as Json;

/// Schemas nest and refer to each other at most this deep.
const MAX_DEPTH: usize = 64;

/// Checks every chart of the tree whose schema is there.
pub fn validate_tree(chart: &Chart, values: &Map, unit: &Unit) -> Result<(), FileError> {
    let root = Value::map(values.clone());
    validate_chart(chart, &root, unit, 0)
}

fn validate_chart(
    chart: &Chart,
    values: &Value,
    unit: &Unit,
    depth: usize,
) -> Result<(), FileError> {
    if let Some((file, schema)) = &chart.schema {
        let mut errors = Vec::new();
        check(schema, schema, values, "", &mut errors, 0);
        if let Some((path, message, at)) = errors.into_iter().next() {
            let text = format!(
                "values don't meet the specifications of the schema(s) in the following chart(s):\n{}:\n- at '{}': {message}",
                chart.name,
                if path.is_empty() { "/".to_string() } else { path }
            );
            return Err(match at {
                Some(span) => unit.error(span, text),
                None => unit.error(crate::source::Span::new(0, 0).in_file(*file), text),
            });
        }
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for sub in &chart.subcharts {
        let part = values.get(&sub.name).cloned().unwrap_or(Value::NIL);
        validate_chart(sub, &part, unit, depth + 1)?;
    }
    let _ = FileId::PRIMARY;
    Ok(())
}

type Error = (String, String, Option<crate::source::Span>);

fn type_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn resolve<'a>(root: &'a Json, schema: &'a Json) -> Option<&'a Json> {
    let reference = schema.get("$ref")?.as_str()?;
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn check(
    root: &Json,
    schema: &Json,
    value: &Value,
    path: &str,
    errors: &mut Vec<Error>,
    depth: usize,
) {
    if depth > MAX_DEPTH || !errors.is_empty() {
        return;
    }
    let Some(object) = schema.as_object() else {
        if schema == &Json::Bool(false) {
            errors.push((path.into(), "false schema".into(), value.at));
        }
        return;
    };
    if let Some(target) = resolve(root, schema) {
        check(root, target, value, path, errors, depth + 1);
    }
    let json = value.to_json();
    let mut fail = |message: String| errors.push((path.to_string(), message, value.at));
    let got = type_of(&json);
    if let Some(want) = object.get("type") {
        let wants: Vec<&str> = match want {
            Json::String(s) => vec![s.as_str()],
            Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        let ok = wants.is_empty()
            || wants
                .iter()
                .any(|w| *w == got || (*w == "number" && got == "integer"));
        if !ok {
            fail(format!("got {got}, want {}", wants.join(" or ")));
            return;
        }
    }
    if let Some(Json::Array(options)) = object.get("enum") {
        if !options.contains(&json) {
            let list: Vec<String> = options.iter().map(Json::to_string).collect();
            fail(format!("value must be one of {}", list.join(", ")));
            return;
        }
    }
    if let Some(constant) = object.get("const") {
        if constant != &json {
            fail(format!("value must be {constant}"));
            return;
        }
    }
    match &json {
        Json::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            let bound = |k: &str| object.get(k).and_then(Json::as_f64);
            if bound("minimum").is_some_and(|m| x < m) {
                fail(format!(
                    "minimum: got {x}, want {}",
                    bound("minimum").unwrap_or(0.0)
                ));
            } else if bound("maximum").is_some_and(|m| x > m) {
                fail(format!(
                    "maximum: got {x}, want {}",
                    bound("maximum").unwrap_or(0.0)
                ));
            } else if bound("exclusiveMinimum").is_some_and(|m| x <= m) {
                fail(format!("exclusiveMinimum: got {x}"));
            } else if bound("exclusiveMaximum").is_some_and(|m| x >= m) {
                fail(format!("exclusiveMaximum: got {x}"));
            }
        }
        Json::String(s) => {
            let len = s.chars().count() as u64;
            let bound = |k: &str| object.get(k).and_then(Json::as_u64);
            if bound("minLength").is_some_and(|m| len < m) {
                fail(format!("minLength: got {len}"));
            } else if bound("maxLength").is_some_and(|m| len > m) {
                fail(format!("maxLength: got {len}"));
            } else if let Some(pattern) = object.get("pattern").and_then(Json::as_str) {
                if let Ok(re) = regex::Regex::new(pattern) {
                    if !re.is_match(s) {
                        fail(format!("'{s}' does not match pattern '{pattern}'"));
                    }
                }
            }
        }
        _ => {}
    }
    if !errors.is_empty() {
        return;
    }
    if let Some(map) = value.as_map() {
        let properties = object.get("properties").and_then(Json::as_object);
        for key in object
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
        {
            if !map.contains_key(key) {
                errors.push((
                    path.to_string(),
                    format!("missing property '{key}'"),
                    value.at,
                ));
                return;
            }
        }
        let patterns: Vec<(regex::Regex, &Json)> = object
            .get("patternProperties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(p, s)| Some((regex::Regex::new(p).ok()?, s)))
            .collect();
        for (key, child) in map.iter() {
            let child_path = format!("{path}/{key}");
            let mut matched = false;
            if let Some(s) = properties.and_then(|p| p.get(key)) {
                matched = true;
                check(root, s, child, &child_path, errors, depth + 1);
            }
            for (re, s) in &patterns {
                if re.is_match(key) {
                    matched = true;
                    check(root, s, child, &child_path, errors, depth + 1);
                }
            }
            if !matched {
                match object.get("additionalProperties") {
                    Some(Json::Bool(false)) => errors.push((
                        path.to_string(),
                        format!("additional properties '{key}' not allowed"),
                        child.at.or(value.at),
                    )),
                    Some(s @ Json::Object(_)) => {
                        check(root, s, child, &child_path, errors, depth + 1)
                    }
                    _ => {}
                }
            }
            if !errors.is_empty() {
                return;
            }
        }
    }
    if let Some(items) = value.as_list() {
        let count = items.len() as u64;
        let bound = |k: &str| object.get(k).and_then(Json::as_u64);
        if bound("minItems").is_some_and(|m| count < m) {
            errors.push((path.into(), format!("minItems: got {count}"), value.at));
            return;
        }
        if bound("maxItems").is_some_and(|m| count > m) {
            errors.push((path.into(), format!("maxItems: got {count}"), value.at));
            return;
        }
        if let Some(s) = object.get("items").filter(|s| s.is_object()) {
            for (i, item) in items.iter().enumerate() {
                check(root, s, item, &format!("{path}/{i}"), errors, depth + 1);
            }
        }
    }
    if let Some(Json::Array(all)) = object.get("allOf") {
        for s in all {
            check(root, s, value, path, errors, depth + 1);
        }
    }
    let passes = |s: &Json| {
        let mut e = Vec::new();
        check(root, s, value, path, &mut e, depth + 1);
        e.is_empty()
    };
    if let Some(Json::Array(any)) = object.get("anyOf") {
        if !any.iter().any(passes) {
            errors.push((path.into(), "anyOf failed".into(), value.at));
            return;
        }
    }
    if let Some(Json::Array(one)) = object.get("oneOf") {
        let n = one.iter().filter(|s| passes(s)).count();
        if n != 1 {
            errors.push((path.into(), format!("oneOf failed ({n} matched)"), value.at));
            return;
        }
    }
    if let Some(not) = object.get("not") {
        if passes(not) {
            errors.push((path.into(), "not failed".into(), value.at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(schema: Json, value: Json) -> Vec<String> {
        let mut out = Vec::new();
        check(&schema, &schema, &Value::from_json(&value), "", &mut out, 0);
        out.into_iter()
            .map(|(p, m, _)| format!("{p}: {m}"))
            .collect()
    }

    #[test]
    fn the_keywords_charts_use_are_checked() {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["replicas"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 1},
                "mode": {"enum": ["a", "b"]},
                "image": {"$ref": "#/definitions/image"},
                "list": {"type": "array", "items": {"type": "string"}}
            },
            "definitions": {"image": {"type": "object", "additionalProperties": false,
                "properties": {"tag": {"type": "string", "pattern": "^v"}}}}
        });
        assert!(errors(schema.clone(), serde_json::json!({"replicas": 2})).is_empty());
        assert_eq!(
            errors(schema.clone(), serde_json::json!({})),
            [": missing property 'replicas'"]
        );
        assert_eq!(
            errors(schema.clone(), serde_json::json!({"replicas": "2"})),
            ["/replicas: got string, want integer"]
        );
        assert_eq!(
            errors(schema.clone(), serde_json::json!({"replicas": 0})).len(),
            1
        );
        assert_eq!(
            errors(
                schema.clone(),
                serde_json::json!({"replicas": 1, "mode": "c"})
            )
            .len(),
            1
        );
        assert_eq!(
            errors(
                schema.clone(),
                serde_json::json!({"replicas": 1, "image": {"tag": "1", "x": 1}})
            )
            .len(),
            1
        );
        assert_eq!(
            errors(schema, serde_json::json!({"replicas": 1, "list": ["a", 3]})),
            ["/list/1: got integer, want string"]
        );
    }
}
