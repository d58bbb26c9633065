//! The documented bounds of the service's lists and pages, named once for the client (which
//! stays inside them and stops a listing that passes them), the sandbox (which refuses
//! requests outside them) and the dashboard.

/// Group read receipts work only in groups of at most this many members ("limited to groups
/// with a maximum of 200 members"). A receipt list therefore never holds more than 199
/// members (the sender is not listed).
pub const RECEIPT_MEMBER_CAP: u64 = 200;
/// A receipt list never exceeds 199 members: receipts exist only in groups of at most
/// [`RECEIPT_MEMBER_CAP`] members, and the sender is on neither list.
pub const RECEIPT_LIST_MAX: u64 = RECEIPT_MEMBER_CAP - 1;
/// Work, Public and Meeting groups reach 6,000 members at most.
pub const GROUP_MEMBERS_MAX: u64 = 6_000;
/// A Community reaches 100,000 members at most.
pub const COMMUNITY_MEMBERS_MAX: u64 = 100_000;

/// `get_appid_group_list`: the largest `Limit` (group IDs per page).
pub const GROUP_LIST_LIMIT_MAX: u32 = 10_000;
/// `get_group_info`: group IDs per call.
pub const GROUPS_PER_INFO_CALL: usize = 50;
/// `get_group_member_info`: the largest `Limit` (members per page).
pub const MEMBERS_PER_PAGE: u32 = 200;
/// `get_specified_group_member_info`: accounts per call.
pub const ACCOUNTS_PER_SPECIFIED_CALL: usize = 50;
/// `group_msg_get_simple`: the largest `ReqMsgNumber` (messages per call).
pub const MESSAGES_PER_HISTORY_CALL: u32 = 20;
/// `group_msg_receipt`: seqs per call. `get_group_msg_receipt` documents no cap; the client
/// sends it batches of this size too.
pub const SEQS_PER_RECEIPT_CALL: usize = 50;
/// `get_group_msg_receipt_detail`: the largest `Count` (members per page). One page of this
/// size holds a whole receipt list.
pub const RECEIPT_MEMBERS_PER_PAGE: u32 = 200;
/// `portrait_get`: accounts per call ("no more than 100 users can be pulled each time").
pub const ACCOUNTS_PER_PROFILE_CALL: usize = 100;
/// `query_online_status`: accounts per call ("up to 500 UserIDs at a time").
pub const ACCOUNTS_PER_STATUS_CALL: usize = 500;
/// `get_c2c_unread_msg_num`: peers per call ("the array can contain up to 10").
pub const PEERS_PER_C2C_UNREAD_CALL: usize = 10;
/// `get_joined_group_list`: the largest `Limit` ("不得超过5000", trtc.io/zh/document/34925).
pub const JOINED_GROUPS_LIMIT_MAX: u32 = 5_000;
/// The most groups one account can be in at once: 5,000 on the Enterprise edition (50 on
/// the free trial, 1,000 on Standard and Pro, 3,000 on Pro Plus; trtc.io/zh/document/34381).
pub const GROUPS_PER_USER_MAX: u64 = 5_000;
/// The most conversations an account's conversation list keeps: 500 on Pro, Pro Plus and
/// Enterprise (100 by default; trtc.io/zh/document/34381, "最近联系人数量").
pub const CONVERSATIONS_MAX: u64 = 500;
