//! The per-API budget and the standby domain of a profile.

use std::io::Write;

use super::*;

/// Resolve `text` as the config file (mode 0600), with the key in the environment.
fn resolve_text(text: &str, global: Overrides) -> anyhow::Result<Settings> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("config.toml");
    std::fs::File::create(&path)?.write_all(text.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    let global = Overrides {
        config: Some(path),
        ..global
    };
    resolve_with(
        &global,
        &|k| (k == "TIM_SECRET_KEY").then(|| "k".to_string()),
        None,
    )
}

const PROFILE: &str = "[profiles.default]\nsdkappid = 1\nidentifier = \"admin\"\n";

#[test]
fn api_budget_sets_named_apis_and_budget_stays_the_total() {
    let text = format!(
        "{PROFILE}region = \"singapore\"\nbudget = 60\n[profiles.default.api_budget]\nget_group_member_info = 50\nget_appid_group_list = 1\n"
    );
    let s = resolve_text(&text, Overrides::default()).unwrap();
    assert_eq!(s.budget.value, 60);
    assert_eq!(s.api_budget.get("get_group_member_info"), Some(&50));
    let c = s.client_config().unwrap();
    assert_eq!(c.budget_per_sec, 60);
    assert_eq!(c.api_budget, s.api_budget);
    // --budget still sets the total.
    let flagged = Overrides {
        budget: Some(7),
        ..Overrides::default()
    };
    let s = resolve_text(&text, flagged).unwrap();
    assert_eq!(s.budget.value, 7);
    assert_eq!(s.budget.source, Source::Flag("--budget"));
    // Nothing set: the default total, no per-API overrides.
    let s = resolve_text(
        &format!("{PROFILE}region = \"seoul\"\n"),
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(s.budget.value, DEFAULT_TOTAL_BUDGET_PER_SEC);
    assert!(s.api_budget.is_empty());
}

#[test]
fn api_budget_refuses_unknown_apis_zero_and_more_than_the_vendor_allows() {
    let bad = |entry: &str| {
        let text = format!("{PROFILE}[profiles.default.api_budget]\n{entry}\n");
        resolve_text(&text, Overrides::default())
            .unwrap_err()
            .to_string()
    };
    let e = bad("get_group_members = 10");
    assert!(
        e.contains("profiles.default.api_budget: unknown API \"get_group_members\"")
            && e.contains("get_group_member_info")
            && e.contains("get_appid_group_list"),
        "{e}"
    );
    let e = bad("get_group_info = 0");
    assert!(
        e.contains("get_group_info = 0") && e.contains("at least 1"),
        "{e}"
    );
    let e = bad("get_group_msg_receipt = 250");
    assert!(
        e.contains("above the vendor's documented limit of 200 calls/s"),
        "{e}"
    );
    let e = bad("get_appid_group_list = 2");
    assert!(e.contains("limit of 1 call/s"), "{e}");
    let e = bad("send_group_msg = 201");
    assert!(e.contains("the limit we assume"), "{e}");
    let e = bad("get_group_info = \"fast\"");
    assert!(e.contains("api_budget.get_group_info"), "{e}");
}

#[test]
fn the_region_brings_its_standby_domain() {
    let standby = |tail: &str, global: Overrides| {
        resolve_text(&format!("{PROFILE}{tail}"), global)
            .unwrap()
            .standby
    };
    let s = standby("region = \"singapore\"\n", Overrides::default());
    assert_eq!(
        s.value.as_deref(),
        Some("https://adminapisgp.my-imcloud.com")
    );
    assert_eq!(s.source, Source::Default);
    let china = standby("region = \"china\"\n", Overrides::default());
    assert_eq!(
        china.value.as_deref(),
        Some("https://adminapi.my-imcloud.com")
    );
    assert_eq!(
        standby("region = \"tokyo\"\n", Overrides::default()).value,
        None
    );
    // An explicit endpoint has none unless the profile sets one.
    let e = "endpoint = \"http://127.0.0.1:1\"\n";
    assert_eq!(standby(e, Overrides::default()).value, None);
    let set = standby(
        &format!("{e}standby_endpoint = \"http://127.0.0.1:2/\"\n"),
        Overrides::default(),
    );
    assert_eq!(set.value.as_deref(), Some("http://127.0.0.1:2"));
    assert_eq!(
        set.source,
        Source::Profile("default.standby_endpoint".into())
    );
    // "" turns the region's off; --region brings that region's.
    let off = standby(
        "region = \"seoul\"\nstandby_endpoint = \"\"\n",
        Overrides::default(),
    );
    assert_eq!(off.value, None);
    let flagged = Overrides {
        region: Some("frankfurt".into()),
        ..Overrides::default()
    };
    assert_eq!(
        standby(e, flagged).value.as_deref(),
        Some("https://adminapiger.my-imcloud.com")
    );
    let c = resolve_text(
        &format!("{PROFILE}region = \"jakarta\"\n"),
        Overrides::default(),
    )
    .unwrap()
    .client_config()
    .unwrap();
    assert_eq!(
        c.standby_endpoint.as_deref(),
        Some("https://adminapiidn.my-imcloud.com")
    );
    let e = resolve_text(
        &format!("{PROFILE}region = \"seoul\"\nstandby_endpoint = \"ftp://x\"\n"),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("profiles.default.standby_endpoint"), "{e}");
}

#[test]
fn every_region_but_tokyo_has_a_standby() {
    for r in REGIONS {
        match r.standby {
            Some(s) => assert!(
                s.starts_with("https://adminapi") && s.ends_with(".my-imcloud.com"),
                "{s}"
            ),
            None => assert_eq!(r.name, "tokyo"),
        }
    }
}
