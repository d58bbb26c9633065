//! One-to-one (openim) endpoints: admin_set_msg_read and get_c2c_unread_msg_num.

use serde_json::{Map, Value, json};

use super::{Reply, obj};
use crate::sandbox::fields::{
    ACCOUNT_NOT_FOUND, ApiErr, Body, OPENIM_BAD_JSON, PUBLIC_INVALID, value_u64,
};
use crate::sandbox::world::{AccountId, World, now_unix};

/// Report_Account missing or unknown (the vendor's text calls it From_Account).
const REPORT_ACCOUNT_BAD: i64 = 90008;
/// Peer_Account (or To_Account) missing or unknown.
const PEER_ACCOUNT_BAD: i64 = 90003;

fn account(w: &World, body: &Body, field: &str, code: i64) -> Result<AccountId, ApiErr> {
    match body.get(field) {
        Some(Value::String(s)) => w
            .account(s)
            .ok_or_else(|| ApiErr::new(code, format!("{field} {s:?} does not exist"))),
        Some(_) => Err(ApiErr::new(code, format!("{field} must be a string"))),
        None => Err(ApiErr::new(code, format!("{field} is missing"))),
    }
}

pub(crate) fn admin_set_msg_read(w: &mut World, body: &Body) -> Reply {
    let report = account(w, body, "Report_Account", REPORT_ACCOUNT_BAD)?;
    let peer = account(w, body, "Peer_Account", PEER_ACCOUNT_BAD)?;
    // The vendor's page types MsgReadTime as a string; SDKs send numbers, and one spells it
    // MsgReadedTime. Accept all four.
    let field = ["MsgReadTime", "MsgReadedTime"]
        .into_iter()
        .find(|f| body.has(f));
    let time = match field {
        None => now_unix(),
        Some(f) => body
            .get(f)
            .and_then(value_u64)
            .and_then(|t| i64::try_from(t).ok())
            .ok_or_else(|| {
                ApiErr::new(
                    OPENIM_BAD_JSON,
                    format!("{f} must be a Unix time in seconds (a string or a number)"),
                )
            })?,
    };
    if let Some(conv) = w.c2c.get_mut(&(report, peer)) {
        conv.read_time = conv.read_time.max(time);
    }
    Ok(Map::new())
}

pub(crate) fn get_c2c_unread_msg_num(w: &mut World, body: &Body) -> Reply {
    let to = account(w, body, "To_Account", PEER_ACCOUNT_BAD)?;
    let peers = body.opt_str_list("Peer_Account")?;
    if peers.as_ref().is_some_and(|p| p.len() > 10) {
        return Err(ApiErr::new(
            PUBLIC_INVALID,
            "Peer_Account holds at most 10 accounts per call",
        ));
    }
    let total: u64 = w
        .c2c
        .iter()
        .filter(|((t, _), _)| *t == to)
        .map(|(_, c)| c.unread())
        .sum();
    let mut reply = obj(json!({ "AllC2CUnreadMsgNum": total }));
    if let Some(peers) = peers {
        let mut list = Vec::new();
        let mut errors = Vec::new();
        for p in &peers {
            match w.account(p) {
                Some(pa) => {
                    let n = w.c2c.get(&(to, pa)).map_or(0, |c| c.unread());
                    list.push(json!({"Peer_Account": p, "C2CUnreadMsgNum": n}));
                }
                None => errors.push(json!({"Peer_Account": p, "ErrorCode": ACCOUNT_NOT_FOUND})),
            }
        }
        reply.insert("C2CUnreadMsgNumList".into(), Value::Array(list));
        if !errors.is_empty() {
            reply.insert("ErrorList".into(), Value::Array(errors));
        }
    }
    Ok(reply)
}
