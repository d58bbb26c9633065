//! Running the real binary as a subcommand: a private home (HOME and the XDG directories
//! under it, nothing from the outer environment's `TIM_*` or `XDG_*`), `NO_COLOR`, and the
//! sandbox's app and key in the environment, or `--demo`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tim_receipts::sandbox::{self, Sandbox};

/// The longest a subcommand may take.
pub const DEADLINE: Duration = Duration::from_secs(120);

/// What a run printed, and how it ended.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the binary with `args` against `sb` (with `--demo` when None), `home` as HOME.
pub async fn run(sb: Option<&Sandbox>, home: &Path, args: &[&str]) -> Out {
    let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_tim-receipts"));
    for (k, _) in std::env::vars() {
        if k.starts_with("TIM_") || k.starts_with("XDG_") {
            c.env_remove(k);
        }
    }
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("NO_COLOR", "1");
    match sb {
        Some(sb) => {
            c.env("TIM_ENDPOINT", sb.url())
                .env("TIM_SDKAPPID", sandbox::DEFAULT_SDKAPPID.to_string())
                .env("TIM_IDENTIFIER", sandbox::DEFAULT_ADMIN)
                .env("TIM_SECRET_KEY", sandbox::DEFAULT_KEY);
        }
        None => {
            c.arg("--demo");
        }
    }
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let out = tokio::time::timeout(DEADLINE, c.output())
        .await
        .expect("the command ends")
        .expect("the binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The run's stdout as JSON, after checking it succeeded.
pub fn json_of(out: &Out) -> Value {
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout))
}
