//! The learning rate over updates, `α_t` for `t = 0 … horizon`, sampled for a chart.

use crate::nn::Schedule;

/// Horizons the chart offers (updates).
pub const HORIZONS: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

/// `points` (≥ 2) samples `(t, α_t)` evenly spread over `0 … horizon` (integer `t`,
/// first `0` and last `horizon`), with `α_t = schedule.lr(base, t)`.
pub fn lr_series(schedule: &Schedule, base: f64, horizon: u64, points: usize) -> Vec<(f64, f64)> {
    let points = points.max(2);
    let horizon = horizon.max(1);
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points);
    for k in 0..points {
        let t = ((k as f64 / (points - 1) as f64) * horizon as f64).round() as u64;
        if out.last().is_some_and(|p| p.0 == t as f64) {
            continue;
        }
        out.push((t as f64, schedule.lr(base, t)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_spacing() {
        let s = lr_series(&Schedule::Constant, 0.1, 1000, 11);
        assert_eq!(s.len(), 11);
        assert_eq!(s[0], (0.0, 0.1));
        assert_eq!(s[10], (1000.0, 0.1));
        assert_eq!(s[3].0, 300.0);
        // Fewer distinct updates than points: no duplicate t.
        assert_eq!(lr_series(&Schedule::Constant, 0.1, 3, 50).len(), 4);
    }
}
