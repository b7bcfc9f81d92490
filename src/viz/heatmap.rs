//! A grid of values over a 2-D domain and its RGBA image.

use super::colormap::Palette;

/// Values on an `n × n` grid over `[lo, hi]²`; row 0 is the top (largest `x₂`).
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// Cells per side.
    pub n: usize,
    /// Domain lower bound (both axes).
    pub lo: f64,
    /// Domain upper bound (both axes).
    pub hi: f64,
    /// Row-major values.
    pub values: Vec<f64>,
}

impl Heatmap {
    /// A grid of zeros.
    pub fn new(n: usize, lo: f64, hi: f64) -> Self {
        Heatmap { n, lo, hi, values: vec![0.0; n * n] }
    }

    /// The domain point at the centre of cell `(row, col)`: `(x₁, x₂)`.
    pub fn point(&self, row: usize, col: usize) -> (f64, f64) {
        let step = (self.hi - self.lo) / self.n as f64;
        (self.lo + (col as f64 + 0.5) * step, self.hi - (row as f64 + 0.5) * step)
    }

    /// Every cell centre in row-major order, flattened as `x₁, x₂, x₁, x₂, …`.
    pub fn points(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(2 * self.n * self.n);
        for r in 0..self.n {
            for c in 0..self.n {
                let (a, b) = self.point(r, c);
                out.push(a);
                out.push(b);
            }
        }
        out
    }

    /// Maps a domain coordinate to a fraction of the plot width (`x₁`) or height (`x₂`, from the top).
    pub fn to_unit(&self, x1: f64, x2: f64) -> (f64, f64) {
        ((x1 - self.lo) / (self.hi - self.lo), (self.hi - x2) / (self.hi - self.lo))
    }

    /// The inverse of [`to_unit`](Self::to_unit).
    pub fn from_unit(&self, u: f64, v: f64) -> (f64, f64) {
        (self.lo + u * (self.hi - self.lo), self.hi - v * (self.hi - self.lo))
    }

    /// Fills `rgba` (`n·n·4` bytes) with the colours of `map(value)` (a value in `[-1, 1]`).
    /// With `discrete`, values are snapped to −1 or +1 (the decision regions).
    pub fn fill_rgba(&self, rgba: &mut Vec<u8>, palette: Palette, discrete: bool, map: impl Fn(f64) -> f64) {
        rgba.resize(self.n * self.n * 4, 0);
        for (px, &v) in rgba.chunks_exact_mut(4).zip(&self.values) {
            let mut m = map(v);
            if discrete && !m.is_nan() {
                m = if m >= 0.0 { 1.0 } else { -1.0 };
            }
            // Lighter than the points so they stand out: scale saturation to 80 %.
            let c = palette.color(m * 0.8);
            px.copy_from_slice(&[c.0, c.1, c.2, 255]);
        }
    }
}

/// Maps a probability `p ∈ [0, 1]` to `[-1, 1]` (`2p − 1`).
pub fn prob_to_signed(p: f64) -> f64 {
    2.0 * p - 1.0
}

/// Maps a regression output to `[-1, 1]` by clamping.
pub fn clamp_signed(v: f64) -> f64 {
    if v.is_nan() {
        v
    } else {
        v.clamp(-1.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_and_buffer() {
        let mut h = Heatmap::new(4, -6.0, 6.0);
        assert_eq!(h.point(0, 0), (-4.5, 4.5));
        assert_eq!(h.point(3, 3), (4.5, -4.5));
        assert_eq!(h.points().len(), 32);
        let (u, v) = h.to_unit(0.0, 6.0);
        assert_eq!((u, v), (0.5, 0.0));
        assert_eq!(h.from_unit(u, v), (0.0, 6.0));
        h.values = vec![0.0, 1.0, -1.0, f64::NAN, 0.2, -0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let mut rgba = Vec::new();
        h.fill_rgba(&mut rgba, Palette::OrangeBlue, false, |v| v);
        assert_eq!(rgba.len(), 64);
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
        assert_ne!(rgba[4..8], rgba[8..12], "signs differ in colour");
        let mut disc = Vec::new();
        h.fill_rgba(&mut disc, Palette::OrangeBlue, true, |v| v);
        assert_eq!(disc[16..20], disc[4..8], "0.2 snaps to the positive colour");
        assert_eq!(disc[20..24], disc[8..12], "-0.2 snaps to the negative colour");
        assert_eq!(prob_to_signed(0.75), 0.5);
        assert_eq!(clamp_signed(3.0), 1.0);
    }
}
