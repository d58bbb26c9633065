//! Profiles: `portrait_get` (`v4/profile/portrait_get`), the nickname
//! (`Tag_Profile_IM_Nick`) of any number of accounts, 100 a call, a few calls at once
//! within the budget. Each account keeps its own `ResultCode`: an unknown account is an
//! answer (code 40003), not a failure of the whole lookup.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::client::Core;
use super::limits::{in_batches, unique};
use super::result::Result;
use super::wire;
use crate::vendor::codes::PROFILE_ACCOUNT_NOT_FOUND;
use crate::vendor::limits;

pub use crate::vendor::endpoints::PORTRAIT_GET;

/// Accounts per `portrait_get` call (the documented maximum).
pub const ACCOUNTS_PER_CALL: usize = limits::ACCOUNTS_PER_PROFILE_CALL;
/// The nickname's profile tag.
pub const NICK_TAG: &str = "Tag_Profile_IM_Nick";

/// One account's profile, as far as tim-receipts reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub account: String,
    /// `Tag_Profile_IM_Nick` ("" when the account has none, or was not answered).
    pub nick: String,
    /// The account's `ResultCode`: 0 when answered, 40003 when it does not exist.
    pub code: i64,
    /// The account's `ResultInfo` (or why it has no answer).
    pub info: String,
}

#[derive(Debug, Deserialize)]
struct PortraitWire {
    #[serde(rename = "UserProfileItem", default, deserialize_with = "wire::list")]
    items: Vec<ItemWire>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "wire::list")]
    failed: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct ItemWire {
    #[serde(rename = "To_Account", default, deserialize_with = "wire::string")]
    account: String,
    #[serde(rename = "ProfileItem", default, deserialize_with = "wire::list")]
    fields: Vec<FieldWire>,
    #[serde(rename = "ResultCode", default, deserialize_with = "wire::i64")]
    code: i64,
    #[serde(rename = "ResultInfo", default, deserialize_with = "wire::string")]
    info: String,
}

#[derive(Debug, Deserialize)]
struct FieldWire {
    #[serde(rename = "Tag", default, deserialize_with = "wire::string")]
    tag: String,
    #[serde(rename = "Value", default)]
    value: Value,
}

/// The nicknames of `accounts`, in the order asked, each account once.
pub async fn get(core: &Core, accounts: &[String]) -> Result<Vec<Profile>> {
    let unique = unique(accounts);
    let answers = in_batches(&unique, ACCOUNTS_PER_CALL, |chunk| get_chunk(core, chunk)).await?;
    Ok(answers.into_iter().flatten().collect())
}

async fn get_chunk(core: &Core, accounts: &[String]) -> Result<Vec<Profile>> {
    let body = json!({ "To_Account": accounts, "TagList": [NICK_TAG] });
    let wire: PortraitWire = core.call(PORTRAIT_GET, &body).await?;
    Ok(in_order(wire, accounts))
}

/// A field's value as text: strings as they are, numbers written out, anything else "".
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The answer for `asked`, in the order asked; an account the service left out (or listed
/// only in `Fail_Account`) gets code 40003. Items for accounts not asked are ignored.
fn in_order(wire: PortraitWire, asked: &[String]) -> Vec<Profile> {
    let mut found: HashMap<String, Profile> = HashMap::with_capacity(wire.items.len());
    for item in wire.items {
        let nick = item
            .fields
            .iter()
            .find(|f| f.tag == NICK_TAG)
            .map(|f| text_of(&f.value))
            .unwrap_or_default();
        found.entry(item.account.clone()).or_insert(Profile {
            account: item.account,
            nick,
            code: item.code,
            info: item.info,
        });
    }
    let failed: HashSet<String> = wire
        .failed
        .iter()
        .filter_map(|v| wire::account_of(v, &["To_Account", "UserID"]))
        .collect();
    asked
        .iter()
        .map(|a| match found.remove(a) {
            Some(p) => p,
            None => Profile {
                account: a.clone(),
                nick: String::new(),
                code: PROFILE_ACCOUNT_NOT_FOUND,
                info: if failed.contains(a) {
                    "listed in Fail_Account".into()
                } else {
                    "not in the service's answer".into()
                },
            },
        })
        .collect()
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn profiles(body: &[u8], asked: &[String]) -> Result<Vec<Profile>> {
        wire::decode_response(PORTRAIT_GET.api, body).map(|w| in_order(w, asked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_vendor_sample_and_per_account_codes() {
        let p = decode::profiles(
            br#"{"UserProfileItem":[{"To_Account":"id1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"NickNameTest1"}],"ResultCode":0,"ResultInfo":""},
                 {"To_Account":"ghost","ProfileItem":[],"ResultCode":40003,"ResultInfo":"no such account"}],
                 "Fail_Account":["ghost"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#,
            &asked(&["ghost", "id1", "left.out"]),
        )
        .unwrap();
        assert_eq!(p[0].code, 40003);
        assert_eq!((p[1].nick.as_str(), p[1].code), ("NickNameTest1", 0));
        assert_eq!(p[2].code, 40003);
        assert_eq!(p[2].info, "not in the service's answer");
    }

    #[test]
    fn odd_values_and_extra_items_are_tolerated() {
        let p = decode::profiles(
            br#"{"ErrorCode":0,"UserProfileItem":[{"To_Account":"a","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":42}]},
                 {"To_Account":"zzz","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"not asked"}]},
                 {"To_Account":"b","ProfileItem":null}]}"#,
            &asked(&["a", "b"]),
        )
        .unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].nick, "42");
        assert_eq!((p[1].nick.as_str(), p[1].code), ("", 0));
    }
}
