//! Business errors and the tolerant-but-strict reading of request bodies.
//!
//! Tolerance (documented in the module docs of `sandbox`): integer fields accept a JSON
//! number or a decimal string (`"MsgSeq": "12"`), because several SDKs send strings.
//! Strictness: a missing required field, a wrong type, a negative or fractional number, or a
//! value outside the documented limits is refused with the service family's "invalid
//! parameter" code and an `ErrorInfo` that names the field.

use serde_json::{Map, Value};

/// A business error: answered as HTTP 200 with `ActionStatus: "FAIL"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErr {
    pub code: i64,
    pub info: String,
}

impl ApiErr {
    pub fn new(code: i64, info: impl Into<String>) -> ApiErr {
        ApiErr {
            code,
            info: info.into(),
        }
    }
}

pub use crate::vendor::codes::{
    ACCOUNT_NOT_FOUND, GROUP_BAD_ID, GROUP_BAD_JSON, GROUP_INVALID, GROUP_NO_PERMISSION,
    GROUP_NOT_FOUND, NO_RECEIPT, OPENIM_BAD_JSON, PUBLIC_INVALID,
};

/// A request body, with the code to answer for bad fields.
pub struct Body {
    map: Map<String, Value>,
    invalid_code: i64,
}

impl Body {
    /// Parse a body. An empty body counts as `{}`; anything that is not a JSON object gets
    /// `bad_json_code`.
    pub fn parse(bytes: &[u8], bad_json_code: i64, invalid_code: i64) -> Result<Body, ApiErr> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body {
                map: Map::new(),
                invalid_code,
            });
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body { map, invalid_code }),
            Ok(_) => Err(ApiErr::new(
                bad_json_code,
                "the request body must be a JSON object",
            )),
            Err(e) => Err(ApiErr::new(
                bad_json_code,
                format!("failed to parse the JSON request: {e}"),
            )),
        }
    }

    fn invalid(&self, info: String) -> ApiErr {
        ApiErr::new(self.invalid_code, info)
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A required string field.
    pub fn req_str(&self, name: &str) -> Result<&str, ApiErr> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(self.invalid(format!("{name} must be a string"))),
            None => Err(self.invalid(format!("{name} is required"))),
        }
    }

    /// An optional string field.
    pub fn opt_str(&self, name: &str) -> Result<Option<&str>, ApiErr> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.invalid(format!("{name} must be a string"))),
            None => Ok(None),
        }
    }

    /// An optional unsigned integer (a number or a decimal string).
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>, ApiErr> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => value_u64(v)
                .map(Some)
                .ok_or_else(|| self.invalid(format!("{name} must be a non-negative integer"))),
        }
    }

    /// A required unsigned integer.
    pub fn req_u64(&self, name: &str) -> Result<u64, ApiErr> {
        self.opt_u64(name)?
            .ok_or_else(|| self.invalid(format!("{name} is required")))
    }

    /// An optional array of strings.
    pub fn opt_str_list(&self, name: &str) -> Result<Option<Vec<String>>, ApiErr> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(self.invalid(format!("{name} must be an array of strings")));
        };
        items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err(self.invalid(format!("{name} must be an array of strings"))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A required, non-empty list of message seqs: `[{"MsgSeq": 1}, ...]` (bare numbers
    /// are accepted too), at most `max` entries.
    pub fn seq_list(&self, name: &str, max: usize) -> Result<Vec<u64>, ApiErr> {
        let Some(v) = self.get(name) else {
            return Err(self.invalid(format!("{name} is required")));
        };
        let Value::Array(items) = v else {
            return Err(self.invalid(format!("{name} must be an array of {{\"MsgSeq\": N}}")));
        };
        if items.is_empty() {
            return Err(self.invalid(format!("{name} is empty")));
        }
        if items.len() > max {
            return Err(self.invalid(format!(
                "{name} has {} entries; at most {max} are allowed per call",
                items.len()
            )));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let seq = match item {
                    Value::Object(o) => o.get("MsgSeq").and_then(value_u64),
                    other => value_u64(other),
                };
                seq.ok_or_else(|| {
                    self.invalid(format!(
                        "{name}[{i}].MsgSeq is missing or not a non-negative integer"
                    ))
                })
            })
            .collect()
    }
}

/// A non-negative integer from a JSON number or a decimal string.
pub fn value_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// Whether a group ID is well formed: 1–48 bytes of printable ASCII without spaces; IDs in
/// the automatic `@TGS#` form must continue with letters, digits, `_`, `#` or `@`.
pub fn group_id_is_valid(id: &str) -> bool {
    if id.is_empty() || id.len() > 48 || !id.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return false;
    }
    match id.strip_prefix("@TGS#") {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'#' | b'@'))
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> Body {
        Body::parse(s.as_bytes(), GROUP_BAD_JSON, GROUP_INVALID).unwrap()
    }

    #[test]
    fn integers_accept_numbers_and_decimal_strings_only() {
        let b = body(r#"{"a": 5, "b": "7", "c": -1, "d": 1.5, "e": "x", "f": true}"#);
        assert_eq!(b.opt_u64("a").unwrap(), Some(5));
        assert_eq!(b.opt_u64("b").unwrap(), Some(7));
        for f in ["c", "d", "e", "f"] {
            let e = b.opt_u64(f).unwrap_err();
            assert_eq!(e.code, GROUP_INVALID);
            assert!(e.info.contains(f), "{e:?}");
        }
        assert_eq!(b.opt_u64("missing").unwrap(), None);
        assert!(b.req_u64("missing").unwrap_err().info.contains("missing"));
    }

    #[test]
    fn seq_lists_are_bounded_and_name_the_bad_entry() {
        let b = body(r#"{"L": [{"MsgSeq": 1}, 2, {"MsgSeq": "3"}], "E": [], "B": [{"X": 1}]}"#);
        assert_eq!(b.seq_list("L", 50).unwrap(), vec![1, 2, 3]);
        assert!(b.seq_list("L", 2).unwrap_err().info.contains("at most 2"));
        assert!(b.seq_list("E", 50).is_err());
        assert!(
            b.seq_list("B", 50)
                .unwrap_err()
                .info
                .contains("B[0].MsgSeq")
        );
    }

    #[test]
    fn bad_json_and_non_objects_get_the_parse_code() {
        assert_eq!(
            Body::parse(b"{", OPENIM_BAD_JSON, 1).err().unwrap().code,
            OPENIM_BAD_JSON
        );
        assert_eq!(
            Body::parse(b"[1]", OPENIM_BAD_JSON, 1).err().unwrap().code,
            OPENIM_BAD_JSON
        );
        assert!(Body::parse(b"  ", OPENIM_BAD_JSON, 1).is_ok());
    }

    #[test]
    fn group_id_shapes() {
        assert!(group_id_is_valid("@TGS#2TTV7VSII"));
        assert!(group_id_is_valid("@TGS#_@TGS#cQVLVHIM62CJ"));
        assert!(group_id_is_valid("ops-war-room"));
        assert!(!group_id_is_valid(""));
        assert!(!group_id_is_valid("@TGS#"));
        assert!(!group_id_is_valid("@TGS#a b"));
        assert!(!group_id_is_valid("@TGS#bad!"));
        assert!(!group_id_is_valid("has space"));
        assert!(!group_id_is_valid(&"x".repeat(49)));
        assert!(!group_id_is_valid("naïve"));
    }
}
