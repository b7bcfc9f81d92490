//! How long to train in each animation frame at the "fastest" speed, so that training plus
//! the frame's drawing still fits one display refresh.
//!
//! The page's frames are of a few kinds ([`FrameKind`]): most only train and advance the
//! output map, and about ten times a second one of four frames also re-renders the panels
//! or draws one of the charts. A fixed training budget overruns on those heavier frames,
//! and an overrun costs a whole refresh (33 ms instead of 16.7 ms). [`FramePace`] gives
//! light frames a fixed budget ([`FramePace::LIGHT`]: their other work is bounded at 4 ms)
//! and keeps one budget per heavier kind, adjusted from the measured frame intervals:
//! additive increase while frames are on time, multiplicative decrease after an overrun
//! (the AIMD rule), so each kind settles just under the time its frames can spare. An
//! overrun caused by something else on the machine only slows the heavier frames, so
//! training keeps at least the light frames' pace.

/// What a frame does besides training.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// Only training and a slice of the output map.
    Light,
    /// Evaluates the metrics and neuron maps and re-renders the panels.
    Refresh,
    /// Draws one of the three deferred canvases (diagram, loss chart, gradient norms).
    Chart(u8),
}

impl FrameKind {
    fn slot(self) -> usize {
        match self {
            FrameKind::Light => 0,
            FrameKind::Refresh => 1,
            FrameKind::Chart(k) => 2 + (k as usize).min(2),
        }
    }
}

/// Per-kind training budgets in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct FramePace {
    budget: [f64; 5],
    last: Option<(f64, FrameKind)>,
}

impl FramePace {
    /// The training budget of a light frame (ms; the output map then takes at most 4 ms).
    pub const LIGHT: f64 = 7.0;
    /// The most a heavier frame trains (ms).
    pub const MAX: f64 = 6.0;
    /// The least a frame trains (ms), so training always advances.
    pub const MIN: f64 = 0.5;
    /// Budget added after an on-time frame (ms).
    pub const STEP_UP: f64 = 0.04;
    /// Factor applied after an overrun.
    pub const BACK_OFF: f64 = 0.7;
    /// A frame interval above this (ms) counts as an overrun: more than one refresh at
    /// 60 Hz, with room for timer jitter.
    pub const OVERRUN: f64 = 21.0;
    /// The starting budget of the heavier kinds (ms).
    pub const START_HEAVY: f64 = 2.0;

    /// Starting budgets.
    pub fn new() -> FramePace {
        FramePace { budget: [Self::LIGHT, Self::START_HEAVY, Self::START_HEAVY, Self::START_HEAVY, Self::START_HEAVY], last: None }
    }

    /// The budget of a frame of this kind that starts at time `now` (the animation frame's
    /// timestamp, ms). The interval since the previous frame judges that frame's budget
    /// (heavier kinds only): `b ← max(b·0.7, MIN)` if the interval exceeded
    /// [`Self::OVERRUN`], else `b ← min(b + 0.04, MAX)`.
    pub fn begin(&mut self, now: f64, kind: FrameKind) -> f64 {
        if let Some((t, k)) = self.last.filter(|(_, k)| *k != FrameKind::Light) {
            let dt = now - t;
            let b = &mut self.budget[k.slot()];
            if dt > Self::OVERRUN {
                *b = (*b * Self::BACK_OFF).max(Self::MIN);
            } else if dt > 0.0 {
                *b = (*b + Self::STEP_UP).min(Self::MAX);
            }
        }
        self.last = Some((now, kind));
        self.budget[kind.slot()]
    }

    /// The current budget of a kind (ms).
    pub fn budget(&self, kind: FrameKind) -> f64 {
        self.budget[kind.slot()]
    }
}

impl Default for FramePace {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overruns_shrink_only_their_kind() {
        let mut p = FramePace::new();
        let mut t = 0.0;
        p.begin(t, FrameKind::Refresh);
        t += 33.3;
        assert_eq!(p.begin(t, FrameKind::Light), FramePace::LIGHT);
        assert!((p.budget(FrameKind::Refresh) - FramePace::START_HEAVY * 0.7).abs() < 1e-12);
        assert_eq!(p.budget(FrameKind::Chart(0)), FramePace::START_HEAVY);
        // Light frames keep their fixed budget, overrun or not.
        t += 50.0;
        p.begin(t, FrameKind::Chart(0));
        assert_eq!(p.budget(FrameKind::Light), FramePace::LIGHT);
        t += 16.7;
        p.begin(t, FrameKind::Light);
        assert!((p.budget(FrameKind::Chart(0)) - FramePace::START_HEAVY - FramePace::STEP_UP).abs() < 1e-12);
    }

    #[test]
    fn settles_under_the_time_a_kind_can_spare() {
        // A simulated chart frame costs 12 ms of drawing plus its training budget; a frame
        // over 16.7 ms is shown one refresh later. The budget must end near 4.7 ms and
        // overruns must become rare.
        let mut p = FramePace::new();
        let (mut t, mut overruns, mut frames) = (0.0, 0, 0);
        let mut kind = FrameKind::Chart(1);
        for i in 0..6000 {
            let b = p.begin(t, kind);
            let cost = if kind == FrameKind::Light { b + 4.0 } else { b + 12.0 };
            let dt = if cost > 16.7 { 33.3 } else { 16.7 };
            if i >= 1000 && kind != FrameKind::Light {
                frames += 1;
                overruns += (dt > 20.0) as u32;
            }
            t += dt;
            kind = if i % 6 == 0 { FrameKind::Chart(1) } else { FrameKind::Light };
        }
        let b = p.budget(FrameKind::Chart(1));
        assert!(b > 3.0 && b < 4.8, "chart budget {b}");
        assert_eq!(p.budget(FrameKind::Light), FramePace::LIGHT);
        assert!((overruns as f64) < 0.1 * frames as f64, "{overruns} overruns in {frames} chart frames");
    }

    #[test]
    fn never_below_the_floor_or_above_the_cap() {
        let mut p = FramePace::new();
        let mut t = 0.0;
        for _ in 0..50 {
            p.begin(t, FrameKind::Refresh);
            t += 100.0;
        }
        assert_eq!(p.budget(FrameKind::Refresh), FramePace::MIN);
        for _ in 0..1000 {
            p.begin(t, FrameKind::Refresh);
            t += 16.7;
        }
        assert_eq!(p.budget(FrameKind::Refresh), FramePace::MAX);
    }
}
