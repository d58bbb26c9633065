//! Just enough of Rust's syntax to read a file's imports: a lexer that drops comments,
//! strings and char literals (so a brace or a `use` inside them counts for nothing), and a
//! walk over the tokens that records every `use` tree, every path in the code that starts
//! with `crate::`, `super::` or `self::`, every `mod name;` declaration (with its
//! `#[path]`), and the inline modules (`mod tests { … }`) each of them sits in.

/// One token, with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// A string literal's raw text (only `#[path = "…"]` needs one).
    Str(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// One path a `use` brings in, as written (`crate`, `super`, `self` kept), with the line of
/// its `use` and the inline modules the `use` sits in (innermost last).
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub line: usize,
    pub inline: Vec<String>,
    pub path: Vec<String>,
    /// A qualified path in the code (`super::ui::status::wrapped(…)`), not a `use`.
    pub in_code: bool,
}

/// `mod name;` (a module in another file), with its `#[path = "…"]` if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ModDecl {
    pub name: String,
    pub path_attr: Option<String>,
    /// Inside an inline module: such declarations are not followed.
    pub inline: bool,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub imports: Vec<Import>,
    pub mods: Vec<ModDecl>,
}

fn lex(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident_start = |ch: char| ch.is_alphabetic() || ch == '_';
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if ch == '"' {
            let start = line;
            let mut text = String::new();
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    text.push(c[i]);
                    i += 1;
                }
                if let Some(&x) = c.get(i) {
                    line += usize::from(x == '\n');
                    text.push(x);
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Str(text), start));
        } else if ch == '\'' {
            if next == Some('\\') {
                // An escaped char literal: up to the closing quote.
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3; // 'x'
            } else {
                i += 1; // a lifetime or label: its name lexes as an identifier
            }
        } else if ident_start(ch) {
            let start = i;
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            // Raw strings r"…", r#"…"#, br#"…"#; raw identifiers r#name.
            if (word == "r" || word == "br") && matches!(c.get(i), Some('"') | Some('#')) {
                let mut hashes = 0;
                while c.get(i + hashes) == Some(&'#') {
                    hashes += 1;
                }
                if c.get(i + hashes) == Some(&'"') {
                    let begin = line;
                    i += hashes + 1;
                    let closes = |at: usize| {
                        c.get(at) == Some(&'"') && (1..=hashes).all(|h| c.get(at + h) == Some(&'#'))
                    };
                    let mut text = String::new();
                    while i < c.len() && !closes(i) {
                        line += usize::from(c[i] == '\n');
                        text.push(c[i]);
                        i += 1;
                    }
                    i += hashes + 1;
                    out.push((Tok::Str(text), begin));
                    continue;
                }
                if word == "r" && hashes == 1 {
                    i += 1;
                    let start = i;
                    while i < c.len() && ident_char(c[i]) {
                        i += 1;
                    }
                    out.push((Tok::Ident(c[start..i].iter().collect()), line));
                    continue;
                }
            }
            out.push((Tok::Ident(word), line));
        } else if ch == ':' && next == Some(':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

fn punct(t: Option<&(Tok, usize)>, p: char) -> bool {
    matches!(t, Some((Tok::Punct(x), _)) if *x == p)
}

/// The `#[path = "…"]` among the attributes that end just before token `end` (skipping a
/// visibility such as `pub` or `pub(crate)` first).
fn path_attr(toks: &[(Tok, usize)], mut end: usize) -> Option<String> {
    if end >= 4 && punct(toks.get(end - 1), ')') && ident(toks.get(end - 4)) == Some("pub") {
        end -= 4;
    } else if end >= 1 && ident(toks.get(end - 1)) == Some("pub") {
        end -= 1;
    }
    let mut found = None;
    // Each attribute is `# [ … ]`; walk back over them.
    while end >= 3 && punct(toks.get(end - 1), ']') {
        let mut depth = 0usize;
        let mut j = end - 1;
        loop {
            if punct(toks.get(j), ']') {
                depth += 1;
            } else if punct(toks.get(j), '[') {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            if j == 0 {
                return found;
            }
            j -= 1;
        }
        if j == 0 || !punct(toks.get(j - 1), '#') {
            return found;
        }
        if ident(toks.get(j + 1)) == Some("path")
            && punct(toks.get(j + 2), '=')
            && let Some((Tok::Str(p), _)) = toks.get(j + 3)
        {
            found = Some(p.clone());
        }
        end = j - 1;
    }
    found
}

/// One use tree from token `i`, every path it names appended to `out` (a glob names its
/// prefix; `self` in braces names the prefix). Returns the index after the tree.
fn use_tree(
    toks: &[(Tok, usize)],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    if matches!(toks.get(i), Some((Tok::PathSep, _))) {
        i += 1; // `use ::std::…`
    }
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(s) => {
                path.push(s.clone());
                i += 1;
                if matches!(toks.get(i), Some((Tok::PathSep, _))) {
                    i += 1;
                    continue;
                }
                if ident(toks.get(i)) == Some("as") {
                    i += 2;
                }
                if path.len() > 1 && path.last().is_some_and(|s| s == "self") {
                    path.pop();
                }
                out.push(path);
                return i;
            }
            Tok::Punct('*') => {
                out.push(path);
                return i + 1;
            }
            Tok::Punct('{') => {
                i += 1;
                while i < toks.len() {
                    if punct(toks.get(i), '}') {
                        return i + 1;
                    }
                    let after = use_tree(toks, i, &path, out);
                    i = if after == i { i + 1 } else { after };
                    if punct(toks.get(i), ',') {
                        i += 1;
                    }
                }
                return i;
            }
            _ => return i,
        }
    }
    i
}

pub fn parse(src: &str) -> Parsed {
    let toks = lex(src);
    let mut parsed = Parsed::default();
    // Inline modules open: (name, brace depth outside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Tok::Ident(w) if w == "mod" => {
                if let Some(name) = ident(toks.get(i + 1)) {
                    if punct(toks.get(i + 2), '{') {
                        inline.push((name.to_string(), depth));
                        i += 2;
                        continue;
                    }
                    if punct(toks.get(i + 2), ';') {
                        parsed.mods.push(ModDecl {
                            name: name.to_string(),
                            path_attr: path_attr(&toks, i),
                            inline: !inline.is_empty(),
                        });
                    }
                }
            }
            Tok::Ident(w) if w == "use" => {
                let line = toks[i].1;
                let mut paths = Vec::new();
                i = use_tree(&toks, i + 1, &[], &mut paths);
                let stack: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
                parsed.imports.extend(paths.into_iter().map(|path| Import {
                    line,
                    inline: stack.clone(),
                    path,
                    in_code: false,
                }));
                continue;
            }
            Tok::Ident(w)
                if matches!(w.as_str(), "crate" | "super" | "self")
                    && matches!(toks.get(i + 1), Some((Tok::PathSep, _)))
                    && !matches!(
                        toks.get(i.wrapping_sub(1)),
                        Some((Tok::PathSep, _)) | Some((Tok::Punct('$'), _))
                    ) =>
            {
                let line = toks[i].1;
                let mut path = vec![w.clone()];
                i += 1;
                while let (Some((Tok::PathSep, _)), Some(next)) =
                    (toks.get(i), ident(toks.get(i + 1)))
                {
                    path.push(next.to_string());
                    i += 2;
                }
                parsed.imports.push(Import {
                    line,
                    inline: inline.iter().map(|(n, _)| n.clone()).collect(),
                    path,
                    in_code: true,
                });
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parsed
}
