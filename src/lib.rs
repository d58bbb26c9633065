//! tim-receipts: a terminal dashboard for Tencent Cloud Chat group-message read receipts.
//!
//! Rooms: `vendor` (what the service is: endpoints, codes, limits), `api` (the REST
//! client), `sandbox` (the local emulator), `webhook` (the callback receiver), `tui` (the
//! dashboard), `commands` (the plain subcommands), plus `config`, `session` (profile +
//! client + audit), and `usersig` (TLSSigAPIv2).

pub mod api;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod export;
pub mod logging;
pub mod sandbox;
pub mod session;
pub mod signals;
pub mod store;
pub mod text;
pub mod tui;
pub mod usersig;
pub mod vendor;
pub mod webhook;
