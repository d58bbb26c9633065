//! Bad input: every response decoder of the client fed arbitrary bytes, mutated samples
//! from the vendor pages and wrong-type fields (proptest), and the binary fed malformed
//! configuration files. Nothing may panic; every failure is one clear line.
//! Run: `cargo test --test it decoders::`.
//!
//! The webhook parser has its own properties in tests/it/webhook/parser_properties.rs.

/// The ten response decoders and their samples.
mod samples {
    use tim_receipts::api::decode;
    use tim_receipts::api::{ApiError, ReceiptFilter, WriteAction};

    /// One decoder: the API it is for, and a way to run it on a body, reduced to
    /// `Ok(debug of the value)` or the error.
    pub struct Decoder {
        pub api: &'static str,
        pub run: fn(&[u8]) -> Result<String, ApiError>,
    }

    fn dbg<T: std::fmt::Debug>(r: Result<T, ApiError>) -> Result<String, ApiError> {
        r.map(|v| format!("{v:?}"))
    }

    pub fn asked() -> Vec<String> {
        vec!["@TGS#1A".into(), "@TGS#2B".into()]
    }

    pub const DECODERS: &[Decoder] = &[
        Decoder {
            api: "get_appid_group_list",
            run: |b| dbg(decode::group_id_page(b)),
        },
        Decoder {
            api: "get_group_info",
            run: |b| dbg(decode::group_info(b, &asked())),
        },
        Decoder {
            api: "get_group_member_info",
            run: |b| dbg(decode::group_members(b, false)),
        },
        Decoder {
            api: "get_group_member_info",
            run: |b| dbg(decode::group_members(b, true)),
        },
        Decoder {
            api: "get_specified_group_member_info",
            run: |b| dbg(decode::group_members_by_id(b)),
        },
        Decoder {
            api: "group_msg_get_simple",
            run: |b| dbg(decode::messages(b)),
        },
        Decoder {
            api: "send_group_msg",
            run: |b| dbg(decode::sent_msg_seq(b)),
        },
        Decoder {
            api: "get_group_msg_receipt",
            run: |b| dbg(decode::receipt_counts(b)),
        },
        Decoder {
            api: "get_group_msg_receipt_detail",
            run: |b| dbg(decode::receipt_page(b, ReceiptFilter::Read)),
        },
        Decoder {
            api: "get_group_msg_receipt_detail",
            run: |b| dbg(decode::receipt_page(b, ReceiptFilter::Unread)),
        },
        Decoder {
            api: "get_c2c_unread_msg_num",
            run: |b| dbg(decode::c2c_unread(b)),
        },
        Decoder {
            api: "admin_set_msg_read",
            run: |b| {
                let a = WriteAction::MarkC2cRead {
                    report: "a".into(),
                    peer: "b".into(),
                    time: None,
                };
                dbg(decode::write_ack(&a, b))
            },
        },
        Decoder {
            api: "set_unread_msg_num",
            run: |b| {
                let a = WriteAction::SetUnread {
                    group: "g".into(),
                    member: "m".into(),
                    unread: 1,
                };
                dbg(decode::write_ack(&a, b))
            },
        },
    ];

    /// Valid answers: the seed pages' samples (000 with its comments removed, 001, 002,
    /// 004 with its `Action1Status`), and answers shaped as reference §4 describes them.
    pub const VALID: &[&str] = &[
        // seed 000, read list
        r#"{"ActionStatus":"OK","Cursor":"0","ErrorCode":0,"ErrorInfo":"","IsFinish":1,"MsgSeq":1,"ReadList":[{"Read_Account":"test1"}]}"#,
        // seed 000, unread list
        r#"{"ActionStatus":"OK","Cursor":"144115213529088617","ErrorCode":0,"ErrorInfo":"","IsFinish":0,"MsgSeq":1,"UnreadList":[{"Unread_Account":"test"},{"Unread_Account":"test6"},{"Unread_Account":"test3"},{"Unread_Account":"test5"},{"Unread_Account":"test4"}]}"#,
        // seed 001
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","GroupMsgReceiptList":[{"Code":0,"MsgSeq":1,"ReadNum":1,"UnreadNum":6},{"Code":0,"MsgSeq":2,"ReadNum":1,"UnreadNum":6}]}"#,
        // seed 002
        r#"{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0}"#,
        // seed 004
        r#"{"Action1Status": "OK","ErrorInfo": "","ErrorCode": 0}"#,
        // get_appid_group_list (reference 4.1: Next above 2^32)
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","TotalCount":2,"GroupIdList":[{"GroupId":"@TGS#1A"},{"GroupId":"@TGS#2B"}],"Next":4454685361}"#,
        // get_group_info (reference 4.2), one group found and one not
        r#"{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[{"GroupId":"@TGS#1A","ErrorCode":0,"Type":"Private","Name":"ops","Owner_Account":"alice","MemberNum":3,"MaxMemberNum":200,"NextMsgSeq":11,"CreateTime":1670000000,"LastMsgTime":1670000100},{"GroupId":"@TGS#2B","ErrorCode":10010,"ErrorInfo":"group not found"}]}"#,
        // get_group_member_info (reference 4.3), Community paging
        r#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":2,"MemberList":[{"Member_Account":"alice","Role":"Owner","JoinTime":1670000000,"MsgSeq":10},{"Member_Account":"bob","Role":"Member","JoinTime":"1670000001","MsgSeq":"4"}],"Next":"144115265295492787"}"#,
        // group_msg_get_simple (reference 4.4), a text, a recalled and an expired message
        r#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"@TGS#1A","IsFinished":1,"RspMsgList":[{"From_Account":"alice","IsPlaceMsg":0,"IsSystemMsg":0,"MsgBody":[{"MsgContent":{"Text":"hello"},"MsgType":"TIMTextElem"}],"MsgPriority":1,"MsgRandom":8,"MsgSeq":3,"MsgTimeStamp":1458721802},{"From_Account":"bob","IsPlaceMsg":2,"MsgBody":[],"MsgSeq":2,"MsgTimeStamp":1458721797},{"IsPlaceMsg":1,"MsgSeq":1}]}"#,
        // send_group_msg (reference 4.8)
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgTime":1670000000,"MsgSeq":12,"MsgDropReason":""}"#,
        // get_c2c_unread_msg_num (reference 4.6)
        r#"{"ActionStatus":"OK","ErrorCode":0,"AllC2CUnreadMsgNum":12,"C2CUnreadMsgNumList":[{"Peer_Account":"bob","C2CUnreadMsgNum":5}],"ErrorList":[{"Peer_Account":"ghost","ErrorCode":70107}]}"#,
    ];
}

/// Properties over every decoder: no panic, and a failure is an error about the right API,
/// one line of printable text with a next step.
mod decoder_properties {
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
}

/// Concrete cases with the exact answers wanted.
mod decoder_cases {
    use tim_receipts::api::decode;
    use tim_receipts::api::{ApiError, MessageKind, ReceiptFilter};

    use super::samples::{DECODERS, VALID};

    #[test]
    fn every_valid_sample_decodes_somewhere_and_fails_clearly_elsewhere() {
        for body in VALID {
            let ok = DECODERS
                .iter()
                .filter(|d| (d.run)(body.as_bytes()).is_ok())
                .count();
            assert!(ok >= 1, "no decoder accepts {body}");
        }
        let counts = decode::receipt_counts(VALID[2].as_bytes()).unwrap();
        assert_eq!(counts.len(), 2);
        assert_eq!((counts[0].read, counts[0].unread), (Some(1), Some(6)));
        let page = decode::receipt_page(VALID[1].as_bytes(), ReceiptFilter::Unread).unwrap();
        assert_eq!(page.accounts, ["test", "test6", "test3", "test5", "test4"]);
        assert!(!page.finished);
        let groups = decode::group_id_page(VALID[5].as_bytes()).unwrap();
        assert_eq!(groups.next, 4_454_685_361);
        let info = decode::group_info(VALID[6].as_bytes(), &super::samples::asked()).unwrap();
        assert_eq!((info[0].code, info[1].code), (0, 10010));
        let members = decode::group_members(VALID[7].as_bytes(), true).unwrap();
        assert_eq!(members.next.as_deref(), Some("144115265295492787"));
        assert_eq!(members.members[1].last_read_seq, 4);
        let history = decode::messages(VALID[8].as_bytes()).unwrap();
        let kinds: Vec<MessageKind> = history.messages.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                MessageKind::Normal,
                MessageKind::Recalled,
                MessageKind::Expired
            ]
        );
        assert_eq!(decode::sent_msg_seq(VALID[9].as_bytes()).unwrap(), 12);
        let c2c = decode::c2c_unread(VALID[10].as_bytes()).unwrap();
        assert_eq!(c2c.errors, [("ghost".to_string(), 70107)]);
    }

    /// The seed 000 sample as printed, with its `//` comments: not JSON, said plainly.
    #[test]
    fn the_seed_sample_with_comments_is_a_clear_decode_error() {
        let body = "{\n\"ActionStatus\": \"OK\",\n\"Cursor\": \"0\",\n\"ErrorCode\": 0,\n\"IsFinish\": 1, // The list is fully pulled.\n\"ReadList\": []\n}";
        let err = decode::receipt_page(body.as_bytes(), ReceiptFilter::Read).unwrap_err();
        let ApiError::Decode { api, detail } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*api, "get_group_msg_receipt_detail");
        assert!(detail.contains("not JSON"), "{detail}");
    }

    #[test]
    fn every_truncation_of_every_sample_is_an_error_saying_truncated() {
        for body in VALID {
            for cut in 1..body.len() - 1 {
                let part = &body.as_bytes()[..cut];
                for d in DECODERS {
                    match (d.run)(part) {
                        Err(ApiError::Decode { detail, .. }) => {
                            assert!(detail.contains("truncated"), "{detail} for {part:?}")
                        }
                        other => panic!(
                            "{}: {other:?} for {:?}",
                            d.api,
                            String::from_utf8_lossy(part)
                        ),
                    }
                }
            }
        }
    }

    /// A field of the wrong type names the field, so a user reporting it can say which.
    #[test]
    fn a_wrong_type_field_is_named() {
        type Run = fn(&[u8]) -> Result<String, ApiError>;
        let cases: [(&str, Run, &str); 4] = [
            (
                r#"{"ErrorCode":0,"GroupMsgReceiptList":[{"Code":0,"MsgSeq":"abc"}]}"#,
                |b| decode::receipt_counts(b).map(|v| format!("{v:?}")),
                "MsgSeq",
            ),
            (
                r#"{"ErrorCode":0,"ReadList":{"Read_Account":"x"}}"#,
                |b| decode::receipt_page(b, ReceiptFilter::Read).map(|v| format!("{v:?}")),
                "ReadList",
            ),
            (
                r#"{"ErrorCode":0,"Next":-1}"#,
                |b| decode::group_id_page(b).map(|v| format!("{v:?}")),
                "Next",
            ),
            (
                r#"{"ErrorCode":0,"C2CUnreadMsgNumList":[{"Peer_Account":"b","C2CUnreadMsgNum":[1]}]}"#,
                |b| decode::c2c_unread(b).map(|v| format!("{v:?}")),
                "C2CUnreadMsgNum",
            ),
        ];
        for (body, run, field) in cases {
            let err = run(body.as_bytes()).unwrap_err();
            assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
            assert!(
                err.to_string().contains(field),
                "{field} not named in {err}"
            );
        }
    }

    #[test]
    fn a_service_error_keeps_its_code_and_explains_it() {
        let body = br#"{"ActionStatus":"FAIL","ErrorCode":70009,"ErrorInfo":"sig check failed"}"#;
        let err = decode::receipt_counts(body).unwrap_err();
        assert_eq!(err.code(), Some(70009));
        assert!(err.one_line().contains("secret key"), "{}", err.one_line());
    }
}

/// Malformed configuration, run through the real binary with `--config`: one line on
/// stderr naming the file, the field and the fix (tests/it/cli has the wrong-type sdkappid
/// and the world-readable key file; these are the rest), and no network call (cases that need an
/// endpoint use `http://127.0.0.1:9`, where nothing listens).
mod bad_config {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output, Stdio};

    struct Case {
        name: &'static str,
        toml: &'static str,
        /// Environment besides the scratch HOME.
        env: &'static [(&'static str, &'static str)],
        /// The file the message must name: "" for the config file, else a file next to it.
        file: &'static str,
        /// Words the message must contain besides the file name.
        field: &'static str,
        fix: &'static str,
    }

    const CASES: &[Case] = &[
        Case {
            name: "bad TOML syntax",
            toml: "[profiles.default\nsdkappid = 1400000000\n",
            env: &[],
            file: "",
            field: "profiles.default",
            fix: "fix the TOML syntax",
        },
        Case {
            name: "unknown field",
            toml: "[profiles.default]\nsdkapid = 1400000000\n",
            env: &[],
            file: "",
            field: "profiles.default.sdkapid",
            fix: "remove or rename it",
        },
        Case {
            name: "wrong type: string for a number",
            toml: "[profiles.default]\ntimeout_secs = \"ten\"\n",
            env: &[],
            file: "",
            field: "profiles.default.timeout_secs",
            fix: "give it the type",
        },
        Case {
            name: "wrong type: string for a boolean",
            toml: "[profiles.default]\nread_only = \"yes\"\n",
            env: &[],
            file: "",
            field: "profiles.default.read_only",
            fix: "true/false",
        },
        Case {
            name: "wrong type: negative budget",
            toml: "[profiles.default]\nbudget = -5\n",
            env: &[],
            file: "",
            field: "profiles.default.budget",
            fix: "give it the type",
        },
        Case {
            name: "unknown region",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nregion = \"mars\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "profiles.default.region",
            fix: "singapore",
        },
        Case {
            name: "endpoint not a URL",
            toml: "[profiles.default]\nsdkappid = 1400000000\nendpoint = \"adminapisgp.im.qcloud.com\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "profiles.default.endpoint",
            fix: "https://",
        },
        Case {
            name: "missing key",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\n",
            env: &[],
            file: "",
            field: "secret_key",
            fix: "TIM_SECRET_KEY",
        },
        Case {
            name: "key file missing",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_file = \"no-such.key\"\n",
            env: &[],
            file: "no-such.key",
            field: "secret_key_file",
            fix: "create it",
        },
        Case {
            name: "key env var not set",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_env = \"MY_TIM_KEY\"\n",
            env: &[],
            file: "",
            field: "profiles.default.secret_key_env",
            fix: "export MY_TIM_KEY",
        },
        Case {
            name: "two key sources",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_env = \"A\"\nsecret_key_file = \"b.key\"\n",
            env: &[],
            file: "",
            field: "secret_key_file",
            fix: "keep exactly one",
        },
        Case {
            name: "missing sdkappid",
            toml: "[profiles.default]\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "sdkappid",
            fix: "TIM_SDKAPPID",
        },
        Case {
            name: "missing identifier",
            toml: "[profiles.default]\nsdkappid = 1400000000\nendpoint = \"http://127.0.0.1:9\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "identifier",
            fix: "TIM_IDENTIFIER",
        },
        Case {
            name: "budget out of range",
            toml: "[profiles.default]\nbudget = 500\n",
            env: &[],
            file: "",
            field: "profiles.default.budget",
            fix: "use 1 to 200",
        },
        Case {
            name: "zero timeout",
            toml: "[profiles.default]\ntimeout_secs = 0\n",
            env: &[],
            file: "",
            field: "profiles.default.timeout_secs",
            fix: "at least 1",
        },
        Case {
            name: "max_attempts out of range",
            toml: "[profiles.default]\nmax_attempts = 50\n",
            env: &[],
            file: "",
            field: "profiles.default.max_attempts",
            fix: "1 to 10",
        },
        Case {
            name: "webhook_listen not an address",
            toml: "[profiles.default]\nwebhook_listen = \"port 9000\"\n",
            env: &[],
            file: "",
            field: "profiles.default.webhook_listen",
            fix: "HOST:PORT",
        },
        Case {
            name: "both webhook token sources",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nwebhook_token = \"t\"\nwebhook_token_env = \"T\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "profiles.default.webhook_token",
            fix: "keep one",
        },
        Case {
            name: "unknown profile",
            toml: "default_profile = \"prod\"\n[profiles.staging]\nsdkappid = 1\n",
            env: &[],
            file: "",
            field: "prod",
            fix: "add [profiles.prod]",
        },
        Case {
            name: "token env var not set",
            toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nwebhook_token_env = \"MY_TIM_TOKEN\"\n",
            env: &[("TIM_SECRET_KEY", "k")],
            file: "",
            field: "profiles.default.webhook_token_env",
            fix: "export MY_TIM_TOKEN",
        },
    ];

    fn run(home: &Path, config: &Path, env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tim-receipts"))
            .env_clear()
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .envs(env.iter().copied())
            .arg("--config")
            .arg(config)
            .args(["receipts", "@TGS#1A", "1"])
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs")
    }

    fn write_config(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }

    #[test]
    fn each_bad_config_gives_one_line_with_file_field_and_fix() {
        let mut failures = Vec::new();
        for case in CASES {
            let home = tempfile::tempdir().unwrap();
            let config = write_config(home.path(), case.toml);
            let out = run(home.path(), &config, case.env);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            let file = match case.file {
                "" => config.display().to_string(),
                name => home.path().join(name).display().to_string(),
            };
            let mut problems = Vec::new();
            if out.status.success() {
                problems.push("exit status 0".to_string());
            }
            if !out.stdout.is_empty() {
                problems.push("output on stdout".into());
            }
            if err.trim().lines().count() != 1 {
                problems.push("not exactly one line".into());
            }
            for (what, word) in [
                ("file", file.as_str()),
                ("field", case.field),
                ("fix", case.fix),
            ] {
                if !err.contains(word) {
                    problems.push(format!("no {what} ({word:?})"));
                }
            }
            if err.contains("network error") || err.contains("127.0.0.1:9") {
                problems.push("it tried the network".into());
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{}: {}\n    stderr: {}",
                    case.name,
                    problems.join(", "),
                    err.trim()
                ));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn a_missing_explicit_config_file_says_so() {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("nope.toml");
        let out = run(home.path(), &config, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains(&config.display().to_string()) && err.contains("does not exist"),
            "{err}"
        );
        assert!(err.contains("--config"), "{err}");
    }
}
