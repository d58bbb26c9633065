use std::process::ExitCode;

use clap::Parser;
use tim_receipts::cli::{Cli, Command};
use tim_receipts::config::Overrides;
use tim_receipts::webhook::ListenOptions;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to a file under the XDG state directory, never to the terminal. Without a
    // usable directory the program runs unlogged; a bad --log-level is an error.
    if let Err(e) = tim_receipts::logging::init(cli.global.log_level.as_deref())
        && cli.global.log_level.is_some()
    {
        eprintln!("tim-receipts: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tim-receipts: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            None => tim_receipts::tui::run(&cli).await,
            Some(Command::Sandbox(args)) => {
                tim_receipts::sandbox::run(args.to_config(&cli.global)).await
            }
            Some(Command::Listen(args)) => {
                let overrides = Overrides::from(&cli.global);
                tim_receipts::webhook::run_listen(&overrides, &ListenOptions::from(args)).await
            }
            Some(command) => {
                tim_receipts::commands::run(command, &cli.global, &cli.demo_opts).await
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            // An error can quote the service or the user: never raw to the terminal.
            eprintln!(
                "tim-receipts: {}",
                tim_receipts::text::printable_lines(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}
