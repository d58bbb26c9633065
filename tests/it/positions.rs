//! Read positions (`Client::read_positions`, `members --source`): the lists equal the
//! members filtered by `MsgSeq` over random worlds, Community paging follows `Next` to the
//! end, Meeting and AVChatRoom groups are refused in words, a cancelled scan returns
//! nothing, a scan under 20% injected faults gives the same answer, and the CLI's JSON and
//! CSV shapes with `--source auto` choosing receipts or positions.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tim_receipts::api::positions::{Positions, ScanProgress};
use tim_receipts::api::{ApiError, Client, ClientConfig, GroupType};
use tim_receipts::sandbox::{self, FaultKind, Sandbox, SandboxConfig, World};
use tokio_util::sync::CancellationToken;

const G: &str = "@TGS#2POSPROP";
const BIG: &str = "@TGS#2POSBIG";
const CMTY: &str = "@TGS#_@TGS#POSCMTY";
const MEETING: &str = "@TGS#4POSMEET";
const LIVE: &str = "@TGS#3POSLIVE";
const WORK: &str = "@TGS#1POSWORK";
/// Members of BIG beyond its owner: six Offset pages of 200.
const BIG_EXTRA: usize = 1_000;
/// Members of CMTY beyond its owner: four `Next` pages of 200.
const CMTY_EXTRA: usize = 650;
const T0: i64 = 1_750_000_000;
const DEADLINE: Duration = Duration::from_secs(120);

fn client_with(sb: &Sandbox, max_attempts: u32) -> Client {
    Client::new(ClientConfig {
        endpoint: sb.url(),
        sdkappid: sandbox::DEFAULT_SDKAPPID,
        identifier: sandbox::DEFAULT_ADMIN.into(),
        secret_key: sandbox::DEFAULT_KEY.into(),
        budget_per_sec: 200,
        timeout: Duration::from_secs(2),
        max_attempts,
        ..ClientConfig::default()
    })
    .expect("client builds")
}

async fn scan(client: &Client, group: &str, seq: u64) -> Result<Positions, ApiError> {
    let mut progress = |_: ScanProgress| {};
    tokio::time::timeout(
        DEADLINE,
        client.read_positions(group, seq, None, &mut progress, None),
    )
    .await
    .expect("the scan ends within its deadline")
}

fn accounts(list: &[tim_receipts::api::positions::Position]) -> Vec<String> {
    list.iter().map(|p| p.account.clone()).collect()
}

/// What a scan must give, from the world itself: (read, unread) in server order as
/// (account, read_seq, joined_after), the sender on neither list.
type Expected = Vec<(String, u64, bool)>;
fn expected(
    w: &World,
    group: &str,
    seq: u64,
    joined: &HashMap<String, i64>,
) -> (Expected, Expected) {
    let msg = w.message(group, seq).expect("the message exists");
    let mut read = Vec::new();
    let mut unread = Vec::new();
    for m in w.members(group).expect("group exists") {
        if m == msg.from {
            continue;
        }
        let s = w.msg_seq(group, &m).expect("a member");
        let after = joined.get(&m).copied().unwrap_or(T0) > msg.time;
        if s >= seq {
            read.push((m, s, after));
        } else {
            unread.push((m, s, after));
        }
    }
    (read, unread)
}

fn got(list: &[tim_receipts::api::positions::Position]) -> Expected {
    list.iter()
        .map(|p| (p.account.clone(), p.read_seq, p.joined_after))
        .collect()
}

/// A random Public group: members joining between messages (at known times), random
/// senders (sometimes an admin who is not a member), random `read_up_to` and
/// `set_msg_seq`. Returns the world and every member's join time.
fn random_world(
    rng: &mut StdRng,
    members: usize,
    messages: usize,
) -> (World, HashMap<String, i64>) {
    let names: Vec<String> = (0..members).map(|i| format!("m{i:02}")).collect();
    let mut joined_at = HashMap::new();
    let mut w = World::new();
    let first = rng.random_range(1..=members);
    let mut g = w.add_group(G, GroupType::Public, &[]);
    let initial: Vec<&str> = names[..first].iter().map(String::as_str).collect();
    g.add_members_at(&initial, T0);
    for n in &initial {
        joined_at.insert(n.to_string(), T0);
    }
    let mut joined = first;
    for i in 0..messages {
        let t = T0 + 100 * (i as i64 + 1);
        if joined < members && rng.random_bool(0.4) {
            let more = rng.random_range(joined + 1..=members);
            let batch: Vec<&str> = names[joined..more].iter().map(String::as_str).collect();
            // Joins fall strictly between two messages.
            g.add_members_at(&batch, t - 50);
            for n in &batch {
                joined_at.insert(n.to_string(), t - 50);
            }
            joined = more;
        }
        let from = if rng.random_bool(0.1) {
            "administrator".to_string()
        } else {
            names[rng.random_range(0..joined)].clone()
        };
        g.post_at(&from, "m", rng.random_bool(0.3), t);
    }
    if joined < members {
        let batch: Vec<&str> = names[joined..].iter().map(String::as_str).collect();
        g.add_members_at(&batch, T0 + 100 * (messages as i64 + 1));
        for n in &batch {
            joined_at.insert(n.to_string(), T0 + 100 * (messages as i64 + 1));
        }
    }
    for name in &names {
        match rng.random_range(0..3) {
            0 => {
                g.read_up_to(name, rng.random_range(0..=messages as u64));
            }
            1 => {
                g.set_msg_seq(name, rng.random_range(0..=messages as u64));
            }
            _ => {}
        }
    }
    (w, joined_at)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// For random worlds and seqs the lists are the members filtered by `MsgSeq`, in
    /// server order: disjoint, complete (every member but the sender), no duplicates,
    /// `joined_after` exactly for those who joined after the message.
    #[test]
    fn positions_lists_are_the_members_filtered_by_msg_seq(
        members in 2usize..30,
        messages in 1usize..8,
        seed in any::<u64>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let mut rng = StdRng::seed_from_u64(seed);
            let (world, joined) = random_world(&mut rng, members, messages);
            let seq = rng.random_range(1..=messages as u64);
            let sb = sandbox::start_with_world(SandboxConfig::default(), world).await.unwrap();
            let (want_read, want_unread) = sb.with_world(|w| expected(w, G, seq, &joined));
            let sender = sb.with_world(|w| w.message(G, seq).unwrap().from);
            let p = scan(&client_with(&sb, 3), G, seq).await.unwrap();
            prop_assert_eq!(got(&p.read), want_read);
            prop_assert_eq!(got(&p.unread), want_unread);
            let all: Vec<String> = accounts(&p.read).into_iter().chain(accounts(&p.unread)).collect();
            let unique: HashSet<&String> = all.iter().collect();
            prop_assert_eq!(unique.len(), all.len());
            prop_assert!(!unique.contains(&sender));
            let everyone = sb.with_world(|w| w.members(G).unwrap());
            let others = everyone.iter().filter(|m| **m != sender).count();
            prop_assert_eq!(all.len(), others);
            prop_assert!(p.read.iter().all(|r| r.read_seq >= seq));
            prop_assert!(p.unread.iter().all(|r| r.read_seq < seq));
            prop_assert_eq!(&p.message.from, &sender);
            Ok(())
        })?;
    }
}

/// A Public group of 1,001 (six Offset pages) and a Community of 651 (four `Next` pages),
/// every member's position set, half of them read up to seq 3.
fn paged_world() -> World {
    let mut w = World::new();
    for (id, t, extra) in [
        (BIG, GroupType::Public, BIG_EXTRA),
        (CMTY, GroupType::Community, CMTY_EXTRA),
    ] {
        let mut g = w.add_group(id, t, &["owner"]);
        g.add_generated_members(extra);
        for i in 0..5 {
            g.post("owner", &format!("notice {i}"), false);
        }
    }
    for id in [BIG, CMTY] {
        let names = w.members(id).unwrap();
        let mut g = w.group_mut(id).unwrap();
        for (i, n) in names.iter().enumerate() {
            g.set_msg_seq(n, (i % 6) as u64);
        }
    }
    {
        let mut g = w.add_group(MEETING, GroupType::Meeting, &["alice", "bob"]);
        g.post("alice", "sync", false);
    }
    w.add_group(LIVE, GroupType::AVChatRoom, &["alice"])
        .audience(1000);
    w
}

fn check_complete(sb: &Sandbox, group: &str, p: &Positions) {
    let (want_read, want_unread) = sb.with_world(|w| expected(w, group, 3, &HashMap::new()));
    // Generated members all joined "now", after the messages; the test only checks lists
    // and read seqs here.
    let strip = |v: Expected| v.into_iter().map(|(a, s, _)| (a, s)).collect::<Vec<_>>();
    let strip_got = |l: &[tim_receipts::api::positions::Position]| {
        l.iter()
            .map(|p| (p.account.clone(), p.read_seq))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip_got(&p.read), strip(want_read));
    assert_eq!(strip_got(&p.unread), strip(want_unread));
    assert_eq!(p.duplicates, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_community_is_paged_by_next_to_the_end_and_offset_groups_concurrently() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), paged_world())
        .await
        .unwrap();
    let client = client_with(&sb, 3);
    let p = scan(&client, CMTY, 3).await.unwrap();
    // 651 members at 200 a page: four pages, the last one ending with Next "".
    assert_eq!(p.pages, 4);
    assert_eq!(p.read.len() + p.unread.len(), CMTY_EXTRA);
    assert_eq!(p.group_type, Some(GroupType::Community));
    check_complete(&sb, CMTY, &p);

    let p = scan(&client, BIG, 3).await.unwrap();
    assert_eq!(p.pages, 6);
    assert_eq!(p.read.len() + p.unread.len(), BIG_EXTRA);
    check_complete(&sb, BIG, &p);
}

#[tokio::test(flavor = "multi_thread")]
async fn meeting_and_avchatroom_groups_are_refused_in_words() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), paged_world())
        .await
        .unwrap();
    let client = client_with(&sb, 3);
    for (group, words) in [
        (
            MEETING,
            "read positions are not available: Meeting groups keep no unread counts",
        ),
        (
            LIVE,
            "read positions are not available: AVChatRoom groups keep no unread counts",
        ),
    ] {
        let e = scan(&client, group, 1).await.unwrap_err();
        assert!(matches!(e, ApiError::NoPositions { .. }), "{e:?}");
        assert!(e.one_line().contains(words), "{}", e.one_line());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scan_cancelled_mid_way_returns_nothing() {
    let sb = sandbox::start_with_world(SandboxConfig::default(), paged_world())
        .await
        .unwrap();
    let client = client_with(&sb, 3);
    let token = CancellationToken::new();
    let mut pages = 0;
    let mut progress = |_: ScanProgress| {
        pages += 1;
        token.cancel();
    };
    let r = tokio::time::timeout(
        DEADLINE,
        client.read_positions(CMTY, 3, None, &mut progress, Some(&token)),
    )
    .await
    .unwrap();
    assert!(matches!(r, Err(ApiError::Cancelled)), "{r:?}");
    assert_eq!(pages, 1, "no page after the cancel");
}

#[tokio::test(flavor = "multi_thread")]
async fn under_twenty_percent_faults_a_scan_gives_the_same_answer() {
    let sb = sandbox::start_with_world(
        SandboxConfig {
            fail_rate: 0.2,
            fault_kinds: vec![
                FaultKind::Internal,
                FaultKind::BadGateway,
                FaultKind::Truncated,
                FaultKind::FrequencyLimit,
            ],
            seed: 13,
            ..SandboxConfig::default()
        },
        paged_world(),
    )
    .await
    .unwrap();
    let client = client_with(&sb, 12);
    for group in [BIG, CMTY] {
        let p = scan(&client, group, 3).await.unwrap();
        check_complete(&sb, group, &p);
    }
    assert!(client.stats().retries > 0, "faults were injected");
}

/// The sandbox's choices where the vendor is silent: a sender's position moves to the
/// message they send, and an acknowledgement (`group_msg_receipt`) moves the reader's
/// position forward to the message acknowledged.
#[tokio::test(flavor = "multi_thread")]
async fn sending_and_acknowledging_move_read_positions() {
    let mut w = World::new();
    {
        let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob", "carol"]);
        g.post("bob", "one", true);
    }
    let sb = sandbox::start_with_world(SandboxConfig::default(), w)
        .await
        .unwrap();
    let client = client_with(&sb, 3);
    let two = client.send_text(WORK, "alice", "two", true).await.unwrap();
    let three = client
        .send_text(WORK, "alice", "three", true)
        .await
        .unwrap();
    client.ack_receipts(WORK, "carol", &[two]).await.unwrap();
    let p = scan(&client, WORK, 1).await.unwrap();
    let seqs: Vec<(String, u64)> = p
        .read
        .iter()
        .map(|r| (r.account.clone(), r.read_seq))
        .collect();
    assert_eq!(
        seqs,
        [("alice".to_string(), three), ("carol".to_string(), two)]
    );
    let p = scan(&client, WORK, three).await.unwrap();
    assert_eq!(accounts(&p.unread), ["bob", "carol"]);
    assert!(p.read.is_empty());
}

mod cli;
mod tui;

#[tokio::test(flavor = "multi_thread")]
async fn message_refs_page_the_history_twenty_at_a_time() {
    let mut w = World::new();
    {
        let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob"]);
        for i in 0..45 {
            let from = if i % 2 == 0 { "alice" } else { "bob" };
            g.post_at(from, "m", false, T0 + i);
        }
    }
    let sb = sandbox::start_with_world(SandboxConfig::default(), w)
        .await
        .unwrap();
    let client = client_with(&sb, 3);
    let seqs: Vec<u64> = (1..=45).chain([50]).collect();
    let before = client.stats().total_calls;
    let refs = client.message_refs(WORK, &seqs).await.unwrap();
    assert_eq!(client.stats().total_calls - before, 3, "45 seqs, 20 a call");
    assert_eq!(refs.len(), 45);
    assert_eq!(refs[&1].from, "alice");
    assert_eq!(refs[&2].from, "bob");
    assert_eq!(refs[&45].time, T0 + 44);
    assert!(!refs.contains_key(&50));
}
