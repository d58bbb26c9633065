//! The call budget: a limiter per API and a ceiling across all of them.
//!
//! The service limits calls per REST API (200/s for most, `get_appid_group_list` 1/s;
//! see [`crate::vendor::endpoints`]), per SDKAppID, and the customer's production backend spends the
//! same limits. So each API gets its own token bucket (the `governor` crate), by default
//! `min(the vendor's figure, 20/s)` — a tenth of an API's 200/s — and every call also passes a
//! total ceiling (default 40/s) so that the tool as a whole stays small: a dashboard screen
//! uses several APIs at once (history and receipt counts when a group opens, receipt lists
//! and member info while a list drains), and 40/s lets two of them run at their full default
//! pace together. A limit set at the vendor's own figure is spaced 10% wider, so network
//! jitter cannot bunch two calls into one of the service's windows.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::endpoint::{self, Endpoint, VendorLimit};

/// Default limit of one API, calls per second (a tenth of the vendor's usual 200/s), unless
/// the vendor's figure is lower.
pub const DEFAULT_API_BUDGET_PER_SEC: u32 = 20;
/// Default total ceiling across all APIs, calls per second.
pub const DEFAULT_TOTAL_BUDGET_PER_SEC: u32 = 40;
/// Largest total ceiling accepted: the most any single API allows. A support tool has no
/// need for more, and it keeps a runaway loop from hammering several APIs at once.
pub const MAX_TOTAL_BUDGET: u32 = 200;

/// Where an API's effective limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitOrigin {
    /// The vendor's figure (lower than the client default), e.g. get_appid_group_list.
    Vendor,
    /// The client default, `DEFAULT_API_BUDGET_PER_SEC`.
    ClientDefault,
    /// `[profiles.X.api_budget]`.
    Profile,
}

/// One API's effective limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiBudget {
    pub api: &'static str,
    /// Calls per second the client allows itself for this API.
    pub per_sec: u32,
    pub origin: LimitOrigin,
    /// The vendor's figure (documented, or our assumption).
    pub vendor: VendorLimit,
}

impl ApiBudget {
    /// The limit of `ep` given the profile's overrides (not validated here).
    pub fn of(ep: &Endpoint, overrides: &BTreeMap<String, u32>) -> ApiBudget {
        let (per_sec, origin) = match overrides.get(ep.api) {
            Some(&n) => (n, LimitOrigin::Profile),
            None if ep.limit.per_sec < DEFAULT_API_BUDGET_PER_SEC => {
                (ep.limit.per_sec, LimitOrigin::Vendor)
            }
            None => (DEFAULT_API_BUDGET_PER_SEC, LimitOrigin::ClientDefault),
        };
        ApiBudget {
            api: ep.api,
            per_sec,
            origin,
            vendor: ep.limit,
        }
    }

    /// Where the figure comes from, in words, e.g. "client default; vendor doc 200/s"
    /// (`profile` names the profile an override comes from).
    pub fn describe(&self, profile: &str) -> String {
        let vendor = format!("{} {}/s", self.vendor.source(), self.vendor.per_sec);
        match self.origin {
            LimitOrigin::Vendor => vendor,
            LimitOrigin::ClientDefault => format!("client default; {vendor}"),
            LimitOrigin::Profile => format!("profile {profile}.api_budget; {vendor}"),
        }
    }
}

/// Check one `api_budget` entry: a known API, at least 1, at most the vendor's figure.
/// The message names the API and the limit; the caller adds where the entry is.
pub fn check_api_budget(api: &str, per_sec: u32) -> Result<(), String> {
    let Some(ep) = endpoint::by_name(api) else {
        return Err(format!(
            "unknown API {api:?}: use one of {}",
            endpoint::names()
        ));
    };
    if per_sec == 0 {
        return Err(format!(
            "{api} = 0 would stop every call to it: use at least 1 call/s"
        ));
    }
    if per_sec > ep.limit.per_sec {
        let whose = if ep.limit.documented {
            "the vendor's documented limit"
        } else {
            "the limit we assume (the vendor documents none)"
        };
        let limit = ep.limit.per_sec;
        let unit = if limit == 1 { "call" } else { "calls" };
        let range = if limit == 1 {
            "use 1".to_string()
        } else {
            format!("use 1 to {limit}")
        };
        return Err(format!(
            "{api} = {per_sec} is above {whose} of {limit} {unit}/s for it: {range}"
        ));
    }
    Ok(())
}

/// Every known API's effective limit, in `ENDPOINTS` order.
pub fn api_budgets(overrides: &BTreeMap<String, u32>) -> Vec<ApiBudget> {
    endpoint::ENDPOINTS
        .iter()
        .map(|ep| ApiBudget::of(ep, overrides))
        .collect()
}

/// A token bucket of `n` calls per second, spaced 10% wider when `n` is the vendor's own figure.
fn limiter(n: NonZeroU32, at_vendor_limit: bool) -> DefaultDirectRateLimiter {
    let quota = if at_vendor_limit {
        let period = Duration::from_secs(1) / n.get() * 11 / 10;
        Quota::with_period(period).map(|q| q.allow_burst(n))
    } else {
        None
    };
    RateLimiter::direct(quota.unwrap_or_else(|| Quota::per_second(n)))
}

/// The limiters: one per API (made on first use) and the total ceiling.
pub(crate) struct Budget {
    total: DefaultDirectRateLimiter,
    overrides: BTreeMap<String, u32>,
    per_api: Mutex<HashMap<&'static str, Arc<DefaultDirectRateLimiter>>>,
}

impl Budget {
    /// The budget for a total ceiling and the per-API overrides; a message when one is invalid.
    pub fn new(total: u32, overrides: &BTreeMap<String, u32>) -> Result<Budget, String> {
        let total =
            NonZeroU32::new(total).ok_or("the call budget must be at least 1 call per second")?;
        for (api, &n) in overrides {
            check_api_budget(api, n).map_err(|e| format!("api_budget: {e}"))?;
        }
        Ok(Budget {
            total: RateLimiter::direct(Quota::per_second(total)),
            overrides: overrides.clone(),
            per_api: Mutex::new(HashMap::new()),
        })
    }

    fn api_limiter(&self, ep: &Endpoint) -> Arc<DefaultDirectRateLimiter> {
        // A poisoned lock only means another thread panicked mid-insert; the map is fine.
        let mut map = self.per_api.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(ep.api).or_insert_with(|| {
            let b = ApiBudget::of(ep, &self.overrides);
            let n = NonZeroU32::new(b.per_sec).unwrap_or(NonZeroU32::MIN);
            Arc::new(limiter(n, b.per_sec >= ep.limit.per_sec))
        }))
    }

    /// Wait for a token of `ep`'s API, then one of the total ceiling (in that order, so a
    /// slow API never holds tokens the others could use).
    pub async fn acquire(&self, ep: &Endpoint) {
        let api = self.api_limiter(ep);
        api.until_ready().await;
        self.total.until_ready().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::endpoints::{C2C_UNREAD, GROUP_INFO, GROUP_LIST, SEND};

    fn overrides(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn defaults_are_the_lower_of_the_vendor_and_the_client() {
        let none = BTreeMap::new();
        let list = ApiBudget::of(&GROUP_LIST, &none);
        assert_eq!((list.per_sec, list.origin), (1, LimitOrigin::Vendor));
        assert_eq!(list.describe("p"), "vendor doc 1/s");
        let info = ApiBudget::of(&GROUP_INFO, &none);
        assert_eq!(
            (info.per_sec, info.origin),
            (20, LimitOrigin::ClientDefault)
        );
        assert_eq!(info.describe("p"), "client default; vendor doc 200/s");
        assert_eq!(
            ApiBudget::of(&SEND, &none).describe("p"),
            "client default; our assumption 200/s"
        );
        let set = ApiBudget::of(&GROUP_INFO, &overrides(&[("get_group_info", 50)]));
        assert_eq!((set.per_sec, set.origin), (50, LimitOrigin::Profile));
        assert_eq!(set.describe("p"), "profile p.api_budget; vendor doc 200/s");
        assert_eq!(api_budgets(&none).len(), endpoint::ENDPOINTS.len());
    }

    #[test]
    fn overrides_are_checked() {
        assert!(check_api_budget("get_group_member_info", 50).is_ok());
        assert!(check_api_budget("get_group_member_info", 200).is_ok());
        let e = check_api_budget("get_group_member_infos", 5).unwrap_err();
        assert!(
            e.contains("unknown API") && e.contains("get_group_member_info,"),
            "{e}"
        );
        let e = check_api_budget("get_group_info", 0).unwrap_err();
        assert!(e.contains("at least 1"), "{e}");
        let e = check_api_budget("get_group_info", 201).unwrap_err();
        assert!(e.contains("documented limit of 200 calls/s"), "{e}");
        let e = check_api_budget("get_appid_group_list", 2).unwrap_err();
        assert!(e.contains("of 1 call/s for it: use 1"), "{e}");
        let e = check_api_budget("send_group_msg", 300).unwrap_err();
        assert!(e.contains("we assume"), "{e}");
        assert!(Budget::new(0, &BTreeMap::new()).is_err());
        let e = Budget::new(10, &overrides(&[("x", 1)])).err().unwrap();
        assert!(e.starts_with("api_budget: unknown API \"x\""), "{e}");
    }

    #[test]
    fn each_api_has_its_own_bucket() {
        let b = Budget::new(100, &overrides(&[("get_group_info", 2)])).unwrap();
        let info = b.api_limiter(&GROUP_INFO);
        assert!(info.check().is_ok() && info.check().is_ok());
        assert!(info.check().is_err(), "a burst of 2, then empty");
        // Another API is untouched, and the same API gets the same bucket again.
        assert!(b.api_limiter(&C2C_UNREAD).check().is_ok());
        assert!(b.api_limiter(&GROUP_INFO).check().is_err());
        // get_appid_group_list: one call, then nothing for 1.1 s.
        let list = b.api_limiter(&GROUP_LIST);
        assert!(list.check().is_ok());
        assert!(list.check().is_err());
    }
}
