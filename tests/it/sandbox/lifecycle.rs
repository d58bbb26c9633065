use super::common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn handles_can_move_between_tasks() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<tim_receipts::sandbox::Sandbox>();
    send_sync::<tim_receipts::sandbox::World>();
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let api = start(small_world()).await;
    let url = api.sb.url();
    assert!(url.starts_with("http://127.0.0.1:"));
    api.ok(
        "group_open_http_svc/get_group_info",
        serde_json::json!({"GroupIdList": [WAR]}),
    )
    .await;
    api.sb.shutdown().await;
    let fresh = reqwest::Client::new();
    let r = fresh
        .post(format!("{url}/v4/group_open_http_svc/get_group_info"))
        .send()
        .await;
    assert!(r.is_err(), "still serving after shutdown");
}

/// The real binary: its first stdout line, and its exit status after `signal`.
fn run_binary_until(signal: i32, check_memory: bool) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tim-receipts"))
        .args(["sandbox", "--listen", "127.0.0.1:0", "--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {line:?}"));
    let port: u16 = addr.parse().expect("a real port");
    assert_ne!(port, 0);
    std::net::TcpStream::connect(("127.0.0.1", port)).expect("it listens");
    // The whole demo world (100k-member community included) fits well under 200 MB.
    #[cfg(target_os = "linux")]
    if check_memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        let rss_kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS");
        assert!(rss_kb < 200 * 1024, "RSS {rss_kb} kB");
    }
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "did not exit after signal {signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stopped by SIGTERM, the sandbox exits with 128 + 15, as a shell reports it.
#[test]
fn binary_prints_the_listening_line_and_exits_143_on_sigterm() {
    let status = run_binary_until(libc::SIGTERM, true);
    assert_eq!(status.code(), Some(143), "exit status {status}");
}

/// SIGHUP (the terminal went away) stops it the same way: 128 + 1.
#[test]
fn binary_exits_129_on_sighup() {
    let status = run_binary_until(libc::SIGHUP, false);
    assert_eq!(status.code(), Some(129), "exit status {status}");
}
