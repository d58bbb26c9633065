//! Reading the config and key files safely: ssh-style permission checks, and one-line
//! parse errors that name the file, the line, the field and the fix.

use std::path::Path;

use anyhow::{anyhow, bail};

use super::ConfigFile;

/// Load the config file. A missing file is fine unless it was asked for explicitly.
/// A file holding a secret must not be readable by group or others.
pub fn load(path: &Path, explicit: bool) -> anyhow::Result<Option<ConfigFile>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
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
    let file = super::parse(&text, path)?;
    if file.bears_secrets() {
        check_private(path).map_err(|m| anyhow!(m))?;
    }
    Ok(Some(file))
}

/// Refuse a secret-bearing file that group or others can access (like ssh does).
#[cfg(unix)]
pub fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
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
    Ok(())
}

/// Refuse a secret-bearing file that group or others can access (no check off Unix).
#[cfg(not(unix))]
pub fn check_private(_path: &Path) -> Result<(), String> {
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
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .map_err(|e| format!("cannot read key file {}: {e}", path.display()))
}

/// A TOML error as one line: file, line, field, problem, fix.
pub fn describe_toml_error(e: &toml::de::Error, text: &str, path: &Path) -> anyhow::Error {
    let message: String = e
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
