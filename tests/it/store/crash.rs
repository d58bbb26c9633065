//! `tim-receipts listen` killed with SIGKILL in the middle of a burst: every event it
//! answered 200 is in the store when the file is opened again.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::*;

/// Events in the burst, and how many are sent at once.
const BURST: u64 = 600;
const IN_FLIGHT: usize = 24;
/// The kill comes after this many answers of 200.
const KILL_AFTER: usize = 150;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `listen` on a free port storing into `store_dir`; its URL from stderr's first line.
fn spawn_listen(home: &Path, store_dir: &Path) -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tim-receipts"))
        .args([
            "listen",
            "--bind",
            "127.0.0.1:0",
            "--sdkappid",
            &APP.to_string(),
        ])
        .arg("--store-dir")
        .arg(store_dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TIM_WEBHOOK_TOKEN", TOKEN)
        .env_remove("TIM_SDKAPPID")
        .env_remove("TIM_PROFILE")
        .env_remove("TIM_RECEIPTS_CONFIG")
        .env_remove("TIM_STORE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first stderr line: {first:?}"))
        .to_string();
    // Keep draining stderr so the child never blocks on it.
    std::thread::spawn(move || for _ in stderr.lines() {});
    (Killed(child), url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_burst_loses_no_answered_event() {
    let home = tempfile::tempdir().unwrap();
    let store_dir = home.path().join("stores");
    let (mut listen, url) = spawn_listen(home.path(), &store_dir);

    let client = http();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    for i in 0..BURST {
        let (client, url, tx) = (client.clone(), url.clone(), tx.clone());
        let semaphore = std::sync::Arc::clone(&semaphore);
        tokio::spawn(async move {
            let Ok(_permit) = semaphore.acquire_owned().await else {
                return;
            };
            let body = body("@TGS#crash", i, &[&format!("m{i}")], T0 + i);
            let answer = post(&client, &url, TOKEN, body).await;
            let _ = tx.send((i, answer.ok()));
        });
    }
    drop(tx);

    let mut answered_ok = BTreeSet::new();
    let mut killed = false;
    while let Some((i, answer)) = tokio::time::timeout(DEADLINE, rx.recv()).await.unwrap() {
        if answer == Some((200, 0)) {
            answered_ok.insert(i);
        }
        if !killed && answered_ok.len() >= KILL_AFTER {
            listen.0.kill().unwrap(); // SIGKILL
            listen.0.wait().unwrap();
            killed = true;
            // No request sent from now on can be answered.
            semaphore.close();
        }
    }
    assert!(killed, "the burst ended before the kill");
    assert!(
        (answered_ok.len() as u64) < BURST,
        "the kill came after the whole burst"
    );

    let path = store_dir.join(format!("{APP}.sqlite3"));
    let missing: Vec<u64> = answered_ok
        .iter()
        .copied()
        .filter(|&i| reads_of(&path, "@TGS#crash", i) != vec![(format!("m{i}"), Some(T0 + i))])
        .collect();
    assert!(
        missing.is_empty(),
        "{} events answered 200 are not in the store: {missing:?}",
        missing.len()
    );
    // Nothing is stored twice or half: one event row per stored message.
    let events = rows_in(&path, "events");
    let reads = rows_in(&path, "reads");
    assert_eq!(events, reads);
    assert!(events as usize >= answered_ok.len());
}
