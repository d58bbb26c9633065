//! Errors from the Chat REST client, each with a plain explanation and a next step.
//! No variant ever carries the secret key or a UserSig.

/// A failed API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with `ErrorCode != 0`.
    #[error("{api}: error {code}: {info}")]
    Service {
        api: &'static str,
        code: i64,
        info: String,
    },
    /// The HTTP status was not 200 (a gateway or network failure).
    #[error("{api}: HTTP {status}")]
    Http { api: &'static str, status: u16 },
    /// No complete answer within the timeout.
    #[error("{api}: timed out after {secs} s")]
    Timeout { api: &'static str, secs: u64 },
    /// Could not connect, or the connection broke.
    #[error("{api}: network error: {detail}")]
    Transport { api: &'static str, detail: String },
    /// The TLS handshake failed: a plain-HTTP server behind an https:// endpoint, or a
    /// certificate that does not match (a hijacked name).
    #[error("{api}: TLS handshake with {host} failed: {detail}")]
    Tls {
        api: &'static str,
        host: String,
        detail: String,
    },
    /// A write could not reach the main domain; writes never move to the standby domain on
    /// their own (the user may point `--endpoint` at it).
    #[error("{cause}; not sent to the standby domain {standby}")]
    NotFailedOver {
        api: &'static str,
        standby: String,
        cause: Box<ApiError>,
    },
    /// The body was not the JSON we expect (truncated, wrong types...).
    #[error("{api}: unreadable response: {detail}")]
    Decode { api: &'static str, detail: String },
    /// A problem before any call was made (bad argument, bad configuration).
    #[error("{0}")]
    Invalid(String),
}

/// What happened, in words, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub what: String,
    pub next_step: String,
}

/// Service codes worth retrying on a read: a transient internal error and the
/// frequency-limit family (reference §4.10).
pub const RETRYABLE_CODES: [i64; 6] = [10002, 60007, 60011, 60018, 60019, 10006];

/// Every vendor error code the client knows, with what it means and what to do about it.
/// Sources: the seed pages and reference §1.4 (the SDK header `V2TIMErrorCode.h`).
const TABLE: &[(i64, &str, &str)] = &[
    // --- REST gateway (60000–60021) ---
    (
        60002,
        "the service could not parse the HTTP request",
        "check the endpoint URL: it should be just scheme and host, e.g. https://adminapisgp.im.qcloud.com",
    ),
    (
        60003,
        "the service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        60004,
        "the identifier or UserSig in the request is wrong",
        "check `identifier` in the profile, then run `tim-receipts usersig inspect` on a fresh sig",
    ),
    (
        60005,
        "the identifier or UserSig in the request is wrong",
        "check `identifier` in the profile, then run `tim-receipts usersig inspect` on a fresh sig",
    ),
    (
        60006,
        "the SDKAppID is not valid",
        "check `sdkappid` in the profile against the Chat console",
    ),
    (
        60007,
        "the REST API call-frequency limit was exceeded",
        "wait a few seconds and retry; lower `budget` in the profile if it keeps happening",
    ),
    (
        60008,
        "the service timed out or the HTTP request was malformed",
        "retry in a moment; if it persists, check the endpoint and any proxy in between",
    ),
    (
        60009,
        "the request went to an unknown resource",
        "check the endpoint URL: it should be just scheme and host, with no path",
    ),
    (
        60010,
        "the identifier is not an app admin account",
        "set `identifier` to an app admin (Chat console > App admins), e.g. `administrator`",
    ),
    (
        60011,
        "the app-wide (SDKAppID) call-frequency limit was exceeded",
        "the 200 calls/s are shared with your production backend: wait, then lower `budget`",
    ),
    (
        60012,
        "the request had no SDKAppID",
        "set `sdkappid` in the profile or TIM_SDKAPPID",
    ),
    (
        60013,
        "the service could not parse its own response JSON",
        "retry in a moment; if it persists, contact Tencent Cloud support",
    ),
    (
        60014,
        "the account switch timed out on the service",
        "retry in a moment",
    ),
    (
        60015,
        "an account field in the request had the wrong type",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        60016,
        "this SDKAppID is disabled",
        "check the app's status in the Chat console",
    ),
    (
        60017,
        "this request is disabled for the app",
        "check the app's feature configuration in the Chat console",
    ),
    (
        60018,
        "too many requests",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        60019,
        "too many requests",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        60020,
        "the app has no (or an expired) package for this feature, or it is still being set up",
        "check the edition in the Chat console (read receipts need Pro or above); a new purchase takes ~5 minutes",
    ),
    (
        60021,
        "calls from this IP address are not allowed",
        "add this host's public IP to the app's REST API allow-list in the Chat console",
    ),
    // --- UserSig and accounts (70000–79999) ---
    (
        70001,
        "the UserSig has expired",
        "check this host's clock (run `date -u`); tim-receipts signs a fresh UserSig, so a wrong clock is the usual cause",
    ),
    (
        70002,
        "the UserSig was empty",
        "check the secret key in the profile (secret_key / secret_key_env / secret_key_file)",
    ),
    (
        70003,
        "the UserSig could not be decoded (truncated or damaged)",
        "run `tim-receipts usersig inspect` on the sig; if a proxy rewrites URLs, bypass it",
    ),
    (
        70005,
        "the UserSig could not be decoded",
        "run `tim-receipts usersig inspect` on the sig to see which check fails",
    ),
    (
        70009,
        "the secret key and the SDKAppID do not match (the UserSig does not verify)",
        "copy the secret key of exactly this SDKAppID from the Chat console (Basic configuration) into the profile",
    ),
    (
        70013,
        "the identifier in the request differs from the one inside the UserSig",
        "make `identifier` in the profile the admin the sig is made for; `tim-receipts usersig inspect` shows both",
    ),
    (
        70014,
        "the SDKAppID in the request differs from the one inside the UserSig",
        "make `sdkappid` in the profile match the key's app; `tim-receipts usersig inspect` shows both",
    ),
    (
        70016,
        "the service has no key for this app",
        "check `sdkappid`, then check the key in the Chat console (Basic configuration)",
    ),
    (
        70020,
        "the SDKAppID was not found",
        "check `sdkappid` and the region: each region has its own apps",
    ),
    (
        70050,
        "the account is locked after too many failed verifications",
        "wait one minute, fix the key or identifier, then retry",
    ),
    (
        70051,
        "the account is blocklisted",
        "contact Tencent Cloud support",
    ),
    (
        70052,
        "the UserSig is no longer valid",
        "check this host's clock and the secret key; tim-receipts signs a fresh sig on the next call",
    ),
    (
        70107,
        "that account does not exist",
        "check the spelling of the account ID (IDs are case-sensitive)",
    ),
    (
        70114,
        "the request was restricted for security reasons",
        "contact Tencent Cloud support",
    ),
    (70169, "the service timed out", "retry in a moment"),
    (
        70206,
        "too many items in one request",
        "ask for fewer items at once",
    ),
    (
        70398,
        "the app has reached the Free-Trial account limit",
        "upgrade the app's edition in the Chat console",
    ),
    (
        70402,
        "a parameter was invalid",
        "check the IDs and numbers you passed",
    ),
    (
        70403,
        "this needs app-admin permission",
        "set `identifier` to an app admin account",
    ),
    (
        70500,
        "the service had an internal error",
        "retry in a moment",
    ),
    (
        72001,
        "the user-status feature is not enabled",
        "enable it in the Chat console if you need it",
    ),
    // --- messages (80000–93000) ---
    (
        80001,
        "the text was blocked by the content-security policy",
        "change the text",
    ),
    (
        80002,
        "the message is larger than 12 KB",
        "send a shorter message",
    ),
    (
        90001,
        "the service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        90003,
        "the peer account (Peer_Account) is missing or does not exist",
        "check the PEER_ACCOUNT ID (IDs are case-sensitive)",
    ),
    (
        90008,
        "the report account (Report_Account) is missing or does not exist",
        "check the REPORT_ACCOUNT ID (IDs are case-sensitive)",
    ),
    (
        90009,
        "this needs app-admin permission",
        "set `identifier` to an app admin account",
    ),
    (
        93000,
        "the request is larger than 12 KB",
        "send a shorter message",
    ),
    // --- group service (10000–10099) ---
    (
        10002,
        "the group service had an internal error",
        "retry in a moment",
    ),
    (
        10003,
        "the service does not know this command",
        "check the endpoint: it may not be a Chat REST endpoint (or the app's edition lacks this API)",
    ),
    (
        10004,
        "a parameter was invalid",
        "check the group ID, seqs and counts you passed",
    ),
    (
        10005,
        "too many accounts in one request",
        "ask for fewer accounts at once",
    ),
    (
        10006,
        "the group-service frequency limit was exceeded",
        "wait a few seconds and retry; lower `budget` if it keeps happening",
    ),
    (
        10007,
        "no permission for this operation",
        "use an app admin as `identifier`; receipts also need the feature enabled for this group type",
    ),
    (
        10008,
        "the request was invalid or its signature check failed",
        "run `tim-receipts usersig inspect` on a fresh sig and check the key",
    ),
    (
        10010,
        "the group does not exist or was disbanded",
        "check the group ID with `tim-receipts groups` (IDs are case-sensitive)",
    ),
    (
        10011,
        "the group service could not parse the request JSON",
        "this is a bug in tim-receipts; please report it with the log file",
    ),
    (
        10012,
        "the operator identifier is invalid",
        "set `identifier` to an existing app admin account",
    ),
    (
        10015,
        "the group ID is not valid",
        "check the group ID with `tim-receipts groups` (auto IDs look like @TGS#2TTV7VSII)",
    ),
    (
        10018,
        "the response would be larger than 1 MB",
        "ask for fewer items per request",
    ),
    (
        10019,
        "that account does not exist",
        "check the spelling of the account ID (IDs are case-sensitive)",
    ),
    (
        10023,
        "the message-send frequency limit was exceeded",
        "wait a few seconds before sending again",
    ),
    (
        10062,
        "that message was sent without a read receipt (or its receipt has expired)",
        "nothing to fix: only messages sent with NeedReadReceipt have read/unread counts",
    ),
];

/// The plain meaning and next step of a vendor error code, if the code is known.
pub fn explain_code(code: i64) -> Option<Explanation> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, what, next)| Explanation {
            what: (*what).to_string(),
            next_step: (*next).to_string(),
        })
}

/// Every code the table explains (for tests and documentation).
pub fn known_codes() -> impl Iterator<Item = i64> {
    TABLE.iter().map(|(c, _, _)| *c)
}

impl ApiError {
    /// The service error code, if the service answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Service { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The name of the API that failed, when a call was made.
    pub fn api(&self) -> Option<&'static str> {
        match self {
            ApiError::Service { api, .. }
            | ApiError::Http { api, .. }
            | ApiError::Timeout { api, .. }
            | ApiError::Transport { api, .. }
            | ApiError::Tls { api, .. }
            | ApiError::NotFailedOver { api, .. }
            | ApiError::Decode { api, .. } => Some(api),
            ApiError::Invalid(_) => None,
        }
    }

    /// True when repeating the same read may succeed: 10002, the frequency-limit codes,
    /// HTTP 5xx, timeouts, broken connections and truncated/garbled bodies.
    /// The client only ever retries reads; writes are never retried blindly.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Service { code, .. } => RETRYABLE_CODES.contains(code),
            ApiError::Http { status, .. } => *status >= 500,
            ApiError::Timeout { .. } | ApiError::Transport { .. } | ApiError::Decode { .. } => true,
            // The same handshake fails the same way; a write is never retried.
            ApiError::Tls { .. } | ApiError::NotFailedOver { .. } => false,
            ApiError::Invalid(_) => false,
        }
    }

    /// What happened, in words, and what to do next.
    pub fn explain(&self) -> Explanation {
        match self {
            ApiError::Service { code, info, .. } => {
                explain_code(*code).unwrap_or_else(|| Explanation {
                    what: if info.is_empty() {
                        format!("the service answered with error {code}")
                    } else {
                        format!("the service answered with error {code} ({info})")
                    },
                    next_step: format!(
                        "look up error code {code} at https://www.tencentcloud.com/document/product/1047/34348"
                    ),
                })
            }
            ApiError::Http { status, .. } if *status >= 500 => Explanation {
                what: format!("the service or a gateway failed (HTTP {status})"),
                next_step: "retry in a moment; if it persists, check Tencent Cloud's status page".into(),
            },
            ApiError::Http { status, .. } => Explanation {
                what: format!("the endpoint answered HTTP {status} instead of a Chat API response"),
                next_step: "check `endpoint`/`region` in the profile (and any proxy in between)"
                    .into(),
            },
            ApiError::Timeout { secs, .. } => Explanation {
                what: format!("no complete answer within {secs} s"),
                next_step:
                    "retry; if the network is slow, raise `timeout_secs` in the profile".into(),
            },
            ApiError::Transport { .. } => Explanation {
                what: "could not reach the service (connection failed or broke)".into(),
                next_step: "check the endpoint/region, DNS and any proxy or firewall on this host"
                    .into(),
            },
            ApiError::Tls { host, .. } => Explanation {
                what: format!(
                    "the TLS handshake with {host} failed: is it an http:// server, or is the name hijacked?"
                ),
                next_step: "for a local sandbox use an http:// endpoint; otherwise check DNS for the host (a hijacked name shows a wrong certificate) or use the region's standby domain"
                    .into(),
            },
            ApiError::NotFailedOver { standby, cause, .. } => Explanation {
                what: format!(
                    "{}; the write was not sent (writes never move to the standby domain on their own)",
                    cause.explain().what
                ),
                next_step: format!(
                    "to send it through the standby domain, run it again with --endpoint {standby} (or set endpoint = \"{standby}\" in the profile)"
                ),
            },
            ApiError::Decode { .. } => Explanation {
                what: "the answer was not a complete Chat API response".into(),
                next_step: "retry; if it persists, check that the endpoint is a Chat REST endpoint"
                    .into(),
            },
            ApiError::Invalid(msg) => Explanation {
                what: msg.clone(),
                next_step: "fix the argument or the configuration and run again".into(),
            },
        }
    }

    /// One line for a terminal or a status bar: what happened, the raw error, the next step.
    pub fn one_line(&self) -> String {
        let e = self.explain();
        match self {
            ApiError::Invalid(_) => e.what,
            _ => format!("{} [{}] - {}", e.what, self, e.next_step),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code from reference §1.4 and the seed pages.
    const DOCUMENTED: &[i64] = &[
        60002, 60003, 60004, 60005, 60006, 60007, 60008, 60009, 60010, 60011, 60012, 60013, 60014,
        60015, 60016, 60017, 60018, 60019, 60020, 60021, 70001, 70002, 70003, 70005, 70009, 70013,
        70014, 70016, 70020, 70050, 70051, 70052, 70107, 70114, 70169, 70206, 70398, 70402, 70403,
        70500, 72001, 80001, 80002, 93000, 90001, 90003, 90008, 90009, 10002, 10003, 10004, 10005,
        10006, 10007, 10008, 10010, 10011, 10012, 10015, 10018, 10019, 10023, 10062,
    ];

    #[test]
    fn every_documented_code_has_an_explanation() {
        for code in DOCUMENTED {
            let e = explain_code(*code).unwrap_or_else(|| panic!("no explanation for {code}"));
            assert!(!e.what.is_empty() && !e.next_step.is_empty(), "{code}");
        }
        let mut seen = std::collections::HashSet::new();
        for code in known_codes() {
            assert!(seen.insert(code), "code {code} listed twice");
        }
        assert_eq!(seen.len(), DOCUMENTED.len());
    }

    #[test]
    fn key_codes_say_the_right_thing() {
        let svc = |code| ApiError::Service {
            api: "x",
            code,
            info: String::new(),
        };
        assert!(svc(70001).explain().what.contains("expired"));
        assert!(svc(70001).explain().next_step.contains("clock"));
        assert!(svc(70009).explain().what.contains("do not match"));
        assert!(svc(10062).explain().what.contains("without a read receipt"));
        assert!(svc(70013).explain().next_step.contains("usersig inspect"));
        let unknown = ApiError::Service {
            api: "x",
            code: 12345,
            info: "odd".into(),
        }
        .explain();
        assert!(unknown.what.contains("12345") && unknown.what.contains("odd"));
    }

    #[test]
    fn retryable_only_for_transient_failures() {
        let svc = |code| ApiError::Service {
            api: "x",
            code,
            info: String::new(),
        };
        for code in RETRYABLE_CODES {
            assert!(svc(code).is_retryable(), "{code}");
        }
        for code in [70001, 70009, 10010, 10062, 10004] {
            assert!(!svc(code).is_retryable(), "{code}");
        }
        assert!(
            ApiError::Http {
                api: "x",
                status: 502
            }
            .is_retryable()
        );
        assert!(
            !ApiError::Http {
                api: "x",
                status: 404
            }
            .is_retryable()
        );
        assert!(ApiError::Timeout { api: "x", secs: 1 }.is_retryable());
        assert!(
            ApiError::Decode {
                api: "x",
                detail: "eof".into()
            }
            .is_retryable()
        );
        assert!(!ApiError::Invalid("bad".into()).is_retryable());
    }

    #[test]
    fn one_line_has_no_newline_and_names_the_code() {
        let e = ApiError::Service {
            api: "get_group_msg_receipt",
            code: 70009,
            info: "UserSig verification Failed".into(),
        };
        let line = e.one_line();
        assert!(!line.contains('\n'));
        assert!(line.contains("70009") && line.contains("secret key"));
    }
}
