//! Splits a POSIX shell script into simple commands, so that rules about
//! `RUN` lines (apt-get flags, `curl | sh`, `sudo`) look at words rather
//! than substrings, and the splitting is done once, in Rust, not per rule.
//!
//! Not a shell: no expansion. Quotes group words, backslash escapes, `#`
//! starts a comment at the start of a word, and `&&`, `||`, `;`, `&`, `|`,
//! newlines, `(`, `)` separate commands; `{`/`}` and `!` are dropped as words.

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
    let mut chars = script.chars().peekable();

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
