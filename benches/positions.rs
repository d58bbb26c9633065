//! Read positions at scale (issue 13): full scans of the demo world's two big groups with a
//! call budget of 100 calls/s (`--budget 100`, and `get_group_member_info = 100` in the
//! profile's `api_budget`, since each API otherwise keeps to its own 20/s), against the
//! sandbox with 20 ms of injected latency on every request.
//!
//! - **100,000-member Community** (string `Next` paging: 500 pages of 200, one after the
//!   other). The scanning client is the real binary in a child process, so the sandbox's
//!   own world (in this process) is not counted in its memory: `members GROUP SEQ --unread
//!   --source positions --format csv` and `receipts GROUP SEQ --source positions --format
//!   json`. Wall time from spawn to exit against the floor of 500 pages × 20 ms (target
//!   ≤ 1.1), and the child's peak RSS from `wait4(2)`'s `ru_maxrss` (target ≤ 60 MB), next to
//!   the same binary answering `groups --limit 1` (its baseline). The child is started by a
//!   small launcher (this executable run afresh, see [`launcher`]), because Linux counts
//!   the image a program was exec'd from in its `ru_maxrss`. For reference, the same scan
//!   in process, the same 500 requests from a bare reqwest loop, and the timer alone.
//! - **6,000-member Public group** (the all-hands; `Offset` paging: 30 pages of 200).
//!   `Client::member_scan` with a fresh client, against the best schedule the budget allows
//!   (target ≤ 1.2), and against a plain loop of `get_group_member_info` Offset pages one
//!   after the other through a client, measured in the same run (target ≥ 3x). The best
//!   schedule: 31 calls fit in the budget's burst (a bucket of 100 tokens at 100/s), so the
//!   budget never makes a call wait and the client's 4 calls in flight are the limit: one
//!   `get_group_info` (the type decides Offset or `Next`), then 30 pages in ⌈30 / 4⌉ = 8
//!   waves: 9 round trips, 180 ms. (With the burst spent, 100 calls/s alone would allow 30
//!   pages in no less than 29 × 10 ms + 20 ms = 310 ms.)
//!
//! Every scan's answer is checked against the sandbox's world (counts and, for the CSV, the
//! unread accounts themselves): a fast wrong answer fails the run, and so does a call that
//! failed or was retried in process.
//!
//! Run: `cargo bench --bench positions` (about 75 s once built, most of it the five
//! 100,000-member scans).

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and make system calls
// (wait4(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{banner, secs, summary, timed};
use tim_receipts::api::{CallStats, Client, ClientConfig, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT};
use tim_receipts::sandbox::world::now_unix;
use tim_receipts::sandbox::{
    self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID, DEFAULT_SEED, DEMO_ALL_HANDS,
    DEMO_COMMUNITY, RateLimits, SandboxConfig, World,
};

const LATENCY: Duration = Duration::from_millis(20);
/// The budget the targets are stated for, calls per second.
const BUDGET: u32 = 100;
const MEMBER_INFO: &str = "get_group_member_info";
const PAGE: u64 = 200;
/// Calls in flight for Offset pages (`CHUNK_CONCURRENCY`).
const IN_FLIGHT: u64 = 4;
const RUNS: usize = 5;
const SEQUENTIAL_RUNS: usize = 3;
const MAX_RSS_MIB: f64 = 60.0;

/// What a scan must find for message `seq`: counts and the unread accounts, from the world.
struct Expected {
    group: &'static str,
    seq: u64,
    sender: String,
    members: usize,
    read: u64,
    unread: HashSet<String>,
}

impl Expected {
    fn of(w: &World, group: &'static str) -> Expected {
        let seq = w.latest_seq(group).unwrap();
        let sender = w.message(group, seq).unwrap().from;
        let members = w.members(group).unwrap();
        let (mut read, mut unread) = (0, HashSet::new());
        for m in members.iter().filter(|m| **m != sender) {
            if w.msg_seq(group, m).unwrap() >= seq {
                read += 1;
            } else {
                unread.insert(m.clone());
            }
        }
        Expected {
            group,
            seq,
            sender,
            members: members.len(),
            read,
            unread,
        }
    }
}

fn main() {
    if let Some(report) = std::env::var_os(LAUNCHER) {
        launcher(report);
        return;
    }
    banner("positions");
    let rt = common::runtime();
    rt.block_on(async {
        let world = World::demo_at(DEFAULT_SEED, now_unix());
        let community = Expected::of(&world, DEMO_COMMUNITY);
        let all_hands = Expected::of(&world, DEMO_ALL_HANDS);
        assert_eq!(community.members, 100_000);
        assert_eq!(all_hands.members, 6_000);
        let sandbox = common::sandbox_with_latency(world, LATENCY).await;
        public_scan(&sandbox, &all_hands).await;
        let home = tempfile::tempdir().expect("a temporary home");
        community_scan(&sandbox.url(), home.path(), &community);
        community_references(&sandbox, &community).await;
        sandbox.shutdown().await;
        work_per_page(&community).await;
    });
}

/// A fresh client with the benchmark's budget: 100 calls/s in all and for member pages.
fn client(sandbox: &sandbox::Sandbox) -> Client {
    Client::new(ClientConfig {
        endpoint: sandbox.url(),
        sdkappid: DEFAULT_SDKAPPID,
        identifier: DEFAULT_ADMIN.to_string(),
        secret_key: DEFAULT_KEY.to_string(),
        budget_per_sec: BUDGET,
        api_budget: BTreeMap::from([(MEMBER_INFO.to_string(), BUDGET)]),
        timeout: DEFAULT_TIMEOUT,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        ..ClientConfig::default()
    })
    .expect("client")
}

/// No call failed and none was retried (a frequency-limit answer would be retried).
fn assert_clean(stats: &CallStats, what: &str) {
    assert_eq!(stats.failed_calls, 0, "{what}: failed calls");
    assert_eq!(stats.retries, 0, "{what}: retries");
}

async fn public_scan(sandbox: &sandbox::Sandbox, want: &Expected) {
    let pages = (want.members as u64).div_ceil(PAGE);
    let mut samples = Vec::new();
    let mut calls = 0;
    for _ in 0..RUNS {
        let c = client(sandbox);
        let (scan, took) = timed(c.member_scan(want.group, &mut |_| {}, None)).await;
        let scan = scan.expect("the scan succeeds");
        let accounts: HashSet<&String> = scan.members.iter().map(|m| &m.account).collect();
        assert_eq!(scan.members.len(), want.members, "every member");
        assert_eq!(accounts.len(), want.members, "each once");
        let (read, unread) = scan.counts(want.seq, &want.sender);
        assert_eq!(
            (read, unread),
            (want.read, want.unread.len() as u64),
            "counts"
        );
        let stats = c.stats();
        assert_clean(&stats, "member_scan");
        calls = stats.total_calls;
        assert_eq!(calls, pages + 1, "get_group_info and one call a page");
        samples.push(took);
    }
    let (scan, min, max) = summary(&samples);
    let waves = pages.div_ceil(IN_FLIGHT);
    let floor = LATENCY * (1 + waves) as u32;
    println!(
        "public scan {} members @{}ms, budget {BUDGET}/s: {:.3} s (median of {RUNS}; min {:.3}, max {:.3}; {calls} calls, 0 retries), best schedule 1 + {waves} waves of {IN_FLIGHT} = {} round trips = {:.3} s, ratio {:.2} (target <= 1.2)",
        want.members,
        LATENCY.as_millis(),
        secs(scan),
        secs(min),
        secs(max),
        1 + waves,
        secs(floor),
        secs(scan) / secs(floor),
    );

    let mut samples = Vec::new();
    for _ in 0..SEQUENTIAL_RUNS {
        let c = client(sandbox);
        let (n, took) = timed(sequential_offsets(&c, want.group)).await;
        assert_eq!(n, want.members, "the loop saw every member");
        let stats = c.stats();
        assert_clean(&stats, "sequential loop");
        assert_eq!(stats.total_calls, pages, "one call a page");
        samples.push(took);
    }
    let (sequential, min, max) = summary(&samples);
    println!(
        "public scan {} members @{}ms, sequential Offset loop: {:.3} s (median of {SEQUENTIAL_RUNS}; min {:.3}, max {:.3}; {pages} calls), floor {pages} x {} ms = {:.3} s, ratio {:.2}",
        want.members,
        LATENCY.as_millis(),
        secs(sequential),
        secs(min),
        secs(max),
        LATENCY.as_millis(),
        secs(LATENCY * pages as u32),
        secs(sequential) / secs(LATENCY * pages as u32),
    );
    println!(
        "public scan {} members: member_scan {:.3} s vs sequential loop {:.3} s, speedup {:.2}x (target >= 3x)",
        want.members,
        secs(scan),
        secs(sequential),
        secs(sequential) / secs(scan),
    );
}

/// `get_group_member_info` Offset pages one after the other until a short page or the end
/// of `MemberNum`; returns how many distinct members it saw.
async fn sequential_offsets(c: &Client, group: &str) -> usize {
    let mut seen = HashSet::new();
    let mut offset = 0;
    for _ in 0..=6_000 / PAGE {
        let page = c
            .group_members(group, offset, None, PAGE as u32)
            .await
            .expect("a page");
        let short = (page.members.len() as u64) < PAGE;
        seen.extend(page.members.into_iter().map(|m| m.account));
        offset += PAGE;
        if short || offset >= page.member_num {
            break;
        }
    }
    seen.len()
}

/// One run of the real binary: wall time from spawn to exit, peak RSS, its output.
struct ChildRun {
    wall: Duration,
    max_rss_kib: u64,
    stdout: String,
    stderr: String,
}

/// Set (to a file path) when this benchmark's executable runs as the launcher.
const LAUNCHER: &str = "TIM_POSITIONS_BENCH_LAUNCHER";

/// The launcher: run the program and arguments given, with this process's environment and
/// standard streams, wait for it with wait4(2), and write its wall time (ns), peak RSS
/// (KiB) and wait status to the file `report`; exit 0 (the caller reads the status).
///
/// Why a launcher: Linux carries the memory high-water mark of the process image replaced
/// by execve(2) into the new program's `ru_maxrss`, and a child forked (or vfork-spawned)
/// from this benchmark starts as an image of it, with the whole sandbox world. The launcher
/// is this executable started afresh, a few MiB, so the scanning client's `ru_maxrss` is
/// its own peak.
fn launcher(report: std::ffi::OsString) {
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("a program to launch");
    let start = Instant::now();
    // Reaped by wait4(2) below, which std does not know of.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(program)
        .args(args)
        .env_remove(LAUNCHER)
        .spawn()
        .expect("the program starts");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child this function spawned (nothing else reaps it); `status`
    // and `usage` are valid for writes for the duration of the call.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(rc, pid, "wait4: {}", std::io::Error::last_os_error());
    std::fs::write(
        report,
        format!("{} {} {status}", wall.as_nanos(), usage.ru_maxrss),
    )
    .expect("report written");
}

/// Run the binary with `args` against the sandbox at `url`, with a profile that holds the
/// benchmark's budget, through the launcher (see [`launcher`]).
fn run_child(url: &str, home: &Path, args: &[&str]) -> ChildRun {
    let config = home.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"bench\"\n\n[profiles.bench]\nsdkappid = {DEFAULT_SDKAPPID}\n\
             identifier = \"{DEFAULT_ADMIN}\"\nendpoint = \"{url}\"\nstandby_endpoint = \"\"\n\
             secret_key_env = \"TIM_BENCH_KEY\"\nbudget = {BUDGET}\n\n\
             [profiles.bench.api_budget]\n{MEMBER_INFO} = {BUDGET}\n"
        ),
    )
    .expect("config written");
    let report = home.join("launcher-report");
    let mut child = Command::new(std::env::current_exe().expect("this executable"))
        .arg(env!("CARGO_BIN_EXE_tim-receipts"))
        .args(["--budget", &BUDGET.to_string()])
        .args(args)
        .env_clear()
        .env(LAUNCHER, &report)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("TIM_RECEIPTS_CONFIG", &config)
        .env("TIM_BENCH_KEY", DEFAULT_KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the launcher starts");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).expect("stdout");
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).expect("stderr");
        s
    });
    let launched = child.wait().expect("the launcher ends");
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    assert!(launched.success(), "the launcher failed: {stderr}");
    let report = std::fs::read_to_string(&report).expect("the launcher's report");
    let fields: Vec<i64> = report
        .split(' ')
        .map(|f| f.parse().expect("a number"))
        .collect();
    let status = i32::try_from(fields[2]).unwrap();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "tim-receipts {args:?} failed ({status}): {stderr}"
    );
    ChildRun {
        wall: Duration::from_nanos(u64::try_from(fields[0]).unwrap()),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: u64::try_from(fields[1]).unwrap(),
        stdout,
        stderr,
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn community_scan(url: &str, home: &Path, want: &Expected) {
    let pages = (want.members as u64).div_ceil(PAGE);
    let floor = LATENCY * pages as u32;
    let baseline = run_child(url, home, &["groups", "--limit", "1", "--format", "json"]);
    let seq = want.seq.to_string();

    // The unread list, every account checked against the world.
    let list = run_child(
        url,
        home,
        &[
            "members",
            want.group,
            &seq,
            "--unread",
            "--source",
            "positions",
            // The scan is measured here; name lookups have their own bench (`names`).
            "--no-names",
            "--format",
            "csv",
        ],
    );
    let mut lines = list.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "group_id,seq,list,account,source,read_seq,joined_after,name_card,nick,role,muted,online"
        )
    );
    let mut got = HashSet::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[2], "unread", "{line}");
        assert_eq!(fields[4], "position", "{line}");
        assert!(got.insert(fields[3].to_string()), "listed twice: {line}");
    }
    assert_eq!(got, want.unread, "the unread list is the world's");
    assert!(list.stderr.contains(&format!(
        "{} of {} members loaded",
        want.members, want.members
    )));

    // The counts.
    let counts = run_child(
        url,
        home,
        &[
            "receipts",
            want.group,
            &seq,
            "--source",
            "positions",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&counts.stdout).expect("JSON");
    assert_eq!(v[0]["read"], want.read, "{v}");
    assert_eq!(v[0]["unread"], want.unread.len() as u64, "{v}");
    assert_eq!(v[0]["source"], "position", "{v}");

    for (what, run) in [
        ("members --unread --format csv", &list),
        ("receipts --source positions", &counts),
    ] {
        println!(
            "community scan {} members @{}ms, budget {BUDGET}/s, `{what}` in a child process: {:.3} s from spawn to exit, floor {pages} pages x {} ms = {:.3} s (plus 2 other calls), ratio {:.3} (target <= 1.1); peak RSS {:.1} MiB (target <= {MAX_RSS_MIB} MB)",
            want.members,
            LATENCY.as_millis(),
            secs(run.wall),
            LATENCY.as_millis(),
            secs(floor),
            secs(run.wall) / secs(floor),
            mib(run.max_rss_kib),
        );
    }
    println!(
        "baseline: `groups --limit 1` in a child process: {:.3} s, peak RSS {:.1} MiB; the unread list of {} members ({} bytes of CSV) costs {:+.1} MiB over it",
        secs(baseline.wall),
        mib(baseline.max_rss_kib),
        want.unread.len(),
        list.stdout.len(),
        mib(list.max_rss_kib) - mib(baseline.max_rss_kib),
    );
}

/// What this machine allows for 500 sequential pages, to read the child's ratio against:
/// the same scan in process, the same 500 requests from a bare reqwest loop (no budget, no
/// decoding into domain types), and the timer alone (500 sleeps of 20 ms).
async fn community_references(sandbox: &sandbox::Sandbox, want: &Expected) {
    let pages = (want.members as u64).div_ceil(PAGE);
    let floor = LATENCY * pages as u32;
    let c = client(sandbox);
    let (scan, took) = timed(c.member_scan(want.group, &mut |_| {}, None)).await;
    let scan = scan.expect("the scan succeeds");
    assert_eq!(scan.members.len(), want.members);
    assert_eq!(
        scan.counts(want.seq, &want.sender),
        (want.read, want.unread.len() as u64)
    );
    assert_clean(&c.stats(), "community member_scan");
    println!(
        "community scan {} members @{}ms in process (`Client::member_scan`): {:.3} s, ratio to floor {:.3}",
        want.members,
        LATENCY.as_millis(),
        secs(took),
        secs(took) / secs(floor),
    );
    let (n, raw) = timed(raw_next_loop(&sandbox.url(), want.group)).await;
    assert_eq!(n, want.members, "the bare loop saw every member");
    println!(
        "community scan @{}ms, bare reqwest loop (same {pages} requests): {:.3} s, ratio to floor {:.3}",
        LATENCY.as_millis(),
        secs(raw),
        secs(raw) / secs(floor),
    );
    common::report_timer_alone(pages as usize, LATENCY).await;
}

/// Follow the Community's `Next` with plain reqwest: the requests the client sends.
async fn raw_next_loop(base: &str, group: &str) -> usize {
    let http = reqwest::Client::new();
    let sig = tim_receipts::usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, DEFAULT_ADMIN, 3600);
    let url = format!(
        "{base}/v4/group_open_http_svc/get_group_member_info?sdkappid={DEFAULT_SDKAPPID}&identifier={DEFAULT_ADMIN}&usersig={sig}&random=1&contenttype=json"
    );
    let (mut next, mut seen) = (String::new(), 0);
    for _ in 0..=100_000 / PAGE {
        let body = serde_json::json!({"GroupId": group, "Limit": PAGE, "Next": next,
            "MemberInfoFilter": ["Role", "JoinTime", "MsgSeq"]});
        let page: serde_json::Value = http
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("JSON");
        seen += page["MemberList"].as_array().map_or(0, Vec::len);
        next = page["Next"].as_str().unwrap_or_default().to_string();
        if next.is_empty() {
            break;
        }
    }
    seen
}

/// The work of one page without injected latency: the same bare loop against a second
/// sandbox (the same world) with no latency and no frequency limit, so what each page costs
/// besides the 20 ms shows on its own. (The client cannot be timed this way: its budget of
/// 100 calls/s would pace it.)
async fn work_per_page(want: &Expected) {
    let world = World::demo_at(DEFAULT_SEED, now_unix());
    let unlimited = SandboxConfig {
        rate_limits: RateLimits {
            per_api: 0,
            group_list: 0,
            ..RateLimits::default()
        },
        ..SandboxConfig::default()
    };
    let sandbox = sandbox::start_with_world(unlimited, world)
        .await
        .expect("sandbox starts");
    let pages = (want.members as u64).div_ceil(PAGE);
    let (n, raw) = timed(raw_next_loop(&sandbox.url(), want.group)).await;
    assert_eq!(n, want.members, "the bare loop saw every member");
    println!(
        "community pages with no injected latency, bare reqwest loop: {:.3} s, {:.2} ms a page (the sandbox's, loopback's and JSON's own work)",
        secs(raw),
        secs(raw) * 1000.0 / pages as f64,
    );
    sandbox.shutdown().await;
}
