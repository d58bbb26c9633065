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
