//! Online status: `query_online_status` (`v4/openim/query_online_status`), the login state of
//! any number of accounts, 500 a call, a few calls at once within the budget. An unknown
//! account comes back in `ErrorList` with 70107: an answer for that account, not a failure.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::client::Core;
use super::limits::{in_batches, unique};
use super::result::Result;
use super::types::OnlineState;
use super::wire;
use crate::vendor::codes::ACCOUNT_NOT_FOUND;
use crate::vendor::limits;

pub use crate::vendor::endpoints::ONLINE_STATUS;

/// Accounts per `query_online_status` call (the documented maximum).
pub const ACCOUNTS_PER_CALL: usize = limits::ACCOUNTS_PER_STATUS_CALL;

/// One device an account is logged in on (`Detail`, when asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformState {
    pub platform: String,
    /// None for a state we do not know.
    pub state: Option<OnlineState>,
}

/// One account's login state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnlineStatus {
    pub account: String,
    /// `Status`; None when the account was not answered (`code` says why) or the state is
    /// one we do not know.
    pub state: Option<OnlineState>,
    /// Per device, when `detail` was asked for.
    pub platforms: Vec<PlatformState>,
    /// 0 when answered; the `ErrorList` code otherwise (70107: no such account).
    pub code: i64,
}

#[derive(Debug, Deserialize)]
struct StatusListWire {
    #[serde(rename = "QueryResult", default, deserialize_with = "wire::list")]
    results: Vec<StatusWire>,
    #[serde(rename = "ErrorList", default, deserialize_with = "wire::list")]
    errors: Vec<ErrorWire>,
}

#[derive(Debug, Deserialize)]
struct StatusWire {
    #[serde(rename = "To_Account", default, deserialize_with = "wire::string")]
    account: String,
    /// Some of the vendor's English samples spell it `State`.
    #[serde(
        rename = "Status",
        alias = "State",
        default,
        deserialize_with = "wire::string"
    )]
    status: String,
    #[serde(rename = "Detail", default, deserialize_with = "wire::list")]
    detail: Vec<DetailWire>,
}

#[derive(Debug, Deserialize)]
struct DetailWire {
    #[serde(rename = "Platform", default, deserialize_with = "wire::string")]
    platform: String,
    #[serde(rename = "Status", default, deserialize_with = "wire::string")]
    status: String,
}

#[derive(Debug, Deserialize)]
struct ErrorWire {
    #[serde(rename = "To_Account", default, deserialize_with = "wire::string")]
    account: String,
    #[serde(rename = "ErrorCode", default, deserialize_with = "wire::i64")]
    code: i64,
}

/// The login state of `accounts`, in the order asked, each account once; `detail` asks for
/// the devices (`IsNeedDetail`).
pub async fn get(core: &Core, accounts: &[String], detail: bool) -> Result<Vec<OnlineStatus>> {
    let unique = unique(accounts);
    let answers = in_batches(&unique, ACCOUNTS_PER_CALL, |chunk| {
        get_chunk(core, chunk, detail)
    })
    .await?;
    Ok(answers.into_iter().flatten().collect())
}

async fn get_chunk(core: &Core, accounts: &[String], detail: bool) -> Result<Vec<OnlineStatus>> {
    let body = json!({ "To_Account": accounts, "IsNeedDetail": u8::from(detail) });
    let wire: StatusListWire = core.call(ONLINE_STATUS, &body).await?;
    Ok(in_order(wire, accounts))
}

/// The answer for `asked`, in the order asked; an account in neither list gets 70107.
fn in_order(wire: StatusListWire, asked: &[String]) -> Vec<OnlineStatus> {
    let mut found: HashMap<String, OnlineStatus> = HashMap::with_capacity(wire.results.len());
    for r in wire.results {
        found.entry(r.account.clone()).or_insert(OnlineStatus {
            state: r.status.parse().ok(),
            platforms: r
                .detail
                .into_iter()
                .map(|d| PlatformState {
                    platform: d.platform,
                    state: d.status.parse().ok(),
                })
                .collect(),
            account: r.account,
            code: 0,
        });
    }
    for e in wire.errors {
        found.entry(e.account.clone()).or_insert(OnlineStatus {
            account: e.account,
            code: if e.code == 0 {
                ACCOUNT_NOT_FOUND
            } else {
                e.code
            },
            ..OnlineStatus::default()
        });
    }
    asked
        .iter()
        .map(|a| {
            found.remove(a).unwrap_or_else(|| OnlineStatus {
                account: a.clone(),
                code: ACCOUNT_NOT_FOUND,
                ..OnlineStatus::default()
            })
        })
        .collect()
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn online_status(body: &[u8], asked: &[String]) -> Result<Vec<OnlineStatus>> {
        wire::decode_response(ONLINE_STATUS.api, body).map(|w| in_order(w, asked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_the_state_and_the_error_list() {
        let asked: Vec<String> = ["id1", "id2", "id3", "id4"].map(String::from).to_vec();
        // The English sample's `State` and the Chinese sample's `Status`.
        let s = decode::online_status(
            br#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"QueryResult":[
                {"To_Account":"id1","State":"Offline"},
                {"To_Account":"id2","Status":"Online","Detail":[{"Platform":"iPhone","Status":"PushOnline"},{"Platform":"Web","Status":"Online"}]},
                {"To_Account":"id3","Status":"Sleeping"}],
                "ErrorList":[{"To_Account":"id4","ErrorCode":70107}]}"#,
            &asked,
        )
        .unwrap();
        assert_eq!(s[0].state, Some(OnlineState::Offline));
        assert_eq!(s[1].state, Some(OnlineState::Online));
        assert_eq!(s[1].platforms[0].platform, "iPhone");
        assert_eq!(s[1].platforms[0].state, Some(OnlineState::PushOnline));
        assert_eq!((s[2].state, s[2].code), (None, 0));
        assert_eq!((s[3].state, s[3].code), (None, 70107));
    }
}
