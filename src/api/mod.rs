//! The Chat REST client: one shared reqwest client, the response envelope, error
//! explanations, the call budget, retries, and one file per family of endpoints.
//!
//! [`Client`]'s methods are what the dashboard and the subcommands call. What the service
//! is (paths, codes, documented limits) comes from [`crate::vendor`].

pub mod budget;
pub mod client;
pub mod config;
pub mod conversations;
pub mod decode;
pub mod domains;
pub mod endpoint;
pub mod error;
pub mod group_index;
pub mod groups;
mod ids;
pub mod joined;
mod limits;
pub mod messages;
mod name_lookup;
pub mod names;
pub mod pager;
pub mod positions;
pub mod presence;
pub mod profiles;
mod quote;
pub mod receipts;
mod result;
mod transport;
pub mod types;
pub mod user;
mod user_fetch;
pub mod user_read;
pub mod wire;
pub mod writes;

use std::sync::Arc;

pub use budget::{DEFAULT_API_BUDGET_PER_SEC, DEFAULT_TOTAL_BUDGET_PER_SEC};
pub use client::{ClientTuning, DEFAULT_BUDGET_PER_SEC};
pub use config::{ClientConfig, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT};
pub use domains::STANDBY_STAY;
pub use error::{ApiError, Explanation};
pub use result::Result;
pub use types::*;
pub use user_fetch::UserOptions;

/// The API client. Cheap to clone (shared state behind an `Arc`); clones share one HTTP
/// connection pool, one call budget, one UserSig cache and one set of counters.
#[derive(Clone)]
pub struct Client {
    core: Arc<client::Core>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client> {
        Client::with_tuning(config, ClientTuning::default())
    }

    /// A client with non-default signing behaviour (UserSig validity, clock offset).
    pub fn with_tuning(config: ClientConfig, tuning: ClientTuning) -> Result<Client> {
        Ok(Client {
            core: Arc::new(client::Core::new(config, tuning)?),
        })
    }

    /// The configuration this client was built with (the key stays inside; `Debug` redacts it).
    pub fn config(&self) -> &ClientConfig {
        &self.core.config
    }

    /// Counters for the status line (and whether reads are on the standby domain).
    pub fn stats(&self) -> CallStats {
        self.core.stats()
    }

    /// `get_appid_group_list`: one page of group IDs (respects the 1 call/s floor).
    pub async fn group_id_page(
        &self,
        next: u64,
        limit: u32,
        group_type: Option<GroupType>,
    ) -> Result<GroupIdPage> {
        groups::id_page(&self.core, next, limit, group_type).await
    }

    /// `get_group_info` for any number of IDs (chunked by 50, concurrently within the budget),
    /// in the order asked. Unknown groups come back with their per-group `code`.
    pub async fn group_info(&self, ids: &[String]) -> Result<Vec<GroupInfo>> {
        groups::info(&self.core, ids).await
    }

    /// `get_group_member_info`: one page (Limit ≤ 200; Offset paging, or `next` for Community).
    pub async fn group_members(
        &self,
        group: &str,
        offset: u64,
        next: Option<&str>,
        limit: u32,
    ) -> Result<GroupMemberPage> {
        groups::members(&self.core, group, offset, next, limit).await
    }

    /// `get_specified_group_member_info` for ≤ 50 accounts.
    pub async fn group_members_by_id(
        &self,
        group: &str,
        accounts: &[String],
    ) -> Result<Vec<GroupMember>> {
        groups::members_by_id(&self.core, group, accounts).await
    }

    /// `get_specified_group_member_info` for any number of accounts: 50 a call, a few calls
    /// at once within the budget. Non-members are absent from the answer. Each member
    /// carries its name card, role, `MsgFlag` and join time.
    pub async fn group_members_by_ids(
        &self,
        group: &str,
        accounts: &[String],
    ) -> Result<Vec<GroupMember>> {
        groups::members_by_ids(&self.core, group, accounts).await
    }

    /// `portrait_get`: the nicknames of any number of accounts, 100 a call, a few calls at
    /// once within the budget; in the order asked, each account once, with its own code
    /// (40003: no such account).
    pub async fn profiles(&self, accounts: &[String]) -> Result<Vec<profiles::Profile>> {
        profiles::get(&self.core, accounts).await
    }

    /// `query_online_status`: the login state of any number of accounts, 500 a call, a few
    /// calls at once within the budget; `detail` asks for each device. Unknown accounts
    /// come back with code 70107.
    pub async fn online_status(
        &self,
        accounts: &[String],
        detail: bool,
    ) -> Result<Vec<presence::OnlineStatus>> {
        presence::get(&self.core, accounts, detail).await
    }

    /// Build the index of every group's name and type (see [`group_index`]): ID pages at
    /// the API's 1 call/s, names 50 groups a call; `now` (Unix seconds) is its build time.
    pub async fn build_group_index(
        &self,
        now: i64,
        progress: &mut (dyn FnMut(group_index::IndexProgress) + Send),
        cancel: Option<&tokio_util::sync::CancellationToken>,
    ) -> Result<group_index::GroupIndex> {
        let sdkappid = self.core.config.sdkappid;
        group_index::build(&self.core, sdkappid, now, progress, cancel).await
    }

    /// Run a [`names::NameBook`]'s request: member facts and nicknames at once.
    pub async fn lookup_names(&self, request: names::NameRequest) -> names::NameAnswer {
        name_lookup::lookup(&self.core, request).await
    }

    /// Look up every name of `accounts` the book does not know yet (in `group` when given:
    /// name cards, roles and mutes too), in bounded rounds with progress; `cancel` stops it.
    pub async fn fill_names(
        &self,
        book: &mut names::NameBook,
        group: Option<&str>,
        accounts: &[String],
        progress: &mut (dyn FnMut(names::Coverage) + Send),
        cancel: Option<&tokio_util::sync::CancellationToken>,
    ) -> Result<names::Coverage> {
        name_lookup::fill(&self.core, book, group, accounts, progress, cancel).await
    }

    /// `group_msg_get_simple`: up to `count` (≤ 20) messages with seq ≤ `before` (None = newest),
    /// newest first.
    pub async fn messages(
        &self,
        group: &str,
        before: Option<u64>,
        count: u32,
    ) -> Result<MessagePage> {
        messages::page(&self.core, group, before, count).await
    }

    /// `get_group_msg_receipt` for any number of seqs: batched, concurrent within the budget,
    /// returned in the order asked. A per-seq 10062 is "no receipt", not a failure.
    pub async fn receipt_counts(&self, group: &str, seqs: &[u64]) -> Result<Vec<ReceiptCount>> {
        receipts::counts(&self.core, group, seqs).await
    }

    /// Read positions for message `seq`: a full scan of the group's members
    /// (`get_group_member_info`; Offset pages a few at a time within the budget, Community
    /// `Next` pages in turn), split into read (`MsgSeq >= seq`) and unread, the sender on
    /// neither list. `message` is the message's time and sender, fetched with one
    /// `group_msg_get_simple` call when `None`. Meeting and AVChatRoom groups keep no unread
    /// counts: [`ApiError::NoPositions`].
    pub async fn read_positions(
        &self,
        group: &str,
        seq: u64,
        message: Option<positions::MessageRef>,
        progress: &mut (dyn FnMut(positions::ScanProgress) + Send),
        cancel: Option<&tokio_util::sync::CancellationToken>,
    ) -> Result<positions::Positions> {
        positions::scan(&self.core, group, seq, message, progress, cancel).await
    }

    /// Every member of a group with their read position: the full scan [`Client::read_positions`]
    /// makes, without splitting it by a message.
    pub async fn member_scan(
        &self,
        group: &str,
        progress: &mut (dyn FnMut(positions::ScanProgress) + Send),
        cancel: Option<&tokio_util::sync::CancellationToken>,
    ) -> Result<positions::MemberScan> {
        positions::scan_members(&self.core, group, progress, cancel).await
    }

    /// The time and sender of each of `seqs` found in the group's history
    /// (`group_msg_get_simple`, 20 messages a call).
    pub async fn message_refs(
        &self,
        group: &str,
        seqs: &[u64],
    ) -> Result<std::collections::HashMap<u64, positions::MessageRef>> {
        positions::message_refs(&self.core, group, seqs).await
    }

    /// `get_group_msg_receipt_detail`: one cursor page (`cursor` "" first; `count` ≤ 200).
    pub async fn receipt_page(
        &self,
        group: &str,
        seq: u64,
        filter: ReceiptFilter,
        cursor: &str,
        count: u32,
    ) -> Result<MemberPage> {
        receipts::page(&self.core, group, seq, filter, cursor, count).await
    }

    /// Every page of a receipt member list, in server order; `progress(loaded)` after each page.
    /// Bounded (see [`pager`]): stops with an error when the service's paging misbehaves.
    pub async fn receipt_members_all(
        &self,
        group: &str,
        seq: u64,
        filter: ReceiptFilter,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<Vec<String>> {
        Ok(self
            .receipt_members_drain(group, seq, filter, receipts::MEMBERS_PER_PAGE, progress)
            .await?
            .accounts)
    }

    /// The whole list in pages of `page_size`, also saying how many repeated accounts
    /// were dropped.
    pub async fn receipt_members_drain(
        &self,
        group: &str,
        seq: u64,
        filter: ReceiptFilter,
        page_size: u32,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<Drained> {
        receipts::all_members(&self.core, group, seq, filter, page_size, progress).await
    }

    /// `group_msg_receipt`: acknowledge ≤ 50 seqs as read for `member` (admin read receipt).
    pub async fn ack_receipts(&self, group: &str, member: &str, seqs: &[u64]) -> Result<()> {
        receipts::ack(&self.core, group, member, seqs).await
    }

    /// `send_group_msg` with a text body; returns the new MsgSeq.
    pub async fn send_text(
        &self,
        group: &str,
        from: &str,
        text: &str,
        need_read_receipt: bool,
    ) -> Result<u64> {
        messages::send_text(&self.core, group, from, text, need_read_receipt).await
    }

    /// `openim/get_c2c_unread_msg_num`.
    pub async fn c2c_unread(&self, to: &str, peers: &[String]) -> Result<C2cUnread> {
        writes::c2c_unread(&self.core, to, peers).await
    }

    /// `get_c2c_unread_msg_num` for any number of peers: 10 a call, a few calls at once
    /// within the budget; each peer once, in the order asked.
    pub async fn c2c_unread_counts(
        &self,
        to: &str,
        peers: &[String],
    ) -> Result<Vec<conversations::PeerUnread>> {
        conversations::c2c_unread_counts(&self.core, to, peers).await
    }

    /// `get_joined_group_list`: one page of `account`'s groups (`limit` ≤ 5,000 from
    /// `offset`), each with the account's own state and the group's `NextMsgSeq`.
    pub async fn joined_groups_page(
        &self,
        account: &str,
        offset: u64,
        limit: u32,
    ) -> Result<joined::JoinedPage> {
        joined::page(&self.core, account, offset, limit).await
    }

    /// Every group of `account`, `page_size` a call (the pages after the first a few at
    /// once), bounded by the `TotalCount` the first page reports and by the most groups an
    /// account can be in (5,000); `progress(loaded)` after each page.
    pub async fn joined_groups(
        &self,
        account: &str,
        page_size: u32,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<Vec<joined::JoinedGroup>> {
        joined::all(&self.core, account, page_size, progress).await
    }

    /// `recentcontact/get_list`: one page of `account`'s conversation list from `at`.
    pub async fn recent_contacts_page(
        &self,
        account: &str,
        at: conversations::ConversationCursor,
    ) -> Result<conversations::ConversationPage> {
        conversations::page(&self.core, account, at).await
    }

    /// Every conversation of `account` (1:1 and group), following the service's cursors
    /// page by page, bounded by the most a list keeps (500); `progress(loaded)` after each.
    pub async fn recent_contacts(
        &self,
        account: &str,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<Vec<conversations::Conversation>> {
        conversations::all(&self.core, account, progress).await
    }

    /// Look up one user (see [`user`]): profile, online status, groups with unread
    /// estimates, 1:1 conversations with unread counts. The first screen is in after two
    /// round trips (`UserUpdate::FirstScreen`); every update goes to `progress` as it
    /// arrives; `cancel` stops it.
    pub async fn user_report(
        &self,
        account: &str,
        options: UserOptions,
        progress: &mut (dyn FnMut(&user::UserUpdate) + Send),
        cancel: Option<&tokio_util::sync::CancellationToken>,
    ) -> Result<user::UserReport> {
        user_fetch::report(&self.core, account, options, progress, cancel).await
    }

    /// Whether `account` read message `seq` of `group`: by read receipt and by read
    /// position, in one round trip.
    pub async fn user_read_message(
        &self,
        account: &str,
        group: &str,
        seq: u64,
    ) -> Result<user_read::MessageRead> {
        user_read::check(&self.core, account, group, seq).await
    }

    /// Run one write, reading the before/after where the API allows. Never retried.
    /// Read-only gating and the audit log are the caller's (see `session`).
    pub async fn run_write(&self, action: &WriteAction) -> Result<WriteOutcome> {
        writes::run(&self.core, action).await
    }
}

#[cfg(test)]
mod send_tests {
    use std::time::Duration;

    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    /// Every call must be spawnable on tokio (the dashboard runs them in tasks).
    #[test]
    fn every_client_future_is_send() {
        let client = Client::new(ClientConfig {
            endpoint: "http://127.0.0.1:9".into(),
            sdkappid: 1,
            identifier: "admin".into(),
            secret_key: "k".into(),
            budget_per_sec: 20,
            timeout: Duration::from_secs(1),
            max_attempts: 1,
            ..ClientConfig::default()
        })
        .expect("client");
        let ids = vec!["@TGS#1".to_string()];
        let action = WriteAction::SetUnread {
            group: "@TGS#1".into(),
            member: "m".into(),
            unread: 1,
        };
        let mut progress = |_: usize| {};
        // Futures are built, never polled.
        assert_send(&client.group_id_page(0, 10, None));
        assert_send(&client.group_info(&ids));
        assert_send(&client.group_members(&ids[0], 0, None, 10));
        assert_send(&client.group_members_by_id(&ids[0], &ids));
        assert_send(&client.messages(&ids[0], None, 20));
        assert_send(&client.receipt_counts(&ids[0], &[1, 2]));
        assert_send(&client.receipt_page(&ids[0], 1, ReceiptFilter::Read, "", 200));
        assert_send(&client.receipt_members_all(&ids[0], 1, ReceiptFilter::Read, &mut progress));
        assert_send(&client.receipt_members_drain(
            &ids[0],
            1,
            ReceiptFilter::Read,
            5,
            &mut progress,
        ));
        assert_send(&client.ack_receipts(&ids[0], "m", &[1]));
        assert_send(&client.send_text(&ids[0], "m", "t", true));
        assert_send(&client.c2c_unread("m", &ids));
        assert_send(&client.run_write(&action));
        let mut scan_progress = |_: positions::ScanProgress| {};
        let token = tokio_util::sync::CancellationToken::new();
        assert_send(&client.read_positions(&ids[0], 1, None, &mut scan_progress, Some(&token)));
        assert_send(&client.profiles(&ids));
        assert_send(&client.online_status(&ids, true));
        assert_send(&client.group_members_by_ids(&ids[0], &ids));
        assert_send(&client.lookup_names(names::NameRequest::default()));
        let mut index_progress = |_: group_index::IndexProgress| {};
        assert_send(&client.build_group_index(0, &mut index_progress, Some(&token)));
        let mut book = names::NameBook::new();
        let mut coverage = |_: names::Coverage| {};
        assert_send(&client.fill_names(&mut book, None, &ids, &mut coverage, Some(&token)));
        let mut count = |_: usize| {};
        assert_send(&client.joined_groups(&ids[0], 50, &mut count));
        assert_send(&client.recent_contacts(&ids[0], &mut count));
        assert_send(&client.c2c_unread_counts("m", &ids));
        let mut update = |_: &user::UserUpdate| {};
        assert_send(&client.user_report("m", UserOptions::default(), &mut update, Some(&token)));
        assert_send(&client.user_read_message("m", &ids[0], 1));
    }
}
