//! gradlab · 梯度实验室 — watch a neural network learn.
//!
//! The crate is a pure core plus a thin UI:
//! - [`nn`]: layers, activations, losses, optimizers, schedules, initializers and a seeded RNG;
//! - [`data`]: dataset generators, derived features and train/validation/test splits;
//! - [`train`]: the phase stepper, its trace and snapshots, and the experiment file format;
//! - [`viz`]: colour maps, RGBA buffers and downsampling for the charts;
//! - `ui` (wasm32 only): the Yew components and canvas glue.
//!
//! Everything but `ui` compiles and is tested natively, with no web dependencies. One function
//! has a wasm32 branch: [`train::decimal::parse_f64`] converts with the browser's `parseFloat`
//! there (same bits, 15 KB less bundle; `tests/web.rs` compares the two).

pub mod data;
pub mod nn;
pub mod train;
pub mod viz;

#[cfg(target_arch = "wasm32")]
pub mod ui;
