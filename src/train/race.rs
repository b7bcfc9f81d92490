//! An optimizer race: the current checkpoint forked into 2–6 trainers that differ only in
//! their optimizer and learning rate. Every racer starts from the same weights with a
//! fresh optimizer state, at update 0 of the same schedule, and draws the same
//! mini-batch sequence (each cursor is built from the same shuffling seed), so the
//! curves differ only because of the update rule.

use super::stepper::{Metrics, Trainer};
use crate::nn::optimizer::OptimizerKind;
use crate::viz::Series;

/// Fewest racers.
pub const MIN_RACERS: usize = 2;
/// Most racers.
pub const MAX_RACERS: usize = 6;
/// Points kept per loss curve.
pub const CURVE_CAP: usize = 400;

/// One racer's optimizer preset and learning rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RacerSpec {
    /// Optimizer preset (PyTorch defaults; momentum presets use μ = 0.9).
    pub kind: OptimizerKind,
    /// Base learning rate `α`.
    pub lr: f64,
}

impl RacerSpec {
    /// A preset with a learning rate that usually works on the playground's data sets.
    pub fn preset(kind: OptimizerKind) -> RacerSpec {
        let lr = match kind {
            OptimizerKind::Sgd => 0.1,
            OptimizerKind::Momentum | OptimizerKind::Nesterov => 0.03,
            OptimizerKind::Adagrad => 0.1,
            OptimizerKind::Rmsprop | OptimizerKind::Adam => 0.01,
        };
        RacerSpec { kind, lr }
    }
}

/// One trainer of the race and its record.
#[derive(Clone, Debug)]
pub struct Racer {
    /// Optimizer and rate.
    pub spec: RacerSpec,
    /// Its own trainer.
    pub trainer: Trainer,
    /// Training loss over updates (bounded).
    pub loss: Series,
    /// Latest metrics (after [`Race::record`]).
    pub metrics: Metrics,
    /// Why it stopped, if its loss or a parameter became NaN or infinite.
    pub stopped: Option<String>,
}

/// The race.
#[derive(Clone, Debug)]
pub struct Race {
    /// The racers, in the order given.
    pub racers: Vec<Racer>,
}

impl Race {
    /// Forks `base` (its current parameters, data, loss, schedule, regularization, batch
    /// size and shuffling seed) into one trainer per spec.
    pub fn fork(base: &Trainer, specs: &[RacerSpec]) -> Result<Race, String> {
        if !(MIN_RACERS..=MAX_RACERS).contains(&specs.len()) {
            return Err(format!("race: between {MIN_RACERS} and {MAX_RACERS} racers, got {}", specs.len()));
        }
        let mut racers = Vec::with_capacity(specs.len());
        for (k, s) in specs.iter().enumerate() {
            let mut config = *base.config();
            config.optimizer = s.kind.preset(s.lr);
            let trainer = Trainer::new(base.net().clone(), config, base.data().clone())
                .map_err(|e| format!("racer {}: {e}", k + 1))?;
            let mut r = Racer { spec: *s, trainer, loss: Series::new(CURVE_CAP), metrics: blank_metrics(), stopped: None };
            r.record();
            racers.push(r);
        }
        Ok(Race { racers })
    }

    /// One update for every racer still running. Returns how many moved.
    pub fn step(&mut self) -> usize {
        let mut moved = 0;
        for r in self.racers.iter_mut().filter(|r| r.stopped.is_none()) {
            r.trainer.step();
            r.stopped = r.trainer.divergence();
            moved += 1;
        }
        moved
    }

    /// Steps while `now() − start < budget` (at least one step); returns the steps made.
    pub fn run_for(&mut self, now: &dyn Fn() -> f64, budget: f64) -> u64 {
        let start = now();
        let mut n = 0;
        loop {
            if self.step() == 0 {
                break;
            }
            n += 1;
            if now() - start >= budget {
                break;
            }
        }
        n
    }

    /// Evaluates every racer and appends its training loss to its curve.
    pub fn record(&mut self) {
        for r in &mut self.racers {
            r.record();
        }
    }

    /// Updates made by the racers still running (they move in lock step), else the most.
    pub fn updates(&self) -> u64 {
        self.racers.iter().map(|r| r.trainer.updates()).max().unwrap_or(0)
    }

    /// Whether every racer has stopped.
    pub fn all_stopped(&self) -> bool {
        self.racers.iter().all(|r| r.stopped.is_some())
    }
}

impl Racer {
    /// Evaluates the racer and appends `(updates, training loss)` to its curve.
    pub fn record(&mut self) {
        self.metrics = self.trainer.metrics();
        self.loss.push(self.trainer.updates() as f64, self.metrics.train_loss);
    }
}

fn blank_metrics() -> Metrics {
    Metrics::BLANK
}

/// Appends `p` to a trail of at most `cap` points; when full, every other older point is
/// dropped (the first and the newest are kept), so memory stays bounded.
pub fn push_trail(trail: &mut Vec<(f64, f64)>, p: (f64, f64), cap: usize) {
    if !(p.0.is_finite() && p.1.is_finite()) {
        return;
    }
    if trail.len() >= cap.max(4) {
        let kept: Vec<(f64, f64)> = trail.iter().copied().step_by(2).collect();
        *trail = kept;
    }
    trail.push(p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_is_bounded() {
        let mut t = Vec::new();
        for k in 0..1000 {
            push_trail(&mut t, (k as f64, 0.0), 50);
        }
        assert!(t.len() <= 50);
        assert_eq!(t[0], (0.0, 0.0));
        assert_eq!(*t.last().unwrap(), (999.0, 0.0));
        push_trail(&mut t, (f64::NAN, 0.0), 50);
        assert_eq!(*t.last().unwrap(), (999.0, 0.0));
    }
}
