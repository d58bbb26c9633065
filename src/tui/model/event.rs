//! What flows through the dashboard loop: `Event`s in (one enum, one channel) and
//! `Effect`s out (what `update` asks the outside world to do).

use std::path::PathBuf;
use std::time::Duration;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::api::{
    ApiError, CallStats, GroupIdPage, GroupInfo, GroupMember, GroupMemberPage, MemberPage,
    MessagePage, ReceiptCount, ReceiptFilter, WriteAction, WriteOutcome,
};

use super::panes::ScanCursor;
use super::stored::StoredMessage;
use crate::api::group_index::{GroupIndex, IndexProgress};
use crate::api::names::{NameAnswer, NameRequest};
use crate::api::presence::OnlineStatus;
use crate::api::user::UserUpdate;
use crate::api::user_read::MessageRead;
use crate::session::WriteError;
use crate::webhook::ReceiptEvent;

/// Everything that can happen to the dashboard.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Spinner tick; only sent while something loads.
    Tick,
    /// Watch mode: time to re-poll the visible counts.
    WatchTick,
    /// A debounce timer fired; only the latest token counts.
    Debounce(u64),
    /// SIGHUP / SIGTERM / SIGINT: restore the terminal and leave.
    Signal(SignalKind),
    /// The terminal's input ended (e.g. the SSH session dropped).
    InputClosed,
    /// An API call came back.
    Api(ApiEvent),
    /// A read-receipt webhook arrived.
    Webhook(ReceiptEvent),
    /// The client's counters, sampled by the loop before drawing.
    Stats(CallStats),
    /// Whether the receiver's incident store is failing to commit, sampled likewise.
    StoreHealth {
        failing: bool,
    },
    /// Progress of a CSV export: members written so far.
    ExportProgress {
        job: u64,
        loaded: usize,
    },
    /// How far the group index's build has come.
    IndexProgress(IndexProgress),
    /// The CSV export finished.
    ExportDone {
        job: u64,
        result: Result<ExportSummary, ExportError>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalKind {
    Hangup,
    Terminate,
    Interrupt,
    /// SIGQUIT (Ctrl-\ outside raw mode, or `kill -QUIT`).
    Quit,
    /// SIGUSR1 / SIGUSR2: their default would kill the process with the terminal taken.
    User(i32),
}

impl SignalKind {
    /// The signal's number, for the exit status 128 + N.
    pub fn number(self) -> i32 {
        match self {
            SignalKind::Hangup => libc::SIGHUP,
            SignalKind::Terminate => libc::SIGTERM,
            SignalKind::Interrupt => libc::SIGINT,
            SignalKind::Quit => libc::SIGQUIT,
            SignalKind::User(n) => n,
        }
    }
}

/// The result of an API effect, tagged with what asked for it.
#[derive(Debug)]
pub enum ApiEvent {
    GroupIds {
        generation: u64,
        result: Result<GroupIdPage, ApiError>,
    },
    GroupInfo {
        ids: Vec<String>,
        result: Result<Vec<GroupInfo>, ApiError>,
    },
    /// `:group ID` or opening a row whose details are not loaded yet.
    OpenGroup {
        id: String,
        result: Result<Vec<GroupInfo>, ApiError>,
    },
    Messages {
        generation: u64,
        result: Result<MessagePage, ApiError>,
    },
    Counts {
        generation: u64,
        origin: CountsOrigin,
        seqs: Vec<u64>,
        /// When the answer arrived, Unix milliseconds (for the read-over-time chart).
        at_ms: i64,
        result: Result<Vec<ReceiptCount>, ApiError>,
    },
    Members {
        generation: u64,
        result: Result<MemberPage, ApiError>,
    },
    /// A page of a group's read-position scan.
    ScanPage {
        group: String,
        generation: u64,
        /// Where the page started.
        cursor: ScanCursor,
        /// When the answer arrived, Unix milliseconds ("positions as of").
        at_ms: i64,
        result: Result<GroupMemberPage, ApiError>,
    },
    /// The group index: read from the disk cache (`from_cache`) or built.
    GroupIndex {
        result: Result<GroupIndex, ApiError>,
        from_cache: bool,
    },
    /// An update of the user view's report (load `generation`).
    User {
        generation: u64,
        update: UserUpdate,
        /// When it arrived, Unix seconds (whether an admin's mute is still on).
        at: i64,
    },
    /// Whether the user view's user read its message (load `generation`).
    UserRead {
        generation: u64,
        result: Result<MessageRead, String>,
    },
    /// A name lookup (name cards and nicknames) came back.
    Names(NameAnswer),
    /// The online states of the list came back (`accounts`: those asked).
    PresenceAll {
        accounts: Vec<String>,
        result: Result<Vec<OnlineStatus>, ApiError>,
    },
    /// The online state of one account came back.
    Presence {
        account: String,
        result: Result<Vec<OnlineStatus>, ApiError>,
    },
    /// The incident store's reads and counts history of one message.
    Stored {
        group: String,
        seq: u64,
        result: Result<StoredMessage, String>,
    },
    /// The member's current unread count for the set-unread modal.
    CurrentUnread {
        modal: u64,
        /// The account it is about (the dialog may have moved on to another).
        member: String,
        result: Result<CurrentUnread, ApiError>,
    },
    Write {
        modal: u64,
        result: Result<WriteOutcome, WriteError>,
    },
}

/// Why counts were fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountsOrigin {
    /// A page of messages just loaded.
    Page,
    /// Watch mode or `r`: re-poll of the visible messages.
    Poll,
}

/// What the set-unread modal shows as "current".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUnread {
    pub group: GroupInfo,
    /// None when the account is not a member of the group.
    pub member: Option<GroupMember>,
}

impl CurrentUnread {
    /// Unread messages for the member: newest seq minus the last seq read.
    pub fn unread(&self) -> Option<u64> {
        let member = self.member.as_ref()?;
        let newest = self.group.next_msg_seq.saturating_sub(1);
        Some(newest.saturating_sub(member.last_read_seq))
    }
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub rows: usize,
}

/// Why an export failed (the model puts it in words: `status::export_failure`).
#[derive(Debug)]
pub enum ExportError {
    /// Reading the member list failed.
    Api(ApiError),
    /// Writing the file failed; the file writer's reason.
    File(String),
    /// The export task stopped before it finished.
    Task(String),
}

/// What `update` asks for. Run by `effects::EffectRunner` (API calls, timers, export) or
/// by the loop itself (terminal work: copy, suspend, quit).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    FetchGroupIds {
        generation: u64,
        next: u64,
        limit: u32,
    },
    FetchGroupInfo {
        ids: Vec<String>,
    },
    OpenGroup {
        id: String,
    },
    FetchMessages {
        generation: u64,
        group: String,
        before: Option<u64>,
        count: u32,
    },
    FetchCounts {
        generation: u64,
        origin: CountsOrigin,
        group: String,
        seqs: Vec<u64>,
    },
    FetchMembers {
        generation: u64,
        group: String,
        seq: u64,
        filter: ReceiptFilter,
        cursor: String,
        count: u32,
    },
    /// One page of `group`'s members with their read positions.
    FetchScanPage {
        generation: u64,
        group: String,
        cursor: ScanCursor,
    },
    /// Read the group index from the disk cache, or build it (in the background, with
    /// progress) when there is none or it is stale.
    LoadGroupIndex,
    /// Look up one user (the report comes back as updates).
    LoadUser {
        generation: u64,
        account: String,
    },
    /// Did `account` read message `seq` of `group` (by receipt, by read position)?
    LoadUserRead {
        generation: u64,
        account: String,
        group: String,
        seq: u64,
    },
    /// Look up names (`NameBook::plan`'s request).
    LookupNames(NameRequest),
    /// Ask the online state of every account of the list (for `o`).
    LookupPresenceAll {
        accounts: Vec<String>,
    },
    /// Ask one account's online state, with its devices.
    LookupPresence {
        account: String,
    },
    /// Read the store's reads and counts history of a message.
    LoadStored {
        group: String,
        seq: u64,
    },
    /// Watch mode: fetch the message's read list, record the poll in the store (bounds for
    /// members who appeared since the last poll), then read the store again.
    PollReaders {
        group: String,
        seq: u64,
    },
    /// A finished position scan: the members who have read up to `seq` at `at_ms`.
    RecordScan {
        group: String,
        seq: u64,
        readers: Vec<String>,
        at_ms: i64,
    },
    FetchCurrentUnread {
        modal: u64,
        group: String,
        member: String,
    },
    /// The only way a write is run: through `Session::write`.
    Write {
        modal: u64,
        action: WriteAction,
    },
    Export {
        job: u64,
        group: String,
        seq: u64,
        filter: ReceiptFilter,
        /// `:export PATH`: a directory to write into, or the file to write; None: the
        /// current directory.
        to: Option<PathBuf>,
    },
    /// Stop a running export (no file is left behind).
    CancelExport {
        job: u64,
    },
    /// Send `Event::Debounce(token)` after `after`.
    Debounce {
        token: u64,
        after: Duration,
    },
    /// Copy text to the clipboard with OSC 52.
    Copy(String),
    /// Ctrl-Z: hand the terminal back and stop until resumed.
    Suspend,
    Quit,
}
