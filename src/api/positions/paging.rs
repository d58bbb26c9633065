//! The page loops of a read-positions scan: the string `Next` one page after the other
//! (Community), and `Offset` pages a few at a time within the call budget (Work, Public).
//! Every page is checked by a [`PageGuard`]; accounts are de-duplicated across pages.

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::api::client::Core;
use crate::api::error::ApiError;
use crate::api::groups::{self, MEMBER_INFO, MEMBERS_PER_PAGE};
use crate::api::limits::CHUNK_CONCURRENCY;
use crate::api::pager::{self, PageGuard, PagingFault, limits};
use crate::api::result::Result;
use crate::api::types::{GroupMember, GroupMemberPage};

/// What a scan reports after each page: distinct members loaded, and the group's latest
/// `MemberNum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanProgress {
    pub loaded: u64,
    pub member_num: u64,
}

/// What a scan saw besides the members: `MemberNum` on its first and last page, accounts
/// sent more than once, pages fetched.
pub(super) struct Scanned {
    pub first: u64,
    pub last: u64,
    pub duplicates: u64,
    pub pages: u64,
}

fn guard_for(community: bool) -> PageGuard<String> {
    if community {
        PageGuard::new(
            limits::COMMUNITY_MEMBERS_MAX,
            "the most members a Community can have",
        )
    } else {
        PageGuard::new(
            limits::GROUP_MEMBERS_MAX,
            "the most members a Work, Public or Meeting group can have",
        )
    }
}

fn key(m: &GroupMember) -> String {
    m.account.clone()
}

fn fault(f: PagingFault) -> ApiError {
    pager::fault_error(MEMBER_INFO.api, f)
}

/// After each page: stop when the scan was cancelled (by the progress callback itself, or
/// from outside). The `select!` around a scan also drops calls in flight, but it may not be
/// polled before the next page arrives; this makes "no page after the cancel" exact.
fn check_cancel(cancel: Option<&CancellationToken>) -> Result<()> {
    match cancel {
        Some(token) if token.is_cancelled() => Err(ApiError::Cancelled),
        _ => Ok(()),
    }
}

/// Community: follow the string `Next` ("" = end), one page after the other.
pub(super) async fn scan_by_next(
    core: &Core,
    group: &str,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<(Vec<GroupMember>, Scanned)> {
    let mut guard = guard_for(true);
    let mut members = Vec::new();
    let mut next = String::new();
    let mut first = None;
    let mut last;
    let mut reserved = false;
    // The guard ends the loop (each unfinished page adds a member, members are capped);
    // the count is a second wall.
    for _ in 0..=limits::COMMUNITY_MEMBERS_MAX + 1 {
        let page = groups::members(core, group, 0, Some(&next), MEMBERS_PER_PAGE).await?;
        first.get_or_insert(page.member_num);
        last = page.member_num;
        if !reserved {
            // Room for the whole group at once (within what a Community can hold), rather
            // than doubling as pages come.
            let room = page.member_num.min(limits::COMMUNITY_MEMBERS_MAX);
            members.reserve(usize::try_from(room).unwrap_or(0));
            reserved = true;
        }
        guard.reported(page.member_num, "MemberNum of the group");
        let cursor = page.next.clone().unwrap_or_default();
        let more = (!cursor.is_empty()).then_some(cursor.as_str());
        let fresh = guard
            .accept(MEMBERS_PER_PAGE as usize, page.members, key, more)
            .map_err(fault)?;
        members.extend(fresh);
        progress(ScanProgress {
            loaded: guard.loaded(),
            member_num: last,
        });
        check_cancel(cancel)?;
        if cursor.is_empty() {
            return Ok((
                members,
                Scanned {
                    first: first.unwrap_or(last),
                    last,
                    duplicates: guard.duplicates(),
                    pages: guard.pages(),
                },
            ));
        }
        next = cursor;
    }
    Err(fault(PagingFault::TooLong {
        limit: guard.limit(),
        why: "pages kept coming".into(),
    }))
}

/// Work, Public (and unknown types): Offset pages, [`CHUNK_CONCURRENCY`] at a time, in
/// order. The pages are planned from `member_num`, the group's `MemberNum` from
/// `get_group_info`, so the first page goes out with the others (a 6,000-member group is
/// 30 pages in 8 rounds); when the first page says the group holds more, the rest are
/// planned from it the same way. A short page ends the list; a full last page when the
/// group grew during the scan is followed by more, one at a time.
pub(super) async fn scan_by_offset(
    core: &Core,
    group: &str,
    member_num: u64,
    progress: &mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<(Vec<GroupMember>, Scanned)> {
    let limit = u64::from(MEMBERS_PER_PAGE);
    let mut guard = guard_for(false);
    let mut members = Vec::new();
    let mut first = None;
    let mut last = member_num;
    let mut state = OffsetState {
        guard: &mut guard,
        members: &mut members,
        last: &mut last,
        progress,
        cancel,
        planned_end: member_num.clamp(1, limits::GROUP_MEMBERS_MAX),
    };
    let mut done = false;
    let mut offset = 0;
    // Two planned rounds at most: from get_group_info, then from what the pages report.
    for _ in 0..2 {
        let offsets: Vec<u64> = (0..)
            .map(|i| offset + i * limit)
            .take_while(|o| *o < state.planned_end)
            .collect();
        if done || offsets.is_empty() {
            break;
        }
        state
            .members
            .reserve(offsets.len() * MEMBERS_PER_PAGE as usize);
        let calls: Vec<_> = offsets
            .iter()
            .map(|o| groups::members(core, group, *o, None, MEMBERS_PER_PAGE))
            .collect();
        let mut pages = futures::stream::iter(calls).buffered(CHUNK_CONCURRENCY);
        for o in &offsets {
            let Some(page) = pages.next().await else {
                break;
            };
            let page = page?;
            first.get_or_insert(page.member_num);
            done = state.take(*o, page)?;
            offset = o + limit;
            if done {
                break;
            }
        }
        state.planned_end = (*state.last).min(limits::GROUP_MEMBERS_MAX);
    }
    // The group grew while the scan ran (or the service says it holds more than a group
    // can): go on one page at a time; the guard stops the scan past the maximum.
    while !done && offset < *state.last {
        let page = groups::members(core, group, offset, None, MEMBERS_PER_PAGE).await?;
        state.planned_end = (*state.last).min(limits::GROUP_MEMBERS_MAX);
        done = state.take(offset, page)?;
        offset += limit;
    }
    Ok((
        members,
        Scanned {
            first: first.unwrap_or(last),
            last,
            duplicates: guard.duplicates(),
            pages: guard.pages(),
        },
    ))
}

struct OffsetState<'a> {
    guard: &'a mut PageGuard<String>,
    members: &'a mut Vec<GroupMember>,
    last: &'a mut u64,
    progress: &'a mut (dyn FnMut(ScanProgress) + Send),
    cancel: Option<&'a CancellationToken>,
    planned_end: u64,
}

impl OffsetState<'_> {
    /// Check and keep one page at `offset`; true when it ends the list.
    fn take(&mut self, offset: u64, page: GroupMemberPage) -> Result<bool> {
        let limit = u64::from(MEMBERS_PER_PAGE);
        *self.last = page.member_num;
        self.guard.reported(
            page.member_num.max(self.planned_end),
            "MemberNum of the group",
        );
        let end = (page.members.len() as u64) < limit
            || offset + limit >= page.member_num.max(self.planned_end);
        let cursor = (offset + limit).to_string();
        let fresh = self
            .guard
            .accept(
                MEMBERS_PER_PAGE as usize,
                page.members,
                key,
                (!end).then_some(cursor.as_str()),
            )
            .map_err(fault)?;
        self.members.extend(fresh);
        (self.progress)(ScanProgress {
            loaded: self.guard.loaded(),
            member_num: *self.last,
        });
        check_cancel(self.cancel)?;
        Ok(end)
    }
}
