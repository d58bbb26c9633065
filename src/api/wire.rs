//! Tolerant decoding of the service's JSON: the envelope (`ErrorCode` is what counts;
//! `ActionStatus` may be misspelled `Action1Status`), numbers sent as strings, lists that
//! are missing or `null`, and list entries that are objects or bare strings.

use std::str::FromStr;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::error::ApiError;
pub use super::quote::printable;

/// The common response envelope.
#[derive(Debug, Default, Deserialize)]
pub struct Envelope {
    #[serde(rename = "ActionStatus", alias = "Action1Status", default)]
    pub action_status: Option<String>,
    #[serde(rename = "ErrorCode", default, deserialize_with = "opt_i64")]
    pub error_code: Option<i64>,
    #[serde(rename = "ErrorInfo", default, deserialize_with = "string")]
    pub error_info: String,
}

/// Most characters of a response's own text (ErrorInfo, a wrong value) in an error message.
pub const QUOTE_CHARS: usize = 80;
/// Most characters of a decode error's detail.
const DETAIL_CHARS: usize = 240;

/// A JSON value quoted in an error message.
fn quote(v: &impl std::fmt::Display) -> String {
    printable(&v.to_string(), QUOTE_CHARS)
}

/// Deserialize `T`, naming the field that failed (e.g. `GroupMsgReceiptList[0].MsgSeq`).
fn deserialize_at<'de, D, T>(d: D) -> Result<T, String>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    serde_path_to_error::deserialize(d).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let detail = if path == "." || path.is_empty() {
            inner
        } else {
            format!("{path}: {inner}")
        };
        printable(&detail, DETAIL_CHARS)
    })
}

/// Check the envelope and decode the payload. Success is `ErrorCode == 0`; a body with no
/// `ErrorCode` counts as success only when `ActionStatus` says OK. Errors name the field
/// at fault, and quote the response only in short, printable pieces.
pub fn decode_response<T: DeserializeOwned>(
    api: &'static str,
    bytes: &[u8],
) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ApiError::Decode {
        api,
        detail: if e.is_eof() {
            format!("truncated body ({} bytes)", bytes.len())
        } else {
            format!("not JSON: {e}")
        },
    })?;
    if !value.is_object() {
        return Err(ApiError::Decode {
            api,
            detail: "the body is not a JSON object".into(),
        });
    }
    let envelope: Envelope = deserialize_at(&value).map_err(|e| ApiError::Decode {
        api,
        detail: format!("bad envelope: {e}"),
    })?;
    match envelope.error_code {
        Some(0) => {}
        Some(code) => {
            return Err(ApiError::Service {
                api,
                code,
                info: printable(&envelope.error_info, QUOTE_CHARS * 3),
            });
        }
        None => {
            let ok = envelope
                .action_status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("ok"));
            if !ok {
                return Err(ApiError::Decode {
                    api,
                    detail: "no ErrorCode in the response".into(),
                });
            }
        }
    }
    deserialize_at(value).map_err(|detail| ApiError::Decode { api, detail })
}

/// A numeric string as `T`: trimmed, and blank reads as 0. `v` is the whole value, quoted
/// in the error, which says `expected {what}`.
fn numeric_string<T: FromStr + Default>(s: &str, v: &Value, what: &str) -> Result<T, String> {
    let t = s.trim();
    if t.is_empty() {
        Ok(T::default())
    } else {
        t.parse()
            .map_err(|_| format!("expected {what}, found {}", quote(v)))
    }
}

/// A number (or a numeric string, or null = 0) as u64.
pub fn value_to_u64(v: &Value) -> Result<u64, String> {
    match v {
        Value::Null => Ok(0),
        Value::Bool(b) => Ok(u64::from(*b)),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(u)
            } else if let Some(f) = n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0) {
                // Integral floats such as 5.0; `as` saturates at u64::MAX.
                Ok(f as u64)
            } else {
                Err(format!("expected an unsigned integer, found {}", quote(n)))
            }
        }
        Value::String(s) => numeric_string(s, v, "an unsigned integer"),
        other => Err(format!(
            "expected an unsigned integer, found {}",
            quote(other)
        )),
    }
}

/// A number (or a numeric string, or null = 0) as i64.
pub fn value_to_i64(v: &Value) -> Result<i64, String> {
    match v {
        Value::Null => Ok(0),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("expected an integer, found {}", quote(n))),
        Value::String(s) => numeric_string(s, v, "an integer"),
        other => Err(format!("expected an integer, found {}", quote(other))),
    }
}

/// `deserialize_with` for a u64 that may arrive as a string.
pub fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    value_to_u64(&Value::deserialize(d)?).map_err(D::Error::custom)
}

/// `deserialize_with` for an i64 that may arrive as a string.
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    value_to_i64(&Value::deserialize(d)?).map_err(D::Error::custom)
}

/// `deserialize_with` for an optional u64 (null stays None).
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => value_to_u64(&v).map(Some).map_err(D::Error::custom),
    }
}

/// `deserialize_with` for an optional i64 (null stays None).
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => value_to_i64(&v).map(Some).map_err(D::Error::custom),
    }
}

/// `deserialize_with` for a string that may arrive as a number (or null = "").
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(D::Error::custom(format!(
            "expected a string, found {}",
            quote(&other)
        ))),
    }
}

/// `deserialize_with` for an optional string that may arrive as a number (null = None).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(D::Error::custom(format!(
            "expected a string, found {}",
            quote(&other)
        ))),
    }
}

/// `deserialize_with` for a list that may be `null` (read as empty). Use with
/// `#[serde(default)]` so a missing list is empty too.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An account entry: a bare string, or an object carrying the ID under one of `keys`.
pub fn account_of(entry: &Value, keys: &[&str]) -> Option<String> {
    match entry {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => keys
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(rename = "N", default, deserialize_with = "u64")]
        n: u64,
        #[serde(rename = "L", default, deserialize_with = "list")]
        l: Vec<u64>,
        #[serde(rename = "S", default, deserialize_with = "string")]
        s: String,
    }

    #[test]
    fn envelope_success_and_failure() {
        let ok: Sample = decode_response(
            "t",
            br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","N":"7"}"#,
        )
        .unwrap();
        assert_eq!(ok.n, 7);
        let err = decode_response::<Sample>(
            "t",
            br#"{"ActionStatus":"FAIL","ErrorCode":70009,"ErrorInfo":"UserSig verification Failed"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code(), Some(70009));
        // ErrorCode as a string still counts.
        let err = decode_response::<Sample>("t", br#"{"ErrorCode":"10010","ErrorInfo":"x"}"#)
            .unwrap_err();
        assert_eq!(err.code(), Some(10010));
    }

    #[test]
    fn action1status_typo_is_accepted() {
        // The vendor's sample response of set_unread_msg_num.
        let v: Sample = decode_response(
            "t",
            br#"{"Action1Status": "OK", "ErrorInfo": "", "ErrorCode": 0}"#,
        )
        .unwrap();
        assert_eq!(v.n, 0);
        // Without ErrorCode, the (misspelled) status decides.
        assert!(decode_response::<Sample>("t", br#"{"Action1Status":"OK"}"#).is_ok());
        assert!(decode_response::<Sample>("t", br#"{"ActionStatus":"FAIL"}"#).is_err());
    }

    #[test]
    fn truncated_body_is_a_decode_error() {
        let err = decode_response::<Sample>("t", br#"{"ActionStatus":"OK","ErrorCo"#).unwrap_err();
        match err {
            ApiError::Decode { detail, .. } => assert!(detail.contains("truncated"), "{detail}"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(decode_response::<Sample>("t", b"<html>502</html>").is_err());
        assert!(decode_response::<Sample>("t", b"[1,2]").is_err());
    }

    #[test]
    fn lenient_values() {
        let v: Sample = decode_response(
            "t",
            br#"{"ErrorCode":0,"N":12,"L":null,"S":42,"Unknown":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!((v.n, v.l.len(), v.s.as_str()), (12, 0, "42"));
        let v: Sample = decode_response("t", br#"{"ErrorCode":0}"#).unwrap();
        assert_eq!((v.n, v.l.len(), v.s.as_str()), (0, 0, ""));
        assert_eq!(
            value_to_u64(&serde_json::json!("4454685361")),
            Ok(4_454_685_361)
        );
        assert_eq!(value_to_u64(&serde_json::json!(5.0)), Ok(5));
        assert!(value_to_u64(&serde_json::json!(-1)).is_err());
        assert!(value_to_u64(&serde_json::json!("abc")).is_err());
        assert_eq!(value_to_i64(&serde_json::json!("-3")), Ok(-3));
    }

    #[test]
    fn accounts_from_objects_or_strings() {
        let keys = ["Read_Account", "Unread_Account"];
        assert_eq!(
            account_of(&serde_json::json!({"Read_Account":"test1"}), &keys),
            Some("test1".into())
        );
        assert_eq!(
            account_of(&serde_json::json!("bob"), &keys),
            Some("bob".into())
        );
        assert_eq!(account_of(&serde_json::json!({"Other":"x"}), &keys), None);
    }
}
