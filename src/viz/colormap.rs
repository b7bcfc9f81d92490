//! Colour maps. Values in `[-1, 1]` map through a diverging palette with white at 0,
//! so the sign reads as hue and the magnitude as saturation.

use serde::{Deserialize, Serialize};

/// An 8-bit RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Linear interpolation `a + t(b − a)`, `t ∈ [0, 1]`.
    pub fn lerp(a: Rgb, b: Rgb, t: f64) -> Rgb {
        let t = t.clamp(0.0, 1.0);
        let m = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
        Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
    }
}

/// A diverging palette: the colour of −1 ("class 0", negative weights), of 0, and of +1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Palette {
    /// Orange ↔ blue (readable with the common colour-vision deficiencies).
    #[default]
    OrangeBlue,
    /// Purple ↔ green, a high-contrast alternative (PuOr-like ends, darker for projectors).
    PurpleGreen,
}

impl Palette {
    /// The three anchor colours `(negative, zero, positive)`.
    pub fn anchors(self) -> (Rgb, Rgb, Rgb) {
        match self {
            Palette::OrangeBlue => (Rgb(0xe0, 0x7a, 0x1f), Rgb(0xf7, 0xf7, 0xf7), Rgb(0x1f, 0x6f, 0xb4)),
            Palette::PurpleGreen => (Rgb(0x76, 0x2a, 0x83), Rgb(0xf7, 0xf7, 0xf7), Rgb(0x1b, 0x78, 0x37)),
        }
    }

    /// Colour of a value in `[-1, 1]` (clamped; NaN is grey).
    pub fn color(self, v: f64) -> Rgb {
        if v.is_nan() {
            return Rgb(0x99, 0x99, 0x99);
        }
        let (neg, mid, pos) = self.anchors();
        if v < 0.0 {
            Rgb::lerp(mid, neg, -v)
        } else {
            Rgb::lerp(mid, pos, v)
        }
    }

    /// Colour of class 0 / class 1 points.
    pub fn class_color(self, class: usize) -> Rgb {
        let (neg, _, pos) = self.anchors();
        if class == 0 {
            neg
        } else {
            pos
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_middle_and_nan() {
        for p in [Palette::OrangeBlue, Palette::PurpleGreen] {
            let (n, m, q) = p.anchors();
            assert_eq!(p.color(-1.0), n);
            assert_eq!(p.color(0.0), m);
            assert_eq!(p.color(1.0), q);
            assert_eq!(p.color(5.0), q);
            assert_eq!(p.color(f64::NAN), Rgb(0x99, 0x99, 0x99));
        }
        assert_eq!(Rgb(1, 2, 255).hex(), "#0102ff");
        assert_eq!(Rgb::lerp(Rgb(0, 0, 0), Rgb(200, 100, 50), 0.5), Rgb(100, 50, 25));
    }
}
