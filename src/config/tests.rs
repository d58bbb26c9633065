use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;

fn env_of(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

fn resolve_env(global: &Overrides, env: &HashMap<String, String>) -> anyhow::Result<Settings> {
    resolve_with(global, &|k| env.get(k).cloned(), None)
}

fn with_config(path: &Path) -> Overrides {
    Overrides {
        config: Some(path.to_path_buf()),
        ..Overrides::default()
    }
}

const BASIC: &str = r#"
default_profile = "sg"
[profiles.sg]
sdkappid = 1400000000
identifier = "administrator"
region = "singapore"
secret_key_env = "MY_KEY"
budget = 15
timeout_secs = 4

[profiles.local]
sdkappid = 1
identifier = "admin"
endpoint = "http://127.0.0.1:8080/"
secret_key_file = "local.key"
read_only = true
"#;

#[test]
fn the_example_file_parses_and_resolves() {
    let text = include_str!("../../config.toml.example");
    let file = parse(text, Path::new("config.toml.example")).unwrap();
    assert_eq!(file.default_profile.as_deref(), Some("prod-sg"));
    assert_eq!(file.profiles.len(), 2);
    let p = &file.profiles["prod-sg"];
    assert_eq!(p.sdkappid, Some(1_400_000_000));
    assert_eq!(p.budget, Some(40));
    let api_budget = p.api_budget.clone().unwrap_or_default();
    assert_eq!(api_budget.get("get_group_member_info"), Some(&50));
    assert!(!file.bears_secrets());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "config.toml", text, 0o644);
    let env = env_of(&[("TIM_STAGING_KEY", "k")]);
    let global = Overrides {
        profile: Some("staging-de".into()),
        ..with_config(&path)
    };
    let s = resolve_env(&global, &env).unwrap();
    assert_eq!(
        s.endpoint.unwrap().value.0,
        "https://adminapiger.im.qcloud.com"
    );
    assert!(s.read_only.value);
    let s = resolve_env(&with_config(&path), &env).unwrap();
    assert_eq!(s.api_budget.get("get_group_member_info"), Some(&50));
    assert_eq!(
        s.standby.value.as_deref(),
        Some("https://adminapisgp.my-imcloud.com")
    );
}

#[test]
fn every_region_maps_to_https() {
    for r in REGIONS {
        assert_eq!(region(r.name).unwrap().endpoint, r.endpoint);
        assert!(r.endpoint.starts_with("https://"));
    }
    assert_eq!(region("Silicon_Valley").unwrap().label, "Silicon Valley");
    assert_eq!(
        region("TOKYO").unwrap().endpoint,
        "https://adminapijpn.im.qcloud.com"
    );
    assert!(region("mars").is_none());
}

#[test]
fn flags_beat_environment_beat_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.toml", BASIC, 0o600);
    let env = env_of(&[("MY_KEY", "profile-key")]);
    let s = resolve_env(&with_config(&path), &env).unwrap();
    assert_eq!(s.profile.value, "sg");
    assert_eq!(s.sdkappid.as_ref().unwrap().value, 1_400_000_000);
    assert_eq!(s.endpoint.as_ref().unwrap().value.1, "Singapore");
    assert_eq!(s.require_key().unwrap().expose(), "profile-key");
    assert_eq!(s.budget.value, 15);
    assert_eq!(s.timeout.value, Duration::from_secs(4));

    let env = env_of(&[
        ("MY_KEY", "profile-key"),
        ("TIM_SDKAPPID", "1400000002"),
        ("TIM_IDENTIFIER", "env-admin"),
        ("TIM_SECRET_KEY", "env-key"),
        ("TIM_REGION", "jakarta"),
    ]);
    let s = resolve_env(&with_config(&path), &env).unwrap();
    assert_eq!(s.sdkappid.as_ref().unwrap().value, 1_400_000_002);
    assert_eq!(s.identifier.as_ref().unwrap().value, "env-admin");
    assert_eq!(s.require_key().unwrap().expose(), "env-key");
    assert_eq!(
        s.endpoint.as_ref().unwrap().value.0,
        "https://adminapiidn.im.qcloud.com"
    );
    assert_eq!(
        s.sdkappid.as_ref().unwrap().source,
        Source::Env("TIM_SDKAPPID".into())
    );

    let global = Overrides {
        sdkappid: Some(7),
        identifier: Some("flag-admin".into()),
        endpoint: Some("http://127.0.0.1:9999".into()),
        budget: Some(5),
        read_only: true,
        ..with_config(&path)
    };
    let env = env_of(&[("TIM_ENDPOINT", "http://10.0.0.1"), ("TIM_SECRET_KEY", "k")]);
    let s = resolve_env(&global, &env).unwrap();
    assert_eq!(s.sdkappid.as_ref().unwrap().value, 7);
    assert_eq!(s.identifier.as_ref().unwrap().value, "flag-admin");
    assert_eq!(
        s.endpoint.as_ref().unwrap().value,
        (
            "http://127.0.0.1:9999".to_string(),
            "127.0.0.1:9999".to_string()
        )
    );
    assert_eq!(s.budget.value, 5);
    assert!(s.read_only.value);
    let c = s.client_config().unwrap();
    assert_eq!(c.budget_per_sec, 5);
    assert!(!format!("{c:?}").contains("\"k\""));
}

#[test]
fn environment_alone_is_enough() {
    let env = env_of(&[
        ("TIM_SDKAPPID", "1400000000"),
        ("TIM_IDENTIFIER", "administrator"),
        ("TIM_SECRET_KEY", "secret"),
        ("TIM_ENDPOINT", "http://127.0.0.1:1234"),
    ]);
    let s = resolve_env(&Overrides::default(), &env).unwrap();
    let c = s.client_config().unwrap();
    assert_eq!(c.endpoint, "http://127.0.0.1:1234");
    assert_eq!(c.budget_per_sec, DEFAULT_TOTAL_BUDGET_PER_SEC);
    assert_eq!(s.profile.value, "default");
}

#[test]
fn key_file_relative_to_config_and_permission_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.toml", BASIC, 0o644);
    let global = Overrides {
        profile: Some("local".into()),
        ..with_config(&path)
    };
    let env = HashMap::new();
    // Missing key file: a clear message, not a hard error until the key is needed.
    let s = resolve_env(&global, &env).unwrap();
    let err = s.require_key().unwrap_err().to_string();
    assert!(
        err.contains("local.key") && err.contains("does not exist"),
        "{err}"
    );

    let key_path = write(dir.path(), "local.key", "  abc123\n", 0o644);
    let s = resolve_env(&global, &env).unwrap();
    #[cfg(unix)]
    {
        let err = s.require_key().unwrap_err().to_string();
        assert!(
            err.contains(&format!("chmod 600 {}", key_path.display())),
            "{err}"
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let s = resolve_env(&global, &env).unwrap();
    assert_eq!(s.require_key().unwrap().expose(), "abc123");
    assert_eq!(
        s.endpoint.as_ref().unwrap().value.0,
        "http://127.0.0.1:8080"
    );
}

#[cfg(unix)]
#[test]
fn a_key_bearing_config_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[profiles.default]\nsdkappid = 1\nidentifier = \"a\"\nregion = \"china\"\nsecret_key = \"topsecret\"\n";
    let path = write(dir.path(), "c.toml", text, 0o640);
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("chmod 600 {}", path.display())),
        "{err}"
    );
    assert!(!err.contains("topsecret"));
    assert!(!err.contains('\n'));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let s = resolve_env(&with_config(&path), &HashMap::new()).unwrap();
    assert_eq!(s.require_key().unwrap().expose(), "topsecret");
    assert!(!format!("{s:?}").contains("topsecret"));
}

#[test]
fn wrong_type_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[profiles.default]\nidentifier = \"a\"\nsdkappid = \"abc\"\n";
    let path = write(dir.path(), "c.toml", text, 0o600);
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(
        err.contains("line 3") && err.contains("profiles.default.sdkappid"),
        "{err}"
    );
    assert!(err.contains("fix:") && !err.contains('\n'), "{err}");
}

#[test]
fn unknown_field_and_bad_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        "[profiles.x]\nsekret_key = \"s\"\n",
        0o600,
    );
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sekret_key") && err.contains("unknown field"),
        "{err}"
    );
    assert!(!err.contains("\"s\""), "{err}");
    let path = write(dir.path(), "d.toml", "[profiles.x\nsdkappid = 1\n", 0o600);
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1") && !err.contains('\n'), "{err}");
}

#[test]
fn unknown_region_and_bad_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.toml",
        "[profiles.default]\nregion = \"mars\"\n",
        0o600,
    );
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("profiles.default.region") && err.contains("mars"),
        "{err}"
    );
    assert!(err.contains("silicon-valley"), "{err}");
    let global = Overrides {
        endpoint: Some("adminapisgp.im.qcloud.com".into()),
        ..Overrides::default()
    };
    let err = resolve_env(&global, &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--endpoint") && err.contains("https://"),
        "{err}"
    );
}

#[test]
fn missing_pieces_have_clear_messages() {
    let s = resolve_env(&Overrides::default(), &HashMap::new()).unwrap();
    let err = s.client_config().unwrap_err().to_string();
    assert!(
        err.contains("no configuration") && err.contains("TIM_REGION") && err.contains("--demo"),
        "{err}"
    );
    let env = env_of(&[("TIM_SDKAPPID", "1")]);
    let err = resolve_env(&Overrides::default(), &env)
        .unwrap()
        .client_config()
        .unwrap_err()
        .to_string();
    assert!(err.contains("no region or endpoint"), "{err}");
    let env = env_of(&[("TIM_REGION", "china")]);
    let err = resolve_env(&Overrides::default(), &env)
        .unwrap()
        .client_config()
        .unwrap_err()
        .to_string();
    assert!(err.contains("SDKAppID") && err.contains("--demo"), "{err}");
    let err = s.require_key().unwrap_err().to_string();
    assert!(err.contains("TIM_SECRET_KEY"), "{err}");
}

#[test]
fn unknown_profile_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.toml", BASIC, 0o600);
    let global = Overrides {
        profile: Some("prod".into()),
        ..with_config(&path)
    };
    let err = resolve_env(&global, &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"prod\"") && err.contains("local, sg"),
        "{err}"
    );
}

#[test]
fn explicit_missing_file_is_an_error_default_missing_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = resolve_env(&with_config(&missing), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
    let s = resolve_with(&Overrides::default(), &|_| None, Some(missing)).unwrap();
    assert!(!s.config_loaded);
}

#[test]
fn two_key_sources_and_budget_range() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "[profiles.default]\nsecret_key_env = \"A\"\nsecret_key_file = \"b\"\nbudget = 500\n";
    let path = write(dir.path(), "c.toml", text, 0o600);
    let err = resolve_env(&with_config(&path), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("budget 500") && err.contains("1 to 200"),
        "{err}"
    );
    let text = "[profiles.default]\nsecret_key_env = \"A\"\nsecret_key_file = \"b\"\n";
    let path = write(dir.path(), "d.toml", text, 0o600);
    let s = resolve_env(&with_config(&path), &HashMap::new()).unwrap();
    assert!(
        s.require_key()
            .unwrap_err()
            .to_string()
            .contains("exactly one")
    );
    let text = "[profiles.default]\nsecret_key_env = \"A\"\n";
    let path = write(dir.path(), "e.toml", text, 0o600);
    let s = resolve_env(&with_config(&path), &HashMap::new()).unwrap();
    let err = s.require_key().unwrap_err().to_string();
    assert!(err.contains("names A, which is not set"), "{err}");
}
