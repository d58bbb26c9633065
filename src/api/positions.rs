//! Read positions: who has read up to a message, from every member's `MsgSeq` (the seq of
//! the last message the member has read in the group, what unread counts come from).
//!
//! A read position is conversation-level ("read up to seq N"), not a per-message
//! acknowledgement like a receipt: a member whose `MsgSeq` is at or past a message's seq has
//! read up to it. It exists for every group that keeps unread counts (Work, Public,
//! Community), at any size; Meeting (ChatRoom) and AVChatRoom groups keep none.
//!
//! A scan is one full pass over `get_group_member_info`: Offset pages (Work, Public) a few
//! at a time within the call budget, the string `Next` (Community) one after the other.
//! Every page is checked by a [`PageGuard`]; accounts are de-duplicated across pages.

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use super::client::Core;
use super::error::ApiError;
use super::groups::{self, GROUP_INFO, MEMBER_INFO, MEMBERS_PER_PAGE};
use super::ids::check_group;
use super::limits::CHUNK_CONCURRENCY;
use super::messages;
use super::pager::{self, PageGuard, PagingFault, limits};
use super::result::Result;
use super::types::{GroupMember, GroupMemberPage, GroupType};

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

/// What a scan reports after each page: distinct members loaded, and the group's latest
/// `MemberNum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanProgress {
    pub loaded: u64,
    pub member_num: u64,
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
            r = scan_inner(core, group, seq, message, progress) => r,
        },
        None => scan_inner(core, group, seq, message, progress).await,
    }
}

async fn scan_inner(
    core: &Core,
    group: &str,
    seq: u64,
    message: Option<MessageRef>,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
) -> Result<Positions> {
    let members = members_inner(core, group, progress).await?;
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
            if p.read_seq >= seq {
                read.push(p);
            } else {
                unread.push(p);
            }
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

    fn positions(self, seq: u64, message: MessageRef) -> Positions {
        let (read, unread) = self.split(seq, &message);
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
            r = members_inner(core, group, progress) => r,
        },
        None => members_inner(core, group, progress).await,
    }
}

async fn members_inner(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
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
        scan_by_next(core, group, progress).await?
    } else {
        scan_by_offset(core, group, progress).await?
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

struct Scanned {
    first: u64,
    last: u64,
    duplicates: u64,
    pages: u64,
}

fn guard_for(community: bool) -> PageGuard<String> {
    if community {
        PageGuard::new(
            limits::COMMUNITY_MEMBERS_MAX,
            "the most members a Community can have",
        )
    } else {
        PageGuard::new(
            limits::GROUP_MEMBERS_MAX,
            "the most members a Work, Public or Meeting group can have",
        )
    }
}

fn key(m: &GroupMember) -> String {
    m.account.clone()
}

fn fault(f: PagingFault) -> ApiError {
    pager::fault_error(MEMBER_INFO.api, f)
}

/// Community: follow the string `Next` ("" = end), one page after the other.
async fn scan_by_next(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
) -> Result<(Vec<GroupMember>, Scanned)> {
    let mut guard = guard_for(true);
    let mut members = Vec::new();
    let mut next = String::new();
    let mut first = None;
    let mut last;
    // The guard ends the loop (each unfinished page adds a member, members are capped);
    // the count is a second wall.
    for _ in 0..=limits::COMMUNITY_MEMBERS_MAX + 1 {
        let page = groups::members(core, group, 0, Some(&next), MEMBERS_PER_PAGE).await?;
        first.get_or_insert(page.member_num);
        last = page.member_num;
        guard.reported(page.member_num, "MemberNum of the group");
        let cursor = page.next.clone().unwrap_or_default();
        let more = (!cursor.is_empty()).then_some(cursor.as_str());
        let fresh = guard
            .accept(MEMBERS_PER_PAGE as usize, page.members, key, more)
            .map_err(fault)?;
        members.extend(fresh);
        progress(ScanProgress {
            loaded: guard.loaded(),
            member_num: last,
        });
        if cursor.is_empty() {
            return Ok((
                members,
                Scanned {
                    first: first.unwrap_or(last),
                    last,
                    duplicates: guard.duplicates(),
                    pages: guard.pages(),
                },
            ));
        }
        next = cursor;
    }
    Err(fault(PagingFault::TooLong {
        limit: guard.limit(),
        why: "pages kept coming".into(),
    }))
}

/// Work, Public (and unknown types): Offset pages. The first page tells `MemberNum`; the
/// rest are fetched [`CHUNK_CONCURRENCY`] at a time, in order. A short page ends the list;
/// a full last page when the group grew during the scan is followed by more, one at a time.
async fn scan_by_offset(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
) -> Result<(Vec<GroupMember>, Scanned)> {
    let limit = u64::from(MEMBERS_PER_PAGE);
    let mut guard = guard_for(false);
    let mut members = Vec::new();
    let page = groups::members(core, group, 0, None, MEMBERS_PER_PAGE).await?;
    let first = page.member_num;
    let mut last = first;
    let planned_end = first.min(limits::GROUP_MEMBERS_MAX);
    let mut state = OffsetState {
        guard: &mut guard,
        members: &mut members,
        last: &mut last,
        progress,
        planned_end,
    };
    let mut done = state.take(0, page)?;
    let mut offset = limit;
    if !done {
        let offsets: Vec<u64> = (1..)
            .map(|i| i * limit)
            .take_while(|o| *o < planned_end)
            .collect();
        let calls: Vec<_> = offsets
            .iter()
            .map(|o| groups::members(core, group, *o, None, MEMBERS_PER_PAGE))
            .collect();
        let mut pages = futures::stream::iter(calls).buffered(CHUNK_CONCURRENCY);
        for o in &offsets {
            let Some(page) = pages.next().await else {
                break;
            };
            done = state.take(*o, page?)?;
            offset = o + limit;
            if done {
                break;
            }
        }
    }
    // The group grew while the scan ran (or the service says it holds more than a group
    // can): go on one page at a time; the guard stops the scan past the maximum.
    while !done && offset < *state.last {
        let page = groups::members(core, group, offset, None, MEMBERS_PER_PAGE).await?;
        state.planned_end = (*state.last).min(limits::GROUP_MEMBERS_MAX);
        done = state.take(offset, page)?;
        offset += limit;
    }
    Ok((
        members,
        Scanned {
            first,
            last,
            duplicates: guard.duplicates(),
            pages: guard.pages(),
        },
    ))
}

struct OffsetState<'a> {
    guard: &'a mut PageGuard<String>,
    members: &'a mut Vec<GroupMember>,
    last: &'a mut u64,
    progress: &'a mut (dyn FnMut(ScanProgress) + Send),
    planned_end: u64,
}

impl OffsetState<'_> {
    /// Check and keep one page at `offset`; true when it ends the list.
    fn take(&mut self, offset: u64, page: GroupMemberPage) -> Result<bool> {
        let limit = u64::from(MEMBERS_PER_PAGE);
        *self.last = page.member_num;
        self.guard.reported(
            page.member_num.max(self.planned_end),
            "MemberNum of the group",
        );
        let end = (page.members.len() as u64) < limit
            || offset + limit >= page.member_num.max(self.planned_end);
        let cursor = (offset + limit).to_string();
        let fresh = self
            .guard
            .accept(
                MEMBERS_PER_PAGE as usize,
                page.members,
                key,
                (!end).then_some(cursor.as_str()),
            )
            .map_err(fault)?;
        self.members.extend(fresh);
        (self.progress)(ScanProgress {
            loaded: self.guard.loaded(),
            member_num: *self.last,
        });
        Ok(end)
    }
}
