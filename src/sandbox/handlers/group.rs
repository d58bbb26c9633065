//! Group endpoints around the receipts: get_appid_group_list, get_group_info,
//! get_group_member_info, get_specified_group_member_info, group_msg_get_simple and
//! send_group_msg.

use std::str::FromStr;

use serde_json::{Map, Value, json};

use crate::vendor::{GroupType, MessageKind};

use super::{Ctx, Reply, find_group, invalid, lookup_group, obj};
use crate::sandbox::fields::{ApiErr, Body, GROUP_NO_PERMISSION};
use crate::sandbox::world::{Group, Member, World, now_unix};
use crate::vendor::limits;

/// get_appid_group_list `Next` values start here, so they exceed 2^32 as the service's do.
pub(crate) const GROUP_LIST_NEXT_BASE: u64 = 4_454_600_000;
/// Community member-list `Next` strings are decimal numbers from here on.
pub(crate) const MEMBER_NEXT_BASE: u64 = 144_115_265_295_000_000;

pub(crate) fn get_appid_group_list(w: &mut World, body: &Body) -> Reply {
    let limit = match body.opt_u64("Limit")? {
        None | Some(0) => limits::GROUP_LIST_LIMIT_MAX as usize,
        Some(n) if n > u64::from(limits::GROUP_LIST_LIMIT_MAX) => {
            return Err(invalid(format!(
                "Limit must be at most {}",
                limits::GROUP_LIST_LIMIT_MAX
            )));
        }
        Some(n) => n as usize,
    };
    let gtype = match body.opt_str("GroupType")? {
        None | Some("") => None,
        Some(t) => Some(GroupType::from_str(t).map_err(|_| {
            invalid(format!(
                "GroupType {t:?} is invalid: use Public, Private, ChatRoom, AVChatRoom or Community"
            ))
        })?),
    };
    let start = match body.opt_u64("Next")?.unwrap_or(0) {
        0 => 0,
        n if n >= GROUP_LIST_NEXT_BASE && n - GROUP_LIST_NEXT_BASE <= w.groups.len() as u64 => {
            (n - GROUP_LIST_NEXT_BASE) as usize
        }
        _ => {
            return Err(invalid(
                "Next is invalid: pass 0 first, then the Next returned",
            ));
        }
    };
    let matches = |g: &Group| gtype.is_none_or(|t| g.gtype == t);
    let total = w.groups.iter().filter(|g| matches(g)).count();
    let mut ids = Vec::new();
    let mut next = 0;
    for (i, g) in w.groups.iter().enumerate().skip(start) {
        if !matches(g) {
            continue;
        }
        if ids.len() == limit {
            next = GROUP_LIST_NEXT_BASE + i as u64;
            break;
        }
        ids.push(json!({"GroupId": g.id}));
    }
    Ok(obj(
        json!({"GroupIdList": ids, "Next": next, "TotalCount": total}),
    ))
}

pub(crate) fn group_info(w: &World, g: &Group, sdkappid: u64) -> Map<String, Value> {
    obj(json!({
        "GroupId": g.id,
        "ErrorCode": 0,
        "ErrorInfo": "",
        "Type": g.gtype.wire_name(),
        "Name": g.name,
        "Appid": sdkappid,
        "Introduction": g.introduction,
        "Notification": g.notification,
        "FaceUrl": "",
        "Owner_Account": w.name_of(g.owner),
        "CreateTime": g.create_time,
        "InfoSeq": 1,
        "LastInfoTime": g.create_time,
        "LastMsgTime": g.last_msg_time(),
        "NextMsgSeq": g.latest_seq() + 1,
        "MemberNum": g.member_num(),
        "MaxMemberNum": g.max_member_num,
        "ApplyJoinOption": if g.gtype == GroupType::Work { "DisableApply" } else { "FreeAccess" },
        "InviteJoinOption": "FreeAccess",
        "MuteAllMember": "Off",
        "AppDefinedData": [],
    }))
}

pub(crate) fn get_group_info(w: &mut World, body: &Body, ctx: &Ctx) -> Reply {
    let ids = body
        .opt_str_list("GroupIdList")?
        .ok_or_else(|| invalid("GroupIdList is required"))?;
    if ids.is_empty() || ids.len() > limits::GROUPS_PER_INFO_CALL {
        return Err(invalid(format!(
            "GroupIdList holds {} IDs; give 1 to {} per call",
            ids.len(),
            limits::GROUPS_PER_INFO_CALL
        )));
    }
    let wanted: Option<Vec<String>> = match body.get("ResponseFilter") {
        Some(Value::Object(f)) => match f.get("GroupBaseInfoFilter") {
            Some(Value::Array(names)) => Some(
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => None,
        },
        Some(_) => return Err(invalid("ResponseFilter must be an object")),
        None => None,
    };
    let list: Vec<Value> = ids
        .iter()
        .map(|id| match lookup_group(w, id) {
            Ok(g) => {
                let mut info = group_info(w, &w.groups[g], ctx.sdkappid);
                if let Some(wanted) = &wanted {
                    info.retain(|k, _| {
                        matches!(k.as_str(), "GroupId" | "ErrorCode" | "ErrorInfo")
                            || wanted.iter().any(|n| n == k)
                    });
                }
                Value::Object(info)
            }
            Err(e) => json!({"GroupId": id, "ErrorCode": e.code, "ErrorInfo": e.info}),
        })
        .collect();
    Ok(obj(json!({ "GroupInfo": list })))
}

fn refuse_avchatroom(g: &Group, api: &str) -> Result<(), ApiErr> {
    if g.gtype == GroupType::AVChatRoom {
        return Err(ApiErr::new(
            GROUP_NO_PERMISSION,
            format!("{api} is not supported for AVChatRoom groups"),
        ));
    }
    Ok(())
}

/// The member fields to return: everything, or Member_Account plus the MemberInfoFilter.
pub(crate) fn member_json(w: &World, m: &Member, fields: Option<&[String]>) -> Value {
    let mut v = obj(json!({
        "Member_Account": w.name_of(m.account),
        "Role": m.role.wire(),
        "JoinTime": m.join_time,
        "MsgSeq": m.msg_seq,
        "MsgFlag": m.msg_flag.wire_name(),
        "LastSendMsgTime": m.last_send_time,
        "MuteUntil": m.mute_until,
        "NameCard": m.name_card,
        "AppMemberDefinedData": [],
    }));
    if let Some(fields) = fields {
        v.retain(|k, _| k == "Member_Account" || fields.iter().any(|f| f == k));
    }
    Value::Object(v)
}

pub(crate) fn get_group_member_info(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let g = &w.groups[gi];
    refuse_avchatroom(g, "get_group_member_info")?;
    let community = g.gtype == GroupType::Community;
    let limit = match body.opt_u64("Limit")? {
        Some(n) if n > u64::from(limits::MEMBERS_PER_PAGE) => {
            return Err(invalid(format!(
                "Limit must be at most {}",
                limits::MEMBERS_PER_PAGE
            )));
        }
        Some(0) | None if community => 100,
        Some(0) | None => usize::MAX,
        Some(n) => n as usize,
    };
    let roles = body.opt_str_list("MemberRoleFilter")?;
    if let Some(r) = roles
        .iter()
        .flatten()
        .find(|r| !matches!(r.as_str(), "Owner" | "Admin" | "Member"))
    {
        return Err(invalid(format!(
            "MemberRoleFilter: unknown role {r:?} (use Owner, Admin or Member)"
        )));
    }
    let fields = body.opt_str_list("MemberInfoFilter")?;
    let role_ok = |m: &Member| {
        roles
            .as_ref()
            .is_none_or(|rs| rs.iter().any(|r| r == m.role.wire()))
    };
    let mut list = Vec::new();
    let mut next = String::new();
    if community {
        let start = match body.opt_str("Next")? {
            None | Some("") => 0,
            Some(s) => match s.trim().parse::<u64>() {
                Ok(n)
                    if n >= MEMBER_NEXT_BASE && n - MEMBER_NEXT_BASE <= g.members.len() as u64 =>
                {
                    (n - MEMBER_NEXT_BASE) as usize
                }
                _ => {
                    return Err(invalid(
                        "Next is invalid: pass \"\" first, then the Next returned",
                    ));
                }
            },
        };
        for (pos, m) in g.members.iter().enumerate().skip(start) {
            if !role_ok(m) {
                continue;
            }
            if list.len() == limit {
                next = (MEMBER_NEXT_BASE + pos as u64).to_string();
                break;
            }
            list.push(member_json(w, m, fields.as_deref()));
        }
    } else {
        let offset = body.opt_u64("Offset")?.unwrap_or(0);
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        list = g
            .members
            .iter()
            .filter(|m| role_ok(m))
            .skip(offset)
            .take(limit)
            .map(|m| member_json(w, m, fields.as_deref()))
            .collect();
    }
    let mut reply = obj(json!({"MemberNum": g.member_num(), "MemberList": list}));
    if community {
        reply.insert("Next".into(), json!(next));
    }
    Ok(reply)
}

pub(crate) fn get_specified_group_member_info(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let g = &w.groups[gi];
    refuse_avchatroom(g, "get_specified_group_member_info")?;
    let accounts = body
        .opt_str_list("Member_List_Account")?
        .ok_or_else(|| invalid("Member_List_Account is required"))?;
    if accounts.is_empty() || accounts.len() > limits::ACCOUNTS_PER_SPECIFIED_CALL {
        return Err(invalid(format!(
            "Member_List_Account holds {} accounts; give 1 to {} per call",
            accounts.len(),
            limits::ACCOUNTS_PER_SPECIFIED_CALL
        )));
    }
    let fields = body.opt_str_list("MemberInfoFilter")?;
    let list: Vec<Value> = accounts
        .iter()
        .filter_map(|a| {
            let pos = *g.member_pos.get(&w.account(a)?)?;
            Some(member_json(w, &g.members[pos as usize], fields.as_deref()))
        })
        .collect();
    Ok(obj(json!({"MemberList": list})))
}

pub(crate) fn group_msg_get_simple(w: &mut World, body: &Body) -> Reply {
    let gi = find_group(w, body)?;
    let g = &w.groups[gi];
    if g.gtype == GroupType::AVChatRoom {
        return Err(ApiErr::new(
            GROUP_NO_PERMISSION,
            "group_msg_get_simple is not supported for AVChatRoom groups (their history is not stored)",
        ));
    }
    let n = body.req_u64("ReqMsgNumber")?;
    if n == 0 || n > u64::from(limits::MESSAGES_PER_HISTORY_CALL) {
        return Err(invalid(format!(
            "ReqMsgNumber must be between 1 and {}",
            limits::MESSAGES_PER_HISTORY_CALL
        )));
    }
    let latest = g.latest_seq();
    let top = body.opt_u64("ReqMsgSeq")?.unwrap_or(latest).min(latest);
    let with_recalled = body.opt_u64("WithRecalledMsg")? == Some(1);
    let bottom = top.saturating_sub(n - 1).max(1);
    let mut list = Vec::new();
    if top >= 1 {
        for seq in (bottom..=top).rev() {
            let Some(m) = g.message(seq) else { continue };
            let (place, body) = match m.kind {
                MessageKind::Normal => (
                    0,
                    json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": m.text}}]),
                ),
                MessageKind::Expired => (1, json!([])),
                MessageKind::Recalled if with_recalled => (2, json!([])),
                MessageKind::Recalled => continue,
            };
            list.push(json!({
                "From_Account": w.name_of(m.from),
                "IsPlaceMsg": place,
                "IsSystemMsg": 0,
                "MsgBody": body,
                "MsgKey": format!("{}_{}_{}", m.seq, m.random, m.time),
                "MsgPriority": 1,
                "MsgRandom": m.random,
                "MsgSeq": m.seq,
                "MsgTimeStamp": m.time,
            }));
        }
    }
    Ok(obj(
        json!({"GroupId": g.id, "IsFinished": 1, "RspMsgList": list}),
    ))
}

/// A one-line preview of a message body.
fn body_text(body: &Body) -> Result<String, ApiErr> {
    let Some(Value::Array(elems)) = body.get("MsgBody") else {
        return Err(invalid("MsgBody is required and must be an array"));
    };
    if elems.is_empty() {
        return Err(invalid("MsgBody is empty"));
    }
    let mut parts = Vec::new();
    for (i, e) in elems.iter().enumerate() {
        let t = e
            .get("MsgType")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("MsgBody[{i}].MsgType is required")))?;
        parts.push(match t {
            "TIMTextElem" => e
                .pointer("/MsgContent/Text")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(format!("MsgBody[{i}].MsgContent.Text is required")))?
                .to_string(),
            "TIMImageElem" => "[Image]".into(),
            "TIMFileElem" => "[File]".into(),
            "TIMSoundElem" => "[Voice]".into(),
            "TIMVideoFileElem" => "[Video]".into(),
            "TIMFaceElem" => "[Sticker]".into(),
            "TIMLocationElem" => "[Location]".into(),
            "TIMCustomElem" => "[Custom]".into(),
            other => {
                return Err(invalid(format!(
                    "MsgBody[{i}].MsgType {other:?} is unknown"
                )));
            }
        });
    }
    Ok(parts.join(" "))
}

pub(crate) fn send_group_msg(w: &mut World, body: &Body, ctx: &Ctx) -> Reply {
    let gi = find_group(w, body)?;
    let random = match body.opt_u64("Random")? {
        Some(r) => u32::try_from(r).map_err(|_| invalid("Random must fit in 32 bits"))?,
        None => (w.groups[gi].messages.len() as u32).wrapping_mul(2_246_822_519),
    };
    let text = body_text(body)?;
    let need_receipt = match body.opt_u64("NeedReadReceipt")? {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("NeedReadReceipt must be 0 or 1")),
    };
    let from = body.opt_str("From_Account")?.unwrap_or(ctx.admin);
    let Some(a) = w.account(from) else {
        return Err(ApiErr::new(
            10019,
            format!("From_Account {from:?} does not exist"),
        ));
    };
    let g = &w.groups[gi];
    if from != ctx.admin && !g.member_pos.contains_key(&a) {
        return Err(ApiErr::new(
            GROUP_NO_PERMISSION,
            format!("From_Account {from:?} is not a member of group {}", g.id),
        ));
    }
    let time = now_unix();
    let seq = w.post_message(gi, a, &text, need_receipt, time, random);
    Ok(obj(json!({"MsgTime": time, "MsgSeq": seq})))
}
