//! Why the receiver refused a callback, and the vendor-style JSON answer it gives.
//!
//! Every refusal answers with the vendor's envelope, `ActionStatus` `"FAIL"`, a non-zero
//! `ErrorCode` and an `ErrorInfo` in words. Our codes are the HTTP status times 100 plus a
//! reason number, so the two always agree:
//!
//! | ErrorCode | HTTP | reason |
//! |---|---|---|
//! | 40001 | 400 | body is not valid JSON |
//! | 40002 | 400 | body is JSON but not a read-receipt event (e.g. no GroupId, a negative MsgSeq) |
//! | 40003 | 400 | `SdkAppid` missing from the query or not a number |
//! | 40004 | 400 | `RequestTime` is not a whole number of seconds |
//! | 40005 | 400 | the body could not be read (the connection broke) |
//! | 40101 | 401 | a token is configured but `Sign` or `RequestTime` is missing |
//! | 40102 | 401 | `Sign` does not match the configured token |
//! | 40103 | 401 | `RequestTime` is older than the freshness window |
//! | 40104 | 401 | `RequestTime` is further in the future than the freshness window |
//! | 40301 | 403 | `SdkAppid` is another app's |
//! | 40501 | 405 | method is not POST |
//! | 40801 | 408 | the body did not arrive in time |
//! | 41301 | 413 | body is larger than the limit |
//! | 50001 | 500 | a valid event that the store could not commit (it reached the live view only) |
//! | 50301 | 503 | the connection cap is reached (answered before reading the request) |
//!
//! No message ever contains the token, the `Sign` value or our SDKAppID. Every refusal
//! answers with `Connection: close`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The vendor's response envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Envelope {
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
    #[serde(rename = "ErrorCode")]
    pub error_code: i64,
}

impl Envelope {
    /// `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`.
    pub fn ok() -> Envelope {
        Envelope {
            action_status: "OK".to_string(),
            error_info: String::new(),
            error_code: 0,
        }
    }
}

/// One reason to refuse a callback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the body is not a Group.CallbackAfterReadReceipt event: {0}")]
    InvalidEvent(String),
    #[error("SdkAppid is missing from the callback URL or is not a number")]
    MissingAppId,
    #[error("RequestTime is not a whole number of Unix seconds")]
    BadRequestTime,
    #[error("the body could not be read: {0}")]
    BodyUnreadable(String),
    #[error(
        "Sign and RequestTime are required: this receiver has an authentication token; enable the token in the console's callback settings"
    )]
    MissingSign,
    #[error("Sign does not match the configured authentication token")]
    BadSign,
    #[error(
        "RequestTime is {age_secs} s old, more than the {window_secs} s window allows; check the clocks or widen --max-age"
    )]
    StaleRequestTime { age_secs: u64, window_secs: u64 },
    #[error(
        "RequestTime is {ahead_secs} s in the future, more than the {window_secs} s window allows; check the clocks or widen --max-age"
    )]
    FutureRequestTime { ahead_secs: u64, window_secs: u64 },
    #[error("SdkAppid {theirs} is not this receiver's app")]
    WrongApp { theirs: u64 },
    #[error("method {0} is not allowed: the service POSTs callbacks")]
    MethodNotAllowed(String),
    #[error("the body did not arrive within {0} s")]
    BodyTimeout(u64),
    #[error("the body is larger than the {limit} byte limit")]
    TooLarge { limit: usize },
    #[error("too many connections: this receiver serves at most {0} at once; try again")]
    TooManyConnections(usize),
    #[error("the event is valid but could not be stored ({0}); send it again later")]
    NotStored(String),
}

impl Rejection {
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::MalformedJson(_)
            | Rejection::InvalidEvent(_)
            | Rejection::MissingAppId
            | Rejection::BadRequestTime
            | Rejection::BodyUnreadable(_) => StatusCode::BAD_REQUEST,
            Rejection::MissingSign
            | Rejection::BadSign
            | Rejection::StaleRequestTime { .. }
            | Rejection::FutureRequestTime { .. } => StatusCode::UNAUTHORIZED,
            Rejection::WrongApp { .. } => StatusCode::FORBIDDEN,
            Rejection::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::TooManyConnections(_) => StatusCode::SERVICE_UNAVAILABLE,
            Rejection::NotStored(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `ErrorCode` in the answer (see the module table).
    pub fn error_code(&self) -> i64 {
        let reason = match self {
            Rejection::MalformedJson(_) => 1,
            Rejection::InvalidEvent(_) => 2,
            Rejection::MissingAppId => 3,
            Rejection::BadRequestTime => 4,
            Rejection::BodyUnreadable(_) => 5,
            Rejection::MissingSign => 1,
            Rejection::BadSign => 2,
            Rejection::StaleRequestTime { .. } => 3,
            Rejection::FutureRequestTime { .. } => 4,
            Rejection::WrongApp { .. } => 1,
            Rejection::MethodNotAllowed(_) => 1,
            Rejection::BodyTimeout(_) => 1,
            Rejection::TooLarge { .. } => 1,
            Rejection::TooManyConnections(_) => 1,
            Rejection::NotStored(_) => 1,
        };
        i64::from(self.status().as_u16()) * 100 + reason
    }

    /// A short name for logs and counters.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejection::MalformedJson(_) => "malformed_json",
            Rejection::InvalidEvent(_) => "invalid_event",
            Rejection::MissingAppId => "missing_app_id",
            Rejection::BadRequestTime => "bad_request_time",
            Rejection::BodyUnreadable(_) => "body_unreadable",
            Rejection::MissingSign => "missing_sign",
            Rejection::BadSign => "bad_sign",
            Rejection::StaleRequestTime { .. } => "stale_request_time",
            Rejection::FutureRequestTime { .. } => "future_request_time",
            Rejection::WrongApp { .. } => "wrong_app",
            Rejection::MethodNotAllowed(_) => "method_not_allowed",
            Rejection::BodyTimeout(_) => "body_timeout",
            Rejection::TooLarge { .. } => "too_large",
            Rejection::TooManyConnections(_) => "connection_cap",
            Rejection::NotStored(_) => "not_stored",
        }
    }

    pub fn envelope(&self) -> Envelope {
        Envelope {
            action_status: "FAIL".to_string(),
            error_info: self.to_string(),
            error_code: self.error_code(),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.envelope())).into_response();
        // A refused sender does not keep the connection (a flood cannot hold the cap
        // with keep-alive requests that are refused).
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        if matches!(self, Rejection::MethodNotAllowed(_)) {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_status() {
        let all = [
            Rejection::MalformedJson("x".into()),
            Rejection::InvalidEvent("x".into()),
            Rejection::MissingAppId,
            Rejection::BadRequestTime,
            Rejection::BodyUnreadable("reset".into()),
            Rejection::MissingSign,
            Rejection::BadSign,
            Rejection::StaleRequestTime {
                age_secs: 1,
                window_secs: 0,
            },
            Rejection::FutureRequestTime {
                ahead_secs: 1,
                window_secs: 0,
            },
            Rejection::WrongApp { theirs: 1 },
            Rejection::MethodNotAllowed("GET".into()),
            Rejection::BodyTimeout(10),
            Rejection::TooLarge { limit: 1 },
            Rejection::TooManyConnections(256),
            Rejection::NotStored("database is locked".into()),
        ];
        let mut codes: Vec<i64> = all.iter().map(Rejection::error_code).collect();
        for r in &all {
            assert_eq!(r.error_code() / 100, i64::from(r.status().as_u16()));
            assert_eq!(r.envelope().action_status, "FAIL");
            assert!(!r.envelope().error_info.is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are distinct");
    }

    #[test]
    fn refusals_close_the_connection() {
        let response = Rejection::BadSign.into_response();
        assert_eq!(
            response.headers().get(header::CONNECTION),
            Some(&HeaderValue::from_static("close"))
        );
    }

    #[test]
    fn wrong_app_does_not_name_ours() {
        let shown = Rejection::WrongApp {
            theirs: 1_400_000_001,
        }
        .to_string();
        assert_eq!(shown, "SdkAppid 1400000001 is not this receiver's app");
    }
}
