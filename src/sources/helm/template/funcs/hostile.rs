//! Every function, called with hostile arguments, returns a value or an
//! error within the bounds: no panic, no string past `MAX_STRING_BYTES`,
//! no list past `MAX_LIST_ITEMS`.

use super::super::value::{Kind, Map, Value, MAX_LIST_ITEMS, MAX_STRING_BYTES};
use super::FUNCTIONS;

fn pool() -> Vec<Value> {
    let mut map = Map::new();
    map.insert("a".into(), Value::list(vec![Value::NIL, Value::str("x")]));
    map.insert("b".into(), Value::map(Map::new()));
    vec![
        Value::NIL,
        Value::int(-1),
        Value::int(3),
        Value::int(i64::MAX),
        Value::int(i64::MIN),
        Value::float(f64::NAN),
        Value::float(-1e300),
        Value::bool(true),
        Value::str(""),
        Value::str("é😀\u{85}\n\t a"),
        Value::str("%!%*d%9999999d%.9999999f"),
        Value::str("a: [\n- {"),
        Value::str("(((("),
        Value::str("2006-01-02T15:04:05Z07:00"),
        Value::str(">=1.19-0 || ^0.0"),
        Value::str("Jan _2 3PM é"),
        Value::str("2001-12-14T21:59:43+0é:1"),
        Value::list(vec![Value::int(1), Value::str("x"), Value::NIL]),
        Value::map(map),
    ]
}

fn check_bounds(name: &str, v: &Value, depth: usize) {
    assert!(depth < 64, "{name}: result nests too deeply");
    match &v.kind {
        Kind::Str(s) => assert!(s.len() <= MAX_STRING_BYTES, "{name}: {} bytes", s.len()),
        Kind::List(items) => {
            assert!(
                items.len() <= MAX_LIST_ITEMS,
                "{name}: {} items",
                items.len()
            );
            items.iter().for_each(|i| check_bounds(name, i, depth + 1));
        }
        Kind::Map(m) => m.values().for_each(|i| check_bounds(name, i, depth + 1)),
        _ => {}
    }
}

#[test]
fn no_function_panics_or_passes_the_bounds_on_hostile_arguments() {
    let pool = pool();
    let mut calls = 0;
    for (name, f) in FUNCTIONS {
        let mut call = |args: &[Value]| {
            calls += 1;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(args)));
            match result {
                Ok(Ok(v)) => check_bounds(name, &v, 0),
                Ok(Err(_)) => {}
                Err(_) => panic!("{name} panicked on {args:?}"),
            }
        };
        call(&[]);
        for a in &pool {
            call(std::slice::from_ref(a));
            for b in &pool {
                call(&[a.clone(), b.clone()]);
            }
        }
        // Three arguments: the first two from a smaller pool.
        for a in &pool[..9] {
            for b in &pool[..9] {
                for c in &pool {
                    call(&[a.clone(), b.clone(), c.clone()]);
                }
            }
        }
    }
    eprintln!("{calls} calls");
}
