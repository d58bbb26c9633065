//! Logging to a bounded, rotating file under the XDG state directory
//! (e.g. `~/.local/state/tim-receipts/logs/tim-receipts.YYYY-MM-DD.log`), never to the
//! terminal (the dashboard owns it). Daily files, at most `MAX_FILES` kept, and at most
//! `MAX_TOTAL_BYTES` in the directory: once that is reached, further lines are dropped.
//!
//! Only this crate logs at the chosen level; dependencies log warnings and errors only,
//! so no request URL (whose query carries the UserSig) ends up in the file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};

use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Log files kept (one per day).
pub const MAX_FILES: usize = 7;
/// Upper bound on the log directory's size.
pub const MAX_TOTAL_BYTES: u64 = 50 * 1024 * 1024;
/// Default level when `--log-level` is not given.
pub const DEFAULT_LEVEL: &str = "info";

/// The log directory (`None` when no home directory is known).
pub fn log_dir() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join("logs"))
}

/// Start logging to the default log directory. Returns the directory, or why logging is
/// off (never fatal: the program works without a log file).
pub fn init(level: Option<&str>) -> Result<PathBuf, String> {
    let dir = log_dir().ok_or("no state directory (set HOME or XDG_STATE_HOME)")?;
    init_in(&dir, level)?;
    Ok(dir)
}

/// Start logging into `dir`.
pub fn init_in(dir: &Path, level: Option<&str>) -> Result<(), String> {
    let filter = filter_for(level.unwrap_or(DEFAULT_LEVEL))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let used = dir_size(dir);
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("tim-receipts")
        .filename_suffix("log")
        .max_log_files(MAX_FILES)
        .build(dir)
        .map_err(|e| format!("cannot open a log file in {}: {e}", dir.display()))?;
    let writer = Bounded {
        inner: appender,
        remaining: AtomicI64::new(
            i64::try_from(MAX_TOTAL_BYTES.saturating_sub(used)).unwrap_or(i64::MAX),
        ),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init()
        .map_err(|e| format!("logging already started: {e}"))
}

/// `LEVEL` for this crate, warnings for everything else.
pub fn filter_for(level: &str) -> Result<EnvFilter, String> {
    let level = level.trim().to_ascii_lowercase();
    if !["error", "warn", "info", "debug", "trace"].contains(&level.as_str()) {
        return Err(format!(
            "unknown log level {level:?}: use error, warn, info, debug or trace"
        ));
    }
    EnvFilter::try_new(format!("warn,tim_receipts={level}")).map_err(|e| e.to_string())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A rolling file writer that stops writing once the byte budget is spent.
struct Bounded {
    inner: RollingFileAppender,
    remaining: AtomicI64,
}

struct BoundedWriter<'a> {
    inner: RollingWriter<'a>,
    remaining: &'a AtomicI64,
}

impl<'a> MakeWriter<'a> for Bounded {
    type Writer = BoundedWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        BoundedWriter {
            inner: self.inner.make_writer(),
            remaining: &self.remaining,
        }
    }
}

impl Write for BoundedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let len = i64::try_from(buf.len()).unwrap_or(i64::MAX);
        if self.remaining.fetch_sub(len, Ordering::Relaxed) < len {
            // Over budget: drop the line silently rather than fail the program.
            return Ok(buf.len());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_checked() {
        assert!(filter_for("debug").is_ok());
        assert!(filter_for("INFO").is_ok());
        assert!(filter_for("loud").unwrap_err().contains("trace"));
    }

    #[test]
    fn the_budget_drops_lines_once_spent() {
        let dir = tempfile::tempdir().unwrap();
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::NEVER)
            .filename_prefix("t")
            .build(dir.path())
            .unwrap();
        let bounded = Bounded {
            inner: appender,
            remaining: AtomicI64::new(10),
        };
        bounded.make_writer().write_all(b"12345678\n").unwrap();
        bounded.make_writer().write_all(b"dropped\n").unwrap();
        let text = std::fs::read_to_string(dir.path().join("t")).unwrap();
        assert_eq!(text, "12345678\n");
        assert_eq!(dir_size(dir.path()), 9);
    }
}
