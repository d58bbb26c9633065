//! `get_joined_group_list`: the groups one account is in, with its own state in each.
//!
//! Documented (trtc.io/document/34925 and its Chinese page; the vendor's samples):
//! `Member_Account` is required; `Limit` (at most 5,000) and `Offset` page the list, no
//! `Limit` meaning all of it; `GroupType` keeps one type; AVChatRoom groups are left out
//! unless `WithHugeGroups` is 1, and Work groups the account joined that are not activated
//! unless `WithNoActiveGroups` is 1; `SupportTopic` needs `GroupType` Community; without a
//! `ResponseFilter` each entry is its `GroupId` alone; `GroupBaseInfoFilter` adds the named
//! group fields (`Type`, `Name`, `NextMsgSeq`, ... as `get_group_info` names them) and
//! `SelfInfoFilter` a `SelfInfo` object with the named member fields (`Role`, `JoinTime`,
//! `MsgFlag`, `MsgSeq`, ...); `TotalCount` is the number of groups that match, whatever
//! `Limit` and `Offset` say. 200 calls/s.
//!
//! Ours where the pages are silent: the groups come in the order they were created, so
//! `Offset` pages are stable; a Work group is "not activated" while it has no message;
//! `GroupType` AVChatRoom asks for those groups by itself (as `WithHugeGroups` 1 does);
//! `SelfInfoFilter` takes the member fields of `get_group_member_info` (`MuteUntil` and
//! `NameCard` too) and ignores names it does not know, as the group filter does; an unknown
//! account is refused with 10019, `Limit` 0 or above 5,000 and an unknown type with 10004.

use std::str::FromStr;

use serde_json::{Map, Value, json};

use super::group::{group_info, member_json};
use super::{Ctx, Reply, invalid, obj};
use crate::sandbox::fields::{ApiErr, Body};
use crate::sandbox::world::{Group, World};
use crate::vendor::GroupType;
use crate::vendor::codes::GROUP_ACCOUNT_NOT_FOUND;
use crate::vendor::limits::JOINED_GROUPS_LIMIT_MAX;

/// A list of names in the `ResponseFilter` object.
fn filter_names(filter: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, ApiErr> {
    match filter.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| {
                    invalid(format!("ResponseFilter.{name} must be an array of strings"))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(invalid(format!(
            "ResponseFilter.{name} must be an array of strings"
        ))),
    }
}

/// 0/1 flags.
fn flag(body: &Body, name: &str) -> Result<bool, ApiErr> {
    match body.opt_u64(name)? {
        None | Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(_) => Err(invalid(format!("{name} must be 0 or 1"))),
    }
}

pub(crate) fn get_joined_group_list(w: &mut World, body: &Body, ctx: &Ctx) -> Reply {
    let account = body.req_str("Member_Account")?;
    let Some(a) = w.account(account) else {
        return Err(ApiErr::new(
            GROUP_ACCOUNT_NOT_FOUND,
            format!("Member_Account {account:?} does not exist"),
        ));
    };
    let limit = match body.opt_u64("Limit")? {
        None => usize::MAX,
        Some(n) if n == 0 || n > u64::from(JOINED_GROUPS_LIMIT_MAX) => {
            return Err(invalid(format!(
                "Limit must be 1 to {JOINED_GROUPS_LIMIT_MAX} (leave it out for every group)"
            )));
        }
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let offset = usize::try_from(body.opt_u64("Offset")?.unwrap_or(0)).unwrap_or(usize::MAX);
    let gtype = match body.opt_str("GroupType")? {
        None | Some("") => None,
        Some(t) => Some(GroupType::from_str(t).map_err(|_| {
            invalid(format!(
                "GroupType {t:?} is invalid: use Public, Private, ChatRoom, AVChatRoom or Community"
            ))
        })?),
    };
    let huge = flag(body, "WithHugeGroups")? || gtype == Some(GroupType::AVChatRoom);
    let inactive = flag(body, "WithNoActiveGroups")?;
    let topics = match body.opt_u64("SupportTopic")? {
        None => None,
        Some(_) if gtype != Some(GroupType::Community) => {
            return Err(invalid("SupportTopic needs GroupType Community"));
        }
        Some(n @ (0 | 1)) => Some(n == 1),
        Some(_) => return Err(invalid("SupportTopic must be 0 or 1")),
    };
    let (base, own) = match body.get("ResponseFilter") {
        None => (None, None),
        Some(Value::Object(f)) => (
            filter_names(f, "GroupBaseInfoFilter")?,
            filter_names(f, "SelfInfoFilter")?,
        ),
        Some(_) => return Err(invalid("ResponseFilter must be an object")),
    };
    let matches = |g: &Group| {
        g.member_pos.contains_key(&a)
            && gtype.is_none_or(|t| g.gtype == t)
            && (huge || g.gtype != GroupType::AVChatRoom)
            && (inactive || g.gtype != GroupType::Work || !g.messages.is_empty())
            // The world has no topics: a Community "supports topics" never.
            && topics != Some(true)
    };
    let mut total = 0u64;
    let mut list = Vec::new();
    for g in w.groups.iter().filter(|g| matches(g)) {
        total += 1;
        if total as usize <= offset || list.len() >= limit {
            continue;
        }
        list.push(Value::Object(entry(
            w,
            g,
            a,
            base.as_deref(),
            own.as_deref(),
            ctx,
        )));
    }
    Ok(obj(json!({"TotalCount": total, "GroupIdList": list})))
}

/// One entry of `GroupIdList`: the group's ID, the base fields asked for, and `SelfInfo`
/// when asked for.
fn entry(
    w: &World,
    g: &Group,
    a: crate::sandbox::world::AccountId,
    base: Option<&[String]>,
    own: Option<&[String]>,
    ctx: &Ctx,
) -> Map<String, Value> {
    let mut e = match base {
        Some(names) => {
            let mut info = group_info(w, g, ctx.sdkappid);
            info.retain(|k, _| k == "GroupId" || names.iter().any(|n| n == k));
            info
        }
        None => obj(json!({ "GroupId": g.id })),
    };
    if let Some(names) = own {
        let member = g
            .member_pos
            .get(&a)
            .and_then(|&p| g.members.get(p as usize));
        if let Some(m) = member {
            let mut me = obj(member_json(w, m, Some(names)));
            me.remove("Member_Account");
            e.insert("SelfInfo".into(), Value::Object(me));
        }
    }
    e
}
