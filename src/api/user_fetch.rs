//! The calls behind a [`UserReport`], in the order that puts the first screen up in two
//! round trips:
//!
//! 1. at once: `portrait_get` (nickname), `query_online_status` (with devices), the first
//!    page of `get_joined_group_list` (with `NextMsgSeq` and the user's `SelfInfo`: each
//!    group's unread estimate comes with it), the first page of `recentcontact/get_list`
//!    and `get_c2c_unread_msg_num` for the total;
//! 2. at once: `get_c2c_unread_msg_num` for the first page's first peers (10 a call), and
//!    `get_group_info` (50 groups a call) for any group whose entry lacked `NextMsgSeq`.
//!
//! Then, the first screen being up, the rest fills in as it arrives: the other pages of
//! groups (a few at once), the other pages of conversations (one after the other, by the
//! service's cursors) with their peers' unread counts. No call is repeated: each group
//! offset, cursor and peer is asked once.

use std::collections::HashSet;

use futures::StreamExt;
use futures::channel::mpsc;
use tokio_util::sync::CancellationToken;

use super::client::Core;
use super::conversations::{self, ConversationCursor, ConversationPager};
use super::error::ApiError;
use super::joined::{self, JoinedGroup};
use super::result::Result;
use super::types::GroupType;
use super::user::{
    C2cConversation, NO_NICKNAME_SEARCH, UserGroup, UserReport, UserUpdate, c2c_rows,
};
use super::{groups, presence, profiles, writes};
use crate::vendor::codes::{GROUP_ACCOUNT_NOT_FOUND, PROFILE_ACCOUNT_NOT_FOUND};
use crate::vendor::limits::{JOINED_GROUPS_LIMIT_MAX, PEERS_PER_C2C_UNREAD_CALL};

/// How much a report asks for at each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserOptions {
    /// Groups on the first page (the first screen's).
    pub first_groups: u32,
    /// Groups per later page.
    pub group_page: u32,
    /// Peers whose 1:1 unread counts the first screen shows (the rest follow).
    pub first_peers: usize,
}

impl Default for UserOptions {
    fn default() -> Self {
        UserOptions {
            first_groups: 50,
            group_page: 200,
            first_peers: PEERS_PER_C2C_UNREAD_CALL * super::limits::CHUNK_CONCURRENCY,
        }
    }
}

/// A lookup's failure as one line for the report.
fn problem(what: &str, e: &ApiError) -> UserUpdate {
    UserUpdate::Problem(format!("{what}: {}", e.one_line()))
}

/// The error for an account the service does not know.
fn no_such_account(account: &str) -> ApiError {
    ApiError::Service {
        api: profiles::PORTRAIT_GET.api,
        code: PROFILE_ACCOUNT_NOT_FOUND,
        info: format!("account {account:?} does not exist ({NO_NICKNAME_SEARCH})"),
    }
}

/// Apply an update and pass it on.
fn emit(report: &mut UserReport, progress: &mut (dyn FnMut(&UserUpdate) + Send), u: UserUpdate) {
    progress(&u);
    report.apply(u);
}

/// The groups (of `list`) whose unread estimate needs `get_group_info`: their entry lacked
/// `NextMsgSeq`, and their type keeps unread counts (or is not known).
fn lacking_seqs(list: &[UserGroup]) -> Vec<String> {
    list.iter()
        .filter(|g| g.next_msg_seq.is_none())
        .filter(|g| !g.group_type.is_some_and(GroupType::ignores_unread_count))
        .map(|g| g.group_id.clone())
        .collect()
}

/// `get_group_info` for `ids` (50 a call): the seqs as an update.
async fn group_seqs(core: &Core, ids: &[String]) -> Option<UserUpdate> {
    if ids.is_empty() {
        return None;
    }
    Some(match groups::info(core, ids).await {
        Ok(infos) => UserUpdate::GroupSeqs(
            infos
                .into_iter()
                .filter(|i| i.code == 0)
                .map(|i| (i.id, i.group_type, i.next_msg_seq))
                .collect(),
        ),
        Err(e) => problem("group unread counts", &e),
    })
}

/// Unread counts for `peers` not asked before (recorded in `asked`).
async fn peer_counts(
    core: &Core,
    account: &str,
    peers: Vec<String>,
    asked: &mut HashSet<String>,
) -> Option<UserUpdate> {
    let fresh: Vec<String> = peers
        .into_iter()
        .filter(|p| asked.insert(p.clone()))
        .collect();
    if fresh.is_empty() {
        return None;
    }
    Some(
        match conversations::c2c_unread_counts(core, account, &fresh).await {
            Ok(counts) => UserUpdate::C2cUnread(counts),
            Err(e) => problem("1:1 unread counts", &e),
        },
    )
}

/// Build the report of `account`, passing every update to `progress` as it happens;
/// `cancel` stops it ([`ApiError::Cancelled`]).
pub async fn report(
    core: &Core,
    account: &str,
    opts: UserOptions,
    progress: &mut (dyn FnMut(&UserUpdate) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<UserReport> {
    let work = assemble(core, account, opts, progress);
    match cancel {
        Some(token) => tokio::select! {
            () = token.cancelled() => Err(ApiError::Cancelled),
            r = work => r,
        },
        None => work.await,
    }
}

async fn assemble(
    core: &Core,
    account: &str,
    opts: UserOptions,
    progress: &mut (dyn FnMut(&UserUpdate) + Send),
) -> Result<UserReport> {
    let account = account.trim();
    if account.is_empty() {
        return Err(ApiError::Invalid(format!(
            "the account ID is empty ({NO_NICKNAME_SEARCH})"
        )));
    }
    let first_groups = opts.first_groups.clamp(1, JOINED_GROUPS_LIMIT_MAX);
    let mut report = UserReport::new(account);
    let me = vec![account.to_string()];

    // Round 1: everything that does not depend on another answer.
    let (profile, online, first, convs, total) = futures::join!(
        profiles::get(core, &me),
        presence::get(core, &me, true),
        joined::page(core, account, 0, first_groups),
        conversations::page(core, account, ConversationCursor::FIRST),
        writes::c2c_unread(core, account, &[]),
    );
    let unknown = matches!(&profile, Ok(p) if p.first().is_some_and(|p| p.code == PROFILE_ACCOUNT_NOT_FOUND))
        || matches!(&first, Err(e) if e.code() == Some(GROUP_ACCOUNT_NOT_FOUND));
    if unknown {
        return Err(no_such_account(account));
    }
    let first = first?;
    match profile {
        Ok(p) => {
            let nick = p.into_iter().next().map(|p| p.nick).unwrap_or_default();
            emit(&mut report, progress, UserUpdate::Nick(nick));
        }
        Err(e) => emit(&mut report, progress, problem("nickname", &e)),
    }
    match online.map(|s| s.into_iter().next()) {
        Ok(Some(s)) => emit(&mut report, progress, UserUpdate::Online(s)),
        Ok(None) => {}
        Err(e) => emit(&mut report, progress, problem("online status", &e)),
    }
    let mut group_guard = joined::guard(first.total);
    let first_list: Vec<UserGroup> = joined::accept(&mut group_guard, first_groups, first.groups)?
        .into_iter()
        .map(UserGroup::from)
        .collect();
    let lacking = lacking_seqs(&first_list);
    emit(
        &mut report,
        progress,
        UserUpdate::Groups {
            total: first.total,
            groups: first_list,
        },
    );
    let mut pager = ConversationPager::new(account);
    let mut rows: Vec<C2cConversation> = Vec::new();
    // A list whose first page failed is not paged further (that call is not repeated).
    let mut listing = true;
    match convs.and_then(|p| pager.accept(p)) {
        Ok(list) => {
            rows = c2c_rows(list);
            emit(
                &mut report,
                progress,
                UserUpdate::Conversations(rows.clone()),
            );
            if pager.done() {
                emit(&mut report, progress, UserUpdate::ConversationsComplete);
            }
        }
        Err(e) => {
            listing = false;
            emit(&mut report, progress, problem("1:1 conversations", &e));
        }
    }
    match total {
        Ok(t) => emit(&mut report, progress, UserUpdate::C2cTotal(t.total)),
        Err(e) => emit(&mut report, progress, problem("1:1 unread total", &e)),
    }

    // Round 2: the first screen's unread counts.
    let mut asked: HashSet<String> = HashSet::new();
    let peers: Vec<String> = rows.iter().map(|r| r.peer.clone()).collect();
    let split = opts.first_peers.min(peers.len());
    let (now_peers, later_peers) = peers.split_at(split);
    let (counts, seqs) = futures::join!(
        peer_counts(core, account, now_peers.to_vec(), &mut asked),
        group_seqs(core, &lacking),
    );
    for u in [counts, seqs].into_iter().flatten() {
        emit(&mut report, progress, u);
    }
    emit(&mut report, progress, UserUpdate::FirstScreen);

    // The rest, as it arrives: groups and conversations side by side.
    let (tx, mut rx) = mpsc::unbounded::<UserUpdate>();
    let groups_tx = tx.clone();
    let group_page = opts.group_page.clamp(1, JOINED_GROUPS_LIMIT_MAX);
    let more_groups = async move {
        let mut lacking: Vec<String> = Vec::new();
        let total = first.total;
        let mut send = |fresh: Vec<JoinedGroup>| {
            let list: Vec<UserGroup> = fresh.into_iter().map(UserGroup::from).collect();
            lacking.extend(lacking_seqs(&list));
            let _ = groups_tx.unbounded_send(UserUpdate::Groups {
                total,
                groups: list,
            });
        };
        let rest = joined::rest(
            core,
            account,
            u64::from(first_groups),
            group_page,
            &mut group_guard,
            &mut send,
        )
        .await;
        if let Some(u) = group_seqs(core, &lacking).await {
            let _ = groups_tx.unbounded_send(u);
        }
        let _ = groups_tx.unbounded_send(match rest {
            Ok(()) => UserUpdate::GroupsComplete,
            Err(e) => problem("groups", &e),
        });
    };
    let later_peers = later_peers.to_vec();
    let more_conversations = async move {
        if let Some(u) = peer_counts(core, account, later_peers, &mut asked).await {
            let _ = tx.unbounded_send(u);
        }
        while listing && !pager.done() {
            match pager.next_page(core).await {
                Ok(Some(list)) => {
                    let rows = c2c_rows(list);
                    let peers = rows.iter().map(|r| r.peer.clone()).collect();
                    let _ = tx.unbounded_send(UserUpdate::Conversations(rows));
                    if let Some(u) = peer_counts(core, account, peers, &mut asked).await {
                        let _ = tx.unbounded_send(u);
                    }
                    if pager.done() {
                        let _ = tx.unbounded_send(UserUpdate::ConversationsComplete);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.unbounded_send(problem("1:1 conversations", &e));
                    break;
                }
            }
        }
    };
    let drain = async {
        while let Some(u) = rx.next().await {
            emit(&mut report, progress, u);
        }
    };
    futures::join!(more_groups, more_conversations, drain);
    emit(&mut report, progress, UserUpdate::Done);
    Ok(report)
}
