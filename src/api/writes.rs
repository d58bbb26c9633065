//! One-to-one unread counts (`get_c2c_unread_msg_num`) and the two writes
//! (`admin_set_msg_read`, `set_unread_msg_num`) with their before/after reads.

use serde::Deserialize;
use serde_json::{Value, json};

use super::client::{Core, Endpoint};
use super::error::ApiError;
use super::result::Result;
use super::types::{C2cUnread, GroupType, WriteAction, WriteOutcome};
use super::{groups, wire};

pub use crate::vendor::endpoints::{C2C_UNREAD, MARK_READ, SET_UNREAD};

/// What `set_unread_msg_num` is for and what it does not do, said before the user confirms
/// (tencentcloud.com/document/product/1047/34909).
pub const SET_UNREAD_CAVEAT: &str = "Tencent documents set_unread_msg_num only for apps migrating to Tencent Cloud Chat: it fires no callback and sends no notification, so the member's apps and your backend are not told.";

impl WriteAction {
    /// What the user must know before confirming this write, beyond the request itself.
    pub fn caveat(&self) -> Option<&'static str> {
        match self {
            WriteAction::SetUnread { .. } => Some(SET_UNREAD_CAVEAT),
            WriteAction::MarkC2cRead { .. } => None,
        }
    }
}

/// Peers per get_c2c_unread_msg_num call (documented maximum).
pub const PEERS_PER_CALL: usize = 10;

#[derive(Debug, Deserialize)]
struct C2cUnreadWire {
    #[serde(rename = "AllC2CUnreadMsgNum", default, deserialize_with = "wire::u64")]
    total: u64,
    #[serde(
        rename = "C2CUnreadMsgNumList",
        default,
        deserialize_with = "wire::list"
    )]
    per_peer: Vec<PeerCountWire>,
    #[serde(rename = "ErrorList", default, deserialize_with = "wire::list")]
    errors: Vec<PeerErrorWire>,
}

#[derive(Debug, Deserialize)]
struct PeerCountWire {
    #[serde(rename = "Peer_Account", default, deserialize_with = "wire::string")]
    peer: String,
    #[serde(rename = "C2CUnreadMsgNum", default, deserialize_with = "wire::u64")]
    unread: u64,
}

#[derive(Debug, Deserialize)]
struct PeerErrorWire {
    #[serde(rename = "Peer_Account", default, deserialize_with = "wire::string")]
    peer: String,
    #[serde(rename = "ErrorCode", default, deserialize_with = "wire::i64")]
    code: i64,
}

impl From<C2cUnreadWire> for C2cUnread {
    fn from(w: C2cUnreadWire) -> Self {
        C2cUnread {
            total: w.total,
            per_peer: w.per_peer.into_iter().map(|p| (p.peer, p.unread)).collect(),
            errors: w.errors.into_iter().map(|e| (e.peer, e.code)).collect(),
        }
    }
}

/// `to`'s one-to-one unread counts, in total and for up to 10 `peers`.
pub async fn c2c_unread(core: &Core, to: &str, peers: &[String]) -> Result<C2cUnread> {
    if to.trim().is_empty() {
        return Err(ApiError::Invalid("the account ID is empty".into()));
    }
    if peers.len() > PEERS_PER_CALL {
        return Err(ApiError::Invalid(format!(
            "get_c2c_unread_msg_num takes at most {PEERS_PER_CALL} peers, not {}",
            peers.len()
        )));
    }
    let mut body = json!({ "To_Account": to });
    if !peers.is_empty() {
        body["Peer_Account"] = json!(peers);
    }
    let wire: C2cUnreadWire = core.call(C2C_UNREAD, &body).await?;
    Ok(wire.into())
}

/// Run one write with the before/after reads. The reads are best effort: when one
/// fails, that side is `None` and the write still runs (its own error is what counts).
pub async fn run(core: &Core, action: &WriteAction) -> Result<WriteOutcome> {
    validate(action)?;
    let before = observe(core, action).await;
    let _: Value = core.call(endpoint_of(action), &action.body()).await?;
    let after = observe(core, action).await;
    let note = match (action, &before) {
        (
            WriteAction::SetUnread { .. },
            Observed::Group {
                group_type: Some(t),
                ..
            },
        ) if t.ignores_unread_count() => Some(format!(
            "{t} groups ignore unread counts: the call succeeds but nothing changes"
        )),
        (WriteAction::SetUnread { unread, .. }, _) => match after.count() {
            Some(a) if a < *unread => Some(format!(
                "asked for {unread}, but the group has only {a} message(s) for this member: the count was capped"
            )),
            _ => None,
        },
        _ => None,
    };
    Ok(WriteOutcome {
        action: action.clone(),
        before: before.count(),
        after: after.count(),
        note,
    })
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn c2c_unread(body: &[u8]) -> Result<C2cUnread> {
        wire::decode_response::<C2cUnreadWire>(C2C_UNREAD.api, body).map(C2cUnread::from)
    }

    pub fn write_ack(action: &WriteAction, body: &[u8]) -> Result<()> {
        wire::decode_response::<Value>(endpoint_of(action).api, body).map(|_| ())
    }
}

fn endpoint_of(action: &WriteAction) -> Endpoint {
    *action.endpoint()
}

fn validate(action: &WriteAction) -> Result<()> {
    let empty = |what: &str| Err(ApiError::Invalid(format!("the {what} is empty")));
    match action {
        WriteAction::MarkC2cRead { report, peer, .. } => {
            if report.trim().is_empty() {
                return empty("report account");
            }
            if peer.trim().is_empty() {
                return empty("peer account");
            }
        }
        WriteAction::SetUnread { group, member, .. } => {
            if group.trim().is_empty() {
                return empty("group ID");
            }
            if member.trim().is_empty() {
                return empty("member account");
            }
        }
    }
    Ok(())
}

/// What a before/after read found.
enum Observed {
    Group {
        group_type: Option<GroupType>,
        unread: Option<u64>,
    },
    C2c(Option<u64>),
}

impl Observed {
    fn count(&self) -> Option<u64> {
        match self {
            Observed::Group { unread, .. } => *unread,
            Observed::C2c(n) => *n,
        }
    }
}

async fn observe(core: &Core, action: &WriteAction) -> Observed {
    match action {
        WriteAction::MarkC2cRead { report, peer, .. } => {
            let peers = [peer.clone()];
            match c2c_unread(core, report, &peers).await {
                Ok(u) => Observed::C2c(peer_count(&u, peer)),
                Err(e) => {
                    tracing::info!(error = %e, "could not read the 1:1 unread count");
                    Observed::C2c(None)
                }
            }
        }
        WriteAction::SetUnread { group, member, .. } => {
            let ids = [group.clone()];
            let accounts = [member.clone()];
            let (info, members) = futures::join!(
                groups::info(core, &ids),
                groups::members_by_id(core, group, &accounts)
            );
            let info = match info {
                Ok(mut v) if v.first().is_some_and(|g| g.code == 0) => Some(v.swap_remove(0)),
                Ok(_) => None,
                Err(e) => {
                    tracing::info!(error = %e, "could not read the group");
                    None
                }
            };
            let last_read = match members {
                Ok(m) => m
                    .iter()
                    .find(|m| &m.account == member)
                    .map(|m| m.last_read_seq),
                Err(e) => {
                    tracing::info!(error = %e, "could not read the member");
                    None
                }
            };
            let unread = match (&info, last_read) {
                (Some(g), Some(read)) => {
                    Some(g.next_msg_seq.saturating_sub(1).saturating_sub(read))
                }
                _ => None,
            };
            Observed::Group {
                group_type: info.and_then(|g| g.group_type),
                unread,
            }
        }
    }
}

/// The unread count for `peer`: listed, or 0 when the service did not list it and did
/// not report an error for it.
fn peer_count(u: &C2cUnread, peer: &str) -> Option<u64> {
    if let Some((_, n)) = u.per_peer.iter().find(|(p, _)| p == peer) {
        Some(*n)
    } else if u.errors.iter().any(|(p, _)| p == peer) {
        None
    } else {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::decode_response;

    #[test]
    fn c2c_unread_sample() {
        let w: C2cUnreadWire = decode_response(
            "t",
            br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","AllC2CUnreadMsgNum":12,
                "C2CUnreadMsgNumList":[{"Peer_Account":"dramon2","C2CUnreadMsgNum":"12"}],
                "ErrorList":[{"Peer_Account":"ghost","ErrorCode":70107}]}"#,
        )
        .unwrap();
        let u: C2cUnread = w.into();
        assert_eq!(u.total, 12);
        assert_eq!(peer_count(&u, "dramon2"), Some(12));
        assert_eq!(peer_count(&u, "ghost"), None);
        assert_eq!(peer_count(&u, "quiet"), Some(0));
        assert_eq!(u.errors, vec![("ghost".to_string(), 70107)]);
    }

    #[test]
    fn write_bodies_match_the_seeds() {
        let a = WriteAction::MarkC2cRead {
            report: "dramon1".into(),
            peer: "dramon2".into(),
            time: Some(1_700_000_000),
        };
        assert_eq!(
            a.body(),
            json!({"Report_Account":"dramon1","Peer_Account":"dramon2","MsgReadTime":"1700000000"})
        );
        assert_eq!(a.path(), MARK_READ.path);
        let s = WriteAction::SetUnread {
            group: "@TGS#2CLUZEAEJ".into(),
            member: "bob".into(),
            unread: 5,
        };
        assert_eq!(
            s.body(),
            json!({"GroupId":"@TGS#2CLUZEAEJ","Member_Account":"bob","UnreadMsgNum":5})
        );
        assert_eq!(s.path(), SET_UNREAD.path);
        assert!(
            validate(&WriteAction::SetUnread {
                group: " ".into(),
                member: "b".into(),
                unread: 1
            })
            .is_err()
        );
    }
}
