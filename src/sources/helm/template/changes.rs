//! Go maps are references: `set`, `unset`, `merge`… change a map in place
//! and every holder of it sees the change. Here maps are values, so each
//! changed map is recorded against the one it replaces, and reads follow
//! the record.

use super::parse;
use super::{Kind, Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// The maps changed in place during one render.
#[derive(Default)]
pub struct MapChanges {
    /// Old map (kept alive, so its address stays unique) to what it is now.
    forwarded: HashMap<usize, (Arc<Map>, Value)>,
    /// Maps and lists already resolved since the last change (the same
    /// `$` handed to a thousand `include`s is walked once); each entry
    /// keeps its original alive so the address stays unique.
    resolved: RefCell<HashMap<usize, (Value, Value)>>,
}

impl MapChanges {
    pub fn is_empty(&self) -> bool {
        self.forwarded.is_empty()
    }

    /// Records that map `old` now reads as `new`.
    pub fn record(&mut self, old: Arc<Map>, new: &Value) {
        if let Kind::Map(m) = &new.kind {
            if Arc::ptr_eq(&old, m) {
                return;
            }
        }
        let key = Arc::as_ptr(&old) as usize;
        self.forwarded.insert(key, (old, new.clone()));
        self.resolved.borrow_mut().clear();
    }

    /// A map as it reads now, after the changes made to it.
    pub fn follow(&self, value: Value) -> Value {
        let mut value = value;
        // Each step leads to a later map; the table bounds the walk.
        for _ in 0..=self.forwarded.len() {
            let Kind::Map(map) = &value.kind else { break };
            match self.forwarded.get(&(Arc::as_ptr(map) as usize)) {
                Some((_, new)) => value = new.clone().at(value.at.or(new.at)),
                None => break,
            }
        }
        value
    }

    /// A value with every map inside it as it reads now (what a function
    /// or the printer sees).
    pub fn resolve(&self, value: &Value, depth: usize) -> Value {
        if self.forwarded.is_empty() || depth > parse::MAX_NESTING {
            return value.clone();
        }
        let key = match &value.kind {
            Kind::Map(m) => Arc::as_ptr(m) as usize,
            Kind::List(l) => Arc::as_ptr(l) as *const u8 as usize,
            _ => return value.clone(),
        };
        if let Some((_, done)) = self.resolved.borrow().get(&key) {
            return done.clone().at(value.at);
        }
        let original = value.clone();
        let value = self.follow(value.clone());
        let done = match &value.kind {
            Kind::Map(map) => {
                let mut changed = false;
                let resolved: Map = map
                    .iter()
                    .map(|(k, v)| {
                        let r = self.resolve(v, depth + 1);
                        changed |= !same(&r, v);
                        (k.clone(), r)
                    })
                    .collect();
                if changed {
                    Value::map(resolved).at(value.at)
                } else {
                    value
                }
            }
            Kind::List(items) => {
                let mut changed = false;
                let resolved: Vec<Value> = items
                    .iter()
                    .map(|v| {
                        let r = self.resolve(v, depth + 1);
                        changed |= !same(&r, v);
                        r
                    })
                    .collect();
                if changed {
                    Value::list(resolved).at(value.at)
                } else {
                    value
                }
            }
            _ => value,
        };
        self.resolved
            .borrow_mut()
            .insert(key, (original, done.clone()));
        done
    }
}

/// The same map or list (not merely equal).
fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Map(x), Kind::Map(y)) => Arc::ptr_eq(x, y),
        (Kind::List(x), Kind::List(y)) => Arc::ptr_eq(x, y),
        _ => true,
    }
}
