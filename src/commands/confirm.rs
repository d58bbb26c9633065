//! Confirmation of writes: on a terminal, show the exact request and ask (default No);
//! without a terminal, refuse unless `--yes` was given.

use std::io::{BufRead, IsTerminal, Write};

use crate::api::WriteAction;
use crate::session::Session;

/// The exact request a write will send, and what it will not do, as shown before asking.
pub fn describe(session: &Session, action: &WriteAction) -> String {
    let body = serde_json::to_string_pretty(&action.body()).unwrap_or_default();
    let caveat = action
        .caveat()
        .map(|c| format!("Note: {c}\n"))
        .unwrap_or_default();
    format!(
        "About to {} on profile {} ({}, SDKAppID {}):\n  POST /{}\n{}\n{caveat}",
        action.summary(),
        session.profile,
        session.location,
        session.sdkappid,
        action.path(),
        body.lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// True when the user agreed (`y`/`yes`). Errors when confirmation is impossible.
pub async fn ask(session: &Session, action: &WriteAction, yes: bool) -> anyhow::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        let caveat = action
            .caveat()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        anyhow::bail!(
            "refusing to {} without confirmation: stdin is not a terminal; pass --yes to confirm{caveat}",
            action.summary()
        );
    }
    let prompt = describe(session, action);
    let answer = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut err = std::io::stderr().lock();
        write!(err, "{prompt}Proceed? [y/N] ")?;
        err.flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line)
    })
    .await??;
    Ok(is_yes(&answer))
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_is_yes() {
        assert!(is_yes("y\n") && is_yes(" YES ") && is_yes("Yes"));
        assert!(!is_yes("") && !is_yes("\n") && !is_yes("n") && !is_yes("yep"));
    }
}
