// TEMPORARY stand-in (JSON only, no spans): replaced by the real parser.
use crate::document::{Entry, Node, Value};
use crate::source::Span;
#[derive(Default)] pub struct Limits;
pub struct YamlDocument { pub index: usize, pub node: Node, pub span: Span }
pub struct YamlError { pub span: Span, pub message: String }
fn conv(v: &serde_json::Value) -> Node {
    let s = Span::default();
    Node::new(s, match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Int).unwrap_or(Value::Float(n.as_f64().unwrap_or(0.0))),
        serde_json::Value::String(x) => Value::Str(x.clone()),
        serde_json::Value::Array(a) => Value::Seq(a.iter().map(conv).collect()),
        serde_json::Value::Object(o) => Value::Map(o.iter().map(|(k, v)| Entry { key: k.clone(), key_span: s, value: conv(v) }).collect()),
    })
}
pub fn parse(text: &str, _l: &Limits) -> Result<Vec<YamlDocument>, YamlError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| YamlError { span: Span::default(), message: e.to_string() })?;
    Ok(vec![YamlDocument { index: 0, node: conv(&v), span: Span::default() }])
}
