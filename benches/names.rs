//! Names for people (issue 14): the name lookups a member list costs, against the sandbox
//! with 20 ms of injected latency and the service's frequency limits.
//!
//! - A full scroll through a 6,000-member list (a list of account IDs, as a receipt list or
//!   an export gives them), a screen of 20 rows at a time, names asked for the screen and
//!   the next one through a `NameBook`: no account looked up twice, and at most
//!   ceil(6,000 / 50) name-card calls + ceil(6,000 / 100) nickname calls = 180 (target
//!   ≤ 198, 1.1 × that). The same scroll one row at a time costs the same.
//! - The same list after a member scan whose pages carried the name cards: nicknames only.
//! - Naive: a lookup per screen without the book's batching (one name-card call and one
//!   nickname call for each screen's 20 rows).
//! - The first screen of a 200-member list: names on screen one round trip after the IDs.
//!
//! Run: `cargo bench --bench names` (about 30 s).

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{banner, default_client, secs, summary, timed};
use tim_receipts::api::names::{NameBook, NameStats};
use tim_receipts::api::positions::ScanProgress;
use tim_receipts::api::{Client, GroupType};
use tim_receipts::sandbox::World;

const BIG: &str = "@TGS#2BENCHNAMES6K";
const SMALL: &str = "@TGS#2BENCHNAMES200";
const MEMBERS: usize = 6_000;
const SCREEN: usize = 20;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 5;
/// ceil(6,000 / 50) name-card calls + ceil(6,000 / 100) nickname calls.
const FLOOR_CALLS: u64 = 120 + 60;
const TARGET_CALLS: u64 = 198;

const NICKS: [&str; 8] = [
    "Amelia Chen",
    "王磊",
    "Leo 🚀",
    "佐藤 陽菜",
    "",
    "김민준",
    "Noah 陈思远",
    "mia_k",
];

fn world() -> World {
    let mut w = World::new();
    let ids: Vec<String> = (0..MEMBERS).map(|i| format!("person.{i:04}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut g = w.add_group(BIG, GroupType::Public, &refs);
    g.max_members(MEMBERS as u64);
    for (i, id) in ids.iter().enumerate() {
        if i % 3 == 0 {
            g.name_card(id, &format!("Card {i}"));
        }
    }
    w.add_group(SMALL, GroupType::Public, &refs[..200]);
    for (i, id) in ids.iter().enumerate() {
        w.set_nick(id, NICKS[i % NICKS.len()]);
    }
    w
}

/// Scroll through `rows` `step` rows at a time, asking for the screen and the next one;
/// returns the book's stats and checks that every account was asked once and every screen
/// was named.
async fn scroll(c: &Client, book: &mut NameBook, rows: &[String], step: usize) -> NameStats {
    let mut cards = HashSet::new();
    let mut nicks = HashSet::new();
    for start in (0..rows.len()).step_by(step) {
        if let Some(request) = book.plan(Some(BIG), rows, start, 2 * SCREEN) {
            for a in &request.cards {
                assert!(cards.insert(a.clone()), "{a}: name card asked twice");
            }
            for a in &request.nicks {
                assert!(nicks.insert(a.clone()), "{a}: nickname asked twice");
            }
            book.absorb(c.lookup_names(request).await).expect("names");
        }
        let end = (start + SCREEN).min(rows.len());
        assert!(book.coverage(Some(BIG), &rows[start..end]).complete());
    }
    book.stats()
}

fn line(what: &str, took: &[Duration], stats: NameStats, calls: u64) {
    let (median, min, max) = summary(took);
    let lookups = stats.card_calls + stats.nick_calls;
    println!(
        "{what}: {:.3} s (median of {}; min {:.3}, max {:.3}); {} name-card + {} nickname calls = {lookups} (client calls {calls}), accounts asked {} + {}; vs floor {FLOOR_CALLS}: {:.2}, vs target {TARGET_CALLS}: {:.2}",
        secs(median),
        took.len(),
        secs(min),
        secs(max),
        stats.card_calls,
        stats.nick_calls,
        stats.cards_asked,
        stats.nicks_asked,
        lookups as f64 / FLOOR_CALLS as f64,
        lookups as f64 / TARGET_CALLS as f64,
    );
}

fn main() {
    banner("names");
    let rt = common::runtime();
    rt.block_on(async {
        let sandbox = common::sandbox_with_latency(world(), LATENCY).await;
        let rows: Vec<String> = (0..MEMBERS).map(|i| format!("person.{i:04}")).collect();

        for (what, step) in [("scroll 6,000 by screens of 20", SCREEN), ("scroll 6,000 by rows", 1)] {
            let mut took = Vec::new();
            let mut last = (NameStats::default(), 0);
            for _ in 0..RUNS {
                let c = default_client(&sandbox);
                let mut book = NameBook::new();
                let (stats, t) = timed(scroll(&c, &mut book, &rows, step)).await;
                assert_eq!((stats.cards_asked, stats.nicks_asked), (6_000, 6_000));
                assert!(stats.card_calls + stats.nick_calls <= TARGET_CALLS);
                let s = c.stats();
                assert_eq!((s.retries, s.failed_calls), (0, 0));
                took.push(t);
                last = (stats, s.total_calls);
            }
            line(what, &took, last.0, last.1);
        }

        // After a scan whose pages carried the name cards: only nicknames are looked up.
        let mut took = Vec::new();
        let mut last = (NameStats::default(), 0);
        for _ in 0..RUNS {
            let c = default_client(&sandbox);
            let mut progress = |_: ScanProgress| {};
            let scan = c.member_scan(BIG, &mut progress, None).await.expect("scan");
            let scan_calls = c.stats().total_calls;
            let mut book = NameBook::new();
            book.learn_members(BIG, &scan.members);
            let (stats, t) = timed(scroll(&c, &mut book, &rows, SCREEN)).await;
            assert_eq!(stats.card_calls, 0);
            took.push(t);
            last = (stats, c.stats().total_calls - scan_calls);
        }
        line("scroll 6,000 after a scan carried NameCard", &took, last.0, last.1);

        // Naive: each screen's 20 rows looked up as they come, without batching.
        let c = default_client(&sandbox);
        let (_, naive) = timed(async {
            for screen in rows.chunks(SCREEN) {
                let (cards, nicks) =
                    futures::join!(c.group_members_by_ids(BIG, screen), c.profiles(screen));
                cards.expect("cards");
                nicks.expect("nicks");
            }
        })
        .await;
        let s = c.stats();
        println!(
            "naive, a lookup per screen of 20: {:.3} s; {} calls ({:.2} x the floor)",
            secs(naive),
            s.total_calls,
            s.total_calls as f64 / FLOOR_CALLS as f64
        );

        // The first screen of a 200-member list: one round trip after the IDs.
        let small: Vec<String> = rows[..200].to_vec();
        let mut first = Vec::new();
        let mut trip = Vec::new();
        for _ in 0..RUNS {
            let c = default_client(&sandbox);
            // Warm the connection, then time one bare call as the round trip.
            c.profiles(&small[..1]).await.expect("warm");
            let (_, t) = timed(c.profiles(&small[199..])).await;
            trip.push(t);
            let mut book = NameBook::new();
            let (_, t) = timed(async {
                let request = book.plan(Some(SMALL), &small, 0, 2 * SCREEN).expect("a plan");
                book.absorb(c.lookup_names(request).await).expect("names");
            })
            .await;
            assert!(book.coverage(Some(SMALL), &small[..SCREEN]).complete());
            first.push(t);
        }
        let (f, fmin, fmax) = summary(&first);
        let (r, _, _) = summary(&trip);
        println!(
            "first screen of 200: names in {:.1} ms (median of {RUNS}; min {:.1}, max {:.1}; 1 name-card + 1 nickname call at once), one round trip {:.1} ms, ratio {:.2}",
            secs(f) * 1e3,
            secs(fmin) * 1e3,
            secs(fmax) * 1e3,
            secs(r) * 1e3,
            secs(f) / secs(r)
        );
    });
}
