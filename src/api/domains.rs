//! The main REST domain and its standby: the vendor lists a standby
//! domain per region (none for Tokyo) for when the main one fails, e.g. when its name is
//! hijacked. A read that cannot connect to one (DNS, connection or TLS failure) is tried
//! once on the other; the domain that answered is used for reads for `STANDBY_STAY` before
//! the main one is tried again. Writes always go to the main domain.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long reads stay on the standby domain after the main one failed.
pub const STANDBY_STAY: Duration = Duration::from_secs(5 * 60);

/// The base URLs and which one reads use now.
pub(crate) struct Domains {
    primary: String,
    standby: Option<String>,
    /// Reads use the standby until then.
    until: Mutex<Option<Instant>>,
}

impl Domains {
    pub fn new(primary: String, standby: Option<String>) -> Domains {
        let standby = standby.filter(|s| *s != primary);
        Domains {
            primary,
            standby,
            until: Mutex::new(None),
        }
    }

    pub fn primary(&self) -> &str {
        &self.primary
    }

    pub fn standby(&self) -> Option<&str> {
        self.standby.as_deref()
    }

    fn until(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // A poisoned lock only means another thread panicked; the value is still valid.
        self.until.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True while reads use the standby.
    pub fn on_standby(&self, now: Instant) -> bool {
        self.standby.is_some() && self.until().is_some_and(|t| now < t)
    }

    /// Where a read goes now, and the other domain (the one to try if this one cannot be
    /// reached), if there is one.
    pub fn for_read(&self, now: Instant) -> (&str, Option<&str>) {
        match &self.standby {
            Some(s) if self.on_standby(now) => (s, Some(&self.primary)),
            Some(s) => (&self.primary, Some(s)),
            None => (&self.primary, None),
        }
    }

    /// `base` answered a read (after the other domain could not be reached): reads use it
    /// from now on, for `STANDBY_STAY` if it is the standby.
    pub fn answered(&self, base: &str, now: Instant) {
        let mut until = self.until();
        if base == self.primary {
            if until.take().is_some() {
                tracing::info!(domain = %self.primary, "reads are back on the main domain");
            }
        } else {
            *until = Some(now + STANDBY_STAY);
            tracing::warn!(
                main = %self.primary,
                standby = %base,
                minutes = STANDBY_STAY.as_secs() / 60,
                "the main domain cannot be reached: reads use the standby domain"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stay_on_the_standby_then_try_the_main_domain() {
        let d = Domains::new("https://main".into(), Some("https://standby".into()));
        let t0 = Instant::now();
        assert_eq!(d.for_read(t0), ("https://main", Some("https://standby")));
        assert!(!d.on_standby(t0));
        d.answered("https://standby", t0);
        let soon = t0 + STANDBY_STAY - Duration::from_secs(1);
        assert!(d.on_standby(soon));
        assert_eq!(d.for_read(soon), ("https://standby", Some("https://main")));
        let later = t0 + STANDBY_STAY;
        assert!(!d.on_standby(later));
        assert_eq!(d.for_read(later).0, "https://main");
        // The main domain answering ends the stay at once.
        d.answered("https://standby", t0);
        d.answered("https://main", t0);
        assert!(!d.on_standby(t0));
    }

    #[test]
    fn no_standby_or_the_same_host_means_no_failover() {
        let t0 = Instant::now();
        let d = Domains::new("https://main".into(), None);
        assert_eq!(d.for_read(t0), ("https://main", None));
        let d = Domains::new("https://main".into(), Some("https://main".into()));
        assert_eq!(d.standby(), None);
    }
}
