//! Executes parsed templates as Go's `text/template` does under Helm:
//! `missingkey=zero`, nil printed as nothing, Helm's `include`, `tpl`,
//! `lookup`, and `required`/`fail` errors in Helm's words. Every byte
//! written is recorded with the template text (and values node) behind it.

use super::builtins::{self, CallError};
use super::changes::MapChanges;
use super::funcs;
use super::lex::go_quote;
use super::output::{strip_no_value, Out, NO_VALUE};
use super::parse::{self, Arg, ArgKind, Command, Control, Literal, Node, Pipe, Source, Tree};
use super::value::MAX_STRING_BYTES;
use super::{Kind, Map, Object, Value};
use super::{Limits, Rendered, Segment};
use crate::source::Span;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::Arc;

/// Named templates, as Go's `common.tmpl`.
pub type TreeSet = BTreeMap<String, Arc<Tree>>;

/// Helm's limit on one template `include`d inside itself.
const INCLUDE_RECURSION_MAX: usize = 1_000;
/// Native recursion (nested blocks, pipelines and template calls
/// together) one render may reach; the render thread's stack is sized for it.
pub const MAX_RECURSION: usize = 10_000;
/// Output bytes charged as one step, so copying big strings costs steps.
const BYTES_PER_STEP: usize = 256;
/// Helm's own wrapping of `required`/`fail` messages.
const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// A render failure with Go's message; `warning` is a `required`/`fail`
/// message, which Helm reports as `execution error at (LOCATION): MESSAGE`.
#[derive(Debug)]
pub struct Failure {
    pub at: Span,
    pub location: String,
    /// Go's message: `template: LOCATION: executing "NAME" at <NODE>: …`.
    pub message: String,
    /// Helm 4's layout of the same error, one `LOCATION / executing … /
    /// message` block per template, when every error in the chain is a
    /// template's (Helm prints Go's message otherwise).
    pub trace: Option<String>,
    pub warning: Option<String>,
    /// A limit of this renderer was hit: passed up unwrapped.
    pub limit: bool,
}

impl Failure {
    /// The message Helm prints; a chain of a thousand nested `include`s is
    /// cut in the middle.
    pub fn helm_message(&self) -> String {
        let message = match &self.warning {
            Some(w) if !self.location.is_empty() => {
                format!("execution error at ({}): {w}", self.location)
            }
            _ => self.trace.clone().unwrap_or_else(|| self.message.clone()),
        };
        shorten(message)
    }
}

type Fail = Box<Failure>;
type Res<T> = Result<T, Fail>;

#[derive(PartialEq, Eq, Debug)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Dot or a variable. `boxed`: read from a map or list slot, Go's
/// `interface{}`: a field of a nil one is an error and type errors name
/// `interface {}` (a pipeline's result is unboxed).
#[derive(Clone, Debug)]
struct Slot {
    value: Value,
    boxed: bool,
}

impl Slot {
    fn plain(value: Value) -> Slot {
        Slot {
            value,
            boxed: false,
        }
    }
}

/// One template being executed: its tree and variables.
struct Frame<'a> {
    tree: &'a Tree,
    vars: Vec<(String, Slot)>,
}

pub struct Exec<'t> {
    set: &'t TreeSet,
    /// `define`s of `tpl` texts being executed, newest last; they shadow
    /// the chart's, as in Helm's cloned template set.
    overlays: Vec<Arc<TreeSet>>,
    limits: Limits,
    steps: u64,
    depth: usize,
    recursion: usize,
    include_counts: BTreeMap<String, usize>,
    /// Maps changed in place by `set`, `merge`…
    changes: MapChanges,
    is_function: &'t dyn Fn(&str) -> bool,
}

impl<'t> Exec<'t> {
    pub fn new(
        set: &'t TreeSet,
        limits: Limits,
        is_function: &'t dyn Fn(&str) -> bool,
    ) -> Exec<'t> {
        Exec {
            set,
            overlays: Vec::new(),
            limits,
            steps: 0,
            depth: 0,
            recursion: 0,
            include_counts: BTreeMap::new(),
            changes: MapChanges::default(),
            is_function,
        }
    }

    fn lookup(&self, name: &str) -> Option<Arc<Tree>> {
        for overlay in self.overlays.iter().rev() {
            if let Some(t) = overlay.get(name) {
                return Some(t.clone());
            }
        }
        self.set.get(name).cloned()
    }

    /// Renders template `tree` with `data` as dot and `$`.
    pub fn render(&mut self, tree: &Tree, data: &Value) -> Res<Rendered> {
        let mut out = Out::new(true, self.limits.max_output_bytes);
        self.run_tree(tree, Slot::plain(data.clone()), &mut out)?;
        Ok(strip_no_value(Rendered {
            text: out.text,
            segments: out.segments,
        }))
    }

    fn run_tree(&mut self, tree: &Tree, dot: Slot, out: &mut Out) -> Res<()> {
        let mut frame = Frame {
            tree,
            vars: vec![("$".to_string(), dot.clone())],
        };
        self.walk_list(&mut frame, &dot, &tree.root, out)?;
        Ok(())
    }

    // Errors.

    fn fail_at(
        &self,
        frame: &Frame,
        pos: usize,
        context: &dyn Display,
        message: impl Display,
    ) -> Fail {
        let source = &frame.tree.source;
        let context = context.to_string();
        let end = crate::source::floor_char_boundary(
            &source.text,
            (pos + context.len()).min(source.text.len()),
        );
        let location = source.location(pos);
        let executing = format!("executing {} at <{context}>", go_quote(&frame.tree.name));
        Box::new(Failure {
            at: source.span(pos, end.max(pos)),
            message: format!("template: {location}: {executing}: {message}"),
            trace: Some(format!("{location}\n  {executing}:\n    {message}")),
            location,
            warning: None,
            limit: false,
        })
    }

    fn limit(&self, frame: &Frame, pos: usize, message: String) -> Fail {
        let source = &frame.tree.source;
        let location = source.location(pos);
        Box::new(Failure {
            at: source.span(pos, pos),
            message: format!("template: {location}: {message}"),
            trace: None,
            location,
            warning: None,
            limit: true,
        })
    }

    fn step(&mut self, frame: &Frame, pos: usize, n: u64) -> Res<()> {
        self.steps += n;
        if self.steps > self.limits.max_steps {
            return Err(self.limit(
                frame,
                pos,
                format!(
                    "render stopped: more than {} steps (limit max_steps); a loop or recursion in the chart runs too long",
                    self.limits.max_steps
                ),
            ));
        }
        Ok(())
    }

    fn enter(&mut self, frame: &Frame, pos: usize) -> Res<()> {
        self.recursion += 1;
        if self.recursion > MAX_RECURSION {
            return Err(self.limit(
                frame,
                pos,
                format!("render stopped: nesting deeper than {MAX_RECURSION} (blocks, pipelines and template calls)"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.recursion -= 1;
    }

    fn write(
        &mut self,
        frame: &Frame,
        pos: usize,
        out: &mut Out,
        text: &str,
        segment: Option<(Span, bool, Option<Span>)>,
    ) -> Res<()> {
        if text.is_empty() {
            return Ok(());
        }
        if out.text.len() + text.len() > out.limit {
            return Err(self.limit(
                frame,
                pos,
                format!(
                    "render stopped: output larger than {} bytes (limit max_output_bytes)",
                    out.limit
                ),
            ));
        }
        self.step(frame, pos, (text.len() / BYTES_PER_STEP) as u64)?;
        let start = out.text.len();
        out.text.push_str(text);
        if out.track {
            if let Some((template, literal, value)) = segment {
                out.segments.push(Segment {
                    output: start..out.text.len(),
                    template,
                    literal,
                    value,
                });
            }
        }
        Ok(())
    }

    // Walking nodes.

    fn walk_list(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        nodes: &[Node],
        out: &mut Out,
    ) -> Res<Flow> {
        let pos = match nodes.first() {
            Some(Node::Text(r)) => r.start,
            _ => 0,
        };
        self.enter(frame, pos)?;
        let mut flow = Flow::Normal;
        for node in nodes {
            flow = self.walk(frame, dot, node, out)?;
            if flow != Flow::Normal {
                break;
            }
        }
        self.leave();
        Ok(flow)
    }

    fn walk(&mut self, frame: &mut Frame, dot: &Slot, node: &Node, out: &mut Out) -> Res<Flow> {
        match node {
            Node::Text(range) => {
                self.step(frame, range.start, 1)?;
                let source = frame.tree.source.clone();
                let text = &source.text[range.clone()];
                let span = source.span(range.start, range.end);
                let literal = source.anchor.is_none();
                self.write(frame, range.start, out, text, Some((span, literal, None)))?;
            }
            Node::Comment => {}
            Node::Action { span, pipe } => {
                self.step(frame, span.start, 1)?;
                let value = self.eval_pipeline(frame, dot, pipe)?;
                if pipe.decl.is_empty() && !value.is_nil() {
                    let text = self.changes.resolve(&value, 0).to_string();
                    let template = frame.tree.source.span(span.start, span.end);
                    self.write(
                        frame,
                        span.start,
                        out,
                        &text,
                        Some((template, false, value.at)),
                    )?;
                }
            }
            Node::If(c) | Node::With(c) => {
                self.step(frame, c.pipe.pos, 1)?;
                let mark = frame.vars.len();
                let value = self.eval_pipeline(frame, dot, &c.pipe)?;
                let flow = if value.truth() {
                    if matches!(node, Node::With(_)) {
                        self.walk_list(frame, &Slot::plain(value), &c.list, out)?
                    } else {
                        self.walk_list(frame, dot, &c.list, out)?
                    }
                } else if let Some(else_list) = &c.else_list {
                    self.walk_list(frame, dot, else_list, out)?
                } else {
                    Flow::Normal
                };
                frame.vars.truncate(mark);
                return Ok(flow);
            }
            Node::Range(c) => {
                self.step(frame, c.pipe.pos, 1)?;
                self.walk_range(frame, dot, c, out)?;
            }
            Node::Template {
                pos, name, pipe, ..
            } => {
                self.step(frame, *pos, 1)?;
                let Some(tree) = self.lookup(name) else {
                    // Go names the node `{{template "x" pipeline}}`.
                    let context = match pipe {
                        Some(p) => format!("{{{{template {} {p}}}}}", go_quote(name)),
                        None => format!("{{{{template {}}}}}", go_quote(name)),
                    };
                    return Err(self.fail_at(
                        frame,
                        *pos,
                        &context,
                        format!("template {} not defined", go_quote(name)),
                    ));
                };
                let dot = match pipe {
                    Some(p) => self.eval_pipeline(frame, dot, p)?,
                    None => Value::NIL,
                };
                self.call_depth(frame, *pos)?;
                let result = self.run_tree(&tree, Slot::plain(dot), out);
                self.depth -= 1;
                result?;
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn call_depth(&mut self, frame: &Frame, pos: usize) -> Res<()> {
        if self.depth > self.limits.max_depth {
            return Err(self.limit(
                frame,
                pos,
                format!(
                    "exceeded maximum template depth ({}, limit max_depth): a template includes itself without end",
                    self.limits.max_depth
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn walk_range(&mut self, frame: &mut Frame, dot: &Slot, c: &Control, out: &mut Out) -> Res<()> {
        let mark = frame.vars.len();
        let value = self.eval_pipeline(frame, dot, &c.pipe)?;
        let body_mark = frame.vars.len();
        let decls = c.pipe.decl.len();
        let mut ran = false;
        // One iteration: set the variables, walk the body; false to stop.
        let mut iterate =
            |this: &mut Self, frame: &mut Frame, index: Slot, elem: Slot| -> Res<bool> {
                ran = true;
                this.step(frame, c.pipe.pos, 1)?;
                if c.pipe.is_assign {
                    if decls > 1 {
                        this.set_var(frame, &c.pipe, &c.pipe.decl[0], index.clone())?;
                        this.set_var(frame, &c.pipe, &c.pipe.decl[1], elem.clone())?;
                    } else if decls == 1 {
                        this.set_var(frame, &c.pipe, &c.pipe.decl[0], elem.clone())?;
                    }
                } else {
                    let n = frame.vars.len();
                    if decls > 0 {
                        frame.vars[n - 1].1 = elem.clone();
                    }
                    if decls > 1 {
                        frame.vars[n - 2].1 = index;
                    }
                }
                let flow = this.walk_list(frame, &elem, &c.list, out)?;
                frame.vars.truncate(body_mark);
                Ok(flow != Flow::Break)
            };
        match &value.kind {
            Kind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let elem = Slot {
                        value: item.clone(),
                        boxed: true,
                    };
                    if !iterate(self, frame, Slot::plain(Value::int(i as i64)), elem)? {
                        break;
                    }
                }
            }
            Kind::Map(map) => {
                for (key, item) in map.iter() {
                    let elem = Slot {
                        value: item.clone(),
                        boxed: true,
                    };
                    if !iterate(self, frame, Slot::plain(Value::str(key.as_str())), elem)? {
                        break;
                    }
                }
            }
            Kind::Int(n) => {
                if decls > 1 {
                    return Err(self.pipe_fail(
                        frame,
                        &c.pipe,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                for i in 0..(*n).max(0) {
                    let v = Slot::plain(Value::int(i));
                    if !iterate(self, frame, v.clone(), v)? {
                        break;
                    }
                }
            }
            Kind::Nil => {}
            _ => {
                return Err(self.pipe_fail(
                    frame,
                    &c.pipe,
                    format!("range can't iterate over {value}"),
                ))
            }
        }
        if !ran {
            if let Some(else_list) = &c.else_list {
                self.walk_list(frame, dot, else_list, out)?;
            }
        }
        frame.vars.truncate(mark);
        Ok(())
    }

    /// An error about a control structure's value, at its last command (the
    /// node Go was evaluating).
    fn pipe_fail(&self, frame: &Frame, pipe: &Pipe, message: String) -> Fail {
        match pipe.cmds.last().and_then(|c| c.args.last()) {
            Some(arg) => self.fail_at(frame, arg.pos, arg, message),
            None => self.fail_at(frame, pipe.pos, pipe, message),
        }
    }

    /// `$x = …`; the error names the node Go evaluated last.
    fn set_var(&self, frame: &mut Frame, pipe: &Pipe, name: &str, value: Slot) -> Res<()> {
        match frame.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.pipe_fail(frame, pipe, format!("undefined variable: {name}"))),
        }
    }

    fn var(&self, frame: &Frame, pos: usize, name: &str) -> Res<Slot> {
        match frame.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, slot)) => Ok(Slot {
                value: self.changes.follow(slot.value.clone()),
                boxed: slot.boxed,
            }),
            None => Err(self.fail_at(frame, pos, &name, format!("undefined variable: {name}"))),
        }
    }

    // Evaluating pipelines.

    fn eval_pipeline(&mut self, frame: &mut Frame, dot: &Slot, pipe: &Pipe) -> Res<Value> {
        self.enter(frame, pipe.pos)?;
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(frame, dot, cmd, value)?);
        }
        let value = value.unwrap_or(Value::NIL);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(frame, pipe, name, Slot::plain(value.clone()))?;
            } else {
                frame.vars.push((name.clone(), Slot::plain(value.clone())));
            }
        }
        self.leave();
        Ok(value)
    }

    fn not_a_function(&self, frame: &Frame, cmd: &Command, last: &Option<Value>) -> Res<()> {
        if cmd.args.len() > 1 || last.is_some() {
            return Err(self.fail_at(
                frame,
                cmd.args[0].pos,
                &cmd.args[0],
                format!("can't give argument to non-function {}", cmd.args[0]),
            ));
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        cmd: &Command,
        last: Option<Value>,
    ) -> Res<Value> {
        self.step(frame, cmd.pos, 1)?;
        let first = &cmd.args[0];
        let args = &cmd.args[1..];
        match &first.kind {
            ArgKind::Field(idents) => {
                self.eval_field_chain(frame, dot, dot.clone(), first, idents, args, last)
            }
            ArgKind::Chain(node, idents) => {
                if matches!(node.kind, ArgKind::Nil) {
                    return Err(self.fail_at(
                        frame,
                        first.pos,
                        first,
                        format!("indirection through explicit nil in {first}"),
                    ));
                }
                let receiver = self.eval_arg(frame, dot, node)?;
                self.eval_field_chain(frame, dot, Slot::plain(receiver), first, idents, args, last)
            }
            ArgKind::Ident(name) => {
                self.eval_function(frame, dot, name, first, Some(cmd), args, last)
            }
            ArgKind::Pipe(pipe) => {
                self.not_a_function(frame, cmd, &last)?;
                self.eval_pipeline(frame, dot, pipe)
            }
            ArgKind::Variable(name, idents) => {
                let value = self.var(frame, first.pos, name)?;
                if idents.is_empty() {
                    self.not_a_function(frame, cmd, &last)?;
                    return Ok(value.value);
                }
                self.eval_field_chain(frame, dot, value, first, idents, args, last)
            }
            _ => {
                self.not_a_function(frame, cmd, &last)?;
                if matches!(first.kind, ArgKind::Nil) {
                    return Err(self.fail_at(frame, first.pos, first, "nil is not a command"));
                }
                self.eval_arg(frame, dot, first)
            }
        }
    }

    /// An argument of a function, as an `interface{}` parameter receives it.
    fn eval_arg(&mut self, frame: &mut Frame, dot: &Slot, arg: &Arg) -> Res<Value> {
        match &arg.kind {
            ArgKind::Dot => Ok(self.changes.follow(dot.value.clone())),
            ArgKind::Nil => Ok(Value::NIL),
            ArgKind::Bool(b) => Ok(Value::bool(*b)),
            ArgKind::Str(_, s) => Ok(Value::str(s.as_str())),
            ArgKind::Number(n) => match n.value {
                Literal::Int(i) => Ok(Value::int(i)),
                Literal::Float(f) => Ok(Value::float(f)),
                Literal::Overflow => {
                    Err(self.fail_at(frame, arg.pos, arg, format!("{} overflows int", n.text)))
                }
            },
            ArgKind::Field(idents) => {
                self.eval_field_chain(frame, dot, dot.clone(), arg, idents, &[], None)
            }
            ArgKind::Variable(name, idents) => {
                let value = self.var(frame, arg.pos, name)?;
                if idents.is_empty() {
                    return Ok(value.value);
                }
                self.eval_field_chain(frame, dot, value, arg, idents, &[], None)
            }
            ArgKind::Pipe(pipe) => self.eval_pipeline(frame, dot, pipe),
            ArgKind::Ident(name) => self.eval_function(frame, dot, name, arg, None, &[], None),
            ArgKind::Chain(node, idents) => {
                if matches!(node.kind, ArgKind::Nil) {
                    return Err(self.fail_at(
                        frame,
                        arg.pos,
                        arg,
                        format!("indirection through explicit nil in {arg}"),
                    ));
                }
                let receiver = self.eval_arg(frame, dot, node)?;
                self.eval_field_chain(frame, dot, Slot::plain(receiver), arg, idents, &[], None)
            }
        }
    }

    /// `.a.b.c` from `receiver`; the last name gets the arguments (a method
    /// of an object).
    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        receiver: Slot,
        node: &Arg,
        idents: &[String],
        args: &[Arg],
        last: Option<Value>,
    ) -> Res<Value> {
        let mut receiver = receiver;
        let n = idents.len();
        for (i, name) in idents.iter().enumerate() {
            let is_last = i + 1 == n;
            let (args, last) = if is_last {
                (args, last.clone())
            } else {
                (&[][..], None)
            };
            receiver = self.eval_field(frame, dot, receiver, node, name, args, last)?;
        }
        Ok(receiver.value)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        receiver: Slot,
        node: &Arg,
        name: &str,
        args: &[Arg],
        last: Option<Value>,
    ) -> Res<Slot> {
        let has_args = !args.is_empty() || last.is_some();
        let receiver = Slot {
            value: self.changes.follow(receiver.value),
            boxed: receiver.boxed,
        };
        let type_name = if receiver.boxed {
            "interface {}"
        } else {
            receiver.value.type_name()
        };
        match &receiver.value.kind {
            Kind::Nil if receiver.boxed => Err(self.fail_at(
                frame,
                node.pos,
                node,
                format!("nil pointer evaluating interface {{}}.{name}"),
            )),
            // Go's invalid value: missing data gives nothing.
            Kind::Nil => Ok(Slot::plain(Value::NIL)),
            Kind::Map(map) => {
                if has_args {
                    return Err(self.fail_at(
                        frame,
                        node.pos,
                        node,
                        format!("{name} is not a method but has arguments"),
                    ));
                }
                let value = self
                    .changes
                    .follow(map.get(name).cloned().unwrap_or(Value::NIL));
                Ok(Slot { value, boxed: true })
            }
            Kind::Object(object) => {
                let object = object.clone();
                let mut values = Vec::with_capacity(args.len() + 1);
                for arg in args {
                    values.push(self.eval_arg(frame, dot, arg)?);
                }
                values.extend(last);
                self.step(frame, node.pos, 1)?;
                match Object::call(&*object, name, &values) {
                    Some(Ok(value)) => Ok(Slot::plain(value)),
                    Some(Err(message)) => Err(match classify(message) {
                        CallError::Plain(message) => self.fail_at(frame, node.pos, node, message),
                        CallError::Call(message) => {
                            self.call_failure(frame, node.pos, node, name, message, None)
                        }
                    }),
                    None => Err(self.fail_at(
                        frame,
                        node.pos,
                        node,
                        format!("can't evaluate field {name} in type {type_name}"),
                    )),
                }
            }
            _ => Err(self.fail_at(
                frame,
                node.pos,
                node,
                format!("can't evaluate field {name} in type {type_name}"),
            )),
        }
    }

    /// A function by name: `cmd` is the whole command when the function
    /// leads one (errors show it), `args` its arguments, `last` the value
    /// piped in.
    #[allow(clippy::too_many_arguments)]
    fn eval_function(
        &mut self,
        frame: &mut Frame,
        dot: &Slot,
        name: &str,
        ident: &Arg,
        cmd: Option<&Command>,
        args: &[Arg],
        last: Option<Value>,
    ) -> Res<Value> {
        self.step(frame, ident.pos, 1)?;
        let context: &dyn Display = match cmd {
            Some(c) => c,
            None => ident,
        };
        if name == "and" || name == "or" {
            if args.is_empty() && last.is_none() {
                return Err(self.fail_at(
                    frame,
                    ident.pos,
                    ident,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut value = Value::NIL;
            for arg in args {
                value = self.eval_arg(frame, dot, arg)?;
                if value.truth() == (name == "or") {
                    return Ok(value);
                }
            }
            return Ok(last.unwrap_or(value));
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        for arg in args {
            values.push(self.eval_arg(frame, dot, arg)?);
        }
        values.extend(last);
        // A map made on the spot (`mergeOverwrite (dict) …`) has no other
        // reader: any other map changed in place is recorded.
        let changed_map = match (values.first().map(|v| &v.kind), args.first()) {
            (Some(Kind::Map(map)), first)
                if funcs::MUTATING.contains(&name) && !first.is_some_and(is_new_dict) =>
            {
                Some(map.clone())
            }
            _ => None,
        };
        if !self.changes.is_empty() {
            values = values.iter().map(|v| self.changes.resolve(v, 0)).collect();
        }
        // A literal where Helm's `include`/`tpl` take a string: Go rejects it
        // while evaluating the argument.
        if let ("include" | "tpl", Some(first)) = (name, args.first()) {
            if matches!(first.kind, ArgKind::Number(_) | ArgKind::Bool(_)) {
                return Err(self.fail_at(
                    frame,
                    first.pos,
                    first,
                    format!("expected string; found {first}"),
                ));
            }
        }
        let result: Result<Value, FnError> = match name {
            "include" => self.include(frame, ident.pos, &values),
            "tpl" => self.tpl(frame, ident.pos, context, &values),
            "lookup" => builtins::exactly(name, &values, 4)
                .map(|_| Value::map(Map::new()))
                .map_err(FnError::Go),
            // Go names the callee in the message.
            "call" => Err(FnError::Go(match (values.first(), args.first()) {
                (None, _) => builtins::at_least(name, &values, 1).unwrap_err(),
                (Some(v), _) if v.is_nil() => CallError::Call("call of nil".into()),
                (Some(v), Some(arg)) => {
                    CallError::Call(format!("non-function {arg} of type {}", v.type_name()))
                }
                (Some(v), None) => {
                    CallError::Call(format!("non-function of type {}", v.type_name()))
                }
            })),
            #[cfg(test)]
            _ if super::tests::test_function(name).is_some() => {
                let f = super::tests::test_function(name).expect("checked");
                f(&values).map_err(|message| FnError::Go(classify(message)))
            }
            _ => match funcs::find(name) {
                Some(f) => f(&values).map_err(|message| FnError::Go(classify(message))),
                None => match builtins::call(name, &values) {
                    Some(result) => result.map_err(FnError::Go),
                    None => Err(FnError::Go(CallError::Call(format!(
                        "function {} is not implemented by this renderer",
                        go_quote(name)
                    )))),
                },
            },
        };
        let value = match result {
            Ok(value) => value,
            Err(FnError::Go(CallError::Plain(message))) => {
                return Err(self.argument_failure(frame, ident, args, &values, message))
            }
            Err(FnError::Go(CallError::Call(mut message))) => {
                // `required` and `fail` are Helm's warnings, marked as Helm
                // marks them so that an `include` or `tpl` around keeps them.
                if (name == "required" || name == "fail") && !message.contains(WARN_START) {
                    message = wrap_warning(&message);
                }
                // A message of Go's template package (`template: no
                // template …`) keeps Helm's layout; any other is printed
                // as Go's message.
                let inner_trace = message.starts_with("template: ").then(|| message.clone());
                return Err(self.call_failure(
                    frame,
                    ident.pos,
                    context,
                    name,
                    message,
                    inner_trace,
                ));
            }
            Err(FnError::Nested(inner)) if inner.limit => return Err(inner),
            Err(FnError::Nested(inner)) => {
                let Failure { message, trace, .. } = *inner;
                return Err(self.call_failure(frame, ident.pos, context, name, message, trace));
            }
        };
        if let (Some(old), Kind::Map(_)) = (changed_map, &value.kind) {
            self.changes.record(old, &value);
            if let Some(Kind::Map(resolved)) = values.first().map(|v| &v.kind) {
                self.changes.record(resolved.clone(), &value);
            }
        }
        // A string built costs steps by its size, so a loop of big
        // `toYaml`s or `printf`s stops at `max_steps`.
        if let Some(text) = value.as_str() {
            self.step(frame, ident.pos, (text.len() / BYTES_PER_STEP) as u64)?;
        }
        if value.as_str().is_some_and(|s| s.len() > MAX_STRING_BYTES) {
            return Err(self.fail_at(
                frame,
                ident.pos,
                context,
                format!("error calling {name}: result longer than {MAX_STRING_BYTES} bytes"),
            ));
        }
        Ok(value)
    }

    /// An argument Go refused before the call: at that argument, and for a
    /// literal in Go's words for literals (`expected string; found 1`). The
    /// functions only say which type they wanted and got; the argument is
    /// the first of that type, as Go checks them in order.
    fn argument_failure(
        &self,
        frame: &Frame,
        ident: &Arg,
        args: &[Arg],
        values: &[Value],
        message: String,
    ) -> Fail {
        let (expected, got) =
            if let Some(rest) = message.strip_prefix("wrong type for value; expected ") {
                match rest.rsplit_once("; got ") {
                    Some((expected, got)) => (expected, Some(got)),
                    None => return self.fail_at(frame, ident.pos, ident, message),
                }
            } else if let Some(expected) = message.strip_prefix("invalid value; expected ") {
                (expected, None)
            } else {
                return self.fail_at(frame, ident.pos, ident, message);
            };
        let matches = |v: &Value| match got {
            Some("interface {}") | None => v.is_nil(),
            Some(got) => !v.is_nil() && v.type_name() == got,
        };
        let Some(arg) = values.iter().position(matches).and_then(|i| args.get(i)) else {
            return self.fail_at(frame, ident.pos, ident, message);
        };
        let word = match expected {
            "int" | "int64" | "int32" => "integer",
            "float64" => "float",
            other => other,
        };
        let message = match arg.kind {
            ArgKind::Number(_) | ArgKind::Bool(_) | ArgKind::Str(..) => {
                format!("expected {word}; found {arg}")
            }
            ArgKind::Nil => format!("cannot assign nil to {expected}"),
            // A nil read from a map is a typed `interface {}` to Go.
            ArgKind::Field(_) | ArgKind::Chain(..) if got.is_none() => {
                format!("wrong type for value; expected {expected}; got interface {{}}")
            }
            ArgKind::Variable(_, ref fields) if got.is_none() && !fields.is_empty() => {
                format!("wrong type for value; expected {expected}; got interface {{}}")
            }
            _ => message,
        };
        self.fail_at(frame, arg.pos, arg, message)
    }

    /// `error calling NAME: INNER`, in Go's words and, when the inner error
    /// has one, in Helm's layout.
    fn call_failure(
        &self,
        frame: &Frame,
        pos: usize,
        context: &dyn Display,
        name: &str,
        inner: String,
        inner_trace: Option<String>,
    ) -> Fail {
        let mut failure = self.fail_at(
            frame,
            pos,
            context,
            format!("error calling {name}: {inner}"),
        );
        failure.warning = warning_in(&failure.message);
        failure.trace = inner_trace.map(|inner| {
            format!(
                "{}\n  executing {} at <{context}>:\n    error calling {name}:\n{inner}",
                failure.location,
                go_quote(&frame.tree.name)
            )
        });
        failure
    }

    /// Helm's `include`: the named template rendered to a string.
    fn include(&mut self, frame: &Frame, pos: usize, args: &[Value]) -> Result<Value, FnError> {
        builtins::exactly("include", args, 2)?;
        let Some(name) = args[0].as_str() else {
            return Err(builtins::wrong_type("string", &args[0]).into());
        };
        let count = self.include_counts.get(name).copied().unwrap_or(0);
        if count > INCLUDE_RECURSION_MAX {
            return Err(CallError::Call(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            ))
            .into());
        }
        let Some(tree) = self.lookup(name) else {
            return Err(CallError::Call(format!(
                "template: no template {} associated with template \"gotpl\"",
                go_quote(name)
            ))
            .into());
        };
        self.call_depth(frame, pos).map_err(FnError::Nested)?;
        *self.include_counts.entry(name.to_string()).or_insert(0) += 1;
        let mut out = Out::new(false, self.limits.max_output_bytes.min(MAX_STRING_BYTES));
        let result = self.run_tree(&tree, Slot::plain(args[1].clone()), &mut out);
        if let Some(c) = self.include_counts.get_mut(name) {
            *c -= 1;
        }
        self.depth -= 1;
        result.map_err(FnError::Nested)?;
        Ok(Value::str(out.text))
    }

    /// Helm's `tpl`: a string parsed as a template (named `gotpl`, as Helm
    /// names it) and rendered with the given dot; its `define`s are seen
    /// only while it runs.
    fn tpl(
        &mut self,
        frame: &Frame,
        pos: usize,
        context: &dyn Display,
        args: &[Value],
    ) -> Result<Value, FnError> {
        builtins::exactly("tpl", args, 2)?;
        let Some(text) = args[0].as_str() else {
            return Err(builtins::wrong_type("string", &args[0]).into());
        };
        let caller = &frame.tree.source;
        let end = crate::source::floor_char_boundary(
            &caller.text,
            (pos + context.to_string().len()).min(caller.text.len()),
        );
        let source = Arc::new(Source {
            name: "gotpl".into(),
            text: text.into(),
            file: caller.file,
            anchor: Some(caller.span(pos, end.max(pos))),
        });
        // Parsing at run time costs steps by the text's size.
        self.step(frame, pos, (text.len() / BYTES_PER_STEP) as u64 + 1)
            .map_err(FnError::Nested)?;
        let trees = parse::parse("gotpl", &source, self.is_function).map_err(|e| {
            FnError::from(CallError::Call(format!(
                "cannot parse template {}: {}",
                go_quote(text),
                e.message
            )))
        })?;
        let mut trees = trees.into_iter();
        let main = trees.next().expect("parse returns the main tree first");
        let mut overlay = TreeSet::new();
        for tree in trees {
            overlay.insert(tree.name.clone(), Arc::new(tree));
        }
        self.call_depth(frame, pos).map_err(FnError::Nested)?;
        self.overlays.push(Arc::new(overlay));
        let mut out = Out::new(false, self.limits.max_output_bytes.min(MAX_STRING_BYTES));
        let result = self.run_tree(&main, Slot::plain(args[1].clone()), &mut out);
        self.overlays.pop();
        self.depth -= 1;
        if let Err(inner) = result {
            if inner.limit {
                return Err(FnError::Nested(inner));
            }
            let message = format!(
                "error during tpl function execution for {}: {}",
                go_quote(text),
                inner.message
            );
            return Err(CallError::Call(message).into());
        }
        Ok(Value::str(out.text.replace(NO_VALUE, "")).at(args[0].at))
    }
}

/// `dict …` or `(dict …)`: a map no one else holds.
fn is_new_dict(arg: &Arg) -> bool {
    match &arg.kind {
        ArgKind::Ident(name) => name == "dict",
        ArgKind::Pipe(pipe) => {
            pipe.decl.is_empty()
                && matches!(pipe.cmds.as_slice(), [cmd] if matches!(&cmd.args[0].kind, ArgKind::Ident(n) if n == "dict"))
        }
        _ => false,
    }
}

/// How a function failed: in Go's words, or inside a template it rendered.
enum FnError {
    Go(CallError),
    Nested(Fail),
}

impl From<CallError> for FnError {
    fn from(e: CallError) -> FnError {
        FnError::Go(e)
    }
}

/// Go reports argument-count and argument-type errors without
/// `error calling NAME:`.
fn classify(message: String) -> CallError {
    if message.starts_with("wrong number of args")
        || message.starts_with("wrong type for value")
        || message.starts_with("invalid value; expected")
    {
        CallError::Plain(message)
    } else {
        CallError::Call(message)
    }
}

/// A `required`/`fail` message carried inside a nested error.
fn warning_in(message: &str) -> Option<String> {
    let start = message.find(WARN_START)? + WARN_START.len();
    let end = message.rfind(WARN_END)?;
    (end >= start).then(|| message[start..end].to_string())
}

/// Marks a `required`/`fail` message the way Helm does, so that an
/// `include` or `tpl` around it still finds it.
pub fn wrap_warning(message: &str) -> String {
    format!("{WARN_START}{message}{WARN_END}")
}

/// Longest error message kept whole.
const MAX_MESSAGE_BYTES: usize = 4_096;

/// A message over [`MAX_MESSAGE_BYTES`] as its start and its end, which
/// name where it began and what went wrong.
fn shorten(message: String) -> String {
    if message.len() <= MAX_MESSAGE_BYTES {
        return message;
    }
    let head = crate::source::floor_char_boundary(&message, 1_024);
    let tail = crate::source::floor_char_boundary(&message, message.len() - 2_048);
    format!("{} … {}", &message[..head], &message[tail..])
}
