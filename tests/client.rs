//! The API client over real HTTP against the in-process sandbox (127.0.0.1, port 0):
//! every client call, the error paths, faults with retries, the budget, the write gate with
//! its audit log, and UserSig interop with the official Python package.
//!
//! Interop tests need the PyPI package `tls-sig-api-v2`: set TIM_TEST_PYTHON to a Python
//! that can `import TLSSigAPIv2`, or create `.venv` (see `.ci/run`).

use std::time::{Duration, Instant};

use tim_receipts::api::{
    ApiError, Client, ClientConfig, ClientTuning, GroupType, MessageKind, ReceiptFilter,
    WriteAction,
};
use tim_receipts::sandbox::{self, FaultKind, Sandbox, SandboxConfig, World};

#[path = "common/audit_lines.rs"]
mod audit_lines;
#[path = "client/support.rs"]
mod support;

use support::*;

#[path = "client/receipts.rs"]
mod receipts;

#[path = "client/groups_and_history.rs"]
mod groups_and_history;

#[path = "client/writes.rs"]
mod writes;

#[path = "client/failures.rs"]
mod failures;

#[path = "client/budget.rs"]
mod budget;

#[path = "client/usersig_interop.rs"]
mod usersig_interop;

#[path = "client/demo_session.rs"]
mod demo_session;
