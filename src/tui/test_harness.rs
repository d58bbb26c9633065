//! The test harness for `update`: hand-made data, a dashboard driven by events. Built for
//! unit tests and, with the `testing` feature, for integration tests and benches.

// Test support: a failed expectation panics, as in a test.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{
    GroupIdPage, GroupInfo, GroupType, MemberPage, Message, MessageKind, MessagePage, ReceiptCount,
    ReceiptFilter,
};

use super::model::app::{App, AppContext, update};
use super::model::event::{ApiEvent, CountsOrigin, Effect, Event};
use super::model::pane::Pane;
use super::model::panes::MEMBER_PAGE;

pub fn context(read_only: bool) -> AppContext {
    AppContext {
        profile: "demo".into(),
        location: "sandbox 127.0.0.1:41234".into(),
        sdkappid: 1_400_000_000,
        read_only,
        budget_per_sec: 20,
        watch_interval: Duration::from_secs(10),
        utc_offset: time::UtcOffset::UTC,
        audit_log: Some("/home/agent/.local/state/tim-receipts/audit.jsonl".into()),
    }
}

pub fn group(id: &str, name: &str, t: GroupType, members: u64) -> GroupInfo {
    GroupInfo {
        id: id.into(),
        code: 0,
        name: name.into(),
        group_type: Some(t),
        member_num: members,
        max_member_num: 2000,
        next_msg_seq: 1043,
        owner: "ops.lead".into(),
        ..Default::default()
    }
}

pub fn message(seq: u64, from: &str, text: &str, kind: MessageKind) -> Message {
    Message {
        seq,
        time: 1_700_000_000 + (seq as i64) * 60,
        from: from.into(),
        text: text.into(),
        kind,
        is_system: false,
    }
}

pub fn count(seq: u64, read: u64, unread: u64) -> ReceiptCount {
    ReceiptCount {
        seq,
        read: Some(read),
        unread: Some(unread),
        code: 0,
    }
}

pub fn accounts(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("member.{i:04}")).collect()
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Event {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Event::Key(KeyEvent::new(KeyCode::Char(c), m))
}

/// A dashboard driven by hand: feed events, inspect effects.
pub struct Harness {
    pub app: App,
}

impl Harness {
    pub fn new(read_only: bool, size: (u16, u16)) -> Self {
        Harness {
            app: App::new(context(read_only), size),
        }
    }

    /// One event through `update`. The notices' expiry timers are left out of the effects
    /// (tests compare effects exactly; `notices_expire` checks the timer itself).
    pub fn send(&mut self, event: Event) -> Vec<Effect> {
        let mut fx = update(&mut self.app, event);
        fx.retain(|e| !is_notice_timer(e));
        fx
    }

    /// Like `send`, keeping every effect.
    pub fn send_raw(&mut self, event: Event) -> Vec<Effect> {
        update(&mut self.app, event)
    }

    pub fn api(&mut self, event: ApiEvent) -> Vec<Effect> {
        self.send(Event::Api(event))
    }

    /// Type `text` one key at a time (into a prompt, filter or dialog field).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(ch(c));
        }
    }

    /// Start, load one page of groups with details, open the first group, load one page
    /// of messages with counts: the state after "open a group".
    pub fn with_group_open() -> Self {
        Self::with_group_open_sized(false, (100, 30))
    }

    pub fn with_group_open_sized(read_only: bool, size: (u16, u16)) -> Self {
        let mut h = Harness::new(read_only, size);
        let fx = h.app.start();
        assert_eq!(
            fx,
            vec![
                Effect::FetchGroupIds {
                    generation: 0,
                    next: 0,
                    limit: 1000
                },
                Effect::LoadGroupIndex
            ]
        );
        let ids = vec!["@TGS#ops".to_string(), "@TGS#eng".into(), "@TGS#av".into()];
        let fx = h.api(ApiEvent::GroupIds {
            generation: 0,
            result: Ok(GroupIdPage {
                ids: ids.clone(),
                next: 0,
                total: 3,
            }),
        });
        assert_eq!(fx, vec![Effect::FetchGroupInfo { ids: ids.clone() }]);
        h.api(ApiEvent::GroupInfo {
            ids,
            result: Ok(vec![
                group("@TGS#ops", "Ops War Room", GroupType::Public, 180),
                group("@TGS#eng", "Eng Announcements", GroupType::Work, 120),
                group("@TGS#av", "Launch stream", GroupType::AVChatRoom, 90000),
            ]),
        });
        let fx = h.send(key(KeyCode::Enter));
        let generation = match fx.as_slice() {
            [
                Effect::FetchMessages {
                    generation,
                    group,
                    before: None,
                    count: 20,
                },
            ] if group == "@TGS#ops" => *generation,
            other => panic!("expected the first messages page, got {other:?}"),
        };
        assert_eq!(h.app.focus, Pane::Messages);
        let fx = h.api(ApiEvent::Messages {
            generation,
            result: Ok(MessagePage {
                messages: vec![
                    message(
                        1042,
                        "ops.lead",
                        "Outage update: API latency",
                        MessageKind::Normal,
                    ),
                    message(1041, "status.bot", "", MessageKind::Recalled),
                    message(
                        1040,
                        "sre.oncall",
                        "Please ack the runbook",
                        MessageKind::Normal,
                    ),
                    message(
                        1039,
                        "ops.lead",
                        "no receipt on this one",
                        MessageKind::Normal,
                    ),
                ],
                older: None,
            }),
        });
        // One batched counts call for the page (placeholders skipped) and, in the same
        // update, the first members page of the newest message: one round trip.
        assert!(fx.contains(&Effect::FetchCounts {
            generation,
            origin: CountsOrigin::Page,
            group: "@TGS#ops".into(),
            seqs: vec![1042, 1040, 1039],
        }));
        let members_gen = h.app.members.list.generation();
        assert!(fx.contains(&Effect::FetchMembers {
            generation: members_gen,
            group: "@TGS#ops".into(),
            seq: 1042,
            filter: ReceiptFilter::Unread,
            cursor: String::new(),
            count: MEMBER_PAGE,
        }));
        h.api(ApiEvent::Counts {
            generation,
            origin: CountsOrigin::Page,
            seqs: vec![1042, 1040, 1039],
            at_ms: 1_700_000_000_000,
            result: Ok(vec![
                count(1042, 121, 58),
                count(1040, 170, 9),
                ReceiptCount {
                    seq: 1039,
                    read: None,
                    unread: None,
                    code: 10062,
                },
            ]),
        });
        h
    }

    /// Answer the members fetch in `fx` with `n` accounts starting at `from`.
    pub fn answer_members(
        &mut self,
        fx: &[Effect],
        from: usize,
        n: usize,
        finished: bool,
    ) -> Vec<Effect> {
        let generation = fx
            .iter()
            .find_map(|e| match e {
                Effect::FetchMembers { generation, .. } => Some(*generation),
                _ => None,
            })
            .expect("a members fetch");
        self.api(ApiEvent::Members {
            generation,
            result: Ok(MemberPage {
                accounts: accounts(from, n),
                cursor: format!("c{}", from + n),
                finished,
            }),
        })
    }
}

/// A notice's expiry timer.
pub fn is_notice_timer(e: &Effect) -> bool {
    matches!(e, Effect::Debounce { after, .. } if *after == super::model::app::NOTICE_LIFETIME)
}

pub fn members_fetches(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::FetchMembers { .. }))
        .collect()
}

/// A members fetch of the current generation, to answer with `answer_members`.
pub fn fx0_for(h: &Harness) -> Vec<Effect> {
    vec![Effect::FetchMembers {
        generation: h.app.members.list.generation(),
        group: String::new(),
        seq: 0,
        filter: ReceiptFilter::Unread,
        cursor: String::new(),
        count: 0,
    }]
}
