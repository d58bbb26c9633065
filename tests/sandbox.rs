//! The sandbox over real HTTP on 127.0.0.1 (ephemeral ports), and the real binary.
//! Run: `cargo test --test sandbox` (the interop test needs TIM_TEST_PYTHON, see `interop`).

#[path = "sandbox/common.rs"]
mod common;

#[path = "sandbox/protocol.rs"]
mod protocol;

#[path = "sandbox/groups.rs"]
mod groups;

#[path = "sandbox/receipts.rs"]
mod receipts;

#[path = "sandbox/c2c.rs"]
mod c2c;

#[path = "sandbox/lifecycle.rs"]
mod lifecycle;

#[path = "sandbox/demo.rs"]
mod demo;

#[path = "sandbox/faults.rs"]
mod faults;

#[path = "sandbox/rate_limits.rs"]
mod rate_limits;

#[path = "sandbox/callbacks.rs"]
mod callbacks;

#[path = "sandbox/paging_property.rs"]
mod paging_property;

#[path = "sandbox/interop.rs"]
mod interop;
