use super::*;

#[tokio::test]
async fn group_list_and_info() {
    let sb = sandbox().await;
    let c = client(&sb);
    let page = c.group_id_page(0, 100, None).await.unwrap();
    assert_eq!(page.total, 6);
    assert_eq!(page.next, 0);
    let infos = c.group_info(&page.ids).await.unwrap();
    let ids: Vec<&str> = infos.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, page.ids.iter().map(String::as_str).collect::<Vec<_>>());
    let work = infos.iter().find(|g| g.id == WORK).unwrap();
    assert_eq!(work.group_type, Some(GroupType::Work));
    assert_eq!((work.name.as_str(), work.member_num), ("ops", 4));
    assert_eq!(work.next_msg_seq, 5);
    let public = infos.iter().find(|g| g.id == PUBLIC).unwrap();
    assert_eq!(public.member_num, 1 + PUBLIC_EXTRA as u64);

    // The type filter, then the 1/s floor keeps the sandbox's own limit untouched.
    let started = Instant::now();
    let only = c
        .group_id_page(0, 100, Some(GroupType::Meeting))
        .await
        .unwrap();
    assert_eq!(only.ids, vec![MEETING]);
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(c.stats().retries, 0, "the sandbox never answered 60007");
}

#[tokio::test]
async fn unknown_groups_get_their_code() {
    let sb = sandbox().await;
    let c = client(&sb);
    let infos = c
        .group_info(&[WORK.to_string(), "@TGS#NOSUCH".to_string()])
        .await
        .unwrap();
    assert_eq!(infos[0].code, 0);
    assert_eq!(infos[1].code, 10010);
    let e = c.receipt_counts("@TGS#NOSUCH", &[1]).await.unwrap_err();
    assert_eq!(code(&e), 10010);
    assert!(e.explain().what.contains("does not exist"));
    let e = c
        .receipt_counts("bad id with spaces", &[1])
        .await
        .unwrap_err();
    assert_eq!(code(&e), 10015);
    let e = c.receipt_counts(LIVE, &[1]).await.unwrap_err();
    assert_eq!(code(&e), 10007);
}

#[tokio::test]
async fn members_by_offset_by_next_and_by_id() {
    let sb = sandbox().await;
    let c = client(&sb);
    let first = c.group_members(PUBLIC, 0, None, 200).await.unwrap();
    assert_eq!(first.members.len(), 200);
    assert_eq!(first.member_num, 1 + PUBLIC_EXTRA as u64);
    assert_eq!(first.next, None);
    let third = c.group_members(PUBLIC, 400, None, 200).await.unwrap();
    assert_eq!(third.members.len(), 51);
    assert_eq!(first.members[0].role, "Owner");

    let mut next = String::new();
    let mut all = Vec::new();
    for _ in 0..10 {
        let p = c
            .group_members(COMMUNITY, 0, Some(&next), 12)
            .await
            .unwrap();
        all.extend(p.members.into_iter().map(|m| m.account));
        next = p.next.expect("community pages carry Next");
        if next.is_empty() {
            break;
        }
    }
    assert_eq!(all.len(), 31);
    assert!(next.is_empty());

    let m = c
        .group_members_by_id(WORK, &["carol".into(), "dave".into()])
        .await
        .unwrap();
    let carol = m.iter().find(|m| m.account == "carol").unwrap();
    // carol sent seq 4 herself, so she has read up to it.
    assert_eq!(carol.last_read_seq, 4);
    let too_many: Vec<String> = (0..51).map(|i| format!("u{i}")).collect();
    assert!(matches!(
        c.group_members_by_id(WORK, &too_many).await,
        Err(ApiError::Invalid(_))
    ));
}

#[tokio::test]
async fn history_newest_first_with_placeholders_and_paging() {
    let sb = sandbox().await;
    let c = client(&sb);
    let page = c.messages(WORK, None, 20).await.unwrap();
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![4, 3, 2, 1]);
    assert_eq!(page.messages[0].kind, MessageKind::Recalled);
    assert_eq!(page.messages[1].text, "third");
    assert_eq!(page.messages[2].from, "bob");
    assert_eq!(page.older, None);
    let newest_two = c.messages(WORK, None, 2).await.unwrap();
    assert_eq!(newest_two.older, Some(2));
    let older = c.messages(WORK, newest_two.older, 2).await.unwrap();
    let seqs: Vec<u64> = older.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![2, 1]);
}

#[tokio::test]
async fn send_text_with_and_without_receipt() {
    let sb = sandbox().await;
    let c = client(&sb);
    let with = c.send_text(WORK, "alice", "hello", true).await.unwrap();
    let without = c.send_text(WORK, "alice", "quiet", false).await.unwrap();
    assert_eq!((with, without), (5, 6));
    let counts = c.receipt_counts(WORK, &[with, without]).await.unwrap();
    assert_eq!((counts[0].read, counts[0].unread), (Some(0), Some(3)));
    assert_eq!(counts[1].code, 10062);
    let page = c.messages(WORK, None, 1).await.unwrap();
    assert_eq!(page.messages[0].text, "quiet");
}

#[tokio::test]
async fn c2c_unread_counts_and_unknown_peers() {
    let sb = sandbox().await;
    let c = client(&sb);
    let u = c
        .c2c_unread("alice", &["bob".into(), "ghost".into()])
        .await
        .unwrap();
    assert_eq!(u.total, 4);
    assert_eq!(u.per_peer, vec![("bob".to_string(), 4)]);
    assert_eq!(u.errors, vec![("ghost".to_string(), 70107)]);
}
