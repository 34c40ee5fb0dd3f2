//! Source text, byte spans and 1-based line/column positions. Depends on nothing.

use std::sync::Arc;

/// Which file of a checked unit a span points into. A unit built from
/// several files (a compose project with its override file, a Helm chart and
/// its values) numbers them; a single file is [`FileId::PRIMARY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// The file being checked, the one parsers read.
    pub const PRIMARY: FileId = FileId(0);
}

/// A byte range `start..end` into one file of a checked unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub file: FileId,
}

impl Span {
    /// A span of the primary file: what every parser builds.
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end,
            file: FileId::PRIMARY,
        }
    }

    /// The same range in another file of the unit.
    pub const fn in_file(self, file: FileId) -> Self {
        Span { file, ..self }
    }

    /// The smallest span covering both. Spans in two files cannot be
    /// covered: `other` is kept (a mapping entry joined with its value is
    /// where the value was set).
    pub fn join(self, other: Span) -> Span {
        if self.file != other.file {
            return other;
        }
        Span::new(self.start.min(other.start), self.end.max(other.end)).in_file(self.file)
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column (column counted in Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Bytes between two checkpoints of the character count: a column costs at
/// most this much counting, however long its line (minified JSON is one line).
const COLUMN_CHECKPOINT_BYTES: usize = 4096;

/// One file's text with a line index, shared cheaply between threads.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (or `-` for standard input).
    pub path: Arc<str>,
    pub text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// Characters before byte `i * COLUMN_CHECKPOINT_BYTES`.
    chars_before: Arc<[usize]>,
}

impl SourceFile {
    pub fn new(path: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut starts = vec![0];
        starts.extend(memchr_newlines(&text));
        let mut chars_before = vec![0];
        for chunk in text.as_bytes().chunks(COLUMN_CHECKPOINT_BYTES) {
            chars_before.push(chars_before[chars_before.len() - 1] + char_starts(chunk));
        }
        SourceFile {
            path: path.into(),
            text,
            line_starts: starts.into(),
            chars_before: chars_before.into(),
        }
    }

    /// Characters before a byte offset (on a character boundary).
    fn chars_to(&self, offset: usize) -> usize {
        let checkpoint = offset / COLUMN_CHECKPOINT_BYTES;
        let from = checkpoint * COLUMN_CHECKPOINT_BYTES;
        self.chars_before[checkpoint] + char_starts(&self.text.as_bytes()[from..offset])
    }

    /// 1-based line of a byte offset; offsets past the end clamp to the end.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Position of a byte offset; offsets past the end clamp to the end.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        // A short way into the line is counted directly; a long one (minified
        // JSON) from the nearest checkpoint.
        let column = match offset - line_start < COLUMN_CHECKPOINT_BYTES {
            true => char_starts(&self.text.as_bytes()[line_start..offset]),
            false => self.chars_to(offset) - self.chars_to(line_start),
        } + 1;
        // A byte-order mark is no character an editor shows.
        let bom = line_index == 0 && offset >= 3 && self.text.starts_with('\u{feff}');
        Position {
            line: line_index + 1,
            column: column - usize::from(bom),
        }
    }

    /// Start and end positions of a span. The end is inclusive of the last
    /// character (as SARIF and editors expect for `endColumn` exclusive: we
    /// return the column just past the last character).
    pub fn range(&self, span: Span) -> (Position, Position) {
        (
            self.position(span.start),
            self.position(span.end.max(span.start)),
        )
    }

    /// Byte span of a 1-based line, without its line terminator.
    pub fn line_span(&self, line: usize) -> Option<Span> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = end;
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Some(Span::new(start, end))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn slice(&self, span: Span) -> &str {
        let end = floor_char_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_char_boundary(&self.text, span.start.min(end));
        &self.text[start..end]
    }
}

/// The files a checked unit's spans point into: the primary file, then the
/// others, numbered from 1 ([`FileId`] `n` is `others[n - 1]`).
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub primary: &'a SourceFile,
    pub others: &'a [SourceFile],
}

impl<'a> Files<'a> {
    /// A unit of one file.
    pub fn single(primary: &'a SourceFile) -> Files<'a> {
        Files {
            primary,
            others: &[],
        }
    }

    pub fn get(self, id: FileId) -> Option<&'a SourceFile> {
        match id.0 {
            0 => Some(self.primary),
            n => self.others.get(n as usize - 1),
        }
    }

    /// The file a span points into; a span naming no file of the unit is
    /// read in the primary file, as before spans named files.
    pub fn of(self, span: Span) -> &'a SourceFile {
        self.get(span.file).unwrap_or(self.primary)
    }

    /// Every file with its id, the primary first.
    pub fn iter(self) -> impl Iterator<Item = (FileId, &'a SourceFile)> {
        std::iter::once(self.primary)
            .chain(self.others)
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i + 1)
}

/// Characters starting in `bytes`: every byte but UTF-8 continuation bytes.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b as i8) >= -0x40).count()
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Files larger than this are reported, not parsed (bounded memory and time).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What to do about a checked file over [`MAX_FILE_BYTES`].
pub const TOO_LARGE_ADVICE: &str = "exclude it or split it";

/// Reads a file the run was given (a checked file, `--data`, `--baseline`,
/// `--dockerfile`, a config's `data:`) as UTF-8 text, at most
/// [`MAX_FILE_BYTES`]. Only regular files and pipes are read: a device such
/// as `/dev/zero` never ends. `advice` ends the error of a file over the
/// limit; callers name the file.
pub fn read_input(path: &std::path::Path, advice: &str) -> Result<String, String> {
    read_input_up_to(path, MAX_FILE_BYTES, advice)
}

/// [`read_input`] with another limit, for inputs that grow with the size of
/// a run rather than of one file (a baseline of every finding).
pub fn read_input_up_to(
    path: &std::path::Path,
    limit: u64,
    advice: &str,
) -> Result<String, String> {
    let readable = |t: std::fs::FileType| t.is_file() || is_pipe(t);
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !readable(meta.file_type()) {
        return Err("cannot read: not a regular file".into());
    }
    if meta.len() > limit {
        return Err(too_large(
            &format!("file is {} bytes, larger", meta.len()),
            limit,
            advice,
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    // The file opened may not be the one looked at (a path swapped in between).
    match file.metadata() {
        Ok(m) if readable(m.file_type()) => read_capped_to(file, limit, advice),
        Ok(_) => Err("cannot read: not a regular file".into()),
        Err(e) => Err(format!("cannot read: {e}")),
    }
}

fn too_large(larger: &str, limit: u64, advice: &str) -> String {
    match advice {
        "" => format!("{larger} than the {limit} byte limit"),
        _ => format!("{larger} than the {limit} byte limit; {advice}"),
    }
}

fn is_pipe(file_type: std::fs::FileType) -> bool {
    #[cfg(unix)]
    return std::os::unix::fs::FileTypeExt::is_fifo(&file_type);
    #[cfg(not(unix))]
    return false;
}

/// Reads UTF-8 text up to [`MAX_FILE_BYTES`], counting what is read rather
/// than trusting a size (standard input, a pipe, a `/proc` file reporting 0).
pub fn read_capped(reader: impl std::io::Read, advice: &str) -> Result<String, String> {
    read_capped_to(reader, MAX_FILE_BYTES, advice)
}

fn read_capped_to(reader: impl std::io::Read, limit: u64, advice: &str) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large("larger", limit, advice));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // `docker save | gzip > app.tar.gz`, named as a file to check.
        return Err("a gzip-compressed archive; decompress it first (`gunzip`), `docker save` writes a plain tar".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("f", "ab\nçd\n\nx");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes; 'd' is the second character of line 2.
        assert_eq!(file.position(5), Position { line: 2, column: 2 });
        assert_eq!(file.position(8), Position { line: 4, column: 1 });
        assert_eq!(file.line_span(2).map(|s| file.slice(s)), Some("çd"));
        assert_eq!(file.line_span(3).map(|s| file.slice(s)), Some(""));
        assert_eq!(file.line_span(9), None);
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let file = SourceFile::new("Dockerfile", "\u{feff}FROM a\nFROM b\n");
        assert_eq!(file.position(3), Position { line: 1, column: 1 });
        assert_eq!(file.position(8), Position { line: 1, column: 6 });
        assert_eq!(file.position(10), Position { line: 2, column: 1 });
    }

    #[test]
    fn spans_name_their_file_and_files_resolve_them() {
        let primary = SourceFile::new("compose.yaml", "a: 1\n");
        let others = [SourceFile::new("compose.override.yaml", "x\nb: 2\n")];
        let files = Files {
            primary: &primary,
            others: &others,
        };
        let over = Span::new(2, 6).in_file(FileId(1));
        assert_eq!(Span::new(0, 1).file, FileId::PRIMARY);
        assert_eq!(&*files.of(over).path, "compose.override.yaml");
        assert_eq!(files.of(over).position(over.start).line, 2);
        // A file the unit does not have reads as the primary one.
        assert_eq!(&*files.of(over.in_file(FileId(7))).path, "compose.yaml");
        assert_eq!(files.iter().map(|(id, _)| id.0).collect::<Vec<_>>(), [0, 1]);
        // Spans of one file join; of two, the second is kept.
        assert_eq!(Span::new(0, 1).join(Span::new(3, 4)), Span::new(0, 4));
        assert_eq!(over.join(Span::new(5, 9).in_file(FileId(1))).start, 2);
        assert_eq!(Span::new(0, 1).join(over), over);
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_checkpoints() {
        let line = "é".repeat(3 * COLUMN_CHECKPOINT_BYTES) + "x";
        let file = SourceFile::new("f", format!("a\n{line}"));
        let x = file.text.len() - 1;
        assert_eq!(file.position(x).column, 3 * COLUMN_CHECKPOINT_BYTES + 1);
        assert_eq!(file.position(x).column, file.text[2..x].chars().count() + 1);
    }
}
