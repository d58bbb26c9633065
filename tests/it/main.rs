//! The integration tests, one binary: each area is a module (`cargo test --test it sandbox::`
//! runs one area), and the fixtures several areas share are in `common`.
//!
//! Every test talks to the real client, the in-process sandbox or the real binary over
//! loopback; the binary is `env!("CARGO_BIN_EXE_tim-receipts")`.

// Tests and benchmarks fail by panicking (unwrap, expect, assert), and signal the
// processes they start (kill(2)): the lint wall's rules are for the program, not for them.
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod architecture;
mod audit;
mod budget;
mod cli;
mod client;
mod dashboard_proof;
mod decoders;
mod faults;
mod hostile;
mod people;
mod positions;
mod sandbox;
mod secrets;
mod store;
mod tui_e2e;
mod user;
mod vendor_codes;
mod vendor_words;
mod webhook;
