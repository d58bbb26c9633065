//! One file per subcommand; each only wires the client to a formatter (issue 3).

use std::process::ExitCode;

use crate::cli::{Command, DemoArgs, GlobalArgs};

/// Run one plain subcommand (everything but `sandbox` and `listen`).
#[allow(unused_variables)]
pub async fn run(
    command: &Command,
    global: &GlobalArgs,
    demo: &DemoArgs,
) -> anyhow::Result<ExitCode> {
    todo!("issue 3")
}
