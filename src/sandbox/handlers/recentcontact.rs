//! The conversation service: `recentcontact/get_list`, one account's conversation list.
//!
//! Documented (trtc.io/document/43087; the field notes of the vendor's Java SDK model):
//! every request field is required — `From_Account`, the normal conversations' cursor
//! `TimeStamp`/`StartIndex` and the pinned ones' `TopTimeStamp`/`TopStartIndex` (all 0 for
//! the first page), `AssistFlags` (bit 0: pinned conversations supported, bit 1: return
//! empty conversations, bit 2: page the pinned ones too); the answer's `SessionItem` holds
//! `Type` (1 one-to-one, 2 group), `To_Account` (1:1 only) or `GroupId` (group only),
//! `MsgTime` and `TopFlag`; `CompleteFlag` is 1 when the whole list was returned; the four
//! cursors to send for the next page come back under the request's names. The service's
//! codes: 50001 (the account was never imported), 50002 (invalid parameter).
//!
//! Ours where the pages are silent: 100 conversations a page (normal ones; pinned ones
//! paged too with bit 2, else all of them on the first page); newest first; a cursor is
//! the `MsgTime` of the last conversation returned and how many conversations of that
//! time were returned so far, so a page resumes exactly after it; without bit 0 pinned
//! conversations are listed among the others with `TopFlag` 0; what the list holds is in
//! `world_conversations`.

use serde_json::{Value, json};

use super::{Reply, obj};
use crate::sandbox::fields::{ApiErr, Body};
use crate::sandbox::world::World;
use crate::sandbox::world_conversations::{Conv, ConvPeer};
use crate::vendor::ConversationType;
use crate::vendor::codes::{RECENT_ACCOUNT_NOT_FOUND, RECENT_INVALID};

/// Conversations per page (ours: the vendor documents no page size).
pub(crate) const CONVERSATIONS_PER_PAGE: usize = 100;

/// Where a page starts: `MsgTime` of the last conversation returned, and how many of that
/// time were returned; (0, 0) is the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    time: u64,
    index: u64,
}

/// One page of `list` from `at`: the conversations, the cursor after them, and whether the
/// list is finished.
fn page(list: &[Conv], at: Cursor, size: usize) -> (&[Conv], Cursor, bool) {
    let start = if at == (Cursor { time: 0, index: 0 }) {
        0
    } else {
        let t = i64::try_from(at.time).unwrap_or(i64::MAX);
        let newer = list.iter().take_while(|c| c.time > t).count();
        let same = list[newer..].iter().take_while(|c| c.time == t).count();
        newer + same.min(usize::try_from(at.index).unwrap_or(usize::MAX))
    };
    let end = start.saturating_add(size).min(list.len());
    let items = &list[start..end];
    let next = match items.last() {
        Some(last) => Cursor {
            time: u64::try_from(last.time).unwrap_or(0),
            index: list[..end].iter().filter(|c| c.time == last.time).count() as u64,
        },
        None => at,
    };
    (items, next, end >= list.len())
}

fn item(w: &World, c: &Conv, pinned_supported: bool) -> Value {
    let top = u8::from(pinned_supported && c.pinned);
    match c.peer {
        ConvPeer::Account(p) => json!({
            "Type": ConversationType::C2c.wire(),
            "To_Account": w.name_of(p),
            "MsgTime": c.time,
            "TopFlag": top,
        }),
        ConvPeer::Group(g) => json!({
            "Type": ConversationType::Group.wire(),
            "GroupId": w.groups[g].id,
            "MsgTime": c.time,
            "TopFlag": top,
        }),
    }
}

pub(crate) fn get_list(w: &mut World, body: &Body) -> Reply {
    let from = body.req_str("From_Account")?;
    let normal_at = Cursor {
        time: body.req_u64("TimeStamp")?,
        index: body.req_u64("StartIndex")?,
    };
    let top_at = Cursor {
        time: body.req_u64("TopTimeStamp")?,
        index: body.req_u64("TopStartIndex")?,
    };
    let flags = body.req_u64("AssistFlags")?;
    if from.is_empty() {
        return Err(ApiErr::new(RECENT_INVALID, "From_Account is empty"));
    }
    let Some(a) = w.account(from) else {
        return Err(ApiErr::new(
            RECENT_ACCOUNT_NOT_FOUND,
            format!("From_Account {from:?} was never imported (the account does not exist)"),
        ));
    };
    let (pinned_supported, empty, page_pinned) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0);
    let all = w.conversations_of(a, empty);
    let (top, normal): (Vec<Conv>, Vec<Conv>) = if pinned_supported {
        all.into_iter().partition(|c| c.pinned)
    } else {
        (Vec::new(), all)
    };
    let top_size = if page_pinned {
        CONVERSATIONS_PER_PAGE
    } else {
        usize::MAX
    };
    let (top_items, top_next, top_done) = page(&top, top_at, top_size);
    let (items, next, done) = page(&normal, normal_at, CONVERSATIONS_PER_PAGE);
    let sessions: Vec<Value> = top_items
        .iter()
        .chain(items)
        .map(|c| item(w, c, pinned_supported))
        .collect();
    Ok(obj(json!({
        "SessionItem": sessions,
        "CompleteFlag": u8::from(done && top_done),
        "TimeStamp": next.time,
        "StartIndex": next.index,
        "TopTimeStamp": top_next.time,
        "TopStartIndex": top_next.index,
        "ErrorDisplay": "",
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(time: i64, g: usize) -> Conv {
        Conv {
            peer: ConvPeer::Group(g),
            time,
            pinned: false,
        }
    }

    #[test]
    fn pages_resume_exactly_after_ties() {
        let list: Vec<Conv> = [9, 7, 7, 7, 5, 3]
            .iter()
            .enumerate()
            .map(|(i, &t)| conv(t, i))
            .collect();
        let mut at = Cursor { time: 0, index: 0 };
        let mut seen = Vec::new();
        for _ in 0..10 {
            let (items, next, done) = page(&list, at, 2);
            seen.extend(items.iter().map(|c| c.peer));
            at = next;
            if done {
                break;
            }
        }
        let want: Vec<ConvPeer> = list.iter().map(|c| c.peer).collect();
        assert_eq!(seen, want);
        let (items, _, done) = page(&list, Cursor { time: 7, index: 2 }, 10);
        assert_eq!(items.len(), 3);
        assert!(done);
    }
}
