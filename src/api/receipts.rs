//! Group read receipts: counts (`get_group_msg_receipt`), member lists
//! (`get_group_msg_receipt_detail`) and the admin receipt (`group_msg_receipt`).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::client::Core;
use super::error::ApiError;
use super::ids::check_group;
use super::limits::{in_batches, unique};
use super::pager::{self, PageGuard, PagingFault, limits};
use super::result::Result;
use super::types::{Drained, MemberPage, ReceiptCount, ReceiptFilter};
use super::wire;

pub use crate::vendor::endpoints::{GET_RECEIPT, GET_RECEIPT_DETAIL, SEND_RECEIPT};

/// Seqs per get_group_msg_receipt call. The cap is undocumented; the sibling
/// group_msg_receipt caps at 50, so we do too.
pub const SEQS_PER_CALL: usize = crate::vendor::limits::SEQS_PER_RECEIPT_CALL;
/// Members per get_group_msg_receipt_detail page (the documented maximum). A receipt list
/// holds at most 199 members (receipts exist only in groups of up to 200), so one page of
/// this size is the whole list; smaller pages are allowed.
pub const MEMBERS_PER_PAGE: u32 = crate::vendor::limits::RECEIPT_MEMBERS_PER_PAGE;
/// `code` of a seq the service left out of its answer (not a vendor code).
pub const CODE_MISSING: i64 = -1;

#[derive(Debug, Deserialize)]
struct ReceiptListWire {
    #[serde(
        rename = "GroupMsgReceiptList",
        default,
        deserialize_with = "wire::list"
    )]
    list: Vec<ReceiptItemWire>,
}

#[derive(Debug, Deserialize)]
struct ReceiptItemWire {
    #[serde(rename = "MsgSeq", default, deserialize_with = "wire::u64")]
    seq: u64,
    #[serde(
        rename = "Code",
        alias = "ErrorCode",
        default,
        deserialize_with = "wire::i64"
    )]
    code: i64,
    #[serde(rename = "ReadNum", default, deserialize_with = "wire::opt_u64")]
    read: Option<u64>,
    #[serde(rename = "UnreadNum", default, deserialize_with = "wire::opt_u64")]
    unread: Option<u64>,
}

impl ReceiptItemWire {
    fn into_count(self) -> ReceiptCount {
        if self.code == 0 {
            ReceiptCount {
                seq: self.seq,
                read: Some(self.read.unwrap_or(0)),
                unread: Some(self.unread.unwrap_or(0)),
                code: 0,
            }
        } else {
            ReceiptCount {
                seq: self.seq,
                read: None,
                unread: None,
                code: self.code,
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct DetailWire {
    #[serde(rename = "Cursor", default, deserialize_with = "wire::string")]
    cursor: String,
    // Both spellings occur (the vendor's sample says IsFinish, its table IsFinished);
    // either may be absent.
    #[serde(rename = "IsFinish", default, deserialize_with = "wire::opt_u64")]
    is_finish: Option<u64>,
    #[serde(rename = "IsFinished", default, deserialize_with = "wire::opt_u64")]
    is_finished: Option<u64>,
    #[serde(rename = "ReadList", default, deserialize_with = "wire::list")]
    read_list: Vec<Value>,
    #[serde(rename = "UnreadList", default, deserialize_with = "wire::list")]
    unread_list: Vec<Value>,
}

impl DetailWire {
    fn into_page(self, filter: ReceiptFilter) -> MemberPage {
        let (list, keys): (&[Value], &[&str]) = match filter {
            ReceiptFilter::Read => (&self.read_list, &["Read_Account", "Member_Account"]),
            ReceiptFilter::Unread => (&self.unread_list, &["Unread_Account", "Member_Account"]),
        };
        let accounts: Vec<String> = list
            .iter()
            .filter_map(|e| wire::account_of(e, keys))
            .collect();
        let flag = self.is_finish.or(self.is_finished);
        let finished = match flag {
            Some(f) => f != 0,
            None => accounts.is_empty(),
        };
        MemberPage {
            accounts,
            cursor: self.cursor,
            finished,
        }
    }
}

/// Counts for `seqs`, in the order asked (duplicates answered again), chunked by 50.
pub async fn counts(core: &Core, group: &str, seqs: &[u64]) -> Result<Vec<ReceiptCount>> {
    check_group(group)?;
    let unique = unique(seqs);
    let answers = in_batches(&unique, SEQS_PER_CALL, |chunk| {
        counts_chunk(core, group, chunk)
    })
    .await?;
    let by_seq: HashMap<u64, ReceiptCount> =
        answers.into_iter().flatten().map(|c| (c.seq, c)).collect();
    Ok(seqs
        .iter()
        .map(|s| {
            by_seq.get(s).copied().unwrap_or(ReceiptCount {
                seq: *s,
                read: None,
                unread: None,
                code: CODE_MISSING,
            })
        })
        .collect())
}

async fn counts_chunk(core: &Core, group: &str, seqs: &[u64]) -> Result<Vec<ReceiptCount>> {
    let list: Vec<Value> = seqs.iter().map(|s| json!({ "MsgSeq": s })).collect();
    let body = json!({ "GroupId": group, "MsgSeqList": list });
    let wire: ReceiptListWire = core.call(GET_RECEIPT, &body).await?;
    Ok(counts_of(wire))
}

fn counts_of(wire: ReceiptListWire) -> Vec<ReceiptCount> {
    wire.list
        .into_iter()
        .map(ReceiptItemWire::into_count)
        .collect()
}

/// One cursor page of a member list.
pub async fn page(
    core: &Core,
    group: &str,
    seq: u64,
    filter: ReceiptFilter,
    cursor: &str,
    count: u32,
) -> Result<MemberPage> {
    check_group(group)?;
    let body = json!({
        "GroupId": group,
        "MsgSeq": seq,
        "Filter": filter.wire(),
        "Cursor": cursor,
        "Count": count.clamp(1, MEMBERS_PER_PAGE),
    });
    let wire: DetailWire = core.call(GET_RECEIPT_DETAIL, &body).await?;
    Ok(wire.into_page(filter))
}

/// Every page of a member list, in server order, `page_size` members a call (1–200), held to the bounds of a receipt list:
/// at most 199 members (receipts exist only in groups of up to 200), and no more than the
/// `ReadNum + UnreadNum` the service reports for the message; a page that makes no
/// progress or repeats a cursor stops the drain (see [`super::pager`]). Accounts sent
/// twice are dropped; [`Drained`] says how many.
pub async fn all_members(
    core: &Core,
    group: &str,
    seq: u64,
    filter: ReceiptFilter,
    page_size: u32,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<Drained> {
    let mut guard = PageGuard::new(
        limits::RECEIPT_LIST_MAX,
        "the most a receipt list can hold (receipts exist only in groups of up to 200 members)",
    );
    if let Some(c) = counts(core, group, &[seq]).await?.first()
        && c.code == 0
        && let (Some(read), Some(unread)) = (c.read, c.unread)
    {
        guard.reported(
            read.saturating_add(unread),
            "ReadNum + UnreadNum of the message",
        );
    }
    let mut cursor = String::new();
    let mut accounts = Vec::new();
    // The guard ends the loop: each unfinished page must add an account, and accounts are
    // capped. The count here is a second wall.
    for _ in 0..=limits::RECEIPT_LIST_MAX + 1 {
        let p = page(core, group, seq, filter, &cursor, page_size).await?;
        let next = (!p.finished).then_some(p.cursor.as_str());
        let fresh = guard
            .accept(
                page_size.clamp(1, MEMBERS_PER_PAGE) as usize,
                p.accounts.clone(),
                String::clone,
                next,
            )
            .map_err(|f| pager::fault_error(GET_RECEIPT_DETAIL.api, f))?;
        accounts.extend(fresh);
        progress(accounts.len());
        if p.finished {
            if guard.duplicates() > 0 {
                tracing::warn!(
                    api = GET_RECEIPT_DETAIL.api,
                    duplicates = guard.duplicates(),
                    "dropped accounts the service sent twice"
                );
            }
            return Ok(Drained {
                accounts,
                duplicates: guard.duplicates(),
            });
        }
        cursor = p.cursor;
    }
    Err(pager::fault_error(
        GET_RECEIPT_DETAIL.api,
        PagingFault::TooLong {
            limit: guard.limit(),
            why: "pages kept coming".into(),
        },
    ))
}

/// The admin read receipt for ≤ 50 seqs on behalf of `member`.
pub async fn ack(core: &Core, group: &str, member: &str, seqs: &[u64]) -> Result<()> {
    check_group(group)?;
    if seqs.is_empty() || seqs.len() > SEQS_PER_CALL {
        return Err(ApiError::Invalid(format!(
            "group_msg_receipt takes 1 to {SEQS_PER_CALL} seqs, not {}",
            seqs.len()
        )));
    }
    let list: Vec<Value> = seqs.iter().map(|s| json!({ "MsgSeq": s })).collect();
    let body = json!({ "GroupId": group, "From_Account": member, "MsgSeqList": list });
    let _: Value = core.call(SEND_RECEIPT, &body).await?;
    Ok(())
}

/// Decoders of whole response bodies (see `api::decode`).
pub(super) mod decode {
    use super::*;

    pub fn counts(body: &[u8]) -> Result<Vec<ReceiptCount>> {
        wire::decode_response(GET_RECEIPT.api, body).map(counts_of)
    }

    pub fn page(body: &[u8], filter: ReceiptFilter) -> Result<MemberPage> {
        wire::decode_response::<DetailWire>(GET_RECEIPT_DETAIL.api, body)
            .map(|w| w.into_page(filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::decode_response;

    #[test]
    fn decodes_the_vendors_counts_sample() {
        let body = br#"{
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "GroupMsgReceiptList": [
                {"Code": 0, "MsgSeq": 1, "ReadNum": 1, "UnreadNum": 6},
                {"Code": 0, "MsgSeq": 2, "ReadNum": 1, "UnreadNum": 6}
            ]}"#;
        let w: ReceiptListWire = decode_response("t", body).unwrap();
        let counts: Vec<_> = w
            .list
            .into_iter()
            .map(ReceiptItemWire::into_count)
            .collect();
        assert_eq!(
            counts[0],
            ReceiptCount {
                seq: 1,
                read: Some(1),
                unread: Some(6),
                code: 0
            }
        );
        assert_eq!(counts.len(), 2);
    }

    #[test]
    fn per_seq_10062_is_no_receipt_and_strings_are_numbers() {
        let body = br#"{"ErrorCode":0,"GroupMsgReceiptList":[
            {"Code":10062,"MsgSeq":"7"},
            {"Code":"0","MsgSeq":"8","ReadNum":"3","UnreadNum":"4","Extra":true}]}"#;
        let w: ReceiptListWire = decode_response("t", body).unwrap();
        let counts: Vec<_> = w
            .list
            .into_iter()
            .map(ReceiptItemWire::into_count)
            .collect();
        assert_eq!(
            counts,
            vec![
                ReceiptCount {
                    seq: 7,
                    read: None,
                    unread: None,
                    code: 10062
                },
                ReceiptCount {
                    seq: 8,
                    read: Some(3),
                    unread: Some(4),
                    code: 0
                },
            ]
        );
        // A missing list is an empty one.
        let w: ReceiptListWire = decode_response("t", br#"{"ErrorCode":0}"#).unwrap();
        assert!(w.list.is_empty());
    }

    #[test]
    fn decodes_the_vendors_detail_samples() {
        let read = br#"{"ActionStatus":"OK","Cursor":"0","ErrorCode":0,"ErrorInfo":"",
            "IsFinish":1,"MsgSeq":1,"ReadList":[{"Read_Account":"test1"}]}"#;
        let w: DetailWire = decode_response("t", read).unwrap();
        let p = w.into_page(ReceiptFilter::Read);
        assert_eq!(p.accounts, vec!["test1"]);
        assert!(p.finished);
        assert_eq!(p.cursor, "0");

        let unread = br#"{"ActionStatus":"OK","Cursor":"144115213529088617","ErrorCode":0,
            "ErrorInfo":"","IsFinish":0,"MsgSeq":1,"UnreadList":[{"Unread_Account":"test"},
            {"Unread_Account":"test6"},{"Unread_Account":"test3"},{"Unread_Account":"test5"},
            {"Unread_Account":"test4"}]}"#;
        let p = decode_response::<DetailWire>("t", unread)
            .unwrap()
            .into_page(ReceiptFilter::Unread);
        assert_eq!(p.accounts, vec!["test", "test6", "test3", "test5", "test4"]);
        assert!(!p.finished);
        assert_eq!(p.cursor, "144115213529088617");
    }

    #[test]
    fn is_finished_spelling_and_missing_flag() {
        let w: DetailWire = decode_response(
            "t",
            br#"{"ErrorCode":0,"IsFinished":"1","Cursor":123,"ReadList":[{"Read_Account":"a"}]}"#,
        )
        .unwrap();
        let p = w.into_page(ReceiptFilter::Read);
        assert!(p.finished);
        assert_eq!(p.cursor, "123");
        // No flag: an empty page is the end; a full one is not.
        let p = decode_response::<DetailWire>("t", br#"{"ErrorCode":0,"Cursor":"9"}"#)
            .unwrap()
            .into_page(ReceiptFilter::Unread);
        assert!(p.finished && p.accounts.is_empty());
        let p = decode_response::<DetailWire>(
            "t",
            br#"{"ErrorCode":0,"Cursor":"9","UnreadList":[{"Unread_Account":"x"}]}"#,
        )
        .unwrap()
        .into_page(ReceiptFilter::Unread);
        assert!(!p.finished);
        // The other list is ignored.
        let p = decode_response::<DetailWire>(
            "t",
            br#"{"ErrorCode":0,"IsFinish":1,"UnreadList":[{"Unread_Account":"x"}]}"#,
        )
        .unwrap()
        .into_page(ReceiptFilter::Read);
        assert!(p.accounts.is_empty());
    }
}
