//! What one webhook delivery attempt comes to, and when to try again. Pure:
//! the caller supplies the clock and the jitter.

use std::time::Duration;

/// The verdict on one attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Delivered,
    /// Try again after this long.
    Retry(Duration),
    /// Give up: an answer retrying cannot fix, or the retry window is over.
    Dead(String),
}

/// Delay before retry `attempt` (1-based): base·2^(attempt-1), at most an
/// hour, scaled by `jitter` in 0.5..=1 ("full jitter" in the upper half) so
/// receivers that failed together are not hit in step.
pub fn backoff(base: Duration, attempt: u32, jitter: f64) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    exp.min(Duration::from_secs(3600))
        .mul_f64(jitter.clamp(0.5, 1.0))
}

/// Judges an attempt: `status` is the receiver's answer (None: no answer),
/// `attempt` this attempt's number (1-based), `age` how long ago the event was
/// committed, `window` how long to keep trying.
pub fn judge(
    status: Option<u16>,
    attempt: u32,
    age: Duration,
    window: Duration,
    base: Duration,
    jitter: f64,
) -> Verdict {
    match status {
        Some(200..=299) => Verdict::Delivered,
        // A 4xx other than 408/429 will not get better by retrying.
        Some(s @ 400..=499) if s != 408 && s != 429 => Verdict::Dead(String::new()),
        _ => {
            let delay = backoff(base, attempt, jitter);
            if age + delay > window {
                Verdict::Dead(format!("; gave up after {attempt} attempts"))
            } else {
                Verdict::Retry(delay)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_growing_at_an_hour() {
        let base = Duration::from_secs(10);
        for attempt in 1..=30u32 {
            let full = base
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(Duration::from_secs(3600));
            assert_eq!(backoff(base, attempt, 1.0), full);
            assert_eq!(backoff(base, attempt, 0.5), full / 2);
        }
    }

    #[test]
    fn final_answers_stop_and_the_window_ends_retries() {
        let (base, day) = (Duration::from_secs(10), Duration::from_secs(86_400));
        let young = Duration::from_secs(1);
        assert_eq!(
            judge(Some(204), 1, young, day, base, 1.0),
            Verdict::Delivered
        );
        assert!(matches!(
            judge(Some(410), 1, young, day, base, 1.0),
            Verdict::Dead(_)
        ));
        for retried in [Some(408), Some(429), Some(503), None] {
            assert_eq!(
                judge(retried, 1, young, day, base, 1.0),
                Verdict::Retry(base),
                "{retried:?}"
            );
        }
        assert!(matches!(
            judge(Some(503), 9, day, day, base, 1.0),
            Verdict::Dead(_)
        ));
    }
}
