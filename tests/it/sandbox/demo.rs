use super::common::*;
use serde_json::json;
use std::collections::HashMap;
use std::time::Instant;
use tim_receipts::api::{GroupType, MessageKind, RECEIPT_MEMBER_CAP};
use tim_receipts::sandbox::{
    DEFAULT_SEED, DEMO_ALL_HANDS, DEMO_C2C_USER, DEMO_COMMUNITY, DEMO_GUILD, DEMO_LIVE,
    DEMO_MEETING, DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_RELEASE_TRAIN_MESSAGES, DEMO_WAR_ROOM,
    World,
};

const NOW: i64 = 1_780_000_000;

/// A summary that changes if anything generated changes.
fn fingerprint(w: &World) -> Vec<String> {
    w.group_ids()
        .iter()
        .map(|id| {
            let latest = w.latest_seq(id).unwrap();
            format!(
                "{id} {} {:?} {} {latest} {:?} {:?}",
                w.group_name(id).unwrap(),
                w.group_type(id).unwrap(),
                w.member_count(id).unwrap(),
                w.receipt_counts(id, latest),
                w.message(id, latest).map(|m| (m.from, m.text, m.time)),
            )
        })
        .collect()
}

/// Seqs of a group's messages with a live receipt, oldest first.
fn receipt_seqs(w: &World, id: &str) -> Vec<u64> {
    (1..=w.latest_seq(id).unwrap())
        .filter(|&s| w.has_receipt(id, s))
        .collect()
}

#[test]
fn demo_world_is_deterministic_per_seed() {
    let a = World::demo_at(DEFAULT_SEED, NOW);
    let b = World::demo_at(DEFAULT_SEED, NOW);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_eq!(a.members(DEMO_WAR_ROOM), b.members(DEMO_WAR_ROOM));
    let c = World::demo_at(DEFAULT_SEED + 1, NOW);
    assert_ne!(fingerprint(&a), fingerprint(&c));
}

#[test]
fn demo_world_invariants() {
    let started = Instant::now();
    let w = World::demo_at(DEFAULT_SEED, NOW);
    eprintln!(
        "demo world: {} groups, {} accounts, built in {:?} (debug build)",
        w.group_count(),
        w.account_count(),
        started.elapsed()
    );
    assert!(w.group_count() >= 1000);
    let mut per_type: HashMap<GroupType, usize> = HashMap::new();
    for id in w.group_ids() {
        *per_type.entry(w.group_type(&id).unwrap()).or_default() += 1;
        assert!(w.group_name(&id).unwrap().len() <= 30);
    }
    for t in GroupType::ALL {
        assert!(
            per_type.get(&t).copied().unwrap_or(0) >= 50,
            "{t:?}: {per_type:?}"
        );
    }
    // The notable groups.
    assert_eq!(w.group_type(DEMO_ALL_HANDS), Some(GroupType::Public));
    assert_eq!(w.member_count(DEMO_ALL_HANDS), Some(6000));
    assert_eq!(w.group_type(DEMO_COMMUNITY), Some(GroupType::Community));
    assert_eq!(w.member_count(DEMO_COMMUNITY), Some(100_000));
    assert_eq!(w.group_type(DEMO_LIVE), Some(GroupType::AVChatRoom));
    assert_eq!(w.group_type(DEMO_MEETING), Some(GroupType::Meeting));
    assert_eq!(w.group_type(DEMO_WAR_ROOM), Some(GroupType::Work));
    assert_eq!(w.group_name(DEMO_WAR_ROOM), Some("Ops War Room"));
    assert_eq!(w.member_count(DEMO_WAR_ROOM), Some(180));
    // The war room's latest message is an outage update, partly read.
    let latest = w.latest_seq(DEMO_WAR_ROOM).unwrap();
    let m = w.message(DEMO_WAR_ROOM, latest).unwrap();
    assert!(m.text.contains("Outage"), "{m:?}");
    assert!(NOW - m.time < 30 * 60, "recent");
    let (read, unread) = w.receipt_counts(DEMO_WAR_ROOM, latest).unwrap();
    assert_eq!(read + unread, 179);
    assert!(read > 20 && unread > 20, "partly read: {read}/{unread}");
    // The on-call rota sits exactly at the cap: its receipt lists hold 199 members.
    assert_eq!(w.member_count(DEMO_ON_CALL), Some(RECEIPT_MEMBER_CAP));
    let on_call = receipt_seqs(&w, DEMO_ON_CALL);
    assert!(on_call.len() >= 10, "{on_call:?}");
    let newest = *on_call.last().unwrap();
    let (r, u) = w.receipt_counts(DEMO_ON_CALL, newest).unwrap();
    assert_eq!(r + u, 199);
    // Realistic curves: a two-week-old hand-over mostly read, never by all.
    let (r, u) = w.receipt_counts(DEMO_ON_CALL, on_call[0]).unwrap();
    let share = r as f64 / (r + u) as f64;
    assert!(
        (0.6..0.97).contains(&share),
        "old hand-over read by {share}"
    );
    // The release train: a long history, most of it with receipts.
    assert!(w.member_count(DEMO_RELEASE_TRAIN).unwrap() <= RECEIPT_MEMBER_CAP);
    assert_eq!(
        w.latest_seq(DEMO_RELEASE_TRAIN),
        Some(DEMO_RELEASE_TRAIN_MESSAGES)
    );
    const { assert!(DEMO_RELEASE_TRAIN_MESSAGES >= 500) };
    let history = receipt_seqs(&w, DEMO_RELEASE_TRAIN).len() as u64;
    assert!(
        2 * history > DEMO_RELEASE_TRAIN_MESSAGES,
        "{history} with receipts"
    );
    // The guild grew past the cap: what was sent before keeps its receipts, nothing since.
    let guild = w.member_count(DEMO_GUILD).unwrap();
    assert!(guild > RECEIPT_MEMBER_CAP, "{guild}");
    let kept = receipt_seqs(&w, DEMO_GUILD);
    assert!(kept.len() >= 10, "{kept:?}");
    let guild_latest = w.latest_seq(DEMO_GUILD).unwrap();
    assert!(
        guild_latest >= kept.last().unwrap() + 10,
        "messages after the growth"
    );
    for &seq in &kept {
        let (r, u) = w.receipt_counts(DEMO_GUILD, seq).unwrap();
        assert!(
            r + u < RECEIPT_MEMBER_CAP,
            "seq {seq}: counted at send time"
        );
    }
    // The all-hands: announcements and an incident notice, no receipts, members' read
    // positions moved.
    let all_hands = w.latest_seq(DEMO_ALL_HANDS).unwrap();
    assert_eq!(all_hands, 25);
    assert!(receipt_seqs(&w, DEMO_ALL_HANDS).is_empty());
    let caught_up = w
        .members(DEMO_ALL_HANDS)
        .unwrap()
        .iter()
        .filter(|m| w.unread_count(DEMO_ALL_HANDS, m) == Some(0))
        .count();
    assert!((1000..5900).contains(&caught_up), "{caught_up}");
    // The cap everywhere: no receipt in a group over 200 members except what the guild
    // kept, and no receipt list longer than 199.
    let mut lively = 0;
    for id in w.group_ids() {
        let seqs = receipt_seqs(&w, &id);
        let members = w.member_count(&id).unwrap();
        if members > RECEIPT_MEMBER_CAP && id != DEMO_GUILD {
            assert!(
                seqs.is_empty(),
                "{id} ({members} members) has receipts: {seqs:?}"
            );
        }
        for &seq in &seqs {
            let (r, u) = w.receipt_counts(&id, seq).unwrap();
            assert!(r + u < RECEIPT_MEMBER_CAP, "{id} seq {seq}");
        }
        if members <= RECEIPT_MEMBER_CAP && seqs.len() >= 10 {
            lively += 1;
        }
    }
    assert!(lively >= 3, "{lively} groups with receipts to browse");
    // Messages with and without receipts, recalled and expired place-holders.
    let (mut with, mut without, mut recalled, mut expired) = (0, 0, 0, 0);
    for id in w.group_ids() {
        for seq in 1..=w.latest_seq(&id).unwrap() {
            let m = w.message(&id, seq).unwrap();
            match m.kind {
                MessageKind::Recalled => recalled += 1,
                MessageKind::Expired => expired += 1,
                MessageKind::Normal if m.need_receipt => with += 1,
                MessageKind::Normal => without += 1,
            }
        }
    }
    assert!(with > 1000 && without > 1000 && recalled > 20 && expired > 50);
    // Human-looking account IDs.
    for a in w.members(DEMO_WAR_ROOM).unwrap() {
        assert!(
            a.split('.').count() == 2
                && a.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'),
            "{a}"
        );
    }
    // 1:1 unread counts.
    let c2c: u64 = w
        .members(DEMO_ALL_HANDS)
        .unwrap()
        .iter()
        .take(8)
        .map(|p| w.c2c_unread(DEMO_C2C_USER, p))
        .sum();
    assert!(c2c > 10, "{c2c}");
}

#[tokio::test]
async fn the_default_sandbox_serves_the_demo_world() {
    let sb = tim_receipts::sandbox::start(config()).await.unwrap();
    let api = Api {
        sig: tim_receipts::usersig::generate(
            tim_receipts::sandbox::DEFAULT_SDKAPPID,
            tim_receipts::sandbox::DEFAULT_KEY,
            tim_receipts::sandbox::DEFAULT_ADMIN,
            3600,
        ),
        http: reqwest::Client::new(),
        sb,
    };
    let v = api
        .ok(
            "group_open_http_svc/get_appid_group_list",
            json!({"Limit": 10}),
        )
        .await;
    assert!(v["TotalCount"].as_u64().unwrap() >= 1000);
    let v = api
        .ok(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [DEMO_WAR_ROOM, DEMO_ALL_HANDS, DEMO_COMMUNITY, DEMO_LIVE, DEMO_MEETING]}),
        )
        .await;
    let types: Vec<&str> = v["GroupInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["Type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["Private", "Public", "Community", "AVChatRoom", "ChatRoom"]
    );
    let latest = v["GroupInfo"][0]["NextMsgSeq"].as_u64().unwrap() - 1;
    let (read, unread) = api.counts(DEMO_WAR_ROOM, latest).await;
    assert_eq!(read + unread, 179);
    let unread_list = api.detail_all(DEMO_WAR_ROOM, latest, 1, 50).await;
    assert_eq!(unread_list.len() as u64, unread);
    // The all-hands (6,000 members) answers 10062 for every announcement.
    let next = v["GroupInfo"][1]["NextMsgSeq"].as_u64().unwrap();
    let seqs: Vec<_> = (1..next).map(|s| json!({"MsgSeq": s})).collect();
    let all_hands = api
        .ok(
            "group_open_http_svc/get_group_msg_receipt",
            json!({"GroupId": DEMO_ALL_HANDS, "MsgSeqList": seqs}),
        )
        .await;
    let items = all_hands["GroupMsgReceiptList"].as_array().unwrap();
    assert_eq!(items.len(), 25);
    assert!(items.iter().all(|i| i["Code"] == 10062), "{all_hands}");
    // The on-call rota's newest receipt: its two lists together hold 199 members (pages of 5).
    let on_call = api.sb.with_world(|w| {
        (1..=w.latest_seq(DEMO_ON_CALL).unwrap())
            .rev()
            .find(|&s| w.has_receipt(DEMO_ON_CALL, s))
            .unwrap()
    });
    let (read, unread) = api.counts(DEMO_ON_CALL, on_call).await;
    assert_eq!(read + unread, 199);
    let mut lists = api.detail_all(DEMO_ON_CALL, on_call, 0, 5).await;
    lists.extend(api.detail_all(DEMO_ON_CALL, on_call, 1, 5).await);
    assert_eq!(lists.len(), 199);
    let v = api
        .ok(
            "openim/get_c2c_unread_msg_num",
            json!({"To_Account": DEMO_C2C_USER}),
        )
        .await;
    assert!(v["AllC2CUnreadMsgNum"].as_u64().unwrap() > 0);
}

/// Issue 13: through the real client, the demo's all-hands has members who joined after
/// its recent messages (`joined_after`): 1–3% of it after an announcement ten days old,
/// fewer after the newest notice; each of them has read up to the message they joined
/// after (a joining member starts at the group's newest seq). Both messages are read by
/// some, not all.
#[tokio::test]
async fn the_all_hands_has_late_joiners_through_the_client() {
    use tim_receipts::api::positions::ScanProgress;
    use tim_receipts::api::{Client, ClientConfig};
    let sb = tim_receipts::sandbox::start(config()).await.unwrap();
    let client = Client::new(ClientConfig {
        endpoint: sb.url(),
        sdkappid: tim_receipts::sandbox::DEFAULT_SDKAPPID,
        identifier: tim_receipts::sandbox::DEFAULT_ADMIN.into(),
        secret_key: tim_receipts::sandbox::DEFAULT_KEY.into(),
        budget_per_sec: 200,
        ..ClientConfig::default()
    })
    .unwrap();
    let latest = sb.with_world(|w| w.latest_seq(DEMO_ALL_HANDS).unwrap());
    let mut progress = |_: ScanProgress| {};
    // The newest notice, and the announcement sent ten days before the world was built.
    for (seq, joined) in [(latest, 10..=60), (latest - 8, 60..=180)] {
        let p = client
            .read_positions(DEMO_ALL_HANDS, seq, None, &mut progress, None)
            .await
            .unwrap();
        assert_eq!(
            p.read.len() + p.unread.len(),
            5999,
            "everyone but the sender"
        );
        let late: Vec<_> = p.read.iter().filter(|m| m.joined_after).collect();
        assert!(
            joined.contains(&late.len()),
            "seq {seq}: {} joined after it",
            late.len()
        );
        assert!(late.iter().all(|m| m.read_seq >= seq));
        assert!(
            p.unread.iter().all(|m| !m.joined_after),
            "seq {seq}: a member who joined after it cannot be behind it"
        );
        let unread = p.unread.len() as f64 / 5999.0;
        assert!(
            (0.05..0.5).contains(&unread),
            "seq {seq}: {unread:.2} unread"
        );
    }
}
