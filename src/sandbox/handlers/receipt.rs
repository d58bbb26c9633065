//! The receipt endpoints: get_group_msg_receipt, get_group_msg_receipt_detail,
//! group_msg_receipt (admin acknowledges for a member) and set_unread_msg_num.

use serde_json::{Value, json};

use crate::vendor::GroupType;

use super::{Ctx, Reply, find_group, invalid, obj};
use crate::sandbox::fields::{ApiErr, Body, GROUP_NO_PERMISSION, NO_RECEIPT};
use crate::sandbox::world::{Group, World};
use crate::vendor::limits;

/// Most seqs get_group_msg_receipt takes in one call (the service documents no cap).
pub(crate) const RECEIPT_BATCH_MAX: usize = 1000;
/// Most seqs group_msg_receipt takes in one call (documented).
pub(crate) const ACK_BATCH_MAX: usize = limits::SEQS_PER_RECEIPT_CALL;
/// Most members per receipt-detail page (documented; more is served as this).
pub(crate) const DETAIL_PAGE_MAX: u64 = limits::RECEIPT_MEMBERS_PER_PAGE as u64;

/// Receipt-detail cursors are `CURSOR_BASE + (snapshot tick << 24) + member position`, as
/// decimal strings: opaque, 64-bit, never "0" (which marks the end, as in the sample).
const CURSOR_BASE: u64 = 1 << 57;
const POS_BITS: u32 = 24;

fn refuse_no_receipts(g: &Group) -> Result<(), ApiErr> {
    if g.gtype.supports_receipts() {
        return Ok(());
    }
    Err(ApiErr::new(
        GROUP_NO_PERMISSION,
        format!(
            "group {} is a {} group: read receipts exist only in Work (Private), Public and Meeting (ChatRoom) groups",
            g.id,
            g.gtype.wire_name()
        ),
    ))
}

fn no_receipt(seq: u64) -> ApiErr {
    ApiErr::new(
        NO_RECEIPT,
        format!(
            "the read receipt of message {seq} does not exist (sent without NeedReadReceipt, sent while the group had more than 200 members, recalled, expired, or no such message)"
        ),
    )
}

pub(crate) fn encode_cursor(snapshot: u64, pos: usize) -> String {
    (CURSOR_BASE + (snapshot << POS_BITS) + pos as u64).to_string()
}

/// `(snapshot, position)` of a cursor, or None for a cursor this sandbox never issued.
pub(crate) fn decode_cursor(cursor: &str) -> Option<(u64, usize)> {
    let v = cursor.trim().parse::<u64>().ok()?;
    let rest = v.checked_sub(CURSOR_BASE)?;
    if rest >= CURSOR_BASE {
        return None;
    }
    Some((rest >> POS_BITS, (rest & ((1 << POS_BITS) - 1)) as usize))
}

pub(crate) fn get_group_msg_receipt(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let g = &w.groups[gi];
    refuse_no_receipts(g)?;
    let seqs = body.seq_list("MsgSeqList", RECEIPT_BATCH_MAX)?;
    let list: Vec<Value> = seqs
        .iter()
        .map(|&seq| match g.message(seq).filter(|m| m.has_receipt()) {
            Some(m) => {
                let (read, unread) = crate::sandbox::receipts::counts(g, m);
                json!({"Code": 0, "MsgSeq": seq, "ReadNum": read, "UnreadNum": unread})
            }
            None => json!({"Code": NO_RECEIPT, "MsgSeq": seq, "ReadNum": 0, "UnreadNum": 0}),
        })
        .collect();
    Ok(obj(json!({ "GroupMsgReceiptList": list })))
}

pub(crate) fn get_group_msg_receipt_detail(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let g = &w.groups[gi];
    refuse_no_receipts(g)?;
    let seq = body.req_u64("MsgSeq")?;
    let read = match body.req_u64("Filter")? {
        0 => true,
        1 => false,
        _ => return Err(invalid("Filter must be 0 (read list) or 1 (unread list)")),
    };
    let cursor = body.req_str("Cursor")?;
    let count = body.req_u64("Count")?;
    if count == 0 {
        return Err(invalid(format!(
            "Count must be between 1 and {DETAIL_PAGE_MAX}"
        )));
    }
    let count = count.min(DETAIL_PAGE_MAX) as usize;
    if !g.message(seq).is_some_and(|m| m.has_receipt()) {
        return Err(no_receipt(seq));
    }
    let (snapshot, start) = match cursor.trim() {
        "" => (w.tick, 0),
        "0" => (w.tick, g.members.len()),
        c => match decode_cursor(c) {
            Some((t, p)) if t <= w.tick && p <= g.members.len() => (t, p),
            _ => {
                return Err(invalid(
                    "Cursor is invalid: pass \"\" first, then the Cursor returned",
                ));
            }
        },
    };
    let page = w.detail_page(gi, seq, read, snapshot, start, count);
    let (cursor, finished) = match page.next_pos {
        Some(p) => (encode_cursor(snapshot, p), 0),
        None => ("0".to_string(), 1),
    };
    let mut reply = obj(json!({
        "Cursor": cursor,
        "IsFinish": finished,
        "IsFinished": finished,
        "MsgSeq": seq,
    }));
    let (key, item) = if read {
        ("ReadList", "Read_Account")
    } else {
        ("UnreadList", "Unread_Account")
    };
    let list: Vec<Value> = page.accounts.iter().map(|a| json!({ item: a })).collect();
    reply.insert(key.into(), Value::Array(list));
    Ok(reply)
}

fn member_pos(w: &World, gi: usize, field: &str, account: &str) -> Result<usize, ApiErr> {
    let g = &w.groups[gi];
    w.account(account)
        .and_then(|a| g.member_pos.get(&a))
        .map(|&p| p as usize)
        .ok_or_else(|| {
            ApiErr::new(
                GROUP_NO_PERMISSION,
                format!("{field} {account:?} is not a member of group {}", g.id),
            )
        })
}

pub(crate) fn group_msg_receipt(w: &mut World, body: &Body, ctx: &mut Ctx) -> Reply {
    let gi = find_group(w, body)?;
    refuse_no_receipts(&w.groups[gi])?;
    let from = body.req_str("From_Account")?;
    let seqs = body.seq_list("MsgSeqList", ACK_BATCH_MAX)?;
    let pos = member_pos(w, gi, "From_Account", from)?;
    if let Some(&bad) = seqs
        .iter()
        .find(|&&s| !w.groups[gi].message(s).is_some_and(|m| m.has_receipt()))
    {
        return Err(no_receipt(bad));
    }
    let newly = w.ack_positions(gi, pos, &seqs);
    if !newly.is_empty() {
        let reads: Vec<(u64, Vec<String>)> =
            newly.iter().map(|&s| (s, vec![from.to_string()])).collect();
        ctx.events.push(w.read_event(gi, &reads));
    }
    Ok(serde_json::Map::new())
}

pub(crate) fn set_unread_msg_num(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let member = body.req_str("Member_Account")?;
    let n = body.req_u64("UnreadMsgNum")?;
    let gtype = w.groups[gi].gtype;
    if gtype.ignores_unread_count() {
        return Ok(serde_json::Map::new());
    }
    debug_assert!(gtype != GroupType::AVChatRoom);
    let pos = member_pos(w, gi, "Member_Account", member)?;
    w.set_unread(gi, pos, n);
    Ok(serde_json::Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_strangers() {
        let c = encode_cursor(12345, 5999);
        assert_eq!(decode_cursor(&c), Some((12345, 5999)));
        assert!(
            c.len() >= 17,
            "looks like the service's 64-bit cursors: {c}"
        );
        assert_eq!(decode_cursor("0"), None);
        assert_eq!(decode_cursor("12"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor(&u64::MAX.to_string()), None);
    }
}
