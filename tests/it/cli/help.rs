//! Help texts: every argument of every subcommand explains itself, and `members` without
//! `--read`/`--unread` says what each does.

use clap::CommandFactory;
use tim_receipts::cli::Cli;

use super::*;

/// Every argument (positional or flag) of the whole command tree, except clap's own
/// `--help`/`--version` and its `help` subcommand, with an empty help text.
fn arguments_without_help(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version") {
            continue;
        }
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        if help.trim().is_empty() {
            out.push(format!("{path}: {id}"));
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        if sub
            .get_about()
            .is_none_or(|a| a.to_string().trim().is_empty())
        {
            out.push(format!("{path} {}: the subcommand itself", sub.get_name()));
        }
        arguments_without_help(sub, &format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_argument_of_every_subcommand_has_help() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    arguments_without_help(&cmd, "tim-receipts", &mut missing);
    assert!(missing.is_empty(), "no help text:\n{}", missing.join("\n"));
    // The walk saw the subcommands' own arguments (not only the globals).
    let members = cmd.find_subcommand("members").expect("members");
    let ids: Vec<&str> = members
        .get_arguments()
        .map(|a| a.get_id().as_str())
        .collect();
    for id in ["group", "seq", "read", "unread"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn members_without_read_or_unread_explains_both() {
    let env = Env::new().await;
    let out = run(env.cmd(), &["members", WORK, "1"]).await;
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let err = &out.stderr;
    assert!(err.contains("--read") && err.contains("--unread"), "{err}");
    assert!(
        err.contains("members who have read") && err.contains("members who have not read"),
        "what each flag means: {err}"
    );
    // Both at once is refused too.
    let out = run(env.cmd(), &["members", WORK, "1", "--read", "--unread"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}
