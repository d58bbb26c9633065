//! The write audit log, `audit.jsonl` under the XDG state directory
//! (e.g. `~/.local/state/tim-receipts/audit.jsonl`). Mode 0600; no secrets in it.
//!
//! A write is recorded twice, under one attempt ID: an `attempt` line, written and synced
//! to disk (fsync) before the request leaves, and an outcome line (`ok` or `error`) after
//! the answer. A process killed in between leaves an attempt without an outcome, which
//! `tim-receipts audit --pending` lists. If the attempt line cannot be written (no
//! directory, a full disk), the write is refused and nothing is sent. A read-only refusal
//! is one `refused` line.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::{ApiError, WriteAction, WriteOutcome};

/// File name of the audit log inside the state directory.
pub const FILE_NAME: &str = "audit.jsonl";

/// How a write attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditResult {
    /// About to send; the outcome follows in a later line with the same attempt ID.
    Attempt,
    Ok,
    Error,
    Refused,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    /// RFC 3339, UTC.
    pub time: String,
    /// Shared by the attempt line and its outcome line.
    pub attempt: String,
    pub profile: String,
    pub sdkappid: u64,
    /// The admin account the call was made as.
    pub operator: String,
    pub action: &'static str,
    pub target: String,
    /// The REST path and the exact JSON body.
    pub path: &'static str,
    pub request: Value,
    pub result: AuditResult,
    pub before: Option<u64>,
    pub after: Option<u64>,
    pub note: Option<String>,
    pub error_code: Option<i64>,
    pub error: Option<String>,
}

impl AuditRecord {
    /// A record for `action` with no outcome yet.
    pub fn new(profile: &str, sdkappid: u64, operator: &str, action: &WriteAction) -> Self {
        AuditRecord {
            time: now_rfc3339(),
            attempt: format!("{:016x}", rand::random::<u64>()),
            profile: profile.to_string(),
            sdkappid,
            operator: operator.to_string(),
            action: action.name(),
            target: action.target(),
            path: action.path(),
            request: action.body(),
            result: AuditResult::Attempt,
            before: None,
            after: None,
            note: None,
            error_code: None,
            error: None,
        }
    }

    /// The outcome line of this attempt: the same attempt ID, stamped now.
    pub fn succeeded(mut self, outcome: &WriteOutcome) -> Self {
        self.time = now_rfc3339();
        self.result = AuditResult::Ok;
        self.before = outcome.before;
        self.after = outcome.after;
        self.note = outcome.note.clone();
        self
    }

    /// The outcome line of a failed attempt.
    pub fn failed(mut self, error: &ApiError) -> Self {
        self.time = now_rfc3339();
        self.result = AuditResult::Error;
        self.error_code = error.code();
        self.error = Some(error.to_string());
        self
    }

    /// A write refused before any attempt (read-only mode).
    pub fn refused(mut self, why: &str) -> Self {
        self.result = AuditResult::Refused;
        self.error = Some(why.to_string());
        self
    }
}

/// Current UTC time as RFC 3339.
pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| crate::usersig::now_unix().to_string())
}

/// Where audit lines go.
#[derive(Debug, Clone)]
pub struct AuditLog {
    path: Option<PathBuf>,
}

impl AuditLog {
    /// The audit log at the default place (`None` when no home directory is known).
    pub fn default_location() -> Self {
        AuditLog {
            path: crate::config::state_dir().map(|d| d.join(FILE_NAME)),
        }
    }

    /// An audit log at an explicit path (tests, embedding).
    pub fn at(path: impl Into<PathBuf>) -> Self {
        AuditLog {
            path: Some(path.into()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Open the log for appending, creating it (0600, directory 0700) if needed. Done
    /// before a write so that a write never happens without an audit trail.
    pub fn open(&self) -> Result<AuditFile, String> {
        let path = self.path.as_ref().ok_or_else(|| {
            "no state directory for the audit log (set HOME or XDG_STATE_HOME)".to_string()
        })?;
        if let Some(dir) = path.parent() {
            create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let mut opts = OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts
            .open(path)
            .map_err(|e| format!("cannot open the audit log {}: {e}", path.display()))?;
        Ok(AuditFile {
            file,
            path: path.clone(),
        })
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// An open audit log.
pub struct AuditFile {
    file: File,
    path: PathBuf,
}

impl AuditFile {
    /// Append one record as a single line (one `write` call, so lines never interleave)
    /// and sync it to disk: when this returns Ok the line survives a crash or a kill.
    pub fn append(&mut self, record: &AuditRecord) -> Result<(), String> {
        let mut line = serde_json::to_string(record).map_err(|e| e.to_string())?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write the audit log {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_json_lines_with_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("state/audit.jsonl"));
        let action = WriteAction::SetUnread {
            group: "@TGS#x".into(),
            member: "bob".into(),
            unread: 5,
        };
        let ok = AuditRecord::new("prod", 1400000000, "administrator", &action).succeeded(
            &WriteOutcome {
                action: action.clone(),
                before: Some(12),
                after: Some(5),
                note: None,
            },
        );
        let err = AuditRecord::new("prod", 1400000000, "administrator", &action).failed(
            &ApiError::Service {
                api: "set_unread_msg_num",
                code: 10010,
                info: "group not found".into(),
            },
        );
        let mut f = log.open().unwrap();
        f.append(&ok).unwrap();
        f.append(&err).unwrap();
        drop(f);
        let mut f = log.open().unwrap();
        f.append(&AuditRecord::new("prod", 1, "a", &action).refused("read-only"))
            .unwrap();
        let text = std::fs::read_to_string(log.path().unwrap()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["result"], "ok");
        assert_eq!(lines[0]["action"], "set_unread");
        assert_eq!(lines[0]["target"], "@TGS#x/bob");
        assert_eq!(lines[0]["before"], 12);
        assert_eq!(lines[0]["after"], 5);
        assert_eq!(lines[0]["request"]["UnreadMsgNum"], 5);
        assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
        assert_eq!(lines[1]["result"], "error");
        assert_eq!(lines[1]["error_code"], 10010);
        assert_eq!(lines[2]["result"], "refused");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0);
        }
    }
}
