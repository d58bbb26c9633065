//! End to end: the real binary on `--demo` in a pseudo-terminal (portable-pty), its
//! screen read back through a terminal emulator (vt100). Every wait polls the screen
//! until the text appears, with a generous deadline; nothing sleeps to synchronise.

use crate::common;

use std::thread;
use std::time::Instant;

use common::pty::{DEADLINE, POLL, Pty};
use tim_receipts::sandbox::{DEFAULT_SEED, DEMO_ALL_HANDS, DEMO_ON_CALL, World};

/// The dashboard running in a pseudo-terminal, in a home directory of its own.
type Dashboard = Pty;

impl Dashboard {
    /// Tab until the Members pane has the focus (its border turns thick: `┏ Members`).
    fn focus_members(&mut self) {
        for _ in 0..3 {
            if self.text().contains("┏ Members") {
                return;
            }
            let before = self.text();
            self.send("\t");
            self.wait_until("the focus to move", |t| t != before);
        }
        assert!(self.text().contains("┏ Members"), "{}", self.text());
    }

    /// Everything the program logged (logs go to files under the XDG state dir).
    fn log_text(&self) -> String {
        let dir = self.home().join("state").join("tim-receipts").join("logs");
        let mut text = String::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        text
    }
}

/// A number like "1,709" from the text after `label` (e.g. "Unread (").
fn number_after(text: &str, label: &str) -> Option<u64> {
    let rest = &text[text.find(label)? + label.len()..];
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// "400 of 1,709 loaded" → (400, 1709).
fn loaded_of(text: &str) -> Option<(u64, u64)> {
    let end = text.find(" loaded")?;
    let head = &text[..end];
    let of = head.rfind(" of ")?;
    let total: u64 = head[of + 4..].replace(',', "").trim().parse().ok()?;
    let start = head[..of].rfind(|c: char| !(c.is_ascii_digit() || c == ','))? + 1;
    let loaded: u64 = head[start..of].replace(',', "").parse().ok()?;
    Some((loaded, total))
}

#[test]
fn helpers_read_the_screen() {
    assert_eq!(
        number_after("Unread (1,709) │ Read", "Unread ("),
        Some(1709)
    );
    assert_eq!(loaded_of("──── 400 of 1,709 loaded · x"), Some((400, 1709)));
    assert_eq!(loaded_of("no"), None);
}

#[test]
fn browse_the_demo_to_the_end_of_a_member_list_open_and_cancel_both_modals_quit() {
    let mut d = Dashboard::start(&["--demo", "--activity", "0"]);

    // The groups pane fills in, with names.
    let screen = d.wait_for("Ops War Room");
    assert!(screen.contains("tim-receipts · demo"), "{screen}");
    assert!(
        d.alternate_screen(),
        "the dashboard uses the alternate screen"
    );

    // Open a group from the list: filter it down to the 200-member on-call rota by its ID
    // (three groups bear its name), Enter.
    // (Its row reads "Payments… · …LL200" once the group index is in: three groups share
    // the name.)
    d.wait_for("Release train");
    d.send("/payoncall");
    // Whether the group index is in yet or not (the border says "1 of 1,208" or "1 of
    // 1,000 loaded", and cuts the query to keep the counts whole).
    d.wait_for(" · 1 of 1,");
    d.send("\r"); // keep the filter
    d.wait_until("the filter prompt to close", |t| !t.contains("Enter keep"));
    d.send("\r"); // open the group
    d.wait_for("Messages · Payments on-call");
    // Its newest messages with counts; open the newest one (Enter) to see its members.
    d.wait_until("counts", |t| t.contains("read %") && t.contains(" ██"));
    d.send("\r");
    let screen = d.wait_until("the member list, focused", |t| {
        t.contains("┏ Members") && t.contains("Unread (") && t.contains(" loaded")
    });
    let unread = number_after(&screen, "Unread (").unwrap_or(0);
    let read = number_after(&screen, "Read (").unwrap_or(0);
    assert_eq!(
        unread + read,
        199,
        "a list of the group at the cap: {screen}"
    );
    assert!(!screen.contains("read receipts work only"), "{screen}");
    // The same world the binary built (same seed; activity off): who ends the longer list.
    let w = World::demo(DEFAULT_SEED);
    let seq = w.latest_seq(DEMO_ON_CALL).expect("the on-call group");
    let longer_is_read = read > unread;
    let list = w
        .receipt_members(DEMO_ON_CALL, seq, longer_is_read)
        .expect("the newest on-call message has a receipt");
    assert_eq!(list.len() as u64, unread.max(read));
    d.focus_members();
    if longer_is_read {
        d.send("t");
    }
    // One page of 200 holds the whole list; G jumps to its last member.
    let whole = format!("all {} loaded", list.len());
    d.wait_for(&whole);
    let last = list.last().expect("a long list");
    let before = d.text();
    d.send("G");
    let screen = d.wait_until("the last member", |t| {
        t != before && t.contains(last.as_str())
    });
    assert!(screen.contains(&whole), "{screen}");
    assert!(!screen.contains("could not load"), "{screen}");

    // Mark read: opens with the exact request, Esc cancels, nothing sent.
    d.send("M");
    let screen = d.wait_for("Mark a 1:1 conversation read");
    assert!(screen.contains("[ No ]"), "{screen}");
    d.send("peer.x");
    d.wait_for("POST v4/openim/admin_set_msg_read");
    d.send("\x1b");
    d.wait_until("the mark-read dialog to close", |t| {
        !t.contains("Mark a 1:1 conversation read") && t.contains("cancelled: nothing was sent")
    });

    // Set unread: shows the current count; cancel with n on the default No.
    d.send("U");
    let screen = d.wait_for("Set a member's unread count");
    assert!(
        screen.contains("v4/group_open_http_svc/set_unread_msg_num")
            || screen.contains("Current unread")
    );
    d.wait_until("the current unread count", |t| {
        t.contains("(read up to seq") || t.contains("not a member")
    });
    d.send("\t"); // onto [ No ]
    d.send("\r"); // Enter on No = cancel
    d.wait_until("the set-unread dialog to close", |t| {
        !t.contains("Set a member's unread count")
    });

    // The 6,000-member all-hands says at once that it has no receipts, and why.
    d.send(":");
    d.wait_for("Tab complete");
    d.send(&format!("group {DEMO_ALL_HANDS}\r"));
    let screen = d.wait_for("Messages · Company all-hands");
    assert!(screen.contains("6,000 members"), "{screen}");
    d.wait_for("read receipts work only in groups of up to 200 members");

    // Jump to another group by ID with the command palette.
    d.send(":");
    d.wait_for("Tab complete");
    d.send("group @TGS#1OPSWARROOM\r");
    d.wait_for("Messages · Ops War Room");

    // Help, then quit.
    d.send("?");
    d.wait_for("Keys");
    d.send("\x1b");
    d.wait_until("help to close", |t| !t.contains("Esc closes this help"));
    d.send("q");
    let status = d.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        !d.alternate_screen(),
        "the terminal is back on the main screen"
    );
    assert!(!d.cursor_hidden(), "the cursor is visible again");
}

#[test]
fn signals_restore_the_terminal_and_exit_128_plus_n() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGQUIT, "SIGQUIT"),
        (libc::SIGUSR1, "SIGUSR1"),
    ] {
        let mut d = Dashboard::start(&["--demo", "--activity", "0"]);
        d.wait_for("Ops War Room");
        let pid = d.child.process_id().expect("pid");
        // SAFETY: signalling the child this test started.
        let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
        assert_eq!(rc, 0);
        let status = d.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{name}: the exit status says which signal ended it"
        );
        assert!(!d.alternate_screen(), "{name}: left the alternate screen");
        assert!(!d.cursor_hidden(), "{name}: cursor shown again");
    }
}

#[test]
fn a_small_terminal_says_so_and_recovers_on_resize() {
    let mut d = Dashboard::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    d.resize(10, 40);
    d.wait_for("terminal too small");
    d.resize(24, 80);
    d.wait_for("Ops War Room");
    d.send("q");
    d.wait_exit();
}

#[test]
fn ctrl_z_hands_the_terminal_back_and_keys_work_after() {
    // In the test's pty there is no job-control shell, so the stop itself is discarded by
    // the kernel (orphaned process group); what is tested is the way out and back in.
    let mut d = Dashboard::start(&["--demo", "--activity", "0"]);
    d.wait_for("Ops War Room");
    d.send("\x1a");
    // Keys typed while the terminal is handed back are the shell's; wait until the
    // dashboard has taken it again (it logs that) before typing.
    let start = Instant::now();
    while !d.log_text().contains("resumed after Ctrl-Z") {
        assert!(
            start.elapsed() < DEADLINE,
            "never resumed: {}",
            d.log_text()
        );
        thread::sleep(POLL);
    }
    d.wait_for("Ops War Room");
    d.send("?");
    d.wait_for("Esc closes this help");
    d.send("q"); // closes help
    d.wait_until("help to close", |t| !t.contains("Esc closes this help"));
    d.send("q");
    let status = d.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!d.alternate_screen());
}

#[test]
fn live_webhooks_reach_the_dashboard_in_the_demo() {
    // The demo sandbox simulates reads and posts signed callbacks to the dashboard's own
    // receiver on loopback: the live counter climbs and counts on screen get the live mark.
    let mut d = Dashboard::start(&["--demo", "--activity", "20"]);
    d.wait_for("Ops War Room");
    d.send("\r"); // open the first group (the war room)
    d.wait_for("Messages · Ops War Room");
    // A count on a message row carries the live mark: "●" right before a digit.
    let screen = d.wait_until("a live-updated count", |t| {
        t.contains("read %")
            && t.match_indices('●').any(|(i, c)| {
                t[i + c.len()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit())
            })
    });
    let live = number_after(&screen, "● live ").unwrap_or(0);
    assert!(live > 0, "events counted in the header: {screen}");
    d.send("E");
    d.wait_for("webhook on 127.0.0.1:");
    d.send("q");
    d.wait_exit();
}

/// Issue 5: a read-receipt webhook posted over HTTP to the receiver updates the counts in
/// the dashboard's state in place, marked live.
mod webhook_into_dashboard {
    use std::time::Duration;

    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tim_receipts::api::{
        GroupIdPage, GroupInfo, GroupType, Message, MessagePage, ReceiptCount,
    };
    use tim_receipts::tui::app::{App, AppContext, update};
    use tim_receipts::tui::event::{ApiEvent, CountsOrigin, Effect, Event};
    use tim_receipts::tui::panes::Counts;
    use tim_receipts::webhook;

    const APP: u64 = 1_400_000_000;
    const TOKEN: &str = "dashboard-test-token";
    const GROUP: &str = "@TGS#2TTV7VSII";

    /// The seed's sample callback (003), made valid JSON.
    const SEED_SAMPLE: &str = r#"{
"CallbackCommand": "Group.CallbackAfterReadReceipt",
"GroupId": "@TGS#2TTV7VSII",
"Type": "Public",
"GroupMsgReceiptList": [
{"MsgSeq": 1, "ReadNum": 1, "UnreadNum": 6, "ReadReceiptMembers":[{"Member_Account":"user0"}]},
{"MsgSeq": 2, "ReadNum": 1, "UnreadNum": 6, "ReadReceiptMembers":[{"Member_Account":"user0"}]}
],
"EventTime":"1670574414123"
}"#;

    /// A dashboard with the seed's group open: messages 2 and 1, nobody has read yet.
    fn dashboard() -> App {
        let ctx = AppContext {
            profile: "test".into(),
            location: "nowhere".into(),
            sdkappid: APP,
            read_only: false,
            budget_per_sec: 20,
            watch_interval: Duration::from_secs(10),
            utc_offset: time::UtcOffset::UTC,
            audit_log: None,
        };
        let mut app = App::new(ctx, (100, 30));
        let mut effects = app.start();
        for _ in 0..10 {
            let mut next = Vec::new();
            for effect in effects {
                let event = match effect {
                    Effect::FetchGroupIds { generation, .. } => ApiEvent::GroupIds {
                        generation,
                        result: Ok(GroupIdPage {
                            ids: vec![GROUP.into()],
                            next: 0,
                            total: 1,
                        }),
                    },
                    Effect::FetchGroupInfo { ids } => ApiEvent::GroupInfo {
                        ids,
                        result: Ok(vec![GroupInfo {
                            id: GROUP.into(),
                            name: "Seed group".into(),
                            group_type: Some(GroupType::Public),
                            member_num: 8,
                            next_msg_seq: 3,
                            ..Default::default()
                        }]),
                    },
                    Effect::FetchMessages { generation, .. } => ApiEvent::Messages {
                        generation,
                        result: Ok(MessagePage {
                            messages: [2u64, 1]
                                .iter()
                                .map(|&seq| Message {
                                    seq,
                                    time: 1_670_574_000 + seq as i64,
                                    from: "admin".into(),
                                    text: format!("notice {seq}"),
                                    ..Default::default()
                                })
                                .collect(),
                            older: None,
                        }),
                    },
                    Effect::FetchCounts {
                        generation, seqs, ..
                    } => ApiEvent::Counts {
                        generation,
                        origin: CountsOrigin::Page,
                        at_ms: 0,
                        result: Ok(seqs
                            .iter()
                            .map(|&seq| ReceiptCount {
                                seq,
                                read: Some(0),
                                unread: Some(7),
                                code: 0,
                            })
                            .collect()),
                        seqs,
                    },
                    _ => continue,
                };
                next.extend(update(&mut app, Event::Api(event)));
            }
            if next.is_empty() && app.messages.group.is_none() {
                next = update(
                    &mut app,
                    Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
                );
            }
            effects = next;
        }
        assert_eq!(app.messages.list.len(), 2, "fixture: two messages loaded");
        app
    }

    #[tokio::test]
    async fn seed_sample_posted_over_http_updates_counts_in_place() {
        let mut app = dashboard();
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let config = webhook::ReceiverConfig {
            sdkappid: APP,
            token: Some(TOKEN.into()),
            ..Default::default()
        };
        let receiver = webhook::start(config, "127.0.0.1:0".parse().unwrap(), tx)
            .await
            .unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let query = format!(
            "SdkAppid={APP}&CallbackCommand=Group.CallbackAfterReadReceipt&contenttype=json\
             &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={now}",
            webhook::sign(TOKEN, now)
        );
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        let answer = http
            .post(format!("{}/?{query}", receiver.url()))
            .header("content-type", "application/json")
            .body(SEED_SAMPLE)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200);
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the event arrives")
            .expect("channel open");
        update(&mut app, Event::Webhook(event));

        for seq in [1, 2] {
            let row = app.messages.row_by_seq(seq).unwrap();
            assert_eq!(
                row.counts,
                Counts::Known {
                    count: ReceiptCount {
                        seq,
                        read: Some(1),
                        unread: Some(6),
                        code: 0
                    },
                    live: true
                },
                "seq {seq}"
            );
        }
        assert_eq!(app.live.events_received, 1);
        assert_eq!(app.live.feed.len(), 2);
        assert!(app.live.history(GROUP, 1).is_some_and(|h| !h.is_empty()));
        // The member list of the newest message (seq 2) marks user0 as read since loaded.
        assert_eq!(app.members.target.as_ref().map(|t| t.seq), Some(2));
        assert!(app.members.live_readers.contains("user0"));
        receiver.shutdown().await;
    }
}
