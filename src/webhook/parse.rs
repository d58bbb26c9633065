//! Turning a callback body into a [`ReceiptEvent`], tolerant of what the service sends.
//!
//! Tolerated: `EventTime` as a number or a string of digits (the vendor's sample sends a
//! string, its field table says Integer); counts and seqs as numbers or digit strings; unknown
//! fields anywhere; any group `Type` string (missing counts as ""); a missing `EventTime`
//! (the receive time is used); missing `ReadReceiptMembers` (no readers); readers given as
//! `{"Member_Account": "id"}` objects or plain strings; a `CallbackCommand` that differs in
//! case. Other callback commands are reported as [`Callback::Other`], to be acknowledged
//! and ignored. Anything else is a [`Rejection`] with a message that names the field.

use serde_json::{Map, Value};

use super::event::{ReceiptEvent, ReceiptUpdate};
use super::reject::Rejection;

/// The one callback command this receiver acts on.
pub const READ_RECEIPT_COMMAND: &str = "Group.CallbackAfterReadReceipt";

/// What a valid callback body turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// A `Group.CallbackAfterReadReceipt` event.
    Receipt(ReceiptEvent),
    /// Any other callback command: acknowledge it and do nothing.
    Other { command: String },
}

/// Parse one callback body. `query_command` is the URL's `CallbackCommand`, used when the
/// body carries none; `received_at_ms` (our clock) stands in for a missing `EventTime`.
/// Never panics.
pub fn parse_callback(
    body: &[u8],
    query_command: Option<&str>,
    received_at_ms: u64,
) -> Result<Callback, Rejection> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Rejection::MalformedJson(e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(Rejection::InvalidEvent(format!(
            "the body is {}, not a JSON object",
            kind_of(&value)
        )));
    };
    let body_command = match object.get("CallbackCommand") {
        Some(Value::String(command)) => Some(command.trim()),
        _ => None,
    };
    let query_command = query_command.map(str::trim);
    let command = body_command
        .filter(|c| !c.is_empty())
        .or(query_command.filter(|c| !c.is_empty()));
    if let Some(command) = command
        && !command.eq_ignore_ascii_case(READ_RECEIPT_COMMAND)
    {
        return Ok(Callback::Other {
            command: command.to_string(),
        });
    }
    parse_receipt_event(&object, received_at_ms).map(Callback::Receipt)
}

/// The fields of a `Group.CallbackAfterReadReceipt` body.
fn parse_receipt_event(
    object: &Map<String, Value>,
    received_at_ms: u64,
) -> Result<ReceiptEvent, Rejection> {
    let group_id = match object.get("GroupId") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
        Some(Value::String(_)) => return Err(invalid("GroupId is empty")),
        Some(other) => {
            return Err(invalid(format!(
                "GroupId must be a string, not {}",
                kind_of(other)
            )));
        }
        None => return Err(invalid("GroupId is missing")),
    };
    let group_type = match object.get("Type") {
        Some(Value::String(t)) => t.trim().to_string(),
        None | Some(Value::Null) => String::new(),
        Some(other) => {
            return Err(invalid(format!(
                "Type must be a string, not {}",
                kind_of(other)
            )));
        }
    };
    let event_time_ms = match object.get("EventTime") {
        None | Some(Value::Null) => received_at_ms,
        Some(v) => whole_number(v, "EventTime")?,
    };
    let receipts = match object.get("GroupMsgReceiptList") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_update(item, i))
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(invalid(format!(
                "GroupMsgReceiptList must be an array, not {}",
                kind_of(other)
            )));
        }
    };
    Ok(ReceiptEvent {
        group_id,
        group_type,
        event_time_ms,
        receipts,
    })
}

/// One entry of `GroupMsgReceiptList`.
fn parse_update(item: &Value, index: usize) -> Result<ReceiptUpdate, Rejection> {
    let Value::Object(fields) = item else {
        return Err(invalid(format!(
            "GroupMsgReceiptList[{index}] must be an object, not {}",
            kind_of(item)
        )));
    };
    let field = |name: &str| -> Result<u64, Rejection> {
        match fields.get(name) {
            Some(v) => whole_number(v, &format!("GroupMsgReceiptList[{index}].{name}")),
            None => Err(invalid(format!(
                "GroupMsgReceiptList[{index}].{name} is missing"
            ))),
        }
    };
    let seq = field("MsgSeq")?;
    let read = field("ReadNum")?;
    let unread = field("UnreadNum")?;
    let readers = match fields.get("ReadReceiptMembers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(members)) => members
            .iter()
            .enumerate()
            .map(|(j, member)| reader(member, index, j))
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(invalid(format!(
                "GroupMsgReceiptList[{index}].ReadReceiptMembers must be an array, not {}",
                kind_of(other)
            )));
        }
    };
    Ok(ReceiptUpdate {
        seq,
        read,
        unread,
        readers,
    })
}

/// One entry of `ReadReceiptMembers`: `{"Member_Account": "id"}` or a plain `"id"`.
fn reader(member: &Value, index: usize, j: usize) -> Result<String, Rejection> {
    match member {
        Value::String(id) => Ok(id.clone()),
        Value::Object(fields) => match fields.get("Member_Account") {
            Some(Value::String(id)) => Ok(id.clone()),
            Some(other) => Err(invalid(format!(
                "GroupMsgReceiptList[{index}].ReadReceiptMembers[{j}].Member_Account must be a string, not {}",
                kind_of(other)
            ))),
            None => Err(invalid(format!(
                "GroupMsgReceiptList[{index}].ReadReceiptMembers[{j}].Member_Account is missing"
            ))),
        },
        other => Err(invalid(format!(
            "GroupMsgReceiptList[{index}].ReadReceiptMembers[{j}] must be an object, not {}",
            kind_of(other)
        ))),
    }
}

/// A non-negative whole number sent as a JSON number (`7`, `7.0`) or a digit string (`"7"`).
fn whole_number(value: &Value, name: &str) -> Result<u64, Rejection> {
    /// Largest float that still holds every whole number exactly (2^53).
    const EXACT_FLOAT_LIMIT: f64 = 9_007_199_254_740_992.0;
    let parsed = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= EXACT_FLOAT_LIMIT)
                // Whole, non-negative and within 2^53: the conversion is exact.
                .map(|f| f as u64)
        }),
        Value::String(text) => text.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        let got = match value {
            Value::String(text) if text.len() <= 24 => format!("{text:?}"),
            other => kind_of(other).to_string(),
        };
        invalid(format!(
            "{name} must be a non-negative whole number, not {got}"
        ))
    })
}

/// A valid JSON text on one line: whitespace outside strings removed, everything else
/// (key order, number spelling) kept byte for byte.
pub fn one_line_json(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
            out.push(b);
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(b);
        }
    }
    out
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::InvalidEvent(message.into())
}

/// The JSON type of a value, in words, for error messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() && !n.is_u64() => "a negative number",
        Value::Number(n) if n.is_f64() => "a fractional or out-of-range number",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(body: &str) -> Result<ReceiptEvent, Rejection> {
        match parse_callback(body.as_bytes(), None, 42)? {
            Callback::Receipt(event) => Ok(event),
            Callback::Other { command } => panic!("unexpected other command {command}"),
        }
    }

    #[test]
    fn event_time_as_string_number_or_missing() {
        let base = r#"{"GroupId":"g","Type":"Public","GroupMsgReceiptList":[]"#;
        let t = |extra: &str| receipt(&format!("{base}{extra}}}")).map(|e| e.event_time_ms);
        assert_eq!(t(r#","EventTime":"1670574414123""#), Ok(1_670_574_414_123));
        assert_eq!(t(r#","EventTime":1670574414123"#), Ok(1_670_574_414_123));
        assert_eq!(t(r#","EventTime":1670574414123.0"#), Ok(1_670_574_414_123));
        assert_eq!(t(""), Ok(42));
        assert!(matches!(
            t(r#","EventTime":-5"#),
            Err(Rejection::InvalidEvent(m)) if m.contains("EventTime") && m.contains("negative")
        ));
        assert!(t(r#","EventTime":"soon""#).is_err());
        assert!(t(r#","EventTime":1.5"#).is_err());
    }

    #[test]
    fn readers_and_counts() {
        let event = receipt(
            r#"{"GroupId":"@TGS#1","Extra":{"a":1},"GroupMsgReceiptList":[
                {"MsgSeq":"3","ReadNum":2,"UnreadNum":0,"ReadReceiptMembers":[{"Member_Account":"a","X":1},"b"]},
                {"MsgSeq":4,"ReadNum":0,"UnreadNum":2}]}"#,
        )
        .unwrap();
        assert_eq!(event.group_type, "");
        assert_eq!(event.receipts.len(), 2);
        assert_eq!(event.receipts[0].seq, 3);
        assert_eq!(event.receipts[0].readers, vec!["a", "b"]);
        assert!(event.receipts[1].readers.is_empty());
    }

    #[test]
    fn clear_errors() {
        assert!(matches!(
            parse_callback(b"{\"GroupId\":", None, 0),
            Err(Rejection::MalformedJson(_))
        ));
        assert!(matches!(receipt("[1]"), Err(Rejection::InvalidEvent(m)) if m.contains("array")));
        assert!(matches!(receipt("{}"), Err(Rejection::InvalidEvent(m)) if m.contains("GroupId")));
        let missing =
            receipt(r#"{"GroupId":"g","GroupMsgReceiptList":[{"MsgSeq":1,"ReadNum":1}]}"#);
        assert!(
            matches!(missing, Err(Rejection::InvalidEvent(m)) if m == "GroupMsgReceiptList[0].UnreadNum is missing")
        );
    }

    #[test]
    fn other_commands_are_ignored() {
        let body = br#"{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":5}"#;
        assert_eq!(
            parse_callback(body, None, 0),
            Ok(Callback::Other {
                command: "Group.CallbackAfterSendMsg".to_string()
            })
        );
        // The query's command counts when the body has none.
        assert!(matches!(
            parse_callback(b"{}", Some("State.StateChange"), 0),
            Ok(Callback::Other { .. })
        ));
        // An empty command in the body defers to the query's.
        assert!(matches!(
            parse_callback(br#"{"CallbackCommand":" ","GroupId":"g"}"#, Some("C2C.X"), 0),
            Ok(Callback::Other { command }) if command == "C2C.X"
        ));
        // Case differences in the command are tolerated.
        assert!(matches!(
            parse_callback(
                br#"{"CallbackCommand":"group.callbackafterreadreceipt","GroupId":"g"}"#,
                None,
                0
            ),
            Ok(Callback::Receipt(_))
        ));
    }
}
