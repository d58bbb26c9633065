//! `tim-receipts usersig gen|inspect`: make a UserSig from the configured key, or decode
//! one and check it against the configured SDKAppID, identifier and key (the "why does the
//! API answer 70009/70013?" tool). Neither ever prints the key.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use super::output;
use crate::config::Overrides;
use crate::config::{self, Settings};
use crate::sandbox;
use crate::usersig::{self, UserSigDoc, VerifyError};

/// The settings for commands that need no connection (`--demo`: the sandbox's app).
pub fn settings(global: &Overrides) -> anyhow::Result<Settings> {
    if global.demo {
        Ok(Settings::demo(
            global,
            "in-process sandbox (started per command)",
            sandbox::DEFAULT_SDKAPPID,
            sandbox::DEFAULT_ADMIN,
            sandbox::DEFAULT_KEY,
        ))
    } else {
        config::resolve(global)
    }
}

pub fn gen_sig(
    global: &Overrides,
    identifier: Option<&str>,
    expire: u64,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if expire == 0 {
        anyhow::bail!("--expire must be at least 1 second (default 86400 = one day)");
    }
    let s = settings(global)?;
    let sdkappid = s.require_sdkappid()?;
    let key = s.require_key()?;
    let identifier = match identifier {
        Some(i) if !i.trim().is_empty() => i.to_string(),
        Some(_) => anyhow::bail!("--identifier is empty: give an account ID"),
        None => s.require_identifier()?,
    };
    let sig = usersig::generate(sdkappid, key.expose(), &identifier, expire);
    writeln!(out, "{sig}")?;
    if std::io::stderr().is_terminal() {
        eprintln!(
            "(UserSig for {identifier:?} on SDKAppID {sdkappid}, valid {expire} s; treat it as a password)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn inspect(global: &Overrides, arg: &str, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let sig = if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| anyhow::anyhow!("cannot read the UserSig from stdin: {e}"))?;
        s
    } else {
        arg.to_string()
    };
    let doc = match usersig::decode(sig.trim()) {
        Ok(doc) => doc,
        Err(e) => {
            writeln!(
                out,
                "{:<11} FAILED: {e} (the service answers {})",
                "decode",
                e.service_code()
            )?;
            writeln!(
                out,
                "{:<11} INVALID (failing check: {})",
                "result",
                e.check_name()
            )?;
            return Ok(ExitCode::FAILURE);
        }
    };
    let now = usersig::now_unix();
    print_fields(&doc, now, out)?;
    let mut failing: Vec<&str> = Vec::new();
    let settings = settings(global);
    let mut check =
        |name: &'static str, result: Result<(), String>, out: &mut dyn Write| match result {
            Ok(()) => writeln!(out, "{:<11} ok", format!("{name}")),
            Err(msg) => {
                failing.push(name);
                writeln!(
                    out,
                    "{:<11} FAILED: {}",
                    format!("{name}"),
                    crate::text::printable(&msg)
                )
            }
        };
    let s = match &settings {
        Ok(s) => Some(s),
        Err(e) => {
            writeln!(out, "{:<11} not checked: {e}", "config")?;
            None
        }
    };
    let want_app = s.map(Settings::require_sdkappid);
    check(
        "sdkappid",
        match want_app {
            Some(Ok(app)) if app == doc.sdkappid => Ok(()),
            Some(Ok(app)) => Err(explain(&VerifyError::SdkAppIdMismatch {
                expected: app,
                found: doc.sdkappid,
            })),
            Some(Err(e)) => Err(format!("not checked: {e}")),
            None => Err("not checked: no configuration".into()),
        },
        out,
    )?;
    let want_id = s.map(Settings::require_identifier);
    check(
        "identifier",
        match want_id {
            Some(Ok(id)) if id == doc.identifier => Ok(()),
            Some(Ok(id)) => Err(explain(&VerifyError::IdentifierMismatch {
                expected: id,
                found: doc.identifier.clone(),
            })),
            Some(Err(e)) => Err(format!("not checked: {e}")),
            None => Err("not checked: no configuration".into()),
        },
        out,
    )?;
    check(
        "expiry",
        if doc.is_expired(now) {
            Err(explain(&VerifyError::Expired {
                expired_at: doc.expires_at(),
                now,
            }))
        } else {
            Ok(())
        },
        out,
    )?;
    let key = s.map(Settings::require_key);
    check(
        "signature",
        match key {
            Some(Ok(k)) if usersig::signature_matches(&doc, k.expose()) => Ok(()),
            Some(Ok(_)) => Err(explain(&VerifyError::SignatureMismatch)),
            Some(Err(e)) => Err(format!("not checked: {e}")),
            None => Err("not checked: no configuration".into()),
        },
        out,
    )?;
    if failing.is_empty() {
        writeln!(
            out,
            "{:<11} VALID for the configured app, admin and key",
            "result"
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(
            out,
            "{:<11} INVALID (failing check: {})",
            "result",
            failing.join(", ")
        )?;
        Ok(ExitCode::FAILURE)
    }
}

fn explain(e: &VerifyError) -> String {
    format!("{e} (the service answers {})", e.service_code())
}

fn print_fields(doc: &UserSigDoc, now: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let secs = |t: u64| i64::try_from(t).unwrap_or(i64::MAX);
    // A UserSig is anyone's text: its fields never reach the terminal raw.
    writeln!(
        out,
        "{:<11} {}",
        "identifier",
        crate::text::printable(&doc.identifier)
    )?;
    writeln!(out, "{:<11} {}", "sdkappid", doc.sdkappid)?;
    writeln!(
        out,
        "{:<11} {}",
        "version",
        crate::text::printable(&doc.version.to_string())
    )?;
    writeln!(
        out,
        "{:<11} {} UTC ({})",
        "issued",
        output::utc(secs(doc.time)),
        doc.time
    )?;
    let at = doc.expires_at();
    let when = if doc.is_expired(now) {
        format!("expired {} ago", span(now - at))
    } else {
        format!("in {}", span(at - now))
    };
    writeln!(
        out,
        "{:<11} {} UTC ({at}; valid {} s; {when})",
        "expires",
        output::utc(secs(at)),
        doc.expire
    )?;
    if doc.userbuf.is_some() {
        writeln!(
            out,
            "{:<11} present (a PrivateMapKey sig; Chat REST does not need one)",
            "userbuf"
        )?;
    }
    Ok(())
}

/// A duration as `2d 3h`, `3h 5m`, `5m 2s` or `7s`.
fn span(secs: u64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans() {
        assert_eq!(span(7), "7s");
        assert_eq!(span(302), "5m 2s");
        assert_eq!(span(3 * 3600 + 300), "3h 5m");
        assert_eq!(span(15_552_000), "180d 0h");
    }
}
