//! Training: the phase stepper, its trace and snapshots, and the experiment file format.

pub mod exchange;
pub mod experiment;
pub mod experiment_lite;
pub mod gradcheck;
pub mod history;
pub mod json;
pub mod lessons;
pub mod phase;
pub mod playground;
pub mod report;
pub mod stepper;
pub mod trace;
pub mod url;

pub use experiment::Experiment;
pub use phase::{Phase, StepUnit};
pub use stepper::{TrainConfig, TrainData, Trainer};
pub use trace::{LayerTrace, StepTrace, UpdateTrace};
