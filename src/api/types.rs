//! Domain types the client returns. These are what the rest of the program (dashboard,
//! subcommands) sees: already normalised from the service's wire formats, which live in
//! the per-family files next to this one.

use serde::{Deserialize, Serialize};

pub use crate::vendor::kinds::{GroupType, MessageKind, MsgFlag, OnlineState};

/// One page of `get_appid_group_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupIdPage {
    pub ids: Vec<String>,
    /// Value to pass as `Next` for the following page; 0 means this was the last page.
    pub next: u64,
    /// Total groups of the requested type (not affected by paging).
    pub total: u64,
}

/// One group from `get_group_info`. `code` is the per-group error code (0 = found).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupInfo {
    pub id: String,
    pub code: i64,
    pub info: String,
    pub group_type: Option<GroupType>,
    pub name: String,
    pub owner: String,
    pub member_num: u64,
    pub max_member_num: u64,
    /// The seq the next message will get; the newest message is `next_msg_seq - 1`.
    pub next_msg_seq: u64,
    pub create_time: i64,
    pub last_msg_time: i64,
}

pub use crate::vendor::limits::RECEIPT_MEMBER_CAP;

/// The vendor's rule in our words, for every surface that explains a group over the cap.
pub const RECEIPT_CAP_SENTENCE: &str = "read receipts work only in groups of up to 200 members";

/// Why messages sent to a group now get no read receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReceipts {
    /// The group type has no read receipts (AVChatRoom, Community).
    Type(GroupType),
    /// The group has more than [`RECEIPT_MEMBER_CAP`] members (its member count).
    TooManyMembers(u64),
}

impl NoReceipts {
    /// What a person reads: one sentence, no trailing period.
    pub fn explain(self) -> String {
        match self {
            NoReceipts::Type(t) => format!(
                "{t} groups have no read receipts (only Work, Public and Meeting groups do)"
            ),
            NoReceipts::TooManyMembers(n) => format!(
                "this group has {} members and {RECEIPT_CAP_SENTENCE}: messages sent while it \
                 had more than {RECEIPT_MEMBER_CAP} have none (`members GROUP SEQ` lists who has read up to \
                 one from the members' read positions)",
                crate::text::thousands(n)
            ),
        }
    }
}

impl GroupInfo {
    /// Why a message sent to this group now would get no read receipt, if so. Unknown types
    /// are given the benefit of the doubt (the counts call tells).
    pub fn no_receipts(&self) -> Option<NoReceipts> {
        match self.group_type {
            Some(t) if !t.supports_receipts() => Some(NoReceipts::Type(t)),
            _ if self.member_num > RECEIPT_MEMBER_CAP => {
                Some(NoReceipts::TooManyMembers(self.member_num))
            }
            _ => None,
        }
    }
}

/// One message from `group_msg_get_simple`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Message {
    pub seq: u64,
    /// Server time, Unix seconds.
    pub time: i64,
    pub from: String,
    /// A one-line text preview built from the message body (text elements joined; other
    /// element types shown as `[Image]`, `[File]`, ...). Empty for place-holders.
    pub text: String,
    pub kind: MessageKind,
    pub is_system: bool,
}

/// One page of group history, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// `ReqMsgSeq` for the next (older) page, or `None` when history is exhausted.
    pub older: Option<u64>,
}

/// Read/unread counts of one message from `get_group_msg_receipt`.
/// `code` 10062 means the message was sent without a read receipt: `read`/`unread` are None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReceiptCount {
    pub seq: u64,
    pub read: Option<u64>,
    pub unread: Option<u64>,
    pub code: i64,
}

impl ReceiptCount {
    /// Fraction read, when the message has a receipt and anybody could read it.
    pub fn ratio(&self) -> Option<f64> {
        Self::ratio_of(self.read, self.unread)
    }

    /// The read share of `read` and `unread` counts, whatever their source.
    pub fn ratio_of(read: Option<u64>, unread: Option<u64>) -> Option<f64> {
        let (r, u) = (read?, unread?);
        // In floating point: two huge counts from a broken service must not overflow.
        let total = r as f64 + u as f64;
        (total > 0.0).then(|| (r as f64 / total).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod ratio_tests {
    use super::ReceiptCount;

    #[test]
    fn huge_counts_never_overflow_or_pass_100_percent() {
        let c = ReceiptCount {
            seq: 1,
            read: Some(u64::MAX),
            unread: Some(u64::MAX),
            code: 0,
        };
        assert_eq!(c.ratio(), Some(0.5));
        let none = ReceiptCount {
            read: Some(0),
            unread: Some(0),
            ..c
        };
        assert_eq!(none.ratio(), None);
    }
}

/// Which list of `get_group_msg_receipt_detail` to pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReceiptFilter {
    Read,
    Unread,
}

impl ReceiptFilter {
    /// The `Filter` value on the wire: 0 = read list, 1 = unread list.
    pub fn wire(self) -> u8 {
        match self {
            ReceiptFilter::Read => 0,
            ReceiptFilter::Unread => 1,
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            ReceiptFilter::Read => ReceiptFilter::Unread,
            ReceiptFilter::Unread => ReceiptFilter::Read,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReceiptFilter::Read => "Read",
            ReceiptFilter::Unread => "Unread",
        }
    }
}

/// One cursor page of `get_group_msg_receipt_detail`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberPage {
    pub accounts: Vec<String>,
    /// Cursor to send for the next page.
    pub cursor: String,
    /// True when the server said the list is complete (IsFinish/IsFinished = 1, or an empty
    /// page without the flag).
    pub finished: bool,
}

/// A whole list drained page by page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drained {
    /// The accounts, in the service's order, each once.
    pub accounts: Vec<String>,
    /// Accounts the service sent more than once (dropped).
    pub duplicates: u64,
}

/// One member from `get_group_member_info` / `get_specified_group_member_info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    pub account: String,
    pub role: String,
    pub join_time: i64,
    /// Seq of the last message this member has read.
    pub last_read_seq: u64,
    /// The member's name card and `MsgFlag`, when the answer carried either (boxed: a
    /// member stays small for the code that never looks).
    pub naming: Option<Box<MemberNaming>>,
}

/// A member's name in a group and how they receive its messages, as a member call's answer
/// carried them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberNaming {
    /// `NameCard` ("" when none); None when the answer did not carry the field.
    pub name_card: Option<String>,
    /// `MsgFlag` (AcceptNotNotify: the member muted the group); None when not carried, or a
    /// value we do not know.
    pub msg_flag: Option<MsgFlag>,
}

impl GroupMember {
    /// `NameCard` ("" when none); None when the answer did not carry it.
    pub fn name_card(&self) -> Option<&str> {
        self.naming.as_ref()?.name_card.as_deref()
    }

    /// `MsgFlag`, when the answer carried a known one.
    pub fn msg_flag(&self) -> Option<MsgFlag> {
        self.naming.as_ref()?.msg_flag
    }
}

/// One page of group members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupMemberPage {
    pub members: Vec<GroupMember>,
    pub member_num: u64,
    /// For Community groups, the string `Next` to pass on ("" = end). None for offset paging.
    pub next: Option<String>,
}

/// Result of `get_c2c_unread_msg_num`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct C2cUnread {
    pub total: u64,
    pub per_peer: Vec<(String, u64)>,
    /// Peers the service could not answer for, with their error code (70107 = no such account).
    pub errors: Vec<(String, i64)>,
}

/// Every write the program can make. The confirm prompt/modal, read-only mode and the audit
/// log gate this one enum in one place each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WriteAction {
    /// `openim/admin_set_msg_read`: mark `report`'s 1:1 conversation with `peer` read up to
    /// `time` (Unix seconds; None = now).
    MarkC2cRead {
        report: String,
        peer: String,
        time: Option<u64>,
    },
    /// `group_open_http_svc/set_unread_msg_num`.
    SetUnread {
        group: String,
        member: String,
        unread: u64,
    },
}

impl WriteAction {
    /// The REST path, e.g. `v4/openim/admin_set_msg_read`.
    pub fn path(&self) -> &'static str {
        self.endpoint().path
    }

    /// The endpoint this write calls.
    pub fn endpoint(&self) -> &'static crate::vendor::Endpoint {
        use crate::vendor::endpoints::{MARK_READ, SET_UNREAD};
        match self {
            WriteAction::MarkC2cRead { .. } => &MARK_READ,
            WriteAction::SetUnread { .. } => &SET_UNREAD,
        }
    }

    /// The exact JSON body that will be sent.
    pub fn body(&self) -> serde_json::Value {
        match self {
            WriteAction::MarkC2cRead { report, peer, time } => {
                let mut v = serde_json::json!({ "Report_Account": report, "Peer_Account": peer });
                if let Some(t) = time {
                    v["MsgReadTime"] = serde_json::Value::String(t.to_string());
                }
                v
            }
            WriteAction::SetUnread {
                group,
                member,
                unread,
            } => serde_json::json!({
                "GroupId": group, "Member_Account": member, "UnreadMsgNum": unread
            }),
        }
    }

    /// A short human summary, e.g. `set bob's unread count in @TGS#x to 5`.
    pub fn summary(&self) -> String {
        match self {
            WriteAction::MarkC2cRead { report, peer, time } => match time {
                Some(t) => format!("mark {report}'s 1:1 conversation with {peer} read up to {t}"),
                None => format!("mark {report}'s 1:1 conversation with {peer} read (up to now)"),
            },
            WriteAction::SetUnread {
                group,
                member,
                unread,
            } => {
                format!("set {member}'s unread count in {group} to {unread}")
            }
        }
    }

    /// The audit-log action name.
    pub fn name(&self) -> &'static str {
        match self {
            WriteAction::MarkC2cRead { .. } => "mark_read",
            WriteAction::SetUnread { .. } => "set_unread",
        }
    }

    /// The audit-log target.
    pub fn target(&self) -> String {
        match self {
            WriteAction::MarkC2cRead { report, peer, .. } => format!("{report}->{peer}"),
            WriteAction::SetUnread { group, member, .. } => format!("{group}/{member}"),
        }
    }
}

/// What a write did, with the before/after where the API lets us read it
/// (the member's unread count, or the 1:1 unread count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WriteOutcome {
    pub action: WriteAction,
    pub before: Option<u64>,
    pub after: Option<u64>,
    /// A note for the user, e.g. "Meeting groups ignore unread counts: nothing changed".
    pub note: Option<String>,
}

/// Counters the status line shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallStats {
    pub in_flight: u32,
    pub total_calls: u64,
    pub failed_calls: u64,
    pub retries: u64,
    pub last_latency_ms: Option<u64>,
    /// Reads use the standby domain (the main one could not be reached).
    pub on_standby: bool,
}
