//! TLSSigAPIv2 UserSig: generation, decoding and verification.
//!
//! The algorithm is the one every official `tls-sig-api-v2` library implements:
//! HMAC-SHA256 over a fixed content string, a small JSON document, zlib, then base64 with
//! the URL-safe substitutions `+`→`*`, `/`→`-`, `=`→`_`. Verification always inflates and
//! parses the document: signatures made at any zlib level are equally valid, so the outer
//! string is never compared.
//!
//! A UserSig is a credential: never log it, never show it, never put it in an error message.

use std::fmt;
use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::vendor::codes;

type HmacSha256 = Hmac<Sha256>;

/// Default validity of a generated UserSig: one day. The client renews well before expiry.
pub const DEFAULT_EXPIRE_SECS: u64 = 86_400;

/// Largest inflated document we accept when decoding (a real one is ~200 bytes).
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024;

/// The fields inside a UserSig, as decoded. Holds no secret: `sig` is a MAC, not the key,
/// but it is still kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct UserSigDoc {
    pub version: String,
    pub identifier: String,
    pub sdkappid: u64,
    /// Signing time, Unix seconds.
    pub time: u64,
    /// Validity duration in seconds (not an absolute time).
    pub expire: u64,
    /// Standard-base64 userbuf, when present (PrivateMapKey variants only).
    pub userbuf: Option<String>,
    /// Standard-base64 HMAC-SHA256.
    pub sig: String,
}

impl fmt::Debug for UserSigDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSigDoc")
            .field("version", &self.version)
            .field("identifier", &self.identifier)
            .field("sdkappid", &self.sdkappid)
            .field("time", &self.time)
            .field("expire", &self.expire)
            .field("userbuf", &self.userbuf.as_ref().map(|_| "<present>"))
            .finish_non_exhaustive()
    }
}

impl UserSigDoc {
    /// Unix second after which the sig is expired (`now > time + expire`).
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }

    /// True when `now` is past the validity window (the official verifiers' rule).
    pub fn is_expired(&self, now: u64) -> bool {
        now > self.expires_at()
    }
}

/// Why a UserSig failed to decode or verify. The variants map one-to-one to the service's
/// error codes (see [`VerifyError::service_code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the UserSig is empty")]
    Empty,
    #[error("the UserSig is not valid base64 (after the -, *, _ substitutions)")]
    Base64,
    #[error("the UserSig does not inflate as zlib data")]
    Inflate,
    #[error("the UserSig document is not the expected JSON: {0}")]
    Document(String),
    #[error("the UserSig was issued for SDKAppID {found}, not {expected}")]
    SdkAppIdMismatch { expected: u64, found: u64 },
    #[error("the UserSig was issued for identifier {found:?}, not {expected:?}")]
    IdentifierMismatch { expected: String, found: String },
    #[error("the UserSig expired at {expired_at} (Unix seconds); it is now {now}")]
    Expired { expired_at: u64, now: u64 },
    #[error(
        "the signature does not verify with this secret key (wrong key, or key of another SDKAppID)"
    )]
    SignatureMismatch,
}

impl VerifyError {
    /// The Chat REST error code the service answers for this failure.
    pub fn service_code(&self) -> i64 {
        match self {
            VerifyError::Empty => codes::USERSIG_EMPTY,
            VerifyError::Base64 | VerifyError::Inflate | VerifyError::Document(_) => {
                codes::USERSIG_UNDECODABLE
            }
            VerifyError::SdkAppIdMismatch { .. } => codes::USERSIG_OTHER_APP,
            VerifyError::IdentifierMismatch { .. } => codes::USERSIG_OTHER_IDENTIFIER,
            VerifyError::Expired { .. } => codes::USERSIG_EXPIRED,
            VerifyError::SignatureMismatch => codes::USERSIG_BAD_SIGNATURE,
        }
    }

    /// A short name of the failing check, for `usersig inspect`.
    pub fn check_name(&self) -> &'static str {
        match self {
            VerifyError::Empty => "present",
            VerifyError::Base64 => "base64",
            VerifyError::Inflate => "zlib",
            VerifyError::Document(_) => "document",
            VerifyError::SdkAppIdMismatch { .. } => "sdkappid",
            VerifyError::IdentifierMismatch { .. } => "identifier",
            VerifyError::Expired { .. } => "expiry",
            VerifyError::SignatureMismatch => "signature",
        }
    }
}

/// The exact content string that is HMAC-signed.
fn content_to_sign(
    identifier: &str,
    sdkappid: u64,
    time: u64,
    expire: u64,
    userbuf: Option<&str>,
) -> String {
    let mut s = format!(
        "TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    );
    if let Some(buf) = userbuf {
        s.push_str("TLS.userbuf:");
        s.push_str(buf);
        s.push('\n');
    }
    s
}

fn hmac_base64(key: &str, content: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    #[allow(clippy::expect_used)] // HMAC accepts a key of any length
    let mut mac = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(content.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

fn url_encode(bytes: &[u8]) -> String {
    STANDARD
        .encode(bytes)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

fn url_decode(s: &str) -> Result<Vec<u8>, VerifyError> {
    let mut std: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    // Accept a sig whose padding was stripped (as Node's decoder does).
    let rem = std.trim_end_matches('=').len() % 4;
    let base = std.trim_end_matches('=').len();
    std.truncate(base);
    match rem {
        2 => std.push_str("=="),
        3 => std.push('='),
        _ => {}
    }
    STANDARD
        .decode(std.as_bytes())
        .map_err(|_| VerifyError::Base64)
}

/// Generate a UserSig exactly as the official libraries do, signed at `time`, valid for
/// `expire` seconds, compressed at zlib `level` (0–9; the Python library uses 6).
pub fn generate_at(
    sdkappid: u64,
    key: &str,
    identifier: &str,
    expire: u64,
    time: u64,
    level: u32,
) -> String {
    let sig = hmac_base64(
        key,
        &content_to_sign(identifier, sdkappid, time, expire, None),
    );
    let doc = serde_json::json!({
        "TLS.ver": "2.0",
        "TLS.identifier": identifier,
        "TLS.sdkappid": sdkappid,
        "TLS.expire": expire,
        "TLS.time": time,
        "TLS.sig": sig,
    });
    let json = doc.to_string();
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::new(level.min(9)));
    // Writing to a Vec cannot fail.
    // Compressing into a Vec cannot fail: there is no I/O.
    #[allow(clippy::expect_used)]
    enc.write_all(json.as_bytes()).expect("zlib into memory");
    #[allow(clippy::expect_used)]
    let compressed = enc.finish().expect("zlib into memory");
    url_encode(&compressed)
}

/// Generate a UserSig signed now with the default zlib level.
pub fn generate(sdkappid: u64, key: &str, identifier: &str, expire: u64) -> String {
    generate_at(sdkappid, key, identifier, expire, now_unix(), 6)
}

/// Current Unix time in seconds.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn field_u64(map: &Map<String, Value>, key: &str) -> Result<u64, VerifyError> {
    match map.get(key) {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| VerifyError::Document(format!("{key} is not an unsigned integer"))),
        // Be lenient with encoders that write numbers as strings.
        Some(Value::String(s)) => s
            .parse()
            .map_err(|_| VerifyError::Document(format!("{key} is not an unsigned integer"))),
        Some(_) => Err(VerifyError::Document(format!("{key} has the wrong type"))),
        None => Err(VerifyError::Document(format!("{key} is missing"))),
    }
}

fn field_str(map: &Map<String, Value>, key: &str) -> Result<String, VerifyError> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(VerifyError::Document(format!("{key} is not a string"))),
        None => Err(VerifyError::Document(format!("{key} is missing"))),
    }
}

/// Decode a UserSig into its document without checking the signature.
pub fn decode(usersig: &str) -> Result<UserSigDoc, VerifyError> {
    if usersig.trim().is_empty() {
        return Err(VerifyError::Empty);
    }
    let compressed = url_decode(usersig)?;
    let mut json = Vec::new();
    ZlibDecoder::new(compressed.as_slice())
        .take(MAX_DOCUMENT_BYTES)
        .read_to_end(&mut json)
        .map_err(|_| VerifyError::Inflate)?;
    let value: Value = serde_json::from_slice(&json)
        .map_err(|e| VerifyError::Document(format!("not JSON ({e})")))?;
    let map = value
        .as_object()
        .ok_or_else(|| VerifyError::Document("not a JSON object".into()))?;
    Ok(UserSigDoc {
        version: map
            .get("TLS.ver")
            .and_then(Value::as_str)
            .unwrap_or("2.0")
            .to_string(),
        identifier: field_str(map, "TLS.identifier")?,
        sdkappid: field_u64(map, "TLS.sdkappid")?,
        time: field_u64(map, "TLS.time")?,
        expire: field_u64(map, "TLS.expire")?,
        userbuf: map
            .get("TLS.userbuf")
            .and_then(Value::as_str)
            .map(str::to_string),
        sig: field_str(map, "TLS.sig")?,
    })
}

/// Check that the decoded document's signature was made with `key`.
pub fn signature_matches(doc: &UserSigDoc, key: &str) -> bool {
    let content = content_to_sign(
        &doc.identifier,
        doc.sdkappid,
        doc.time,
        doc.expire,
        doc.userbuf.as_deref(),
    );
    #[allow(clippy::expect_used)] // HMAC accepts a key of any length
    let mut mac = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(content.as_bytes());
    match STANDARD.decode(doc.sig.as_bytes()) {
        Ok(raw) => mac.verify_slice(&raw).is_ok(),
        Err(_) => false,
    }
}

/// Verify a UserSig the way the service does, in the official Go verifier's order:
/// SDKAppID, identifier, expiry, then the signature.
pub fn verify(
    usersig: &str,
    sdkappid: u64,
    key: &str,
    identifier: &str,
    now: u64,
) -> Result<UserSigDoc, VerifyError> {
    let doc = decode(usersig)?;
    if doc.sdkappid != sdkappid {
        return Err(VerifyError::SdkAppIdMismatch {
            expected: sdkappid,
            found: doc.sdkappid,
        });
    }
    if doc.identifier != identifier {
        return Err(VerifyError::IdentifierMismatch {
            expected: identifier.to_string(),
            found: doc.identifier.clone(),
        });
    }
    if doc.is_expired(now) {
        return Err(VerifyError::Expired {
            expired_at: doc.expires_at(),
            now,
        });
    }
    if !signature_matches(&doc, key) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    #[test]
    fn matches_the_reference_hmac_vector() {
        let content = content_to_sign("xiaojun", 1_400_000_000, 1_700_000_000, 15_552_000, None);
        assert_eq!(
            content,
            "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n"
        );
        assert_eq!(
            hmac_base64(KEY, &content),
            "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
        );
        let with_buf = content_to_sign(
            "xiaojun",
            1_400_000_000,
            1_700_000_000,
            15_552_000,
            Some("YWJj"),
        );
        assert_eq!(
            hmac_base64(KEY, &with_buf),
            "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="
        );
    }

    #[test]
    fn accepts_the_reference_python_sig() {
        let sig = "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__";
        let doc = verify(sig, 1_400_000_000, KEY, "xiaojun", 1_700_000_100).expect("valid");
        assert_eq!(doc.time, 1_700_000_000);
        assert_eq!(doc.expire, 15_552_000);
    }

    #[test]
    fn round_trips_at_every_zlib_level() {
        for level in 0..=9 {
            let sig = generate_at(1_400_000_000, KEY, "admin", 3600, 1_000, level);
            assert!(
                sig.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "*-_".contains(c))
            );
            let doc = verify(&sig, 1_400_000_000, KEY, "admin", 1_000 + 3600).expect("valid");
            assert_eq!(doc.identifier, "admin");
        }
    }

    #[test]
    fn each_check_fails_with_its_own_error() {
        let sig = generate_at(1_400_000_000, KEY, "admin", 100, 1_000, 6);
        assert_eq!(
            verify("", 1_400_000_000, KEY, "admin", 1_000)
                .unwrap_err()
                .service_code(),
            70002
        );
        assert_eq!(
            verify("!!!", 1_400_000_000, KEY, "admin", 1_000)
                .unwrap_err()
                .service_code(),
            70003
        );
        assert_eq!(
            verify("eJyr", 1_400_000_000, KEY, "admin", 1_000)
                .unwrap_err()
                .service_code(),
            70003
        );
        assert_eq!(
            verify(&sig, 1_400_000_001, KEY, "admin", 1_000)
                .unwrap_err()
                .service_code(),
            70014
        );
        assert_eq!(
            verify(&sig, 1_400_000_000, KEY, "bob", 1_000)
                .unwrap_err()
                .service_code(),
            70013
        );
        assert_eq!(
            verify(&sig, 1_400_000_000, KEY, "admin", 1_101)
                .unwrap_err()
                .service_code(),
            70001
        );
        // Exactly at time + expire it is still valid.
        assert!(verify(&sig, 1_400_000_000, KEY, "admin", 1_100).is_ok());
        assert_eq!(
            verify(&sig, 1_400_000_000, "other", "admin", 1_000)
                .unwrap_err()
                .service_code(),
            70009
        );
    }

    #[test]
    fn tolerates_stripped_padding() {
        let sig = generate_at(1_400_000_000, KEY, "admin", 100, 1_000, 6);
        let stripped = sig.trim_end_matches('_');
        assert!(verify(stripped, 1_400_000_000, KEY, "admin", 1_000).is_ok());
    }

    #[test]
    fn debug_does_not_print_the_mac() {
        let doc = decode(&generate_at(1, KEY, "a", 1, 1, 6)).unwrap();
        assert!(!format!("{doc:?}").contains(&doc.sig));
    }
}
