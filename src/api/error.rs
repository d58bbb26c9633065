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
    /// A listing was stopped because the service's paging misbehaved.
    #[error("{api}: paging stopped: {fault}")]
    Paging {
        api: &'static str,
        fault: PagingFault,
    },
    /// A problem before any call was made (bad argument, bad configuration).
    #[error("{0}")]
    Invalid(String),
    /// Read positions were asked for in a group type that keeps no unread counts.
    #[error("read positions are not available: {group_type} groups keep no unread counts")]
    NoPositions {
        group_type: crate::vendor::kinds::GroupType,
    },
    /// The caller cancelled the work (a scan); nothing half-done is returned.
    #[error("cancelled")]
    Cancelled,
}

/// What happened, in words, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub what: String,
    pub next_step: String,
}

/// Why a listing was stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingFault {
    /// A page held more items than the request allowed.
    #[error("a page held {got} items where at most {asked} were asked for")]
    Oversized { got: usize, asked: usize },
    /// A page that does not finish the list added nothing new (`got` items, all repeats).
    #[error("page {page} added nothing new{} yet said more would follow", repeats(*.got))]
    NoProgress { page: u64, got: usize },
    /// The same cursor came back: the listing would go round in a circle.
    #[error("the service sent cursor {cursor:?} a second time")]
    RepeatedCursor { cursor: String },
    /// The list grew past what it can hold.
    #[error("the list passed {limit} items, {why}")]
    TooLong { limit: u64, why: String },
}

fn repeats(got: usize) -> String {
    match got {
        0 => " (it was empty)".into(),
        n => format!(" (its {n} items were all sent before)"),
    }
}

pub use crate::vendor::codes::{GROUP_NOT_FOUND_CODES, NO_RECEIPT, RETRYABLE_CODES};
pub use crate::vendor::known_codes;

use super::quote::printable;

/// The plain meaning and next step of a vendor error code, if the code is known.
pub fn explain_code(code: i64) -> Option<Explanation> {
    crate::vendor::explain_code(code).map(|m| Explanation {
        what: m.what.to_string(),
        next_step: m.next_step.to_string(),
    })
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
            | ApiError::Decode { api, .. }
            | ApiError::Paging { api, .. } => Some(api),
            ApiError::Invalid(_) | ApiError::NoPositions { .. } | ApiError::Cancelled => None,
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
            ApiError::Paging { .. } | ApiError::Invalid(_) => false,
            ApiError::NoPositions { .. } | ApiError::Cancelled => false,
        }
    }

    /// What happened, in words, and what to do next. A service error names its code and,
    /// when they add something to ours (an account, a field, a group type), the service's
    /// own words from `ErrorInfo`, cleaned for a terminal and bounded.
    pub fn explain(&self) -> Explanation {
        match self {
            ApiError::Service { code, info, .. } => {
                let known = explain_code(*code);
                let ours = known.as_ref().map_or_else(
                    || format!("the service answered with error {code}"),
                    |e| e.what.clone(),
                );
                let what = match (known.is_some(), service_words(info, &ours)) {
                    (true, Some(words)) => {
                        format!("{ours} (error {code}; the service says: {words})")
                    }
                    (true, None) => format!("{ours} (error {code})"),
                    (false, Some(words)) => format!("{ours} (the service says: {words})"),
                    (false, None) => ours,
                };
                let next_step = known.map_or_else(
                    || format!("look up error code {code} at https://www.tencentcloud.com/document/product/1047/34348"),
                    |e| e.next_step,
                );
                Explanation { what, next_step }
            }
            ApiError::Http { status, .. } if *status >= 500 => Explanation {
                what: format!("the service or a gateway failed (HTTP {status})"),
                next_step: "retry in a moment; if it persists, check Tencent Cloud's status page"
                    .into(),
            },
            ApiError::Http { status, .. } => Explanation {
                what: format!("the endpoint answered HTTP {status} instead of a Chat API response"),
                next_step: "check `endpoint`/`region` in the profile (and any proxy in between)"
                    .into(),
            },
            ApiError::Timeout { secs, .. } => Explanation {
                what: format!("no complete answer within {secs} s"),
                next_step: "retry; if the network is slow, raise `timeout_secs` in the profile"
                    .into(),
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
            ApiError::Paging { .. } => Explanation {
                what: "the service's paging went wrong, so the listing was stopped".into(),
                next_step: "retry later (the dashboard keeps what it had loaded); if it happens again, report it to Tencent Cloud support with the log file".into(),
            },
            ApiError::Invalid(msg) => Explanation {
                what: msg.clone(),
                next_step: "fix the argument or the configuration and run again".into(),
            },
            ApiError::NoPositions { group_type } => Explanation {
                what: self.to_string(),
                next_step: if group_type.supports_receipts() {
                    "for a message sent with a read receipt, use its receipt (`--source receipts`)"
                } else {
                    "this group type has no read receipts either: nothing records who has read"
                }
                .into(),
            },
            ApiError::Cancelled => Explanation {
                what: "cancelled".into(),
                next_step: "run it again when you want the answer".into(),
            },
        }
    }

    /// One line for a terminal or a status bar: what happened, which API, the next step.
    pub fn one_line(&self) -> String {
        self.line(self.explain())
    }

    /// Like [`ApiError::explain`], for a call about group `group`: when the service did not
    /// find it (10010, 10015) and the ID has lower-case letters, the next step says that
    /// group IDs are case-sensitive, with a guess.
    pub fn explain_in_group(&self, group: &str) -> Explanation {
        let mut e = self.explain();
        if self.is_group_not_found()
            && let Some(hint) = group_case_hint(group, [])
        {
            e.next_step = format!("{hint} `tim-receipts groups` lists the IDs");
        }
        e
    }

    /// [`ApiError::one_line`] for a call about group `group` (see [`ApiError::explain_in_group`]).
    pub fn one_line_in_group(&self, group: &str) -> String {
        self.line(self.explain_in_group(group))
    }

    /// True for the codes that say a group ID was not found: 10010 (no such group, or
    /// disbanded) and 10015 (invalid group ID).
    pub fn is_group_not_found(&self) -> bool {
        matches!(self.code(), Some(code) if GROUP_NOT_FOUND_CODES.contains(&code))
    }

    fn line(&self, e: Explanation) -> String {
        match self {
            ApiError::Invalid(_) | ApiError::Cancelled => e.what,
            ApiError::NoPositions { .. } => format!("{} - {}", e.what, e.next_step),
            // The code and the service's words are in `what` already.
            ApiError::Service { api, .. } => format!("{} [{api}] - {}", e.what, e.next_step),
            _ => format!("{} [{}] - {}", e.what, self, e.next_step),
        }
    }
}

/// Most characters of the service's own words (`ErrorInfo`) in an explanation.
pub const SERVICE_WORDS_CHARS: usize = 120;

/// The service's own words for an error, fit for a terminal (one line, no control
/// characters, at most [`SERVICE_WORDS_CHARS`]), or `None` when they are empty or say
/// nothing `ours` does not (every word of theirs is in ours).
pub fn service_words(info: &str, ours: &str) -> Option<String> {
    let words = printable(info.trim(), SERVICE_WORDS_CHARS);
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let ours = split(ours);
    let adds = split(words).iter().any(|w| !ours.contains(w));
    adds.then(|| words.to_string())
}

/// For a group ID the service did not find: when it has lower-case ASCII letters, say that
/// group IDs are case-sensitive, and suggest the ID it probably is: one of `known` that
/// differs only in case, else the upper-case form of an automatic `@TGS#` ID (those are
/// upper-case letters and digits; Community IDs, `@TGS#_…`, may mix cases and get no guess).
pub fn group_case_hint<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let id = id.trim();
    if !id.bytes().any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let guess = known
        .into_iter()
        .find(|k| *k != id && k.eq_ignore_ascii_case(id))
        .map(str::to_string)
        .or_else(|| {
            let auto = id.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("@TGS#"))
                && !id[5..].starts_with('_');
            auto.then(|| id.to_ascii_uppercase())
        });
    Some(match guess {
        Some(g) => format!(
            "group IDs are case-sensitive: did you mean {}?",
            printable(&g, GROUP_ID_CHARS)
        ),
        None => "group IDs are case-sensitive: check the ID's upper and lower case.".to_string(),
    })
}

/// Most characters of a group ID quoted back (the service allows 48 bytes).
const GROUP_ID_CHARS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(code: i64, info: &str) -> ApiError {
        ApiError::Service {
            api: "set_unread_msg_num",
            code,
            info: info.into(),
        }
    }

    #[test]
    fn the_services_words_are_shown_when_they_say_more() {
        let info = "Member_Account \"zoe\" is not a member of group @TGS#1OPSWARROOM";
        let e = svc(10007, info).explain();
        assert!(e.what.contains(info), "{e:?}");
        assert!(e.what.contains("error 10007"), "{e:?}");
        let line = svc(10007, info).one_line();
        assert!(
            line.contains(info) && line.contains("[set_unread_msg_num]"),
            "{line}"
        );
        assert_eq!(line.matches("zoe").count(), 1, "said once: {line}");
    }

    #[test]
    fn words_that_only_repeat_ours_are_left_out() {
        let e = svc(10002, "internal error").explain();
        assert_eq!(
            e.what,
            "the group service had an internal error (error 10002)"
        );
        assert_eq!(svc(10002, "  ").explain().what, e.what);
    }

    #[test]
    fn the_services_words_are_cleaned_and_bounded() {
        let hostile = format!("bad\u{1b}[2J\nthing {}", "x".repeat(1000));
        let e = svc(10004, &hostile).explain();
        assert!(!e.what.chars().any(char::is_control), "{e:?}");
        assert!(e.what.contains("bad?[2J thing"), "{e:?}");
        assert!(e.what.chars().count() < 400, "{}", e.what.len());
        assert!(e.what.contains('…'));
    }

    #[test]
    fn unknown_codes_name_the_code_and_the_words() {
        let e = svc(12345, "odd").explain();
        assert!(e.what.contains("12345") && e.what.contains("odd"), "{e:?}");
        assert!(e.next_step.contains("12345"));
    }

    #[test]
    fn a_lower_case_group_id_that_is_not_found_says_ids_are_case_sensitive() {
        let e = svc(10010, "").explain_in_group("@tgs#1opswarroom");
        assert!(
            e.next_step
                .starts_with("group IDs are case-sensitive: did you mean @TGS#1OPSWARROOM?"),
            "{e:?}"
        );
        assert!(
            svc(10015, "")
                .one_line_in_group("@TGS#1abc")
                .contains("@TGS#1ABC?")
        );
        // Upper case already, or another error: no hint.
        for (code, id) in [(10010, "@TGS#1ABC"), (10007, "@tgs#1abc")] {
            assert_eq!(
                svc(code, "").explain_in_group(id),
                svc(code, "").explain(),
                "{code} {id}"
            );
        }
        // A known group that differs only in case is the better guess; Community IDs and
        // custom IDs get no guessed upper-case form.
        assert_eq!(
            group_case_hint("ops-room", ["x", "OPS-Room"]).as_deref(),
            Some("group IDs are case-sensitive: did you mean OPS-Room?")
        );
        assert_eq!(
            group_case_hint("@tgs#_@tgs#cqv", []).as_deref(),
            Some("group IDs are case-sensitive: check the ID's upper and lower case.")
        );
        assert_eq!(group_case_hint("@TGS#2TTV7VSII", []), None);
    }

    #[test]
    fn retryable_only_for_transient_failures() {
        for code in RETRYABLE_CODES {
            assert!(svc(code, "").is_retryable(), "{code}");
        }
        for code in [70001, 70009, 10010, 10062, 10004] {
            assert!(!svc(code, "").is_retryable(), "{code}");
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
        assert!(
            line.contains("70009") && line.contains("secret key"),
            "{line}"
        );
        assert!(line.contains("get_group_msg_receipt"), "{line}");
    }
}
