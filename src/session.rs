//! A connected session: the resolved profile, the API client, the audit log, and (with
//! `--demo`) the in-process sandbox kept alive for as long as the session.
//!
//! CONTRACT (skeleton): filled in by the client/config work (issue 3).

use crate::api::{Client, WriteAction, WriteOutcome};
use crate::cli::{DemoArgs, GlobalArgs};

/// Everything a command or the dashboard needs to talk to one app.
pub struct Session {
    pub client: Client,
    /// Profile name, or "demo".
    pub profile: String,
    /// Human label of where we are connected, e.g. "Singapore" or "sandbox 127.0.0.1:41234".
    pub location: String,
    pub sdkappid: u64,
    pub identifier: String,
    pub read_only: bool,
    /// Calls per second the client allows itself.
    pub budget_per_sec: u32,
    /// Webhook receiver settings from the profile (issue 5).
    pub webhook_token: Option<String>,
}

/// Why a write did not happen or failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "read-only mode: {0} was refused (drop --read-only / read_only = true to allow writes)"
    )]
    ReadOnly(String),
    #[error(transparent)]
    Api(#[from] crate::api::ApiError),
}

#[allow(unused_variables)]
impl Session {
    /// Resolve configuration (flags > environment > profile) and build the client. With
    /// `--demo`, starts the in-process sandbox first.
    pub async fn connect(global: &GlobalArgs, demo: &DemoArgs) -> anyhow::Result<Session> {
        todo!("issue 3")
    }

    /// The one gate every write goes through: refuses in read-only mode, runs the write,
    /// appends the outcome (success or failure) to the audit log.
    pub async fn write(&self, action: &WriteAction) -> Result<WriteOutcome, WriteError> {
        todo!("issue 3")
    }
}
