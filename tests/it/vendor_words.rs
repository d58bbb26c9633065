//! The service's own words, over HTTP against the sandbox on 127.0.0.1: the `ErrorInfo` that
//! names an account, a field or a group type reaches the CLI's one line and the dashboard's
//! explanation; a group ID in the wrong letter case says that IDs are case-sensitive; and
//! `set-unread` says it is documented for migrations only, with no callback and no
//! notification, before anything is confirmed.
//!
//! Every child gets a private HOME / XDG_CONFIG_HOME / XDG_STATE_HOME and no inherited
//! TIM_* variables, and is killed if it runs past a generous deadline.

use crate::common;

use std::process::Stdio;
use std::time::Duration;

use tim_receipts::api::{GroupType, WriteAction};
use tim_receipts::cli::{DemoArgs, GlobalArgs};
use tim_receipts::sandbox::{self, Sandbox, SandboxConfig, World};
use tim_receipts::session::Session;

const WORK: &str = "@TGS#1WORKOPS";
const LIVE: &str = "@TGS#3LIVESHOW";
const COMMUNITY: &str = "@TGS#_@TGS#CMTYTEST";
/// Longest any one command may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(90);

fn world() -> World {
    let mut w = World::new();
    {
        let mut g = w.add_group(WORK, GroupType::Work, &["alice", "bob"]);
        g.post("alice", "first", true);
    }
    w.add_group(LIVE, GroupType::AVChatRoom, &["alice"]);
    w.add_group(COMMUNITY, GroupType::Community, &["alice"]);
    w
}

struct Env {
    sb: Sandbox,
    home: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Env {
    async fn new() -> Env {
        Env {
            sb: sandbox::start_with_world(SandboxConfig::default(), world())
                .await
                .expect("sandbox starts"),
            home: tempfile::tempdir().expect("a temporary home"),
        }
    }

    /// A child with a private home and no TIM_* / XDG_* settings of the user's.
    fn bare(&self) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        for (k, _) in std::env::vars() {
            if k.starts_with("TIM_") || k.starts_with("XDG_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        c
    }

    /// A child configured for this test's sandbox through the environment.
    fn cmd(&self) -> tokio::process::Command {
        let mut c = self.bare();
        c.env("TIM_ENDPOINT", self.sb.url())
            .env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string())
            .env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN)
            .env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
        c
    }
}

async fn run(mut cmd: tokio::process::Command, args: &[&str]) -> Out {
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = tokio::time::timeout(DEADLINE, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("tim-receipts {args:?} ran past {DEADLINE:?}"))
        .expect("the binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A failure: exit 1, nothing on stdout, one line on stderr.
fn one_failure_line(out: &Out) -> &str {
    assert_eq!(
        out.code, 1,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    out.stderr.trim_end()
}

#[tokio::test(flavor = "multi_thread")]
async fn set_unread_on_a_non_member_shows_who_is_not_a_member() {
    let env = Env::new().await;
    let out = run(env.cmd(), &["set-unread", WORK, "zoe", "1", "--yes"]).await;
    let line = one_failure_line(&out);
    assert!(
        line.contains(&format!(
            "the service says: Member_Account \"zoe\" is not a member of group {WORK}"
        )),
        "{line}"
    );
    assert!(
        line.contains("10007") && line.contains("not a member of the group, or the group type"),
        "{line}"
    );
    assert!(!line.contains("use an app admin"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_type_that_does_not_allow_the_call_says_so_in_the_services_words() {
    let env = Env::new().await;
    let out = run(env.cmd(), &["messages", LIVE, "--limit", "1"]).await;
    let line = one_failure_line(&out);
    assert!(
        line.contains("10007") && line.contains("not supported for AVChatRoom groups"),
        "{line}"
    );
    let out = run(env.cmd(), &["receipts", COMMUNITY, "1"]).await;
    let line = one_failure_line(&out);
    assert!(
        line.contains("10007") && line.contains("is a Community group"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_id_in_lower_case_says_ids_are_case_sensitive() {
    let env = Env::new().await;
    let hint = format!("group IDs are case-sensitive: did you mean {WORK}?");
    let lower = WORK.to_lowercase();
    let mixed = WORK.replace("WORKOPS", "workops");
    for args in [
        vec!["messages", lower.as_str()],
        vec!["receipts", mixed.as_str(), "1"],
        vec!["members", lower.as_str(), "1", "--read"],
        vec!["set-unread", mixed.as_str(), "alice", "1", "--yes"],
    ] {
        let out = run(env.cmd(), &args).await;
        let line = one_failure_line(&out);
        assert!(
            line.contains("10010") && line.contains(&hint),
            "{args:?}: {line}"
        );
    }
    // The right ID in upper case: no hint.
    let out = run(env.cmd(), &["messages", "@TGS#1NOSUCHGROUP"]).await;
    assert!(!one_failure_line(&out).contains("did you mean"));
}

#[tokio::test(flavor = "multi_thread")]
async fn on_the_demo_a_lower_case_war_room_id_gets_the_right_guess() {
    let env = Env::new().await;
    let lower = sandbox::DEMO_WAR_ROOM.to_lowercase();
    let out = run(env.bare(), &["--demo", "messages", &lower, "--limit", "1"]).await;
    let line = one_failure_line(&out);
    assert!(
        line.contains(&format!(
            "group IDs are case-sensitive: did you mean {}?",
            sandbox::DEMO_WAR_ROOM
        )),
        "{line}"
    );
}

/// The dashboard's words for a failed `U` (the write dialog's result) come from the same
/// explanation: over HTTP against the demo sandbox, they name the member.
#[tokio::test(flavor = "multi_thread")]
async fn the_dashboards_words_for_a_failed_set_unread_name_the_member() {
    let global = GlobalArgs {
        demo: true,
        ..GlobalArgs::default()
    };
    let session = Session::connect(&global, &DemoArgs::default())
        .await
        .expect("the demo session");
    let action = WriteAction::SetUnread {
        group: sandbox::DEMO_WAR_ROOM.into(),
        member: "not.in.the.war.room".into(),
        unread: 1,
    };
    let err = session
        .client
        .run_write(&action)
        .await
        .expect_err("a non-member has no unread count to set");
    let e = tim_receipts::tui::app::explain(&err);
    assert!(
        e.what
            .contains("Member_Account \"not.in.the.war.room\" is not a member"),
        "{e:?}"
    );
    assert!(e.what.contains("error 10007"), "{e:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn set_unread_says_migrations_only_before_anything_is_confirmed() {
    let env = Env::new().await;
    let out = run(env.cmd(), &["set-unread", "--help"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let help = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "only for users who are migrating their apps to Tencent Cloud Chat",
        "no callback",
        "no notification",
    ] {
        assert!(help.contains(words), "{words:?} in {help}");
    }
    // Without a terminal and without --yes: refused, and the refusal says it too.
    let out = run(env.cmd(), &["set-unread", WORK, "alice", "1"]).await;
    let line = one_failure_line(&out);
    assert!(
        line.contains("pass --yes") && line.contains("migrating") && line.contains("no callback"),
        "{line}"
    );
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "alice")),
        Some(0)
    );
}

/// On a terminal the prompt says it before `Proceed? [y/N]`; the default answer writes nothing.
#[test]
fn the_set_unread_prompt_says_migrations_only_before_asking() {
    let mut pty = common::pty::Pty::start(&[
        "--demo",
        "set-unread",
        sandbox::DEMO_WAR_ROOM,
        "someone",
        "2",
    ]);
    let screen = pty.wait_for("Proceed? [y/N]");
    // The terminal wraps long lines anywhere: compare without whitespace.
    let flat: String = screen.chars().filter(|c| !c.is_whitespace()).collect();
    let note = flat.find("onlyforappsmigrating").expect("the note");
    assert!(
        note < flat.find("Proceed?[y/N]").unwrap_or(0)
            && flat.contains("itfiresnocallbackandsendsnonotification"),
        "{screen}"
    );
    pty.send("\r");
    pty.wait_for("cancelled; nothing was written");
    assert!(!pty.wait_exit().success());
}
