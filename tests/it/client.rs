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

use crate::common::audit_lines;
mod support;

use support::*;

mod receipts;

mod groups_and_history;

mod writes;

mod failures;

mod budget;

mod usersig_interop;

mod demo_session;
