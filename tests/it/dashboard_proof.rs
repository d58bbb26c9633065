//! Proof for the dashboard (issue 6, round 2), with the real binary in a pseudo-terminal:
//! keys keep working while every call hangs, the terminal is restored after a panic, SIGHUP
//! and the end of input, and writes never run without confirmation (read-only: no write
//! keys at all). Every wait polls with a deadline; nothing sleeps to synchronise.
//! Run: `cargo test --test it dashboard_proof::`.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::pty::{self, COLS, DEADLINE, Output, POLL, Pty, ROWS, find, rfind};
use portable_pty::CommandBuilder;

const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

/// The dashboard in a pty (portable-pty: the pty is its controlling terminal).
type Dashboard = Pty;

impl Dashboard {
    /// The terminal is back: the last alternate-screen switch left it, the cursor shows.
    fn assert_restored(&self) {
        let raw = self.raw();
        let entered = rfind(&raw, ENTER_ALT).expect("the dashboard used the alternate screen");
        let left = rfind(&raw, LEAVE_ALT).expect("the alternate screen was left");
        assert!(
            left > entered,
            "left the alternate screen after entering it"
        );
        assert!(
            rfind(&raw, SHOW_CURSOR).is_some_and(|i| i > entered),
            "the cursor was shown again"
        );
        assert!(!self.alternate_screen());
        assert!(!self.cursor_hidden());
    }

    fn audit_log(&self) -> Option<String> {
        std::fs::read_to_string(self.home().join("state/tim-receipts/audit.jsonl")).ok()
    }
}

/// Child processes of `pid` (from /proc/PID/task/*/children).
fn children_of(pid: u32) -> Vec<u32> {
    let mut kids = Vec::new();
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in tasks.flatten() {
            let text = std::fs::read_to_string(t.path().join("children")).unwrap_or_default();
            kids.extend(
                text.split_whitespace()
                    .filter_map(|n| n.parse::<u32>().ok()),
            );
        }
    }
    kids
}

/// A sandbox in this process (its own runtime), for runs that need its state or faults.
mod sandbox_here {
    use super::*;
    use tim_receipts::sandbox::{self, DEFAULT_ADMIN, DEFAULT_KEY, DEFAULT_SDKAPPID};

    pub struct Here {
        pub rt: tokio::runtime::Runtime,
        pub sandbox: Option<sandbox::Sandbox>,
    }

    impl Here {
        pub fn start(config: sandbox::SandboxConfig) -> Here {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            let sandbox = rt.block_on(sandbox::start(config)).expect("sandbox starts");
            Here {
                rt,
                sandbox: Some(sandbox),
            }
        }

        pub fn url(&self) -> String {
            self.sandbox.as_ref().expect("running").url()
        }

        /// The dashboard against this sandbox: `--endpoint` plus the TIM_* variables, and a
        /// profile file with `extra` lines.
        pub fn dashboard(&self, extra: &str, args: &[&str]) -> Dashboard {
            let dir = tempfile::tempdir().expect("temp dir");
            let home = dir.path().to_path_buf();
            let config = home.join("profile.toml");
            std::fs::write(&config, format!("[profiles.default]\n{extra}\n")).expect("config");
            let mut cmd = pty::command(&home, &[]);
            cmd.env("TIM_SECRET_KEY", DEFAULT_KEY);
            cmd.env("TIM_SDKAPPID", DEFAULT_SDKAPPID.to_string());
            cmd.env("TIM_IDENTIFIER", DEFAULT_ADMIN);
            cmd.arg("--config");
            cmd.arg(&config);
            cmd.arg("--endpoint");
            cmd.arg(self.url());
            cmd.args(args);
            let mut d = Dashboard::spawn(cmd, Output::default());
            d.keep_home(dir);
            d
        }

        /// A member's last read seq in a group, asked over the API.
        pub fn last_read_seq(&self, group: &str, member: &str) -> u64 {
            let client = tim_receipts::api::Client::new(tim_receipts::api::ClientConfig {
                endpoint: self.url(),
                sdkappid: DEFAULT_SDKAPPID,
                identifier: DEFAULT_ADMIN.to_string(),
                secret_key: DEFAULT_KEY.to_string(),
                budget_per_sec: 20,
                timeout: Duration::from_secs(30),
                max_attempts: 3,
                ..tim_receipts::api::ClientConfig::default()
            })
            .expect("client");
            let members = self
                .rt
                .block_on(client.group_members_by_id(group, &[member.to_string()]))
                .expect("member info");
            members
                .iter()
                .find(|m| m.account == member)
                .map(|m| m.last_read_seq)
                .expect("the member is in the group")
        }
    }

    impl Drop for Here {
        fn drop(&mut self) {
            if let Some(s) = self.sandbox.take() {
                self.rt.block_on(s.shutdown());
            }
        }
    }
}

mod hanging_calls {
    use super::sandbox_here::Here;
    use super::*;
    use tim_receipts::sandbox::{FaultKind, SandboxConfig};

    /// Every call stalls (held 5 s, client timeout 1 s, 2 attempts): while they hang, help
    /// opens and closes and the focus moves; then the error shows with its way out.
    #[test]
    fn keys_work_while_every_call_hangs_then_the_error_and_retry_show() {
        let here = Here::start(SandboxConfig {
            fail_rate: 1.0,
            fault_kinds: vec![FaultKind::Stall],
            stall: Duration::from_secs(5),
            ..SandboxConfig::default()
        });
        let mut d = here.dashboard("timeout_secs = 1\nmax_attempts = 2", &[]);
        d.wait_until("a call in flight", |t| t.contains("in flight"));
        // The group list is hanging; the dashboard still answers keys.
        d.send("?");
        let help = d.wait_for("Esc closes this help");
        assert!(help.contains("move down"), "{help}");
        d.send("\x1b");
        d.wait_until("help to close", |t| !t.contains("Esc closes this help"));
        d.send("\t");
        d.wait_for("┏ Messages");
        d.send("\t");
        d.wait_for("┏ Members");
        d.send("\x1b[Z");
        d.wait_for("┏ Messages");
        d.send("h");
        let screen = d.wait_for("┏ Groups");
        assert!(
            screen.contains("in flight") && !screen.contains("r to retry"),
            "the keys were answered while the call still hung: {screen}"
        );
        // Then the call gives up: the error in words with its next step, and `r to retry`.
        let screen = d.wait_until("the error", |t| t.contains("r to retry"));
        assert!(screen.contains("✗"), "{screen}");
        assert!(
            screen.contains("within 1 s"),
            "the timeout in words: {screen}"
        );
        // r retries: a call is in flight again, and keys still work meanwhile.
        d.send("r");
        d.wait_until("the retry in flight", |t| t.contains("in flight"));
        d.send("?");
        d.wait_for("Esc closes this help");
        d.send("q");
        d.wait_until("help to close", |t| !t.contains("Esc closes this help"));
        d.send("q");
        let status = d.wait_exit();
        assert!(status.success(), "{status:?}");
        d.assert_restored();
    }
}

mod restore {
    use super::*;

    #[test]
    fn sighup_restores_the_terminal_exits_and_leaves_no_process() {
        let mut d = Dashboard::start(&["--demo", "--activity", "0"]);
        d.wait_for("Ops War Room");
        let pid = d.pid();
        let kids = children_of(pid);
        // SAFETY: a signal to the child this test started.
        let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGHUP) };
        assert_eq!(rc, 0);
        d.wait_exit();
        d.assert_restored();
        // SAFETY: kill(pid, 0) only checks for existence.
        let alive = |p: u32| unsafe { libc::kill(p as libc::pid_t, 0) } == 0;
        assert!(!alive(pid), "the dashboard process is gone");
        for k in kids {
            assert!(!alive(k), "child {k} of the dashboard is gone");
        }
    }

    /// End of input without a hangup: stdin is a pty of its own whose master is closed, the
    /// screen another pty that stays open, and the child has no controlling terminal (so no
    /// SIGHUP comes with it). The dashboard must notice, restore and exit.
    #[test]
    fn end_of_input_exits_and_restores() {
        use std::os::fd::{FromRawFd, OwnedFd};
        use std::os::unix::process::CommandExt;
        use std::process::{Command, Stdio};

        fn openpty() -> (std::fs::File, OwnedFd) {
            let (mut master, mut slave) = (0, 0);
            let size = libc::winsize {
                ws_row: ROWS,
                ws_col: COLS,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            // SAFETY: openpty fills two fds we then own.
            let rc = unsafe {
                libc::openpty(
                    &mut master,
                    &mut slave,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    &size,
                )
            };
            assert_eq!(rc, 0, "openpty");
            // Not inherited: the child must hold only its stdio copies, or the input
            // would never close.
            for fd in [master, slave] {
                // SAFETY: fcntl on fds we own.
                unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
            }
            // SAFETY: fresh fds from openpty.
            unsafe {
                (
                    std::fs::File::from_raw_fd(master),
                    OwnedFd::from_raw_fd(slave),
                )
            }
        }

        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path();
        let (screen_master, screen_slave) = openpty();
        let (input_master, input_slave) = openpty();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
        cmd.args(["--demo", "--activity", "0"])
            .current_dir(home)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("TERM", "xterm-256color")
            .env_remove("TIM_PROFILE")
            .env_remove("TIM_RECEIPTS_CONFIG")
            .stdin(Stdio::from(input_slave))
            .stdout(Stdio::from(screen_slave.try_clone().expect("dup")))
            .stderr(Stdio::from(screen_slave));
        // SAFETY: setsid is async-signal-safe; a new session has no controlling terminal.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("start tim-receipts");
        let exited =
            |c: &mut std::process::Child| c.try_wait().ok().flatten().map(|s| s.to_string());
        drop(cmd); // the parent's copies of the slaves
        let out = Arc::new(Mutex::new(Output::default()));
        pty::spawn_reader(
            Box::new(screen_master.try_clone().expect("dup")),
            out.clone(),
        );
        pty::wait_screen(
            &out,
            "the dashboard",
            POLL,
            || exited(&mut child),
            |t| t.contains("Ops War Room"),
        );
        let mut input = input_master;
        input.write_all(b"?").expect("key");
        pty::wait_screen(
            &out,
            "help",
            POLL,
            || exited(&mut child),
            |t| t.contains("Esc closes this help"),
        );
        drop(input); // end of input
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("status") {
                break s;
            }
            if start.elapsed() > DEADLINE {
                let _ = child.kill();
                panic!("did not exit at end of input");
            }
            thread::sleep(POLL);
        };
        assert!(status.success(), "{status:?}");
        // Everything written before the exit has been read once the reader gets EOF/EIO.
        let raw_done = || out.lock().expect("out").raw.clone();
        let deadline = Instant::now() + DEADLINE;
        while rfind(&raw_done(), SHOW_CURSOR)
            .is_none_or(|i| rfind(&raw_done(), ENTER_ALT).is_some_and(|e| i < e))
        {
            assert!(Instant::now() < deadline, "no restore sequence written");
            thread::sleep(POLL);
        }
        let raw = raw_done();
        let entered = rfind(&raw, ENTER_ALT).expect("entered the alternate screen");
        assert!(rfind(&raw, LEAVE_ALT).is_some_and(|i| i > entered));
        drop(screen_master);
    }

    /// Child half of the panic test: only does something under TIM_PROOF_PANIC_CHILD.
    #[test]
    fn panic_child_takes_the_terminal_then_panics() {
        if std::env::var_os("TIM_PROOF_PANIC_CHILD").is_none() {
            return;
        }
        let tui = tim_receipts::tui::terminal::Tui::enter(false).expect("terminal");
        std::io::stdout().flush().expect("flush");
        let _keep = tui;
        panic!("PROOF-PANIC on purpose");
    }

    /// There is no way to make the binary panic on purpose, so this test runs the
    /// dashboard's terminal guard (`Tui::enter`, which installs the panic hook) in a child
    /// copy of this test binary in a pty, panics there, and checks the hook gave the
    /// terminal back before the panic message was printed.
    #[test]
    fn the_panic_hook_restores_the_terminal_before_the_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = CommandBuilder::new(std::env::current_exe().expect("test binary"));
        cmd.args([
            "--exact",
            "dashboard_proof::restore::panic_child_takes_the_terminal_then_panics",
            "--nocapture",
            "--test-threads",
            "1",
        ]);
        pty::base_env(&mut cmd, dir.path());
        cmd.env("TIM_PROOF_PANIC_CHILD", "1");
        cmd.env("RUST_BACKTRACE", "0");
        let mut d = Dashboard::spawn(cmd, Output::default());
        let status = d.wait_exit();
        assert!(!status.success(), "the child test panicked");
        let deadline = Instant::now() + DEADLINE;
        while find(&d.raw(), b"PROOF-PANIC").is_none() {
            assert!(
                Instant::now() < deadline,
                "no panic message: {}",
                String::from_utf8_lossy(&d.raw())
            );
            thread::sleep(POLL);
        }
        let raw = d.raw();
        let entered = find(&raw, ENTER_ALT).expect("the guard took the alternate screen");
        let left = find(&raw, LEAVE_ALT).expect("the hook left the alternate screen");
        let shown = rfind(&raw, SHOW_CURSOR).expect("the hook showed the cursor");
        let message = find(&raw, b"PROOF-PANIC").expect("message");
        assert!(
            entered < left && left < message && shown < message,
            "restore came before the message"
        );
        d.assert_restored();
    }
}

mod writes {
    use super::sandbox_here::Here;
    use super::*;
    use tim_receipts::sandbox::{DEMO_WAR_ROOM, SandboxConfig};

    /// Open the war room's newest message; the members pane gets the focus. Returns the
    /// selected member (the first row of the list).
    fn open_members(d: &mut Dashboard) -> String {
        d.wait_for("Ops War Room");
        d.send("\r");
        d.wait_until("counts", |t| {
            t.contains("Messages · Ops War Room") && t.contains(" ██")
        });
        d.send("\r");
        let screen = d.wait_until("member rows", |t| {
            t.contains("┏ Members") && t.contains(" loaded") && !t.contains("loading members")
        });
        // The first row under the Members border: "│name   …│".
        let line = screen
            .lines()
            .skip_while(|l| !l.contains("┏ Members"))
            .nth(1)
            .expect("a member row");
        line.trim_start_matches(['┃', ' '])
            .split_whitespace()
            .next()
            .expect("an account")
            .to_string()
    }

    #[test]
    fn enter_through_the_set_unread_dialog_sends_nothing() {
        let here = Here::start(SandboxConfig::default());
        let mut d = here.dashboard("", &[]);
        let member = open_members(&mut d);
        let before = here.last_read_seq(DEMO_WAR_ROOM, &member);
        d.send("U");
        d.wait_for("Set a member's unread count");
        d.wait_until("the current count", |t| t.contains("(read up to seq"));
        d.send("0");
        for _ in 0..2 {
            d.send("\r");
        }
        let screen = d.wait_until("the dialog to close", |t| {
            !t.contains("Set a member's unread count")
        });
        assert!(screen.contains("nothing was sent"), "{screen}");
        assert_eq!(here.last_read_seq(DEMO_WAR_ROOM, &member), before);
        assert_eq!(d.audit_log().unwrap_or_default(), "", "no write attempted");
        d.send("q");
        d.wait_exit();
    }

    #[test]
    fn read_only_has_no_write_keys_and_sends_nothing() {
        let here = Here::start(SandboxConfig::default());
        let mut d = here.dashboard("", &["--read-only"]);
        let member = open_members(&mut d);
        let before = here.last_read_seq(DEMO_WAR_ROOM, &member);
        assert!(d.text().contains("READ-ONLY"), "{}", d.text());
        // U and M open nothing: the help that follows them in the same input shows (a
        // dialog would have taken the `?`), and it lists no write keys.
        d.send("UM?");
        let help = d.wait_for("Esc closes this help");
        assert!(!help.contains("Set a member's unread count"), "{help}");
        assert!(!help.contains("Mark a 1:1"), "{help}");
        assert!(!help.contains("unread count (set_unread"), "{help}");
        d.send("\x1b");
        d.wait_until("help to close", |t| !t.contains("Esc closes this help"));
        // The palette has no write commands either.
        d.send(":set-unread\r?");
        let screen = d.wait_for("Esc closes this help");
        assert!(!screen.contains("Set a member's unread count"), "{screen}");
        d.send("\x1b");
        assert_eq!(here.last_read_seq(DEMO_WAR_ROOM, &member), before);
        assert!(
            !d.audit_log()
                .unwrap_or_default()
                .contains("\"result\":\"ok\""),
            "nothing was written"
        );
        d.send("q");
        d.wait_exit();
    }
}
