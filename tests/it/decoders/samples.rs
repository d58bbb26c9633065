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
        api: "portrait_get",
        run: |b| dbg(decode::profiles(b, &asked())),
    },
    Decoder {
        api: "query_online_status",
        run: |b| dbg(decode::online_status(b, &asked())),
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
    // portrait_get (reference 11.4), with an account that failed
    r#"{"UserProfileItem":[{"To_Account":"id1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"NickNameTest1"}],"ResultCode":0,"ResultInfo":""},{"To_Account":"ghost","ProfileItem":[],"ResultCode":40003,"ResultInfo":""}],"Fail_Account":["ghost"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#,
    // query_online_status (reference 11.4), with details and an unknown account
    r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"QueryResult":[{"To_Account":"id1","Status":"Online","Detail":[{"Platform":"iPhone","Status":"PushOnline"},{"Platform":"Web","Status":"Online"}]},{"To_Account":"id2","Status":"Offline"}],"ErrorList":[{"To_Account":"id4","ErrorCode":70107}]}"#,
];
