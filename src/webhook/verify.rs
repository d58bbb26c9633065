//! Checks on a callback request before its body is trusted: when an authentication token is
//! configured, `Sign` and `RequestTime` are present, the signature matches and
//! `RequestTime` is fresh; then the SdkAppid is ours. The signature is checked first, and
//! no refusal names our SDKAppID.
//!
//! The vendor's scheme: `Sign = lowercase_hex(SHA-256(token ‖ RequestTime))`,
//! a plain SHA-256 over the token followed by the decimal Unix seconds, no HMAC, no
//! separator. The vendor documents a 1-minute freshness window (a `RequestTime` more than
//! 1 minute off is invalid, against replays; cloud.tencent.com/document/product/269/32431):
//! we reject requests whose `RequestTime` is further than
//! `max_age` from our clock (default 60 s, the vendor's minute; configurable).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::Query;
use axum::http::Uri;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::reject::Rejection;

/// `Sign` for a token and a `RequestTime` (Unix seconds): lowercase hex SHA-256 of the
/// token followed by the decimal time. The sandbox's callback sender may share this.
pub fn sign(token: &str, request_time: u64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(token.as_bytes());
    hasher.update(request_time.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// Whether `given` is the right `Sign` for `token` and `request_time`, compared in constant
/// time. Upper-case hex is accepted too (the vendor sends lower case).
pub fn sign_matches(token: &str, request_time: u64, given: &str) -> bool {
    let expected = sign(token, request_time);
    let given = given.trim().to_ascii_lowercase();
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The query parameters the service puts on every callback URL, looked up without regard
/// to case (`SdkAppid` is the vendor's spelling; `SdkAppId`/`sdkappid` are accepted).
#[derive(Debug, Default, Clone)]
pub struct CallbackQuery {
    params: HashMap<String, String>,
}

impl CallbackQuery {
    /// Parse the query of a request URI with axum's own decoder. Never fails: a query
    /// that cannot be decoded counts as empty, the later of two equal keys wins.
    pub fn from_uri(uri: &Uri) -> CallbackQuery {
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|Query(pairs)| pairs)
            .unwrap_or_default();
        let params = pairs
            .into_iter()
            .map(|(key, value)| (key.to_ascii_lowercase(), value))
            .collect();
        CallbackQuery { params }
    }

    /// One parameter by name (case-insensitive), trimmed; `None` if absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn callback_command(&self) -> Option<&str> {
        self.get("CallbackCommand")
    }
}

/// Check that the request is for our app: `SdkAppid` present, numeric, equal to `ours`.
pub fn check_app(query: &CallbackQuery, ours: u64) -> Result<(), Rejection> {
    let Some(raw) = query.get("SdkAppid") else {
        return Err(Rejection::MissingAppId);
    };
    let Ok(theirs) = raw.parse::<u64>() else {
        return Err(Rejection::MissingAppId);
    };
    if theirs != ours {
        return Err(Rejection::WrongApp { theirs });
    }
    Ok(())
}

/// With a token configured: `Sign` and `RequestTime` present, the signature right, and
/// `RequestTime` within `max_age` of `now` (Unix seconds) in either direction.
/// Without a token, nothing is checked (a `Sign` sent anyway is ignored).
pub fn check_signature(
    query: &CallbackQuery,
    token: Option<&str>,
    max_age: Duration,
    now: u64,
) -> Result<(), Rejection> {
    let Some(token) = token else {
        return Ok(());
    };
    let (Some(given), Some(time_text)) = (query.get("Sign"), query.get("RequestTime")) else {
        return Err(Rejection::MissingSign);
    };
    let Ok(request_time) = time_text.parse::<u64>() else {
        return Err(Rejection::BadRequestTime);
    };
    if !sign_matches(token, request_time, given) {
        return Err(Rejection::BadSign);
    }
    check_freshness(request_time, now, max_age)
}

/// `RequestTime` must be no more than `max_age` away from `now` (both Unix seconds).
pub fn check_freshness(request_time: u64, now: u64, max_age: Duration) -> Result<(), Rejection> {
    let window = max_age.as_secs();
    if request_time > now {
        let ahead = request_time - now;
        if ahead > window {
            return Err(Rejection::FutureRequestTime {
                ahead_secs: ahead,
                window_secs: window,
            });
        }
    } else {
        let age = now - request_time;
        if age > window {
            return Err(Rejection::StaleRequestTime {
                age_secs: age,
                window_secs: window,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "e10adc3949ba59abbe56e057f20f883e";

    fn query(q: &str) -> CallbackQuery {
        let uri: Uri = format!("/hook?{q}").parse().unwrap();
        CallbackQuery::from_uri(&uri)
    }

    #[test]
    fn sign_matches_the_reference_vector() {
        assert_eq!(
            sign(TOKEN, 1_676_091_353),
            "a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021"
        );
        assert!(sign_matches(
            TOKEN,
            1_676_091_353,
            "A5D271B35BD72858CDF1AD0B9DFBF037D19146062C0ECB712A0A3235489D6021"
        ));
        assert!(!sign_matches(
            TOKEN,
            1_676_091_354,
            &sign(TOKEN, 1_676_091_353)
        ));
        assert!(!sign_matches(TOKEN, 1_676_091_353, "a5d2"));
    }

    #[test]
    fn query_is_case_insensitive_and_decoded() {
        let q = query(
            "sdkappid=1400000000&CallbackCommand=Group.CallbackAfterReadReceipt&ClientIP=1.2.3.4%3A5&x&Sign=",
        );
        assert_eq!(q.get("SdkAppid"), Some("1400000000"));
        assert_eq!(q.callback_command(), Some("Group.CallbackAfterReadReceipt"));
        assert_eq!(q.get("ClientIP"), Some("1.2.3.4:5"));
        assert_eq!(q.get("Sign"), None);
        assert_eq!(q.get("x"), None);
        assert_eq!(query("a=%zz%41").get("a"), Some("%zzA"));
        assert_eq!(query("").get("SdkAppid"), None);
    }

    #[test]
    fn app_check() {
        let q = query("SdkAppid=7");
        assert!(check_app(&q, 7).is_ok());
        assert!(matches!(
            check_app(&q, 8),
            Err(Rejection::WrongApp { theirs: 7 })
        ));
        let q = query("SdkAppid=abc");
        assert!(matches!(check_app(&q, 7), Err(Rejection::MissingAppId)));
    }

    #[test]
    fn freshness_window_both_ways() {
        let w = Duration::from_secs(60);
        assert!(check_freshness(1000, 1000, w).is_ok());
        assert!(check_freshness(940, 1000, w).is_ok());
        assert!(check_freshness(1060, 1000, w).is_ok());
        assert!(matches!(
            check_freshness(939, 1000, w),
            Err(Rejection::StaleRequestTime { age_secs: 61, .. })
        ));
        assert!(matches!(
            check_freshness(1061, 1000, w),
            Err(Rejection::FutureRequestTime { ahead_secs: 61, .. })
        ));
    }

    #[test]
    fn signature_check_order() {
        let w = Duration::from_secs(60);
        let good = sign(TOKEN, 1000);
        let q = query(&format!("Sign={good}&RequestTime=1000"));
        assert!(check_signature(&q, Some(TOKEN), w, 1010).is_ok());
        assert!(check_signature(&q, None, w, 99_999).is_ok());
        assert!(matches!(
            check_signature(&q, Some("other"), w, 1000),
            Err(Rejection::BadSign)
        ));
        assert!(matches!(
            check_signature(&q, Some(TOKEN), w, 5000),
            Err(Rejection::StaleRequestTime { .. })
        ));
        let q = query("RequestTime=1000");
        assert!(matches!(
            check_signature(&q, Some(TOKEN), w, 1000),
            Err(Rejection::MissingSign)
        ));
        let q = query(&format!("Sign={good}&RequestTime=soon"));
        assert!(matches!(
            check_signature(&q, Some(TOKEN), w, 1000),
            Err(Rejection::BadRequestTime)
        ));
    }
}
