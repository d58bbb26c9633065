//! Read positions: who has read up to a message, from every member's `MsgSeq` (the seq of
//! the last message the member has read in the group, what unread counts come from).
//!
//! A read position is conversation-level ("read up to seq N"), not a per-message
//! acknowledgement like a receipt: a member whose `MsgSeq` is at or past a message's seq has
//! read up to it. It exists for every group that keeps unread counts (Work, Public,
//! Community), at any size; Meeting (ChatRoom) and AVChatRoom groups keep none.
//!
//! A scan is one full pass over `get_group_member_info`: Offset pages (Work, Public) a few
//! at a time within the call budget, the string `Next` (Community) one after the other
//! (the loops are in `positions/paging.rs`). Every page is checked by a page guard;
//! accounts are de-duplicated across pages.

use tokio_util::sync::CancellationToken;

use super::client::Core;
use super::error::ApiError;
use super::groups::{self, GROUP_INFO, MEMBER_INFO};
use super::ids::check_group;
use super::messages;
use super::result::Result;
use super::types::{GroupMember, GroupType};

mod paging;
pub use paging::ScanProgress;
use paging::{scan_by_next, scan_by_offset};

/// Messages per `group_msg_get_simple` call when looking up senders.
const MESSAGES_PER_CALL: u32 = crate::vendor::limits::MESSAGES_PER_HISTORY_CALL;

/// The message a scan is about: its time (Unix seconds) and sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRef {
    pub time: i64,
    pub from: String,
}

/// One member's read position relative to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub account: String,
    /// The member's `MsgSeq`: the seq of the last message they have read in the group.
    pub read_seq: u64,
    /// The member joined after the message was sent (`JoinTime` later than its time): they
    /// may never have been shown it.
    pub joined_after: bool,
}

/// One scan's answer for one message: the read and unread members in server order, the
/// message's sender on neither list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positions {
    pub group: String,
    pub seq: u64,
    /// The group's type, when the service named a known one.
    pub group_type: Option<GroupType>,
    pub message: MessageRef,
    /// Members with `MsgSeq >= seq`.
    pub read: Vec<Position>,
    /// Members with `MsgSeq < seq`.
    pub unread: Vec<Position>,
    /// `MemberNum` as the first page reported it, and as the last one did (members may join
    /// or leave while a scan runs).
    pub member_num_first: u64,
    pub member_num_last: u64,
    /// Accounts the service sent more than once (each is kept once).
    pub duplicates: u64,
    /// Pages fetched.
    pub pages: u64,
}

impl Positions {
    /// The list asked for: `read` true for the read list.
    pub fn list(&self, read: bool) -> &[Position] {
        if read { &self.read } else { &self.unread }
    }
}

/// Scan `group`'s members and split them by message `seq`. `message` is the message's time
/// and sender; when `None`, one `group_msg_get_simple` call fetches them. `cancel` stops
/// the scan (calls in flight are dropped) with [`ApiError::Cancelled`]: a cancelled scan
/// returns nothing.
pub async fn scan(
    core: &Core,
    group: &str,
    seq: u64,
    message: Option<MessageRef>,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<Positions> {
    match cancel {
        Some(token) => tokio::select! {
            biased;
            _ = token.cancelled() => Err(ApiError::Cancelled),
            r = scan_inner(core, group, seq, message, progress, cancel) => r,
        },
        None => scan_inner(core, group, seq, message, progress, None).await,
    }
}

async fn scan_inner(
    core: &Core,
    group: &str,
    seq: u64,
    message: Option<MessageRef>,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<Positions> {
    let members = members_inner(core, group, progress, cancel).await?;
    let message = match message {
        Some(m) => m,
        None => message_ref(core, group, seq).await?,
    };
    Ok(members.positions(seq, message))
}

/// Every member of a group with their read position, from one full scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberScan {
    pub group: String,
    pub group_type: Option<GroupType>,
    /// In server order, each account once.
    pub members: Vec<GroupMember>,
    pub member_num_first: u64,
    pub member_num_last: u64,
    pub duplicates: u64,
    pub pages: u64,
}

impl MemberScan {
    /// The read and unread lists for message `seq` (sent by `message.from` at
    /// `message.time`), the sender on neither.
    pub fn split(&self, seq: u64, message: &MessageRef) -> (Vec<Position>, Vec<Position>) {
        let mut read = Vec::new();
        let mut unread = Vec::new();
        for m in self.members.iter().filter(|m| m.account != message.from) {
            let p = Position {
                account: m.account.clone(),
                read_seq: m.last_read_seq,
                joined_after: m.join_time > message.time,
            };
            file(p, seq, &mut read, &mut unread);
        }
        (read, unread)
    }

    /// (read, unread) counts for message `seq` sent by `from`.
    pub fn counts(&self, seq: u64, from: &str) -> (u64, u64) {
        let mut counts = (0, 0);
        for m in self.members.iter().filter(|m| m.account != from) {
            if m.last_read_seq >= seq {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        counts
    }

    /// [`MemberScan::split`] taking the scan apart: each account moves into its list
    /// instead of being copied (a 100,000-member scan is then never held twice).
    fn positions(self, seq: u64, message: MessageRef) -> Positions {
        let mut read = Vec::new();
        let mut unread = Vec::new();
        for m in self.members {
            if m.account == message.from {
                continue;
            }
            let p = Position {
                joined_after: m.join_time > message.time,
                read_seq: m.last_read_seq,
                account: m.account,
            };
            file(p, seq, &mut read, &mut unread);
        }
        Positions {
            group: self.group,
            seq,
            group_type: self.group_type,
            message,
            read,
            unread,
            member_num_first: self.member_num_first,
            member_num_last: self.member_num_last,
            duplicates: self.duplicates,
            pages: self.pages,
        }
    }
}

/// Put `p` on the read list when its read seq is at or past `seq`, else on the unread list.
fn file(p: Position, seq: u64, read: &mut Vec<Position>, unread: &mut Vec<Position>) {
    if p.read_seq >= seq {
        read.push(p);
    } else {
        unread.push(p);
    }
}

/// Scan every member of `group` (see [`scan`]); Meeting and AVChatRoom groups are refused.
pub async fn scan_members(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<MemberScan> {
    match cancel {
        Some(token) => tokio::select! {
            biased;
            _ = token.cancelled() => Err(ApiError::Cancelled),
            r = members_inner(core, group, progress, cancel) => r,
        },
        None => members_inner(core, group, progress, None).await,
    }
}

async fn members_inner(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<MemberScan> {
    check_group(group)?;
    let info = groups::info(core, &[group.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::Decode {
            api: GROUP_INFO.api,
            detail: "no group in the answer".into(),
        })?;
    if info.code != 0 {
        return Err(ApiError::Service {
            api: GROUP_INFO.api,
            code: info.code,
            info: info.info,
        });
    }
    if let Some(t) = info.group_type
        && t.ignores_unread_count()
    {
        return Err(ApiError::NoPositions { group_type: t });
    }
    let (members, scanned) = if info.group_type == Some(GroupType::Community) {
        scan_by_next(core, group, progress, cancel).await?
    } else {
        scan_by_offset(core, group, info.member_num, progress, cancel).await?
    };
    if scanned.duplicates > 0 {
        tracing::warn!(
            api = MEMBER_INFO.api,
            duplicates = scanned.duplicates,
            "dropped accounts the service sent twice"
        );
    }
    Ok(MemberScan {
        group: group.to_string(),
        group_type: info.group_type,
        members,
        member_num_first: scanned.first,
        member_num_last: scanned.last,
        duplicates: scanned.duplicates,
        pages: scanned.pages,
    })
}

/// The time and sender of each of `seqs` that is in the group's history, from
/// `group_msg_get_simple` pages of 20 (one call per 20 contiguous seqs).
pub async fn message_refs(
    core: &Core,
    group: &str,
    seqs: &[u64],
) -> Result<std::collections::HashMap<u64, MessageRef>> {
    let mut wanted: std::collections::BTreeSet<u64> = seqs.iter().copied().collect();
    let mut found = std::collections::HashMap::new();
    // Each round takes the newest seq still wanted off the set: at most one call a seq.
    for _ in 0..seqs.len() {
        let Some(&top) = wanted.iter().next_back() else {
            break;
        };
        let page = messages::page(core, group, Some(top), MESSAGES_PER_CALL).await?;
        let more = page.older.is_some();
        let low = page
            .messages
            .iter()
            .map(|m| m.seq)
            .filter(|s| *s <= top)
            .min()
            .unwrap_or(top);
        for m in page.messages {
            if m.seq <= top && wanted.contains(&m.seq) {
                found.insert(
                    m.seq,
                    MessageRef {
                        time: m.time,
                        from: m.from,
                    },
                );
            }
        }
        // Everything from `low` (or, when history ended, from the start) up to `top` is
        // answered: found or not in the history.
        let floor = if more { low } else { 0 };
        wanted.retain(|s| *s < floor);
        wanted.remove(&top);
    }
    Ok(found)
}

/// The time and sender of message `seq` (one `group_msg_get_simple` call).
async fn message_ref(core: &Core, group: &str, seq: u64) -> Result<MessageRef> {
    let page = messages::page(core, group, Some(seq), 1).await?;
    page.messages
        .into_iter()
        .find(|m| m.seq == seq)
        .map(|m| MessageRef {
            time: m.time,
            from: m.from,
        })
        .ok_or_else(|| {
            ApiError::Invalid(format!(
                "group {} has no message {seq} in its history (`messages` lists the seqs)",
                super::quote::printable(group, 80)
            ))
        })
}
