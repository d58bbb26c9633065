//! One account's groups: `get_joined_group_list` (`v4/group_open_http_svc/get_joined_group_list`),
//! with the account's own state in each (`SelfInfo`: role, join time, `MsgFlag`, `MsgSeq`,
//! `MuteUntil`) and what its unread estimate needs (`NextMsgSeq`), `Limit` ≤ 5,000 a page
//! by `Offset`. A listing is bounded by the `TotalCount` the first page reports and by the
//! most groups an account can be in ([`GROUPS_PER_USER_MAX`]); the pages after the first are
//! fetched a few at once, each offset once.

use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::client::Core;
use super::error::ApiError;
use super::limits::CHUNK_CONCURRENCY;
use super::pager::{PageGuard, fault_error};
use super::result::Result;
use super::types::{GroupType, MsgFlag};
use super::wire;

pub use crate::vendor::endpoints::JOINED_GROUPS;
pub use crate::vendor::limits::{GROUPS_PER_USER_MAX, JOINED_GROUPS_LIMIT_MAX};

/// The group fields asked for (`GroupBaseInfoFilter`).
const BASE_FILTER: [&str; 5] = ["Type", "Name", "NextMsgSeq", "MemberNum", "LastMsgTime"];
/// The account's own fields asked for (`SelfInfoFilter`).
const SELF_FILTER: [&str; 5] = ["Role", "JoinTime", "MsgFlag", "MsgSeq", "MuteUntil"];

/// One group the account is in, with its own state there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JoinedGroup {
    pub id: String,
    pub name: String,
    /// None for a type we do not know (or when the service left it out).
    pub group_type: Option<GroupType>,
    pub member_num: Option<u64>,
    pub last_msg_time: i64,
    /// `NextMsgSeq`: the seq the group's next message will get; None when not answered.
    pub next_msg_seq: Option<u64>,
    pub role: String,
    pub join_time: i64,
    /// `SelfInfo.MsgSeq`: the seq of the last message the account has read in the group.
    pub read_seq: Option<u64>,
    /// `SelfInfo.MsgFlag`: how the account receives the group's messages (muted or not).
    pub msg_flag: Option<MsgFlag>,
    /// `SelfInfo.MuteUntil`: when an admin's mute of the account ends (0 = never muted).
    pub mute_until: i64,
}

/// One page of the account's groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinedPage {
    /// `TotalCount`: the account's groups in all (not just this page).
    pub total: u64,
    pub groups: Vec<JoinedGroup>,
}

#[derive(Debug, Deserialize)]
struct JoinedWire {
    #[serde(rename = "TotalCount", default, deserialize_with = "wire::u64")]
    total: u64,
    #[serde(rename = "GroupIdList", default, deserialize_with = "wire::list")]
    groups: Vec<EntryWire>,
}

#[derive(Debug, Deserialize)]
struct EntryWire {
    #[serde(rename = "GroupId", default, deserialize_with = "wire::string")]
    id: String,
    #[serde(rename = "Type", default, deserialize_with = "wire::string")]
    group_type: String,
    #[serde(rename = "Name", default, deserialize_with = "wire::string")]
    name: String,
    #[serde(rename = "MemberNum", default, deserialize_with = "wire::opt_u64")]
    member_num: Option<u64>,
    #[serde(rename = "LastMsgTime", default, deserialize_with = "wire::i64")]
    last_msg_time: i64,
    #[serde(rename = "NextMsgSeq", default, deserialize_with = "wire::opt_u64")]
    next_msg_seq: Option<u64>,
    #[serde(rename = "SelfInfo", default)]
    own: Option<SelfWire>,
}

#[derive(Debug, Default, Deserialize)]
struct SelfWire {
    #[serde(rename = "Role", default, deserialize_with = "wire::string")]
    role: String,
    #[serde(rename = "JoinTime", default, deserialize_with = "wire::i64")]
    join_time: i64,
    #[serde(rename = "MsgFlag", default, deserialize_with = "wire::string")]
    msg_flag: String,
    #[serde(rename = "MsgSeq", default, deserialize_with = "wire::opt_u64")]
    read_seq: Option<u64>,
    #[serde(rename = "MuteUntil", default, deserialize_with = "wire::i64")]
    mute_until: i64,
}

impl From<EntryWire> for JoinedGroup {
    fn from(e: EntryWire) -> Self {
        let own = e.own.unwrap_or_default();
        JoinedGroup {
            group_type: e.group_type.parse().ok(),
            id: e.id,
            name: e.name,
            member_num: e.member_num,
            last_msg_time: e.last_msg_time,
            next_msg_seq: e.next_msg_seq,
            role: own.role,
            join_time: own.join_time,
            read_seq: own.read_seq,
            msg_flag: own.msg_flag.parse().ok(),
            mute_until: own.mute_until,
        }
    }
}

fn page_of(wire: JoinedWire) -> JoinedPage {
    JoinedPage {
        total: wire.total,
        groups: wire
            .groups
            .into_iter()
            .filter(|e| !e.id.is_empty())
            .map(JoinedGroup::from)
            .collect(),
    }
}

/// One page: at most `limit` (1–5,000) of `account`'s groups from `offset`. Every type is
/// asked for: AVChatRoom groups (`WithHugeGroups`) and Work groups not activated yet
/// (`WithNoActiveGroups`) too.
pub async fn page(core: &Core, account: &str, offset: u64, limit: u32) -> Result<JoinedPage> {
    if account.trim().is_empty() {
        return Err(ApiError::Invalid("the account ID is empty".into()));
    }
    let body = json!({
        "Member_Account": account,
        "Limit": limit.clamp(1, JOINED_GROUPS_LIMIT_MAX),
        "Offset": offset,
        "WithHugeGroups": 1,
        "WithNoActiveGroups": 1,
        "ResponseFilter": {
            "GroupBaseInfoFilter": BASE_FILTER,
            "SelfInfoFilter": SELF_FILTER,
        },
    });
    let wire: JoinedWire = core.call(JOINED_GROUPS, &body).await?;
    Ok(page_of(wire))
}

/// The guard a listing of one account's groups is held to.
pub fn guard(total: u64) -> PageGuard<String> {
    let mut g = PageGuard::new(
        GROUPS_PER_USER_MAX,
        "the most groups an account can be in (5,000)",
    );
    g.reported(total, "TotalCount");
    g
}

/// Accept a page into `guard`: the groups not seen before.
pub fn accept(
    guard: &mut PageGuard<String>,
    asked: u32,
    groups: Vec<JoinedGroup>,
) -> Result<Vec<JoinedGroup>> {
    guard
        .accept(asked as usize, groups, |g| g.id.clone(), None)
        .map_err(|f| fault_error(JOINED_GROUPS.api, f))
}

/// The pages after the first `from` groups, up to the total the guard holds the listing
/// to: `page_size` groups a call, a few calls at once, each offset once; `on_page` gets the
/// new groups of each page in order.
pub async fn rest(
    core: &Core,
    account: &str,
    from: u64,
    page_size: u32,
    guard: &mut PageGuard<String>,
    on_page: &mut (dyn FnMut(Vec<JoinedGroup>) + Send),
) -> Result<()> {
    let page_size = page_size.clamp(1, JOINED_GROUPS_LIMIT_MAX);
    let end = guard.limit();
    let offsets: Vec<u64> = (from..end).step_by(page_size as usize).collect();
    let calls: Vec<_> = offsets
        .iter()
        .map(|&offset| page(core, account, offset, page_size))
        .collect();
    let mut pages = futures::stream::iter(calls).buffered(CHUNK_CONCURRENCY);
    while let Some(p) = pages.try_next().await? {
        let fresh = accept(guard, page_size, p.groups)?;
        if !fresh.is_empty() {
            on_page(fresh);
        }
    }
    Ok(())
}

/// Every group of `account`: the first page, then the rest (see [`rest`]); `progress`
/// gets the number loaded after each page.
pub async fn all(
    core: &Core,
    account: &str,
    page_size: u32,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<Vec<JoinedGroup>> {
    let page_size = page_size.clamp(1, JOINED_GROUPS_LIMIT_MAX);
    let first = page(core, account, 0, page_size).await?;
    let mut guard = guard(first.total);
    let mut groups = accept(&mut guard, page_size, first.groups)?;
    progress(groups.len());
    let mut more = |fresh: Vec<JoinedGroup>| {
        groups.extend(fresh);
        progress(groups.len());
    };
    rest(
        core,
        account,
        u64::from(page_size),
        page_size,
        &mut guard,
        &mut more,
    )
    .await?;
    Ok(groups)
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn page(body: &[u8]) -> Result<JoinedPage> {
        wire::decode_response(JOINED_GROUPS.api, body).map(page_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendor_samples_decode() {
        // The basic form: IDs only.
        let p = decode::page(
            br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TotalCount":2,
                 "GroupIdList":[{"GroupId":"@TGS#2J4SZEAEL"},{"GroupId":"@TGS#2C5SZEAEF"}]}"#,
        )
        .unwrap();
        assert_eq!(p.total, 2);
        assert_eq!(p.groups[1].id, "@TGS#2C5SZEAEF");
        assert_eq!(
            (p.groups[0].next_msg_seq, p.groups[0].read_seq),
            (None, None)
        );
        // With both filters ("ErrorInfo": "ok", as one of the samples says).
        let p = decode::page(
            br#"{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"TotalCount":1,"GroupIdList":[
                {"ApplyJoinOption":"DisableApply","CreateTime":1585718204,"GroupId":"@TGS#16UMONKGG",
                 "LastMsgTime":0,"MemberNum":1,"Name":"d","NextMsgSeq":2,
                 "SelfInfo":{"JoinTime":1588148506,"MsgFlag":"AcceptAndNotify","Role":"Member","MsgSeq":1},
                 "MuteAllMember":"Off","Type":"Private"}]}"#,
        )
        .unwrap();
        let g = &p.groups[0];
        assert_eq!(g.group_type, Some(GroupType::Work));
        assert_eq!((g.next_msg_seq, g.read_seq), (Some(2), Some(1)));
        assert_eq!(g.msg_flag, Some(MsgFlag::AcceptAndNotify));
        assert_eq!(
            (g.role.as_str(), g.join_time, g.mute_until),
            ("Member", 1_588_148_506, 0)
        );
    }

    #[test]
    fn odd_values_are_tolerated() {
        let p = decode::page(
            br#"{"ErrorCode":0,"TotalCount":"3","GroupIdList":[
                {"GroupId":"@TGS#1A","Type":"Galaxy","NextMsgSeq":"9","SelfInfo":{"MsgSeq":"4","MsgFlag":"Loud","MuteUntil":"1700000000"}},
                {"GroupId":""},{"Name":"no id"},
                {"GroupId":"@TGS#1B","SelfInfo":null}]}"#,
        )
        .unwrap();
        assert_eq!(p.total, 3);
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.groups[0].group_type, None);
        assert_eq!(
            (p.groups[0].next_msg_seq, p.groups[0].read_seq),
            (Some(9), Some(4))
        );
        assert_eq!(
            (p.groups[0].msg_flag, p.groups[0].mute_until),
            (None, 1_700_000_000)
        );
        assert_eq!(p.groups[1].read_seq, None);
    }

    #[test]
    fn the_guard_holds_a_listing_to_its_total_and_the_maximum() {
        assert_eq!(guard(480).limit(), 480);
        assert_eq!(guard(9_000).limit(), GROUPS_PER_USER_MAX);
        let mut g = guard(2);
        let two = vec![
            JoinedGroup {
                id: "a".into(),
                ..JoinedGroup::default()
            },
            JoinedGroup {
                id: "b".into(),
                ..JoinedGroup::default()
            },
        ];
        assert_eq!(accept(&mut g, 5, two.clone()).unwrap().len(), 2);
        // The same groups again are dropped, not listed twice.
        assert!(accept(&mut g, 5, two).unwrap().is_empty());
    }
}
