//! Running a [`NameBook`]'s lookups: one request's member facts and nicknames at the same
//! time (one round trip when each part fits in a call), and a whole list's names in bounded
//! rounds with progress and cancellation.

use tokio_util::sync::CancellationToken;

use super::client::Core;
use super::error::ApiError;
use super::groups;
use super::names::{Coverage, NameAnswer, NameBook, NameRequest};
use super::profiles;
use super::result::Result;

/// Accounts planned per round of [`fill`]: 20 name-card calls and 10 nickname calls, which
/// run a few at a time within the budget.
pub const FILL_ROUND: usize = 1_000;

/// Look up what `request` asks for, both parts at once.
pub async fn lookup(core: &Core, request: NameRequest) -> NameAnswer {
    let cards = async {
        match &request.group {
            Some(g) if !request.cards.is_empty() => {
                Some(groups::members_by_ids(core, g, &request.cards).await)
            }
            _ => None,
        }
    };
    let nicks = async {
        if request.nicks.is_empty() {
            None
        } else {
            Some(profiles::get(core, &request.nicks).await)
        }
    };
    let (members, profiles) = futures::join!(cards, nicks);
    NameAnswer {
        request,
        members,
        profiles,
    }
}

/// Look up the names of every account of `accounts` not yet known, [`FILL_ROUND`] accounts
/// a round (each round's calls run a few at a time within the budget), `progress` after each
/// round. At most `ceil(len / FILL_ROUND) + 1` rounds. `cancel` stops it between calls
/// ([`ApiError::Cancelled`]); what was answered before stays in the book.
pub async fn fill(
    core: &Core,
    book: &mut NameBook,
    group: Option<&str>,
    accounts: &[String],
    progress: &mut (dyn FnMut(Coverage) + Send),
    cancel: Option<&CancellationToken>,
) -> Result<Coverage> {
    let rounds = accounts.len().div_ceil(FILL_ROUND) + 1;
    let mut start = 0;
    for _ in 0..rounds {
        if start >= accounts.len() {
            break;
        }
        if let Some(request) = book.plan(group, accounts, start, FILL_ROUND) {
            let kept = request.clone();
            let answer = match cancel {
                Some(token) => tokio::select! {
                    biased;
                    _ = token.cancelled() => None,
                    a = lookup(core, request) => Some(a),
                },
                None => Some(lookup(core, request).await),
            };
            match answer {
                Some(a) => book.absorb(a)?,
                None => {
                    book.abandon(&kept);
                    return Err(ApiError::Cancelled);
                }
            }
        }
        start += FILL_ROUND;
        progress(book.coverage(group, accounts));
    }
    Ok(book.coverage(group, accounts))
}
