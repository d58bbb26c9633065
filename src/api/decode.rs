//! Every response decoder of the client as a plain function of a body, for fuzzing, tests
//! and diagnostics. Each runs exactly what the client runs on an HTTP 200 answer of its API
//! (the envelope check, the tolerant wire decoding, the conversion to the domain type), just
//! without the network. A body that is not a usable answer gives `ApiError::Decode` (or
//! `ApiError::Service` when it carries `ErrorCode != 0`); no body makes them panic.

use super::conversations::ConversationPage;
use super::joined::JoinedPage;
use super::presence::OnlineStatus;
use super::profiles::Profile;
use super::result::Result;
use super::types::{
    C2cUnread, GroupIdPage, GroupInfo, GroupMember, GroupMemberPage, MemberPage, MessagePage,
    ReceiptCount, ReceiptFilter, WriteAction,
};
use super::{conversations, groups, joined, messages, presence, profiles, receipts, writes};

/// `get_appid_group_list`.
pub fn group_id_page(body: &[u8]) -> Result<GroupIdPage> {
    groups::decode::id_page(body)
}

/// `get_group_info`, answered for `asked` in the order asked.
pub fn group_info(body: &[u8], asked: &[String]) -> Result<Vec<GroupInfo>> {
    groups::decode::info(body, asked)
}

/// `get_group_member_info`; `paged_by_next` when the request used `Next` (Community).
pub fn group_members(body: &[u8], paged_by_next: bool) -> Result<GroupMemberPage> {
    groups::decode::members(body, paged_by_next)
}

/// `get_specified_group_member_info`.
pub fn group_members_by_id(body: &[u8]) -> Result<Vec<GroupMember>> {
    groups::decode::members_by_id(body)
}

/// `group_msg_get_simple`.
pub fn messages(body: &[u8]) -> Result<MessagePage> {
    messages::decode::page(body)
}

/// `send_group_msg`: the new message's seq.
pub fn sent_msg_seq(body: &[u8]) -> Result<u64> {
    messages::decode::sent(body)
}

/// `get_group_msg_receipt`: the counts of one call, in the service's order.
pub fn receipt_counts(body: &[u8]) -> Result<Vec<ReceiptCount>> {
    receipts::decode::counts(body)
}

/// `get_group_msg_receipt_detail`: one page of the `filter` list.
pub fn receipt_page(body: &[u8], filter: ReceiptFilter) -> Result<MemberPage> {
    receipts::decode::page(body, filter)
}

/// `get_c2c_unread_msg_num`.
pub fn c2c_unread(body: &[u8]) -> Result<C2cUnread> {
    writes::decode::c2c_unread(body)
}

/// The answer to a write (`admin_set_msg_read` or `set_unread_msg_num`): success or why not.
pub fn write_ack(action: &WriteAction, body: &[u8]) -> Result<()> {
    writes::decode::write_ack(action, body)
}

/// `portrait_get`, answered for `asked` in the order asked.
pub fn profiles(body: &[u8], asked: &[String]) -> Result<Vec<Profile>> {
    profiles::decode::profiles(body, asked)
}

/// `query_online_status`, answered for `asked` in the order asked.
pub fn online_status(body: &[u8], asked: &[String]) -> Result<Vec<OnlineStatus>> {
    presence::decode::online_status(body, asked)
}

/// `get_joined_group_list`.
pub fn joined_groups(body: &[u8]) -> Result<JoinedPage> {
    joined::decode::page(body)
}

/// `recentcontact/get_list`.
pub fn conversations(body: &[u8]) -> Result<ConversationPage> {
    conversations::decode::page(body)
}
