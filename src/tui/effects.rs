//! Runs `update`'s effects on tokio and sends the results back as events. API effects,
//! timers and the export run here; terminal effects (copy, suspend, quit) are handed
//! back to the loop, which owns the terminal. Results come back with typed errors: the
//! model chooses the words.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::ReceiptFilter;
use crate::api::names::NameBook;
use crate::session::Session;

mod background;

use super::model::event::{ApiEvent, CurrentUnread, Effect, Event, ExportError, ExportSummary};
use super::model::panes::{SCAN_PAGE, ScanCursor};
use super::store_access::StoreAccess;

/// What only the loop can do (it owns the terminal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalEffect {
    Copy(String),
    Suspend,
    Quit,
}

/// Spawns effects as tasks that report back on the event channel.
pub struct EffectRunner {
    session: Arc<Session>,
    tx: UnboundedSender<Event>,
    /// Where exports are written (the current directory).
    export_dir: PathBuf,
    csv_safe: bool,
    /// Running exports, to cancel by job.
    exports: Mutex<HashMap<u64, tokio::task::AbortHandle>>,
    /// The incident store, when the dashboard's receiver keeps one.
    store: Option<Arc<StoreAccess>>,
}

fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

impl EffectRunner {
    pub fn new(
        session: Arc<Session>,
        tx: UnboundedSender<Event>,
        export_dir: PathBuf,
        csv_safe: bool,
    ) -> Self {
        EffectRunner {
            session,
            tx,
            export_dir,
            csv_safe,
            exports: Mutex::new(HashMap::new()),
            store: None,
        }
    }

    /// Read and record through `store` (the receiver's incident store).
    pub fn with_store(mut self, store: Option<Arc<StoreAccess>>) -> Self {
        self.store = store;
        self
    }

    /// Is the receiver failing to store events?
    pub fn store_failing(&self) -> Option<bool> {
        self.store.as_ref().map(|s| s.failing())
    }

    /// Start `effect`; returns it back when the loop must do it itself.
    pub fn run(&self, effect: Effect) -> Option<TerminalEffect> {
        match effect {
            Effect::Copy(text) => return Some(TerminalEffect::Copy(text)),
            Effect::Suspend => return Some(TerminalEffect::Suspend),
            Effect::Quit => return Some(TerminalEffect::Quit),
            Effect::Debounce { token, after } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Event::Debounce(token));
                });
            }
            Effect::Export {
                job,
                group,
                seq,
                filter,
                to,
            } => self.export(job, group, seq, filter, to),
            Effect::LoadStored { group, seq } => self.stored(group, seq),
            Effect::LoadGroupIndex => self.group_index(),
            Effect::LoadUser {
                generation,
                account,
            } => self.user(generation, account),
            Effect::PollReaders { group, seq } => self.poll_readers(group, seq),
            Effect::RecordScan {
                group,
                seq,
                readers,
                at_ms,
            } => {
                if let Some(store) = self.store.clone() {
                    tokio::task::spawn_blocking(move || {
                        let at = u64::try_from(at_ms).unwrap_or(0);
                        if let Err(e) = store.record_scan(&group, seq, &readers, at) {
                            tracing::warn!("store: recording a position scan failed: {e}");
                        }
                    });
                }
            }
            Effect::CancelExport { job } => {
                let mut exports = self.exports.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(handle) = exports.remove(&job) {
                    // Dropping the task drops its temporary file: nothing is left.
                    handle.abort();
                }
            }
            other => self.api(other),
        }
        None
    }

    fn api(&self, effect: Effect) {
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Some(event) = answer(&session, effect).await {
                let _ = tx.send(Event::Api(event));
            }
        });
    }

    fn export(
        &self,
        job: u64,
        group: String,
        seq: u64,
        filter: ReceiptFilter,
        to: Option<PathBuf>,
    ) {
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        let dest = destination(&self.export_dir, to);
        let csv_safe = self.csv_safe;
        let task = tokio::spawn(async move {
            let progress_tx = tx.clone();
            let mut progress = move |loaded: usize| {
                let _ = progress_tx.send(Event::ExportProgress { job, loaded });
            };
            let result = match session
                .client
                .receipt_members_all(&group, seq, filter, &mut progress)
                .await
            {
                Ok(members) => {
                    // Names beside the accounts: one lookup of the whole list (50 name
                    // cards, 100 nicknames a call). A failed lookup leaves them empty.
                    let mut book = NameBook::new();
                    if let Err(e) = session
                        .client
                        .fill_names(&mut book, Some(&group), &members, &mut |_| {}, None)
                        .await
                    {
                        tracing::warn!(error = %e, "the export's names could not be looked up");
                    }
                    let rows: Vec<[String; 3]> = members
                        .into_iter()
                        .map(|a| {
                            let card = book.name_card(&group, &a).unwrap_or("").to_string();
                            let nick = book.nick(&a).unwrap_or("").to_string();
                            [a, card, nick]
                        })
                        .collect();
                    let stamp = now_ms() / 1000;
                    tokio::task::spawn_blocking(move || {
                        write_csv(&dest, &group, seq, filter, &rows, stamp, csv_safe)
                    })
                    .await
                    .unwrap_or_else(|e| Err(ExportError::Task(e.to_string())))
                }
                Err(e) => Err(ExportError::Api(e)),
            };
            let _ = tx.send(Event::ExportDone { job, result });
        });
        let mut exports = self.exports.lock().unwrap_or_else(|p| p.into_inner());
        exports.retain(|_, h| !h.is_finished());
        exports.insert(job, task.abort_handle());
    }
}

/// Run one API effect.
async fn answer(session: &Session, effect: Effect) -> Option<ApiEvent> {
    let client = &session.client;
    Some(match effect {
        Effect::FetchGroupIds {
            generation,
            next,
            limit,
        } => ApiEvent::GroupIds {
            generation,
            result: client.group_id_page(next, limit, None).await,
        },
        Effect::FetchMessages {
            generation,
            group,
            before,
            count,
        } => ApiEvent::Messages {
            generation,
            result: client.messages(&group, before, count).await,
        },
        Effect::FetchMembers {
            generation,
            group,
            seq,
            filter,
            cursor,
            count,
        } => ApiEvent::Members {
            generation,
            result: client
                .receipt_page(&group, seq, filter, &cursor, count)
                .await,
        },
        Effect::FetchScanPage {
            generation,
            group,
            cursor,
        } => {
            let result = match &cursor {
                ScanCursor::Offset(offset) => {
                    client.group_members(&group, *offset, None, SCAN_PAGE).await
                }
                ScanCursor::Next(next) => {
                    client.group_members(&group, 0, Some(next), SCAN_PAGE).await
                }
            };
            ApiEvent::ScanPage {
                group,
                generation,
                cursor,
                at_ms: now_ms(),
                result,
            }
        }
        Effect::LookupNames(request) => ApiEvent::Names(client.lookup_names(request).await),
        Effect::LoadUserRead {
            generation,
            account,
            group,
            seq,
        } => ApiEvent::UserRead {
            generation,
            result: client
                .user_read_message(&account, &group, seq)
                .await
                .map_err(|e| super::model::status::explain(&e).what),
        },
        Effect::LookupPresenceAll { accounts } => {
            let result = client.online_status(&accounts, false).await;
            ApiEvent::PresenceAll { accounts, result }
        }
        Effect::LookupPresence { account } => {
            let result = client
                .online_status(std::slice::from_ref(&account), true)
                .await;
            ApiEvent::Presence { account, result }
        }
        Effect::FetchGroupInfo { ids } => {
            let result = client.group_info(&ids).await;
            ApiEvent::GroupInfo { ids, result }
        }
        Effect::OpenGroup { id } => {
            let result = client.group_info(std::slice::from_ref(&id)).await;
            ApiEvent::OpenGroup { id, result }
        }
        Effect::FetchCounts {
            generation,
            origin,
            group,
            seqs,
        } => {
            let result = client.receipt_counts(&group, &seqs).await;
            ApiEvent::Counts {
                generation,
                origin,
                seqs,
                at_ms: now_ms(),
                result,
            }
        }
        Effect::FetchCurrentUnread {
            modal,
            group,
            member,
        } => {
            let result = current_unread(session, &group, &member).await;
            ApiEvent::CurrentUnread {
                modal,
                member,
                result,
            }
        }
        Effect::Write { modal, action } => {
            let result = session.write(&action).await;
            ApiEvent::Write { modal, result }
        }
        _ => return None,
    })
}

/// The set-unread modal's "current": the group's newest seq and the member's last read.
async fn current_unread(
    session: &Session,
    group: &str,
    member: &str,
) -> Result<CurrentUnread, crate::api::ApiError> {
    let ids = [group.to_string()];
    let accounts = [member.to_string()];
    let (info, members) = tokio::join!(
        session.client.group_info(&ids),
        session.client.group_members_by_id(group, &accounts)
    );
    let info = info?
        .into_iter()
        .find(|g| g.id == group)
        .ok_or_else(|| crate::api::ApiError::Invalid(format!("group {group} not found")))?;
    let member = members?.into_iter().find(|m| m.account == member);
    Ok(CurrentUnread {
        group: info,
        member,
    })
}

/// A file name that is safe on every filesystem.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where an export goes: a directory (with the default name) or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Dir(PathBuf),
    File(PathBuf),
}

/// The destination of an export: `to` (relative to `dir`) when given, a directory when
/// it is one, else the file named; the absolute form, so the notice says where it went.
pub fn destination(dir: &Path, to: Option<PathBuf>) -> Destination {
    let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    match to {
        None => Destination::Dir(base),
        Some(p) => {
            let p = if p.is_absolute() { p } else { base.join(p) };
            if p.is_dir() {
                Destination::Dir(std::fs::canonicalize(&p).unwrap_or(p))
            } else {
                Destination::File(p)
            }
        }
    }
}

/// Write the export: whole or not at all, never over an existing file.
pub fn write_csv(
    dest: &Destination,
    group: &str,
    seq: u64,
    filter: ReceiptFilter,
    members: &[[String; 3]],
    unix_secs: i64,
    csv_safe: bool,
) -> Result<ExportSummary, ExportError> {
    let list = filter.label().to_lowercase();
    let seq_text = seq.to_string();
    let fill = |out: &mut dyn std::io::Write| {
        let rows = members.iter().map(|[account, card, nick]| {
            [group, seq_text.as_str(), list.as_str(), account, card, nick]
        });
        crate::export::write_csv(out, &crate::export::EXPORT_HEADERS, rows, csv_safe)
    };
    let path = match dest {
        Destination::Dir(dir) => {
            let base = format!(
                "tim-receipts-{}-{seq}-{list}-{unix_secs}",
                file_safe(group.trim_start_matches("@TGS#"))
            );
            crate::export::write_file_atomically(dir, &base, fill).map_err(ExportError::File)?
        }
        Destination::File(path) => {
            crate::export::write_file_atomically_at(path, fill).map_err(ExportError::File)?
        }
    };
    Ok(ExportSummary {
        path,
        rows: members.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_quoted_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let members = vec![
            ["a".to_string(), "王磊 (Ops)".to_string(), String::new()],
            ["b,\"c\"".to_string(), String::new(), "Bee".to_string()],
        ];
        let dest = Destination::Dir(dir.path().to_path_buf());
        let one = write_csv(
            &dest,
            "@TGS#x",
            7,
            ReceiptFilter::Unread,
            &members,
            1,
            false,
        )
        .unwrap();
        let two = write_csv(
            &dest,
            "@TGS#x",
            7,
            ReceiptFilter::Unread,
            &members,
            1,
            false,
        )
        .unwrap();
        assert_ne!(one.path, two.path);
        assert_eq!(one.rows, 2);
        let text = std::fs::read_to_string(&one.path).unwrap();
        assert_eq!(
            text,
            "group_id,seq,list,account,name_card,nick\n@TGS#x,7,unread,a,王磊 (Ops),\n@TGS#x,7,unread,\"b,\"\"c\"\"\",,Bee\n"
        );
        assert!(
            one.path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tim-receipts-x-7-unread-1")
        );
    }
}
