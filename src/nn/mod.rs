//! The neural-network core: pure Rust, `f64`, no web dependencies.
//!
//! Conventions follow PyTorch: a batch is a matrix whose rows are samples, a dense
//! layer computes `z = x·W + b` with `W` of shape `[inputs, units]`, and losses are
//! means over the batch (and over outputs for MSE and binary cross-entropy).

pub mod activation;
pub mod init;
pub mod loss;
pub mod network;
pub mod optimizer;
pub mod regularization;
pub mod rng;
pub mod schedule;
pub mod trig;

pub use activation::Activation;
pub use init::Init;
pub use loss::Loss;
pub use network::{Layer, Network, NetworkSpec};
pub use optimizer::{Optimizer, OptimizerConfig, OptimizerState, SlotState, UpdateTerms};
pub use regularization::Regularization;
pub use rng::Rng;
pub use schedule::Schedule;
