//! What a benchmark run prints: one line per figure, with its goal and verdict,
//! and the arithmetic the figures need (percentiles, sizes).

use std::time::Duration;

/// Whether a figure met its goal.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    Pass,
    Fail,
    /// A figure without a goal (context for the others).
    Info,
    /// Could not be measured here; the line says why.
    Skipped,
}

pub struct Report {
    pub quick: bool,
    pass: usize,
    fail: usize,
    skipped: usize,
    failed: Vec<String>,
}

impl Report {
    pub fn new(quick: bool) -> Report {
        Report {
            quick,
            pass: 0,
            fail: 0,
            skipped: 0,
            failed: Vec::new(),
        }
    }

    pub fn section(&self, title: &str) {
        println!("\n== {title}");
    }

    /// A note under the current section (how something was measured).
    pub fn note(&self, text: &str) {
        println!("   · {text}");
    }

    /// One figure: `label  value  [goal …  PASS|FAIL]`.
    pub fn figure(&mut self, label: &str, value: &str, goal: Option<(&str, bool)>) {
        match goal {
            None => self.line(label, value, "", Verdict::Info),
            Some((goal, ok)) => {
                let v = if ok { Verdict::Pass } else { Verdict::Fail };
                self.line(label, value, goal, v)
            }
        }
    }

    pub fn skipped(&mut self, label: &str, why: &str) {
        self.line(label, why, "", Verdict::Skipped);
    }

    fn line(&mut self, label: &str, value: &str, goal: &str, verdict: Verdict) {
        let tag = match verdict {
            Verdict::Pass => {
                self.pass += 1;
                "PASS"
            }
            Verdict::Fail => {
                self.fail += 1;
                self.failed.push(label.trim().to_string());
                "FAIL"
            }
            Verdict::Info => "",
            Verdict::Skipped => {
                self.skipped += 1;
                "n/a"
            }
        };
        let goal = if goal.is_empty() {
            String::new()
        } else {
            format!("goal {goal}")
        };
        println!("   {label:<46} {value:<52} {goal:<26} {tag}");
    }

    /// Prints the tally; returns how many goals were missed.
    pub fn finish(&self) -> usize {
        println!(
            "\n== summary: {} goals met, {} missed, {} not measured{}",
            self.pass,
            self.fail,
            self.skipped,
            if self.quick {
                " (quick mode: small N, goals are not enforced)"
            } else {
                ""
            }
        );
        for f in &self.failed {
            println!("   missed: {f}");
        }
        self.fail
    }
}

/// The `p`-th percentile (0–100) of `samples`, nearest-rank; None when empty.
pub fn percentile(samples: &[Duration], p: f64) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_unstable();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// p50 / p95 / p99 of a sample set, for a figure's value column.
pub fn spread(samples: &[Duration]) -> String {
    let p = |q| percentile(samples, q).map_or("-".into(), ms);
    format!(
        "p50 {} · p95 {} · p99 {} (n={})",
        p(50.0),
        p(95.0),
        p(99.0),
        samples.len()
    )
}

/// Bytes as "12.3 KB", 1 KB = 1,024 bytes (the unit of every size goal).
pub fn kb(bytes: usize) -> String {
    let k = bytes as f64 / 1024.0;
    if k >= 1024.0 {
        format!("{:.1} MB", k / 1024.0)
    } else {
        format!("{k:.1} KB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&v, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&v, 100.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&v[..1], 99.0), Some(Duration::from_millis(1)));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
