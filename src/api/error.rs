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

impl ApiError {
    /// The service error code, if the service answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Service { code, .. } => Some(*code),
            _ => None,
        }
    }
}
