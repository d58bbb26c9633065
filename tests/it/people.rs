//! People, not account IDs (issue 14): every lookup that names a member, against the
//! sandbox over HTTP — `portrait_get` (nicknames, 100 accounts a call, unknown accounts
//! with their own code), `query_online_status` (500 a call, `ErrorList` 70107, details),
//! the member calls' `NameCard`/`Role`/`MsgFlag` (`get_specified_group_member_info`, 50 a
//! call) — each with its limit refused as the sandbox documents; the client's batching and
//! the session's name book (never an account looked up twice); the CLI's `members` fields
//! and table, and `groups --search` with its disk cache.
//!
//! Run: `cargo test --test it people::`.

mod cli;
mod lookups;
mod name_book;
mod tui;
mod wire;

use std::time::Duration;

use serde_json::Value;
use tim_receipts::api::{Client, ClientConfig, GroupType, MsgFlag, OnlineState};
use tim_receipts::sandbox::{self, RateLimits, Sandbox, SandboxConfig, World};
use tim_receipts::usersig;

/// A Work group of named people, and 300 more members without names.
pub const G: &str = "@TGS#1PEOPLE";
/// An AVChatRoom (no member list: member lookups are refused there).
pub const LIVE: &str = "@TGS#3PEOPLELIVE";
/// Members of G beyond the named ones.
pub const EXTRA: usize = 300;

/// ann (owner, "Ann Lee", online on two devices), bob ("鲍勃 Bob", muted the group,
/// push-online), carol ("Carol 🌸", discards the group's messages), erin (name card
/// "Erin · QA", no nickname), wang.lei1 and wang.lei2 (both carry the name card "Wang Lei";
/// nicknames "王磊" and none), dave (no name at all); then EXTRA generated members. ann
/// posts seq 1 with a receipt; erin reads it.
pub fn world() -> World {
    let mut w = World::new();
    let mut g = w.add_group(
        G,
        GroupType::Work,
        &[
            "ann",
            "bob",
            "carol",
            "erin",
            "wang.lei1",
            "wang.lei2",
            "dave",
        ],
    );
    g.max_members(2_000)
        .name_card("wang.lei1", "Wang Lei")
        .name_card("wang.lei2", "Wang Lei")
        .name_card("erin", "Erin · QA")
        .msg_flag("bob", MsgFlag::AcceptNotNotify)
        .msg_flag("carol", MsgFlag::Discard)
        .add_generated_members(EXTRA);
    let seq = g.post("ann", "status", true);
    g.read_up_to("erin", seq);
    w.add_group(LIVE, GroupType::AVChatRoom, &["ann", "bob"]);
    w.set_nick("ann", "Ann Lee")
        .set_nick("bob", "鲍勃 Bob")
        .set_nick("carol", "Carol 🌸")
        .set_nick("wang.lei1", "王磊")
        .set_presence(
            "ann",
            OnlineState::Online,
            &[
                ("iPhone", OnlineState::PushOnline),
                ("Web", OnlineState::Online),
            ],
        )
        .set_presence(
            "bob",
            OnlineState::PushOnline,
            &[("Android", OnlineState::PushOnline)],
        );
    w
}

/// The members of G in join order.
pub fn members(w: &World) -> Vec<String> {
    w.members(G).expect("the group exists")
}

/// A sandbox without frequency limits (tests that count calls want no 60007 retries).
pub async fn start(world: World) -> Sandbox {
    let config = SandboxConfig {
        rate_limits: RateLimits {
            per_api: 0,
            group_list: 0,
            ..RateLimits::default()
        },
        ..SandboxConfig::default()
    };
    sandbox::start_with_world(config, world)
        .await
        .expect("the sandbox starts")
}

/// The real client, allowed 200 calls/s, one attempt per call (a count of calls is a count
/// of requests).
pub fn client(sb: &Sandbox) -> Client {
    Client::new(ClientConfig {
        endpoint: sb.url(),
        sdkappid: sandbox::DEFAULT_SDKAPPID,
        identifier: sandbox::DEFAULT_ADMIN.into(),
        secret_key: sandbox::DEFAULT_KEY.into(),
        budget_per_sec: 200,
        timeout: Duration::from_secs(10),
        max_attempts: 1,
        ..ClientConfig::default()
    })
    .expect("the client builds")
}

/// One raw call as the admin: the whole answer.
pub async fn raw(sb: &Sandbox, path: &str, body: Value) -> Value {
    let sig = usersig::generate(
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_KEY,
        sandbox::DEFAULT_ADMIN,
        3600,
    );
    let url = format!(
        "{}/v4/{path}?sdkappid={}&identifier={}&usersig={sig}&random=7&contenttype=json",
        sb.url(),
        sandbox::DEFAULT_SDKAPPID,
        sandbox::DEFAULT_ADMIN
    );
    let text = reqwest::Client::new()
        .post(url)
        .body(body.to_string())
        .send()
        .await
        .expect("HTTP works")
        .text()
        .await
        .expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// `n` account IDs that do not exist.
pub fn ghosts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ghost{i}")).collect()
}
