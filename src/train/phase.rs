//! The phases of one training step.

use serde::{Deserialize, Serialize};

/// One phase of a training step on a network with `L` layers. A step runs
/// `Forward(0) … Forward(L−1)`, `Loss`, `Backward(L−1) … Backward(0)`, `Update`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// `z = x·W + b`, `a = σ(z)` for layer `l`.
    Forward(usize),
    /// Per-sample losses, their mean, and `∂ℓ/∂z` at the output.
    Loss,
    /// Gradients of layer `l`'s parameters and the error passed to layer `l − 1`.
    Backward(usize),
    /// The optimizer's update of every parameter.
    Update,
}

impl Phase {
    /// Number of phases in a step for `layers` layers.
    pub fn count(layers: usize) -> usize {
        2 * layers + 2
    }

    /// The `i`-th phase of a step for `layers` layers.
    pub fn nth(layers: usize, i: usize) -> Phase {
        match i {
            i if i < layers => Phase::Forward(i),
            i if i == layers => Phase::Loss,
            i if i <= 2 * layers => Phase::Backward(2 * layers - i),
            _ => Phase::Update,
        }
    }

    /// Position of this phase in a step for `layers` layers.
    pub fn index(self, layers: usize) -> usize {
        match self {
            Phase::Forward(l) => l,
            Phase::Loss => layers,
            Phase::Backward(l) => 2 * layers - l,
            Phase::Update => 2 * layers + 1,
        }
    }

    /// Stable text id, e.g. `forward-1`, `loss`, `backward-2`, `update` (layers counted from 1).
    pub fn id(self) -> String {
        match self {
            Phase::Forward(l) => format!("forward-{}", l + 1),
            Phase::Loss => "loss".into(),
            Phase::Backward(l) => format!("backward-{}", l + 1),
            Phase::Update => "update".into(),
        }
    }
}

/// How much data one step uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepUnit {
    /// One sample (a batch of one).
    Sample,
    /// One mini-batch of the configured size.
    #[default]
    Batch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_round_trips() {
        let l = 3;
        let seq: Vec<Phase> = (0..Phase::count(l)).map(|i| Phase::nth(l, i)).collect();
        assert_eq!(
            seq,
            vec![
                Phase::Forward(0),
                Phase::Forward(1),
                Phase::Forward(2),
                Phase::Loss,
                Phase::Backward(2),
                Phase::Backward(1),
                Phase::Backward(0),
                Phase::Update
            ]
        );
        for (i, p) in seq.iter().enumerate() {
            assert_eq!(p.index(l), i);
        }
        assert_eq!(Phase::Backward(0).id(), "backward-1");
    }
}
