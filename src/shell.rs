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
}
