//! A connected session: the resolved profile, the API client, the audit log, and (with
//! `--demo`) the in-process sandbox kept alive for as long as the session.

use std::net::SocketAddr;
use std::time::Duration;

use crate::api::{ApiError, Client, ClientConfig, WriteAction, WriteOutcome};
use crate::audit::{AuditLog, AuditRecord};
use crate::config::{self, Overrides, Settings, StoreSettings};
use crate::sandbox::{self, Sandbox, SandboxConfig};

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
    /// Calls per second the client allows itself in all (each API also has its own limit).
    pub budget_per_sec: u32,
    /// The token webhook callbacks are signed with, from the profile.
    pub webhook_token: Option<String>,
    /// Where the profile wants the webhook receiver to listen.
    pub webhook_listen: Option<SocketAddr>,
    /// The endpoint URL the client talks to.
    pub endpoint: String,
    /// The standby domain reads move to when the endpoint cannot be reached
    /// (`client.stats().on_standby` says when they do).
    pub standby_endpoint: Option<String>,
    /// The incident store's settings (on or off, where, retention).
    pub store: StoreSettings,
    audit: AuditLog,
    sandbox: Option<Sandbox>,
}

/// Latency, faults and activity of the demo sandbox (with `--demo`). Each range is checked
/// once, where the sandbox starts.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Added latency per request, in milliseconds.
    pub latency_ms: Option<u64>,
    /// Random extra latency up to this many milliseconds.
    pub jitter_ms: Option<u64>,
    /// Fraction (0–1) of calls that fail.
    pub fail_rate: Option<f64>,
    /// Simulated reads per second (0 = off).
    pub activity: Option<f64>,
}

/// Options of [`Session::connect_with`] (for the dashboard's live demo).
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// With `--demo`: the sandbox POSTs Group.CallbackAfterReadReceipt to this URL,
    /// signed with the token when one is given.
    pub demo_callback: Option<(String, Option<String>)>,
    /// With `--demo`: simulated reads per second (overrides `--activity`).
    pub demo_activity: Option<f64>,
}

/// Notable places in the demo world (see `sandbox::demo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoIds {
    /// The incident war room (Work, 180 members): the place to start.
    pub war_room: &'static str,
    /// The all-hands Public group at 6,000 members.
    pub all_hands: &'static str,
    /// A Meeting group (ignores set_unread_msg_num).
    pub meeting: &'static str,
    /// An AVChatRoom (receipts, members and history refused).
    pub live: &'static str,
    /// The 100,000-member Community (no receipts).
    pub community: &'static str,
    /// The support agent with unread 1:1 conversations.
    pub c2c_user: &'static str,
}

impl Default for DemoIds {
    fn default() -> Self {
        DemoIds {
            war_room: sandbox::DEMO_WAR_ROOM,
            all_hands: sandbox::DEMO_ALL_HANDS,
            meeting: sandbox::DEMO_MEETING,
            live: sandbox::DEMO_LIVE,
            community: sandbox::DEMO_COMMUNITY,
            c2c_user: sandbox::DEMO_C2C_USER,
        }
    }
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

impl Session {
    /// Resolve configuration (overrides > environment > profile) and build the client.
    /// With `demo` set, starts the in-process sandbox first.
    pub async fn connect(
        overrides: impl Into<Overrides>,
        demo: impl Into<DemoOptions>,
    ) -> anyhow::Result<Session> {
        Session::connect_with(overrides, demo, SessionOptions::default()).await
    }

    /// `connect`, with options for the demo sandbox.
    pub async fn connect_with(
        overrides: impl Into<Overrides>,
        demo: impl Into<DemoOptions>,
        options: SessionOptions,
    ) -> anyhow::Result<Session> {
        let global = overrides.into();
        if global.demo {
            let sandbox = start_demo_sandbox(&demo.into(), &options).await?;
            let settings = demo_settings(&global, &sandbox);
            let mut session = Session::from_settings(&settings, AuditLog::default_location())?;
            session.sandbox = Some(sandbox);
            return Ok(session);
        }
        let settings = config::resolve(&global)?;
        Session::from_settings(&settings, AuditLog::default_location())
    }

    /// A session for resolved settings, auditing to `audit`.
    pub fn from_settings(settings: &Settings, audit: AuditLog) -> anyhow::Result<Session> {
        let client_config = settings.client_config()?;
        let webhook_token = settings
            .webhook_token
            .clone()
            .map_err(|m| anyhow::anyhow!(m))?
            .map(|t| t.value.expose().to_string());
        let location = settings
            .endpoint
            .as_ref()
            .map(|e| e.value.1.clone())
            .unwrap_or_default();
        let mut session = Session::for_client(
            Client::new(client_config.clone()).map_err(|e| anyhow::anyhow!(e.one_line()))?,
            &settings.profile.value,
            &location,
            settings.read_only.value,
            audit,
        );
        session.webhook_token = webhook_token;
        session.webhook_listen = settings.webhook_listen.as_ref().map(|s| s.value);
        session.store = settings.store.clone();
        Ok(session)
    }

    /// A session around an existing client (tests and embedding).
    pub fn for_client(
        client: Client,
        profile: &str,
        location: &str,
        read_only: bool,
        audit: AuditLog,
    ) -> Session {
        let ClientConfig {
            endpoint,
            sdkappid,
            identifier,
            budget_per_sec,
            standby_endpoint,
            ..
        } = client.config().clone();
        Session {
            profile: profile.to_string(),
            location: location.to_string(),
            sdkappid,
            identifier,
            read_only,
            budget_per_sec,
            webhook_token: None,
            webhook_listen: None,
            endpoint,
            standby_endpoint,
            store: StoreSettings::defaults(&Overrides::default()),
            audit,
            sandbox: None,
            client,
        }
    }

    /// The demo sandbox, when this session runs on one.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// The demo world's notable IDs, when this session runs on the demo sandbox.
    pub fn demo_ids(&self) -> Option<DemoIds> {
        self.sandbox.as_ref().map(|_| DemoIds::default())
    }

    /// Where audit lines go.
    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    /// The one gate every write goes through: refuses in read-only mode, records the
    /// attempt in the audit log (synced to disk) before sending, then records the outcome
    /// under the same attempt ID.
    pub async fn write(&self, action: &WriteAction) -> Result<WriteOutcome, WriteError> {
        let record = AuditRecord::new(&self.profile, self.sdkappid, &self.identifier, action);
        if self.read_only {
            // Best effort: a refusal changes nothing, so it does not need the audit trail.
            if let Err(e) = self
                .audit
                .open()
                .and_then(|mut f| f.append(&record.refused("read-only mode")))
            {
                tracing::warn!(error = %e, "audit log");
            }
            tracing::info!(action = action.name(), target = %action.target(), "write refused: read-only");
            return Err(WriteError::ReadOnly(action.summary()));
        }
        // A write never happens without an audit trail: the attempt is on disk before
        // the request leaves, or nothing is sent.
        let mut audit = self
            .audit
            .open()
            .and_then(|mut f| f.append(&record).map(|()| f))
            .map_err(|e| {
                tracing::error!(error = %e, "audit log unavailable; write refused");
                WriteError::Api(ApiError::Invalid(format!(
                    "{e}; nothing was sent: writes are refused unless the attempt is in the audit log first (free disk space, fix the directory, or set XDG_STATE_HOME)"
                )))
            })?;
        let result = self.client.run_write(action).await;
        let (line, result) = match result {
            Ok(outcome) => (record.succeeded(&outcome), Ok(outcome)),
            Err(e) => (record.failed(&e), Err(WriteError::Api(e))),
        };
        tracing::info!(
            action = action.name(),
            target = %action.target(),
            result = ?line.result,
            "write"
        );
        if let Err(e) = audit.append(&line) {
            tracing::error!(error = %e, "audit log");
            if let Ok(mut outcome) = result {
                let note = format!("the write succeeded but was not audited: {e}");
                outcome.note = Some(match outcome.note.take() {
                    Some(n) => format!("{n}; {note}"),
                    None => note,
                });
                return Ok(outcome);
            }
        }
        result
    }
}

async fn start_demo_sandbox(
    demo: &DemoOptions,
    options: &SessionOptions,
) -> anyhow::Result<Sandbox> {
    let mut config = SandboxConfig::default();
    if let Some(ms) = demo.latency_ms {
        config.latency = Duration::from_millis(ms);
    }
    if let Some(ms) = demo.jitter_ms {
        config.jitter = Duration::from_millis(ms);
    }
    if let Some(p) = demo.fail_rate {
        config.fail_rate = p;
    }
    if let Some(rate) = options.demo_activity.or(demo.activity) {
        config.activity = rate;
    }
    if let Some((url, token)) = &options.demo_callback {
        config.callback_url = Some(url.clone());
        config.callback_token = token.clone();
    }
    sandbox::start(config)
        .await
        .map_err(|e| anyhow::anyhow!("cannot start the demo sandbox: {e:#}"))
}

fn demo_settings(global: &Overrides, sandbox: &Sandbox) -> Settings {
    let defaults = SandboxConfig::default();
    Settings::demo(
        global,
        &sandbox.url(),
        defaults.sdkappid,
        &defaults.admin,
        &defaults.key,
    )
}
