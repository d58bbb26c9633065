//! Writes on a terminal: the exact request is shown and the answer defaults to No.

use std::io::{Read, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use super::*;

/// Run the binary in a pseudo-terminal, type `answer` once `prompt` shows; returns
/// everything it printed and its exit code.
fn run_in_pty(env: &Env, args: &[&str], prompt: &str, answer: &str) -> (String, u32) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tim-receipts"));
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("TIM_") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", env.home.path());
    cmd.env("XDG_CONFIG_HOME", env.home.path().join("config"));
    cmd.env("XDG_STATE_HOME", env.state());
    cmd.env("TIM_ENDPOINT", env.sb.url());
    cmd.env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string());
    cmd.env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN);
    cmd.env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
    let mut child = pty.slave.spawn_command(cmd).expect("spawn in the pty");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + DEADLINE;
    let mut seen = String::new();
    let mut answered = false;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(chunk) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !answered && seen.contains(prompt) {
            writer.write_all(answer.as_bytes()).unwrap();
            writer.flush().unwrap();
            answered = true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            // Collect what is still buffered, briefly.
            while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("tim-receipts {args:?} in a pty ran past {DEADLINE:?}; output so far:\n{seen}");
        }
    }
    let status = child.wait().expect("the child ends");
    (seen, status.exit_code())
}

async fn in_pty(env: &Env, args: &[&str], answer: &str) -> (String, u32) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::block_in_place(|| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run_in_pty(env, &refs, "Proceed? [y/N]", answer)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_prompt_shows_the_exact_request_and_defaults_to_no() {
    let env = Env::new().await;
    let (seen, code) = in_pty(&env, &["set-unread", WORK, "carol", "2"], "\r").await;
    assert_eq!(code, 1, "{seen}");
    assert!(seen.contains("About to set carol's unread count"), "{seen}");
    assert!(
        seen.contains("POST /v4/group_open_http_svc/set_unread_msg_num"),
        "{seen}"
    );
    assert!(seen.contains("\"UnreadMsgNum\": 2"), "{seen}");
    assert!(seen.contains(&format!("\"GroupId\": \"{WORK}\"")), "{seen}");
    assert!(seen.contains("cancelled; nothing was written"), "{seen}");
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "carol")),
        Some(0)
    );
    assert!(env.audit().is_empty());

    let (seen, code) = in_pty(&env, &["set-unread", WORK, "carol", "2"], "n\r").await;
    assert_eq!(code, 1, "{seen}");
    assert_eq!(
        env.sb.with_world(|w| w.unread_count(WORK, "carol")),
        Some(0)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn yes_on_the_terminal_writes() {
    let env = Env::new().await;
    let (seen, code) = in_pty(&env, &["mark-read", "alice", "bob"], "y\r").await;
    assert_eq!(code, 0, "{seen}");
    assert!(seen.contains("\"Report_Account\": \"alice\""), "{seen}");
    // stdout is the terminal too, so the result is the table form.
    assert!(
        seen.contains("done: mark alice's 1:1 conversation with bob read"),
        "{seen}"
    );
    assert!(
        seen.contains("1:1 unread count: before 4, after 0"),
        "{seen}"
    );
    assert_eq!(env.audit().len(), 1);
}
