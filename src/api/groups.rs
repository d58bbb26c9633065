//! Groups and members: `get_appid_group_list`, `get_group_info`, `get_group_member_info`,
//! `get_specified_group_member_info`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::client::Core;
use super::error::ApiError;
use super::ids::check_group;
use super::limits::in_batches;
use super::result::Result;
use super::types::{GroupIdPage, GroupInfo, GroupMember, GroupMemberPage, GroupType, MemberNaming};
use super::wire;

pub use crate::vendor::endpoints::{GROUP_INFO, GROUP_LIST, MEMBER_INFO, SPECIFIED_MEMBER_INFO};
use crate::vendor::limits;

/// Groups per get_group_info call (documented maximum).
pub const GROUPS_PER_CALL: usize = limits::GROUPS_PER_INFO_CALL;
/// Accounts per get_specified_group_member_info call (documented maximum).
pub const ACCOUNTS_PER_CALL: usize = limits::ACCOUNTS_PER_SPECIFIED_CALL;
/// Members per get_group_member_info page (current documented maximum).
pub const MEMBERS_PER_PAGE: u32 = limits::MEMBERS_PER_PAGE;

#[derive(Debug, Deserialize)]
struct GroupListWire {
    #[serde(rename = "TotalCount", default, deserialize_with = "wire::u64")]
    total: u64,
    #[serde(rename = "Next", default, deserialize_with = "wire::u64")]
    next: u64,
    #[serde(rename = "GroupIdList", default, deserialize_with = "wire::list")]
    ids: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct GroupInfoListWire {
    #[serde(rename = "GroupInfo", default, deserialize_with = "wire::list")]
    groups: Vec<GroupInfoWire>,
}

#[derive(Debug, Deserialize)]
struct GroupInfoWire {
    #[serde(rename = "GroupId", default, deserialize_with = "wire::string")]
    id: String,
    #[serde(rename = "ErrorCode", default, deserialize_with = "wire::i64")]
    code: i64,
    #[serde(rename = "ErrorInfo", default, deserialize_with = "wire::string")]
    info: String,
    #[serde(rename = "Type", default, deserialize_with = "wire::string")]
    group_type: String,
    #[serde(rename = "Name", default, deserialize_with = "wire::string")]
    name: String,
    #[serde(rename = "Owner_Account", default, deserialize_with = "wire::string")]
    owner: String,
    #[serde(rename = "MemberNum", default, deserialize_with = "wire::u64")]
    member_num: u64,
    #[serde(rename = "MaxMemberNum", default, deserialize_with = "wire::u64")]
    max_member_num: u64,
    #[serde(rename = "NextMsgSeq", default, deserialize_with = "wire::u64")]
    next_msg_seq: u64,
    #[serde(rename = "CreateTime", default, deserialize_with = "wire::i64")]
    create_time: i64,
    #[serde(rename = "LastMsgTime", default, deserialize_with = "wire::i64")]
    last_msg_time: i64,
}

impl GroupInfoWire {
    fn into_info(self) -> GroupInfo {
        GroupInfo {
            group_type: self.group_type.parse().ok(),
            id: self.id,
            code: self.code,
            info: self.info,
            name: self.name,
            owner: self.owner,
            member_num: self.member_num,
            max_member_num: self.max_member_num,
            next_msg_seq: self.next_msg_seq,
            create_time: self.create_time,
            last_msg_time: self.last_msg_time,
        }
    }
}

#[derive(Debug, Deserialize)]
struct MemberListWire {
    #[serde(rename = "MemberNum", default, deserialize_with = "wire::u64")]
    member_num: u64,
    #[serde(rename = "MemberList", default, deserialize_with = "wire::list")]
    members: Vec<MemberWire>,
    #[serde(rename = "Next", default, deserialize_with = "wire::opt_string")]
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MemberWire {
    #[serde(rename = "Member_Account", default, deserialize_with = "wire::string")]
    account: String,
    #[serde(rename = "Role", default, deserialize_with = "wire::string")]
    role: String,
    #[serde(rename = "JoinTime", default, deserialize_with = "wire::i64")]
    join_time: i64,
    #[serde(rename = "MsgSeq", default, deserialize_with = "wire::u64")]
    last_read_seq: u64,
    #[serde(rename = "NameCard", default, deserialize_with = "wire::opt_string")]
    name_card: Option<String>,
    #[serde(rename = "MsgFlag", default, deserialize_with = "wire::opt_string")]
    msg_flag: Option<String>,
}

impl From<MemberWire> for GroupMember {
    fn from(m: MemberWire) -> Self {
        GroupMember {
            account: m.account,
            role: m.role,
            join_time: m.join_time,
            last_read_seq: m.last_read_seq,
            naming: (m.name_card.is_some() || m.msg_flag.is_some()).then(|| {
                Box::new(MemberNaming {
                    name_card: m.name_card,
                    msg_flag: m.msg_flag.and_then(|f| f.parse().ok()),
                })
            }),
        }
    }
}

/// The member fields every member call asks for: a scan's pages carry the name cards and
/// mutes too, so names need no second lookup for a scanned group.
const MEMBER_FILTER: [&str; 5] = ["Role", "JoinTime", "MsgSeq", "NameCard", "MsgFlag"];

/// One page of group IDs.
pub async fn id_page(
    core: &Core,
    next: u64,
    limit: u32,
    group_type: Option<GroupType>,
) -> Result<GroupIdPage> {
    let mut body = json!({ "Next": next });
    if limit > 0 {
        body["Limit"] = json!(limit);
    }
    if let Some(t) = group_type {
        body["GroupType"] = json!(t.wire_name());
    }
    let wire: GroupListWire = core.call(GROUP_LIST, &body).await?;
    Ok(id_page_of(wire))
}

fn id_page_of(wire: GroupListWire) -> GroupIdPage {
    GroupIdPage {
        ids: wire
            .ids
            .iter()
            .filter_map(|e| wire::account_of(e, &["GroupId"]))
            .collect(),
        next: wire.next,
        total: wire.total,
    }
}

/// Group info for any number of IDs, in the order asked.
pub async fn info(core: &Core, ids: &[String]) -> Result<Vec<GroupInfo>> {
    let answers = in_batches(ids, GROUPS_PER_CALL, |chunk| info_chunk(core, chunk)).await?;
    Ok(answers.into_iter().flatten().collect())
}

async fn info_chunk(core: &Core, ids: &[String]) -> Result<Vec<GroupInfo>> {
    let body = json!({
        "GroupIdList": ids,
        "ResponseFilter": { "GroupBaseInfoFilter": [
            "Type", "Name", "Owner_Account", "CreateTime", "LastMsgTime",
            "NextMsgSeq", "MemberNum", "MaxMemberNum"
        ]},
    });
    let wire: GroupInfoListWire = core.call(GROUP_INFO, &body).await?;
    Ok(info_in_order(wire, ids))
}

/// The answer for `ids`, in the order asked; a group the service left out gets code 10010.
fn info_in_order(wire: GroupInfoListWire, ids: &[String]) -> Vec<GroupInfo> {
    let mut found: Vec<Option<GroupInfo>> = wire
        .groups
        .into_iter()
        .map(|g| Some(g.into_info()))
        .collect();
    ids.iter()
        .map(|id| {
            found
                .iter_mut()
                .find(|g| g.as_ref().is_some_and(|g| &g.id == id))
                .and_then(Option::take)
                .unwrap_or_else(|| GroupInfo {
                    id: id.clone(),
                    code: crate::vendor::codes::GROUP_NOT_FOUND,
                    info: "not in the service's answer".into(),
                    ..GroupInfo::default()
                })
        })
        .collect()
}

/// One page of members: offset paging, or `next` paging for Community groups.
pub async fn members(
    core: &Core,
    group: &str,
    offset: u64,
    next: Option<&str>,
    limit: u32,
) -> Result<GroupMemberPage> {
    check_group(group)?;
    let mut body = json!({
        "GroupId": group,
        "Limit": limit.clamp(1, MEMBERS_PER_PAGE),
        "MemberInfoFilter": MEMBER_FILTER,
    });
    match next {
        Some(n) => body["Next"] = json!(n),
        None => body["Offset"] = json!(offset),
    }
    let wire: MemberListWire = core.call(MEMBER_INFO, &body).await?;
    Ok(member_page_of(wire, next.is_some()))
}

/// A member page; `paged_by_next` when the request used `Next` (Community groups).
fn member_page_of(wire: MemberListWire, paged_by_next: bool) -> GroupMemberPage {
    GroupMemberPage {
        members: wire.members.into_iter().map(GroupMember::from).collect(),
        member_num: wire.member_num,
        next: paged_by_next.then(|| wire.next.unwrap_or_default()),
    }
}

/// Members by account ID (≤ 50).
pub async fn members_by_id(
    core: &Core,
    group: &str,
    accounts: &[String],
) -> Result<Vec<GroupMember>> {
    check_group(group)?;
    if accounts.len() > ACCOUNTS_PER_CALL {
        return Err(ApiError::Invalid(format!(
            "get_specified_group_member_info takes at most {ACCOUNTS_PER_CALL} accounts, not {}",
            accounts.len()
        )));
    }
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let body = json!({
        "GroupId": group,
        "Member_List_Account": accounts,
        "MemberInfoFilter": MEMBER_FILTER,
    });
    let wire: MemberListWire = core.call(SPECIFIED_MEMBER_INFO, &body).await?;
    Ok(wire.members.into_iter().map(GroupMember::from).collect())
}

/// Members by account ID, any number: batches of [`ACCOUNTS_PER_CALL`], a few at once within
/// the budget. Accounts that are not members are absent from the answer.
pub async fn members_by_ids(
    core: &Core,
    group: &str,
    accounts: &[String],
) -> Result<Vec<GroupMember>> {
    check_group(group)?;
    let answers = in_batches(accounts, ACCOUNTS_PER_CALL, |chunk| {
        members_by_id(core, group, chunk)
    })
    .await?;
    Ok(answers.into_iter().flatten().collect())
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn id_page(body: &[u8]) -> Result<GroupIdPage> {
        wire::decode_response(GROUP_LIST.api, body).map(id_page_of)
    }

    pub fn info(body: &[u8], ids: &[String]) -> Result<Vec<GroupInfo>> {
        wire::decode_response(GROUP_INFO.api, body).map(|w| info_in_order(w, ids))
    }

    pub fn members(body: &[u8], paged_by_next: bool) -> Result<GroupMemberPage> {
        wire::decode_response(MEMBER_INFO.api, body).map(|w| member_page_of(w, paged_by_next))
    }

    pub fn members_by_id(body: &[u8]) -> Result<Vec<GroupMember>> {
        wire::decode_response::<MemberListWire>(SPECIFIED_MEMBER_INFO.api, body)
            .map(|w| w.members.into_iter().map(GroupMember::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::decode_response;

    #[test]
    fn group_list_with_u64_next() {
        let w: GroupListWire = decode_response(
            "t",
            br#"{"ActionStatus":"OK","ErrorCode":0,"TotalCount":2,
                 "GroupIdList":[{"GroupId":"@TGS#1NVTZEAE4"},{"GroupId":"@TGS#1CXTZEAET"}],
                 "Next":4454685361}"#,
        )
        .unwrap();
        assert_eq!(w.next, 4_454_685_361);
        assert_eq!(w.total, 2);
        assert_eq!(w.ids.len(), 2);
        let w: GroupListWire =
            decode_response("t", br#"{"ErrorCode":0,"Next":"0","TotalCount":"0"}"#).unwrap();
        assert_eq!((w.next, w.ids.len()), (0, 0));
    }

    #[test]
    fn group_info_per_group_codes_and_types() {
        let w: GroupInfoListWire = decode_response(
            "t",
            br#"{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[
                {"GroupId":"@TGS#a","ErrorCode":0,"Type":"Private","Name":"ops","MemberNum":"12",
                 "NextMsgSeq":101,"Owner_Account":"alice","FaceUrl":"","AppDefinedData":[]},
                {"GroupId":"nope","ErrorCode":10010,"ErrorInfo":"group not found"}]}"#,
        )
        .unwrap();
        let infos: Vec<_> = w.groups.into_iter().map(GroupInfoWire::into_info).collect();
        assert_eq!(infos[0].group_type, Some(GroupType::Work));
        assert_eq!((infos[0].member_num, infos[0].next_msg_seq), (12, 101));
        assert_eq!(infos[1].code, 10010);
        assert_eq!(infos[1].group_type, None);
    }

    #[test]
    fn members_with_string_numbers_and_community_next() {
        let w: MemberListWire = decode_response(
            "t",
            br#"{"ErrorCode":0,"MemberNum":2,"Next":"144115265295492787","MemberList":[
                {"Member_Account":"bob","Role":"Member","JoinTime":"1700000000","MsgSeq":"42"},
                {"Member_Account":"amy","Role":"Owner","JoinTime":1,"MsgSeq":0,"MuteUntil":0}]}"#,
        )
        .unwrap();
        assert_eq!(w.next.as_deref(), Some("144115265295492787"));
        let m: Vec<GroupMember> = w.members.into_iter().map(GroupMember::from).collect();
        assert_eq!(m[0].last_read_seq, 42);
        assert_eq!(m[0].join_time, 1_700_000_000);
        assert_eq!(m[1].role, "Owner");
    }
}
