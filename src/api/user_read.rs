//! Did one user read one group message? Two answers, kept apart because they mean
//! different things:
//!
//! - **by receipt**: whether they are on the message's read receipt list
//!   (`get_group_msg_receipt_detail`, the read and the unread list, 200 accounts a call:
//!   one call each, since a receipt list holds at most 199). A message without a receipt
//!   (10062: sent without one, recalled, expired, or its group had more than 200 members)
//!   and a group type without receipts (10007: Community, AVChatRoom) say so.
//! - **by read position**: whether their `MsgSeq` in the group (the last message they have
//!   read there) is at or past the message's seq (`get_specified_group_member_info`):
//!   conversation-level "read up to", not an acknowledgement of this message. Meeting and
//!   AVChatRoom groups keep no read positions.
//!
//! The four calls (with `get_group_info` for the group's type) go at once: one round trip.

use serde::Serialize;

use super::client::Core;
use super::error::ApiError;
use super::groups;
use super::ids::check_group;
use super::pager::{PageGuard, fault_error};
use super::receipts::{self, GET_RECEIPT_DETAIL, MEMBERS_PER_PAGE};
use super::result::Result;
use super::types::{GroupType, ReceiptFilter};
use crate::vendor::codes::{GROUP_NO_PERMISSION, NO_RECEIPT};
use crate::vendor::limits::RECEIPT_LIST_MAX;

/// The answer of the message's read receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReceiptRead {
    /// On the read list.
    Read,
    /// On the unread list.
    Unread,
    /// On neither list: they sent it, or joined after it was sent.
    NotListed,
    /// The message has no read receipt (10062).
    NoReceipt,
    /// The group's type has no read receipts (10007); the service's words.
    NotSupported(String),
}

impl ReceiptRead {
    /// The word for it in JSON and CSV.
    pub fn label(&self) -> &'static str {
        match self {
            ReceiptRead::Read => "read",
            ReceiptRead::Unread => "unread",
            ReceiptRead::NotListed => "not_listed",
            ReceiptRead::NoReceipt => "no_receipt",
            ReceiptRead::NotSupported(_) => "not_supported",
        }
    }

    /// The answer in words.
    pub fn sentence(&self) -> String {
        match self {
            ReceiptRead::Read => "read (on the message's read receipt)".into(),
            ReceiptRead::Unread => "not read (on the message's unread list)".into(),
            ReceiptRead::NotListed => {
                "on neither receipt list (they sent it, or joined after it was sent)".into()
            }
            ReceiptRead::NoReceipt => "the message has no read receipt (sent without one, recalled, expired, or its group had more than 200 members)".into(),
            ReceiptRead::NotSupported(_) => "this group type has no read receipts".into(),
        }
    }
}

/// The answer of the user's read position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PositionRead {
    /// Their read seq is at or past the message.
    ReadUpTo,
    /// Their read seq is before the message.
    Behind,
    /// The group's type keeps no read positions (Meeting, AVChatRoom).
    NotKept(GroupType),
    /// They are not a member of the group.
    NotMember,
}

impl PositionRead {
    /// The word for it in JSON and CSV.
    pub fn label(self) -> &'static str {
        match self {
            PositionRead::ReadUpTo => "read",
            PositionRead::Behind => "unread",
            PositionRead::NotKept(_) => "not_kept",
            PositionRead::NotMember => "not_member",
        }
    }
}

/// Both answers for one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRead {
    pub account: String,
    pub group_id: String,
    pub seq: u64,
    pub group_type: Option<GroupType>,
    pub by_receipt: ReceiptRead,
    pub by_position: PositionRead,
    /// Their `MsgSeq` in the group, when a member of a type that keeps it.
    pub read_seq: Option<u64>,
}

impl MessageRead {
    /// The position answer in words.
    pub fn position_sentence(&self) -> String {
        match (self.by_position, self.read_seq) {
            (PositionRead::ReadUpTo, Some(r)) => format!("read up to it (their read seq is {r})"),
            (PositionRead::Behind, Some(r)) => format!("not read up to it (their read seq is {r})"),
            (PositionRead::NotKept(t), _) => format!("{t} groups keep no read positions"),
            (PositionRead::NotMember, _) => "not a member of the group".into(),
            _ => "not known".into(),
        }
    }
}

/// One whole receipt list (a page of 200 holds one; the guard keeps a misbehaving
/// service from paging for ever).
async fn whole_list(
    core: &Core,
    group: &str,
    seq: u64,
    filter: ReceiptFilter,
) -> Result<Vec<String>> {
    let mut guard = PageGuard::new(RECEIPT_LIST_MAX, "the most a receipt list can hold");
    let mut cursor = String::new();
    let mut accounts = Vec::new();
    loop {
        let p = receipts::page(core, group, seq, filter, &cursor, MEMBERS_PER_PAGE).await?;
        let next = (!p.finished).then_some(p.cursor.as_str());
        let fresh = guard
            .accept(
                MEMBERS_PER_PAGE as usize,
                p.accounts.clone(),
                String::clone,
                next,
            )
            .map_err(|f| fault_error(GET_RECEIPT_DETAIL.api, f))?;
        accounts.extend(fresh);
        if p.finished {
            return Ok(accounts);
        }
        cursor = p.cursor;
    }
}

/// Whether `account` read message `seq` of `group`, by receipt and by read position.
pub async fn check(core: &Core, account: &str, group: &str, seq: u64) -> Result<MessageRead> {
    check_group(group)?;
    if account.trim().is_empty() {
        return Err(ApiError::Invalid("the account ID is empty".into()));
    }
    let me = vec![account.to_string()];
    let ids = vec![group.to_string()];
    let (info, member, read, unread) = futures::join!(
        groups::info(core, &ids),
        groups::members_by_id(core, group, &me),
        whole_list(core, group, seq, ReceiptFilter::Read),
        whole_list(core, group, seq, ReceiptFilter::Unread),
    );
    let info = info?.into_iter().next();
    if let Some(i) = &info
        && i.code != 0
    {
        return Err(ApiError::Service {
            api: groups::GROUP_INFO.api,
            code: i.code,
            info: i.info.clone(),
        });
    }
    let group_type = info.and_then(|i| i.group_type);
    let by_receipt = match (read, unread) {
        (Ok(r), _) if r.iter().any(|a| a == account) => ReceiptRead::Read,
        (Ok(_), Ok(u)) if u.iter().any(|a| a == account) => ReceiptRead::Unread,
        (Ok(_), Ok(_)) => ReceiptRead::NotListed,
        (Err(e), _) | (_, Err(e)) => match e.code() {
            Some(NO_RECEIPT) => ReceiptRead::NoReceipt,
            Some(GROUP_NO_PERMISSION) => ReceiptRead::NotSupported(match e {
                ApiError::Service { info, .. } => info,
                other => other.one_line(),
            }),
            _ => return Err(e),
        },
    };
    let read_seq = match (group_type, member) {
        (Some(t), _) if t.ignores_unread_count() => None,
        (_, Ok(list)) => list
            .into_iter()
            .find(|m| m.account == account)
            .map(|m| m.last_read_seq),
        (_, Err(e)) => return Err(e),
    };
    let by_position = match (group_type, read_seq) {
        (Some(t), _) if t.ignores_unread_count() => PositionRead::NotKept(t),
        (_, Some(r)) if r >= seq => PositionRead::ReadUpTo,
        (_, Some(_)) => PositionRead::Behind,
        (_, None) => PositionRead::NotMember,
    };
    Ok(MessageRead {
        account: account.to_string(),
        group_id: group.to_string(),
        seq,
        group_type,
        by_receipt,
        by_position,
        read_seq,
    })
}
