//! The call budget of a profile: the total ceiling (`budget`, `--budget`) and the per-API
//! limits (`[profiles.X.api_budget]`), checked against the vendor's figures.

use std::collections::BTreeMap;

use anyhow::bail;

use super::file::Profile;
use super::overrides::Overrides;
use super::sourced::{Source, Sourced};
use crate::api::DEFAULT_TOTAL_BUDGET_PER_SEC;
use crate::api::budget::check_api_budget;

/// Largest total budget accepted (see `api::budget::MAX_TOTAL_BUDGET`).
pub const MAX_BUDGET: u32 = crate::api::budget::MAX_TOTAL_BUDGET;

/// The total ceiling and the per-API limits, or one line naming the bad value and the fix.
pub(super) fn resolve_budget(
    global: &Overrides,
    p: &Profile,
    pname: &str,
    file_name: &str,
) -> anyhow::Result<(Sourced<u32>, BTreeMap<String, u32>)> {
    let from_profile = |field: &str| Source::Profile(format!("{pname}.{field}"));
    let budget = match (global.budget, p.budget) {
        (Some(v), _) => Sourced::new(v, Source::Flag("--budget")),
        (None, Some(v)) => Sourced::new(v, from_profile("budget")),
        (None, None) => Sourced::new(DEFAULT_TOTAL_BUDGET_PER_SEC, Source::Default),
    };
    if budget.value == 0 || budget.value > MAX_BUDGET {
        // Name where the value is set: the flag, or the file and field.
        let place = match &budget.source {
            Source::Profile(_) => format!("{file_name}: profiles.{pname}.budget: "),
            other => format!("{other}: "),
        };
        bail!(
            "{place}budget {} is out of range: use 1 to {MAX_BUDGET} calls/s in all (default {DEFAULT_TOTAL_BUDGET_PER_SEC}; each API's own limit is set in [profiles.{pname}.api_budget])",
            budget.value,
        );
    }
    let api_budget = p.api_budget.clone().unwrap_or_default();
    for (api, &n) in &api_budget {
        if let Err(e) = check_api_budget(api, n) {
            bail!("{file_name}: profiles.{pname}.api_budget: {e}");
        }
    }
    Ok((budget, api_budget))
}
