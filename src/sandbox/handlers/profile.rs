//! The profile service: portrait_get (nicknames and other standard profile fields).
//!
//! Documented: at most 100 accounts a call, `TagList` names the fields, one
//! `UserProfileItem` per account with its own `ResultCode`, `Fail_Account` listing the
//! accounts that failed (only when some did). Ours where the pages are silent: more than
//! 100 accounts is refused whole with 40001 (invalid parameter); an unknown account gets
//! `ResultCode` 40003 ("account does not exist") in its item and is listed in
//! `Fail_Account`, while the others are answered; a tag that is neither a standard field
//! nor known gets 40009 for the whole call.

use serde_json::{Value, json};

use super::{Reply, obj};
use crate::sandbox::fields::{ApiErr, Body};
use crate::sandbox::world::World;
use crate::vendor::codes::{
    PROFILE_ACCOUNT_MISSING, PROFILE_ACCOUNT_NOT_FOUND, PROFILE_INVALID, PROFILE_TAG_NOT_FOUND,
};
use crate::vendor::limits::ACCOUNTS_PER_PROFILE_CALL;

/// The nickname tag.
pub(crate) const NICK_TAG: &str = "Tag_Profile_IM_Nick";

/// The standard fields the sandbox answers, with the value every account has (the
/// nickname comes from the world).
const STANDARD: [(&str, &str); 7] = [
    (NICK_TAG, ""),
    ("Tag_Profile_IM_Gender", "Gender_Type_Unknown"),
    ("Tag_Profile_IM_Image", ""),
    ("Tag_Profile_IM_SelfSignature", ""),
    ("Tag_Profile_IM_AllowType", "AllowType_Type_NeedConfirm"),
    ("Tag_Profile_IM_Location", ""),
    ("Tag_Profile_IM_Language", "0"),
];

pub(crate) fn portrait_get(w: &mut World, body: &Body) -> Reply {
    let accounts = body.opt_str_list("To_Account")?.unwrap_or_default();
    if accounts.is_empty() {
        return Err(ApiErr::new(
            PROFILE_ACCOUNT_MISSING,
            "To_Account is required: name the accounts to pull profiles of",
        ));
    }
    if accounts.len() > ACCOUNTS_PER_PROFILE_CALL {
        return Err(ApiErr::new(
            PROFILE_INVALID,
            format!(
                "To_Account holds {} accounts; pull at most {ACCOUNTS_PER_PROFILE_CALL} per call",
                accounts.len()
            ),
        ));
    }
    let tags = body.opt_str_list("TagList")?.unwrap_or_default();
    if tags.is_empty() {
        return Err(ApiErr::new(PROFILE_INVALID, "TagList is required"));
    }
    if let Some(t) = tags.iter().find(|t| !STANDARD.iter().any(|(s, _)| s == t)) {
        return Err(ApiErr::new(
            PROFILE_TAG_NOT_FOUND,
            format!("profile tag {t:?} does not exist"),
        ));
    }
    let mut items = Vec::with_capacity(accounts.len());
    let mut failed = Vec::new();
    for account in &accounts {
        let Some(a) = w.account(account) else {
            items.push(json!({
                "To_Account": account,
                "ProfileItem": [],
                "ResultCode": PROFILE_ACCOUNT_NOT_FOUND,
                "ResultInfo": format!("account {account:?} does not exist"),
            }));
            failed.push(Value::String(account.clone()));
            continue;
        };
        let fields: Vec<Value> = tags
            .iter()
            .map(|t| {
                let value = if t == NICK_TAG {
                    w.nick_of(a).into_owned()
                } else {
                    STANDARD
                        .iter()
                        .find(|(s, _)| s == t)
                        .map_or("", |(_, v)| v)
                        .to_string()
                };
                json!({"Tag": t, "Value": value})
            })
            .collect();
        items.push(json!({
            "To_Account": account,
            "ProfileItem": fields,
            "ResultCode": 0,
            "ResultInfo": "",
        }));
    }
    let mut reply = obj(json!({"UserProfileItem": items, "ErrorDisplay": ""}));
    if !failed.is_empty() {
        reply.insert("Fail_Account".into(), Value::Array(failed));
    }
    Ok(reply)
}
