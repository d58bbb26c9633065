//! CSV, one writer for the CLI's `--format csv` and the dashboard's exports, and files
//! that appear whole or not at all.
//!
//! Values are written exactly (RFC 4180 quoting by the `csv` crate). With `csv_safe`, a
//! cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return) gets a leading `'`; group IDs start with `@`, so this is
//! off unless asked for (`--csv-safe`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The columns of a member-list CSV, the same from `members --format csv` and from the
/// dashboard's export: the group, the message's seq, which list, the member.
pub const MEMBER_LIST_HEADERS: [&str; 4] = ["group_id", "seq", "list", "account"];
/// The dashboard's export: the member list's columns, then each member's names.
pub const EXPORT_HEADERS: [&str; 6] = ["group_id", "seq", "list", "account", "name_card", "nick"];

/// A cell made harmless for spreadsheets (see the module docs).
pub fn formula_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Write a header row and rows as CSV.
pub fn write_csv<R, C>(out: impl Write, headers: &[&str], rows: R, csv_safe: bool) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(headers).map_err(io_error)?;
    for row in rows {
        if csv_safe {
            w.write_record(row.into_iter().map(|c| formula_safe(c.as_ref())))
                .map_err(io_error)?;
        } else {
            w.write_record(row.into_iter().map(|c| c.as_ref().to_string()))
                .map_err(io_error)?;
        }
    }
    w.flush()
}

/// A CSV error as the I/O error it carries, so a closed pipe stays a `BrokenPipe` (the
/// subcommands end quietly on one).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Create `dir/{base}.csv` (or `{base}-1.csv`, ... when taken; never over an existing
/// file) with what `fill` writes. The data goes to a hidden temporary file in `dir`
/// first, synced, and is renamed into place only when `fill` succeeded: a failure
/// (a full disk, a cancelled export) leaves no file behind, never a truncated one under
/// the final name.
pub fn write_file_atomically(
    dir: &Path,
    base: &str,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf, String> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".tim-receipts-")
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "cannot create a file in {}: {e} (run from a writable directory)",
                dir.display()
            )
        })?;
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut out).and_then(|()| out.flush()).map_err(|e| {
            format!(
                "cannot write the export in {}: {e}; no file was left",
                dir.display()
            )
        })?;
    }
    tmp.as_file().sync_all().map_err(|e| {
        format!(
            "cannot write the export in {}: {e}; no file was left",
            dir.display()
        )
    })?;
    for attempt in 0..100 {
        let name = match attempt {
            0 => format!("{base}.csv"),
            n => format!("{base}-{n}.csv"),
        };
        let path = dir.join(name);
        match tmp.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(format!("cannot create {}: {}", path.display(), e.error)),
        }
    }
    Err(format!(
        "cannot find a free name for {base}.csv in {}",
        dir.display()
    ))
}

/// Like [`write_file_atomically`], to exactly `path` (which must not exist yet).
pub fn write_file_atomically_at(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf, String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".tim-receipts-")
        .suffix(".partial")
        .tempfile_in(&dir)
        .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write {}: {e}; no file was left", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("cannot write {}: {e}; no file was left", path.display()))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(path.to_path_buf()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(format!(
            "{} already exists: give another name (an export never overwrites a file)",
            path.display()
        )),
        Err(e) => Err(format!("cannot create {}: {}", path.display(), e.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_is_rfc4180_and_safe_mode_defuses_formulas() {
        let mut out = Vec::new();
        let rows = vec![vec!["a", "b,\"c\""], vec!["=1+1", "@TGS#x"]];
        write_csv(&mut out, &["x", "y"], rows.clone(), false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x,y\na,\"b,\"\"c\"\"\"\n=1+1,@TGS#x\n"
        );
        let mut out = Vec::new();
        write_csv(&mut out, &["x", "y"], rows, true).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("'=1+1,'@TGS#x\n"));
    }

    #[test]
    fn a_failed_export_leaves_nothing_and_names_never_clash() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file_atomically(dir.path(), "x", |w| {
            w.write_all(b"group_id,seq\nhalf")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        })
        .unwrap_err();
        assert!(
            err.contains("disk full") && err.contains("no file was left"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no file, no temporary"
        );

        let one = write_file_atomically(dir.path(), "x", |w| w.write_all(b"1\n")).unwrap();
        let two = write_file_atomically(dir.path(), "x", |w| w.write_all(b"2\n")).unwrap();
        assert!(one.ends_with("x.csv") && two.ends_with("x-1.csv"));
        assert_eq!(std::fs::read_to_string(one).unwrap(), "1\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
