use proptest::prelude::*;
use serde_json::Value;
use tim_receipts::api::ApiError;

use super::samples::{DECODERS, VALID};

/// Run every decoder on `body`; check each error.
fn check(body: &[u8]) {
    for d in DECODERS {
        if let Err(e) = (d.run)(body) {
            assert_clear(d.api, &e, body);
        }
    }
}

fn assert_clear(api: &str, e: &ApiError, body: &[u8]) {
    let shown = || String::from_utf8_lossy(body).into_owned();
    assert!(
        matches!(e, ApiError::Decode { .. } | ApiError::Service { .. }),
        "{api}: unexpected kind of error {e:?} for {}",
        shown()
    );
    assert_eq!(e.api(), Some(api), "{e:?}");
    let line = e.one_line();
    assert!(!line.trim().is_empty());
    assert!(
        !line.chars().any(char::is_control),
        "{api}: control characters (newlines, escapes) in the message {line:?} for {}",
        shown()
    );
    assert!(line.contains(api), "{line}");
    let next = e.explain().next_step;
    assert!(
        !next.trim().is_empty() && line.contains(&next),
        "{api}: no next step in {line:?}"
    );
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        hostile_text().prop_map(Value::String),
        "[0-9]{1,22}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text with plenty of newlines, terminal escapes (ESC, CSI, BEL, DEL) and long runs.
fn hostile_text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '\n', '\r', '\t', '\x1b', '\x07', '\x7f', '\u{9b}', '[', '2', 'J'
        ]),
    ];
    prop::collection::vec(c, 0..600).prop_map(|v| v.into_iter().collect())
}

/// Field names the decoders look at, and some they do not.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "ErrorCode",
            "ErrorInfo",
            "ActionStatus",
            "Action1Status",
            "Cursor",
            "IsFinish",
            "IsFinished",
            "ReadList",
            "UnreadList",
            "Read_Account",
            "Unread_Account",
            "GroupMsgReceiptList",
            "Code",
            "MsgSeq",
            "ReadNum",
            "UnreadNum",
            "GroupIdList",
            "GroupId",
            "Next",
            "TotalCount",
            "GroupInfo",
            "Type",
            "MemberNum",
            "MemberList",
            "Member_Account",
            "RspMsgList",
            "MsgBody",
            "MsgType",
            "MsgContent",
            "Text",
            "IsPlaceMsg",
            "AllC2CUnreadMsgNum",
            "C2CUnreadMsgNumList",
            "Peer_Account",
            "C2CUnreadMsgNum",
            "ErrorList",
            "NextMsgSeq",
            "JoinTime",
            "NameCard",
            "MsgFlag",
            "UserProfileItem",
            "ProfileItem",
            "Tag",
            "Value",
            "ResultCode",
            "Fail_Account",
            "To_Account",
            "QueryResult",
            "Status",
            "State",
            "Detail",
            "Platform",
        ])
        .prop_map(str::to_string),
        "[A-Za-z_]{1,10}",
    ]
}

/// Replace the value at a random path of `v` (objects and arrays) by `new`.
fn replace_at(v: &mut Value, path: &[usize], new: Value) {
    let Some((&first, rest)) = path.split_first() else {
        *v = new;
        return;
    };
    let child = match v {
        Value::Object(m) if !m.is_empty() => {
            let i = first % m.len();
            m.values_mut().nth(i)
        }
        Value::Array(a) if !a.is_empty() => {
            let i = first % a.len();
            a.get_mut(i)
        }
        _ => None,
    };
    match child {
        Some(c) => replace_at(c, rest, new),
        None => *v = new,
    }
}

/// Remove a random key at a random depth.
fn remove_at(v: &mut Value, path: &[usize]) {
    let Some((&first, rest)) = path.split_first() else {
        return;
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(first % m.len()).cloned().unwrap_or_default();
            if rest.is_empty() {
                m.remove(&key);
            } else if let Some(c) = m.get_mut(&key) {
                remove_at(c, rest);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = first % a.len();
            if rest.is_empty() {
                a.remove(i);
            } else {
                remove_at(&mut a[i], rest);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..1024)) {
        check(&body);
    }

    #[test]
    fn mutated_bytes_of_valid_samples(
        which in 0..VALID.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..4u8), 1..8),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut body = VALID[which].as_bytes().to_vec();
        for (at, byte, op) in edits {
            if body.is_empty() {
                body.push(byte);
                continue;
            }
            let i = at.index(body.len());
            match op {
                0 => body[i] = byte,
                1 => body.insert(i, byte),
                2 => { body.remove(i); }
                _ => body[i] ^= 1 << (byte % 8),
            }
        }
        if let Some(cut) = cut {
            let at = cut.index(body.len() + 1);
            body.truncate(at);
        }
        check(&body);
    }

    #[test]
    fn wrong_type_or_missing_fields_in_valid_samples(
        which in 0..VALID.len(),
        path in prop::collection::vec(any::<usize>(), 1..5),
        new in json_value(),
        remove in any::<bool>(),
    ) {
        let mut v: Value = serde_json::from_str(VALID[which]).unwrap();
        if remove {
            remove_at(&mut v, &path);
        } else {
            replace_at(&mut v, &path, new);
        }
        check(v.to_string().as_bytes());
    }

    #[test]
    fn arbitrary_json_with_a_success_envelope(
        mut fields in prop::collection::btree_map(field_name(), json_value(), 0..8),
        code in prop_oneof![Just(Value::from(0)), json_value()],
    ) {
        fields.insert("ErrorCode".into(), code);
        let body = Value::Object(fields.into_iter().collect()).to_string();
        check(body.as_bytes());
    }

    #[test]
    fn error_info_is_never_shown_raw(info in hostile_text(), code in 1..100_000i64) {
        let body = serde_json::json!({"ActionStatus":"FAIL","ErrorCode":code,"ErrorInfo":info});
        check(body.to_string().as_bytes());
    }
}
