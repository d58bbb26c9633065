//! The dashboard (issue 4).

use std::process::ExitCode;

use crate::cli::Cli;

/// Open the dashboard (no subcommand). Restores the terminal on every exit path.
#[allow(unused_variables)]
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    todo!("issue 4")
}
