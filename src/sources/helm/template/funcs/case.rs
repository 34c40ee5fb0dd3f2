//! Case conversion as Go and huandu/xstrings (Sprig's `snakecase`,
//! `kebabcase`, `camelcase`) do it: one rune maps to one rune (Go's simple
//! case mapping: `ß` stays `ß`), words split where xstrings splits them
//! (`HTTPServer2Go` → `http_server2_go`, CJK apart from other letters).

/// `unicode.ToUpper`: a rune whose upper case is several runes is kept.
pub fn to_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToLower`.
pub fn to_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `unicode.IsPunct` (category P): ASCII punctuation but not the symbols
/// `$+<=>^`|~`, and the common punctuation blocks beyond ASCII.
pub fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    matches!(c as u32,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x37E | 0x387
        | 0x55A..=0x55F | 0x589 | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3 | 0x5F4
        | 0x609 | 0x60A | 0x60C | 0x60D | 0x61B | 0x61E | 0x61F | 0x66A..=0x66D
        | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x207D | 0x207E | 0x208D | 0x208E | 0x2308..=0x230B | 0x2329 | 0x232A
        | 0x2768..=0x2775 | 0x27C5 | 0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998
        | 0x29D8..=0x29DB | 0x29FC | 0x29FD | 0x2E00..=0x2E2E | 0x2E30..=0x2E4F
        | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0x3030 | 0x303D
        | 0x30A0 | 0x30FB | 0xFE10..=0xFE19 | 0xFE30..=0xFE52 | 0xFE54..=0xFE61
        | 0xFE63 | 0xFE68 | 0xFE6A | 0xFE6B | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A
        | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D
        | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// xstrings' `isConnector`.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// xstrings' `isAlphabet`: a letter, but not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !c.is_alphabetic() {
        return false;
    }
    !matches!(c as u32, 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x20000..=0x2B81D)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// The length in bytes of the leading run of `rest` whose characters pass `keep`.
fn run(rest: &str, keep: impl Fn(char) -> bool) -> usize {
    rest.char_indices()
        .find(|(_, c)| !keep(*c))
        .map_or(rest.len(), |(i, _)| i)
}

/// xstrings' `nextWord`: the type of the next word, the word, the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    let Some(r) = s.chars().next() else {
        return (Word::Invalid, "", "");
    };
    let size = r.len_utf8();
    let rest = &s[size..];
    let (word, len) = if is_connector(r) {
        (Word::Connector, size + run(rest, is_connector))
    } else if is_punct(r) {
        (Word::Punct, size + run(rest, is_punct))
    } else if r.is_uppercase() {
        match rest.chars().next() {
            Some(n) if n.is_uppercase() => {
                // `HTTPServer`: `HTTP`, then `Server` (the last capital
                // starts the next word when a letter follows it).
                let upper = run(rest, char::is_uppercase);
                let after = &rest[upper..];
                let mut len = size + upper;
                if after.chars().next().is_some_and(is_alphabet) {
                    let last = rest[..upper].chars().next_back().map_or(0, char::len_utf8);
                    len -= last;
                }
                (Word::Upper, len)
            }
            Some(n) if is_alphabet(n) => (
                Word::Upper,
                size + run(rest, |c| is_alphabet(c) && !c.is_uppercase()),
            ),
            _ => (Word::Upper, size),
        }
    } else if is_alphabet(r) {
        (
            Word::Alphabet,
            size + run(rest, |c| is_alphabet(c) && !c.is_uppercase()),
        )
    } else if r.is_numeric() {
        (Word::Number, size + run(rest, char::is_numeric))
    } else {
        let other = run(rest, |c| {
            !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
        });
        (Word::Other, size + other)
    };
    (word, &s[..len], &s[len..])
}

/// xstrings' `toLower`: upper-case and connector words rewritten.
fn push_lower(out: &mut String, word_type: Word, word: &str, connector: char) {
    if word_type != Word::Upper && word_type != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else {
            out.push(to_lower(c));
        }
    }
}

/// xstrings' `camelCaseToLowerCase`: `snakecase` with `_`, `kebabcase`
/// with `-`.
pub fn lower_words(s: &str, connector: char) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Word::Connector {
            push_lower(&mut out, wt, word, connector);
        }
        let previous = wt;
        let last = word;
        (wt, word, rest) = next_word(rest);
        match previous {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, previous, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let number = word;
                (wt, word, rest) = next_word(rest);
                // A number is part of the word before it (`Bld4Floor`)
                // unless lower-case letters follow it (`HTTP2xx`).
                if wt != Word::Alphabet {
                    push_lower(&mut out, Word::Number, number, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                push_lower(&mut out, Word::Number, number, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if !matches!(wt, Word::Invalid | Word::Connector | Word::Punct) {
                    out.push(connector);
                }
            }
        }
    }
    push_lower(&mut out, wt, word, connector);
    out
}

/// xstrings' `ToPascalCase`, Sprig's `camelcase`: connectors dropped, the
/// rune after one upper-cased, runs of capitals lowered after the first.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = '\0';
    let mut any = false;
    for c in chars.by_ref() {
        any = true;
        r0 = c;
        if !is_connector(c) {
            first_upper = c.is_uppercase();
            r0 = to_upper(c);
            break;
        }
        out.push(c);
    }
    let rest = chars.as_str();
    if rest.is_empty() {
        // xstrings writes the last rune once more here (`" "` → `"  "`).
        if any {
            out.push(r0);
        }
        return out;
    }
    for c in rest.chars() {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = r0.is_uppercase();
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if r0.is_uppercase() {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Samples from xstrings' documentation.
    #[test]
    fn words_split_as_xstrings_splits_them() {
        for (s, snake) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(lower_words(s, '_'), snake, "{s}");
        }
        for (s, camel) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(pascal(s), camel, "{s}");
        }
    }
}
