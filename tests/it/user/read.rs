//! Did the user read a given group message: by read receipt (the read and unread lists)
//! and by read position (their `MsgSeq`), kept apart, in one round trip.

use std::time::{Duration, Instant};

use tim_receipts::api::GroupType;
use tim_receipts::api::user_read::{PositionRead, ReceiptRead};

use super::{ANA, CMTY, LIVE, MEET, WORK, client, start, start_slow, world};

#[tokio::test]
async fn by_receipt_and_by_read_position() {
    let sb = start(world()).await;
    let c = client(&sb);
    let check = |who: &'static str, group: &'static str, seq: u64| {
        let c = c.clone();
        async move { c.user_read_message(who, group, seq).await.unwrap() }
    };
    // Seq 5 has a receipt and ana read up to 6: read both ways.
    let m = check(ANA, WORK, 5).await;
    assert_eq!(m.by_receipt, ReceiptRead::Read);
    assert_eq!(
        (m.by_position, m.read_seq),
        (PositionRead::ReadUpTo, Some(6))
    );
    assert_eq!(m.group_type, Some(GroupType::Work));
    // Seq 8 has a receipt she has not read, and her position is before it.
    let m = check(ANA, WORK, 8).await;
    assert_eq!(m.by_receipt, ReceiptRead::Unread);
    assert_eq!(m.by_position, PositionRead::Behind);
    // Seq 6 has no receipt: only the position answers.
    let m = check(ANA, WORK, 6).await;
    assert_eq!(m.by_receipt, ReceiptRead::NoReceipt);
    assert_eq!(m.by_position, PositionRead::ReadUpTo);
    // The sender is on neither list (and has read up to what they sent).
    let m = check("bob", WORK, 5).await;
    assert_eq!(m.by_receipt, ReceiptRead::NotListed);
    assert_eq!(m.by_position, PositionRead::ReadUpTo);
    // Not a member: on no list, no position.
    let m = check("dave", WORK, 5).await;
    assert_eq!(
        (m.by_receipt, m.by_position),
        (ReceiptRead::NotListed, PositionRead::NotMember)
    );
    // A Community has no receipts; a Meeting group keeps no positions.
    let m = check(ANA, CMTY, 2).await;
    assert!(
        matches!(m.by_receipt, ReceiptRead::NotSupported(_)),
        "{:?}",
        m.by_receipt
    );
    assert_eq!(m.by_position, PositionRead::Behind);
    let m = check(ANA, MEET, 2).await;
    assert_eq!(m.by_position, PositionRead::NotKept(GroupType::Meeting));
    assert_eq!(m.read_seq, None);
    let m = check(ANA, LIVE, 1).await;
    assert_eq!(m.by_position, PositionRead::NotKept(GroupType::AVChatRoom));
    assert!(matches!(m.by_receipt, ReceiptRead::NotSupported(_)));
    // An unknown group is an error with its code.
    let e = c.user_read_message(ANA, "@TGS#1NOPE", 1).await.unwrap_err();
    assert_eq!(e.code(), Some(10010));
}

#[tokio::test]
async fn the_four_calls_go_at_once() {
    const LATENCY: Duration = Duration::from_millis(300);
    let sb = start_slow(world(), LATENCY).await;
    let c = client(&sb);
    let started = Instant::now();
    c.user_read_message(ANA, WORK, 5).await.unwrap();
    let took = started.elapsed();
    assert_eq!(c.stats().total_calls, 4);
    assert!(took < LATENCY * 2, "{took:?} for four calls of {LATENCY:?}");
}
