//! Injected faults and latency. Decisions come from one RNG seeded from the world seed, so
//! a run with the same seed and the same sequence of calls fails the same way.

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One way a call can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// HTTP 200 with ErrorCode 10002 (internal error; retry).
    Internal,
    /// HTTP 502 from the "gateway", with a non-JSON body.
    BadGateway,
    /// HTTP 200 whose JSON body is cut in half.
    Truncated,
    /// Hold the request for `SandboxConfig::stall`, then answer normally.
    Stall,
    /// HTTP 200 with the frequency-limit code 60007.
    FrequencyLimit,
}

impl FaultKind {
    pub const ALL: [FaultKind; 5] = [
        FaultKind::Internal,
        FaultKind::BadGateway,
        FaultKind::Truncated,
        FaultKind::Stall,
        FaultKind::FrequencyLimit,
    ];
}

pub(crate) struct Faults {
    rate: f64,
    kinds: Vec<FaultKind>,
    latency: Duration,
    jitter: Duration,
    rng: Mutex<StdRng>,
}

impl Faults {
    pub fn new(
        rate: f64,
        kinds: &[FaultKind],
        latency: Duration,
        jitter: Duration,
        seed: u64,
    ) -> Faults {
        let rate = if rate.is_finite() {
            rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Faults {
            rate,
            kinds: kinds.to_vec(),
            latency,
            jitter,
            rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0xFA17_FA17_FA17_FA17)),
        }
    }

    /// The delay to add to this call (latency plus up to `jitter`).
    pub fn delay(&self) -> Duration {
        if self.jitter.is_zero() {
            return self.latency;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let extra = rng.random_range(0..=self.jitter.as_micros().min(u128::from(u64::MAX)) as u64);
        self.latency + Duration::from_micros(extra)
    }

    /// Whether this call fails, and how.
    pub fn roll(&self) -> Option<FaultKind> {
        if self.rate <= 0.0 || self.kinds.is_empty() {
            return None;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        if rng.random::<f64>() >= self.rate {
            return None;
        }
        let i = rng.random_range(0..self.kinds.len());
        self.kinds.get(i).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_zero_and_one_are_exact_and_kinds_are_mixed() {
        let none = Faults::new(0.0, &FaultKind::ALL, Duration::ZERO, Duration::ZERO, 1);
        assert!((0..1000).all(|_| none.roll().is_none()));
        let all = Faults::new(1.0, &FaultKind::ALL, Duration::ZERO, Duration::ZERO, 1);
        let rolls: Vec<_> = (0..1000).map(|_| all.roll()).collect();
        assert!(rolls.iter().all(Option::is_some));
        for k in FaultKind::ALL {
            assert!(rolls.contains(&Some(k)), "{k:?} never chosen");
        }
    }

    #[test]
    fn same_seed_same_faults() {
        let a = Faults::new(0.3, &FaultKind::ALL, Duration::ZERO, Duration::ZERO, 7);
        let b = Faults::new(0.3, &FaultKind::ALL, Duration::ZERO, Duration::ZERO, 7);
        let ra: Vec<_> = (0..200).map(|_| a.roll()).collect();
        let rb: Vec<_> = (0..200).map(|_| b.roll()).collect();
        assert_eq!(ra, rb);
        let failed = ra.iter().filter(|r| r.is_some()).count();
        assert!((20..120).contains(&failed), "{failed} of 200 at p = 0.3");
    }

    #[test]
    fn delay_stays_within_latency_plus_jitter() {
        let f = Faults::new(
            0.0,
            &[],
            Duration::from_millis(5),
            Duration::from_millis(10),
            3,
        );
        for _ in 0..100 {
            let d = f.delay();
            assert!(d >= Duration::from_millis(5) && d <= Duration::from_millis(15));
        }
    }
}
