//! The sandbox over real HTTP on 127.0.0.1 (ephemeral ports), and the real binary.
//! Run: `cargo test --test it sandbox::` (the interop test needs TIM_TEST_PYTHON, see `interop`).

mod common;

mod protocol;

mod groups;

mod receipts;

mod c2c;

mod lifecycle;

mod demo;

mod faults;

mod rate_limits;

mod callbacks;

mod paging_property;

mod interop;
