//! query_online_status (openim): the login state of accounts.
//!
//! Documented: at most 500 accounts a call; `Status` Online, PushOnline or Offline;
//! `Detail` (per platform) only with `IsNeedDetail` 1; unknown accounts in `ErrorList` with
//! 70107. Ours where the pages are silent: more than 500 accounts (or none) is refused whole
//! with 70402 (invalid parameter); `ErrorList` is always sent, empty when every account was
//! answered; an offline account's `Detail` is an empty list. Some of the vendor's English
//! samples spell the field `State`; the Chinese pages and the vendor's Java SDK say
//! `Status`, which the sandbox sends.

use serde_json::{Value, json};

use super::{Reply, obj};
use crate::sandbox::fields::{ACCOUNT_NOT_FOUND, ApiErr, Body, PUBLIC_INVALID};
use crate::sandbox::world::{World, now_unix};
use crate::vendor::limits::ACCOUNTS_PER_STATUS_CALL;

pub(crate) fn query_online_status(w: &mut World, body: &Body) -> Reply {
    let accounts = body.opt_str_list("To_Account")?.unwrap_or_default();
    if accounts.is_empty() || accounts.len() > ACCOUNTS_PER_STATUS_CALL {
        return Err(ApiErr::new(
            PUBLIC_INVALID,
            format!(
                "To_Account holds {} accounts; query 1 to {ACCOUNTS_PER_STATUS_CALL} per call",
                accounts.len()
            ),
        ));
    }
    let detail = match body.opt_u64("IsNeedDetail")? {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiErr::new(PUBLIC_INVALID, "IsNeedDetail must be 0 or 1")),
    };
    let now = now_unix();
    let mut results = Vec::with_capacity(accounts.len());
    let mut errors = Vec::new();
    for account in &accounts {
        let Some(a) = w.account(account) else {
            errors.push(json!({"To_Account": account, "ErrorCode": ACCOUNT_NOT_FOUND}));
            continue;
        };
        let p = w.presence_of(a, now);
        let mut item = obj(json!({"To_Account": account, "Status": p.state.wire_name()}));
        if detail {
            let platforms: Vec<Value> = p
                .platforms
                .iter()
                .map(|(platform, s)| json!({"Platform": platform, "Status": s.wire_name()}))
                .collect();
            item.insert("Detail".into(), Value::Array(platforms));
        }
        results.push(Value::Object(item));
    }
    Ok(obj(json!({"QueryResult": results, "ErrorList": errors})))
}
