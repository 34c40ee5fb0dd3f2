//! Splits a POSIX shell script into simple commands, so that rules about
//! `RUN` lines (apt-get flags, `curl | sh`, `sudo`) look at words rather
//! than substrings, and the splitting is done once, in Rust, not per rule.
//!
//! Not a shell: no expansion. Quotes group words, backslash escapes, `#`
//! starts a comment at the start of a word, and `&&`, `||`, `;`, `&`, `|`,
//! newlines, `(`, `)` separate commands; `{`/`}` and `!` are dropped as words.
//! The patterns of a `case` (`amd64|x86_64)`) are dropped too: their `|` is
//! no pipe and their words are no command.

use std::ops::Range;

/// A simple command, where it is, and whether its stdin is the previous
/// command's stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    /// Its stdin is the stdout of the previous command of the same `depth`.
    pub piped: bool,
    /// How many command substitutions (`$(…)`, backticks) enclose it: 0 at
    /// the top. The commands of a substitution come just before the command
    /// whose word holds it (they run first), and that word keeps its text.
    pub depth: usize,
    /// Byte range in the script, from its first word to the end of its last.
    pub span: Range<usize>,
}

/// Substitutions nested deeper than this are words, not split again.
const MAX_NESTING: usize = 8;

pub fn split(script: &str) -> Vec<Command> {
    split_nested(script, 0, 0)
}

/// `[a, b]` index pairs where command `a`'s stdout is command `b`'s stdin.
pub fn pipes(commands: &[Command]) -> Vec<(usize, usize)> {
    // The last command seen at each depth of the substitution being read.
    let mut last: Vec<Option<usize>> = Vec::new();
    let mut pairs = Vec::new();
    for (i, c) in commands.iter().enumerate() {
        last.resize(c.depth + 1, None);
        if let (true, Some(a)) = (c.piped, last[c.depth]) {
            pairs.push((a, i));
        }
        last[c.depth] = Some(i);
    }
    pairs
}

/// Splits `script`, which starts at byte `offset` of the outermost script
/// and lies inside `depth` substitutions.
fn split_nested(script: &str, offset: usize, depth: usize) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut piped_current = false;
    // Inside `case … in`: reading a pattern (up to its `)`), and how many
    // `case`s are open.
    let mut in_pattern = false;
    let mut case_depth = 0usize;
    // The commands of the substitutions in the current command's words.
    let mut inner: Vec<Command> = Vec::new();
    // Once a `$(` is found unclosed, later ones are not looked for (each
    // look reads to the end of the script).
    let mut unclosed = false;
    let mut start = 0usize;
    let mut last_end = 0usize;
    let mut chars = script.char_indices().peekable();

    // `case WORD in` (after shell keywords): the index of `in`.
    fn case_head(words: &[String]) -> Option<usize> {
        let start = words
            .iter()
            .position(|w| !matches!(w.as_str(), "then" | "else" | "do" | "{" | "!"))?;
        (words.get(start)? == "case" && words.get(start + 2)? == "in").then_some(start + 2)
    }

    fn end_word(
        word: &mut String,
        in_word: &mut bool,
        words: &mut Vec<String>,
        at: usize,
        last_end: &mut usize,
    ) {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
            *last_end = at;
        }
    }

    while let Some((pos, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let separator = matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '#'
        );
        let continuation = c == '\\' && next == Some('\n');
        let starts_command = !in_word && words.is_empty() && !separator && !continuation;
        if starts_command {
            start = pos;
        }
        match c {
            '\\' => match chars.next() {
                Some((_, '\n')) => {}
                Some((_, n)) => {
                    word.push(n);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                for (_, n) in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    word.push(n);
                }
            }
            '$' | '`' if !unclosed && (c == '`' || next == Some('(')) => {
                in_word = true;
                match substitution(script, pos, offset, depth) {
                    Some((end, found)) => {
                        word.push_str(&script[pos..end]);
                        inner.extend(found);
                        while chars.next_if(|&(i, _)| i < end).is_some() {}
                    }
                    None => {
                        unclosed = true;
                        word.push(c);
                    }
                }
            }
            '"' => {
                in_word = true;
                while let Some((at, n)) = chars.next() {
                    let after = chars.peek().map(|&(_, m)| m);
                    match n {
                        '"' => break,
                        '\\' => {
                            if let Some(m) = after {
                                if matches!(m, '"' | '\\' | '$' | '`' | '\n') {
                                    chars.next();
                                    if m != '\n' {
                                        word.push(m);
                                    }
                                    continue;
                                }
                            }
                            word.push('\\');
                        }
                        '$' | '`' if !unclosed && (n == '`' || after == Some('(')) => {
                            match substitution(script, at, offset, depth) {
                                Some((end, found)) => {
                                    word.push_str(&script[at..end]);
                                    inner.extend(found);
                                    while chars.next_if(|&(i, _)| i < end).is_some() {}
                                }
                                None => {
                                    unclosed = true;
                                    word.push(n);
                                }
                            }
                        }
                        _ => word.push(n),
                    }
                }
            }
            '#' if !in_word => while chars.next_if(|&(_, n)| n != '\n').is_some() {},
            ' ' | '\t' | '\r' => end_word(&mut word, &mut in_word, &mut words, pos, &mut last_end),
            '\n' | ';' | '&' | '|' | '(' | ')' => {
                end_word(&mut word, &mut in_word, &mut words, pos, &mut last_end);
                if in_pattern {
                    match c {
                        // `a|b)`: alternatives of one pattern; `(a)`: optional paren.
                        '|' => continue,
                        '(' if words.is_empty() => continue,
                        ')' => {
                            words.clear();
                            in_pattern = false;
                            continue;
                        }
                        _ if words.is_empty() => continue,
                        _ => {
                            // `esac` (or anything else) ends the pattern list.
                            in_pattern = false;
                            case_depth = case_depth.saturating_sub(1);
                        }
                    }
                } else if let Some(at) = case_head(&words) {
                    // `case WORD in`, maybe followed by a first pattern.
                    let pattern = words.split_off(at + 1);
                    commands.append(&mut inner);
                    commands.push(Command {
                        words: std::mem::take(&mut words),
                        piped: piped_current,
                        depth,
                        span: offset + start..offset + last_end,
                    });
                    piped_current = false;
                    case_depth += 1;
                    in_pattern = c != ')';
                    words = if in_pattern { pattern } else { Vec::new() };
                    if c == '|' {
                        chars.next_if(|&(_, n)| n == '|');
                    }
                    continue;
                }
                let ends_branch = c == ';' && next == Some(';');
                if ends_branch {
                    chars.next();
                }
                let pipe = c == '|' && next != Some('|');
                if matches!(c, '&' | '|') && next == Some(c) {
                    chars.next();
                }
                words.retain(|w| !matches!(w.as_str(), "{" | "}" | "!"));
                commands.append(&mut inner);
                if !words.is_empty() {
                    commands.push(Command {
                        words: std::mem::take(&mut words),
                        piped: piped_current,
                        depth,
                        span: offset + start..offset + last_end,
                    });
                    piped_current = false;
                }
                if pipe {
                    piped_current = true;
                }
                if ends_branch && case_depth > 0 {
                    in_pattern = true;
                }
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(
        &mut word,
        &mut in_word,
        &mut words,
        script.len(),
        &mut last_end,
    );
    words.retain(|w| !matches!(w.as_str(), "{" | "}" | "!"));
    commands.append(&mut inner);
    if !words.is_empty() {
        commands.push(Command {
            words,
            piped: piped_current,
            depth,
            span: offset + start..offset + last_end,
        });
    }
    commands
}

/// The substitution starting at `at` (`$(`, `$((` or a backtick): the index
/// just past its end, and the commands inside it (none for arithmetic
/// `$((…))`, nor past [`MAX_NESTING`]). None when it is not closed.
fn substitution(
    script: &str,
    at: usize,
    offset: usize,
    depth: usize,
) -> Option<(usize, Vec<Command>)> {
    let b = script.as_bytes();
    let (body, close) = if b[at] == b'`' {
        (at + 1, backtick_end(b, at + 1)?)
    } else {
        (at + 2, paren_end(b, at + 2, 0)?)
    };
    let arithmetic = b[at] == b'$' && b.get(at + 2) == Some(&b'(');
    let commands = if arithmetic || depth + 1 > MAX_NESTING {
        Vec::new()
    } else {
        split_nested(&script[body..close], offset + body, depth + 1)
    };
    Some((close + 1, commands))
}

/// The index of the `)` that closes a `$(` whose body starts at `i`: quotes,
/// escapes and backticks hide parentheses, nested `(…)` pair up, and inside
/// `case … esac` a pattern's `)` (`amd64)`) closes nothing.
fn paren_end(b: &[u8], mut i: usize, nesting: usize) -> Option<usize> {
    let body = i;
    let mut open = 0usize;
    let mut cases = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\'' => i += 1 + b.get(i + 1..)?.iter().position(|&c| c == b'\'')?,
            b'"' => i = quote_end(b, i + 1, nesting)?,
            b'`' => i = backtick_end(b, i + 1)?,
            b'(' => open += 1,
            b')' if open == 0 && cases == 0 => return Some(i),
            b')' if open == 0 => {}
            b')' => open -= 1,
            b'c' if keyword_at(b, body, i, b"case") && command_starts(b, body, i) => cases += 1,
            b'e' if cases > 0 && keyword_at(b, body, i, b"esac") => cases -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// `word` stands alone at `i`: a whole word, not part of a longer one.
fn keyword_at(b: &[u8], start: usize, i: usize, word: &[u8]) -> bool {
    let ends = |c: Option<&u8>| c.is_none_or(|c| c.is_ascii_whitespace() || b";&|()".contains(c));
    b[i..].starts_with(word) && ends(b.get(i + word.len())) && (i == start || ends(b.get(i - 1)))
}

/// A command starts at `i` (only blanks since the last separator), so a
/// word there is a keyword, not an argument (`echo case`).
fn command_starts(b: &[u8], start: usize, i: usize) -> bool {
    let before = b[start..i]
        .iter()
        .rev()
        .find(|c| !matches!(c, b' ' | b'\t'));
    before.is_none_or(|c| b";&|(\n".contains(c))
}

/// The index of the `"` that closes a double-quoted string whose text starts
/// at `i`; a `$(…)` inside it may hold quotes of its own.
fn quote_end(b: &[u8], mut i: usize, nesting: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'"' => return Some(i),
            b'$' if b.get(i + 1) == Some(&b'(') && nesting < MAX_NESTING => {
                i = paren_end(b, i + 2, nesting + 1)?
            }
            b'`' => i = backtick_end(b, i + 1)?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the backtick that closes one whose text starts at `i`.
fn backtick_end(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'`' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Words that may head a simple command once the script is cut at `;`,
/// `&&`, `|` and newlines (`if x; then apt-get …`).
const SHELL_KEYWORDS: &[&str] = &["then", "else", "do", "if", "elif", "while", "until", "!"];

/// Programs that run the command after their own options: `sudo -E`,
/// `env A=1`, `gosu app`, `su-exec app`, `apt-dpkg-wrap`.
const COMMAND_WRAPPERS: &[&str] = &[
    "sudo",
    "env",
    "nohup",
    "time",
    "exec",
    "gosu",
    "su-exec",
    "apt-dpkg-wrap",
    "chroot",
];

/// Wrappers whose first operand is a user (or a root directory), not the program.
const WRAPPERS_WITH_OPERAND: &[&str] = &["gosu", "su-exec", "chroot"];

/// Only the first words are looked at for the program: no real prefix is
/// longer, and package lists can be hundreds of words long.
const MAX_PREFIX_WORDS: usize = 16;

/// The last path component of a word: `/usr/bin/apt-get` is `apt-get`.
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Index of the word a simple command runs as its program: past shell
/// keywords, `VAR=value` assignments, redirections and wrappers with their
/// options (`then sudo -u app apt-get install` runs `apt-get`, word 4).
/// None when the first 16 words are all such prefixes. The same semantics as
/// `program_index` in `policies/lib/lib.rego`, which rules call with
/// commands of their own making: a test compares the two.
pub fn program_index<S: AsRef<str>>(words: &[S]) -> Option<usize> {
    (0..words.len().min(MAX_PREFIX_WORDS)).find(|&j| !before_program(words, j))
}

/// Word `j` of a command stands before the program it runs.
fn before_program<S: AsRef<str>>(words: &[S], j: usize) -> bool {
    let word = words[j].as_ref();
    let earlier = || words[..j].iter().map(|w| basename(w.as_ref()));
    SHELL_KEYWORDS.contains(&word)
        || COMMAND_WRAPPERS.contains(&basename(word))
        || assignment(word)
        || redirection(word)
        // Options of a wrapper (`sudo -E`, `env -i`) ...
        || (j > 0 && word.starts_with('-') && earlier().any(|w| COMMAND_WRAPPERS.contains(&w)))
        // ... the value of sudo's `-u`/`-g` ...
        || (j > 0
            && matches!(words[j - 1].as_ref(), "-u" | "-g" | "--user" | "--group")
            && earlier().any(|w| w == "sudo"))
        // ... and the operand of `gosu app`, `chroot /root`.
        || (j > 0 && WRAPPERS_WITH_OPERAND.contains(&basename(words[j - 1].as_ref())))
}

/// `NAME=value` with a shell variable name.
fn assignment(word: &str) -> bool {
    match word.find('=') {
        Some(eq) if eq > 0 => {
            let name = &word.as_bytes()[..eq];
            !name[0].is_ascii_digit()
                && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        }
        _ => false,
    }
}

/// A redirection word with its target: `2>/dev/null`, `5<<EOF`.
fn redirection(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.starts_with(['<', '>', '&']) && !rest.trim_start_matches(['<', '>', '&']).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        split(script).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn separators_split_commands() {
        assert_eq!(
            words("apt-get update && apt-get install -y curl; rm -rf /x || true"),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "curl"],
                vec!["rm", "-rf", "/x"],
                vec!["true"]
            ]
        );
    }

    #[test]
    fn quotes_group_and_continuations_join() {
        assert_eq!(
            words("echo 'a && b' \"c;d\" e\\ f \\\n  g"),
            vec![vec!["echo", "a && b", "c;d", "e f", "g"]]
        );
    }

    #[test]
    fn pipes_are_marked() {
        let cmds = split("curl -fsSL https://x/install.sh | sudo bash -s -- --yes");
        assert_eq!(cmds.len(), 2);
        assert!(!cmds[0].piped && cmds[1].piped);
        assert_eq!(cmds[1].words[0], "sudo");
        assert!(!split("a || b")[1].piped);
    }

    #[test]
    fn case_patterns_are_no_pipes_nor_commands() {
        let script = "case \"$arch\" in\n amd64|x86_64) a=x64 ;;\n (arm64|aarch64) a=arm64 ;;\n *) echo no | tee log; exit 1 ;;\nesac; curl x | tar -x";
        let cmds = split(script);
        let piped: Vec<_> = cmds
            .iter()
            .filter(|c| c.piped)
            .map(|c| c.words[0].as_str())
            .collect();
        assert_eq!(piped, vec!["tee", "tar"]);
        assert_eq!(
            words(script),
            vec![
                vec!["case", "$arch", "in"],
                vec!["a=x64"],
                vec!["a=arm64"],
                vec!["echo", "no"],
                vec!["tee", "log"],
                vec!["exit", "1"],
                vec!["esac"],
                vec!["curl", "x"],
                vec!["tar", "-x"]
            ]
        );
        assert_eq!(
            words("case $a in x|y) make ;; esac"),
            vec![vec!["case", "$a", "in"], vec!["make"], vec!["esac"]]
        );
    }

    #[test]
    fn comments_and_groups_are_dropped() {
        assert_eq!(
            words("set -e # strict\n{ echo a; } && (cd /x && make)"),
            vec![
                vec!["set", "-e"],
                vec!["echo", "a"],
                vec!["cd", "/x"],
                vec!["make"]
            ]
        );
    }

    /// Each command as `depth:words`, or `depth|words` when piped.
    fn nested(script: &str) -> Vec<String> {
        split(script)
            .into_iter()
            .map(|c| {
                let mark = if c.piped { '|' } else { ':' };
                format!("{}{mark}{}", c.depth, c.words.join(" "))
            })
            .collect()
    }

    /// The text each command's span covers.
    fn spans(script: &str) -> Vec<&str> {
        split(script).into_iter().map(|c| &script[c.span]).collect()
    }

    #[test]
    fn substitutions_yield_their_commands_first() {
        let sum = "echo \"$(curl -fsSL x | sha256sum)\"";
        assert_eq!(
            nested(sum),
            [
                "1:curl -fsSL x",
                "1|sha256sum",
                "0:echo $(curl -fsSL x | sha256sum)"
            ]
        );
        assert_eq!(
            nested("a=$(uname -m) && make"),
            ["1:uname -m", "0:a=$(uname -m)", "0:make"]
        );
        assert_eq!(
            nested("echo `date | tr a b`"),
            ["1:date", "1|tr a b", "0:echo `date | tr a b`"]
        );
        assert_eq!(nested("echo \"`date`\""), ["1:date", "0:echo `date`"]);
        assert_eq!(
            nested("x \"$(a \"$(b | c)\")\""),
            ["2:b", "2|c", "1:a $(b | c)", "0:x $(a \"$(b | c)\")"]
        );
        assert_eq!(
            nested("echo \"$(printf ')' | wc -c)\" ok"),
            ["1:printf )", "1|wc -c", "0:echo $(printf ')' | wc -c) ok"]
        );
        assert_eq!(
            nested("echo $(echo \")\") x"),
            ["1:echo )", "0:echo $(echo \")\") x"]
        );
        assert_eq!(
            nested("echo $( (cd /x && pwd) )"),
            ["1:cd /x", "1:pwd", "0:echo $( (cd /x && pwd) )"]
        );
        assert_eq!(
            nested("echo $((1 + 2)) | tee x"),
            ["0:echo $((1 + 2))", "0|tee x"]
        );
        assert_eq!(
            nested("echo '$(a | b)' \\$(c)"),
            ["0:echo $(a | b) $", "0:c"]
        );
        assert_eq!(
            nested(
                "v=$(case $a in x86_64) echo amd64 ;; (arm*) uname -m | tr a b ;; esac) && make"
            ),
            [
                "1:case $a in",
                "1:echo amd64",
                "1:uname -m",
                "1|tr a b",
                "1:esac",
                "0:v=$(case $a in x86_64) echo amd64 ;; (arm*) uname -m | tr a b ;; esac)",
                "0:make"
            ],
            "a case pattern's `)` closes nothing"
        );
        assert_eq!(
            nested("x=$(echo case) y"),
            ["1:echo case", "0:x=$(echo case) y"],
            "`case` as an argument opens nothing"
        );
        assert_eq!(
            nested("echo \"$(a\" | b"),
            ["0:echo $(a", "0|b"],
            "unclosed: text"
        );
    }

    #[test]
    fn deep_or_unclosed_substitutions_stay_bounded() {
        let deep = format!("{}x | y{}", "echo \"$(".repeat(5000), ")\"".repeat(5000));
        let cmds = split(&deep);
        assert!(cmds.iter().all(|c| c.depth <= MAX_NESTING));
        assert!(cmds.len() <= 2 * MAX_NESTING + 2);
        let unclosed = "$( `a".repeat(20000);
        assert!(split(&unclosed).iter().all(|c| c.depth == 0));
    }

    #[test]
    fn pipes_pair_commands_of_the_same_substitution() {
        let pairs = |s: &str| pipes(&split(s));
        assert_eq!(pairs("echo \"$(a | b)\" | c"), [(0, 1), (2, 3)]);
        assert_eq!(pairs("a | c \"$(b)\""), [(0, 2)]);
        assert_eq!(pairs("x \"$(a)\" \"$(b | c)\""), [(1, 2)]);
        assert_eq!(pairs("a; b | c"), [(1, 2)]);
    }

    #[test]
    fn spans_cover_each_command() {
        assert_eq!(
            spans("apt-get update &&  apt-get install -y x # c\n"),
            ["apt-get update", "apt-get install -y x"]
        );
        assert_eq!(
            spans("v=\"$(curl -s x | jq .v)\"; echo ok"),
            [
                "curl -s x",
                "jq .v",
                "v=\"$(curl -s x | jq .v)\"",
                "echo ok"
            ]
        );
        assert_eq!(spans("é `b c`"), ["b c", "é `b c`"]);
    }

    fn program<'a>(words: &[&'a str]) -> Option<&'a str> {
        program_index(words).map(|i| basename(words[i]))
    }

    #[test]
    fn program_is_found_past_keywords_assignments_and_wrappers() {
        assert_eq!(
            program(&["apt-get", "install", "-y", "curl"]),
            Some("apt-get")
        );
        assert_eq!(
            program(&[
                "then",
                "DEBIAN_FRONTEND=noninteractive",
                "sudo",
                "-E",
                "apt-get",
                "install"
            ]),
            Some("apt-get")
        );
        assert_eq!(
            program(&["sudo", "-u", "app", "/usr/bin/pip", "install", "x"]),
            Some("pip")
        );
        assert_eq!(program(&["gosu", "app", "apk", "add", "curl"]), Some("apk"));
        assert_eq!(
            program(&["su-exec", "app:app", "env", "A=1", "npm", "install"]),
            Some("npm")
        );
        assert_eq!(program(&["2>/dev/null", "cat", "x"]), Some("cat"));
        assert_eq!(program(&["5<<file", "cat", "/proc/self/fd/5"]), Some("cat"));
        assert_eq!(program_index(&["do", "wget", "-q", "x"]), Some(1));
    }

    #[test]
    fn mentions_are_not_programs_and_prefixes_alone_run_nothing() {
        assert_eq!(program(&["echo", "apt-get", "install"]), Some("echo"));
        assert_eq!(program(&["sudo", "-E"]), None);
        assert_eq!(program(&["a=x64"]), None);
        assert_eq!(program(&["1a=x", "run"]), Some("1a=x"));
        assert_eq!(program(&[">", "x"]), Some(">"));
        let long: Vec<String> = (0..40)
            .map(|i| format!("V{i}=1"))
            .chain(["make".into()])
            .collect();
        assert_eq!(
            program_index(&long),
            None,
            "only the first 16 words are looked at"
        );
        assert_eq!(program_index::<&str>(&[]), None);
    }
}
