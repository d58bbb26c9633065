use super::common::*;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tim_receipts::api::GroupType;
use tim_receipts::sandbox::World;

const G: &str = "@TGS#2PROP";

/// A random world: members joining between messages, random senders and receipt flags,
/// random reads up to seqs and explicit acks. Returns the world and its member names.
fn random_world(rng: &mut StdRng, members: usize, messages: usize) -> (World, Vec<String>) {
    let names: Vec<String> = (0..members).map(|i| format!("m{i:02}")).collect();
    let mut w = World::new();
    let first = rng.random_range(1..=members);
    let initial: Vec<&str> = names[..first].iter().map(String::as_str).collect();
    let mut g = w.add_group(G, GroupType::Public, &initial);
    let mut joined = first;
    for _ in 0..messages {
        if joined < members && rng.random_bool(0.4) {
            let more = rng.random_range(joined + 1..=members);
            let batch: Vec<&str> = names[joined..more].iter().map(String::as_str).collect();
            g.add_members(&batch);
            joined = more;
        }
        let from = &names[rng.random_range(0..joined)];
        // At least the last message carries a receipt.
        g.post(from, "m", rng.random_bool(0.7));
    }
    g.post(&names[rng.random_range(0..joined)], "last", true);
    let latest = messages as u64 + 1;
    for name in &names[..joined] {
        match rng.random_range(0..4) {
            0 => {
                g.read_up_to(name, rng.random_range(1..=latest));
            }
            1 => {
                let s: Vec<u64> = (1..=latest).filter(|_| rng.random_bool(0.5)).collect();
                g.ack(name, &s);
            }
            _ => {}
        }
    }
    (w, names[..joined].to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Concatenating every page lists each member exactly once, as of the first page,
    /// even when members read between two page calls.
    #[test]
    fn pages_list_each_member_once_despite_reads_in_between(
        members in 2usize..40,
        messages in 0usize..6,
        count in 1u64..9,
        unread in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let mut rng = StdRng::seed_from_u64(seed);
            let (world, names) = random_world(&mut rng, members, messages);
            let receipts: Vec<u64> = (1..=messages as u64 + 1).filter(|&s| world.has_receipt(G, s)).collect();
            let seq = receipts[rng.random_range(0..receipts.len())];
            let api = start(world).await;
            let filter = u8::from(unread);
            let expected = api.sb.with_world(|w| w.receipt_members(G, seq, !unread).unwrap());
            let (r, u) = api.counts(G, seq).await;
            let other = api.sb.with_world(|w| w.receipt_members(G, seq, unread).unwrap());
            prop_assert_eq!((r + u) as usize, expected.len() + other.len());

            let mut got = Vec::new();
            let mut cursor = String::new();
            for _ in 0..1000 {
                let (page, next, finished) = api.detail(G, seq, filter, &cursor, count).await;
                prop_assert!(page.len() as u64 <= count);
                got.extend(page);
                if finished {
                    break;
                }
                cursor = next;
                // Reads between pages: over HTTP and through the world.
                for _ in 0..rng.random_range(0..4) {
                    let who = &names[rng.random_range(0..names.len())];
                    if rng.random_bool(0.5) {
                        api.ok("group_open_http_svc/group_msg_receipt", json!({"GroupId": G, "From_Account": who, "MsgSeqList": [{"MsgSeq": seq}]})).await;
                    } else {
                        api.sb.with_world(|w| { w.group_mut(G).unwrap().read_up_to(who, seq); });
                    }
                }
            }
            prop_assert_eq!(&got, &expected);
            let mut unique = got.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), got.len());
            Ok(())
        })?;
    }
}
