//! Properties of the body parser (proptest).

use proptest::prelude::*;
use tim_receipts::webhook::{Callback, Rejection, parse_callback};

use super::SEED_SAMPLE;

/// A parse result is an event or a refusal in words, never a panic.
fn check(body: &[u8]) {
    match parse_callback(body, Some("Group.CallbackAfterReadReceipt"), 7) {
        Ok(Callback::Receipt(event)) => {
            // An event is only made from a JSON object, and it reflects that object.
            let v: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert_eq!(
                Some(event.group_id.as_str()),
                v["GroupId"].as_str().map(str::trim)
            );
            assert!(!event.group_id.is_empty());
            let items = v["GroupMsgReceiptList"].as_array().map_or(0, Vec::len);
            assert_eq!(event.receipts.len(), items);
            if v["EventTime"].is_null() {
                assert_eq!(event.event_time_ms, 7);
            }
        }
        Ok(Callback::Other { command }) => assert!(!command.is_empty()),
        Err(rejection) => {
            assert!(matches!(
                rejection,
                Rejection::MalformedJson(_) | Rejection::InvalidEvent(_)
            ));
            assert!(rejection.to_string().len() > 10);
            assert_eq!(rejection.status().as_u16(), 400);
        }
    }
}

/// Arbitrary JSON values, nested a little.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<u64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        "[0-9]{0,20}".prop_map(serde_json::Value::String),
        ".{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let keys = prop_oneof![
            Just("GroupId".to_string()),
            Just("Type".to_string()),
            Just("EventTime".to_string()),
            Just("GroupMsgReceiptList".to_string()),
            Just("MsgSeq".to_string()),
            Just("ReadNum".to_string()),
            Just("UnreadNum".to_string()),
            Just("ReadReceiptMembers".to_string()),
            Just("Member_Account".to_string()),
            Just("CallbackCommand".to_string()),
            "[a-zA-Z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&body);
    }

    #[test]
    fn mutated_seed_sample(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut body = SEED_SAMPLE.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let i = at.index(body.len());
            match op {
                0 => body[i] = byte,
                1 => body.insert(i, byte),
                _ => { body.remove(i); }
            }
        }
        if truncate {
            let len = cut.index(body.len() + 1);
            body.truncate(len);
        }
        check(&body);
    }

    #[test]
    fn arbitrary_json(value in json_value()) {
        check(value.to_string().as_bytes());
    }

    #[test]
    fn receipt_shaped_json(
        group in "[@A-Za-z0-9#_]{1,20}",
        items in prop::collection::vec((json_value(), json_value(), json_value()), 0..4),
        time in json_value(),
    ) {
        let list: Vec<serde_json::Value> = items
            .into_iter()
            .map(|(seq, read, members)| serde_json::json!({
                "MsgSeq": seq, "ReadNum": read, "UnreadNum": 1, "ReadReceiptMembers": members
            }))
            .collect();
        let body = serde_json::json!({
            "CallbackCommand": "Group.CallbackAfterReadReceipt",
            "GroupId": group, "Type": "Public", "GroupMsgReceiptList": list, "EventTime": time
        });
        check(body.to_string().as_bytes());
    }
}

#[test]
fn valid_sample_parses() {
    let parsed = parse_callback(SEED_SAMPLE.as_bytes(), None, 7);
    assert!(matches!(parsed, Ok(Callback::Receipt(e)) if e.receipts.len() == 2));
}
