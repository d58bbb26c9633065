//! The session's name book against the sandbox: a whole list's names in whole batches, no
//! account looked up twice (scrolling or filling again), a scan that carried the name
//! cards saves their lookups, a refusal is kept, a cancelled fill leaves nothing pending.

use tim_receipts::api::names::{Coverage, NameBook};
use tim_receipts::api::positions::ScanProgress;
use tim_receipts::api::{ApiError, MsgFlag};
use tokio_util::sync::CancellationToken;

use super::{G, LIVE, client, members, start, world};

#[tokio::test]
async fn a_full_fill_costs_whole_batches_and_a_second_costs_nothing() {
    let w = world();
    let rows = members(&w);
    let sb = start(w).await;
    let c = client(&sb);
    let mut book = NameBook::new();
    let mut seen = Vec::new();
    let mut progress = |cov: Coverage| seen.push(cov);
    let cov = c
        .fill_names(&mut book, Some(G), &rows, &mut progress, None)
        .await
        .unwrap();
    assert!(cov.complete(), "{cov}");
    assert_eq!(cov.to_string(), "names known for 307 of 307");
    // 307 accounts: ceil(307/50) = 7 name-card calls and ceil(307/100) = 4 nickname calls.
    assert_eq!(c.stats().total_calls, 11);
    let s = book.stats();
    assert_eq!((s.card_calls, s.nick_calls), (7, 4));
    assert_eq!((s.cards_asked, s.nicks_asked), (307, 307));
    assert_eq!(seen.last(), Some(&cov));
    // Again: everything is known, no call.
    let mut quiet = |_: Coverage| {};
    c.fill_names(&mut book, Some(G), &rows, &mut quiet, None)
        .await
        .unwrap();
    assert_eq!(c.stats().total_calls, 11);
    // What the names are.
    assert_eq!(book.name(Some(G), "wang.lei1"), Some("Wang Lei"));
    assert_eq!(book.name(Some(G), "wang.lei2"), Some("Wang Lei"));
    assert_eq!(book.nick("wang.lei1"), Some("王磊"));
    assert_eq!(book.name(Some(G), "bob"), Some("鲍勃 Bob"));
    assert_eq!(book.name(Some(G), "dave"), None);
    assert_eq!(
        book.member(G, "bob").unwrap().msg_flag,
        Some(MsgFlag::AcceptNotNotify)
    );
    assert_eq!(book.member(G, "ann").unwrap().role, "Owner");
    assert!(book.matches(Some(G), "wang.lei2", "wang lei"));
    assert!(book.matches(Some(G), "bob", "鲍勃"));
}

#[tokio::test]
async fn scrolling_asks_for_each_account_once_in_whole_batches() {
    let w = world();
    let rows = members(&w);
    let sb = start(w).await;
    let c = client(&sb);
    let mut book = NameBook::new();
    // A 20-row screen scrolled 7 rows at a time, asking for the screen and the next one.
    for start in (0..rows.len()).step_by(7) {
        if let Some(request) = book.plan(Some(G), &rows, start, 40) {
            let answer = c.lookup_names(request).await;
            book.absorb(answer).unwrap();
        }
        assert!(
            book.coverage(Some(G), &rows[start..(start + 20).min(rows.len())])
                .complete(),
            "the screen at {start} is named"
        );
    }
    let s = book.stats();
    assert_eq!(
        (s.cards_asked, s.nicks_asked),
        (307, 307),
        "each account once"
    );
    assert_eq!((s.card_calls, s.nick_calls), (7, 4));
    assert_eq!(c.stats().total_calls, 11);
}

#[tokio::test]
async fn a_scan_that_carried_name_cards_needs_only_nicknames() {
    let w = world();
    let rows = members(&w);
    let sb = start(w).await;
    let c = client(&sb);
    let mut progress = |_: ScanProgress| {};
    let scan = c.member_scan(G, &mut progress, None).await.unwrap();
    let scan_calls = c.stats().total_calls;
    let mut book = NameBook::new();
    book.learn_members(G, &scan.members);
    assert_eq!(book.name_card(G, "erin"), Some("Erin · QA"));
    let mut quiet = |_: Coverage| {};
    c.fill_names(&mut book, Some(G), &rows, &mut quiet, None)
        .await
        .unwrap();
    assert_eq!(book.stats().card_calls, 0);
    assert_eq!(c.stats().total_calls - scan_calls, 4, "nicknames only");
}

#[tokio::test]
async fn a_refused_lookup_is_not_asked_again_and_a_cancelled_one_is_forgotten() {
    let sb = start(world()).await;
    let c = client(&sb);
    let mut book = NameBook::new();
    let rows = vec!["ann".to_string(), "bob".to_string()];
    let mut quiet = |_: Coverage| {};
    // An AVChatRoom has no member list: 10007, kept.
    let err = c
        .fill_names(&mut book, Some(LIVE), &rows, &mut quiet, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(10007));
    let calls = c.stats().total_calls;
    c.fill_names(&mut book, Some(LIVE), &rows, &mut quiet, None)
        .await
        .unwrap();
    assert_eq!(c.stats().total_calls, calls, "nothing asked twice");
    assert_eq!(book.name(Some(LIVE), "bob"), Some("鲍勃 Bob"));
    // Cancelled before it ran: nothing pending, nothing called.
    let token = CancellationToken::new();
    token.cancel();
    let mut fresh = NameBook::new();
    let err = c
        .fill_names(&mut fresh, Some(G), &rows, &mut quiet, Some(&token))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Cancelled), "{err:?}");
    assert_eq!(c.stats().total_calls, calls);
    assert!(
        fresh.plan(Some(G), &rows, 0, 2).is_some(),
        "asked again later"
    );
}
