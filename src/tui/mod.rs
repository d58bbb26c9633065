//! The dashboard, with its live receipts.
//!
//! One owner of state (`model::app::App`), one event channel, `update(&mut App, Event) ->
//! Vec<Effect>` pure and unit-tested (`model/`); drawing a pure function of the state and
//! the theme (`ui/`), which the model never imports; effects run as tokio tasks whose
//! results come back as events tagged with a generation (`effects.rs`); the terminal guard
//! (`terminal.rs`) and this run loop own the terminal.

pub mod effects;
pub mod model;
mod stderr_guard;
pub mod store_access;
pub mod terminal;
pub mod ui;

// The paths the model had before it got its own folder (integration tests and benches
// name them).
pub use model::{app, event, keymap, listview, live, modal, paged, palette, panes};

#[cfg(test)]
mod group_search_tests;
#[cfg(test)]
mod modal_screen_tests;
#[cfg(test)]
mod people_flow_tests;
#[cfg(test)]
mod positions_flow_tests;
#[cfg(test)]
mod screen_props_tests;
#[cfg(test)]
mod screen_tests;
#[cfg(test)]
mod store_flow_tests;
#[cfg(any(test, feature = "testing"))]
pub mod test_harness;
#[cfg(test)]
mod user_flow_tests;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use ratatui::crossterm::event::{Event as CtEvent, EventStream};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::time::{Instant, Interval, MissedTickBehavior};

use crate::cli::Cli;
use crate::session::{Session, SessionOptions};
use crate::{sandbox, webhook};

use effects::{EffectRunner, TerminalEffect};
use model::app::{App, AppContext, DEFAULT_WATCH, update};
use model::event::{Event, SignalKind};
use terminal::Tui;
use ui::theme::Theme;

/// Spinner frame interval while something loads.
const SPINNER_EVERY: Duration = Duration::from_millis(120);
/// At most this many queued events are applied before a frame is drawn.
const DRAIN_LIMIT: usize = 4096;

/// Open the dashboard (no subcommand). Restores the terminal on every exit path.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the dashboard needs an interactive terminal; for scripts use the subcommands \
             (groups, messages, receipts, members) with --format json or csv"
        );
    }
    let (tx, rx) = unbounded_channel();
    // Connect (and start the webhook receiver) before taking the screen, so configuration
    // errors print normally.
    let (session, receiver, store) = connect(cli, &tx).await?;
    let session = Arc::new(session);
    let ctx = AppContext {
        profile: session.profile.clone(),
        location: session.location.clone(),
        sdkappid: session.sdkappid,
        read_only: session.read_only,
        budget_per_sec: session.budget_per_sec,
        watch_interval: cli
            .dashboard
            .watch_interval
            .filter(|s| *s > 0)
            .map_or(DEFAULT_WATCH, Duration::from_secs),
        utc_offset: time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC),
        audit_log: session.audit_log().path().map(|p| p.display().to_string()),
    };
    let size = ratatui::crossterm::terminal::size().context("cannot read the terminal size")?;
    let theme = Theme::from_env();
    let mut app = App::new(ctx, size);
    app.live.listening = receiver.as_ref().map(|r| r.addr().to_string());
    app.live.unsigned = receiver.as_ref().is_some_and(|r| !r.checks_sign());
    app.stored.enabled = store.is_some();

    let export_dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let runner = EffectRunner::new(
        Arc::clone(&session),
        tx.clone(),
        export_dir,
        cli.dashboard.csv_safe,
    )
    .with_store(store);

    let mut tui = Tui::enter(cli.dashboard.mouse).context("cannot set up the terminal")?;
    stderr_guard::install_panic_hook();
    stderr_guard::silence();
    let mut input = InputTask::start(tx.clone());
    let signals = spawn_signals(tx.clone());
    spawn_hangup_watch(tx.clone());
    tracing::info!(profile = %session.profile, location = %session.location, "dashboard started");

    let result = run_loop(
        &mut app, &theme, &mut tui, rx, &runner, &session, &mut input,
    )
    .await;

    input.stop();
    if let Some(handle) = signals {
        handle.close();
    }
    stderr_guard::restore();
    terminal::restore();
    drop(tui);
    drop(receiver);
    tracing::info!("dashboard closed");
    // Ended by a signal: 128 + its number, as a shell reports a process a signal killed.
    let code = app
        .exit_signal
        .and_then(|n| u8::try_from(128 + n).ok())
        .map_or(ExitCode::SUCCESS, ExitCode::from);
    result.map(|()| code)
}

/// Reads per second the demo sandbox simulates in the dashboard unless `--activity` says.
const DEMO_ACTIVITY: f64 = 5.0;

/// Build the session and, when asked for (`--webhook-listen`, the profile's
/// `webhook_listen`, or `--demo`), the webhook receiver feeding the dashboard. With
/// `--demo` the sandbox posts its callbacks, signed with a fresh token, to that receiver.
/// What `connect` sets up: the session, the receiver, and the incident store it writes to.
type Connected = (
    Session,
    Option<webhook::Receiver>,
    Option<Arc<store_access::StoreAccess>>,
);

async fn connect(cli: &Cli, tx: &UnboundedSender<Event>) -> anyhow::Result<Connected> {
    if cli.global.demo {
        let token = demo_token();
        let bind = cli
            .dashboard
            .webhook_listen
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let sdkappid = cli.global.sdkappid.unwrap_or(sandbox::DEFAULT_SDKAPPID);
        let overrides = crate::config::Overrides::from(&cli.global);
        let store = crate::config::StoreSettings::defaults(&overrides).open(sdkappid, true)?;
        let access = Arc::new(store_access::StoreAccess::new(store.clone(), sdkappid));
        let config = webhook::ReceiverConfig {
            sdkappid,
            token: Some(token.clone()),
            store: Some(store),
            ..Default::default()
        };
        let receiver = start_receiver(config, bind, tx).await?;
        let options = SessionOptions {
            demo_callback: Some((receiver.url(), Some(token))),
            demo_activity: Some(cli.demo_opts.activity.unwrap_or(DEMO_ACTIVITY)),
        };
        let session = Session::connect_with(&cli.global, &cli.demo_opts, options).await?;
        return Ok((session, Some(receiver), Some(access)));
    }
    let session = Session::connect(&cli.global, &cli.demo_opts).await?;
    let mut access = None;
    let receiver = match cli.dashboard.webhook_listen.or(session.webhook_listen) {
        Some(bind) => {
            // The incident store (unless the profile says `store = false`).
            let store = match session.store.enabled.value {
                true => Some(session.store.open(session.sdkappid, false)?),
                false => None,
            };
            access = store
                .as_ref()
                .map(|s| Arc::new(store_access::StoreAccess::new(s.clone(), session.sdkappid)));
            let config = webhook::ReceiverConfig {
                sdkappid: session.sdkappid,
                token: session.webhook_token.clone(),
                store,
                ..Default::default()
            };
            Some(start_receiver(config, bind, tx).await?)
        }
        None => None,
    };
    Ok((session, receiver, access))
}

/// A random token for the demo's loopback callbacks (never shown).
fn demo_token() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// Start the receiver and forward its events into the dashboard's channel.
async fn start_receiver(
    config: webhook::ReceiverConfig,
    bind: SocketAddr,
    tx: &UnboundedSender<Event>,
) -> anyhow::Result<webhook::Receiver> {
    let (events_tx, mut events_rx) = tokio::sync::mpsc::channel(1024);
    let receiver = webhook::start(config, bind, events_tx).await?;
    let tx = tx.clone();
    tokio::spawn(async move {
        while let Some(event) = events_rx.recv().await {
            if tx.send(Event::Webhook(event)).is_err() {
                return;
            }
        }
    });
    Ok(receiver)
}

/// The task reading the terminal. Stopped before Ctrl-Z suspends the process and started
/// afresh after it resumes (the old reader does not survive the stop).
struct InputTask {
    tx: UnboundedSender<Event>,
    handle: tokio::task::JoinHandle<()>,
}

impl InputTask {
    fn start(tx: UnboundedSender<Event>) -> Self {
        let handle = tokio::spawn(read_input(tx.clone()));
        InputTask { tx, handle }
    }

    fn stop(&self) {
        self.handle.abort();
    }

    fn restart(&mut self) {
        self.handle.abort();
        self.handle = tokio::spawn(read_input(self.tx.clone()));
    }
}

/// Terminal input → events. End of input (or a read error, e.g. after an SSH drop) quits.
async fn read_input(tx: UnboundedSender<Event>) {
    let mut stream = EventStream::new();
    loop {
        let event = match stream.next().await {
            Some(Ok(CtEvent::Key(key))) => Event::Key(key),
            Some(Ok(CtEvent::Resize(w, h))) => Event::Resize(w, h),
            Some(Ok(CtEvent::Mouse(m))) => Event::Mouse(m),
            Some(Ok(_)) => continue,
            Some(Err(e)) => {
                tracing::warn!(error = %e, "terminal input failed");
                let _ = tx.send(Event::InputClosed);
                return;
            }
            None => {
                let _ = tx.send(Event::InputClosed);
                return;
            }
        };
        if tx.send(event).is_err() {
            return;
        }
    }
}

/// crossterm's reader never reports a hung-up terminal (it retries a read that returns
/// EOF or EIO forever), so a thread waits for the hangup itself: poll(2) reports POLLHUP on
/// stdin with no events asked for, and blocks (no CPU) until then. Without it, input that
/// closes without a SIGHUP (no controlling terminal) leaves the dashboard spinning.
fn spawn_hangup_watch(tx: UnboundedSender<Event>) {
    let spawned = std::thread::Builder::new()
        .name("tty-hangup".into())
        .spawn(move || {
            let mut fds = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: 0,
                revents: 0,
            };
            loop {
                // SAFETY: one valid pollfd for the duration of the call.
                #[allow(unsafe_code)] // poll(2) on one pollfd we own, for the call's duration
                let rc = unsafe { libc::poll(&mut fds, 1, -1) };
                if rc < 0 {
                    if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                        continue;
                    }
                    return;
                }
                if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                    tracing::info!("terminal input hung up");
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot watch the terminal for a hangup");
    }
}

/// SIGHUP / SIGTERM / SIGINT / SIGQUIT / SIGUSR1 / SIGUSR2 → events (crossterm does not end
/// its stream on SSH drops, and each of these would otherwise kill the process with the
/// alternate screen still up).
fn spawn_signals(tx: UnboundedSender<Event>) -> Option<signal_hook_tokio::Handle> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
    let mut signals =
        match signal_hook_tokio::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2])
        {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch signals");
                return None;
            }
        };
    let handle = signals.handle();
    tokio::spawn(async move {
        while let Some(signal) = signals.next().await {
            let kind = match signal {
                SIGHUP => SignalKind::Hangup,
                SIGTERM => SignalKind::Terminate,
                SIGQUIT => SignalKind::Quit,
                SIGINT => SignalKind::Interrupt,
                other => SignalKind::User(other),
            };
            tracing::info!(?kind, "signal received");
            if tx.send(Event::Signal(kind)).is_err() {
                return;
            }
        }
    });
    Some(handle)
}

/// An interval whose first tick is one period from now.
fn interval(period: Duration) -> Interval {
    let mut i = tokio::time::interval_at(Instant::now() + period, period);
    i.set_missed_tick_behavior(MissedTickBehavior::Skip);
    i
}

async fn tick_of(timer: &mut Option<Interval>) {
    match timer {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending::<()>().await,
    }
}

async fn run_loop(
    app: &mut App,
    theme: &Theme,
    tui: &mut Tui,
    mut rx: UnboundedReceiver<Event>,
    runner: &EffectRunner,
    session: &Session,
    input: &mut InputTask,
) -> anyhow::Result<()> {
    let mut spinner: Option<Interval> = None;
    let mut watch: Option<(Duration, Interval)> = None;
    let mut effects = app.start();
    let panic_wake = terminal::panic_wake();
    loop {
        if terminal::panicked() {
            anyhow::bail!(
                "the dashboard stopped after an internal error (details above and in the log file)"
            );
        }
        // Effects first: some are the loop's own (terminal work).
        for effect in effects.drain(..) {
            match runner.run(effect) {
                Some(TerminalEffect::Quit) => return Ok(()),
                Some(TerminalEffect::Copy(text)) => {
                    if let Err(e) = tui.copy(&text) {
                        tracing::warn!(error = %e, "OSC 52 copy failed");
                    }
                }
                Some(TerminalEffect::Suspend) => {
                    input.stop();
                    // Let the aborted reader drop its event stream before the stop.
                    tokio::task::yield_now().await;
                    tracing::info!("suspending (Ctrl-Z)");
                    tui.suspend()
                        .context("cannot take the terminal back after Ctrl-Z")?;
                    input.restart();
                    tracing::info!("resumed after Ctrl-Z");
                    app.dirty = true;
                }
                None => {}
            }
        }
        effects.extend(update(app, Event::Stats(session.client.stats())));
        if let Some(failing) = runner.store_failing()
            && failing != app.stored.failing
        {
            effects.extend(update(app, Event::StoreHealth { failing }));
        }
        if !effects.is_empty() {
            continue;
        }
        if app.should_quit {
            return Ok(());
        }
        if app.dirty {
            if let Err(e) = tui.draw(app, theme) {
                // The terminal is gone (e.g. the SSH session dropped): leave quietly.
                tracing::warn!(error = %e, "drawing failed; leaving");
                return Ok(());
            }
            app.dirty = false;
        }

        // Timers exist only while needed: idle means no wake-ups at all.
        match (app.is_busy(), spinner.is_some()) {
            (true, false) => spinner = Some(interval(SPINNER_EVERY)),
            (false, true) => spinner = None,
            _ => {}
        }
        match (app.watch_interval(), &watch) {
            (Some(p), Some((q, _))) if p == *q => {}
            (Some(p), _) => watch = Some((p, interval(p))),
            (None, Some(_)) => watch = None,
            (None, None) => {}
        }
        let mut watch_timer = watch.as_mut().map(|(_, i)| i);

        let event = tokio::select! {
            ev = rx.recv() => ev,
            () = tick_of(&mut spinner) => Some(Event::Tick),
            () = panic_wake.notified() => continue,
            () = async {
                match watch_timer.as_mut() {
                    Some(t) => { t.tick().await; }
                    None => std::future::pending::<()>().await,
                }
            } => Some(Event::WatchTick),
        };
        let Some(event) = event else {
            return Ok(());
        };
        effects.extend(update(app, event));
        // Drain what else is queued before drawing: only the last frame of a burst shows.
        let mut drained = 0;
        while drained < DRAIN_LIMIT {
            match rx.try_recv() {
                Ok(ev) => effects.extend(update(app, ev)),
                Err(_) => break,
            }
            drained += 1;
        }
    }
}
