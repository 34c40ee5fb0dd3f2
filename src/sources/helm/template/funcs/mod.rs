//! Sprig's and Helm's functions that depend only on their arguments
//! (`default`, `quote`, `toYaml`, `b64enc`, `semverCompare`…). Functions
//! that need the engine (`include`, `tpl`, `and`, `or`, `index`, `printf`'s
//! builtin form…) are the engine's.

pub mod fmt;

use super::value::Value;

/// A template function: its arguments, already evaluated, in order (a
/// pipeline's value last). An `Err` is the message Helm would give.
pub type Func = fn(&[Value]) -> Result<Value, String>;

/// The function of this name, if it is one of these.
pub fn find(name: &str) -> Option<Func> {
    FUNCTIONS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| FUNCTIONS[i].1)
}

/// Sorted by name (a test checks).
static FUNCTIONS: &[(&str, Func)] = &[];
