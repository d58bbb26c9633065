//! Group history (`group_msg_get_simple`) and sending (`send_group_msg`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::client::Core;
use super::error::ApiError;
use super::ids::check_group;
use super::result::Result;
use super::types::{Message, MessageKind, MessagePage};
use super::wire;

pub use crate::vendor::endpoints::{HISTORY, SEND};

/// Messages per history call (documented maximum of `ReqMsgNumber`).
pub const MESSAGES_PER_CALL: u32 = crate::vendor::limits::MESSAGES_PER_HISTORY_CALL;
/// Longest preview kept, in characters.
const PREVIEW_CHARS: usize = 200;

#[derive(Debug, Deserialize)]
struct HistoryWire {
    #[serde(rename = "IsFinished", default, deserialize_with = "wire::opt_u64")]
    is_finished: Option<u64>,
    #[serde(rename = "RspMsgList", default, deserialize_with = "wire::list")]
    messages: Vec<MessageWire>,
}

#[derive(Debug, Deserialize)]
struct MessageWire {
    #[serde(rename = "From_Account", default, deserialize_with = "wire::string")]
    from: String,
    #[serde(rename = "MsgSeq", default, deserialize_with = "wire::u64")]
    seq: u64,
    #[serde(rename = "MsgTimeStamp", default, deserialize_with = "wire::i64")]
    time: i64,
    #[serde(rename = "MsgBody", default, deserialize_with = "wire::list")]
    body: Vec<Value>,
    #[serde(rename = "IsPlaceMsg", default, deserialize_with = "wire::u64")]
    place: u64,
    #[serde(rename = "IsSystemMsg", default, deserialize_with = "wire::u64")]
    system: u64,
}

impl MessageWire {
    fn into_message(self) -> Message {
        let kind = match self.place {
            0 => MessageKind::Normal,
            2 => MessageKind::Recalled,
            _ => MessageKind::Expired,
        };
        Message {
            seq: self.seq,
            time: self.time,
            from: self.from,
            text: if kind == MessageKind::Normal {
                preview(&self.body)
            } else {
                String::new()
            },
            kind,
            is_system: self.system != 0,
        }
    }
}

#[derive(Debug, Deserialize)]
struct SendWire {
    #[serde(rename = "MsgSeq", default, deserialize_with = "wire::opt_u64")]
    seq: Option<u64>,
}

/// A one-line preview of a message body: text joined, other elements as `[Image]` etc.
pub fn preview(body: &[Value]) -> String {
    let parts: Vec<String> = body
        .iter()
        .map(|elem| {
            let kind = elem.get("MsgType").and_then(Value::as_str).unwrap_or("");
            let content = elem.get("MsgContent");
            let text_of = |key: &str| {
                content
                    .and_then(|c| c.get(key))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            match kind {
                "TIMTextElem" => text_of("Text"),
                "TIMImageElem" => "[Image]".into(),
                "TIMFileElem" => match text_of("FileName") {
                    n if n.is_empty() => "[File]".into(),
                    n => format!("[File {n}]"),
                },
                "TIMSoundElem" => "[Voice]".into(),
                "TIMVideoFileElem" => "[Video]".into(),
                "TIMFaceElem" => "[Sticker]".into(),
                "TIMLocationElem" => match text_of("Desc") {
                    d if d.is_empty() => "[Location]".into(),
                    d => format!("[Location {d}]"),
                },
                "TIMCustomElem" => match text_of("Desc") {
                    d if d.is_empty() => "[Custom]".into(),
                    d => format!("[Custom {d}]"),
                },
                "TIMRelayElem" => "[Forwarded messages]".into(),
                "" => "[?]".into(),
                other => format!(
                    "[{}]",
                    other.trim_start_matches("TIM").trim_end_matches("Elem")
                ),
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    let joined = parts.join(" ");
    let mut one_line = String::with_capacity(joined.len());
    let mut last_space = false;
    for c in joined.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        one_line.push(c);
    }
    let trimmed = one_line.trim();
    if trimmed.chars().count() > PREVIEW_CHARS {
        let mut cut: String = trimmed.chars().take(PREVIEW_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        trimmed.to_string()
    }
}

/// Up to `count` (≤ 20) messages with seq ≤ `before` (None = newest), newest first.
pub async fn page(
    core: &Core,
    group: &str,
    before: Option<u64>,
    count: u32,
) -> Result<MessagePage> {
    check_group(group)?;
    let mut body = json!({
        "GroupId": group,
        "ReqMsgNumber": count.clamp(1, MESSAGES_PER_CALL),
        "WithRecalledMsg": 1,
    });
    if let Some(seq) = before {
        if seq == 0 {
            return Ok(MessagePage::default());
        }
        body["ReqMsgSeq"] = json!(seq);
    }
    let wire: HistoryWire = core.call(HISTORY, &body).await?;
    Ok(to_page(wire))
}

fn to_page(wire: HistoryWire) -> MessagePage {
    let mut messages: Vec<Message> = wire
        .messages
        .into_iter()
        .map(MessageWire::into_message)
        .collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.seq));
    messages.dedup_by_key(|m| m.seq);
    let all_expired = wire.is_finished == Some(2);
    let older = match messages.last() {
        Some(oldest) if oldest.seq > 1 && !all_expired => Some(oldest.seq - 1),
        _ => None,
    };
    MessagePage { messages, older }
}

/// Send a text message; returns its MsgSeq. Never retried (a write).
pub async fn send_text(
    core: &Core,
    group: &str,
    from: &str,
    text: &str,
    need_read_receipt: bool,
) -> Result<u64> {
    check_group(group)?;
    let mut body = json!({
        "GroupId": group,
        "Random": rand::random::<u32>(),
        "MsgBody": [{ "MsgType": "TIMTextElem", "MsgContent": { "Text": text } }],
        "NeedReadReceipt": u8::from(need_read_receipt),
    });
    if !from.is_empty() {
        body["From_Account"] = json!(from);
    }
    let wire: SendWire = core.call(SEND, &body).await?;
    sent_seq(wire)
}

fn sent_seq(wire: SendWire) -> Result<u64> {
    wire.seq.ok_or_else(|| ApiError::Decode {
        api: SEND.api,
        detail: "no MsgSeq in the answer".into(),
    })
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn page(body: &[u8]) -> Result<MessagePage> {
        wire::decode_response(HISTORY.api, body).map(to_page)
    }

    pub fn sent(body: &[u8]) -> Result<u64> {
        wire::decode_response(SEND.api, body).and_then(sent_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::decode_response;

    #[test]
    fn history_sample_is_newest_first_with_placeholders() {
        let w: HistoryWire = decode_response(
            "t",
            br#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"@TGS#a","IsFinished":1,
                "RspMsgList":[
                  {"From_Account":"bob","IsPlaceMsg":0,"MsgBody":[
                     {"MsgContent":{"Text":"hello\nworld"},"MsgType":"TIMTextElem"},
                     {"MsgContent":{"Index":1},"MsgType":"TIMFaceElem"}],
                   "MsgPriority":1,"MsgRandom":1287657,"MsgSeq":7803320,"MsgTimeStamp":1458721797},
                  {"From_Account":"amy","IsPlaceMsg":0,"MsgBody":[
                     {"MsgContent":{},"MsgType":"TIMImageElem"}],
                   "MsgSeq":"7803321","MsgTimeStamp":"1458721802"},
                  {"From_Account":"","IsPlaceMsg":2,"MsgBody":[],"MsgSeq":7803319,"MsgTimeStamp":1},
                  {"IsPlaceMsg":1,"MsgSeq":7803318,"IsSystemMsg":1}]}"#,
        )
        .unwrap();
        let page = to_page(w);
        let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, vec![7803321, 7803320, 7803319, 7803318]);
        assert_eq!(page.messages[0].text, "[Image]");
        assert_eq!(page.messages[1].text, "hello world [Sticker]");
        assert_eq!(page.messages[1].time, 1458721797);
        assert_eq!(page.messages[2].kind, MessageKind::Recalled);
        assert_eq!(page.messages[3].kind, MessageKind::Expired);
        assert!(page.messages[3].is_system);
        assert_eq!(page.older, Some(7803317));
    }

    #[test]
    fn history_end_and_all_expired() {
        let page = to_page(decode_response("t", br#"{"ErrorCode":0,"IsFinished":1}"#).unwrap());
        assert!(page.messages.is_empty());
        assert_eq!(page.older, None);
        let page = to_page(
            decode_response(
                "t",
                br#"{"ErrorCode":0,"IsFinished":2,"RspMsgList":[{"IsPlaceMsg":1,"MsgSeq":9}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(page.older, None);
        let page = to_page(
            decode_response("t", br#"{"ErrorCode":0,"RspMsgList":[{"MsgSeq":1}]}"#).unwrap(),
        );
        assert_eq!(page.older, None);
    }

    #[test]
    fn preview_is_one_bounded_line() {
        let long = "x".repeat(500);
        let body = vec![json!({"MsgType":"TIMTextElem","MsgContent":{"Text": long}})];
        let p = preview(&body);
        assert_eq!(p.chars().count(), PREVIEW_CHARS);
        assert!(p.ends_with('…'));
        let body = vec![
            json!({"MsgType":"TIMCustomElem","MsgContent":{"Desc":"order"}}),
            json!({"MsgType":"TIMNewThingElem"}),
            json!({"MsgType":"TIMTextElem","MsgContent":{"Text":"a\t\tb\r\n"}}),
        ];
        assert_eq!(preview(&body), "[Custom order] [NewThing] a b");
    }
}
