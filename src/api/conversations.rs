//! One account's conversations: `recentcontact/get_list` (`v4/recentcontact/get_list`), its
//! conversation list paged by the service's `TimeStamp`/`StartIndex` cursors (and
//! `TopTimeStamp`/`TopStartIndex` for pinned ones), and the 1:1 unread counts of any
//! number of peers (`get_c2c_unread_msg_num`, 10 peers a call, a few calls at once).
//!
//! A listing follows the cursors one page after the other until `CompleteFlag` says the
//! list is whole, held by a [`PageGuard`] to the most conversations a list keeps
//! ([`CONVERSATIONS_MAX`]): a page that adds nothing new, or a cursor that comes back,
//! stops it.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::client::Core;
use super::error::ApiError;
use super::limits::{in_batches, unique};
use super::pager::{PageGuard, fault_error};
use super::result::Result;
use super::{wire, writes};
use crate::vendor::ConversationType;

pub use crate::vendor::endpoints::RECENT_CONTACTS;
pub use crate::vendor::limits::{CONVERSATIONS_MAX, PEERS_PER_C2C_UNREAD_CALL};

/// `AssistFlags`: pinned conversations supported (bit 0) and paged like the others (bit
/// 2); no empty conversations (bit 1).
const ASSIST_FLAGS: u64 = 0b101;

/// One conversation of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    pub kind: ConversationType,
    /// The peer's account ID (1:1) or the group's ID.
    pub id: String,
    /// `MsgTime`: Unix seconds of the conversation's newest message.
    pub msg_time: i64,
    /// `TopFlag` 1: the account pinned it.
    pub pinned: bool,
}

/// Where the next page starts: the four cursors, echoed back as the service sent them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConversationCursor {
    pub time_stamp: u64,
    pub start_index: u64,
    pub top_time_stamp: u64,
    pub top_start_index: u64,
}

impl ConversationCursor {
    /// The first page (every cursor 0).
    pub const FIRST: ConversationCursor = ConversationCursor {
        time_stamp: 0,
        start_index: 0,
        top_time_stamp: 0,
        top_start_index: 0,
    };

    fn key(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.time_stamp, self.start_index, self.top_time_stamp, self.top_start_index
        )
    }
}

/// One page of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationPage {
    pub conversations: Vec<Conversation>,
    /// `CompleteFlag` 1: nothing follows.
    pub complete: bool,
    /// The cursors for the next page.
    pub next: ConversationCursor,
}

/// One peer's 1:1 unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerUnread {
    pub peer: String,
    /// None when the service had no count for the peer (`code` says why when it said).
    pub unread: Option<u64>,
    /// 0, or the peer's `ErrorList` code (70107: no such account).
    pub code: i64,
}

#[derive(Debug, Deserialize)]
struct ListWire {
    #[serde(rename = "SessionItem", default, deserialize_with = "wire::list")]
    items: Vec<ItemWire>,
    #[serde(rename = "CompleteFlag", default, deserialize_with = "wire::u64")]
    complete: u64,
    #[serde(rename = "TimeStamp", default, deserialize_with = "wire::u64")]
    time_stamp: u64,
    #[serde(rename = "StartIndex", default, deserialize_with = "wire::u64")]
    start_index: u64,
    #[serde(rename = "TopTimeStamp", default, deserialize_with = "wire::u64")]
    top_time_stamp: u64,
    #[serde(rename = "TopStartIndex", default, deserialize_with = "wire::u64")]
    top_start_index: u64,
}

#[derive(Debug, Deserialize)]
struct ItemWire {
    #[serde(rename = "Type", default, deserialize_with = "wire::u64")]
    kind: u64,
    #[serde(rename = "To_Account", default, deserialize_with = "wire::string")]
    account: String,
    #[serde(rename = "GroupId", default, deserialize_with = "wire::string")]
    group: String,
    #[serde(rename = "MsgTime", default, deserialize_with = "wire::i64")]
    msg_time: i64,
    #[serde(rename = "TopFlag", default, deserialize_with = "wire::u64")]
    top: u64,
}

/// A page; items of a type we do not know, or without their ID, are left out.
fn page_of(wire: ListWire) -> ConversationPage {
    let conversations = wire
        .items
        .into_iter()
        .filter_map(|i| {
            let kind = ConversationType::from_wire(i.kind)?;
            let id = match kind {
                ConversationType::C2c => i.account,
                ConversationType::Group => i.group,
            };
            (!id.is_empty()).then_some(Conversation {
                kind,
                id,
                msg_time: i.msg_time,
                pinned: i.top == 1,
            })
        })
        .collect();
    ConversationPage {
        conversations,
        complete: wire.complete == 1,
        next: ConversationCursor {
            time_stamp: wire.time_stamp,
            start_index: wire.start_index,
            top_time_stamp: wire.top_time_stamp,
            top_start_index: wire.top_start_index,
        },
    }
}

/// One page of `account`'s conversation list from `at` ([`ConversationCursor::FIRST`] first).
pub async fn page(core: &Core, account: &str, at: ConversationCursor) -> Result<ConversationPage> {
    if account.trim().is_empty() {
        return Err(ApiError::Invalid("the account ID is empty".into()));
    }
    let body = json!({
        "From_Account": account,
        "TimeStamp": at.time_stamp,
        "StartIndex": at.start_index,
        "TopTimeStamp": at.top_time_stamp,
        "TopStartIndex": at.top_start_index,
        "AssistFlags": ASSIST_FLAGS,
    });
    let wire: ListWire = core.call(RECENT_CONTACTS, &body).await?;
    Ok(page_of(wire))
}

/// Follows one account's conversation list page by page, each conversation once.
pub struct ConversationPager {
    account: String,
    guard: PageGuard<(ConversationType, String)>,
    next: ConversationCursor,
    done: bool,
}

impl ConversationPager {
    pub fn new(account: &str) -> ConversationPager {
        ConversationPager {
            account: account.to_string(),
            guard: PageGuard::new(
                CONVERSATIONS_MAX,
                "the most conversations a list keeps (500)",
            ),
            next: ConversationCursor::FIRST,
            done: false,
        }
    }

    /// True when the list is whole.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Check a page the caller fetched (from [`Self::cursor`]) and move on: the
    /// conversations not seen before.
    pub fn accept(&mut self, page: ConversationPage) -> Result<Vec<Conversation>> {
        let next = (!page.complete).then(|| page.next.key());
        let fresh = self
            .guard
            .accept(
                CONVERSATIONS_MAX as usize,
                page.conversations,
                |c| (c.kind, c.id.clone()),
                next.as_deref(),
            )
            .map_err(|f| fault_error(RECENT_CONTACTS.api, f))?;
        self.next = page.next;
        self.done = page.complete;
        Ok(fresh)
    }

    /// Where the next page starts.
    pub fn cursor(&self) -> ConversationCursor {
        self.next
    }

    /// The next page (None once the list is whole).
    pub async fn next_page(&mut self, core: &Core) -> Result<Option<Vec<Conversation>>> {
        if self.done {
            return Ok(None);
        }
        let p = page(core, &self.account, self.next).await?;
        self.accept(p).map(Some)
    }
}

/// Every conversation of `account`, in the service's order; `progress` gets the number
/// loaded after each page.
pub async fn all(
    core: &Core,
    account: &str,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<Vec<Conversation>> {
    let mut pager = ConversationPager::new(account);
    let mut list = Vec::new();
    while let Some(fresh) = pager.next_page(core).await? {
        list.extend(fresh);
        progress(list.len());
    }
    Ok(list)
}

/// `to`'s 1:1 unread count with each of `peers` (each asked once, in the order asked):
/// [`PEERS_PER_C2C_UNREAD_CALL`] peers a call, a few calls at once within the budget.
pub async fn c2c_unread_counts(core: &Core, to: &str, peers: &[String]) -> Result<Vec<PeerUnread>> {
    let unique = unique(peers);
    let answers = in_batches(&unique, PEERS_PER_C2C_UNREAD_CALL, |chunk| {
        writes::c2c_unread(core, to, chunk)
    })
    .await?;
    let mut counts = std::collections::HashMap::new();
    let mut codes = std::collections::HashMap::new();
    for a in answers {
        counts.extend(a.per_peer);
        codes.extend(a.errors);
    }
    Ok(unique
        .into_iter()
        .map(|peer| PeerUnread {
            unread: counts.get(&peer).copied(),
            code: codes.get(&peer).copied().unwrap_or(0),
            peer,
        })
        .collect())
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn page(body: &[u8]) -> Result<ConversationPage> {
        wire::decode_response(RECENT_CONTACTS.api, body).map(page_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendor_sample_decodes() {
        let p = decode::page(
            br#"{"SessionItem":[{"Type":1,"To_Account":"id2","MsgTime":1630997627,"TopFlag":1},
                {"Type":2,"GroupId":"id3","MsgTime":1630997628,"TopFlag":1},
                {"Type":1,"To_Account":"id4","MsgTime":1630997630,"TopFlag":0},
                {"Type":2,"GroupId":"id5","MsgTime":1630997650,"TopFlag":0}],
                "CompleteFlag":1,"TimeStamp":1631012800,"StartIndex":0,"TopTimeStamp":1631012800,
                "TopStartIndex":0,"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#,
        )
        .unwrap();
        assert!(p.complete);
        assert_eq!(p.conversations.len(), 4);
        assert_eq!(p.conversations[0].kind, ConversationType::C2c);
        assert_eq!(
            (p.conversations[0].id.as_str(), p.conversations[0].pinned),
            ("id2", true)
        );
        assert_eq!(p.conversations[1].kind, ConversationType::Group);
        assert_eq!(p.conversations[3].id, "id5");
        assert_eq!(p.next.time_stamp, 1_631_012_800);
    }

    #[test]
    fn unknown_types_and_missing_ids_are_left_out() {
        let p = decode::page(
            br#"{"ErrorCode":0,"SessionItem":[{"Type":3,"To_Account":"x"},{"Type":1},
                {"Type":"2","GroupId":"@TGS#1A","MsgTime":"5"}],"CompleteFlag":"0","TimeStamp":"5","StartIndex":1}"#,
        )
        .unwrap();
        assert_eq!(p.conversations.len(), 1);
        assert_eq!(p.conversations[0].msg_time, 5);
        assert!(!p.complete);
        assert_eq!((p.next.time_stamp, p.next.start_index), (5, 1));
    }

    #[test]
    fn a_pager_stops_on_a_repeated_cursor_or_an_empty_unfinished_page() {
        let conv = |id: &str| Conversation {
            kind: ConversationType::C2c,
            id: id.into(),
            msg_time: 1,
            pinned: false,
        };
        let at = |t| ConversationCursor {
            time_stamp: t,
            ..ConversationCursor::FIRST
        };
        let mut p = ConversationPager::new("ann");
        let first = ConversationPage {
            conversations: vec![conv("a")],
            complete: false,
            next: at(9),
        };
        assert_eq!(p.accept(first).unwrap().len(), 1);
        let again = ConversationPage {
            conversations: vec![conv("b")],
            complete: false,
            next: at(9),
        };
        assert!(
            p.accept(again)
                .unwrap_err()
                .to_string()
                .contains("a second time")
        );
        let mut p = ConversationPager::new("ann");
        let empty = ConversationPage {
            conversations: vec![],
            complete: false,
            next: at(3),
        };
        assert!(p.accept(empty).is_err());
    }
}
