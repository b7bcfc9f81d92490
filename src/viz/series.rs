//! Bounded-memory time series for the charts, and robust axis ranges.
//!
//! A [`Series`] keeps at most `cap` points: when full, neighbouring pairs of the older
//! half are merged (their mean), so memory stays bounded while recent points stay exact.

/// A series of `(x, y)` points with bounded memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    points: Vec<(f64, f64)>,
    cap: usize,
}

impl Series {
    /// An empty series keeping at most `cap` (≥ 4) points.
    pub fn new(cap: usize) -> Self {
        Series { points: Vec::with_capacity(cap.max(4)), cap: cap.max(4) }
    }

    /// Appends a point; non-finite `y` values are skipped (the chart stays readable).
    pub fn push(&mut self, x: f64, y: f64) {
        if !y.is_finite() || !x.is_finite() {
            return;
        }
        if self.points.len() >= self.cap {
            self.compact();
        }
        self.points.push((x, y));
    }

    /// Merges pairs in the older half.
    fn compact(&mut self) {
        let half = self.points.len() / 2;
        let mut merged = Vec::with_capacity(self.cap);
        let mut i = 0;
        while i + 1 < half {
            let (a, b) = (self.points[i], self.points[i + 1]);
            merged.push(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0));
            i += 2;
        }
        merged.extend_from_slice(&self.points[i..]);
        self.points = merged;
    }

    /// The points, oldest first.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// Number of points held.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The latest value.
    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|p| p.1)
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.points.clear();
    }
}

/// A y-range for several series that is not squashed forever by an early spike:
/// the top is the largest value over the most recent 80 % of the x-range (times 1.1),
/// the bottom the smallest value overall. With `log`, non-positive values are ignored
/// and the range is returned in log10 units.
pub fn y_range(series: &[&Series], log: bool) -> Option<(f64, f64)> {
    let x_max = series.iter().filter_map(|s| s.points().last().map(|p| p.0)).fold(f64::NEG_INFINITY, f64::max);
    let x_min = series.iter().filter_map(|s| s.points().first().map(|p| p.0)).fold(f64::INFINITY, f64::min);
    if !x_max.is_finite() {
        return None;
    }
    let recent_from = x_min + 0.2 * (x_max - x_min);
    let tr = |y: f64| if log { y.log10() } else { y };
    let (mut lo, mut hi_recent, mut hi_all) = (f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for s in series {
        for &(x, y) in s.points() {
            if log && y <= 0.0 {
                continue;
            }
            let v = tr(y);
            lo = lo.min(v);
            hi_all = hi_all.max(v);
            if x >= recent_from {
                hi_recent = hi_recent.max(v);
            }
        }
    }
    if !lo.is_finite() {
        return None;
    }
    let hi = if hi_recent.is_finite() { hi_recent } else { hi_all };
    let (lo, hi) = if log {
        let (lo, hi) = (lo.floor(), hi.ceil());
        (lo, hi.max(lo + 1.0))
    } else {
        let lo = lo.min(0.0);
        let span = (hi - lo).max(1e-6);
        (lo, lo + span * 1.1)
    };
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_bounded_and_recent_points_exact() {
        let mut s = Series::new(100);
        for i in 0..100_000 {
            s.push(i as f64, (i as f64).sqrt());
        }
        assert!(s.len() <= 100);
        assert_eq!(s.points().last(), Some(&(99_999.0, 99_999f64.sqrt())));
        assert!(s.points().windows(2).all(|w| w[0].0 < w[1].0), "x stays increasing");
        s.push(1e6, f64::NAN);
        s.push(1e6, f64::INFINITY);
        assert_eq!(s.last(), Some(99_999f64.sqrt()));
    }

    #[test]
    fn early_spike_does_not_squash_the_range() {
        let mut s = Series::new(1000);
        s.push(0.0, 1000.0);
        for i in 1..100 {
            s.push(i as f64, 1.0 / i as f64);
        }
        let (lo, hi) = y_range(&[&s], false).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi < 0.1, "spike ignored: {hi}");
        let (llo, lhi) = y_range(&[&s], true).unwrap();
        assert_eq!((llo, lhi), (-2.0, -1.0), "log range spans the recent decades only");
        assert!(y_range(&[&Series::new(10)], false).is_none());
    }
}
