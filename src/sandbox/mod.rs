//! The local emulator of the Chat REST endpoints tim-receipts uses (issue 2).
//!
//! CONTRACT (skeleton): `SandboxConfig`, `start`, `Sandbox::{addr,url,shutdown}` and
//! `run` are what the rest of the crate calls. The sandbox work fills them in and adds
//! the world (`world` module: a builder for small test worlds and the demo world).

use std::net::SocketAddr;
use std::time::Duration;

use crate::cli::{GlobalArgs, SandboxArgs};

/// SDKAppID the sandbox serves unless told otherwise.
pub const DEFAULT_SDKAPPID: u64 = 1_400_000_000;
/// The app admin account of the sandbox.
pub const DEFAULT_ADMIN: &str = "administrator";
/// The sandbox's fixed secret key (public on purpose: the sandbox guards nothing).
pub const DEFAULT_KEY: &str = "5andb0x5ecretkey0000000000000000000000000000000000000000000000000";
/// The seed of the one demo world every `--demo` run and plain `sandbox` show.
pub const DEFAULT_SEED: u64 = 20_261_122;

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub listen: SocketAddr,
    pub sdkappid: u64,
    pub key: String,
    pub admin: String,
    /// Seed of the generated demo world (ignored when a world is given to `start_with_world`).
    pub seed: u64,
    /// Added latency per request, and random extra latency up to `jitter`.
    pub latency: Duration,
    pub jitter: Duration,
    /// Fraction of calls (0–1) that fail in one of the fault modes.
    pub fail_rate: f64,
    /// How long a "stall" fault holds the request before answering.
    pub stall: Duration,
    /// Simulated reads per second (0 = no activity).
    pub activity: f64,
    /// Where to POST Group.CallbackAfterReadReceipt, and the token to sign with.
    pub callback_url: Option<String>,
    pub callback_token: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            sdkappid: DEFAULT_SDKAPPID,
            key: DEFAULT_KEY.to_string(),
            admin: DEFAULT_ADMIN.to_string(),
            seed: DEFAULT_SEED,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            fail_rate: 0.0,
            stall: Duration::from_secs(60),
            activity: 0.0,
            callback_url: None,
            callback_token: None,
        }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {}

#[allow(unused_variables)]
impl Sandbox {
    /// The bound address (with the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        todo!("issue 2")
    }

    /// `http://HOST:PORT`, the endpoint to give the client.
    pub fn url(&self) -> String {
        todo!("issue 2")
    }

    /// Stop serving and wait for the server task to end.
    pub async fn shutdown(self) {
        todo!("issue 2")
    }
}

/// Start a sandbox on the generated demo world for `config.seed`.
#[allow(unused_variables)]
pub async fn start(config: SandboxConfig) -> anyhow::Result<Sandbox> {
    todo!("issue 2")
}

/// The `tim-receipts sandbox` subcommand: prints `listening on http://HOST:PORT` first,
/// serves until Ctrl-C/SIGTERM.
#[allow(unused_variables)]
pub async fn run(global: &GlobalArgs, args: &SandboxArgs) -> anyhow::Result<()> {
    todo!("issue 2")
}
