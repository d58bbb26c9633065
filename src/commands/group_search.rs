//! `tim-receipts groups --search TEXT [--refresh]`: groups whose name (or ID) contains TEXT,
//! among all of the app's groups, from the group index (see `api::group_index`) kept in the
//! cache directory per app. A fresh index (built less than an hour ago) answers at once; an
//! older one, or none, is built first (ID pages at 1 call/s, names 50 groups a call), with
//! progress on stderr. Groups that share a name are listed together, each with its ID.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use super::errors::api_error;
use super::output::{self, Align, Table};
use crate::api::GroupType;
use crate::api::group_index::{DEFAULT_MAX_AGE_SECS, GroupIndex, IndexProgress};
use crate::cli::{Format, FormatArgs};
use crate::session::Session;
use crate::text;

/// What to look for.
pub(super) struct Search<'a> {
    pub text: &'a str,
    pub group_type: Option<&'a str>,
    pub limit: Option<usize>,
    /// Build the index again however fresh it is.
    pub refresh: bool,
}

#[derive(Debug, Serialize)]
struct Found {
    id: String,
    #[serde(rename = "type")]
    group_type: Option<String>,
    name: String,
    /// How many groups of the app have exactly this name (1 = unique).
    same_name: usize,
}

pub(super) async fn run(
    session: &Session,
    find: &Search<'_>,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let group_type = find
        .group_type
        .map(str::parse::<GroupType>)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    let index = index(session, find.refresh).await?;
    let found: Vec<Found> = index
        .search(find.text)
        .into_iter()
        .filter(|g| group_type.is_none_or(|t| g.group_type == Some(t)))
        .take(find.limit.unwrap_or(usize::MAX))
        .map(|g| Found {
            id: g.id.clone(),
            group_type: g.group_type.map(|t| t.label().to_string()),
            name: g.name.clone(),
            same_name: index.named(&g.name),
        })
        .collect();
    let shared = found.iter().filter(|f| f.same_name > 1).count();
    eprintln!(
        "{} of {} match {:?}{}",
        text::count_of(found.len() as u64, "group", "groups"),
        text::thousands(index.groups.len() as u64),
        text::printable(find.text),
        if shared > 0 {
            format!("; {shared} share their name with another group (the IDs tell them apart)")
        } else {
            String::new()
        }
    );
    match output::pick(format) {
        Format::Json => output::json(out, &found)?,
        Format::Csv => output::csv(
            out,
            format,
            &["id", "type", "name", "same_name"],
            found.iter().map(|f| {
                [
                    f.id.clone(),
                    f.group_type.clone().unwrap_or_default(),
                    f.name.clone(),
                    f.same_name.to_string(),
                ]
            }),
        )?,
        Format::Table => {
            let mut t = Table::new(&[
                ("GROUP", Align::Left),
                ("TYPE", Align::Left),
                ("NAME", Align::Left),
            ]);
            for f in &found {
                let name = if f.same_name > 1 {
                    format!("{} ({} groups of this name)", f.name, f.same_name)
                } else {
                    f.name.clone()
                };
                t.push(vec![
                    f.id.clone(),
                    f.group_type.clone().unwrap_or_else(|| "?".into()),
                    name,
                ]);
            }
            t.write(out, output::width())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The app's group index: the cached one while fresh, else a new one (saved for next time).
async fn index(session: &Session, refresh: bool) -> anyhow::Result<GroupIndex> {
    let now = i64::try_from(crate::usersig::now_unix()).unwrap_or(i64::MAX);
    let path = crate::config::cache_dir()
        .map(|d| d.join(GroupIndex::file_name(session.sdkappid, &session.endpoint)));
    let cached = match (&path, refresh) {
        (Some(p), false) => GroupIndex::load(p, session.sdkappid),
        _ => None,
    };
    if let Some(index) = cached.filter(|i| i.is_fresh(now, DEFAULT_MAX_AGE_SECS)) {
        eprintln!(
            "group index: {} groups, built {} s ago (cached; --refresh builds it again)",
            text::thousands(index.groups.len() as u64),
            index.age(now)
        );
        return Ok(index);
    }
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut pages = 0u64;
    let mut progress = |p: IndexProgress| {
        pages += 1;
        if pages < 3 {
            return;
        }
        let line = format!(
            "group index: {} of {} listed, {} named",
            text::thousands(p.listed),
            text::thousands(p.total),
            text::thousands(p.named)
        );
        if tty {
            eprint!("\r{line}…");
        } else {
            eprintln!("{line}");
        }
    };
    let built = session
        .client
        .build_group_index(now, &mut progress, None)
        .await;
    if tty && pages >= 3 {
        eprintln!();
    }
    let index = built.map_err(api_error)?;
    let kept = match &path {
        Some(p) => match index.save(p) {
            Ok(()) => format!("kept in {}", p.display()),
            Err(e) => format!("not kept: {e}"),
        },
        None => "not kept: no cache directory (set HOME or XDG_CACHE_HOME)".into(),
    };
    eprintln!(
        "group index: {} groups indexed in {:.1} s ({}); {kept}",
        text::thousands(index.groups.len() as u64),
        started.elapsed().as_secs_f64(),
        if index.skipped > 0 {
            format!("{} skipped: the service refused their info", index.skipped)
        } else {
            "none skipped".into()
        }
    );
    Ok(index)
}
