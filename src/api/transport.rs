//! How a failed HTTP exchange becomes an `ApiError`: timeouts, broken connections, bodies
//! that are not JSON, and a TLS handshake that fails (said in words: "TLS", not "could not
//! reach"); and whether the server was reached at all, which decides a read's move to the
//! standby domain.

use std::time::Duration;

use super::error::ApiError;
use super::result::Result;

/// A failed exchange, and whether the server could not be reached at all (DNS, connection
/// or TLS failure: nothing was sent, so a read may try the other domain).
pub(super) struct Failure {
    pub error: ApiError,
    pub unreachable: bool,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure {
            error,
            unreachable: false,
        }
    }
}

/// The endpoint as a base URL (no trailing slash), or why it is not one.
pub(super) fn base_url(what: &str, url: &str) -> Result<String> {
    let base = url.trim().trim_end_matches('/').to_string();
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Err(ApiError::Invalid(format!(
            "{what} {base:?} must start with https:// (or http:// for a local sandbox)"
        )));
    }
    if let Err(e) = reqwest::Url::parse(&base) {
        return Err(ApiError::Invalid(format!(
            "{what} {base:?} is not a valid URL: {e}"
        )));
    }
    Ok(base)
}

/// A reqwest error as an `ApiError`, without the URL (its query carries the UserSig).
pub(super) fn transport_error(
    api: &'static str,
    host: &str,
    https: bool,
    timeout: Duration,
    e: reqwest::Error,
) -> Failure {
    let e = e.without_url();
    let unreachable = e.is_connect();
    if e.is_timeout() {
        return Failure {
            error: ApiError::Timeout {
                api,
                secs: timeout.as_secs().max(1),
            },
            unreachable,
        };
    }
    let mut detail = e.to_string();
    let mut tls = false;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        tls |= is_tls_failure(s);
        source = s.source();
    }
    let error = if e.is_body() || e.is_decode() {
        ApiError::Decode { api, detail }
    } else if https && unreachable && tls {
        ApiError::Tls {
            api,
            host: host.to_string(),
            detail,
        }
    } else {
        ApiError::Transport { api, detail }
    };
    Failure { error, unreachable }
}

/// True for an error of the TLS handshake: a rustls error (a certificate that does not
/// match, or an answer that is not TLS, e.g. from a plain-HTTP server), or a server that hung
/// up mid-handshake. I/O errors hide the error they wrap from `source()`, so look inside.
fn is_tls_failure(e: &(dyn std::error::Error + 'static)) -> bool {
    if e.is::<rustls::Error>() {
        return true;
    }
    let Some(io) = e.downcast_ref::<std::io::Error>() else {
        return false;
    };
    if io.kind() == std::io::ErrorKind::UnexpectedEof && io.to_string().contains("tls handshake") {
        return true;
    }
    io.get_ref().is_some_and(|inner| is_tls_failure(inner))
}
