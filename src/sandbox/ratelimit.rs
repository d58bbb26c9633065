//! Per-API call-frequency limits, answered with the vendor's 60007 (never a dropped
//! connection). Each API has its own budget of `n` calls per `window` (a GCRA from
//! `governor`: a burst of `n`, refilled evenly over the window).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::fields::ApiErr;
use crate::vendor::endpoints;

/// The vendor's per-REST-API frequency-limit code.
pub use crate::vendor::codes::FREQUENCY_LIMIT;

/// Call limits; the defaults are the service's documented values.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// Calls per window for every API but get_appid_group_list (0 = unlimited).
    pub per_api: u32,
    /// Calls per window for get_appid_group_list (0 = unlimited).
    pub group_list: u32,
    /// The window the counts apply to (one second on the service).
    pub window: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_api: endpoints::ASSUMED_LIMIT_PER_SEC,
            group_list: endpoints::GROUP_LIST.limit.per_sec,
            window: Duration::from_secs(1),
        }
    }
}

/// The limiters, one per API name.
pub(crate) struct Limiter {
    limits: RateLimits,
    per_api: HashMap<&'static str, DefaultDirectRateLimiter>,
    /// The API that gets `limits.group_list`.
    group_list: &'static str,
}

fn limiter(n: u32, window: Duration) -> Option<DefaultDirectRateLimiter> {
    let burst = NonZeroU32::new(n)?;
    let quota = Quota::with_period(window / n)?.allow_burst(burst);
    Some(RateLimiter::direct(quota))
}

impl Limiter {
    pub fn new(limits: RateLimits, apis: &[&'static str], group_list: &'static str) -> Limiter {
        let per_api = apis
            .iter()
            .filter_map(|&api| {
                let n = if api == group_list {
                    limits.group_list
                } else {
                    limits.per_api
                };
                limiter(n, limits.window).map(|l| (api, l))
            })
            .collect();
        Limiter {
            limits,
            per_api,
            group_list,
        }
    }

    /// Count one call to `api`; Err(60007) when it is over the limit.
    pub fn check(&self, api: &'static str) -> Result<(), ApiErr> {
        match self.per_api.get(api) {
            Some(l) if l.check().is_err() => Err(ApiErr::new(
                FREQUENCY_LIMIT,
                format!(
                    "REST API call frequency limit exceeded for {api} (limit {} calls per {} ms); retry later",
                    if api == self.group_list {
                        self.limits.group_list
                    } else {
                        self.limits.per_api
                    },
                    self.limits.window.as_millis()
                ),
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_the_budget_is_refused_per_api() {
        let limits = RateLimits {
            per_api: 3,
            group_list: 1,
            window: Duration::from_secs(3600),
        };
        let l = Limiter::new(
            limits,
            &["a", "svc/get_appid_group_list"],
            "svc/get_appid_group_list",
        );
        for _ in 0..3 {
            assert!(l.check("a").is_ok());
        }
        assert_eq!(l.check("a").unwrap_err().code, FREQUENCY_LIMIT);
        assert!(l.check("svc/get_appid_group_list").is_ok());
        assert!(l.check("svc/get_appid_group_list").is_err());
        assert!(l.check("unlisted").is_ok());
    }

    #[test]
    fn the_defaults_are_the_vendors_figures() {
        let d = RateLimits::default();
        for ep in crate::vendor::ENDPOINTS {
            let n = if ep.api == endpoints::GROUP_LIST.api {
                d.group_list
            } else {
                d.per_api
            };
            assert_eq!(n, ep.limit.per_sec, "{}", ep.api);
        }
    }
}
