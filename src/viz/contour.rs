//! A loss surface as an image: the grid of losses is interpolated (bilinear, on
//! `log₁₀ loss`) to the canvas's pixel size, coloured with a sequential palette (dark =
//! low loss) and overlaid with iso-loss lines, so it stays sharp at any devicePixelRatio.

use super::colormap::Rgb;

/// Sequential palette anchors from low to high (a viridis-like ramp, dark to light).
const RAMP: [Rgb; 5] = [Rgb(0x26, 0x0f, 0x5a), Rgb(0x2c, 0x5a, 0x8e), Rgb(0x21, 0x91, 0x8c), Rgb(0x7a, 0xc8, 0x5a), Rgb(0xf4, 0xe6, 0x5c)];

/// Colour of `t ∈ [0, 1]` on the sequential ramp (clamped; NaN is light grey).
pub fn sequential(t: f64) -> Rgb {
    if t.is_nan() {
        return Rgb(0xe6, 0xe8, 0xeb);
    }
    let x = t.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let k = (x.floor() as usize).min(RAMP.len() - 2);
    Rgb::lerp(RAMP[k], RAMP[k + 1], x - k as f64)
}

/// The value range used for colours: `log₁₀` of the smallest and largest finite loss.
pub fn log_range(values: &[f64]) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| v.max(1e-12).log10())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    lo.is_finite().then_some((lo, hi.max(lo + 1e-9)))
}

/// Fills `rgba` (`out·out·4` bytes) with the surface `values` (`res × res`, row 0 on top;
/// grid point `k` sits at `k/(res−1)` of the width) and `levels` iso-lines.
pub fn surface_rgba(values: &[f64], res: usize, out: usize, levels: usize, rgba: &mut Vec<u8>) {
    rgba.clear();
    rgba.resize(out * out * 4, 0);
    let Some((lo, hi)) = log_range(values) else {
        return;
    };
    let logs: Vec<f64> = values.iter().map(|v| if v.is_finite() { (v.max(1e-12).log10() - lo) / (hi - lo) } else { f64::NAN }).collect();
    let at = |r: usize, c: usize| logs[r.min(res - 1) * res + c.min(res - 1)];
    let scale = (res - 1) as f64 / out as f64;
    let mut norm = vec![f64::NAN; out * out];
    for py in 0..out {
        let gy = (py as f64 + 0.5) * scale;
        let (r0, fy) = (gy.floor() as usize, gy.fract());
        for px in 0..out {
            let gx = (px as f64 + 0.5) * scale;
            let (c0, fx) = (gx.floor() as usize, gx.fract());
            let top = at(r0, c0) * (1.0 - fx) + at(r0, c0 + 1) * fx;
            let bottom = at(r0 + 1, c0) * (1.0 - fx) + at(r0 + 1, c0 + 1) * fx;
            norm[py * out + px] = top * (1.0 - fy) + bottom * fy;
        }
    }
    let level = |v: f64| if v.is_nan() { -1 } else { (v * levels as f64).floor().min(levels as f64 - 1.0) as i64 };
    for py in 0..out {
        for px in 0..out {
            let v = norm[py * out + px];
            let mut c = sequential(v);
            let mut alpha = 255;
            if v.is_nan() {
                alpha = 0;
            } else if levels > 0 {
                let l = level(v);
                let right = if px + 1 < out { level(norm[py * out + px + 1]) } else { l };
                let below = if py + 1 < out { level(norm[(py + 1) * out + px]) } else { l };
                if (right >= 0 && right != l) || (below >= 0 && below != l) {
                    c = Rgb::lerp(c, Rgb(255, 255, 255), 0.55);
                }
            }
            rgba[(py * out + px) * 4..(py * out + px) * 4 + 4].copy_from_slice(&[c.0, c.1, c.2, alpha]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_colours_and_lines() {
        // A bowl: lowest in the middle.
        let res = 9;
        let values: Vec<f64> = (0..res * res)
            .map(|k| {
                let (r, c) = ((k / res) as f64 - 4.0, (k % res) as f64 - 4.0);
                0.1 + r * r + c * c
            })
            .collect();
        let mut rgba = Vec::new();
        surface_rgba(&values, res, 64, 8, &mut rgba);
        assert_eq!(rgba.len(), 64 * 64 * 4);
        let px = |x: usize, y: usize| &rgba[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
        let sum = |p: &[u8]| p[..3].iter().map(|&v| v as u32).sum::<u32>();
        assert!(sum(px(32, 32)) < 250, "the minimum is dark: {:?}", px(32, 32));
        assert!(px(0, 0)[0] > 200, "the corners are light");
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
        let lines = rgba.chunks(4).filter(|p| p[..3] != [RAMP[0].0, RAMP[0].1, RAMP[0].2]).count();
        assert!(lines > 100);
        // Uncomputed rows are transparent.
        let mut partial = values.clone();
        partial[res * 5..].fill(f64::NAN);
        surface_rgba(&partial, res, 64, 8, &mut rgba);
        assert_eq!(rgba[(63 * 64) * 4 + 3], 0);
        assert_eq!(sequential(0.0), RAMP[0]);
        assert_eq!(sequential(1.0), RAMP[4]);
        assert!(log_range(&[f64::NAN]).is_none());
    }
}
