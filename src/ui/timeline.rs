//! The timeline: play/pause, step, reset, new weights, speed, and the counters.

use super::controls::select;
use super::engine::Summary;
use crate::train::playground::{Speed, SPEEDS};
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Whether training runs.
    pub playing: bool,
    /// Counters.
    pub summary: Summary,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// Play / pause.
    pub on_play: Callback<()>,
    /// One update.
    pub on_step: Callback<()>,
    /// Back to the same initial weights.
    pub on_reset: Callback<()>,
    /// Draw new initial weights.
    pub on_new_weights: Callback<()>,
    /// Sets the speed.
    pub on_speed: Callback<usize>,
}

/// Text for a speed setting.
pub fn speed_label(s: Speed) -> String {
    match s {
        Speed::Updates(1) => "1 update / frame".into(),
        Speed::Updates(k) => format!("{k} updates / frame"),
        Speed::Epochs(1) => "1 epoch / frame".into(),
        Speed::Epochs(k) => format!("{k} epochs / frame"),
        Speed::Max => "fastest".into(),
    }
}

/// The timeline bar.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let s = &props.summary;
    html! {
        <div class="timeline">
            <button type="button" class={classes!("btn", "btn-play", props.playing.then_some("playing"))} data-testid="play"
                aria-pressed={props.playing.to_string()} onclick={click(&props.on_play)}
                title="Play / pause (Space)">
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button type="button" class="btn" data-testid="step" onclick={click(&props.on_step)} title="One update (→)">{ "Step" }</button>
            <button type="button" class="btn" data-testid="reset" onclick={click(&props.on_reset)}
                title="Back to the same initial weights (R)">{ "Reset" }</button>
            <button type="button" class="btn" data-testid="new-weights" onclick={click(&props.on_new_weights)}
                title="Draw new initial weights">{ "New weights" }</button>
            { select("speed", "Speed", SPEEDS.iter().enumerate().map(|(i, s)| (i, speed_label(*s))).collect(), &props.speed,
                props.on_speed.clone()) }
            <dl class="counters">
                <div><dt>{ "Epoch" }</dt><dd data-testid="epoch">{ s.epoch }</dd></div>
                <div><dt>{ "Updates" }</dt><dd data-testid="updates">{ s.updates }</dd></div>
                <div><dt>{ "Learning rate" }</dt><dd data-testid="current-lr">{ format!("{:.4e}", s.lr) }</dd></div>
            </dl>
        </div>
    }
}
