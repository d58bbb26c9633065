//! The sandbox: a local emulator of the Chat REST endpoints tim-receipts uses.
//!
//! Start it in process with [`start`] (the demo world) or [`start_with_world`] (a world a
//! test built with [`world::World`]), or as `tim-receipts sandbox`. Defaults: SDKAppID
//! [`DEFAULT_SDKAPPID`], admin [`DEFAULT_ADMIN`], key [`DEFAULT_KEY`], world seed
//! [`DEFAULT_SEED`].
//!
//! # Protocol
//! `POST /v4/{service}/{command}?sdkappid=&identifier=&usersig=&random=&contenttype=json`.
//! Every business error is HTTP 200 with `{"ActionStatus":"FAIL","ErrorCode":N,"ErrorInfo":…}`;
//! success carries `ActionStatus "OK"`, `ErrorCode 0`, `ErrorInfo ""`, except
//! set_unread_msg_num, whose success says `Action1Status` exactly as the vendor's sample.
//!
//! Authentication (in this order): sdkappid missing 60012 / not a number 60006 / not this
//! sandbox's 70020; identifier missing 60004; UserSig empty 70002, undecodable 70003, other
//! SDKAppID 70014, other identifier 70013, expired 70001, wrong key 70009; identifier not
//! the admin 60010. A percent-encoded usersig is accepted; any official encoder's UserSig
//! (any zlib level) verifies because the document is compared, not the string.
//!
//! Endpoints (group service unless noted): get_appid_group_list (Limit ≤ 10000, u64 `Next`
//! above 2^32, 0 = end; 1 call/s), get_group_info (≤ 50 IDs, per-group codes,
//! GroupBaseInfoFilter honoured), get_group_member_info (Limit ≤ 200, Offset; Community pages
//! with a string `Next`, "" = end; `MsgSeq` = last read seq), get_specified_group_member_info
//! (≤ 50 accounts), group_msg_get_simple (ReqMsgNumber 1–20, newest first, IsPlaceMsg 1
//! expired / 2 recalled with WithRecalledMsg=1), send_group_msg (NeedReadReceipt, returns
//! MsgSeq), get_group_msg_receipt (≤ 1000 seqs; per item Code 10062 without a receipt),
//! get_group_msg_receipt_detail, group_msg_receipt (≤ 50 seqs), set_unread_msg_num,
//! openim/admin_set_msg_read, openim/get_c2c_unread_msg_num (≤ 10 peers),
//! profile/portrait_get (≤ 100 accounts; `UserProfileItem` with a `ResultCode` per account,
//! `Fail_Account`) and openim/query_online_status (≤ 500 accounts; `Status`, `Detail` with
//! `IsNeedDetail` 1, `ErrorList` 70107), get_joined_group_list (Limit ≤ 5000 + Offset,
//! `TotalCount`, `GroupType`/`WithHugeGroups`/`WithNoActiveGroups`, `ResponseFilter` with
//! `GroupBaseInfoFilter` and `SelfInfoFilter`) and recentcontact/get_list (`SessionItem`,
//! `CompleteFlag`, the `TimeStamp`/`StartIndex` and `TopTimeStamp`/`TopStartIndex` cursors;
//! see `handlers::recentcontact` and `world_conversations`). Member calls carry `NameCard`,
//! `MsgFlag` and `MuteUntil` when the `MemberInfoFilter` asks (or when there is no filter).
//!
//! # Decisions where the documents are silent
//! - Integer fields accept a JSON number or a decimal string; anything else (negative,
//!   fractional, wrong type), a missing required field, or a value past a documented limit
//!   gets 10004 (group service) naming the field. Bad JSON: 10011 (group), 90001 (openim).
//! - Malformed group ID (empty, > 48 bytes, spaces or non-ASCII, bad `@TGS#` form): 10015;
//!   unknown group: 10010. Receipt APIs on AVChatRoom or Community groups, and member or
//!   history calls on AVChatRoom: 10007 with a sentence saying why. A non-member
//!   `From_Account`/`Member_Account`: 10007.
//! - Receipts: the members who could read a message are the members at send time, sender
//!   excluded; `ReadNum + UnreadNum` is that number. Receipt-detail `Count` > 200 is served
//!   as 200; `Cursor` is an opaque 64-bit decimal string that pins a snapshot, so the pages
//!   of one listing give every member exactly once even if members read in between; the
//!   last page answers `Cursor "0"`. Both `IsFinish` (the sample) and `IsFinished` (the
//!   table) are sent with the same value. A recalled or expired message has no receipt.
//! - The 200-member cap (documented, no error code documented): a message sent with
//!   NeedReadReceipt while its group has more than 200 members is stored and delivered
//!   without a receipt, so it answers like a message sent without one (item `Code` 10062,
//!   detail 10062). The member count at send time decides: a message sent at 200 or fewer
//!   keeps its receipt when the group grows later.
//! - Unread counts: messages after the member's `MsgSeq`. set_unread_msg_num moves `MsgSeq`
//!   (clamped to the message count) and never changes receipts; it succeeds without change
//!   for Meeting/ChatRoom and AVChatRoom groups.
//! - admin_set_msg_read: `MsgReadTime` (or `MsgReadedTime`), string or number, default now;
//!   marks messages at or before that second read; unknown Report_Account 90008, unknown
//!   Peer_Account 90003. get_c2c_unread_msg_num: unknown To_Account 90003, unknown peers in
//!   `ErrorList` with 70107, more than 10 peers 70402.
//! - portrait_get: more than 100 accounts is refused whole with 40001; none, 40002; an
//!   unknown account gets `ResultCode` 40003 in its own item (empty `ProfileItem`) and is
//!   listed in `Fail_Account`, the others are answered; a tag the sandbox does not know
//!   40009; a nickname never set is answered as `""`. query_online_status: more than 500
//!   accounts, or none, 70402; `ErrorList` is always sent (empty when all were answered);
//!   an offline account's `Detail` is `[]`. Online state: set per account, else `Online`
//!   for 10 minutes after the account sent or (in the demo's activity) read, else in a demo
//!   world a state drawn per account every two hours from the seed and the clock, else
//!   `Offline` (see `people`).
//! - get_joined_group_list: groups in creation order (stable `Offset` pages); a Work group
//!   without a message is "not activated"; an unknown account 10019; `Limit` 0 or above
//!   5000 10004. recentcontact/get_list: 100 conversations a page, newest first, the newest
//!   500 kept; 1:1 conversations (a message either way) and group ones (no AVChatRoom);
//!   missing fields and bad JSON 50002, an unknown account 50001.
//! - Frequency limits: 200 calls per second per API, 1 for get_appid_group_list, answered
//!   with 60007 ([`ratelimit::RateLimits`]).
//! - Faults (`fail_rate`): 10002, HTTP 502, a JSON body cut in half, a stall of
//!   `stall` before the answer, and 60007, chosen by an RNG seeded from `seed`.

mod activity;
mod auth;
pub mod callbacks;
mod config;
pub mod demo;
mod demo_big;
mod demo_bulk;
mod demo_busy;
mod demo_people;
mod demo_text;
pub mod faults;
mod fields;
mod group_builder;
mod handlers;
mod hash;
mod names;
mod people;
mod people_names;
pub mod ratelimit;
mod receipts;
mod server;
pub mod world;
mod world_conversations;
mod world_people;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use config::{
    DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, DEFAULT_SEED, SandboxConfig, activity_is_valid,
    fail_rate_is_valid,
};
pub use demo::{
    DEMO_ALL_HANDS, DEMO_C2C_USER, DEMO_COMMUNITY, DEMO_GUILD, DEMO_LIVE, DEMO_MEETING,
    DEMO_ON_CALL, DEMO_RELEASE_TRAIN, DEMO_RELEASE_TRAIN_MESSAGES, DEMO_WAR_ROOM,
};
pub use demo_busy::{DEMO_BUSY_GROUPS, DEMO_BUSY_USER};
pub use faults::FaultKind;
pub use group_builder::GroupMut;
pub use people::{ACTIVE_SECS, Presence};
pub use ratelimit::RateLimits;
pub use world::World;

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<server::AppState>,
    cancel: CancellationToken,
    server: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// The bound address (with the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`, the endpoint to give the client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Read or change the world while the sandbox runs (changes made here fire no callbacks).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.state.world())
    }

    /// Stop serving and wait for the server task to end.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.server.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Start a sandbox on the generated demo world for `config.seed`.
pub async fn start(config: SandboxConfig) -> anyhow::Result<Sandbox> {
    let seed = config.seed;
    // ~60 ms in release: keep it off the async worker threads.
    let world = tokio::task::spawn_blocking(move || World::demo(seed))
        .await
        .context("building the demo world failed")?;
    start_with_world(config, world).await
}

/// Start a sandbox on a given world.
pub async fn start_with_world(config: SandboxConfig, mut world: World) -> anyhow::Result<Sandbox> {
    config.check()?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}: is another process using the port? Try --listen 127.0.0.1:0",
                config.listen
            )
        })?;
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    world.ensure_account(&config.admin);

    let cancel = CancellationToken::new();
    let callbacks = config.callback_url.as_ref().map(|url| {
        callbacks::spawn(
            callbacks::CallbackConfig {
                url: url.clone(),
                token: config.callback_token.clone(),
                sdkappid: config.sdkappid,
                batch_window: config.callback_batch,
                timeout: Duration::from_secs(2),
            },
            cancel.clone(),
        )
    });
    let apis: Vec<&'static str> = server::Api::ALL.iter().map(|a| a.path()).collect();
    let state = Arc::new(server::AppState {
        creds: auth::Credentials {
            sdkappid: config.sdkappid,
            key: config.key.clone(),
            admin: config.admin.clone(),
        },
        world: Mutex::new(world),
        limiter: ratelimit::Limiter::new(
            config.rate_limits.clone(),
            &apis,
            server::Api::GroupList.path(),
        ),
        faults: faults::Faults::new(
            config.fail_rate,
            &config.fault_kinds,
            config.latency,
            config.jitter,
            config.seed,
        ),
        stall: config.stall,
        callbacks,
        cancel: cancel.clone(),
    });
    activity::spawn(state.clone(), config.activity, config.seed, cancel.clone());
    let app = server::router(state.clone());
    let stop = cancel.clone();
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop.cancelled_owned())
            .await
        {
            tracing::error!("sandbox server stopped with an error: {e}");
        }
    });
    Ok(Sandbox {
        addr,
        state,
        cancel,
        server: Some(server),
    })
}

/// The `tim-receipts sandbox` subcommand: prints `listening on http://HOST:PORT` first,
/// serves until Ctrl-C, SIGTERM or SIGHUP, and returns the exit status of a process that
/// signal stopped (128 + its number: 130, 143, 129), as `listen` does.
pub async fn run(config: SandboxConfig) -> anyhow::Result<ExitCode> {
    let (sdkappid, admin, seed) = (config.sdkappid, config.admin.clone(), config.seed);
    let custom_key = config.key != DEFAULT_KEY;
    // Watch the signals before announcing the address, so a stop right after the first
    // line is never missed.
    let mut stop = crate::signals::Stop::install()?;
    let sandbox = start(config).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", sandbox.url()).context("cannot write to stdout")?;
        out.flush().context("cannot write to stdout")?;
    }
    let groups = sandbox.with_world(|w| w.group_count());
    eprintln!(
        "sandbox: SDKAppID {sdkappid}, admin {admin:?}, key {}, world seed {seed} ({groups} groups). Ctrl-C stops it.",
        if custom_key {
            "from --key"
        } else {
            "the built-in sandbox key"
        }
    );
    let signal = stop.wait().await;
    sandbox.shutdown().await;
    Ok(crate::signals::exit_code(signal))
}
