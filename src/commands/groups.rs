//! `tim-receipts groups [--type TYPE] [--limit N]`: the app's groups with type, name and
//! member count. JSON: `[{"id", "type", "name", "member_num"}]`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::errors::api_error;
use super::output::{self, Align, Table};
use crate::api::GroupType;
use crate::api::groups::GROUP_LIST;
use crate::api::pager::{self, PageGuard};
use crate::cli::{Format, FormatArgs};
use crate::session::Session;
use crate::text;

/// IDs per get_appid_group_list page (the documented maximum).
const IDS_PER_PAGE: u32 = 10_000;
/// Pages fetched at most (one per second: the API's own limit).
const MAX_PAGES: usize = 1_000;

#[derive(Debug, Serialize)]
struct GroupRow {
    id: String,
    #[serde(rename = "type")]
    group_type: Option<String>,
    name: String,
    member_num: u64,
}

pub async fn run(
    session: &Session,
    group_type: Option<&str>,
    limit: Option<usize>,
    format: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let group_type = group_type
        .map(str::parse::<GroupType>)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    let limit = limit.unwrap_or(usize::MAX);
    let mut ids: Vec<String> = Vec::new();
    let mut next = 0;
    let progress = std::io::stderr().is_terminal();
    // No documented maximum of groups per app: the guard holds the listing to the
    // `TotalCount` the service reports, and stops it when a page makes no progress.
    let mut guard = PageGuard::new(u64::MAX, "no limit");
    for page_no in 0..MAX_PAGES {
        let want = u32::try_from(limit.saturating_sub(ids.len()))
            .unwrap_or(u32::MAX)
            .clamp(1, IDS_PER_PAGE);
        let page = session
            .client
            .group_id_page(next, want, group_type)
            .await
            .map_err(api_error)?;
        guard.reported(page.total, "TotalCount");
        let more = page.next.to_string();
        let fresh = guard
            .accept(
                want as usize,
                page.ids,
                String::clone,
                (page.next != 0).then_some(more.as_str()),
            )
            .map_err(|f| api_error(pager::fault_error(GROUP_LIST.api, f)))?;
        ids.extend(fresh);
        if progress && page_no > 0 {
            eprint!("\rgroups: {} of {} listed", ids.len(), page.total);
        }
        if ids.len() >= limit || page.next == 0 {
            break;
        }
        next = page.next;
    }
    if progress && ids.len() > IDS_PER_PAGE as usize {
        eprintln!();
    }
    if guard.duplicates() > 0 {
        eprintln!(
            "tim-receipts: the service listed {} group(s) more than once; each is shown once",
            guard.duplicates()
        );
    }
    ids.truncate(limit);
    let infos = session.client.group_info(&ids).await.map_err(api_error)?;
    let mut rows = Vec::with_capacity(infos.len());
    for g in infos {
        if g.code != 0 {
            // The ID and ErrorInfo come from the service: shown cleaned and bounded.
            eprintln!(
                "tim-receipts: skipping group {}: error {} ({})",
                text::printable(&g.id),
                g.code,
                text::printable(&g.info)
            );
            continue;
        }
        rows.push(GroupRow {
            id: g.id,
            group_type: g.group_type.map(|t| t.label().to_string()),
            name: g.name,
            member_num: g.member_num,
        });
    }
    match output::pick(format) {
        Format::Json => output::json(out, &rows)?,
        Format::Csv => output::csv(
            out,
            format,
            &["id", "type", "name", "member_num"],
            rows.iter().map(cells),
        )?,
        Format::Table => {
            let mut t = Table::new(&[
                ("GROUP", Align::Left),
                ("TYPE", Align::Left),
                ("MEMBERS", Align::Right),
                ("NAME", Align::Left),
            ]);
            for r in &rows {
                t.push(vec![
                    r.id.clone(),
                    r.group_type.clone().unwrap_or_else(|| "?".into()),
                    r.member_num.to_string(),
                    r.name.clone(),
                ]);
            }
            t.write(out, output::width())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cells(r: &GroupRow) -> Vec<String> {
    vec![
        r.id.clone(),
        r.group_type.clone().unwrap_or_default(),
        r.name.clone(),
        r.member_num.to_string(),
    ]
}
