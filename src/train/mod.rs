//! Training: the phase stepper, its trace and snapshots, the experiment file format, and
//! the optimizer lab's loss surfaces, races and learning-rate curves.

pub mod decimal;
pub mod exchange;
pub mod frame_pace;
pub mod experiment;
pub mod experiment_lite;
pub mod gradcheck;
pub mod history;
pub mod loss_log;
pub mod lr_curve;
pub mod json;
pub mod lessons;
pub mod phase;
pub mod playground;
pub mod race;
pub mod report;
pub mod step_preview;
pub mod stepper;
pub mod surface;
pub mod trace;
pub mod url;

pub use experiment::Experiment;
pub use phase::{Phase, StepUnit};
pub use stepper::{TrainConfig, TrainData, Trainer};
pub use trace::{LayerTrace, StepTrace, UpdateTrace};
