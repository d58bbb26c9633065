//! `tim-receipts config`: the paths in use and the effective settings, each with where it
//! came from. Secrets are shown only as `<redacted>`.

use std::io::Write;
use std::process::ExitCode;

use super::usersig_cmd::settings;
use crate::api::STANDBY_STAY;
use crate::api::budget::api_budgets;
use crate::audit::{self, AuditLog};
use crate::config::Overrides;
use crate::config::{REGIONS, Settings, Source, Sourced, default_config_path, state_dir};
use crate::logging;

pub fn run(global: &Overrides, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let s = settings(global)?;
    write_report(&s, out)?;
    Ok(ExitCode::SUCCESS)
}

fn line(out: &mut dyn Write, name: &str, value: &str) -> std::io::Result<()> {
    writeln!(out, "{name:<15} {value}")
}

fn sourced<T: std::fmt::Display>(v: &Option<Sourced<T>>, missing: &str) -> String {
    match v {
        Some(s) => format!("{} ({})", s.value, s.source),
        None => format!("not set: {missing}"),
    }
}

fn write_report(s: &Settings, out: &mut dyn Write) -> std::io::Result<()> {
    let config = match &s.config {
        Some(c) if s.config_loaded => format!("{} (read; {})", c.path.display(), c.why),
        Some(c) => format!("{} (not found; {})", c.path.display(), c.why),
        None if s.profile.value == "demo" => "none (--demo needs no configuration)".to_string(),
        None => match default_config_path() {
            Some(p) => format!("{} (not used)", p.display()),
            None => "none (no home directory)".to_string(),
        },
    };
    line(out, "config file", &config)?;
    let audit = AuditLog::default_location();
    line(
        out,
        "audit log",
        &audit.path().map_or_else(
            || format!("unavailable (no state directory; {})", audit::FILE_NAME),
            |p| p.display().to_string(),
        ),
    )?;
    line(
        out,
        "log files",
        &logging::log_dir().map_or_else(
            || "unavailable (no state directory)".to_string(),
            |p| format!("{}/", p.display()),
        ),
    )?;
    line(out, "store", &store_line(s))?;
    if state_dir().is_none() {
        line(
            out,
            "",
            "(set HOME or XDG_STATE_HOME to enable the audit log and logs)",
        )?;
    }
    writeln!(out)?;
    line(
        out,
        "profile",
        &format!("{} ({})", s.profile.value, s.profile.source),
    )?;
    line(
        out,
        "sdkappid",
        &sourced(&s.sdkappid, "sdkappid / TIM_SDKAPPID / --sdkappid"),
    )?;
    line(
        out,
        "identifier",
        &sourced(&s.identifier, "identifier / TIM_IDENTIFIER / --identifier"),
    )?;
    let endpoint = match &s.endpoint {
        Some(e) => format!("{} = {} ({})", e.value.1, e.value.0, e.source),
        None => {
            "not set: region / endpoint / TIM_REGION / TIM_ENDPOINT / --region / --endpoint".into()
        }
    };
    line(out, "endpoint", &endpoint)?;
    line(out, "standby", &standby(s))?;
    let key = match &s.secret_key {
        Ok(k) => format!("<redacted> ({})", k.source),
        Err(msg) => format!("not available: {msg}"),
    };
    line(out, "secret key", &key)?;
    line(
        out,
        "read only",
        &format!(
            "{} ({})",
            if s.read_only.value { "yes" } else { "no" },
            s.read_only.source
        ),
    )?;
    write_budget(s, out)?;
    line(
        out,
        "timeout",
        &format!("{} s ({})", s.timeout.value.as_secs(), s.timeout.source),
    )?;
    line(
        out,
        "max attempts",
        &format!(
            "{} ({}; reads only)",
            s.max_attempts.value, s.max_attempts.source
        ),
    )?;
    let token = match &s.webhook_token {
        Ok(Some(t)) => format!("<redacted> ({})", t.source),
        Ok(None) => "not set".into(),
        Err(msg) => format!("not available: {msg}"),
    };
    line(out, "webhook token", &token)?;
    line(
        out,
        "webhook listen",
        &sourced(&s.webhook_listen, "webhook_listen"),
    )?;
    Ok(())
}

/// The incident store's file (or directory, before the SDKAppID is known), its retention,
/// or why there is none.
fn store_line(s: &Settings) -> String {
    let store = &s.store;
    if !store.enabled.value {
        return format!("off ({})", store.enabled.source);
    }
    let Some(dir) = &store.dir else {
        return "unavailable: no state directory (set HOME or XDG_STATE_HOME, or give --store-dir / TIM_STORE_DIR)".into();
    };
    match &s.sdkappid {
        Some(app) => {
            let file =
                crate::store::file_in(&dir.value, app.value, s.profile.source == Source::Demo);
            format!("{}; directory: {}", store.describe(&file), dir.source)
        }
        None => format!(
            "{}, one file per SDKAppID; directory: {}",
            store.describe(&dir.value),
            dir.source
        ),
    }
}

/// The standby domain, or why there is none.
fn standby(s: &Settings) -> String {
    let Some(endpoint) = &s.endpoint else {
        return "not set (no endpoint)".into();
    };
    let label = &endpoint.value.1;
    match (&s.standby.value, &s.standby.source) {
        (Some(url), source) => {
            let from = match source {
                Source::Default => format!("default for {label}"),
                other => other.to_string(),
            };
            format!(
                "{url} ({from}); a read that cannot reach {label} moves here for {} min, a write never does",
                STANDBY_STAY.as_secs() / 60
            )
        }
        (None, Source::Default)
            if REGIONS
                .iter()
                .any(|r| r.endpoint == endpoint.value.0 && r.standby.is_none()) =>
        {
            format!("none (the vendor lists no standby domain for {label})")
        }
        (None, Source::Default) => {
            "none (set standby_endpoint in the profile to fail reads over to one)".into()
        }
        (None, Source::Demo) => "none (the demo sandbox has a single address)".into(),
        (None, source) => format!("none ({source} is empty)"),
    }
}

/// The total ceiling and each API's limit, with where each comes from.
fn write_budget(s: &Settings, out: &mut dyn Write) -> std::io::Result<()> {
    line(
        out,
        "budget",
        &format!(
            "{} calls/s ({}), all APIs together; each API within it:",
            s.budget.value, s.budget.source
        ),
    )?;
    for b in api_budgets(&s.api_budget) {
        let from = b.describe(&s.profile.value);
        line(
            out,
            "",
            &format!("{:<32} {:>3}/s ({from})", b.api, b.per_sec),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::resolve_with;

    fn report(profile: &str, global: Overrides) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, profile).unwrap();
        let global = Overrides {
            config: Some(path),
            ..global
        };
        let s = resolve_with(&global, &|_| None, None).unwrap();
        let mut out = Vec::new();
        write_report(&s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_budget_is_shown_per_api_with_its_source() {
        let out = report(
            "[profiles.sg]\nregion = \"singapore\"\nbudget = 60\n[profiles.sg.api_budget]\nget_group_member_info = 50\n",
            Overrides {
                profile: Some("sg".into()),
                ..Overrides::default()
            },
        );
        assert!(
            out.contains("budget          60 calls/s (profile sg.budget), all APIs together"),
            "{out}"
        );
        let row = |api: &str| {
            out.lines()
                .find(|l| l.trim_start().starts_with(&format!("{api} ")))
                .unwrap_or_else(|| panic!("no row for {api}:\n{out}"))
                .split_whitespace()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(row("get_appid_group_list"), "1/s (vendor doc 1/s)");
        assert_eq!(
            row("get_group_member_info"),
            "50/s (profile sg.api_budget; vendor doc 200/s)"
        );
        assert_eq!(
            row("get_group_msg_receipt"),
            "20/s (client default; vendor doc 200/s)"
        );
        assert_eq!(
            row("send_group_msg"),
            "20/s (client default; our assumption 200/s)"
        );
    }

    #[test]
    fn the_store_is_shown_with_its_file_and_retention() {
        let store = |profile: &str, global: Overrides| {
            report(profile, global)
                .lines()
                .find(|l| l.starts_with("store "))
                .map(|l| l["store".len()..].trim().to_string())
                .unwrap_or_default()
        };
        let dir = tempfile::tempdir().unwrap();
        let global = || Overrides {
            store_dir: Some(dir.path().to_path_buf()),
            ..Overrides::default()
        };
        let line = store(
            "[profiles.default]\nsdkappid = 1400000001\nstore_retention_days = 7\n",
            global(),
        );
        let file = dir.path().join("1400000001.sqlite3");
        assert!(line.starts_with(&file.display().to_string()), "{line}");
        assert!(line.contains("(kept 7 days, at most"), "{line}");
        let line = store("[profiles.default]\n", global());
        assert!(
            line.ends_with(
                "(kept 90 days, at most 1024 MiB), one file per SDKAppID; directory: flag --store-dir / TIM_STORE_DIR"
            ),
            "{line}"
        );
        assert!(
            store("[profiles.default]\nstore = false\n", global())
                .starts_with("off (profile default.store)")
        );
    }

    #[test]
    fn the_standby_domain_is_shown_or_why_there_is_none() {
        let standby = |profile: &str| {
            report(profile, Overrides::default())
                .lines()
                .find(|l| l.starts_with("standby "))
                .map(|l| l["standby".len()..].trim().to_string())
                .unwrap_or_default()
        };
        let sg = standby("[profiles.default]\nregion = \"singapore\"\n");
        assert!(
            sg.starts_with("https://adminapisgp.my-imcloud.com (default for Singapore)")
                && sg.contains("5 min")
                && sg.contains("a write never does"),
            "{sg}"
        );
        assert_eq!(
            standby("[profiles.default]\nregion = \"tokyo\"\n"),
            "none (the vendor lists no standby domain for Tokyo)"
        );
        assert!(
            standby("[profiles.default]\nendpoint = \"http://127.0.0.1:1\"\n")
                .contains("set standby_endpoint"),
        );
        let set = standby(
            "[profiles.default]\nendpoint = \"http://127.0.0.1:1\"\nstandby_endpoint = \"http://127.0.0.1:2\"\n",
        );
        assert!(
            set.starts_with("http://127.0.0.1:2 (profile default.standby_endpoint)"),
            "{set}"
        );
    }
}
