//! Member drain: every page of the longest receipt list there is (199 members: receipts
//! exist only in groups of up to 200, the sender is not listed) in pages of 5 (`Count` 5,
//! 40 pages), from the sandbox with 20 ms of injected latency, against the floor of
//! (1 + pages) × latency: the drain first asks the message's counts (one call), which
//! bound the list it accepts, then pages (target: within 10%).
//!
//! Run: `cargo bench --bench drain` (about 20 s). Prints one line per measurement:
//! - a fresh client with a budget of 200 calls/s for both APIs (the service's own limit per
//!   API, so 41 calls never wait for it), against (1 + pages) × latency;
//! - the same 40 requests sent by a bare reqwest loop (no budget, no retries, no decoding
//!   into domain types): what this machine's timer and loopback HTTP allow, so the client's
//!   own share of the gap is visible, and the timer alone (40 sleeps of 20 ms);
//! - a client whose budget burst is already spent, where the default budget of 20 calls/s
//!   (one call per 50 ms, more than the 20 ms latency) paces the drain instead;
//! - the same list the way `members` and the dashboard ask for it: the counts, then one
//!   page of `Count` 200: two calls, against two round trips.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{banner, client, default_client, secs, summary, timed};
use serde_json::{Value, json};
use tim_receipts::api::{DEFAULT_BUDGET_PER_SEC, ReceiptFilter};
use tim_receipts::sandbox::{DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, World};
use tim_receipts::usersig;

const GROUP: &str = "@TGS#2BENCHDRAIN";
const SENDER: &str = "announcer";
const MEMBERS: usize = 199;
const PAGE: usize = 5;
const LATENCY: Duration = Duration::from_millis(20);
/// The service's documented limit for most APIs, calls per second.
const VENDOR_LIMIT: u32 = 200;
const RUNS: usize = 5;

/// A Public group of the sender plus 199 members (200, the receipt cap), and one message
/// with a read receipt nobody has read: its unread list is exactly the 199 other members.
fn world() -> (World, u64) {
    let mut w = World::new();
    let mut g = w.add_group(GROUP, tim_receipts::api::GroupType::Public, &[SENDER]);
    g.add_generated_members(MEMBERS);
    let seq = g.post(SENDER, "all hands: please read", true);
    (w, seq)
}

fn main() {
    banner("drain");
    let rt = common::runtime();
    rt.block_on(async {
        let (world, seq) = world();
        let sandbox = common::sandbox_with_latency(world, LATENCY).await;
        let pages = MEMBERS.div_ceil(PAGE);
        // The counts call, then the pages: nothing overlaps.
        let floor = LATENCY * (pages as u32 + 1);
        let raw_floor = LATENCY * pages as u32;

        // Fresh clients whose budget never makes a call wait.
        let mut samples = Vec::new();
        let mut calls = 0;
        for _ in 0..RUNS {
            let client = client(
                &sandbox,
                VENDOR_LIMIT,
                &["get_group_msg_receipt", "get_group_msg_receipt_detail"],
            );
            let (members, took) = timed(drain(&client, seq)).await;
            check(&members);
            calls = client.stats().total_calls;
            samples.push(took);
        }
        let (median, min, max) = summary(&samples);
        println!(
            "drain {MEMBERS} members in pages of {PAGE} @{}ms: {:.3} s (median of {RUNS}; min {:.3}, max {:.3}; {calls} calls), floor 1 count + {pages} pages x {} ms = {:.3} s, ratio {:.2}",
            LATENCY.as_millis(),
            secs(median),
            secs(min),
            secs(max),
            LATENCY.as_millis(),
            secs(floor),
            secs(median) / secs(floor),
        );

        // The same requests from a bare HTTP loop.
        let (n, raw) = timed(raw_drain(&sandbox.url(), seq)).await;
        assert_eq!(n, MEMBERS, "the bare loop saw every member");
        println!(
            "drain {MEMBERS} members @{}ms, bare reqwest loop (the {pages} page requests): {:.3} s, ratio to its floor {:.2}; the client adds {:+.1}% a call",
            LATENCY.as_millis(),
            secs(raw),
            secs(raw) / secs(raw_floor),
            ((secs(median) / (pages + 1) as f64) / (secs(raw) / pages as f64) - 1.0) * 100.0,
        );

        // tokio's timer alone: it wakes a sleep on the next millisecond tick or later.
        common::report_timer_alone(pages, LATENCY).await;

        // One long-lived client: after two drains its burst is spent, so the budget (one
        // call per 50 ms at 20 calls/s) paces the third. Floor: the first call at once, then
        // one call per budget interval, the last one taking the latency.
        let client = default_client(&sandbox);
        check(&drain(&client, seq).await);
        check(&drain(&client, seq).await);
        let (members, took) = timed(drain(&client, seq)).await;
        check(&members);
        let interval = LATENCY.max(Duration::from_secs(1) / DEFAULT_BUDGET_PER_SEC);
        // The counts call (another API, its own budget), then the pages.
        let budget_floor = LATENCY + interval * (pages as u32 - 1) + LATENCY;
        println!(
            "drain {MEMBERS} members @{}ms, budget burst spent: {:.3} s, floor {} ms + {} x {} ms + {} ms (budget {DEFAULT_BUDGET_PER_SEC} calls/s) = {:.3} s, ratio {:.2}",
            LATENCY.as_millis(),
            secs(took),
            LATENCY.as_millis(),
            pages - 1,
            interval.as_millis(),
            LATENCY.as_millis(),
            secs(budget_floor),
            secs(took) / secs(budget_floor),
        );

        // How the program itself asks: one page of Count 200 is the whole list.
        let mut samples = Vec::new();
        for _ in 0..RUNS {
            let client = default_client(&sandbox);
            let (members, took) = timed(async {
                client
                    .receipt_members_all(GROUP, seq, ReceiptFilter::Unread, &mut |_| {})
                    .await
                    .expect("the drain succeeds")
            })
            .await;
            check(&members);
            assert_eq!(client.stats().total_calls, 2, "the counts, then one page");
            samples.push(took);
        }
        let (one, min, max) = summary(&samples);
        println!(
            "drain {MEMBERS} members as the program asks (the counts, then one page of Count 200) @{}ms: {:.1} ms (median of {RUNS}; min {:.1}, max {:.1}; 2 calls), floor two round trips {} ms, ratio {:.2}",
            LATENCY.as_millis(),
            secs(one) * 1000.0,
            secs(min) * 1000.0,
            secs(max) * 1000.0,
            (LATENCY * 2).as_millis(),
            secs(one) / secs(LATENCY * 2),
        );
        sandbox.shutdown().await;
    });
}

async fn drain(client: &tim_receipts::api::Client, seq: u64) -> Vec<String> {
    client
        .receipt_members_drain(GROUP, seq, ReceiptFilter::Unread, PAGE as u32, &mut |_| {})
        .await
        .expect("the drain succeeds")
        .accounts
}

/// Walk the cursor with plain reqwest: the requests the client sends, nothing else.
async fn raw_drain(base: &str, seq: u64) -> usize {
    let http = reqwest::Client::new();
    let sig = usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, DEFAULT_ADMIN, 3600);
    let url = format!(
        "{base}/v4/group_open_http_svc/get_group_msg_receipt_detail?sdkappid={DEFAULT_SDKAPPID}&identifier={DEFAULT_ADMIN}&usersig={sig}&random=1&contenttype=json"
    );
    let (mut cursor, mut seen) = (String::new(), 0);
    for _ in 0..MEMBERS {
        let body =
            json!({"GroupId": GROUP, "MsgSeq": seq, "Filter": 1, "Cursor": cursor, "Count": PAGE});
        let page: Value = http
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("JSON");
        seen += page["UnreadList"].as_array().map_or(0, Vec::len);
        if page["IsFinish"] == 1 {
            break;
        }
        cursor = page["Cursor"].as_str().expect("a cursor").to_string();
    }
    seen
}

/// The drain must be the whole list, once each: a fast wrong answer is no result.
fn check(members: &[String]) {
    assert_eq!(members.len(), MEMBERS, "every member once");
    let unique: HashSet<&String> = members.iter().collect();
    assert_eq!(unique.len(), MEMBERS, "no duplicates");
    assert!(
        !unique.contains(&SENDER.to_string()),
        "the sender is not listed"
    );
}
