use super::*;

#[tokio::test]
async fn counts_in_the_order_asked_with_no_receipt_as_10062() {
    let sb = sandbox().await;
    let c = client(&sb);
    let counts = c.receipt_counts(WORK, &[3, 1, 2, 4, 1]).await.unwrap();
    let seqs: Vec<u64> = counts.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, vec![3, 1, 2, 4, 1]);
    for r in &counts {
        match sb.with_world(|w| w.receipt_counts(WORK, r.seq)) {
            Some((read, unread)) => {
                assert_eq!((r.read, r.unread, r.code), (Some(read), Some(unread), 0));
            }
            None => assert_eq!((r.read, r.unread, r.code), (None, None, 10062)),
        }
    }
    // seq 1: bob and carol read it, dave did not (the sender is not counted).
    assert_eq!((counts[1].read, counts[1].unread), (Some(2), Some(1)));
    // seq 2 was sent without a receipt, seq 4 was recalled.
    assert_eq!(counts[2].code, 10062);
    assert_eq!(counts[3].code, 10062);
}

#[tokio::test]
async fn many_seqs_are_batched_by_fifty() {
    let sb = sandbox().await;
    sb.with_world(|w| {
        let mut g = w.group_mut(WORK).unwrap();
        for i in 0..120 {
            g.post("alice", &format!("m{i}"), i % 2 == 0);
        }
    });
    let c = client(&sb);
    let seqs: Vec<u64> = (1..=124).rev().collect();
    let before = c.stats().total_calls;
    let counts = c.receipt_counts(WORK, &seqs).await.unwrap();
    assert_eq!(
        c.stats().total_calls - before,
        3,
        "124 seqs = 3 calls of <= 50"
    );
    assert_eq!(counts.len(), 124);
    assert!(counts.iter().zip(&seqs).all(|(r, s)| r.seq == *s));
    let with_receipt = counts.iter().filter(|r| r.code == 0).count();
    // seqs 1 and 3 (2 has none, 4 was recalled) and every other new one.
    assert_eq!(with_receipt, 2 + 60);
    let s = c.stats();
    assert_eq!(s.in_flight, 0);
    assert!(s.last_latency_ms.is_some());
}

#[tokio::test]
async fn member_lists_drain_every_page_in_order() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut pages = Vec::new();
    let read = c
        .receipt_members_all(RECEIPTS, 1, ReceiptFilter::Read, &mut |n| pages.push(n))
        .await
        .unwrap();
    let unread = c
        .receipt_members_all(RECEIPTS, 1, ReceiptFilter::Unread, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(read.len(), 130);
    assert_eq!(unread.len(), RECEIPTS_EXTRA - 130);
    assert_eq!(pages, vec![130], "130 readers fit in one page of 200");
    let truth_read = sb
        .with_world(|w| w.receipt_members(RECEIPTS, 1, true))
        .unwrap();
    let truth_unread = sb
        .with_world(|w| w.receipt_members(RECEIPTS, 1, false))
        .unwrap();
    assert_eq!(read, truth_read);
    assert_eq!(unread, truth_unread);
    // Smaller pages: 130 readers = 26 pages of 5, the same list in the same order.
    let mut progress = Vec::new();
    let paged = c
        .receipt_members_drain(RECEIPTS, 1, ReceiptFilter::Read, 5, &mut |n| {
            progress.push(n)
        })
        .await
        .unwrap()
        .accounts;
    assert_eq!(paged, truth_read);
    assert_eq!(progress.len(), 26);
    assert_eq!(progress.last(), Some(&130));
}

#[tokio::test]
async fn cursor_pages_follow_the_server() {
    let sb = sandbox().await;
    let c = client(&sb);
    let first = c
        .receipt_page(RECEIPTS, 1, ReceiptFilter::Unread, "", 5)
        .await
        .unwrap();
    assert_eq!(first.accounts.len(), 5);
    assert!(!first.finished);
    assert!(!first.cursor.is_empty());
    let second = c
        .receipt_page(RECEIPTS, 1, ReceiptFilter::Unread, &first.cursor, 5)
        .await
        .unwrap();
    assert_eq!(second.accounts.len(), 5);
    assert!(first.accounts.iter().all(|a| !second.accounts.contains(a)));
    let small = c
        .receipt_page(WORK, 1, ReceiptFilter::Read, "", 200)
        .await
        .unwrap();
    assert!(small.finished);
    assert_eq!(small.accounts, vec!["bob", "carol"]);
}

#[tokio::test]
async fn a_receipt_is_kept_only_in_groups_of_at_most_200_members() {
    let sb = sandbox().await;
    let c = client(&sb);
    // 451 members: sent asking for a receipt, stored without one.
    let over = c
        .send_text(PUBLIC, "owner", "all hands", true)
        .await
        .unwrap();
    let counts = c.receipt_counts(PUBLIC, &[1, over]).await.unwrap();
    assert!(counts.iter().all(|r| r.code == 10062), "{counts:?}");
    let e = c
        .receipt_page(PUBLIC, over, ReceiptFilter::Unread, "", 5)
        .await
        .unwrap_err();
    assert_eq!(code(&e), 10062, "{e}");
    // 200 members: the same call keeps its receipt, everyone else unread.
    let at = c
        .send_text(RECEIPTS, "owner", "on-call", true)
        .await
        .unwrap();
    let counts = c.receipt_counts(RECEIPTS, &[at]).await.unwrap();
    assert_eq!(
        (counts[0].code, counts[0].read, counts[0].unread),
        (0, Some(0), Some(RECEIPTS_EXTRA as u64))
    );
}

#[tokio::test]
async fn admin_receipt_moves_the_counts() {
    let sb = sandbox().await;
    let c = client(&sb);
    c.ack_receipts(WORK, "dave", &[1, 3]).await.unwrap();
    let counts = c.receipt_counts(WORK, &[1]).await.unwrap();
    assert_eq!((counts[0].read, counts[0].unread), (Some(3), Some(0)));
    assert!(matches!(
        c.ack_receipts(WORK, "dave", &[]).await,
        Err(ApiError::Invalid(_))
    ));
}
