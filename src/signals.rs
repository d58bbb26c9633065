//! The signals that stop a long-running command (`listen`, `sandbox`): Ctrl-C (SIGINT),
//! SIGTERM and SIGHUP, watched from the moment [`Stop::install`] returns. A command they
//! stop exits with 128 + the signal's number, as a shell reports a process a signal ended
//! (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). The dashboard watches more signals
//! through its event loop and uses the same exit status.

use std::process::ExitCode;

use anyhow::Context;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Watches SIGINT, SIGTERM and SIGHUP.
pub struct Stop {
    interrupt: Signal,
    terminate: Signal,
    hangup: Signal,
}

impl Stop {
    pub fn install() -> anyhow::Result<Stop> {
        Ok(Stop {
            interrupt: signal(SignalKind::interrupt()).context("cannot watch Ctrl-C")?,
            terminate: signal(SignalKind::terminate()).context("cannot watch SIGTERM")?,
            hangup: signal(SignalKind::hangup()).context("cannot watch SIGHUP")?,
        })
    }

    /// Wait for one of them; returns its number.
    pub async fn wait(&mut self) -> i32 {
        tokio::select! {
            _ = self.interrupt.recv() => libc::SIGINT,
            _ = self.terminate.recv() => libc::SIGTERM,
            _ = self.hangup.recv() => libc::SIGHUP,
        }
    }
}

/// The exit status of a process a signal stopped: 128 + its number.
pub fn exit_code(signal: i32) -> ExitCode {
    u8::try_from(128 + signal).map_or(ExitCode::FAILURE, ExitCode::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(exit_code(libc::SIGTERM), ExitCode::from(143));
        assert_eq!(exit_code(libc::SIGINT), ExitCode::from(130));
        assert_eq!(exit_code(libc::SIGHUP), ExitCode::from(129));
    }
}
