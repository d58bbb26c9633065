//! Reading the config and key files safely: ssh-style permission checks, and one-line
//! parse errors that name the file, the line, the field and the fix.

use std::path::Path;

use anyhow::{anyhow, bail};

use super::file::ConfigFile;

/// Parse the text of a config file; errors are one line naming the file, line and field.
pub fn parse(text: &str, path: &Path) -> anyhow::Result<ConfigFile> {
    toml::from_str(text).map_err(|e| describe_toml_error(&e, text, path))
}

/// Load the config file. A missing file is fine unless it was asked for explicitly.
/// A file holding a secret must not be readable by group or others.
pub fn load(path: &Path, explicit: bool) -> anyhow::Result<Option<ConfigFile>> {
    let text = match read_limited(path, MAX_CONFIG_BYTES) {
        Ok(t) => t,
        Err(Unreadable::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            if explicit {
                bail!(
                    "config file {} does not exist: create it (see config.toml.example) or fix --config / TIM_RECEIPTS_CONFIG",
                    path.display()
                );
            }
            return Ok(None);
        }
        Err(e) => bail!("cannot read config file {}: {e}", path.display()),
    };
    let file = parse(&text, path)?;
    if file.bears_secrets() {
        check_private(path).map_err(|m| anyhow!(m))?;
    }
    Ok(Some(file))
}

/// The most a config file may hold; a larger one (or `/dev/zero`) is refused unread.
pub const MAX_CONFIG_BYTES: u64 = 256 * 1024;
/// The most a key file may hold (a key is 64 characters).
pub const MAX_KEY_BYTES: u64 = 4 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum Unreadable {
    Io(std::io::Error),
    /// A FIFO, a device, a directory...: reading it could block or never end.
    NotRegular,
    TooLarge(u64),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Io(e) => write!(f, "{e}"),
            Unreadable::NotRegular => f.write_str("it is not a regular file"),
            Unreadable::TooLarge(max) => write!(f, "it is larger than {max} bytes"),
        }
    }
}

/// Read a small regular file: opened without blocking (a FIFO cannot hang us), checked to
/// be a regular file, and read no further than `max` bytes.
pub fn read_limited(path: &Path, max: u64) -> Result<String, Unreadable> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(Unreadable::Io)?;
    let meta = file.metadata().map_err(Unreadable::Io)?;
    if !meta.is_file() {
        return Err(Unreadable::NotRegular);
    }
    if meta.len() > max {
        return Err(Unreadable::TooLarge(max));
    }
    let mut text = String::new();
    file.take(max + 1)
        .read_to_string(&mut text)
        .map_err(Unreadable::Io)?;
    if text.len() as u64 > max {
        return Err(Unreadable::TooLarge(max));
    }
    Ok(text)
}

/// Refuse a secret-bearing file that another user could read or replace, like ssh does:
/// group or others can access it, another user owns it, or it sits in a directory anyone
/// can write to.
pub fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} holds a secret but other users can access it (mode {mode:04o}): run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    #[allow(unsafe_code)] // geteuid(2): no arguments, cannot fail
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(format!(
            "{} holds a secret but belongs to another user (uid {}): use a file of your own (copy it, then chmod 600)",
            path.display(),
            meta.uid()
        ));
    }
    let dir = path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    if let Some(dir) = dir
        && let Ok(d) = std::fs::metadata(&dir)
        && d.permissions().mode() & 0o002 != 0
    {
        return Err(format!(
            "{} holds a secret but sits in {}, which anyone can write to (another user could replace it): move it to a private directory such as ~/.config/tim-receipts/",
            path.display(),
            dir.display()
        ));
    }
    Ok(())
}

/// Read a key file (first checking its permissions); the key is the trimmed content.
pub fn read_key_file(path: &Path) -> Result<String, String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "key file {} does not exist: create it with the app's key (and chmod 600), or fix secret_key_file",
                path.display()
            ));
        }
        Err(e) => return Err(format!("cannot read key file {}: {e}", path.display())),
        Ok(_) => {}
    }
    check_private(path)?;
    read_limited(path, MAX_KEY_BYTES)
        .map(|s| s.trim().to_string())
        .map_err(|e| format!("cannot read key file {}: {e}", path.display()))
}

/// A TOML error as one line: file, line, field, problem, fix.
pub fn describe_toml_error(e: &toml::de::Error, text: &str, path: &Path) -> anyhow::Error {
    let mut message: String = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let fix = if message.contains("unknown field") {
        "remove or rename it (every field is listed in config.toml.example)"
    } else if message.contains("invalid type") || message.contains("invalid value") {
        "give it the type shown in config.toml.example (numbers unquoted, text in quotes, true/false)"
    } else {
        "fix the TOML syntax (see config.toml.example)"
    };
    let Some(span) = e.span() else {
        return anyhow!("{}: {message}; fix: {fix}", path.display());
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("").trim();
    let field = field_at(text, line_no, line);
    // The parser quotes the value it rejected: never for a secret.
    if field
        .as_deref()
        .is_some_and(|f| f.ends_with("secret_key") || f.ends_with("webhook_token"))
    {
        message =
            "the value has the wrong type (not shown: it is a secret); it must be text in quotes"
                .into();
    }
    match field {
        Some(f) => anyhow!(
            "{} line {line_no}: field `{f}`: {message}; fix: {fix}",
            path.display()
        ),
        None => anyhow!("{} line {line_no}: {message}; fix: {fix}", path.display()),
    }
}

/// The dotted name of the key on `line` (qualified by the table header above it).
fn field_at(text: &str, line_no: usize, line: &str) -> Option<String> {
    if line.starts_with('[') {
        return Some(
            line.trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        );
    }
    let key = line.split('=').next()?.trim().trim_matches('"');
    if key.is_empty() || !line.contains('=') {
        return None;
    }
    let table = text
        .lines()
        .take(line_no.saturating_sub(1))
        .map(str::trim)
        .filter(|l| l.starts_with('[') && !l.starts_with("[["))
        .last()
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    Some(match table {
        Some(t) if !t.is_empty() => format!("{t}.{key}"),
        _ => key.to_string(),
    })
}
