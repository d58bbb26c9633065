use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Case {
    name: &'static str,
    toml: &'static str,
    /// Environment besides the scratch HOME.
    env: &'static [(&'static str, &'static str)],
    /// The file the message must name: "" for the config file, else a file next to it.
    file: &'static str,
    /// Words the message must contain besides the file name.
    field: &'static str,
    fix: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "bad TOML syntax",
        toml: "[profiles.default\nsdkappid = 1400000000\n",
        env: &[],
        file: "",
        field: "profiles.default",
        fix: "fix the TOML syntax",
    },
    Case {
        name: "unknown field",
        toml: "[profiles.default]\nsdkapid = 1400000000\n",
        env: &[],
        file: "",
        field: "profiles.default.sdkapid",
        fix: "remove or rename it",
    },
    Case {
        name: "wrong type: string for a number",
        toml: "[profiles.default]\ntimeout_secs = \"ten\"\n",
        env: &[],
        file: "",
        field: "profiles.default.timeout_secs",
        fix: "give it the type",
    },
    Case {
        name: "wrong type: string for a boolean",
        toml: "[profiles.default]\nread_only = \"yes\"\n",
        env: &[],
        file: "",
        field: "profiles.default.read_only",
        fix: "true/false",
    },
    Case {
        name: "wrong type: negative budget",
        toml: "[profiles.default]\nbudget = -5\n",
        env: &[],
        file: "",
        field: "profiles.default.budget",
        fix: "give it the type",
    },
    Case {
        name: "unknown region",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nregion = \"mars\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "profiles.default.region",
        fix: "singapore",
    },
    Case {
        name: "endpoint not a URL",
        toml: "[profiles.default]\nsdkappid = 1400000000\nendpoint = \"adminapisgp.im.qcloud.com\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "profiles.default.endpoint",
        fix: "https://",
    },
    Case {
        name: "missing key",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\n",
        env: &[],
        file: "",
        field: "secret_key",
        fix: "TIM_SECRET_KEY",
    },
    Case {
        name: "key file missing",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_file = \"no-such.key\"\n",
        env: &[],
        file: "no-such.key",
        field: "secret_key_file",
        fix: "create it",
    },
    Case {
        name: "key env var not set",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_env = \"MY_TIM_KEY\"\n",
        env: &[],
        file: "",
        field: "profiles.default.secret_key_env",
        fix: "export MY_TIM_KEY",
    },
    Case {
        name: "two key sources",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nsecret_key_env = \"A\"\nsecret_key_file = \"b.key\"\n",
        env: &[],
        file: "",
        field: "secret_key_file",
        fix: "keep exactly one",
    },
    Case {
        name: "missing sdkappid",
        toml: "[profiles.default]\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "sdkappid",
        fix: "TIM_SDKAPPID",
    },
    Case {
        name: "missing identifier",
        toml: "[profiles.default]\nsdkappid = 1400000000\nendpoint = \"http://127.0.0.1:9\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "identifier",
        fix: "TIM_IDENTIFIER",
    },
    Case {
        name: "budget out of range",
        toml: "[profiles.default]\nbudget = 500\n",
        env: &[],
        file: "",
        field: "profiles.default.budget",
        fix: "use 1 to 200",
    },
    Case {
        name: "zero timeout",
        toml: "[profiles.default]\ntimeout_secs = 0\n",
        env: &[],
        file: "",
        field: "profiles.default.timeout_secs",
        fix: "at least 1",
    },
    Case {
        name: "max_attempts out of range",
        toml: "[profiles.default]\nmax_attempts = 50\n",
        env: &[],
        file: "",
        field: "profiles.default.max_attempts",
        fix: "1 to 10",
    },
    Case {
        name: "webhook_listen not an address",
        toml: "[profiles.default]\nwebhook_listen = \"port 9000\"\n",
        env: &[],
        file: "",
        field: "profiles.default.webhook_listen",
        fix: "HOST:PORT",
    },
    Case {
        name: "both webhook token sources",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nwebhook_token = \"t\"\nwebhook_token_env = \"T\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "profiles.default.webhook_token",
        fix: "keep one",
    },
    Case {
        name: "unknown profile",
        toml: "default_profile = \"prod\"\n[profiles.staging]\nsdkappid = 1\n",
        env: &[],
        file: "",
        field: "prod",
        fix: "add [profiles.prod]",
    },
    Case {
        name: "token env var not set",
        toml: "[profiles.default]\nsdkappid = 1400000000\nidentifier = \"administrator\"\nendpoint = \"http://127.0.0.1:9\"\nwebhook_token_env = \"MY_TIM_TOKEN\"\n",
        env: &[("TIM_SECRET_KEY", "k")],
        file: "",
        field: "profiles.default.webhook_token_env",
        fix: "export MY_TIM_TOKEN",
    },
];

fn run(home: &Path, config: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tim-receipts"))
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .envs(env.iter().copied())
        .arg("--config")
        .arg(config)
        .args(["receipts", "@TGS#1A", "1"])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

#[test]
fn each_bad_config_gives_one_line_with_file_field_and_fix() {
    let mut failures = Vec::new();
    for case in CASES {
        let home = tempfile::tempdir().unwrap();
        let config = write_config(home.path(), case.toml);
        let out = run(home.path(), &config, case.env);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let file = match case.file {
            "" => config.display().to_string(),
            name => home.path().join(name).display().to_string(),
        };
        let mut problems = Vec::new();
        if out.status.success() {
            problems.push("exit status 0".to_string());
        }
        if !out.stdout.is_empty() {
            problems.push("output on stdout".into());
        }
        if err.trim().lines().count() != 1 {
            problems.push("not exactly one line".into());
        }
        for (what, word) in [
            ("file", file.as_str()),
            ("field", case.field),
            ("fix", case.fix),
        ] {
            if !err.contains(word) {
                problems.push(format!("no {what} ({word:?})"));
            }
        }
        if err.contains("network error") || err.contains("127.0.0.1:9") {
            problems.push("it tried the network".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    stderr: {}",
                case.name,
                problems.join(", "),
                err.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_missing_explicit_config_file_says_so() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("nope.toml");
    let out = run(home.path(), &config, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&config.display().to_string()) && err.contains("does not exist"),
        "{err}"
    );
    assert!(err.contains("--config"), "{err}");
}
