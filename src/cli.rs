//! Command-line definitions (clap derive), and in `convert.rs` their conversion to the
//! library's plain types. Only the edge (`main`, `commands`, the dashboard's entry) imports
//! this module.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::sandbox::{activity_is_valid, fail_rate_is_valid};

mod convert;

/// Browse Tencent Cloud Chat group-message read receipts.
///
/// With no command, opens the dashboard for the configured profile.
/// `tim-receipts --demo` opens it on a built-in sandbox with no account at all.
#[derive(Debug, Parser)]
#[command(name = "tim-receipts", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// With --demo: sandbox options (given before any subcommand).
    #[command(flatten)]
    pub demo_opts: DemoArgs,

    /// Dashboard-only options.
    #[command(flatten)]
    pub dashboard: DashboardArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Config file (default: the XDG path, e.g. ~/.config/tim-receipts/config.toml).
    #[arg(long, global = true, env = "TIM_RECEIPTS_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Profile in the config file (default: the file's `default_profile`, else "default").
    #[arg(long, global = true, env = "TIM_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Run against a built-in sandbox with a demo world: no account, no config needed.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Refuse every write (also a per-profile setting).
    #[arg(long, global = true)]
    pub read_only: bool,

    /// SDKAppID (overrides TIM_SDKAPPID and the profile).
    #[arg(long, global = true, value_name = "N")]
    pub sdkappid: Option<u64>,

    /// App admin identifier (overrides TIM_IDENTIFIER and the profile).
    #[arg(long, global = true, value_name = "ID")]
    pub identifier: Option<String>,

    /// Region: china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley, jakarta
    /// (overrides TIM_REGION and the profile).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Explicit endpoint URL, e.g. http://127.0.0.1:8080 (overrides TIM_ENDPOINT, region and profile).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,

    /// Total call budget in calls per second, all APIs together (default 40; each API also has
    /// its own limit, 20/s by default: the vendor's 200/s per API is shared with production).
    #[arg(long, global = true, value_name = "N")]
    pub budget: Option<u32>,

    /// Log verbosity for the log file: error, warn, info, debug, trace.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,

    /// Directory of the incident stores, one SQLite file per app (default:
    /// ~/.local/state/tim-receipts/store).
    #[arg(long, global = true, env = "TIM_STORE_DIR", value_name = "DIR")]
    pub store_dir: Option<PathBuf>,
}

/// Latency, faults and activity of a sandbox: the `sandbox` subcommand's, or (given before
/// any subcommand) the in-process one that `--demo` starts.
#[derive(Debug, Clone, Args, Default)]
#[command(
    next_help_heading = "Sandbox latency, faults and activity (with --demo: before any subcommand)"
)]
pub struct DemoArgs {
    /// Sandbox: added latency per request, in milliseconds (0–60000).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub latency: Option<u64>,

    /// Sandbox: random extra latency up to this many milliseconds (0–60000).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub jitter: Option<u64>,

    /// Sandbox: fraction (0–1) of calls that fail (10002, HTTP 502, truncated JSON, stalls, frequency limits).
    #[arg(long, value_name = "P", value_parser = fraction)]
    pub fail_rate: Option<f64>,

    /// Sandbox: pace of simulated activity, 0 (off) or 0.01–1000: at most RATE reads per second, plus
    /// new messages now and then; 5 runs the demo world in real time.
    #[arg(long, value_name = "RATE", value_parser = activity_rate)]
    pub activity: Option<f64>,
}

/// A fraction from 0 to 1.
fn fraction(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number: use a fraction from 0 to 1, e.g. 0.3"))?;
    if fail_rate_is_valid(p) {
        Ok(p)
    } else {
        Err(format!(
            "{s} is out of range: use a fraction from 0 to 1, e.g. 0.3"
        ))
    }
}

/// A time given on the command line: RFC 3339 (`2026-05-01T10:00:00Z`, any offset) or
/// Unix seconds; Unix milliseconds back.
pub fn time_arg(s: &str) -> Result<u64, String> {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .ok()
            .and_then(|secs| secs.checked_mul(1000))
            .ok_or_else(|| format!("{s:?} is too large for Unix seconds"));
    }
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| {
        format!("{s:?} is not a time: use RFC 3339 (2026-05-01T10:00:00Z) or Unix seconds")
    })?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).map_err(|_| format!("{s:?} is before 1970"))
}

/// Simulated reads per second: 0 (off) or 0.01 to 1000.
pub fn activity_rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.trim().parse().map_err(|_| {
        format!("{s:?} is not a number: use reads per second, 0 (off) or 0.01 to 1000")
    })?;
    if activity_is_valid(r) {
        Ok(r)
    } else {
        Err(format!(
            "{s} is out of range: use reads per second, 0 (off) or 0.01 to 1000"
        ))
    }
}

/// Options of the dashboard (no subcommand).
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Dashboard")]
pub struct DashboardArgs {
    /// Capture the mouse (off by default so text can be selected and copied).
    #[arg(long)]
    pub mouse: bool,

    /// Start the webhook receiver on ADDR and show live receipt events (e.g. 0.0.0.0:9000).
    #[arg(long, value_name = "ADDR")]
    pub webhook_listen: Option<SocketAddr>,

    /// Watch-mode poll interval in seconds (1–3600).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub watch_interval: Option<u64>,

    /// Exports (e): prefix cells a spreadsheet would run as formulas (=, +, -, @) with '.
    #[arg(long)]
    pub csv_safe: bool,
}

/// Output format of the plain subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Where `members` takes its lists from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// The message's read receipt (`get_group_msg_receipt_detail`).
    Receipts,
    /// The members' read positions (`MsgSeq` from `get_group_member_info`, a full scan).
    Positions,
    /// The receipt when the message has one, else read positions.
    Auto,
}

/// Where `receipts` takes its counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountSource {
    /// Each message's read receipt (`get_group_msg_receipt`).
    Receipts,
    /// The members' read positions (`MsgSeq` from `get_group_member_info`, a full scan).
    Positions,
}

/// Output format option shared by the listing subcommands.
#[derive(Debug, Clone, Args)]
pub struct FormatArgs {
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// With --format csv: prefix cells a spreadsheet would run as formulas (=, +, -, @) with '.
    #[arg(long)]
    pub csv_safe: bool,
}

/// Confirmation options of the write subcommands.
#[derive(Debug, Clone, Args)]
pub struct WriteArgs {
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,

    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the app's groups with type, name and member count, or find groups by name.
    Groups {
        /// Only groups of this type (Work/Private, Public, Meeting/ChatRoom, AVChatRoom, Community).
        #[arg(long = "type", value_name = "TYPE")]
        group_type: Option<String>,
        /// At most this many groups.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Find groups whose name (or ID) contains TEXT, ignoring case, among all of the
        /// app's groups: from an index of every group's name and type, kept on disk per
        /// app and built again when older than an hour.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// With --search: build the index again now, however fresh it is.
        #[arg(long, requires = "search")]
        refresh: bool,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// The latest messages of a group, with read/unread counts.
    Messages {
        /// Group ID, e.g. @TGS#1OPSWARROOM (case-sensitive; `groups` lists them).
        group: String,
        /// How many messages (default 20).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Read/unread counts for message seqs (SEQ may be a range like 100-140).
    Receipts {
        /// Group ID, e.g. @TGS#1OPSWARROOM (case-sensitive; `groups` lists them).
        group: String,
        /// Message seqs (MsgSeq, as `messages` lists them): single seqs or ranges like 100-140.
        #[arg(required = true, value_name = "SEQ")]
        seqs: Vec<String>,
        /// Where the counts come from: each message's read receipt, or the members' read
        /// positions (one full scan of the group's members: who has read up to each message).
        #[arg(long, value_enum, default_value_t = CountSource::Receipts)]
        source: CountSource,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Every member who has read (--read) or not read (--unread) a message.
    #[command(
        group(ArgGroup::new("list").required(true).args(["read", "unread"])),
        override_usage = "tim-receipts members GROUP SEQ --read|--unread [--source receipts|positions|auto] [OPTIONS]\n\n\
          Give exactly one of:\n  \
          --read    list the members who have read message SEQ\n  \
          --unread  list the members who have not read message SEQ"
    )]
    Members {
        /// Group ID, e.g. @TGS#1OPSWARROOM (case-sensitive; `groups` lists them).
        group: String,
        /// The message's seq (MsgSeq, as `messages` lists it).
        seq: u64,
        /// List the members who have read message SEQ.
        #[arg(long)]
        read: bool,
        /// List the members who have not read message SEQ.
        #[arg(long)]
        unread: bool,
        /// Where the lists come from: the message's read receipt, the members' read
        /// positions (MsgSeq: who has read up to the message), or auto (the receipt when the
        /// message has one, else read positions).
        #[arg(long, value_enum, default_value_t = Source::Auto)]
        source: Source,
        /// Also look up each member's online status (query_online_status, 500 members a
        /// call): adds `online`.
        #[arg(long)]
        online: bool,
        /// Look up no names: no get_specified_group_member_info or portrait_get calls
        /// (`name_card` and `nick` stay "" unless a member scan carried the name card).
        #[arg(long)]
        no_names: bool,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// One user: who they are, their groups with their unread count in each, their 1:1
    /// conversations with theirs; with --group and --seq, whether they read that message.
    ///
    /// ACCOUNT is an account ID: the service has no search by nickname. Group unread counts
    /// are estimates (NextMsgSeq - 1 - the user's MsgSeq); Meeting and AVChatRoom groups
    /// keep none. Setting an unread count (`set-unread`) notifies nobody.
    User {
        /// The account ID (case-sensitive; the service cannot search by nickname).
        account: String,
        /// With --seq: the group of the message to check.
        #[arg(long, value_name = "GROUP", requires = "seq")]
        group: Option<String>,
        /// With --group: the message's seq (MsgSeq): did the user read it, by read receipt
        /// and by read position?
        #[arg(long, value_name = "N", requires = "group")]
        seq: Option<u64>,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Mark a one-to-one conversation read for REPORT_ACCOUNT (write; asks first).
    MarkRead {
        /// The account whose view of the conversation is marked read.
        report_account: String,
        /// The other account of the one-to-one conversation (who sent the messages).
        peer_account: String,
        /// Mark messages up to this Unix time (seconds) read; default now.
        #[arg(long, value_name = "T")]
        time: Option<u64>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Set a group member's unread message count (write; asks first; for migrations only).
    ///
    /// Tencent documents set_unread_msg_num "only for users who are migrating their apps to
    /// Tencent Cloud Chat". It fires no callback and sends no notification: the member's
    /// apps and your backend are not told. The service caps the count at the group's
    /// message count; Meeting (ChatRoom) and AVChatRoom groups accept the call and change
    /// nothing.
    SetUnread {
        /// Group ID, e.g. @TGS#1OPSWARROOM (case-sensitive; `groups` lists them).
        group: String,
        /// The member's account ID.
        member: String,
        /// The unread count to set (capped by the service at the group's message count).
        count: u64,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Generate or inspect a UserSig.
    Usersig {
        #[command(subcommand)]
        command: UsersigCommand,
    },
    /// Show the config paths in use and the effective settings (key redacted).
    Config,
    /// Show the write audit log: every write attempt and its outcome.
    Audit {
        /// Only attempts that have no outcome (the process stopped while the write was in flight).
        #[arg(long)]
        pending: bool,
        /// Only the last N entries.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Who read a message and when, from the incident store (SEQ), or every read of the
    /// group's messages in a time range (no SEQ).
    Timeline {
        /// Group ID, e.g. @TGS#1OPSWARROOM (case-sensitive; `groups` lists them).
        group: String,
        /// The message's seq (MsgSeq); without it, every message read from --since to --until.
        seq: Option<u64>,
        /// Only reads at or after T (RFC 3339, e.g. 2026-05-01T10:00:00Z, or Unix seconds).
        #[arg(long, value_name = "T", value_parser = time_arg)]
        since: Option<u64>,
        /// Only reads at or before T (RFC 3339 or Unix seconds).
        #[arg(long, value_name = "T", value_parser = time_arg)]
        until: Option<u64>,
        /// The store alone: no read list (with SEQ), no nickname lookups; no key needed.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Load a `listen --record` file into the incident store (importing twice adds nothing).
    Import {
        /// The record file: one callback body per line.
        file: PathBuf,
        #[command(flatten)]
        format: FormatArgs,
    },
    /// Run the local Chat REST emulator.
    Sandbox(SandboxArgs),
    /// Receive Group.CallbackAfterReadReceipt webhooks and print one JSON line per event.
    Listen(ListenArgs),
}

#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Print a UserSig made from the configured key.
    Gen {
        /// Identifier to sign for (default: the configured admin).
        #[arg(long)]
        identifier: Option<String>,
        /// Validity in seconds.
        #[arg(long, default_value_t = 86_400)]
        expire: u64,
    },
    /// Decode a UserSig and check it against the configured key and identifier.
    Inspect {
        /// The UserSig ("-" reads it from stdin, keeping it out of shell history).
        sig: String,
    },
}

/// Options of `tim-receipts sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    // The SDKAppID the sandbox serves is the global `--sdkappid`.
    /// Secret key the sandbox verifies UserSigs with.
    #[arg(long)]
    pub key: Option<String>,
    /// The app admin identifier.
    #[arg(long)]
    pub admin: Option<String>,
    /// World seed (the default gives the same demo world every time).
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub faults: DemoArgs,
    /// POST Group.CallbackAfterReadReceipt events to this URL.
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// Sign callbacks with this token (Sign = sha256(token + RequestTime)).
    #[arg(long, value_name = "TOKEN")]
    pub callback_token: Option<String>,
}

/// Options of `tim-receipts listen`.
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9000")]
    pub bind: SocketAddr,
    /// Callback authentication token (also `webhook_token` in the profile, or TIM_WEBHOOK_TOKEN).
    #[arg(long, env = "TIM_WEBHOOK_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Append every accepted raw event to this JSON-lines file.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Reject signed requests whose RequestTime is further than this from now, in seconds
    /// (default 60: the 1-minute window the vendor documents).
    #[arg(long, default_value_t = 60)]
    pub max_age: u64,
    /// Commit every accepted event to the incident store before answering (the default,
    /// unless the profile says `store = false`).
    #[arg(long, overrides_with = "no_store")]
    pub store: bool,
    /// Do not store events: print them only.
    #[arg(long, overrides_with = "store")]
    pub no_store: bool,
}
