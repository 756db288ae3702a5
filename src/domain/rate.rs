//! A request budget as GCRA (the generic cell rate algorithm): each key has a
//! theoretical arrival time (TAT); a request is allowed while the TAT is at
//! most `tolerance` ahead of now, and each allowed request moves it on by one
//! `interval`. With `limit` per minute that is `limit` at once, then one every
//! `60 s / limit`: the budget `governor` kept in memory before. The store runs
//! the same step atomically for every node (PostgreSQL: one upsert).

/// A budget of `limit` requests a minute, in microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gcra {
    pub limit: u64,
    /// Time one request uses up.
    pub interval_us: i64,
    /// How far ahead of now the TAT may be and still allow a request: the burst.
    pub tolerance_us: i64,
}

/// What a step did: allowed or not, and the key's TAT afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateStep {
    pub allowed: bool,
    pub tat_us: i64,
}

impl Gcra {
    pub fn per_minute(limit: u32) -> Gcra {
        let limit = u64::from(limit.max(1));
        let interval_us = (60_000_000 / limit).max(1) as i64;
        Gcra {
            limit,
            interval_us,
            tolerance_us: interval_us * (limit as i64 - 1),
        }
    }

    /// One request at `now_us` against a key whose TAT is `tat_us` (None: new).
    pub fn step(&self, tat_us: Option<i64>, now_us: i64) -> RateStep {
        let tat = tat_us.unwrap_or(now_us).max(now_us);
        if tat - now_us <= self.tolerance_us {
            RateStep {
                allowed: true,
                tat_us: tat + self.interval_us,
            }
        } else {
            RateStep {
                allowed: false,
                tat_us: tat,
            }
        }
    }

    /// Requests still allowed at once after a step at `now_us`.
    pub fn remaining(&self, s: &RateStep, now_us: i64) -> u64 {
        let ahead = (s.tat_us - now_us).max(0);
        let left = (self.tolerance_us + self.interval_us - ahead) / self.interval_us;
        (left.max(0) as u64).min(self.limit)
    }

    /// Microseconds until a refused request would be allowed.
    pub fn retry_after_us(&self, s: &RateStep, now_us: i64) -> i64 {
        (s.tat_us - now_us - self.tolerance_us).max(0)
    }

    /// Microseconds until the whole budget is back.
    pub fn reset_us(&self, s: &RateStep, now_us: i64) -> i64 {
        (s.tat_us - now_us).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_the_limit_then_one_per_interval() {
        let g = Gcra::per_minute(3);
        let mut tat = None;
        let mut left = Vec::new();
        for _ in 0..3 {
            let s = g.step(tat, 0);
            assert!(s.allowed);
            left.push(g.remaining(&s, 0));
            tat = Some(s.tat_us);
        }
        assert_eq!(left, [2, 1, 0]);
        let refused = g.step(tat, 0);
        assert!(!refused.allowed);
        assert_eq!(refused.tat_us, tat.unwrap(), "a refusal uses nothing");
        assert_eq!(g.retry_after_us(&refused, 0), 20_000_000);
        // One interval later exactly one more is allowed.
        let s = g.step(tat, 20_000_000);
        assert!(s.allowed);
        assert!(!g.step(Some(s.tat_us), 20_000_000).allowed);
        // A quiet minute refills the budget.
        assert_eq!(
            g.remaining(&g.step(Some(s.tat_us), 200_000_000), 200_000_000),
            2
        );
    }
}
