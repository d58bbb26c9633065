use super::*;

fn rows(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i:05}")).collect()
}

fn member(account: &str, card: Option<&str>) -> GroupMember {
    GroupMember {
        account: account.into(),
        role: "Member".into(),
        naming: Some(Box::new(crate::api::MemberNaming {
            name_card: card.map(str::to_string),
            msg_flag: Some(MsgFlag::AcceptNotNotify),
        })),
        ..GroupMember::default()
    }
}

fn profile(account: &str, nick: &str, code: i64) -> Profile {
    Profile {
        account: account.into(),
        nick: nick.into(),
        code,
        info: String::new(),
    }
}

/// Answer a request the way the service would: every account a member with card "C-…",
/// every nickname "N-…".
fn answer(request: NameRequest) -> NameAnswer {
    let members = request.group.as_ref().map(|_| {
        Ok(request
            .cards
            .iter()
            .map(|a| member(a, Some(&format!("C-{a}"))))
            .collect())
    });
    let profiles = (!request.nicks.is_empty()).then(|| {
        Ok(request
            .nicks
            .iter()
            .map(|a| profile(a, &format!("N-{a}"), 0))
            .collect())
    });
    NameAnswer {
        request,
        members,
        profiles,
    }
}

#[test]
fn a_plan_pads_the_screen_to_whole_batches_and_never_asks_twice() {
    let r = rows(1_000);
    let mut book = NameBook::new();
    let req = book.plan(Some("g"), &r, 0, 24).unwrap();
    assert_eq!(req.cards, r[..50]);
    assert_eq!(req.nicks, r[..100]);
    assert_eq!(req.calls(), (1, 1));
    // Asked again while pending: nothing new.
    assert!(book.plan(Some("g"), &r, 0, 24).is_none());
    book.absorb(answer(req)).unwrap();
    // Scrolling through the whole list: every account asked once.
    let mut asked_cards = HashSet::new();
    let mut asked_nicks = HashSet::new();
    for start in (0..1_000).step_by(12) {
        if let Some(req) = book.plan(Some("g"), &r, start, 24) {
            for a in &req.cards {
                assert!(asked_cards.insert(a.clone()), "{a} asked twice");
            }
            for a in &req.nicks {
                assert!(asked_nicks.insert(a.clone()), "{a} asked twice");
            }
            book.absorb(answer(req)).unwrap();
        }
    }
    let s = book.stats();
    assert_eq!((s.card_calls, s.nick_calls), (20, 10));
    assert_eq!((s.cards_asked, s.nicks_asked), (1_000, 1_000));
    assert!(book.coverage(Some("g"), &r).complete());
    assert_eq!(book.name(Some("g"), "u00007"), Some("C-u00007"));
    assert_eq!(book.name(None, "u00007"), Some("N-u00007"));
}

#[test]
fn a_scan_that_carried_name_cards_saves_the_card_lookups() {
    let r = rows(120);
    let mut book = NameBook::new();
    let scanned: Vec<GroupMember> = r.iter().map(|a| member(a, Some(""))).collect();
    book.learn_members("g", &scanned);
    let req = book.plan(Some("g"), &r, 0, 120).unwrap();
    assert!(req.cards.is_empty());
    assert_eq!(req.nicks.len(), 120);
    // Pages without the field teach nothing.
    let mut other = NameBook::new();
    other.learn_members("g", &[member("u00000", None)]);
    assert_eq!(other.name_card("g", "u00000"), None);
}

#[test]
fn the_name_is_the_card_else_the_nickname_else_nothing() {
    let mut book = NameBook::new();
    book.learn_members("g", &[member("a", Some("Wang Lei")), member("b", Some(""))]);
    let req = book
        .plan(Some("g"), &["a".into(), "b".into(), "c".into()], 0, 3)
        .unwrap();
    assert_eq!(req.cards, ["c"]);
    book.absorb(NameAnswer {
        members: Some(Ok(Vec::new())),
        profiles: Some(Ok(vec![
            profile("a", "王磊", 0),
            profile("b", "Bob 🚀", 0),
            profile("c", "", 40003),
        ])),
        request: req,
    })
    .unwrap();
    assert_eq!(book.name(Some("g"), "a"), Some("Wang Lei"));
    assert_eq!(book.name(Some("g"), "b"), Some("Bob 🚀"));
    assert_eq!(book.name(Some("g"), "c"), None);
    assert_eq!(book.name_card("g", "c"), Some(""), "not a member");
    assert_eq!(book.nick_code("c"), Some(40003));
    assert!(book.is_known(Some("g"), "c"));
    assert_eq!(
        book.member("g", "a").and_then(MemberFacts::muted),
        Some(true)
    );
    assert!(book.matches(Some("g"), "a", "wang"));
    assert!(book.matches(Some("g"), "a", "王"));
    assert!(book.matches(Some("g"), "b", "bob"));
    assert!(!book.matches(Some("g"), "b", "wang"));
}

#[test]
fn failures_on_the_way_are_forgotten_and_answers_are_kept() {
    let r = rows(3);
    let mut book = NameBook::new();
    let req = book.plan(Some("g"), &r, 0, 3).unwrap();
    let err = book
        .absorb(NameAnswer {
            members: Some(Err(ApiError::Service {
                api: "get_specified_group_member_info",
                code: 10007,
                info: String::new(),
            })),
            profiles: Some(Err(ApiError::Timeout {
                api: "portrait_get",
                secs: 5,
            })),
            request: req,
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(10007));
    // The refusal is kept (asking again would be refused again); the timeout is not.
    let again = book.plan(Some("g"), &r, 0, 3).unwrap();
    assert!(again.cards.is_empty());
    assert_eq!(again.nicks, r);
    book.abandon(&again);
    assert_eq!(book.plan(Some("g"), &r, 0, 3).unwrap().nicks, r);
}

#[test]
fn coverage_reads_as_a_sentence() {
    let c = Coverage {
        known: 412,
        total: 5_127,
    };
    assert_eq!(c.to_string(), "names known for 412 of 5,127");
    assert!(!c.complete());
}
