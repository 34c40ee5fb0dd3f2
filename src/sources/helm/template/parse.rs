//! Go `text/template`'s parser: the tree of one file and of each `define`
//! and `block` in it, every node keeping its byte offset in the file so
//! errors say `NAME:LINE:COL` and output maps back to the template text.

use super::lex::{go_quote, lex, Keyword, Tok, Token};
use crate::source::{FileId, Span};
use std::fmt;
use std::sync::Arc;

/// Deepest nesting of parentheses and control structures one template may
/// have: parsing and execution recurse along it.
pub const MAX_NESTING: usize = 1_000;

/// The text a tree was parsed from. `name` is Go's `ParseName`, the name in
/// `template: NAME:LINE:` (the file's, also for its `define`s).
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: Arc<str>,
    pub file: FileId,
    /// Text parsed at run time (`tpl`) has no place in a file: its spans
    /// are this one, the calling action's.
    pub anchor: Option<Span>,
}

impl Source {
    /// The span of `range` in the file (or the anchor).
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.anchor
            .unwrap_or_else(|| Span::new(start, end).in_file(self.file))
    }

    /// Go's `NAME:LINE:COL`, the column counted in bytes from 0 (as Go's
    /// `ErrorContext` does).
    pub fn location(&self, pos: usize) -> String {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        format!("{}:{line}:{col}", self.name)
    }
}

/// One named template: a file's top level, a `define` or a `block`.
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    pub source: Arc<Source>,
    pub root: Vec<Node>,
}

impl Tree {
    /// Go's `IsEmptyTree`: only spaces and comments. An empty definition does
    /// not replace an existing one of the same name.
    pub fn is_empty(&self) -> bool {
        self.root.iter().all(|n| match n {
            Node::Text(r) => self.source.text[r.clone()].trim().is_empty(),
            Node::Comment => true,
            _ => false,
        })
    }
}

#[derive(Debug)]
pub enum Node {
    /// Literal text: a byte range of the source.
    Text(std::ops::Range<usize>),
    Comment,
    /// `{{ pipeline }}`; `span` covers the delimiters.
    Action {
        span: std::ops::Range<usize>,
        pipe: Pipe,
    },
    If(Box<Control>),
    With(Box<Control>),
    Range(Box<Control>),
    /// `{{ template "name" pipeline }}` (and a `block`'s call).
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

/// `if`/`with`/`range`: `{{else if}}` is an else-list holding one `If`.
#[derive(Debug)]
pub struct Control {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    /// Declared (`:=`) or assigned (`=`) variables, with `$`.
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub struct Arg {
    pub pos: usize,
    pub kind: ArgKind,
}

#[derive(Debug)]
pub enum ArgKind {
    /// `.a.b`
    Field(Vec<String>),
    /// `$x.a.b`: the variable, then fields.
    Variable(String, Vec<String>),
    /// `(pipeline).a.b` or `fn.a`.
    Chain(Box<Arg>, Vec<String>),
    /// A function name.
    Ident(String),
    Dot,
    Nil,
    Bool(bool),
    Number(Number),
    /// The literal as written, and its value.
    Str(String, String),
    Pipe(Box<Pipe>),
}

#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub value: Literal,
}

/// What an untyped number constant becomes, by Go's rules for an
/// `interface{}` argument: `1` an int, `1.0`/`1e3` a float64, `'a'` an int.
#[derive(Debug, Clone, Copy)]
pub enum Literal {
    Int(i64),
    Float(f64),
    /// Fits no int: an error when evaluated (`… overflows int`).
    Overflow,
}

/// A parse failure: Go's message, where it happened.
#[derive(Debug)]
pub struct ParseError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Parses `text` as template `name`; returns the file's tree first, then
/// each `define` and `block`. `is_function` says which identifiers are
/// functions (an unknown one is a parse error, as in Go).
pub fn parse(
    name: &str,
    source: &Arc<Source>,
    is_function: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let tokens = lex(&source.text);
    let mut p = Parser {
        src: &source.text,
        tokens,
        i: 0,
        last: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        nesting: 0,
        action_line: 0,
        defined: Vec::new(),
        is_function,
        parse_name: &source.name,
    };
    let root = p.parse_top()?;
    let mut trees = vec![Tree {
        name: name.to_string(),
        source: source.clone(),
        root,
    }];
    for (tree_name, root) in p.defined {
        trees.push(Tree {
            name: tree_name,
            source: source.clone(),
            root,
        });
    }
    Ok(trees)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    i: usize,
    /// The token last looked at: errors name its line.
    last: usize,
    vars: Vec<String>,
    range_depth: usize,
    nesting: usize,
    action_line: usize,
    defined: Vec<(String, Vec<Node>)>,
    is_function: &'a dyn Fn(&str) -> bool,
    parse_name: &'a str,
}

type PResult<T> = Result<T, ParseError>;

/// What ends a list of nodes.
enum ListEnd {
    End,
    /// `{{else}}`, at this offset; the parser stands after `else` (before
    /// `if`/`with` for `else if`).
    Else(usize),
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> &Token {
        self.last = self.i.min(self.tokens.len() - 1);
        &self.tokens[self.last]
    }

    /// The next token; past the end, the last (EOF or error) again.
    fn next(&mut self) -> Token {
        self.last = self.i.min(self.tokens.len() - 1);
        self.i += 1;
        self.tokens[self.last].clone()
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Tok::Space {
                return t;
            }
        }
    }

    /// Skips spaces, then looks at the token after them.
    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn error_at(&self, token: &Token, message: impl fmt::Display) -> ParseError {
        ParseError {
            start: token.start,
            end: token.end,
            message: format!("template: {}:{}: {message}", self.parse_name, token.line),
        }
    }

    fn error(&self, message: impl fmt::Display) -> ParseError {
        let token = &self.tokens[self.last];
        self.error_at(token, message)
    }

    fn unexpected(&self, token: &Token, context: &str) -> ParseError {
        if token.kind == Tok::Error {
            let mut extra = String::new();
            let message = token.message.clone().unwrap_or_default();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if message.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.error_at(token, format!("{message}{extra}"));
        }
        self.error_at(
            token,
            format!("unexpected {} in {context}", token.describe(self.src)),
        )
    }

    fn expect(&mut self, kind: Tok, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn enter(&mut self) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error(format!(
                "max expression depth exceeded (more than {MAX_NESTING} nested parentheses or blocks)"
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    fn parse_top(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        loop {
            let t = self.peek().clone();
            if t.kind == Tok::Eof {
                return Ok(root);
            }
            if t.kind == Tok::LeftDelim {
                let save = self.i;
                self.next();
                self.action_line = t.line;
                if self.next_non_space().kind == Tok::Keyword(Keyword::Define) {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => root.push(n),
                Item::End(pos) => {
                    return Err(self.error_at(&self.token_at(pos), "unexpected {{end}}"))
                }
                Item::Else(pos) => {
                    return Err(self.error_at(&self.token_at(pos), "unexpected {{else}}"))
                }
            }
        }
    }

    fn token_at(&self, pos: usize) -> Token {
        self.tokens
            .iter()
            .find(|t| t.start == pos)
            .cloned()
            .unwrap_or_else(|| self.tokens[self.last].clone())
    }

    /// `{{define "name"}} … {{end}}`, the parser after `define`.
    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let name_tok = self.next_non_space();
        if !matches!(name_tok.kind, Tok::Str | Tok::RawStr) {
            return Err(self.unexpected(&name_tok, context));
        }
        let name = unquote(name_tok.text(self.src)).map_err(|e| self.error_at(&name_tok, e))?;
        self.expect(Tok::RightDelim, context)?;
        let outer_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, end) = self.item_list()?;
        self.vars = outer_vars;
        if let ListEnd::Else(pos) = end {
            return Err(self.error_at(
                &self.token_at(pos),
                format!("unexpected {{{{else}}}} in {context}"),
            ));
        }
        self.add_definition(name, list, &name_tok)
    }

    fn add_definition(&mut self, name: String, list: Vec<Node>, at: &Token) -> PResult<()> {
        let probe = |list: &Vec<Node>| {
            list.iter().all(|n| match n {
                Node::Text(r) => self.src[r.clone()].trim().is_empty(),
                Node::Comment => true,
                _ => false,
            })
        };
        if let Some(i) = self.defined.iter().position(|(n, _)| *n == name) {
            if !probe(&self.defined[i].1) && !probe(&list) {
                return Err(self.error_at(
                    at,
                    format!(
                        "template: multiple definition of template {}",
                        go_quote(&name)
                    ),
                ));
            }
            if !probe(&list) {
                self.defined[i].1 = list;
            }
            return Ok(());
        }
        self.defined.push((name, list));
        Ok(())
    }

    /// Nodes up to `{{end}}` or `{{else}}`.
    fn item_list(&mut self) -> PResult<(Vec<Node>, ListEnd)> {
        self.enter()?;
        let mut list = Vec::new();
        loop {
            let t = self.peek_non_space();
            if t.kind == Tok::Eof {
                return Err(self.error_at(&t, "unexpected EOF"));
            }
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::End(_) => {
                    self.leave();
                    return Ok((list, ListEnd::End));
                }
                Item::Else(pos) => {
                    self.leave();
                    return Ok((list, ListEnd::Else(pos)));
                }
            }
        }
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Tok::Text => Ok(Item::Node(Node::Text(t.start..t.end))),
            Tok::LeftDelim => {
                self.action_line = t.line;
                self.action(t.start)
            }
            Tok::Comment => Ok(Item::Node(Node::Comment)),
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    /// After `{{`: a control keyword or a pipeline to print.
    fn action(&mut self, delim_start: usize) -> PResult<Item> {
        let t = self.next_non_space();
        let node = match t.kind {
            Tok::Keyword(Keyword::Block) => self.block_control()?,
            Tok::Keyword(Keyword::Break) => self.loop_control(&t, "break")?,
            Tok::Keyword(Keyword::Continue) => self.loop_control(&t, "continue")?,
            Tok::Keyword(Keyword::Else) => {
                let peek = self.peek_non_space();
                if matches!(peek.kind, Tok::Keyword(Keyword::If | Keyword::With)) {
                    return Ok(Item::Else(t.start));
                }
                self.expect(Tok::RightDelim, "else")?;
                return Ok(Item::Else(t.start));
            }
            Tok::Keyword(Keyword::End) => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Item::End(t.start));
            }
            Tok::Keyword(Keyword::If) => Node::If(Box::new(self.control("if")?)),
            Tok::Keyword(Keyword::Range) => Node::Range(Box::new(self.control("range")?)),
            Tok::Keyword(Keyword::With) => Node::With(Box::new(self.control("with")?)),
            Tok::Keyword(Keyword::Template) => self.template_control()?,
            _ => {
                self.backup();
                let pipe = self.pipeline("command", Tok::RightDelim)?;
                let end = self.tokens[(self.i.saturating_sub(1)).min(self.tokens.len() - 1)].end;
                Node::Action {
                    span: delim_start..end,
                    pipe,
                }
            }
        };
        Ok(Item::Node(node))
    }

    fn loop_control(&mut self, t: &Token, word: &str) -> PResult<Node> {
        let next = self.next_non_space();
        if next.kind != Tok::RightDelim {
            return Err(self.unexpected(&next, &format!("{{{{{word}}}}}")));
        }
        if self.range_depth == 0 {
            return Err(self.error_at(t, format!("{{{{{word}}}}} outside {{{{range}}}}")));
        }
        Ok(if word == "break" {
            Node::Break
        } else {
            Node::Continue
        })
    }

    /// `if`/`with`/`range`: pipeline, list, optional else, `{{end}}`.
    fn control(&mut self, context: &str) -> PResult<Control> {
        let vars_mark = self.vars.len();
        let result = self.control_inner(context);
        self.vars.truncate(vars_mark);
        result
    }

    fn control_inner(&mut self, context: &str) -> PResult<Control> {
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let mut else_list = None;
        if let ListEnd::Else(else_pos) = end {
            let peek = self.peek().clone();
            let chained = match (context, peek.kind) {
                ("if", Tok::Keyword(Keyword::If)) => Some(("if", true)),
                ("with", Tok::Keyword(Keyword::With)) => Some(("with", false)),
                _ => None,
            };
            if let Some((inner, is_if)) = chained {
                // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}`
                // sharing the one `{{end}}`.
                self.next();
                self.enter()?;
                let control = self.control(inner);
                self.leave();
                let control = Box::new(control?);
                else_list = Some(vec![if is_if {
                    Node::If(control)
                } else {
                    Node::With(control)
                }]);
            } else {
                let (list, end) = self.item_list()?;
                if let ListEnd::Else(pos) = end {
                    return Err(self.error_at(&self.token_at(pos), "expected end; found {{else}}"));
                }
                else_list = Some(list);
            }
            let _ = else_pos;
        }
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, context: &str) -> PResult<(Token, String)> {
        let t = self.next_non_space();
        if !matches!(t.kind, Tok::Str | Tok::RawStr) {
            return Err(self.unexpected(&t, context));
        }
        let name = unquote(t.text(self.src)).map_err(|e| self.error_at(&t, e))?;
        Ok((t, name))
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let (t, name) = self.template_name(context)?;
        let pipe = if self.next_non_space().kind != Tok::RightDelim {
            self.backup();
            Some(self.pipeline(context, Tok::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template {
            pos: t.start,
            name,
            pipe,
        })
    }

    /// `{{block "name" pipeline}} … {{end}}`: defines `name` and calls it.
    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let (t, name) = self.template_name(context)?;
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        let outer_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let outer_range = std::mem::replace(&mut self.range_depth, 0);
        let listed = self.item_list();
        self.vars = outer_vars;
        self.range_depth = outer_range;
        let (list, list_end) = listed?;
        if let ListEnd::Else(pos) = list_end {
            return Err(self.error_at(
                &self.token_at(pos),
                format!("unexpected {{{{else}}}} in {context}"),
            ));
        }
        self.add_definition(name.clone(), list, &t)?;
        Ok(Node::Template {
            pos: t.start,
            name,
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        self.enter()?;
        let result = self.pipeline_inner(context, end);
        self.leave();
        result
    }

    fn pipeline_inner(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let first = self.peek_non_space();
        let mut pipe = Pipe {
            pos: first.start,
            decl: Vec::new(),
            is_assign: false,
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range).
        loop {
            let v = self.peek_non_space();
            if v.kind != Tok::Variable {
                break;
            }
            let save = self.i;
            self.next();
            let after_variable = self.peek().clone();
            let next = self.peek_non_space();
            match next.kind {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.kind == Tok::Assign;
                    self.next_non_space();
                    let name = v.text(self.src).to_string();
                    self.vars.push(name.clone());
                    pipe.decl.push(name);
                    break;
                }
                Tok::Char if next.text(self.src) == "," => {
                    self.next_non_space();
                    let name = v.text(self.src).to_string();
                    self.vars.push(name.clone());
                    pipe.decl.push(name);
                    if context == "range" && pipe.decl.len() < 2 {
                        let peek = self.peek_non_space();
                        if matches!(peek.kind, Tok::Variable | Tok::RightDelim | Tok::RightParen) {
                            continue;
                        }
                        return Err(self.error("range can only initialize variables"));
                    }
                    return Err(self.error(format!("too many declarations in {context}")));
                }
                _ => {
                    let _ = after_variable;
                    self.i = save;
                    break;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            if t.kind == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match t.kind {
                Tok::Bool
                | Tok::CharConstant
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Keyword(Keyword::Nil)
                | Tok::RawStr
                | Tok::Str
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.error(format!("missing value for {context}")));
        }
        for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                cmd.args[0].kind,
                ArgKind::Bool(_)
                    | ArgKind::Dot
                    | ArgKind::Nil
                    | ArgKind::Number(_)
                    | ArgKind::Str(..)
            ) {
                return Err(self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let first = self.peek_non_space();
        let mut cmd = Command {
            pos: first.start,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let t = self.next();
            match t.kind {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.error("empty command"));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Tok::Field {
            return Ok(Some(node));
        }
        let mut fields = Vec::new();
        let chain_pos = self.peek().start;
        while self.peek().kind == Tok::Field {
            let t = self.next();
            fields.push(t.text(self.src)[1..].to_string());
        }
        // Go places a chain at its first trailing field (`.b` of `.a.b`).
        let pos = chain_pos;
        let node_pos = node.pos;
        let kind = match node.kind {
            ArgKind::Field(mut idents) => {
                idents.extend(fields);
                ArgKind::Field(idents)
            }
            ArgKind::Variable(name, mut idents) => {
                idents.extend(fields);
                ArgKind::Variable(name, idents)
            }
            ArgKind::Bool(_)
            | ArgKind::Str(..)
            | ArgKind::Number(_)
            | ArgKind::Nil
            | ArgKind::Dot => {
                let t = self.token_at(chain_pos);
                return Err(self.error_at(
                    &t,
                    format!("unexpected . after term {}", go_quote(&node_text(&node))),
                ));
            }
            other => ArgKind::Chain(
                Box::new(Arg {
                    pos: node_pos,
                    kind: other,
                }),
                fields,
            ),
        };
        Ok(Some(Arg { pos, kind }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        let pos = t.start;
        let text = t.text(self.src);
        let kind = match t.kind {
            Tok::Identifier => {
                if !(self.is_function)(text) {
                    return Err(
                        self.error_at(&t, format!("function {} not defined", go_quote(text)))
                    );
                }
                ArgKind::Ident(text.to_string())
            }
            Tok::Dot => ArgKind::Dot,
            Tok::Keyword(Keyword::Nil) => ArgKind::Nil,
            Tok::Variable => {
                if !self.vars.iter().any(|v| v == text) {
                    return Err(self.error_at(&t, format!("undefined variable {}", go_quote(text))));
                }
                ArgKind::Variable(text.to_string(), Vec::new())
            }
            Tok::Field => ArgKind::Field(vec![text[1..].to_string()]),
            Tok::Bool => ArgKind::Bool(text == "true"),
            Tok::Number | Tok::CharConstant => {
                ArgKind::Number(number(text).map_err(|e| self.error_at(&t, e))?)
            }
            Tok::LeftParen => ArgKind::Pipe(Box::new(
                self.pipeline("parenthesized pipeline", Tok::RightParen)?,
            )),
            Tok::Str | Tok::RawStr => {
                let value = unquote(text).map_err(|e| self.error_at(&t, e))?;
                ArgKind::Str(text.to_string(), value)
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(Arg { pos, kind }))
    }
}

enum Item {
    Node(Node),
    End(usize),
    Else(usize),
}

fn node_text(arg: &Arg) -> String {
    arg.to_string()
}

/// Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'`.
pub fn unquote(text: &str) -> Result<String, String> {
    let bad = || "invalid syntax".to_string();
    if text.len() < 2 {
        return Err(bad());
    }
    let (first, body) = (text.as_bytes()[0], &text[1..text.len() - 1]);
    match first {
        b'`' => Ok(body.replace('\r', "")),
        b'"' | b'\'' => {
            let mut out = String::with_capacity(body.len());
            let mut chars = body.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                let e = chars.next().ok_or_else(bad)?;
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '\'' if first == b'\'' => out.push('\''),
                    '"' if first == b'"' => out.push('"'),
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let d = chars.next().and_then(|d| d.to_digit(8)).ok_or_else(bad)?;
                            v = v * 8 + d;
                        }
                        if v > 255 {
                            return Err(bad());
                        }
                        // A byte: Go strings hold bytes, ours UTF-8.
                        out.push(char::from_u32(v).ok_or_else(bad)?);
                    }
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut v = 0u32;
                        for _ in 0..n {
                            let d = chars.next().and_then(|d| d.to_digit(16)).ok_or_else(bad)?;
                            v = v * 16 + d;
                        }
                        out.push(char::from_u32(v).ok_or_else(bad)?);
                    }
                    _ => return Err(bad()),
                }
            }
            if first == b'\'' && out.chars().count() != 1 {
                return Err(bad());
            }
            Ok(out)
        }
        _ => Err(bad()),
    }
}

/// Go's `parse.newNumber` then `idealConstant`: what the literal is as an
/// `interface{}` argument.
fn number(text: &str) -> Result<Number, String> {
    let illegal = || format!("illegal number syntax: {}", go_quote(text));
    let value = if text.starts_with('\'') {
        let c = unquote(text).map_err(|_| format!("malformed character constant: {text}"))?;
        Literal::Int(c.chars().next().map_or(0, |c| c as i64))
    } else if text.ends_with('i') {
        return Err(format!(
            "complex numbers are not supported: {}",
            go_quote(text)
        ));
    } else if let Some(int) = parse_int(text) {
        let is_hex = text
            .trim_start_matches(['+', '-'])
            .to_ascii_lowercase()
            .starts_with("0x");
        if !is_hex && text.contains(['.', 'e', 'E', 'p', 'P']) {
            Literal::Float(int as f64)
        } else {
            Literal::Int(int)
        }
    } else if let Some(f) = parse_hex_float(text) {
        Literal::Float(f)
    } else if is_integer_syntax(text) {
        // Digits only but too big for int64: Go keeps a uint64 or rejects.
        if parse_uint(text).is_some() {
            Literal::Overflow
        } else {
            return Err(format!("integer overflow: {}", go_quote(text)));
        }
    } else {
        let cleaned = text.replace('_', "");
        match cleaned.parse::<f64>() {
            Ok(f)
                if text.contains(['.', 'e', 'E']) && !text.to_ascii_lowercase().contains("0x") =>
            {
                if f.is_infinite() {
                    return Err(illegal());
                }
                Literal::Float(f)
            }
            _ => return Err(illegal()),
        }
    };
    Ok(Number {
        text: text.to_string(),
        value,
    })
}

/// A hexadecimal float, `0x1.8p3`: the mantissa times two to the exponent.
fn parse_hex_float(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let rest = rest
        .strip_prefix("0x")
        .or_else(|| rest.strip_prefix("0X"))?;
    let (mantissa, exponent) = rest.split_once(['p', 'P'])?;
    let exponent: i32 = exponent.replace('_', "").parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut value = 0f64;
    for d in int.chars().filter(|&c| c != '_') {
        value = value * 16.0 + d.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for d in frac.chars().filter(|&c| c != '_') {
        value += d.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let value = value * 2f64.powi(exponent);
    if !value.is_finite() {
        return None;
    }
    Some(if negative { -value } else { value })
}

fn is_integer_syntax(text: &str) -> bool {
    !text.contains(['.', 'e', 'E', 'p', 'P']) || text.to_ascii_lowercase().starts_with("0x")
}

/// Go's `strconv.ParseInt(text, 0, 64)`: base prefixes, a leading `0` for
/// octal, underscores between digits.
fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_uint(digits)?;
    if negative {
        if magnitude == 1u64 << 63 {
            return Some(i64::MIN);
        }
        i64::try_from(magnitude).ok().map(|m| -m)
    } else {
        i64::try_from(magnitude).ok()
    }
}

fn parse_uint(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let (radix, body, prefixed) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    // Underscores only between digits (or after a prefix).
    if body.is_empty()
        || body.ends_with('_')
        || body.contains("__")
        || (!prefixed && body.starts_with('_'))
    {
        return None;
    }
    let digits: String = body.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

// Go's `String()` of nodes, used in error messages (`executing … at <X>`).

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let ArgKind::Pipe(p) = &arg.kind {
                write!(f, "({p})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ArgKind::Field(idents) => {
                for ident in idents {
                    write!(f, ".{ident}")?;
                }
                Ok(())
            }
            ArgKind::Variable(name, idents) => {
                f.write_str(name)?;
                for ident in idents {
                    write!(f, ".{ident}")?;
                }
                Ok(())
            }
            ArgKind::Chain(node, idents) => {
                if let ArgKind::Pipe(p) = &node.kind {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for ident in idents {
                    write!(f, ".{ident}")?;
                }
                Ok(())
            }
            ArgKind::Ident(name) => f.write_str(name),
            ArgKind::Dot => f.write_str("."),
            ArgKind::Nil => f.write_str("nil"),
            ArgKind::Bool(b) => write!(f, "{b}"),
            ArgKind::Number(n) => f.write_str(&n.text),
            ArgKind::Str(quoted, _) => f.write_str(quoted),
            ArgKind::Pipe(p) => write!(f, "{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        matches!(name, "f" | "g" | "printf" | "and" | "eq")
    }

    fn parse_text(text: &str) -> Result<Vec<Tree>, String> {
        let source = Arc::new(Source {
            name: "t".into(),
            text: text.into(),
            file: FileId(3),
            anchor: None,
        });
        parse("t", &source, &known).map_err(|e| e.message)
    }

    #[test]
    fn parse_errors_read_as_go_writes_them() {
        for (text, message) in [
            ("{{ .x ", "template: t:1: unclosed action"),
            (
                "a\n{{ .x \n",
                "template: t:3: unclosed action started at t:2",
            ),
            (
                "{{ (.x\n }}",
                "template: t:2: unclosed left paren in action started at t:1",
            ),
            ("{{end}}", "template: t:1: unexpected {{end}}"),
            ("{{else}}", "template: t:1: unexpected {{else}}"),
            ("{{if .x}}", "template: t:1: unexpected EOF"),
            (
                "{{ nope 1 }}",
                "template: t:1: function \"nope\" not defined",
            ),
            ("{{ $x }}", "template: t:1: undefined variable \"$x\""),
            ("{{ }}", "template: t:1: missing value for command"),
            (
                "{{ .x | 1 }}",
                "template: t:1: non executable command in pipeline stage 2",
            ),
            ("{{ if }}{{ end }}", "template: t:1: missing value for if"),
            ("{{ break }}", "template: t:1: {{break}} outside {{range}}"),
            (
                "{{ range .x }}{{ else }}{{ else }}{{ end }}",
                "template: t:1: expected end; found {{else}}",
            ),
            (
                "{{ \"a\".b }}",
                "template: t:1: unexpected . after term \"\\\"a\\\"\"",
            ),
            (
                "{{ template x }}",
                "template: t:1: unexpected \"x\" in template clause",
            ),
            ("{{ 1 2 ; }}", "template: t:1: unexpected \";\" in operand"),
            (
                "{{ 99999999999999999999999 }}",
                "template: t:1: integer overflow: \"99999999999999999999999\"",
            ),
            (
                "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
                "template: t:1: template: multiple definition of template \"a\"",
            ),
            (
                "{{ $x := 1 }}{{ if true }}{{ $y := 2 }}{{ end }}{{ $y }}",
                "template: t:1: undefined variable \"$y\"",
            ),
        ] {
            assert_eq!(parse_text(text).err().as_deref(), Some(message), "{text}");
        }
    }

    #[test]
    fn constructs_parse() {
        for text in [
            "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
            "{{ range $i, $v := .l }}{{ $i }}{{ break }}{{ continue }}{{ end }}",
            "{{ if .a }}a{{ else if .b }}b{{ else }}c{{ end }}",
            "{{ with .a }}a{{ else with .b }}b{{ end }}",
            "{{ define \"x\" }}{{ . }}{{ end }}{{ template \"x\" . }}",
            "{{ block \"y\" . }}{{ . }}{{ end }}",
            "{{ (f .a).b }}{{ $.x.y }}{{ f (g 1 (g 2)) | printf \"%s\" }}",
            "{{/* comment */}}{{- /* trimmed */ -}}",
            "{{ 'a' }}{{ 0x1F }}{{ 1_000 }}{{ 1e3 }}{{ -2.5 }}{{ 0o17 }}{{ 017 }}",
        ] {
            assert!(
                parse_text(text).is_ok(),
                "{text}: {:?}",
                parse_text(text).err()
            );
        }
    }

    #[test]
    fn literals_become_go_constants() {
        for (text, expected) in [
            ("1", "Int(1)"),
            ("0x1F", "Int(31)"),
            ("017", "Int(15)"),
            ("0b101", "Int(5)"),
            ("1_000", "Int(1000)"),
            ("'a'", "Int(97)"),
            ("1.0", "Float(1.0)"),
            ("1e3", "Float(1000.0)"),
            ("-2.5", "Float(-2.5)"),
            ("18446744073709551615", "Overflow"),
        ] {
            let n = number(text).unwrap();
            assert_eq!(format!("{:?}", n.value), expected, "{text}");
        }
        assert!(number("1__0").is_err());
    }

    #[test]
    fn unquote_is_go_unquote() {
        assert_eq!(unquote(r#""a\tb\"\u00e9\x41""#).unwrap(), "a\tb\"éA");
        assert_eq!(unquote("`a\\n`").unwrap(), "a\\n");
        assert_eq!(unquote("'\\n'").unwrap(), "\n");
        assert!(unquote(r#""\q""#).is_err());
    }

    #[test]
    fn defines_become_their_own_trees() {
        let trees =
            parse_text("a{{ define \"x\" }}X{{ end }}{{ block \"y\" . }}Y{{ end }}").unwrap();
        let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t", "x", "y"]);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
        let err = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || parse_text(&deep).err())
            .unwrap()
            .join()
            .unwrap();
        assert!(err.unwrap().contains("max expression depth exceeded"));
    }
}
