//! `tim-receipts config`: the paths in use and the effective settings, each with where it
//! came from. Secrets are shown only as `<redacted>`.

use std::io::Write;
use std::process::ExitCode;

use super::usersig_cmd::settings;
use crate::audit::{self, AuditLog};
use crate::cli::GlobalArgs;
use crate::config::{Settings, Sourced, default_config_path, state_dir};
use crate::logging;

pub fn run(global: &GlobalArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
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
    line(
        out,
        "budget",
        &format!(
            "{} calls/s ({}); get_appid_group_list 1 call/s",
            s.budget.value, s.budget.source
        ),
    )?;
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
