//! Secrets audit: run the subcommands, the sandbox and the `listen` receiver with a known
//! secret key and webhook token, logging at trace level, trigger every kind of error, and
//! check that neither the key, nor any UserSig, nor the token appears in stdout, stderr,
//! the log files or the audit log; then the dashboard in a pty (screen and raw bytes too).
//! Run: `cargo test --test it secrets::`.

mod detect;

mod audit;

/// The dashboard's part of the audit: the real binary in a pty with a known key and webhook
/// token at trace level, against a sandbox started here; a write, webhooks (good and badly
/// signed), a wrong key and a failing sandbox. Neither the screen (emulated and raw bytes),
/// the log files nor the audit log may hold the key, a UserSig or the token.
mod dashboard;
