//! Splits a POSIX shell script into simple commands, so that rules about
//! `RUN` lines (apt-get flags, `curl | sh`, `sudo`) look at words rather
//! than substrings, and the splitting is done once, in Rust, not per rule.
//!
//! Not a shell: no expansion. Quotes group words, backslash escapes, `#`
//! starts a comment at the start of a word, and `&&`, `||`, `;`, `&`, `|`,
//! newlines, `(`, `)` separate commands; `{`/`}` and `!` are dropped as words.
//! The patterns of a `case` (`amd64|x86_64)`) are dropped too: their `|` is
//! no pipe and their words are no command.

/// A simple command and whether its stdin is the previous command's stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    pub piped: bool,
}

pub fn split(script: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut piped_next = false;
    let mut piped_current = false;
    // Inside `case … in`: reading a pattern (up to its `)`), and how many
    // `case`s are open.
    let mut in_pattern = false;
    let mut case_depth = 0usize;
    let mut chars = script.chars().peekable();

    // `case WORD in` (after shell keywords): the index of `in`.
    fn case_head(words: &[String]) -> Option<usize> {
        let start = words
            .iter()
            .position(|w| !matches!(w.as_str(), "then" | "else" | "do" | "{" | "!"))?;
        (words.get(start)? == "case" && words.get(start + 2)? == "in").then_some(start + 2)
    }

    fn end_word(word: &mut String, in_word: &mut bool, words: &mut Vec<String>) {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    }

    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(n) => {
                    word.push(n);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    word.push(n);
                }
            }
            '"' => {
                in_word = true;
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' => {
                            if let Some(&m) = chars.peek() {
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
                        _ => word.push(n),
                    }
                }
            }
            '#' if !in_word => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            ' ' | '\t' | '\r' => end_word(&mut word, &mut in_word, &mut words),
            '\n' | ';' | '&' | '|' | '(' | ')' => {
                end_word(&mut word, &mut in_word, &mut words);
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
                    commands.push(Command {
                        words: std::mem::take(&mut words),
                        piped: piped_current,
                    });
                    piped_current = false;
                    case_depth += 1;
                    in_pattern = c != ')';
                    words = if in_pattern { pattern } else { Vec::new() };
                    if c == '|' {
                        chars.next_if_eq(&'|');
                    }
                    continue;
                }
                let ends_branch = c == ';' && chars.peek() == Some(&';');
                if ends_branch {
                    chars.next();
                }
                let pipe = c == '|' && chars.peek() != Some(&'|');
                if matches!(c, '&' | '|') && chars.peek() == Some(&c) {
                    chars.next();
                }
                words.retain(|w| !matches!(w.as_str(), "{" | "}" | "!"));
                if !words.is_empty() {
                    commands.push(Command {
                        words: std::mem::take(&mut words),
                        piped: piped_current,
                    });
                    piped_current = false;
                }
                piped_next = pipe;
                if piped_next {
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
    end_word(&mut word, &mut in_word, &mut words);
    words.retain(|w| !matches!(w.as_str(), "{" | "}" | "!"));
    if !words.is_empty() {
        commands.push(Command {
            words,
            piped: piped_current,
        });
    }
    let _ = piped_next;
    commands
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
